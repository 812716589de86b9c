import Foundation
import PMOCore
import PMOInterchange
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The status report pages: drafts computed live, the PMO's override with its reason, issuing a snapshot that never
/// changes, corrections, the vendor's refusal, the portfolio, the kickoff pack and the downloads.
@Suite("Report pages")
struct ReportPageTests {
    /// The status date the list page offers by default: today in the user's time zone, as the server sees it.
    func defaultDate(_ s: BrowserSession) async throws -> CalendarDate {
        let html = try await s.get("/projects/CRM/reports").body.string
        let range = try #require(html.range(of: "name=\"statusDate\" required value=\""))
        return try #require(CalendarDate(iso: String(html[range.upperBound...].prefix(10))))
    }

    /// Starts a report and returns its id from the redirect.
    func start(_ s: BrowserSession, _ date: CalendarDate) async throws -> String {
        let res = try await s.post("/projects/CRM/reports", ["statusDate": date.description])
        #expect(res.status == .seeOther, "\(res.status): \(res.body.string.prefix(2000))")
        let location = res.headers.first(name: .location) ?? ""
        #expect(location.hasPrefix("/projects/CRM/reports/"))
        return String(location.dropFirst("/projects/CRM/reports/".count))
    }

    func section(_ html: String, from start: String, to end: String) -> String {
        guard let a = html.range(of: start) else { return "" }
        let rest = html[a.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }

    @Test(arguments: TestDatabase.available)
    func draftOverrideIssueAndSnapshot(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            let today = try await defaultDate(pmo)

            // A date in the future is refused, with the reason on the page and nothing made.
            let future = try await pmo.post("/projects/CRM/reports", ["statusDate": today.adding(days: 30).description])
            #expect(future.status == .unprocessableEntity)
            let futureHTML = future.body.string
            #expect(futureHTML.contains("id=\"error\""))
            #expect(futureHTML.contains("is in the future"))
            #expect(futureHTML.contains(today.adding(days: 30).description))
            let garbage = try await pmo.post("/projects/CRM/reports", ["statusDate": "next week"])
            #expect(garbage.status == .unprocessableEntity)
            #expect(garbage.body.string.contains("YYYY-MM-DD"))
            let none = try await t.store.reports.statusReports(w.users["pmo"]!, key: "CRM")
            #expect(none.isEmpty)

            // A report for today starts as a draft.
            let todays = try await start(pmo, today)
            let draftHTML = try await pmo.get("/projects/CRM/reports/\(todays)").body.string
            #expect(draftHTML.contains("data-state=\"draft\""))
            #expect(draftHTML.contains("id=\"area-quality\" data-rag=\"green\""))
            #expect(draftHTML.contains("id=\"edit-form\""))
            #expect(draftHTML.contains("id=\"issue-form\""))
            #expect(draftHTML.contains("id=\"heatmap\""))
            #expect(draftHTML.contains("id=\"burndown\""))
            // Starting it again returns the same draft.
            #expect(try await start(pmo, today) == todays)

            // Last week's report: an override without a reason is refused with the store's message and the typed values kept.
            let lastWeek = try await start(pmo, today.adding(days: -7))
            let refused = try await pmo.post("/projects/CRM/reports/\(lastWeek)", [
                "withOverrides": "1", "override.scope": "amber", "reason.scope": "  ", "comment": "Kept <as typed>",
            ])
            #expect(refused.status == .unprocessableEntity)
            let refusedHTML = refused.body.string
            #expect(refusedHTML.contains("data-code=\"report.invalid\""))
            #expect(refusedHTML.contains("needs a reason"))
            #expect(refusedHTML.contains("Kept &lt;as typed&gt;"))
            let saved = try await pmo.post("/projects/CRM/reports/\(lastWeek)", [
                "withOverrides": "1", "override.scope": "amber", "reason.scope": "Sign-off of <b>requirements</b> slips",
                "done": "Vendor kickoff held", "next": "Migration rehearsal", "comment": "On track apart from scope",
            ])
            #expect(saved.status == .seeOther, "\(saved.status)")
            let overridden = try await pmo.get("/projects/CRM/reports/\(lastWeek)").body.string
            let scopeRow = section(overridden, from: "id=\"area-scope\"", to: "</tr>")
            #expect(scopeRow.contains("data-rag=\"amber\"") || overridden.contains("id=\"area-scope\" data-rag=\"amber\""))
            #expect(scopeRow.contains("PMO override"))
            #expect(scopeRow.contains("Sign-off of &lt;b&gt;requirements&lt;/b&gt; slips"))
            #expect(overridden.contains("Vendor kickoff held"))

            // A PM may write the texts but not override.
            let pm = try await BrowserSession.login(t, email: "pm@example.com")
            let pmView = try await pm.get("/projects/CRM/reports/\(lastWeek)").body.string
            #expect(pmView.contains("id=\"edit-form\""))
            #expect(pmView.contains("name=\"withOverrides\"") == false)

            // Issue it: from now on it is read from its snapshot.
            // Issue asks to confirm first (an issued report never changes), and issues only when confirmed.
            let asked = try await pmo.post("/projects/CRM/reports/\(lastWeek)/issue", [:])
            #expect(asked.status == .ok && asked.body.string.contains("id=\"confirm-issue\""))
            let issued = try await pmo.post("/projects/CRM/reports/\(lastWeek)/issue", ["confirmed": "1"])
            #expect(issued.status == .seeOther)
            let issuedHTML = try await pmo.get("/projects/CRM/reports/\(lastWeek)").body.string
            #expect(issuedHTML.contains("data-state=\"issued\""))
            #expect(issuedHTML.contains("id=\"edit-form\"") == false)
            #expect(issuedHTML.contains("id=\"correct-form\""))
            // The issued report keeps its heat map and burn-down as they were when it was issued.
            #expect(issuedHTML.contains("id=\"heatmap\""))
            #expect(issuedHTML.contains("id=\"burndown\""))
            #expect(issuedHTML.contains("id=\"live-charts-note\"") == false)
            let again = try await pmo.post("/projects/CRM/reports/\(lastWeek)", ["comment": "changed"])
            #expect(again.status == .conflict)
            #expect(again.body.string.contains("data-code=\"report.issued\""))

            // A new critical issue (with markup in its title) leaves the issued report alone; the draft turns red.
            _ = try await t.createIssue(w.tokens["pmo"]!, ["title": "<script>alert(1)</script> login fails", "priority": "critical"])
            let afterIssue = try await pmo.get("/projects/CRM/reports/\(lastWeek)").body.string
            #expect(afterIssue.contains("id=\"area-quality\" data-rag=\"green\""))
            // Its heat map is the one it was issued with: a new risk changes the draft's, not the issued report's.
            let risk = try await t.send(.POST, "/api/v1/projects/CRM/risks", token: w.tokens["pmo"]!, json: [
                "title": "Key engineer leaves", "status": "identified", "riskType": "threat", "category": "schedule",
                "probability": 5, "impactSchedule": 5, "impactCost": 5, "impactQuality": 5])
            #expect(risk.status == .created, "\(risk.body.string)")
            let issuedMap = section(issuedHTML, from: "id=\"heatmap\"", to: "</svg>")
            #expect(!issuedMap.isEmpty)
            #expect(section(try await pmo.get("/projects/CRM/reports/\(lastWeek)").body.string, from: "id=\"heatmap\"", to: "</svg>") == issuedMap)
            #expect(section(try await pmo.get("/projects/CRM/reports/\(todays)").body.string, from: "id=\"heatmap\"", to: "</svg>") != issuedMap)
            #expect(afterIssue.contains("alert(1)") == false)
            let redDraft = try await pmo.get("/projects/CRM/reports/\(todays)").body.string
            #expect(redDraft.contains("id=\"area-quality\" data-rag=\"red\""))
            #expect(redDraft.contains("&lt;script&gt;alert(1)&lt;/script&gt; login fails"))
            #expect(redDraft.contains("<script>alert(1)") == false)
            // Since last week: quality went from green to red, and the issue is new in the top lists.
            let since = section(redDraft, from: "id=\"since-last\"", to: "</section>")
            let qualityChange = section(since, from: "id=\"since-last-quality\"", to: "</tr>")
            #expect(qualityChange.contains("data-rag=\"green\""))
            #expect(qualityChange.contains("data-rag=\"red\""))
            #expect(qualityChange.contains("↓"))
            #expect(since.contains("CRM-I1"))

            // The two weeks side by side.
            let compare = try await pmo.get("/projects/CRM/reports/compare?a=\(lastWeek)&b=\(todays)")
            #expect(compare.status == .ok)
            let compareHTML = compare.body.string
            #expect(compareHTML.contains("id=\"compare\""))
            let qualityRow = section(compareHTML, from: "id=\"cmp-quality\"", to: "</tr>")
            #expect(qualityRow.contains("data-rag=\"green\""))
            #expect(qualityRow.contains("data-rag=\"red\""))

            // The issue burn-down as a file.
            let svg = try await pmo.get("/projects/CRM/reports/burndown.svg")
            #expect(svg.status == .ok)
            #expect(svg.headers.contentType?.subType == "svg+xml")
            #expect(svg.body.string.contains("<svg"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func correctionSupersedesTheIssuedReport(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            _ = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            let today = try await defaultDate(pmo)
            let first = try await start(pmo, today)
            #expect(try await pmo.post("/projects/CRM/reports/\(first)/issue", ["confirmed": "1"]).status == .seeOther)
            // Starting the same date again names the way to correct it.
            let exists = try await pmo.post("/projects/CRM/reports", ["statusDate": today.description])
            #expect(exists.status == .conflict)
            let existsHTML = exists.body.string
            #expect(existsHTML.contains("data-code=\"report.exists\""))
            #expect(existsHTML.contains("id=\"existing\""))
            #expect(existsHTML.contains("/projects/CRM/reports/\(first)"))

            let corrected = try await pmo.post("/projects/CRM/reports/\(first)/correct", [:])
            #expect(corrected.status == .seeOther)
            let location = corrected.headers.first(name: .location) ?? ""
            let draft = String(location.dropFirst("/projects/CRM/reports/".count))
            #expect(draft.isEmpty == false)
            #expect(draft != first)
            let draftHTML = try await pmo.get(location).body.string
            #expect(draftHTML.contains("data-state=\"draft\""))
            #expect(draftHTML.contains("id=\"correction\""))
            // Until the correction is issued, the original stands.
            let before = try await pmo.get("/projects/CRM/reports/\(first)").body.string
            #expect(before.contains("id=\"superseded\"") == false)

            #expect(try await pmo.post("/projects/CRM/reports/\(draft)/issue", ["confirmed": "1"]).status == .seeOther)
            let old = try await pmo.get("/projects/CRM/reports/\(first)").body.string
            #expect(old.contains("data-state=\"superseded\""))
            #expect(old.contains("id=\"superseded\""))
            #expect(old.contains("/projects/CRM/reports/\(draft)"))
            #expect(old.contains("id=\"correct-form\"") == false)
            let list = try await pmo.get("/projects/CRM/reports").body.string
            #expect(list.contains("id=\"r-\(first)\" data-state=\"superseded\""))
            #expect(list.contains("id=\"r-\(draft)\" data-state=\"issued\""))
            // A superseded report cannot be corrected again.
            let twice = try await pmo.post("/projects/CRM/reports/\(first)/correct", [:])
            #expect(twice.status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.available)
    func vendorsAreRefusedReportsButReadTheKickoffPack(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            let id = try await start(pmo, try await defaultDate(pmo))
            let vendor = try await BrowserSession.login(t, email: "vendora@example.com")
            for path in ["/projects/CRM/reports", "/projects/CRM/reports/\(id)", "/projects/CRM/reports/\(id).md",
                         "/projects/CRM/reports/\(id).xlsx", "/projects/CRM/reports/burndown.svg",
                         "/projects/CRM/reports/compare?a=\(id)&b=\(id)"] {
                let res = try await vendor.get(path)
                #expect(res.status == .forbidden, "\(path): \(res.status)")
            }
            let post = try await vendor.post("/projects/CRM/reports", ["statusDate": "2020-01-01"])
            #expect(post.status == .forbidden)
            let portfolio = try await vendor.get("/portfolio")
            #expect(portfolio.status == .ok)
            #expect(portfolio.body.string.contains("id=\"p-CRM\"") == false)

            // The kickoff pack is for every member: people grouped under their companies.
            _ = w
            let kickoff = try await vendor.get("/projects/CRM/kickoff")
            #expect(kickoff.status == .ok)
            let html = kickoff.body.string
            let vendorA = section(html, from: "<h3>Vendor A</h3>", to: "</table>")
            #expect(vendorA.contains("vendora"))
            #expect(vendorA.contains("pmo") == false)
            let vendorB = section(html, from: "<h3>Vendor B</h3>", to: "</table>")
            #expect(vendorB.contains("vendorb"))
            let operatorPeople = section(html, from: "<h3>Operator</h3>", to: "</table>")
            #expect(operatorPeople.contains("pmo"))
            #expect(operatorPeople.contains("PMO"))
            #expect(html.contains("id=\"last-report\"") == false)

            let md = try await vendor.get("/projects/CRM/kickoff.md")
            #expect(md.status == .ok)
            #expect(md.headers.contentType?.type == "text")
            #expect(md.headers.contentType?.subType == "markdown")
            #expect(md.headers.first(name: .contentDisposition)?.contains("attachment; filename=\"CRM-kickoff.md\"") == true)
            #expect(md.body.string.contains("Vendor A"))
            let xlsx = try await vendor.get("/projects/CRM/kickoff.xlsx")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let sheets = try XLSXReader.read(Data(buffer: xlsx.body))
            #expect(sheets.count == 6)
            #expect(sheets.contains { $0.name == "Members" })
        }
    }

    @Test(arguments: TestDatabase.available)
    func portfolioAndDownloads(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            // A second project the PMO belongs to, without any report.
            _ = try await t.store.projects.create(by: w.admin, ProjectFields(key: "ERP", name: "ERP rollout"))
            try await t.store.projects.setMembership(by: w.admin, key: "ERP", userID: w.users["pmo"]!.userID, role: "pmo")
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            let today = try await defaultDate(pmo)
            let older = try await start(pmo, today.adding(days: -7))
            #expect(try await pmo.post("/projects/CRM/reports/\(older)/issue", ["confirmed": "1"]).status == .seeOther)
            _ = try await t.createIssue(w.tokens["pmo"]!, ["title": "Data loss in migration", "priority": "critical"])
            let latest = try await start(pmo, today)
            #expect(try await pmo.post("/projects/CRM/reports/\(latest)/issue", ["confirmed": "1"]).status == .seeOther)

            let portfolio = try await pmo.get("/portfolio")
            #expect(portfolio.status == .ok)
            let html = portfolio.body.string
            let crm = section(html, from: "id=\"p-CRM\"", to: "</tr>")
            #expect(crm.contains("CRM renewal"))
            #expect(crm.contains(today.description))
            #expect(crm.contains("class=\"area-overall\" data-rag=\"red\""))
            #expect(crm.contains("Red"))
            let quality = section(crm, from: "class=\"area-quality\"", to: "</td>")
            #expect(quality.contains("↓"))
            let erp = section(html, from: "id=\"p-ERP\"", to: "</tr>")
            #expect(erp.contains("No issued status report yet"))

            let md = try await pmo.get("/projects/CRM/reports/\(latest).md")
            #expect(md.status == .ok)
            #expect(md.headers.contentType?.type == "text")
            #expect(md.headers.contentType?.subType == "markdown")
            #expect(md.headers.first(name: .contentDisposition)?.contains("attachment; filename=\"CRM-status-\(today).md\"") == true)
            #expect(md.body.string.contains("Data loss in migration"))
            let xlsx = try await pmo.get("/projects/CRM/reports/\(latest).xlsx")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.contentType?.type == "application")
            #expect(xlsx.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(xlsx.headers.first(name: .contentDisposition)?.contains("CRM-status-\(today).xlsx") == true)
            let sheets = try XLSXReader.read(Data(buffer: xlsx.body))
            #expect(sheets.count == 5)
            let areas = try #require(sheets.first { $0.name == "Areas" })
            let texts = areas.rows.flatMap { $0 }.compactMap { cell -> String? in
                if case .text(let s) = cell { return s }
                return nil
            }
            #expect(texts.contains("Quality"))
            #expect(texts.contains("Red"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func bothLanguagesNameTheAreas(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            let id = try await start(pmo, try await defaultDate(pmo))
            let english = try await pmo.get("/projects/CRM/reports/\(id)").body.string
            for word in ["Schedule", "Cost", "Scope", "Quality", "Risk", "Overall status", "Since last week"] {
                #expect(english.contains(word), "\(word)")
            }
            #expect(english.contains("<html lang=\"en\">"))

            let caller = w.users["member"]!
            _ = try await t.store.accounts.updateUser(by: caller, id: caller.userID, expectedVersion: nil, locale: "ja")
            let member = try await BrowserSession.login(t, email: "member@example.com", acceptLanguage: "ja")
            let response = try await member.get("/projects/CRM/reports/\(id)")
            #expect(response.status == .ok)
            let japanese = response.body.string
            for word in ["スケジュール", "コスト", "スコープ", "品質", "リスク", "全体状況", "前回からの変化", "下書き"] {
                #expect(japanese.contains(word), "\(word)")
            }
            #expect(japanese.contains("<html lang=\"ja\">"))
            // A member reads but does not edit.
            #expect(japanese.contains("id=\"edit-form\"") == false)
            let list = try await member.get("/projects/CRM/reports").body.string
            #expect(list.contains("id=\"new-report\"") == false)
            let kickoff = try await member.get("/projects/CRM/kickoff").body.string
            #expect(kickoff.contains("体制"))
            let portfolio = try await member.get("/portfolio").body.string
            #expect(portfolio.contains("発行済みの状況報告はまだありません"))
        }
    }
}
