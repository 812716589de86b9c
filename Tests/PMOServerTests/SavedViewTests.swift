import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

@testable import PMOServer

/// Saved views of a register's list: filters, order and hidden columns under a name, per user or shared with the
/// project; the list page offers them, marks the one showing and hides the chosen columns.
@Suite("Saved views")
struct SavedViewTests {
    @Test(arguments: TestDatabase.available)
    func savedPerUserSharedWithTheProjectAndDeleted(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let path = "/api/v1/projects/CRM/actions/views"
            let mine = try await t.send(.POST, path, token: w.tokens["member"]!, json: ["name": "My overdue", "query": "owner=me&overdue=true&sort=due"])
            #expect(mine.status == .created, "\(mine.body.string)")
            let team = try await t.send(.POST, path, token: w.tokens["pmo"]!,
                                        json: ["name": "Open by due", "query": "open=true&sort=due&hide=extra", "shared": true])
            #expect(team.status == .created)
            // The same name again replaces the query (200), not a second view.
            let replaced = try await t.send(.POST, path, token: w.tokens["member"]!, json: ["name": "My overdue", "query": "owner=me&overdue=true&sort=-due"])
            #expect(replaced.status == .ok)
            #expect(replaced.json["query"] as? String == "owner=me&overdue=true&sort=-due")

            // The member sees their own and the shared one; the PM sees only the shared one; another register none.
            #expect(Set(try await t.send(.GET, path, token: w.tokens["member"]!).items.compactMap { $0["name"] as? String }) == ["My overdue", "Open by due"])
            #expect(try await t.send(.GET, path, token: w.tokens["pm"]!).items.compactMap { $0["name"] as? String } == ["Open by due"])
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/views", token: w.tokens["member"]!).items.isEmpty)

            // A viewer keeps views too; a vendor may not share one; a bad query is refused when saved.
            #expect(try await t.send(.POST, path, token: w.tokens["viewer"]!, json: ["name": "Mine", "query": "open=true"]).status == .created)
            let vendorShare = try await t.send(.POST, path, token: w.tokens["vendorA"]!, json: ["name": "Ours", "query": "", "shared": true])
            #expect(vendorShare.status == .forbidden)
            #expect(vendorShare.problemCode == "view.share_forbidden")
            let bad = try await t.send(.POST, path, token: w.tokens["member"]!, json: ["name": "Broken", "query": "status=nonsense"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.fieldErrors == ["query"])
            let badColumn = try await t.send(.POST, path, token: w.tokens["member"]!, json: ["name": "Broken", "query": "hide=title"])
            #expect(badColumn.fieldErrors == ["query"])

            // Only its owner, or the project's PMO / PM / admin for a shared one, deletes a view.
            let sharedID = team.json["id"] as? String ?? ""
            #expect(try await t.send(.DELETE, "\(path)/\(sharedID)", token: w.tokens["member"]!).status == .forbidden)
            let mineID = mine.json["id"] as? String ?? ""
            #expect(try await t.send(.DELETE, "\(path)/\(mineID)", token: w.tokens["pm"]!).status == .notFound)   // private: not even seen
            #expect(try await t.send(.DELETE, "\(path)/\(sharedID)", token: w.tokens["pm"]!).status == .noContent)
            #expect(try await t.send(.DELETE, "\(path)/\(mineID)", token: w.tokens["member"]!).status == .noContent)
            #expect(try await t.send(.GET, path, token: w.tokens["member"]!).items.isEmpty)
            #expect(try await t.send(.GET, path, token: w.tokens["outsider"]!).status == .notFound)
        }
    }

    /// The list page: the columns chosen are hidden (by position, in every row), a view is saved from the page as the
    /// list is now, offered as a link, and marked when it is the list showing.
    @Test(arguments: TestDatabase.available)
    func theListPageSavesOffersAndHides(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            _ = try await t.createIssue(w.tokens["pmo"]!, ["title": "Printer jams"])
            let session = try await BrowserSession.login(t, email: "pm@example.com")
            let list = try await session.get("/projects/CRM/issues?sort=due&hide=company&hide=escalation").body.string
            #expect(list.contains("class=\"list issues hide-4 hide-8\""))
            #expect(list.contains("name=\"hide\" value=\"company\" checked"))
            // The exports take the filters only.
            #expect(list.contains("/projects/CRM/issues/export.xlsx?sort=due\""))
            let saved = try await session.post("/projects/CRM/issues/views", ["name": "期限順・会社なし", "query": "hide=company&hide=escalation&open=true&sort=due",
                                                                               "shared": "true"])
            #expect(saved.status == .seeOther, "\(saved.body.string)")
            let location = saved.headers.first(name: .location) ?? ""
            #expect(location.hasPrefix("/projects/CRM/issues?"))
            let page = try await session.get(location).body.string
            #expect(page.contains("期限順・会社なし"))
            #expect(page.contains("aria-current=\"true\""))
            // Another member is offered the shared view; the PM's own list without it marks none.
            let other = try await BrowserSession.login(t, email: "member@example.com").get("/projects/CRM/issues").body.string
            #expect(other.contains("期限順・会社なし"))
            #expect(!other.contains("aria-current=\"true\""))
            // A view of a query the list does not read is refused with the reason, nothing saved.
            let refused = try await session.post("/projects/CRM/issues/views", ["name": "x", "query": "priority=urgent"])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await t.store.views.list(w.users["pm"]!, key: "CRM", type: .issue).map(\.name) == ["期限順・会社なし"])
        }
    }
}
