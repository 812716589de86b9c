import Foundation
import PMOCore

/// The computed dates and floats of one activity. Finishes are finish-style instants (end of work, e.g. 17:00).
public struct ScheduledActivity: Hashable, Sendable {
    /// The activity.
    public var id: Activity.ID
    /// Early start (local time).
    public var earlyStart: LocalTime
    /// Early finish (local time).
    public var earlyFinish: LocalTime
    /// Late start (local time).
    public var lateStart: LocalTime
    /// Late finish (local time).
    public var lateFinish: LocalTime
    /// Scheduled start: the early start, the late start for ALAP, or the actual start.
    public var start: LocalTime
    /// Scheduled finish: the early finish, the late finish for ALAP, or the actual finish.
    public var finish: LocalTime
    /// Total float in working minutes of the activity's calendar (negative when a constraint forces it).
    public var totalFloat: Int
    /// Free float in working minutes of the activity's calendar.
    public var freeFloat: Int
    /// True when total float is at or below the critical limit.
    public var isCritical: Bool
    /// The predecessor whose link fixes this activity's early dates (no gap), if any; first in plan order on ties.
    public var drivingPredecessor: Activity.ID?
}

/// The outcome of scheduling a plan: one entry per activity in plan order, the project's dates and diagnostics.
public struct ScheduleResult: Hashable, Sendable {
    /// Scheduled activities in the plan's order; empty when nothing could be scheduled (a cycle).
    public var activities: [ScheduledActivity]
    /// The earliest start over all activities.
    public var projectStart: LocalTime
    /// The latest finish over all activities.
    public var projectFinish: LocalTime
    /// Problems found, in a deterministic order.
    public var diagnostics: [ScheduleDiagnostic]

    /// True when dates were computed (no cycle).
    public var isScheduled: Bool { !diagnostics.contains { $0.code == .cycle } }

    /// The scheduled activity with `id`, if any (linear search).
    public func activity(_ id: Activity.ID) -> ScheduledActivity? { activities.first { $0.id == id } }

    /// The chain of driving predecessors ending at `id`, first activity first (just `[id]` when nothing drives it).
    public func drivingPath(to id: Activity.ID) -> [Activity.ID] {
        let byID = Dictionary(activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var path = [id]
        var seen: Set<Activity.ID> = [id]
        while let p = byID[path[path.count - 1]]?.drivingPredecessor, seen.insert(p).inserted { path.append(p) }
        return path.reversed()
    }
}
