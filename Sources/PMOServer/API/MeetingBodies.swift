import Foundation
import PMOCore
import PMOStore

// Meetings' and status reports' answers as types. Their schemas are derived from these types (`DerivedSchema`),
// every field is written, null included (`MeetingJSON.response(body:)`). People come back as `{id, name}`; a reason
// (why an item is on the agenda, why an area has its colour) is a stable `code` with its `values`, so that every
// reader words it in its own language.

/// Hints shared by the meeting and report answers.
private enum MeetingHint {
    static let day = JSONSchema.date
    static let clock = MeetingSchemas.clock
    static var rules: JSONSchema { .enumeration(AgendaRule.allCases.map(\.rawValue)) }
    static var itemTypes: JSONSchema { .enumeration(MeetingSchemas.itemTypes) }
    /// What an agenda line may be about: any item, as a signal may point at an interface or a system.
    static var anyItemType: JSONSchema { .enumeration(["issue"] + RegisterKind.allCases.map(\.rawValue)) }
    static var rags: JSONSchema { .enumeration(MeetingSchemas.rags) }
    static var areas: JSONSchema { .enumeration(MeetingSchemas.areas) }
    static var occurrenceStatus: JSONSchema { .enumeration(OccurrenceStatus.allCases.map(\.rawValue)) }
    static var reportState: JSONSchema { .enumeration(StatusReportState.allCases.map(\.rawValue)) }
}

struct MeetingVisibilityBody: Codable, DocumentedBody {
    static let schemaName = "MeetingVisibility"
    static var schemaHints: [String: JSONSchema] {
        ["scope": .enumeration(VisibilityScope.allCases.map(\.rawValue)), "company": JSONSchema.uuid.described("The company, for scope company")]
    }
    var scope: String
    var company: String?

    init(_ v: Visibility) { scope = v.scope.rawValue; company = v.companyID?.description }
}

/// A series' cap on one agenda rule: at most `max` of its items come first.
struct AgendaRuleCapBody: Codable, DocumentedBody {
    static let schemaName = "AgendaRuleCap"
    static var schemaHints: [String: JSONSchema] {
        ["rule": MeetingHint.rules, "max": JSONSchema.integer.range(1, Double(AgendaRule.capMax)).described("At most this many of the rule's items come first")]
    }
    var rule: String
    var max: Int
}

/// Why an agenda item is on the agenda, or why a status area has its colour: a code and the values it names.
struct ReasonBody: Codable, DocumentedBody {
    static let schemaName = "AgendaReason"
    var code: String
    var values: [String]
}

// MARK: Series and occurrences

struct MeetingSeriesBody: Codable, DocumentedBody {
    static let schemaName = "MeetingSeries"
    static var schemaHints: [String: JSONSchema] {
        ["firstDate": MeetingHint.day, "weekday": JSONSchema.integer.range(0, 6).described("0 = Sunday"), "startTime": MeetingHint.clock,
         "rules": .array(MeetingHint.rules)]
    }
    var id: String
    var projectKey: String
    var name: String
    var purpose: String
    var chair: PersonRef?
    var firstDate: String
    var weekday: Int
    var intervalWeeks: Int
    var startTime: String
    var durationMinutes: Int
    var location: String
    var attendees: [PersonRef]
    /// In priority order.
    var rules: [String]
    var ruleCaps: [AgendaRuleCapBody]
    var riskThreshold: Int
    var company: PersonRef?
    var visibility: MeetingVisibilityBody
    var version: Int
    var canManage: Bool
    var canRun: Bool

    init(_ s: MeetingSeriesView) {
        let f = s.fields
        let r = f.recurrence
        id = MeetingJSON.id(s.id); projectKey = s.projectKey; name = f.name; purpose = f.purpose
        chair = PersonRef(f.chairID, s.userNames); firstDate = r.firstDate.description; weekday = r.firstDate.weekday
        intervalWeeks = r.intervalWeeks; startTime = MeetingRecurrence.clock(r.startMinutes); durationMinutes = r.durationMinutes
        location = f.location; attendees = f.attendeeIDs.compactMap { PersonRef($0, s.userNames) }; rules = f.rules.map(\.rawValue)
        ruleCaps = f.rules.compactMap { r in f.ruleCaps[r].map { AgendaRuleCapBody(rule: r.rawValue, max: $0) } }
        riskThreshold = f.riskThreshold; company = PersonRef(f.companyID, s.companyNames); visibility = MeetingVisibilityBody(f.visibility)
        version = s.version; canManage = s.canManage; canRun = s.canRun
    }
}

struct MeetingOccurrenceSummaryBody: Codable, DocumentedBody {
    static let schemaName = "MeetingOccurrenceSummary"
    static var schemaHints: [String: JSONSchema] {
        ["date": MeetingHint.day, "startTime": MeetingHint.clock, "status": MeetingHint.occurrenceStatus]
    }
    var id: String
    var number: Int
    var date: String
    var startTime: String
    var status: String
    var approvedVersions: Int

    init(_ o: OccurrenceSummary) {
        id = MeetingJSON.id(o.id); number = o.number; date = o.date.description; startTime = MeetingRecurrence.clock(o.startMinutes)
        status = o.status.rawValue; approvedVersions = o.approvedVersions
    }
}

/// An item created in a meeting (an issue, risk, decision, question, change or action).
struct MinutesOutputBody: Codable, DocumentedBody {
    static let schemaName = "MinutesOutput"
    static var schemaHints: [String: JSONSchema] { ["type": MeetingHint.itemTypes, "ownerId": .uuid, "dueDate": MeetingHint.day] }
    var id: String
    var agendaItem: String?
    var type: String
    var reference: String
    var number: Int
    var title: String
    var status: String
    var ownerId: String?
    var dueDate: String?
    var visibility: MeetingVisibilityBody

    init(_ o: MeetingOutputView) {
        id = MeetingJSON.id(o.id); agendaItem = o.agendaItemID.map(MeetingJSON.id); type = MeetingJSON.typeName(o.type)
        reference = o.reference; number = o.number; title = o.title; status = o.status; ownerId = o.ownerID?.description
        dueDate = o.dueDate?.description; visibility = MeetingVisibilityBody(o.visibility)
    }
}

struct AgendaItemBody: Codable, DocumentedBody {
    static let schemaName = "AgendaItem"
    static var schemaHints: [String: JSONSchema] {
        ["rule": MeetingHint.rules, "itemType": MeetingHint.anyItemType,
         "reasons": JSONSchema.array(.ref("AgendaReason")).described("Codes: " + AgendaReason.Code.allCases.map(\.rawValue).joined(separator: ", "))]
    }
    var id: String
    var position: Int
    var rule: String?
    var itemType: String?
    var itemNumber: Int?
    var reference: String?
    var activityUid: Int?
    var title: String
    var reasons: [ReasonBody]
    var notes: String
    var carry: Bool
    var visibility: MeetingVisibilityBody
    var version: Int
    var outputs: [MinutesOutputBody]
    /// The minutes the time box counts for the item: its own, else its rule's (`minutesGiven` says which).
    var minutes: Int
    var minutesGiven: Bool
    /// Who presents it: the one named, else the owner of the item it is about (`presenterGiven` says which).
    var presenter: PersonRef?
    var presenterGiven: Bool

    init(_ i: AgendaItemView) {
        id = MeetingJSON.id(i.id); position = i.position; rule = i.rule?.rawValue; itemType = i.itemType.map(MeetingJSON.typeName)
        itemNumber = i.itemNumber; reference = i.reference; activityUid = i.activityUID; title = i.title
        reasons = i.reasons.map { ReasonBody(code: $0.code.rawValue, values: $0.values) }; notes = i.notes; carry = i.carry
        visibility = MeetingVisibilityBody(i.visibility); version = i.version; outputs = i.outputs.map(MinutesOutputBody.init)
        minutes = i.boxMinutes; minutesGiven = i.minutes != nil
        presenter = i.effectivePresenterID.map { PersonRef(id: $0.description, name: i.presenterName ?? "") }
        presenterGiven = i.presenterID != nil
    }
}

struct MeetingOccurrenceBody: Codable, DocumentedBody {
    static let schemaName = "MeetingOccurrence"
    static var schemaHints: [String: JSONSchema] {
        ["date": MeetingHint.day, "startTime": MeetingHint.clock, "status": MeetingHint.occurrenceStatus,
         "minutesVersion": JSONSchema.integer.described("The version the minutes will have when (next) approved"),
         "preparedAt": .instant, "approvedAt": .instant]
    }
    var id: String
    var seriesId: String
    var seriesName: String
    var projectKey: String
    var number: Int
    var date: String
    var startTime: String
    var durationMinutes: Int
    var location: String
    var status: String
    var frozen: Bool
    var chair: PersonRef?
    var notes: String
    var present: [PersonRef]
    var absent: [PersonRef]
    var minutesVersion: Int
    var approvedVersion: Int?
    var preparedAt: String?
    var approvedAt: String?
    var approvedBy: PersonRef?
    var version: Int
    var canRun: Bool
    var items: [AgendaItemBody]
    var outputs: [MinutesOutputBody]

    init(_ o: OccurrenceView) {
        let names = o.series.userNames
        let absentIDs = o.series.fields.attendeeIDs.filter { !o.presentIDs.contains($0) }
        id = MeetingJSON.id(o.id); seriesId = MeetingJSON.id(o.series.id); seriesName = o.series.fields.name
        projectKey = o.series.projectKey; number = o.number; date = o.date.description
        startTime = MeetingRecurrence.clock(o.startMinutes); durationMinutes = o.durationMinutes; location = o.series.fields.location
        status = o.status.rawValue; frozen = o.isFrozen; chair = PersonRef(o.series.fields.chairID, names); notes = o.notes
        present = o.presentIDs.compactMap { PersonRef($0, names) }; absent = absentIDs.compactMap { PersonRef($0, names) }
        minutesVersion = o.minutesVersion; approvedVersion = o.minutesVersion > 1 ? o.minutesVersion - 1 : nil
        preparedAt = o.preparedAt.map(InstantText.iso8601); approvedAt = o.approvedAt.map(InstantText.iso8601)
        approvedBy = PersonRef(o.approvedByID, names); version = o.version; canRun = o.series.canRun
        items = o.items.map(AgendaItemBody.init); outputs = o.outputs.map(MinutesOutputBody.init)
    }
}

// MARK: Approved minutes

struct MinutesPersonBody: Codable, DocumentedBody {
    static let schemaName = "MinutesPerson"
    var id: String
    var name: String
    var company: String?

    init?(_ p: MinutesDocument.Person?) {
        guard let p else { return nil }
        id = p.id.description; name = p.name; company = p.company
    }
}

struct MinutesDocumentOutputBody: Codable, DocumentedBody {
    static let schemaName = "MinutesDocumentOutput"
    static var schemaHints: [String: JSONSchema] { ["type": MeetingHint.itemTypes] }
    var reference: String
    var type: String
    var title: String
    var visibility: MeetingVisibilityBody

    init(_ o: MinutesDocument.Output) {
        reference = o.reference; type = MeetingJSON.typeName(o.type); title = o.title; visibility = MeetingVisibilityBody(o.visibility)
    }
}

struct MinutesItemBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { ["rule": MeetingHint.rules] }
    var position: Int
    var rule: String?
    var reference: String?
    var activityUid: Int?
    var title: String
    var reasons: [ReasonBody]
    var notes: String
    var carry: Bool
    var visibility: MeetingVisibilityBody
    var outputs: [MinutesDocumentOutputBody]
}

/// Approved minutes as they were approved.
struct MinutesDocumentBody: Codable, DocumentedBody {
    static let schemaName = "MinutesDocument"
    static var schemaHints: [String: JSONSchema] { ["date": MeetingHint.day, "startTime": MeetingHint.clock, "approvedAt": .instant] }
    var projectKey: String
    var seriesName: String
    var occurrence: Int
    var date: String
    var startTime: String
    var durationMinutes: Int
    var location: String
    var chair: MinutesPersonBody?
    var present: [MinutesPersonBody]
    var absent: [MinutesPersonBody]
    var notes: String
    var version: Int
    var approvedBy: MinutesPersonBody?
    var approvedAt: String?
    var items: [MinutesItemBody]
    var outputs: [MinutesDocumentOutputBody]

    init(_ d: MinutesDocument) {
        projectKey = d.projectKey; seriesName = d.seriesName; occurrence = d.occurrence; date = d.date.description
        startTime = MeetingRecurrence.clock(d.startMinutes); durationMinutes = d.durationMinutes; location = d.location
        chair = MinutesPersonBody(d.chair); present = d.present.compactMap { MinutesPersonBody($0) }
        absent = d.absent.compactMap { MinutesPersonBody($0) }; notes = d.notes; version = d.version
        approvedBy = MinutesPersonBody(d.approvedBy); approvedAt = d.approvedAt.map(InstantText.iso8601)
        items = d.items.map { i in
            MinutesItemBody(position: i.position, rule: i.rule?.rawValue, reference: i.reference, activityUid: i.activityUID, title: i.title,
                            reasons: i.reasons.map { ReasonBody(code: $0.code.rawValue, values: $0.values) }, notes: i.notes,
                            carry: i.carry, visibility: MeetingVisibilityBody(i.visibility),
                            outputs: i.outputs.map(MinutesDocumentOutputBody.init))
        }
        outputs = d.outputs.map(MinutesDocumentOutputBody.init)
    }
}

extension MeetingSchemas {
    /// The meeting answers that are types: their schemas come from the types.
    static var derivedBodies: [any DocumentedBody.Type] { [
        MeetingVisibilityBody.self, AgendaRuleCapBody.self, ReasonBody.self, MeetingSeriesBody.self, ListBody<MeetingSeriesBody>.self,
        MeetingOccurrenceSummaryBody.self, MinutesOutputBody.self, AgendaItemBody.self,
        MeetingOccurrenceBody.self, MinutesPersonBody.self, MinutesDocumentOutputBody.self, MinutesDocumentBody.self,
        StatusAreaBody.self, ReportItemBody.self, MilestoneStatusBody.self, StatusMetricsBody.self, StatusAreaChangeBody.self,
        StatusComparisonBody.self, StatusReportBody.self, StatusReportSummaryBody.self,
        PortfolioRowBody.self, KickoffPackBody.self,
    ] }
}

// MARK: Status reports, portfolio, kickoff

struct StatusAreaBody: Codable, DocumentedBody {
    static let schemaName = "StatusArea"
    static var schemaHints: [String: JSONSchema] {
        ["area": MeetingHint.areas, "computed": MeetingHint.rags, "override": MeetingHint.rags, "rag": MeetingHint.rags,
         "reasons": JSONSchema.array(.ref("StatusReason")).described("Codes: " + StatusReason.Code.allCases.map(\.rawValue).joined(separator: ", "))]
    }
    var area: String
    var computed: String
    var override: String?
    var overrideReason: String?
    var rag: String
    var reasons: [ReasonBody]

    init(_ a: AreaStatus) {
        area = a.area.rawValue; computed = a.computed.rawValue; override = a.override?.rawValue; overrideReason = a.overrideReason
        rag = a.rag.rawValue; reasons = a.reasons.map { ReasonBody(code: $0.code.rawValue, values: $0.values) }
    }
}

struct ReportItemBody: Codable, DocumentedBody {
    static let schemaName = "ReportItem"
    static var schemaHints: [String: JSONSchema] {
        ["dueDate": MeetingHint.day, "score": JSONSchema.integer.described("A risk's score (1–25) or an issue's priority rank (3 = critical)"),
         "priority": .enumeration(["low", "medium", "high", "critical"])]
    }
    var reference: String
    var title: String
    var status: String
    var owner: String?
    var dueDate: String?
    var score: Int?
    var priority: String?
    var decider: String?
    var visibility: MeetingVisibilityBody

    init(_ i: ReportItem) {
        let isIssue = ItemReference(i.reference)?.type == .issue
        reference = i.reference; title = i.title; status = i.status; owner = i.owner; dueDate = i.dueDate?.description
        score = i.score; priority = isIssue ? i.score.flatMap(IssuePriority.init(rank:))?.rawValue : nil; decider = i.decider
        visibility = MeetingVisibilityBody(i.visibility)
    }
}

struct MilestoneStatusBody: Codable, DocumentedBody {
    static let schemaName = "MilestoneStatus"
    static var schemaHints: [String: JSONSchema] { ["baselineFinish": MeetingHint.day, "forecastFinish": MeetingHint.day] }
    var uid: Int
    var name: String
    var baselineFinish: String?
    var forecastFinish: String
    var slipDays: Double?
    var done: Bool

    init(_ m: MilestoneStatus) {
        uid = m.uid; name = m.name; baselineFinish = m.baselineFinish?.description; forecastFinish = m.forecastFinish.description
        slipDays = m.slipDays.map { PlanJSON.rounded($0) }; done = m.done
    }
}

struct TriggeredSignBody: Codable {
    var reference: String
    var sign: String
    var score: Int
}

struct StatusMetricsBody: Codable, DocumentedBody {
    static let schemaName = "StatusMetrics"
    var hasPlan: Bool
    var spi, cpi, plannedPercent, earnedPercent: Double?
    /// Whole yen (rounded half up).
    var bac, pv, ev, ac: Int64
    var eac: Int64?
    var changesApproved, changesApprovedSinceLast: Int
    var changeDaysApproved: Double
    var changeCostApproved: Int64
    var changesPending, openIssues, openCriticalIssues, openHighIssues, openQualityRisks, openRisks: Int
    var riskThreshold, risksAboveThreshold, risksRed: Int
    var triggered: [TriggeredSignBody]

    init(_ m: StatusMetrics) {
        func money(_ x: Double) -> Int64 { PlanJSON.yen(x) }
        func index(_ x: Double?) -> Double? { x.map { PlanJSON.rounded($0, 4) } }
        hasPlan = m.hasPlan; spi = index(m.spi); cpi = index(m.cpi); plannedPercent = m.plannedPercent; earnedPercent = m.earnedPercent
        bac = money(m.bac); pv = money(m.pv); ev = money(m.ev); ac = money(m.ac); eac = m.eac.map(money)
        changesApproved = m.changesApproved; changesApprovedSinceLast = m.changesApprovedSinceLast
        changeDaysApproved = PlanJSON.rounded(m.changeDaysApproved); changeCostApproved = money(m.changeCostApproved)
        changesPending = m.changesPending; openIssues = m.openIssues; openCriticalIssues = m.openCriticalIssues
        openHighIssues = m.openHighIssues; openQualityRisks = m.openQualityRisks; openRisks = m.openRisks
        riskThreshold = m.riskThreshold; risksAboveThreshold = m.risksAboveThreshold; risksRed = m.risksRed
        triggered = m.triggered.map { TriggeredSignBody(reference: $0.reference, sign: $0.sign, score: $0.score) }
    }
}

struct StatusAreaChangeBody: Codable, DocumentedBody {
    static let schemaName = "StatusAreaChange"
    static var schemaHints: [String: JSONSchema] {
        ["area": MeetingHint.areas, "from": MeetingHint.rags, "to": MeetingHint.rags,
         "trend": JSONSchema.integerEnumeration([-1, 0, 1]).described("1 better, 0 same, -1 worse")]
    }
    var area: String
    var from: String?
    var to: String
    var trend: Int

    init(_ c: StatusComparison.AreaChange) { area = c.area.rawValue; from = c.from?.rawValue; to = c.to.rawValue; trend = c.trend }
}

struct MetricChangeBody: Codable {
    var name: String
    var from: Double?
    var to: Double?
}

struct StatusComparisonBody: Codable, DocumentedBody {
    static let schemaName = "StatusComparison"
    static var schemaHints: [String: JSONSchema] { ["previousDate": MeetingHint.day] }
    var previousDate: String?
    var areas: [StatusAreaChangeBody]
    var metrics: [MetricChangeBody]
    var newItems: [ReportItemBody]
    var goneItems: [ReportItemBody]

    init(_ c: StatusComparison) {
        previousDate = c.previousDate?.description; areas = c.areas.map(StatusAreaChangeBody.init)
        metrics = c.metrics.map { MetricChangeBody(name: $0.name, from: $0.from.map { PlanJSON.rounded($0, 4) }, to: $0.to.map { PlanJSON.rounded($0, 4) }) }
        newItems = c.newItems.map(ReportItemBody.init); goneItems = c.goneItems.map(ReportItemBody.init)
    }
}

struct StatusOverrideBody: Codable {
    var area: String
    var rag: String
    var reason: String
}

struct CurvePointBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { ["date": MeetingHint.day] }
    var date: String
    /// Whole yen.
    var pv: Int64
    var ev: Int64?
    var ac: Int64?
}

struct StatusReportBody: Codable, DocumentedBody {
    static let schemaName = "StatusReport"
    static var schemaHints: [String: JSONSchema] {
        ["statusDate": MeetingHint.day, "state": MeetingHint.reportState, "createdAt": .instant, "issuedAt": .instant,
         "overall": MeetingHint.rags, "overrides": .array(.ref("StatusOverride"))]
    }
    var id: String
    var projectKey: String
    var projectName: String
    var statusDate: String
    var state: String
    var version: Int
    var createdAt: String
    var issuedAt: String?
    var issuedBy: String?
    var supersedes: String?
    var supersededBy: String?
    var canEdit: Bool
    var canOverride: Bool
    var overall: String
    var areas: [StatusAreaBody]
    var overrides: [StatusOverrideBody]
    var metrics: StatusMetricsBody
    var milestones: [MilestoneStatusBody]
    var topIssues: [ReportItemBody]
    var topRisks: [ReportItemBody]
    var decisionsNeeded: [ReportItemBody]
    var curve: [CurvePointBody]
    var comment: String
    var done: String
    var next: String
    var comparison: StatusComparisonBody

    init(_ r: StatusReportView) {
        let c = r.content
        id = MeetingJSON.id(r.id); projectKey = r.projectKey; projectName = c.projectName; statusDate = c.statusDate.description
        state = r.state.rawValue; version = r.version; createdAt = InstantText.iso8601(r.createdAt)
        issuedAt = r.issuedAt.map(InstantText.iso8601); issuedBy = r.issuedBy; supersedes = r.supersedesID.map(MeetingJSON.id)
        supersededBy = r.supersededByID.map(MeetingJSON.id); canEdit = r.canEdit; canOverride = r.canOverride
        overall = c.overall.rawValue; areas = c.areas.map(StatusAreaBody.init)
        overrides = r.overrides.map { StatusOverrideBody(area: $0.area.rawValue, rag: $0.rag.rawValue, reason: $0.reason) }
        metrics = StatusMetricsBody(c.metrics); milestones = c.metrics.milestones.map(MilestoneStatusBody.init)
        topIssues = c.topIssues.map(ReportItemBody.init); topRisks = c.topRisks.map(ReportItemBody.init)
        decisionsNeeded = c.decisionsNeeded.map(ReportItemBody.init)
        curve = c.curve.map { CurvePointBody(date: $0.date.description, pv: PlanJSON.yen($0.pv), ev: $0.ev.map(PlanJSON.yen),
                                             ac: $0.ac.map(PlanJSON.yen)) }
        comment = c.comment; done = c.done; next = c.next; comparison = StatusComparisonBody(r.comparison)
    }
}

struct StatusReportSummaryBody: Codable, DocumentedBody {
    static let schemaName = "StatusReportSummary"
    static var schemaHints: [String: JSONSchema] {
        ["statusDate": MeetingHint.day, "state": MeetingHint.reportState, "overall": MeetingHint.rags, "issuedAt": .instant]
    }
    var id: String
    var statusDate: String
    var state: String
    var overall: String?
    var issuedAt: String?
    var version: Int

    init(_ r: StatusReportSummary) {
        id = MeetingJSON.id(r.id); statusDate = r.statusDate.description; state = r.state.rawValue; overall = r.overall?.rawValue
        issuedAt = r.issuedAt.map(InstantText.iso8601); version = r.version
    }
}

struct PortfolioRowBody: Codable, DocumentedBody {
    static let schemaName = "PortfolioRow"
    static var schemaHints: [String: JSONSchema] {
        ["statusDate": MeetingHint.day, "overall": MeetingHint.rags, "issuedAt": .instant, "previousDate": MeetingHint.day]
    }
    var projectKey: String
    var projectName: String
    var phase: String
    var statusDate: String?
    var overall: String?
    var issuedAt: String?
    var areas: [StatusAreaBody]
    var previousDate: String?
    var trend: [StatusAreaChangeBody]

    init(_ p: PortfolioRow) {
        projectKey = p.projectKey; projectName = p.projectName; phase = p.phase; statusDate = p.latest?.statusDate.description
        overall = p.latest?.overall.rawValue; issuedAt = p.latestIssuedAt.map(InstantText.iso8601)
        areas = (p.latest?.areas ?? []).map(StatusAreaBody.init); previousDate = p.comparison?.previousDate?.description
        trend = (p.comparison?.areas ?? []).map(StatusAreaChangeBody.init)
    }
}

struct KickoffMemberBody: Codable {
    var name: String
    var company: String
    var role: String
}

struct KickoffPhaseBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { ["start": MeetingHint.day, "finish": MeetingHint.day] }
    var name: String
    var definition: String
    var exitCriteria: String
    var start: String?
    var finish: String?
}

struct KickoffMeetingBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { ["firstDate": MeetingHint.day, "startTime": MeetingHint.clock] }
    var name: String
    var purpose: String
    var chair: String?
    var firstDate: String
    var weekday: Int
    var intervalWeeks: Int
    var startTime: String
    var durationMinutes: Int
    var attendees: [String]
}

struct KickoffPackBody: Codable, DocumentedBody {
    static let schemaName = "KickoffPack"
    static var schemaHints: [String: JSONSchema] {
        ["startDate": MeetingHint.day, "targetDate": MeetingHint.day, "lastReportDate": MeetingHint.day]
    }
    var projectKey: String
    var projectName: String
    var purpose: String
    var businessOwner: String
    var phase: String
    var startDate: String?
    var targetDate: String?
    var scope: [String]
    var systems: [String]
    var members: [KickoffMemberBody]
    var phases: [KickoffPhaseBody]
    var milestones: [MilestoneStatusBody]
    var topIssues: [ReportItemBody]
    var topRisks: [ReportItemBody]
    var meetings: [KickoffMeetingBody]
    var lastReportDate: String?

    init(_ k: KickoffPack) {
        projectKey = k.projectKey; projectName = k.projectName; purpose = k.purpose; businessOwner = k.businessOwner
        phase = k.phase; startDate = k.startDate?.description; targetDate = k.targetDate?.description; scope = k.scope
        systems = k.systems; members = k.members.map { KickoffMemberBody(name: $0.name, company: $0.company, role: $0.role) }
        phases = k.phases.map { KickoffPhaseBody(name: $0.name, definition: $0.definition, exitCriteria: $0.exitCriteria,
                                                 start: $0.start?.description, finish: $0.finish?.description) }
        milestones = k.milestones.map(MilestoneStatusBody.init); topIssues = k.topIssues.map(ReportItemBody.init)
        topRisks = k.topRisks.map(ReportItemBody.init)
        meetings = k.meetings.map { m in
            KickoffMeetingBody(name: m.name, purpose: m.purpose, chair: m.chair, firstDate: m.recurrence.firstDate.description,
                               weekday: m.weekday, intervalWeeks: m.recurrence.intervalWeeks,
                               startTime: MeetingRecurrence.clock(m.recurrence.startMinutes),
                               durationMinutes: m.recurrence.durationMinutes, attendees: m.attendees)
        }
        lastReportDate = k.lastReportDate?.description
    }
}
