import FluentKit
import Foundation
import PMOCore
import SQLKit

/// An item of any register, issues included, as other features read it (a meeting's agenda, a status report, the
/// kickoff pack, a burn-down): the columns of `register_items`, with its details decoded on demand.
public struct ItemRow: Sendable {
    public var id: UUID
    public var type: ItemType
    public var number: Int
    public var title: String
    public var status: String
    public var isOpen: Bool
    public var ownerID: UUID?
    public var deciderID: UUID?
    public var dueDate: CalendarDate?
    /// A risk's score, or an issue's priority rank.
    public var score: Int?
    public var visibility: Visibility
    public var companyID: UUID?
    public var createdAt: Date
    public var updatedAt: Date
    var detailsText: String

    public func reference(_ projectKey: String) -> String { type.reference(projectKey: projectKey, number: number) }

    /// The register's own fields (none for an issue read this way).
    public var details: [String: RegisterValue] {
        type.register.map { RegisterDetailsCodec.decode(detailsText, kind: $0) } ?? [:]
    }
}

/// Which items of a project `ItemService.rows` reads.
public struct ItemRowFilter: Sendable {
    /// The registers, by letter (`I` for issues); empty means all.
    public var types: [ItemType] = []
    /// All registers but these.
    public var excluding: [ItemType] = []
    public var openOnly = false
    public var updatedAfter: Date?
    /// The highest scores first, at most this many (otherwise in register and number order).
    public var topByScore: Int?
    /// In register and number order, at most this many after `after` (a page of a long read).
    public var page: (after: (register: String, number: Int)?, size: Int)?

    public init(types: [ItemType] = [], excluding: [ItemType] = [], openOnly: Bool = false, updatedAfter: Date? = nil,
                topByScore: Int? = nil) {
        self.types = types
        self.excluding = excluding
        self.openOnly = openOnly
        self.updatedAfter = updatedAfter
        self.topByScore = topByScore
    }
}

extension ItemService {
    /// Every item `filter` selects, read a page of `size` at a time: a long read (a background job's) then never holds
    /// a database connection for long, so requests waiting for one are served between its pages (SQLite has one
    /// connection per event loop).
    public func allRows(_ context: ProjectContext, _ filter: ItemRowFilter, pageSize size: Int = 1_000, on db: any Database) async throws -> [ItemRow] {
        var all: [ItemRow] = []
        var page = filter
        page.topByScore = nil
        page.page = (nil, size)
        while true {
            let rows = try await self.rows(context, page, on: db)
            all += rows
            guard rows.count == size, let last = rows.last else { return all }
            page.page = ((last.type.rawValue, last.number), size)
        }
    }

    /// The items of the project `context` names that `filter` selects, as the caller of `context` may see them (a
    /// vendor sees project-wide items and its own company's). The one place outside the registers' own code that
    /// reads `register_items`: meetings and reports come here rather than writing their own SQL.
    public func rows(_ context: ProjectContext, _ filter: ItemRowFilter, on db: any Database) async throws -> [ItemRow] {
        let sql = try db.sql()
        var query: SQLQueryString = """
            SELECT id, register, number, title, status, is_open, owner_id, decider_id, due_date, score, visibility, visibility_company_id,
                   company_id, details, created_at, updated_at
            FROM register_items WHERE project_id = \(bind: context.projectID)
            """
        if !filter.types.isEmpty { query += " AND register IN (\(binds: filter.types.map(\.rawValue)))" }
        if !filter.excluding.isEmpty { query += " AND register NOT IN (\(binds: filter.excluding.map(\.rawValue)))" }
        if filter.openOnly { query += " AND is_open = \(bind: true)" }
        if let after = filter.updatedAfter { query += " AND updated_at > \(bind: after)" }
        query += vendorFilter(context)
        if let top = filter.topByScore {
            query += " ORDER BY score DESC, number LIMIT \(literal: top)"
        } else if let page = filter.page {
            if let after = page.after {
                query += " AND (register > \(bind: after.register) OR (register = \(bind: after.register) AND number > \(bind: after.number)))"
            }
            query += " ORDER BY register, number LIMIT \(literal: max(1, page.size))"
        } else {
            query += " ORDER BY register, number"
        }
        return try await sql.raw(query).all().compactMap { row in
            guard let type = ItemType(rawValue: try row.decode(column: "register", as: String.self)) else { return nil }
            return ItemRow(
                id: try row.decode(column: "id", as: UUID.self), type: type, number: try row.decode(column: "number", as: Int.self),
                title: try row.decode(column: "title", as: String.self), status: try row.decode(column: "status", as: String.self),
                isOpen: try row.decode(column: "is_open", as: Bool.self), ownerID: try row.decode(column: "owner_id", as: UUID?.self),
                deciderID: try row.decode(column: "decider_id", as: UUID?.self),
                dueDate: try row.decode(column: "due_date", as: String?.self).flatMap { CalendarDate(iso: $0) },
                score: try row.decode(column: "score", as: Int?.self), visibility: try StoredValues.visibility(row),
                companyID: try row.decode(column: "company_id", as: UUID?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
                detailsText: try row.decode(column: "details", as: String.self))
        }
    }
}

extension ItemService {
    /// The items of one register the caller may see, in number order: what a form offers for a field that names an
    /// item (an interface's source system) and how a page names them.
    public func rows(_ caller: Caller, key: String, type: ItemType) async throws -> [ItemRow] {
        let context = try await projectContext(caller, key: key)
        return try await rows(context, ItemRowFilter(types: [type]), on: db)
    }

    /// The names of the project's plan activities by id (every member sees the plan's structure): how a page names
    /// the activities a requirement lists.
    public func activityNames(_ caller: Caller, key: String) async throws -> [Int: String] {
        let context = try await projectContext(caller, key: key)
        return try await store.planActivityNames(projectID: context.projectID, on: db)
    }
}

extension ItemService {
    /// The day each of the project's plan activities is due as scheduled now (a milestone's day, a task's finish), by
    /// id: what an interface's milestones are measured against.
    public func activityDates(_ caller: Caller, key: String) async throws -> [Int: CalendarDate] {
        try await store.activityDates(try await projectContext(caller, key: key))
    }
}

extension Store {
    func activityDates(_ context: ProjectContext) async throws -> [Int: CalendarDate] {
        let view = try await plans.cachedView(context)
        return view.scheduledByUID.mapValues { $0.finish.finishDay }
    }

    /// The project's plan activities, id → name.
    func planActivityNames(projectID: UUID, on db: any Database) async throws -> [Int: String] {
        let rows = try await db.readRows("SELECT uid, name FROM plan_activities WHERE project_id = \(bind: projectID)", columns: ["uid", "name"])
        var names: [Int: String] = [:]
        for row in rows { names[try row.int(0)] = try row.string(1) }
        return names
    }
}
