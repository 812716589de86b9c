import FluentKit
import Foundation
import SQLKit

/// The companies party to each system and interface (`ItemParties`), which alone of a project's vendors see them: a
/// table of its own beside `register_items` (so the readers of `register_items` work on every schema), filled here for
/// the systems and interfaces already stored. Deleting an item deletes its row.
struct M027ItemParties: AsyncMigration {
    var name: String { "M027ItemParties" }

    func prepare(on db: any Database) async throws {
        try await db.schema("item_parties")
            .field("item_id", .uuid, .identifier(auto: false), .references("register_items", "id", onDelete: .cascade))
            .field("parties", .string, .required)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        for row in try await sql.raw("SELECT DISTINCT project_id FROM register_items WHERE register IN ('F', 'S')").all() {
            try await ItemService.refreshParties(projectID: try row.decode(column: "project_id", as: UUID.self), on: db)
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("item_parties").delete()
    }
}
