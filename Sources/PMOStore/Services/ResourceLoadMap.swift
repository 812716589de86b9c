import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// The overload map: each resource's load against its capacity per week (or day), across every project.
public struct LoadMap: Sendable {
    public var periods: LoadPeriods
    public var rows: [LoadRow]
    /// Placeholders' demand by role against the free capacity of the people with that role.
    public var roles: [RoleLoadRow]
    /// The projects the reader may see whose work is on the map, by key.
    public var projects: [LoadProject]
}

public struct LoadProject: Sendable, Equatable {
    public var key: String
    public var name: String
    public var priority: Int
}

public struct LoadRow: Sendable {
    public var resource: ResourceView
    public var cells: [LoadCell]
    /// Periods over capacity.
    public var overloadedPeriods: Int { cells.filter(\.level.isOverloaded).count }
}

/// One resource in one period; capacity and load in percent-days (100 = one person's full day).
public struct LoadCell: Sendable, Equatable {
    public var capacity: Int
    public var load: Int
    /// Load from projects the reader may not see: a share without names.
    public var otherProjects: Int
    /// The assignments behind the load the reader may see, biggest first.
    public var work: [LoadWork]
    public var level: LoadLevel { LoadLevel(load: load, capacity: capacity) }
}

public struct LoadWork: Sendable, Equatable {
    public var projectKey: String
    public var activityUID: Int
    public var activityName: String
    public var percent: Int
}

public struct RoleLoadRow: Sendable, Equatable {
    public var role: String
    /// Per period: what the role's placeholders ask, and what the role's people have free.
    public var demand: [Int]
    public var supply: [Int]
}

/// What the map shows.
public struct LoadMapQuery: Sendable, Equatable {
    public var scale: LoadPeriods.Scale
    public var from: CivilDate
    public var count: Int
    public var companyID: UUID?
    public var role: String?
    /// Only resources assigned in this project (their load still counts every project).
    public var projectKey: String?

    /// Up to 92 periods: a quarter by day, most of two years by week.
    public static let maxCount = 92

    public init(scale: LoadPeriods.Scale = .week, from: CivilDate, count: Int? = nil, companyID: UUID? = nil, role: String? = nil,
                projectKey: String? = nil) {
        self.scale = scale
        self.from = from
        self.count = count ?? (scale == .week ? 12 : 28)
        self.companyID = companyID
        self.role = role
        self.projectKey = projectKey
    }

    /// Refuses a period count outside 1…92.
    public func validate() throws {
        if !(1...Self.maxCount).contains(count) {
            throw DomainError.invalid("resource.invalid_load_query", [FieldError(
                field: "count", code: "out_of_range", message: "Show 1 to \(Self.maxCount) \(scale == .week ? "weeks" : "days").")])
        }
    }
}

extension ResourceService {
    /// The overload map for `caller`: the resources they may see, with the load of every project; work in projects the
    /// caller is not a member of counts as an unnamed "other projects" share.
    public func loadMap(_ caller: Caller, _ query: LoadMapQuery) async throws -> LoadMap {
        try query.validate()
        let periods = LoadPeriods(scale: query.scale, from: query.from, count: query.count)
        var resources = try await all(visibleTo: caller, on: db)
        if let company = query.companyID { resources = resources.filter { $0.companyID == company } }
        if let role = query.role, !role.isEmpty { resources = resources.filter { $0.role == role } }
        let visible = try await store.projects.list(for: caller)
        let visibleIDs = Set(try visible.map { try $0.0.requireID() })
        if let key = query.projectKey {
            guard let project = visible.first(where: { $0.0.key == key }) else {
                throw DomainError.notFound("project.not_found", "There is no project \(key) you may see.")
            }
            let pid = try project.0.requireID()
            let assigned = Set(try await db.sql().raw("SELECT DISTINCT resource_id FROM plan_assignments WHERE project_id = \(bind: pid)").all()
                .map { try $0.decode(column: "resource_id", as: UUID.self) })
            resources = resources.filter { assigned.contains($0.id) }
        }
        let loads = try await dailyLoads(of: resources.map(\.id), from: periods.first, through: periods.last, on: db)
        let closures = try await companyClosures(on: db)
        var rows: [LoadRow] = []
        var involved: [UUID: LoadProject] = [:]
        for r in resources {
            var cells = (0..<periods.starts.count).map { i in
                LoadCell(capacity: periods.days(i).reduce(0) {
                             $0 + r.capacity.percent(on: $1, calendar: .japan, closures: r.companyID.flatMap { closures[$0] })
                         },
                         load: 0, otherProjects: 0, work: [])
            }
            var work: [[String: LoadWork]] = Array(repeating: [:], count: cells.count)
            for l in loads[r.id] ?? [] {
                guard let i = periods.index(of: l.day) else { continue }
                cells[i].load += l.percent
                if visibleIDs.contains(l.projectID) {
                    involved[l.projectID] = LoadProject(key: l.project.key, name: l.project.name, priority: l.project.priority)
                    let key = "\(l.project.key)#\(l.activityUID)"
                    work[i][key, default: LoadWork(projectKey: l.project.key, activityUID: l.activityUID, activityName: l.activityName, percent: 0)]
                        .percent += l.percent
                } else {
                    cells[i].otherProjects += l.percent
                }
            }
            for i in cells.indices {
                cells[i].work = work[i].values.sorted { ($1.percent, $0.projectKey, $0.activityUID) < ($0.percent, $1.projectKey, $1.activityUID) }
            }
            rows.append(LoadRow(resource: r, cells: cells))
        }
        // Roles: placeholders' demand against the people's free capacity.
        var roles: [String: RoleLoadRow] = [:]
        for row in rows where !row.resource.role.isEmpty && row.resource.kind != .equipment {
            var entry = roles[row.resource.role] ?? RoleLoadRow(role: row.resource.role, demand: Array(repeating: 0, count: periods.starts.count),
                                                                supply: Array(repeating: 0, count: periods.starts.count))
            for (i, c) in row.cells.enumerated() {
                if row.resource.kind == .placeholder { entry.demand[i] += c.load } else { entry.supply[i] += max(0, c.capacity - c.load) }
            }
            roles[row.resource.role] = entry
        }
        let placeholderRoles = Set(rows.filter { $0.resource.kind == .placeholder }.map(\.resource.role))
        return LoadMap(periods: periods, rows: rows,
                       roles: roles.values.filter { placeholderRoles.contains($0.role) }.sorted { $0.role < $1.role },
                       projects: involved.values.sorted { $0.key < $1.key })
    }

    /// One day of one assignment, with the project and activity it comes from.
    struct ProjectLoad: Sendable {
        var project: LoadProject
        var projectID: UUID
        var activityUID: Int
        var activityName: String
        var day: CivilDate
        var percent: Int
    }

    /// The daily load of `resources` in every project that assigns them, as each plan is scheduled now (levelling
    /// delays included), optionally leaving some projects out.
    func dailyLoads(of resources: [UUID], from: CivilDate, through: CivilDate, excluding: Set<UUID> = [],
                    on db: any Database) async throws -> [UUID: [ProjectLoad]] {
        guard !resources.isEmpty, try await store.hasMigrated("M025CreateResources", on: db) else { return [:] }
        var projects = Set<UUID>()
        var idByNumber: [Int: UUID] = [:]
        for chunk in stride(from: 0, to: resources.count, by: 500).map({ Array(resources[$0..<min($0 + 500, resources.count)]) }) {
            for row in try await db.sql().raw("""
                SELECT DISTINCT a.project_id AS project_id, r.number AS number, r.id AS id FROM plan_assignments a
                JOIN resources r ON r.id = a.resource_id WHERE a.resource_id IN (\(binds: chunk))
                """).all() {
                projects.insert(try row.decode(column: "project_id", as: UUID.self))
                idByNumber[try row.decode(column: "number", as: Int.self)] = try row.decode(column: "id", as: UUID.self)
            }
        }
        var out: [UUID: [ProjectLoad]] = [:]
        for pid in projects.subtracting(excluding).sorted(by: { $0.uuidString < $1.uuidString }) {
            guard let context = try await store.signals.systemContext(projectID: pid, on: db) else { continue }
            let view = try await plans.cachedView(context)
            let project = LoadProject(key: context.project.key, name: context.project.name, priority: try await priority(pid, on: db))
            let names = Dictionary(view.snapshot.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
            for l in ResourceLoad.daily(plan: view.schedulePlan, result: view.result, from: from, through: through) {
                guard let id = idByNumber[l.resource.rawValue] else { continue }
                out[id, default: []].append(ProjectLoad(
                    project: project, projectID: pid, activityUID: l.activity.rawValue, activityName: names[l.activity.rawValue] ?? "",
                    day: l.day, percent: l.percent))
            }
        }
        return out
    }

    /// A project's priority for levelling across projects (1 first … 5 last; 3 when never set).
    func priority(_ projectID: UUID, on db: any Database) async throws -> Int {
        guard try await store.hasMigrated("M025CreateResources", on: db) else { return 3 }
        return try await db.sql().raw("SELECT priority FROM projects WHERE id = \(bind: projectID)").first()?
            .decode(column: "priority", as: Int.self) ?? 3
    }
}
