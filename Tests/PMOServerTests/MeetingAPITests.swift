import Foundation
import PMOCore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The meeting and status report API end to end: a series, an occurrence whose agenda is generated from the registers
/// (with the reasons as codes), minutes that create register items, approval refused while an action is incomplete,
/// frozen and amended minutes; and status reports: their dates, the PMO's override with its reason, issuing, the
/// issued report never changing, and vendors kept out.
@Suite("Meeting API")
struct MeetingAPITests {
    static let meetings = "/api/v1/projects/CRM/meetings"
    static let reports = "/api/v1/projects/CRM/reports"

    static func etag(_ res: TestingHTTPResponse) -> String { res.headers.first(name: .eTag) ?? "" }

    static func errorCodes(_ res: TestingHTTPResponse) -> [String: String] {
        var out: [String: String] = [:]
        for e in (res.json["errors"] as? [[String: Any]]) ?? [] {
            if let f = e["field"] as? String { out[f] = e["code"] as? String ?? "" }
        }
        return out
    }

    static func messages(_ res: TestingHTTPResponse) -> String {
        ((res.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }.joined(separator: "\n")
    }

    static func item(_ occurrence: TestingHTTPResponse, reference: String) -> [String: Any]? {
        (occurrence.json["items"] as? [[String: Any]])?.first { $0["reference"] as? String == reference }
    }

    static func reasons(_ item: [String: Any]?) -> [[String: Any]] { (item?["reasons"] as? [[String: Any]]) ?? [] }

    @Test(arguments: TestDatabase.available)
    func seriesAgendaMinutesApprovalAndAmendment(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!, pm = w.tokens["pm"]!
            let pmID = w.users["pm"]!.userID.uuidString.lowercased()
            let memberID = w.users["member"]!.userID.uuidString.lowercased()

            // An overdue action and a risk with a triggered warning sign, through the register API.
            let action = try await t.send(.POST, "/api/v1/projects/CRM/actions", token: pmo, json: [
                "title": "Send the data migration plan", "owner": memberID, "dueDate": "2026-01-02",
            ])
            #expect(action.status == .created, "\(action.body.string)")
            #expect(action.json["reference"] as? String == "CRM-A1")
            let risk = try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: [
                "title": "Legacy data is dirtier than sampled", "riskType": "threat", "category": "technical", "probability": 2,
                "impactSchedule": 2, "impactCost": 2, "impactQuality": 2,
                "indicators": [["text": "Cleansing backlog grows two weeks running", "status": "triggered"]],
            ])
            #expect(risk.status == .created, "\(risk.body.string)")
            #expect(risk.json["reference"] as? String == "CRM-R1")

            // Bad input is named field by field; a vendor may not set up a series.
            let bad = try await t.send(.POST, Self.meetings, token: pmo, json: [
                "name": "Weekly", "firstDate": "2026-02-30", "startTime": "25:00", "rules": ["actions_due", "gossip"],
                "intervalWeeks": "two", "colour": "blue", "visibility": ["scope": "everyone"],
            ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.problemCode == "meeting.invalid")
            let badCodes = Self.errorCodes(bad)
            #expect(badCodes["firstDate"] == "invalid_date")
            #expect(badCodes["startTime"] == "invalid_time")
            #expect(badCodes["rules[1]"] == "invalid_choice")
            #expect(badCodes["intervalWeeks"] == "wrong_type")
            #expect(badCodes["colour"] == "unknown_field")
            #expect(badCodes["visibility.scope"] == "invalid_choice")
            // A company that does not exist is the caller's mistake (422), not the database's (it answered 500, found by
            // schemathesis inside the demo project).
            let ghost = try await t.send(.POST, Self.meetings, token: w.tokens["sysadmin"]!, json: [
                "name": "Ghost company", "firstDate": "2026-02-02",
                "visibility": ["scope": "company", "company": UUID().uuidString.lowercased()],
            ])
            #expect(ghost.status == .unprocessableEntity, "\(ghost.body.string)")
            #expect(Self.errorCodes(ghost)["visibility.company"] == "not_found")
            let missing = try await t.send(.POST, Self.meetings, token: pmo, json: ["purpose": "x"])
            #expect(Set(missing.fieldErrors) == ["name", "firstDate"])
            let byVendor = try await t.send(.POST, Self.meetings, token: w.tokens["vendorA"]!,
                                            json: ["name": "Vendor sync", "firstDate": "2026-01-05"])
            #expect(byVendor.status == .forbidden)
            #expect(byVendor.problemCode == "meeting.manage_forbidden")

            // Create a weekly series chaired by the PM.
            let created = try await t.send(.POST, Self.meetings, token: pmo, json: [
                "name": "Weekly development meeting", "purpose": "Progress, issues and risks", "chair": pmID,
                "firstDate": "2026-01-05", "intervalWeeks": 1, "startTime": "10:30", "durationMinutes": 60, "location": "Room 5",
                "attendees": [pmID, memberID], "riskThreshold": 12, "visibility": ["scope": "project"],
            ])
            #expect(created.status == .created, "\(created.body.string)")
            let seriesID = try #require(created.json["id"] as? String)
            let series = "\(Self.meetings)/\(seriesID)"
            #expect(created.headers.first(name: .location) == "/api/v1/projects/CRM/meetings/\(seriesID)")
            #expect(created.json["startTime"] as? String == "10:30")
            #expect(created.json["weekday"] as? Int == 1)
            #expect((created.json["chair"] as? [String: Any])?["name"] as? String == "pm")
            #expect((created.json["rules"] as? [String])?.count == AgendaRule.allCases.count)
            #expect(Self.etag(created) == "\"1\"")
            let list = try await t.send(.GET, Self.meetings, token: w.tokens["viewer"]!)
            #expect(list.items.map { $0["name"] as? String } == ["Weekly development meeting"])

            // PATCH merges the given fields onto the current ones; If-Match is required.
            #expect(try await t.send(.PATCH, series, token: pmo, json: ["location": "Room 7"]).status == .preconditionRequired)
            let patched = try await t.send(.PATCH, series, token: pmo, json: ["location": "Room 7"], headers: [("If-Match", Self.etag(created))])
            #expect(patched.status == .ok, "\(patched.body.string)")
            #expect(patched.json["location"] as? String == "Room 7")
            #expect(patched.json["name"] as? String == "Weekly development meeting")
            #expect(patched.json["startTime"] as? String == "10:30")
            #expect((patched.json["attendees"] as? [Any])?.count == 2)
            let stale = try await t.send(.PATCH, series, token: pmo, json: ["location": "Room 9"], headers: [("If-Match", "\"1\"")])
            #expect(stale.status == .conflict)
            #expect(stale.problemCode == "version.stale")
            let badPatch = try await t.send(.PATCH, series, token: pmo, json: ["startTime": "10.30", "rules": ["slips"]],
                                            headers: [("If-Match", Self.etag(patched))])
            #expect(Set(badPatch.fieldErrors) == ["startTime", "rules[0]"])

            // Prepare occurrence 1: the agenda holds the overdue action and the risk with its triggered sign, with reasons.
            let prepared = try await t.send(.POST, "\(series)/occurrences", token: pm, json: ["number": 1])
            #expect(prepared.status == .created, "\(prepared.body.string)")
            let occurrence = "\(series)/occurrences/1"
            #expect(prepared.headers.first(name: .location) == occurrence)
            #expect(prepared.json["date"] as? String == "2026-01-05")
            #expect(prepared.json["status"] as? String == "prepared")
            let actionItem = try #require(Self.item(prepared, reference: "CRM-A1"))
            #expect(actionItem["rule"] as? String == "actions_due")
            #expect(Self.reasons(actionItem).map { $0["code"] as? String } == ["overdue"])
            #expect(Self.reasons(actionItem).first?["values"] as? [String] == ["2026-01-02", "3"])
            let riskItem = try #require(Self.item(prepared, reference: "CRM-R1"))
            #expect(riskItem["rule"] as? String == "risks_attention")
            #expect(riskItem["itemType"] as? String == "risk")
            #expect(Self.reasons(riskItem).map { $0["code"] as? String } == ["triggered"])
            #expect(Self.reasons(riskItem).first?["values"] as? [String] == ["Cleansing backlog grows two weeks running"])
            let actionItemID = try #require(actionItem["id"] as? String)
            let riskItemID = try #require(riskItem["id"] as? String)

            // The list and one occurrence, with its version as ETag; refreshing keeps the agenda.
            let occurrences = try await t.send(.GET, "\(series)/occurrences", token: w.tokens["member"]!)
            #expect(occurrences.items.map { $0["number"] as? Int } == [1])
            let refreshed = try await t.send(.POST, "\(occurrence)/prepare", token: pm)
            #expect(refreshed.status == .ok, "\(refreshed.body.string)")
            #expect((refreshed.json["items"] as? [Any])?.count == (prepared.json["items"] as? [Any])?.count)
            // Occurrences are numbered 1 to 10000, as the document says: beyond, there is nothing to prepare.
            #expect(try await t.send(.POST, "\(series)/occurrences/10001/prepare", token: pm).status == .notFound)
            #expect(try await t.send(.GET, "\(series)/occurrences", token: pm).items.count == 1)
            var current = try await t.send(.GET, occurrence, token: pm)
            #expect(current.status == .ok)
            #expect(Self.etag(current) == "\"\(current.json["version"] as? Int ?? -1)\"")

            // Minutes: notes and who was present (If-Match: the occurrence's version).
            #expect(try await t.send(.PATCH, occurrence, token: pm, json: ["notes": "x"]).status == .preconditionRequired)
            let badMinutes = try await t.send(.PATCH, occurrence, token: pm, json: ["notes": 3, "present": ["nobody"], "agenda": []],
                                              headers: [("If-Match", Self.etag(current))])
            #expect(Set(badMinutes.fieldErrors) == ["notes", "present[0]", "agenda"])
            let minutes = try await t.send(.PATCH, occurrence, token: pm, json: ["notes": "Migration plan is late.", "present": [pmID]],
                                           headers: [("If-Match", Self.etag(current))])
            #expect(minutes.status == .ok, "\(minutes.body.string)")
            #expect(minutes.json["status"] as? String == "held")
            #expect((minutes.json["present"] as? [[String: Any]])?.map { $0["name"] as? String } == ["pm"])
            #expect((minutes.json["absent"] as? [[String: Any]])?.map { $0["name"] as? String } == ["member"])
            let viewerWrites = try await t.send(.PATCH, occurrence, token: w.tokens["viewer"]!, json: ["notes": "x"],
                                                headers: [("If-Match", Self.etag(minutes))])
            #expect(viewerWrites.status == .forbidden)

            // An item added by hand, changed with its own version, and removed.
            let added = try await t.send(.POST, "\(occurrence)/items", token: pm, json: ["title": "Any other business", "notes": "Holidays"])
            #expect(added.status == .created, "\(added.body.string)")
            #expect(added.json["title"] as? String == "Any other business")
            #expect(added.json["rule"] is NSNull)
            let addedID = try #require(added.json["id"] as? String)
            let carried = try await t.send(.PATCH, "\(occurrence)/items/\(addedID)", token: pm, json: ["carry": true, "notes": "Next week"],
                                           headers: [("If-Match", Self.etag(added))])
            #expect(carried.status == .ok, "\(carried.body.string)")
            #expect(carried.json["carry"] as? Bool == true)
            #expect(carried.json["notes"] as? String == "Next week")
            let staleItem = try await t.send(.PATCH, "\(occurrence)/items/\(addedID)", token: pm, json: ["carry": false],
                                             headers: [("If-Match", Self.etag(added))])
            #expect(staleItem.problemCode == "version.stale")
            let badItem = try await t.send(.POST, "\(occurrence)/items", token: pm, json: ["title": "x", "reference": "not-a-ref"])
            #expect(badItem.fieldErrors == ["reference"])
            let aboutRisk = try await t.send(.POST, "\(occurrence)/items", token: pm, json: ["reference": "CRM-R1"])
            #expect(aboutRisk.status == .created, "\(aboutRisk.body.string)")
            #expect(aboutRisk.json["title"] as? String == "Legacy data is dirtier than sampled")
            #expect(try await t.send(.DELETE, "\(occurrence)/items/\(addedID)", token: pm).status == .noContent)
            let aboutRiskID = aboutRisk.json["id"] as? String ?? ""
            #expect(try await t.send(.DELETE, "\(occurrence)/items/\(aboutRiskID)", token: pm).status == .noContent)

            // Outputs: bad input is named inside fields; an action without an owner and an issue, from the discussed items.
            let badOutput = try await t.send(.POST, "\(occurrence)/outputs", token: pm, json: [
                "type": "memo", "fields": ["title": "x"], "extra": 1,
            ])
            #expect(Set(badOutput.fieldErrors) == ["type", "extra"])
            let badFields = try await t.send(.POST, "\(occurrence)/outputs", token: pm, json: [
                "type": "action", "fields": ["dueDate": "2026-02-30", "colour": "red", "doneOn": "2026-01-01"],
            ])
            #expect(badFields.status == .unprocessableEntity)
            let fieldCodes = Self.errorCodes(badFields)
            #expect(fieldCodes["fields.title"] == "required")
            #expect(fieldCodes["fields.dueDate"] == "invalid_date")
            #expect(fieldCodes["fields.colour"] == "unknown_field")
            let newAction = try await t.send(.POST, "\(occurrence)/outputs", token: pm, json: [
                "agendaItem": actionItemID, "type": "action", "fields": ["title": "Re-plan the data migration"],
            ])
            #expect(newAction.status == .created, "\(newAction.body.string)")
            #expect(newAction.json["reference"] as? String == "CRM-A2")
            #expect(newAction.json["agendaItem"] as? String == actionItemID)
            #expect(newAction.headers.first(name: .location) == "/api/v1/projects/CRM/actions/2")
            let newIssue = try await t.send(.POST, "\(occurrence)/outputs", token: pm, json: [
                "agendaItem": riskItemID, "type": "issue", "fields": ["title": "Cleansing backlog", "priority": "high"],
            ])
            #expect(newIssue.status == .created, "\(newIssue.body.string)")
            let issueReference = try #require(newIssue.json["reference"] as? String)
            #expect(issueReference.hasPrefix("CRM-I"))
            current = try await t.send(.GET, occurrence, token: pm)
            let outputs = (Self.item(current, reference: "CRM-A1")?["outputs"] as? [[String: Any]]) ?? []
            #expect(outputs.map { $0["reference"] as? String } == ["CRM-A2"])

            // The created items are derived from the discussed ones, in the register API.
            let actionLinks = try await t.send(.GET, "/api/v1/projects/CRM/actions/2/links", token: pm)
            #expect(actionLinks.items.contains { $0["kind"] as? String == "derived_from" && $0["reference"] as? String == "CRM-A1"
                && $0["direction"] as? String == "outgoing" })
            let issueNumber = newIssue.json["number"] as? Int ?? -1
            let issueLinks = try await t.send(.GET, "/api/v1/projects/CRM/issues/\(issueNumber)/item-links", token: pm)
            #expect(issueLinks.items.contains { $0["kind"] as? String == "derived_from" && $0["reference"] as? String == "CRM-R1" })

            // Approval is refused while the action has no owner or due date, naming it.
            #expect(try await t.send(.POST, "\(occurrence)/approve", token: pm).status == .preconditionRequired)
            let refused = try await t.send(.POST, "\(occurrence)/approve", token: pm, headers: [("If-Match", Self.etag(current))])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.problemCode == "minutes.actions_incomplete")
            #expect(Self.messages(refused).contains("CRM-A2"))
            #expect((refused.json["detail"] as? String ?? "").contains("CRM-A2"))
            #expect(Self.messages(refused).contains("CRM-A1") == false)

            // Give it an owner and a due date in the register, then approve.
            let a2 = try await t.send(.GET, "/api/v1/projects/CRM/actions/2", token: pm)
            let completed = try await t.send(.PATCH, "/api/v1/projects/CRM/actions/2", token: pm,
                                             json: ["owner": memberID, "dueDate": "2026-01-20"], headers: [("If-Match", Self.etag(a2))])
            #expect(completed.status == .ok, "\(completed.body.string)")
            current = try await t.send(.GET, occurrence, token: pm)
            let approved = try await t.send(.POST, "\(occurrence)/approve", token: pm, headers: [("If-Match", Self.etag(current))])
            #expect(approved.status == .ok, "\(approved.body.string)")
            #expect(approved.json["status"] as? String == "approved")
            #expect(approved.json["frozen"] as? Bool == true)
            #expect(approved.json["approvedVersion"] as? Int == 1)
            #expect((approved.json["approvedBy"] as? [String: Any])?["name"] as? String == "pm")

            // Approved minutes are frozen: a change is 409 and says to amend.
            let frozen = try await t.send(.PATCH, occurrence, token: pm, json: ["notes": "Changed afterwards"],
                                          headers: [("If-Match", Self.etag(approved))])
            #expect(frozen.status == .conflict)
            #expect(frozen.problemCode == "minutes.frozen")
            #expect((frozen.json["detail"] as? String ?? "").contains("amend"))
            let frozenItem = try await t.send(.POST, "\(occurrence)/items", token: pm, json: ["title": "Late item"])
            #expect(frozenItem.problemCode == "minutes.frozen")

            let versionsBefore = try await t.send(.GET, "\(occurrence)/versions", token: w.tokens["member"]!)
            #expect(versionsBefore.status == .ok)
            #expect(versionsBefore.items.map { $0["version"] as? Int } == [1])
            let v1 = try #require(versionsBefore.items.first)
            #expect(v1["notes"] as? String == "Migration plan is late.")
            #expect((v1["approvedBy"] as? [String: Any])?["name"] as? String == "pm")
            let v1Items = (v1["items"] as? [[String: Any]]) ?? []
            #expect(v1Items.contains { $0["reference"] as? String == "CRM-A1"
                && (($0["outputs"] as? [[String: Any]]) ?? []).contains { $0["reference"] as? String == "CRM-A2" } })

            // Amend: version 2 in draft, while version 1 stays exactly as approved.
            let amended = try await t.send(.POST, "\(occurrence)/amend", token: pm)
            #expect(amended.status == .ok, "\(amended.body.string)")
            #expect(amended.json["status"] as? String == "held")
            #expect(amended.json["minutesVersion"] as? Int == 2)
            #expect(amended.json["frozen"] as? Bool == false)
            let edited = try await t.send(.PATCH, occurrence, token: pm, json: ["notes": "Migration plan is late; amended."],
                                          headers: [("If-Match", Self.etag(amended))])
            #expect(edited.status == .ok, "\(edited.body.string)")
            #expect(edited.json["notes"] as? String == "Migration plan is late; amended.")
            let versionsAfter = try await t.send(.GET, "\(occurrence)/versions", token: w.tokens["member"]!)
            #expect(versionsAfter.items.map { $0["version"] as? Int } == [1])
            #expect(versionsAfter.body.string == versionsBefore.body.string)
            let amendAgain = try await t.send(.POST, "\(occurrence)/amend", token: pm)
            #expect(amendAgain.problemCode == "minutes.not_approved")

            // Without a number the next occurrence is prepared: the one after the last, but never one whose date has
            // passed (this series started in January 2026, so it skips ahead to the first on or after today).
            let second = try await t.send(.POST, "\(series)/occurrences", token: pm)
            #expect(second.status == .created, "\(second.body.string)")
            let today = CalendarDate(Date(), in: TimeZone(identifier: "Asia/Tokyo")!)
            let upcoming = MeetingRecurrence(firstDate: CalendarDate(iso: "2026-01-05")!).firstOccurrence(onOrAfter: today)
            #expect(second.json["number"] as? Int == max(2, upcoming))
            let date = (second.json["date"] as? String).flatMap { CalendarDate(iso: $0) }
            #expect(date.map { $0 >= today && $0.weekday == 1 } == true)
            let badNumber = try await t.send(.POST, "\(series)/occurrences", token: pm, json: ["number": 0])
            #expect(badNumber.fieldErrors == ["number"])
            // A meeting that has not started has no minutes to approve: #200 is in November 2029.
            let future = try await t.send(.POST, "\(series)/occurrences", token: pm, json: ["number": 200])
            #expect(future.status == .created)
            let early = try await t.send(.POST, "\(series)/occurrences/200/approve", token: pm, headers: [("If-Match", Self.etag(future))])
            #expect(early.status == .conflict)
            #expect(early.problemCode == "minutes.meeting_not_started")
            #expect((early.json["detail"] as? String)?.contains("at 10:30 (Japan time)") == true, "\(early.body.string)")
            #expect(try await t.send(.GET, "\(series)/occurrences/200", token: pm).json["status"] as? String == "prepared")
            #expect(try await t.send(.GET, "\(series)/occurrences/9", token: pm).status == .notFound)
            #expect(try await t.send(.GET, "\(Self.meetings)/not-an-id", token: pm).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func statusReportsOverrideIssueAndStayIssued(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!, pm = w.tokens["pm"]!

            // The project started on 2024-01-01.
            let project = try await t.send(.GET, "/api/v1/projects/CRM", token: pm)
            let started = try await t.send(.PATCH, "/api/v1/projects/CRM", token: pm, json: ["startDate": "2024-01-01"],
                                           headers: [("If-Match", Self.etag(project))])
            #expect(started.status == .ok, "\(started.body.string)")

            // Dates: not in the future, not before the project started, a real date.
            let future = try await t.send(.POST, Self.reports, token: pm, json: ["statusDate": "2999-01-01"])
            #expect(future.status == .unprocessableEntity)
            #expect(future.problemCode == "report.invalid_date")
            #expect(Self.errorCodes(future)["statusDate"] == "in_future")
            let early = try await t.send(.POST, Self.reports, token: pm, json: ["statusDate": "2023-12-31"])
            #expect(early.status == .unprocessableEntity)
            #expect(early.problemCode == "report.invalid_date")
            #expect(Self.errorCodes(early)["statusDate"] == "before_start")
            let unreal = try await t.send(.POST, Self.reports, token: pm, json: ["statusDate": "2024-02-30", "week": 3])
            #expect(Self.errorCodes(unreal) == ["statusDate": "invalid_date", "week": "unknown_field"])
            #expect(try await t.send(.POST, Self.reports, token: pm, json: ["statusDate": NSNull()]).fieldErrors == ["statusDate"])

            // Create the report; posting the same date again gives the same draft.
            let created = try await t.send(.POST, Self.reports, token: pm, json: ["statusDate": "2024-06-28"])
            #expect(created.status == .created, "\(created.body.string)")
            let id = try #require(created.json["id"] as? String)
            let report = "\(Self.reports)/\(id)"
            #expect(created.headers.first(name: .location) == report)
            #expect(created.json["state"] as? String == "draft")
            let areaNames = ((created.json["areas"] as? [[String: Any]]) ?? []).map { $0["area"] as? String ?? "" }
            #expect(areaNames == ["overall", "schedule", "cost", "scope", "quality", "risk"])
            let again = try await t.send(.POST, Self.reports, token: pm, json: ["statusDate": "2024-06-28"])
            #expect(again.status == .ok)
            #expect(again.json["id"] as? String == id)

            // An override needs a known area and a reason, and only the PMO overrides.
            #expect(try await t.send(.PATCH, report, token: pmo, json: ["comment": "x"]).status == .preconditionRequired)
            let noReason = try await t.send(.PATCH, report, token: pmo, json: ["overrides": [["area": "schedule", "rag": "red"]]],
                                            headers: [("If-Match", Self.etag(created))])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.problemCode == "report.invalid")
            #expect(Self.errorCodes(noReason)["overrides"] == "reason_required")
            let unknownArea = try await t.send(.PATCH, report, token: pmo, json: [
                "overrides": [["area": "timeline", "rag": "purple", "reason": "x", "by": "me"]], "done": 5,
            ], headers: [("If-Match", Self.etag(created))])
            #expect(Set(unknownArea.fieldErrors) == ["overrides[0].area", "overrides[0].rag", "overrides[0].by", "done"])
            let byPM = try await t.send(.PATCH, report, token: pm, json: [
                "overrides": [["area": "schedule", "rag": "red", "reason": "Vendor B is two weeks behind"]],
            ], headers: [("If-Match", Self.etag(created))])
            #expect(byPM.status == .forbidden)
            #expect(byPM.problemCode == "report.override_forbidden")
            let overridden = try await t.send(.PATCH, report, token: pmo, json: [
                "overrides": [["area": "schedule", "rag": "red", "reason": "Vendor B is two weeks behind"]],
                "comment": "Build is late.", "done": "Design review", "next": "Recovery plan",
            ], headers: [("If-Match", Self.etag(created))])
            #expect(overridden.status == .ok, "\(overridden.body.string)")
            let areas = (overridden.json["areas"] as? [[String: Any]]) ?? []
            let schedule = try #require(areas.first { $0["area"] as? String == "schedule" })
            #expect(schedule["override"] as? String == "red")
            #expect(schedule["overrideReason"] as? String == "Vendor B is two weeks behind")
            #expect(schedule["rag"] as? String == "red")
            #expect(schedule["computed"] as? String == "grey")
            #expect(Self.reasons(schedule).map { $0["code"] as? String } == ["no_plan"])
            #expect(overridden.json["overall"] as? String == "red")
            #expect(overridden.json["comment"] as? String == "Build is late.")
            #expect((overridden.json["overrides"] as? [[String: Any]])?.count == 1)

            // Issue it; an issued report cannot be changed but corrected.
            #expect(try await t.send(.POST, "\(report)/issue", token: pmo).status == .preconditionRequired)
            let issued = try await t.send(.POST, "\(report)/issue", token: pmo, headers: [("If-Match", Self.etag(overridden))])
            #expect(issued.status == .ok, "\(issued.body.string)")
            #expect(issued.json["state"] as? String == "issued")
            let change = try await t.send(.PATCH, report, token: pmo, json: ["comment": "Changed"], headers: [("If-Match", Self.etag(issued))])
            #expect(change.status == .conflict)
            #expect(change.problemCode == "report.issued")
            #expect((change.json["detail"] as? String ?? "").contains("correct"))
            #expect(try await t.send(.DELETE, report, token: pmo).problemCode == "report.issued")

            // The issued report never changes, whatever happens in the registers.
            let first = try await t.send(.GET, report, token: pmo)
            #expect(first.status == .ok)
            _ = try await t.createIssue(pm, ["title": "Production data lost in rehearsal", "priority": "critical"])
            let second = try await t.send(.GET, report, token: pmo)
            #expect(second.body.string == first.body.string)
            let metrics = (second.json["metrics"] as? [String: Any]) ?? [:]
            #expect(metrics["openCriticalIssues"] as? Int == 0)

            // A correction is a new draft, computed from live data, that supersedes the issued one when issued.
            let correction = try await t.send(.POST, "\(report)/correct", token: pmo)
            #expect(correction.status == .created, "\(correction.body.string)")
            #expect(correction.json["state"] as? String == "draft")
            #expect(correction.json["supersedes"] as? String == id)
            #expect((correction.json["metrics"] as? [String: Any])?["openCriticalIssues"] as? Int == 1)
            let correctionID = try #require(correction.json["id"] as? String)
            let listed = try await t.send(.GET, Self.reports, token: w.tokens["viewer"]!)
            #expect(Set(listed.items.compactMap { $0["state"] as? String }) == ["draft", "issued"])
            #expect(try await t.send(.DELETE, "\(Self.reports)/\(correctionID)", token: pmo).status == .noContent)

            // Vendors do not read status reports; the portfolio leaves the project out for them.
            let vendor = w.tokens["vendorA"]!
            let vendorList = try await t.send(.GET, Self.reports, token: vendor)
            #expect(vendorList.status == .forbidden)
            #expect(vendorList.problemCode == "report.read_forbidden")
            #expect(try await t.send(.GET, report, token: vendor).status == .forbidden)
            let vendorPortfolio = try await t.send(.GET, "/api/v1/portfolio", token: vendor)
            #expect(vendorPortfolio.status == .ok)
            #expect(vendorPortfolio.items.isEmpty)
            let portfolio = try await t.send(.GET, "/api/v1/portfolio", token: pmo)
            let row = try #require(portfolio.items.first { $0["projectKey"] as? String == "CRM" })
            #expect(row["overall"] as? String == "red")
            #expect(row["statusDate"] as? String == "2024-06-28")
            #expect(((row["areas"] as? [[String: Any]]) ?? []).count == 6)

            // The kickoff pack.
            let kickoff = try await t.send(.GET, "/api/v1/projects/CRM/kickoff", token: w.tokens["member"]!)
            #expect(kickoff.status == .ok, "\(kickoff.body.string)")
            #expect(kickoff.json["projectKey"] as? String == "CRM")
            #expect(kickoff.json["startDate"] as? String == "2024-01-01")
            #expect(kickoff.json["lastReportDate"] as? String == "2024-06-28")
            #expect(((kickoff.json["members"] as? [Any]) ?? []).count == 8)

            // Without a date, a report is for the plan's status date (here there is none: today), and it takes over
            // the PMO's overrides of the last issued report before it.
            let today = CalendarDate(Date(), in: TimeZone(identifier: "Asia/Tokyo")!)
            let byDefault = try await t.send(.POST, Self.reports, token: pmo, json: [:])
            #expect(byDefault.status == .created, "\(byDefault.body.string)")
            #expect(byDefault.json["statusDate"] as? String == today.description)
            let carried = (byDefault.json["overrides"] as? [[String: Any]]) ?? []
            let issuedOverrides = (try await t.send(.GET, report, token: pmo).json["overrides"] as? [[String: Any]]) ?? []
            #expect(!issuedOverrides.isEmpty)
            #expect(carried.map { $0["area"] as? String } == issuedOverrides.map { $0["area"] as? String })
            #expect(carried.map { $0["reason"] as? String } == issuedOverrides.map { $0["reason"] as? String })
        }
    }
}
