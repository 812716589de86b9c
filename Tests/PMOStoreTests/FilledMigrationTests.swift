import FluentKit
import Foundation
import PMOCore
import PMODemo
import PMOPasswords
import PMOStore
import PMOTestSupport
import SQLKit
import Testing

/// Migrations run on databases that hold data: the demo is loaded at the schema before the migration, rows only the
/// old code wrote are added as it wrote them, and the migration must carry every one across.
@Suite("Migrations on a filled database")
struct FilledMigrationTests {
    /// `issue_links` as the store wrote it before M010, through a Fluent model (gone from the product).
    final class OldIssueLink: Model, @unchecked Sendable {
        static let schema = "issue_links"
        @ID(key: .id) var id: UUID?
        @Field(key: "from_issue_id") var fromIssueID: UUID
        @Field(key: "to_issue_id") var toIssueID: UUID
        @Field(key: "kind") var kind: String
        @Field(key: "created_at") var createdAt: Date
        init() {}
    }

    @Test(arguments: TestDatabase.available)
    func issueLinksMoveIntoTheOneListOfLinksWithTheirIdsAuthorsAndHistory(_ db: TestDatabase) async throws {
        let host = try await StoreHost(try await db.makeLocation(), passwords: BcryptHasher(), migrate: false)
        do {
            try await check(host)
        } catch {
            await host.shutdown()
            throw error
        }
        await host.shutdown()
    }

    private func check(_ host: StoreHost) async throws {
        try await Store.migrate(host.databases, logger: StoreHost.quietLogger, through: "M009Hardening")
        let store = try host.store
        _ = try await DemoData.load(into: store, bcryptCost: 4)
        let sql = try #require(store.db as? any SQLDatabase)
        let users = try await store.users()
        let pm = try #require(users.first { $0.email == "pm@demo.pmo" })
        let pmo = try Caller(try #require(users.first { $0.email == "pmo@demo.pmo" }))

        // Three links the old store wrote: two with the audit event it wrote beside them (the actor is the author),
        // one without (the issue's author is taken).
        func issue(_ number: Int) async throws -> (id: UUID, author: UUID) {
            let row = try #require(try await sql.raw("""
                SELECT i.id, i.created_by_id FROM issues i JOIN projects p ON p.id = i.project_id
                WHERE p.key = 'CRM' AND i.number = \(bind: number)
                """).first())
            return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "created_by_id", as: UUID.self))
        }
        let at = Date(timeIntervalSince1970: 1_790_000_000.123)
        var written: [(id: UUID, from: Int, to: Int, kind: String, author: UUID)] = []
        for (from, to, kind, withAudit) in [(2, 3, "blocks", true), (3, 5, "duplicates", false), (5, 2, "relates_to", true)] {
            let link = OldIssueLink()
            link.id = UUID()
            link.fromIssueID = try await issue(from).id
            link.toIssueID = try await issue(to).id
            link.kind = kind
            link.createdAt = at.addingTimeInterval(Double(from))
            try await link.create(on: store.db)
            if withAudit {
                // As AuditLog.record wrote it beside the link, at the same instant (plain SQL, as it still does).
                let changes = #"[{"field":"link.\#(kind)","to":"CRM-I\#(to)"}]"#
                try await sql.raw("""
                    INSERT INTO audit_events (id, at, actor_id, project_id, entity_type, entity_id, action, entity_version, changes)
                    VALUES (\(bind: UUID()), \(bind: link.createdAt), \(bind: try pm.requireID()), \(bind: UUID?.none), 'issue',
                            \(bind: link.fromIssueID), 'link', 1, \(bind: changes))
                    """).run()
            }
            written.append((link.id!, from, to, kind, withAudit ? try pm.requireID() : try await issue(from).author))
        }
        let demoLinks = try await count(sql, "item_links")

        try await Store.migrate(host.databases, logger: StoreHost.quietLogger)

        #expect(try await count(sql, "item_links") == demoLinks + 3)
        await #expect(throws: (any Error).self) { try await sql.raw("SELECT COUNT(*) AS n FROM issue_links").run() }
        for link in written {
            let row = try #require(try await sql.raw("SELECT * FROM item_links WHERE id = \(bind: link.id)").first(),
                                   "link \(link.id) was not moved")
            #expect(try row.decode(column: "from_type", as: String.self) == "issue")
            #expect(try row.decode(column: "to_type", as: String.self) == "issue")
            #expect(try row.decode(column: "from_id", as: UUID.self) == (try await issue(link.from).id))
            #expect(try row.decode(column: "to_id", as: UUID.self) == (try await issue(link.to).id))
            #expect(try row.decode(column: "kind", as: String.self) == link.kind)
            #expect(try row.decode(column: "created_by_id", as: UUID.self) == link.author)
        }
        // Read through the store: I3 has the link that blocks it and the one it duplicates, in one list beside the
        // demo's own links of I3, if any.
        let ofThree = try await store.itemLinks(pmo, key: "CRM", type: .issue, number: 3)
        #expect(ofThree.contains { $0.kind == .blocks && !$0.outgoing && $0.otherReference == "CRM-I2" })
        #expect(ofThree.contains { $0.kind == .duplicates && $0.outgoing && $0.otherReference == "CRM-I5" })
        // The history written before still reads, and a moved link can be removed by its old id.
        #expect(try await store.issueHistory(pmo, key: "CRM", number: 2).contains { $0.action == "link" })
        try await store.removeItemLink(pmo, key: "CRM", type: .issue, number: 5, linkID: written[2].id)
        #expect(try await !store.itemLinks(pmo, key: "CRM", type: .issue, number: 2).contains { $0.id == written[2].id })
        // The demo loaded before the migration is whole: its issues, their comments and its own links.
        #expect(try await count(sql, "issues") > 10)
        #expect(try await count(sql, "issue_comments") > 0)
        try await Store.migrate(host.databases, logger: StoreHost.quietLogger)   // again: nothing to do
    }

    private func count(_ sql: any SQLDatabase, _ table: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }
}
