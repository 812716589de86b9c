import Foundation

/// How a summary's % complete weighs its rows: by planned duration (Microsoft Project's rule, the default) or by
/// budget (when the project measures progress by money, as earned value does).
public enum ProgressWeighting: String, Sendable, Hashable, CaseIterable, Codable {
    case duration
    case budget
}

/// What a WBS row shows for progress and money: a task's own figures, a summary's rolled up from every task under it.
public struct RolledUpFigures: Sendable, Hashable {
    /// 0...100. A summary whose tasks are all finished is 100.
    public var percentComplete: Double
    public var budget: Money
    public var actualCost: Money
    /// True when some task counted here is one whose costs the reader may not see: the sums are then not shown,
    /// so that no other company's figure leaks through a total.
    public var costHidden: Bool
}

/// Rolls up % complete, budget and actual cost from tasks to their summaries (pure; the dates and the critical flag
/// are the engine's). A task's weight is its planned duration in working minutes, or its budget; a summary whose tasks
/// all weigh nothing (milestones only, or no budget anywhere) counts each task alike.
public enum PlanRollUp {
    public static func figures(rows: [WBSRow], rates: [CompanyID: Money], weighting: ProgressWeighting,
                               canSeeCost: (PlanActivity) -> Bool) -> [Int: RolledUpFigures] {
        struct Sum {
            var weight = 0.0
            var weightedPercent = 0.0
            var count = 0
            var percentSum = 0.0
            var budget = Money.zero
            var actual = Money.zero
            var hidden = false
            mutating func add(_ o: Sum) {
                weight += o.weight
                weightedPercent += o.weightedPercent
                count += o.count
                percentSum += o.percentSum
                budget += o.budget
                actual += o.actual
                hidden = hidden || o.hidden
            }
        }
        var sums: [Int: Sum] = [:]
        sums.reserveCapacity(rows.count)
        // Rows come parents first, so in reverse every row is complete before it is added to its parent.
        for row in rows.reversed() {
            let a = row.activity
            if !row.hasChildren {
                let rate = a.companyID.flatMap { rates[$0] }
                let percent = a.progress.actualFinish != nil ? 100 : a.progress.percentComplete
                let budget = a.budget(rate: rate)
                let weight: Double
                switch weighting {
                case .duration: weight = a.kind == .milestone ? 0 : Double(max(0, a.duration.minutes))
                case .budget: weight = max(0, budget.approximate)
                }
                sums[a.uid] = Sum(weight: weight, weightedPercent: weight * percent, count: 1, percentSum: percent,
                                  budget: budget, actual: a.actual(rate: rate), hidden: !canSeeCost(a))
            }
            guard let own = sums[a.uid], let parent = a.parentUID, row.level > 1 else { continue }
            sums[parent, default: Sum()].add(own)
        }
        var out: [Int: RolledUpFigures] = [:]
        out.reserveCapacity(rows.count)
        for row in rows {
            let s = sums[row.activity.uid] ?? Sum()
            let percent = s.weight > 0 ? s.weightedPercent / s.weight : (s.count > 0 ? s.percentSum / Double(s.count) : 0)
            out[row.activity.uid] = RolledUpFigures(percentComplete: min(100, max(0, percent)), budget: s.budget,
                                                    actualCost: s.actual, costHidden: s.hidden)
        }
        return out
    }
}
