import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A resource asked of an activity.
public struct AssignmentInput: Sendable, Equatable {
    public var resourceID: UUID
    /// 100 = one full working day per working day of the activity.
    public var unitsPercent: Int
    /// Planned work, when given (hours × 60).
    public var workMinutes: Int?
    public init(resourceID: UUID, unitsPercent: Int = 100, workMinutes: Int? = nil) {
        self.resourceID = resourceID
        self.unitsPercent = unitsPercent
        self.workMinutes = workMinutes
    }
}

/// A resource assigned to an activity, as the plan's readers see it (a vendor sees another company's people as
/// "another company's resource", without a name).
public struct AssignmentView: Sendable, Equatable {
    public var activityUID: Int
    public var resourceID: UUID
    public var number: Int
    /// nil when the reader may not see the name.
    public var name: String?
    public var kind: ResourceKind
    public var companyID: UUID?
    public var unitsPercent: Int
    public var workMinutes: Int?
}

extension PlanService {
    static let assignmentColumns = ["activity_uid", "resource_id", "number", "name", "kind", "company_id", "units_percent", "work_minutes",
                                    "capacity_percent", "email"]
    /// `assignmentColumns` read from a plan's assignments (`a`) joined with their resources (`r`).
    static var assignmentSelect: SQLQueryString {
        SQLQueryString(RowReader.select(["a.activity_uid", "a.resource_id", "r.number", "r.name", "r.kind", "r.company_id",
                                         "a.units_percent", "a.work_minutes", "r.capacity_percent", "r.email"]))
    }

    /// Every assignment of the project's plan, by activity uid.
    public func assignments(_ caller: Caller, key: String) async throws -> [Int: [AssignmentView]] {
        let context = try await projectContext(caller, key: key)
        return try await assignments(context, on: db)
    }

    func assignments(_ context: ProjectContext, on db: any Database) async throws -> [Int: [AssignmentView]] {
        guard try await store.hasMigrated("M025CreateResources", on: db) else { return [:] }
        let select = Self.assignmentSelect
        let hideOthers = context.actor.role == .vendor && !context.actor.isSystemAdmin
        var out: [Int: [AssignmentView]] = [:]
        for r in try await db.readRows("""
            SELECT \(select) FROM plan_assignments a JOIN resources r ON r.id = a.resource_id
            WHERE a.project_id = \(bind: context.projectID) ORDER BY a.activity_uid, r.number
            """, columns: Self.assignmentColumns) {
            let company = try r.uuidOrNil(5)
            let hidden = hideOthers && company != nil && company != context.actor.companyID.rawValue
            out[try r.int(0), default: []].append(AssignmentView(
                activityUID: try r.int(0), resourceID: try r.uuid(1), number: try r.int(2), name: hidden ? nil : try r.string(3),
                kind: ResourceKind(rawValue: try r.string(4)) ?? .person, companyID: company, unitsPercent: try r.int(6),
                workMinutes: try r.intOrNil(7)))
        }
        return out
    }

    /// The engine's resources and assignments of a plan (every resource it assigns, by organisation-wide number), and
    /// its levelling delays by uid: what `loadPlan` adds to the snapshot.
    func resourcePart(projectID: UUID, on db: any Database) async throws
        -> (resources: [Resource], assignments: [ResourceAssignment], delays: [Int: WorkDuration], companies: [Int: CompanyID])
    {
        guard try await store.hasMigrated("M025CreateResources", on: db) else { return ([], [], [:], [:]) }
        let select = Self.assignmentSelect
        var resources: [Int: Resource] = [:]
        var companies: [Int: CompanyID] = [:]
        var assignments: [ResourceAssignment] = []
        for r in try await db.readRows("""
            SELECT \(select) FROM plan_assignments a JOIN resources r ON r.id = a.resource_id
            WHERE a.project_id = \(bind: projectID) ORDER BY a.activity_uid, r.number
            """, columns: Self.assignmentColumns) {
            let number = try r.int(2)
            resources[number] = Resource(id: Resource.ID(number), name: try r.string(3), kind: .work,
                                         maxUnits: Double(try r.int(8)) / 100, email: try r.string(9))
            if let company = try r.uuidOrNil(5) { companies[number] = CompanyID(company) }
            assignments.append(ResourceAssignment(number: assignments.count + 1, activity: Activity.ID(try r.int(0)),
                                                  resource: Resource.ID(number), units: Double(try r.int(6)) / 100,
                                                  workMinutes: try r.intOrNil(7) ?? 0))
        }
        var delays: [Int: WorkDuration] = [:]
        for row in try await db.sql().raw("SELECT uid, minutes, elapsed FROM plan_leveling_delays WHERE project_id = \(bind: projectID)").all() {
            delays[try row.decode(column: "uid", as: Int.self)] = WorkDuration(
                minutes: try row.decode(column: "minutes", as: Int.self),
                kind: try row.decode(column: "elapsed", as: Bool.self) ? .elapsed : .working)
        }
        return (resources.values.sorted { $0.id < $1.id }, assignments, delays, companies)
    }

    /// The effort-driven activities of a plan, by uid.
    func effortDrivenUIDs(projectID: UUID, on db: any Database) async throws -> Set<Int> {
        guard try await store.hasMigrated("M026EffortDriven", on: db) else { return [] }
        return Set(try await db.sql().raw("SELECT uid FROM plan_effort_driven WHERE project_id = \(bind: projectID)").all()
            .map { try $0.decode(column: "uid", as: Int.self) })
    }

    /// Whether activity `uid` is effort-driven (one row, for the write paths).
    func isEffortDriven(projectID: UUID, uid: Int, on db: any Database) async throws -> Bool {
        guard try await store.hasMigrated("M026EffortDriven", on: db) else { return false }
        return try await db.sql().raw("SELECT uid FROM plan_effort_driven WHERE project_id = \(bind: projectID) AND uid = \(bind: uid)").first() != nil
    }

    /// Inside a plan write: removes what belongs to a deleted activity besides its row and links (its assignments,
    /// levelling delay and effort-driven mark), so that a resource it used can be deleted.
    func deleteActivityParts(projectID: UUID, uid: Int, on db: any Database) async throws {
        guard try await store.hasMigrated("M025CreateResources", on: db) else { return }
        let sql = try db.sql()
        try await sql.raw("DELETE FROM plan_assignments WHERE project_id = \(bind: projectID) AND activity_uid = \(bind: uid)").run()
        try await sql.raw("DELETE FROM plan_leveling_delays WHERE project_id = \(bind: projectID) AND uid = \(bind: uid)").run()
        guard try await store.hasMigrated("M026EffortDriven", on: db) else { return }
        try await sql.raw("DELETE FROM plan_effort_driven WHERE project_id = \(bind: projectID) AND uid = \(bind: uid)").run()
    }

    /// What `setAssignments` did: the activity's resources, whether it is effort-driven, and its duration afterwards.
    public struct AssignmentsResult: Sendable, Equatable {
        public var assignments: [AssignmentView]
        public var effortDriven: Bool
        public var duration: WorkDuration
    }

    /// Replaces the resources assigned to activity `uid` (an empty list removes them all). A person or placeholder
    /// must belong to a company the project works with (its members' or its plan's); equipment goes anywhere.
    /// `effortDriven`, when given, turns effort-driven scheduling on or off for the activity first; on an effort-driven
    /// activity a change of the total units changes the duration so that the work stays (`EffortDriven`).
    public func setAssignments(_ caller: Caller, key: String, uid: Int, _ inputs: [AssignmentInput],
                               effortDriven: Bool? = nil) async throws -> AssignmentsResult {
        let at = now()
        return try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            try await replaceAssignments(context, uid: uid, inputs, effortDriven: effortDriven, caller: caller, at: at, on: db)
            try await touchPlan(context, at: at, on: db)
            let row = try await db.sql().raw("""
                SELECT duration_minutes, duration_elapsed FROM plan_activities WHERE project_id = \(bind: context.projectID) AND uid = \(bind: uid)
                """).first()
            return AssignmentsResult(
                assignments: try await assignments(context, on: db)[uid] ?? [],
                effortDriven: try await isEffortDriven(projectID: context.projectID, uid: uid, on: db),
                duration: WorkDuration(minutes: try row?.decode(column: "duration_minutes", as: Int.self) ?? 0,
                                       kind: try row?.decode(column: "duration_elapsed", as: Bool.self) == true ? .elapsed : .working))
        }
    }

    /// Inside a plan write: checks and stores one activity's assignments.
    func replaceAssignments(_ context: ProjectContext, uid: Int, _ inputs: [AssignmentInput], effortDriven: Bool? = nil,
                            caller: Caller, at: Date, on db: any Database) async throws {
        let sql = try db.sql()
        guard let activity = try await sql.raw("""
            SELECT kind, duration_minutes, duration_elapsed, percent_complete FROM plan_activities
            WHERE project_id = \(bind: context.projectID) AND uid = \(bind: uid)
            """).first() else {
            throw DomainError.notFound("plan.activity_not_found", "The plan of \(context.project.key) has no activity \(uid).", subjects: ["\(uid)"])
        }
        let hasChildren = try await sql.raw("""
            SELECT uid FROM plan_activities WHERE project_id = \(bind: context.projectID) AND parent_uid = \(bind: uid)
            """).first() != nil
        var e = FieldErrors()
        let isSummary = try activity.decode(column: "kind", as: String.self) == Activity.Kind.summary.rawValue
        if hasChildren || isSummary, !inputs.isEmpty {
            e.add("assignments", "summary", "A summary is the sum of its rows; assign resources to the activities under it.")
        }
        let companies = try await store.resources.projectCompanies(context.projectID, on: db)
        if inputs.count > 50 { e.add("assignments", "too_many", "An activity takes at most 50 resources.") }
        var seen = Set<UUID>()
        for (i, input) in inputs.enumerated() {
            let field = "assignments[\(i)]"
            if !seen.insert(input.resourceID).inserted {
                e.add("\(field).resourceId", "duplicate", "The same resource is listed twice; give it once with its total units.")
            }
            if input.unitsPercent <= 0 || input.unitsPercent > ResourceRules.maxPercent {
                e.add("\(field).units", "out_of_range", "Units are a percentage of a working day above 0 (100 = full time), at most \(ResourceRules.maxPercent).")
            }
            if let work = input.workMinutes, work < 0 || work > 100_000_000 {
                e.add("\(field).workHours", "out_of_range", "Work is zero or more hours.")
            }
            guard let row = try await sql.raw("SELECT name, kind, company_id FROM resources WHERE id = \(bind: input.resourceID)").first() else {
                e.add("\(field).resourceId", "unknown", "There is no such resource; pick one from the resource list.")
                continue
            }
            let company = try row.decode(column: "company_id", as: UUID?.self)
            if let company, !companies.contains(company) {
                let name = try row.decode(column: "name", as: String.self)
                e.add("\(field).resourceId", "outside_project",
                      "\(name) belongs to a company that does not work in \(context.project.key); add the company to the project (a member or the plan's companies) first.")
            }
        }
        try e.throwIfAny("plan.invalid_assignment")
        // The activity's resources as the audit trail shows them ("Aoi 100%").
        func described() async throws -> [String] {
            try await sql.raw("""
            SELECT r.name AS name, a.units_percent AS units FROM plan_assignments a JOIN resources r ON r.id = a.resource_id
            WHERE a.project_id = \(bind: context.projectID) AND a.activity_uid = \(bind: uid) ORDER BY r.number
            """).all().map { "\(try $0.decode(column: "name", as: String.self)) \(try $0.decode(column: "units", as: Int.self))%" }
        }
        let old = try await described()
        let oldShares = try await sql.raw("""
            SELECT units_percent, work_minutes FROM plan_assignments WHERE project_id = \(bind: context.projectID) AND activity_uid = \(bind: uid)
            """).all().map { EffortDriven.Share(unitsPercent: try $0.decode(column: "units_percent", as: Int.self),
                                                 workMinutes: try $0.decode(column: "work_minutes", as: Int?.self)) }
        try await setEffortDriven(context, uid: uid, effortDriven, caller: caller, at: at, on: db)
        // Effort-driven: the work stays, the duration follows the units (not for elapsed durations or finished work).
        let minutes = try activity.decode(column: "duration_minutes", as: Int.self)
        if try await isEffortDriven(projectID: context.projectID, uid: uid, on: db),
           try !activity.decode(column: "duration_elapsed", as: Bool.self),
           try activity.decode(column: "percent_complete", as: Double.self) < 100,
           let changed = EffortDriven.duration(durationMinutes: minutes, old: oldShares,
                                               new: inputs.map { EffortDriven.Share(unitsPercent: $0.unitsPercent, workMinutes: $0.workMinutes) }) {
            try await sql.raw("""
                UPDATE plan_activities SET duration_minutes = \(bind: changed), version = version + 1, updated_at = \(bind: at)
                WHERE project_id = \(bind: context.projectID) AND uid = \(bind: uid)
                """).run()
            try await auditActivity(context, caller: caller, uid: uid, at: at, action: "update",
                                    changes: [FieldChange(field: "duration", from: WorkDuration.working(minutes).description,
                                                          to: WorkDuration.working(changed).description)], on: db)
        }
        try await sql.raw("DELETE FROM plan_assignments WHERE project_id = \(bind: context.projectID) AND activity_uid = \(bind: uid)").run()
        for input in inputs {
            try await sql.raw("""
                INSERT INTO plan_assignments (id, project_id, activity_uid, resource_id, units_percent, work_minutes)
                VALUES (\(bind: UUID()), \(bind: context.projectID), \(bind: uid), \(bind: input.resourceID), \(bind: input.unitsPercent),
                  \(bind: input.workMinutes))
                """).run()
        }
        let new = try await described()
        if old != new {
            try await auditActivity(context, caller: caller, uid: uid, at: at, action: "assign",
                                    changes: [FieldChange(field: "resources", from: old.joined(separator: ", "), to: new.joined(separator: ", "))], on: db)
        }
    }

    /// Inside a plan write: marks activity `uid` effort-driven or not (nil: leaves it), with an audit entry.
    func setEffortDriven(_ context: ProjectContext, uid: Int, _ on: Bool?, caller: Caller, at: Date, on db: any Database) async throws {
        guard let on, try await store.hasMigrated("M026EffortDriven", on: db) else { return }
        let was = try await isEffortDriven(projectID: context.projectID, uid: uid, on: db)
        guard was != on else { return }
        let sql = try db.sql()
        if on {
            try await sql.raw("INSERT INTO plan_effort_driven (project_id, uid) VALUES (\(bind: context.projectID), \(bind: uid))").run()
        } else {
            try await sql.raw("DELETE FROM plan_effort_driven WHERE project_id = \(bind: context.projectID) AND uid = \(bind: uid)").run()
        }
        try await auditActivity(context, caller: caller, uid: uid, at: at, action: "update",
                                changes: [FieldChange(field: "effortDriven", from: String(was), to: String(on))], on: db)
    }
}
