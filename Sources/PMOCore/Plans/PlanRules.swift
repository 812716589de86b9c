import Foundation

/// The rules of a plan that need no database: field checks and the cycle test for a new link.
public enum PlanRules {
    public static let nameMax = 200
    /// Ten years of eight-hour working days: longer is a typing mistake, not a plan.
    public static let durationMaxMinutes = 10 * 260 * 480
    public static let amountMax = 1e13
    /// The largest amount of money in a plan, in yen (the same ten trillion as `amountMax`).
    public static let moneyMax: Int64 = 10_000_000_000_000

    /// Field errors of an activity as entered (the plan-level checks, such as the parent existing, are the store's).
    public static func validate(_ a: PlanActivity) -> [FieldError] {
        var e = FieldErrors()
        let name = a.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { e.add("name", "required", "Give the activity a name.") }
        if name.count > nameMax { e.add("name", "too_long", "The name may have at most \(nameMax) characters.") }
        if a.duration.minutes < 0 || a.duration.minutes > durationMaxMinutes {
            e.add("duration", "out_of_range", "The duration must be between 0 and \(durationMaxMinutes / 480) working days.")
        }
        switch a.constraint.kind {
        case .asSoonAsPossible, .asLateAsPossible:
            break
        default:
            if a.constraint.date == nil {
                e.add("constraintDate", "required", "A \(a.constraint.kind.rawValue) constraint needs a date.")
            }
        }
        for (field, value) in [("effortHours", a.effortHours), ("actualHours", a.actualHours)] where !(value >= 0 && value <= amountMax) {
            e.add(field, "out_of_range", "\(field) must be a number from 0 to \(Int(amountMax)).")
        }
        for (field, value) in [("budgetAmount", a.budgetAmount), ("actualCost", a.actualCost ?? .zero)] where !(0...moneyMax).contains(value.amount) {
            e.add(field, "out_of_range", "\(field) must be an amount in yen from 0 to \(moneyMax).")
        }
        if a.system.count > nameMax { e.add("system", "too_long", "The system may have at most \(nameMax) characters.") }
        return e.all + validate(progress: a.progress)
    }

    /// Field errors of progress values: dates in order, a finish means 100 %, a start before any percent.
    public static func validate(progress p: ActivityProgress) -> [FieldError] {
        var e = FieldErrors()
        if let s = p.actualStart, let f = p.actualFinish, f < s {
            e.add("actualFinish", "before_start", "The actual finish \(f.date) is before the actual start \(s.date).")
        }
        if p.actualFinish != nil && p.actualStart == nil {
            e.add("actualStart", "required", "An activity that finished must have an actual start.")
        }
        if p.percentComplete > 0 && p.actualStart == nil {
            e.add("actualStart", "required", "Record the actual start before recording percent complete.")
        }
        if let r = p.remainingDuration, r.minutes < 0 {
            e.add("remainingDuration", "out_of_range", "The remaining duration cannot be negative.")
        }
        return e.all
    }

    /// The cycle a new link `predecessor → successor` would close, as uids from the successor back round to it
    /// (e.g. [B, C, A, B] for A→B when B→C→A exists); nil when the link is safe. A self-link is the cycle [A, A].
    public static func cycle(adding predecessor: Int, _ successor: Int, to links: [PlanDependency]) -> [Int]? {
        if predecessor == successor { return [predecessor, predecessor] }
        var next: [Int: [Int]] = [:]
        for l in links { next[l.predecessorUID, default: []].append(l.successorUID) }
        // Depth-first from the successor: reaching the predecessor closes the loop.
        var cameFrom: [Int: Int] = [successor: successor]
        var stack = [successor]
        while let n = stack.popLast() {
            for m in next[n] ?? [] where cameFrom[m] == nil {
                cameFrom[m] = n
                if m == predecessor {
                    var path = [predecessor]
                    var at = predecessor
                    while at != successor { at = cameFrom[at]!; path.append(at) }
                    return path.reversed() + [successor]
                }
                stack.append(m)
            }
        }
        return nil
    }

    /// True when `ancestor` is `uid`'s parent, grandparent, ... (links between a summary and its own rows are refused).
    public static func isAncestor(_ ancestor: Int, of uid: Int, parents: [Int: Int]) -> Bool {
        var at = parents[uid]
        var steps = 0
        while let p = at, steps < 10_000 {
            if p == ancestor { return true }
            at = parents[p]
            steps += 1
        }
        return false
    }
}
