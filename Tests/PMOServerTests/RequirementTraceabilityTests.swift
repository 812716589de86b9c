import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// Requirements (N) and tests (T) through the API and the pages, and the traceability matrix they make with the
/// systems, the plan's activities and the changes: each gap on a prepared case, and only what the reader may see.
@Suite("Requirements, tests and traceability")
struct RequirementTraceabilityTests {
    typealias Kit = RegisterTestKit

    static func requirement(_ t: TestApp, _ token: String, _ fields: [String: Any?]) async throws -> TestingHTTPResponse {
        let body: [String: Any?] = ["title": "顧客を電話番号で検索できること", "requirementType": "functional", "moscow": "must"]
        return try await t.send(.POST, "/api/v1/projects/CRM/requirements", token: token, json: body.merging(fields) { _, new in new })
    }

    static func test(_ t: TestApp, _ token: String, _ fields: [String: Any?]) async throws -> TestingHTTPResponse {
        let body: [String: Any?] = ["title": "TS-001 顧客検索", "testLevel": "system"]
        return try await t.send(.POST, "/api/v1/projects/CRM/tests", token: token, json: body.merging(fields) { _, new in new })
    }

    static func system(_ t: TestApp, _ token: String, _ title: String, code: String, _ extra: [String: Any?] = [:], key: String = "CRM") async throws {
        let res = try await SystemRegisterTests.system(t, token, title, code: code, extra, key: key)
        #expect(res.status == .created, "\(res.body.string)")
    }

    static func activity(_ t: TestApp, _ token: String, _ name: String) async throws -> Int {
        try #require(try await t.send(.POST, "/api/v1/projects/CRM/plan/activities", token: token, json: ["name": name]).json["uid"] as? Int)
    }

    @Test(arguments: TestDatabase.available)
    func aRequirementNamesSystemsAndActivitiesOfItsProject(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.system(t, pmo, "顧客管理", code: "CRM")
            try await Self.system(t, pmo, "基幹", code: "ERP")
            _ = try await t.store.projects.create(by: w.admin, ProjectFields(key: "OPS", name: "Operations"))
            try await Self.system(t, w.tokens["sysadmin"]!, "運用監視", code: "MON", key: "OPS")
            let uid = try await Self.activity(t, w.tokens["pm"]!, "画面製造（顧客管理）")

            let ok = try await Self.requirement(t, pmo, ["systems": ["S1", "CRM-S2"], "activities": [uid], "status": "agreed",
                                                         "acceptanceCriteria": "3 秒以内に結果が出ること"])
            #expect(ok.status == .created, "\(ok.body.string)")
            #expect(ok.json["reference"] as? String == "CRM-N1")
            #expect(ok.json["systems"] as? [String] == ["CRM-S1", "CRM-S2"])
            #expect((ok.json["activities"] as? [Any])?.compactMap { Kit.number($0).map(Int.init) } == [uid])
            // Agreeing records the day, which the matrix measures changes against.
            #expect(ok.json["agreedOn"] as? String == Kit.today(w.users["pmo"]!))

            let refusals: [([String: Any?], String)] = [
                (["systems": ["S9"]], "systems:not_found"),
                (["systems": ["OPS-S1"]], "systems:invalid_reference"),
                (["systems": ["F1"]], "systems:invalid_reference"),
                (["activities": [uid + 100]], "activities:not_found"),
                (["activities": [0]], "activities:invalid_reference"),
                (["requirementType": "non_functional"], "nfrGroup:required_here"),
                (["nfrGroup": "security"], "nfrGroup:not_allowed"),
                (["moscow": "maybe"], "moscow:invalid_choice"),
                (["requirementType": nil], "requirementType:required"),
            ]
            for (fields, expected) in refusals {
                let res = try await Self.requirement(t, pmo, fields)
                #expect(res.status == .unprocessableEntity, "\(fields)")
                #expect(Kit.errors(res).contains(expected), "\(fields): \(res.body.string)")
            }
            #expect(try await Self.requirement(t, pmo, ["requirementType": "non_functional", "nfrGroup": "performance"]).status == .created)
            let list = try await t.send(.GET, "/api/v1/projects/CRM/requirements", token: pmo)
            #expect(list.items.map { $0["number"] as? Int } == [1, 2])

            // A system a requirement names stays.
            let refused = try await t.send(.DELETE, "/api/v1/projects/CRM/systems/1", token: pmo, headers: [("If-Match", "\"1\"")])
            #expect(refused.status == .conflict && refused.problemCode == "system.in_use")
            #expect((refused.json["detail"] as? String)?.contains("N1") == true, "\(refused.body.string)")

            // The form reads the lists back as typed and shows the names.
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            let saved = try await browser.post("/projects/CRM/requirements", [
                "title": "与信を照会できること", "status": "draft", "requirementType": "functional", "moscow": "should",
                "systems": "S2、CRM-S1", "activities": "#\(uid)", "visibility": "project",
            ])
            #expect(saved.status == .seeOther, "\(saved.body.string)")
            let page = try await browser.get("/projects/CRM/requirements/3")
            #expect(page.body.string.contains("CRM-S2 基幹 (ERP)") && page.body.string.contains("#\(uid) 画面製造（顧客管理）"), "\(page.body.string)")
            let bad = try await browser.post("/projects/CRM/requirements", [
                "title": "存在しないシステム", "status": "draft", "requirementType": "functional", "moscow": "should",
                "systems": "S1, X7", "visibility": "project",
            ])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("存在しないシステム"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aTestVerifiesRequirementsAndNeedsItsRunDateOnceRun(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.requirement(t, pmo, [:]).status == .created)
            let run = try await Self.test(t, pmo, ["verifies": ["N1"], "status": "passed"])
            #expect(Kit.errors(run) == ["executedOn:required_here"], "\(run.body.string)")
            #expect(Kit.errors(try await Self.test(t, pmo, ["verifies": ["N2"]])) == ["verifies:not_found"])
            #expect(Kit.errors(try await Self.test(t, pmo, ["testLevel": "smoke"])) == ["testLevel:invalid_choice"])
            let ok = try await Self.test(t, pmo, ["verifies": ["CRM-N1"], "status": "failed", "executedOn": "2026-11-30"])
            #expect(ok.status == .created && ok.json["reference"] as? String == "CRM-T1", "\(ok.body.string)")
            // A planned test is work with a date; a failed one may be run again and pass.
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/tests/1", ["status": "passed", "executedOn": "2026-12-01"]).status == .ok)
            let refused = try await t.send(.DELETE, "/api/v1/projects/CRM/requirements/1", token: pmo, headers: [("If-Match", "\"1\"")])
            #expect(refused.status == .conflict && refused.problemCode == "requirement.in_use")
            #expect((refused.json["detail"] as? String)?.contains("T1") == true)
        }
    }

    /// A prepared case with one requirement per gap, and one with none, read as JSON, as a page and as a workbook.
    @Test(arguments: TestDatabase.available)
    func theMatrixShowsEachGapOnAPreparedCase(_ db: TestDatabase) async throws {
        typealias X = RegisterExchangeTests
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.system(t, pmo, "顧客管理", code: "CRM")
            try await Self.system(t, pmo, "基幹", code: "ERP")
            try await Self.system(t, pmo, "B社の社内基盤", code: "BIN", ["visibility": "company", "visibilityCompanyId": w.vendorB.uuidString.lowercased()])
            let a = try await Self.activity(t, w.tokens["pm"]!, "画面製造")
            let gone = try await Self.activity(t, w.tokens["pm"]!, "消えるアクティビティ")
            func req(_ fields: [String: Any?]) async throws {
                let res = try await Self.requirement(t, pmo, fields)
                #expect(res.status == .created, "\(res.body.string)")
            }
            try await req(["title": "完全", "systems": ["S1"], "activities": [a], "status": "agreed"])                   // N1: no gaps
            try await req(["title": "システムなし", "activities": [a]])                                                 // N2
            try await req(["title": "アクティビティなし", "systems": ["S2"], "activities": [gone]])                       // N3
            try await req(["title": "合意後に変更", "systems": ["S1"], "activities": [a], "status": "agreed"])           // N4
            try await req(["title": "変更の本文で指名", "systems": ["S1", "S3"], "activities": [a], "status": "agreed"])  // N5
            try await req(["title": "取り下げ", "status": "dropped"])                                                    // N6
            try await req(["title": "B社のみ", "visibility": "company", "visibilityCompanyId": w.vendorB.uuidString.lowercased()])  // N7
            // The deleted activity no longer builds N3.
            let version = try await Kit.etag(t, w.tokens["pm"]!, "/api/v1/projects/CRM/plan/activities/\(gone)")
            let deleted = try await t.send(.DELETE, "/api/v1/projects/CRM/plan/activities/\(gone)", token: w.tokens["pm"]!, headers: [("If-Match", version)])
            #expect(deleted.status == .noContent, "\(deleted.body.string)")
            for (n, status) in [(1, "passed"), (2, "failed"), (4, "passed"), (5, "passed")] {
                #expect(try await Self.test(t, pmo, ["verifies": ["N\(n)"], "status": status, "executedOn": "2026-11-30"]).status == .created)
            }
            #expect(try await Self.test(t, pmo, ["verifies": ["N3"]]).status == .created)    // planned: not yet a pass
            // Changes raised after agreement: one linked, one naming the requirement in its text; a rejected one
            // linked to N1 changed nothing.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: ["title": "検索条件の変更"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/requirements/4/links", token: pmo, json: ["to": "C1", "kind": "relates_to"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo,
                                     json: ["title": "帳票の変更", "affectedRequirements": "CRM-N5、REQ-030"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: ["title": "却下", "status": "rejected"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes/3/links", token: pmo, json: ["to": "N1", "kind": "relates_to"]).status == .created)

            let matrix = try await t.send(.GET, "/api/v1/projects/CRM/requirements/traceability", token: pmo)
            #expect(matrix.status == .ok, "\(matrix.body.string)")
            let rows = matrix.json["rows"] as? [[String: Any]] ?? []
            let gaps = Dictionary(uniqueKeysWithValues: rows.map { ($0["reference"] as? String ?? "", $0["gaps"] as? [String] ?? []) })
            #expect(gaps == [
                "CRM-N1": [], "CRM-N2": ["no_system", "no_passed_test"], "CRM-N3": ["no_activity", "no_passed_test"],
                "CRM-N4": ["changed_after_agreement"], "CRM-N5": ["changed_after_agreement"], "CRM-N6": [],
                "CRM-N7": ["no_system", "no_activity", "no_passed_test"],
            ], "\(matrix.body.string)")
            #expect(matrix.json["gapCounts"] as? [String: Int] == ["no_system": 2, "no_activity": 2, "no_passed_test": 3, "changed_after_agreement": 2])
            #expect(matrix.json["requirements"] as? Int == 6)
            #expect((matrix.json["systems"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } == ["CRM-S1", "CRM-S2", "CRM-S3"])
            let n1 = try #require(rows.first { $0["reference"] as? String == "CRM-N1" })
            #expect((n1["changes"] as? [[String: Any]])?.first?["status"] as? String == "rejected")
            let only = try await t.send(.GET, "/api/v1/projects/CRM/requirements/traceability?gap=no_system", token: pmo)
            #expect((only.json["rows"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } == ["CRM-N2", "CRM-N7"])
            let wrong = try await t.send(.GET, "/api/v1/projects/CRM/requirements/traceability?gap=everything", token: pmo)
            #expect(wrong.status == .unprocessableEntity && Kit.errors(wrong) == ["gap:invalid_choice"])

            // Vendor A sees neither B's requirement nor B's system, and no column or gap of them.
            let vendor = try await t.send(.GET, "/api/v1/projects/CRM/requirements/traceability", token: w.tokens["vendorA"]!)
            #expect((vendor.json["rows"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } == (1...6).map { "CRM-N\($0)" })
            #expect((vendor.json["systems"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } == ["CRM-S1", "CRM-S2"])
            #expect(!vendor.body.string.contains("B社"))

            // The page: one column per system, the gaps as filters.
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            let page = try await browser.get("/projects/CRM/requirements/traceability?gap=changed_after_agreement")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("id=\"N4\"") && html.contains("id=\"N5\"") && !html.contains("id=\"N1\""), "\(html)")
            #expect(html.contains("Changed after agreement 2"))

            // The workbook, read back by openpyxl: the matrix sheet has a column per system and a ● where one realises a requirement.
            let file = try await t.send(.GET, "/api/v1/projects/CRM/requirements/traceability.xlsx", token: pmo)
            #expect(file.status == .ok)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-trace-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("trace.xlsx")
            try Data(buffer: file.body).write(to: path)
            let dump = try JSONSerialization.jsonObject(with: Data(try X.tool(["dump", path.path]).utf8)) as! [String: Any]
            let sheets = dump["sheets"] as! [[String: Any]]
            #expect(sheets.compactMap { $0["name"] as? String } == ["Requirements x systems", "Requirements x verification", "Changes after agreement"])
            let grid = (sheets[0]["rows"] as! [[[String: Any]]]).map { $0.map { $0["v"] as? String ?? "" } }
            let crm = try #require(grid[0].firstIndex(of: "CRM")), bin = try #require(grid[0].firstIndex(of: "BIN"))
            #expect(grid[1][0] == "CRM-N1" && grid[1][crm] == "●" && grid[5][bin] == "●")
            #expect(grid[2].last == "No system, No passed test")
            let changes = (sheets[2]["rows"] as! [[[String: Any]]]).dropFirst().map { ($0[0]["v"] as? String ?? "", $0[3]["v"] as? String ?? "") }
            #expect(changes.map { "\($0.0) \($0.1)" } == ["CRM-N1 CRM-C3", "CRM-N4 CRM-C1", "CRM-N5 CRM-C2"])
        }
    }
}
