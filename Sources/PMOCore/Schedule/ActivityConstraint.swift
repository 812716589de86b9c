import Foundation

/// A date constraint on an activity, as in Microsoft Project.
public struct ActivityConstraint: Hashable, Sendable {
    /// Constraint types (MSPDI ConstraintType numbers in comments).
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// As soon as possible (0); no date.
        case asSoonAsPossible = "ASAP"
        /// As late as possible (1); no date.
        case asLateAsPossible = "ALAP"
        /// Must start on (2).
        case mustStartOn = "MSO"
        /// Must finish on (3).
        case mustFinishOn = "MFO"
        /// Start no earlier than (4).
        case startNoEarlierThan = "SNET"
        /// Start no later than (5).
        case startNoLaterThan = "SNLT"
        /// Finish no earlier than (6).
        case finishNoEarlierThan = "FNET"
        /// Finish no later than (7).
        case finishNoLaterThan = "FNLT"
    }

    /// The constraint type.
    public var kind: Kind
    /// The constraint date (local time); nil for ASAP and ALAP.
    public var date: LocalTime?

    /// A constraint; `date` is required for every kind except ASAP/ALAP (a missing date makes it act like ASAP).
    public init(_ kind: Kind, date: LocalTime? = nil) {
        self.kind = kind
        self.date = date
    }

    /// As soon as possible.
    public static let asap = ActivityConstraint(.asSoonAsPossible)
}
