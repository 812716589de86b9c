import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Collecting webhook deliveries, in the background (the `webhooks` job, every few seconds): item events from the
/// audit trail, minutes approved, reports issued, signals raised or worse, and baselines saved since the last
/// collection, each turned into one delivery per webhook that asks for it. A delivery's key is the event, so collecting
/// the same events twice adds nothing. A webhook hears only of events after it was made.
extension WebhookService {
    /// The job that collects deliveries.
    public static let collectJobKind = "webhooks"
    /// Its place in the events, kept beside the inbox's.
    static let cursorName = "webhooks"

    struct Hook: Sendable {
        var id: UUID
        var projectID: UUID
        var events: Set<WebhookEvent>
        var includeRestricted: Bool
        var createdAt: Date
    }

    /// One event, with whether only some members may see what it is about.
    struct Collected: Sendable {
        var projectID: UUID
        var facts: WebhookFacts
        var restricted: Bool
    }

    /// Adds a delivery for each event since the last collection and each active webhook that wants it; answers how
    /// many were added.
    @discardableResult
    public func collect() async throws -> Int {
        let at = now()
        let cursor = try await db.readRows("SELECT position FROM inbox_cursors WHERE name = \(bind: Self.cursorName)", columns: ["position"])
            .first.map { try $0.date(0) }
        let hooks = try await db.readRows("""
            SELECT id, project_id, events, include_restricted, created_at FROM webhooks WHERE active = \(bind: true)
            """, columns: ["id", "project_id", "events", "include_restricted", "created_at"]).map { r in
            Hook(id: try r.uuid(0), projectID: try r.uuid(1),
                 events: Set(try r.string(2).split(separator: ",").compactMap { WebhookEvent(rawValue: String($0)) }),
                 includeRestricted: try r.bool(3), createdAt: try r.date(4))
        }
        // The first collection starts at the oldest webhook: each hears of what happened after it was made.
        let since = cursor ?? hooks.map(\.createdAt).min() ?? at
        var collected: [Collected] = []
        if !hooks.isEmpty {
            let projects = Set(hooks.map(\.projectID))
            let keys = try await projectKeys(projects)
            collected += try await itemEvents(since: since, until: at, projects: projects, keys: keys)
            collected += try await otherEvents(since: since, until: at, projects: projects, keys: keys)
        }
        let byProject = Dictionary(grouping: hooks, by: \.projectID)
        let events = collected
        return try await write { db in
            var added = 0
            for c in events {
                for hook in byProject[c.projectID] ?? [] where hook.createdAt <= c.facts.occurredAt && (hook.includeRestricted || !c.restricted) {
                    var facts = c.facts
                    if facts.event == .itemStatusChanged && !hook.events.contains(.itemStatusChanged) { facts.event = .itemChanged }
                    guard hook.events.contains(facts.event) else { continue }
                    if try await insertDelivery(webhookID: hook.id, facts: facts, eventKey: facts.id, replayOf: nil, at: at, on: db) != nil {
                        added += 1
                    }
                }
            }
            try await db.sql().raw("""
                INSERT INTO inbox_cursors (name, position) VALUES (\(bind: Self.cursorName), \(bind: at))
                ON CONFLICT (name) DO UPDATE SET position = excluded.position
                """).run()
            return added
        }
    }

    func projectKeys(_ ids: Set<UUID>) async throws -> [UUID: String] {
        Dictionary(try await db.readRows("SELECT id, key FROM projects WHERE id IN (\(binds: Array(ids)))", columns: ["id", "key"])
            .map { (try $0.uuid(0), try $0.string(1)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Items created, changed (or their status changed) and commented on, from the audit trail, a page at a time.
    func itemEvents(since: Date, until: Date, projects: Set<UUID>, keys: [UUID: String]) async throws -> [Collected] {
        var out: [Collected] = []
        var page = InboxService.AuditPage(since: since)
        while true {
            let events = try await db.readRows("""
                SELECT id, at, actor_id, project_id, entity_id, action, changes FROM audit_events
                WHERE \(page.condition) AND at <= \(bind: until) AND action IN ('create', 'update', 'comment')
                  AND entity_type IN (\(binds: ItemType.allCases.map(\.auditEntityType))) AND project_id IN (\(binds: Array(projects)))
                ORDER BY at, id LIMIT \(literal: InboxService.AuditPage.size)
                """, columns: ["id", "at", "actor_id", "project_id", "entity_id", "action", "changes"])
            let itemIDs = Set(try events.map { try $0.uuid(4) })
            let items = itemIDs.isEmpty ? [:] : Dictionary(try await RegisterItemRecord.select("id IN (\(binds: Array(itemIDs)))", on: db)
                .map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
            let actors = try await names(users: Set(try events.compactMap { try $0.uuidOrNil(2) }), companies: [], on: db).users
            for e in events {
                guard let item = items[try e.uuid(4)], let type = ItemType(rawValue: item.register), let key = keys[item.projectID] else { continue }
                let changes = (try? JSONDecoder().decode([FieldChange].self, from: Data(try e.string(6).utf8))) ?? []
                func changed(_ field: String) -> FieldChange? { changes.first { $0.field == field } }
                var fields = ["type": type.rawValue, "number": String(item.number)]
                let event: WebhookEvent
                switch try e.string(5) {
                case "create":
                    event = .itemCreated
                case "update":
                    let names = changes.map(\.field).sorted()
                    guard !names.isEmpty else { continue }
                    fields["fields"] = names.joined(separator: ", ")
                    if let status = changed("status") {
                        event = .itemStatusChanged
                        fields["status"] = status.to ?? ""
                        fields["from"] = status.from ?? ""
                    } else {
                        event = .itemChanged
                    }
                case "comment":
                    event = .commentAdded
                    fields["comment"] = String(String((changed("comment")?.to ?? "").split(separator: "\n").first ?? "").prefix(200))
                default:
                    continue
                }
                let facts = WebhookFacts(event: event, id: "audit:\(try e.uuid(0).uuidString.lowercased())", occurredAt: try e.date(1), project: key,
                                         subject: type.reference(projectKey: key, number: item.number), title: item.title,
                                         actor: try e.uuidOrNil(2).flatMap { actors[$0] }, fields: fields,
                                         path: "/projects/\(key)/\(type.register?.plural ?? "issues")/\(item.number)")
                out.append(Collected(projectID: item.projectID, facts: facts, restricted: item.facts.visibility.scope != .project))
            }
            guard try page.advance(past: events) else { break }
        }
        return out
    }

    /// Minutes approved, reports issued, signals raised or worse, and baselines saved.
    func otherEvents(since: Date, until: Date, projects: Set<UUID>, keys: [UUID: String]) async throws -> [Collected] {
        var out: [Collected] = []
        let ids = Array(projects)
        // Minutes approved and reports issued are in the audit trail.
        let audit = try await db.readRows("""
            SELECT a.id, a.at, a.actor_id, a.project_id, a.entity_type, a.entity_id FROM audit_events a
            WHERE a.at >= \(bind: since) AND a.at <= \(bind: until) AND a.project_id IN (\(binds: ids))
              AND ((a.entity_type = 'meeting_occurrence' AND a.action = 'approve') OR (a.entity_type = 'status_report' AND a.action = 'issue'))
            ORDER BY a.at, a.id
            """, columns: ["id", "at", "actor_id", "project_id", "entity_type", "entity_id"])
        let actors = try await names(users: Set(try audit.compactMap { try $0.uuidOrNil(2) }), companies: [], on: db).users
        for a in audit {
            let projectID = try a.uuid(3)
            guard let key = keys[projectID] else { continue }
            let eventID = "audit:\(try a.uuid(0).uuidString.lowercased())", at = try a.date(1), entity = try a.uuid(5)
            let actor = try a.uuidOrNil(2).flatMap { actors[$0] }
            if try a.string(4) == "meeting_occurrence" {
                guard let o = try await db.readRows("""
                    SELECT s.id, s.name, o.number, o.date, s.visibility FROM meeting_occurrences o JOIN meeting_series s ON s.id = o.series_id
                    WHERE o.id = \(bind: entity)
                    """, columns: ["id", "name", "number", "date", "visibility"]).first else { continue }
                let series = try o.uuid(0).uuidString.lowercased(), number = try o.int(2)
                out.append(Collected(projectID: projectID, facts: WebhookFacts(
                    event: .minutesApproved, id: eventID, occurredAt: at, project: key, subject: "\(try o.string(1)) #\(number)", title: try o.string(1),
                    actor: actor, fields: ["series": try o.string(1), "number": String(number), "date": try o.string(3)],
                    path: "/projects/\(key)/meetings/\(series)/\(number)"), restricted: try o.string(4) != "project"))
            } else {
                guard let r = try await db.readRows("SELECT status_date, overall FROM status_reports WHERE id = \(bind: entity)",
                                                    columns: ["status_date", "overall"]).first else { continue }
                let date = try r.string(0)
                out.append(Collected(projectID: projectID, facts: WebhookFacts(
                    event: .reportIssued, id: eventID, occurredAt: at, project: key, subject: date, title: date, actor: actor,
                    fields: ["date": date, "overall": try r.stringOrNil(1) ?? ""],
                    path: "/projects/\(key)/reports/\(entity.uuidString.lowercased())"), restricted: true))
            }
        }
        // Signals raised, or raised again worse. Signals are computed from budgets and every register: restricted.
        for r in try await db.readRows("""
            SELECT ev.id, ev.at, s.project_id, s.id AS signal_id, s.code, s.subject, s.severity, ev.signal_values FROM signal_events ev
            JOIN signals s ON s.id = ev.signal_id
            WHERE ev.at >= \(bind: since) AND ev.at <= \(bind: until) AND ev.action IN ('raised', 'worsened') AND s.project_id IN (\(binds: ids))
            ORDER BY ev.at, ev.id
            """, columns: ["id", "at", "project_id", "signal_id", "code", "subject", "severity", "signal_values"]) {
            let projectID = try r.uuid(2)
            guard let key = keys[projectID] else { continue }
            var fields = StoredValues.decode([String: String].self, try r.string(7)) ?? [:]
            fields["code"] = try r.string(4)
            fields["severity"] = try r.string(6)
            let subject = try r.string(5)
            out.append(Collected(projectID: projectID, facts: WebhookFacts(
                event: .signalRaised, id: "signal:\(try r.uuid(0).uuidString.lowercased())", occurredAt: try r.date(1), project: key,
                subject: subject.hasPrefix("item:") ? String(subject.dropFirst(5)) : subject, title: try r.string(4), actor: nil, fields: fields,
                path: "/projects/\(key)/signals/\(try r.uuid(3).uuidString.lowercased())"), restricted: true))
        }
        // Baselines saved (a baseline replaced keeps its number, with a new row).
        for r in try await db.readRows("""
            SELECT b.id, b.created_at, b.project_id, b.number, b.name, b.created_by_id FROM plan_baselines b
            WHERE b.created_at >= \(bind: since) AND b.created_at <= \(bind: until) AND b.project_id IN (\(binds: ids))
            ORDER BY b.created_at
            """, columns: ["id", "created_at", "project_id", "number", "name", "created_by_id"]) {
            let projectID = try r.uuid(2)
            guard let key = keys[projectID] else { continue }
            var actorName: String?
            if let actor = try r.uuidOrNil(5) { actorName = try await names(users: [actor], companies: [], on: db).users[actor] }
            let number = try r.int(3)
            out.append(Collected(projectID: projectID, facts: WebhookFacts(
                event: .baselineSaved, id: "baseline:\(try r.uuid(0).uuidString.lowercased())", occurredAt: try r.date(1), project: key,
                subject: "BL\(number)", title: try r.string(4), actor: actorName, fields: ["number": String(number), "name": try r.string(4)],
                path: "/projects/\(key)/plan/baselines"), restricted: false))
        }
        return out
    }
}

// MARK: Sending

/// A delivery as the sender needs it: where, how, signed with what, and which attempt this is.
public struct WebhookDispatch: Sendable {
    public var deliveryID: UUID
    public var webhookID: UUID
    public var url: String
    public var secret: String
    public var format: WebhookFormat
    public var language: String
    public var facts: WebhookFacts
    /// 1 for the first attempt.
    public var attempt: Int
}

extension WebhookService {
    /// The delivery to send now, or nil when there is nothing to send (it is gone, done, or its webhook was switched off:
    /// then it is cancelled).
    public func dispatch(_ deliveryID: UUID) async throws -> WebhookDispatch? {
        guard let r = try await db.readRows("""
            SELECT d.id, d.webhook_id, d.body, d.state, d.attempts, w.url, w.secret, w.format, w.language, w.active FROM webhook_deliveries d
            JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = \(bind: deliveryID)
            """, columns: ["id", "webhook_id", "body", "state", "attempts", "url", "secret", "format", "language", "active"]).first else { return nil }
        guard ["queued", "retrying"].contains(try r.string(3)), let facts = StoredValues.decode(WebhookFacts.self, try r.string(2)) else { return nil }
        guard try r.bool(9) else {
            let at = now()
            try await write { db in try await cancelPending(webhookID: try r.uuid(1), at: at, on: db) }
            return nil
        }
        return WebhookDispatch(deliveryID: deliveryID, webhookID: try r.uuid(1), url: try r.string(5), secret: try r.string(6),
                               format: WebhookFormat(rawValue: try r.string(7)) ?? .json, language: try r.string(8), facts: facts,
                               attempt: try r.int(4) + 1)
    }

    /// Records one attempt and where the delivery stands after it.
    public func recordAttempt(_ d: WebhookDispatch, at: Date, status: Int?, error: String?, errorCode: String?, response: String?, durationMs: Int,
                              outcome: WebhookDeliveryState) async throws {
        let finished = [.delivered, .failed].contains(outcome) ? now() : nil
        try await write { db in
            try await db.sql().raw("""
                INSERT INTO webhook_attempts (id, delivery_id, number, at, status, error, error_code, response, duration_ms)
                VALUES (\(bind: UUID()), \(bind: d.deliveryID), \(bind: d.attempt), \(bind: at), \(bind: status),
                        \(bind: error.map { String($0.prefix(1000)) }), \(bind: errorCode), \(bind: response.map { String($0.prefix(1000)) }),
                        \(bind: durationMs))
                """).run()
            try await db.sql().raw("""
                UPDATE webhook_deliveries SET state = \(bind: outcome.rawValue), attempts = \(bind: d.attempt), last_status = \(bind: status),
                  last_error = \(bind: error.map { String($0.prefix(1000)) }), last_error_code = \(bind: errorCode), finished_at = \(bind: finished)
                WHERE id = \(bind: d.deliveryID)
                """).run()
        }
    }
}
