import Foundation

/// A length of time that says which kind it is: working minutes (counted in a WorkCalendar) or elapsed minutes (wall clock).
public struct WorkDuration: Hashable, Sendable, CustomStringConvertible {
    /// The kinds of time a duration can be counted in.
    public enum Kind: String, Hashable, Sendable {
        /// Minutes of working time in the activity's calendar.
        case working
        /// Wall-clock minutes, every minute counts (MS Project's "elapsed" units: emin, ehr, eday...).
        case elapsed
    }

    /// Length in minutes (≥ 0 for durations; lags may be negative).
    public var minutes: Int
    /// How the minutes are counted.
    public var kind: Kind

    /// A duration of `minutes` of the given kind.
    public init(minutes: Int, kind: Kind = .working) {
        self.minutes = minutes
        self.kind = kind
    }

    /// `minutes` of working time.
    public static func working(_ minutes: Int) -> WorkDuration { WorkDuration(minutes: minutes, kind: .working) }
    /// `minutes` of elapsed (wall-clock) time.
    public static func elapsed(_ minutes: Int) -> WorkDuration { WorkDuration(minutes: minutes, kind: .elapsed) }
    /// Zero working minutes.
    public static let zero = WorkDuration(minutes: 0)

    public var description: String { "\(minutes)min" + (kind == .elapsed ? " elapsed" : "") }
}
