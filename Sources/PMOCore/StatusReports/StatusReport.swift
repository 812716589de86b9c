import Foundation

/// A draft report's or an issued report's state. An issued report never changes; a correction supersedes it.
public enum StatusReportState: String, CaseIterable, Sendable, Codable {
    case draft, issued, superseded
}

/// The PMO's rating of an area in place of the computed one, with the reason it must state.
public struct StatusOverride: Sendable, Equatable, Codable {
    public var area: StatusArea
    public var rag: RAG
    public var reason: String

    public init(area: StatusArea, rag: RAG, reason: String) {
        self.area = area
        self.rag = rag
        self.reason = reason
    }
}

/// Issues at one date of a burn-down: open at its end, raised and closed since the date before.
public struct IssueCountPoint: Sendable, Hashable, Codable {
    public var date: CivilDate
    /// Items open at the end of the date (opened on or before it, minus closed on or before it).
    public var open: Int
    /// Items opened in the period since the previous date (after it, up to and including this date).
    public var raised: Int
    /// Items closed in the same period.
    public var closed: Int

    public init(date: CivilDate, open: Int, raised: Int, closed: Int) {
        self.date = date
        self.open = open
        self.raised = raised
        self.closed = closed
    }

    /// The counts at each of `dates` (sorted, duplicates dropped). For each date: open = items opened on or before
    /// it − items closed on or before it; raised and closed count the items opened and closed after the previous
    /// date and on or before this one. The first date's period is everything up to it, so open is always the
    /// running total of raised − closed.
    public static func points(opened: [CivilDate], closed: [CivilDate], dates: [CivilDate]) -> [IssueCountPoint] {
        let o = opened.map(\.dayNumber).sorted(), c = closed.map(\.dayNumber).sorted()
        func atOrBefore(_ sorted: [Int], _ day: Int) -> Int {
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] <= day { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var result: [IssueCountPoint] = []
        var previousOpened = 0, previousClosed = 0
        for day in Set(dates.map(\.dayNumber)).sorted() {
            let openedSoFar = atOrBefore(o, day), closedSoFar = atOrBefore(c, day)
            result.append(IssueCountPoint(date: CivilDate(dayNumber: day), open: openedSoFar - closedSoFar,
                                          raised: openedSoFar - previousOpened, closed: closedSoFar - previousClosed))
            previousOpened = openedSoFar
            previousClosed = closedSoFar
        }
        return result
    }

    /// Weekly dates ending at `until`, back to the week of `first` (at most a year).
    public static func weeks(from first: CivilDate, until: CivilDate) -> [CivilDate] {
        guard first <= until else { return [] }
        var dates: [CivilDate] = []
        var d = until
        while dates.count < 52 {
            dates.append(d)
            if d < first { break }
            d = d.adding(days: -7)
        }
        return dates.reversed()
    }
}

/// A 5 × 5 grid of open risks by probability (rows, 1–5) and impact (columns, 1–5), as the heat map draws it.
public enum RiskGrid {
    public static func counts(of risks: [(probability: Int, impact: Int)]) -> [[Int]] {
        var grid = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        for r in risks where (1...5).contains(r.probability) && (1...5).contains(r.impact) {
            grid[r.probability - 1][r.impact - 1] += 1
        }
        return grid
    }
}

/// An item (issue, risk, decision) as a report lists it.
public struct ReportItem: Sendable, Equatable, Codable {
    public var reference: String
    public var title: String
    public var status: String
    public var owner: String?
    public var dueDate: CalendarDate?
    /// A risk's score or an issue's priority rank (3 = critical).
    public var score: Int?
    /// Who must decide (decisions).
    public var decider: String?
    public var visibility: Visibility

    public init(reference: String, title: String, status: String, owner: String? = nil, dueDate: CalendarDate? = nil,
                score: Int? = nil, decider: String? = nil, visibility: Visibility = .project) {
        self.reference = reference
        self.title = title
        self.status = status
        self.owner = owner
        self.dueDate = dueDate
        self.score = score
        self.decider = decider
        self.visibility = visibility
    }
}

/// A point of the S-curve kept in the report, so an issued report's chart never changes.
public struct CurvePoint: Sendable, Equatable, Codable {
    public var date: CalendarDate
    public var pv: Double
    public var ev: Double?
    public var ac: Double?

    public init(date: CalendarDate, pv: Double, ev: Double? = nil, ac: Double? = nil) {
        self.date = date
        self.pv = pv
        self.ev = ev
        self.ac = ac
    }
}

/// Everything a weekly status report shows. A draft is computed from live data on every read; issuing stores this
/// value, and an issued report is read back from it, never recomputed.
public struct StatusReportContent: Sendable, Equatable, Codable {
    public var projectKey: String
    public var projectName: String
    public var statusDate: CalendarDate
    public var areas: [AreaStatus]
    public var metrics: StatusMetrics
    public var topIssues: [ReportItem]
    public var topRisks: [ReportItem]
    public var decisionsNeeded: [ReportItem]
    public var curve: [CurvePoint]
    /// Open risks by probability and impact at the report's making (the heat map), and open issues week by week up
    /// to its status date (the burn-down): stored with an issued report so it shows its charts as they were. Nil in
    /// reports issued before they were kept.
    public var riskGrid: [[Int]]?
    public var issueTrend: [IssueCountPoint]?
    public var comment: String
    public var done: String
    public var next: String

    public init(projectKey: String, projectName: String, statusDate: CalendarDate, areas: [AreaStatus], metrics: StatusMetrics,
                topIssues: [ReportItem], topRisks: [ReportItem], decisionsNeeded: [ReportItem], curve: [CurvePoint],
                comment: String = "", done: String = "", next: String = "") {
        self.projectKey = projectKey
        self.projectName = projectName
        self.statusDate = statusDate
        self.areas = areas
        self.metrics = metrics
        self.topIssues = topIssues
        self.topRisks = topRisks
        self.decisionsNeeded = decisionsNeeded
        self.curve = curve
        self.comment = comment
        self.done = done
        self.next = next
    }

    public func area(_ area: StatusArea) -> AreaStatus? { areas.first { $0.area == area } }
    public var overall: RAG { area(.overall)?.rag ?? .grey }

    /// Applies the PMO's overrides to the computed areas; an override of a measured area also counts toward overall.
    public static func applying(_ overrides: [StatusOverride], to computed: [AreaStatus]) -> [AreaStatus] {
        var areas = computed.map { a -> AreaStatus in
            var copy = a
            if let o = overrides.first(where: { $0.area == a.area }) {
                copy.override = o.rag
                copy.overrideReason = o.reason
            }
            return copy
        }
        if let index = areas.firstIndex(where: { $0.area == .overall }) {
            let worst = areas.filter { $0.area != .overall }.max { $0.rag < $1.rag }
            if let worst, worst.rag != areas[index].computed {
                areas[index].computed = worst.rag
                areas[index].reasons = [StatusReason(.worstArea, [worst.area.rawValue])]
            }
        }
        return areas
    }
}

public enum StatusReportRules {
    public static let textMax = 10_000

    /// Checks the PMO's overrides and texts: an override needs a reason; texts have a length limit.
    public static func validate(overrides: [StatusOverride], comment: String, done: String, next: String) -> [FieldError] {
        var e = FieldErrors()
        var seen = Set<StatusArea>()
        for o in overrides {
            if !seen.insert(o.area).inserted {
                e.add("overrides", "duplicate", "The \(o.area.rawValue) status is overridden twice; keep one.")
            }
            if o.rag == .grey {
                e.add("overrides", "invalid", "Override \(o.area.rawValue) with red, amber or green.")
            }
            let reason = o.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            if reason.isEmpty {
                e.add("overrides", "reason_required",
                      "Overriding the \(o.area.rawValue) status needs a reason, e.g. what the figures do not show.")
            } else if reason.count > 2_000 {
                e.add("overrides", "too_long", "An override reason may have at most 2000 characters.")
            }
        }
        for (name, value) in [("comment", comment), ("done", done), ("next", next)] where value.count > textMax {
            e.add(name, "too_long", "\(name) may have at most \(textMax) characters (it has \(value.count)).")
        }
        return e.all
    }

    /// Why a report cannot be made for `date`: before the project started or after today.
    public static func dateProblems(_ date: CalendarDate, projectStart: CalendarDate?, today: CalendarDate) -> [FieldError] {
        var e = FieldErrors()
        if let start = projectStart, date < start {
            e.add("statusDate", "before_start", "The status date \(date) is before the project started (\(start)); choose \(start) or later.")
        }
        if date > today {
            e.add("statusDate", "in_future", "The status date \(date) is in the future; a report is made as of today (\(today)) or earlier.")
        }
        return e.all
    }
}

/// What changed from one report to the next: the week-to-week view.
public struct StatusComparison: Sendable, Equatable {
    public struct AreaChange: Sendable, Equatable {
        public var area: StatusArea
        public var from: RAG?
        public var to: RAG
        /// +1 better, 0 same, -1 worse (grey counts as unmeasured, not better).
        public var trend: Int
    }

    public struct MetricChange: Sendable, Equatable {
        public var name: String
        public var from: Double?
        public var to: Double?
    }

    public var previousDate: CalendarDate?
    public var areas: [AreaChange]
    public var metrics: [MetricChange]
    /// Issues and risks in this week's top lists that were not in last week's, and those that left.
    public var newItems: [ReportItem]
    public var goneItems: [ReportItem]

    public static func compare(previous: StatusReportContent?, current: StatusReportContent) -> StatusComparison {
        let areas = StatusArea.allCases.compactMap { area -> AreaChange? in
            guard let now = current.area(area)?.rag else { return nil }
            let before = previous?.area(area)?.rag
            var trend = 0
            if let before, before != .grey, now != .grey { trend = now < before ? 1 : (now > before ? -1 : 0) }
            return AreaChange(area: area, from: before, to: now, trend: trend)
        }
        let p = previous?.metrics, c = current.metrics
        let metrics = [
            MetricChange(name: "spi", from: p?.spi, to: c.spi),
            MetricChange(name: "cpi", from: p?.cpi, to: c.cpi),
            MetricChange(name: "earnedPercent", from: p?.earnedPercent, to: c.earnedPercent),
            MetricChange(name: "openIssues", from: p.map { Double($0.openIssues) }, to: Double(c.openIssues)),
            MetricChange(name: "openRisks", from: p.map { Double($0.openRisks) }, to: Double(c.openRisks)),
            MetricChange(name: "risksAboveThreshold", from: p.map { Double($0.risksAboveThreshold) }, to: Double(c.risksAboveThreshold)),
            MetricChange(name: "changesPending", from: p.map { Double($0.changesPending) }, to: Double(c.changesPending)),
        ]
        let before = Set((previous.map { $0.topIssues + $0.topRisks } ?? []).map(\.reference))
        let after = Set((current.topIssues + current.topRisks).map(\.reference))
        return StatusComparison(previousDate: previous?.statusDate, areas: areas, metrics: metrics,
                                newItems: (current.topIssues + current.topRisks).filter { !before.contains($0.reference) },
                                goneItems: (previous.map { $0.topIssues + $0.topRisks } ?? []).filter { !after.contains($0.reference) })
    }
}
