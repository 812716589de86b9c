import Foundation

/// One row of a plan's WBS: a summary, a task or a milestone.
public struct Activity: Hashable, Sendable, Identifiable {
    /// Identifies an activity within a plan (the MSPDI task UID or PSPLIB job number where imported).
    public struct ID: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The raw number.
        public let rawValue: Int
        /// Wraps a raw number.
        public init(_ rawValue: Int) { self.rawValue = rawValue }
        public var description: String { String(rawValue) }
        public static func < (a: ID, b: ID) -> Bool { a.rawValue < b.rawValue }
    }

    /// What the row is.
    public enum Kind: String, Hashable, Sendable {
        /// Rolls up its children; its own duration is ignored by the scheduler.
        case summary
        /// Work with a duration.
        case task
        /// A point in time (duration 0).
        case milestone
    }

    /// This activity's id.
    public var id: ID
    /// Display name.
    public var name: String
    /// Summary, task or milestone.
    public var kind: Kind
    /// The parent summary in the WBS, nil at the top level.
    public var parent: ID?
    /// Duration (working or elapsed minutes, ≥ 0); milestones use 0.
    public var duration: WorkDuration
    /// Calendar for the activity's working time; nil means the plan's default calendar.
    public var calendarID: WorkCalendar.ID?
    /// Date constraint (ASAP by default).
    public var constraint: ActivityConstraint
    /// Optional deadline (local time): missing it is a diagnostic, and late dates honour it.
    public var deadline: LocalTime?
    /// Progress to date.
    public var progress: ActivityProgress
    /// Budget at completion in currency units (for earned value), 0 when unknown.
    public var budgetedCost: Double
    /// Actual cost to date in currency units (for earned value).
    public var actualCost: Double
    /// Set for a manually scheduled activity (MS Project "Manual"): it starts here whatever its links say.
    public var manualStart: LocalTime?
    /// Finish of a manually scheduled activity; nil means start + duration.
    public var manualFinish: LocalTime?
    /// Saved baselines (at most one per number 0...10).
    public var baselines: [ActivityBaseline]
    /// How long levelling holds the activity back from its early start (MS Project's Leveling Delay, elapsed time
    /// by default): the start is the early start plus this, moved to the next working time. Zero when not levelled.
    public var levelingDelay: WorkDuration
    /// MS Project's EffortDriven: the work stays when resources change (kept through MSPDI; the store applies it).
    public var effortDriven: Bool = false

    /// An activity; defaults to an ASAP task without progress.
    public init(
        id: ID, name: String, kind: Kind = .task, parent: ID? = nil, duration: WorkDuration = .zero,
        calendarID: WorkCalendar.ID? = nil, constraint: ActivityConstraint = .asap, deadline: LocalTime? = nil,
        progress: ActivityProgress = .none, budgetedCost: Double = 0, actualCost: Double = 0,
        manualStart: LocalTime? = nil, manualFinish: LocalTime? = nil, baselines: [ActivityBaseline] = [],
        levelingDelay: WorkDuration = .zero
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parent = parent
        self.duration = duration
        self.calendarID = calendarID
        self.constraint = constraint
        self.deadline = deadline
        self.progress = progress
        self.budgetedCost = budgetedCost
        self.actualCost = actualCost
        self.manualStart = manualStart
        self.manualFinish = manualFinish
        self.baselines = baselines
        self.levelingDelay = levelingDelay
    }
}
