import Foundation
import PMOCore
@testable import PMOServer
import PMOStore
import PMOWords
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// A Japanese reader meets no product code: history, roles, decision categories and error pages are worded in the
/// reader's language (found by scripts/page_walk.py).
@Suite("Japanese pages show words, not codes")
struct JapanesePageWordsTests {
    /// Signed in as `email` with Japanese chosen in the settings, as a Japanese user works.
    static func japanese(_ t: TestApp, _ email: String) async throws -> BrowserSession {
        let session = try await BrowserSession.login(t, email: email)
        #expect(try await session.post("/settings", ["locale": "ja"]).status == .seeOther)
        return session
    }

    /// History said `link.blocks` and, on removal, the link's id; it now names the link in words.
    @Test func historyNamesLinksInWords() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            for title in ["止まるリスク", "止めるリスク"] {
                #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: RegisterTestKit.body(.risk, title: title)).status == .created)
            }
            let link = try await t.send(.POST, "/api/v1/projects/CRM/risks/1/links", token: pmo, json: ["to": "CRM-R2", "kind": "blocks"])
            #expect(link.status == .created)
            let linkID = try #require(link.json["id"] as? String)
            #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/risks/1/links/\(linkID)", token: pmo).status == .noContent)
            let first = try await t.createIssue(pmo, ["title": "原因の課題"])
            let second = try await t.createIssue(pmo, ["title": "結果の課題"])
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues/\(first)/links", token: pmo, json: ["to": second, "kind": "causes"]).status == .created)

            #expect(try await t.send(.POST, "/api/v1/projects/CRM/questions", token: pmo,
                                     json: ["title": "帳票の出力形式は？", "blocksWork": true]).status == .created)
            let session = try await Self.japanese(t, "pmo@example.com")
            // A yes/no field reads はい, not the stored `true`.
            let question = try await session.get("/projects/CRM/questions/1?tab=history").body.string
            #expect(question.contains("<td>はい</td>") || question.contains(">はい<"), "\(question)")
            #expect(!question.contains(">true<"))
            let risk = try await session.get("/projects/CRM/risks/1?tab=history").body.string
            #expect(risk.contains("関連 (ブロックする)"))
            #expect(risk.contains("CRM-R2"))
            #expect(risk.contains("（関連を削除）"))
            #expect(!risk.contains("link.blocks"))
            #expect(!risk.contains(linkID))
            let issue = try await session.get("/projects/CRM/issues/\(first)?tab=history").body.string
            #expect(issue.contains("関連 (原因となる)"), "\(issue)")   // the same words as every item's links
            #expect(!issue.contains("link.causes"))
        }
    }

    /// Roles read as words on the members page, the project list and the project home.
    @Test func rolesAreWords() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await World.make(t)
            let session = try await Self.japanese(t, "pmo@example.com")
            let members = try await session.get("/projects/CRM/members").body.string
            #expect(members.contains(">ベンダー</span>"))
            #expect(members.contains("<option value=\"viewer\">閲覧者</option>"))
            #expect(!members.contains(">vendor<"))
            #expect(try await session.get("/projects").body.string.contains("<td>PMO</td>"))
        }
    }

    /// The usual decision categories have labels; a category the project made up stays as its PMO typed it.
    @Test func decisionCategoriesShowTheirLabel() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            for (title, category) in [("画面項目の追加", "specification_change"), ("委託先の選定", "ベンダー選定")] {
                #expect(try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pmo,
                                         json: ["title": title, "category": category]).status == .created)
            }
            let session = try await Self.japanese(t, "pmo@example.com")
            let known = try await session.get("/projects/CRM/decisions/1").body.string
            #expect(known.contains("仕様変更"))
            #expect(!known.contains("specification_change"))
            #expect(try await session.get("/projects/CRM/decisions/2").body.string.contains("ベンダー選定"))
        }
    }

    /// A refused link names the loop's activities on a Japanese page too: the sentence is the catalogue's, the names
    /// are the error's subjects.
    @Test func aLoopIsNamedInJapanese() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            var uids: [Int] = []
            for name in ["設計レビュー", "設計修正"] {
                let made = try await t.send(.POST, "/api/v1/projects/CRM/plan/activities", token: pmo, json: ["name": name, "durationDays": 2])
                #expect(made.status == .created, "\(made.body.string)")
                uids.append(made.json["uid"] as? Int ?? -1)
            }
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/plan/dependencies", token: pmo,
                                     json: ["predecessorUid": uids[0], "successorUid": uids[1]]).status == .created)
            let session = try await Self.japanese(t, "pmo@example.com")
            let refused = try await session.post("/projects/CRM/plan/activities/\(uids[0])/links", ["predecessors": String(uids[1])])
            #expect(refused.status == .unprocessableEntity)
            let page = refused.body.string
            #expect(page.contains("ループ（循環）"), "\(page)")
            #expect(page.contains("先行作業"))
            #expect(page.contains("設計レビュー (\(uids[0]))") && page.contains("設計修正 (\(uids[1]))"))
            #expect(!page.contains("This link would make a loop"))
        }
    }

    /// A vendor refused a status report reads why in Japanese, with no code or English sentence; in English the
    /// store's own sentence stays, and the code is kept for support in an attribute, not in the text.
    @Test func errorPagesSpeakTheReadersLanguage() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await World.make(t)
            let vendor = try await Self.japanese(t, "vendora@example.com")
            let refused = try await vendor.get("/projects/CRM/reports")
            #expect(refused.status == .forbidden)
            let japanese = refused.body.string
            let sentence = try #require(ProblemWords.ja["problem.report.read_forbidden"])
            #expect(japanese.contains(sentence))
            #expect(japanese.contains("data-code=\"report.read_forbidden\""))
            #expect(!japanese.contains(">report.read_forbidden<"))
            #expect(!japanese.contains("carry budgets"))

            #expect(try await vendor.post("/settings", ["locale": "en"]).status == .seeOther)
            let english = try await vendor.get("/projects/CRM/reports").body.string
            #expect(!english.contains(sentence))
            #expect(english.contains("carry budgets and earned value"))
            #expect(english.contains("data-code=\"report.read_forbidden\""))
        }
    }

    /// An import's errors on a Japanese page are the catalogue's sentences with the cell's value beside them, not the
    /// sheet reader's English; the API keeps the English sentence and gives each error its code.
    @Test func importErrorsSpeakTheReadersLanguage() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/actions", token: w.tokens["pmo"]!,
                                     json: ["title": "既存のアクション"]).status == .created)
            let session = try await Self.japanese(t, "pmo@example.com")
            let csv = String(decoding: Data(buffer: try await session.get("/projects/CRM/actions/export.csv").body).dropFirst(3), as: UTF8.self)
            let header = try #require(csv.split(whereSeparator: \.isNewline).first).split(separator: ",").map(String.init)
            var cells = Array(repeating: "", count: header.count)
            for (key, value) in ["title": "新しいアクション", "status": "保留中", "due": "2026-13-45", "owner": "nobody@example.com"] {
                let label = try #require(I18n.allJa[key])
                let column = try #require(header.firstIndex(of: label), "\(key) in \(header)")
                cells[column] = value
            }
            let file = header.joined(separator: ",") + "\r\n" + cells.joined(separator: ",") + "\r\n"
            let boundary = "pmo-test-boundary"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(session.csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
            let page = try await t.send(.POST, "/projects/CRM/actions/import", rawBody: body,
                                        headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)"), ("Cookie", "pmo_session=\(session.cookie)")])
            #expect(page.status == .unprocessableEntity)
            let text = page.body.string
            for code in ["invalid_date", "invalid_choice", "not_member"] {
                let sentence = try #require(ProblemWords.ja["field_error." + code])
                #expect(text.contains(sentence), "\(code): \(text)")
            }
            #expect(text.contains("2026-13-45") && text.contains("nobody@example.com") && text.contains("保留中 → "))
            for english in ["is not a date", "is not a status", "No member of the project"] { #expect(!text.contains(english), "\(english)") }

            let api = try await t.send(.POST, "/api/v1/projects/CRM/actions/import", token: w.tokens["pmo"]!, rawBody: file,
                                       headers: [("Content-Type", "text/csv")])
            let errors = api.json["errors"] as? [[String: Any]] ?? []
            #expect(Set(errors.compactMap { $0["code"] as? String }).isSuperset(of: ["invalid_date", "invalid_choice", "not_member"]), "\(errors)")
            #expect(errors.contains { ($0["message"] as? String ?? "").contains("'2026-13-45' is not a date") })
        }
    }

    /// A refusal names what it is about in any language: the Japanese sentence for the code, with the reference the
    /// reader asked for beside it; the English page keeps the store's own sentence.
    @Test func aNotFoundPageNamesWhatWasNotFound() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await World.make(t)
            let session = try await Self.japanese(t, "pmo@example.com")
            let missing = try await session.get("/projects/CRM/risks/99")
            #expect(missing.status == .notFound)
            let sentence = try #require(ProblemWords.ja["problem.risk.not_found"])
            #expect(missing.body.string.contains(sentence + "（CRM-R99）"), "\(missing.body.string)")
            let project = try await session.get("/projects/NOPE/risks")
            let noProject = try #require(ProblemWords.ja["problem.project.not_found"])
            #expect(project.body.string.contains(noProject + "（NOPE）"), "\(project.body.string)")

            #expect(try await session.post("/settings", ["locale": "en"]).status == .seeOther)
            let english = try await session.get("/projects/CRM/risks/99").body.string
            #expect(english.contains("There is no risk CRM-R99 that you can see."))
            #expect(!english.contains(sentence))
        }
    }
}
