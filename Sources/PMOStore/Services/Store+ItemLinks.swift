import FluentKit
import Foundation
import PMOCore
import SQLKit

/// An item at one end of a link, as much as links need of it.
struct LinkedItem: Sendable {
    var type: ItemType
    var id: UUID
    var number: Int
    var title: String
    var status: String
    var version: Int
    var facts: AccessPolicy.ItemFacts

    func reference(_ projectKey: String) -> String { type.reference(projectKey: projectKey, number: number) }
}

/// A link seen from one item: "this item causes CRM-I12" (outgoing) or "derived from CRM-Q3" (incoming).
public struct ItemLinkView: Sendable {
    public var id: UUID
    public var kind: ItemLinkKind
    public var outgoing: Bool
    public var otherType: ItemType
    public var otherNumber: Int
    public var otherTitle: String
    public var otherStatus: String
    public var otherReference: String
}

public struct ItemCommentView: Sendable {
    public var id: UUID
    public var authorID: UUID
    public var authorName: String
    public var body: String
    public var createdAt: Date
}

extension ItemService {
    /// Finds an item of the project the caller can see by its reference; an error on `field` otherwise.
    func resolveItem(_ context: ProjectContext, _ reference: ItemReference, field: String, on db: any Database) async throws -> LinkedItem {
        if let key = reference.projectKey, key != context.project.key {
            throw DomainError.invalid("link.invalid", [FieldError(field: field, code: "other_project",
                message: "\(reference) belongs to another project; link items of \(context.project.key) only.")])
        }
        do {
            return try await linkedItem(context, type: reference.type, number: reference.number, on: db)
        } catch let error as DomainError where error.kind == .notFound {
            throw DomainError.invalid("link.invalid", [FieldError(field: field, code: "not_found",
                message: "There is no \(context.project.key)-\(reference.type.rawValue)\(reference.number) that you can see.")])
        }
    }

    func linkedItem(_ context: ProjectContext, type: ItemType, number: Int, on db: any Database) async throws -> LinkedItem {
        let r = try await visibleItem(context, register: type.rawValue, name: type.auditEntityType, number: number, on: db)
        return LinkedItem(type: type, id: try r.requireID(), number: r.number, title: r.title, status: r.status, version: r.version, facts: r.facts)
    }

    /// Stores one link and notes it in the trail of the item it starts from; answers the link's id.
    @discardableResult
    func insertLink(_ context: ProjectContext, caller: Caller, from: LinkedItem, to: LinkedItem, kind: ItemLinkKind, at: Date,
                    on db: any Database) async throws -> UUID {
        let key = context.project.key
        if from.id == to.id {
            throw DomainError.invalid("link.invalid", [FieldError(field: "to", code: "self_link", message: "An item cannot link to itself.")])
        }
        let existing = try await db.sql().raw("""
            SELECT id FROM item_links WHERE from_id = \(bind: from.id) AND to_id = \(bind: to.id) AND kind = \(bind: kind.rawValue)
            """).first()
        if existing != nil {
            throw DomainError.conflict("link.duplicate", "\(from.reference(key)) already \(kind.rawValue) \(to.reference(key)).",
                                         subjects: [from.reference(key), to.reference(key)])
        }
        let id = UUID()
        try await db.sql().raw("""
            INSERT INTO item_links (id, project_id, from_type, from_id, to_type, to_id, kind, created_by_id, created_at)
            VALUES (\(bind: id), \(bind: context.projectID), \(bind: from.type.rawValue), \(bind: from.id), \(bind: to.type.rawValue),
              \(bind: to.id), \(bind: kind.rawValue), \(bind: caller.userID), \(bind: at))
            """).run()
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID,
                                  entityType: from.type.auditEntityType, entityID: from.id, action: "link",
                                  version: from.version,
                                  changes: [FieldChange(field: "link.\(kind.rawValue)", from: nil, to: to.reference(key))])
        return id
    }

    /// Typed links of any item (issue or register item), both directions, to items the caller can see.
    public func links(_ caller: Caller, key: String, type: ItemType, number: Int) async throws -> [ItemLinkView] {
        let context = try await projectContext(caller, key: key)
        let item = try await linkedItem(context, type: type, number: number, on: db)
        let links = try await ItemLinkRow.all(of: item.id, on: db)
        let otherIDs = links.map { $0.fromID == item.id ? $0.toID : $0.fromID }
        guard !otherIDs.isEmpty else { return [] }
        var others: [UUID: LinkedItem] = [:]
        for r in try await items(ids: otherIDs, visibleIn: context, on: db) {
            guard let type = ItemType(rawValue: r.register) else { continue }
            others[try r.requireID()] = LinkedItem(type: type, id: try r.requireID(), number: r.number, title: r.title, status: r.status, version: r.version, facts: r.facts)
        }
        return links.compactMap { link -> ItemLinkView? in
            let outgoing = link.fromID == item.id
            guard let other = others[outgoing ? link.toID : link.fromID] else { return nil }
            return ItemLinkView(id: link.id, kind: ItemLinkKind(rawValue: link.kind) ?? .relatesTo, outgoing: outgoing,
                                otherType: other.type, otherNumber: other.number, otherTitle: other.title, otherStatus: other.status,
                                otherReference: other.reference(key))
        }.sorted { ($0.otherType.rawValue, $0.otherNumber, $0.kind.rawValue) < ($1.otherType.rawValue, $1.otherNumber, $1.kind.rawValue) }
    }

    /// Links an item the caller may edit to another item of the project.
    public func addLink(_ caller: Caller, key: String, type: ItemType, number: Int, to target: ItemReference,
                            kind: ItemLinkKind) async throws -> ItemLinkView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let from = try await linkedItem(context, type: type, number: number, on: db)
            guard context.allows(.editItem, item: from.facts) else {
                throw DomainError.forbidden("item.edit_forbidden", "Your role in \(key) may not change \(type.reference(projectKey: key, number: number)).")
            }
            let to = try await resolveItem(context, target, field: "to", on: db)
            let linkID = try await insertLink(context, caller: caller, from: from, to: to, kind: kind, at: at, on: db)
            return ItemLinkView(id: linkID, kind: kind, outgoing: true, otherType: to.type, otherNumber: to.number, otherTitle: to.title,
                                otherStatus: to.status, otherReference: to.reference(key))
        }
    }

    public func removeLink(_ caller: Caller, key: String, type: ItemType, number: Int, linkID: UUID) async throws {
        let at = now()
        try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let item = try await linkedItem(context, type: type, number: number, on: db)
            guard context.allows(.editItem, item: item.facts) else {
                throw DomainError.forbidden("item.edit_forbidden", "Your role in \(key) may not change \(type.reference(projectKey: key, number: number)).")
            }
            guard let link = try await ItemLinkRow.find(linkID, on: db), link.fromID == item.id || link.toID == item.id else {
                throw DomainError.notFound("link.not_found", "No such link on \(item.reference(key)).", subjects: [item.reference(key)])
            }
            try await db.sql().raw("DELETE FROM item_links WHERE id = \(bind: linkID)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID,
                                      entityType: type.auditEntityType, entityID: item.id, action: "unlink",
                                      version: item.version, changes: [FieldChange(field: "link.\(link.kind)", from: linkID.uuidString.lowercased(), to: nil)])
        }
    }

    // MARK: Comments and history of any item

    /// The comments of an item (issue or register item) the caller can see, oldest first.
    public func comments(_ caller: Caller, key: String, type: ItemType, number: Int) async throws -> [ItemCommentView] {
        let context = try await projectContext(caller, key: key)
        let item = try await linkedItem(context, type: type, number: number, on: db)
        let rows = try await db.readRows("""
            SELECT id, author_id, body, created_at FROM item_comments WHERE item_id = \(bind: item.id) ORDER BY created_at, id
            """, columns: ["id", "author_id", "body", "created_at"])
        let comments = try rows.map { r in
            ItemCommentView(id: try r.uuid(0), authorID: try r.uuid(1), authorName: "", body: try r.string(2), createdAt: try r.date(3))
        }
        let authors = try await names(table: "users", column: "display_name", ids: Set(comments.map(\.authorID)), on: db)
        return comments.map { c in
            var c = c
            c.authorName = authors[c.authorID] ?? "?"
            return c
        }
    }

    /// Adds a comment to an item the caller may comment on, and notes it in the item's trail.
    public func addComment(_ caller: Caller, key: String, type: ItemType, number: Int, body: String) async throws -> ItemCommentView {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        var e = FieldErrors()
        if text.isEmpty { e.add("body", "required", "Write the comment.") }
        if text.count > RegisterRules.textMax { e.add("body", "too_long", "A comment may have at most \(RegisterRules.textMax) characters.") }
        try e.throwIfAny("comment.invalid")
        let at = now()
        let id = UUID()
        try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let item = try await linkedItem(context, type: type, number: number, on: db)
            guard context.allows(.comment, item: item.facts) else {
                throw DomainError.forbidden("comment.forbidden", "Your role in \(key) may not comment.")
            }
            try await db.sql().raw("""
                INSERT INTO item_comments (id, item_id, author_id, body, created_at)
                VALUES (\(bind: id), \(bind: item.id), \(bind: caller.userID), \(bind: text), \(bind: at))
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: type.auditEntityType,
                                      entityID: item.id, action: "comment", version: item.version,
                                      changes: [FieldChange(field: "comment", from: nil, to: text)])
        }
        return ItemCommentView(id: id, authorID: caller.userID, authorName: caller.displayName, body: text, createdAt: at)
    }

    /// The audit trail of an item (issue or register item) the caller can see.
    public func history(_ caller: Caller, key: String, type: ItemType, number: Int) async throws -> [AuditEntry] {
        let context = try await projectContext(caller, key: key)
        let item = try await linkedItem(context, type: type, number: number, on: db)
        return try await hidingInvisibleLinks(try await AuditLog.entries(on: db, entityID: item.id), context: context)
    }

    /// Drops "linked to X" changes whose X the caller may not see, so a trail never names a hidden item.
    func hidingInvisibleLinks(_ entries: [AuditEntry], context: ProjectContext) async throws -> [AuditEntry] {
        guard context.role == .vendor && !context.actor.isSystemAdmin else { return entries }
        var visible: [String: Bool] = [:]
        var result: [AuditEntry] = []
        for var entry in entries {
            var kept: [FieldChange] = []
            for change in entry.changes {
                if change.field.hasPrefix("link."), let text = change.to, let reference = ItemReference(text) {
                    if visible[text] == nil {
                        visible[text] = (try? await linkedItem(context, type: reference.type, number: reference.number, on: db)) != nil
                    }
                    if visible[text] == false { continue }
                }
                kept.append(change)
            }
            if kept.isEmpty && !entry.changes.isEmpty { continue }
            entry.changes = kept
            result.append(entry)
        }
        return result
    }
}

/// A row of `item_links` as lists and removal read it (links are written by `insertLink` only).
struct ItemLinkRow: StoredRow {
    var id: UUID
    var fromID: UUID
    var toID: UUID
    var kind: String

    static let table = "item_links"
    static let columns = ["id", "from_id", "to_id", "kind"]
    static let defaultOrder = "created_at, id"

    init(_ r: RowReader) throws {
        id = try r.uuid(0)
        fromID = try r.uuid(1)
        toID = try r.uuid(2)
        kind = try r.string(3)
    }

    /// The links that start or end at an item.
    static func all(of item: UUID, on db: any Database) async throws -> [ItemLinkRow] {
        try await select("from_id = \(bind: item) OR to_id = \(bind: item)", on: db)
    }
}
