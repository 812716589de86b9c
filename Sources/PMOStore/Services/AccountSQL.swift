import FluentKit
import Foundation
import SQLKit

/// Every statement on the account tables (`companies`, `users`, `sessions`, `api_tokens`, `invitations`): column
/// lists, readers by position, inserts and updates. The services call these; nothing else names the columns.
extension CompanyRecord: StoredRow {
    static let table = "companies"
    static let columns = ["id", "name", "kind", "created_at", "version"]
    static let defaultOrder = "name"

    convenience init(_ r: RowReader) throws {
        self.init()
        id = try r.uuid(0)
        name = try r.string(1)
        kind = try r.string(2)
        createdAt = try r.date(3)
        version = try r.int(4)
    }

    func insert(on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO companies (\(unsafeRaw: RowReader.select(Self.columns)))
            VALUES (\(bind: try requireID()), \(bind: name), \(bind: kind), \(bind: createdAt), \(bind: version))
            """).run()
    }
}

extension UserRecord: StoredRow {
    static let table = "users"
    static let defaultOrder = "display_name"
    /// The columns `init(_: RowReader)` reads, in this order.
    static let columns = ["id", "email", "display_name", "password_hash", "locale", "time_zone", "is_active", "is_admin",
                          "company_id", "created_at", "version", "must_change_password"]

    /// Reads a user from a row whose first columns are `columns` (of `users`), by position.
    convenience init(_ r: RowReader) throws {
        self.init()
        id = try r.uuid(0)
        email = try r.string(1)
        displayName = try r.string(2)
        passwordHash = try r.stringOrNil(3)
        locale = try r.string(4)
        timeZone = try r.string(5)
        isActive = try r.bool(6)
        isAdmin = try r.bool(7)
        companyID = try r.uuid(8)
        createdAt = try r.date(9)
        version = try r.int(10)
        mustChangePassword = try r.bool(11)
    }

    func insert(on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO users (\(unsafeRaw: RowReader.select(Self.columns)))
            VALUES (\(bind: try requireID()), \(bind: email), \(bind: displayName), \(bind: passwordHash), \(bind: locale),
              \(bind: timeZone), \(bind: isActive), \(bind: isAdmin), \(bind: companyID), \(bind: createdAt), \(bind: version),
              \(bind: mustChangePassword))
            """).run()
    }

    /// Stores every changeable column.
    func update(on db: any Database) async throws {
        try await db.sql().raw("""
            UPDATE users SET email = \(bind: email), display_name = \(bind: displayName), password_hash = \(bind: passwordHash),
              locale = \(bind: locale), time_zone = \(bind: timeZone), is_active = \(bind: isActive), is_admin = \(bind: isAdmin),
              company_id = \(bind: companyID), version = \(bind: version), must_change_password = \(bind: mustChangePassword)
            WHERE id = \(bind: try requireID())
            """).run()
    }
}

extension SessionRecord {
    func insert(on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
            VALUES (\(bind: id ?? ""), \(bind: userID), \(bind: csrfToken), \(bind: createdAt), \(bind: expiresAt))
            """).run()
    }

    /// Ends the sessions of a user (deactivated, or a password reset).
    static func deleteAll(userID: UUID, on db: any Database) async throws {
        try await db.sql().raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
    }
}

extension APITokenRecord: StoredRow {
    static let table = "api_tokens"
    static let defaultOrder = "created_at, id"
    static let columns = ["id", "user_id", "name", "token_hash", "created_at", "revoked_at"]

    convenience init(_ r: RowReader) throws {
        self.init()
        id = try r.uuid(0)
        userID = try r.uuid(1)
        name = try r.string(2)
        tokenHash = try r.string(3)
        createdAt = try r.date(4)
        revokedAt = try r.dateOrNil(5)
    }

    func insert(on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO api_tokens (\(unsafeRaw: RowReader.select(Self.columns)))
            VALUES (\(bind: try requireID()), \(bind: userID), \(bind: name), \(bind: tokenHash), \(bind: createdAt), \(bind: revokedAt))
            """).run()
    }
}

extension InvitationRecord: StoredRow {
    static let table = "invitations"
    static let defaultOrder = "expires_at"
    static let columns = ["id", "user_id", "token_hash", "expires_at", "used_at"]

    convenience init(_ r: RowReader) throws {
        self.init()
        id = try r.uuid(0)
        userID = try r.uuid(1)
        tokenHash = try r.string(2)
        expiresAt = try r.date(3)
        usedAt = try r.dateOrNil(4)
    }

    /// The invitation whose token has this hash, if any.
    static func find(tokenHash: String, on db: any Database) async throws -> InvitationRecord? {
        try await select("token_hash = \(bind: tokenHash)", on: db).first
    }

    func insert(on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO invitations (\(unsafeRaw: RowReader.select(Self.columns)))
            VALUES (\(bind: id ?? UUID()), \(bind: userID), \(bind: tokenHash), \(bind: expiresAt), \(bind: usedAt))
            """).run()
    }
}
