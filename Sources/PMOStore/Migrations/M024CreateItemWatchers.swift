import FluentKit
import SQLKit

/// Watching (`ItemService.setWatching`): who asked to hear of an item's changes and comments, besides its owner and
/// decider, who always do. Gone with the item or the person.
struct M024CreateItemWatchers: AsyncMigration {
    var name: String { "M024CreateItemWatchers" }

    func prepare(on db: any Database) async throws {
        try await db.schema("item_watchers")
            .field("item_id", .uuid, .required, .references("register_items", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "item_id", "user_id")
            .create()
        try await db.sql().raw("CREATE INDEX item_watchers_user ON item_watchers (user_id)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("item_watchers").delete()
    }
}
