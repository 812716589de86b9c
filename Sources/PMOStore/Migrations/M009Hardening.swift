import FluentKit
import SQLKit

/// What several instances on one database must share, and forced password changes:
/// - `login_throttle`: failed sign-ins counted per account and per client address, so that a restart or a second
///   instance does not reset them. Instants are whole milliseconds since 1970 (plain integers compare the same way in
///   SQLite and PostgreSQL).
/// - `users.must_change_password`: set with a temporary password, cleared when the user chooses their own.
struct M009Hardening: AsyncMigration {
    var name: String { "M009Hardening" }

    func prepare(on db: any Database) async throws {
        try await db.schema("login_throttle")
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("window_start_ms", .int64, .required)
            .field("locked_until_ms", .int64)
            .create()
        try await db.schema("users")
            .field("must_change_password", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("users").deleteField("must_change_password").update()
        try await db.schema("login_throttle").delete()
    }
}
