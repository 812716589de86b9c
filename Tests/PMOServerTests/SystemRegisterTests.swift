import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The project's systems (S) and interfaces (F, the IF一覧) through the API and the pages: an interface names two
/// systems of its project, never one twice, never a missing or hidden one, and a system an interface names stays.
@Suite("Systems and interfaces")
struct SystemRegisterTests {
    typealias Kit = RegisterTestKit

    static func system(_ t: TestApp, _ token: String, _ title: String, code: String, _ extra: [String: Any?] = [:],
                       key: String = "CRM") async throws -> TestingHTTPResponse {
        let body: [String: Any?] = ["title": title, "code": code, "systemKind": "changed"]
        return try await t.send(.POST, "/api/v1/projects/\(key)/systems", token: token, json: body.merging(extra) { _, new in new })
    }

    static func interface(_ t: TestApp, _ token: String, _ fields: [String: Any?]) async throws -> TestingHTTPResponse {
        let body: [String: Any?] = ["title": "顧客マスタ連携", "source": "S1", "target": "S2", "method": "file"]
        return try await t.send(.POST, "/api/v1/projects/CRM/interfaces", token: token, json: body.merging(fields) { _, new in new })
    }

    @Test(arguments: TestDatabase.available)
    func anInterfaceJoinsTwoSystemsOfItsProject(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.system(t, pmo, "顧客管理システム", code: "CRM").status == .created)
            #expect(try await Self.system(t, pmo, "請求システム", code: "BIL", ["builtBy": w.vendorA.uuidString.lowercased()]).status == .created)
            // Another project with a system of its own, S1 there too.
            _ = try await t.store.projects.create(by: w.admin, ProjectFields(key: "OPS", name: "Operations"))
            #expect(try await Self.system(t, w.tokens["sysadmin"]!, "運用監視", code: "MON", key: "OPS").status == .created)

            let ok = try await Self.interface(t, pmo, ["source": "CRM-S1", "target": "S2", "dueDate": "2030-04-30",
                                                       "testPlannedStart": "2030-06-01", "testPlannedEnd": "2030-06-12",
                                                       "sourceVendor": w.vendorA.uuidString.lowercased()])
            #expect(ok.status == .created, "\(ok.body.string)")
            #expect(ok.json["reference"] as? String == "CRM-F1")
            #expect(ok.json["source"] as? String == "CRM-S1")
            #expect(ok.json["target"] as? String == "CRM-S2")
            #expect(ok.json["method"] as? String == "file")
            #expect((ok.json["sourceVendor"] as? [String: Any])?["name"] as? String == "Vendor A")

            // Each refusal names its field, and nothing is stored.
            let refusals: [([String: Any?], String)] = [
                (["target": "S1"], "target:same_as_source"),
                (["target": "S9"], "target:not_found"),
                (["source": "OPS-S1"], "source:invalid_reference"),
                (["source": "R1"], "source:invalid_reference"),
                (["method": "carrier_pigeon"], "method:invalid_choice"),
                (["source": nil], "source:required"),
                (["testPlannedStart": "2030-06-12", "testPlannedEnd": "2030-06-01"], "testPlannedEnd:before_start"),
                (["testActualStart": "2030-06-12", "testActualEnd": "2030-06-11"], "testActualEnd:before_start"),
            ]
            for (fields, expected) in refusals {
                let res = try await Self.interface(t, pmo, fields)
                #expect(res.status == .unprocessableEntity, "\(fields)")
                #expect(Kit.errors(res).contains(expected), "\(fields): \(res.body.string)")
            }
            let list = try await t.send(.GET, "/api/v1/projects/CRM/interfaces", token: pmo)
            #expect(list.items.map { $0["number"] as? Int } == [1])

            // A patch is checked the same way.
            let loop = try await Kit.patch(t, pmo, "/api/v1/projects/CRM/interfaces/1", ["target": "CRM-S1"])
            #expect(Kit.errors(loop) == ["target:same_as_source"])
            let moved = try await Kit.patch(t, pmo, "/api/v1/projects/CRM/interfaces/1", ["source": "S2", "target": "S1", "method": "api"])
            #expect(moved.status == .ok, "\(moved.body.string)")
            #expect(moved.json["source"] as? String == "CRM-S2")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSystemAnInterfaceNamesIsNotDeleted(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            for (name, code) in [("顧客管理", "CRM"), ("請求", "BIL"), ("帳票", "RPT")] {
                #expect(try await Self.system(t, pmo, name, code: code).status == .created)
            }
            #expect(try await Self.interface(t, pmo, [:]).status == .created)                               // F1: S1 → S2
            #expect(try await Self.interface(t, pmo, ["source": "S3", "target": "S2"]).status == .created)  // F2: S3 → S2
            let refused = try await t.send(.DELETE, "/api/v1/projects/CRM/systems/2", token: pmo, headers: [("If-Match", "\"1\"")])
            #expect(refused.status == .conflict)
            #expect(refused.problemCode == "system.in_use")
            #expect((refused.json["detail"] as? String)?.contains("F1, F2") == true, "\(refused.body.string)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/systems/2", token: pmo).status == .ok)
            // A system no interface names goes; once its interfaces go, so may the other.
            for n in [1, 2] {
                #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/interfaces/\(n)", token: pmo, headers: [("If-Match", "\"1\"")]).status == .noContent)
            }
            #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/systems/2", token: pmo, headers: [("If-Match", "\"1\"")]).status == .noContent)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDesignDeadlinePassedWithoutAgreementIsOverdue(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.system(t, pmo, "顧客管理", code: "CRM").status == .created)
            #expect(try await Self.system(t, pmo, "請求", code: "BIL").status == .created)
            #expect(try await Self.interface(t, pmo, ["dueDate": "2020-01-31", "status": "designing"]).json["overdue"] as? Bool == true)
            #expect(try await Self.interface(t, pmo, ["dueDate": "2020-01-31", "status": "agreed"]).json["overdue"] as? Bool == false)
            #expect(try await Self.interface(t, pmo, ["dueDate": "2099-01-31"]).json["overdue"] as? Bool == false)
            let overdue = try await t.send(.GET, "/api/v1/projects/CRM/interfaces?overdue=true", token: pmo)
            #expect(overdue.items.map { $0["number"] as? Int } == [1])
            // Systems never enter anyone's work list; an interface its owner must finish does.
            let member = Kit.id(w, "member")
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/systems/1", ["owner": member]).status == .ok)
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/interfaces/1", ["owner": member]).status == .ok)
            let work = try await t.send(.GET, "/api/v1/me/work", token: w.tokens["member"]!)
            #expect(work.items.map { $0["reference"] as? String } == ["CRM-F1"])
        }
    }

    /// An interface names the plan's milestones that need it; one whose connection test ends after such a milestone is
    /// flagged in the list, on its page and on the diagram, until it has been connection-tested.
    @Test(arguments: TestDatabase.available)
    func anInterfaceTestedAfterAMilestoneThatNeedsItIsFlagged(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!, pm = w.tokens["pm"]!
            #expect(try await Self.system(t, pmo, "顧客管理", code: "CRM").status == .created)
            #expect(try await Self.system(t, pmo, "請求", code: "BIL").status == .created)
            let milestone = try #require(try await t.send(.POST, "/api/v1/projects/CRM/plan/activities", token: pm, json: [
                "name": "結合テスト開始", "kind": "milestone", "constraint": ["type": "MSO", "date": "2030-06-10"],
            ]).json["uid"] as? Int)
            #expect(Kit.errors(try await Self.interface(t, pmo, ["neededBy": [milestone + 50]])) == ["neededBy:not_found"])
            // F1 ends its test after the milestone, F2 before it, F3 after it but already connection-tested.
            #expect(try await Self.interface(t, pmo, ["neededBy": [milestone], "testPlannedStart": "2030-06-01", "testPlannedEnd": "2030-06-20"]).status == .created)
            #expect(try await Self.interface(t, pmo, ["neededBy": [milestone], "testPlannedStart": "2030-06-01", "testPlannedEnd": "2030-06-05"]).status == .created)
            #expect(try await Self.interface(t, pmo, ["neededBy": [milestone], "testPlannedEnd": "2030-06-20", "status": "connection_tested"]).status == .created)
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            let list = try await browser.get("/projects/CRM/interfaces")
            #expect(list.body.string.components(separatedBy: "tested after a milestone that needs it").count - 1 == 1, "\(list.body.string)")
            let page = try await browser.get("/projects/CRM/interfaces/1")
            #expect(page.body.string.contains("#\(milestone) 結合テスト開始 (2030-06-10) · tested after a milestone that needs it"), "\(page.body.string)")
            #expect(!(try await browser.get("/projects/CRM/interfaces/2")).body.string.contains("tested after a milestone"))
            // The diagram draws F1's arrow red (the late dash) though its design deadline is not passed.
            let svg = try await t.send(.GET, "/api/v1/projects/CRM/systems/diagram.svg", token: pmo).body.string
            #expect(svg.components(separatedBy: "data-flagged=\"true\"").count - 1 == 1, "\(svg)")
            // Once the actual test ends before the milestone, F1 is no longer late.
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/interfaces/1", ["testActualStart": "2030-06-01", "testActualEnd": "2030-06-08"]).status == .ok)
            #expect(!(try await browser.get("/projects/CRM/interfaces")).body.string.contains("tested after a milestone"))
        }
    }

    /// A system's test environment is equipment of the resources register; an interface whose connection-test window
    /// meets a time it is unavailable (an absence, or capacity set to zero) is flagged in the list, on its page and on
    /// the diagram, counted in the kickoff pack, and raises an early-warning signal, until it is connection-tested.
    @Test(arguments: TestDatabase.available)
    func anInterfaceTestedWhileItsEnvironmentIsDownIsFlagged(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let env = try await t.send(.POST, "/api/v1/resources", token: pmo, json: ["kind": "equipment", "name": "結合テスト環境"])
            let envID = try #require(env.json["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/resources/\(envID)/absences", token: pmo, json: [
                "start": "2030-06-10", "end": "2030-06-12", "note": "OS パッチ適用"]).status == .created)
            #expect(try await Self.system(t, pmo, "顧客管理", code: "CRM", ["envTest": [envID]]).status == .created)
            #expect(try await Self.system(t, pmo, "請求", code: "BIL").status == .created)
            #expect(try await Self.interface(t, pmo, ["title": "顧客連携", "testPlannedStart": "2030-06-08", "testPlannedEnd": "2030-06-10"]).status == .created)   // F1: meets it
            #expect(try await Self.interface(t, pmo, ["title": "請求連携", "source": "S2", "target": "S1", "testPlannedStart": "2030-06-13",
                                                      "testPlannedEnd": "2030-06-20"]).status == .created)   // F2: after it
            #expect(try await Self.interface(t, pmo, ["title": "未計画", "testPlannedStart": "2030-06-11"]).status == .created)   // F3: no window

            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            let list = try await browser.get("/projects/CRM/interfaces").body.string
            #expect(list.components(separatedBy: "test window overlaps an unavailable environment").count - 1 == 1, "\(list)")
            let page = try await browser.get("/projects/CRM/interfaces/1").body.string
            #expect(page.contains("結合テスト環境: 2030-06-10 – 2030-06-12 (OS パッチ適用)"), "\(page)")
            #expect(!(try await browser.get("/projects/CRM/interfaces/2")).body.string.contains("unavailable environment"))
            let svg = try await t.send(.GET, "/api/v1/projects/CRM/systems/diagram.svg", token: pmo).body.string
            #expect(svg.components(separatedBy: "data-flagged=\"true\"").count - 1 == 1, "\(svg)")
            let kickoff = try await browser.get("/projects/CRM/kickoff").body.string
            #expect(kickoff.contains("Test window meets an unavailable environment</td><td class=\"num\">1</td>"), "\(kickoff)")

            // The early-warning signal names the environment and the day it goes down.
            let projectID = try #require(try await t.store.projects.list(for: w.admin).first { $0.0.key == "CRM" }?.0.id)
            try await t.store.signals.recompute(projectID: projectID)
            let signals = try await t.send(.GET, "/api/v1/projects/CRM/signals", token: w.tokens["pm"]!).items
            let signal = try #require(signals.first { $0["code"] as? String == "interface_at_risk" })
            #expect(signal["text"] as? String == "CRM-F1 '顧客連携': its connection test meets 結合テスト環境 being unavailable from 2030-06-10")
            #expect(signal["severity"] as? String == "amber")

            // Tested: nothing left to worry about.
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/interfaces/1", ["status": "connection_tested"]).status == .ok)
            #expect(!(try await browser.get("/projects/CRM/interfaces")).body.string.contains("unavailable environment"))
        }
    }

    /// A change names the systems and requirements it affects as references; the free text written before is matched
    /// (by reference, code or name), listed with what matched nothing, and the PMO references the matches in one step.
    @Test(arguments: TestDatabase.available)
    func freeTextIsMatchedAndTheMatchesReferenced(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.system(t, pmo, "新CRM", code: "CRM").status == .created)
            #expect(try await Self.system(t, pmo, "基幹（販売管理）", code: "ERP").status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/requirements", token: pmo, json: [
                "title": "顧客を検索できること", "requirementType": "functional", "moscow": "must"]).status == .created)
            let change = try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: [
                "title": "帳票の追加", "affectedSystems": "新CRM（帳票機能）、基幹受注システム、S2", "affectedRequirements": "顧客を検索できること、REQ-030"])
            #expect(change.status == .created, "\(change.body.string)")
            #expect(change.json["impactedSystems"] as? [String] == nil || (change.json["impactedSystems"] as? [String])?.isEmpty == true)
            // A reference to a system that does not exist is refused, as everywhere.
            let wrong = try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: ["title": "x", "impactedSystems": ["S9"]])
            #expect(Kit.errors(wrong) == ["impactedSystems:not_found"], "\(wrong.body.string)")

            let report = try await t.send(.GET, "/api/v1/projects/CRM/systems/matching", token: pmo)
            #expect(report.status == .ok && report.json["unmatched"] as? Int == 2, "\(report.body.string)")
            let values = report.json["values"] as? [[String: Any]] ?? []
            #expect(values.map { $0["text"] as? String ?? "" } == ["新CRM（帳票機能）", "基幹受注システム", "S2", "顧客を検索できること", "REQ-030"])
            #expect(values.map { $0["matches"] as? String ?? "-" } == ["CRM-S1", "-", "CRM-S2", "CRM-N1", "-"])
            let page = try await BrowserSession.login(t, email: "pmo@example.com").get("/projects/CRM/systems/matching").body.string
            #expect(page.contains("基幹受注システム") && page.contains("no match") && page.contains("id=\"match-apply\""))

            // A vendor may read the report but not apply it; the PMO does, once.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/systems/matching/apply", token: w.tokens["vendorA"]!).status == .forbidden)
            let applied = try await t.send(.POST, "/api/v1/projects/CRM/systems/matching/apply", token: pmo)
            #expect(applied.status == .ok && applied.json["changed"] as? Int == 1, "\(applied.body.string)")
            let after = try await t.send(.GET, "/api/v1/projects/CRM/changes/1", token: pmo)
            #expect(after.json["impactedSystems"] as? [String] == ["CRM-S1", "CRM-S2"] && after.json["impactedRequirements"] as? [String] == ["CRM-N1"])
            #expect(after.json["affectedSystems"] as? String == "新CRM（帳票機能）、基幹受注システム、S2", "the text stays as written")
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/systems/matching/apply", token: pmo).json["changed"] as? Int == 0)
            // A system a change names is not deleted.
            #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/systems/2", token: pmo, headers: [("If-Match", "\"1\"")]).status == .conflict)
        }
    }

    /// An activity names the system its work belongs to: a reference, a code or a name is settled to the reference
    /// (the API answers the system's name and reference), a missing or other project's one is refused naming the field,
    /// other text is kept and listed under Free text until a system of that name exists and the match is applied; the
    /// activity's page links to the system, whose deletion the activity holds back.
    @Test(arguments: TestDatabase.available)
    func anActivityNamesTheSystemItsWorkBelongsTo(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.system(t, pmo, "顧客管理", code: "CRM").status == .created)   // S1
            #expect(try await Self.system(t, pmo, "請求", code: "BIL").status == .created)       // S2
            let created = try await t.send(.POST, "/api/v1/projects/CRM/plan/activities", token: pmo, json: ["name": "請求書発行の改修", "durationDays": 5, "system": "bil"])
            #expect(created.status == .created, "\(created.body.string)")
            #expect(created.json["system"] as? String == "請求" && created.json["systemRef"] as? String == "CRM-S2", "\(created.body.string)")
            let uid = try #require(created.json["uid"] as? Int)
            let path = "/api/v1/projects/CRM/plan/activities/\(uid)"
            for (written, name, ref) in [("CRM-S1", "顧客管理", "CRM-S1"), ("顧客管理", "顧客管理", "CRM-S1"), ("基盤", "基盤", nil)] {
                let res = try await Kit.patch(t, pmo, path, ["system": written])
                #expect(res.status == .ok && res.json["system"] as? String == name && res.json["systemRef"] as? String == ref, "\(written): \(res.body.string)")
            }
            for (written, expected) in [("S9", "system:not_found"), ("OPS-S1", "system:invalid_reference")] {
                let res = try await Kit.patch(t, pmo, path, ["system": written])
                #expect(res.status == .unprocessableEntity && Kit.errors(res) == [expected], "\(written): \(res.body.string)")
            }
            #expect(try await t.send(.GET, path, token: pmo).json["system"] as? String == "基盤", "a refusal changes nothing")

            // Free text is listed until a system of that name exists; applying the match names it.
            func activityRows() async throws -> [[String: Any]] {
                let values = try await t.send(.GET, "/api/v1/projects/CRM/systems/matching", token: pmo).json["values"] as? [[String: Any]] ?? []
                return values.filter { $0["source"] as? String == "activity" }
            }
            #expect(try await activityRows().map { "\($0["text"] as? String ?? "") \($0["matches"] as? String ?? "-")" } == ["基盤 -"])
            #expect(try await Self.system(t, pmo, "基盤", code: "INF").status == .created)          // S3
            #expect(try await activityRows().map { $0["matches"] as? String } == ["CRM-S3"])
            let applied = try await t.send(.POST, "/api/v1/projects/CRM/systems/matching/apply", token: pmo)
            #expect(applied.json["changed"] as? Int == 1, "\(applied.body.string)")
            #expect(try await t.send(.GET, path, token: pmo).json["systemRef"] as? String == "CRM-S3")
            #expect(try await activityRows().isEmpty)
            // The schedule answers the system's name as it is now: a rename shows at once (the plan's version does not move).
            func scheduled() async throws -> String? {
                let items = try await t.send(.GET, "/api/v1/projects/CRM/plan/schedule", token: pmo).json["items"] as? [[String: Any]] ?? []
                return items.first { $0["uid"] as? Int == uid }?["system"] as? String
            }
            #expect(try await scheduled() == "基盤")
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/systems/3", ["title": "共通基盤"]).status == .ok)
            #expect(try await scheduled() == "共通基盤")

            // The activity's page links to its system and offers the project's systems; the system stays while named.
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            let page = try await browser.get("/projects/CRM/plan/activities/\(uid)").body.string
            #expect(page.contains("<a href=\"/projects/CRM/systems/3\">CRM-S3 共通基盤</a>"), "\(page)")
            #expect(page.contains("<option value=\"S2\">請求 (BIL)</option>") && page.contains("name=\"system\" value=\"S3\""))
            let refused = try await t.send(.DELETE, "/api/v1/projects/CRM/systems/3", token: pmo, headers: [("If-Match", "\"2\"")])
            #expect(refused.status == .conflict && (refused.json["detail"] as? String)?.contains("activity \(uid)") == true, "\(refused.body.string)")
            #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/systems/2", token: pmo, headers: [("If-Match", "\"1\"")]).status == .noContent)
        }
    }

    /// An issue names the systems it is about: references in and out of the API, the list's filter, the form and the
    /// page, a spreadsheet; a missing, hidden or other project's system is refused naming the field; a system an issue
    /// names is not deleted; the system's page counts its open issues and links to them.
    @Test(arguments: TestDatabase.available)
    func anIssueNamesTheSystemsItIsAbout(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.system(t, pmo, "顧客管理", code: "CRM").status == .created)                                 // S1
            #expect(try await Self.system(t, pmo, "請求", code: "BIL").status == .created)                                     // S2
            #expect(try await Self.system(t, pmo, "B社の社内基盤", code: "BIN", ["visibility": "company",
                                                                          "visibilityCompanyId": w.vendorB.uuidString.lowercased()]).status == .created)  // S3
            let i1 = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: pmo, json: ["title": "請求締めが遅れる", "systems": ["CRM-S2", "S1", "S2"]])
            #expect(i1.status == .created, "\(i1.body.string)")
            #expect(i1.json["systems"] as? [String] == ["CRM-S2", "CRM-S1"], "in the order given, each once")
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues", token: pmo, json: ["title": "画面が遅い", "systems": ["S1"]]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues", token: pmo, json: ["title": "教育計画"]).json["systems"] as? [String] == [])

            func listed(_ query: String, _ token: String? = nil) async throws -> [Int] {
                try await t.send(.GET, "/api/v1/projects/CRM/issues?\(query)", token: token ?? pmo).items.compactMap { $0["number"] as? Int }
            }
            #expect(try await listed("system=S1") == [1, 2])
            #expect(try await listed("system=CRM-S2") == [1])
            #expect(try await listed("system=S3").isEmpty)
            #expect(try await listed("system=OPS-S1").isEmpty, "another project's system names none of these")
            let badQuery = try await t.send(.GET, "/api/v1/projects/CRM/issues?system=R1", token: pmo)
            #expect(badQuery.status == .unprocessableEntity && Kit.errors(badQuery) == ["system:invalid_reference"], "\(badQuery.body.string)")

            // Each refusal names the field, and the issue stays as it was.
            for (systems, expected) in [(["S9"], "systems:not_found"), (["OPS-S1"], "systems:invalid_reference"), (["X1"], "systems[0]:invalid_reference")] {
                let res = try await Kit.patch(t, pmo, "/api/v1/projects/CRM/issues/2", ["systems": systems])
                #expect(res.status == .unprocessableEntity && Kit.errors(res) == [expected], "\(systems): \(res.body.string)")
            }
            // A vendor cannot name a system it may not see: the same answer as one that does not exist.
            let hidden = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: w.tokens["vendorA"]!, json: ["title": "基盤の不具合", "systems": ["S3"]])
            #expect(hidden.status == .unprocessableEntity && Kit.errors(hidden) == ["systems:not_found"])
            #expect(!hidden.body.string.contains("B社の社内基盤"))
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/2", token: pmo).json["version"] as? Int == 1)

            // A spreadsheet names them in the "Systems (S)" column; an unknown one refuses its row and changes nothing.
            let bad = "No.,Title,Status,Systems (S)\nCRM-I3,教育計画,Open,S9\n"
            let refused = try await RegisterExchangeTests.importFile(t, pmo, Data(bad.utf8), mode: "apply", plural: "issues")
            #expect(refused.status == .unprocessableEntity, "\(refused.body.string)")
            #expect((refused.json["errors"] as? [[String: Any]])?.map { "\($0["line"]!) \($0["code"]!)" } == ["2 not_found"], "\(refused.body.string)")
            let good = "No.,Title,Status,Systems (S)\nCRM-I3,教育計画,Open,\"S2, CRM-S1\"\n"
            let applied = try await RegisterExchangeTests.importFile(t, pmo, Data(good.utf8), mode: "apply", plural: "issues")
            #expect(applied.json["updates"] as? Int == 1, "\(applied.body.string)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/3", token: pmo).json["systems"] as? [String] == ["CRM-S2", "CRM-S1"])
            let export = try await t.send(.GET, "/api/v1/projects/CRM/issues/export.csv", token: pmo)
            #expect(export.body.string.contains("Systems (S)") && export.body.string.contains("CRM-I3,教育計画,Open,,,,Whole project,,2,Medium,,,0 – team,\"CRM-S2, CRM-S1\""), "\(export.body.string)")

            // The form takes references as text, the page links to each system by its name.
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            let edit = try await browser.get("/projects/CRM/issues/1/edit")
            #expect(edit.body.string.contains("name=\"systems\" value=\"S2, S1\""), "\(edit.body.string)")
            let form: [String: String] = ["title": "帳票が出ない", "status": "open", "priority": "high", "escalationLevel": "0", "visibility": "project"]
            let wrong = try await browser.post("/projects/CRM/issues", form.merging(["systems": "S1, S9"]) { _, new in new })
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("帳票が出ない"))
            let saved = try await browser.post("/projects/CRM/issues", form.merging(["systems": "S1"]) { _, new in new })
            #expect(saved.status == .seeOther, "\(saved.body.string)")
            let page = try await browser.get("/projects/CRM/issues/4")
            #expect(page.body.string.contains("<a href=\"/projects/CRM/systems/1\">CRM-S1 顧客管理 (CRM)</a>"), "\(page.body.string)")
            // The system's page counts the open issues about it and links to their list; the list's filter offers it.
            let systemPage = try await browser.get("/projects/CRM/systems/1")
            #expect(systemPage.body.string.contains("Open issues about it"))
            #expect(systemPage.body.string.contains("href=\"/projects/CRM/issues?open=true&amp;system=S1\" class=\"flag\">4</a>"), "\(systemPage.body.string)")
            let list = try await browser.get("/projects/CRM/issues?open=true&system=S1")
            #expect(list.body.string.contains("<option value=\"S1\" selected>"), "\(list.body.string)")
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues", token: pmo, json: ["title": "議事録の統一"]).status == .created)
            let filtered = try await browser.get("/projects/CRM/issues?open=true&system=S1")
            #expect(filtered.body.string.contains("帳票が出ない") && filtered.body.string.contains("画面が遅い"))
            #expect(!filtered.body.string.contains("議事録の統一"), "an issue about no system is not in the system's list")

            // A system an issue names stays until no issue names it.
            let refusedDelete = try await t.send(.DELETE, "/api/v1/projects/CRM/systems/2", token: pmo, headers: [("If-Match", "\"1\"")])
            #expect(refusedDelete.status == .conflict && (refusedDelete.json["detail"] as? String)?.contains("I1, I3") == true, "\(refusedDelete.body.string)")
            for n in [1, 3] {
                let cleared = try await Kit.patch(t, pmo, "/api/v1/projects/CRM/issues/\(n)", ["systems": nil])
                #expect(cleared.json["systems"] as? [String] == [], "\(cleared.body.string)")
            }
            #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/systems/2", token: pmo, headers: [("If-Match", "\"1\"")]).status == .noContent)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aVendorCannotNameASystemItMayNotSee(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let a = w.tokens["vendorA"]!
            #expect(try await Self.system(t, pmo, "顧客管理", code: "CRM").status == .created)                                // S1, shared
            #expect(try await Self.system(t, pmo, "B社の社内基盤", code: "BIN", ["visibility": "company",
                                                                          "visibilityCompanyId": w.vendorB.uuidString.lowercased()]).status == .created)  // S2
            let hidden = try await Self.interface(t, a, ["target": "S2"])
            #expect(hidden.status == .unprocessableEntity)
            #expect(Kit.errors(hidden) == ["target:not_found"], "the same answer as a system that does not exist")
            #expect(!hidden.body.string.contains("B社の社内基盤"))
            #expect(try await Self.interface(t, w.tokens["vendorB"]!, ["target": "S2"]).status == .created)
            // Vendor A's page of the list shows neither the hidden system nor its name.
            let page = try await BrowserSession.login(t, email: "vendora@example.com").get("/projects/CRM/systems")
            #expect(page.body.string.contains("顧客管理") && !page.body.string.contains("B社の社内基盤"))
        }
    }

    /// A vendor sees the interfaces its company is party to (responsible on a side, or building, running or owning a
    /// system at an end), whatever their visibility says, by every route: list, search, page, API, links, diagram;
    /// the parties follow the systems as they change.
    @Test(arguments: TestDatabase.available)
    func aVendorSeesTheInterfacesItIsPartyTo(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!, a = w.tokens["vendorA"]!, b = w.tokens["vendorB"]!
            let vendorA = w.vendorA.uuidString.lowercased(), vendorB = w.vendorB.uuidString.lowercased()
            #expect(try await Self.system(t, pmo, "顧客管理", code: "CRM", ["builtBy": vendorA]).status == .created)   // S1
            #expect(try await Self.system(t, pmo, "請求", code: "BIL", ["builtBy": vendorB]).status == .created)      // S2
            #expect(try await Self.system(t, pmo, "情報系", code: "DWH").status == .created)                           // S3
            #expect(try await Self.system(t, pmo, "外部決済", code: "PAY", ["systemKind": "external"]).status == .created)  // S4
            #expect(try await Self.interface(t, pmo, ["title": "顧客連携"]).status == .created)                                          // F1 A, B
            #expect(try await Self.interface(t, pmo, ["title": "請求実績", "source": "S2", "target": "S3"]).status == .created)           // F2 B
            #expect(try await Self.interface(t, pmo, ["title": "決済結果", "source": "S3", "target": "S4", "targetVendor": vendorA]).status == .created)  // F3 A
            #expect(try await Self.interface(t, pmo, ["title": "外部照会", "source": "S3", "target": "S4"]).status == .created)           // F4 nobody

            func visible(_ token: String, _ query: String = "") async throws -> [String] {
                try await t.send(.GET, "/api/v1/projects/CRM/interfaces\(query)", token: token).items.compactMap { $0["reference"] as? String }
            }
            #expect(try await visible(pmo) == ["CRM-F1", "CRM-F2", "CRM-F3", "CRM-F4"])
            #expect(try await visible(a) == ["CRM-F1", "CRM-F3"])
            #expect(try await visible(b) == ["CRM-F1", "CRM-F2"])
            #expect(try await visible(b, "?q=%E6%B1%BA%E6%B8%88").isEmpty, "a search finds no interface vendor B is not party to")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/interfaces/2", token: a).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/interfaces/4", token: b).status == .notFound)
            let page = try await BrowserSession.login(t, email: "vendora@example.com").get("/projects/CRM/interfaces")
            #expect(page.body.string.contains("決済結果") && !page.body.string.contains("請求実績") && !page.body.string.contains("外部照会"))
            // Every system stays in the list (vendor A names the other end of its interface from it)...
            let systems = try await t.send(.GET, "/api/v1/projects/CRM/systems", token: a).items.compactMap { $0["reference"] as? String }
            #expect(systems == ["CRM-S1", "CRM-S2", "CRM-S3", "CRM-S4"])
            // ...but vendor B's diagram draws its own system and the ends of its interfaces: not S4.
            let diagram = try await t.send(.GET, "/api/v1/projects/CRM/systems/diagram.svg", token: b).body.string
            for key in ["S1", "S2", "S3"] { #expect(diagram.contains("data-key=\"\(key)\""), "\(key)") }
            #expect(!diagram.contains("data-key=\"S4\"") && !diagram.contains("CRM-F3") && !diagram.contains("CRM-F4"))
            // A link from a project-wide risk does not show vendor A the interface at its other end.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: [
                "title": "請求連携の遅れ", "riskType": "threat", "category": "schedule", "probability": 3, "impactSchedule": 3,
                "impactCost": 2, "impactQuality": 2]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks/1/links", token: pmo, json: ["to": "CRM-F2", "kind": "relates_to"]).status == .created)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/1/links", token: b).items.count == 1)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/1/links", token: a).items.isEmpty)

            // Vendor A takes over running S3: the interfaces at S3 become its too, in the same write.
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/systems/3", ["runBy": vendorA]).status == .ok)
            #expect(try await visible(a) == ["CRM-F1", "CRM-F2", "CRM-F3", "CRM-F4"])
            #expect(try await visible(b) == ["CRM-F1", "CRM-F2"])
            // An interface whose vendor side changes leaves the vendor that is no longer on it.
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/interfaces/2", ["source": "S3", "target": "S1"]).status == .ok)
            #expect(try await visible(b) == ["CRM-F1"])
            // A vendor that raises an interface between others' systems keeps seeing it (its author's company).
            #expect(try await Self.interface(t, b, ["title": "B社からの照会", "source": "S3", "target": "S4"]).status == .created)  // F5
            #expect(try await visible(b) == ["CRM-F1", "CRM-F5"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func theFormOffersTheProjectsSystemsAndShowsTheirNames(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.system(t, pmo, "顧客管理システム", code: "CRM").status == .created)
            #expect(try await Self.system(t, pmo, "請求システム", code: "BIL").status == .created)
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            let form = try await browser.get("/projects/CRM/interfaces/new")
            #expect(form.status == .ok)
            let html = form.body.string
            #expect(html.contains("<option value=\"1\">CRM-S1 顧客管理システム (CRM)</option>"), "\(html)")
            #expect(html.contains("<option value=\"2\">CRM-S2 請求システム (BIL)</option>"))
            #expect(html.contains("Design deadline"))
            let saved = try await browser.post("/projects/CRM/interfaces", [
                "title": "請求データ連携", "status": "identified", "source": "1", "target": "2", "method": "message_queue",
                "visibility": "project", "dueDate": "2030-05-29",
            ])
            #expect(saved.status == .seeOther, "\(saved.body.string)")
            let item = try await browser.get("/projects/CRM/interfaces/1")
            #expect(item.body.string.contains("CRM-S1 顧客管理システム (CRM)"))
            #expect(item.body.string.contains("Message queue"))
            // The same source and target on the form: the page says what is wrong and keeps what was typed.
            let same = try await browser.post("/projects/CRM/interfaces", [
                "title": "自分自身への連携", "status": "identified", "source": "2", "target": "2", "method": "api", "visibility": "project",
            ])
            #expect(same.status == .unprocessableEntity)
            #expect(same.body.string.contains("自分自身への連携"))
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/interfaces", token: pmo).items.count == 1)
        }
    }

    /// The IF一覧 goes out as a workbook a real reader opens (openpyxl), systems written as references, and comes back
    /// with an edited target; a target that does not exist is refused on its row and nothing changes.
    @Test(arguments: TestDatabase.available)
    func theInterfaceListRoundTripsThroughExcel(_ db: TestDatabase) async throws {
        typealias X = RegisterExchangeTests
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            for (name, code) in [("顧客管理", "CRM"), ("請求", "BIL"), ("帳票", "RPT")] {
                #expect(try await Self.system(t, pmo, name, code: code).status == .created)
            }
            #expect(try await Self.interface(t, pmo, ["dueDate": "2030-04-30"]).status == .created)
            #expect(try await Self.interface(t, pmo, ["title": "請求書データ", "source": "S2", "target": "S3", "method": "db_link"]).status == .created)
            let export = try await t.send(.GET, "/api/v1/projects/CRM/interfaces/export.xlsx", token: pmo)
            #expect(export.status == .ok)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-if-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let original = dir.appendingPathComponent("if.xlsx")
            try Data(buffer: export.body).write(to: original)
            let dump = try JSONSerialization.jsonObject(with: Data(try X.tool(["dump", original.path]).utf8)) as! [String: Any]
            let sheet = (dump["sheets"] as! [[String: Any]])[0]
            let rows = sheet["rows"] as! [[[String: Any]]]
            let header = rows[0].map { $0["v"] as? String ?? "" }
            let source = try #require(header.firstIndex(of: "Source system")), target = try #require(header.firstIndex(of: "Target system"))
            #expect(rows[1][source]["v"] as? String == "CRM-S1" && rows[1][target]["v"] as? String == "CRM-S2")
            #expect(rows[2][header.firstIndex(of: "Method")!]["v"] as? String == "DB link")
            #expect(rows[1][header.firstIndex(of: "Design deadline") ?? header.firstIndex(of: "Due")!]["t"] as? String == "d")

            let cell = "\(X.letters(target))2"
            let edited = dir.appendingPathComponent("edited.xlsx"), broken = dir.appendingPathComponent("broken.xlsx")
            _ = try X.tool(["set", original.path, edited.path, sheet["name"] as! String, cell, "S3"])
            _ = try X.tool(["set", original.path, broken.path, sheet["name"] as! String, cell, "CRM-S9"])
            let refused = try await t.app.testing().sendRequest(.POST, "/api/v1/projects/CRM/interfaces/import?mode=apply",
                                                                headers: Self.xlsxHeaders(pmo), body: ByteBuffer(data: try Data(contentsOf: broken)))
            #expect(refused.json["applied"] as? Bool != true, "\(refused.body.string)")
            let errors = refused.json["errors"] as? [[String: Any]] ?? []
            #expect(errors.map { "\($0["line"] as? Int ?? 0) \($0["column"] as? String ?? "") \($0["code"] as? String ?? "")" } == ["2 Target system not_found"])
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/interfaces/1", token: pmo).json["version"] as? Int == 1)
            let applied = try await t.app.testing().sendRequest(.POST, "/api/v1/projects/CRM/interfaces/import?mode=apply",
                                                                headers: Self.xlsxHeaders(pmo), body: ByteBuffer(data: try Data(contentsOf: edited)))
            #expect(applied.json["applied"] as? Bool == true && applied.json["updates"] as? Int == 1, "\(applied.body.string)")
            let f1 = try await t.send(.GET, "/api/v1/projects/CRM/interfaces/1", token: pmo).json
            #expect(f1["target"] as? String == "CRM-S3" && f1["version"] as? Int == 2)
        }
    }

    static func xlsxHeaders(_ token: String) -> HTTPHeaders {
        var headers = HTTPHeaders.bearer(token)
        headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return headers
    }

    /// The system configuration diagram through the API and the page: every system and interface the reader may see
    /// is drawn, nothing else; the SVG is well-formed XML and the Mermaid text names every system.
    @Test(arguments: TestDatabase.available)
    func theDiagramDrawsWhatTheReaderMaySee(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.system(t, pmo, "顧客管理 <CRM>", code: "CRM", ["builtBy": w.vendorA.uuidString.lowercased()]).status == .created)
            #expect(try await Self.system(t, pmo, "請求", code: "BIL", ["builtBy": w.vendorB.uuidString.lowercased()]).status == .created)
            #expect(try await Self.system(t, pmo, "B社の社内基盤", code: "BIN", ["visibility": "company",
                                                                          "visibilityCompanyId": w.vendorB.uuidString.lowercased()]).status == .created)
            #expect(try await Self.interface(t, pmo, ["dueDate": "2020-01-31", "status": "designing"]).status == .created)   // F1 S1 → S2, late
            #expect(try await Self.interface(t, pmo, ["source": "S2", "target": "S3", "title": "社内連携", "visibility": "company",
                                                      "visibilityCompanyId": w.vendorB.uuidString.lowercased()]).status == .created)  // F2
            #expect(try await Self.interface(t, pmo, ["source": "S3", "target": "S1", "method": "api"]).status == .created)  // F3, project-wide

            let svg = try await t.send(.GET, "/api/v1/projects/CRM/systems/diagram.svg", token: pmo)
            #expect(svg.status == .ok)
            #expect(svg.headers.contentType?.subType == "svg+xml")
            let all = svg.body.string
            #expect(XMLParser(data: Data(all.utf8)).parse(), "well-formed")
            for key in ["S1", "S2", "S3"] { #expect(all.contains("data-key=\"\(key)\""), "\(key)") }
            #expect(all.contains("顧客管理 &lt;CRM&gt;") && !all.contains("顧客管理 <CRM>"))
            #expect(all.contains("Vendor A") && all.contains("Vendor B"), "grouped by the vendor that builds each system")

            // Vendor A sees neither vendor B's company-only system nor the interfaces at it.
            let vendor = try await t.send(.GET, "/api/v1/projects/CRM/systems/diagram.svg", token: w.tokens["vendorA"]!).body.string
            #expect(vendor.contains("data-key=\"S1\"") && vendor.contains("data-key=\"S2\""))
            #expect(!vendor.contains("data-key=\"S3\"") && !vendor.contains("B社の社内基盤") && !vendor.contains("F2") && !vendor.contains("F3"))

            let mermaid = try await t.send(.GET, "/api/v1/projects/CRM/systems/diagram.mmd?group=kind", token: pmo)
            #expect(mermaid.status == .ok)
            #expect(mermaid.headers.contentType?.subType == "plain")
            #expect(mermaid.body.string.contains("\nflowchart LR\n"))
            for key in ["S1", "S2", "S3"] { #expect(mermaid.body.string.contains(key + "[")) }
            #expect(mermaid.body.string.contains("Changed"), "bands by kind, in the caller's language")
            let bad = try await t.send(.GET, "/api/v1/projects/CRM/systems/diagram.svg?group=colour", token: pmo)
            #expect(bad.status == .unprocessableEntity)
            #expect(Kit.errors(bad) == ["group:invalid_choice"])

            let page = try await BrowserSession.login(t, email: "pmo@example.com").get("/projects/CRM/systems/diagram")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<svg") && page.body.string.contains("System configuration diagram"))
            #expect(page.body.string.contains("/projects/CRM/systems/diagram.mmd?group=vendor"))
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/systems/diagram.svg", token: w.tokens["outsider"]!).status == .notFound)
        }
    }

    /// The kickoff pack carries the system configuration diagram and the IF list in figures; its Markdown the diagram
    /// as Mermaid.
    @Test(arguments: TestDatabase.available)
    func theKickoffPackShowsTheSystemsAndTheIFList(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            #expect(try await browser.get("/projects/CRM/kickoff").body.string.contains("id=\"system-map\"") == false, "no systems, no section")
            #expect(try await Self.system(t, pmo, "顧客管理", code: "CRM").status == .created)
            #expect(try await Self.system(t, pmo, "請求", code: "BIL").status == .created)
            #expect(try await Self.interface(t, pmo, ["status": "agreed"]).status == .created)
            #expect(try await Self.interface(t, pmo, ["status": "designing", "dueDate": "2020-02-28"]).status == .created)
            #expect(try await Self.interface(t, pmo, ["status": "designing", "source": "S2", "target": "S1"]).status == .created)
            let page = try await browser.get("/projects/CRM/kickoff").body.string
            #expect(page.contains("id=\"system-map\"") && page.contains("data-key=\"S2\""))
            let summary = try #require(page.components(separatedBy: "id=\"kickoff-if-summary\"").dropFirst().first?.components(separatedBy: "</table>").first)
            let cells = summary.components(separatedBy: "<td").dropFirst().map { cell in
                String(cell.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
            }
            #expect(cells == ["Identified", "0", "Designing", "2", "Agreed", "1", "Built", "0", "Connection-tested", "0", "Accepted", "0",
                              "Past its design deadline, not agreed", "1", "Tested after a milestone that needs it", "0",
                              "Test window meets an unavailable environment", "0"], "\(cells)")
            let markdown = try await browser.get("/projects/CRM/kickoff.md").body.string
            #expect(markdown.contains("## System configuration diagram\n\n```mermaid\n") && markdown.contains("flowchart LR"))
        }
    }

    /// A business function lists interfaces of its project in order; its sequence diagram draws them; an interface a
    /// function uses is not deleted; a vendor's diagram leaves out the steps it may not see and says so.
    @Test(arguments: TestDatabase.available)
    func aBusinessFunctionIsASequenceOfInterfaces(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            for (name, code) in [("顧客管理", "CRM"), ("請求", "BIL"), ("帳票", "RPT")] {
                #expect(try await Self.system(t, pmo, name, code: code).status == .created)
            }
            #expect(try await Self.interface(t, pmo, ["title": "顧客連携"]).status == .created)                                        // F1 S1 → S2
            #expect(try await Self.interface(t, pmo, ["title": "請求連携", "source": "S2", "target": "S3", "method": "api",
                                                     "sourceVendor": w.vendorA.uuidString.lowercased()]).status == .created)  // F2, vendor A's
            #expect(try await Self.interface(t, pmo, ["title": "社内連携", "source": "S3", "target": "S1", "visibility": "internal"]).status == .created)  // F3
            let base = "/api/v1/projects/CRM/functions"
            let created = try await t.send(.POST, base, token: pmo, json: ["title": "請求書の発行", "steps": ["F1", "CRM-F2", "F3"], "trigger": "月末"])
            #expect(created.status == .created, "\(created.body.string)")
            #expect(created.json["reference"] as? String == "CRM-B1")
            #expect(created.json["steps"] as? [String] == ["CRM-F1", "CRM-F2", "CRM-F3"])
            for (steps, expected) in [(["F9"], "steps:not_found"), (["R1"], "steps:invalid_reference"), (["OPS-F1"], "steps:invalid_reference")] {
                let res = try await t.send(.POST, base, token: pmo, json: ["title": "x", "steps": steps])
                #expect(res.status == .unprocessableEntity && Kit.errors(res) == [expected], "\(steps): \(res.body.string)")
            }

            let svg = try await t.send(.GET, "\(base)/1/sequence.svg", token: pmo)
            #expect(svg.status == .ok && svg.headers.contentType?.subType == "svg+xml")
            #expect(XMLParser(data: Data(svg.body.string.utf8)).parse())
            for reference in ["CRM-F1", "CRM-F2", "CRM-F3"] { #expect(svg.body.string.contains("data-reference=\"\(reference)\"")) }
            let mermaid = try await t.send(.GET, "\(base)/1/sequence.mmd", token: pmo).body.string
            #expect(mermaid.contains("sequenceDiagram\n    participant S1 as CRM-S1 CRM 顧客管理\n    participant S2 as CRM-S2 BIL 請求\n"), "\(mermaid)")
            #expect(mermaid.contains("S1->>S2: 1. CRM-F1 顧客連携") && mermaid.contains("S3->>S1: 3. CRM-F3 社内連携"))

            // Vendor A sees F2, which it is party to, not F1 (no party of it) nor the internal F3: one step, and the page
            // says the others are left out.
            let vendorSVG = try await t.send(.GET, "\(base)/1/sequence.svg", token: w.tokens["vendorA"]!).body.string
            #expect(vendorSVG.contains("CRM-F2") && !vendorSVG.contains("CRM-F1") && !vendorSVG.contains("CRM-F3") && !vendorSVG.contains("社内連携"))
            let vendorPage = try await BrowserSession.login(t, email: "vendora@example.com").get("/projects/CRM/functions/1").body.string
            #expect(vendorPage.contains("id=\"sequence\"") && vendorPage.contains("id=\"seq-hidden\""))

            let refused = try await t.send(.DELETE, "/api/v1/projects/CRM/interfaces/2", token: pmo, headers: [("If-Match", "\"1\"")])
            #expect(refused.status == .conflict && refused.problemCode == "interface.in_use", "\(refused.body.string)")
            #expect((refused.json["detail"] as? String)?.contains("B1") == true)

            // The form takes the steps as text, in order.
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            let saved = try await browser.post("/projects/CRM/functions", ["title": "帳票の配布", "status": "draft", "visibility": "project",
                                                                           "steps": "F2、CRM-F1\nF2"])
            #expect(saved.status == .seeOther, "\(saved.body.string)")
            #expect(try await t.send(.GET, "\(base)/2", token: pmo).json["steps"] as? [String] == ["CRM-F2", "CRM-F1", "CRM-F2"])
            let page = try await browser.get("/projects/CRM/functions/2").body.string
            #expect(page.contains("1. CRM-F2") && page.contains("id=\"sequence\""))
            let bad = try await browser.post("/projects/CRM/functions", ["title": "誤り", "status": "draft", "visibility": "project", "steps": "F2, X"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("誤り"))
        }
    }
}
