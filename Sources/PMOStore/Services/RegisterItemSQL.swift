import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Every statement that reads or writes a whole row of `register_items`, for every register, issues included: the
/// column list, the reader by position (`StoredRow`), the insert, the update, and the read of one item the caller may
/// see. Lists add their own WHERE and ORDER BY to `columnList`; nothing else names the columns.
extension RegisterItemRecord: StoredRow {
    static let table = "register_items"
    static let defaultOrder = "number"
    /// The columns `init(_: RowReader)` reads, in this order.
    static let columns = ["id", "project_id", "register", "number", "title", "description", "status", "is_open", "owner_id",
                          "decider_id", "due_date", "score", "visibility", "visibility_company_id", "company_id", "details",
                          "search_text", "created_by_id", "created_at", "updated_at", "version"]
    /// `columns` as a SELECT list, for the queries that add a lock, a cursor or a limit.
    static let columnList = SQLQueryString(RowReader.select(columns))

    /// Reads an item from a row of `SELECT <columns> FROM register_items`, by position.
    convenience init(_ r: RowReader) throws {
        self.init(register: try r.string(2))
        id = try r.uuid(0)
        projectID = try r.uuid(1)
        number = try r.int(3)
        title = try r.string(4)
        description = try r.string(5)
        status = try r.string(6)
        isOpen = try r.bool(7)
        ownerID = try r.uuidOrNil(8)
        deciderID = try r.uuidOrNil(9)
        dueDate = try r.stringOrNil(10)
        score = try r.intOrNil(11)
        visibility = try r.string(12)
        visibilityCompanyID = try r.uuidOrNil(13)
        companyID = try r.uuidOrNil(14)
        details = try r.string(15)
        searchText = try r.string(16)
        createdByID = try r.uuid(17)
        createdAt = try r.date(18)
        updatedAt = try r.date(19)
        version = try r.int(20)
    }

    /// Inserts the item (imports create thousands).
    func insert(on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO register_items (\(unsafeRaw: RowReader.select(Self.columns)))
            VALUES (\(bind: try requireID()), \(bind: projectID), \(bind: register), \(bind: number), \(bind: title), \(bind: description),
              \(bind: status), \(bind: isOpen), \(bind: ownerID), \(bind: deciderID), \(bind: dueDate), \(bind: score),
              \(bind: visibility), \(bind: visibilityCompanyID), \(bind: companyID), \(bind: details), \(bind: searchText),
              \(bind: createdByID), \(bind: createdAt), \(bind: updatedAt), \(bind: version))
            """).run()
    }

    /// Stores every changeable column.
    func update(on db: any Database) async throws {
        try await db.sql().raw("""
            UPDATE register_items SET title = \(bind: title), description = \(bind: description), status = \(bind: status),
              is_open = \(bind: isOpen), owner_id = \(bind: ownerID), decider_id = \(bind: deciderID), due_date = \(bind: dueDate),
              score = \(bind: score), visibility = \(bind: visibility), visibility_company_id = \(bind: visibilityCompanyID),
              company_id = \(bind: companyID), details = \(bind: details), search_text = \(bind: searchText),
              updated_at = \(bind: updatedAt), version = \(bind: version)
            WHERE id = \(bind: try requireID())
            """).run()
    }

    /// Deletes the item; its links go with it (the foreign keys of `item_links`, M012), its comments likewise.
    func delete(on db: any Database) async throws {
        try await db.sql().raw("DELETE FROM register_items WHERE id = \(bind: try requireID())").run()
    }
}

extension ItemService {
    /// The item numbered `number` of the register `letter` if the caller may see it, else `<name>.not_found` (the same
    /// answer as an item that does not exist, so that hidden items cannot be probed). `forUpdate`: inside a write, the
    /// row is locked on PostgreSQL as it is read (SQLite writers are already queued by the gate).
    func visibleItem(_ context: ProjectContext, register letter: String, name: String, number: Int, forUpdate: Bool = false,
                     on db: any Database) async throws -> RegisterItemRecord {
        let lock: SQLQueryString = forUpdate && !isSQLite ? " FOR UPDATE" : ""
        let row = try await db.readRows("""
            SELECT \(RegisterItemRecord.columnList) FROM register_items
            WHERE project_id = \(bind: context.projectID) AND register = \(bind: letter) AND number = \(bind: number)\(vendorFilter(context))\(lock)
            """, columns: RegisterItemRecord.columns).first
        guard let row, case let record = try RegisterItemRecord(row), context.allows(.readItem, item: record.facts) else {
            let reference = ItemType(rawValue: letter)?.reference(projectKey: context.project.key, number: number)
                ?? "\(context.project.key)-\(letter)\(number)"
            throw DomainError.notFound("\(name).not_found", "There is no \(name) \(reference) that you can see.", subjects: [reference])
        }
        return record
    }

    /// Items by id that the caller of `context` may see, in no particular order (the other ends of links).
    func items(ids: [UUID], visibleIn context: ProjectContext, on db: any Database) async throws -> [RegisterItemRecord] {
        guard !ids.isEmpty else { return [] }
        return try await RegisterItemRecord.select("id IN (\(binds: ids))\(vendorFilter(context))", on: db)
            .filter { context.allows(.readItem, item: $0.facts) }
    }
}

/// What a register's list filters on, the same for every register (the list types of the API say it their way:
/// `IssueQuery`, `RegisterQuery`).
struct ItemListFilter {
    var statuses: [String] = []
    /// Only unfinished items.
    var openOnly = false
    /// Only these scores (an issue's priority ranks).
    var scores: [Int] = []
    var ownerID: UUID?
    var unowned = false
    var companyID: UUID?
    /// Only items due before this day that are still to be met by then: in `dueStatuses`, or open when that is nil.
    var overdueAsOf: CalendarDate?
    var dueStatuses: [String]?
    /// Words searched in the item's search text, case-insensitively.
    var text: String?
    /// Only issues whose `systems` name this system (`.nowhere`: none, for another project's reference).
    var naming: ItemReference?
}

extension ItemReference {
    /// A reference no item has (number 0), for a filter that must select nothing.
    static let nowhere = ItemReference(projectKey: nil, type: .system, number: 0)
}

/// A list's order as SQL: what it sorts by, which way, and what a cursor carries of the last row.
struct ItemListSort {
    enum Key { case number, due, score, updated }
    /// The sort's name in queries and in cursors, e.g. `-due`.
    var name: String
    var key: Key

    var descending: Bool { name.hasPrefix("-") }

    /// The ordering expression (undated items sort last by due date, unscored ones as 0).
    var column: String {
        switch key {
        case .number: "number"
        case .due: "COALESCE(due_date, '9999-12-31')"
        case .score: "COALESCE(score, 0)"
        case .updated: "updated_at"
        }
    }

    /// The kind of value the sort's cursor carries.
    var valueKind: String {
        switch key {
        case .number, .score: "int"
        case .due: "text"
        case .updated: "time"
        }
    }

    /// The cursor after a row: its sort value (`Date`'s own representation for instants, so that it round-trips
    /// exactly) and its number.
    func cursor(after r: RegisterItemRecord) -> KeysetCursor {
        let value: KeysetCursor.Value = switch key {
        case .number: .int(r.number)
        case .due: .text(r.dueDate ?? "9999-12-31")
        case .score: .int(r.score ?? 0)
        case .updated: .time(r.updatedAt.timeIntervalSinceReferenceDate)
        }
        return KeysetCursor(sort: name, value: value, number: r.number)
    }
}

extension ItemService {
    /// One page of a register's items the caller may see, by keyset pagination (the cursor carries the last row's
    /// sort value and number, so deep pages cost the same as the first), and the cursor of the next page.
    func itemPage(_ context: ProjectContext, register letter: String, filter: ItemListFilter, sort: ItemListSort,
                  cursor cursorText: String?, limit: Int, maxLimit: Int) async throws -> (records: [RegisterItemRecord], next: String?) {
        guard (1...maxLimit).contains(limit) else {
            throw DomainError.invalid("query.invalid", [FieldError(field: "limit", code: "out_of_range",
                message: "limit must be between 1 and \(maxLimit).")])
        }
        let cursor = try KeysetCursor.parse(cursorText, sort: sort.name, kind: sort.valueKind)
        var sql: SQLQueryString = "SELECT \(RegisterItemRecord.columnList) FROM register_items WHERE "
        sql += listCondition(context, register: letter, filter: filter)
        if let cursor { sql += cursor.condition(column: sort.column, descending: sort.descending) }
        let direction = sort.descending ? "DESC" : "ASC"
        sql += " ORDER BY \(unsafeRaw: sort.column) \(unsafeRaw: direction), number \(unsafeRaw: direction) LIMIT \(literal: limit + 1)"
        var records = try await db.readRows(sql, columns: RegisterItemRecord.columns).map(RegisterItemRecord.init)
        var next: String?
        if records.count > limit {
            records.removeLast()
            next = records.last.map { sort.cursor(after: $0).encoded }
        }
        return (records, next)
    }

    /// How many items of a register `filter` selects for the caller (a list page's result count): the list's own
    /// condition, so the count and the rows cannot disagree.
    func itemCount(_ context: ProjectContext, register letter: String, filter: ItemListFilter) async throws -> Int {
        try await db.readRows("SELECT COUNT(*) AS n FROM register_items WHERE \(listCondition(context, register: letter, filter: filter))",
                              columns: ["n"]).first.map { try $0.int(0) } ?? 0
    }

    /// The WHERE condition of a register's list: the project and register, the vendor filter, then `filter`.
    func listCondition(_ context: ProjectContext, register letter: String, filter: ItemListFilter) -> SQLQueryString {
        var sql: SQLQueryString = "project_id = \(bind: context.projectID) AND register = \(bind: letter)"
        sql += vendorFilter(context)
        if !filter.statuses.isEmpty { sql += " AND status IN (\(binds: filter.statuses))" }
        if filter.openOnly { sql += " AND is_open = \(bind: true)" }
        if !filter.scores.isEmpty { sql += " AND score IN (\(binds: filter.scores))" }
        if let owner = filter.ownerID { sql += " AND owner_id = \(bind: owner)" }
        if filter.unowned { sql += " AND owner_id IS NULL" }
        if let company = filter.companyID { sql += " AND company_id = \(bind: company)" }
        if let today = filter.overdueAsOf {
            sql += " AND due_date < \(bind: today.description)"
            // A register with no due statuses (units, escalation routes) is never overdue; `IN ()` is not SQL.
            if let due = filter.dueStatuses { sql += due.isEmpty ? " AND 1 = 0" : " AND status IN (\(binds: due))" } else { sql += " AND is_open = \(bind: true)" }
        }
        if let ref = filter.naming {
            // `systems` is the last key of an issue's details (they are written with sorted keys), so what follows
            // `"systems":[` is that list alone; a quote inside a text is escaped and never matches.
            sql += " AND details LIKE \(bind: "%\"systems\":[%\"\(ref)\"%")"
        }
        if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            sql += " AND search_text LIKE \(bind: Store.likePattern(text)) ESCAPE '\\'"
        }
        return sql
    }
}

extension ItemService {
    /// The last part of every register's create step, once its own rules have passed: the item takes the register's
    /// next number, is stored at version 1 and its creation is audited with every field it holds.
    func storeNewItem(_ r: RegisterItemRecord, name: String, context: ProjectContext, caller: Caller, at: Date,
                      on db: any Database) async throws {
        r.id = UUID()
        r.projectID = context.projectID
        r.number = try await nextNumber(projectID: context.projectID, register: r.register, on: db)
        r.createdByID = caller.userID
        r.createdAt = at
        r.updatedAt = at
        r.version = 1
        try await r.insert(on: db)
        try await refreshPartiesIfNeeded(register: r.register, projectID: context.projectID, on: db)
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: name,
                                  entityID: r.requireID(), action: "create", version: 1, changes: FieldChange.diff([:], r.auditSnapshot))
    }

    /// The last part of every register's update step, once the new fields are applied to `r`: if they changed anything
    /// against `before` (the audit snapshot taken before), the item is stored with the next version and the change is
    /// audited; a change to nothing stores nothing.
    func storeItemChange(_ r: RegisterItemRecord, before: [String: String?], name: String, context: ProjectContext,
                         caller: Caller, at: Date, on db: any Database) async throws {
        let changes = FieldChange.diff(before, r.auditSnapshot)
        guard !changes.isEmpty else { return }
        r.version += 1
        r.updatedAt = at
        try await r.update(on: db)
        try await refreshPartiesIfNeeded(register: r.register, projectID: context.projectID, on: db)
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: name,
                                  entityID: r.requireID(), action: "update", version: r.version, changes: changes)
    }
}
