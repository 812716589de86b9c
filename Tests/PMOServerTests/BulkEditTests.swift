import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

@testable import PMOServer

/// Bulk edit of a list's ticked rows: every row through the item's own update step (permission, workflow, rules,
/// audit per row), in one transaction, so one refusal changes nothing and names each refusal.
@Suite("Bulk edit")
struct BulkEditTests {
    @Test(arguments: TestDatabase.available)
    func allOrNothingWithEachRefusalNamed(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.users["pm"]!
            func action(_ title: String, status: String = "open") async throws -> Int {
                try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
                    title: title, status: status, dueDate: CalendarDate(iso: "2030-02-10"))).record.number
            }
            let a = try await action("Book the room"), b = try await action("Send the minutes")
            let cancelled = try await action("Order badges", status: "cancelled")
            let path = "/api/v1/projects/CRM/actions/bulk"
            let token = w.tokens["pm"]!
            func versions() async throws -> [Int] {
                var all: [Int] = []
                for n in [a, b, cancelled] { all.append(try await t.store.items.registerItem(pm, key: "CRM", kind: .action, number: n).record.version) }
                return all
            }
            let before = try await versions()

            // A cancelled action cannot become done: nothing changes, and the refusal names it.
            let refused = try await t.send(.POST, path, token: token, json: ["numbers": [a, b, cancelled], "status": "done"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.problemCode == "bulk.refused")
            #expect(refused.fieldErrors == ["CRM-A\(cancelled)"])
            #expect(try await versions() == before)

            // Without it: both change, each audited on its own trail.
            let owner = w.users["member"]!.userID.uuidString.lowercased()
            let done = try await t.send(.POST, path, token: token, json: ["numbers": [a, b], "status": "done", "owner": owner, "dueDate": "2030-03-01"])
            #expect(done.status == .ok, "\(done.body.string)")
            #expect(done.json["changed"] as? [String] == ["CRM-A\(a)", "CRM-A\(b)"])
            for n in [a, b] {
                let item = try await t.store.items.registerItem(pm, key: "CRM", kind: .action, number: n).record
                #expect(item.status == "done")
                #expect(item.ownerID == w.users["member"]!.userID)
                #expect(item.dueDate == "2030-03-01")
                let history = try await t.send(.GET, "/api/v1/projects/CRM/actions/\(n)/history", token: token).items
                #expect(history.last?["action"] as? String == "update")
            }
            // The same again changes nothing and says so; null clears the due date.
            let again = try await t.send(.POST, path, token: token, json: ["numbers": [a], "status": "done"])
            #expect(again.json["unchanged"] as? [String] == ["CRM-A\(a)"])
            let cleared = try await t.send(.POST, path, token: token, json: ["numbers": [a], "dueDate": nil])
            #expect(cleared.json["changed"] as? [String] == ["CRM-A\(a)"])
            #expect(try await t.store.items.registerItem(pm, key: "CRM", kind: .action, number: a).record.dueDate == nil)

            // Bad requests: nothing to change, no numbers, an unknown item.
            #expect(try await t.send(.POST, path, token: token, json: ["numbers": [a]]).problemCode == "bulk.invalid")
            #expect(try await t.send(.POST, path, token: token, json: ["numbers": [], "status": "done"]).problemCode == "bulk.invalid")
            let missing = try await t.send(.POST, path, token: token, json: ["numbers": [b, 999], "status": "open"])
            #expect(missing.fieldErrors == ["CRM-A999"])
            #expect(try await t.store.items.registerItem(pm, key: "CRM", kind: .action, number: b).record.status == "done")
        }
    }

    /// Permission per row: a vendor may change its own company's issues but not the others', and a viewer none.
    @Test(arguments: TestDatabase.available)
    func permissionIsCheckedOnEveryRow(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let forA = try await t.createIssue(pmo, ["title": "Vendor A's bug", "visibility": "company", "visibilityCompanyId": w.vendorA.uuidString])
            let shared = try await t.createIssue(pmo, ["title": "Shared question"])
            let path = "/api/v1/projects/CRM/issues/bulk"
            let vendor = try await t.send(.POST, path, token: w.tokens["vendorA"]!, json: ["numbers": [forA, shared], "status": "in_progress"])
            #expect(vendor.status == .unprocessableEntity)
            #expect(vendor.fieldErrors == ["CRM-I\(shared)"])
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/\(forA)", token: pmo).json["status"] as? String == "open")
            let own = try await t.send(.POST, path, token: w.tokens["vendorA"]!, json: ["numbers": [forA], "status": "in_progress"])
            #expect(own.status == .ok, "\(own.body.string)")
            let viewer = try await t.send(.POST, path, token: w.tokens["viewer"]!, json: ["numbers": [shared], "status": "in_progress"])
            #expect(viewer.status == .forbidden)   // a viewer may write nothing through the API
            let badStatus = try await t.send(.POST, path, token: pmo, json: ["numbers": [shared], "status": "finished"])
            #expect(badStatus.fieldErrors == ["status"])
        }
    }

    /// The list page's form: tick boxes tied to the form under the table, works without a script, comes back to the
    /// same list; a refusal is a page naming each refused item.
    @Test(arguments: TestDatabase.available)
    func theListPageChangesTickedRows(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let one = try await t.createIssue(pmo, ["title": "First"]), two = try await t.createIssue(pmo, ["title": "Second"])
            let session = try await BrowserSession.login(t, email: "pm@example.com")
            let list = try await session.get("/projects/CRM/issues?sort=due").body.string
            #expect(list.contains("form=\"bulk\""))
            #expect(list.contains("id=\"bulk\""))
            let body = "_csrf=\(session.csrf)&n=\(one)&n=\(two)&status=in_progress&owner=&due=2030-04-01&list=sort%3Ddue"
            let res = try await t.send(.POST, "/projects/CRM/issues/bulk", rawBody: body,
                                       headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "pmo_session=\(session.cookie)")])
            #expect(res.status == .seeOther, "\(res.body.string)")
            #expect(res.headers.first(name: .location) == "/projects/CRM/issues?sort=due")
            for n in [one, two] {
                let issue = try await t.send(.GET, "/api/v1/projects/CRM/issues/\(n)", token: pmo).json
                #expect(issue["status"] as? String == "in_progress")
                #expect(issue["dueDate"] as? String == "2030-04-01")
            }
            // The viewer gets no tick boxes.
            let viewerList = try await BrowserSession.login(t, email: "viewer@example.com").get("/projects/CRM/issues").body.string
            #expect(!viewerList.contains("form=\"bulk\""))
            // A refusal (an unknown item) shows the error page naming it, in the reader's language.
            let refused = try await t.send(.POST, "/projects/CRM/issues/bulk", rawBody: "_csrf=\(session.csrf)&n=\(one)&n=404&status=resolved",
                                           headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "pmo_session=\(session.cookie)")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("CRM-I404"))
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/\(one)", token: pmo).json["status"] as? String == "in_progress")
        }
    }
}
