import Foundation
import PMOCore
@testable import PMOStore
import PMOTestSupport
import Testing

/// Watching an item brings its changes and comments to one's inbox (never an item one cannot see), stopping ends it;
/// and each person's reminder days decide how early due dates are reminded.
@Suite("Inbox: watching and reminder days")
struct WatchStoreTests {
    @Test(arguments: TestDatabase.available)
    func watchersHearAndRemindersFollowEachPerson(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-12-01")
            var s = h.store
            s.clock = { clock.now() }
            let c = try await StoreHarness(host: h.host, store: s).planCast(key: "WAT", start: "2026-11-02")
            let k = c.key
            func kinds(_ who: Caller) async throws -> [InboxKind] { try await s.inbox.entries(who).entries.map(\.kind) }
            let action = try await s.items.createRegisterItem(c.pm, key: k, kind: .action, fields: RegisterItemFields(
                title: "Send the spec", status: "open", ownerID: UserID(c.member.userID)))
            let n = action.record.number
            try await s.inbox.collect()

            // The viewer watches; the owner hears of it by role; watching twice is once.
            #expect(try await s.items.watchState(c.member, key: k, type: .action, number: n) == WatchState(watching: true, byRole: true, watchers: 0))
            _ = try await s.items.setWatching(c.viewer, key: k, type: .action, number: n, true)
            #expect(try await s.items.setWatching(c.viewer, key: k, type: .action, number: n, true) == WatchState(watching: true, byRole: false, watchers: 1))
            _ = try await s.items.updateRegisterItem(c.pm, key: k, kind: .action, number: n, expectedVersion: nil,
                                                     patch: { var p = RegisterItemPatch(); p.status = "in_progress"; return p }())
            _ = try await s.items.addComment(c.pm, key: k, type: .action, number: n, body: "Started")
            try await s.inbox.collect()
            #expect(try await kinds(c.viewer).sorted { $0.rawValue < $1.rawValue } == [.changed, .commented])
            #expect(try await kinds(c.member).filter { $0 != .assigned }.sorted { $0.rawValue < $1.rawValue } == [.changed, .commented])
            #expect(try await kinds(c.pm).isEmpty, "the one who changed it is not told")

            // An item a vendor cannot see cannot be watched (the same answer as no item); one they could see, then not, is not told.
            let hidden = try await s.items.createRegisterItem(c.pm, key: k, kind: .action, fields: RegisterItemFields(
                title: "Internal", status: "open", visibility: .internal))
            await expectDomainError("action.not_found", .notFound) {
                _ = try await s.items.setWatching(c.vendorA, key: k, type: .action, number: hidden.record.number, true)
            }
            _ = try await s.items.setWatching(c.vendorA, key: k, type: .action, number: n, true)
            _ = try await s.items.updateRegisterItem(c.pm, key: k, kind: .action, number: n, expectedVersion: nil,
                                                     patch: { var p = RegisterItemPatch(); p.visibility = .internal; return p }())
            try await s.inbox.collect()
            #expect(try await kinds(c.vendorA).isEmpty)

            // Stopped: nothing more.
            #expect(try await s.items.setWatching(c.viewer, key: k, type: .action, number: n, false).watching == false)
            let before = try await kinds(c.viewer).count
            _ = try await s.items.addComment(c.pm, key: k, type: .action, number: n, body: "Halfway")
            try await s.inbox.collect()
            #expect(try await kinds(c.viewer).count == before)

            // Reminder days: the member's 5 days reach an item due in 4; the PM's default (1) does not; 0 means the day only.
            _ = try await s.mail.updatePreferences(c.member, modes: [:], digestTime: nil, reminderDays: "5", expectedVersion: nil)
            _ = try await s.mail.updatePreferences(c.pmo, modes: [:], digestTime: nil, reminderDays: "0", expectedVersion: nil)
            for (owner, title, due) in [(c.member, "Member's, in 4 days", "2026-12-05"), (c.pm, "PM's, in 4 days", "2026-12-05"),
                                        (c.pmo, "PMO's, tomorrow", "2026-12-02"), (c.pmo, "PMO's, today", "2026-12-01")] {
                _ = try await s.items.createRegisterItem(c.pm, key: k, kind: .action, fields: RegisterItemFields(
                    title: title, status: "open", ownerID: UserID(owner.userID), dueDate: day(due)))
            }
            try await s.inbox.collect()
            func due(_ who: Caller) async throws -> [String] { try await s.inbox.entries(who).entries.filter { $0.kind == .dueSoon }.map(\.title).sorted() }
            #expect(try await due(c.member) == ["Member's, in 4 days"])
            #expect(try await due(c.pm).isEmpty)
            #expect(try await due(c.pmo) == ["PMO's, today"])
            await expectDomainError("mail.invalid_preferences", .invalid) {
                _ = try await s.mail.updatePreferences(c.member, modes: [:], digestTime: nil, reminderDays: "15", expectedVersion: nil)
            }
        }
    }
}

/// Mentions in minutes: a member named with `@` in a meeting's notes or an agenda line's notes is told, with a link to
/// the meeting; not again for a name already there; never someone who may not see the meeting (a vendor, for an
/// internal meeting).
@Suite("Inbox: mentions in minutes")
struct MinutesMentionTests {
    @Test(arguments: TestDatabase.available)
    func mentionsInMinutesReachWhoMaySeeTheMeeting(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-12-01")
            var s = h.store
            s.clock = { clock.now() }
            let c = try await StoreHarness(host: h.host, store: s).planCast(key: "MIN", start: "2026-11-02")
            let k = c.key
            let series = try await s.meetings.createSeries(c.pmo, key: k, MeetingSeriesFields(
                name: "Steering", purpose: "Decisions", chairID: UserID(c.pmo.userID),
                recurrence: MeetingRecurrence(firstDate: day("2026-12-02"), intervalWeeks: 1, startMinutes: 600, durationMinutes: 60),
                location: "Room A", attendeeIDs: [UserID(c.pm.userID)], visibility: .internal))
            _ = try await s.meetings.prepareOccurrence(c.pmo, key: k, seriesID: series.id, today: day("2026-12-01"))
            try await s.inbox.collect()
            func mentions(_ who: Caller) async throws -> [InboxEntryView] { try await s.inbox.entries(who).entries.filter { $0.kind == .mentioned } }

            _ = try await s.meetings.updateMinutes(c.pmo, key: k, seriesID: series.id, number: 1, expectedVersion: nil,
                                                   notes: "Budget agreed.\n@member to send the plan; @vendora to confirm staffing", presentIDs: nil)
            var view = try await s.meetings.addAgendaItem(c.pmo, key: k, seriesID: series.id, number: 1, title: "Test environment")
            let line = try #require(view.items.first { $0.title == "Test environment" })
            view = try await s.meetings.saveMinutes(c.pmo, key: k, seriesID: series.id, number: 1, expectedVersion: nil, notes: nil, presentIDs: nil,
                                                    items: [MinutesItemEdit(itemID: line.id, expectedVersion: nil, notes: "@member2 books the room", carry: nil)])
            try await s.inbox.collect()
            let member = try await mentions(c.member)
            #expect(member.count == 1 && member.first?.values["comment"] == "@member to send the plan; @vendora to confirm staffing")
            #expect(member.first?.values["path"] == "/projects/\(k)/meetings/\(series.id.uuidString.lowercased())/1")
            #expect(member.first?.title == "Steering 2026-12-02" && member.first?.actorName == "pmo")
            #expect(try await mentions(c.member2).first?.values["comment"] == "@member2 books the room")
            #expect(try await mentions(c.vendorA).isEmpty, "a vendor does not see an internal meeting")
            #expect(try await mentions(c.pmo).isEmpty)

            // The same names again, and one more: only the new one is told.
            _ = try await s.meetings.updateMinutes(c.pmo, key: k, seriesID: series.id, number: 1, expectedVersion: nil,
                                                   notes: "Budget agreed.\n@member to send the plan; @pm to sign it", presentIDs: nil)
            try await s.inbox.collect()
            #expect(try await mentions(c.member).count == 1)
            #expect(try await mentions(c.pm).first?.values["comment"] == "@member to send the plan; @pm to sign it")
        }
    }
}
