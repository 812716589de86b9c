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

    /// A block from an Excel WBS sheet: WBS codes make the outline, new IDs let new rows name each other as
    /// predecessors, an ID already in the plan updates that row, and a level that skips a step is refused whole.
    @Test(arguments: TestDatabase.available)
    func pastedOutlineAndNewIDs(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            _ = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            #expect(try await pmo.post("/projects/CRM/plan/paste", ["rows": "Name\tDuration\nKick-off\t1\n"]).status == .seeOther)
            let block = """
                WBS\tID\t作業名\t期間\t先行
                1\t\tデータ移行\t\t
                1.1\t40\t移行設計\t5\t1
                1.2\t41\t移行リハーサル\t3\t40
                1.2.1\t\tリハーサル準備\t2\t
                2\t1\tキックオフ\t2\t

                """
            let pasted = try await pmo.post("/projects/CRM/plan/paste", ["rows": block])
            #expect(pasted.status == .seeOther, "\(pasted.body.string)")
            let all = try rows(try await pmo.get("/projects/CRM/plan/grid/rows"))
            func row(_ name: String) -> [String: Any]? { all.first { $0["name"] as? String == name } }
            let migration = try #require(row("データ移行"))
            let design = try #require(row("移行設計"))
            let rehearsal = try #require(row("移行リハーサル"))
            let prep = try #require(row("リハーサル準備"))
            #expect(design["uid"] as? Int == 40)
            #expect(rehearsal["uid"] as? Int == 41)
            #expect(rehearsal["predecessors"] as? String == "40", "new rows name each other")
            #expect(design["predecessors"] as? String == "1")
            #expect(design["outline"] as? String == "\(migration["outline"] as? String ?? "?").1")
            #expect(prep["outline"] as? String == "\(migration["outline"] as? String ?? "?").2.1")
            #expect(row("キックオフ")?["duration"] as? String == "2", "ID 1 was in the plan: updated, not added")
            #expect(row("Kick-off") == nil)
            #expect(all.count == 5)
            // A new row takes the next ID after those asked for.
            #expect(try await pmo.post("/projects/CRM/plan/paste", ["rows": "Name\nClose-out\n"]).status == .seeOther)
            #expect(try rows(try await pmo.get("/projects/CRM/plan/grid/rows")).first { $0["name"] as? String == "Close-out" }?["uid"] as? Int == 42)

            // Level 3 under a level 1: refused, naming the row; nothing added.
            let skipped = try await pmo.post("/projects/CRM/plan/paste", ["rows": "Level\tName\n1\tA\n3\tB\n"])
            #expect(skipped.status == .unprocessableEntity)
            #expect(skipped.body.string.contains("level 3"))
            let notALevel = try await pmo.post("/projects/CRM/plan/paste", ["rows": "WBS\tName\n1..2\tA\n"])
            #expect(notALevel.status == .unprocessableEntity)
            #expect(try rows(try await pmo.get("/projects/CRM/plan/grid/rows")).count == 6)
        }
    }
}
