import Foundation
import PMOCore

/// The content of a Microsoft Project XML (MSPDI) file, close to the file's own fields.
///
/// Units as in the file: slack and link lag in tenths of a minute are converted to minutes here.
public struct MSPDIDocument: Hashable, Sendable {
    /// Project-level fields.
    public struct Header: Hashable, Sendable {
        /// Project name (`Name`, else `Title`).
        public var name: String = ""
        /// `StartDate`.
        public var startDate: LocalTime?
        /// `FinishDate`.
        public var finishDate: LocalTime?
        /// `StatusDate`.
        public var statusDate: LocalTime?
        /// `CurrentDate`.
        public var currentDate: LocalTime?
        /// `CalendarUID`: the project calendar.
        public var calendarUID: Int = 1
        /// `MinutesPerDay` (default 480).
        public var minutesPerDay: Int = 480
        /// `MinutesPerWeek` (default 2400).
        public var minutesPerWeek: Int = 2400
        /// `DaysPerMonth` (default 20).
        public var daysPerMonth: Int = 20
        /// `ScheduleFromStart` (true unless the file says 0).
        public var scheduleFromStart: Bool = true
    }

    /// A link as stored under a task's `PredecessorLink`.
    public struct Link: Hashable, Sendable {
        /// `PredecessorUID`.
        public var predecessorUID: Int
        /// `Type`: 0 = FF, 1 = FS, 2 = SF, 3 = SS.
        public var type: Int
        /// `LinkLag` in tenths of a minute.
        public var lagTenths: Int
        /// `LagFormat` (7 days, 9 weeks, 8/10 elapsed, 19 percent ...).
        public var lagFormat: Int
    }

    /// A baseline as stored under a task's `Baseline` (numbers 0...10).
    public struct Baseline: Hashable, Sendable {
        /// Baseline number, 0...10.
        public var number: Int
        /// Baseline start.
        public var start: LocalTime?
        /// Baseline finish.
        public var finish: LocalTime?
        /// Baseline duration in minutes.
        public var durationMinutes: Int?
        /// Baseline cost in currency units.
        public var cost: Double?
    }

    /// A task row, with the values Microsoft Project saved.
    public struct Task: Hashable, Sendable {
        /// `UID`.
        public var uid: Int = 0
        /// `ID` (row number).
        public var id: Int = 0
        /// `Name`.
        public var name: String = ""
        /// `IsNull`: a blank row.
        public var isNull = false
        /// `Active` (true unless 0).
        public var isActive = true
        /// `Manual`: manually scheduled.
        public var isManual = false
        /// `Summary`.
        public var isSummary = false
        /// `Milestone`.
        public var isMilestone = false
        /// `OutlineLevel` (0 for the project summary).
        public var outlineLevel = 1
        /// `OutlineNumber`.
        public var outlineNumber = ""
        /// `Duration` in minutes (wall-clock minutes for elapsed formats).
        public var durationMinutes = 0
        /// `DurationFormat`.
        public var durationFormat = 7
        /// Saved `Start`.
        public var start: LocalTime?
        /// Saved `Finish`.
        public var finish: LocalTime?
        /// Saved `EarlyStart`.
        public var earlyStart: LocalTime?
        /// Saved `EarlyFinish`.
        public var earlyFinish: LocalTime?
        /// Saved `LateStart`.
        public var lateStart: LocalTime?
        /// Saved `LateFinish`.
        public var lateFinish: LocalTime?
        /// Saved `TotalSlack` in minutes (nil when absent).
        public var totalSlackMinutes: Int?
        /// Saved `FreeSlack` in minutes (nil when absent).
        public var freeSlackMinutes: Int?
        /// Saved `Critical`.
        public var critical: Bool?
        /// `ConstraintType` 0...7.
        public var constraintType = 0
        /// `ConstraintDate`.
        public var constraintDate: LocalTime?
        /// `Deadline`.
        public var deadline: LocalTime?
        /// `CalendarUID` (-1 = project calendar).
        public var calendarUID = -1
        /// `PercentComplete` 0...100.
        public var percentComplete = 0.0
        /// `ActualStart`.
        public var actualStart: LocalTime?
        /// `ActualFinish`.
        public var actualFinish: LocalTime?
        /// `RemainingDuration` in minutes.
        public var remainingDurationMinutes: Int?
        /// Levelling delay in minutes (the file stores tenths of minutes).
        public var levelingDelayMinutes = 0
        /// Display format of the levelling delay: MSPDI duration format codes, elapsed ones even (4, 6, 8, 10, 12).
        public var levelingDelayFormat = 8
        /// `EffortDriven`.
        public var effortDriven = false
        /// `Cost`.
        public var cost = 0.0
        /// `ActualCost`.
        public var actualCost = 0.0
        /// `BCWS`, `BCWP`, `ACWP` as saved (Microsoft Project's earned value).
        public var bcws: Double?, bcwp: Double?, acwp: Double?
        /// Baselines 0...10.
        public var baselines: [Baseline] = []
        /// Predecessor links.
        public var links: [Link] = []
        /// 1-based line of the `<Task>` element in the file.
        public var line = 0
    }

    /// A resource (kept for levelling later).
    public struct Resource: Hashable, Sendable {
        /// `UID`.
        public var uid = 0
        /// `Name`.
        public var name = ""
        /// `Type`: 0 material, 1 work, 2 cost.
        public var type = 1
        /// `MaxUnits` (1 = 100 %).
        public var maxUnits = 1.0
        /// `StandardRate` per hour.
        public var standardRate = 0.0
        /// `CalendarUID`.
        public var calendarUID: Int?
        /// `EmailAddress`.
        public var email = ""
    }

    /// An assignment of a resource to a task (kept for levelling later).
    public struct Assignment: Hashable, Sendable {
        /// `UID`.
        public var uid = 0
        /// `TaskUID`.
        public var taskUID = 0
        /// `ResourceUID`.
        public var resourceUID = 0
        /// `Units` (1 = 100 %).
        public var units = 1.0
        /// `Work` in minutes.
        public var workMinutes = 0
        /// `Cost`.
        public var cost = 0.0
    }

    /// Project fields.
    public var header = Header()
    /// Calendars, resolved (derived calendars carry their base's week and exceptions).
    public var calendars: [WorkCalendar] = []
    /// Tasks in file order, including the UID-0 project summary when present.
    public var tasks: [Task] = []
    /// Resources in file order.
    public var resources: [Resource] = []
    /// Assignments in file order.
    public var assignments: [Assignment] = []

    /// MSPDI duration/lag formats counted in elapsed time.
    public static let elapsedFormats: Set<Int> = [4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52]
}
