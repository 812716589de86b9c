import FluentKit
import Foundation
import SQLKit

/// Every statement on `projects` and `memberships` that reads or writes whole rows: column lists, readers by
/// position, inserts, updates and deletes. The services call these; nothing else names the columns.
extension ProjectRecord: StoredRow {
    static let table = "projects"
    static let defaultOrder = "key"
    /// The columns `init(_: RowReader)` reads, in this order.
    static let columns = ["id", "key", "name", "description", "phase", "business_owner", "start_date", "target_date", "status",
                          "created_at", "updated_at", "version"]

    /// Reads a project from a row whose first columns are `columns` (of `projects`), by position.
    convenience init(_ r: RowReader) throws {
        self.init()
        id = try r.uuid(0)
        key = try r.string(1)
        name = try r.string(2)
        description = try r.string(3)
        phase = try r.string(4)
        businessOwner = try r.string(5)
        startDate = try r.stringOrNil(6)
        targetDate = try r.stringOrNil(7)
        status = try r.string(8)
        createdAt = try r.date(9)
        updatedAt = try r.date(10)
        version = try r.int(11)
    }

    func insert(on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO projects (\(unsafeRaw: RowReader.select(Self.columns)))
            VALUES (\(bind: try requireID()), \(bind: key), \(bind: name), \(bind: description), \(bind: phase), \(bind: businessOwner),
              \(bind: startDate), \(bind: targetDate), \(bind: status), \(bind: createdAt), \(bind: updatedAt), \(bind: version))
            """).run()
    }

    /// Stores every changeable column (the key never changes).
    func update(on db: any Database) async throws {
        try await db.sql().raw("""
            UPDATE projects SET name = \(bind: name), description = \(bind: description), phase = \(bind: phase),
              business_owner = \(bind: businessOwner), start_date = \(bind: startDate), target_date = \(bind: targetDate),
              status = \(bind: status), updated_at = \(bind: updatedAt), version = \(bind: version)
            WHERE id = \(bind: try requireID())
            """).run()
    }
}

extension MembershipRecord: StoredRow {
    static let table = "memberships"
    static let defaultOrder = "created_at, id"
    static let columns = ["id", "project_id", "user_id", "role", "created_at", "version"]

    convenience init(_ r: RowReader) throws {
        self.init()
        id = try r.uuid(0)
        projectID = try r.uuid(1)
        userID = try r.uuid(2)
        role = try r.string(3)
        createdAt = try r.date(4)
        version = try r.int(5)
    }

    /// The membership of a user in a project, if any.
    static func find(projectID: UUID, userID: UUID, on db: any Database) async throws -> MembershipRecord? {
        try await select("project_id = \(bind: projectID) AND user_id = \(bind: userID)", on: db).first
    }

    func insert(on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO memberships (\(unsafeRaw: RowReader.select(Self.columns)))
            VALUES (\(bind: try requireID()), \(bind: projectID), \(bind: userID), \(bind: role), \(bind: createdAt), \(bind: version))
            """).run()
    }

    func update(on db: any Database) async throws {
        try await db.sql().raw("""
            UPDATE memberships SET role = \(bind: role), version = \(bind: version) WHERE id = \(bind: try requireID())
            """).run()
    }

    func delete(on db: any Database) async throws {
        try await db.sql().raw("DELETE FROM memberships WHERE id = \(bind: try requireID())").run()
    }
}
