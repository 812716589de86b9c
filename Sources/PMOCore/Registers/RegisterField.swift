import Foundation

/// One register-specific field: its API / form / spreadsheet name, what values it takes, and whether the product
/// sets it (an automatic field is shown but never written by users, e.g. when a decision was made).
public struct RegisterFieldSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// One line of text, at most `max` characters.
        case text(max: Int)
        /// Free text over several lines (up to `RegisterRules.textMax`).
        case longText
        /// A 1–5 rating (probability, impact).
        case level
        /// A non-negative amount (yen, hours).
        case amount
        /// A whole number of working days on the Japanese calendar (may be negative: a saving).
        case workDays
        case date
        case choice([String])
        case bool
        /// A member of the project.
        case user
        case company
        /// A risk's early-warning indicators (予兆), each watched or triggered.
        case indicators
        /// A decision's options with pros, cons and figures.
        case options
        /// Another item of the same project, of this type, by its number (an interface's source system, `S3`).
        case item(ItemType)
        /// Items of the same project, of this type, in order (a business function's interfaces, `F3, F7`).
        case items(ItemType)
        /// Activities of the project's plan, by their ids (`12, 14`): the work that builds a requirement.
        case activities
        /// Resources of the resources register, by id: a unit's members (people and placeholders, with or without an
        /// account) or a system's environments (equipment, whose absences are when the environment is unavailable).
        case resources(ResourcePick)
    }

    public var name: String
    public var kind: Kind
    public var required: Bool
    public var automatic: Bool

    public init(_ name: String, _ kind: Kind, required: Bool = false, automatic: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
        self.automatic = automatic
    }

    public static let riskCategories = ["schedule", "cost", "quality", "scope", "technical", "resource", "vendor", "external", "other"]
    public static let threatStrategies = ["avoid", "mitigate", "transfer", "accept", "escalate"]
    public static let opportunityStrategies = ["exploit", "enhance", "share", "accept", "escalate"]

    static let risk: [RegisterFieldSpec] = [
        .init("riskType", .choice(["threat", "opportunity"]), required: true),
        .init("category", .choice(riskCategories), required: true),
        .init("cause", .longText),
        .init("event", .longText),
        .init("effect", .longText),
        .init("probability", .level, required: true),
        .init("impactSchedule", .level, required: true),
        .init("impactCost", .level, required: true),
        .init("impactQuality", .level, required: true),
        .init("proximity", .choice(["imminent", "near_term", "long_term"])),
        .init("indicators", .indicators),
        .init("strategy", .choice(["avoid", "mitigate", "transfer", "accept", "escalate", "exploit", "enhance", "share"])),
        .init("responseActions", .longText),
        .init("reviewDate", .date),
        .init("residualProbability", .level),
        .init("residualImpact", .level),
    ]

    static let decision: [RegisterFieldSpec] = [
        .init("category", .text(max: 60)),
        .init("context", .longText),
        .init("options", .options),
        .init("recommendation", .longText),
        .init("decider", .user),
        .init("authority", .text(max: 200), automatic: true),
        .init("decision", .longText),
        .init("rationale", .longText),
        .init("informed", .text(max: 500)),
        .init("decidedOn", .date, automatic: true),
        .init("leadTimeDays", .workDays, automatic: true),
    ]

    static let question: [RegisterFieldSpec] = [
        .init("askedBy", .user),
        .init("addressedTo", .user),
        .init("addressedCompany", .company),
        .init("relatedTo", .text(max: 200)),
        .init("blocksWork", .bool),
        .init("answer", .longText),
        .init("answeredBy", .user, automatic: true),
        .init("answeredOn", .date, automatic: true),
        .init("changesSpecification", .bool),
    ]

    static let change: [RegisterFieldSpec] = [
        .init("reason", .longText),
        .init("requestedBy", .text(max: 200)),
        .init("affectedDocuments", .longText),
        // The systems and requirements it affects, as items of their registers; the free text beside them is what
        // was written before those registers existed (M028 matched what it could into the references).
        .init("impactedSystems", .items(.system)),
        .init("affectedSystems", .text(max: 500)),
        .init("impactedRequirements", .items(.requirement)),
        .init("affectedRequirements", .text(max: 500)),
        .init("costImpact", .amount),
        .init("impactScheduleDays", .workDays),
        .init("impactEffortHours", .amount),
        // A member (M016 matched the free-text approvers of older versions to members); approves whatever their role.
        .init("approver", .user),
        .init("approvedBy", .user, automatic: true),
        .init("approvedOn", .date, automatic: true),
        .init("specificationVersion", .text(max: 60)),
    ]

    static let action: [RegisterFieldSpec] = [
        .init("doneOn", .date),
    ]

    public static let systemKinds = ["new", "changed", "retired", "external"]

    /// Fields whose choices have words of their own, because the same value means something else in another
    /// register (a system's kind `external`, 外部システム, against a risk's category `external`, 外部要因).
    static let fieldsWithOwnChoiceWords: Set<String> = ["systemKind", "nfrGroup", "moscow", "sourceType", "testLevel", "unitKind", "minPriority", "escalationLevel", "rowKind"]

    /// The catalogue key of a choice's word: `rc.<value>`, shared by the registers (a risk's and a decision's
    /// `schedule`), or `rc.<field>.<value>` for the fields above.
    public static func choiceWordKey(field: String, value: String) -> String {
        fieldsWithOwnChoiceWords.contains(field) ? "rc.\(field).\(value)" : "rc." + value
    }

    /// A system of the project (its name is the title, its notes the description; the common company is the one
    /// responsible for it in this project).
    static let system: [RegisterFieldSpec] = [
        .init("code", .text(max: 12)),
        .init("systemKind", .choice(systemKinds), required: true),
        .init("ownerDepartment", .text(max: 200)),
        .init("builtBy", .company),
        .init("runBy", .company),
        // Environments are equipment resources: their absences are the windows when they are unavailable.
        .init("envDevelopment", .resources(.equipment)),
        .init("envTest", .resources(.equipment)),
        .init("envStaging", .resources(.equipment)),
        .init("envProduction", .resources(.equipment)),
    ]

    public static let interfaceMethods = ["file", "api", "message_queue", "db_link", "screen"]

    /// An interface between two systems (a row of the IF一覧); its due date is the design deadline.
    static let interface: [RegisterFieldSpec] = [
        .init("source", .item(.system), required: true),
        .init("target", .item(.system), required: true),
        .init("data", .text(max: 500)),
        .init("direction", .choice(["one_way", "two_way"])),
        .init("method", .choice(interfaceMethods), required: true),
        .init("frequency", .text(max: 200)),
        .init("volume", .text(max: 200)),
        .init("novelty", .choice(["new", "changed"])),
        .init("sourceVendor", .company),
        .init("targetVendor", .company),
        .init("specVersion", .text(max: 60)),
        .init("testPlannedStart", .date),
        .init("testPlannedEnd", .date),
        .init("testActualStart", .date),
        .init("testActualEnd", .date),
        // The plan's milestones that need the interface working: a connection test ending after one is flagged.
        .init("neededBy", .activities),
    ]

    /// The most steps a business function lists.
    public static let stepsMax = 60

    /// A business function (業務機能): the interfaces it uses, in the order it uses them, which its sequence diagram
    /// draws.
    static let function: [RegisterFieldSpec] = [
        .init("steps", .items(.interface)),
        .init("trigger", .text(max: 200)),
        .init("department", .text(max: 200)),
    ]

    /// The non-functional requirement grade groups of IPA (非機能要求グレード).
    public static let nfrGroups = ["availability", "performance", "operability", "migration", "security", "environment"]
    public static let moscowPriorities = ["must", "should", "could", "wont"]
    /// The most activities a requirement names.
    public static let activitiesMax = 200

    /// A requirement (a row of the 要件一覧): functional or non-functional (then by its IPA grade group), its MoSCoW
    /// priority, where it came from, how it is accepted, the systems that realise it and the plan activities that
    /// build it. `agreedOn` is the day it was first agreed: a change raised after it changed an agreed requirement.
    static let requirement: [RegisterFieldSpec] = [
        .init("requirementType", .choice(["functional", "non_functional"]), required: true),
        .init("nfrGroup", .choice(nfrGroups)),
        .init("area", .text(max: 200)),
        .init("moscow", .choice(moscowPriorities), required: true),
        .init("sourceType", .choice(["meeting", "question", "document", "interview", "other"])),
        .init("sourceReference", .text(max: 200)),
        .init("acceptanceCriteria", .longText),
        .init("systems", .items(.system)),
        .init("activities", .activities),
        .init("agreedOn", .date, automatic: true),
    ]

    public static let testLevels = ["unit", "integration", "system", "connection", "acceptance", "operational"]

    /// A test that verifies requirements: its level, the requirements it verifies, the interface a connection test
    /// exercises and the day it was run; its status is its result (planned, passed, failed, blocked) and its due date
    /// the day it is to be run.
    static let test: [RegisterFieldSpec] = [
        .init("testLevel", .choice(testLevels), required: true),
        .init("verifies", .items(.requirement)),
        .init("interface", .item(.interface)),
        .init("executedOn", .date),
    ]

    public static let unitKinds = ["steering", "pmo", "business", "vendor", "other"]
    /// The most resources a field lists.
    public static let resourcesMax = 300

    /// A unit of the project's organisation (体制図): the steering committee, the PMO, a business team, a vendor's
    /// team. Its company is the common company; its name the title, its duties the description.
    static let unit: [RegisterFieldSpec] = [
        .init("unitKind", .choice(unitKinds), required: true),
        .init("reportsTo", .item(.unit)),
        .init("head", .user),
        .init("deputy", .user),
        .init("members", .resources(.people)),
        .init("roles", .longText),
    ]

    /// An escalation route: an issue of at least `minPriority` that the `fromUnit` has not resolved within
    /// `withinDays` working days goes to `toUnit`, at escalation level `escalationLevel` (1 to 3).
    static let escalation: [RegisterFieldSpec] = [
        .init("fromUnit", .item(.unit), required: true),
        .init("toUnit", .item(.unit), required: true),
        .init("escalationLevel", .choice(["1", "2", "3"]), required: true),
        .init("minPriority", .choice(["low", "medium", "high", "critical"]), required: true),
        .init("withinDays", .workDays, required: true),
    ]

    /// A row of the RACI table: the function or deliverable is the title; one unit is accountable, one or more
    /// responsible, others consulted or informed. `rowKind` says whether it is a function or a deliverable.
    static let raci: [RegisterFieldSpec] = [
        .init("rowKind", .choice(["function", "deliverable"]), required: true),
        .init("phase", .text(max: 100)),
        .init("responsible", .items(.unit), required: true),
        .init("accountable", .item(.unit), required: true),
        .init("consulted", .items(.unit)),
        .init("informedUnits", .items(.unit)),
    ]
}

/// An early-warning sign of a risk and whether it has been seen.
public struct WarningIndicator: Sendable, Equatable, Hashable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable { case watching, triggered }
    public var text: String
    public var status: Status
    public init(text: String, status: Status = .watching) {
        self.text = text
        self.status = status
    }
}

/// One option of a decision, with what speaks for and against it and what it costs.
public struct DecisionOption: Sendable, Equatable, Hashable, Codable {
    public var title: String
    public var pros: String
    public var cons: String
    /// Cost in yen.
    public var cost: Double?
    /// Effect on the schedule in working days.
    public var scheduleDays: Int?
    /// Effort in person-hours.
    public var effortHours: Double?

    public init(title: String, pros: String = "", cons: String = "", cost: Double? = nil, scheduleDays: Int? = nil,
                effortHours: Double? = nil) {
        self.title = title
        self.pros = pros
        self.cons = cons
        self.cost = cost
        self.scheduleDays = scheduleDays
        self.effortHours = effortHours
    }
}

/// A value of a register-specific field. An absent field has no entry.
public enum RegisterValue: Sendable, Equatable, Hashable {
    case text(String)
    case integer(Int)
    case number(Double)
    case date(CalendarDate)
    case bool(Bool)
    case user(UserID)
    case company(CompanyID)
    case indicators([WarningIndicator])
    case options([DecisionOption])
    /// A numbered item of the same project (no project key).
    case item(ItemReference)
    /// Numbered items of the same project, in order.
    case items([ItemReference])
    /// Plan activities of the same project, by id, in order.
    case activities([Int])
    /// Resources by id, in order.
    case resources([UUID])

    public var text: String? { if case .text(let v) = self { v } else { nil } }
    public var integer: Int? { if case .integer(let v) = self { v } else { nil } }
    public var number: Double? {
        switch self {
        case .number(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }
    public var date: CalendarDate? { if case .date(let v) = self { v } else { nil } }
    public var bool: Bool? { if case .bool(let v) = self { v } else { nil } }
    public var user: UserID? { if case .user(let v) = self { v } else { nil } }
    public var company: CompanyID? { if case .company(let v) = self { v } else { nil } }
    public var indicators: [WarningIndicator]? { if case .indicators(let v) = self { v } else { nil } }
    public var options: [DecisionOption]? { if case .options(let v) = self { v } else { nil } }
    public var item: ItemReference? { if case .item(let v) = self { v } else { nil } }
    public var items: [ItemReference]? { if case .items(let v) = self { v } else { nil } }
    public var activities: [Int]? { if case .activities(let v) = self { v } else { nil } }
    public var resources: [UUID]? { if case .resources(let v) = self { v } else { nil } }
    /// The items the value names (one for `.item`, the list for `.items`, none otherwise).
    public var namedItems: [ItemReference] {
        switch self {
        case .item(let ref): [ref]
        case .items(let refs): refs
        default: []
        }
    }
}
