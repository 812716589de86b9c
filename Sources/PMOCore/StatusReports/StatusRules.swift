import Foundation

/// Red, amber, green; grey when there is nothing to measure yet (no plan, no actual cost).
public enum RAG: String, CaseIterable, Sendable, Codable, Comparable {
    case grey, green, amber, red

    var rank: Int {
        switch self {
        case .grey: 0
        case .green: 1
        case .amber: 2
        case .red: 3
        }
    }

    public static func < (a: RAG, b: RAG) -> Bool { a.rank < b.rank }
}

/// The areas a status report rates; `overall` is the worst of the others unless the PMO overrides it.
public enum StatusArea: String, CaseIterable, Sendable, Codable {
    case overall, schedule, cost, scope, quality, risk

    public static let measured: [StatusArea] = [.schedule, .cost, .scope, .quality, .risk]
}

/// Why an area has its colour: a stable code and its values; the words are the reader's language.
public struct StatusReason: Sendable, Equatable, Hashable, Codable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// values: SPI
        case spi
        /// values: milestone name, working days late
        case milestoneLate = "milestone_late"
        /// no values
        case noPlan = "no_plan"
        /// values: CPI
        case cpi
        /// values: EAC, BAC, percent over
        case eacOverBudget = "eac_over_budget"
        /// no values
        case noActuals = "no_actuals"
        /// values: approved in total, approved since the last report, working days added, cost added
        case changesApproved = "changes_approved"
        /// values: count
        case changesPending = "changes_pending"
        /// values: count
        case criticalIssues = "critical_issues"
        /// values: count
        case highIssues = "high_issues"
        /// values: count
        case qualityRisks = "quality_risks"
        /// values: count, score at or above
        case risksAbove = "risks_above"
        /// values: risk reference, sign
        case triggered
        /// values: count of open risks, the threshold none of them reaches
        case risksUnder = "risks_under"
        /// values: the worst area
        case worstArea = "worst_area"
        /// values: open signals that need action (red), that need attention (amber); added to the overall area from
        /// the project's signals, without changing its colour
        case signals
    }

    public var code: Code
    public var values: [String]

    public init(_ code: Code, _ values: [String] = []) {
        self.code = code
        self.values = values
    }
}

/// One area's rating: what the rules computed and why, and the PMO's override with its stated reason.
public struct AreaStatus: Sendable, Equatable, Codable {
    public var area: StatusArea
    public var computed: RAG
    public var reasons: [StatusReason]
    public var override: RAG?
    public var overrideReason: String?

    public init(area: StatusArea, computed: RAG, reasons: [StatusReason], override: RAG? = nil, overrideReason: String? = nil) {
        self.area = area
        self.computed = computed
        self.reasons = reasons
        self.override = override
        self.overrideReason = overrideReason
    }

    /// The colour the report shows.
    public var rag: RAG { override ?? computed }
}

/// A milestone as a status report shows it.
public struct MilestoneStatus: Sendable, Equatable, Codable {
    public var uid: Int
    public var name: String
    public var baselineFinish: CalendarDate?
    public var forecastFinish: CalendarDate
    /// Working days later than the baseline (negative: earlier).
    public var slipDays: Double?
    public var done: Bool

    public init(uid: Int, name: String, baselineFinish: CalendarDate?, forecastFinish: CalendarDate, slipDays: Double?, done: Bool) {
        self.uid = uid
        self.name = name
        self.baselineFinish = baselineFinish
        self.forecastFinish = forecastFinish
        self.slipDays = slipDays
        self.done = done
    }
}

/// The measurements the status rules look at, taken from live data at the status date.
public struct StatusMetrics: Sendable, Equatable, Codable {
    // Schedule, from the plan against its baseline.
    public var hasPlan: Bool
    public var spi: Double?
    /// PV and EV as percentages (0–100) of the budget at completion.
    public var plannedPercent: Double?
    public var earnedPercent: Double?
    public var milestones: [MilestoneStatus]
    // Cost, from earned value (yen).
    public var bac: Double
    public var pv: Double
    public var ev: Double
    public var ac: Double
    public var cpi: Double?
    public var eac: Double?
    // Scope, from the change register.
    public var changesApproved: Int
    public var changesApprovedSinceLast: Int
    public var changeDaysApproved: Double
    public var changeCostApproved: Double
    public var changesPending: Int
    // Quality, from the issue and risk registers.
    public var openIssues: Int
    public var openCriticalIssues: Int
    public var openHighIssues: Int
    public var openQualityRisks: Int
    // Risk, from the risk register.
    public var openRisks: Int
    public var riskThreshold: Int
    public var risksAboveThreshold: Int
    public var risksRed: Int
    /// Triggered warning signs of open risks: (risk reference, sign, risk score).
    public var triggered: [TriggeredSign]

    public struct TriggeredSign: Sendable, Equatable, Codable {
        public var reference: String
        public var sign: String
        public var score: Int
        public init(reference: String, sign: String, score: Int) {
            self.reference = reference
            self.sign = sign
            self.score = score
        }
    }

    public init(hasPlan: Bool = false, spi: Double? = nil, plannedPercent: Double? = nil, earnedPercent: Double? = nil,
                milestones: [MilestoneStatus] = [], bac: Double = 0, pv: Double = 0, ev: Double = 0, ac: Double = 0,
                cpi: Double? = nil, eac: Double? = nil, changesApproved: Int = 0, changesApprovedSinceLast: Int = 0,
                changeDaysApproved: Double = 0, changeCostApproved: Double = 0, changesPending: Int = 0, openIssues: Int = 0,
                openCriticalIssues: Int = 0, openHighIssues: Int = 0, openQualityRisks: Int = 0, openRisks: Int = 0,
                riskThreshold: Int = MeetingRules.defaultRiskThreshold, risksAboveThreshold: Int = 0, risksRed: Int = 0,
                triggered: [TriggeredSign] = []) {
        self.hasPlan = hasPlan
        self.spi = spi
        self.plannedPercent = plannedPercent
        self.earnedPercent = earnedPercent
        self.milestones = milestones
        self.bac = bac
        self.pv = pv
        self.ev = ev
        self.ac = ac
        self.cpi = cpi
        self.eac = eac
        self.changesApproved = changesApproved
        self.changesApprovedSinceLast = changesApprovedSinceLast
        self.changeDaysApproved = changeDaysApproved
        self.changeCostApproved = changeCostApproved
        self.changesPending = changesPending
        self.openIssues = openIssues
        self.openCriticalIssues = openCriticalIssues
        self.openHighIssues = openHighIssues
        self.openQualityRisks = openQualityRisks
        self.openRisks = openRisks
        self.riskThreshold = riskThreshold
        self.risksAboveThreshold = risksAboveThreshold
        self.risksRed = risksRed
        self.triggered = triggered
    }
}

/// The rules that turn measurements into red / amber / green, each with the reasons it was computed from.
///
/// The thresholds are the ones PMOs commonly use for earned value (SPI/CPI below 0.95 needs attention, below 0.85
/// needs action) and are written here once, so the user guide can quote them.
public enum StatusRules {
    public static let indexAmber = 0.95
    public static let indexRed = 0.85
    /// A milestone this many working days late is red; any slip is amber.
    public static let milestoneRedDays = 5.0
    /// A forecast this much over budget is red; any overrun is amber.
    public static let eacRedRatio = 1.10
    /// Approved changes adding this many working days, or this share of the budget, are red.
    public static let changeRedDays = 10.0
    public static let changeRedShare = 0.10
    /// This many change requests awaiting a decision are amber.
    public static let pendingChangesAmber = 3
    /// This many open high-priority issues are red.
    public static let highIssuesRed = 5
    /// An open risk with this score or more is red.
    public static let riskRedScore = 20

    /// Rates every area and the overall status (the worst area).
    public static func evaluate(_ m: StatusMetrics) -> [AreaStatus] {
        let areas = [schedule(m), cost(m), scope(m), quality(m), risk(m)]
        let worst = areas.max { $0.computed < $1.computed }!
        let overall = AreaStatus(area: .overall, computed: worst.computed,
                                 reasons: worst.computed == .grey ? [] : [StatusReason(.worstArea, [worst.area.rawValue])])
        return [overall] + areas
    }

    static func number(_ value: Double, digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
    static func amount(_ value: Double) -> String { String(Int(value.rounded())) }

    static func schedule(_ m: StatusMetrics) -> AreaStatus {
        guard m.hasPlan else { return AreaStatus(area: .schedule, computed: .grey, reasons: [StatusReason(.noPlan)]) }
        var rag = RAG.green
        var reasons: [StatusReason] = []
        if let spi = m.spi {
            reasons.append(StatusReason(.spi, [number(spi)]))
            if spi < indexRed { rag = max(rag, .red) } else if spi < indexAmber { rag = max(rag, .amber) }
        }
        let late = m.milestones.filter { !$0.done && ($0.slipDays ?? 0) > 0 }.sorted { ($0.slipDays!, $1.uid) > ($1.slipDays!, $0.uid) }
        for milestone in late {
            let slip = milestone.slipDays!
            reasons.append(StatusReason(.milestoneLate, [milestone.name, AgendaGenerator.days(slip)]))
            rag = max(rag, slip >= milestoneRedDays ? .red : .amber)
        }
        return AreaStatus(area: .schedule, computed: rag, reasons: reasons)
    }

    static func cost(_ m: StatusMetrics) -> AreaStatus {
        guard let cpi = m.cpi else { return AreaStatus(area: .cost, computed: .grey, reasons: [StatusReason(.noActuals)]) }
        var rag = RAG.green
        var reasons = [StatusReason(.cpi, [number(cpi)])]
        if cpi < indexRed { rag = .red } else if cpi < indexAmber { rag = .amber }
        if let eac = m.eac, m.bac > 0, eac > m.bac {
            let over = (eac / m.bac - 1) * 100
            reasons.append(StatusReason(.eacOverBudget, [amount(eac), amount(m.bac), number(over, digits: 1)]))
            rag = max(rag, eac > m.bac * eacRedRatio ? .red : .amber)
        }
        return AreaStatus(area: .cost, computed: rag, reasons: reasons)
    }

    static func scope(_ m: StatusMetrics) -> AreaStatus {
        var rag = RAG.green
        var reasons: [StatusReason] = []
        if m.changesApproved > 0 {
            reasons.append(StatusReason(.changesApproved, [String(m.changesApproved), String(m.changesApprovedSinceLast),
                                                            AgendaGenerator.days(m.changeDaysApproved), amount(m.changeCostApproved)]))
            if m.changesApprovedSinceLast > 0 { rag = .amber }
            if m.changeDaysApproved >= changeRedDays || (m.bac > 0 && m.changeCostApproved >= m.bac * changeRedShare) { rag = .red }
        }
        if m.changesPending > 0 {
            reasons.append(StatusReason(.changesPending, [String(m.changesPending)]))
            if m.changesPending >= pendingChangesAmber { rag = max(rag, .amber) }
        }
        return AreaStatus(area: .scope, computed: rag, reasons: reasons)
    }

    static func quality(_ m: StatusMetrics) -> AreaStatus {
        var rag = RAG.green
        var reasons: [StatusReason] = []
        if m.openCriticalIssues > 0 {
            reasons.append(StatusReason(.criticalIssues, [String(m.openCriticalIssues)]))
            rag = .red
        }
        if m.openHighIssues > 0 {
            reasons.append(StatusReason(.highIssues, [String(m.openHighIssues)]))
            rag = max(rag, m.openHighIssues >= highIssuesRed ? .red : .amber)
        }
        if m.openQualityRisks > 0 {
            reasons.append(StatusReason(.qualityRisks, [String(m.openQualityRisks)]))
            rag = max(rag, .amber)
        }
        return AreaStatus(area: .quality, computed: rag, reasons: reasons)
    }

    static func risk(_ m: StatusMetrics) -> AreaStatus {
        var rag = RAG.green
        var reasons: [StatusReason] = []
        if m.risksRed > 0 {
            reasons.append(StatusReason(.risksAbove, [String(m.risksRed), String(riskRedScore)]))
            rag = .red
        }
        if m.risksAboveThreshold > m.risksRed {
            reasons.append(StatusReason(.risksAbove, [String(m.risksAboveThreshold), String(m.riskThreshold)]))
            rag = max(rag, .amber)
        }
        for sign in m.triggered {
            reasons.append(StatusReason(.triggered, [sign.reference, sign.sign]))
            rag = max(rag, sign.score >= m.riskThreshold ? .red : .amber)
        }
        if reasons.isEmpty { reasons.append(StatusReason(.risksUnder, [String(m.openRisks), String(m.riskThreshold)])) }
        return AreaStatus(area: .risk, computed: rag, reasons: reasons)
    }
}
