import FluentKit
import SQLKit

/// Issues had a link table of their own (`issue_links`, issue to issue) beside `item_links` (any item to any item).
/// Their links move to `item_links` with their ids, kinds and times, so an issue has one list of links like every
/// register item; the old table goes. `issue_links` kept no author: the actor of the audit event written with the
/// link (same issue, same instant) is taken, else the issue's author.
struct M010IssueLinksAreItemLinks: AsyncMigration {
    var name: String { "M010IssueLinksAreItemLinks" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("""
            INSERT INTO item_links (id, project_id, from_type, from_id, to_type, to_id, kind, created_by_id, created_at)
            SELECT l.id, f.project_id, 'issue', l.from_issue_id, 'issue', l.to_issue_id, l.kind,
                   COALESCE((SELECT a.actor_id FROM audit_events a
                             WHERE a.entity_id = l.from_issue_id AND a.action = 'link' AND a.at = l.created_at
                               AND a.actor_id IS NOT NULL AND a.actor_id IN (SELECT u.id FROM users u)
                             LIMIT 1), f.created_by_id),
                   l.created_at
            FROM issue_links l JOIN issues f ON f.id = l.from_issue_id
            WHERE NOT EXISTS (SELECT 1 FROM item_links x
                              WHERE x.from_id = l.from_issue_id AND x.to_id = l.to_issue_id AND x.kind = l.kind)
            """).run()
        try await db.schema("issue_links").delete()
    }

    /// Back to the old shape: the table again, holding the issue-to-issue links of its four kinds (typed `issue` as
    /// this migration wrote them, or `I` as the product writes them and M011 corrected them).
    func revert(on db: any Database) async throws {
        try await db.schema("issue_links")
            .id()
            .field("from_issue_id", .uuid, .required, .references("issues", "id", onDelete: .cascade))
            .field("to_issue_id", .uuid, .required, .references("issues", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "from_issue_id", "to_issue_id", "kind")
            .create()
        try await createIndex(db, "idx_issue_links_to", on: "issue_links", "to_issue_id")
        guard let sql = db as? any SQLDatabase else { return }
        let issueToIssue: SQLQueryString = """
            from_type IN ('issue', 'I') AND to_type IN ('issue', 'I') AND kind IN ('relates_to', 'blocks', 'causes', 'duplicates')
            """
        try await sql.raw("""
            INSERT INTO issue_links (id, from_issue_id, to_issue_id, kind, created_at)
            SELECT id, from_id, to_id, kind, created_at FROM item_links WHERE \(issueToIssue)
            """).run()
        try await sql.raw("DELETE FROM item_links WHERE \(issueToIssue)").run()
    }
}
