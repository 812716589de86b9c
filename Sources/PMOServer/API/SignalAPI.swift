import Foundation
import PMOCore
import PMOStore
import PMOWords
import Vapor

/// Signals (予兆) under /projects/{key}/signals and across projects at /signals: computed in the background from the
/// plan, earned value and the registers; read like status reports (not by vendors' staff, 403), acted on (acknowledge,
/// snooze, turn into a risk or an issue, thresholds) by admins, the PMO and PMs. Each signal comes with its words in
/// the caller's language (`title`, `text`) and the stable `code` and `values` they are made from.
enum SignalAPI {
    static let base = "/projects/{key}/signals"
    static let tag = "signals"

    static func register(_ r: APIRouter) {
        r.add(.GET, base, summary: "The project's signals, worst first (?all=true: cleared ones too), with its thresholds and when they were last computed",
              tag: tag, response: "SignalList", query: ["all"]) { req in
            let caller = try req.requireCaller()
            let all = (try? req.query.get(Bool.self, at: "all")) ?? false
            let list = try await req.store.signals.list(caller, key: try req.projectKey(), includeCleared: all)
            let (today, _) = req.today(for: caller)
            return try MeetingJSON.response(body: SignalListBody(list, today: today, words: words(caller)))
        }
        r.add(.GET, "/signals", summary: "The open signals of every project whose signals you may read, worst first", tag: tag,
              response: "SignalAcrossList") { req in
            let caller = try req.requireCaller()
            let (today, _) = req.today(for: caller)
            let w = words(caller)
            let signals = try await req.store.signals.acrossProjects(caller)
            return try MeetingJSON.response(body: SignalAcrossBody(items: signals.map { SignalBody($0, today: today, words: w) }))
        }
        r.add(.GET, "\(base)/{id}", summary: "One signal with its history, newest first (ETag: its version)", tag: tag, response: "SignalDetail") { req in
            let caller = try req.requireCaller()
            let (signal, events, _) = try await req.store.signals.signal(caller, key: try req.projectKey(), id: try req.pathUUID("id"))
            let (today, _) = req.today(for: caller)
            return try MeetingJSON.response(body: SignalDetailBody(signal, events, today: today, words: words(caller)), version: signal.version)
        }
        r.add(.POST, "\(base)/{id}/acknowledge",
              summary: "Acknowledge an open signal with a note; with snoozeUntil (after today, at most 90 days ahead) it is also snoozed until then. It is raised again if it gets worse (If-Match optional)",
              tag: tag, request: "SignalAcknowledge", response: "Signal", access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(SignalAcknowledgeBody.self, code: "signal.invalid")
            let view = try await req.store.signals.acknowledge(caller, key: try req.projectKey(), id: try req.pathUUID("id"), note: body.note ?? "",
                                                               snoozeUntil: body.snoozeUntil, expectedVersion: try ifMatch(req))
            let (today, _) = req.today(for: caller)
            return try MeetingJSON.response(body: SignalBody(view, today: today, words: words(caller)), version: view.version)
        }
        r.add(.POST, "\(base)/{id}/convert",
              summary: "Turn an open signal into a risk or an issue in one step (owned by you, derived from the signal's item if it has one); the signal is acknowledged and points at it; 201",
              tag: tag, request: "SignalConvert", response: "SignalConverted", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let id = try req.pathUUID("id")
            let body = try req.body(SignalConvertBody.self, code: "signal.invalid")
            let w = words(caller)
            let current = try await req.store.signals.signal(caller, key: key, id: id).0
            var text = SignalText.item(current, w)
            if let title = body.title?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty { text.title = title }
            let (view, reference) = try await req.store.signals.convert(caller, key: key, id: id, into: body.into, title: text.title,
                                                                         description: text.description, expectedVersion: try ifMatch(req))
            let (today, _) = req.today(for: caller)
            let ref = ItemReference(reference)
            let href = ref.map { "/api/v1/projects/\(key)/\(ProjectPath.plural($0.type))/\($0.number)" } ?? ""
            let response = try MeetingJSON.response(body: SignalConvertedBody(signal: SignalBody(view, today: today, words: w), item: reference, href: href),
                                                    status: .created)
            response.headers.replaceOrAdd(name: .location, value: href)
            return response
        }
        r.add(.GET, "\(base)/thresholds", summary: "The project's signal thresholds (defaults: the status report's lines; ETag: their version)",
              tag: tag, response: "SignalThresholds") { req in
            let list = try await req.store.signals.list(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: SignalThresholdsBody(list.thresholds), version: list.thresholdsVersion)
        }
        r.add(.PUT, "\(base)/thresholds",
              summary: "Replace the project's signal thresholds (a field left out takes its default; out of range is refused naming the field; If-Match optional); the signals are computed again shortly",
              tag: tag, request: "SignalThresholds", response: "SignalThresholds", access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(SignalThresholdsBody.self, code: "signal.invalid_thresholds")
            let thresholds = body.thresholds
            let version = try await req.store.signals.updateThresholds(caller, key: try req.projectKey(), thresholds, expectedVersion: try ifMatch(req))
            return try MeetingJSON.response(body: SignalThresholdsBody(thresholds), version: version)
        }
    }

    static func words(_ caller: Caller) -> Words { Words(Language(tag: caller.locale)) }

    /// The version in If-Match, when one is sent.
    static func ifMatch(_ req: Request) throws -> Int? {
        guard req.headers.first(name: .ifMatch) != nil else { return nil }
        return try req.requiredIfMatch()
    }

    static var requestBodies: [any PMOServer.RequestBody.Type] { [SignalAcknowledgeBody.self, SignalConvertBody.self, SignalThresholdsBody.self] }
    static var derivedBodies: [any DocumentedBody.Type] { [
        SignalValueBody.self, SignalLinkBody.self, SignalBody.self, SignalListBody.self, SignalAcrossBody.self, SignalEventBody.self,
        SignalDetailBody.self, SignalConvertedBody.self,
    ] }
    static var all: [String: JSONSchema] {
        var schemas: [String: JSONSchema] = [:]
        for body in requestBodies + WebhookAPI.requestBodies + MailAPI.requestBodies + ResourceAPI.requestBodies + LedgerAPI.requestBodies + EstimateRequestAPI.requestBodies { schemas[body.schemaName] = body.requestSchema }
        for body in derivedBodies + InboxAPI.derivedBodies + WebhookAPI.derivedBodies + KPIAPI.derivedBodies + MailAPI.derivedBodies + WatchAPI.derivedBodies + ResourceAPI.derivedBodies + TraceabilityAPI.derivedBodies + OrganisationAPI.derivedBodies + SystemDiagramAPI.derivedBodies + LedgerAPI.derivedBodies + EstimateRequestAPI.derivedBodies + PortfolioBudgetAPI.derivedBodies { schemas[body.schemaName] = DerivedSchema.of(body) }
        return schemas
    }
}

// MARK: Bodies

extension SignalConversion: StringChoice {}

struct SignalAcknowledgeBody: RequestBody {
    static let schemaName = "SignalAcknowledge"
    static var schemaHints: [String: JSONSchema] {
        ["note": JSONSchema.string.maxLength(SignalService.noteMax), "snoozeUntil": JSONSchema.date.described("Snooze until this day (after today)")]
    }
    var note: String?
    var snoozeUntil: CalendarDate?
}

struct SignalConvertBody: RequestBody {
    static let schemaName = "SignalConvert"
    static var schemaHints: [String: JSONSchema] {
        ["title": JSONSchema.string.maxLength(200).described("Left out: the signal's sentence in your language")]
    }
    var into: SignalConversion
    var title: String?
}

/// One value a signal's words name: `{"name": "spi", "value": "0.82"}`.
struct SignalValueBody: Codable, DocumentedBody {
    static let schemaName = "SignalValue"
    var name: String
    var value: String
}

struct SignalLinkBody: Codable, DocumentedBody {
    static let schemaName = "SignalLink"
    static var schemaHints: [String: JSONSchema] { ["kind": .enumeration(SignalLink.Kind.allCases.map(\.rawValue))] }
    var kind: String
    /// An item's reference, an activity's uid, or empty (earned value).
    var target: String
    var label: String
}

struct SignalBody: Codable, DocumentedBody {
    static let schemaName = "Signal"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "code": .enumeration(SignalCode.allCases.map(\.rawValue)), "severity": .enumeration(["amber", "red"]),
         "state": .enumeration(SignalView.State.allCases.map(\.rawValue)), "snoozedUntil": .date,
         "subject": JSONSchema.string.described("What it is about, the same across computations: project, activity:12, company:<id>, owner:<id>, item:CRM-R3")]
    }
    var id: String
    var projectKey: String
    var code: String
    /// The rule's title and the signal's sentence in the caller's language.
    var title: String
    var text: String
    var subject: String
    var severity: String
    var state: String
    var values: [SignalValueBody]
    var links: [SignalLinkBody]
    var firstRaisedAt: Date
    var raisedAt: Date
    var updatedAt: Date
    var clearedAt: Date?
    var raiseCount: Int
    var acknowledgedBy: PersonRef?
    var acknowledgedAt: Date?
    var note: String?
    var snoozedUntil: String?
    /// The risk or issue it was turned into.
    var item: String?
    var version: Int

    init(_ s: SignalView, today: CalendarDate, words: Words) {
        id = s.id.uuidString.lowercased()
        projectKey = s.projectKey
        code = s.code.rawValue
        title = SignalText.title(s.code, words)
        text = SignalText.sentence(s, words)
        subject = s.subject
        severity = s.severity.rawValue
        state = s.state(today: today).rawValue
        values = s.values.sorted { $0.key < $1.key }.map { SignalValueBody(name: $0.key, value: $0.value) }
        links = s.links.map { SignalLinkBody(kind: $0.kind.rawValue, target: $0.target, label: $0.label) }
        firstRaisedAt = s.firstRaisedAt
        raisedAt = s.raisedAt
        updatedAt = s.updatedAt
        clearedAt = s.clearedAt
        raiseCount = s.raiseCount
        acknowledgedBy = s.acknowledgedBy.map { PersonRef(id: $0.id.uuidString.lowercased(), name: $0.name) }
        acknowledgedAt = s.acknowledgedAt
        note = s.note
        snoozedUntil = s.snoozedUntil?.description
        item = s.item
        version = s.version
    }
}

struct SignalListBody: Codable, DocumentedBody {
    static let schemaName = "SignalList"
    var projectKey: String
    var computedAt: Date?
    var canAct: Bool
    var thresholds: SignalThresholdsBody
    var thresholdsVersion: Int
    var items: [SignalBody]

    init(_ l: SignalList, today: CalendarDate, words: Words) {
        projectKey = l.projectKey
        computedAt = l.computedAt
        canAct = l.canAct
        thresholds = SignalThresholdsBody(l.thresholds)
        thresholdsVersion = l.thresholdsVersion
        items = l.signals.map { SignalBody($0, today: today, words: words) }
    }
}

struct SignalAcrossBody: Codable, DocumentedBody {
    static let schemaName = "SignalAcrossList"
    var items: [SignalBody]
}

struct SignalEventBody: Codable, DocumentedBody {
    static let schemaName = "SignalEvent"
    static var schemaHints: [String: JSONSchema] {
        ["action": .enumeration(["raised", "updated", "worsened", "cleared", "acknowledged", "snoozed", "converted"]),
         "severity": .enumeration(["amber", "red"])]
    }
    var action: String
    var at: Date
    var actor: String?
    var severity: String
    var values: [SignalValueBody]
    var note: String?
}

struct SignalDetailBody: Codable, DocumentedBody {
    static let schemaName = "SignalDetail"
    var signal: SignalBody
    var history: [SignalEventBody]

    init(_ s: SignalView, _ events: [SignalEventView], today: CalendarDate, words: Words) {
        signal = SignalBody(s, today: today, words: words)
        history = events.map { e in
            SignalEventBody(action: e.action, at: e.at, actor: e.actor, severity: e.severity.rawValue,
                            values: e.values.sorted { $0.key < $1.key }.map { SignalValueBody(name: $0.key, value: $0.value) }, note: e.note)
        }
    }
}

struct SignalConvertedBody: Codable, DocumentedBody {
    static let schemaName = "SignalConverted"
    var signal: SignalBody
    /// The new item's reference, e.g. CRM-R9.
    var item: String
    var href: String
}

/// A project's thresholds; in a request a field left out takes its default.
struct SignalThresholdsBody: RequestBody, Codable {
    static let schemaName = "SignalThresholds"
    static var schemaHints: [String: JSONSchema] {
        let index = JSONSchema.number.range(SignalThresholds.indexRange.lowerBound, SignalThresholds.indexRange.upperBound)
        let dates = JSONSchema.integer.range(Double(SignalThresholds.datesRange.lowerBound), Double(SignalThresholds.datesRange.upperBound))
        let slip = JSONSchema.number.range(SignalThresholds.slipRange.lowerBound, SignalThresholds.slipRange.upperBound)
        let days = JSONSchema.integer.range(Double(SignalThresholds.daysRange.lowerBound), Double(SignalThresholds.daysRange.upperBound))
        return ["indexAmber": index.described("SPI or CPI below this: a warning (default 0.95)"),
                "indexRed": index.described("SPI or CPI below this: critical (default 0.85)"),
                "fallingDates": dates.described("An index lower at each of this many status dates in a row is falling (default 3)"),
                "milestoneSlipDays": slip.described("A milestone forecast more working days than this after its baseline: a warning (default 0)"),
                "milestoneRedDays": slip.described("…this many or more: critical (default 5)"),
                "silentStatusDates": dates.described("An activity in progress without progress at this many status dates has gone silent (default 2)"),
                "staleDays": days.described("An open issue or action unchanged this many days is ageing (default 14)"),
                "overdueRedDays": days.described("Overdue actions, blocking questions, late decisions this many days late are critical (default 10)"),
                "vendorSlipDates": dates.described("A vendor under indexAmber at this many status dates in a row is slipping (default 3)"),
                "riskThreshold": JSONSchema.integer.range(Double(SignalThresholds.riskRange.lowerBound), Double(SignalThresholds.riskRange.upperBound))
                    .described("An open risk scoring this or more needs a response owner (default 12)")]
    }
    var indexAmber: Double?
    var indexRed: Double?
    var fallingDates: Int?
    var milestoneSlipDays: Double?
    var milestoneRedDays: Double?
    var silentStatusDates: Int?
    var staleDays: Int?
    var overdueRedDays: Int?
    var vendorSlipDates: Int?
    var riskThreshold: Int?

    init(_ t: SignalThresholds) {
        indexAmber = t.indexAmber
        indexRed = t.indexRed
        fallingDates = t.fallingDates
        milestoneSlipDays = t.milestoneSlipDays
        milestoneRedDays = t.milestoneRedDays
        silentStatusDates = t.silentStatusDates
        staleDays = t.staleDays
        overdueRedDays = t.overdueRedDays
        vendorSlipDates = t.vendorSlipDates
        riskThreshold = t.riskThreshold
    }

    var thresholds: SignalThresholds {
        var t = SignalThresholds()
        t.indexAmber = indexAmber ?? t.indexAmber
        t.indexRed = indexRed ?? t.indexRed
        t.fallingDates = fallingDates ?? t.fallingDates
        t.milestoneSlipDays = milestoneSlipDays ?? t.milestoneSlipDays
        t.milestoneRedDays = milestoneRedDays ?? t.milestoneRedDays
        t.silentStatusDates = silentStatusDates ?? t.silentStatusDates
        t.staleDays = staleDays ?? t.staleDays
        t.overdueRedDays = overdueRedDays ?? t.overdueRedDays
        t.vendorSlipDates = vendorSlipDates ?? t.vendorSlipDates
        t.riskThreshold = riskThreshold ?? t.riskThreshold
        return t
    }
}
