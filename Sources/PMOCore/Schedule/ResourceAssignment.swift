import Foundation

/// A resource assigned to an activity (kept for levelling; the CPM does not use it yet).
public struct ResourceAssignment: Hashable, Sendable {
    /// The assignment's own number (MSPDI assignment UID where imported).
    public var number: Int
    /// The activity worked on.
    public var activity: Activity.ID
    /// The resource doing it.
    public var resource: Resource.ID
    /// Units of the resource, 1 = 100 % (≥ 0).
    public var units: Double
    /// Work in minutes (person-minutes for work resources).
    public var workMinutes: Int
    /// Cost in currency units.
    public var cost: Double

    /// An assignment.
    public init(
        number: Int, activity: Activity.ID, resource: Resource.ID, units: Double = 1, workMinutes: Int = 0,
        cost: Double = 0
    ) {
        self.number = number
        self.activity = activity
        self.resource = resource
        self.units = units
        self.workMinutes = workMinutes
        self.cost = cost
    }
}
