import FluentKit
import Foundation
import PMOCore
import SQLKit

/// The signed-in user on whose behalf a service acts.
public struct Caller: Sendable, Equatable {
    public var userID: UUID
    public var companyID: UUID
    public var isAdmin: Bool
    public var email: String
    public var displayName: String
    public var locale: String
    public var timeZone: String
    /// Signed in with a temporary password: only changing it is allowed.
    public var mustChangePassword: Bool

    public init(_ user: UserRecord) throws {
        self.userID = try user.requireID()
        self.companyID = user.companyID
        self.isAdmin = user.isAdmin
        self.email = user.email
        self.displayName = user.displayName
        self.locale = user.locale
        self.timeZone = user.timeZone
        self.mustChangePassword = user.mustChangePassword
    }

    /// The actor as the access policy sees it, with the role held in one project.
    public func actor(role: ProjectRole?) -> AccessPolicy.Actor {
        AccessPolicy.Actor(userID: UserID(userID), companyID: CompanyID(companyID), isSystemAdmin: isAdmin, role: role)
    }
}

/// The service layer: every read and every write of the product goes through here.
///
/// Writes run in one transaction that checks permission, validates, saves, records an audit event and bumps the
/// record's version. Time comes from `now`, so tests can fix it.
public struct Store: Sendable {
    public let db: any Database
    public let isSQLite: Bool
    let gate: WriteGate
    /// Computed plans by project and plan version (checked against the database on every read).
    public let planCache: PlanCache
    /// How passwords are hashed (bcrypt, given by the composition root).
    public let passwords: any PasswordHasher
    /// Where attachments' bytes are kept.
    public let attachmentStorage: AttachmentStorage
    /// The source of "now"; tests and the demo replace it.
    public var clock: @Sendable () -> Date = { Date() }
    /// The migrations seen applied (see `hasMigrated`).
    let migrationMarks: MigrationMarks
    /// What the server may call out to (webhooks): the administrator's allow-list and the resolver.
    public var outbound = OutboundSettings()
    /// Each project's KPI facts, by what they were read from (see `KPICache`).
    var kpiCache = KPICache()

    public init(db: any Database, isSQLite: Bool, gate: WriteGate, planCache: PlanCache = PlanCache(),
                passwords: any PasswordHasher, attachmentStorage: AttachmentStorage = .database,
                clock: @escaping @Sendable () -> Date = { Date() }, migrationMarks: MigrationMarks = MigrationMarks()) {
        self.db = db
        self.isSQLite = isSQLite
        self.gate = gate
        self.planCache = planCache
        self.migrationMarks = migrationMarks
        self.passwords = passwords
        self.attachmentStorage = attachmentStorage
        self.clock = clock
    }

    /// The current instant, in whole milliseconds: stored instants then compare equal after a round trip through
    /// either database (SQLite keeps a double, PostgreSQL microseconds), which keyset pagination relies on.
    public func now() -> Date {
        Date(timeIntervalSince1970: (clock().timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    var sql: any SQLDatabase { get throws { try db.sql() } }

    /// Whether the migration `name` has been applied to this database. A running server always has them all; the
    /// migration tests load the demo into a database migrated only part of the way, and what reads a later table asks
    /// first. Once seen applied it is remembered (a migration is never undone under a running store).
    public func hasMigrated(_ name: String, on db: (any Database)? = nil) async throws -> Bool {
        if migrationMarks.contains(name) { return true }
        let applied = try await !(db ?? self.db).readRows("SELECT name FROM _fluent_migrations WHERE name = \(bind: name)", columns: ["name"]).isEmpty
        if applied { migrationMarks.insert(name) }
        return applied
    }

    /// Runs `body` as one transaction: all of it is stored, or none of it.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if isSQLite {
            return try await gate.run { try await db.transaction { try await body($0) } }
        }
        return try await db.transaction { try await body($0) }
    }

    /// `%text%` for a LIKE with `ESCAPE '\\'`, lower-cased, with the pattern characters in `text` escaped.
    static func likePattern(_ text: String) -> String {
        "%" + text.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// On PostgreSQL, locks a row until the transaction ends so that two writers of one record queue up.
    func lockRow(_ db: any Database, table: String, id: UUID) async throws {
        guard !isSQLite, let sql = db as? any SQLDatabase else { return }
        try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
    }
}

/// A change of one field, as the audit trail keeps it.
public struct FieldChange: Codable, Sendable, Equatable {
    public var field: String
    public var from: String?
    public var to: String?
    public init(field: String, from: String?, to: String?) {
        self.field = field
        self.from = from
        self.to = to
    }

    /// The fields whose values differ between two snapshots (`nil` means no value).
    public static func diff(_ old: [String: String?], _ new: [String: String?]) -> [FieldChange] {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            let a = old[key] ?? nil
            let b = new[key] ?? nil
            return a == b ? nil : FieldChange(field: key, from: a, to: b)
        }
    }
}

/// One entry of a record's history.
public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    public var actorID: UUID?
    public var actorName: String?
    public var action: String
    public var version: Int
    public var changes: [FieldChange]
}

enum AuditLog {
    static func record(on db: any Database, at: Date, actor: UUID?, project: UUID?, entityType: String,
                       entityID: UUID, action: String, version: Int, changes: [FieldChange]) async throws {
        let data = try JSONEncoder().encode(changes)
        // Plain SQL: Fluent's create reflects over the model on every call, which dominated bulk imports.
        try await db.sql().raw("""
            INSERT INTO audit_events (id, at, actor_id, project_id, entity_type, entity_id, action, entity_version, changes)
            VALUES (\(bind: UUID()), \(bind: at), \(bind: actor), \(bind: project), \(bind: entityType), \(bind: entityID),
                    \(bind: action), \(bind: version), \(bind: String(decoding: data, as: UTF8.self)))
            """).run()
    }

    static func entries(on db: any Database, entityID: UUID) async throws -> [AuditEntry] {
        let rows = try await db.readRows("""
            SELECT at, actor_id, action, entity_version, changes FROM audit_events WHERE entity_id = \(bind: entityID)
            ORDER BY entity_version, at
            """, columns: ["at", "actor_id", "action", "entity_version", "changes"])
        let events = try rows.map { r in
            (at: try r.date(0), actorID: try r.uuidOrNil(1), action: try r.string(2), version: try r.int(3), changes: try r.string(4))
        }
        let actorIDs = Set(events.compactMap(\.actorID))
        let users = actorIDs.isEmpty ? [] : try await UserRecord.select("id IN (\(binds: Array(actorIDs)))", on: db)
        let names = Dictionary(uniqueKeysWithValues: try users.map { (try $0.requireID(), $0.displayName) })
        return events.map { e in
            let changes = (try? JSONDecoder().decode([FieldChange].self, from: Data(e.changes.utf8))) ?? []
            return AuditEntry(at: e.at, actorID: e.actorID, actorName: e.actorID.flatMap { names[$0] },
                              action: e.action, version: e.version, changes: changes)
        }
    }
}

/// What every feature's writes share.
extension Store {
    public static let invitationLifetime: TimeInterval = 7 * 86_400
    public static let sessionLifetime: TimeInterval = 12 * 3_600

    func requireAdmin(_ caller: Caller?) throws {
        if let caller, !caller.isAdmin {
            throw DomainError.forbidden("admin.required", "Only an administrator may manage users and companies.")
        }
    }

    func staleVersion(_ current: Int) -> DomainError {
        DomainError.conflict("version.stale",
                             "The record was changed by someone else (it is now at version \(current)). Reload it and apply your change again.")
    }

    /// Users' and companies' names by id, in one query.
    func names(users: Set<UUID>, companies: Set<UUID>, on db: any Database) async throws -> (users: [UUID: String], companies: [UUID: String]) {
        if users.isEmpty || companies.isEmpty {
            return (try await names(table: "users", column: "display_name", ids: users, on: db),
                    try await names(table: "companies", column: "name", ids: companies, on: db))
        }
        var byUser: [UUID: String] = [:], byCompany: [UUID: String] = [:]
        for r in try await db.readRows("""
            SELECT 'u' AS kind, id, display_name AS name FROM users WHERE id IN (\(binds: Array(users)))
            UNION ALL SELECT 'c' AS kind, id, name FROM companies WHERE id IN (\(binds: Array(companies)))
            """, columns: ["kind", "id", "name"]) {
            if try r.string(0) == "u" { byUser[try r.uuid(1)] = try r.string(2) } else { byCompany[try r.uuid(1)] = try r.string(2) }
        }
        return (byUser, byCompany)
    }

    /// id → name for a set of ids, in one query.
    func names(table: String, column: String, ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.sql().raw(
            "SELECT id, \(ident: column) AS name FROM \(ident: table) WHERE id IN (\(binds: Array(ids)))").all()
        var result: [UUID: String] = [:]
        for row in rows { result[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self) }
        return result
    }
}

extension Store {
    /// Writes a consistent copy of a SQLite database to `path` (VACUUM INTO reads one snapshot, so the copy is
    /// consistent even while the server writes).
    public func backupSQLite(to path: String) async throws {
        try await sql.raw("VACUUM INTO \(bind: path)").run()
    }
}

extension Store {
    /// Creates an empty database on the same PostgreSQL server (used by tests that need a database each).
    public func createDatabase(named name: String) async throws {
        precondition(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "database names are plain identifiers")
        try await sql.raw("CREATE DATABASE \(ident: name)").run()
    }
}

/// Both drivers the store uses speak SQL; a database that does not is a setup error, answered as a 500.
struct NotAnSQLDatabase: Error, CustomStringConvertible {
    var description: String { "The configured database does not support SQL queries." }
}

extension Database {
    /// The SQL face of a Fluent database (SQLite and PostgreSQL both have one).
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw NotAnSQLDatabase() }
        return sql
    }
}

extension TimeZone {
    /// Japan time, the projects' working time zone. Built without a force unwrap: a machine without the zone
    /// database still gets UTC+9, which is what Asia/Tokyo has been since 1951.
    public static let japan: TimeZone = TimeZone(identifier: "Asia/Tokyo") ?? TimeZone(secondsFromGMT: 9 * 3_600) ?? .current
}

/// The migrations a store has seen applied, shared by every store of one database (`StoreSettings`).
public final class MigrationMarks: @unchecked Sendable {
    private let lock = NSLock()
    private var names: Set<String> = []
    public init() {}
    func contains(_ name: String) -> Bool { lock.withLock { names.contains(name) } }
    func insert(_ name: String) { lock.withLock { _ = names.insert(name) } }
}
