import Foundation
import PMOCore

/// Earned value of a stored plan: PV from a baseline's dates (the performance measurement baseline) where the
/// activity has one, else from the current schedule; EV and AC from progress as of the status date.
public enum PlanEarnedValue {
    /// Progress of one activity as of some status date.
    public struct ProgressAsOf: Sendable, Hashable {
        public var percentComplete: Double
        public var actualCost: Double
        public init(percentComplete: Double, actualCost: Double) {
            self.percentComplete = percentComplete
            self.actualCost = actualCost
        }
    }

    /// Earned value at `statusDate` per activity (summaries sum their rows), per company and for the project.
    public struct Breakdown: Sendable {
        public var statusDate: CivilDate
        public var project: EarnedValue
        public var activities: [Int: EarnedValue]
        public var companies: [CompanyID?: EarnedValue]
    }

    /// The breakdown at `statusDate`. `progress` replaces each activity's progress (for past status dates); when nil the
    /// plan's current progress counts. `baseline` chooses the baseline whose dates spread PV; nil uses the schedule.
    public static func breakdown(snapshot: PlanSnapshot, plan: SchedulePlan, result: ScheduleResult, statusDate: CivilDate,
                                 baseline: Int?, progress: [Int: ProgressAsOf]? = nil) -> Breakdown {
        var plan = plan
        if let progress {
            for i in plan.activities.indices {
                let p = progress[plan.activities[i].id.rawValue] ?? ProgressAsOf(percentComplete: 0, actualCost: 0)
                plan.activities[i].progress.percentComplete = p.percentComplete
                plan.activities[i].actualCost = p.actualCost
            }
        }
        let measured = measurementResult(plan: plan, result: result, baseline: baseline)
        let (perActivity, project) = EarnedValue.analyze(plan: plan, result: measured, statusDate: PlanSnapshot.endOfDay(statusDate))
        var companies: [CompanyID?: EarnedValue] = [:]
        let companyOf = Dictionary(snapshot.activities.map { ($0.uid, $0.companyID) }, uniquingKeysWith: { a, _ in a })
        let hasChildren = Set(plan.activities.compactMap(\.parent))
        for a in plan.activities where !hasChildren.contains(a.id) {
            guard let v = perActivity[a.id] else { continue }
            let c = companyOf[a.id.rawValue] ?? nil
            var sum = companies[c] ?? EarnedValue(bac: 0, pv: 0, ev: 0, ac: 0)
            sum.bac += v.bac
            sum.pv += v.pv
            sum.ev += v.ev
            sum.ac += v.ac
            companies[c] = sum
        }
        return Breakdown(statusDate: statusDate, project: project,
                         activities: Dictionary(perActivity.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { a, _ in a }),
                         companies: companies)
    }

    /// Planned value of the whole project at each date (the PV line of an S-curve).
    public static func plannedValue(plan: SchedulePlan, result: ScheduleResult, baseline: Int?, dates: [CivilDate]) -> [Double] {
        let measured = measurementResult(plan: plan, result: result, baseline: baseline)
        return dates.map { EarnedValue.analyze(plan: plan, result: measured, statusDate: PlanSnapshot.endOfDay($0)).project.pv }
    }

    /// The schedule with each activity's start and finish taken from the baseline where it has both.
    static func measurementResult(plan: SchedulePlan, result: ScheduleResult, baseline: Int?) -> ScheduleResult {
        guard let baseline else { return result }
        var dates: [Activity.ID: (LocalTime, LocalTime)] = [:]
        for a in plan.activities {
            if let b = a.baselines.first(where: { $0.number == baseline }), let s = b.start, let f = b.finish { dates[a.id] = (s, f) }
        }
        var measured = result
        for i in measured.activities.indices {
            if let (s, f) = dates[measured.activities[i].id] {
                measured.activities[i].start = s
                measured.activities[i].finish = f
            }
        }
        if let lo = measured.activities.map(\.start).min() { measured.projectStart = min(result.projectStart, lo) }
        if let hi = measured.activities.map(\.finish).max() { measured.projectFinish = max(result.projectFinish, hi) }
        return measured
    }
}
