import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Every statement that reads or writes a whole row of `register_items`, for every register, issues included: the
/// column list, the reader by position, the insert, the update, and the read of one item the caller may see. Lists
/// add their own WHERE and ORDER BY to `RegisterItemRecord.select`; nothing else names the columns.
extension RegisterItemRecord {
    /// The columns `init(_: RowReader)` reads, in this order.
    static let columns = ["id", "project_id", "register", "number", "title", "description", "status", "is_open", "owner_id",
                          "decider_id", "due_date", "score", "visibility", "visibility_company_id", "company_id", "details",
                          "search_text", "created_by_id", "created_at", "updated_at", "version"]
    static let select = SQLQueryString(RowReader.select(columns))

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
            SELECT \(RegisterItemRecord.select) FROM register_items
            WHERE project_id = \(bind: context.projectID) AND register = \(bind: letter) AND number = \(bind: number)\(lock)
            """, columns: RegisterItemRecord.columns).first
        guard let row, case let record = try RegisterItemRecord(row), context.allows(.readItem, item: record.facts) else {
            let reference = "\(context.project.key)-\(letter)\(number)"
            throw DomainError.notFound("\(name).not_found", "There is no \(name) \(reference) that you can see.", subjects: [reference])
        }
        return record
    }

    /// Items by id, in no particular order (the other ends of links).
    func items(ids: [UUID], on db: any Database) async throws -> [RegisterItemRecord] {
        guard !ids.isEmpty else { return [] }
        return try await db.readRows("SELECT \(RegisterItemRecord.select) FROM register_items WHERE id IN (\(binds: ids))",
                                     columns: RegisterItemRecord.columns).map(RegisterItemRecord.init)
    }
}
