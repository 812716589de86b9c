import Foundation

/// A saved copy of an activity's plan (MS Project keeps baselines 0...10; 0 is "the" baseline).
public struct ActivityBaseline: Hashable, Sendable {
    /// Baseline number, 0...10.
    public var number: Int
    /// Baseline start (local time).
    public var start: LocalTime?
    /// Baseline finish (local time).
    public var finish: LocalTime?
    /// Baseline duration.
    public var duration: WorkDuration?
    /// Baseline cost in currency units.
    public var cost: Double?

    /// A baseline; `number` is clamped to 0...10.
    public init(
        number: Int, start: LocalTime? = nil, finish: LocalTime? = nil, duration: WorkDuration? = nil,
        cost: Double? = nil
    ) {
        self.number = min(10, max(0, number))
        self.start = start
        self.finish = finish
        self.duration = duration
        self.cost = cost
    }
}
