import Foundation

/// A rule that brings items to a meeting's agenda. Each series chooses the rules it uses.
public enum AgendaRule: String, CaseIterable, Sendable, Codable {
    /// Open points of the previous occurrence that were marked to carry over.
    case carriedOver = "carried_over"
    /// Open action items due before the next occurrence, or already overdue.
    case actionsDue = "actions_due"
    /// Decisions proposed or pending whose decider attends (any decider when the series names no attendees).
    case decisionsPending = "decisions_pending"
    /// Issues raised or changed since the previous occurrence.
    case issuesChanged = "issues_changed"
    /// Open risks at or above the series' threshold, or with a triggered warning sign.
    case risksAttention = "risks_attention"
    /// Open questions whose answer is past due.
    case questionsPastDue = "questions_past_due"
    /// Unfinished activities finishing later than their baseline.
    case scheduleSlips = "schedule_slips"
    /// Unfinished milestones due in the two weeks from the meeting.
    case milestonesAhead = "milestones_ahead"
    /// Open signals (予兆) not snoozed past the meeting, about anything the rules above have not listed.
    case signals

    /// At most this many slipping activities come to an agenda (the biggest slips), so a large plan stays readable.
    public static let maxSlips = 10
    /// At most this many signals come to an agenda (the worst first).
    public static let maxSignals = 10
    /// Milestones this many days ahead of the meeting come to the agenda.
    public static let milestoneWindowDays = 14
    /// The highest per-series cap on the items one rule brings.
    public static let capMax = 50
}

/// An agenda's time box: each item gets minutes by the rule that brought it (a hand-added item the most, as it was
/// added on purpose), and in agenda order, which puts the rules in priority order, the items that start after the
/// meeting's length are "if time allows".
public enum AgendaTimeBox {
    public static func minutes(for rule: AgendaRule?) -> Int {
        switch rule {
        case .carriedOver: 3
        case .actionsDue: 2
        case .decisionsPending: 5
        case .issuesChanged: 3
        case .risksAttention: 3
        case .questionsPastDue: 2
        case .scheduleSlips: 2
        case .milestonesAhead: 2
        case .signals: 3
        case nil: 5
        }
    }

    /// The longest an item may be given (a whole day's meeting).
    public static let maxMinutes = 480

    /// An item's minutes: those given to it, else its rule's.
    public static func minutes(given: Int?, rule: AgendaRule?) -> Int { given ?? minutes(for: rule) }

    /// For items of `minutes` each, in agenda order: whether each one ends within `length` minutes, and the total.
    /// Once one does not, none after it does (the agenda is taken in order).
    public static func fit(_ minutes: [Int], length: Int) -> (fits: [Bool], total: Int) {
        var used = 0
        var fits: [Bool] = []
        fits.reserveCapacity(minutes.count)
        for m in minutes {
            used += max(0, m)
            fits.append(used <= length && (fits.last ?? true))
        }
        return (fits, used)
    }
}

/// A register item or issue as the agenda rules look at it.
public struct AgendaSourceItem: Sendable, Equatable {
    public var type: ItemType
    public var number: Int
    public var reference: String
    public var title: String
    public var status: String
    /// Not in a finished status.
    public var isOpen: Bool
    /// In a status in which the due date is still to be met (see `RegisterKind.dueStatuses`).
    public var isDueStatus: Bool
    public var dueDate: CalendarDate?
    public var ownerID: UserID?
    public var deciderID: UserID?
    public var companyID: CompanyID?
    public var visibility: Visibility
    public var createdAt: Date
    public var updatedAt: Date
    /// A risk's score (1–25).
    public var score: Int?
    /// A risk's triggered warning signs.
    public var triggeredIndicators: [String]

    public init(type: ItemType, number: Int, reference: String, title: String, status: String, isOpen: Bool,
                isDueStatus: Bool, dueDate: CalendarDate? = nil, ownerID: UserID? = nil, deciderID: UserID? = nil,
                companyID: CompanyID? = nil, visibility: Visibility = .project, createdAt: Date, updatedAt: Date,
                score: Int? = nil, triggeredIndicators: [String] = []) {
        self.type = type
        self.number = number
        self.reference = reference
        self.title = title
        self.status = status
        self.isOpen = isOpen
        self.isDueStatus = isDueStatus
        self.dueDate = dueDate
        self.ownerID = ownerID
        self.deciderID = deciderID
        self.companyID = companyID
        self.visibility = visibility
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.score = score
        self.triggeredIndicators = triggeredIndicators
    }
}

/// A plan activity as the agenda rules look at it.
public struct AgendaActivity: Sendable, Equatable {
    public var uid: Int
    public var name: String
    public var isMilestone: Bool
    public var isDone: Bool
    public var companyID: CompanyID?
    public var finish: CalendarDate
    public var baselineFinish: CalendarDate?
    /// Working days later than the baseline finish (negative: earlier).
    public var finishSlipDays: Double?

    public init(uid: Int, name: String, isMilestone: Bool, isDone: Bool, companyID: CompanyID? = nil, finish: CalendarDate,
                baselineFinish: CalendarDate? = nil, finishSlipDays: Double? = nil) {
        self.uid = uid
        self.name = name
        self.isMilestone = isMilestone
        self.isDone = isDone
        self.companyID = companyID
        self.finish = finish
        self.baselineFinish = baselineFinish
        self.finishSlipDays = finishSlipDays
    }
}

/// An open point of the previous occurrence marked to carry over.
public struct CarriedPoint: Sendable, Equatable {
    public var title: String
    public var notes: String
    public var itemType: ItemType?
    public var itemNumber: Int?
    public var reference: String?
    public var visibility: Visibility
    /// The occurrence it was last discussed at.
    public var fromOccurrence: Int

    public init(title: String, notes: String = "", itemType: ItemType? = nil, itemNumber: Int? = nil, reference: String? = nil,
                visibility: Visibility = .project, fromOccurrence: Int) {
        self.title = title
        self.notes = notes
        self.itemType = itemType
        self.itemNumber = itemNumber
        self.reference = reference
        self.visibility = visibility
        self.fromOccurrence = fromOccurrence
    }
}

/// Everything the agenda of one occurrence is generated from, read from live data when it is prepared.
public struct AgendaFacts: Sendable {
    public var meetingDate: CalendarDate
    /// The date of the next occurrence: actions due before it come to this one.
    public var nextMeetingDate: CalendarDate
    /// Issues raised or changed after this instant are news (the previous occurrence's start, else a period back).
    public var since: Date
    public var items: [AgendaSourceItem]
    public var activities: [AgendaActivity]
    public var carried: [CarriedPoint]
    /// The project's open signals not snoozed past the meeting, worst first.
    public var signals: [AgendaSignal]

    public init(meetingDate: CalendarDate, nextMeetingDate: CalendarDate, since: Date, items: [AgendaSourceItem],
                activities: [AgendaActivity], carried: [CarriedPoint], signals: [AgendaSignal] = []) {
        self.meetingDate = meetingDate
        self.nextMeetingDate = nextMeetingDate
        self.since = since
        self.items = items
        self.activities = activities
        self.carried = carried
        self.signals = signals
    }
}

/// A signal as the agenda rule sees it: what it is about (an item, an activity, or neither), a name for the agenda
/// line, and its code and values (the line's reason is the signal's own sentence).
public struct AgendaSignal: Sendable, Equatable {
    public var code: SignalCode
    public var values: [String: String]
    public var item: ItemReference?
    public var activityUID: Int?
    public var title: String

    public init(code: SignalCode, values: [String: String], item: ItemReference? = nil, activityUID: Int? = nil, title: String) {
        self.code = code
        self.values = values
        self.item = item
        self.activityUID = activityUID
        self.title = title
    }

    /// The agenda's view of a raised signal: its subject's item or activity, and its line's name (the item's or
    /// activity's name, else the company or owner it names, else the index).
    public init(_ s: RaisedSignal, projectKey: String) {
        var item: ItemReference?
        var uid: Int?
        if s.subject.hasPrefix("item:") { item = ItemReference(String(s.subject.dropFirst(5))) }
        if s.subject.hasPrefix("activity:") { uid = Int(s.subject.dropFirst(9)) }
        let title = s.links.first(where: { $0.kind != .earnedValue && !$0.label.isEmpty && (item != nil || uid != nil) })?.label
            ?? s.values["company"] ?? s.values["owner"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (s.code.rawValue.hasPrefix("cpi") ? "CPI" : s.code.rawValue.hasPrefix("spi") ? "SPI" : s.code.rawValue)
        self.init(code: s.code, values: s.values, item: item.map { ItemReference(projectKey: projectKey, type: $0.type, number: $0.number) },
                  activityUID: uid, title: title)
    }
}

/// The series settings the rules need.
public struct AgendaSettings: Sendable {
    public var rules: Set<AgendaRule>
    public var riskThreshold: Int
    /// The chair and standing attendees: decisions they are to take come to the agenda.
    public var deciderIDs: Set<UserID>
    /// When set, only this company's items and activities (a vendor's progress meeting).
    public var companyID: CompanyID?
    /// The rules in the series' priority order (rules left out follow in their usual order).
    public var order: [AgendaRule]
    /// At most this many entries per rule come first; the rest follow every rule's first ones, so the time box puts
    /// them under "if time allows".
    public var caps: [AgendaRule: Int]

    public init(rules: Set<AgendaRule> = Set(AgendaRule.allCases), riskThreshold: Int = MeetingRules.defaultRiskThreshold,
                deciderIDs: Set<UserID> = [], companyID: CompanyID? = nil, order: [AgendaRule] = AgendaRule.allCases,
                caps: [AgendaRule: Int] = [:]) {
        self.rules = rules
        self.riskThreshold = riskThreshold
        self.deciderIDs = deciderIDs
        self.companyID = companyID
        self.order = order
        self.caps = caps
    }
}

/// Why an entry is on the agenda, as a stable code with its values; the words are the reader's language.
public struct AgendaReason: Sendable, Equatable, Hashable, Codable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// values: due date, days overdue
        case overdue
        /// values: due date
        case dueBeforeNext = "due_before_next"
        /// no values
        case raised
        /// values: status
        case changed
        /// values: score, threshold
        case score
        /// values: the warning sign's text
        case triggered
        /// values: due date or nothing
        case awaitingDecision = "awaiting_decision"
        /// values: due date, days past due
        case pastDue = "past_due"
        /// values: working days late, baseline finish, forecast finish
        case slip
        /// values: finish date, days to go
        case milestone
        /// values: occurrence number
        case carried
        /// values: the rule's cap in this series (the entry came after every rule's first ones)
        case overCap = "over_cap"
        /// values: the signal's code, then its values as `name=value` (worded by the signal's own sentence)
        case signal
    }

    public var code: Code
    public var values: [String]

    public init(_ code: Code, _ values: [String] = []) {
        self.code = code
        self.values = values
    }
}

/// One generated entry of an agenda.
public struct AgendaEntry: Sendable, Equatable {
    public var rule: AgendaRule
    public var itemType: ItemType?
    public var itemNumber: Int?
    public var reference: String?
    public var activityUID: Int?
    public var title: String
    public var reasons: [AgendaReason]
    public var notes: String
    public var visibility: Visibility

    public init(rule: AgendaRule, itemType: ItemType? = nil, itemNumber: Int? = nil, reference: String? = nil,
                activityUID: Int? = nil, title: String, reasons: [AgendaReason], notes: String = "", visibility: Visibility = .project) {
        self.rule = rule
        self.itemType = itemType
        self.itemNumber = itemNumber
        self.reference = reference
        self.activityUID = activityUID
        self.title = title
        self.reasons = reasons
        self.notes = notes
        self.visibility = visibility
    }
}

/// Generates an occurrence's agenda from live facts. Pure: the same facts give the same agenda, in rule order
/// (`AgendaRule.allCases`), each rule's entries in a fixed order. An item is listed once, under its first rule.
public enum AgendaGenerator {
    public static func generate(_ facts: AgendaFacts, settings: AgendaSettings) -> [AgendaEntry] {
        let items = facts.items.filter { item in
            guard let company = settings.companyID else { return true }
            return item.companyID == company || item.visibility.companyID == company
        }
        let activities = facts.activities.filter { a in settings.companyID.map { a.companyID == $0 } ?? true }
        var entries: [AgendaEntry] = []
        var listed = Set<String>()
        var listedActivities = Set<Int>()
        func add(_ rule: AgendaRule, _ item: AgendaSourceItem, _ reasons: [AgendaReason]) {
            guard listed.insert(item.reference).inserted else { return }
            entries.append(AgendaEntry(rule: rule, itemType: item.type, itemNumber: item.number, reference: item.reference,
                                       title: item.title, reasons: reasons, visibility: item.visibility))
        }
        let day = facts.meetingDate
        var overCap: [AgendaEntry] = []
        let ordered = settings.order + AgendaRule.allCases.filter { !settings.order.contains($0) }
        for rule in ordered where settings.rules.contains(rule) {
            let first = entries.count
            defer {
                // Entries past the rule's cap wait until every rule has brought its first ones.
                if let cap = settings.caps[rule], entries.count - first > cap {
                    overCap += entries[(first + cap)...].map { e in
                        var e = e
                        e.reasons.append(AgendaReason(.overCap, [String(cap)]))
                        return e
                    }
                    entries.removeSubrange((first + cap)...)
                }
            }
            switch rule {
            case .carriedOver:
                for point in facts.carried {
                    if let reference = point.reference, !listed.insert(reference).inserted { continue }
                    entries.append(AgendaEntry(rule: rule, itemType: point.itemType, itemNumber: point.itemNumber,
                                               reference: point.reference, title: point.title,
                                               reasons: [AgendaReason(.carried, [String(point.fromOccurrence)])],
                                               notes: point.notes, visibility: point.visibility))
                }
            case .actionsDue:
                let due = items.filter { $0.type == .action && $0.isOpen && ($0.dueDate.map { $0 < facts.nextMeetingDate } ?? false) }
                for item in due.sorted(by: byDue) {
                    let date = item.dueDate!
                    add(rule, item, [date < day
                        ? AgendaReason(.overdue, [date.description, String(day.dayNumber - date.dayNumber)])
                        : AgendaReason(.dueBeforeNext, [date.description])])
                }
            case .decisionsPending:
                let pending = items.filter { item in
                    guard item.type == .decision, item.isDueStatus else { return false }
                    return settings.deciderIDs.isEmpty || item.deciderID.map(settings.deciderIDs.contains) == true
                }
                for item in pending.sorted(by: byDue) {
                    add(rule, item, [AgendaReason(.awaitingDecision, item.dueDate.map { [$0.description] } ?? [])])
                }
            case .issuesChanged:
                let news = items.filter { $0.type == .issue && $0.updatedAt > facts.since }
                for item in news.sorted(by: { ($0.createdAt, $0.number) < ($1.createdAt, $1.number) }) {
                    add(rule, item, [item.createdAt > facts.since ? AgendaReason(.raised) : AgendaReason(.changed, [item.status])])
                }
            case .risksAttention:
                let risky = items.filter { item in
                    item.type == .risk && item.isOpen
                        && ((item.score ?? 0) >= settings.riskThreshold || !item.triggeredIndicators.isEmpty)
                }
                for item in risky.sorted(by: { ($0.score ?? 0, -$0.number) > ($1.score ?? 0, -$1.number) }) {
                    var reasons: [AgendaReason] = []
                    if let score = item.score, score >= settings.riskThreshold {
                        reasons.append(AgendaReason(.score, [String(score), String(settings.riskThreshold)]))
                    }
                    reasons += item.triggeredIndicators.map { AgendaReason(.triggered, [$0]) }
                    add(rule, item, reasons)
                }
            case .questionsPastDue:
                let late = items.filter { $0.type == .question && $0.isDueStatus && ($0.dueDate.map { $0 < day } ?? false) }
                for item in late.sorted(by: byDue) {
                    let date = item.dueDate!
                    add(rule, item, [AgendaReason(.pastDue, [date.description, String(day.dayNumber - date.dayNumber)])])
                }
            case .scheduleSlips:
                let slipping = activities.filter { !$0.isDone && ($0.finishSlipDays ?? 0) > 0 }
                    .sorted { ($0.finishSlipDays!, -$0.uid) > ($1.finishSlipDays!, -$1.uid) }
                for a in slipping.prefix(AgendaRule.maxSlips) where listedActivities.insert(a.uid).inserted {
                    entries.append(AgendaEntry(rule: rule, activityUID: a.uid, title: a.name, reasons: [
                        AgendaReason(.slip, [days(a.finishSlipDays!), a.baselineFinish?.description ?? "", a.finish.description])]))
                }
            case .milestonesAhead:
                let end = day.adding(days: AgendaRule.milestoneWindowDays)
                let ahead = activities.filter { $0.isMilestone && !$0.isDone && $0.finish >= day && $0.finish <= end }
                    .sorted { ($0.finish, $0.uid) < ($1.finish, $1.uid) }
                for a in ahead where listedActivities.insert(a.uid).inserted {
                    var reasons = [AgendaReason(.milestone, [a.finish.description, String(a.finish.dayNumber - day.dayNumber)])]
                    if let slip = a.finishSlipDays, slip > 0 {
                        reasons.append(AgendaReason(.slip, [days(slip), a.baselineFinish?.description ?? "", a.finish.description]))
                    }
                    entries.append(AgendaEntry(rule: rule, activityUID: a.uid, title: a.name, reasons: reasons))
                }
            case .signals:
                // Signals read budgets and every register: not on a vendor's own meeting, and internal on the others.
                guard settings.companyID == nil else { break }
                var brought = 0
                for signal in facts.signals where brought < AgendaRule.maxSignals {
                    if let item = signal.item, !listed.insert(item.description).inserted { continue }
                    if let uid = signal.activityUID, !listedActivities.insert(uid).inserted { continue }
                    let values = [signal.code.rawValue] + signal.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    entries.append(AgendaEntry(rule: rule, itemType: signal.item?.type, itemNumber: signal.item?.number,
                                               reference: signal.item?.description, activityUID: signal.activityUID, title: signal.title,
                                               reasons: [AgendaReason(.signal, values)], visibility: Visibility(scope: .internal)))
                    brought += 1
                }
            }
        }
        return entries + overCap
    }

    static func byDue(_ a: AgendaSourceItem, _ b: AgendaSourceItem) -> Bool {
        let da = a.dueDate?.dayNumber ?? Int.max, db = b.dueDate?.dayNumber ?? Int.max
        return (da, a.number) < (db, b.number)
    }

    /// "6" for 6.0, "2.5" for 2.5.
    public static func days(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
