import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The meeting pages: a series set up through its form, an agenda prepared and shown with its reasons in both
/// languages, minutes saved, an action created from a line, approval refused and then given, frozen minutes, an
/// amendment, the downloads, what a vendor sees, and escaping.
@Suite("Meeting pages")
struct MeetingPageTests {
    /// The fields of the series form: weekly on Tuesdays from 2030-01-08 (a Tuesday), chaired by the PM.
    static func seriesForm(_ w: World, name: String, visibility: String = "project", attendees: [String] = ["pm", "member"]) -> [String: String] {
        var fields = ["name": name, "purpose": "Progress and decisions", "chair": w.users["pm"]!.userID.uuidString.lowercased(),
                      "firstDate": "2030-01-08", "intervalWeeks": "1", "startTime": "10:00", "durationMinutes": "60",
                      "location": "Room 1", "riskThreshold": "12", "company": "", "visibility": visibility, "visibilityCompany": ""]
        for a in attendees { fields["attendee-\(w.users[a]!.userID.uuidString.lowercased())"] = "on" }
        for r in AgendaRule.allCases { fields["rule-\(r.rawValue)"] = "on" }
        return fields
    }

    static func seriesID(_ res: TestingHTTPResponse) -> UUID? {
        guard let location = res.headers.first(name: .location), location.hasPrefix("/projects/CRM/meetings/") else { return nil }
        return UUID(uuidString: String(location.dropFirst("/projects/CRM/meetings/".count)))
    }

    @Test(arguments: TestDatabase.available)
    func agendaMinutesApprovalAndDownloads(_ db: TestDatabase) async throws {
        // The morning of the first meeting (Tuesday 2030-01-08 10:00); the clock moves on to approve its minutes.
        let clock = TestClock("2030-01-08", "08:00")
        try await TestApp.with(db, clock: clock) { t in
            let w = try await World.make(t)
            let pmo = w.users["pmo"]!
            let pm = w.users["pm"]!
            let browser = try await BrowserSession.login(t, email: "pmo@example.com")

            // An open action due between the first and the second meeting comes to the agenda.
            _ = try await t.store.items.createRegisterItem(pmo, key: "CRM", kind: .action, fields: RegisterItemFields(
                title: "Send the test plan to the vendor", status: "open", dueDate: CalendarDate(iso: "2030-01-10")))

            // A form that cannot be read is refused and shown again with the message; nothing is created.
            var bad = Self.seriesForm(w, name: "週次定例")
            bad["firstDate"] = "next tuesday"
            let refused = try await browser.post("/projects/CRM/meetings", bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("YYYY-MM-DD"))
            #expect(refused.body.string.contains("value=\"next tuesday\""))
            let none = try await t.store.meetings.series(pmo, key: "CRM")
            #expect(none.isEmpty)

            // Create the series through the form.
            let created = try await browser.post("/projects/CRM/meetings", Self.seriesForm(w, name: "週次定例"))
            #expect(created.status == .seeOther, "\(created.body.string)")
            let id = try #require(Self.seriesID(created))
            let series = try await t.store.meetings.series(pmo, key: "CRM", id: id)
            #expect(series.fields.chairID == UserID(pm.userID))
            #expect(Set(series.fields.attendeeIDs) == [UserID(pm.userID), UserID(w.users["member"]!.userID)])
            #expect(series.fields.recurrence.startMinutes == 600)
            #expect(series.fields.rules == AgendaRule.allCases)

            let list = try await browser.get("/projects/CRM/meetings")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("週次定例"))
            #expect(list.body.string.contains("Weekly on Tue 10:00–11:00"))
            #expect(list.body.string.contains("id=\"new-series\""))

            // Prepare the next meeting: occurrence 1 (the first date is in the future).
            let base = "/projects/CRM/meetings/\(id.uuidString.lowercased())"
            let seriesPage = try await browser.get(base)
            #expect(seriesPage.status == .ok)
            #expect(seriesPage.body.string.contains("prepare-next"))
            let prepared = try await browser.post("\(base)/prepare", [:])
            #expect(prepared.status == .seeOther)
            #expect(prepared.headers.first(name: .location) == "\(base)/1")

            // The generated entry with its reason, in English, then in Japanese.
            let english = try await browser.get("\(base)/1")
            #expect(english.status == .ok)
            let en = english.body.string
            #expect(en.contains("Send the test plan to the vendor"))
            #expect(en.contains("Actions due or overdue"))
            #expect(en.contains("due 2030-01-10, before the next meeting"))
            #expect(en.contains("href=\"/projects/CRM/actions/1\""))
            #expect(try await browser.post("/settings", ["locale": "ja"]).status == .seeOther)
            let japanese = try await browser.get("\(base)/1")
            let ja = japanese.body.string
            #expect(ja.contains("期限到来・超過のアクション"))
            #expect(ja.contains("期限 2030-01-10（次回会議より前）"))
            #expect(ja.contains("議事録を承認"))
            #expect(try await browser.post("/settings", ["locale": "en"]).status == .seeOther)

            // Save the notes of the item, its carry-over mark, who was present and the general notes in one post.
            var occurrence = try await t.store.meetings.occurrence(pmo, key: "CRM", seriesID: id, number: 1)
            let item = try #require(occurrence.items.first { $0.reference == "CRM-A1" })
            let itemKey = item.id.uuidString.lowercased()
            let saved = try await browser.post("\(base)/1/minutes", [
                "version": String(occurrence.version), "attendance": "1", "present-\(pm.userID.uuidString.lowercased())": "on",
                "notes": "General <b>notes</b>", "v-\(itemKey)": String(item.version),
                "notes-\(itemKey)": "Agreed to send it on Friday.\r\nSecond line", "carry-\(itemKey)": "on"])
            #expect(saved.status == .seeOther, "\(saved.body.string)")
            occurrence = try await t.store.meetings.occurrence(pmo, key: "CRM", seriesID: id, number: 1)
            let savedItem = try #require(occurrence.items.first { $0.id == item.id })
            #expect(savedItem.notes == "Agreed to send it on Friday.\nSecond line")
            #expect(savedItem.carry)
            #expect(occurrence.notes == "General <b>notes</b>")
            #expect(occurrence.presentIDs == [UserID(pm.userID)])
            #expect(occurrence.status == .held)
            let afterSave = try await browser.get("\(base)/1")
            #expect(afterSave.body.string.contains("General &lt;b&gt;notes&lt;/b&gt;"))
            #expect(afterSave.body.string.contains("General <b>notes</b>") == false)

            // A save from a page read before that change is refused as stale and changes nothing.
            let stale = try await browser.post("\(base)/1/minutes", ["version": "1", "notes": "Overwritten"])
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("data-code=\"version.stale\""))
            let notOverwritten = try await t.store.meetings.occurrence(pmo, key: "CRM", seriesID: id, number: 1)
            #expect(notOverwritten.notes == "General <b>notes</b>")

            // A viewer reads the agenda but gets no minutes form.
            let viewer = try await BrowserSession.login(t, email: "viewer@example.com")
            let readOnly = try await viewer.get("\(base)/1")
            #expect(readOnly.status == .ok)
            #expect(readOnly.body.string.contains("Agreed to send it on Friday.<br>Second line"))
            #expect(readOnly.body.string.contains("id=\"minutes-form\"") == false)
            #expect(try await viewer.post("\(base)/1/approve", [:]).status == .forbidden)

            // An item added by hand, whose title is escaped wherever it shows.
            let added = try await browser.post("\(base)/1/items", ["new-title": "<script>alert('x')</script>"])
            #expect(added.status == .seeOther)
            let withScript = try await browser.get("\(base)/1")
            #expect(withScript.body.string.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(withScript.body.string.contains("<script>alert") == false)

            // An action created from the line, without an owner or a due date.
            let output = try await browser.post("\(base)/1/outputs", [
                "create": itemKey, "out-\(itemKey)-type": "A", "out-\(itemKey)-title": "Book the review room"])
            #expect(output.status == .seeOther, "\(output.body.string)")
            #expect(output.headers.first(name: .location) == "\(base)/1#item-\(itemKey)")
            occurrence = try await t.store.meetings.occurrence(pmo, key: "CRM", seriesID: id, number: 1)
            let outputs = try #require(occurrence.items.first { $0.id == item.id }?.outputs)
            #expect(outputs.map(\.reference) == ["CRM-A2"])
            let withOutput = try await browser.get("\(base)/1")
            // The agenda's time box: minutes per item and the total against the 60-minute meeting.
            #expect(withOutput.body.string.contains("id=\"time-box\""))
            #expect(withOutput.body.string.contains("of a 60-minute meeting."))
            #expect(withOutput.body.string.contains("<span class=\"minutes muted\">"))
            #expect(withOutput.body.string.contains("href=\"/projects/CRM/actions/2\""))

            // Minutes cannot be approved before the meeting has started: the page says when it starts.
            clock.set("2030-01-08", "09:59")
            let early = try await browser.post("\(base)/1/approve", ["confirmed": "1"])
            #expect(early.status == .conflict)
            #expect(early.body.string.contains("data-code=\"minutes.meeting_not_started\""))
            #expect(early.body.string.contains("2030-01-08 at 10:00"))
            #expect(try await t.store.meetings.occurrence(pmo, key: "CRM", seriesID: id, number: 1).status != .approved)
            clock.set("2030-01-08", "11:05")

            // Approval is refused and the page names the incomplete action.
            let refusedApproval = try await browser.post("\(base)/1/approve", ["confirmed": "1"])
            #expect(refusedApproval.status == .unprocessableEntity)
            let refusal = refusedApproval.body.string
            #expect(refusal.contains("data-code=\"minutes.actions_incomplete\""))
            #expect(refusal.contains("CRM-A2 &#39;Book the review room&#39;: no owner, no due date"))
            #expect(refusal.contains("href=\"/projects/CRM/actions/2\""))
            let stillDraft = try await t.store.meetings.occurrence(pmo, key: "CRM", seriesID: id, number: 1)
            #expect(stillDraft.isFrozen == false)

            // Fixed in the register, the minutes are approved and frozen.
            var patch = RegisterItemPatch()
            patch.ownerID = .some(UserID(pm.userID))
            patch.dueDate = .some(CalendarDate(iso: "2030-01-12"))
            _ = try await t.store.items.updateRegisterItem(pmo, key: "CRM", kind: .action, number: 2, expectedVersion: nil, patch: patch)
            // Approve asks to confirm first (approval freezes the minutes), and approves only when confirmed.
            let asked = try await browser.post("\(base)/1/approve", [:])
            #expect(asked.status == .ok)
            #expect(asked.body.string.contains("id=\"confirm-approval\""))
            #expect(try await t.store.meetings.occurrence(pmo, key: "CRM", seriesID: id, number: 1).isFrozen == false)
            let approved = try await browser.post("\(base)/1/approve", ["confirmed": "1"])
            #expect(approved.status == .seeOther, "\(approved.body.string)")
            let frozen = try await browser.get("\(base)/1")
            let frozenHTML = frozen.body.string
            #expect(frozenHTML.contains("id=\"frozen\""))
            #expect(frozenHTML.contains("version 1"))
            #expect(frozenHTML.contains("Approved by: pmo"))
            #expect(frozenHTML.contains("Agreed to send it on Friday.<br>Second line"))
            #expect(frozenHTML.contains("name=\"notes-") == false)
            #expect(frozenHTML.contains("id=\"amend-minutes\""))

            // Notes posted to frozen minutes are refused with the frozen message.
            let late = try await browser.post("\(base)/1/minutes", [
                "version": "1", "v-\(itemKey)": "1", "notes-\(itemKey)": "Too late"])
            #expect(late.status == .conflict)
            #expect(late.body.string.contains("data-code=\"minutes.frozen\""))
            #expect(late.body.string.contains("approved and frozen"))
            let unchanged = try await t.store.meetings.occurrence(pmo, key: "CRM", seriesID: id, number: 1)
            #expect(unchanged.items.first { $0.id == item.id }?.notes == "Agreed to send it on Friday.\nSecond line")

            // Downloads.
            let agenda = try await browser.get("\(base)/1/agenda.md")
            #expect(agenda.status == .ok)
            #expect(agenda.headers.contentType?.description.hasPrefix("text/markdown") == true)
            #expect(agenda.headers.first(name: .contentDisposition)?.hasPrefix("attachment; filename=\"CRM-meeting-1-agenda.md\"") == true)
            #expect(agenda.body.string.contains("Send the test plan to the vendor"))
            let minutes = try await browser.get("\(base)/1/minutes.md")
            #expect(minutes.status == .ok)
            #expect(minutes.body.string.contains("Book the review room"))
            let workbook = try await browser.get("\(base)/1/minutes.xlsx")
            #expect(workbook.status == .ok)
            #expect(workbook.headers.contentType == HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            #expect(Data(buffer: workbook.body).prefix(2) == Data("PK".utf8))
            let invite = try await browser.get("\(base)/1/invite.ics")
            #expect(invite.status == .ok)
            #expect(invite.headers.contentType?.description.hasPrefix("text/calendar") == true)
            #expect(invite.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            #expect(invite.body.string.contains("METHOD:REQUEST"))
            #expect(invite.body.string.contains("DTSTART;TZID=Asia/Tokyo:20300108T100000"))
            let feed = try await browser.get("\(base)/series.ics")
            #expect(feed.status == .ok)
            #expect(feed.headers.contentType?.description.hasPrefix("text/calendar") == true)
            #expect(feed.body.string.contains("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU"))

            // Amend: the draft of version 2 is editable again, and version 1 stays readable.
            let amended = try await browser.post("\(base)/1/amend", [:])
            #expect(amended.status == .seeOther)
            let draft = try await browser.get("\(base)/1")
            #expect(draft.body.string.contains("name=\"notes-\(itemKey)\""))
            #expect(draft.body.string.contains("\(base)/1/versions/1"))
            let v1 = try await browser.get("\(base)/1/versions/1")
            #expect(v1.status == .ok)
            #expect(v1.body.string.contains("Agreed to send it on Friday."))
            let changed = try await t.store.meetings.occurrence(pmo, key: "CRM", seriesID: id, number: 1)
            let resaved = try await browser.post("\(base)/1/minutes", [
                "version": String(changed.version), "v-\(itemKey)": String(changed.items.first { $0.id == item.id }!.version),
                "notes-\(itemKey)": "Sent on Friday after all.", "carry-\(itemKey)": "on"])
            #expect(resaved.status == .seeOther, "\(resaved.body.string)")
            #expect(try await browser.post("\(base)/1/approve", ["confirmed": "1"]).status == .seeOther)
            let second = try await browser.get("\(base)/1")
            #expect(second.body.string.contains("version 2"))
            #expect(second.body.string.contains("Sent on Friday after all."))
            let firstAgain = try await browser.get("\(base)/1/versions/1")
            #expect(firstAgain.body.string.contains("Agreed to send it on Friday."))
            #expect(firstAgain.body.string.contains("Sent on Friday after all.") == false)
            let versions = try await t.store.meetings.minutesVersions(pmo, key: "CRM", seriesID: id, number: 1)
            #expect(versions.map(\.version) == [1, 2])

            // The series page lists the occurrence with its approved versions.
            let afterAll = try await browser.get(base)
            #expect(afterAll.body.string.contains("\(base)/1/versions/2"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func vendorsDoNotSeeInternalSeriesAndNamesAreEscaped(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            let open = try await pmo.post("/projects/CRM/meetings", Self.seriesForm(w, name: "<script>alert(1)</script> review"))
            #expect(open.status == .seeOther, "\(open.body.string)")
            let internalRes = try await pmo.post("/projects/CRM/meetings",
                                                 Self.seriesForm(w, name: "Internal steering", visibility: "internal", attendees: ["pm"]))
            #expect(internalRes.status == .seeOther, "\(internalRes.body.string)")
            let internalID = try #require(Self.seriesID(internalRes))

            // Every page escapes the name.
            let list = try await pmo.get("/projects/CRM/meetings")
            #expect(list.body.string.contains("&lt;script&gt;alert(1)&lt;/script&gt; review"))
            #expect(list.body.string.contains("<script>alert(1)") == false)
            let openID = try #require(Self.seriesID(open))
            let page = try await pmo.get("/projects/CRM/meetings/\(openID.uuidString.lowercased())")
            #expect(page.body.string.contains("&lt;script&gt;alert(1)&lt;/script&gt; review"))
            #expect(page.body.string.contains("<script>alert(1)") == false)

            // A vendor member sees the project-wide series, not the internal one, and cannot set one up.
            let vendor = try await BrowserSession.login(t, email: "vendora@example.com")
            let vendorList = try await vendor.get("/projects/CRM/meetings")
            #expect(vendorList.status == .ok)
            #expect(vendorList.body.string.contains("review"))
            #expect(vendorList.body.string.contains("Internal steering") == false)
            #expect(vendorList.body.string.contains("id=\"new-series\"") == false)
            let hidden = try await vendor.get("/projects/CRM/meetings/\(internalID.uuidString.lowercased())")
            #expect(hidden.status == .notFound)
            #expect(hidden.body.string.contains("Internal steering") == false)
            let hiddenCalendar = try await vendor.get("/projects/CRM/meetings/\(internalID.uuidString.lowercased())/series.ics")
            #expect(hiddenCalendar.status == .notFound)
            let forbidden = try await vendor.post("/projects/CRM/meetings", Self.seriesForm(w, name: "Vendor's own", attendees: []))
            #expect(forbidden.status == .forbidden)
            let pmoCaller = w.users["pmo"]!
            let all = try await t.store.meetings.series(pmoCaller, key: "CRM")
            #expect(all.count == 2)
        }
    }
}
