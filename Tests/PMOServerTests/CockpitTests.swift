import Foundation
import PMOCore
import PMODemo
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

@testable import PMOServer

/// The project home opens with the project's live health (the cockpit), computed by the status report's rules as of
/// the plan's status date, and shows a vendor only what a vendor may read.
@Suite("Project health cockpit")
struct CockpitTests {
    @Test func theDemoHomeShowsLiveHealthAndWhatNeedsSomeone() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await DemoData.load(into: t.store, bcryptCost: 4)
            let s = t.store
            let pmo = try Caller(try #require(try await s.accounts.user(email: "pmo@demo.pmo")))
            let today = CalendarDate(Date(), in: TimeZone(identifier: "Asia/Tokyo")!)
            let plan = try await s.plans.view(pmo, key: "CRM")
            let statusDate = try #require(plan.snapshot.statusDate)

            // The store's health is the status report's computation as of the plan's status date.
            let health = try await s.reports.health(pmo, key: "CRM", today: today)
            #expect(health.statusDate == statusDate && health.isPlanStatusDate)
            let status = try #require(health.status)
            // A draft for the same date is computed live by the report's own code (the demo issued one for it already:
            // a correction is that draft).
            let reports = try await s.reports.statusReports(pmo, key: "CRM")
            let draft = if let issued = reports.first(where: { $0.statusDate == statusDate && $0.state == .issued }) {
                try await s.reports.correctStatusReport(pmo, key: "CRM", id: issued.id)
            } else {
                try await s.reports.createStatusReport(pmo, key: "CRM", statusDate: statusDate, today: today)
            }
            #expect(draft.state == .draft)
            #expect(status.areas.map(\.computed) == draft.content.areas.map(\.computed))
            #expect(status.metrics.spi == draft.content.metrics.spi)
            #expect(health.milestones.allSatisfy { !$0.done })
            #expect(health.milestones.map(\.forecastFinish) == health.milestones.map(\.forecastFinish).sorted())
            // Overdue actions: exactly the open actions past their due date, grouped by owner.
            let actions = try await s.items.allRegisterItems(pmo, key: "CRM", kind: .action)
            let overdue = actions.filter { $0.record.isOpen && ($0.record.dueDate.flatMap(CalendarDate.init(iso:)).map { $0 < today } ?? false) }
            #expect(!overdue.isEmpty, "the demo has overdue actions")
            #expect(Set(health.overdueActions.flatMap(\.items).map(\.reference)) == Set(overdue.map { "CRM-A\($0.record.number)" }))
            let next = try #require(health.nextMeeting)
            #expect(next.date >= today)

            // The page, in Japanese for the PMO.
            let page = try await BrowserSession.login(t, email: "pmo@demo.pmo", password: DemoData.password, acceptLanguage: "ja")
            let html = try await page.get("/projects/CRM").body.string
            #expect(html.contains("id=\"cockpit-status\""))
            #expect(html.contains("\(statusDate) 時点の状況"))
            let overall = try #require(status.area(.overall)).rag.rawValue
            #expect(html.contains("id=\"cockpit-overall\" data-rag=\"\(overall)\""))
            #expect(html.contains("id=\"cockpit-spi\""))
            for m in health.milestones { #expect(html.contains("href=\"/projects/CRM/plan/activities/\(m.uid)\"")) }
            for d in status.decisionsNeeded { #expect(html.contains(d.reference)) }
            for a in overdue { #expect(html.contains("href=\"/projects/CRM/actions/\(a.record.number)\"")) }
            #expect(html.contains("href=\"/projects/CRM/meetings/\(next.seriesID.uuidString.lowercased())\""))

            // A vendor (English) gets the plan's milestones, its visible overdue actions and the next meeting it may
            // see, but no colours, earned value or money: those are the status report's, which vendors do not read.
            let aoba = try Caller(try #require(try await s.accounts.user(email: "aoba.lead@demo.pmo")))
            let vendorHealth = try await s.reports.health(aoba, key: "CRM", today: today)
            #expect(vendorHealth.status == nil)
            #expect(vendorHealth.milestones.map(\.uid) == health.milestones.map(\.uid))
            let visible = Set(try await s.items.allRegisterItems(aoba, key: "CRM", kind: .action).map { "CRM-A\($0.record.number)" })
            #expect(Set(vendorHealth.overdueActions.flatMap(\.items).map(\.reference)).isSubset(of: visible))
            let vendor = try await BrowserSession.login(t, email: "aoba.lead@demo.pmo", password: DemoData.password)
            let vendorHTML = try await vendor.get("/projects/CRM").body.string
            #expect(vendorHTML.contains("id=\"cockpit-milestones\""))
            #expect(!vendorHTML.contains("id=\"cockpit-status\""))
            #expect(!vendorHTML.contains("¥"))
            #expect(!vendorHTML.contains("CPI"))
        }
    }

    @Test func thePortfolioAndTheProjectListShowEachProjectsHealth() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await DemoData.load(into: t.store, bcryptCost: 4)
            let s = t.store
            let pmo = try Caller(try #require(try await s.accounts.user(email: "pmo@demo.pmo")))
            let rows = try await s.reports.portfolio(pmo)
            let crm = try #require(rows.first { $0.projectKey == "CRM" })
            let latest = try #require(crm.latest)
            let overall = try #require(latest.area(.overall)).rag
            #expect(!crm.managers.isEmpty, "the demo project has a PM")
            let next = try #require(crm.nextMilestone)
            #expect(!next.done)

            let page = try await BrowserSession.login(t, email: "pmo@demo.pmo", password: DemoData.password)
            let html = try await page.get("/portfolio").body.string
            #expect(html.contains("id=\"p-CRM\""))
            for name in crm.managers { #expect(html.contains(name)) }
            #expect(html.contains("◆ \(next.name) \(next.forecastFinish)"))
            #expect(html.contains("href=\"/projects/CRM/issues?priority=critical&amp;open=true\">\(latest.metrics.openCriticalIssues)</a>"))
            #expect(html.contains("href=\"/projects/CRM\""))
            // Filtered by another overall colour, the project is not listed, and the count says so.
            let other = overall == .red ? RAG.green : RAG.red
            let filtered = try await page.get("/portfolio?colour=\(other.rawValue)&sort=spi").body.string
            #expect(!filtered.contains("id=\"p-CRM\""))
            #expect(filtered.contains("\(rows.count) 件中 0 件を表示"))
            #expect(filtered.contains("<option value=\"spi\" selected>"))
            let same = try await page.get("/portfolio?colour=\(overall.rawValue)&sort=nonsense").body.string
            #expect(same.contains("id=\"p-CRM\""))

            // The project list carries the same colour, from the latest issued report.
            let list = try await page.get("/projects").body.string
            #expect(list.contains("class=\"health\" data-rag=\"\(overall.rawValue)\""))
            #expect(list.contains(latest.statusDate.description))
            // A vendor reads no reports, so its list shows no colour.
            let vendor = try await BrowserSession.login(t, email: "aoba.lead@demo.pmo", password: DemoData.password)
            #expect(!(try await vendor.get("/projects").body.string.contains("class=\"health\"")))
        }
    }
}
