/// Effort-driven scheduling, as MS Project does it for an effort-driven task: when its resources change, the
/// activity's total work stays the same and its duration becomes that work divided by the units now assigned.
/// Assigning the first resources sets the work (the duration stays); removing every resource leaves the duration.
public enum EffortDriven {
    /// One assignment as the rule sees it: units in percent of a working day and its planned work, if stated.
    public struct Share: Hashable, Sendable {
        public var unitsPercent: Int
        public var workMinutes: Int?
        public init(unitsPercent: Int, workMinutes: Int? = nil) {
            self.unitsPercent = unitsPercent
            self.workMinutes = workMinutes
        }
    }

    /// The total work of `shares` over an activity of `durationMinutes` working minutes: each stated work, else its
    /// units × the duration.
    public static func work(durationMinutes: Int, shares: [Share]) -> Int {
        shares.reduce(0) { $0 + ($1.workMinutes ?? durationMinutes * $1.unitsPercent / 100) }
    }

    /// The new duration in working minutes when the resources change from `old` to `new`, or nil when it stays:
    /// no resources before or after, or the same total units (swapping one person for another keeps the duration).
    /// Rounded half up to the minute, never below one.
    public static func duration(durationMinutes: Int, old: [Share], new: [Share]) -> Int? {
        let oldUnits = old.reduce(0) { $0 + $1.unitsPercent }
        let newUnits = new.reduce(0) { $0 + $1.unitsPercent }
        guard oldUnits > 0, newUnits > 0, oldUnits != newUnits else { return nil }
        let total = work(durationMinutes: durationMinutes, shares: old)
        let minutes = max(1, (total * 100 * 2 + newUnits) / (2 * newUnits))
        return minutes == durationMinutes ? nil : minutes
    }
}
