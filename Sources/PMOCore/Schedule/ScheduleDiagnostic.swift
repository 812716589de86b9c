import Foundation

/// A problem found while scheduling, with a stable code and the activities involved; returned with the result.
public struct ScheduleDiagnostic: Hashable, Sendable {
    /// Stable machine-readable codes.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// Links form a cycle; nothing can be scheduled. Names the activities on the cycle.
        case cycle = "schedule.cycle"
        /// A must/no-later-than constraint cannot hold with the links; the constraint wins. Names the activity.
        case constraintConflict = "schedule.constraint_conflict"
        /// Total float below zero (a constraint or deadline is too early). Names the activities.
        case negativeFloat = "schedule.negative_float"
        /// The early finish is after the deadline. Names the activity.
        case deadlineMissed = "schedule.deadline_missed"
        /// A link names an activity that does not exist; the link is ignored.
        case unknownActivity = "schedule.unknown_activity"
        /// An activity names a calendar that does not exist; the default calendar is used.
        case unknownCalendar = "schedule.unknown_calendar"
        /// An activity's calendar has no working time in the plan's span; its dates are meaningless. Names the activities.
        case noWorkingTime = "schedule.no_working_time"
    }

    /// What went wrong.
    public var code: Code
    /// A readable sentence in English.
    public var message: String
    /// The activities involved, in plan order.
    public var activities: [Activity.ID]

    /// A diagnostic.
    public init(_ code: Code, _ message: String, activities: [Activity.ID]) {
        self.code = code
        self.message = message
        self.activities = activities
    }
}
