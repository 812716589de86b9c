import Foundation
import PMOCore

/// Variances of an activity against one of its baselines (positive = later, longer or dearer than the baseline).
public struct BaselineVariance: Hashable, Sendable {
    /// The activity.
    public var id: Activity.ID
    /// Baseline number compared against (0...10).
    public var baseline: Int
    /// Scheduled start − baseline start, in working minutes of the activity's calendar; nil without a baseline start.
    public var startMinutes: Int?
    /// Scheduled finish − baseline finish, in working minutes; nil without a baseline finish.
    public var finishMinutes: Int?
    /// Duration − baseline duration, in minutes of the duration's kind; nil without a baseline duration.
    public var durationMinutes: Int?
    /// Budgeted cost − baseline cost, in currency units; nil without a baseline cost.
    public var cost: Double?

    /// Variances of every activity in plan order against baseline `number`. A summary without a baseline of its own
    /// uses the earliest start, latest finish and summed cost of its children's baselines.
    public static func compute(plan: SchedulePlan, result: ScheduleResult, baseline number: Int = 0)
        -> [BaselineVariance]
    {
        let lo = min(result.projectStart, plan.start).date.adding(days: -3660)
        let hi = result.projectFinish.date.adding(days: 3660)
        var timelines: [WorkCalendar.ID: CalendarTimeline] = [:]
        for c in plan.calendars { timelines[c.id] = CalendarTimeline(calendar: c, from: lo, through: hi) }
        let scheduled = Dictionary(result.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Effective baselines, rolled up bottom-up for summaries that have none.
        var effective: [Activity.ID: ActivityBaseline] = [:]
        for a in plan.activities {
            if let b = a.baselines.first(where: { $0.number == number }) { effective[a.id] = b }
        }
        let own = Set(effective.keys)
        let hasChildren = Set(plan.activities.compactMap(\.parent))
        var cost: [Activity.ID: Double] = [:]  // budget of tasks, summed up into summaries
        for a in plan.activities.reversed() {
            if !hasChildren.contains(a.id) { cost[a.id, default: 0] += a.budgetedCost }
            guard let p = a.parent else { continue }
            cost[p, default: 0] += cost[a.id] ?? 0
            guard !own.contains(p), let b = effective[a.id] else { continue }
            var r = effective[p] ?? ActivityBaseline(number: number)
            if let s = b.start { r.start = min(r.start ?? s, s) }
            if let f = b.finish { r.finish = max(r.finish ?? f, f) }
            if let c = b.cost { r.cost = (r.cost ?? 0) + c }
            effective[p] = r
        }
        return plan.activities.map { a in
            var v = BaselineVariance(id: a.id, baseline: number)
            guard let b = effective[a.id], let s = scheduled[a.id] else { return v }
            let tl = timelines[a.calendarID ?? plan.defaultCalendarID] ?? timelines[plan.defaultCalendarID]
            func diff(_ from: LocalTime, _ to: LocalTime) -> Int {
                tl.map { $0.workingMinutes(from: from, to: to) } ?? (to.minutes - from.minutes)
            }
            if let bs = b.start { v.startMinutes = diff(bs, s.start) }
            if let bf = b.finish { v.finishMinutes = diff(bf, s.finish) }
            if let bd = b.duration, a.kind != .summary { v.durationMinutes = a.duration.minutes - bd.minutes }
            if let bc = b.cost { v.cost = (cost[a.id] ?? a.budgetedCost) - bc }
            return v
        }
    }
}
