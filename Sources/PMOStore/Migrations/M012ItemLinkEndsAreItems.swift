import FluentKit
import SQLKit

/// Since M011 both ends of every link are rows of `register_items` (issues included), so `item_links.from_id` and
/// `to_id` get foreign keys that delete a link with either of its items; M006 could not give them one while issues
/// lived in a table of their own. A link whose end no longer exists (none is expected: the store deleted an item's
/// links with it) is dropped first, since it could never be shown.
/// PostgreSQL adds the two constraints; SQLite cannot add a constraint to a table, so the table is rebuilt with them
/// (the documented way: create, copy, drop, rename) and its index made again.
struct M012ItemLinkEndsAreItems: AsyncMigration {
    var name: String { "M012ItemLinkEndsAreItems" }

    static let ends = ["from_id", "to_id"]

    func prepare(on db: any Database) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await sql.raw("""
                DELETE FROM item_links
                WHERE from_id NOT IN (SELECT id FROM register_items) OR to_id NOT IN (SELECT id FROM register_items)
                """).run()
            if sql.dialect.name == "sqlite" {
                try await rebuild(tx, sql, withForeignKeys: true)
            } else {
                for end in Self.ends {
                    try await sql.raw("""
                        ALTER TABLE item_links ADD CONSTRAINT \(ident: Self.constraint(end))
                        FOREIGN KEY (\(ident: end)) REFERENCES register_items (id) ON DELETE CASCADE
                        """).run()
                }
            }
        }
    }

    func revert(on db: any Database) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            if sql.dialect.name == "sqlite" {
                try await rebuild(tx, sql, withForeignKeys: false)
            } else {
                for end in Self.ends {
                    try await sql.raw("ALTER TABLE item_links DROP CONSTRAINT \(ident: Self.constraint(end))").run()
                }
            }
        }
    }

    static func constraint(_ end: String) -> String { "fk_item_links_\(end)" }

    /// `item_links` as M006 made it, with or without the foreign keys on its ends, holding the same rows.
    private func rebuild(_ db: any Database, _ sql: any SQLDatabase, withForeignKeys: Bool) async throws {
        var table = db.schema("item_links_next")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("from_type", .string, .required)
        table = withForeignKeys
            ? table.field("from_id", .uuid, .required, .references("register_items", "id", onDelete: .cascade))
            : table.field("from_id", .uuid, .required)
        table = table.field("to_type", .string, .required)
        table = withForeignKeys
            ? table.field("to_id", .uuid, .required, .references("register_items", "id", onDelete: .cascade))
            : table.field("to_id", .uuid, .required)
        try await table
            .field("kind", .string, .required)
            .field("created_by_id", .uuid, .required, .references("users", "id"))
            .field("created_at", .datetime, .required)
            // The name M006's table had, so the rebuilt table reads the same.
            .unique(on: "from_id", "to_id", "kind", name: "uq:item_links.from_id+item_links.to_id+item_links.kind")
            .create()
        try await sql.raw("""
            INSERT INTO item_links_next (id, project_id, from_type, from_id, to_type, to_id, kind, created_by_id, created_at)
            SELECT id, project_id, from_type, from_id, to_type, to_id, kind, created_by_id, created_at FROM item_links
            """).run()
        try await sql.raw("DROP TABLE item_links").run()
        try await sql.raw("ALTER TABLE item_links_next RENAME TO item_links").run()
        try await createIndex(db, "idx_item_links_to", on: "item_links", "to_id")
    }
}
