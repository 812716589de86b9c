import Foundation
import PMOCore
import PMODemo
import PMOWords
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

@testable import PMOServer

/// The inbox over the API and on its page: worded in the reader's language, one's own entries only, marked read one
/// by one (opening the item does it too) or all at once, and counted in the top bar.
@Suite("Inbox: API and page")
struct InboxPageTests {
    @Test(arguments: TestDatabase.available)
    func inboxReadsAndMarks(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let today = CalendarDate(t.store.now(), in: TimeZone.japan)
            let action = try await t.store.items.createRegisterItem(w.users["pm"]!, key: "CRM", kind: .action, fields: RegisterItemFields(
                title: "Send the interface spec", status: "open", ownerID: UserID(w.users["member"]!.userID), dueDate: today.adding(days: 10)))
            _ = try await t.store.items.addComment(w.users["pm"]!, key: "CRM", type: .action, number: action.record.number,
                                                   body: "@member and @vendora, please look")
            try await t.store.inbox.collect()

            let list = try await t.send(.GET, "/api/v1/inbox", token: w.tokens["member"]!)
            #expect(list.status == .ok && list.json["unread"] as? Int == 2)
            let texts = list.items.compactMap { $0["text"] as? String }
            #expect(texts.contains("pm assigned it to you") && texts.contains("pm mentioned you: @member and @vendora, please look"))
            #expect(list.items.allSatisfy { $0["href"] as? String == "/projects/CRM/actions/\(action.record.number)" && $0["read"] as? Bool == false })
            // The vendor is told of the mention (the action is visible to the project), and of nothing else.
            let vendor = try await t.send(.GET, "/api/v1/inbox", token: w.tokens["vendorA"]!)
            #expect(vendor.items.compactMap { $0["kind"] as? String } == ["mentioned"])
            #expect(try await t.send(.GET, "/api/v1/inbox", token: w.tokens["pm"]!).items.isEmpty)

            let id = try #require(list.items.first?["id"] as? String)
            let other = try await t.send(.POST, "/api/v1/inbox/\(id)/read", token: w.tokens["pm"]!)
            #expect(other.status == .notFound && other.problemCode == "inbox.not_found")
            let read = try await t.send(.POST, "/api/v1/inbox/\(id)/read", token: w.tokens["member"]!)
            #expect(read.status == .ok && read.json["read"] as? Bool == true)
            #expect(try await t.send(.GET, "/api/v1/inbox?unread=true", token: w.tokens["member"]!).items.count == 1)

            // The page: the count in the top bar, opening an entry marks it read, then all read.
            let member = try await BrowserSession.login(t, email: "member@example.com")
            let page = try await member.get("/inbox").body.string
            #expect(page.contains(">Inbox (1)<") && page.contains("data-read=\"false\"") && page.contains("id=\"inbox-read-all\""))
            let unread = try #require(try await t.store.inbox.entries(w.users["member"]!, unreadOnly: true).entries.first)
            let opened = try await member.get("/inbox/\(unread.id.uuidString.lowercased())/open")
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == "/projects/CRM/actions/\(action.record.number)")
            #expect(try await t.store.inbox.unreadCount(w.users["member"]!) == 0)
            let again = try await member.get("/inbox").body.string
            #expect(again.contains(">Inbox<") && !again.contains("data-read=\"false\""))
            _ = try await t.store.items.addComment(w.users["pm"]!, key: "CRM", type: .action, number: action.record.number, body: "@member ping")
            try await t.store.inbox.collect()
            let all = try await member.post("/inbox/read-all", [:])
            #expect(all.status == .seeOther)
            #expect(try await t.store.inbox.unreadCount(w.users["member"]!) == 0)
        }
    }
}

/// The demo's inboxes also hold the reports issued (for those who read reports) and meetings whose minutes wait for
/// their chair's approval, each linking to its page.
@Suite("Inbox: minutes to approve and reports issued")
struct InboxMeetingEntryTests {
    @Test func reportsIssuedAndMinutesToApproveReachTheRightPeople() async throws {
        let clock = TestClock("2026-12-04", "09:00")
        try await TestApp.with(.sqlite, clock: clock) { t in
            _ = try await DemoData.load(into: t.store, bcryptCost: 4)
            func caller(_ email: String) async throws -> Caller { try Caller(try #require(try await t.store.accounts.user(email: email))) }
            func inbox(_ email: String) async throws -> [InboxEntryView] { try await t.store.inbox.entries(try await caller(email)).entries }
            let member = try await inbox("member@demo.pmo")
            let report = try #require(member.first { $0.kind == .reportIssued })
            #expect(report.values["path"]?.hasPrefix("/projects/CRM/reports/") == true)
            #expect(InboxText.sentence(report, Words(.ja)).contains("の状況報告を発行しました（全体: "), "\(InboxText.sentence(report, Words(.ja)))")
            #expect(try await inbox("kaede.lead@demo.pmo").allSatisfy { $0.kind != .reportIssued }, "vendors do not read reports")

            // The weekly meeting's next occurrence, once it is over without approved minutes, waits for its chair.
            let pmo = try await caller("pmo@demo.pmo")
            let weekly = try #require(try await t.store.meetings.series(pmo, key: "CRM").first { $0.fields.name == "週次定例（開発）" })
            let next = try await t.store.meetings.prepareOccurrence(pmo, key: "CRM", seriesID: weekly.id, today: CalendarDate(iso: "2026-12-04")!)
            #expect(try await inbox("pmo@demo.pmo").allSatisfy { $0.kind != .minutesToApprove }, "not before it is over")
            clock.set(next.date.description, "12:00")
            try await t.store.inbox.collect()
            // Read as the chair reads it: on the inbox page, linking to the meeting.
            let chairPage = try await BrowserSession.login(t, email: "pmo@demo.pmo", password: DemoData.password, acceptLanguage: "ja").get("/inbox")
            #expect(chairPage.body.string.contains("週次定例（開発） 第\(next.number)回（\(next.date)）の議事録が承認待ちです"), "\(chairPage.body.string)")
            #expect(try await inbox("member@demo.pmo").allSatisfy { $0.kind != .minutesToApprove }, "only the chair")
            let session = try await BrowserSession.login(t, email: "member@demo.pmo", password: DemoData.password, acceptLanguage: "ja")
            let page = try await session.get("/inbox").body.string
            #expect(page.contains("状況報告を発行しました"))
            let open = try await session.get("/inbox/\(report.id.uuidString.lowercased())/open")
            #expect(open.headers.first(name: .location) == report.values["path"])
        }
    }
}
