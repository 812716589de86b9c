import Foundation
import PMOCore
import PMOStore
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
            let wbs = try await pmo.get("/projects/CRM/plan")
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
            #expect(badCalendar.body.string.contains("is not a working period"))
            let badDate = try await pmo.post("/projects/CRM/plan/status-date", ["statusDate": "yesterday"])
            #expect(badDate.status == .unprocessableEntity)
            let evm = try await pmo.get("/projects/CRM/plan/evm?at=garbage")
            #expect(evm.status == .unprocessableEntity)
            #expect(evm.body.string.contains("YYYY-MM-DD"))
        }
    }
}
