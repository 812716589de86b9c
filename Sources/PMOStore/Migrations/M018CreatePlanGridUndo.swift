import FluentKit
import SQLKit

/// Each user's last change made in the plan grid, as the edits that undo it, with the plan's version right after it
/// (the undo is allowed only while the plan is still at that version).
struct M018CreatePlanGridUndo: AsyncMigration {
    var name: String { "M018CreatePlanGridUndo" }

    func prepare(on db: any Database) async throws {
        try await db.schema("plan_grid_undo")
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("plan_version", .int, .required)
            .field("edits", .string, .required)
            .field("at", .datetime, .required)
            .compositeIdentifier(over: "project_id", "user_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("plan_grid_undo").delete()
    }
}
