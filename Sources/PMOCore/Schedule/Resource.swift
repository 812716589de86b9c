import Foundation

/// A person, machine, material or cost item that work is assigned to (kept for levelling).
public struct Resource: Hashable, Sendable, Identifiable {
    /// Identifies a resource within a plan (MSPDI resource UID where imported).
    public struct ID: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The raw number.
        public let rawValue: Int
        /// Wraps a raw number.
        public init(_ rawValue: Int) { self.rawValue = rawValue }
        public var description: String { String(rawValue) }
        public static func < (a: ID, b: ID) -> Bool { a.rawValue < b.rawValue }
    }

    /// What the resource is (MSPDI Type: 0 material, 1 work, 2 cost).
    public enum Kind: String, Hashable, Sendable {
        /// Consumed in units (MSPDI 0).
        case material
        /// Works in time (MSPDI 1).
        case work
        /// A cost item (MSPDI 2).
        case cost
    }

    /// This resource's id.
    public var id: ID
    /// Display name.
    public var name: String
    /// Work, material or cost.
    public var kind: Kind
    /// Maximum units available at once, 1 = 100 % of one full-time resource (≥ 0).
    public var maxUnits: Double
    /// Standard rate in currency units per hour of work.
    public var standardRatePerHour: Double
    /// The resource's own calendar, if any.
    public var calendarID: WorkCalendar.ID?
    /// E-mail address (MSPDI EmailAddress): how an imported resource is matched to a person.
    public var email: String

    /// A resource; defaults to one full-time worker without a rate.
    public init(
        id: ID, name: String, kind: Kind = .work, maxUnits: Double = 1, standardRatePerHour: Double = 0,
        calendarID: WorkCalendar.ID? = nil, email: String = ""
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.maxUnits = maxUnits
        self.standardRatePerHour = standardRatePerHour
        self.calendarID = calendarID
        self.email = email
    }
}
