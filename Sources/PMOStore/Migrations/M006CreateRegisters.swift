import FluentKit
import SQLKit

/// The registers besides issues (risks, decisions, questions, changes, actions), their comments, typed links
/// between any two items, and each project's decision-rights table.
struct M006CreateRegisters: AsyncMigration {
    var name: String { "M006CreateRegisters" }

    func prepare(on db: any Database) async throws {
        try await db.schema("register_items")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("register", .string, .required)
            .field("number", .int, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("status", .string, .required)
            .field("is_open", .bool, .required)
            .field("owner_id", .uuid, .references("users", "id"))
            .field("decider_id", .uuid, .references("users", "id"))
            .field("due_date", .string)
            .field("score", .int)
            .field("visibility", .string, .required)
            .field("visibility_company_id", .uuid, .references("companies", "id"))
            .field("company_id", .uuid, .references("companies", "id"))
            .field("details", .string, .required)
            // Lower-cased title, description and the words of the register's own fields: what text search looks in.
            .field("search_text", .string, .required)
            .field("created_by_id", .uuid, .required, .references("users", "id"))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "project_id", "register", "number")
            .create()
        try await db.schema("item_comments")
            .id()
            .field("item_id", .uuid, .required, .references("register_items", "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references("users", "id"))
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        // Ends are issues or register items, so they carry no foreign key; deleting an item deletes its links.
        try await db.schema("item_links")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("from_type", .string, .required)
            .field("from_id", .uuid, .required)
            .field("to_type", .string, .required)
            .field("to_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("created_by_id", .uuid, .required, .references("users", "id"))
            .field("created_at", .datetime, .required)
            .unique(on: "from_id", "to_id", "kind")
            .create()
        try await db.schema("decision_rights")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("category", .string, .required)
            .field("authority", .string, .required)
            .field("roles", .string, .required)
            .field("user_ids", .string, .required)
            .unique(on: "project_id", "category")
            .create()
        try await createIndex(db, "idx_register_items_list", on: "register_items", "project_id", "register", "status", "number")
        // Sorting by due date orders by COALESCE(due_date, '9999-12-31') (undated last), so the index is on that.
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX idx_register_items_due ON register_items (project_id, register, (COALESCE(due_date, '9999-12-31')), number)").run()
            // Risks list by score: walking this index in order avoids sorting the whole register.
            try await sql.raw("CREATE INDEX idx_register_items_score ON register_items (project_id, register, (COALESCE(score, 0)), number)").run()
        }
        try await createIndex(db, "idx_register_items_owner", on: "register_items", "owner_id", "is_open")
        try await createIndex(db, "idx_register_items_decider", on: "register_items", "decider_id", "is_open")
        try await createIndex(db, "idx_item_comments_item", on: "item_comments", "item_id")
        try await createIndex(db, "idx_item_links_to", on: "item_links", "to_id")
    }

    func revert(on db: any Database) async throws {
        for table in ["decision_rights", "item_links", "item_comments", "register_items"] { try await db.schema(table).delete() }
    }
}
