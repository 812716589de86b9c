import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

@testable import PMOServer

/// An agenda item's own minutes and presenter: generated items are presented by the item's owner and take their rule's
/// minutes; the secretary gives an item its own minutes and presenter (API and minutes form), and the time box counts
/// them, moving what no longer fits the meeting to "if time allows".
@Suite("Agenda time box per item")
struct AgendaTimeBoxTests {
    @Test(arguments: TestDatabase.available)
    func minutesAndPresenterPerItem(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!, pm = w.tokens["pm"]!
            let pmID = w.users["pm"]!.userID.uuidString.lowercased(), memberID = w.users["member"]!.userID.uuidString.lowercased()
            for (title, due) in [("Send the migration plan", "2026-01-02"), ("Book the rehearsal room", "2026-01-03")] {
                let action = try await t.send(.POST, "/api/v1/projects/CRM/actions", token: pmo, json: ["title": title, "owner": memberID, "dueDate": due])
                #expect(action.status == .created)
            }
            let created = try await t.send(.POST, "/api/v1/projects/CRM/meetings", token: pmo, json: [
                "name": "Weekly", "chair": pmID, "firstDate": "2026-01-05", "startTime": "10:00", "durationMinutes": 30,
                "attendees": [pmID, memberID], "visibility": ["scope": "project"],
            ])
            let seriesID = try #require(created.json["id"] as? String)
            let occurrence = "/api/v1/projects/CRM/meetings/\(seriesID)/occurrences/1"
            let prepared = try await t.send(.POST, "/api/v1/projects/CRM/meetings/\(seriesID)/occurrences", token: pm, json: ["number": 1])
            #expect(prepared.status == .created, "\(prepared.body.string)")
            let items = (prepared.json["items"] as? [[String: Any]]) ?? []
            let first = try #require(items.first { $0["reference"] as? String == "CRM-A1" })
            #expect((first["presenter"] as? [String: Any])?["name"] as? String == "member", "generated items are presented by the owner")
            #expect(first["minutes"] as? Int == AgendaTimeBox.minutes(for: .actionsDue))
            #expect(first["minutesGiven"] as? Bool == false)
            let itemID = try #require(first["id"] as? String)

            // Bad values are named; nothing changes.
            let tooLong = try await t.send(.PATCH, "\(occurrence)/items/\(itemID)", token: pm, json: ["minutes": 481], headers: [("If-Match", "*")])
            #expect(tooLong.status == .unprocessableEntity)
            let stranger = try await t.send(.PATCH, "\(occurrence)/items/\(itemID)", token: pm, json: ["presenter": UUID().uuidString],
                                            headers: [("If-Match", "*")])
            #expect(stranger.fieldErrors == ["presenter"])

            // Its own 40 minutes and the PM as presenter: the meeting of 30 minutes no longer holds it.
            let given = try await t.send(.PATCH, "\(occurrence)/items/\(itemID)", token: pm, json: ["minutes": 40, "presenter": pmID],
                                         headers: [("If-Match", "*")])
            #expect(given.status == .ok, "\(given.body.string)")
            let after = try await t.send(.GET, occurrence, token: pm)
            let item = try #require(((after.json["items"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == itemID })
            #expect(item["minutes"] as? Int == 40)
            #expect(item["minutesGiven"] as? Bool == true)
            #expect((item["presenter"] as? [String: Any])?["name"] as? String == "pm")
            let session = try await BrowserSession.login(t, email: "pm@example.com")
            let page = try await session.get("/projects/CRM/meetings/\(seriesID)/1").body.string
            #expect(page.contains("presented by pm"))
            #expect(page.contains("card agenda-item if-time\" id=\"item-\(itemID)\""))
            // The agenda as a document (printed, and in Markdown) carries the time box too.
            let markdown = try await session.get("/projects/CRM/meetings/\(seriesID)/1/agenda.md").body.string
            #expect(markdown.contains("Planned "), "the agenda's Markdown states the time box:\n\(markdown)")
            #expect(markdown.contains("(40 min, presented by pm, if time allows)"), "the item's minutes and presenter:\n\(markdown)")
            let printout = page.components(separatedBy: "id=\"printout\"").dropFirst().first?.components(separatedBy: "</section>").first ?? ""
            #expect(printout.contains("40 min</span> <span class=\"presenter muted\">presented by pm"), "the printed minutes keep the item's time and presenter")

            // The minutes form: empty minutes go back to the rule's, and another presenter is chosen.
            let form = try await session.post("/projects/CRM/meetings/\(seriesID)/1/minutes", [
                "v-\(itemID)": "\(item["version"] as? Int ?? 0)", "notes-\(itemID)": "", "min-\(itemID)": "", "presenter-\(itemID)": memberID,
            ])
            #expect(form.status == .seeOther, "\(form.body.string)")
            let back = try await t.send(.GET, occurrence, token: pm)
            let reset = try #require(((back.json["items"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == itemID })
            #expect(reset["minutesGiven"] as? Bool == false)
            #expect((reset["presenter"] as? [String: Any])?["name"] as? String == "member")
            #expect(!(try await session.get("/projects/CRM/meetings/\(seriesID)/1").body.string.contains("if-time\" id=\"item-\(itemID)\"")))
        }
    }

    /// A series' rules in its own priority order, with a cap: through the API and the series form, kept across reads,
    /// and the generated agenda follows them (the over-cap actions come last, marked).
    @Test(arguments: TestDatabase.available)
    func seriesPriorityAndCapsShapeTheAgenda(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!, pm = w.tokens["pm"]!
            let memberID = w.users["member"]!.userID.uuidString.lowercased(), pmID = w.users["pm"]!.userID.uuidString.lowercased()
            for n in 1...3 {
                let action = try await t.send(.POST, "/api/v1/projects/CRM/actions", token: pmo, json: ["title": "Action \(n)", "owner": memberID, "dueDate": "2026-01-0\(n)"])
                #expect(action.status == .created)
            }
            let decision = try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pmo, json: ["title": "Choose the vendor", "decider": pmID])
            #expect(decision.status == .created, "\(decision.body.string)")
            let created = try await t.send(.POST, "/api/v1/projects/CRM/meetings", token: pmo, json: [
                "name": "Steering", "chair": pmID, "firstDate": "2026-01-05", "startTime": "10:00", "durationMinutes": 60,
                "rules": ["decisions_pending", "actions_due"], "ruleCaps": [["rule": "actions_due", "max": 2]], "visibility": ["scope": "project"],
            ])
            #expect(created.status == .created, "\(created.body.string)")
            #expect(created.json["rules"] as? [String] == ["decisions_pending", "actions_due"])
            #expect((created.json["ruleCaps"] as? [[String: Any]])?.first?["max"] as? Int == 2)
            let seriesID = try #require(created.json["id"] as? String)
            let bad = try await t.send(.PATCH, "/api/v1/projects/CRM/meetings/\(seriesID)", token: pmo,
                                       json: ["ruleCaps": [["rule": "actions_due", "max": 0]]], headers: [("If-Match", "*")])
            #expect(bad.status == .unprocessableEntity)
            let prepared = try await t.send(.POST, "/api/v1/projects/CRM/meetings/\(seriesID)/occurrences", token: pm, json: ["number": 1])
            #expect(prepared.status == .created, "\(prepared.body.string)")
            let items = (prepared.json["items"] as? [[String: Any]]) ?? []
            #expect(items.compactMap { $0["reference"] as? String } == ["CRM-D1", "CRM-A1", "CRM-A2", "CRM-A3"])
            let last = try #require(items.last?["reasons"] as? [[String: Any]])
            #expect(last.contains { $0["code"] as? String == "over_cap" })

            // The series form: actions first, at most 1.
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            let form = try await session.get("/projects/CRM/meetings/\(seriesID)").body.string
            #expect(form.contains("name=\"cap-actions_due\""))
            var fields: [String: String] = ["name": "Steering", "chair": pmID, "firstDate": "2026-01-05", "intervalWeeks": "1", "startTime": "10:00",
                                            "durationMinutes": "60", "riskThreshold": "12", "visibility": "project", "version": "1",
                                            "rule-actions_due": "on", "rule-decisions_pending": "on",
                                            "priority-actions_due": "1", "priority-decisions_pending": "2", "cap-actions_due": "1"]
            fields["cap-decisions_pending"] = "lots"
            #expect(try await session.post("/projects/CRM/meetings/\(seriesID)", fields).status == .unprocessableEntity)
            fields["cap-decisions_pending"] = ""
            let saved = try await session.post("/projects/CRM/meetings/\(seriesID)", fields)
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(400))")
            let read = try await t.send(.GET, "/api/v1/projects/CRM/meetings/\(seriesID)", token: pm)
            #expect(read.json["rules"] as? [String] == ["actions_due", "decisions_pending"])
            #expect((read.json["ruleCaps"] as? [[String: Any]])?.map { "\($0["rule"] ?? "")=\($0["max"] ?? "")" } == ["actions_due=1"])
        }
    }
}
