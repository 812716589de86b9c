import Foundation
import PMOCore
import PMOStore
@testable import PMOServer
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The plan's form posts refuse bad input with a message and store nothing, and pages escape what users typed.
@Suite("Plan pages")
struct PlanPageTests {
    func count(_ t: TestApp) async throws -> Int {
        let view = try await t.app.store.plans.view(Caller(try #require(try await t.app.store.accounts.user(email: "pmo@example.com"))), key: "CRM")
        return view.snapshot.activities.count
    }

    @Test(arguments: TestDatabase.available)
    func badFormsAreRefusedAndLeaveThePlanAlone(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            _ = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            let added = try await pmo.post("/projects/CRM/plan/activities", ["name": "<b>設計</b>", "kind": "task", "durationDays": "3"])
            #expect(added.status == .seeOther, "\(added.body.string)")
            #expect(added.headers.first(name: .location) == "/projects/CRM/plan#a1")
            // The page the form comes back to says "saved" once (SavedNotice), then clears the mark; a plain visit does not.
            let mark = try #require(added.headers.setCookie?[SavedNotice.cookie])
            #expect(mark.string == "1" && mark.maxAge == 60)
            let saved = try await t.send(.GET, "/projects/CRM/plan", headers: [("Cookie", "pmo_session=\(pmo.cookie); \(SavedNotice.cookie)=1")])
            #expect(saved.body.string.contains("<p class=\"flash\" role=\"status\">Saved.</p>"))
            #expect(saved.headers.setCookie?[SavedNotice.cookie]?.expires.map { $0 < Date() } == true)
            let wbs = try await pmo.get("/projects/CRM/plan")
            #expect(!wbs.body.string.contains("class=\"flash\""))
            #expect(wbs.body.string.contains("&lt;b&gt;設計&lt;/b&gt;"))
            #expect(wbs.body.string.contains("<b>設計</b>") == false)

            // A duration that is not a number, a malformed predecessor, a predecessor that does not exist, and a
            // predecessor that is the new row's own summary: each is refused before anything is created.
            for fields in [["name": "x", "durationDays": "abc"], ["name": "x", "durationDays": "1", "predecessors": "zz9"],
                           ["name": "x", "durationDays": "1", "predecessors": "99"],
                           ["name": "x", "durationDays": "1", "parentUid": "1", "predecessors": "1"]] {
                let refused = try await pmo.post("/projects/CRM/plan/activities", fields)
                #expect(refused.status == .unprocessableEntity, "\(fields): \(refused.status)")
            }
            #expect(try await count(t) == 1)

            let badCalendar = try await pmo.post("/projects/CRM/plan/calendars/1", ["day1": "nine to five"])
            #expect(badCalendar.status == .unprocessableEntity)
            #expect(badCalendar.headers.setCookie?[SavedNotice.cookie] == nil, "a refused form never says saved")
            // How summaries weigh their rows: a choice on the calendars page; anything else is refused.
            #expect(try await pmo.post("/projects/CRM/plan/settings", ["progressWeighting": "money"]).status == .unprocessableEntity)
            let weighting = try await pmo.post("/projects/CRM/plan/settings", ["progressWeighting": "budget"])
            #expect(weighting.status == .seeOther)
            #expect(weighting.headers.first(name: .location) == "/projects/CRM/plan/calendars")
            let pmoCaller = try Caller(try #require(try await t.app.store.accounts.user(email: "pmo@example.com")))
            #expect(try await t.app.store.plans.view(pmoCaller, key: "CRM").snapshot.progressWeighting == .budget)
            #expect(try await pmo.get("/projects/CRM/plan/calendars").body.string.contains("<option value=\"budget\" selected>"))
            #expect(badCalendar.body.string.contains("is not a working period"))
            let badDate = try await pmo.post("/projects/CRM/plan/status-date", ["statusDate": "yesterday"])
            #expect(badDate.status == .unprocessableEntity)
            let evm = try await pmo.get("/projects/CRM/plan/evm?at=garbage")
            #expect(evm.status == .unprocessableEntity)
            #expect(evm.body.string.contains("YYYY-MM-DD"))
        }
    }
}
