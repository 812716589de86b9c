import Foundation
import PMOCore
@testable import PMOStore
import PMOTestSupport
import Testing

/// Inboxes collected from what really happened: assignments, changes and comments on one's items, mentions (members
/// only, never of items the reader cannot see), due dates, signals about one's items; collected twice, nothing twice.
@Suite("Inbox")
struct InboxStoreTests {
    @Test(arguments: TestDatabase.available)
    func inboxesFollowWhatConcernsEachPerson(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-12-04")
            var s = h.store
            s.clock = { clock.now() }
            let c = try await StoreHarness(host: h.host, store: s).planCast(key: "INB", start: "2026-11-02")
            let k = c.key
            func inbox(_ who: Caller) async throws -> [InboxEntryView] { try await s.inbox.entries(who).entries }

            // Assigned by the PM: the member is told, the PM (who did it) is not.
            let action = try await s.items.createRegisterItem(c.pm, key: k, kind: .action, fields: RegisterItemFields(
                title: "Send the interface spec", status: "open", ownerID: UserID(c.member.userID), dueDate: day("2026-12-05")))
            #expect(try await s.inbox.collect() >= 2)
            var mine = try await inbox(c.member)
            #expect(mine.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.assigned, .dueSoon])
            #expect(mine.first { $0.kind == .assigned }?.reference == action.reference && mine.first { $0.kind == .assigned }?.actorName == "pm")
            #expect(mine.first { $0.kind == .dueSoon }?.values == ["due": "2026-12-05", "days": "1"])
            #expect(try await inbox(c.pm).isEmpty)
            #expect(try await s.inbox.collect() == 0, "collected twice, nothing twice")

            // Changed by someone else: its owner is told what changed.
            _ = try await s.items.updateRegisterItem(c.pm, key: k, kind: .action, number: action.record.number, expectedVersion: nil,
                                                     patch: { var p = RegisterItemPatch(); p.status = "in_progress"; return p }())
            try await s.inbox.collect()
            mine = try await inbox(c.member)
            #expect(mine.first { $0.kind == .changed }?.values == ["fields": "status", "status": "in_progress"])

            // Mentions: members by their e-mail name; a name that is nobody's, or a longer name, is plain text; a vendor is
            // never told of an item hidden from vendors, mentioned or not.
            let hidden = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Budget overrun (internal)",
                                                                                     ownerID: UserID(c.member2.userID), visibility: Visibility(scope: .internal)))
            _ = try await s.items.addComment(c.pmo, key: k, type: .issue, number: hidden.record.number,
                                             body: "@member please check this with @vendorb and @nobody.\nSecond line")
            try await s.inbox.collect()
            let mentioned = try await inbox(c.member).first { $0.kind == .mentioned }
            #expect(mentioned?.values == ["comment": "@member please check this with @vendorb and @nobody."] && mentioned?.actorName == "pmo")
            #expect(try await inbox(c.vendorB).isEmpty, "a vendor was told of an internal item")
            #expect(try await inbox(c.member2).map(\.kind).contains(.commented), "the owner is told of the comment")
            #expect(!(try await inbox(c.member2)).contains { $0.kind == .mentioned }, "@member is not @member2")

            // A signal about one's item (a top risk without an owner is nobody's: a triggered sign on an owned risk is).
            _ = try await s.items.createRegisterItem(c.pm, key: k, kind: .risk, fields: RegisterItemFields(
                title: "Staff leave", status: "identified", ownerID: UserID(c.member.userID), details: [
                    "riskType": .text("threat"), "category": .text("resource"), "probability": .integer(4), "impactSchedule": .integer(4),
                    "impactCost": .integer(2), "impactQuality": .integer(2),
                    "indicators": .indicators([WarningIndicator(text: "Two leads resigned", status: .triggered)])]))
            let projectID = try #require(try await s.projects.list(for: c.admin).first { $0.0.key == k }?.0.id)
            try await s.signals.recompute(projectID: projectID)
            try await s.inbox.collect()
            let signal = try #require(try await inbox(c.member).first { $0.kind == .signal })
            #expect(signal.values["code"] == "risk_triggered" && signal.values["sign"] == "Two leads resigned")

            // Read one, then all; another person's entry is not found.
            let unread = try await s.inbox.unreadCount(c.member)
            #expect(unread == (try await inbox(c.member)).count && unread >= 5)
            let first = try #require(try await inbox(c.member).first)
            #expect(try await s.inbox.markRead(c.member, id: first.id).readAt != nil)
            #expect(try await s.inbox.unreadCount(c.member) == unread - 1)
            await expectDomainError("inbox.not_found", .notFound) { _ = try await s.inbox.markRead(c.pm, id: first.id) }
            #expect(try await s.inbox.markAllRead(c.member) == unread - 1)
            #expect(try await s.inbox.entries(c.member, unreadOnly: true).entries.isEmpty)
        }
    }

    @Test func mentionsAreWholeNames() {
        let a = UUID(), b = UUID()
        let members = [InboxService.Recipient(userID: a, companyID: UUID(), isAdmin: false, role: .member, mentionName: "tanaka"),
                       InboxService.Recipient(userID: b, companyID: UUID(), isAdmin: false, role: .member, mentionName: "aoba.lead")]
        #expect(InboxService.mentions(in: "@tanaka さん、確認をお願いします", members: members) == [a])
        #expect(InboxService.mentions(in: "cc @Aoba.Lead.", members: members) == [b])
        #expect(InboxService.mentions(in: "mail tanaka@example.com, @tanakayuki, x@tanaka", members: members).isEmpty)
        #expect(InboxService.mentions(in: "@tanaka @aoba.lead", members: members) == [a, b])
    }
}

/// Events of one instant beyond a page (an import writes thousands in one transaction) are all collected: the pages
/// of the audit trail go by time and then id.
@Suite("Inbox: a thousand events at once")
struct InboxPagingTests {
    @Test(arguments: TestDatabase.available)
    func everyEventOfOneInstantIsCollected(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast(key: "PAG", start: "2026-11-02")
            var s = h.store
            let instant = s.now()
            s.clock = { instant }
            let n = InboxService.AuditPage.size + 5
            for i in 0..<n {
                _ = try await s.items.createRegisterItem(c.pm, key: c.key, kind: .action, fields: RegisterItemFields(
                    title: "Action \(i)", status: "open", ownerID: UserID(c.member.userID)))
            }
            var later = h.store
            later.clock = { instant.addingTimeInterval(60) }
            try await later.inbox.collect(firstFrom: instant.addingTimeInterval(-1))
            #expect(try await later.inbox.unreadCount(c.member) == n)
        }
    }
}
