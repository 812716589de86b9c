import Foundation

/// A logical link between two activities: the successor's start or finish waits for the predecessor's start or finish.
public struct Dependency: Hashable, Sendable {
    /// Which ends of the two activities the link ties.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Successor starts after the predecessor finishes (+ lag).
        case finishToStart = "FS"
        /// Successor starts after the predecessor starts (+ lag).
        case startToStart = "SS"
        /// Successor finishes after the predecessor finishes (+ lag).
        case finishToFinish = "FF"
        /// Successor finishes after the predecessor starts (+ lag).
        case startToFinish = "SF"
    }

    /// The activity that drives.
    public var predecessor: Activity.ID
    /// The activity that waits.
    public var successor: Activity.ID
    /// The link type.
    public var kind: Kind
    /// Lag (positive) or lead (negative).
    public var lag: DependencyLag

    /// A link; defaults to finish-to-start without lag.
    public init(
        from predecessor: Activity.ID, to successor: Activity.ID, kind: Kind = .finishToStart,
        lag: DependencyLag = .zero
    ) {
        self.predecessor = predecessor
        self.successor = successor
        self.kind = kind
        self.lag = lag
    }
}
