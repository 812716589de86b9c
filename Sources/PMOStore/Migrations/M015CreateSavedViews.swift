import FluentKit
import SQLKit

/// A user's saved views of a register's list: a name and the list's query (filters, order, hidden columns), kept for
/// its owner or shared with the project.
struct M015CreateSavedViews: AsyncMigration {
    var name: String { "M015CreateSavedViews" }

    func prepare(on db: any Database) async throws {
        try await db.schema("saved_views")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("register", .string, .required)
            .field("name", .string, .required)
            .field("query", .string, .required)
            .field("shared", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "project_id", "user_id", "register", "name")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("saved_views").delete()
    }
}
