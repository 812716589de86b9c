import Foundation
import PMOCore
import PMOStore
import PMOWords
import Vapor

/// A project's webhooks under /projects/{key}/webhooks and their delivery log under /projects/{key}/webhook-deliveries:
/// set up, read and replayed by the project's admins, the PMO and PMs (others 403). The secret is answered once, when
/// a webhook is made or its secret replaced.
enum WebhookAPI {
    static let base = "/projects/{key}/webhooks"
    static let deliveries = "/projects/{key}/webhook-deliveries"
    static let tag = "webhooks"

    static func register(_ r: APIRouter) {
        r.add(.GET, base, summary: "The project's webhooks, by name", tag: tag, response: "WebhookList", access: .manager) { req in
            let list = try await req.store.webhooks.list(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: WebhookListBody(items: list.map(WebhookBody.init)))
        }
        r.add(.POST, base,
              summary: "Add a webhook: its URL must be http(s) and reach a public address unless an administrator allows the host or range (PMO_WEBHOOK_ALLOW); answers it with its secret, shown only now; 201",
              tag: tag, request: "WebhookInput", response: "WebhookCreated", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(WebhookInputBody.self, code: "webhook.invalid")
            let (view, secret) = try await req.store.webhooks.create(caller, key: key, body.fields)
            let response = try MeetingJSON.response(body: WebhookCreatedBody(webhook: WebhookBody(view), secret: secret), status: .created)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(key)/webhooks/\(view.id.uuidString.lowercased())")
            return response
        }
        r.add(.GET, "\(base)/{id}", summary: "One webhook (ETag: its version)", tag: tag, response: "Webhook", access: .manager) { req in
            let view = try await req.store.webhooks.webhook(try req.requireCaller(), key: try req.projectKey(), id: try req.pathUUID("id"))
            return try MeetingJSON.response(body: WebhookBody(view), version: view.version)
        }
        r.add(.PUT, "\(base)/{id}", summary: "Replace a webhook's settings (its secret stays; switched off, its queued deliveries are cancelled; If-Match optional)",
              tag: tag, request: "WebhookInput", response: "Webhook", access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(WebhookInputBody.self, code: "webhook.invalid")
            let view = try await req.store.webhooks.update(caller, key: try req.projectKey(), id: try req.pathUUID("id"), body.fields,
                                                           expectedVersion: try SignalAPI.ifMatch(req))
            return try MeetingJSON.response(body: WebhookBody(view), version: view.version)
        }
        r.add(.DELETE, "\(base)/{id}", summary: "Delete a webhook and its delivery log", tag: tag, status: 204, access: .manager) { req in
            try await req.store.webhooks.delete(try req.writer(), key: try req.projectKey(), id: try req.pathUUID("id"))
            return noContent()
        }
        r.add(.POST, "\(base)/{id}/secret", summary: "Replace the webhook's secret; answers the new one, shown only now", tag: tag,
              response: "WebhookSecret", access: .manager) { req in
            let secret = try await req.store.webhooks.rotateSecret(try req.writer(), key: try req.projectKey(), id: try req.pathUUID("id"))
            return try MeetingJSON.response(body: WebhookSecretBody(secret: secret))
        }
        r.add(.POST, "\(base)/{id}/test", summary: "Queue a test delivery (event ping) to the webhook; 202", tag: tag, response: "WebhookDelivery",
              status: 202, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let d = try await req.store.webhooks.sendTest(caller, key: key, id: try req.pathUUID("id"))
            return try MeetingJSON.response(body: WebhookDeliveryBody(d), status: .accepted)
        }
        r.add(.GET, "\(base)/{id}/deliveries", summary: "The webhook's latest deliveries (at most 100), newest first", tag: tag,
              response: "WebhookDeliveryList", access: .manager) { req in
            let list = try await req.store.webhooks.deliveries(try req.requireCaller(), key: try req.projectKey(), webhookID: try req.pathUUID("id"))
            return try MeetingJSON.response(body: WebhookDeliveryListBody(items: list.map(WebhookDeliveryBody.init)))
        }
        r.add(.GET, "\(deliveries)/{id}", summary: "One delivery with every attempt (status, answer, error, time taken) and the body it sends",
              tag: tag, response: "WebhookDeliveryDetail", access: .manager) { req in
            let (d, attempts) = try await req.store.webhooks.delivery(try req.requireCaller(), key: try req.projectKey(), id: try req.pathUUID("id"))
            let hook = try await req.store.webhooks.webhook(try req.requireCaller(), key: try req.projectKey(), id: d.webhookID)
            return try MeetingJSON.response(body: WebhookDeliveryDetailBody(d, attempts, hook: hook, linkBase: req.config.linkBase))
        }
        r.add(.POST, "\(deliveries)/{id}/replay", summary: "Send a delivery again, as a new delivery of the same event with a new signature; 202",
              tag: tag, response: "WebhookDelivery", status: 202, access: .manager) { req in
            let d = try await req.store.webhooks.replay(try req.writer(), key: try req.projectKey(), id: try req.pathUUID("id"))
            return try MeetingJSON.response(body: WebhookDeliveryBody(d), status: .accepted)
        }
    }

    static var requestBodies: [any PMOServer.RequestBody.Type] { [WebhookInputBody.self] }
    static var derivedBodies: [any DocumentedBody.Type] { [
        WebhookBody.self, WebhookListBody.self, WebhookCreatedBody.self, WebhookSecretBody.self, WebhookDeliveryBody.self,
        WebhookDeliveryListBody.self, WebhookAttemptBody.self, WebhookDeliveryDetailBody.self, WebhookLastDeliveryBody.self,
    ] }
}

// MARK: Bodies

extension WebhookEvent: StringChoice {}
extension WebhookFormat: StringChoice {}

struct WebhookInputBody: RequestBody {
    static let schemaName = "WebhookInput"
    static var schemaHints: [String: JSONSchema] {
        ["name": JSONSchema.text(WebhookService.nameMax), "url": JSONSchema.string.maxLength(WebhookService.urlMax).described("http(s) URL"),
         "language": .enumeration(WebhookService.languages),
         "events": JSONSchema.array(.enumeration(WebhookEvent.subscribable.map(\.rawValue))).itemCount(1...WebhookEvent.subscribable.count),
         "includeRestricted": JSONSchema.boolean.described("Also send items only some may see (internal, one company's); default false")]
    }
    var name: String
    var url: String
    var events: [WebhookEvent]
    var format: WebhookFormat?
    var language: String?
    var includeRestricted: Bool?
    var active: Bool?

    var fields: WebhookFields {
        WebhookFields(name: name, url: url, events: events, format: format ?? .json, language: language ?? "ja",
                      includeRestricted: includeRestricted ?? false, active: active ?? true)
    }
}

struct WebhookLastDeliveryBody: Codable, DocumentedBody {
    static let schemaName = "WebhookLastDelivery"
    static var schemaHints: [String: JSONSchema] { ["state": .enumeration(WebhookDeliveryState.allCases.map(\.rawValue))] }
    var state: String
    var at: Date
}

struct WebhookBody: Codable, DocumentedBody {
    static let schemaName = "Webhook"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "events": .array(.enumeration(WebhookEvent.subscribable.map(\.rawValue))),
         "format": .enumeration(WebhookFormat.allCases.map(\.rawValue)), "language": .enumeration(WebhookService.languages)]
    }
    var id: String
    var projectKey: String
    var name: String
    var url: String
    var events: [String]
    var format: String
    var language: String
    var includeRestricted: Bool
    var active: Bool
    var failedDeliveries: Int
    var lastDelivery: WebhookLastDeliveryBody?
    var createdAt: Date
    var updatedAt: Date
    var version: Int

    init(_ v: WebhookView) {
        id = v.id.uuidString.lowercased()
        projectKey = v.projectKey
        name = v.fields.name
        url = v.fields.url
        events = v.fields.events.map(\.rawValue)
        format = v.fields.format.rawValue
        language = v.fields.language
        includeRestricted = v.fields.includeRestricted
        active = v.fields.active
        failedDeliveries = v.failedDeliveries
        lastDelivery = v.lastDelivery.map { WebhookLastDeliveryBody(state: $0.state.rawValue, at: $0.at) }
        createdAt = v.createdAt
        updatedAt = v.updatedAt
        version = v.version
    }
}

struct WebhookListBody: Codable, DocumentedBody {
    static let schemaName = "WebhookList"
    var items: [WebhookBody]
}

struct WebhookCreatedBody: Codable, DocumentedBody {
    static let schemaName = "WebhookCreated"
    var webhook: WebhookBody
    /// Sign-checking secret: shown only in this answer.
    var secret: String
}

struct WebhookSecretBody: Codable, DocumentedBody {
    static let schemaName = "WebhookSecret"
    var secret: String
}

struct WebhookDeliveryBody: Codable, DocumentedBody {
    static let schemaName = "WebhookDelivery"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "webhookId": .uuid, "replayOf": .uuid, "event": .enumeration(WebhookEvent.allCases.map(\.rawValue)),
         "state": .enumeration(WebhookDeliveryState.allCases.map(\.rawValue))]
    }
    var id: String
    var webhookId: String
    var event: String
    /// The event's own id: the same for every attempt and replay of it.
    var eventId: String
    var subject: String?
    var state: String
    var attempts: Int
    var lastStatus: Int?
    var lastError: String?
    /// What went wrong, as a code: http_status, timeout, connection, unresolvable, blocked_address, blocked_host…
    var lastErrorCode: String?
    var replayOf: String?
    var createdAt: Date
    var finishedAt: Date?

    init(_ d: WebhookDeliveryView) {
        id = d.id.uuidString.lowercased()
        webhookId = d.webhookID.uuidString.lowercased()
        event = d.facts.event.rawValue
        eventId = d.facts.id
        subject = d.facts.subject
        state = d.state.rawValue
        attempts = d.attempts
        lastStatus = d.lastStatus
        lastError = d.lastError
        lastErrorCode = d.lastErrorCode
        replayOf = d.replayOf?.uuidString.lowercased()
        createdAt = d.createdAt
        finishedAt = d.finishedAt
    }
}

struct WebhookDeliveryListBody: Codable, DocumentedBody {
    static let schemaName = "WebhookDeliveryList"
    var items: [WebhookDeliveryBody]
}

struct WebhookAttemptBody: Codable, DocumentedBody {
    static let schemaName = "WebhookAttempt"
    var number: Int
    var at: Date
    /// The receiver's HTTP status; null when none came (refused address, no connection, timeout).
    var status: Int?
    var error: String?
    var errorCode: String?
    /// The start of the receiver's answer.
    var response: String?
    var durationMs: Int
}

struct WebhookDeliveryDetailBody: Codable, DocumentedBody {
    static let schemaName = "WebhookDeliveryDetail"
    var delivery: WebhookDeliveryBody
    var attempts: [WebhookAttemptBody]
    /// The body each attempt sends (the signature and its timestamp are made per attempt).
    var body: String

    init(_ d: WebhookDeliveryView, _ attempts: [WebhookAttemptView], hook: WebhookView, linkBase: String) {
        delivery = WebhookDeliveryBody(d)
        self.attempts = attempts.map { WebhookAttemptBody(number: $0.number, at: $0.at, status: $0.status, error: $0.error, errorCode: $0.errorCode, response: $0.response,
                                                          durationMs: $0.durationMs) }
        body = WebhookPayload.body(WebhookText.message(d.facts, language: hook.fields.language, publicURL: linkBase), format: hook.fields.format)
    }
}
