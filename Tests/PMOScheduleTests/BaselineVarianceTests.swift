import Foundation
import PMOCore
import Testing

@testable import PMOSchedule

@Suite struct BaselineVarianceTests {
    static func t(_ s: String) -> LocalTime { LocalTime(iso: s)! }

    /// By hand on the standard calendar: the baseline said Mon 2024-01-08 08:00 – Tue 17:00 (2 days, 1,000);
    /// the plan now starts Wed 08:00 and takes 3 days (1,200): start +2 days, finish +3 days, duration +1 day, cost +200.
    @Test func slippedTaskAndRolledUpSummary() {
        let b = ActivityBaseline(
            number: 0, start: Self.t("2024-01-08T08:00"), finish: Self.t("2024-01-09T17:00"), duration: .working(960),
            cost: 1_000)
        let task = Activity(
            id: .init(2), name: "Build", parent: .init(1), duration: .working(1440),
            constraint: ActivityConstraint(.startNoEarlierThan, date: Self.t("2024-01-10T08:00")),
            budgetedCost: 1_200, baselines: [b, ActivityBaseline(number: 3, start: Self.t("2024-01-10T08:00"))])
        let plan = SchedulePlan(
            name: "p", start: Self.t("2024-01-08T08:00"), calendars: [.msProjectStandard],
            defaultCalendarID: WorkCalendar.msProjectStandard.id,
            activities: [Activity(id: .init(1), name: "Phase", kind: .summary), task], dependencies: [])
        let r = CriticalPath.schedule(plan)
        let v = BaselineVariance.compute(plan: plan, result: r)
        #expect(
            v[1].startMinutes == 960 && v[1].finishMinutes == 1440 && v[1].durationMinutes == 480 && v[1].cost == 200)
        // The summary has no baseline of its own: it takes its child's.
        #expect(
            v[0].startMinutes == 960 && v[0].finishMinutes == 1440 && v[0].cost == 200 && v[0].durationMinutes == nil)
        // Baseline 3 only has a start, equal to today's.
        let v3 = BaselineVariance.compute(plan: plan, result: r, baseline: 3)
        #expect(v3[1].startMinutes == 0 && v3[1].finishMinutes == nil && v3[1].cost == nil)
    }
}
