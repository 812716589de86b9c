import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

@testable import PMOServer

/// Every register's list opens on its open items, says how many items its filters select, and sorts by a click on a
/// column heading, keeping the filters.
@Suite("Register lists")
struct ListPageTests {
    @Test(arguments: TestDatabase.available)
    func listsOpenOnOpenItemsCountThemAndSortByHeading(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.users["pm"]!
            for (title, due) in [("Book the room", "2030-02-10"), ("Send the minutes", "2030-01-20")] {
                _ = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
                    title: title, status: "open", dueDate: CalendarDate(iso: due)))
            }
            _ = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
                title: "Order the badges", status: "done", dueDate: CalendarDate(iso: "2030-01-05")))
            for title in ["Printer jams", "Login is slow"] {
                _ = try await t.store.items.createIssue(pm, key: "CRM", fields: IssueFields(title: title))
            }
            let closed = try await t.store.items.createIssue(pm, key: "CRM", fields: IssueFields(title: "Old VPN", status: .closed))
            #expect(closed.record.status == "closed")
            let browser = try await BrowserSession.login(t, email: "pm@example.com")

            // The issue list, like every register, opens on open items and counts them.
            let issues = try await browser.get("/projects/CRM/issues").body.string
            #expect(issues.contains("id=\"result-count\" role=\"status\">2 open items</p>"))
            #expect(issues.contains("Printer jams") && !issues.contains("Old VPN"))
            #expect(issues.contains("name=\"open\" value=\"true\" checked"))
            // A heading sorts, keeping "open only"; the export holds what the list shows.
            #expect(issues.contains("href=\"/projects/CRM/issues?open=true&amp;sort=due\">Due</a>"))
            #expect(issues.contains("/issues/export.xlsx?open=true&amp;sort=number"))
            let all = try await browser.get("/projects/CRM/issues?status=closed").body.string
            #expect(all.contains(">1 item</p>") && all.contains("Old VPN"))

            let actions = try await browser.get("/projects/CRM/actions").body.string
            #expect(actions.contains(">2 open items</p>"))
            #expect(!actions.contains("Order the badges"))
            let byDue = try await browser.get("/projects/CRM/actions?open=true&sort=due").body.string
            #expect(byDue.contains("aria-sort=\"ascending\""))
            #expect(byDue.contains("href=\"/projects/CRM/actions?open=true&amp;sort=-due\">Due ▲</a>"))
            let first = try #require(byDue.range(of: "Send the minutes")), second = try #require(byDue.range(of: "Book the room"))
            #expect(first.lowerBound < second.lowerBound, "sorted by due date, the earlier action comes first")
            let reversed = try await browser.get("/projects/CRM/actions?open=true&sort=-due").body.string
            #expect(reversed.contains("aria-sort=\"descending\""))
            let r1 = try #require(reversed.range(of: "Book the room")), r2 = try #require(reversed.range(of: "Send the minutes"))
            #expect(r1.lowerBound < r2.lowerBound)
            // A vendor counts only what it may see.
            let vendor = try await BrowserSession.login(t, email: "vendora@example.com")
            _ = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
                title: "Internal budget check", status: "open", visibility: .internal))
            #expect(try await browser.get("/projects/CRM/actions").body.string.contains(">3 open items</p>"))
            #expect(try await vendor.get("/projects/CRM/actions").body.string.contains(">2 open items</p>"))
        }
    }
}
