import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// Levelling as a PMO uses it, reached as `store.levelling`: a what-if scenario is proposed for one project or several
/// (levelled in priority order, each around the load of the others), shown beside the current plan, and then applied
/// (the current schedule saved as a baseline first, the moves written as levelling delays) or discarded. Nothing is
/// moved until the PMO applies it.
public struct LevellingService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The levelling feature (`LevellingService`).
    public var levelling: LevellingService { LevellingService(store: self) }
}

/// A proposal, as stored and shown.
public struct LevellingScenario: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case proposed, applied, discarded }
    public var id: UUID
    public var status: Status
    public var createdAt: Date
    public var createdBy: String
    public var withinSlack: Bool
    /// The levelled resources' numbers; nil for all.
    public var resources: [Int]?
    /// In the order they were levelled (priority, then key).
    public var projects: [ScenarioProject]
}

/// One project of a scenario: what moves, and what that does to its milestones and finish.
public struct ScenarioProject: Sendable, Codable, Equatable {
    public var projectID: UUID
    public var key: String
    public var name: String
    public var priority: Int
    /// The plan's version when proposed: applying needs the plan unchanged since.
    public var planVersion: Int
    public var moves: [ScenarioMove]
    public var milestones: [ScenarioMilestone]
    /// The plan's finish before and after (minutes since 1970, local time).
    public var finishBefore: Int
    public var finishAfter: Int
    /// Resource-days over capacity before and after.
    public var overloadsBefore: Int
    public var overloadsAfter: Int
    /// Assignments asking more than their resource has at all (levelled at its capacity).
    public var overallocated: [String]
}

public struct ScenarioMove: Sendable, Codable, Equatable {
    public var uid: Int
    public var name: String
    public var from: Int
    public var to: Int
    /// Working minutes written as the activity's levelling delay.
    public var delayMinutes: Int
    /// The resources it was in conflict on, by name (as the proposer saw them).
    public var conflicts: [String]
}

public struct ScenarioMilestone: Sendable, Codable, Equatable {
    public var uid: Int
    public var name: String
    public var before: Int
    public var after: Int
}

/// What to level.
public struct LevellingRequest: Sendable, Equatable {
    public var projectKeys: [String]
    public var withinSlack: Bool
    /// Resources by number; nil for all.
    public var resources: [Int]?
    public var schedules: Int
    /// The wall-clock safety stop for the whole scenario.
    public var timeLimitMilliseconds: Int

    public static let maxProjects = 20

    public init(projectKeys: [String], withinSlack: Bool = false, resources: [Int]? = nil, schedules: Int = 5_000,
                timeLimitMilliseconds: Int = 1_500) {
        self.projectKeys = projectKeys
        self.withinSlack = withinSlack
        self.resources = resources
        self.schedules = schedules
        self.timeLimitMilliseconds = timeLimitMilliseconds
    }
}

extension LevellingService {
    /// Proposes a scenario. The caller needs the right to change the plan of every project in it.
    public func propose(_ caller: Caller, _ request: LevellingRequest) async throws -> LevellingScenario {
        var e = FieldErrors()
        let keys = Array(NSOrderedSet(array: request.projectKeys)) as? [String] ?? request.projectKeys
        if keys.isEmpty { e.add("projects", "required", "Name at least one project to level.") }
        if keys.count > LevellingRequest.maxProjects { e.add("projects", "too_many", "Level at most \(LevellingRequest.maxProjects) projects at once.") }
        if !(1...1_000_000).contains(request.schedules) { e.add("schedules", "out_of_range", "Schedules are 1 to 1,000,000.") }
        if !(1...60_000).contains(request.timeLimitMilliseconds) {
            e.add("timeLimitMs", "out_of_range", "The time limit is 1 to 60,000 milliseconds.")
        }
        try e.throwIfAny("levelling.invalid")
        var contexts: [(ProjectContext, Int)] = []
        for key in keys {
            let context = try await projectContext(caller, key: key)
            guard PlanAccess.canEdit(context.actor) else {
                throw DomainError.forbidden("levelling.forbidden", "Only the PMO, project managers and admins level the plan of \(key).")
            }
            contexts.append((context, try await store.resources.priority(context.projectID, on: db)))
        }
        contexts.sort { ($0.1, $0.0.project.key) < ($1.1, $1.0.project.key) }
        let inScenario = Set(contexts.map(\.0.projectID))
        let deadline = Date().addingTimeInterval(Double(request.timeLimitMilliseconds) / 1000)
        let resourceViews = try await store.resources.all(visibleTo: nil, on: db)
        let byNumber = Dictionary(resourceViews.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        // Load already taken, per resource id and day: the projects outside the scenario as scheduled now, then each
        // levelled project of the scenario as it is proposed.
        var views: [(ProjectContext, Int, PlanView)] = []
        for (context, priority) in contexts { views.append((context, priority, try await plans.cachedView(context))) }
        let starts = views.compactMap { $0.2.result.activities.map(\.start).min() }
        let from = (starts.min() ?? LocalTime(date: CivilDate(now(), in: TimeZone.japan))).date
        let through = from.adding(days: 3 * 366)
        let assigned = Set(views.flatMap { $0.2.snapshot.resources.map(\.id.rawValue) }).compactMap { byNumber[$0]?.id }
        var taken: [UUID: [CivilDate: Int]] = [:]
        for (id, entries) in try await store.resources.dailyLoads(of: assigned, from: from, through: through, excluding: inScenario, on: db) {
            for l in entries { taken[id, default: [:]][l.day, default: 0] += l.percent }
        }
        // Each resource's capacity day by day, once for the scenario: the calendar's working days are looked up once
        // (a holiday check per resource and day was most of a large scenario's time).
        let dayCount = through.dayNumber - from.dayNumber + 1
        let working = (0..<dayCount).map { WorkCalendar.japan.isWorkingDay(from.adding(days: $0)) }
        // A company's closures (its own calendars in the plans) take its people's capacity on those days.
        let closures = try await store.resources.companyClosures(on: db)
        var closedRows: [UUID: [Bool]] = [:]
        func closedRow(_ company: UUID?) -> [Bool]? {
            guard let company, let days = closures[company], !days.isEmpty else { return nil }
            if let row = closedRows[company] { return row }
            let row = (0..<dayCount).map { days.isClosed(from.adding(days: $0)) }
            closedRows[company] = row
            return row
        }
        var capacityRows: [UUID: [Int]] = [:]
        func capacityRow(_ r: ResourceView) -> [Int] {
            if let row = capacityRows[r.id] { return row }
            let plain = r.capacity.changes.isEmpty && r.capacity.absences.isEmpty
            let closed = closedRow(r.companyID)
            let row = (0..<dayCount).map { i -> Int in
                guard working[i], !(closed?[i] ?? false) else { return 0 }
                if plain { return r.capacity.percent }
                let d = from.adding(days: i)
                return r.capacity.isAbsent(on: d) ? 0 : r.capacity.basePercent(on: d)
            }
            capacityRows[r.id] = row
            return row
        }
        var projects: [ScenarioProject] = []
        for (i, (context, priority, view)) in views.enumerated() {
            var availability: [Resource.ID: [CivilDate: Int]] = [:]
            for r in view.snapshot.resources {
                guard let resource = byNumber[r.id.rawValue] else { continue }
                let row = capacityRow(resource)
                let used = taken[resource.id] ?? [:]
                var days: [CivilDate: Int] = [:]
                for k in 0..<dayCount {
                    let d = from.adding(days: k)
                    let free = row[k] - (used[d] ?? 0)
                    if free != resource.capacity.percent { days[d] = max(0, free) }
                }
                availability[r.id] = days
            }
            // The time left is shared by the projects still to level.
            let share = deadline.timeIntervalSinceNow / Double(views.count - i)
            let stopAt = Date().addingTimeInterval(max(0.05, share))
            let options = PlanLeveller.Options(
                search: Leveller.Options(schedules: request.schedules), withinSlack: request.withinSlack,
                resources: request.resources.map { Set($0.map(Resource.ID.init)) }, availability: availability)
            let plan = view.schedulePlan
            let outcome: PlanLeveller.Outcome
            do {
                outcome = try await BackgroundWork.shared.run {
                    Result { try PlanLeveller.level(plan, options: options, shouldStop: { Date() >= stopAt }) }
                }.get()
            } catch let error as LevellingError {
                throw Self.refusal(error, key: context.project.key)
            }
            projects.append(Self.summary(context, priority: priority, view: view, outcome: outcome, byNumber: byNumber))
            let levelled = ResourceLoad.daily(plan: outcome.plan, result: outcome.after, from: from, through: through)
            for l in levelled { if let r = byNumber[l.resource.rawValue] { taken[r.id, default: [:]][l.day, default: 0] += l.percent } }
        }
        let at = now()
        let scenario = LevellingScenario(id: UUID(), status: .proposed, createdAt: at, createdBy: caller.displayName,
                                         withinSlack: request.withinSlack, resources: request.resources, projects: projects)
        let body = String(decoding: try JSONEncoder().encode(scenario), as: UTF8.self)
        let levelled = projects
        try await write { db in
            try await db.sql().raw("""
                INSERT INTO levelling_scenarios (id, status, body, created_by_id, created_at)
                VALUES (\(bind: scenario.id), 'proposed', \(bind: body), \(bind: caller.userID), \(bind: at))
                """).run()
            for p in levelled {
                try await db.sql().raw("""
                    INSERT INTO levelling_scenario_projects (scenario_id, project_id) VALUES (\(bind: scenario.id), \(bind: p.projectID))
                    """).run()
            }
        }
        return scenario
    }

    static func refusal(_ error: LevellingError, key: String) -> DomainError {
        switch error {
        case .loop(let activities):
            return DomainError.invalid("levelling.loop", [FieldError(
                field: "plan", code: "loop",
                message: "The plan of \(key) has a loop of links: \(activities.map(String.init).joined(separator: " → ")). Remove one link, then level.",
                subjects: activities.map(String.init))])
        case .neverFits(let activity, let resource, let units, let capacity):
            return DomainError.invalid("levelling.infeasible", [FieldError(
                field: "assignments", code: "never_fits",
                message: "Activity \(activity) asks \(units) % of resource \(resource), which never has more than \(capacity) %; lower the units or raise the capacity.",
                subjects: [String(activity), String(resource)])])
        case .noRoom(let activity):
            return DomainError.invalid("levelling.infeasible", [FieldError(
                field: "plan", code: "no_room",
                message: "Activity \(activity) finds no room for its resources before its latest start; loosen the deadline or level without \"within slack\".",
                subjects: [String(activity)])])
        case .invalidValue(let field, _, _, let reason):
            return DomainError.invalid("levelling.invalid", [FieldError(field: field, code: "invalid", message: reason)])
        }
    }

    static func summary(_ context: ProjectContext, priority: Int, view: PlanView, outcome: PlanLeveller.Outcome,
                        byNumber: [Int: ResourceView]) -> ScenarioProject {
        let names = Dictionary(view.snapshot.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
        let before = Dictionary(outcome.before.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(outcome.after.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let milestones = view.schedulePlan.activities.filter { $0.kind == .milestone }.compactMap { a -> ScenarioMilestone? in
            guard let b = before[a.id], let f = after[a.id] else { return nil }
            return ScenarioMilestone(uid: a.id.rawValue, name: a.name, before: b.finish.minutes, after: f.finish.minutes)
        }
        let moves = outcome.moves.map { m in
            ScenarioMove(uid: m.activity.rawValue, name: names[m.activity.rawValue] ?? "", from: m.from.minutes, to: m.to.minutes,
                         delayMinutes: m.delay.minutes, conflicts: m.conflicts.map { byNumber[$0.rawValue]?.name ?? "#\($0.rawValue)" })
        }
        let over = outcome.overallocated.map { o in
            "\(names[o.activity.rawValue] ?? "#\(o.activity.rawValue)"): \(byNumber[o.resource.rawValue]?.name ?? "#\(o.resource.rawValue)") \(o.units)% > \(o.capacity)%"
        }
        return ScenarioProject(
            projectID: context.projectID, key: context.project.key, name: context.project.name, priority: priority,
            planVersion: view.version, moves: moves, milestones: milestones,
            finishBefore: (outcome.before.activities.map(\.finish).max() ?? view.snapshot.start).minutes,
            finishAfter: (outcome.after.activities.map(\.finish).max() ?? view.snapshot.start).minutes,
            overloadsBefore: outcome.overloadsBefore, overloadsAfter: outcome.remainingOverloads, overallocated: over)
    }

    /// The scenarios that touch project `key`, newest first (the last 20).
    public func list(_ caller: Caller, key: String) async throws -> [LevellingScenario] {
        let context = try await projectContext(caller, key: key)
        let rows = try await db.sql().raw("""
            SELECT s.body AS body, s.status AS status FROM levelling_scenarios s
            JOIN levelling_scenario_projects p ON p.scenario_id = s.id
            WHERE p.project_id = \(bind: context.projectID) ORDER BY s.created_at DESC LIMIT 20
            """).all()
        return try rows.compactMap(Self.decode)
    }

    static func decode(_ row: any SQLRow) throws -> LevellingScenario? {
        var s = try JSONDecoder().decode(LevellingScenario.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
        s.status = LevellingScenario.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? s.status
        return s
    }

    /// One scenario: the caller must be able to read every project in it.
    public func scenario(_ caller: Caller, id: UUID) async throws -> LevellingScenario {
        try await load(caller, id: id, on: db)
    }

    func load(_ caller: Caller, id: UUID, on db: any Database) async throws -> LevellingScenario {
        guard let row = try await db.sql().raw("SELECT body, status FROM levelling_scenarios WHERE id = \(bind: id)").first(),
              let scenario = try Self.decode(row) else {
            throw DomainError.notFound("levelling.not_found", "There is no levelling scenario \(id.uuidString.lowercased()).")
        }
        for p in scenario.projects {
            do { _ = try await projectContext(caller, key: p.key, on: db) } catch {
                throw DomainError.notFound("levelling.not_found", "There is no levelling scenario \(id.uuidString.lowercased()) you may see.")
            }
        }
        return scenario
    }

    /// Applies a proposed scenario in one transaction: in each project (the caller needs the right to change each
    /// plan, and each plan must be as it was when proposed) the current schedule is saved as baseline `baseline` (the
    /// next free number when nil; a given number is replaced), then the moves are written as levelling delays (the
    /// earlier ones cleared).
    public func apply(_ caller: Caller, id: UUID, baseline: Int?) async throws -> LevellingScenario {
        if let baseline, !(0...10).contains(baseline) {
            throw DomainError.invalid("levelling.invalid", [FieldError(field: "baseline", code: "out_of_range", message: "A baseline number is from 0 to 10.")])
        }
        let at = now()
        return try await write { db in
            var scenario = try await load(caller, id: id, on: db)
            guard scenario.status == .proposed else {
                throw DomainError.conflict("levelling.not_proposed", "This scenario was \(scenario.status.rawValue) already; propose a new one.")
            }
            let day = CivilDate(at, in: TimeZone.japan)
            for p in scenario.projects {
                let context = try await plans.beginPlanWrite(caller, key: p.key, on: db)
                guard try await plans.planVersion(context.projectID, on: db) == p.planVersion else {
                    throw DomainError.conflict("levelling.plan_changed",
                                               "The plan of \(p.key) changed after this scenario was proposed; propose again to level the plan as it is now.",
                                               subjects: [p.key])
                }
                let view = try await plans.planView(context, on: db)
                _ = try await plans.saveBaseline(view, caller: caller, number: baseline, name: "Before levelling \(day) / 平準化前",
                                                 replace: baseline != nil, at: at, on: db)
                let sql = try db.sql()
                let old = Dictionary(view.snapshot.activities.map { ($0.uid, $0.levelingDelay) }, uniquingKeysWith: { a, _ in a })
                try await sql.raw("DELETE FROM plan_leveling_delays WHERE project_id = \(bind: context.projectID)").run()
                let moved = Dictionary(p.moves.map { ($0.uid, $0.delayMinutes) }, uniquingKeysWith: { a, _ in a })
                for m in p.moves {
                    try await sql.raw("""
                        INSERT INTO plan_leveling_delays (project_id, uid, minutes, elapsed)
                        VALUES (\(bind: context.projectID), \(bind: m.uid), \(bind: m.delayMinutes), \(bind: false))
                        """).run()
                }
                for uid in Set(moved.keys).union(old.filter { $0.value != .zero }.keys).sorted() {
                    let before = old[uid] ?? .zero
                    let after = WorkDuration.working(moved[uid] ?? 0)
                    guard before != after else { continue }
                    try await plans.auditActivity(context, caller: caller, uid: uid, at: at, action: "level",
                                                  changes: [FieldChange(field: "levelingDelay", from: before.description, to: after.description)],
                                                  on: db)
                }
                try await plans.touchPlan(context, at: at, on: db)
            }
            scenario.status = .applied
            try await mark(id, .applied, caller: caller, at: at, on: db)
            return scenario
        }
    }

    /// Discards a proposed scenario (nothing in the plans changes).
    public func discard(_ caller: Caller, id: UUID) async throws -> LevellingScenario {
        let at = now()
        return try await write { db in
            var scenario = try await load(caller, id: id, on: db)
            guard scenario.status == .proposed else {
                throw DomainError.conflict("levelling.not_proposed", "This scenario was \(scenario.status.rawValue) already.")
            }
            for p in scenario.projects {
                let context = try await projectContext(caller, key: p.key, on: db)
                guard PlanAccess.canEdit(context.actor) else {
                    throw DomainError.forbidden("levelling.forbidden", "Only the PMO, project managers and admins of \(p.key) discard its scenarios.")
                }
            }
            scenario.status = .discarded
            try await mark(id, .discarded, caller: caller, at: at, on: db)
            return scenario
        }
    }

    func mark(_ id: UUID, _ status: LevellingScenario.Status, caller: Caller, at: Date, on db: any Database) async throws {
        try await db.sql().raw("""
            UPDATE levelling_scenarios SET status = \(bind: status.rawValue), decided_by_id = \(bind: caller.userID), decided_at = \(bind: at)
            WHERE id = \(bind: id)
            """).run()
    }

    /// Clears every levelling delay of a plan (MS Project's "Clear Leveling"); the plan moves back to its links' dates.
    public func clear(_ caller: Caller, key: String) async throws -> Int {
        let at = now()
        return try await write { db in
            let context = try await plans.beginPlanWrite(caller, key: key, on: db)
            let sql = try db.sql()
            let rows = try await sql.raw("SELECT uid, minutes FROM plan_leveling_delays WHERE project_id = \(bind: context.projectID)").all()
            try await sql.raw("DELETE FROM plan_leveling_delays WHERE project_id = \(bind: context.projectID)").run()
            for row in rows {
                try await plans.auditActivity(context, caller: caller, uid: try row.decode(column: "uid", as: Int.self), at: at, action: "level",
                                              changes: [FieldChange(field: "levelingDelay",
                                                                    from: WorkDuration.working(try row.decode(column: "minutes", as: Int.self)).description,
                                                                    to: WorkDuration.zero.description)], on: db)
            }
            if !rows.isEmpty { try await plans.touchPlan(context, at: at, on: db) }
            return rows.count
        }
    }
}
