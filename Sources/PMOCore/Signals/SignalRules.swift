import Foundation

/// The rule that raised a signal (予兆, a sign of trouble while it is still a sign). Its words are `signal.<code>` (the
/// sentence, with the values the rule names) and `signal.<code>.title` in the catalogue.
public enum SignalCode: String, CaseIterable, Sendable, Codable {
    /// values: spi, line (the threshold crossed), date
    case spiLow = "spi_low"
    /// values: cpi, line, date
    case cpiLow = "cpi_low"
    /// values: from, to, n (status dates), since
    case spiFalling = "spi_falling"
    case cpiFalling = "cpi_falling"
    /// values: name, days, baseline, forecast
    case milestoneSlip = "milestone_slip"
    /// values: name, days, before, growth
    case milestoneSlipGrew = "milestone_slip_grew"
    /// values: name, n (status dates), last (date of the last update, if any)
    case activityNoUpdate = "activity_no_update"
    /// values: name, percent, finish
    case activityStuck = "activity_stuck"
    /// values: company, date, n (activities in progress)
    case companyNotReported = "company_not_reported"
    /// values: owner, date, n (activities in progress)
    case ownerNotReported = "owner_not_reported"
    /// values: company, n (status dates), spi
    case vendorSlipping = "vendor_slipping"
    /// values: ref, title, days
    case itemStale = "item_stale"
    /// values: owner, n, days (the oldest)
    case actionsOverdue = "actions_overdue"
    /// values: ref, title, days
    case questionBlocking = "question_blocking"
    /// values: ref, title, days, median (the project's median decision lead time, if known)
    case decisionLate = "decision_late"
    /// values: ref, title, sign, n
    case riskTriggered = "risk_triggered"
    /// values: ref, title, date, days
    case riskReviewOverdue = "risk_review_overdue"
    /// values: ref, title, score
    case riskNoOwner = "risk_no_owner"
    /// An interface not yet connection-tested whose test ends after a milestone that needs it, or whose test window
    /// meets an unavailable test environment. values: ref, title, milestone, date (its day), environment, from
    case interfaceAtRisk = "interface_at_risk"
}

/// What a signal points at, for its links.
public struct SignalLink: Sendable, Equatable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An issue or register item; `target` is its reference ("CRM-R3").
        case item
        /// A plan activity; `target` is its uid.
        case activity
        /// The project's earned value.
        case earnedValue = "earned_value"
    }
    public var kind: Kind
    public var target: String
    /// What the link reads as (an activity's or item's name).
    public var label: String

    public init(_ kind: Kind, _ target: String, label: String = "") {
        self.kind = kind
        self.target = target
        self.label = label
    }
}

/// A signal as the rules raise it from one computation.
public struct RaisedSignal: Sendable, Equatable {
    public var code: SignalCode
    /// What it is about, the same across computations: `project`, `activity:12`, `company:<id>`, `owner:<id>`,
    /// `item:CRM-R3`. One signal per rule and subject.
    public var subject: String
    /// Amber (needs attention) or red (needs action).
    public var severity: RAG
    /// How bad, in the rule's own steps (days of slip, overdue actions, SPI in steps of 0.05); larger is worse. A signal
    /// acknowledged at one magnitude is raised again when it grows past it (or its severity rises).
    public var magnitude: Double
    public var values: [String: String]
    public var links: [SignalLink]

    public init(_ code: SignalCode, subject: String, severity: RAG, magnitude: Double = 0, values: [String: String], links: [SignalLink] = []) {
        self.code = code
        self.subject = subject
        self.severity = severity
        self.magnitude = magnitude
        self.values = values
        self.links = links
    }
}

/// What the rules look at, gathered from live data by the store: the plan's earned value at each status date, its
/// milestones and activities with their progress records, and the registers' open items.
public struct SignalFacts: Sendable {
    public struct IndexPoint: Sendable, Equatable {
        public var date: CalendarDate
        public var spi: Double?
        public var cpi: Double?
        public init(date: CalendarDate, spi: Double?, cpi: Double?) {
            self.date = date
            self.spi = spi
            self.cpi = cpi
        }
    }

    /// A leaf activity of the plan (not a summary).
    public struct Activity: Sendable, Equatable {
        public var uid: Int
        public var name: String
        public var companyKey: String?
        /// The member who owns it, and their name.
        public var ownerKey: String?
        public var ownerName: String?
        public var isMilestone: Bool
        public var started: Bool
        public var done: Bool
        /// The finish it was planned to have: the baseline's, else the schedule's.
        public var plannedFinish: CalendarDate
        /// Its progress records, oldest first: the status date and % complete of each.
        public var records: [(date: CalendarDate, percent: Double)]

        public init(uid: Int, name: String, companyKey: String? = nil, ownerKey: String? = nil, ownerName: String? = nil,
                    isMilestone: Bool = false, started: Bool, done: Bool, plannedFinish: CalendarDate,
                    records: [(date: CalendarDate, percent: Double)] = []) {
            self.uid = uid
            self.name = name
            self.companyKey = companyKey
            self.ownerKey = ownerKey
            self.ownerName = ownerName
            self.isMilestone = isMilestone
            self.started = started
            self.done = done
            self.plannedFinish = plannedFinish
            self.records = records
        }

        public static func == (a: Activity, b: Activity) -> Bool {
            a.uid == b.uid && a.name == b.name && a.companyKey == b.companyKey && a.ownerKey == b.ownerKey && a.started == b.started && a.done == b.done
                && a.plannedFinish == b.plannedFinish && a.records.map(\.date) == b.records.map(\.date)
                && a.records.map(\.percent) == b.records.map(\.percent)
        }
    }

    /// A company with work in the plan: its name and its SPI at each status date (aligned with `statusDates`).
    public struct Company: Sendable, Equatable {
        public var key: String
        public var name: String
        public var spi: [Double?]
        public init(key: String, name: String, spi: [Double?]) {
            self.key = key
            self.name = name
            self.spi = spi
        }
    }

    /// A milestone by name and day.
    public struct Milestone: Sendable, Equatable {
        public var name: String
        public var date: CalendarDate
        public init(name: String, date: CalendarDate) {
            self.name = name
            self.date = date
        }
    }

    /// An item of a register (issues included) as the rules need it.
    public struct Item: Sendable, Equatable {
        public var reference: String
        public var type: ItemType
        public var title: String
        public var isOpen: Bool
        /// A decision awaiting its decider (proposed or pending).
        public var awaitingDecision: Bool
        public var ownerKey: String?
        public var ownerName: String?
        public var dueDate: CalendarDate?
        /// The day it last changed.
        public var changedOn: CalendarDate
        public var score: Int?
        public var blocksWork: Bool
        public var reviewDate: CalendarDate?
        public var triggeredSigns: [String]
        /// An interface's first milestone that comes before its connection test ends (`InterfaceFlags.lateFor`).
        public var lateForMilestone: Milestone?
        /// An interface's first test-environment outage that meets its test window (`InterfaceFlags.environmentClashes`).
        public var environmentDown: InterfaceFlags.Outage?

        public init(reference: String, type: ItemType, title: String, isOpen: Bool = true, awaitingDecision: Bool = false,
                    ownerKey: String? = nil, ownerName: String? = nil, dueDate: CalendarDate? = nil, changedOn: CalendarDate,
                    score: Int? = nil, blocksWork: Bool = false, reviewDate: CalendarDate? = nil, triggeredSigns: [String] = [],
                    lateForMilestone: Milestone? = nil, environmentDown: InterfaceFlags.Outage? = nil) {
            self.reference = reference
            self.type = type
            self.title = title
            self.isOpen = isOpen
            self.awaitingDecision = awaitingDecision
            self.ownerKey = ownerKey
            self.ownerName = ownerName
            self.dueDate = dueDate
            self.changedOn = changedOn
            self.score = score
            self.blocksWork = blocksWork
            self.reviewDate = reviewDate
            self.triggeredSigns = triggeredSigns
            self.lateForMilestone = lateForMilestone
            self.environmentDown = environmentDown
        }
    }

    public var today: CalendarDate
    /// The plan's status dates, oldest first, up to the current one (empty without a plan or progress).
    public var statusDates: [CalendarDate]
    /// SPI and CPI at each status date, oldest first.
    public var indexTrend: [IndexPoint]
    public var milestones: [MilestoneStatus]
    /// Each milestone's slip (working days) in the last issued report at least a week old, by uid.
    public var lastWeekSlips: [Int: Double]
    public var activities: [Activity]
    public var companies: [Company]
    public var items: [Item]
    /// Working days from proposal to decision of the project's decided decisions.
    public var decisionLeadTimes: [Double]

    public init(today: CalendarDate, statusDates: [CalendarDate] = [], indexTrend: [IndexPoint] = [], milestones: [MilestoneStatus] = [],
                lastWeekSlips: [Int: Double] = [:], activities: [Activity] = [], companies: [Company] = [], items: [Item] = [],
                decisionLeadTimes: [Double] = []) {
        self.today = today
        self.statusDates = statusDates
        self.indexTrend = indexTrend
        self.milestones = milestones
        self.lastWeekSlips = lastWeekSlips
        self.activities = activities
        self.companies = companies
        self.items = items
        self.decisionLeadTimes = decisionLeadTimes
    }
}

/// The rules that raise signals from facts: pure, one function per kind of sign, each signal with the values its words
/// name and links to what is behind it.
public enum SignalRules {
    /// Every signal the facts raise under the thresholds, worst first.
    public static func evaluate(_ f: SignalFacts, _ t: SignalThresholds) -> [RaisedSignal] {
        let all = indexes(f, t) + milestones(f, t) + activities(f, t) + companies(f, t) + owners(f) + items(f, t) + risks(f, t)
        return all.sorted { ($1.severity, $0.code.rawValue, $0.subject) < ($0.severity, $1.code.rawValue, $1.subject) }
    }

    static func number(_ v: Double) -> String { String(format: "%.2f", v) }
    /// An index with two decimals, or three when two would read the same as `other` (0.949 against the line 0.95).
    static func number(_ v: Double, apartFrom other: Double) -> String {
        v != other && number(v) == number(other) ? String(format: "%.3f", v) : number(v)
    }
    static func whole(_ v: Int) -> String { String(v) }
    /// SPI or CPI as a magnitude: the shortfall below 1 in steps of 0.05, so a worsening means a further step down.
    static func shortfall(_ index: Double) -> Double { (max(0, 1 - index) * 20).rounded(.down) / 20 }

    // MARK: Earned value

    static func indexes(_ f: SignalFacts, _ t: SignalThresholds) -> [RaisedSignal] {
        var out: [RaisedSignal] = []
        let evLink = [SignalLink(.earnedValue, "")]
        for (code, falling, path) in [(SignalCode.spiLow, SignalCode.spiFalling, \SignalFacts.IndexPoint.spi),
                                      (.cpiLow, .cpiFalling, \SignalFacts.IndexPoint.cpi)] {
            let points = f.indexTrend.compactMap { p in p[keyPath: path].map { (p.date, $0) } }
            guard let last = points.last else { continue }
            let name = code == .spiLow ? "spi" : "cpi"
            if last.1 < t.indexAmber {
                let red = last.1 < t.indexRed
                out.append(RaisedSignal(code, subject: "project", severity: red ? .red : .amber, magnitude: shortfall(last.1),
                                        values: [name: number(last.1, apartFrom: red ? t.indexRed : t.indexAmber),
                                                 "line": number(red ? t.indexRed : t.indexAmber), "date": last.0.description],
                                        links: evLink))
            }
            // Lower at each of the last `fallingDates` status dates than at the one before.
            if points.count >= t.fallingDates {
                let run = points.suffix(t.fallingDates).map(\.1)
                if zip(run, run.dropFirst()).allSatisfy({ $1 < $0 }) {
                    out.append(RaisedSignal(falling, subject: "project", severity: .amber, magnitude: shortfall(run.last!),
                                            values: ["from": number(run.first!, apartFrom: run.last!), "to": number(run.last!, apartFrom: run.first!), "n": whole(run.count),
                                                     "since": points.suffix(t.fallingDates).first!.0.description],
                                            links: evLink))
                }
            }
        }
        return out
    }

    // MARK: Milestones

    static func milestones(_ f: SignalFacts, _ t: SignalThresholds) -> [RaisedSignal] {
        var out: [RaisedSignal] = []
        for m in f.milestones where !m.done {
            let link = [SignalLink(.activity, String(m.uid), label: m.name)]
            if let slip = m.slipDays, slip > t.milestoneSlipDays {
                out.append(RaisedSignal(.milestoneSlip, subject: "activity:\(m.uid)", severity: slip >= t.milestoneRedDays ? .red : .amber,
                                        magnitude: slip.rounded(.up),
                                        values: ["name": m.name, "days": AgendaGenerator.days(slip),
                                                 "baseline": m.baselineFinish?.description ?? "", "forecast": m.forecastFinish.description],
                                        links: link))
            }
            if let slip = m.slipDays, slip > 0, let before = f.lastWeekSlips[m.uid], slip > before {
                out.append(RaisedSignal(.milestoneSlipGrew, subject: "activity:\(m.uid)", severity: .amber, magnitude: (slip - before).rounded(.up),
                                        values: ["name": m.name, "days": AgendaGenerator.days(slip), "before": AgendaGenerator.days(before),
                                                 "growth": AgendaGenerator.days(slip - before)],
                                        links: link))
            }
        }
        return out
    }

    // MARK: Progress reporting

    static func activities(_ f: SignalFacts, _ t: SignalThresholds) -> [RaisedSignal] {
        guard let current = f.statusDates.last else { return [] }
        var out: [RaisedSignal] = []
        for a in f.activities where a.started && !a.done && !a.isMilestone {
            let link = [SignalLink(.activity, String(a.uid), label: a.name)]
            let last = a.records.last
            // Silent: no record at any of the last `silentStatusDates` status dates.
            if f.statusDates.count >= t.silentStatusDates {
                let window = f.statusDates[f.statusDates.count - t.silentStatusDates]
                if last.map({ $0.date < window }) ?? true {
                    let missed = f.statusDates.filter { d in last.map { d > $0.date } ?? true }.count
                    out.append(RaisedSignal(.activityNoUpdate, subject: "activity:\(a.uid)", severity: .amber, magnitude: Double(missed),
                                            values: ["name": a.name, "n": whole(missed), "last": last?.date.description ?? ""], links: link))
                    continue
                }
            }
            // Stuck: its planned finish has passed and its last two records say the same %.
            if a.plannedFinish < current, a.records.count >= 2, let last {
                let before = a.records[a.records.count - 2]
                if before.date < last.date && before.percent == last.percent {
                    out.append(RaisedSignal(.activityStuck, subject: "activity:\(a.uid)", severity: .amber,
                                            values: ["name": a.name, "percent": AgendaGenerator.days(last.percent), "finish": a.plannedFinish.description],
                                            links: link))
                }
            }
        }
        return out
    }

    static func companies(_ f: SignalFacts, _ t: SignalThresholds) -> [RaisedSignal] {
        guard let current = f.statusDates.last else { return [] }
        var out: [RaisedSignal] = []
        let inProgress = Dictionary(grouping: f.activities.filter { $0.started && !$0.done && !$0.isMilestone && $0.companyKey != nil },
                                    by: { $0.companyKey! })
        for company in f.companies {
            // Not reported: none of its activities in progress has a record at the current status date.
            if let active = inProgress[company.key], !active.contains(where: { $0.records.last?.date == current }) {
                out.append(RaisedSignal(.companyNotReported, subject: "company:\(company.key)", severity: .amber, magnitude: Double(active.count),
                                        values: ["company": company.name, "date": current.description, "n": whole(active.count)],
                                        links: active.prefix(10).map { SignalLink(.activity, String($0.uid), label: $0.name) }))
            }
            // Slipping: its SPI under the amber line at each of the last `vendorSlipDates` status dates.
            let run = company.spi.suffix(t.vendorSlipDates)
            if company.spi.count >= t.vendorSlipDates, run.allSatisfy({ $0.map { $0 < t.indexAmber } ?? false }), let last = run.last! {
                out.append(RaisedSignal(.vendorSlipping, subject: "company:\(company.key)", severity: last < t.indexRed ? .red : .amber,
                                        magnitude: shortfall(last),
                                        values: ["company": company.name, "n": whole(t.vendorSlipDates), "spi": number(last)],
                                        links: [SignalLink(.earnedValue, "")]))
            }
        }
        return out
    }

    /// Owners who have not reported: none of the activities in progress they own has a record at the current status date.
    static func owners(_ f: SignalFacts) -> [RaisedSignal] {
        guard let current = f.statusDates.last else { return [] }
        let inProgress = Dictionary(grouping: f.activities.filter { $0.started && !$0.done && !$0.isMilestone && $0.ownerKey != nil },
                                    by: { $0.ownerKey! })
        return inProgress.keys.sorted().compactMap { owner in
            let active = inProgress[owner]!
            guard !active.contains(where: { $0.records.last?.date == current }) else { return nil }
            return RaisedSignal(.ownerNotReported, subject: "owner:\(owner)", severity: .amber, magnitude: Double(active.count),
                                values: ["owner": active[0].ownerName ?? "", "date": current.description, "n": whole(active.count)],
                                links: active.prefix(10).map { SignalLink(.activity, String($0.uid), label: $0.name) })
        }
    }

    // MARK: Registers

    static func items(_ f: SignalFacts, _ t: SignalThresholds) -> [RaisedSignal] {
        var out: [RaisedSignal] = []
        let today = f.today.dayNumber
        var overdueActions: [String: [SignalFacts.Item]] = [:]
        let sortedLeadTimes = f.decisionLeadTimes.sorted()
        let median: Double? = sortedLeadTimes.isEmpty ? nil
            : sortedLeadTimes.count % 2 == 1 ? sortedLeadTimes[sortedLeadTimes.count / 2]
            : (sortedLeadTimes[sortedLeadTimes.count / 2 - 1] + sortedLeadTimes[sortedLeadTimes.count / 2]) / 2
        for i in f.items where i.isOpen {
            let link = [SignalLink(.item, i.reference, label: i.title)]
            let late = i.dueDate.map { today - $0.dayNumber } ?? 0
            switch i.type {
            case .issue, .action:
                let age = today - i.changedOn.dayNumber
                if age >= t.staleDays {
                    out.append(RaisedSignal(.itemStale, subject: "item:\(i.reference)", severity: age >= 2 * t.staleDays ? .red : .amber,
                                            values: ["ref": i.reference, "title": i.title, "days": whole(age)], links: link))
                }
                if i.type == .action && late > 0 { overdueActions[i.ownerKey ?? "", default: []].append(i) }
            case .question where i.blocksWork && late > 0:
                out.append(RaisedSignal(.questionBlocking, subject: "item:\(i.reference)", severity: late >= t.overdueRedDays ? .red : .amber,
                                        values: ["ref": i.reference, "title": i.title, "days": whole(late)], links: link))
            case .interface where i.lateForMilestone != nil || i.environmentDown != nil:
                // Late for a milestone is red: the milestone cannot be met as planned; an outage may be moved round.
                out.append(RaisedSignal(.interfaceAtRisk, subject: "item:\(i.reference)", severity: i.lateForMilestone != nil ? .red : .amber,
                                        values: ["ref": i.reference, "title": i.title, "milestone": i.lateForMilestone?.name ?? "",
                                                 "date": i.lateForMilestone?.date.description ?? "", "environment": i.environmentDown?.environment ?? "",
                                                 "from": i.environmentDown?.from.description ?? ""], links: link))
            case .decision where i.awaitingDecision && late > 0:
                let redAfter = median ?? Double(t.overdueRedDays)
                out.append(RaisedSignal(.decisionLate, subject: "item:\(i.reference)", severity: Double(late) >= redAfter ? .red : .amber,
                                        values: ["ref": i.reference, "title": i.title, "days": whole(late),
                                                 "median": median.map(AgendaGenerator.days) ?? ""], links: link))
            default:
                break
            }
        }
        for (owner, actions) in overdueActions {
            let oldest = actions.map { today - $0.dueDate!.dayNumber }.max()!
            let sorted = actions.sorted { ($0.dueDate!, $0.reference) < ($1.dueDate!, $1.reference) }
            out.append(RaisedSignal(.actionsOverdue, subject: "owner:\(owner.isEmpty ? "none" : owner)",
                                    severity: oldest >= t.overdueRedDays ? .red : .amber, magnitude: Double(actions.count),
                                    values: ["owner": actions[0].ownerName ?? "", "n": whole(actions.count), "days": whole(oldest)],
                                    links: sorted.prefix(20).map { SignalLink(.item, $0.reference, label: $0.title) }))
        }
        return out
    }

    static func risks(_ f: SignalFacts, _ t: SignalThresholds) -> [RaisedSignal] {
        var out: [RaisedSignal] = []
        for r in f.items where r.isOpen && r.type == .risk {
            let link = [SignalLink(.item, r.reference, label: r.title)]
            let score = r.score ?? 0
            if let sign = r.triggeredSigns.first {
                out.append(RaisedSignal(.riskTriggered, subject: "item:\(r.reference)", severity: score >= t.riskThreshold ? .red : .amber,
                                        magnitude: Double(r.triggeredSigns.count),
                                        values: ["ref": r.reference, "title": r.title, "sign": sign, "n": whole(r.triggeredSigns.count)], links: link))
            }
            if let review = r.reviewDate, review < f.today {
                out.append(RaisedSignal(.riskReviewOverdue, subject: "item:\(r.reference)", severity: .amber,
                                        values: ["ref": r.reference, "title": r.title, "date": review.description,
                                                 "days": whole(f.today.dayNumber - review.dayNumber)], links: link))
            }
            if score >= t.riskThreshold && r.ownerKey == nil {
                out.append(RaisedSignal(.riskNoOwner, subject: "item:\(r.reference)", severity: score >= StatusRules.riskRedScore ? .red : .amber,
                                        magnitude: Double(score), values: ["ref": r.reference, "title": r.title, "score": whole(score)], links: link))
            }
        }
        return out
    }
}
