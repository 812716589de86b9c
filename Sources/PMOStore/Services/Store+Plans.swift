import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// A project's plan as read for one caller: what is stored, the WBS order, the computed schedule and what the caller may do.
public struct PlanView: Sendable {
    public var context: ProjectContext
    public var snapshot: PlanSnapshot
    public var rows: [WBSRow]
    public var schedulePlan: SchedulePlan
    public var result: ScheduleResult
    /// The computed dates by activity uid (built once per read).
    public var scheduledByUID: [Int: ScheduledActivity]
    /// Bumped by every change to the plan: the computed schedule's ETag.
    public var version: Int
    public var activityVersions: [Int: Int]
    public var userNames: [UUID: String]
    public var companyNames: [UUID: String]
    /// The titles of the registered systems the activities name, as far as the caller may see them.
    public var systemNames: [Int: String] = [:]
    public var hasFeed: Bool

    /// Admins, the PMO and PMs edit the plan's structure.
    public var canEdit: Bool { PlanAccess.canEdit(context.actor) }
    /// Whether the caller may record progress on `a`.
    public func canUpdateProgress(_ a: PlanActivity) -> Bool { PlanAccess.canUpdateProgress(context.actor, a) }
    /// Whether the caller may see `a`'s budget and costs (a vendor sees only its own company's).
    public func canSeeCost(_ a: PlanActivity) -> Bool { PlanAccess.canSeeCost(context.actor, companyID: a.companyID) }

    public func scheduled(_ uid: Int) -> ScheduledActivity? { scheduledByUID[uid] }
    /// An activity's system as people read it: the registered system's title (its reference when the caller may not
    /// see it), or the free text as written.
    public func systemLabel(_ a: PlanActivity) -> String {
        guard let n = a.systemNumber else { return a.system }
        return systemNames[n] ?? a.system
    }
    /// Each row's % complete, budget and actual cost as the caller may see them: a summary's rolled up from its tasks.
    public func rolledUp() -> [Int: RolledUpFigures] {
        PlanRollUp.figures(rows: rows, rates: snapshot.rates, weighting: snapshot.progressWeighting, canSeeCost: canSeeCost)
    }
    public func row(_ uid: Int) -> WBSRow? { rows.first { $0.activity.uid == uid } }

    /// The engine's plan with the costs the caller may not see set to zero (for exports: a vendor sees only its own
    /// company's costs).
    public var visibleSchedulePlan: SchedulePlan {
        var plan = schedulePlan
        let byUID = Dictionary(snapshot.activities.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })
        for i in plan.activities.indices {
            guard let a = byUID[plan.activities[i].id.rawValue], !canSeeCost(a) else { continue }
            plan.activities[i].budgetedCost = 0
            plan.activities[i].actualCost = 0
            for j in plan.activities[i].baselines.indices { plan.activities[i].baselines[j].cost = nil }
        }
        // A vendor reads another company's people as numbers, never names, e-mails or rates.
        if context.actor.role == .vendor && !context.actor.isSystemAdmin {
            for i in plan.resources.indices {
                let company = snapshot.resourceCompanies[plan.resources[i].id.rawValue]
                guard let company, company != context.actor.companyID else { continue }
                plan.resources[i].name = "Resource \(plan.resources[i].id.rawValue)"
                plan.resources[i].email = ""
                plan.resources[i].standardRatePerHour = 0
            }
        }
        return plan
    }
}

/// Who may do what to a plan. The plan's dates are shared with every member (it is the master schedule everyone
/// hangs from); costs are commercial data, so a vendor sees only its own company's.
public enum PlanAccess {
    public static func canEdit(_ actor: AccessPolicy.Actor) -> Bool {
        actor.isSystemAdmin || [.admin, .pmo, .pm].contains(actor.role)
    }

    /// PMO, PMs and admins update any activity; members the ones they own; vendors their company's.
    public static func canUpdateProgress(_ actor: AccessPolicy.Actor, _ a: PlanActivity) -> Bool {
        canUpdateProgress(actor, ownerID: a.ownerID, companyID: a.companyID)
    }

    public static func canUpdateProgress(_ actor: AccessPolicy.Actor, ownerID: UserID?, companyID: CompanyID?) -> Bool {
        if canEdit(actor) { return true }
        switch actor.role {
        case .member: return ownerID == actor.userID
        case .vendor: return companyID == actor.companyID || ownerID == actor.userID
        default: return false
        }
    }

    /// Files on an activity (estimates, specifications, review records) are commercial like its costs: a vendor sees
    /// those of its own company's activities and of the ones it owns, everyone else every activity's.
    public static func canSeeFiles(_ actor: AccessPolicy.Actor, ownerID: UserID?, companyID: CompanyID?) -> Bool {
        canSeeCost(actor, companyID: companyID) || (actor.role != nil && ownerID == actor.userID)
    }

    public static func canSeeCost(_ actor: AccessPolicy.Actor, companyID: CompanyID?) -> Bool {
        if actor.isSystemAdmin || actor.role != .vendor { return actor.isSystemAdmin || actor.role != nil }
        return companyID == actor.companyID
    }
}

extension PlanService {
    /// The plan of project `key`, scheduled. A project without a plan yet reads as an empty plan on the default calendar.
    ///
    /// The computed schedule is kept in `planCache` by plan version: a read asks the database for the version (one
    /// indexed row), and recomputes only when the plan changed since, here or on another instance.
    public func view(_ caller: Caller, key: String) async throws -> PlanView {
        try await cachedView(try await projectContext(caller, key: key))
    }

    /// The plan of `context`'s project through the cache (see `view`).
    func cachedView(_ context: ProjectContext) async throws -> PlanView {
        let pid = context.projectID
        guard let version = try await planVersion(pid, on: db) else {
            return try await planView(context, on: db)   // no plan yet: an empty plan, cheap to build
        }
        if let cached = planCache.plan(pid, version: version) {
            return try await planView(context, cached, on: db)
        }
        let computed = try await computePlan(context, on: db)
        // Kept only when no write landed while the rows were read (every plan write bumps the version).
        if computed.version == version, try await planVersion(pid, on: db) == version {
            planCache.store(computed, project: pid)
        }
        return try await planView(context, computed, on: db)
    }

    /// The plan's version as stored now, or nil when the project has no plan row yet.
    func planVersion(_ projectID: UUID, on db: any Database) async throws -> Int? {
        try await db.sql().raw("SELECT version FROM plans WHERE project_id = \(bind: projectID)").first()?
            .decode(column: "version", as: Int.self)
    }

    /// The plan read and scheduled from the database as `db` sees it (inside a transaction: with its own changes).
    func planView(_ context: ProjectContext, on db: any Database) async throws -> PlanView {
        try await planView(context, try await computePlan(context, on: db), on: db)
    }

    func computePlan(_ context: ProjectContext, on db: any Database) async throws -> ComputedPlan {
        let (snapshot, version, versions, hasFeed) = try await loadPlan(context, on: db)
        let rows = snapshot.wbs()
        let plan = snapshot.schedulePlan(rows: rows)
        let result = CriticalPath.schedule(plan)
        return ComputedPlan(snapshot: snapshot, rows: rows, schedulePlan: plan, result: result,
                            scheduledByUID: Dictionary(result.activities.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a }),
                            version: version, activityVersions: versions, hasFeed: hasFeed)
    }

    /// The caller's view of a computed plan: names are read fresh (a renamed user does not change the plan).
    func planView(_ context: ProjectContext, _ computed: ComputedPlan, on db: any Database) async throws -> PlanView {
        var userIDs = Set<UUID>()
        var companyIDs = Set<UUID>(computed.snapshot.companies.map(\.companyID.rawValue))
        for a in computed.snapshot.activities {
            if let o = a.ownerID { userIDs.insert(o.rawValue) }
            if let c = a.companyID { companyIDs.insert(c.rawValue) }
        }
        let (userNames, companyNames) = try await names(users: userIDs, companies: companyIDs, on: db)
        var systemNames: [Int: String] = [:]
        if computed.snapshot.activities.contains(where: { $0.systemNumber != nil }) {
            for row in try await store.items.rows(context, ItemRowFilter(types: [.system]), on: db) { systemNames[row.number] = row.title }
        }
        return PlanView(
            context: context, snapshot: computed.snapshot, rows: computed.rows, schedulePlan: computed.schedulePlan,
            result: computed.result, scheduledByUID: computed.scheduledByUID, version: computed.version,
            activityVersions: computed.activityVersions, userNames: userNames, companyNames: companyNames,
            systemNames: systemNames, hasFeed: computed.hasFeed)
    }

    /// The project's default calendar: the Japanese office calendar with the organisation's year-end closures.
    static func defaultProjectCalendar(around year: Int) -> WorkCalendar {
        var c = WorkCalendar.japan
        c.name = "プロジェクト標準 / Project standard"
        c.exceptions = WorkCalendar.yearEndClosure(firstYear: year - 2, lastYear: year + 10, name: "年末年始 / Year-end closure")
        return c
    }

    /// Everything stored about the plan, plus its version, each activity's version and whether a feed token is set.
    func loadPlan(_ context: ProjectContext, on db: any Database) async throws
        -> (PlanSnapshot, Int, [Int: Int], Bool)
    {
        let sql = try db.sql()
        let pid = context.projectID
        let header = try await sql.raw("SELECT * FROM plans WHERE project_id = \(bind: pid)").first()
        let projectStart = context.project.startDate.flatMap(CivilDate.init(iso:))
            ?? CivilDate(now(), in: TimeZone.japan)
        var calendars = try await sql.raw("SELECT * FROM plan_calendars WHERE project_id = \(bind: pid) ORDER BY uid").all().map { row in
            let uid = try row.decode(column: "uid", as: Int.self)
            let cal = CalendarCodec.decode(try row.decode(column: "definition", as: String.self), uid: uid)
                ?? PlanService.defaultProjectCalendar(around: projectStart.year)
            return PlanCalendar(uid: uid, calendar: cal, baseUID: try row.decode(column: "base_uid", as: Int?.self),
                                companyID: try row.decode(column: "company_id", as: UUID?.self).map(CompanyID.init))
        }
        if calendars.isEmpty {
            var c = PlanService.defaultProjectCalendar(around: projectStart.year)
            c.id = WorkCalendar.ID(1)
            calendars = [PlanCalendar(uid: 1, calendar: c)]
        }
        let companies = try await sql.raw("SELECT * FROM plan_companies WHERE project_id = \(bind: pid)").all().map { row in
            PlanCompanyTerms(companyID: CompanyID(try row.decode(column: "company_id", as: UUID.self)),
                             hourlyRate: PlanRows.money(try row.decode(column: "hourly_rate", as: Double?.self)),
                             calendarUID: try row.decode(column: "calendar_uid", as: Int?.self))
        }
        let phases = try await sql.raw("SELECT * FROM plan_phases WHERE project_id = \(bind: pid) ORDER BY position").all().map { row in
            PlanPhase(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                      definition: try row.decode(column: "definition", as: String.self),
                      exitCriteria: try row.decode(column: "exit_criteria", as: String.self))
        }
        var activities: [PlanActivity] = []
        var versions: [Int: Int] = [:]
        let activityColumns = SQLQueryString(RowReader.select(PlanRows.activityColumns))
        for row in try await db.readRows("SELECT \(activityColumns) FROM plan_activities WHERE project_id = \(bind: pid)",
                                         columns: PlanRows.activityColumns) {
            let (a, v, _) = try PlanRows.activity(row)
            activities.append(a)
            versions[a.uid] = v
        }
        let dependencyColumns = SQLQueryString(RowReader.select(PlanRows.dependencyColumns))
        let dependencies = try await db.readRows("SELECT \(dependencyColumns) FROM plan_dependencies WHERE project_id = \(bind: pid)",
                                                 columns: PlanRows.dependencyColumns).map(PlanRows.dependency)
        let baselines = try await loadBaselines(projectID: pid, on: db)
        let resourcePart = try await self.resourcePart(projectID: pid, on: db)
        if !resourcePart.delays.isEmpty {
            for i in activities.indices { activities[i].levelingDelay = resourcePart.delays[activities[i].uid] ?? .zero }
        }
        let effortDriven = try await effortDrivenUIDs(projectID: pid, on: db)
        if !effortDriven.isEmpty {
            for i in activities.indices { activities[i].effortDriven = effortDriven.contains(activities[i].uid) }
        }
        let snapshot = PlanSnapshot(
            name: try header?.decode(column: "name", as: String.self) ?? context.project.name,
            start: try header.flatMap { try LocalTime(iso: $0.decode(column: "start_date", as: String.self)) } ?? LocalTime(date: projectStart),
            statusDate: try header?.decode(column: "status_date", as: String?.self).flatMap(CivilDate.init(iso:)),
            minutesPerDay: try header?.decode(column: "minutes_per_day", as: Int.self) ?? 480,
            // The column is M013's; a database at an earlier schema (the filled-migration tests load the demo there) has
            // none, and its plans weigh by duration as they always did.
            progressWeighting: ((try? header?.decode(column: "progress_weighting", as: String?.self)) ?? nil)
                .flatMap(ProgressWeighting.init(rawValue:)) ?? .duration,
            defaultCalendarUID: try header?.decode(column: "default_calendar_uid", as: Int.self) ?? calendars[0].uid,
            calendars: calendars, companies: companies, activities: activities, dependencies: dependencies,
            baselines: baselines, phases: phases, resources: resourcePart.resources, assignments: resourcePart.assignments,
            resourceCompanies: resourcePart.companies)
        return (snapshot, try header?.decode(column: "version", as: Int.self) ?? 0, versions,
                try header?.decode(column: "feed_token_hash", as: String?.self) != nil)
    }

    func loadBaselines(projectID: UUID, on db: any Database) async throws -> [PlanBaseline] {
        let sql = try db.sql()
        let heads = try await sql.raw("SELECT id, number, name, taken_on FROM plan_baselines WHERE project_id = \(bind: projectID) ORDER BY number").all()
        guard !heads.isEmpty else { return [] }
        var entries: [UUID: [PlanBaseline.Entry]] = [:]
        // Read by position: a baseline of a large plan has thousands of entries.
        let columns = ["baseline_id", "uid", "start_at", "finish_at", "duration_minutes", "duration_elapsed", "cost"]
        let select = SQLQueryString(RowReader.select(columns, alias: "e"))
        for r in try await db.readRows("""
            SELECT \(select) FROM plan_baseline_entries e JOIN plan_baselines b ON b.id = e.baseline_id WHERE b.project_id = \(bind: projectID)
            """, columns: columns) {
            let elapsed = try r.bool(5)
            entries[try r.uuid(0), default: []].append(PlanBaseline.Entry(
                uid: try r.int(1), start: PlanRows.time(try r.intOrNil(2)), finish: PlanRows.time(try r.intOrNil(3)),
                duration: try r.intOrNil(4).map { WorkDuration(minutes: $0, kind: elapsed ? .elapsed : .working) },
                cost: PlanRows.money(try r.doubleOrNil(6))))
        }
        return try heads.map { row in
            PlanBaseline(number: try row.decode(column: "number", as: Int.self), name: try row.decode(column: "name", as: String.self),
                         takenOn: CivilDate(iso: try row.decode(column: "taken_on", as: String.self)) ?? CivilDate(dayNumber: 0),
                         entries: entries[try row.decode(column: "id", as: UUID.self)] ?? [])
        }
    }

    /// Starts a plan transaction: the caller's context, the plan's header row created if missing and locked, so that
    /// two writers of one plan queue up (a cycle check must see the links the other writer adds).
    func beginPlanWrite(_ caller: Caller, key: String, on db: any Database, requireEdit: Bool = true) async throws -> ProjectContext {
        let context = try await projectContext(caller, key: key, on: db)
        if requireEdit && !PlanAccess.canEdit(context.actor) {
            throw DomainError.forbidden("plan.edit_forbidden", "Only the PMO, project managers and admins change the plan of \(key).")
        }
        let sql = try db.sql()
        let pid = context.projectID
        if try await sql.raw("SELECT id FROM plans WHERE project_id = \(bind: pid)").first() == nil {
            let start = context.project.startDate.flatMap(CivilDate.init(iso:)) ?? CivilDate(now(), in: TimeZone.japan)
            try await sql.raw("""
                INSERT INTO plans (id, project_id, name, start_date, status_date, minutes_per_day, default_calendar_uid, next_uid,
                  feed_token_hash, version, updated_at)
                VALUES (\(bind: UUID()), \(bind: pid), \(bind: context.project.name), \(bind: start.description), NULL, 480, 1, 1, NULL, 0,
                  \(bind: now())) ON CONFLICT (project_id) DO NOTHING
                """).run()
            if try await sql.raw("SELECT id FROM plan_calendars WHERE project_id = \(bind: pid) AND uid = 1").first() == nil {
                try await sql.raw("""
                    INSERT INTO plan_calendars (id, project_id, uid, definition, base_uid, company_id)
                    VALUES (\(bind: UUID()), \(bind: pid), 1, \(bind: CalendarCodec.encode(PlanService.defaultProjectCalendar(around: start.year))), NULL, NULL)
                    """).run()
            }
        }
        if !isSQLite { try await sql.raw("SELECT id FROM plans WHERE project_id = \(bind: pid) FOR UPDATE").run() }
        return context
    }

    /// Marks the plan changed: its version moves on, so cached schedules and ETags of the schedule go stale.
    func touchPlan(_ context: ProjectContext, at: Date, on db: any Database) async throws {
        try await db.sql().raw(
            "UPDATE plans SET version = version + 1, updated_at = \(bind: at) WHERE project_id = \(bind: context.projectID)").run()
    }

    /// Takes the next `count` activity uids of the plan.
    func takeUIDs(_ context: ProjectContext, count: Int, on db: any Database) async throws -> Int {
        let sql = try db.sql()
        let row = try await sql.raw("SELECT next_uid FROM plans WHERE project_id = \(bind: context.projectID)").first()
        var next = try row?.decode(column: "next_uid", as: Int.self) ?? 1
        // Imported uids may sit above the counter: never hand out one in use.
        if let maxRow = try await sql.raw("SELECT MAX(uid) AS m FROM plan_activities WHERE project_id = \(bind: context.projectID)").first(),
           let m = try maxRow.decode(column: "m", as: Int?.self) {
            next = max(next, m + 1)
        }
        try await sql.raw("UPDATE plans SET next_uid = \(bind: next + count) WHERE project_id = \(bind: context.projectID)").run()
        return next
    }
}
