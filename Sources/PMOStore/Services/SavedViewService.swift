import FluentKit
import Foundation
import PMOCore
import SQLKit

/// The saved views feature of the store, reached as `store.views`: a register list's filters, order and columns
/// under a name, kept for the user who saved it or shared with the project. A view holds only a list's query: what
/// it shows is still what the reader may see.
public struct SavedViewService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The saved views feature (`SavedViewService`).
    public var views: SavedViewService { SavedViewService(store: self) }
}

/// One saved view as lists and the API show it.
public struct SavedView: Sendable, Equatable {
    public var id: UUID
    public var name: String
    /// The list's query string (without a leading `?`).
    public var query: String
    public var shared: Bool
    public var ownerID: UUID
    public var ownerName: String
    /// Whether the reader may delete it (their own, or a shared one for the project's admin, PMO and PM).
    public var canDelete: Bool
}

public enum SavedViewRules {
    public static let nameMax = 60
    public static let queryMax = 1_000
    /// Views one user keeps for one register.
    public static let perUserMax = 50
}

extension SavedViewService {
    static let columns = ["id", "name", "query", "shared", "user_id", "updated_at"]

    /// The caller's views of a register's list and those shared with the project, by name.
    public func list(_ caller: Caller, key: String, type: ItemType) async throws -> [SavedView] {
        let context = try await projectContext(caller, key: key)
        let rows = try await db.readRows("""
            SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM saved_views
            WHERE project_id = \(bind: context.projectID) AND register = \(bind: type.rawValue)
              AND (user_id = \(bind: caller.userID) OR shared = \(bind: true))
            ORDER BY name, id
            """, columns: Self.columns)
        return try await views(rows, context: context, caller: caller, on: db)
    }

    /// Saves the list's query under `name` for the caller; saving again under the same name replaces the query and
    /// the sharing. Vendors' staff keep their views to themselves (a shared view is offered to the whole project).
    public func save(_ caller: Caller, key: String, type: ItemType, name rawName: String, query rawQuery: String,
                     shared: Bool) async throws -> (view: SavedView, created: Bool) {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        let query = rawQuery.hasPrefix("?") ? String(rawQuery.dropFirst()) : rawQuery
        var e = FieldErrors()
        if name.isEmpty { e.add("name", "required", "Name the view.") }
        if name.count > SavedViewRules.nameMax { e.add("name", "too_long", "A view's name may have at most \(SavedViewRules.nameMax) characters.") }
        if query.count > SavedViewRules.queryMax { e.add("query", "too_long", "A view's query may have at most \(SavedViewRules.queryMax) characters.") }
        try e.throwIfAny("view.invalid")
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            if shared && context.role == .vendor && !caller.isAdmin {
                throw DomainError.forbidden("view.share_forbidden", "Vendors' staff keep their views to themselves; save it without sharing.")
            }
            let existing = try await db.readRows("""
                SELECT id FROM saved_views WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: caller.userID)
                  AND register = \(bind: type.rawValue) AND name = \(bind: name)
                """, columns: ["id"]).first.map { try $0.uuid(0) }
            let id = existing ?? UUID()
            if let existing {
                try await db.sql().raw("""
                    UPDATE saved_views SET query = \(bind: query), shared = \(bind: shared), updated_at = \(bind: at) WHERE id = \(bind: existing)
                    """).run()
            } else {
                let count = try await db.readRows("""
                    SELECT COUNT(*) AS n FROM saved_views WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: caller.userID)
                      AND register = \(bind: type.rawValue)
                    """, columns: ["n"]).first.map { try $0.int(0) } ?? 0
                if count >= SavedViewRules.perUserMax {
                    throw DomainError.conflict("view.too_many", "You keep \(SavedViewRules.perUserMax) views of this list already; delete one first.")
                }
                try await db.sql().raw("""
                    INSERT INTO saved_views (id, project_id, user_id, register, name, query, shared, created_at, updated_at)
                    VALUES (\(bind: id), \(bind: context.projectID), \(bind: caller.userID), \(bind: type.rawValue), \(bind: name), \(bind: query),
                            \(bind: shared), \(bind: at), \(bind: at))
                    """).run()
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "saved_view", entityID: id,
                                      action: existing == nil ? "create" : "update", version: 1,
                                      changes: [FieldChange(field: "view", from: nil, to: "\(name): \(query)\(shared ? " (shared)" : "")")])
            let view = SavedView(id: id, name: name, query: query, shared: shared, ownerID: caller.userID, ownerName: caller.displayName,
                                 canDelete: true)
            return (view, existing == nil)
        }
    }

    /// Deletes a view: the caller's own, or a shared one when the caller's role may manage the project.
    public func delete(_ caller: Caller, key: String, id: UUID) async throws {
        let at = now()
        try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard let row = try await db.readRows("""
                SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM saved_views
                WHERE id = \(bind: id) AND project_id = \(bind: context.projectID) AND (user_id = \(bind: caller.userID) OR shared = \(bind: true))
                """, columns: Self.columns).first,
                  let view = try await views([row], context: context, caller: caller, on: db).first else {
                throw DomainError.notFound("view.not_found", "There is no such saved view in \(key).", subjects: [key])
            }
            guard view.canDelete else {
                throw DomainError.forbidden("view.delete_forbidden", "Only \(view.ownerName), or the project's PMO, may delete the view \(view.name).",
                                            subjects: [view.ownerName, view.name])
            }
            try await db.sql().raw("DELETE FROM saved_views WHERE id = \(bind: id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "saved_view", entityID: id,
                                      action: "delete", version: 1, changes: [FieldChange(field: "view", from: view.name, to: nil)])
        }
    }

    func views(_ rows: [RowReader], context: ProjectContext, caller: Caller, on db: any Database) async throws -> [SavedView] {
        let list = try rows.map { r in
            SavedView(id: try r.uuid(0), name: try r.string(1), query: try r.string(2), shared: try r.bool(3), ownerID: try r.uuid(4),
                      ownerName: "", canDelete: false)
        }
        let names = try await names(table: "users", column: "display_name", ids: Set(list.map(\.ownerID)), on: db)
        let manages = context.allows(.editProject)
        return list.map { v in
            var v = v
            v.ownerName = names[v.ownerID] ?? "?"
            v.canDelete = v.ownerID == caller.userID || (v.shared && manages)
            return v
        }
    }
}
