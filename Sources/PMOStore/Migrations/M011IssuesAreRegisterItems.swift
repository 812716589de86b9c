import FluentKit
import Foundation
import SQLKit

/// Issues were a table of their own (`issues`, `issue_comments`) beside the other registers' `register_items` and
/// `item_comments`. They move in as the register `I`, with their ids, numbers, versions and times, so the audit trail,
/// links, meeting outputs and the number counter (already `I`) keep pointing at them:
/// - the columns both shapes have are copied; `priority` (its rank, 0 low to 3 critical) becomes `score`, which the
///   registers sort by; `is_open` is "not resolved or closed";
/// - `cause`, `next_action` and `escalation_level` become the item's details (`cause`, `nextAction`,
///   `escalationLevel`), and the search text is built from title, description, cause and next action as the
///   registers build theirs;
/// - comments move to `item_comments` with their ids.
/// M010 wrote the type of moved issue-to-issue links as `issue`; the product writes the item letter `I`, so those
/// rows are corrected here.
/// The columns are copied in SQL; the details (JSON) and search text are written in Swift, in pages, because the
/// search text is lower-cased the way the store lower-cases (SQLite's LOWER only knows ASCII). All in one transaction.
struct M011IssuesAreRegisterItems: AsyncMigration {
    var name: String { "M011IssuesAreRegisterItems" }

    func prepare(on db: any Database) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            // Columns are copied in SQL so that instants keep their exact stored value (a trip through `Date` can
            // move SQLite's by a fraction of a millisecond); details and search text follow, row by row.
            try await sql.raw("""
                INSERT INTO register_items (id, project_id, register, number, title, description, status, is_open, owner_id,
                  decider_id, due_date, score, visibility, visibility_company_id, company_id, details, search_text, created_by_id,
                  created_at, updated_at, version)
                SELECT id, project_id, 'I', number, title, description, status,
                  CASE WHEN status IN ('resolved', 'closed') THEN \(bind: false) ELSE \(bind: true) END, owner_id,
                  NULL, due_date, priority, visibility, visibility_company_id, company_id, '{}', '', created_by_id,
                  created_at, updated_at, version
                FROM issues
                """).run()
            var after: UUID?
            while true {
                var page: SQLQueryString = "SELECT id, title, description, cause, next_action, escalation_level FROM issues"
                if let after { page += " WHERE id > \(bind: after)" }
                page += " ORDER BY id LIMIT 500"
                let rows = try await sql.raw(page).all()
                for row in rows { try await writeDetails(row, on: sql) }
                guard rows.count == 500, let last = rows.last else { break }
                after = try last.decode(column: "id", as: UUID.self)
            }
            try await sql.raw("""
                INSERT INTO item_comments (id, item_id, author_id, body, created_at)
                SELECT id, issue_id, author_id, body, created_at FROM issue_comments
                """).run()
            try await sql.raw("UPDATE item_links SET from_type = 'I' WHERE from_type = 'issue'").run()
            try await sql.raw("UPDATE item_links SET to_type = 'I' WHERE to_type = 'issue'").run()
            try await tx.schema("issue_comments").delete()
            try await tx.schema("issues").delete()
            // Lists sorted by last change, which only issues offered so far.
            try await createIndex(tx, "idx_register_items_updated", on: "register_items", "project_id", "register", "updated_at", "number")
        }
    }

    private func writeDetails(_ row: any SQLRow, on sql: any SQLDatabase) async throws {
        let title = try row.decode(column: "title", as: String.self)
        let description = try row.decode(column: "description", as: String.self)
        let cause = try row.decode(column: "cause", as: String.self)
        let nextAction = try row.decode(column: "next_action", as: String.self)
        let details: [String: Any] = ["cause": cause, "nextAction": nextAction,
                                      "escalationLevel": try row.decode(column: "escalation_level", as: Int.self)]
        let detailsText = String(decoding: try JSONSerialization.data(withJSONObject: details, options: [.sortedKeys]), as: UTF8.self)
        let searchText = [title, description, cause, nextAction].filter { !$0.isEmpty }.joined(separator: "\n").lowercased()
        try await sql.raw("""
            UPDATE register_items SET details = \(bind: detailsText), search_text = \(bind: searchText)
            WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))
            """).run()
    }

    /// Back to the old shape: the two tables as M003 and M005 made them (M010's revert makes `issue_links`), holding
    /// the register's issues and their comments again.
    func revert(on db: any Database) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await sql.raw("DROP INDEX idx_register_items_updated").run()
            try await tx.schema("issues")
                .id()
                .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
                .field("number", .int, .required)
                .field("title", .string, .required)
                .field("description", .string, .required)
                .field("cause", .string, .required)
                .field("next_action", .string, .required)
                .field("owner_id", .uuid, .references("users", "id"))
                .field("due_date", .string)
                .field("priority", .int, .required)
                .field("status", .string, .required)
                .field("escalation_level", .int, .required)
                .field("visibility", .string, .required)
                .field("visibility_company_id", .uuid, .references("companies", "id"))
                .field("company_id", .uuid, .references("companies", "id"))
                .field("created_by_id", .uuid, .required, .references("users", "id"))
                .field("created_at", .datetime, .required)
                .field("updated_at", .datetime, .required)
                .field("version", .int, .required)
                .unique(on: "project_id", "number")
                .create()
            try await tx.schema("issue_comments")
                .id()
                .field("issue_id", .uuid, .required, .references("issues", "id", onDelete: .cascade))
                .field("author_id", .uuid, .required, .references("users", "id"))
                .field("body", .string, .required)
                .field("created_at", .datetime, .required)
                .create()
            try await createIndex(tx, "idx_issues_project_status", on: "issues", "project_id", "status", "number")
            try await createIndex(tx, "idx_issues_project_due", on: "issues", "project_id", "due_date", "number")
            try await createIndex(tx, "idx_issues_project_priority", on: "issues", "project_id", "priority", "number")
            try await createIndex(tx, "idx_issues_project_updated", on: "issues", "project_id", "updated_at", "number")
            try await createIndex(tx, "idx_issues_project_owner", on: "issues", "project_id", "owner_id", "number")
            try await createIndex(tx, "idx_issue_comments_issue", on: "issue_comments", "issue_id")
            try await sql.raw("CREATE INDEX idx_issues_project_due_sort ON issues (project_id, (COALESCE(due_date, '9999-12-31')), number)").run()
            try await sql.raw("""
                INSERT INTO issues (id, project_id, number, title, description, cause, next_action, owner_id, due_date, priority,
                  status, escalation_level, visibility, visibility_company_id, company_id, created_by_id, created_at, updated_at, version)
                SELECT id, project_id, number, title, description, '', '', owner_id, due_date, COALESCE(score, 1), status, 0,
                  visibility, visibility_company_id, company_id, created_by_id, created_at, updated_at, version
                FROM register_items WHERE register = 'I'
                """).run()
            for row in try await sql.raw("SELECT id, details FROM register_items WHERE register = 'I'").all() {
                let details = try row.decode(column: "details", as: String.self).data(using: .utf8)
                    .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
                try await sql.raw("""
                    UPDATE issues SET cause = \(bind: details["cause"] as? String ?? ""), next_action = \(bind: details["nextAction"] as? String ?? ""),
                      escalation_level = \(bind: (details["escalationLevel"] as? NSNumber)?.intValue ?? 0)
                    WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))
                    """).run()
            }
            try await sql.raw("""
                INSERT INTO issue_comments (id, issue_id, author_id, body, created_at)
                SELECT c.id, c.item_id, c.author_id, c.body, c.created_at FROM item_comments c
                JOIN register_items r ON r.id = c.item_id WHERE r.register = 'I'
                """).run()
            try await sql.raw("DELETE FROM item_comments WHERE item_id IN (SELECT id FROM register_items WHERE register = 'I')").run()
            try await sql.raw("DELETE FROM register_items WHERE register = 'I'").run()
        }
    }
}
