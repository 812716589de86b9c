import Foundation

/// The lag (positive) or lead (negative) of a dependency.
public enum DependencyLag: Hashable, Sendable {
    /// Working minutes in the successor's calendar (may be negative).
    case working(minutes: Int)
    /// Elapsed wall-clock minutes (may be negative).
    case elapsed(minutes: Int)
    /// Percent of the predecessor's duration, e.g. 50 = half of it (may be negative).
    case percent(Double)

    /// No lag.
    public static let zero = DependencyLag.working(minutes: 0)
}
