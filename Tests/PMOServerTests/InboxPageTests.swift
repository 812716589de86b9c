import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

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
