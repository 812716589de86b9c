import FluentKit
import SQLKit

/// Each agenda item may be given its own minutes (else its rule's, as before) and a presenter (a member; generated
/// items name the item's owner).
struct M017AgendaItemMinutesAndPresenter: AsyncMigration {
    var name: String { "M017AgendaItemMinutesAndPresenter" }

    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one column at a time.
        try await db.schema("meeting_agenda_items").field("minutes", .int).update()
        try await db.schema("meeting_agenda_items").field("presenter_id", .uuid, .references("users", "id")).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("meeting_agenda_items").deleteField("presenter_id").update()
        try await db.schema("meeting_agenda_items").deleteField("minutes").update()
    }
}
