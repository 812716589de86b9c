import FluentKit
import SQLKit

/// The inbox (`store.inbox`): one entry per person and event (a unique key per person, so collecting twice adds
/// nothing), read or not; and where the collector has got to in the audit trail and the signals' history.
struct M021CreateInbox: AsyncMigration {
    var name: String { "M021CreateInbox" }

    func prepare(on db: any Database) async throws {
        try await db.schema("inbox_entries")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("item_id", .uuid)
            .field("reference", .string)
            .field("title", .string, .required)
            .field("actor_id", .uuid, .references("users", "id"))
            .field("entry_values", .string, .required)
            .field("dedupe_key", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .unique(on: "user_id", "dedupe_key")
            .create()
        try await db.schema("inbox_cursors")
            .field("name", .string, .identifier(auto: false))
            .field("position", .datetime, .required)
            .create()
        try await db.sql().raw("CREATE INDEX inbox_entries_user ON inbox_entries (user_id, created_at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("inbox_entries").delete()
        try await db.schema("inbox_cursors").delete()
    }
}
