import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

/// Watching from an item's page and the API, for issues and the registers alike; the owner is told they hear of it by
/// role; a vendor cannot watch what they cannot see; the reminder days on the preferences page and API.
@Suite("Watching: pages and API")
struct WatchPageTests {
    @Test(arguments: TestDatabase.available)
    func watchFromThePageAndTheAPI(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.users["pm"]!
            let risk = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .risk, fields: RegisterItemFields(
                title: "Vendor staff leave", status: "identified", ownerID: UserID(w.users["member"]!.userID), details: [
                    "riskType": .text("threat"), "category": .text("vendor"), "probability": .integer(2),
                    "impactSchedule": .integer(2), "impactCost": .integer(2), "impactQuality": .integer(2)]))
            let issue = try await t.store.items.createIssue(pm, key: "CRM", fields: IssueFields(title: "Test data missing", visibility: .internal))

            // The viewer watches the risk from its page, then stops.
            let viewer = try await BrowserSession.login(t, email: "viewer@example.com")
            let page = try await viewer.get("/projects/CRM/risks/\(risk.record.number)").body.string
            #expect(page.contains("id=\"watch\"") && page.contains("id=\"watch-button\"") && page.contains(">Watch<"))
            let started = try await viewer.post("/projects/CRM/risks/\(risk.record.number)/watch", ["watch": "1"])
            #expect(started.status == .seeOther)
            let watching = try await viewer.get("/projects/CRM/risks/\(risk.record.number)").body.string
            #expect(watching.contains(">Stop watching<") && watching.contains("1 watcher"))
            #expect(try await viewer.post("/projects/CRM/risks/\(risk.record.number)/watch", ["watch": "0"]).status == .seeOther)
            #expect(try await t.store.items.watchState(w.users["viewer"]!, key: "CRM", type: .risk, number: risk.record.number).watching == false)
            // The owner hears of it by role: no button.
            let member = try await BrowserSession.login(t, email: "member@example.com")
            let own = try await member.get("/projects/CRM/risks/\(risk.record.number)").body.string
            #expect(own.contains("As its owner or decider") && !own.contains("id=\"watch-button\""))

            // The API, for an issue.
            let token = w.tokens["viewer"]!
            let put = try await t.send(.PUT, "/api/v1/projects/CRM/issues/\(issue.record.number)/watch", token: token)
            #expect(put.status == .ok && put.json["watching"] as? Bool == true && put.json["watchers"] as? Int == 1)
            let got = try await t.send(.GET, "/api/v1/projects/CRM/issues/\(issue.record.number)/watch", token: w.tokens["pm"]!)
            #expect(got.json["watching"] as? Bool == false && got.json["watchers"] as? Int == 1)
            let deleted = try await t.send(.DELETE, "/api/v1/projects/CRM/issues/\(issue.record.number)/watch", token: token)
            #expect(deleted.json["watching"] as? Bool == false && deleted.json["watchers"] as? Int == 0)
            // A vendor cannot watch an internal issue: no such issue for them.
            let vendor = try await t.send(.PUT, "/api/v1/projects/CRM/issues/\(issue.record.number)/watch", token: w.tokens["vendorA"]!)
            #expect(vendor.status == .notFound)

            // Reminder days on the preferences page and API.
            let saved = try await member.post("/settings/mail", ["reminderDays": "3", "version": "0"])
            #expect(saved.status == .seeOther)
            #expect(try await t.store.mail.preferences(w.users["member"]!).preferences.reminderDays == 3)
            let bad = try await t.send(.PUT, "/api/v1/me/mail-preferences", token: w.tokens["member"]!, json: ["reminderDays": 30])
            #expect(bad.status == .unprocessableEntity && bad.fieldErrors == ["reminderDays"])
            let api = try await t.send(.GET, "/api/v1/me/mail-preferences", token: w.tokens["member"]!)
            #expect(api.json["reminderDays"] as? Int == 3)
        }
    }
}
