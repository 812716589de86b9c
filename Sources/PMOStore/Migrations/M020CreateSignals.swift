import FluentKit
import SQLKit

/// Signals (予兆, `store.signals`): one record per project, rule and subject, kept across computations (raised,
/// updated, raised again when worse than acknowledged, cleared), with their events (the history of each), the
/// project's thresholds, and what the last computation saw (so that a sweep knows which projects changed since).
struct M020CreateSignals: AsyncMigration {
    var name: String { "M020CreateSignals" }

    func prepare(on db: any Database) async throws {
        try await db.schema("signals")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("subject", .string, .required)
            .field("severity", .string, .required)
            .field("magnitude", .double, .required)
            .field("signal_values", .string, .required)
            .field("links", .string, .required)
            .field("is_open", .bool, .required)
            .field("first_raised_at", .datetime, .required)
            .field("raised_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("cleared_at", .datetime)
            .field("raise_count", .int, .required)
            .field("ack_by_id", .uuid, .references("users", "id"))
            .field("ack_at", .datetime)
            .field("ack_note", .string)
            .field("ack_severity", .string)
            .field("ack_magnitude", .double)
            .field("snoozed_until", .string)
            .field("item_id", .uuid)
            .field("version", .int, .required)
            .unique(on: "project_id", "code", "subject")
            .create()
        try await db.schema("signal_events")
            .id()
            .field("signal_id", .uuid, .required, .references("signals", "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("action", .string, .required)
            .field("actor_id", .uuid, .references("users", "id"))
            .field("severity", .string, .required)
            .field("signal_values", .string, .required)
            .field("note", .string)
            .create()
        try await db.schema("signal_settings")
            .field("project_id", .uuid, .identifier(auto: false), .references("projects", "id", onDelete: .cascade))
            .field("thresholds", .string, .required)
            .field("version", .int, .required)
            .field("updated_at", .datetime, .required)
            .field("computed_at", .datetime)
            .field("computed_from", .string)
            .create()
        let sql = try db.sql()
        try await sql.raw("CREATE INDEX signals_open ON signals (project_id, is_open)").run()
        try await sql.raw("CREATE INDEX signal_events_signal ON signal_events (signal_id, at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("signal_events").delete()
        try await db.schema("signals").delete()
        try await db.schema("signal_settings").delete()
    }
}
