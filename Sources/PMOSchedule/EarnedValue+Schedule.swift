import Foundation
import PMOCore

extension EarnedValue {
    /// Earned value per activity at `statusDate`, with summaries and the project (key nil) as sums of their tasks.
    ///
    /// PV spreads each task's budget (`budgetedCost`) evenly over the working time of its scheduled dates; EV is budget ×
    /// percent complete; AC is `actualCost`.
    public static func analyze(plan: SchedulePlan, result: ScheduleResult, statusDate: LocalTime) -> (
        activities: [Activity.ID: EarnedValue], project: EarnedValue
    ) {
        var timelines: [WorkCalendar.ID: CalendarTimeline] = [:]
        let lo = min(result.projectStart, statusDate).date.adding(days: -10)
        let hi = max(result.projectFinish, statusDate).date.adding(days: 10)
        for c in plan.calendars { timelines[c.id] = CalendarTimeline(calendar: c, from: lo, through: hi) }
        let scheduled = Dictionary(result.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let hasChildren = Set(plan.activities.compactMap(\.parent))
        var out: [Activity.ID: EarnedValue] = [:]
        var project = EarnedValue(bac: 0, pv: 0, ev: 0, ac: 0)
        let parents = Dictionary(plan.activities.map { ($0.id, $0.parent) }, uniquingKeysWith: { a, _ in a })
        for a in plan.activities where !(a.kind == .summary && hasChildren.contains(a.id)) {
            guard let s = scheduled[a.id] else { continue }
            let tl = timelines[a.calendarID ?? plan.defaultCalendarID] ?? timelines[plan.defaultCalendarID]
            let fraction: Double
            if statusDate >= s.finish {
                fraction = 1
            } else if statusDate <= s.start {
                fraction = 0
            } else if let tl, a.duration.kind == .working, a.duration.minutes > 0 {
                let total = tl.workingMinutes(from: s.start, to: s.finish)
                fraction = total > 0 ? Double(tl.workingMinutes(from: s.start, to: statusDate)) / Double(total) : 1
            } else {
                fraction =
                    Double(statusDate.minutes - s.start.minutes) / Double(max(1, s.finish.minutes - s.start.minutes))
            }
            let v = EarnedValue(
                bac: a.budgetedCost, pv: a.budgetedCost * fraction,
                ev: earnedValue(bac: a.budgetedCost, percentComplete: a.progress.percentComplete), ac: a.actualCost)
            out[a.id] = v
            project.add(v)
            var p = a.parent
            var guardCount = 0
            while let pid = p, guardCount < 10_000 {
                out[pid, default: EarnedValue(bac: 0, pv: 0, ev: 0, ac: 0)].add(v)
                p = parents[pid] ?? nil
                guardCount += 1
            }
        }
        return (out, project)
    }

    /// Project PV, EV and AC at each of `dates` (an S-curve). EV and AC are known only up to the status date: after it
    /// they stay at their status-date values; PV follows the schedule throughout.
    public static func series(
        plan: SchedulePlan, result: ScheduleResult, statusDate: LocalTime,
        dates: [LocalTime]
    ) -> [(date: LocalTime, value: EarnedValue)] {
        let atStatus = analyze(plan: plan, result: result, statusDate: statusDate).project
        return dates.map { d in
            var v = analyze(plan: plan, result: result, statusDate: d).project
            if d >= statusDate {
                v.ev = atStatus.ev
                v.ac = atStatus.ac
            } else {
                // Before the status date, earn and spend in proportion to planned progress (no history is stored).
                let share = atStatus.pv > 0 ? v.pv / atStatus.pv : 0
                v.ev = atStatus.ev * min(1, share)
                v.ac = atStatus.ac * min(1, share)
            }
            return (d, v)
        }
    }

    mutating func add(_ o: EarnedValue) {
        bac += o.bac
        pv += o.pv
        ev += o.ev
        ac += o.ac
    }
}
