import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A project's webhooks, reached as `store.webhooks`: where to send which events, in which format and language, signed
/// with the webhook's secret; and the delivery log (every delivery, every attempt and its answer), which the people
/// who manage the project (admins, the PMO, the PM) view and replay. Events are collected in the background
/// (`WebhookCollect`) and delivered by the `webhook_delivery` job, which retries with the queue's backoff.
public struct WebhookService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The project's webhooks and their delivery log (`WebhookService`).
    public var webhooks: WebhookService { WebhookService(store: self) }
}

/// How a delivery stands.
public enum WebhookDeliveryState: String, Sendable, CaseIterable, Codable {
    /// Waiting for its first attempt.
    case queued
    /// An attempt failed; the next is queued with the queue's backoff.
    case retrying
    case delivered
    /// Its last attempt failed, or its address was refused.
    case failed
    /// The webhook was switched off before it was delivered.
    case cancelled
}

/// What a webhook is set to: the form's and the API's fields.
public struct WebhookFields: Sendable, Equatable {
    public var name: String
    public var url: String
    public var events: [WebhookEvent]
    public var format: WebhookFormat
    /// The language of the lines a chat shows ("ja" or "en").
    public var language: String
    /// Also tell of items that only some may see (internal, or one company's); off, only items the whole project sees
    /// are sent, since a chat channel's readers are not checked.
    public var includeRestricted: Bool
    public var active: Bool

    public init(name: String, url: String, events: [WebhookEvent], format: WebhookFormat = .json, language: String = "ja",
                includeRestricted: Bool = false, active: Bool = true) {
        self.name = name
        self.url = url
        self.events = events
        self.format = format
        self.language = language
        self.includeRestricted = includeRestricted
        self.active = active
    }
}

/// A webhook as its managers see it (never its secret, which is shown once, when made or replaced).
public struct WebhookView: Sendable {
    public var id: UUID
    public var projectKey: String
    public var fields: WebhookFields
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int
    /// Deliveries not delivered for good (failed), and the latest delivery's state and time.
    public var failedDeliveries: Int
    public var lastDelivery: (state: WebhookDeliveryState, at: Date)?
}

public struct WebhookDeliveryView: Sendable {
    public var id: UUID
    public var webhookID: UUID
    public var facts: WebhookFacts
    public var state: WebhookDeliveryState
    public var attempts: Int
    public var lastStatus: Int?
    public var lastError: String?
    /// What went wrong, as a code pages word (`webhook.error.<code>`): http_status, timeout, connection, or an address rule's.
    public var lastErrorCode: String?
    public var replayOf: UUID?
    public var createdAt: Date
    public var finishedAt: Date?
}

public struct WebhookAttemptView: Sendable {
    public var number: Int
    public var at: Date
    /// The HTTP status the receiver answered, nil when none came (refused address, no connection, timeout).
    public var status: Int?
    public var error: String?
    public var errorCode: String?
    /// The start of the receiver's answer (at most 1,000 characters).
    public var response: String?
    public var durationMs: Int
}

extension WebhookService {
    /// The job that sends one delivery (key: the delivery's id).
    public static let deliveryJobKind = "webhook_delivery"
    /// Attempts before a delivery is failed: with the queue's backoff, the last is about 15 minutes after the first.
    public static let maxAttempts = 6
    public static let nameMax = 100
    public static let urlMax = 2000
    public static let languages = ["ja", "en"]
    static let columns = ["id", "project_id", "name", "url", "events", "format", "language", "include_restricted", "active", "created_at",
                          "updated_at", "version"]
    static let deliveryColumns = ["id", "webhook_id", "body", "state", "attempts", "last_status", "last_error", "replay_of", "created_at",
                                  "finished_at", "last_error_code"]

    // MARK: Reading

    /// The project's webhooks, by name.
    public func list(_ caller: Caller, key: String) async throws -> [WebhookView] {
        let context = try await manageContext(caller, key: key)
        let rows = try await db.readRows("""
            SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM webhooks WHERE project_id = \(bind: context.projectID) ORDER BY name, id
            """, columns: Self.columns)
        var views: [WebhookView] = []
        for r in rows { views.append(try await view(r, key: key)) }
        return views
    }

    public func webhook(_ caller: Caller, key: String, id: UUID) async throws -> WebhookView {
        let context = try await manageContext(caller, key: key)
        return try await view(try await row(context, id: id, on: db), key: key)
    }

    /// The webhook's latest deliveries, newest first.
    public func deliveries(_ caller: Caller, key: String, webhookID: UUID, limit: Int = 100) async throws -> [WebhookDeliveryView] {
        let context = try await manageContext(caller, key: key)
        _ = try await row(context, id: webhookID, on: db)
        return try await db.readRows("""
            SELECT \(unsafeRaw: Self.deliveryColumns.joined(separator: ", ")) FROM webhook_deliveries WHERE webhook_id = \(bind: webhookID)
            ORDER BY created_at DESC, id LIMIT \(bind: max(1, min(limit, 500)))
            """, columns: Self.deliveryColumns).map(Self.delivery)
    }

    /// One delivery with its attempts, oldest first.
    public func delivery(_ caller: Caller, key: String, id: UUID) async throws -> (WebhookDeliveryView, [WebhookAttemptView]) {
        let context = try await manageContext(caller, key: key)
        guard let d = try await deliveryRow(id, projectID: context.projectID, on: db) else {
            throw DomainError.notFound("webhook.delivery_not_found", "There is no delivery \(id.uuidString.lowercased()) of a webhook of \(key).")
        }
        return (d, try await attempts(id))
    }

    func attempts(_ deliveryID: UUID) async throws -> [WebhookAttemptView] {
        try await db.readRows("""
            SELECT number, at, status, error, response, duration_ms, error_code FROM webhook_attempts WHERE delivery_id = \(bind: deliveryID)
            ORDER BY number
            """, columns: ["number", "at", "status", "error", "response", "duration_ms", "error_code"]).map { r in
            WebhookAttemptView(number: try r.int(0), at: try r.date(1), status: try r.intOrNil(2), error: try r.stringOrNil(3),
                               errorCode: try r.stringOrNil(6), response: try r.stringOrNil(4), durationMs: try r.int(5))
        }
    }

    // MARK: Changing

    /// Makes a webhook with a new secret; answers it and the secret, which is not shown again.
    public func create(_ caller: Caller, key: String, _ fields: WebhookFields) async throws -> (WebhookView, secret: String) {
        let fields = try await validated(fields)
        let at = now()
        let id = UUID()
        let secret = Secrets.newToken(prefix: "whsec_")
        try await write { db in
            let context = try await manageContext(caller, key: key, on: db)
            try await db.sql().raw("""
                INSERT INTO webhooks (id, project_id, name, url, events, format, language, secret, include_restricted, active, created_by_id,
                                      created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: context.projectID), \(bind: fields.name), \(bind: fields.url),
                        \(bind: fields.events.map(\.rawValue).joined(separator: ",")), \(bind: fields.format.rawValue), \(bind: fields.language),
                        \(bind: secret), \(bind: fields.includeRestricted), \(bind: fields.active), \(bind: caller.userID), \(bind: at), \(bind: at), 1)
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "webhook", entityID: id,
                                      action: "create", version: 1, changes: [FieldChange(field: "url", from: nil, to: fields.url)])
        }
        return (try await webhook(caller, key: key, id: id), secret)
    }

    /// Replaces a webhook's settings (its secret stays). Switching it off cancels its deliveries not yet made.
    public func update(_ caller: Caller, key: String, id: UUID, _ fields: WebhookFields, expectedVersion: Int?) async throws -> WebhookView {
        let fields = try await validated(fields)
        let at = now()
        try await write { db in
            let context = try await manageContext(caller, key: key, on: db)
            let current = try await row(context, id: id, on: db)
            let version = try current.int(11)
            if let expectedVersion, expectedVersion != version { throw staleVersion(version) }
            try await db.sql().raw("""
                UPDATE webhooks SET name = \(bind: fields.name), url = \(bind: fields.url), events = \(bind: fields.events.map(\.rawValue).joined(separator: ",")),
                  format = \(bind: fields.format.rawValue), language = \(bind: fields.language), include_restricted = \(bind: fields.includeRestricted),
                  active = \(bind: fields.active), updated_at = \(bind: at), version = version + 1
                WHERE id = \(bind: id)
                """).run()
            if !fields.active { try await cancelPending(webhookID: id, at: at, on: db) }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "webhook", entityID: id,
                                      action: "update", version: version + 1,
                                      changes: [FieldChange(field: "url", from: try current.string(3), to: fields.url)])
        }
        return try await webhook(caller, key: key, id: id)
    }

    /// Replaces the webhook's secret; answers the new one, which is not shown again.
    public func rotateSecret(_ caller: Caller, key: String, id: UUID) async throws -> String {
        let at = now()
        let secret = Secrets.newToken(prefix: "whsec_")
        try await write { db in
            let context = try await manageContext(caller, key: key, on: db)
            let current = try await row(context, id: id, on: db)
            try await db.sql().raw("""
                UPDATE webhooks SET secret = \(bind: secret), updated_at = \(bind: at), version = version + 1 WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "webhook", entityID: id,
                                      action: "rotate_secret", version: try current.int(11) + 1, changes: [])
        }
        return secret
    }

    /// Deletes a webhook and its delivery log.
    public func delete(_ caller: Caller, key: String, id: UUID) async throws {
        let at = now()
        try await write { db in
            let context = try await manageContext(caller, key: key, on: db)
            let current = try await row(context, id: id, on: db)
            try await db.sql().raw("DELETE FROM webhooks WHERE id = \(bind: id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "webhook", entityID: id,
                                      action: "delete", version: try current.int(11), changes: [FieldChange(field: "url", from: try current.string(3), to: nil)])
        }
    }

    /// Queues a test delivery (`ping`) to the webhook, whatever events it asks for.
    public func sendTest(_ caller: Caller, key: String, id: UUID) async throws -> WebhookDeliveryView {
        let at = now()
        let deliveryID = try await write { db in
            let context = try await manageContext(caller, key: key, on: db)
            _ = try await row(context, id: id, on: db)
            let facts = WebhookFacts(event: .ping, id: UUID().uuidString.lowercased(), occurredAt: at, project: key, subject: nil,
                                     title: context.project.name, actor: caller.displayName, fields: [:], path: "/projects/\(key)")
            return try await insertDelivery(webhookID: id, facts: facts, eventKey: "ping:\(facts.id)", replayOf: nil, at: at, on: db)
        }
        return try await delivery(caller, key: key, id: deliveryID!).0
    }

    /// Sends a delivery again as a new delivery with the same event (a new signature and timestamp); the original
    /// keeps its log.
    public func replay(_ caller: Caller, key: String, id: UUID) async throws -> WebhookDeliveryView {
        let at = now()
        let context = try await manageContext(caller, key: key)
        guard let original = try await deliveryRow(id, projectID: context.projectID, on: db) else {
            throw DomainError.notFound("webhook.delivery_not_found", "There is no delivery \(id.uuidString.lowercased()) of a webhook of \(key).")
        }
        let newID = try await write { db in
            try await insertDelivery(webhookID: original.webhookID, facts: original.facts,
                                     eventKey: "replay:\(UUID().uuidString.lowercased())", replayOf: id, at: at, on: db)
        }
        return try await delivery(caller, key: key, id: newID!).0
    }

    // MARK: Parts

    /// The project for managing its webhooks: admins, the PMO and the PM (others: 403).
    func manageContext(_ caller: Caller, key: String, on db: (any Database)? = nil) async throws -> ProjectContext {
        let context = try await projectContext(caller, key: key, on: db)
        guard context.allows(.editProject) else {
            throw DomainError.forbidden("webhook.forbidden", "Webhooks of \(key) are set up and their deliveries read by admins, the PMO and the PM.")
        }
        return context
    }

    func row(_ context: ProjectContext, id: UUID, on db: any Database) async throws -> RowReader {
        guard let r = try await db.readRows("""
            SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM webhooks WHERE id = \(bind: id) AND project_id = \(bind: context.projectID)
            """, columns: Self.columns).first else {
            throw DomainError.notFound("webhook.not_found", "There is no webhook \(id.uuidString.lowercased()) in \(context.project.key).")
        }
        return r
    }

    static func fields(_ r: RowReader) throws -> WebhookFields {
        WebhookFields(name: try r.string(2), url: try r.string(3),
                      events: try r.string(4).split(separator: ",").compactMap { WebhookEvent(rawValue: String($0)) },
                      format: WebhookFormat(rawValue: try r.string(5)) ?? .json, language: try r.string(6), includeRestricted: try r.bool(7),
                      active: try r.bool(8))
    }

    func view(_ r: RowReader, key: String) async throws -> WebhookView {
        let id = try r.uuid(0)
        let failed = try await db.readRows("""
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM webhook_deliveries WHERE webhook_id = \(bind: id) AND state = 'failed'
            """, columns: ["n"]).first?.int(0) ?? 0
        let last = try await db.readRows("""
            SELECT state, created_at FROM webhook_deliveries WHERE webhook_id = \(bind: id) ORDER BY created_at DESC, id LIMIT 1
            """, columns: ["state", "created_at"]).first
        return WebhookView(id: id, projectKey: key, fields: try Self.fields(r), createdAt: try r.date(9), updatedAt: try r.date(10),
                           version: try r.int(11), failedDeliveries: failed,
                           lastDelivery: try last.map { (WebhookDeliveryState(rawValue: try $0.string(0)) ?? .queued, try $0.date(1)) })
    }

    static func delivery(_ r: RowReader) throws -> WebhookDeliveryView {
        let createdAt = try r.date(8)
        let facts = StoredValues.decode(WebhookFacts.self, try r.string(2))
            ?? WebhookFacts(event: .ping, id: "", occurredAt: createdAt, project: "", subject: nil, title: "", actor: nil, path: nil)
        return WebhookDeliveryView(id: try r.uuid(0), webhookID: try r.uuid(1), facts: facts,
                                   state: WebhookDeliveryState(rawValue: try r.string(3)) ?? .queued, attempts: try r.int(4),
                                   lastStatus: try r.intOrNil(5), lastError: try r.stringOrNil(6), lastErrorCode: try r.stringOrNil(10),
                                   replayOf: try r.uuidOrNil(7), createdAt: createdAt, finishedAt: try r.dateOrNil(9))
    }

    func deliveryRow(_ id: UUID, projectID: UUID, on db: any Database) async throws -> WebhookDeliveryView? {
        try await db.readRows("""
            SELECT \(unsafeRaw: Self.deliveryColumns.map { "d." + $0 }.joined(separator: ", ")) FROM webhook_deliveries d
            JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = \(bind: id) AND w.project_id = \(bind: projectID)
            """, columns: Self.deliveryColumns).first.map(Self.delivery)
    }

    /// Adds a delivery and its job in the caller's transaction; nil when this webhook already has this event.
    func insertDelivery(webhookID: UUID, facts: WebhookFacts, eventKey: String, replayOf: UUID?, at: Date, on db: any Database) async throws -> UUID? {
        let id = UUID()
        let added = try await db.readRows("""
            INSERT INTO webhook_deliveries (id, webhook_id, event, event_key, subject, body, state, attempts, replay_of, created_at)
            VALUES (\(bind: id), \(bind: webhookID), \(bind: facts.event.rawValue), \(bind: eventKey), \(bind: facts.subject),
                    \(bind: StoredValues.json(facts)), 'queued', 0, \(bind: replayOf), \(bind: at))
            ON CONFLICT (webhook_id, event_key) DO NOTHING RETURNING id
            """, columns: ["id"])
        guard !added.isEmpty else { return nil }
        // Due now, in the order the events happened (the queue runs the earliest first).
        try await store.jobs.insert(kind: Self.deliveryJobKind, key: id.uuidString.lowercased(), runAt: min(at, facts.occurredAt),
                                    maxAttempts: Self.maxAttempts, at: at, on: db)
        return id
    }

    func cancelPending(webhookID: UUID, at: Date, on db: any Database) async throws {
        try await db.sql().raw("""
            UPDATE webhook_deliveries SET state = 'cancelled', finished_at = \(bind: at)
            WHERE webhook_id = \(bind: webhookID) AND state IN ('queued', 'retrying')
            """).run()
    }

    /// Trims and checks the fields; the URL's host is resolved and every address checked (see `WebhookAddress`).
    func validated(_ input: WebhookFields) async throws -> WebhookFields {
        var f = input
        f.name = f.name.trimmingCharacters(in: .whitespacesAndNewlines)
        f.url = f.url.trimmingCharacters(in: .whitespacesAndNewlines)
        f.events = WebhookEvent.subscribable.filter(f.events.contains)
        var e = FieldErrors()
        if f.name.isEmpty { e.add("name", "required", "Give the webhook a name, such as the channel it posts to.") }
        if f.name.count > Self.nameMax { e.add("name", "too_long", "A name may have at most \(Self.nameMax) characters (it has \(f.name.count)).") }
        if f.events.isEmpty {
            e.add("events", "required", "Choose at least one event: \(WebhookEvent.subscribable.map(\.rawValue).joined(separator: ", ")).")
        }
        if !Self.languages.contains(f.language) { e.add("language", "invalid", "The language is ja or en.") }
        if f.url.count > Self.urlMax {
            e.add("url", "too_long", "A URL may have at most \(Self.urlMax) characters (it has \(f.url.count)).")
        } else if let problem = await store.outbound.check(f.url) {
            // The field error's code is the rule's, prefixed (`webhook_blocked_address`), worded in ProblemWords.
            let code = "webhook_\(problem.code)"
            e.add("url", code, problem.message)
        }
        try e.throwIfAny("webhook.invalid")
        return f
    }
}
