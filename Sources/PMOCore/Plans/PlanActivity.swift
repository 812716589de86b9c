import Foundation

/// How an activity's budget is set: a fixed amount, or effort hours priced at the hourly rate of the company doing it.
public enum CostBasis: String, Sendable, Hashable, CaseIterable, Codable {
    case fixed
    case effort
}

/// One activity of a project's plan as the product stores it: the engine's fields plus who does it and what it costs.
///
/// An activity with children is a summary, whatever `kind` says; a milestone has no duration.
public struct PlanActivity: Sendable, Hashable {
    /// Stable per-project number; the engine's `Activity.ID`, the MSPDI task UID on export, and the API's `{uid}`.
    public var uid: Int
    public var parentUID: Int?
    /// Order among its siblings (ascending).
    public var position: Int
    public var name: String
    /// `.task` or `.milestone` as entered; `.summary` only as imported (see `isSummary` in the snapshot).
    public var kind: Activity.Kind
    public var duration: WorkDuration
    public var constraint: ActivityConstraint
    public var deadline: LocalTime?
    /// The activity's own calendar, nil for "its company's calendar, else the project's".
    public var calendarUID: Int?
    public var ownerID: UserID?
    public var companyID: CompanyID?
    /// The system the work belongs to: a reference to the systems register (`S3`, see `systemNumber`), or free text
    /// written before the system was registered (listed under Systems › Free text until it is settled).
    public var system: String
    public var phaseID: UUID?
    public var costBasis: CostBasis
    /// The budget when `costBasis` is `.fixed`, in whole yen.
    public var budgetAmount: Money
    /// The planned effort when `costBasis` is `.effort`.
    public var effortHours: Double
    /// Manually scheduled dates (MS Project "Manual" tasks), kept so imported plans schedule the same.
    public var manualStart: LocalTime?
    public var manualFinish: LocalTime?
    public var progress: ActivityProgress
    /// Actual cost to date, in whole yen; when nil, actual hours × the company's rate is used.
    public var actualCost: Money?
    public var actualHours: Double
    /// The status date of the last progress update.
    public var progressStatusDate: CivilDate?
    public var notes: String
    /// Set by levelling (MS Project's Leveling Delay): how far the activity waits after its links allow it to start.
    public var levelingDelay: WorkDuration
    /// Effort-driven (MS Project's EffortDriven): the work stays as it is when resources are added or removed, so the
    /// duration follows (see `EffortDriven`). Off by default: PMOs fix durations.
    public var effortDriven: Bool = false

    /// The number of the registered system `system` names (`S3` → 3); nil for free text or none.
    public var systemNumber: Int? { Self.systemNumber(system) }

    /// `S3` → 3: the stored form of a reference to the systems register (the store writes exactly this).
    public static func systemNumber(_ text: String) -> Int? {
        guard text.hasPrefix("S"), let n = Int(text.dropFirst()), n > 0, "S\(n)" == text else { return nil }
        return n
    }

    public init(uid: Int, parentUID: Int? = nil, position: Int = 0, name: String, kind: Activity.Kind = .task,
                duration: WorkDuration = .zero, constraint: ActivityConstraint = .asap, deadline: LocalTime? = nil,
                calendarUID: Int? = nil, ownerID: UserID? = nil, companyID: CompanyID? = nil, system: String = "",
                phaseID: UUID? = nil, costBasis: CostBasis = .fixed, budgetAmount: Money = .zero, effortHours: Double = 0,
                manualStart: LocalTime? = nil, manualFinish: LocalTime? = nil, progress: ActivityProgress = .none,
                actualCost: Money? = nil, actualHours: Double = 0, progressStatusDate: CivilDate? = nil, notes: String = "",
                levelingDelay: WorkDuration = .zero) {
        self.uid = uid
        self.parentUID = parentUID
        self.position = position
        self.name = name
        self.kind = kind
        self.duration = duration
        self.constraint = constraint
        self.deadline = deadline
        self.calendarUID = calendarUID
        self.ownerID = ownerID
        self.companyID = companyID
        self.system = system
        self.phaseID = phaseID
        self.costBasis = costBasis
        self.budgetAmount = budgetAmount
        self.effortHours = effortHours
        self.manualStart = manualStart
        self.manualFinish = manualFinish
        self.progress = progress
        self.actualCost = actualCost
        self.actualHours = actualHours
        self.progressStatusDate = progressStatusDate
        self.notes = notes
        self.levelingDelay = levelingDelay
    }

    /// The budget at completion: the fixed amount, or effort hours × `rate` (nil rate counts as 0), rounded half up
    /// to the yen (`Money(rounding:)`, the product's one rounding rule).
    public func budget(rate: Money?) -> Money {
        costBasis == .fixed ? budgetAmount : Self.cost(hours: effortHours, rate: rate)
    }

    /// Actual cost to date: the recorded amount, else actual hours × `rate`, rounded half up to the yen.
    public func actual(rate: Money?) -> Money {
        actualCost ?? Self.cost(hours: actualHours, rate: rate)
    }

    /// Hours at an hourly rate, rounded half up to the yen (held below 9 × 10^15 yen, where a Double still counts
    /// every yen: no real plan comes near it).
    public static func cost(hours: Double, rate: Money?) -> Money {
        guard let rate else { return .zero }
        return Money(rounding: min(max(hours * rate.approximate, -9e15), 9e15), rate.currency) ?? .zero
    }
}

/// A link between two activities of a plan, by their uids.
public struct PlanDependency: Sendable, Hashable {
    public var id: UUID
    public var predecessorUID: Int
    public var successorUID: Int
    public var kind: Dependency.Kind
    public var lag: DependencyLag

    public init(id: UUID = UUID(), predecessorUID: Int, successorUID: Int, kind: Dependency.Kind = .finishToStart,
                lag: DependencyLag = .zero) {
        self.id = id
        self.predecessorUID = predecessorUID
        self.successorUID = successorUID
        self.kind = kind
        self.lag = lag
    }
}

/// A calendar of a plan. A company's calendar is derived from the project's: it adds the company's own closures.
public struct PlanCalendar: Sendable, Hashable {
    public var uid: Int
    /// The calendar's rules; for a derived calendar only `exceptions` (the closures) are its own.
    public var calendar: WorkCalendar
    /// The calendar this one derives from (the project calendar for a company's).
    public var baseUID: Int?
    /// The company whose activities use this calendar, if any.
    public var companyID: CompanyID?

    public init(uid: Int, calendar: WorkCalendar, baseUID: Int? = nil, companyID: CompanyID? = nil) {
        self.uid = uid
        self.calendar = calendar
        self.baseUID = baseUID
        self.companyID = companyID
    }
}

/// A company's terms in one project's plan: its hourly rate and its calendar.
public struct PlanCompanyTerms: Sendable, Hashable {
    public var companyID: CompanyID
    /// Yen per hour.
    public var hourlyRate: Money?
    public var calendarUID: Int?
    public init(companyID: CompanyID, hourlyRate: Money? = nil, calendarUID: Int? = nil) {
        self.companyID = companyID
        self.hourlyRate = hourlyRate
        self.calendarUID = calendarUID
    }
}

/// A phase of the master schedule, with the project's definition of the term (vendors name phases differently).
public struct PlanPhase: Sendable, Hashable {
    public var id: UUID
    public var name: String
    /// What the phase covers, in the project's words.
    public var definition: String
    /// When the phase counts as finished.
    public var exitCriteria: String
    public init(id: UUID = UUID(), name: String, definition: String = "", exitCriteria: String = "") {
        self.id = id
        self.name = name
        self.definition = definition
        self.exitCriteria = exitCriteria
    }
}
