import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// What an import of a whole plan does (preview) or did.
public struct PlanImportSummary: Sendable {
    public var projectKey: String
    public var activities: Int
    public var links: Int
    public var calendars: [String]
    public var baselines: [Int]
    /// The imported rows as they schedule in the project (up to 200 for a preview).
    public var rows: [(outline: String, name: String, start: LocalTime?, finish: LocalTime?, isCritical: Bool)]
    /// Schedule conflicts the imported plan has (a constraint that cannot hold, a missed deadline...): imported anyway.
    public var problems: [ScheduleDiagnostic]
    public var applied: Bool
    /// The file's resources with assignments, and the resource each became (matched by e-mail or name, or a new
    /// placeholder).
    public var resources: [ResourceMatch] = []
}

struct PlanImportRollback: Error { var summary: PlanImportSummary }

extension PlanService {
    /// Imports `plan` (read from a Microsoft Project file) into project `key` under activity `parentUID` (the top level
    /// when nil), or into a new project when `newProject` is given. All or nothing: any error imports nothing.
    /// With `apply` false the import runs in full and is rolled back, so the preview is exactly what applying does.
    public func importPlan(_ caller: Caller, key: String, newProject: ProjectFields? = nil, parentUID: Int? = nil,
                           plan: SchedulePlan, apply: Bool) async throws -> PlanImportSummary {
        let at = now()
        if newProject != nil { try store.requireAdmin(caller) }
        try newProject?.validate()
        try PlanService.checkImport(plan)
        do {
            return try await write { db in
                if let newProject { _ = try await store.projects.insertProject(newProject, caller: caller, at: at, on: db) }
                let projectKey = newProject?.key ?? key
                let context = try await beginPlanWrite(caller, key: projectKey, on: db)
                let summary = try await insertImported(plan, context: context, caller: caller, parentUID: parentUID, at: at, on: db)
                if !apply { var preview = summary; preview.applied = false; throw PlanImportRollback(summary: preview) }
                return summary
            }
        } catch let rollback as PlanImportRollback {
            return rollback.summary
        }
    }

    /// Problems that make a file unimportable, all listed at once: links to missing tasks, loops, names too long.
    static func checkImport(_ plan: SchedulePlan) throws {
        var errors = FieldErrors()
        if plan.activities.isEmpty { errors.add("file", "empty", "The file has no tasks to import.") }
        if plan.activities.count > 50_000 { errors.add("file", "too_many_tasks", "The file has \(plan.activities.count) tasks; at most 50,000 can be imported.") }
        let ids = Set(plan.activities.map(\.id))
        for d in plan.dependencies {
            for end in [d.predecessor, d.successor] where !ids.contains(end) {
                errors.add("links", "missing_task", "A link names task UID \(end), which is not in the file (link \(d.predecessor) → \(d.successor)).")
            }
        }
        for a in plan.activities where a.name.count > PlanRules.nameMax {
            errors.add("tasks", "name_too_long", "Task UID \(a.id) has a name longer than \(PlanRules.nameMax) characters.")
        }
        try errors.throwIfAny("plan.import_invalid")
        let result = CriticalPath.schedule(plan)
        if let cycle = result.diagnostics.first(where: { $0.code == .cycle }) {
            let names = Dictionary(plan.activities.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let path = cycle.activities.map { "\(names[$0] ?? "?") (UID \($0))" }.joined(separator: " → ")
            throw DomainError.invalid("plan.import_invalid", [FieldError(field: "links", code: "cycle", message: "The file's links make a loop: \(path).", subjects: [path])])
        }
    }

    func insertImported(_ plan: SchedulePlan, context: ProjectContext, caller: Caller, parentUID: Int?, at: Date,
                        on db: any Database) async throws -> PlanImportSummary {
        let sql = try db.sql()
        let pid = context.projectID
        let (snapshot, _, _, _) = try await loadPlan(context, on: db)
        if let parentUID, !snapshot.activities.contains(where: { $0.uid == parentUID }) {
            throw DomainError.invalid("plan.invalid", [FieldError(field: "parentUid", code: "not_found",
                message: "There is no activity \(parentUID) in \(context.project.key) to import under.")])
        }
        let intoEmpty = snapshot.activities.isEmpty && parentUID == nil
        // Calendars: each file calendar becomes a new plan calendar.
        let maxCal = try await sql.raw("SELECT MAX(uid) AS m FROM plan_calendars WHERE project_id = \(bind: pid)").first()
        var nextCal = (try maxCal?.decode(column: "m", as: Int?.self) ?? 0) + 1
        var calendarMap: [WorkCalendar.ID: Int] = [:]
        for c in plan.calendars {
            calendarMap[c.id] = nextCal
            try PlanService.checkCalendar(c)
            try await sql.raw("""
                INSERT INTO plan_calendars (id, project_id, uid, definition, base_uid, company_id)
                VALUES (\(bind: UUID()), \(bind: pid), \(bind: nextCal), \(bind: CalendarCodec.encode(c)), NULL, NULL)
                """).run()
            nextCal += 1
        }
        let importedDefault = calendarMap[plan.defaultCalendarID]
        if intoEmpty {
            try await sql.raw("""
                UPDATE plans SET name = \(bind: plan.name.isEmpty ? context.project.name : String(plan.name.prefix(PlanRules.nameMax))),
                  start_date = \(bind: plan.start.description), minutes_per_day = \(bind: plan.minutesPerDay),
                  default_calendar_uid = \(bind: importedDefault ?? snapshot.defaultCalendarUID)
                WHERE project_id = \(bind: pid)
                """).run()
            // A status instant is "as of" it: midnight is the end of the day before (as exported, see PlanSnapshot.endOfDay).
            if let s = plan.statusDate {
                let day = s.adding(minutes: -1).date
                try await sql.raw("UPDATE plans SET status_date = \(bind: day.description) WHERE project_id = \(bind: pid)").run()
                // Remembered like a status date set by hand, so the earned-value trend and the review include it.
                try await sql.raw("""
                    INSERT INTO plan_status_dates (id, project_id, status_date, set_by_id, set_at)
                    VALUES (\(bind: UUID()), \(bind: pid), \(bind: day.description), \(bind: caller.userID), \(bind: at))
                    """).run()
            }
        }
        // Activities: new uids in file order, parents mapped, the branch placed after the parent's last child.
        let first = try await takeUIDs(context, count: plan.activities.count, on: db)
        var uidMap: [Activity.ID: Int] = [:]
        for (i, a) in plan.activities.enumerated() { uidMap[a.id] = first + i }
        var nextPosition: [Int?: Int] = [:]
        let topPosition = (snapshot.activities.filter { $0.parentUID == parentUID }.map(\.position).max() ?? -1) + 1
        let statusDay = plan.statusDate?.adding(minutes: -1).date ?? snapshot.statusDate ?? CivilDate(at, in: TimeZone.japan)
        for (i, a) in plan.activities.enumerated() {
            let parent = a.parent.flatMap { uidMap[$0] } ?? parentUID
            let position = nextPosition[parent] ?? (parent == parentUID ? topPosition : 0)
            nextPosition[parent] = position + 1
            let calendar = a.calendarID.flatMap { calendarMap[$0] } ?? (intoEmpty ? nil : importedDefault)
            let item = PlanActivity(
                uid: first + i, parentUID: parent, position: position, name: a.name.isEmpty ? "(no name)" : a.name,
                kind: a.kind, duration: a.duration, constraint: a.constraint, deadline: a.deadline, calendarUID: calendar,
                costBasis: .fixed, budgetAmount: Money(rounding: max(0, a.budgetedCost)) ?? .zero, manualStart: a.manualStart, manualFinish: a.manualFinish,
                progress: a.progress, actualCost: a.actualCost > 0 ? Money(rounding: a.actualCost) : nil,
                progressStatusDate: a.progress.actualStart != nil ? statusDay : nil)
            try await PlanRows.insert(item, projectID: pid, at: at, on: db)
            if item.progress.actualStart != nil || item.progress.percentComplete > 0 {
                try await insertProgress(item, context: context, caller: caller, statusDate: statusDay, at: at, on: db)
            }
        }
        for d in plan.dependencies {
            guard let p = uidMap[d.predecessor], let s = uidMap[d.successor] else { continue }
            try await PlanRows.insert(PlanDependency(predecessorUID: p, successorUID: s, kind: d.kind, lag: d.lag), projectID: pid, on: db)
        }
        let matches = try await store.resources.importAssignments(plan, uids: uidMap, context: context, caller: caller, at: at, on: db)
        // Levelling delays come with their activities (MS Project's Leveling Delay).
        if try await store.hasMigrated("M025CreateResources", on: db) {
            for a in plan.activities where a.levelingDelay != .zero {
                guard let uid = uidMap[a.id] else { continue }
                try await sql.raw("""
                    INSERT INTO plan_leveling_delays (project_id, uid, minutes, elapsed)
                    VALUES (\(bind: pid), \(bind: uid), \(bind: a.levelingDelay.minutes), \(bind: a.levelingDelay.kind == .elapsed))
                    """).run()
            }
        }
        if try await store.hasMigrated("M026EffortDriven", on: db) {
            for a in plan.activities where a.effortDriven {
                guard let uid = uidMap[a.id] else { continue }
                try await sql.raw("INSERT INTO plan_effort_driven (project_id, uid) VALUES (\(bind: pid), \(bind: uid))").run()
            }
        }
        // Baselines: entries join the plan's baseline of the same number, which is created when missing.
        var numbers = Set<Int>()
        for a in plan.activities { for b in a.baselines { numbers.insert(b.number) } }
        for n in numbers.sorted() {
            let entries = plan.activities.compactMap { a -> PlanBaseline.Entry? in
                guard let b = a.baselines.first(where: { $0.number == n }), b.start != nil || b.finish != nil else { return nil }
                guard let uid = uidMap[a.id] else { return nil }
                return PlanBaseline.Entry(uid: uid, start: b.start, finish: b.finish, duration: b.duration, cost: b.cost.flatMap { Money(rounding: $0) })
            }
            if let existing = try await sql.raw("SELECT id FROM plan_baselines WHERE project_id = \(bind: pid) AND number = \(bind: n)").first() {
                let id = try existing.decode(column: "id", as: UUID.self)
                for e in entries {
                    try await sql.raw("""
                        INSERT INTO plan_baseline_entries (id, baseline_id, uid, start_at, finish_at, duration_minutes, duration_elapsed, cost)
                        VALUES (\(bind: UUID()), \(bind: id), \(bind: e.uid), \(bind: e.start?.minutes), \(bind: e.finish?.minutes),
                          \(bind: e.duration?.minutes), \(bind: e.duration?.kind == .elapsed), \(bind: e.cost?.approximate))
                        """).run()
                }
            } else {
                try await insertBaseline(PlanBaseline(number: n, name: "Microsoft Project baseline \(n)",
                                                      takenOn: CivilDate(at, in: TimeZone.japan), entries: entries),
                                         context: context, caller: caller, at: at, on: db)
            }
        }
        try await touchPlan(context, at: at, on: db)
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: pid, entityType: "plan", entityID: pid, action: "import",
                                  version: 1, changes: [FieldChange(field: "activities", from: nil, to: String(plan.activities.count))])
        // The result as it schedules in the project.
        let view = try await planView(context, on: db)
        let imported = Set(uidMap.values)
        let scheduled = view.scheduledByUID
        let rows = view.rows.filter { imported.contains($0.activity.uid) }.prefix(200).map { r in
            (outline: r.outline, name: r.activity.name, start: scheduled[r.activity.uid]?.start, finish: scheduled[r.activity.uid]?.finish,
             isCritical: scheduled[r.activity.uid]?.isCritical ?? false)
        }
        let problems = view.result.diagnostics.filter { d in d.activities.contains { imported.contains($0.rawValue) } }
        return PlanImportSummary(projectKey: context.project.key, activities: plan.activities.count, links: plan.dependencies.count,
                                 calendars: plan.calendars.map(\.name), baselines: numbers.sorted(), rows: Array(rows),
                                 problems: problems, applied: true, resources: matches)
    }
}
