import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

/// The five registers besides issues through the API: the life of an item, lists, workflows, the one-step
/// conversions (risk occurred → issue, question → change request), my work and the project overview.
@Suite("Register API rules")
struct RegisterRulesTests {
    typealias Kit = RegisterTestKit

    // MARK: 1. The life of an item, on every register

    @Test(arguments: TestDatabase.available)
    func everyRegisterCreatesReadsPatchesCommentsAndDeletes(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            // An issue first: the registers keep their own numbers.
            #expect(try await t.createIssue(pmo, ["title": "先行課題"]) == 1)
            for kind in RegisterKind.allCases {
                let base = "/api/v1/projects/CRM/\(kind.plural)"
                let title = "結合テスト環境の遅延（\(kind.rawValue)）"
                // The systems' turn leaves S2 and S3 (S1 is deleted): the interfaces join those; the units' likewise.
                func body(_ title: String) -> [String: Any?] {
                    Kit.body(kind, title: title).merging(kind == .interface ? ["source": "S2", "target": "CRM-S3"]
                                                         : kind == .escalation ? ["fromUnit": "U3", "toUnit": "U2"]
                                                         : kind == .raci ? ["responsible": ["U3"], "accountable": "U2"] : [:]) { _, new in new }
                }
                let created = try await t.send(.POST, base, token: pmo, json: body(title))
                #expect(created.status == .created, "\(kind): \(created.body.string)")
                #expect(created.headers.first(name: .location) == "/api/v1/projects/CRM/\(kind.plural)/1")
                #expect(created.headers.first(name: .eTag) == "\"1\"")
                #expect(created.json["reference"] as? String == "CRM-\(kind.letter)1")
                #expect(created.json["number"] as? Int == 1)
                #expect(created.json["register"] as? String == kind.rawValue)
                #expect(created.json["status"] as? String == kind.initialStatus)
                // A risk reaches "occurred" only through POST …/occurred, so the API does not offer it as a next status.
                let offered = kind.nextStatuses(from: kind.initialStatus).filter { kind != .risk || $0 != "occurred" }
                #expect(created.json["nextStatuses"] as? [String] == offered)
                #expect(created.json["title"] as? String == title)
                #expect((created.json["createdBy"] as? [String: Any])?["name"] as? String == "pmo")
                #expect(created.json["open"] as? Bool == true)

                let second = try await t.send(.POST, base, token: pmo, json: body("二件目"))
                #expect(second.json["reference"] as? String == "CRM-\(kind.letter)2")

                let read = try await t.send(.GET, "\(base)/1", token: w.tokens["viewer"]!)
                #expect(read.status == .ok)
                #expect(read.headers.first(name: .eTag) == "\"1\"")
                #expect(read.json["title"] as? String == title)

                // PATCH needs If-Match; without it nothing changes.
                let noMatch = try await t.send(.PATCH, "\(base)/1", token: pmo, json: ["title": "x"])
                #expect(noMatch.status == .preconditionRequired)
                #expect(noMatch.problemCode == "precondition.if_match_required")

                let patched = try await t.send(.PATCH, "\(base)/1", token: pmo,
                                               json: ["title": "本番環境の遅延", "dueDate": "2030-01-31"], headers: [("If-Match", "\"1\"")])
                #expect(patched.status == .ok, "\(kind): \(patched.body.string)")
                #expect(patched.headers.first(name: .eTag) == "\"2\"")
                #expect(patched.json["dueDate"] as? String == "2030-01-31")
                #expect(patched.json["version"] as? Int == 2)

                let stale = try await t.send(.PATCH, "\(base)/1", token: pmo, json: ["title": "overwritten"], headers: [("If-Match", "\"1\"")])
                #expect(stale.status == .conflict)
                #expect(stale.problemCode == "version.stale")
                let after = try await t.send(.GET, "\(base)/1", token: pmo)
                #expect(after.json["title"] as? String == "本番環境の遅延")
                #expect(after.headers.first(name: .eTag) == "\"2\"")

                // A patch that changes nothing keeps the version.
                let same = try await t.send(.PATCH, "\(base)/1", token: pmo, json: ["title": "本番環境の遅延"], headers: [("If-Match", "\"2\"")])
                #expect(same.status == .ok)
                #expect(same.headers.first(name: .eTag) == "\"2\"")

                let comment = try await t.send(.POST, "\(base)/1/comments", token: w.tokens["member"]!, json: ["body": "  確認しました  "])
                #expect(comment.status == .created)
                let comments = try await t.send(.GET, "\(base)/1/comments", token: pmo)
                #expect(comments.items.map { $0["body"] as? String } == ["確認しました"])
                #expect(comments.items.map { ($0["author"] as? [String: Any])?["name"] as? String } == ["member"])
                #expect(try await t.send(.POST, "\(base)/1/comments", token: pmo, json: ["body": " "]).status == .unprocessableEntity)

                // History: create, the update with each changed field's from and to, the comment.
                let history = try await t.send(.GET, "\(base)/1/history", token: pmo)
                #expect(history.items.map { $0["action"] as? String } == ["create", "update", "comment"])
                let update = (history.items.dropFirst().first?["changes"] as? [[String: Any]]) ?? []
                #expect(update.map { $0["field"] as? String } == ["dueDate", "title"])
                #expect(update.contains { $0["field"] as? String == "title" && $0["from"] as? String == title && $0["to"] as? String == "本番環境の遅延" })
                #expect(update.contains { $0["field"] as? String == "dueDate" && ($0["from"] == nil || $0["from"] is NSNull) && $0["to"] as? String == "2030-01-31" })
                #expect((history.items.first?["actor"] as? [String: Any])?["name"] as? String == "pmo")

                // DELETE needs a current If-Match; a member may not delete.
                #expect(try await t.send(.DELETE, "\(base)/1", token: pmo).status == .preconditionRequired)
                #expect(try await t.send(.DELETE, "\(base)/1", token: pmo, headers: [("If-Match", "\"1\"")]).status == .conflict)
                let byMember = try await t.send(.DELETE, "\(base)/1", token: w.tokens["member"]!, headers: [("If-Match", "\"2\"")])
                #expect(byMember.status == .forbidden)
                #expect(byMember.problemCode == "\(kind.rawValue).delete_forbidden")
                #expect(try await t.send(.DELETE, "\(base)/1", token: pmo, headers: [("If-Match", "\"2\"")]).status == .noContent)
                let gone = try await t.send(.GET, "\(base)/1", token: pmo)
                #expect(gone.status == .notFound)
                #expect(gone.problemCode == "\(kind.rawValue).not_found")
                #expect(try await t.send(.GET, "\(base)/1/comments", token: pmo).status == .notFound)
                // Numbers are never reused.
                #expect(try await t.send(.POST, base, token: pmo, json: body("三件目")).json["number"] as? Int == 3)
            }
            // The issue register kept its own count.
            #expect(try await t.createIssue(pmo, ["title": "次の課題"]) == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func registerFieldsGoInAsTheyComeOut(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let member = Kit.id(w, "member")
            let risk = try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: [
                "title": "結合テスト環境の遅延", "riskType": "threat", "category": "vendor", "probability": 3,
                "impactSchedule": 2, "impactCost": 4, "impactQuality": 1, "owner": member, "strategy": "mitigate",
                "cause": "インフラ担当ベンダーの要員不足", "indicators": [["text": "週報の遅れ", "status": "triggered"], ["text": "質問の滞留"]],
                "reviewDate": "2030-04-01", "residualProbability": 2, "residualImpact": 2,
            ])
            #expect(risk.status == .created, "\(risk.body.string)")
            #expect(risk.json["score"] as? Int == 12)
            #expect(risk.json["residualScore"] as? Int == 4)
            #expect((risk.json["owner"] as? [String: Any])?["id"] as? String == member)
            #expect((risk.json["owner"] as? [String: Any])?["name"] as? String == "member")
            let indicators = risk.json["indicators"] as? [[String: Any]] ?? []
            #expect(indicators.map { $0["text"] as? String } == ["週報の遅れ", "質問の滞留"])
            #expect(indicators.map { $0["status"] as? String } == ["triggered", "watching"])
            #expect(risk.json["cause"] as? String == "インフラ担当ベンダーの要員不足")
            #expect(risk.json["reviewDate"] as? String == "2030-04-01")
            #expect(risk.json["effect"] is NSNull, "every field of the register is present, null when empty")

            // A required field is required; a level is 1 to 5; choices are checked.
            let missing = try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: ["title": "x", "riskType": "threat"])
            #expect(missing.status == .unprocessableEntity)
            #expect(Set(missing.fieldErrors) == ["category", "probability", "impactSchedule", "impactCost", "impactQuality"])
            let wrong = try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: Kit.body(.risk, title: "x").merging([
                "probability": 6, "category": "weather", "decider": member,
            ]) { _, new in new })
            #expect(Kit.errors(wrong).sorted() == ["category:invalid_choice", "decider:unknown_field", "probability:out_of_range"])

            // Changing a threat to an opportunity without changing its strategy breaks the strategy rule.
            let flip = try await t.send(.PATCH, "/api/v1/projects/CRM/risks/1", token: pmo, json: ["riskType": "opportunity"],
                                        headers: [("If-Match", "\"1\"")])
            #expect(flip.status == .unprocessableEntity)
            #expect(flip.problemCode == "risk.invalid")
            #expect(Kit.errors(flip) == ["strategy:invalid_choice"])
            let flipped = try await t.send(.PATCH, "/api/v1/projects/CRM/risks/1", token: pmo,
                                           json: ["riskType": "opportunity", "strategy": "exploit", "probability": 5],
                                           headers: [("If-Match", "\"1\"")])
            #expect(flipped.status == .ok, "\(flipped.body.string)")
            #expect(flipped.json["score"] as? Int == 20)
            // Clearing a required field is refused; clearing an optional one works.
            #expect(Kit.errors(try await t.send(.PATCH, "/api/v1/projects/CRM/risks/1", token: pmo, json: ["impactCost": nil],
                                                 headers: [("If-Match", "\"2\"")])) == ["impactCost:required"])
            let cleared = try await t.send(.PATCH, "/api/v1/projects/CRM/risks/1", token: pmo, json: ["indicators": nil, "owner": nil],
                                           headers: [("If-Match", "\"2\"")])
            #expect(cleared.json["indicators"] is NSNull)
            #expect(cleared.json["owner"] is NSNull)
            let history = try await t.send(.GET, "/api/v1/projects/CRM/risks/1/history", token: pmo).items
            let flipChanges = (history.dropFirst().first?["changes"] as? [[String: Any]]) ?? []
            #expect(flipChanges.contains { $0["field"] as? String == "probability" && $0["from"] as? String == "3" && $0["to"] as? String == "5" })
            #expect(flipChanges.contains { $0["field"] as? String == "strategy" && $0["from"] as? String == "mitigate" && $0["to"] as? String == "exploit" })
            let clearChanges = (history.last?["changes"] as? [[String: Any]]) ?? []
            #expect(clearChanges.contains { $0["field"] as? String == "indicators" && $0["from"] as? String == "triggered: 週報の遅れ\nwatching: 質問の滞留" })

            // A decision's options, a question's asker (the caller by default), a change's amounts.
            let decision = try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pmo, json: [
                "title": "移行方式の決定", "category": "technical", "options": [
                    ["title": "一括移行", "pros": "短期間", "cons": "リスク大", "cost": 3_000_000, "scheduleDays": -5],
                    ["title": "段階移行", "effortHours": 120.5],
                ],
            ])
            #expect(decision.status == .created, "\(decision.body.string)")
            let options = decision.json["options"] as? [[String: Any]] ?? []
            #expect(options.map { $0["title"] as? String } == ["一括移行", "段階移行"])
            #expect(Kit.number(options.first?["cost"]) == 3_000_000)
            #expect(options.first?["scheduleDays"] as? Int == -5)
            #expect(Kit.number(options.last?["effortHours"]) == 120.5)
            #expect(options.last?["cost"] is NSNull)

            let question = try await t.send(.POST, "/api/v1/projects/CRM/questions", token: w.tokens["member"]!,
                                            json: ["title": "帳票の出力形式は？", "blocksWork": true, "addressedCompany": w.vendorA.uuidString.lowercased()])
            #expect(question.status == .created, "\(question.body.string)")
            #expect((question.json["askedBy"] as? [String: Any])?["id"] as? String == member)
            #expect((question.json["addressedCompany"] as? [String: Any])?["name"] as? String == "Vendor A")
            #expect(question.json["blocksWork"] as? Bool == true)

            let change = try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo,
                                          json: ["title": "帳票レイアウト変更", "costImpact": 450_000, "impactScheduleDays": 3, "impactEffortHours": 24])
            #expect(change.status == .created, "\(change.body.string)")
            #expect(Kit.number(change.json["costImpact"]) == 450_000)
            #expect(Kit.number(change.json["impactEffortHours"]) == 24)
            #expect(change.json["impactScheduleDays"] as? Int == 3)
            #expect(Kit.errors(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: ["title": "x", "costImpact": -1]))
                    == ["costImpact:wrong_type"])
        }
    }

    // MARK: Lists

    @Test(arguments: TestDatabase.available)
    func listsFilterSortSearchAndPage(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let member = Kit.id(w, "member")
            let pm = Kit.id(w, "pm")
            // number: (title, probability, impacts, owner, due, status, extra)
            let rows: [(String, Int, [Int], String?, String?, String, [String: Any?])] = [
                ("結合テスト環境の遅延", 3, [2, 4, 1], member, "2020-01-10", "identified", [:]),
                ("要員の離脱", 5, [5, 1, 1], pm, "2099-01-01", "assessed", [:]),
                ("帳票仕様の変更", 1, [1, 1, 1], nil, "2020-02-01", "closed", [:]),
                ("ベンダー納期遅延", 4, [3, 3, 3], member, nil, "responding", [:]),
                ("性能要件未達", 2, [2, 2, 5], pm, "2020-03-01", "identified", [:]),
                ("データ移行の失敗", 4, [5, 5, 5], nil, nil, "identified", ["cause": "API/バッチ連携の不整合 50%"]),
                ("Migration tooling", 2, [1, 1, 1], nil, nil, "identified", ["description": "migration of 顧客マスタ"]),
            ]
            for (title, p, impacts, owner, due, status, extra) in rows {
                var body = Kit.body(.risk, title: title)
                body["probability"] = p
                body["impactSchedule"] = impacts[0]
                body["impactCost"] = impacts[1]
                body["impactQuality"] = impacts[2]
                body["owner"] = owner
                body["dueDate"] = due
                body["status"] = status
                body.merge(extra) { _, new in new }
                let res = try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: body)
                #expect(res.status == .created, "\(title): \(res.body.string)")
            }
            func numbers(_ query: String, token: String? = nil) async throws -> [Int] {
                let res = try await t.send(.GET, "/api/v1/projects/CRM/risks?\(query)", token: token ?? pmo)
                #expect(res.status == .ok, "\(query): \(res.body.string)")
                return res.items.compactMap { $0["number"] as? Int }
            }
            /// Walks every page of a query and returns the numbers in order.
            func walk(_ query: String) async throws -> [Int] {
                var seen: [Int] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let path = "/api/v1/projects/CRM/risks?\(query)" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? "")
                    let page = try await t.send(.GET, path, token: pmo)
                    #expect(page.status == .ok, "\(page.body.string)")
                    seen += page.items.compactMap { $0["number"] as? Int }
                    cursor = page.json["nextCursor"] as? String
                    pages += 1
                } while cursor != nil && pages < 20
                return seen
            }

            #expect(try await numbers("") == [1, 2, 3, 4, 5, 6, 7])
            #expect(try await numbers("status=identified") == [1, 5, 6, 7])
            #expect(try await numbers("status=identified,closed") == [1, 3, 5, 6, 7])
            #expect(try await numbers("open=true") == [1, 2, 4, 5, 6, 7])
            // Overdue: due before today and not finished (3 is closed).
            let overdue = try await t.send(.GET, "/api/v1/projects/CRM/risks?overdue=true", token: pmo)
            #expect(overdue.items.compactMap { $0["number"] as? Int } == [1, 5])
            #expect(overdue.items.allSatisfy { $0["overdue"] as? Bool == true })
            #expect(try await numbers("owner=me", token: w.tokens["member"]!) == [1, 4])
            #expect(try await numbers("owner=me", token: w.tokens["pm"]!) == [2, 5])
            #expect(try await numbers("owner=\(pm)") == [2, 5])
            #expect(try await numbers("owner=none") == [3, 6, 7])
            #expect(try await numbers("owner=me&overdue=true", token: w.tokens["pm"]!) == [5])

            // Highest score first, ties by number, across pages; and lowest first.
            let scores = try await t.send(.GET, "/api/v1/projects/CRM/risks?sort=-score", token: pmo).items
            #expect(scores.compactMap { $0["score"] as? Int } == [25, 20, 12, 12, 10, 2, 1])
            #expect(try await walk("sort=-score&limit=3") == [2, 6, 4, 1, 5, 7, 3])
            #expect(try await walk("sort=score&limit=2") == [3, 7, 5, 1, 4, 6, 2])
            #expect(try await walk("sort=due&limit=2") == [1, 3, 5, 2, 4, 6, 7])
            #expect(try await walk("open=true&limit=2") == [1, 2, 4, 5, 6, 7])
            #expect(try await walk("sort=-number&limit=4") == [7, 6, 5, 4, 3, 2, 1])
            // Most recently changed first, across pages, after touching three risks.
            for number in [5, 2, 6] {
                #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/risks/\(number)", ["proximity": "near_term"]).status == .ok)
            }
            let byUpdate = try await walk("sort=-updated&limit=2")
            #expect(byUpdate.count == 7 && Set(byUpdate).count == 7)
            #expect(Array(byUpdate.prefix(3)) == [6, 2, 5])

            // Text search: title, description and the register's own fields; Japanese and capitals alike.
            #expect(try await numbers("q=" + Kit.encode("結合テスト")) == [1])
            #expect(try await numbers("q=" + Kit.encode("顧客マスタ")) == [7])
            #expect(try await numbers("q=MIGRATION") == [7])
            #expect(try await numbers("q=" + Kit.encode("バッチ連携")) == [6])
            #expect(try await numbers("q=" + Kit.encode("50%")) == [6])
            #expect(try await numbers("q=" + Kit.encode("no such text")) == [])

            // Bad parameters are named.
            for bad in ["status=bogus", "limit=0", "sort=priority", "cursor=garbage", "owner=someone", "colour=red"] {
                let res = try await t.send(.GET, "/api/v1/projects/CRM/risks?\(bad)", token: pmo)
                #expect(res.status == .unprocessableEntity, "\(bad)")
                #expect(res.problemCode == "query.invalid", "\(bad)")
            }
            // A cursor of one sort does not fit another.
            let first = try await t.send(.GET, "/api/v1/projects/CRM/risks?sort=-score&limit=2", token: pmo)
            let cursor = try #require(first.json["nextCursor"] as? String)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks?sort=due&limit=2&cursor=\(Kit.encode(cursor))", token: pmo).status
                    == .unprocessableEntity)
            // Registers do not mix.
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/decisions", token: pmo).items.isEmpty)
        }
    }

    /// A search finds text in a risk's own fields even when it holds a slash (API/バッチ).
    @Test(arguments: TestDatabase.available)
    func searchFindsTextWithASlashInTheRegistersOwnFields(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            var body = Kit.body(.risk, title: "データ移行の失敗")
            body["cause"] = "API/バッチ連携の不整合"
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: body).status == .created)
            let found = try await t.send(.GET, "/api/v1/projects/CRM/risks?q=" + Kit.encode("API/バッチ"), token: pmo)
            #expect(found.items.compactMap { $0["number"] as? Int } == [1])
        }
    }

    /// A search finds a file-server path (backslashes) written in a change's affected documents.
    @Test(arguments: TestDatabase.available)
    func searchFindsWindowsPathsInTheRegistersOwnFields(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let created = try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: [
                "title": "基本設計書の改訂", "affectedDocuments": #"\\fs01\設計書\基本設計.xlsx"#,
            ])
            #expect(created.status == .created)
            #expect(created.json["affectedDocuments"] as? String == #"\\fs01\設計書\基本設計.xlsx"#)
            let found = try await t.send(.GET, "/api/v1/projects/CRM/changes?q=" + Kit.encode(#"fs01\設計書"#), token: pmo)
            #expect(found.items.compactMap { $0["number"] as? Int } == [1])
        }
    }

    /// A search looks at what people wrote, not at how the product stores it: the word "impact" is in no risk's
    /// text here, yet every risk stores fields named impactSchedule, impactCost and impactQuality.
    @Test(arguments: TestDatabase.available)
    func searchMatchesWhatWasWrittenNotTheStoredFieldNames(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: Kit.body(.risk, title: "要員の離脱")).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo,
                                     json: Kit.body(.risk, title: "Impact on go-live")).status == .created)
            for word in ["impact", "probability", "riskType"] {
                let found = try await t.send(.GET, "/api/v1/projects/CRM/risks?q=\(word)", token: pmo)
                let expected = word == "impact" ? [2] : []
                #expect(found.items.compactMap { $0["number"] as? Int } == expected, "q=\(word)")
            }
        }
    }

    // MARK: 2. Workflows through PATCH

    @Test(arguments: TestDatabase.available)
    func refusedTransitionsNameTheAllowedNextStatuses(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            // (register, statuses to walk to first, refused status, the allowed-next list named)
            let cases: [(RegisterKind, [String], String, String)] = [
                (.risk, ["closed"], "assessed", "identified"),
                (.decision, [], "decided", "pending, deferred, rejected"),
                (.question, [], "confirmed", "answered, closed"),
                (.change, [], "approved", "assessing, rejected"),
                (.change, ["assessing", "approved"], "requested", "implemented"),
                (.action, ["done"], "in_progress", "open"),
                (.requirement, [], "verified", "agreed, dropped"),
            ]
            var numbers: [RegisterKind: Int] = [:]
            for (kind, walk, refused, allowed) in cases {
                let base = "/api/v1/projects/CRM/\(kind.plural)"
                let created = try await t.send(.POST, base, token: pmo, json: Kit.body(kind, title: "遷移 \(refused)"))
                #expect(created.status == .created)
                let number = created.json["number"] as? Int ?? 0
                numbers[kind] = number
                for status in walk {
                    let res = try await Kit.patch(t, pmo, "\(base)/\(number)", ["status": status])
                    #expect(res.status == .ok, "\(kind) → \(status): \(res.body.string)")
                }
                let version = try await Kit.etag(t, pmo, "\(base)/\(number)")
                let res = try await t.send(.PATCH, "\(base)/\(number)", token: pmo, json: ["status": refused], headers: [("If-Match", version)])
                #expect(res.status == .unprocessableEntity, "\(kind) → \(refused)")
                #expect(res.problemCode == "\(kind.rawValue).transition_not_allowed")
                #expect(Kit.errors(res) == ["status:transition_not_allowed"])
                let detail = res.json["detail"] as? String ?? ""
                #expect(detail.contains("Allowed next: \(allowed)."), "\(detail)")
                // Nothing changed.
                #expect(try await Kit.etag(t, pmo, "\(base)/\(number)") == version)
            }
            // An unknown status is not a transition problem but a bad choice.
            let unknown = try await Kit.patch(t, pmo, "/api/v1/projects/CRM/actions/1", ["status": "finished"])
            #expect(unknown.problemCode == "action.invalid")
            #expect(Kit.errors(unknown) == ["status:invalid_choice"])
            // Reopening a done action clears its done date.
            let reopened = try await Kit.patch(t, pmo, "/api/v1/projects/CRM/actions/1", ["status": "open"])
            #expect(reopened.status == .ok)
            #expect(reopened.json["doneOn"] is NSNull)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRiskOccursOnlyThroughTheOccurrenceStep(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: Kit.body(.risk, title: "r")).status == .created)
            let res = try await Kit.patch(t, pmo, "/api/v1/projects/CRM/risks/1", ["status": "occurred"])
            #expect(res.status == .unprocessableEntity)
            #expect(res.problemCode == "risk.invalid")
            #expect(Kit.errors(res) == ["status:use_occurrence"])
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/1", token: pmo).json["status"] as? String == "identified")
        }
    }

    // MARK: 3. Risk occurred → issue

    @Test(arguments: TestDatabase.available)
    func aRiskThatOccursRaisesALinkedIssue(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let member = Kit.id(w, "member")
            var body = Kit.body(.risk, title: "結合テスト環境の遅延")
            body["probability"] = 4
            body["impactSchedule"] = 5
            body["owner"] = member
            body["cause"] = "環境構築ベンダーの要員不足"
            body["effect"] = "結合テスト開始が2週間遅れる"
            body["responseActions"] = "代替環境を手配する"
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: body).status == .created)

            let path = "/api/v1/projects/CRM/risks/1/occurred"
            #expect(try await t.send(.POST, path, token: pmo).status == .preconditionRequired)
            #expect(try await t.send(.POST, path, token: pmo, headers: [("If-Match", "\"7\"")]).status == .conflict)
            #expect(try await t.send(.POST, path, token: w.tokens["viewer"]!, headers: [("If-Match", "\"1\"")]).status == .forbidden)

            let occurred = try await t.send(.POST, path, token: pmo, headers: [("If-Match", "\"1\"")])
            #expect(occurred.status == .created, "\(occurred.body.string)")
            let riskJSON = occurred.json["risk"] as? [String: Any] ?? [:]
            let issueJSON = occurred.json["issue"] as? [String: Any] ?? [:]
            #expect(riskJSON["status"] as? String == "occurred")
            #expect(riskJSON["version"] as? Int == 2)
            #expect(issueJSON["reference"] as? String == "CRM-I1")
            #expect(issueJSON["title"] as? String == "CRM-R1: 結合テスト環境の遅延")

            // The risk causes the issue; each end shows the link.
            let links = try await t.send(.GET, "/api/v1/projects/CRM/risks/1/links", token: pmo)
            #expect(links.items.count == 1)
            #expect(links.items.first?["kind"] as? String == "causes")
            #expect(links.items.first?["direction"] as? String == "outgoing")
            #expect(links.items.first?["reference"] as? String == "CRM-I1")
            #expect(links.items.first?["register"] as? String == "issue")
            let itemLinks = try await t.send(.GET, "/api/v1/projects/CRM/issues/1/item-links", token: pmo)
            #expect(itemLinks.items.count == 1)
            #expect(itemLinks.items.first?["kind"] as? String == "causes")
            #expect(itemLinks.items.first?["direction"] as? String == "incoming")
            #expect(itemLinks.items.first?["reference"] as? String == "CRM-R1")
            #expect(itemLinks.items.first?["register"] as? String == "risk")

            // The issue carries the risk's owner, cause and response; a score of 20 makes it critical.
            let issue = try await t.send(.GET, "/api/v1/projects/CRM/issues/1", token: pmo)
            #expect((issue.json["owner"] as? [String: Any])?["id"] as? String == member)
            #expect(issue.json["priority"] as? String == "critical")
            #expect(issue.json["cause"] as? String == "環境構築ベンダーの要員不足")
            #expect(issue.json["nextAction"] as? String == "代替環境を手配する")
            #expect((issue.json["description"] as? String)?.contains("結合テスト開始が2週間遅れる") == true)

            let risk = try await t.send(.GET, "/api/v1/projects/CRM/risks/1", token: pmo)
            #expect(risk.json["status"] as? String == "occurred")
            #expect(risk.json["open"] as? Bool == false)
            let history = try await t.send(.GET, "/api/v1/projects/CRM/risks/1/history", token: pmo).items
            #expect(history.map { $0["action"] as? String } == ["create", "update", "link"])
            #expect(((history.last?["changes"] as? [[String: Any]]) ?? []).first?["to"] as? String == "CRM-I1")

            // Twice is refused, and no second issue appears.
            let again = try await t.send(.POST, path, token: pmo, headers: [("If-Match", risk.headers.first(name: .eTag) ?? "")])
            #expect(again.status == .conflict)
            #expect(again.problemCode == "risk.already_occurred")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues", token: pmo).items.count == 1)

            // A closed risk must be reopened first: refused by the workflow, nothing raised.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: Kit.body(.risk, title: "閉じたリスク")).status == .created)
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/risks/2", ["status": "closed"]).status == .ok)
            let closed = try await t.send(.POST, "/api/v1/projects/CRM/risks/2/occurred", token: pmo, headers: [("If-Match", "\"2\"")])
            #expect(closed.status == .unprocessableEntity)
            #expect(closed.problemCode == "risk.transition_not_allowed")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues", token: pmo).items.count == 1)
        }
    }

    // MARK: 4. Question → change request

    @Test(arguments: TestDatabase.available)
    func anAnsweredQuestionBecomesAChangeRequest(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!
            let member = w.tokens["member"]!
            let created = try await t.send(.POST, "/api/v1/projects/CRM/questions", token: member, json: [
                "title": "請求締め日の扱い", "description": "月末締めか20日締めか", "relatedTo": "REQ-012", "owner": Kit.id(w, "member"),
            ])
            #expect(created.status == .created)
            let path = "/api/v1/projects/CRM/questions/1"

            let early = try await t.send(.POST, "\(path)/change-request", token: pm)
            #expect(early.status == .unprocessableEntity)
            #expect(early.problemCode == "question.not_answered")

            // Who answered and when are the product's to record.
            for field in ["answeredOn", "answeredBy"] {
                let value = field == "answeredOn" ? "2026-01-01" : Kit.id(w, "pmo")
                let res = try await Kit.patch(t, pm, path, [field: value])
                #expect(res.status == .unprocessableEntity)
                #expect(res.problemCode == "question.invalid")
                #expect(Kit.errors(res) == ["\(field):read_only"])
            }
            #expect(Kit.errors(try await Kit.patch(t, pm, path, ["status": "answered"])) == ["answer:required_here"])
            let answered = try await Kit.patch(t, pm, path, ["status": "answered", "answer": "20日締めとする"])
            #expect(answered.status == .ok, "\(answered.body.string)")
            #expect((answered.json["answeredBy"] as? [String: Any])?["id"] as? String == Kit.id(w, "pm"))
            #expect(answered.json["answeredOn"] as? String == Kit.today(w.users["pm"]!))
            #expect(answered.json["open"] as? Bool == true, "answered is not yet confirmed")

            let converted = try await t.send(.POST, "\(path)/change-request", token: pm)
            #expect(converted.status == .created, "\(converted.body.string)")
            #expect(converted.headers.first(name: .location) == "/api/v1/projects/CRM/changes/1")
            #expect(converted.json["reference"] as? String == "CRM-C1")
            #expect(converted.json["status"] as? String == "requested")
            #expect(converted.json["title"] as? String == "請求締め日の扱い")
            #expect(converted.json["requestedBy"] as? String == "member")
            #expect(converted.json["affectedRequirements"] as? String == "REQ-012")
            #expect((converted.json["reason"] as? String)?.contains("20日締めとする") == true)

            let changeLinks = try await t.send(.GET, "/api/v1/projects/CRM/changes/1/links", token: pm).items
            #expect(changeLinks.map { $0["kind"] as? String } == ["derived_from"])
            #expect(changeLinks.map { $0["direction"] as? String } == ["outgoing"])
            #expect(changeLinks.map { $0["reference"] as? String } == ["CRM-Q1"])
            let questionLinks = try await t.send(.GET, "\(path)/links", token: pm).items
            #expect(questionLinks.map { $0["direction"] as? String } == ["incoming"])
            #expect(questionLinks.map { $0["reference"] as? String } == ["CRM-C1"])

            let question = try await t.send(.GET, path, token: pm)
            #expect(question.json["changesSpecification"] as? Bool == true)
            #expect(question.json["status"] as? String == "answered")

            let again = try await t.send(.POST, "\(path)/change-request", token: pm)
            #expect(again.status == .conflict)
            #expect(again.problemCode == "question.already_converted")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/changes", token: pm).items.count == 1)
        }
    }

    /// On create as on PATCH, an automatic field is refused once, as read-only.
    @Test(arguments: TestDatabase.available)
    func automaticFieldsAreReadOnlyOnCreateToo(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let res = try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: w.tokens["pmo"]!,
                                       json: ["title": "x", "decidedOn": "2026-01-01"])
            #expect(res.status == .unprocessableEntity)
            #expect(Kit.errors(res) == ["decidedOn:read_only"])
        }
    }

    // MARK: 7. My work and the overview

    @Test(arguments: TestDatabase.available)
    func myWorkListsWhatIOwnOrMustDecideSoonestFirst(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let member = Kit.id(w, "member")
            let pm = Kit.id(w, "pm")
            func create(_ kind: RegisterKind, _ fields: [String: Any?]) async throws {
                var body = Kit.body(kind, title: fields["title"] as? String ?? "x")
                body.merge(fields) { _, new in new }
                let res = try await t.send(.POST, "/api/v1/projects/CRM/\(kind.plural)", token: pmo, json: body)
                #expect(res.status == .created, "\(res.body.string)")
            }
            try await create(.action, ["title": "議事録の配布", "owner": member, "dueDate": "2030-01-10"])                     // A1
            try await create(.decision, ["title": "移行方式の決定", "owner": pm, "decider": member, "dueDate": "2030-02-01"])   // D1
            _ = try await t.createIssue(pmo, ["title": "名寄せルール未確定", "owner": member, "dueDate": "2030-03-01"])             // I1
            try await create(.risk, ["title": "結合テスト環境の遅延", "owner": member, "dueDate": "2030-05-01"])                  // R1
            try await create(.question, ["title": "帳票の出力形式は？", "owner": member])                                       // Q1, no due date
            try await create(.action, ["title": "済んだ宿題", "owner": member, "dueDate": "2020-01-01", "status": "done"])     // A2, finished
            try await create(.decision, ["title": "他人の決定", "owner": Kit.id(w, "pmo"), "decider": Kit.id(w, "pmo")])       // D2, not mine
            try await create(.risk, ["title": "他人のリスク", "owner": pm, "dueDate": "2020-01-01"])                           // R2, not mine, overdue
            try await create(.change, ["title": "却下済み", "owner": member, "status": "rejected"])                           // C1, finished
            try await create(.decision, ["title": "却下済み決定", "decider": member, "status": "rejected"])                  // D3, finished
            _ = try await t.createIssue(pmo, ["title": "解決済み", "owner": member, "status": "resolved"])                     // I2, finished

            let work = try await t.send(.GET, "/api/v1/me/work", token: w.tokens["member"]!)
            #expect(work.status == .ok)
            #expect(work.items.map { $0["reference"] as? String } == ["CRM-A1", "CRM-D1", "CRM-I1", "CRM-R1", "CRM-Q1"])
            #expect(work.items.map { $0["register"] as? String } == ["action", "decision", "issue", "risk", "question"])
            #expect(work.items.map { $0["mustDecide"] as? Bool } == [false, true, false, false, false])
            #expect(work.items.first?["title"] as? String == "議事録の配布")
            #expect(work.items.last?["dueDate"] is NSNull)
            #expect(work.items.allSatisfy { $0["overdue"] as? Bool == false })

            // Finishing an item takes it off the list.
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/actions/1", ["status": "done"]).status == .ok)
            let after = try await t.send(.GET, "/api/v1/me/work", token: w.tokens["member"]!)
            #expect(after.items.map { $0["reference"] as? String } == ["CRM-D1", "CRM-I1", "CRM-R1", "CRM-Q1"])
            // The PM owns D1 and R2: R2 is overdue, so first.
            let pmWork = try await t.send(.GET, "/api/v1/me/work", token: w.tokens["pm"]!)
            #expect(pmWork.items.map { $0["reference"] as? String } == ["CRM-R2", "CRM-D1"])
            #expect(pmWork.items.first?["overdue"] as? Bool == true)
            #expect(pmWork.items.map { $0["mustDecide"] as? Bool } == [false, false])
            // Someone with nothing to do has an empty list.
            #expect(try await t.send(.GET, "/api/v1/me/work", token: w.tokens["viewer"]!).items.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOverviewCountsOpenOverdueAndAgeingItemsPerRegister(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            func create(_ kind: RegisterKind, _ fields: [String: Any?]) async throws {
                var body = Kit.body(kind, title: "x")
                body.merge(fields) { _, new in new }
                #expect(try await t.send(.POST, "/api/v1/projects/CRM/\(kind.plural)", token: pmo, json: body).status == .created)
            }
            try await create(.risk, ["dueDate": "2020-01-01"])                          // open, overdue
            try await create(.risk, ["dueDate": "2099-01-01"])                          // open
            try await create(.risk, ["dueDate": "2020-01-01", "status": "closed"])      // finished: not overdue
            try await create(.question, ["dueDate": "2020-06-01", "status": "answered", "answer": "はい"])  // open, waits for the asker
            try await create(.question, ["dueDate": "2020-06-01"])                      // unanswered past its date: overdue
            try await create(.action, ["status": "done", "dueDate": "2020-01-01"])      // finished
            _ = try await t.createIssue(pmo, ["title": "遅れている課題", "dueDate": "2020-01-01"])
            // An action raised 40 days ago and still open is ageing.
            var past = t.store
            let then = Date().addingTimeInterval(-40 * 86_400)
            past.clock = { then }
            _ = try await past.items.createRegisterItem(w.users["pmo"]!, key: "CRM", kind: .action,
                                                  fields: RegisterItemFields(title: "古い宿題", status: "open"))

            let overview = try await t.send(.GET, "/api/v1/projects/CRM/overview", token: w.tokens["viewer"]!)
            #expect(overview.status == .ok)
            let registers = overview.json["registers"] as? [[String: Any]] ?? []
            #expect(registers.map { $0["register"] as? String } == ["issue", "risk", "decision", "question", "change", "action", "system", "interface", "function", "requirement", "test", "unit", "escalation", "raci"])
            #expect(registers.map { $0["letter"] as? String } == ["I", "R", "D", "Q", "C", "A", "S", "F", "B", "N", "T", "U", "E", "K"])
            func counts(_ name: String) -> [Int] {
                let row = registers.first { $0["register"] as? String == name } ?? [:]
                return ["open", "overdue", "ageing", "total"].map { row[$0] as? Int ?? -1 }
            }
            #expect(counts("issue") == [1, 1, 0, 1])
            #expect(counts("risk") == [2, 1, 0, 3])
            #expect(counts("decision") == [0, 0, 0, 0])
            #expect(counts("question") == [2, 1, 0, 2])
            #expect(counts("change") == [0, 0, 0, 0])
            #expect(counts("action") == [1, 0, 1, 2])
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/overview", token: w.tokens["outsider"]!).status == .notFound)
        }
    }
}

/// Small helpers of the register suites.
enum RegisterTestKit {
    /// The smallest valid create body of a register (a risk needs its type, category and ratings).
    static func body(_ kind: RegisterKind, title: String) -> [String: Any?] {
        var body: [String: Any?] = ["title": title]
        switch kind {
        case .risk:
            body.merge(["riskType": "threat", "category": "schedule", "probability": 3, "impactSchedule": 2, "impactCost": 4,
                        "impactQuality": 1]) { _, new in new }
        case .system:
            body["systemKind"] = "new"
        case .interface:
            // Tests that walk every register create systems 1 to 4 (or more) before they reach the interfaces.
            body.merge(["source": "S1", "target": "CRM-S4", "method": "api"]) { _, new in new }
        case .requirement:
            body.merge(["requirementType": "functional", "moscow": "must"]) { _, new in new }
        case .test:
            body["testLevel"] = "system"
        case .unit:
            body["unitKind"] = "pmo"
        case .raci:
            body.merge(["rowKind": "deliverable", "responsible": ["U4"], "accountable": "CRM-U1"]) { _, new in new }
        case .escalation:
            // Tests that walk every register create units 1 to 4 (or more) before they reach the escalation routes.
            body.merge(["fromUnit": "U4", "toUnit": "CRM-U1", "escalationLevel": "1", "minPriority": "high", "withinDays": 3]) { _, new in new }
        default:
            break
        }
        return body
    }

    static func id(_ w: World, _ name: String) -> String { w.users[name]!.userID.uuidString.lowercased() }

    /// Today in the user's time zone, as the product records dates.
    static func today(_ caller: Caller) -> String {
        CalendarDate(Date(), in: TimeZone(identifier: caller.timeZone) ?? TimeZone(identifier: "Asia/Tokyo")!).description
    }

    /// A JSON number as a Double, however the decoder boxed it.
    static func number(_ value: Any?) -> Double? {
        if let n = value as? NSNumber { return n.doubleValue }
        if let i = value as? Int { return Double(i) }
        return value as? Double
    }

    static func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }

    /// `field:code` of every field error of a problem.
    static func errors(_ res: TestingHTTPResponse) -> [String] {
        ((res.json["errors"] as? [[String: Any]]) ?? []).map { "\($0["field"] as? String ?? "?"):\($0["code"] as? String ?? "?")" }
    }

    /// The item's current ETag as `token` sees it.
    static func etag(_ t: TestApp, _ token: String, _ path: String) async throws -> String {
        try await t.send(.GET, path, token: token).headers.first(name: .eTag) ?? "\"0\""
    }

    /// PATCHes with the item's current ETag (read first as the same user).
    static func patch(_ t: TestApp, _ token: String, _ path: String, _ json: [String: Any?]) async throws -> TestingHTTPResponse {
        let version = try await etag(t, token, path)
        return try await t.send(.PATCH, path, token: token, json: json, headers: [("If-Match", version)])
    }
}
