import Foundation

/// Everything the scheduler needs: activities in WBS order, their links, calendars and the project start.
public struct SchedulePlan: Hashable, Sendable {
    /// Plan name.
    public var name: String
    /// Earliest start of any activity (local time in the default calendar's time zone).
    public var start: LocalTime
    /// Calendars by id; must contain `defaultCalendarID`.
    public var calendars: [WorkCalendar]
    /// The calendar of activities without their own.
    public var defaultCalendarID: WorkCalendar.ID
    /// Activities in display (WBS) order; summaries precede their children.
    public var activities: [Activity]
    /// Links between activities.
    public var dependencies: [Dependency]
    /// Status date stored with the plan, if any (the scheduler takes its own).
    public var statusDate: LocalTime?
    /// Working minutes per day used to show durations in days (MS Project's MinutesPerDay, default 480).
    public var minutesPerDay: Int
    /// Resources (kept for levelling; not used by the critical path).
    public var resources: [Resource]
    /// Assignments of resources to activities (kept for levelling).
    public var assignments: [ResourceAssignment]

    /// A plan.
    public init(
        name: String, start: LocalTime, calendars: [WorkCalendar], defaultCalendarID: WorkCalendar.ID,
        activities: [Activity], dependencies: [Dependency], statusDate: LocalTime? = nil, minutesPerDay: Int = 480,
        resources: [Resource] = [], assignments: [ResourceAssignment] = []
    ) {
        self.name = name
        self.start = start
        self.calendars = calendars
        self.defaultCalendarID = defaultCalendarID
        self.activities = activities
        self.dependencies = dependencies
        self.statusDate = statusDate
        self.minutesPerDay = minutesPerDay
        self.resources = resources
        self.assignments = assignments
    }
}
