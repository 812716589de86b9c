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
