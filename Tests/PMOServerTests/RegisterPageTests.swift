import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The registers in the browser, without JavaScript: forms, lists, detail pages, the heat map, the one-step
/// conversions, the overview, "my work", decision rights and the import preview.
@Suite("Register pages")
struct RegisterPageTests {
    static func riskForm(_ title: String, owner: UUID, probability: String = "4", impact: String = "5") -> [String: String] {
        ["title": title, "status": "identified", "riskType": "threat", "category": "schedule", "probability": probability,
         "impactSchedule": impact, "impactCost": "1", "impactQuality": "2", "indicators": "triggered: 結合環境の構築が2週連続で遅延\nwatching: 要員の残業時間",
         "strategy": "mitigate", "owner": owner.uuidString.lowercased(), "dueDate": "2026-12-10", "visibility": "project",
         "description": "説明 <b>太字</b>"]
    }

    @Test(arguments: TestDatabase.available)
    func aRiskIsRaisedShownMappedAndTurnedIntoAnIssue(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            let created = try await pmo.post("/projects/CRM/risks", Self.riskForm("<script>alert(1)</script> 結合テスト遅延", owner: w.users["pm"]!.userID))
            #expect(created.status == .seeOther, "\(created.body.string)")
            #expect(created.headers.first(name: .location) == "/projects/CRM/risks/1")

            let list = try await pmo.get("/projects/CRM/risks")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("&lt;script&gt;alert(1)&lt;/script&gt; 結合テスト遅延"))
            #expect(list.body.string.contains("<script>alert(1)") == false)
            #expect(list.body.string.contains("/projects/CRM/risks/heatmap.svg"))
            #expect(list.body.string.contains("Top risks"))

            let detail = try await pmo.get("/projects/CRM/risks/1")
            #expect(detail.status == .ok)
            let html = detail.body.string
            #expect(html.contains("CRM-R1"))
            #expect(html.contains("Triggered: 結合環境の構築が2週連続で遅延"))
            #expect(html.contains("説明 &lt;b&gt;太字&lt;/b&gt;"))
            #expect(html.contains(">20<"), "score 4 × 5")

            let svg = try await pmo.get("/projects/CRM/risks/heatmap.svg")
            #expect(svg.headers.contentType?.subType == "svg+xml")
            #expect(svg.body.string.contains("<title>P4 × I5 = 20: 1</title>"))
            #expect(svg.body.string.contains("<title>P1 × I1 = 1: 0</title>"))

            // A form error is shown on the form, and nothing is stored.
            var bad = Self.riskForm("確率なし", owner: w.users["pm"]!.userID)
            bad["probability"] = ""
            bad["strategy"] = "exploit"
            let refused = try await pmo.post("/projects/CRM/risks", bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("probability is required"))
            #expect(refused.body.string.contains("exploit is not one of them"))
            #expect(try await t.store.items.allRegisterItems(w.users["pmo"]!, key: "CRM", kind: .risk).count == 1)

            // Edit through the form: the history names the change in words.
            var edit = Self.riskForm("結合テスト遅延", owner: w.users["pm"]!.userID, probability: "2")
            edit["version"] = "1"
            edit["status"] = "assessed"
            #expect(try await pmo.post("/projects/CRM/risks/1", edit).status == .seeOther)
            let history = try await pmo.get("/projects/CRM/risks/1?tab=history")
            #expect(history.body.string.contains("Probability (1–5)"))
            #expect(history.body.string.contains("Assessed"))

            // The risk occurs: one button raises the issue and links both ways.
            let occurred = try await pmo.post("/projects/CRM/risks/1/occurred", ["version": "2"])
            #expect(occurred.status == .seeOther)
            let issuePath = occurred.headers.first(name: .location) ?? ""
            #expect(issuePath.hasPrefix("/projects/CRM/issues/"))
            let issuePage = try await pmo.get(issuePath)
            // One list of links on an issue, as on every register item (two until M010).
            #expect(issuePage.body.string.components(separatedBy: "id=\"links\"").count == 2)
            #expect(issuePage.body.string.contains("caused by"))
            #expect(issuePage.body.string.contains("CRM-R1"))
            let riskAfter = try await pmo.get("/projects/CRM/risks/1")
            #expect(riskAfter.body.string.contains("Occurred"))
            #expect(riskAfter.body.string.contains("causes"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aQuestionIsAnsweredAndBecomesAChangeAndMyWorkAndTheOverviewShowIt(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = try await BrowserSession.login(t, email: "pm@example.com")
            let member = w.users["member"]!.userID.uuidString.lowercased()
            let asked = try await pm.post("/projects/CRM/questions", [
                "title": "帳票の出力形式", "status": "open", "addressedTo": member, "owner": member, "dueDate": "2020-01-10",
                "blocksWork": "1", "relatedTo": "REQ-012 顧客統合", "visibility": "project"])
            #expect(asked.status == .seeOther, "\(asked.body.string)")
            let list = try await pm.get("/projects/CRM/questions")
            #expect(list.body.string.contains("blocks work"))
            #expect(list.body.string.contains("Overdue"))

            let memberSession = try await BrowserSession.login(t, email: "member@example.com")
            let work = try await memberSession.get("/work")
            #expect(work.status == .ok)
            #expect(work.body.string.contains("CRM-Q1"))

            var answer = ["title": "帳票の出力形式", "status": "answered", "answer": "PDFとExcelの両方が必要です。", "addressedTo": member,
                          "owner": member, "dueDate": "2020-01-10", "blocksWork": "1", "relatedTo": "REQ-012 顧客統合", "visibility": "project"]
            answer["version"] = "1"
            #expect(try await memberSession.post("/projects/CRM/questions/1", answer).status == .seeOther)
            let converted = try await pm.post("/projects/CRM/questions/1/change-request", [:])
            #expect(converted.status == .seeOther)
            #expect(converted.headers.first(name: .location) == "/projects/CRM/changes/1")
            let change = try await pm.get("/projects/CRM/changes/1")
            #expect(change.body.string.contains("CRM-Q1"))
            #expect(change.body.string.contains("PDFとExcelの両方が必要です。"))

            let overview = try await pm.get("/projects/CRM/registers")
            #expect(overview.status == .ok)
            #expect(overview.body.string.contains("/projects/CRM/changes?open=true"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func decisionRightsAreKeptOnTheirPageAndEnforcedOnTheForm(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = try await BrowserSession.login(t, email: "pm@example.com")
            let saved = try await pm.post("/projects/CRM/decision-rights", [
                "category0": "budget", "authority0": "ステアリングコミッティ", "roles0": "pmo", "users0": ""])
            #expect(saved.status == .seeOther)
            #expect(try await pm.get("/projects/CRM/decision-rights").body.string.contains("ステアリングコミッティ"))
            let bad = try await pm.post("/projects/CRM/decision-rights", ["category0": "budget plan", "authority0": "", "roles0": "", "users0": ""])
            #expect(bad.status == .unprocessableEntity)
            // People are named by e-mail; an unknown one is named back.
            let named = try await pm.post("/projects/CRM/decision-rights", [
                "category0": "budget", "authority0": "ステアリングコミッティ", "roles0": "pmo", "users0": "member@example.com",
                "category1": "scope", "authority1": "業務オーナー", "roles1": "", "users1": "nobody@example.com"])
            #expect(named.status == .unprocessableEntity)
            #expect(named.body.string.contains("nobody@example.com"))
            let withPerson = try await pm.post("/projects/CRM/decision-rights", [
                "category0": "budget", "authority0": "ステアリングコミッティ", "roles0": "pmo", "users0": "member@example.com"])
            #expect(withPerson.status == .seeOther)
            let table = try await t.store.items.decisionRights(w.users["pm"]!, key: "CRM")
            #expect(table.first?.userIDs == [UserID(w.users["member"]!.userID)])
            #expect(try await pm.get("/projects/CRM/decision-rights").body.string.contains("value=\"member@example.com\""))
            // Restore the table the rest of this test expects.
            #expect(try await pm.post("/projects/CRM/decision-rights", [
                "category0": "budget", "authority0": "ステアリングコミッティ", "roles0": "pmo", "users0": ""]).status == .seeOther)

            let pmID = w.users["pm"]!.userID.uuidString.lowercased()
            let proposed = try await pm.post("/projects/CRM/decisions", [
                "title": "追加予算の承認", "status": "pending", "category": "budget", "decider": pmID, "visibility": "project",
                "options": "A案 | 早い | 高い | 1200000 | 5 | 40\nB案 | 安い | 遅い | 300000 | 15 | 80"])
            #expect(proposed.status == .seeOther, "\(proposed.body.string)")
            let detail = try await pm.get("/projects/CRM/decisions/1")
            #expect(detail.body.string.contains("A案 / + 早い / − 高い / ¥1,200,000 / 5d / 40h"))
            let decided = try await pm.post("/projects/CRM/decisions/1", [
                "version": "1", "title": "追加予算の承認", "status": "decided", "category": "budget", "decider": pmID,
                "decision": "A案で進める", "visibility": "project"])
            #expect(decided.status == .unprocessableEntity)
            #expect(decided.body.string.contains("ステアリングコミッティ"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theImportPagePreviewsThenAppliesAllOrNothing(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            #expect(try await pmo.post("/projects/CRM/risks", Self.riskForm("既存リスク", owner: w.users["pm"]!.userID)).status == .seeOther)
            let csv = String(decoding: Data(buffer: try await pmo.get("/projects/CRM/risks/export.csv").body).dropFirst(3), as: UTF8.self)
            let edited = csv.replacingOccurrences(of: "既存リスク", with: "既存リスク（更新）")
            let boundary = "pmo-test-boundary"
            func multipart(_ fields: [(String, String)], file: String?) -> String {
                var body = ""
                for (name, value) in fields { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n" }
                if let file {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"risks.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n"
                }
                return body + "--\(boundary)--\r\n"
            }
            let headers = [("Content-Type", "multipart/form-data; boundary=\(boundary)"), ("Cookie", "pmo_session=\(pmo.cookie)")]
            let preview = try await t.send(.POST, "/projects/CRM/risks/import", rawBody: multipart([("_csrf", pmo.csrf)], file: edited), headers: headers)
            #expect(preview.status == .ok, "\(preview.body.string)")
            #expect(preview.body.string.contains("1 to change"))
            #expect(preview.body.string.contains("既存リスク（更新）"))
            #expect(try await t.store.items.registerItem(w.users["pmo"]!, key: "CRM", kind: .risk, number: 1).record.title == "既存リスク")
            let payload = Data(edited.utf8).base64EncodedString()
            let applied = try await t.send(.POST, "/projects/CRM/risks/import/apply",
                                           rawBody: multipart([("_csrf", pmo.csrf), ("data", payload), ("fileName", "risks.csv")], file: nil), headers: headers)
            #expect(applied.status == .seeOther, "\(applied.body.string)")
            #expect(try await t.store.items.registerItem(w.users["pmo"]!, key: "CRM", kind: .risk, number: 1).record.title == "既存リスク（更新）")

            // A file with an error shows it and applies nothing; a forged form without the CSRF token is refused.
            let broken = edited.replacingOccurrences(of: "2026-12-10", with: "2026-13-45").replacingOccurrences(of: "既存リスク（更新）", with: "変更されない")
            let errorPage = try await t.send(.POST, "/projects/CRM/risks/import", rawBody: multipart([("_csrf", pmo.csrf)], file: broken), headers: headers)
            #expect(errorPage.status == .unprocessableEntity)
            #expect(errorPage.body.string.contains("2026-13-45"))
            let forged = try await t.send(.POST, "/projects/CRM/risks/import/apply",
                                          rawBody: multipart([("_csrf", "wrong"), ("data", Data(broken.utf8).base64EncodedString())], file: nil), headers: headers)
            #expect(forged.status == .forbidden)
            #expect(try await t.store.items.registerItem(w.users["pmo"]!, key: "CRM", kind: .risk, number: 1).record.title == "既存リスク（更新）")
        }
    }
}

@Suite("Register pages in Japanese")
struct RegisterPagesJapaneseTests {
    @Test(arguments: TestDatabase.available)
    func aJapaneseUserSeesTheRegistersInJapanese(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.users["pmo"]!
            let record = try #require(try await t.store.accounts.user(id: pmo.userID))
            _ = try await t.store.accounts.updateUser(by: pmo, id: pmo.userID, expectedVersion: record.version, displayName: nil, locale: "ja", timeZone: nil)
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            #expect(try await session.post("/projects/CRM/risks", RegisterPageTests.riskForm("結合テスト遅延", owner: w.users["pm"]!.userID)).status == .seeOther)
            let list = try await session.get("/projects/CRM/risks")
            #expect(list.body.string.contains("alt=\"リスクヒートマップ：発生確率と影響度ごとの未完了リスク件数\""))
            #expect(list.body.string.contains("重要リスク"))
            #expect(list.body.string.contains("識別"))
            #expect(list.body.string.contains("軽減"))
            let svg = try await session.get("/projects/CRM/risks/heatmap.svg")
            #expect(svg.body.string.contains("リスクヒートマップ"))
            let detail = try await session.get("/projects/CRM/risks/1")
            #expect(detail.body.string.contains("発生確率 (1–5)"))
            #expect(detail.body.string.contains("兆候あり: 結合環境の構築が2週連続で遅延"))
            let csv = String(decoding: Data(buffer: try await session.get("/projects/CRM/risks/export.csv").body), as: UTF8.self)
            #expect(csv.hasPrefix("\u{FEFF}番号,件名,"), "\(csv.prefix(80))")
            #expect(csv.contains("脅威"))
            #expect(try await session.get("/work").body.string.contains("自分の担当"))
        }
    }
}
