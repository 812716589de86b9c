import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// Progress on one activity as reported; dates are days (the activity's calendar gives the times).
public struct ProgressInput: Sendable, Equatable {
    public var actualStart: CivilDate?
    public var actualFinish: CivilDate?
    public var percentComplete: Double?
    /// Remaining working days; sets percent complete from the duration when no percent is given.
    public var remainingDays: Double?
    /// Whole yen: the API and the pages round what is written half up to the yen (`Money(rounding:)`).
    public var actualCost: Money?
    public var actualHours: Double?
    public init(actualStart: CivilDate? = nil, actualFinish: CivilDate? = nil, percentComplete: Double? = nil,
                remainingDays: Double? = nil, actualCost: Money? = nil, actualHours: Double? = nil) {
        self.actualStart = actualStart
        self.actualFinish = actualFinish
        self.percentComplete = percentComplete
        self.remainingDays = remainingDays
        self.actualCost = actualCost
        self.actualHours = actualHours
    }
}

/// One progress update as the review shows it.
public struct ProgressChange: Sendable {
    public var uid: Int
    public var name: String
    public var statusDate: CivilDate
    public var recordedBy: String?
    public var recordedAt: Date
    public var percentBefore: Double
    public var percentAfter: Double
    public var actualStart: LocalTime?
    public var actualFinish: LocalTime?
}

/// What the PMO checks at a status date: what changed since the previous one, and whose activities have no update.
public struct ProgressReview: Sendable {
    /// The plan the review was made from (pages show it alongside, without reading it again).
    public var view: PlanView
    public var statusDate: CivilDate?
    public var previousStatusDate: CivilDate?
    public var changes: [ProgressChange]
    /// Activities that should have reported (started by the status date and not finished before the previous one)
    /// with no update at this status date.
    public var notUpdated: [WBSRow]
    public var statusDates: [CivilDate]
}

extension PlanService {
    /// Sets the status date progress is reported against, and remembers it for the earned-value trend.
    public func setStatusDate(_ caller: Caller, key: String, _ date: CivilDate) async throws {
        let at = now()
        try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let sql = try db.sql()
            let header = try await sql.raw("SELECT start_date FROM plans WHERE project_id = \(bind: context.projectID)").first()
            if let start = try header.flatMap({ try LocalTime(iso: $0.decode(column: "start_date", as: String.self))?.date }), date < start {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "statusDate", code: "before_start",
                    message: "The status date \(date) is before the plan starts (\(start)).")])
            }
            try await sql.raw("UPDATE plans SET status_date = \(bind: date.description) WHERE project_id = \(bind: context.projectID)").run()
            if try await sql.raw("SELECT id FROM plan_status_dates WHERE project_id = \(bind: context.projectID) AND status_date = \(bind: date.description)").first() == nil {
                try await sql.raw("""
                    INSERT INTO plan_status_dates (id, project_id, status_date, set_by_id, set_at)
                    VALUES (\(bind: UUID()), \(bind: context.projectID), \(bind: date.description), \(bind: caller.userID), \(bind: at))
                    """).run()
            }
            try await touchPlan(context, at: at, on: db)
        }
    }

    /// Records progress on an activity as of the plan's status date. PMO, PMs and admins update any activity; members
    /// their own; vendors their company's.
    public func recordProgress(_ caller: Caller, key: String, uid: Int, expectedVersion: Int?, _ input: ProgressInput) async throws -> PlanActivity {
        let at = now()
        return try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db, requireEdit: false)
            let (snapshot, _, versions, _) = try await loadPlan(context, on: db)
            guard let old = snapshot.activities.first(where: { $0.uid == uid }) else { throw activityNotFound(key, uid) }
            guard PlanAccess.canUpdateProgress(context.actor, old) else {
                throw DomainError.forbidden("plan.progress_forbidden",
                    "You may update only activities you own or your company's activities; \(old.name) is neither.")
            }
            if let expectedVersion, expectedVersion != versions[uid] { throw staleVersion(versions[uid] ?? 0) }
            guard let statusDate = snapshot.statusDate else {
                throw DomainError.invalid("plan.no_status_date", [FieldError(field: "statusDate", code: "required",
                    message: "The plan of \(key) has no status date yet. A PM or the PMO sets one before progress is recorded.")])
            }
            let rows = snapshot.wbs()
            if rows.first(where: { $0.activity.uid == uid })?.hasChildren == true {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "uid", code: "summary",
                    message: "\(old.name) is a summary: its progress comes from its rows. Update those instead.")])
            }
            let a = try applyProgress(input, to: old, snapshot: snapshot, statusDate: statusDate)
            if let errors = Optional(PlanRules.validate(a)), !errors.isEmpty { throw DomainError.invalid("plan.invalid", errors) }
            try await PlanRows.update(a, projectID: context.projectID, at: at, on: db)
            try await insertProgress(a, context: context, caller: caller, statusDate: statusDate, at: at, on: db)
            try await auditActivity(context, caller: caller, uid: uid, at: at, action: "progress",
                                    changes: FieldChange.diff(PlanRows.snapshot(old), PlanRows.snapshot(a)), on: db)
            try await touchPlan(context, at: at, on: db)
            return a
        }
    }

    func insertProgress(_ a: PlanActivity, context: ProjectContext, caller: Caller?, statusDate: CivilDate, at: Date,
                        on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO plan_progress (id, project_id, activity_uid, status_date, actual_start_at, actual_finish_at, percent_complete,
              remaining_minutes, actual_cost, actual_hours, recorded_by_id, recorded_at)
            VALUES (\(bind: UUID()), \(bind: context.projectID), \(bind: a.uid), \(bind: statusDate.description),
              \(bind: a.progress.actualStart?.minutes), \(bind: a.progress.actualFinish?.minutes), \(bind: a.progress.percentComplete),
              \(bind: a.progress.remainingDuration?.minutes), \(bind: a.actualCost?.approximate), \(bind: a.actualHours), \(bind: caller?.userID), \(bind: at))
            """).run()
    }

    /// The activity with `input` applied: day dates become working times on its calendar, remaining days set the
    /// percent, a finish means 100 %. Dates after the status date are refused.
    func applyProgress(_ input: ProgressInput, to old: PlanActivity, snapshot: PlanSnapshot, statusDate: CivilDate) throws -> PlanActivity {
        var errors = FieldErrors()
        for (field, day) in [("actualStart", input.actualStart), ("actualFinish", input.actualFinish)] {
            if let day, day > statusDate {
                errors.add(field, "after_status_date", "\(day) is after the status date \(statusDate): actual dates cannot be in the future.")
            }
        }
        if let p = input.percentComplete, !(p >= 0 && p <= 100) {
            errors.add("percentComplete", "out_of_range", "Percent complete must be from 0 to 100.")
        }
        if let r = input.remainingDays, !(r >= 0 && r <= 2600) {
            errors.add("remainingDays", "out_of_range", "Remaining days must be from 0 to 2600.")
        }
        if let h = input.actualHours, !(h >= 0 && h <= PlanRules.amountMax) { errors.add("actualHours", "out_of_range", "actualHours cannot be negative.") }
        if let c = input.actualCost, !(0...PlanRules.moneyMax).contains(c.amount) {
            errors.add("actualCost", "out_of_range", "actualCost must be an amount in yen from 0 to \(PlanRules.moneyMax).")
        }
        try errors.throwIfAny("plan.invalid")
        let calUID = snapshot.calendarUID(for: old)
        let calendar = snapshot.resolvedCalendars().first { $0.id.rawValue == calUID } ?? WorkCalendar.japan
        func firstWorkingMinute(_ d: CivilDate) -> LocalTime { LocalTime(date: d, minuteOfDay: calendar.workingTimes(on: d).first?.start ?? 540) }
        func lastWorkingMinute(_ d: CivilDate) -> LocalTime { LocalTime(date: d, minuteOfDay: calendar.workingTimes(on: d).last?.end ?? 1080) }
        var a = old
        var p = a.progress
        if let s = input.actualStart { p.actualStart = firstWorkingMinute(s) }
        if let f = input.actualFinish {
            p.actualFinish = lastWorkingMinute(f)
            p.percentComplete = 100
            p.remainingDuration = .zero
        } else {
            if let pct = input.percentComplete {
                p.percentComplete = pct
                p.remainingDuration = nil
            } else if let r = input.remainingDays {
                let remaining = Int((r * Double(snapshot.minutesPerDay)).rounded())
                let total = max(1, a.duration.minutes)
                p.percentComplete = min(100, max(0, 100 * Double(total - min(total, remaining)) / Double(total)))
                p.remainingDuration = .working(remaining)
            }
            if p.percentComplete >= 100, p.actualFinish == nil {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "actualFinish", code: "required_here",
                    message: "At 100 % the activity has finished: give its actual finish date.")])
            }
        }
        if p.percentComplete > 0, p.actualStart == nil, let s = input.actualStart ?? Optional(statusDate) {
            // Work reported without a start date started at the latest on the status date.
            p.actualStart = firstWorkingMinute(s)
        }
        a.progress = ActivityProgress(actualStart: p.actualStart, actualFinish: p.actualFinish, percentComplete: p.percentComplete,
                                      remainingDuration: p.remainingDuration)
        if let c = input.actualCost { a.actualCost = c }
        if let h = input.actualHours { a.actualHours = h }
        a.progressStatusDate = statusDate
        return a
    }

    /// The progress review at the plan's status date.
    public func progressReview(_ caller: Caller, key: String) async throws -> ProgressReview {
        let view = try await view(caller, key: key)
        let sql = try db.sql()
        let pid = view.context.projectID
        let dates = try await statusDates(projectID: pid, on: db)
        guard let statusDate = view.snapshot.statusDate else {
            return ProgressReview(view: view, statusDate: nil, previousStatusDate: nil, changes: [], notUpdated: [], statusDates: dates)
        }
        let previous = dates.filter { $0 < statusDate }.last
        let rows = try await sql.raw("""
            SELECT p.*, u.display_name FROM plan_progress p LEFT JOIN users u ON u.id = p.recorded_by_id
            WHERE p.project_id = \(bind: pid) ORDER BY p.recorded_at, p.id
            """).all()
        var lastPercent: [Int: Double] = [:]
        var changes: [ProgressChange] = []
        var updatedNow = Set<Int>()
        let names = Dictionary(view.snapshot.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
        for row in rows {
            let uid = try row.decode(column: "activity_uid", as: Int.self)
            let day = CivilDate(iso: try row.decode(column: "status_date", as: String.self)) ?? statusDate
            let pct = try row.decode(column: "percent_complete", as: Double.self)
            if day > (previous ?? CivilDate(dayNumber: Int.min / 2)) && day <= statusDate, let name = names[uid] {
                changes.append(ProgressChange(
                    uid: uid, name: name, statusDate: day, recordedBy: try row.decode(column: "display_name", as: String?.self),
                    recordedAt: try row.decode(column: "recorded_at", as: Date.self), percentBefore: lastPercent[uid] ?? 0,
                    percentAfter: pct, actualStart: PlanRows.time(try row.decode(column: "actual_start_at", as: Int?.self)),
                    actualFinish: PlanRows.time(try row.decode(column: "actual_finish_at", as: Int?.self))))
            }
            if day == statusDate { updatedNow.insert(uid) }
            lastPercent[uid] = pct
        }
        let scheduled = view.scheduledByUID
        let due = PlanSnapshot.endOfDay(statusDate)
        let previousEnd = previous.map(PlanSnapshot.endOfDay)
        let notUpdated = view.rows.filter { row in
            guard !row.hasChildren, let s = scheduled[row.activity.uid], s.start <= due else { return false }
            if let f = row.activity.progress.actualFinish, let previousEnd, f <= previousEnd { return false }
            if row.activity.progress.percentComplete >= 100 && row.activity.progressStatusDate.map({ $0 < statusDate }) == true
                && row.activity.progress.actualFinish.map({ $0 <= due }) == true && previousEnd == nil { return false }
            return !updatedNow.contains(row.activity.uid)
        }
        return ProgressReview(view: view, statusDate: statusDate, previousStatusDate: previous, changes: changes.reversed(),
                              notUpdated: notUpdated, statusDates: dates)
    }

    func statusDates(projectID: UUID, on db: any Database) async throws -> [CivilDate] {
        let sql = try db.sql()
        var set = Set<CivilDate>()
        for row in try await sql.raw("SELECT status_date FROM plan_status_dates WHERE project_id = \(bind: projectID)").all() {
            if let d = CivilDate(iso: try row.decode(column: "status_date", as: String.self)) { set.insert(d) }
        }
        return set.sorted()
    }

    /// Earned value at the status date (or `at`) with the trend over every past status date, and the PV curve.
    public func earnedValue(_ caller: Caller, key: String, at: CivilDate? = nil, baseline: Int? = nil) async throws -> EarnedValueReport {
        let view = try await view(caller, key: key)
        if let baseline, !view.snapshot.baselines.contains(where: { $0.number == baseline }) {
            throw DomainError.notFound("plan.baseline_not_found", "The plan of \(key) has no baseline \(baseline).", subjects: ["\(baseline)"])
        }
        return try await earnedValueReport(view, at: at, baseline: baseline, on: db)
    }

    /// Earned value of an already read plan (shared by the plan's own report and status reports).
    func earnedValueReport(_ view: PlanView, at: CivilDate?, baseline: Int?, on db: any Database) async throws -> EarnedValueReport {
        let pid = view.context.projectID
        let baselineNumber = baseline ?? view.snapshot.baselines.last?.number
        let statusDate = at ?? view.snapshot.statusDate ?? CivilDate(now(), in: TimeZone.japan)
        let history = try await progressHistory(projectID: pid, on: db)
        func progress(asOf day: CivilDate) -> [Int: PlanEarnedValue.ProgressAsOf] { Self.progress(history, of: view.snapshot, asOf: day) }
        let current = PlanEarnedValue.breakdown(snapshot: view.snapshot, plan: view.schedulePlan, result: view.result,
                                                statusDate: statusDate, baseline: baselineNumber,
                                                progress: at == nil ? nil : progress(asOf: statusDate))
        let dates = try await statusDates(projectID: pid, on: db).filter { $0 <= statusDate }
        let trend = dates.map { d in
            PlanEarnedValue.breakdown(snapshot: view.snapshot, plan: view.schedulePlan, result: view.result, statusDate: d,
                                      baseline: baselineNumber, progress: progress(asOf: d))
        }
        // PV weekly from the first to the last planned day.
        let lo = min(view.result.projectStart, view.schedulePlan.start).date
        var hi = view.result.projectFinish.date
        for b in view.snapshot.baselines where b.number == baselineNumber {
            for e in b.entries { if let f = e.finish, f.date > hi { hi = f.date } }
        }
        var curveDates: [CivilDate] = []
        var d = lo
        let step = max(1, (hi.dayNumber - lo.dayNumber) / 200 + 1) * 7
        while d <= hi && !view.rows.isEmpty { curveDates.append(d); d = d.adding(days: step) }
        if !view.rows.isEmpty { curveDates.append(hi) }
        let pv = PlanEarnedValue.plannedValue(plan: view.schedulePlan, result: view.result, baseline: baselineNumber, dates: curveDates)
        return EarnedValueReport(view: view, statusDate: statusDate, baseline: baselineNumber, current: current, trend: trend,
                                 pvCurve: Array(zip(curveDates, pv)))
    }

    struct ProgressRow: Sendable { var uid: Int; var statusDate: CivilDate; var percent: Double; var actualCost: Money?; var actualHours: Double }

    /// Each activity's progress as recorded on or before `day` (the last record counts), its actual cost from the
    /// record or from its hours at its company's rate: what earned value replays for a past status date.
    static func progress(_ history: [ProgressRow], of snapshot: PlanSnapshot, asOf day: CivilDate) -> [Int: PlanEarnedValue.ProgressAsOf] {
        let rates = snapshot.rates
        let companyOf = Dictionary(snapshot.activities.map { ($0.uid, $0.companyID) }, uniquingKeysWith: { a, _ in a })
        var out: [Int: PlanEarnedValue.ProgressAsOf] = [:]
        for h in history where h.statusDate <= day {
            let rate = (companyOf[h.uid] ?? nil).flatMap { rates[$0] }
            out[h.uid] = PlanEarnedValue.ProgressAsOf(percentComplete: h.percent, actualCost: (h.actualCost ?? PlanActivity.cost(hours: h.actualHours, rate: rate)).approximate)
        }
        return out
    }

    func progressHistory(projectID: UUID, on db: any Database) async throws -> [ProgressRow] {
        try await db.sql().raw("""
            SELECT activity_uid, status_date, percent_complete, actual_cost, actual_hours FROM plan_progress
            WHERE project_id = \(bind: projectID) ORDER BY status_date, recorded_at, id
            """).all().map { row in
            ProgressRow(uid: try row.decode(column: "activity_uid", as: Int.self),
                        statusDate: CivilDate(iso: try row.decode(column: "status_date", as: String.self)) ?? CivilDate(dayNumber: 0),
                        percent: try row.decode(column: "percent_complete", as: Double.self),
                        actualCost: PlanRows.money(try row.decode(column: "actual_cost", as: Double?.self)),
                        actualHours: try row.decode(column: "actual_hours", as: Double.self))
        }
    }
}

/// Earned value of a plan at a status date, its trend over past status dates, and the planned-value curve.
public struct EarnedValueReport: Sendable {
    public var view: PlanView
    public var statusDate: CivilDate
    /// The baseline PV is measured against; nil when the plan has none (then the current schedule is used).
    public var baseline: Int?
    public var current: PlanEarnedValue.Breakdown
    public var trend: [PlanEarnedValue.Breakdown]
    public var pvCurve: [(CivilDate, Double)]
}
