import FluentKit
import Foundation
import PMOCore
import PMODemo
import PMOPasswords
import PMOStore
import PMOTestSupport
import SQLKit
import Testing

/// Migrations run on databases that hold data: the demo is loaded at the schema before M010, rows only the old code
/// wrote are put in the old shape as it wrote them (issues in `issues` and `issue_comments`, issue-to-issue links in
/// `issue_links`), and the migrations must carry every one across: what the store reads afterwards is what it read
/// before.
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
    func issuesAndTheirLinksMoveIntoTheRegisterShapeWithoutLoss(_ db: TestDatabase) async throws {
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
        let users = try await store.accounts.users()
        let pm = try #require(users.first { $0.email == "pm@demo.pmo" })
        let pmo = try Caller(try #require(users.first { $0.email == "pmo@demo.pmo" }))
        let pmCaller = try Caller(pm)
        let today = try #require(CalendarDate(iso: "2026-12-03"))
        // What the store reads of every issue before (the demo's issues were written in today's shape; reads are the
        // same in both), then the issues are put back in the old tables.
        let before = try await snapshot(store, pmo, pm: pmCaller, today: today)
        #expect(before.issues.count > 10)
        #expect(before.issues.contains { !$0.comments.isEmpty })
        try await writeIssuesInTheOldShape(sql)
        #expect(try await count(sql, "issues") == before.issues.count)

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
        var ids: [Int: UUID] = [:]
        for n in 1...5 { ids[n] = try await issue(n).id }

        try await Store.migrate(host.databases, logger: StoreHost.quietLogger)

        #expect(try await count(sql, "item_links") == demoLinks + 3)
        await #expect(throws: (any Error).self) { try await sql.raw("SELECT COUNT(*) AS n FROM issue_links").run() }
        for link in written {
            let row = try #require(try await sql.raw("SELECT * FROM item_links WHERE id = \(bind: link.id)").first(),
                                   "link \(link.id) was not moved")
            // M010 typed them `issue`; M011 corrects that to the letter the product writes.
            #expect(try row.decode(column: "from_type", as: String.self) == "I")
            #expect(try row.decode(column: "to_type", as: String.self) == "I")
            #expect(try row.decode(column: "from_id", as: UUID.self) == ids[link.from])
            #expect(try row.decode(column: "to_id", as: UUID.self) == ids[link.to])
            #expect(try row.decode(column: "kind", as: String.self) == link.kind)
            #expect(try row.decode(column: "created_by_id", as: UUID.self) == link.author)
        }
        // Read through the store: I3 has the link that blocks it and the one it duplicates, in one list beside the
        // demo's own links of I3, if any.
        let ofThree = try await store.items.links(pmo, key: "CRM", type: .issue, number: 3)
        #expect(ofThree.contains { $0.kind == .blocks && !$0.outgoing && $0.otherReference == "CRM-I2" })
        #expect(ofThree.contains { $0.kind == .duplicates && $0.outgoing && $0.otherReference == "CRM-I5" })
        // The history written before still reads, and a moved link can be removed by its old id.
        #expect(try await store.items.history(pmo, key: "CRM", type: .issue, number: 2).contains { $0.action == "link" })
        try await store.items.removeLink(pmo, key: "CRM", type: .issue, number: 5, linkID: written[2].id)
        #expect(try await !store.items.links(pmo, key: "CRM", type: .issue, number: 2).contains { $0.id == written[2].id })
        // Every issue reads as before: fields, times, versions, comments, history; the counts agree; the old tables
        // are gone.
        let after = try await snapshot(store, pmo, pm: pmCaller, today: today)
        #expect(after.issues.count == before.issues.count)
        for (old, new) in zip(before.issues, after.issues) {
            #expect(old.fields == new.fields)
            #expect(old.comments == new.comments, "comments of \(old.fields.first ?? "")")
            // The trail holds what it held, besides the link events the test wrote for its old-shape links.
            #expect(old.history.allSatisfy(new.history.contains), "history of \(old.fields.first ?? "")")
        }
        #expect(after.counts == before.counts)
        #expect(after.myWork == before.myWork)
        #expect(after.summary == before.summary)
        for table in ["issues", "issue_comments"] {
            await #expect(throws: (any Error).self) { try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").run() }
        }
        // Text search now looks in the cause too, lower-cased as the store lower-cases.
        let withCause = try #require(try await store.items.issues(pmo, key: "CRM", query: IssueQuery()).items.first { !$0.fields.cause.isEmpty })
        var search = IssueQuery()
        search.text = String(withCause.fields.cause.prefix(6)).uppercased()
        #expect(try await store.items.issues(pmo, key: "CRM", query: search).items.contains { $0.record.number == withCause.record.number })
        try await Store.migrate(host.databases, logger: StoreHost.quietLogger)   // again: nothing to do

        // Both migrations revert to the old tables (M011, then M010) and move forward again to the same reads.
        let migrator = Migrator(databases: host.databases, migrations: Store.migrations(), logger: StoreHost.quietLogger,
                                on: host.databases.eventLoopGroup.any())
        try await migrator.revertLastBatch().get()
        #expect(try await count(sql, "issues") == before.issues.count)
        #expect(try await count(sql, "issue_comments") == before.issues.map(\.comments.count).reduce(0, +))
        #expect(try await count(sql, "issue_links") >= 2)
        #expect(try await sql.raw("SELECT COUNT(*) AS n FROM register_items WHERE register = 'I'").first()!.decode(column: "n", as: Int.self) == 0)
        try await Store.migrate(host.databases, logger: StoreHost.quietLogger)
        let again = try await snapshot(store, pmo, pm: pmCaller, today: today)
        #expect(again.issues.map(\.fields) == after.issues.map(\.fields))
        #expect(again.issues.map(\.comments) == after.issues.map(\.comments))
        #expect(again.counts == after.counts)
    }

    /// M028: a change's free-text affected systems and requirements become references where they match; the text
    /// stays as written; the report lists what matched nothing, the plan's activities' systems too. M029: an activity's
    /// free-text system that names a registered system (here its code in full width) becomes the reference.
    @Test(arguments: TestDatabase.available)
    func changesNameTheSystemsTheirTextMatches(_ db: TestDatabase) async throws {
        let host = try await StoreHost(try await db.makeLocation(), passwords: BcryptHasher(), migrate: false)
        do {
            try await Store.migrate(host.databases, logger: StoreHost.quietLogger, through: "M027ItemParties")
            let store = try host.store
            _ = try await DemoData.load(into: store, bcryptCost: 4)
            let pmo = try Caller(try #require(try await store.accounts.users().first { $0.email == "pmo@demo.pmo" }))
            let changes = try await store.items.allRegisterItems(pmo, key: "CRM", kind: .change)
            let written = try #require(changes.first { $0.fields.details["affectedSystems"]?.text == "新CRM、基幹受注システム、連携基盤（Aoba）" })
            #expect(written.fields.details["impactedSystems"] == nil)
            let crm = try #require(try await store.items.allRegisterItems(pmo, key: "CRM", kind: .system).first { $0.fields.details["code"]?.text == "CRM" })
            // The plan's activities as an older store wrote them: the system as free text (today's settles it on save).
            let sql = try #require(store.db as? any SQLDatabase)
            let crmRef = "S\(crm.record.number)"
            let planned = try await store.plans.view(pmo, key: "CRM").snapshot.activities
            let crmActivities = planned.filter { $0.system == crmRef }.map(\.uid)
            #expect(crmActivities.count > 3)
            try await sql.raw("UPDATE plan_activities SET system = 'ＣＲＭ' WHERE system = \(bind: crmRef)").run()

            try await Store.migrate(host.databases, logger: StoreHost.quietLogger)
            let migrated = try await store.plans.view(pmo, key: "CRM")
            #expect(migrated.snapshot.activities.filter { $0.system == crmRef }.map(\.uid).sorted() == crmActivities.sorted(), "M029 names the system again")
            #expect(migrated.systemLabel(try #require(migrated.snapshot.activities.first { $0.uid == crmActivities[0] })) == "新CRM")
            let after = try await store.items.registerItem(pmo, key: "CRM", kind: .change, number: written.record.number)
            #expect(after.fields.details["impactedSystems"]?.items == [ItemReference(projectKey: nil, type: .system, number: crm.record.number)])
            #expect(after.fields.details["affectedSystems"]?.text == "新CRM、基幹受注システム、連携基盤（Aoba）", "the text stays")

            let report = try await store.systems.freeTextReport(pmo, key: "CRM")
            let rows = report.rows.filter { $0.source == .change && $0.number == written.record.number && $0.field == "affectedSystems" }
            #expect(rows.map(\.text) == ["新CRM", "基幹受注システム", "連携基盤（Aoba）"])
            #expect(rows.map { $0.matched?.number } == [crm.record.number, nil, nil] && rows[0].referenced)
            let activities = report.rows.filter { $0.source == .activity }
            #expect(!activities.contains { $0.text == "ＣＲＭ" }, "an activity that names a registered system has nothing to settle")
            #expect(activities.contains { $0.text == "基盤" && $0.matched == nil })
        } catch {
            await host.shutdown()
            throw error
        }
        await host.shutdown()
    }

    /// M012: both ends of a link are items, held by foreign keys. Every link of the demo stays as it was, a link whose
    /// end no longer exists is dropped, the database then refuses such a link, and deleting an item deletes its links
    /// (the store no longer does it by hand). Reverting gives back the table without the keys, with the same links.
    @Test(arguments: TestDatabase.available)
    func linkEndsBecomeForeignKeysWithoutLosingALink(_ db: TestDatabase) async throws {
        let host = try await StoreHost(try await db.makeLocation(), passwords: BcryptHasher(), migrate: false)
        do {
            try await checkLinkEnds(host)
        } catch {
            await host.shutdown()
            throw error
        }
        await host.shutdown()
    }

    private func checkLinkEnds(_ host: StoreHost) async throws {
        try await Store.migrate(host.databases, logger: StoreHost.quietLogger, through: "M011IssuesAreRegisterItems")
        let store = try host.store
        _ = try await DemoData.load(into: store, bcryptCost: 4)
        let sql = try #require(store.db as? any SQLDatabase)
        let pmo = try Caller(try #require(try await store.accounts.users().first { $0.email == "pmo@demo.pmo" }))
        func links() async throws -> [String] {
            try await sql.raw("SELECT id, project_id, from_type, from_id, to_type, to_id, kind, created_by_id FROM item_links ORDER BY id").all().map { row in
                try ["id", "project_id", "from_id", "to_id", "created_by_id"].map { "\(try row.decode(column: $0, as: UUID.self))" }.joined(separator: " ")
                    + " " + (try ["from_type", "to_type", "kind"].map { try row.decode(column: $0, as: String.self) }.joined(separator: " "))
            }
        }
        let demo = try await links()
        #expect(demo.count > 5)
        let model = try #require(try await sql.raw("SELECT id FROM item_links ORDER BY id").first()).decode(column: "id", as: UUID.self)
        func linkToNothing() async throws {
            try await sql.raw("""
                INSERT INTO item_links (id, project_id, from_type, from_id, to_type, to_id, kind, created_by_id, created_at)
                SELECT \(bind: UUID()), project_id, from_type, from_id, 'R', \(bind: UUID()), 'relates_to', created_by_id, created_at
                FROM item_links WHERE id = \(bind: model)
                """).run()
        }
        try await linkToNothing()
        #expect(try await count(sql, "item_links") == demo.count + 1)

        try await Store.migrate(host.databases, logger: StoreHost.quietLogger)
        #expect(try await links() == demo, "the link to nothing is gone, every other one is as it was")
        await #expect(throws: (any Error).self, "the database refuses a link whose end is not an item") { try await linkToNothing() }

        // Deleting an item with links deletes them, on the issue path and the other registers' alike.
        for letter in ["I", "R"] {
            let row = try #require(try await sql.raw("""
                SELECT r.id, r.number, p.key FROM register_items r JOIN projects p ON p.id = r.project_id
                WHERE r.register = \(bind: letter) AND EXISTS (SELECT 1 FROM item_links l WHERE l.from_id = r.id OR l.to_id = r.id)
                ORDER BY r.number LIMIT 1
                """).first(), "a \(letter) item with links")
            let id = try row.decode(column: "id", as: UUID.self)
            let (number, key) = (try row.decode(column: "number", as: Int.self), try row.decode(column: "key", as: String.self))
            if letter == "I" {
                try await store.items.deleteIssue(pmo, key: key, number: number, expectedVersion: nil)
            } else {
                try await store.items.deleteRegisterItem(pmo, key: key, kind: .risk, number: number, expectedVersion: nil)
            }
            let left = try await sql.raw("SELECT COUNT(*) AS n FROM item_links WHERE from_id = \(bind: id) OR to_id = \(bind: id)").first()!
            #expect(try left.decode(column: "n", as: Int.self) == 0, "\(key)-\(letter)\(number)")
        }
        let kept = try await links()
        #expect(kept.count < demo.count && Set(kept).isSubset(of: Set(demo)))

        // Back to the table without the keys: the same links, and a link to nothing is accepted again.
        let migrator = Migrator(databases: host.databases, migrations: Store.migrations(), logger: StoreHost.quietLogger,
                                on: host.databases.eventLoopGroup.any())
        try await migrator.revertLastBatch().get()
        #expect(try await links() == kept)
        try await linkToNothing()
        try await Store.migrate(host.databases, logger: StoreHost.quietLogger)
        #expect(try await links() == kept)
    }

    /// Moves the register's issues and their comments into the tables the store used before M011, as it wrote them.
    private func writeIssuesInTheOldShape(_ sql: any SQLDatabase) async throws {
        // Columns in SQL (instants keep their stored value exactly), the issue's own fields from the details.
        try await sql.raw("""
            INSERT INTO issues (id, project_id, number, title, description, cause, next_action, owner_id, due_date, priority,
              status, escalation_level, visibility, visibility_company_id, company_id, created_by_id, created_at, updated_at, version)
            SELECT id, project_id, number, title, description, '', '', owner_id, due_date, score, status, 0,
              visibility, visibility_company_id, company_id, created_by_id, created_at, updated_at, version
            FROM register_items WHERE register = 'I'
            """).run()
        for row in try await sql.raw("SELECT id, details FROM register_items WHERE register = 'I'").all() {
            let details = try JSONSerialization.jsonObject(with: Data(try row.decode(column: "details", as: String.self).utf8)) as? [String: Any] ?? [:]
            try await sql.raw("""
                UPDATE issues SET cause = \(bind: details["cause"] as? String ?? ""), next_action = \(bind: details["nextAction"] as? String ?? ""),
                  escalation_level = \(bind: (details["escalationLevel"] as? NSNumber)?.intValue ?? 0)
                WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))
                """).run()
        }
        try await sql.raw("""
            INSERT INTO issue_comments (id, issue_id, author_id, body, created_at)
            SELECT c.id, c.item_id, c.author_id, c.body, c.created_at FROM item_comments c JOIN register_items r ON r.id = c.item_id
            WHERE r.register = 'I'
            """).run()
        try await sql.raw("DELETE FROM item_comments WHERE item_id IN (SELECT id FROM register_items WHERE register = 'I')").run()
        try await sql.raw("DELETE FROM register_items WHERE register = 'I'").run()
    }

    struct IssueSnapshot {
        var fields: [String]
        var comments: [String]
        var history: [AuditEntry]
    }

    struct Snapshot {
        var issues: [IssueSnapshot] = []
        var counts: [String] = []
        var myWork: [String] = []
        var summary: [String] = []
    }

    /// Everything the store reads of the issues of every project, in a comparable form.
    private func snapshot(_ store: Store, _ pmo: Caller, pm: Caller, today: CalendarDate) async throws -> Snapshot {
        var result = Snapshot()
        for (project, _) in try await store.projects.list(for: pmo) {
            var query = IssueQuery()
            query.limit = IssueQuery.maxLimit
            for view in try await store.items.issues(pmo, key: project.key, query: query).items {
                let r = view.record
                let own = view.fields
                let fields: [String] = [view.reference, r.title, r.description, own.cause, own.nextAction, "\(r.ownerID as Any)",
                                        "\(r.dueDate as Any)", "\(view.priority.rank)", r.status, "\(own.escalationLevel)", r.visibility,
                                        "\(r.visibilityCompanyID as Any)", "\(r.companyID as Any)", "\(r.createdByID)",
                                        "\(r.createdAt.timeIntervalSince1970)", "\(r.updatedAt.timeIntervalSince1970)", "\(r.version)",
                                        view.ownerName ?? "", view.createdByName ?? "", view.companyName ?? ""]
                let comments = try await store.items.comments(pmo, key: project.key, type: .issue, number: r.number).map {
                    "\($0.id) \($0.authorName) \($0.createdAt.timeIntervalSince1970) \($0.body)"
                }
                let history = try await store.items.history(pmo, key: project.key, type: .issue, number: r.number)
                result.issues.append(IssueSnapshot(fields: fields, comments: comments, history: history))
            }
            result.counts += try await store.items.registerCounts(pmo, key: project.key, today: today).map {
                "\(project.key) \($0.type) \($0.open) \($0.overdue) \($0.ageing) \($0.total)"
            }
            let summary = try await store.items.issueSummary(pmo, key: project.key, today: today)
            result.summary.append("\(project.key) \(summary.byStatus.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key)=\($0.value)" }) \(summary.overdue) \(summary.unowned) \(summary.stale)")
        }
        result.myWork = try await store.items.myWork(pm).map { "\($0.reference) \($0.status) \($0.dueDate as Any) \($0.mustDecide)" }
        return result
    }

    private func count(_ sql: any SQLDatabase, _ table: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }
}
