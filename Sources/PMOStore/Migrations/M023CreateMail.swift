import FluentKit
import SQLKit

/// E-mail (`store.mail`): each person's choice per topic, digest time and how many days ahead due dates are reminded
/// (the inbox's setting, kept with the rest of what a person hears), and the outbox: one mail per person and
/// key (an inbox entry, a day's digest, a week's PMO digest; unique, so collecting twice sends nothing twice), with
/// what it holds and how its sending went.
struct M023CreateMail: AsyncMigration {
    var name: String { "M023CreateMail" }

    func prepare(on db: any Database) async throws {
        try await db.schema("mail_settings")
            .field("user_id", .uuid, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("modes", .string, .required)
            .field("digest_minutes", .int, .required)
            .field("reminder_days", .int, .required)
            .field("updated_at", .datetime, .required)
            .field("version", .int, .required)
            .create()
        try await db.schema("mail_outbox")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("mail_key", .string, .required)
            .field("entry_ids", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .field("message_id", .string)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .unique(on: "user_id", "mail_key")
            .create()
        try await db.sql().raw("CREATE INDEX mail_outbox_user ON mail_outbox (user_id, kind, created_at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("mail_outbox").delete()
        try await db.schema("mail_settings").delete()
    }
}
