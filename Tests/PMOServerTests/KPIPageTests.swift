import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import PMOCore
import PMODemo
import PMOInterchange
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

/// The PMO's KPIs over the API and on the pages: the figures from what happened, the period asked for (refused out of
/// range, naming the field), the workbook and the charts, refused to vendors, escaped, and worded in Japanese.
@Suite("KPIs: API and pages")
struct KPIPageTests {
    /// A decision decided today (lead time 0), an action done on its due day and one three days overdue.
    func seed(_ t: TestApp, _ w: World) async throws {
        let pm = w.users["pm"]!
        let today = CalendarDate(t.store.now(), in: TimeZone.japan)
        let decision = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .decision, fields: RegisterItemFields(
            title: "Pick the host", status: "pending", details: ["decider": .user(UserID(pm.userID))]))
        var decide = RegisterItemPatch()
        decide.status = "decided"
        decide.details["decision"] = .text("The cloud")
        _ = try await t.store.items.updateRegisterItem(pm, key: "CRM", kind: .decision, number: decision.record.number, expectedVersion: nil, patch: decide)
        let done = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
            title: "Book the room", status: "open", ownerID: UserID(pm.userID), dueDate: today))
        var finish = RegisterItemPatch()
        finish.status = "done"
        _ = try await t.store.items.updateRegisterItem(pm, key: "CRM", kind: .action, number: done.record.number, expectedVersion: nil, patch: finish)
        _ = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
            title: "Send the spec", status: "open", ownerID: UserID(pm.userID), dueDate: today.adding(days: -3)))
    }

    @Test(arguments: TestDatabase.available)
    func apiAndPagesCountRefuseAndDownload(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await seed(t, w)
            _ = try await t.store.projects.create(by: w.admin, ProjectFields(key: "ERP", name: "<script>x</script> ERP"))
            try await t.store.projects.setMembership(by: w.admin, key: "ERP", userID: w.users["pm"]!.userID, role: "pm")
            let pm = w.tokens["pm"]!

            let api = try await t.send(.GET, "/api/v1/projects/CRM/kpis", token: pm)
            #expect(api.status == .ok)
            #expect((api.json["months"] as? [String])?.count == 12)
            let kpis = (api.json["kpis"] as? [[String: Any]]) ?? []
            #expect(kpis.compactMap { $0["code"] as? String } == KPICode.allCases.map(\.rawValue))
            func period(_ code: String) -> [String: Any] { (kpis.first { $0["code"] as? String == code }?["period"] as? [String: Any]) ?? [:] }
            #expect(period("closed_by_due")["value"] as? Double == 50 && period("closed_by_due")["count"] as? Int == 2
                    && period("closed_by_due")["hits"] as? Int == 1)
            #expect(period("decision_lead_median")["value"] as? Double == 0 && period("decision_lead_median")["count"] as? Int == 1)
            #expect(period("minutes_approved")["value"] as? Double == nil && period("minutes_approved")["count"] as? Int == 0)
            #expect(kpis.first?["name"] as? String == "Decision lead time (median)")
            #expect(kpis.first { $0["code"] as? String == "closed_by_due" }?["unit"] as? String == "percent")
            #expect((try await t.send(.GET, "/api/v1/projects/CRM/kpis?months=36", token: pm).json["months"] as? [String])?.count == 36)
            for bad in ["0", "37", "twelve"] {
                let refused = try await t.send(.GET, "/api/v1/projects/CRM/kpis?months=\(bad)", token: pm)
                #expect(refused.status == .unprocessableEntity && refused.problemCode == "kpi.invalid" && refused.fieldErrors == ["months"], "\(bad)")
            }
            let across = try await t.send(.GET, "/api/v1/kpis", token: pm)
            #expect(((across.json["projects"] as? [[String: Any]]) ?? []).compactMap { $0["projectKey"] as? String } == ["CRM", "ERP"])
            let vendor = try await t.send(.GET, "/api/v1/projects/CRM/kpis", token: w.tokens["vendorA"]!)
            #expect(vendor.status == .forbidden && vendor.problemCode == "kpi.read_forbidden")
            #expect(((try await t.send(.GET, "/api/v1/kpis", token: w.tokens["vendorA"]!).json["projects"] as? [Any]) ?? [1]).isEmpty)

            // The pages: the table with its values, the charts, the project's menu, the workbook and each chart's file.
            let browser = try await BrowserSession.login(t, email: "pm@example.com")
            let page = try await browser.get("/projects/CRM/kpis")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("href=\"/projects/CRM/kpis\" class=\"on\""), "the project menu marks KPIs")
            #expect(html.contains("id=\"kpi-closed_by_due\"") && html.contains("data-value=\"50\"") && html.contains("1 of 2"))
            #expect(html.components(separatedBy: "class=\"kpi-chart\"").count - 1 == KPICode.allCases.count)
            let xlsx = try await browser.get("/projects/CRM/kpis.xlsx?months=3")
            #expect(xlsx.status == .ok && xlsx.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let sheets = try XLSXReader.read(Data(buffer: xlsx.body))
            #expect(sheets.map(\.name) == ["KPIs", "Reports by company"])
            #expect(sheets.first?.rows.count == 1 + KPICode.allCases.count * 3)
            let svg = try await browser.get("/projects/CRM/kpis/closed_by_due.svg")
            #expect(svg.status == .ok && svg.headers.contentType?.subType == "svg+xml")
            #expect(XMLParser(data: Data(buffer: svg.body)).parse(), "the chart is well-formed XML")
            #expect(svg.body.string.contains("class=\"kpi-bar\""))
            #expect(try await browser.get("/projects/CRM/kpis/nothing.svg").status == .notFound)
            #expect(try await browser.get("/kpis/closed_by_due.svg").status == .ok)

            // Across projects, with each project's row (its name escaped), and in the portfolio.
            let all = try await browser.get("/kpis").body.string
            #expect(all.contains("id=\"kpi-p-CRM\"") && all.contains("id=\"kpi-p-ERP\""))
            #expect(!all.contains("<script>x") && all.contains("&lt;script&gt;x&lt;/script&gt; ERP"))
            let workbook = try XLSXReader.read(Data(buffer: try await browser.get("/kpis.xlsx").body))
            #expect(workbook.map(\.name) == ["KPIs", "Reports by company", "By project"])
            #expect(workbook.last?.rows.count == 3)
            #expect(try await browser.get("/portfolio").body.string.contains("id=\"portfolio-kpis\""))

            // A vendor has no KPI menu entry and is refused the pages.
            let vendorPage = try await BrowserSession.login(t, email: "vendora@example.com")
            #expect(try await vendorPage.get("/projects/CRM/kpis").status == .forbidden)
            #expect(try await vendorPage.get("/projects/CRM/kpis.xlsx").status == .forbidden)
            #expect(!(try await vendorPage.get("/projects/CRM").body.string.contains("/projects/CRM/kpis")))
        }
    }

    /// The demo's CRM project in Japanese: every KPI worded, with figures from the demo's registers and meetings.
    @Test func theDemoShowsKPIsInJapanese() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await DemoData.load(into: t.store, bcryptCost: 4)
            let pmo = try await BrowserSession.login(t, email: "pmo@demo.pmo", password: DemoData.password, acceptLanguage: "ja")
            let html = try await pmo.get("/projects/CRM/kpis").body.string
            for words in ["CRM の KPI", "意思決定リードタイム（中央値）", "期限内の完了率（課題・アクション）", "2営業日以内の議事録承認率", "期間計",
                          "会社別の進捗報告の遵守率"] {
                #expect(html.contains(words), "\(words)")
            }
            let caller = try Caller(try #require(try await t.store.accounts.user(email: "pmo@demo.pmo")))
            let report = try await t.store.kpis.project(caller, key: "CRM").report
            #expect(report.totals[.decisionLeadMedian]?.count ?? 0 > 0, "the demo decided decisions")
            #expect(report.totals[.minutesApproved]?.count ?? 0 > 0, "the demo approved minutes")
            #expect(!report.companies.isEmpty, "the demo's vendors report progress")
            #expect(try await pmo.get("/kpis").body.string.contains("PMO の KPI"))
        }
    }
}
