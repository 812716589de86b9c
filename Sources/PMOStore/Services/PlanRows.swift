import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Reading and writing plan rows with plain SQL: a 5,000-activity plan is read on every page, so no model reflection.
enum PlanRows {
    static func time(_ m: Int?) -> LocalTime? { m.map(LocalTime.init(minutes:)) }

    /// An amount column as whole yen. The columns are REAL from before amounts were `Money`; M031 rounded what they held
    /// and every write since stores whole yen, so the rounding here only guards a value written by hand.
    static func money(_ d: Double?) -> Money? { d.flatMap { Money(rounding: $0) } }

    /// The columns `activity(_:)` reads, in this order.
    static let activityColumns = [
        "id", "uid", "parent_uid", "position", "name", "kind", "duration_minutes", "duration_elapsed", "constraint_kind",
        "constraint_at", "deadline_at", "calendar_uid", "owner_id", "company_id", "system", "phase_id", "cost_basis",
        "budget_amount", "effort_hours", "manual_start_at", "manual_finish_at", "actual_start_at", "actual_finish_at",
        "percent_complete", "remaining_minutes", "actual_cost", "actual_hours", "progress_status_date", "notes", "version",
    ]

    /// An activity from a row of `SELECT <activityColumns>`, read by position.
    static func activity(_ r: RowReader) throws -> (PlanActivity, version: Int, id: UUID) {
        let kind = ActivityConstraint.Kind(rawValue: try r.stringOrNil(8) ?? "") ?? .asSoonAsPossible
        let remaining = try r.intOrNil(24)
        let a = PlanActivity(
            uid: try r.int(1), parentUID: try r.intOrNil(2), position: try r.intOrNil(3) ?? 0,
            name: try r.stringOrNil(4) ?? "", kind: Activity.Kind(rawValue: try r.stringOrNil(5) ?? "") ?? .task,
            duration: WorkDuration(minutes: try r.intOrNil(6) ?? 0, kind: try r.bool(7) ? .elapsed : .working),
            constraint: ActivityConstraint(kind, date: time(try r.intOrNil(9))),
            deadline: time(try r.intOrNil(10)), calendarUID: try r.intOrNil(11),
            ownerID: try r.uuidOrNil(12).map(UserID.init), companyID: try r.uuidOrNil(13).map(CompanyID.init),
            system: try r.stringOrNil(14) ?? "", phaseID: try r.uuidOrNil(15),
            costBasis: CostBasis(rawValue: try r.stringOrNil(16) ?? "") ?? .fixed,
            budgetAmount: money(try r.doubleOrNil(17)) ?? .zero, effortHours: try r.doubleOrNil(18) ?? 0,
            manualStart: time(try r.intOrNil(19)), manualFinish: time(try r.intOrNil(20)),
            progress: ActivityProgress(actualStart: time(try r.intOrNil(21)), actualFinish: time(try r.intOrNil(22)),
                                       percentComplete: try r.doubleOrNil(23) ?? 0,
                                       remainingDuration: remaining.map { .working($0) }),
            actualCost: money(try r.doubleOrNil(25)), actualHours: try r.doubleOrNil(26) ?? 0,
            progressStatusDate: try r.stringOrNil(27).flatMap(CivilDate.init(iso:)),
            notes: try r.stringOrNil(28) ?? "")
        return (a, try r.intOrNil(29) ?? 1, try r.uuid(0))
    }

    /// The columns `dependency(_:)` reads, in this order.
    static let dependencyColumns = ["id", "predecessor_uid", "successor_uid", "kind", "lag_kind", "lag_value"]

    static func dependency(_ r: RowReader) throws -> PlanDependency {
        return PlanDependency(id: try r.uuid(0), predecessorUID: try r.int(1), successorUID: try r.int(2),
                              kind: Dependency.Kind(rawValue: try r.string(3)) ?? .finishToStart,
                              lag: lag(kind: try r.string(4), value: try r.double(5)))
    }

    static func insert(_ a: PlanActivity, id: UUID = UUID(), projectID: UUID, at: Date, on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO plan_activities (id, project_id, uid, parent_uid, position, name, kind, duration_minutes, duration_elapsed,
              constraint_kind, constraint_at, deadline_at, calendar_uid, owner_id, company_id, system, phase_id, cost_basis,
              budget_amount, effort_hours, manual_start_at, manual_finish_at, actual_start_at, actual_finish_at, percent_complete,
              remaining_minutes, actual_cost, actual_hours, progress_status_date, notes, version, created_at, updated_at)
            VALUES (\(bind: id), \(bind: projectID), \(bind: a.uid), \(bind: a.parentUID), \(bind: a.position), \(bind: a.name),
              \(bind: a.kind.rawValue), \(bind: a.duration.minutes), \(bind: a.duration.kind == .elapsed),
              \(bind: a.constraint.kind.rawValue), \(bind: a.constraint.date?.minutes), \(bind: a.deadline?.minutes),
              \(bind: a.calendarUID), \(bind: a.ownerID?.rawValue), \(bind: a.companyID?.rawValue), \(bind: a.system),
              \(bind: a.phaseID), \(bind: a.costBasis.rawValue), \(bind: a.budgetAmount.approximate), \(bind: a.effortHours),
              \(bind: a.manualStart?.minutes), \(bind: a.manualFinish?.minutes), \(bind: a.progress.actualStart?.minutes),
              \(bind: a.progress.actualFinish?.minutes), \(bind: a.progress.percentComplete),
              \(bind: a.progress.remainingDuration?.minutes), \(bind: a.actualCost?.approximate), \(bind: a.actualHours),
              \(bind: a.progressStatusDate?.description), \(bind: a.notes), 1, \(bind: at), \(bind: at))
            """).run()
    }

    /// Writes every field of `a` over the stored row and bumps its version.
    static func update(_ a: PlanActivity, projectID: UUID, at: Date, on db: any Database) async throws {
        try await db.sql().raw("""
            UPDATE plan_activities SET parent_uid = \(bind: a.parentUID), position = \(bind: a.position), name = \(bind: a.name),
              kind = \(bind: a.kind.rawValue), duration_minutes = \(bind: a.duration.minutes),
              duration_elapsed = \(bind: a.duration.kind == .elapsed), constraint_kind = \(bind: a.constraint.kind.rawValue),
              constraint_at = \(bind: a.constraint.date?.minutes), deadline_at = \(bind: a.deadline?.minutes),
              calendar_uid = \(bind: a.calendarUID), owner_id = \(bind: a.ownerID?.rawValue), company_id = \(bind: a.companyID?.rawValue),
              system = \(bind: a.system), phase_id = \(bind: a.phaseID), cost_basis = \(bind: a.costBasis.rawValue),
              budget_amount = \(bind: a.budgetAmount.approximate), effort_hours = \(bind: a.effortHours),
              manual_start_at = \(bind: a.manualStart?.minutes), manual_finish_at = \(bind: a.manualFinish?.minutes),
              actual_start_at = \(bind: a.progress.actualStart?.minutes), actual_finish_at = \(bind: a.progress.actualFinish?.minutes),
              percent_complete = \(bind: a.progress.percentComplete), remaining_minutes = \(bind: a.progress.remainingDuration?.minutes),
              actual_cost = \(bind: a.actualCost?.approximate), actual_hours = \(bind: a.actualHours),
              progress_status_date = \(bind: a.progressStatusDate?.description), notes = \(bind: a.notes),
              version = version + 1, updated_at = \(bind: at)
            WHERE project_id = \(bind: projectID) AND uid = \(bind: a.uid)
            """).run()
    }

    static func lag(kind: String, value: Double) -> DependencyLag {
        switch kind {
        case "elapsed": .elapsed(minutes: Int(value))
        case "percent": .percent(value)
        default: .working(minutes: Int(value))
        }
    }

    static func lagColumns(_ lag: DependencyLag) -> (String, Double) {
        switch lag {
        case .working(let m): ("working", Double(m))
        case .elapsed(let m): ("elapsed", Double(m))
        case .percent(let p): ("percent", p)
        }
    }

    static func insert(_ d: PlanDependency, projectID: UUID, on db: any Database) async throws {
        let (lagKind, lagValue) = lagColumns(d.lag)
        try await db.sql().raw("""
            INSERT INTO plan_dependencies (id, project_id, predecessor_uid, successor_uid, kind, lag_kind, lag_value)
            VALUES (\(bind: d.id), \(bind: projectID), \(bind: d.predecessorUID), \(bind: d.successorUID), \(bind: d.kind.rawValue),
              \(bind: lagKind), \(bind: lagValue))
            """).run()
    }

    /// An audit snapshot of an activity's fields as text.
    static func snapshot(_ a: PlanActivity) -> [String: String?] {
        [
            "name": a.name, "parent": a.parentUID.map(String.init), "position": String(a.position), "kind": a.kind.rawValue,
            "duration": a.duration.description, "constraint": a.constraint.kind.rawValue + (a.constraint.date.map { " \($0)" } ?? ""),
            "deadline": a.deadline?.description, "calendar": a.calendarUID.map(String.init),
            "owner": a.ownerID?.description, "company": a.companyID?.description, "system": a.system,
            "phase": a.phaseID?.uuidString.lowercased(), "costBasis": a.costBasis.rawValue, "budgetAmount": String(a.budgetAmount.amount),
            "effortHours": String(a.effortHours), "actualStart": a.progress.actualStart?.description,
            "actualFinish": a.progress.actualFinish?.description, "percentComplete": String(a.progress.percentComplete),
            "remaining": a.progress.remainingDuration?.description, "actualCost": a.actualCost.map { String($0.amount) },
            "actualHours": String(a.actualHours), "notes": a.notes,
        ]
    }
}
