import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// One row of a comparison between the plan and a baseline; slips in working days (positive = later).
public struct BaselineSlip: Sendable {
    public var row: WBSRow
    public var baselineStart: LocalTime?
    public var baselineFinish: LocalTime?
    public var start: LocalTime
    public var finish: LocalTime
    public var startSlipDays: Double?
    public var finishSlipDays: Double?
    public var isMilestone: Bool
    public var isCritical: Bool
}

extension PlanService {
    /// Saves the current schedule as baseline `number` (the next free one from 0 when nil) with a name and date.
    /// Replacing an existing number needs `replace`.
    public func createBaseline(_ caller: Caller, key: String, number: Int?, name: String, replace: Bool = false) async throws -> PlanBaseline {
        let at = now()
        return try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let view = try await planView(context, on: db)
            let baseline = try await saveBaseline(view, caller: caller, number: number, name: name, replace: replace, at: at, on: db)
            try await touchPlan(context, at: at, on: db)
            return baseline
        }
    }

    /// Inside a plan write: saves `view`'s schedule as baseline `number` (the next free one when nil).
    func saveBaseline(_ view: PlanView, caller: Caller, number: Int?, name: String, replace: Bool, at: Date,
                      on db: any Database) async throws -> PlanBaseline {
            let context = view.context
            let taken = Set(view.snapshot.baselines.map(\.number))
            guard let n = number ?? (0...10).first(where: { !taken.contains($0) }) else {
                throw DomainError.conflict("plan.baselines_full", "All eleven baselines (0–10) are in use. Replace one by giving its number.")
            }
            var errors = FieldErrors()
            if !(0...10).contains(n) { errors.add("number", "out_of_range", "A baseline number is from 0 to 10.") }
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { errors.add("name", "required", "Name the baseline, e.g. 'Approved plan' or '承認済み計画'.") }
            if trimmed.count > PlanRules.nameMax { errors.add("name", "too_long", "The name may have at most \(PlanRules.nameMax) characters.") }
            try errors.throwIfAny("plan.invalid")
            guard view.result.isScheduled else {
                throw DomainError.invalid("plan.not_scheduled", [FieldError(field: "plan", code: "cycle", message: "The plan cannot be scheduled, so it cannot be saved as a baseline.")])
            }
            let sql = try db.sql()
            if taken.contains(n) {
                guard replace else {
                    throw DomainError.conflict("plan.baseline_exists", "Baseline \(n) already exists. Choose another number, or replace it explicitly.",
                                              subjects: ["\(n)"])
                }
                try await sql.raw("DELETE FROM plan_baselines WHERE project_id = \(bind: context.projectID) AND number = \(bind: n)").run()
            }
            let today = CivilDate(at, in: TimeZone.japan)
            let baseline = PlanBaseline(number: n, name: trimmed, takenOn: today, entries: view.result.activities.compactMap { s in
                guard let a = view.schedulePlan.activities.first(where: { $0.id == s.id }) else { return nil }
                return PlanBaseline.Entry(uid: s.id.rawValue, start: s.start, finish: s.finish, duration: a.duration, cost: Money(rounding: a.budgetedCost))
            })
            try await insertBaseline(baseline, context: context, caller: caller, at: at, on: db)
            return baseline
    }

    func insertBaseline(_ b: PlanBaseline, context: ProjectContext, caller: Caller?, at: Date, on db: any Database) async throws {
        let sql = try db.sql()
        let id = UUID()
        try await sql.raw("""
            INSERT INTO plan_baselines (id, project_id, number, name, taken_on, created_by_id, created_at)
            VALUES (\(bind: id), \(bind: context.projectID), \(bind: b.number), \(bind: b.name), \(bind: b.takenOn.description),
              \(bind: caller?.userID), \(bind: at))
            """).run()
        // Many rows per statement: a baseline of a 5,000-activity plan is 5,000 entries.
        for chunk in stride(from: 0, to: b.entries.count, by: 200).map({ Array(b.entries[$0..<min($0 + 200, b.entries.count)]) }) {
            var insert = sql.insert(into: "plan_baseline_entries")
                .columns("id", "baseline_id", "uid", "start_at", "finish_at", "duration_minutes", "duration_elapsed", "cost")
            for e in chunk {
                insert = insert.values(SQLBind(UUID()), SQLBind(id), SQLBind(e.uid), SQLBind(e.start?.minutes), SQLBind(e.finish?.minutes),
                                       SQLBind(e.duration?.minutes), SQLBind(e.duration?.kind == .elapsed), SQLBind(e.cost?.approximate))
            }
            try await insert.run()
        }
    }

    /// The plan compared with baseline `number`: every activity that has a baseline, biggest finish slip first.
    public func compareBaseline(_ caller: Caller, key: String, number: Int) async throws -> (PlanView, PlanBaseline, [BaselineSlip]) {
        let view = try await view(caller, key: key)
        guard let baseline = view.snapshot.baselines.first(where: { $0.number == number }) else {
            throw DomainError.notFound("plan.baseline_not_found", "The plan of \(key) has no baseline \(number).", subjects: ["\(number)"])
        }
        return (view, baseline, PlanService.slips(view, baseline: number))
    }

    /// Slips against baseline `number`, in working days of each activity's calendar, sorted by impact: biggest finish
    /// slip first, critical before non-critical, then WBS order.
    public static func slips(_ view: PlanView, baseline number: Int) -> [BaselineSlip] {
        let variances = BaselineVariance.compute(plan: view.schedulePlan, result: view.result, baseline: number)
        let byID = Dictionary(variances.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        let scheduled = view.scheduledByUID
        var baseDates: [Int: (LocalTime?, LocalTime?)] = [:]
        for a in view.schedulePlan.activities {
            if let b = a.baselines.first(where: { $0.number == number }) { baseDates[a.id.rawValue] = (b.start, b.finish) }
        }
        let perDay = Double(max(1, view.snapshot.minutesPerDay))
        func days(_ m: Int?) -> Double? { m.map { (Double($0) / perDay * 10).rounded() / 10 } }
        var out: [(Int, BaselineSlip)] = []
        for (index, row) in view.rows.enumerated() {
            guard let v = byID[row.activity.uid], let s = scheduled[row.activity.uid], v.finishMinutes != nil || v.startMinutes != nil else { continue }
            let dates = baseDates[row.activity.uid]
            out.append((index, BaselineSlip(row: row, baselineStart: dates?.0, baselineFinish: dates?.1, start: s.start, finish: s.finish,
                                            startSlipDays: days(v.startMinutes), finishSlipDays: days(v.finishMinutes),
                                            isMilestone: row.activity.kind == .milestone && !row.hasChildren, isCritical: s.isCritical)))
        }
        return out.sorted { a, b in
            let fa = a.1.finishSlipDays ?? 0, fb = b.1.finishSlipDays ?? 0
            if fa != fb { return fa > fb }
            if a.1.isCritical != b.1.isCritical { return a.1.isCritical }
            return a.0 < b.0
        }.map(\.1)
    }
}
