import Foundation

/// What makes an interface a worry besides a design deadline passed without agreement (`RegisterRules.isOverdue`):
/// its connection test ends after a milestone of the plan that needs it.
public enum InterfaceFlags {
    /// The statuses in which the connection test is behind the interface (nothing left to be late for).
    public static let testedStatuses: Set<String> = ["connection_tested", "accepted"]

    /// The milestones (plan activity ids) among `neededBy` that come before the interface's connection test ends: the
    /// actual end once there is one, else the planned end. `dates` gives each activity's date (a milestone's day, a
    /// task's finish); an activity no longer in the plan, or an interface without a test end, is not flagged.
    public static func lateFor(status: String, details: [String: RegisterValue], dates: [Int: CalendarDate]) -> [Int] {
        guard !testedStatuses.contains(status), let needed = details["neededBy"]?.activities,
              let end = details["testActualEnd"]?.date ?? details["testPlannedEnd"]?.date else { return [] }
        return needed.filter { id in dates[id].map { end > $0 } ?? false }
    }
}
