import FluentKit
import SQLKit

/// Webhooks (`store.webhooks`): a project's targets with the events they want and their secret; one delivery per
/// webhook and event (a unique key, so collecting twice sends nothing twice), and every attempt with its answer.
struct M022CreateWebhooks: AsyncMigration {
    var name: String { "M022CreateWebhooks" }

    func prepare(on db: any Database) async throws {
        try await db.schema("webhooks")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("url", .string, .required)
            .field("events", .string, .required)
            .field("format", .string, .required)
            .field("language", .string, .required)
            .field("secret", .string, .required)
            .field("include_restricted", .bool, .required)
            .field("active", .bool, .required)
            .field("created_by_id", .uuid, .references("users", "id"))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("version", .int, .required)
            .create()
        try await db.schema("webhook_deliveries")
            .id()
            .field("webhook_id", .uuid, .required, .references("webhooks", "id", onDelete: .cascade))
            .field("event", .string, .required)
            .field("event_key", .string, .required)
            .field("subject", .string)
            .field("body", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("last_status", .int)
            .field("last_error", .string)
            .field("last_error_code", .string)
            .field("replay_of", .uuid)
            .field("created_at", .datetime, .required)
            .field("finished_at", .datetime)
            .unique(on: "webhook_id", "event_key")
            .create()
        try await db.schema("webhook_attempts")
            .id()
            .field("delivery_id", .uuid, .required, .references("webhook_deliveries", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("at", .datetime, .required)
            .field("status", .int)
            .field("error", .string)
            .field("error_code", .string)
            .field("response", .string)
            .field("duration_ms", .int, .required)
            .create()
        try await db.sql().raw("CREATE INDEX webhooks_project ON webhooks (project_id)").run()
        try await db.sql().raw("CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at)").run()
        try await db.sql().raw("CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, number)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("webhook_attempts").delete()
        try await db.schema("webhook_deliveries").delete()
        try await db.schema("webhooks").delete()
    }
}
