import Foundation
import PMOCore
@testable import PMOServer
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The portfolio's money by fiscal year through the API on both databases: a project with a ledger counts its ledger,
/// one without counts its plan's BAC and EAC, the totals add them up, and only projects whose money the reader may
/// see are counted.
@Suite("Portfolio budget by fiscal year")
struct PortfolioBudgetAPITests {
    @Test(arguments: TestDatabase.available)
    func eachProjectCountsItsLedgerOrItsPlanAndOnlyWhatTheReaderMaySee(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await LedgerAPITests.prepare(t, w)
            // DWH keeps no ledger: one activity with a fixed budget of 9,000,000 in its plan.
            _ = try await t.store.projects.create(by: w.admin, ProjectFields(key: "DWH", name: "Data warehouse",
                                                                            startDate: CalendarDate(iso: "2026-05-11"), targetDate: CalendarDate(iso: "2026-09-30")))
            try await t.store.projects.setMembership(by: w.admin, key: "DWH", userID: w.users["pmo"]!.userID, role: "pmo")
            _ = try await t.store.plans.createActivity(w.admin, key: "DWH", parentUID: nil) { a in
                a.name = "Data mart design"
                a.duration = .working(10 * 480)
                a.costBasis = .fixed
                a.budgetAmount = .yen(9_000_000)
            }

            let res = try await t.send(.GET, "/api/v1/portfolio/budget", token: w.tokens["pmo"]!)
            #expect(res.status == .ok, "\(res.body.string)")
            let years = res.json["years"] as? [[String: Any]] ?? []
            let ledger = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: w.tokens["pmo"]!).json
            let ledgerYears = ledger["years"] as? [[String: Any]] ?? []
            #expect(years.map { $0["fiscalYear"] as? Int } == [2026, 2027], "\(res.body.string)")
            func project(_ year: [String: Any], _ key: String) -> [String: Any]? {
                (year["projects"] as? [[String: Any]])?.first { $0["project"] as? String == key }
            }
            // CRM: its ledger's year totals.
            for (year, expected) in zip(years, ledgerYears) {
                let crm = try #require(project(year, "CRM"))
                #expect(crm["source"] as? String == "ledger")
                for key in ["budget", "ordered", "paid", "forecast", "variance"] { #expect(crm[key] as? Int == expected[key] as? Int, "\(key)") }
            }
            #expect(project(years[0], "CRM")?["budget"] as? Int == 34_000_000 && project(years[0], "CRM")?["ordered"] as? Int == 24_000_000)
            // DWH: its plan, in the one fiscal year its work finishes, with nothing ordered or paid.
            let dwhYears = years.filter { project($0, "DWH") != nil }
            #expect(dwhYears.count == 1)
            let dwh = try #require(dwhYears.first.flatMap { project($0, "DWH") })
            #expect(dwh["source"] as? String == "plan" && dwh["budget"] as? Int == 9_000_000 && dwh["forecast"] as? Int == 9_000_000)
            #expect(dwh["ordered"] is NSNull && dwh["paid"] is NSNull)
            // The total of that year adds both projects' budgets; ordered and paid are the ledger's alone.
            let total = try #require(dwhYears.first?["total"] as? [String: Any])
            let crmThatYear = try #require(dwhYears.first.flatMap { project($0, "CRM") })
            #expect(total["budget"] as? Int == (crmThatYear["budget"] as? Int ?? 0) + 9_000_000)
            #expect(total["ordered"] as? Int == crmThatYear["ordered"] as? Int && total["paid"] as? Int == crmThatYear["paid"] as? Int)
            #expect(total["forecast"] as? Int == (crmThatYear["forecast"] as? Int ?? 0) + 9_000_000)

            // A vendor's staff, members and viewers see no project's money; a member granted the right sees CRM's.
            for role in ["vendorA", "member", "viewer"] {
                let none = try await t.send(.GET, "/api/v1/portfolio/budget", token: w.tokens[role]!)
                #expect(none.status == .ok && (none.json["years"] as? [Any])?.isEmpty == true, "\(role)")
                #expect(!none.body.string.contains("34000000"), "\(role)")
            }
            let member = w.users["member"]!.userID.uuidString.lowercased()
            #expect(try await t.send(.PUT, "/api/v1/projects/CRM/memberships/\(member)/commercial", token: w.tokens["pmo"]!, json: ["granted": true]).status == .ok)
            let granted = try await t.send(.GET, "/api/v1/portfolio/budget", token: w.tokens["member"]!).json["years"] as? [[String: Any]] ?? []
            #expect(granted.flatMap { ($0["projects"] as? [[String: Any]] ?? []).compactMap { $0["project"] as? String } } == ["CRM", "CRM"])

            // The portfolio page shows the year's table.
            let page = try await BrowserSession.login(t, email: "pmo@example.com").get("/portfolio?fy=2026").body.string
            #expect(page.contains("id=\"portfolio-budget-fy2026\"") && page.contains("Budget by fiscal year") && page.contains("34,000,000"), "\(page)")
        }
    }
}
