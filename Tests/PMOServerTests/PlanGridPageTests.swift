import Foundation
import PMOCore
import PMOStore
@testable import PMOServer
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The grid's posts: typed cells read as the plan's values, bad cells named by row and column with nothing stored, a
/// stale row answered 409 with the row's values now, and a pasted block (the form without a script).
@Suite("Plan grid pages")
struct PlanGridPageTests {
    func grid(_ s: BrowserSession, _ body: String, csrf: String? = nil, language: String = "en") async throws -> TestingHTTPResponse {
        try await s.t.send(.POST, "/projects/CRM/plan/grid", rawBody: body, headers: [
            ("Content-Type", "application/json"), ("Accept", "application/json"), ("Cookie", "pmo_session=\(s.cookie)"),
            ("X-CSRF-Token", csrf ?? s.csrf), ("Accept-Language", language)])
    }

    func rows(_ r: TestingHTTPResponse) throws -> [[String: Any]] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.body.string.utf8)) as? [String: Any])
        return try #require(json["rows"] as? [[String: Any]])
    }

    @Test(arguments: TestDatabase.available)
    func cellsPasteAndRefusals(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            _ = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            // Rows pasted into the box (as Excel copies them: tabs, a heading line in Japanese).
            let pasted = try await pmo.post("/projects/CRM/plan/paste", ["rows": "作業名\t期間\t先行\n設計\t5日\t\n製造\t１０\t1\n"])
            #expect(pasted.status == .seeOther, "\(pasted.body.string)")
            let page = try await pmo.get("/projects/CRM/plan")
            #expect(page.body.string.contains("data-c=\"duration\""))
            #expect(page.body.string.contains("<script type=\"module\" src=\"/plan-grid.js\">"))
            #expect(try await t.send(.GET, "/plan-grid.js").headers.contentType?.subType == "javascript")

            // One cell: the build's duration; the answer carries its moved finish.
            let v2 = try rows(try await pmo.get("/projects/CRM/plan/grid/rows")).first { $0["uid"] as? Int == 2 }?["v"] as? Int ?? 0
            let one = try await grid(pmo, #"{"edits":[{"row":2,"uid":2,"v":\#(v2),"cells":{"duration":"3","finish":""}}]}"#)
            #expect(one.status == .ok, "\(one.body.string)")
            let build = try #require(try rows(one).first { $0["uid"] as? Int == 2 })
            #expect(build["duration"] as? String == "3")
            #expect(try #require(build["finish"] as? String) > "2026")

            // A bad date and an unknown owner in one change: both named, nothing stored.
            let bad = try await grid(pmo, #"{"edits":[{"row":1,"uid":1,"cells":{"start":"next week"}},{"row":2,"uid":2,"cells":{"owner":"Nobody"}}]}"#)
            #expect(bad.status == .unprocessableEntity)
            let problem = try #require(try JSONSerialization.jsonObject(with: Data(bad.body.string.utf8)) as? [String: Any])
            let cells = try #require(problem["cells"] as? [[String: Any]])
            #expect(cells.map { "\($0["row"] ?? "")/\($0["column"] ?? "")" }.sorted() == ["1/start", "2/owner"])
            #expect((cells.first { $0["column"] as? String == "start" }?["message"] as? String)?.contains("YYYY-MM-DD") == true)

            // A stale row (an old version) is 409 and says who changed it.
            let stale = try await grid(pmo, #"{"edits":[{"row":2,"uid":2,"v":\#(v2),"cells":{"duration":"8"}}]}"#)
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("pmo"))
            // The pasted block with a loop changes nothing.
            let loop = try await pmo.post("/projects/CRM/plan/paste", ["rows": "ID\tPredecessors\n1\t2\n"])
            #expect(loop.status == .unprocessableEntity)
            #expect(try rows(try await pmo.get("/projects/CRM/plan/grid/rows")).first { $0["uid"] as? Int == 1 }?["predecessors"] as? String == "")

            // Undo puts the 3 days back to 10; without the CSRF header the grid refuses.
            #expect(try await grid(pmo, #"{"edits":[{"row":1,"uid":1,"cells":{"name":"x"}}]}"#, csrf: "wrong").status == .forbidden)
            let undo = try await t.send(.POST, "/projects/CRM/plan/grid/undo", headers: [("Accept", "application/json"), ("Cookie", "pmo_session=\(pmo.cookie)"), ("X-CSRF-Token", pmo.csrf)])
            #expect(undo.status == .ok, "\(undo.body.string)")
            #expect(try rows(undo).first { $0["uid"] as? Int == 2 }?["duration"] as? String == "10")

            // A vendor may read the plan, not change it through the grid.
            let vendor = try await BrowserSession.login(t, email: "vendora@example.com")
            #expect(try await grid(vendor, #"{"edits":[{"row":1,"uid":1,"cells":{"name":"x"}}]}"#).status == .forbidden)
            #expect(!(try await vendor.get("/projects/CRM/plan")).body.string.contains("plan-grid.js"))
        }
    }
}
