import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Each person's inbox, reached as `store.inbox`: what concerns them, collected in the background from the audit
/// trail and the signals (`collect`, see `InboxCollect`): items assigned to them, changes and comments on items they
/// own or decide, mentions (`@` and a member's e-mail name), due dates coming up, and signals about their items. A
/// person is told only of items they may see.
public struct InboxService: StoreFeature {
    public let store: Store
}

extension Store {
    /// Each person's inbox (`InboxService`).
    public var inbox: InboxService { InboxService(store: self) }
}

/// What an inbox entry is about.
public enum InboxKind: String, Sendable, CaseIterable, Codable {
    /// values: none (the actor assigned the item to the reader)
    case assigned
    /// values: fields (the changed fields' names, comma-separated), status (the new status, if it changed)
    case changed
    /// values: comment (its first line)
    case commented
    /// values: comment (its first line)
    case mentioned
    /// values: due (the due date), days (until it)
    case dueSoon = "due_soon"
    /// values: code (the signal's rule), and the signal's own values
    case signal
    /// values: number, date, path (the meeting's page); the title is the series' name
    case minutesToApprove = "minutes_to_approve"
    /// values: date, overall, path (the report's page)
    case reportIssued = "report_issued"
}

/// One entry of a person's inbox.
public struct InboxEntryView: Sendable {
    public var id: UUID
    public var kind: InboxKind
    public var projectKey: String
    /// The item's reference ("CRM-R3") and title.
    public var reference: String?
    public var title: String
    public var actorName: String?
    public var values: [String: String]
    public var createdAt: Date
    public var readAt: Date?
}

extension InboxService {
    public static let pageSize = 200

    /// The caller's latest entries (unread only when asked), newest first, and how many are unread.
    public func entries(_ caller: Caller, unreadOnly: Bool = false, limit: Int = InboxService.pageSize) async throws -> (entries: [InboxEntryView], unread: Int) {
        var condition: SQLQueryString = "e.user_id = \(bind: caller.userID)"
        if unreadOnly { condition += " AND e.read_at IS NULL" }
        return (try await read(condition, limit: max(1, min(limit, 1000))), try await unreadCount(caller))
    }

    /// Entries that `condition` (on `inbox_entries e`) selects, newest first.
    func read(_ condition: SQLQueryString, limit: Int) async throws -> [InboxEntryView] {
        var query: SQLQueryString = """
            SELECT e.id, e.kind, p.key, e.reference, e.title, u.display_name, e.entry_values, e.created_at, e.read_at
            FROM inbox_entries e JOIN projects p ON p.id = e.project_id LEFT JOIN users u ON u.id = e.actor_id WHERE
            """
        query += " " + condition + " ORDER BY e.created_at DESC, e.id LIMIT \(literal: limit)"
        let rows = try await db.readRows(query, columns: ["id", "kind", "key", "reference", "title", "display_name", "entry_values", "created_at", "read_at"])
        return try rows.compactMap { r -> InboxEntryView? in
            guard let kind = InboxKind(rawValue: try r.string(1)) else { return nil }
            return InboxEntryView(id: try r.uuid(0), kind: kind, projectKey: try r.string(2), reference: try r.stringOrNil(3), title: try r.string(4),
                                  actorName: try r.stringOrNil(5), values: StoredValues.decode([String: String].self, try r.string(6)) ?? [:],
                                  createdAt: try r.date(7), readAt: try r.dateOrNil(8))
        }
    }

    /// How many of the caller's entries are unread (the top bar's count).
    public func unreadCount(_ caller: Caller) async throws -> Int {
        try await db.readRows("""
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM inbox_entries WHERE user_id = \(bind: caller.userID) AND read_at IS NULL
            """, columns: ["n"]).first?.int(0) ?? 0
    }

    /// Marks one of the caller's entries read, and answers it (404 for another person's or a missing entry).
    @discardableResult
    public func markRead(_ caller: Caller, id: UUID) async throws -> InboxEntryView {
        let at = now()
        let changed = try await write { db in
            try await db.readRows("""
                UPDATE inbox_entries SET read_at = COALESCE(read_at, \(bind: at)) WHERE id = \(bind: id) AND user_id = \(bind: caller.userID)
                RETURNING id
                """, columns: ["id"]).count
        }
        guard changed == 1, let entry = try await read("e.id = \(bind: id) AND e.user_id = \(bind: caller.userID)", limit: 1).first else {
            throw DomainError.notFound("inbox.not_found", "There is no such entry in your inbox.")
        }
        return entry
    }

    /// Marks every unread entry of the caller read; answers how many were.
    @discardableResult
    public func markAllRead(_ caller: Caller) async throws -> Int {
        let at = now()
        return try await write { db in
            try await db.readRows("""
                UPDATE inbox_entries SET read_at = \(bind: at) WHERE user_id = \(bind: caller.userID) AND read_at IS NULL RETURNING id
                """, columns: ["id"]).count
        }
    }
}
