import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The organisation through the API and the pages: units whose reporting lines never loop, escalation routes
/// between two units, the escalation lookup, and the organisation chart.
@Suite("Organisation: units, escalation routes and the chart")
struct OrganisationRegisterTests {
    typealias Kit = RegisterTestKit

    static func unit(_ t: TestApp, _ token: String, _ title: String, _ fields: [String: Any?] = [:]) async throws -> TestingHTTPResponse {
        let body: [String: Any?] = ["title": title, "unitKind": "business"]
        return try await t.send(.POST, "/api/v1/projects/CRM/units", token: token, json: body.merging(fields) { _, new in new })
    }

    static func route(_ t: TestApp, _ token: String, _ fields: [String: Any?]) async throws -> TestingHTTPResponse {
        let body: [String: Any?] = ["title": "route", "escalationLevel": "1", "minPriority": "medium", "withinDays": 3]
        return try await t.send(.POST, "/api/v1/projects/CRM/escalations", token: token, json: body.merging(fields) { _, new in new })
    }

    static func resource(_ t: TestApp, _ w: World, _ kind: String, _ name: String, company: UUID?) async throws -> String {
        var body: [String: Any?] = ["kind": kind, "name": name]
        if let company { body["companyId"] = company.uuidString.lowercased() }
        let res = try await t.send(.POST, "/api/v1/resources", token: w.tokens["pmo"]!, json: body)
        #expect(res.status == .created, "\(res.body.string)")
        return res.json["id"] as? String ?? ""
    }

    /// A unit's members are people of the resources register (with or without an account, or placeholders) and a
    /// system's environments are its equipment: named by id in the API, by name in the sheet, with names on the page;
    /// the wrong kind, an unknown id and another company's people (for a vendor) are refused, nothing stored.
    @Test(arguments: TestDatabase.available)
    func membersAndEnvironmentsAreResources(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let tanaka = try await Self.resource(t, w, "person", "田中 一郎", company: w.vendorA)      // no account
            let javaDev = try await Self.resource(t, w, "placeholder", "Java開発者（楓）", company: w.vendorA)
            let other = try await Self.resource(t, w, "person", "Bさんの要員", company: w.vendorB)
            let testEnv = try await Self.resource(t, w, "equipment", "結合テスト環境", company: nil)

            let team = try await Self.unit(t, pmo, "CRM開発チーム", ["unitKind": "vendor", "members": [tanaka, javaDev],
                                                                  "companyId": w.vendorA.uuidString.lowercased()])
            #expect(team.status == .created, "\(team.body.string)")
            #expect((team.json["members"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["田中 一郎", "Java開発者（楓）"])
            #expect(Kit.errors(try await Self.unit(t, pmo, "x", ["members": [testEnv]])) == ["members:wrong_resource_kind"])
            #expect(Kit.errors(try await Self.unit(t, pmo, "x", ["members": [UUID().uuidString]])) == ["members:not_found"])
            #expect(Kit.errors(try await Self.unit(t, pmo, "x", ["members": ["tanaka"]])) == ["members:invalid_reference"])
            // A vendor names its own company's people, never another's (the same answer as one that does not exist).
            let vendorTeam = try await Self.unit(t, w.tokens["vendorA"]!, "楓チーム", ["members": [other]])
            #expect(Kit.errors(vendorTeam) == ["members:not_found"], "\(vendorTeam.body.string)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/units", token: pmo).items.count == 1, "nothing stored")

            let system = try await t.send(.POST, "/api/v1/projects/CRM/systems", token: pmo, json: [
                "title": "顧客管理", "code": "CRM", "systemKind": "new", "envTest": [testEnv]])
            #expect(system.status == .created, "\(system.body.string)")
            #expect((system.json["envTest"] as? [[String: Any]])?.first?["name"] as? String == "結合テスト環境")
            let wrong = try await t.send(.POST, "/api/v1/projects/CRM/systems", token: pmo, json: [
                "title": "請求", "code": "BIL", "systemKind": "new", "envProduction": [tanaka]])
            #expect(Kit.errors(wrong) == ["envProduction:wrong_resource_kind"])

            // The page names the members; the form offers them as boxes, and a submitted form keeps what is checked.
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            let page = try await session.get("/projects/CRM/units/1").body.string
            #expect(page.contains("田中 一郎") && page.contains("Java開発者（楓）"))
            let form = try await session.get("/projects/CRM/units/1/edit").body.string
            #expect(form.contains("name=\"members-\(tanaka)\"") && form.contains("name=\"members-\(other)\""))

            // The chart lists them in the unit's box.
            let chart = try await t.send(.GET, "/api/v1/projects/CRM/units/chart.svg", token: pmo).body.string
            #expect(chart.contains(">田中 一郎</text>") && chart.contains(">Java開発者（楓）</text>"), "\(chart)")

            // The sheet writes members by name and reads them back by name.
            let csv = try await t.send(.GET, "/api/v1/projects/CRM/units/export.csv", token: pmo).body.string
            #expect(csv.contains("田中 一郎, Java開発者（楓）"), "\(csv)")
        }
    }

    /// The decision-rights table links each authority that names a unit (by its name or reference) to the unit, and
    /// the unit's page lists the decisions it holds.
    @Test(arguments: TestDatabase.available)
    func decisionRightsLinkToTheOrganisation(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.unit(t, pmo, "ステアリングコミッティ", ["unitKind": "steering"]).status == .created)  // U1
            #expect(try await Self.unit(t, pmo, "PMO", ["unitKind": "pmo", "reportsTo": "U1"]).status == .created)        // U2
            let put = try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: pmo, json: ["items": [
                ["category": "budget", "authority": "ステアリング コミッティ", "roles": ["pmo"]],
                ["category": "schedule", "authority": "CRM-U2", "roles": ["pm"]],
                ["category": "technical", "authority": "アーキテクト会議", "roles": ["pm"]]]])
            #expect(put.status == .ok, "\(put.body.string)")
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            let page = try await session.get("/projects/CRM/decision-rights").body.string
            #expect(page.contains("href=\"/projects/CRM/units/1\" class=\"rights-unit\">CRM-U1 ステアリングコミッティ</a>"), "\(page)")
            #expect(page.contains(">CRM-U2 PMO</a>"))
            #expect(page.components(separatedBy: "class=\"rights-unit\"").count - 1 == 2, "the architects' board is no unit")
            let unit = try await session.get("/projects/CRM/units/1").body.string
            // The held categories are list items; the project menu also says "Budget" (the ledger), so match the item.
            #expect(unit.contains("Decides (decision rights)") && unit.contains("<li>Budget</li>"), "\(unit)")
            let pmoUnit = try await session.get("/projects/CRM/units/2").body.string
            #expect(pmoUnit.contains("<li>Schedule</li>") && !pmoUnit.contains("<li>Budget</li>"), "\(pmoUnit)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aReportingLineThatLoopsIsRefused(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.unit(t, pmo, "ステアリングコミッティ", ["unitKind": "steering", "head": Kit.id(w, "pm")]).status == .created)  // U1
            #expect(try await Self.unit(t, pmo, "PMO", ["unitKind": "pmo", "reportsTo": "U1"]).status == .created)                            // U2
            let team = try await Self.unit(t, pmo, "開発チーム", ["unitKind": "vendor", "reportsTo": "CRM-U2", "companyId": w.vendorA.uuidString.lowercased()])
            #expect(team.status == .created && team.json["reportsTo"] as? String == "CRM-U2", "\(team.body.string)")  // U3
            // U1 under U3 would close U1 → U3 → U2 → U1; U2 under itself loops at once. Nothing is stored.
            let loop = try await Kit.patch(t, pmo, "/api/v1/projects/CRM/units/1", ["reportsTo": "U3"])
            #expect(loop.status == .unprocessableEntity && Kit.errors(loop) == ["reportsTo:reporting_loop"], "\(loop.body.string)")
            #expect((loop.json["errors"] as? [[String: Any]])?.first?["message"] as? String == "Reporting lines may not loop: U1 → U3 → U2 → U1. Choose a unit that does not report, directly or not, to this one.")
            #expect(Kit.errors(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/units/2", ["reportsTo": "U2"])) == ["reportsTo:reporting_loop"])
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/units/1", token: pmo).json["reportsTo"] is NSNull)
            #expect(Kit.errors(try await Self.unit(t, pmo, "どこか", ["reportsTo": "U9"])) == ["reportsTo:not_found"])
            #expect(Kit.errors(try await Self.unit(t, pmo, "どこか", ["unitKind": "committee"])) == ["unitKind:invalid_choice"])
            // Moving a unit elsewhere in the tree is fine; a unit another reports to is not deleted.
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/units/3", ["reportsTo": "U1"]).status == .ok)
            let inUse = try await t.send(.DELETE, "/api/v1/projects/CRM/units/1", token: pmo, headers: [("If-Match", "\"1\"")])
            #expect(inUse.status == .conflict && inUse.problemCode == "unit.in_use")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theLookupNamesTheRouteAndTheDayAnIssueGoesUp(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.unit(t, pmo, "ステアリングコミッティ", ["unitKind": "steering", "head": Kit.id(w, "admin")]).status == .created)  // U1
            #expect(try await Self.unit(t, pmo, "プロジェクト管理", ["reportsTo": "U1", "head": Kit.id(w, "pm")]).status == .created)               // U2
            #expect(try await Self.unit(t, pmo, "開発チーム", ["unitKind": "vendor", "reportsTo": "U2"]).status == .created)                         // U3
            #expect(Kit.errors(try await Self.route(t, pmo, ["fromUnit": "U3", "toUnit": "U3"])) == ["toUnit:same_as_source"])
            #expect(Kit.errors(try await Self.route(t, pmo, ["fromUnit": "U3", "toUnit": "U2", "withinDays": -1])) == ["withinDays:out_of_range"])
            #expect(Kit.errors(try await Self.route(t, pmo, ["fromUnit": "U3", "toUnit": "U7"])) == ["toUnit:not_found"])
            #expect(try await Self.route(t, pmo, ["fromUnit": "U3", "toUnit": "U2"]).status == .created)                                      // E1
            #expect(try await Self.route(t, pmo, ["fromUnit": "U3", "toUnit": "U2", "minPriority": "critical", "withinDays": 1]).status == .created)  // E2
            #expect(try await Self.route(t, pmo, ["fromUnit": "U2", "toUnit": "U1", "escalationLevel": "2", "minPriority": "high", "withinDays": 5]).status == .created)  // E3

            func lookup(_ query: String) async throws -> TestingHTTPResponse {
                try await t.send(.GET, "/api/v1/projects/CRM/escalation?" + query, token: w.tokens["member"]!)
            }
            // A critical issue takes the one-day route: from Wed 30 Dec 2026 that is Thu 31 Dec.
            let critical = try await lookup("unit=U3&priority=critical&from=2026-12-30")
            #expect(critical.status == .ok, "\(critical.body.string)")
            #expect(critical.json["route"] as? String == "CRM-E2" && critical.json["due"] as? String == "2026-12-31")
            #expect((critical.json["toUnit"] as? [String: Any])?["head"] as? String == "pm")
            // A medium one the three-day route, across New Year's Day and the weekend.
            let medium = try await lookup("unit=CRM-U3&priority=medium&from=2026-12-30")
            #expect(medium.json["route"] as? String == "CRM-E1" && medium.json["due"] as? String == "2027-01-05")
            // At level 1 the project team's high issues go to the steering committee; low ones go nowhere.
            let up = try await lookup("unit=U2&priority=high&level=1&from=2026-12-01")
            #expect(up.json["route"] as? String == "CRM-E3" && (up.json["toUnit"] as? [String: Any])?["reference"] as? String == "CRM-U1")
            let none = try await lookup("unit=U3&priority=low")
            #expect(none.status == .ok && none.json["route"] is NSNull)
            let bad = try await lookup("unit=S3&priority=urgent&level=5")
            #expect(bad.status == .unprocessableEntity && Kit.errors(bad) == ["unit:invalid_reference", "priority:invalid_choice", "level:out_of_range"])
            #expect(Kit.errors(try await lookup("unit=U9&priority=low")) == ["unit:not_found"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func theChartDrawsTheUnitsAndRoutesTheReaderMaySee(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            #expect(try await Self.unit(t, pmo, "ステアリングコミッティ", ["unitKind": "steering"]).status == .created)
            #expect(try await Self.unit(t, pmo, "A社チーム", ["unitKind": "vendor", "reportsTo": "U1", "companyId": w.vendorA.uuidString.lowercased()]).status == .created)
            #expect(try await Self.unit(t, pmo, "B社の社内体制", ["unitKind": "vendor", "reportsTo": "U1", "visibility": "company",
                                                             "visibilityCompanyId": w.vendorB.uuidString.lowercased()]).status == .created)
            #expect(try await Self.route(t, pmo, ["fromUnit": "U2", "toUnit": "U1"]).status == .created)
            let svg = try await t.send(.GET, "/api/v1/projects/CRM/units/chart.svg", token: w.tokens["vendorA"]!)
            #expect(svg.status == .ok)
            let text = svg.body.string
            #expect(text.contains("data-key=\"U1\"") && text.contains("data-key=\"U2\"") && !text.contains("B社の社内体制"))
            #expect(text.contains("class=\"escalation\" data-key=\"E1\""))
            let mermaid = try await t.send(.GET, "/api/v1/projects/CRM/units/chart.mmd", token: pmo).body.string
            #expect(mermaid.contains("flowchart TB") && mermaid.contains("U1 --- U3") && mermaid.contains("U2 -. \""), "\(mermaid)")
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")
            let page = try await browser.get("/projects/CRM/units/chart")
            #expect(page.status == .ok && page.body.string.contains("id=\"org-chart\"") && page.body.string.contains("Organisation chart"))
            // The kickoff pack carries the chart, and its Markdown the Mermaid text.
            let kickoff = try await browser.get("/projects/CRM/kickoff").body.string
            #expect(kickoff.contains("id=\"kickoff-organisation\"") && kickoff.contains("data-key=\"U3\""))
            let markdown = try await browser.get("/projects/CRM/kickoff.md").body.string
            #expect(markdown.contains("## Organisation chart\n\n```mermaid\n") && markdown.contains("flowchart TB"))
        }
    }
}

extension OrganisationRegisterTests {
    /// The RACI table: one letter per unit and row, exactly one accountable unit, the grid on its page and as a
    /// workbook read back by openpyxl.
    @Test(arguments: TestDatabase.available)
    func theRaciTableGivesEachUnitOneLetterPerRow(_ db: TestDatabase) async throws {
        typealias X = RegisterExchangeTests
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            for (name, kind) in [("PMO", "pmo"), ("業務チーム", "business"), ("開発ベンダー", "vendor")] {
                #expect(try await Self.unit(t, pmo, name, ["unitKind": kind]).status == .created)
            }
            func row(_ fields: [String: Any?]) async throws -> TestingHTTPResponse {
                let body: [String: Any?] = ["title": "基本設計書", "rowKind": "deliverable"]
                return try await t.send(.POST, "/api/v1/projects/CRM/raci", token: pmo, json: body.merging(fields) { _, new in new })
            }
            #expect(Kit.errors(try await row(["responsible": ["U3"]])) == ["accountable:required"])
            #expect(Kit.errors(try await row(["accountable": "U1"])) == ["responsible:required"])
            #expect(Kit.errors(try await row(["responsible": ["U3"], "accountable": "U3"])) == ["accountable:duplicate_role"])
            #expect(Kit.errors(try await row(["responsible": ["U3"], "accountable": "U2", "informedUnits": ["U2"]])) == ["informedUnits:duplicate_role"])
            #expect(Kit.errors(try await row(["responsible": ["U9"], "accountable": "U2"])) == ["responsible:not_found"])
            #expect(try await row(["responsible": ["U3"], "accountable": "U2", "consulted": ["U1"]]).status == .created)                    // K1
            #expect(try await row(["title": "受入テスト", "rowKind": "function", "phase": "受入", "responsible": ["U2"], "accountable": "U1",
                                   "informedUnits": ["U3"]]).status == .created)                                                                   // K2
            let page = try await BrowserSession.login(t, email: "pmo@example.com").get("/projects/CRM/raci/table")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("id=\"K1\"") && html.contains("class=\"hit raci-A\" data-u=\"2\">A</td>"), "\(html)")

            let file = try await t.send(.GET, "/api/v1/projects/CRM/raci/table.xlsx", token: w.tokens["vendorA"]!)
            #expect(file.status == .ok)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-raci-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("raci.xlsx")
            try Data(buffer: file.body).write(to: path)
            let dump = try JSONSerialization.jsonObject(with: Data(try X.tool(["dump", path.path]).utf8)) as! [String: Any]
            let sheet = (dump["sheets"] as! [[String: Any]])[0]
            let grid = (sheet["rows"] as! [[[String: Any]]]).map { $0.map { $0["v"] as? String ?? "" } }
            #expect(grid[0].suffix(3) == ["PMO", "業務チーム", "開発ベンダー"])
            #expect(grid[1].prefix(2) == ["CRM-K1", "基本設計書"] && grid[1].suffix(3) == ["C", "A", "R"], "\(grid)")
            #expect(grid[2].suffix(3) == ["A", "R", "I"], "\(grid)")
            // The kickoff pack shows the grid, and its Markdown a table.
            let kickoff = try await BrowserSession.login(t, email: "pmo@example.com").get("/projects/CRM/kickoff").body.string
            #expect(kickoff.contains("id=\"kickoff-raci\""))
            let markdown = try await BrowserSession.login(t, email: "pmo@example.com").get("/projects/CRM/kickoff.md").body.string
            #expect(markdown.contains("## RACI table\n\n| Function or deliverable | PMO | 業務チーム | 開発ベンダー |\n| --- | --- | --- | --- |\n| 基本設計書 | C | A | R |"), "\(markdown)")
        }
    }
}
