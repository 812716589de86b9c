import Foundation

/// A calendar month, the period the PMO's KPIs are counted by.
public struct KPIMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    public init(_ date: CalendarDate) { self.init(year: date.year, month: date.month) }

    /// "2026-11"
    public init?(iso: some StringProtocol) {
        let parts = iso.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
              (1...12).contains(m) else { return nil }
        self.init(year: y, month: m)
    }

    public var first: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }
    public var last: CalendarDate { CalendarDate(year: year, month: month, day: CalendarDate.daysIn(year: year, month: month))! }
    public var next: KPIMonth { month == 12 ? KPIMonth(year: year + 1, month: 1) : KPIMonth(year: year, month: month + 1) }
    public var previous: KPIMonth { month == 1 ? KPIMonth(year: year - 1, month: 12) : KPIMonth(year: year, month: month - 1) }
    public func contains(_ date: CalendarDate) -> Bool { date.year == year && date.month == month }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (a: KPIMonth, b: KPIMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    /// The `count` months up to and including the month of `date`, oldest first.
    public static func months(endingAt date: CalendarDate, count: Int) -> [KPIMonth] {
        var out = [KPIMonth(date)]
        while out.count < max(1, count) { out.insert(out[0].previous, at: 0) }
        return out
    }
}

/// The PMO's own measures ("proof of value"): what it did with decisions, due dates, issues, risks, signals, progress
/// reports and minutes, month by month.
public enum KPICode: String, Sendable, CaseIterable, Codable {
    /// Working days from a decision's proposal to its decision: the median of those decided in the month.
    case decisionLeadMedian = "decision_lead_median"
    /// The same, 90th percentile (as a spreadsheet's PERCENTILE.INC).
    case decisionLeadP90 = "decision_lead_p90"
    /// Issues and actions due in the month (due date passed, or already closed): the share closed by their due date.
    case closedByDue = "closed_by_due"
    /// Issues open at the month's end (or today in the current month): their mean age in days.
    case openIssueAge = "open_issue_age"
    /// Issues raised in the month: the share caused by a risk recorded before them.
    case risksForeseen = "risks_foreseen"
    /// Signals raised in the month (a week passed, or already acted on): the share acknowledged, snoozed or turned
    /// into an item within a week.
    case signalsActed = "signals_acted"
    /// Progress reports due at the month's status dates, one per company with work in progress: the share recorded by
    /// the end of the first working day after the status date.
    case reportsOnTime = "reports_on_time"
    /// Meetings held in the month (two working days passed, or minutes already approved): the share whose minutes were
    /// approved within two working days.
    case minutesApproved = "minutes_approved"

    public enum Unit: String, Sendable { case workingDays = "working_days", days, percent }

    public var unit: Unit {
        switch self {
        case .decisionLeadMedian, .decisionLeadP90: .workingDays
        case .openIssueAge: .days
        default: .percent
        }
    }

    /// Whether a higher value is better (a share) or worse (a lead time, an age).
    public var higherIsBetter: Bool { unit == .percent }
}

/// What the KPIs are counted from, read from live data (one project's, or several pooled with `+`).
public struct KPIFacts: Sendable, Equatable {
    public struct Decision: Sendable, Equatable {
        public var decidedOn: CalendarDate
        public var leadDays: Double
        public init(decidedOn: CalendarDate, leadDays: Double) {
            self.decidedOn = decidedOn
            self.leadDays = leadDays
        }
    }

    /// An issue or action with a due date.
    public struct DueItem: Sendable, Equatable {
        public var dueDate: CalendarDate
        public var closedOn: CalendarDate?
        public init(dueDate: CalendarDate, closedOn: CalendarDate?) {
            self.dueDate = dueDate
            self.closedOn = closedOn
        }
    }

    public struct Issue: Sendable, Equatable {
        public var raisedOn: CalendarDate
        public var closedOn: CalendarDate?
        /// Caused by a risk (a `causes` link) recorded before the issue.
        public var foreseen: Bool
        public init(raisedOn: CalendarDate, closedOn: CalendarDate?, foreseen: Bool) {
            self.raisedOn = raisedOn
            self.closedOn = closedOn
            self.foreseen = foreseen
        }
    }

    public struct Signal: Sendable, Equatable {
        public var raisedOn: CalendarDate
        /// The first day someone acknowledged, snoozed or converted it.
        public var actedOn: CalendarDate?
        public init(raisedOn: CalendarDate, actedOn: CalendarDate?) {
            self.raisedOn = raisedOn
            self.actedOn = actedOn
        }
    }

    /// A company's progress report due at a status date, and the day its first record for that date was made.
    public struct Report: Sendable, Equatable {
        public var companyKey: String
        public var companyName: String
        public var statusDate: CalendarDate
        public var reportedOn: CalendarDate?
        public init(companyKey: String, companyName: String, statusDate: CalendarDate, reportedOn: CalendarDate?) {
            self.companyKey = companyKey
            self.companyName = companyName
            self.statusDate = statusDate
            self.reportedOn = reportedOn
        }
    }

    public struct Meeting: Sendable, Equatable {
        public var heldOn: CalendarDate
        public var approvedOn: CalendarDate?
        public init(heldOn: CalendarDate, approvedOn: CalendarDate?) {
            self.heldOn = heldOn
            self.approvedOn = approvedOn
        }
    }

    public var decisions: [Decision]
    public var dueItems: [DueItem]
    public var issues: [Issue]
    public var signals: [Signal]
    public var reports: [Report]
    public var meetings: [Meeting]

    public init(decisions: [Decision] = [], dueItems: [DueItem] = [], issues: [Issue] = [], signals: [Signal] = [],
                reports: [Report] = [], meetings: [Meeting] = []) {
        self.decisions = decisions
        self.dueItems = dueItems
        self.issues = issues
        self.signals = signals
        self.reports = reports
        self.meetings = meetings
    }

    /// Two projects' facts pooled: the KPIs across projects count every event once, not an average of averages.
    public static func + (a: KPIFacts, b: KPIFacts) -> KPIFacts {
        KPIFacts(decisions: a.decisions + b.decisions, dueItems: a.dueItems + b.dueItems, issues: a.issues + b.issues,
                 signals: a.signals + b.signals, reports: a.reports + b.reports, meetings: a.meetings + b.meetings)
    }
}

/// One KPI in one month: the value (nil when nothing was counted), and how many events it was counted from (for a
/// share, `hits` of `count`).
public struct KPIValue: Sendable, Equatable, Codable {
    public var value: Double?
    public var count: Int
    public var hits: Int?

    public init(value: Double?, count: Int, hits: Int? = nil) {
        self.value = value
        self.count = count
        self.hits = hits
    }

    static func share(_ hits: Int, of count: Int) -> KPIValue {
        KPIValue(value: count == 0 ? nil : (Double(hits) / Double(count) * 1000).rounded() / 10, count: count, hits: hits)
    }
}

/// The KPIs month by month, and report punctuality per company.
public struct KPIReport: Sendable, Equatable {
    public struct Company: Sendable, Equatable {
        public var key: String
        public var name: String
        public var onTime: [KPIValue]
    }

    public var months: [KPIMonth]
    /// For each KPI, one value per month of `months`.
    public var series: [KPICode: [KPIValue]]
    public var companies: [Company]

    /// The values of `code` over all the months, pooled (what the table's last column shows).
    public var totals: [KPICode: KPIValue]
}

/// The KPIs' rules: pure, counted from `KPIFacts` as of `today` on the Japanese working calendar.
public enum KPIRules {
    /// Signals count as acted on when acted on within this many days of being raised.
    public static let actWithinDays = 7
    /// Minutes count when approved within this many working days after the meeting.
    public static let minutesWithinWorkingDays = 2
    /// A progress report counts as on time when recorded by this many working days after its status date.
    public static let reportGraceWorkingDays = 1

    public static func report(_ f: KPIFacts, months: [KPIMonth], today: CalendarDate) -> KPIReport {
        let months = months.sorted()
        var series: [KPICode: [KPIValue]] = [:]
        var totals: [KPICode: KPIValue] = [:]
        let span = months.first.map { $0.first...(months.last!.last) }
        func inSpan(_ d: CalendarDate) -> Bool { span?.contains(d) ?? false }

        // Decision lead time.
        func decided(_ m: KPIMonth?) -> [Double] {
            f.decisions.filter { d in m.map { $0.contains(d.decidedOn) } ?? inSpan(d.decidedOn) }.map(\.leadDays)
        }
        series[.decisionLeadMedian] = months.map { KPIValue(value: percentile(decided($0), 50), count: decided($0).count) }
        series[.decisionLeadP90] = months.map { KPIValue(value: percentile(decided($0), 90), count: decided($0).count) }
        totals[.decisionLeadMedian] = KPIValue(value: percentile(decided(nil), 50), count: decided(nil).count)
        totals[.decisionLeadP90] = KPIValue(value: percentile(decided(nil), 90), count: decided(nil).count)

        // Closed by the due date: due dates that have passed, and items already closed.
        let due = f.dueItems.filter { $0.dueDate < today || $0.closedOn != nil }
        func closedByDue(_ items: [KPIFacts.DueItem]) -> KPIValue {
            .share(items.filter { i in i.closedOn.map { $0 <= i.dueDate } ?? false }.count, of: items.count)
        }
        series[.closedByDue] = months.map { m in closedByDue(due.filter { m.contains($0.dueDate) }) }
        totals[.closedByDue] = closedByDue(due.filter { inSpan($0.dueDate) })

        // Mean age of open issues at each month's end (today in the current month; nothing for months to come).
        series[.openIssueAge] = months.map { m in
            guard m.first <= today else { return KPIValue(value: nil, count: 0) }
            let at = min(m.last, today)
            let ages = f.issues.filter { $0.raisedOn <= at && ($0.closedOn.map { $0 > at } ?? true) }.map { Double(at.dayNumber - $0.raisedOn.dayNumber) }
            return KPIValue(value: ages.isEmpty ? nil : (ages.reduce(0, +) / Double(ages.count) * 10).rounded() / 10, count: ages.count)
        }
        totals[.openIssueAge] = series[.openIssueAge]!.last { $0.value != nil } ?? KPIValue(value: nil, count: 0)

        // Issues foreseen by a risk.
        func foreseen(_ issues: [KPIFacts.Issue]) -> KPIValue { .share(issues.filter(\.foreseen).count, of: issues.count) }
        series[.risksForeseen] = months.map { m in foreseen(f.issues.filter { m.contains($0.raisedOn) }) }
        totals[.risksForeseen] = foreseen(f.issues.filter { inSpan($0.raisedOn) })

        // Signals acted on within a week: counted once the week has passed or someone acted.
        let signals = f.signals.filter { $0.actedOn != nil || today.dayNumber - $0.raisedOn.dayNumber >= actWithinDays }
        func acted(_ s: [KPIFacts.Signal]) -> KPIValue {
            .share(s.filter { x in x.actedOn.map { $0.dayNumber - x.raisedOn.dayNumber <= actWithinDays } ?? false }.count, of: s.count)
        }
        series[.signalsActed] = months.map { m in acted(signals.filter { m.contains($0.raisedOn) }) }
        totals[.signalsActed] = acted(signals.filter { inSpan($0.raisedOn) })

        // Progress reports on time, counted once the grace has passed or the report came.
        let reports = f.reports.filter { r in
            r.reportedOn != nil || RegisterRules.workingDays(after: r.statusDate, through: today) > reportGraceWorkingDays
        }
        func onTime(_ rs: [KPIFacts.Report]) -> KPIValue {
            .share(rs.filter { r in r.reportedOn.map { RegisterRules.workingDays(after: r.statusDate, through: $0) <= reportGraceWorkingDays } ?? false }.count,
                   of: rs.count)
        }
        series[.reportsOnTime] = months.map { m in onTime(reports.filter { m.contains($0.statusDate) }) }
        totals[.reportsOnTime] = onTime(reports.filter { inSpan($0.statusDate) })
        let companies = Dictionary(grouping: reports.filter { inSpan($0.statusDate) }, by: \.companyKey).map { key, rs in
            KPIReport.Company(key: key, name: rs[0].companyName, onTime: months.map { m in onTime(rs.filter { m.contains($0.statusDate) }) })
        }.sorted { ($0.name, $0.key) < ($1.name, $1.key) }

        // Minutes approved within two working days of the meeting.
        let meetings = f.meetings.filter { m in
            m.heldOn <= today && (m.approvedOn != nil || RegisterRules.workingDays(after: m.heldOn, through: today) > minutesWithinWorkingDays)
        }
        func approved(_ ms: [KPIFacts.Meeting]) -> KPIValue {
            .share(ms.filter { m in m.approvedOn.map { RegisterRules.workingDays(after: m.heldOn, through: $0) <= minutesWithinWorkingDays } ?? false }.count,
                   of: ms.count)
        }
        series[.minutesApproved] = months.map { m in approved(meetings.filter { m.contains($0.heldOn) }) }
        totals[.minutesApproved] = approved(meetings.filter { inSpan($0.heldOn) })

        return KPIReport(months: months, series: series, companies: companies, totals: totals)
    }

    /// The `p`th percentile as spreadsheets count it (Excel's PERCENTILE.INC: linear between the nearest ranks), so
    /// the median of an even count is the mean of the two middle values; one decimal; nil for none.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let h = Double(sorted.count - 1) * p / 100
        let lower = Int(h.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        let v = sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
        return (v * 10).rounded() / 10
    }
}

/// One progress record as the punctuality KPI reads it.
public struct KPIProgressRecord: Sendable, Equatable {
    public var uid: Int
    public var statusDate: CalendarDate
    public var percent: Double
    /// The day it was recorded (in the project's time zone).
    public var recordedOn: CalendarDate

    public init(uid: Int, statusDate: CalendarDate, percent: Double, recordedOn: CalendarDate) {
        self.uid = uid
        self.statusDate = statusDate
        self.percent = percent
        self.recordedOn = recordedOn
    }
}

extension KPIFacts {
    /// The progress reports due from each company at each status date: a company owes one at a status date when one
    /// of its activities was in progress then (recorded at that date, or last recorded before it between 0 and 100 %).
    /// It reported on the day of its first record for that date.
    public static func progressReports(records: [KPIProgressRecord], statusDates: [CalendarDate], companyOf: [Int: String],
                                       companyNames: [String: String]) -> [Report] {
        let byActivity = Dictionary(grouping: records, by: \.uid).mapValues { $0.sorted { ($0.statusDate, $0.recordedOn) < ($1.statusDate, $1.recordedOn) } }
        var out: [Report] = []
        for date in Set(statusDates).sorted() {
            var due: [String: CalendarDate?] = [:]
            for (uid, rs) in byActivity {
                guard let company = companyOf[uid] else { continue }
                let atDate = rs.filter { $0.statusDate == date }
                let before = rs.last { $0.statusDate < date }
                if let first = atDate.map(\.recordedOn).min() {
                    let known = due[company] ?? nil
                    due[company] = known.map { min($0, first) } ?? first
                } else if let before, before.percent > 0, before.percent < 100, due[company] == nil {
                    due[company] = .some(nil)
                }
            }
            for (company, reported) in due {
                out.append(Report(companyKey: company, companyName: companyNames[company] ?? "", statusDate: date, reportedOn: reported))
            }
        }
        return out.sorted { ($0.statusDate, $0.companyKey) < ($1.statusDate, $1.companyKey) }
    }
}
