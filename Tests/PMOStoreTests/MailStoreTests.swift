import Foundation
import PMOCore
@testable import PMOStore
import PMOTestSupport
import Testing

/// E-mail's outbox filled from the inbox: a mail at once for what a person wants at once, the daily digest of what is
/// still unread at their digest time (once a day), the PMO's weekly digest on Mondays, nothing twice, and preferences
/// refused naming the field.
@Suite("E-mail in the store")
struct MailStoreTests {
    @Test(arguments: TestDatabase.available)
    func theOutboxFollowsPreferences(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            // Monday 5 October 2026, 07:00 in Japan.
            let clock = TickingClock("2026-10-05", "07:00")
            var s = h.store
            s.clock = { clock.now() }
            let hh = StoreHarness(host: h.host, store: s)
            let c = try await hh.planCast(key: "MAL", start: "2026-10-01")
            let k = c.key
            func outbox(_ who: Caller) async throws -> [(kind: MailKind, key: String, state: String, entries: String)] {
                try await s.db.readRows("""
                    SELECT kind, mail_key, state, entry_ids FROM mail_outbox WHERE user_id = \(bind: who.userID) ORDER BY created_at, mail_key
                    """, columns: ["kind", "mail_key", "state", "entry_ids"]).map { (MailKind(rawValue: try $0.string(0))!, try $0.string(1), try $0.string(2), try $0.string(3)) }
            }
            // The first collection only starts the cursor: nothing before e-mail was set up is mailed.
            _ = try await s.items.createRegisterItem(c.pm, key: k, kind: .action, fields: RegisterItemFields(
                title: "Before e-mail", status: "open", ownerID: UserID(c.member.userID), dueDate: day("2026-10-01")))
            try await s.inbox.collect()
            #expect(try await s.mail.collect() == 0)

            // Assigned: at once (the default).
            let action = try await s.items.createRegisterItem(c.pm, key: k, kind: .action, fields: RegisterItemFields(
                title: "Send the spec", status: "open", ownerID: UserID(c.member.userID), dueDate: day("2026-10-09")))
            try await s.inbox.collect()
            #expect(try await s.mail.collect() == 1)
            var mine = try await outbox(c.member)
            #expect(mine.map(\.kind) == [.entry] && mine[0].state == "queued")
            let queued = try #require(try await s.jobs.recent(limit: 50).first { $0.kind == MailService.deliveryJobKind })
            let queuedID = try #require(UUID(uuidString: queued.key))
            let mail = try #require(try await s.mail.dispatch(queuedID))
            #expect(mail.email == c.member.email && mail.kind == .entry)
            #expect(mail.entries.map(\.reference) == [action.reference] && mail.entries.first?.kind == .assigned)
            #expect(try await s.mail.collect() == 0, "collected twice, nothing twice")

            // Preferences: comments daily, assignments off; refusals name the field and change nothing.
            let before = try await s.mail.preferences(c.member)
            #expect(before.version == 0 && before.preferences.mode(.commented) == .daily && !before.hearsWeekly)
            for (modes, time, field) in [(["assigned": "weekly"], nil, "assigned"), (["bogus": "daily"], nil, "bogus"),
                                         ([:], "25:00", "digestTime"), (["pmoWeekly": "daily"], nil, "pmoWeekly")] as [([String: String], String?, String)] {
                let refused = await expectDomainError("mail.invalid_preferences", .invalid) {
                    _ = try await s.mail.updatePreferences(c.member, modes: modes, digestTime: time, expectedVersion: nil)
                }
                #expect(refused?.fieldErrors.map(\.field) == [field])
            }
            let saved = try await s.mail.updatePreferences(c.member, modes: ["assigned": "none", "commented": "daily"], digestTime: "08:30", expectedVersion: 0)
            #expect(saved.version == 1 && saved.preferences.mode(.assigned) == MailMode.none && saved.preferences.digestMinutes == 510)
            await expectDomainError("version.stale", .conflict) {
                _ = try await s.mail.updatePreferences(c.member, modes: [:], digestTime: "09:00", expectedVersion: 0)
            }
            #expect(try await s.mail.preferences(c.pmo).hearsWeekly)

            // A comment (daily) and an assignment (now off): nothing at once.
            clock.set("2026-10-05", "07:30")
            _ = try await s.items.addComment(c.pm, key: k, type: .action, number: action.record.number, body: "Please include the field list")
            _ = try await s.items.createRegisterItem(c.pm, key: k, kind: .action, fields: RegisterItemFields(
                title: "Book the room", status: "open", ownerID: UserID(c.member.userID)))
            try await s.inbox.collect()
            #expect(try await s.mail.collect() == 0)
            // 08:00: the PMO's daily (nothing unread: remembered, no mail) and weekly digests (a Monday); not yet the member's.
            clock.set("2026-10-05", "08:00")
            #expect(try await s.mail.collect() == 1)
            #expect(try await outbox(c.pmo).map { "\($0.kind.rawValue) \($0.state)" } == ["daily empty", "weekly queued"])
            #expect(try await outbox(c.member).count == 1)
            // 08:30: the member's daily digest, with the unread comment only.
            clock.set("2026-10-05", "08:31")
            #expect(try await s.mail.collect() == 1)
            mine = try await outbox(c.member)
            #expect(mine.map(\.kind) == [.entry, .daily] && mine[1].key == "daily:2026-10-05")
            let dailyID = try #require(try await s.db.readRows(
                "SELECT id FROM mail_outbox WHERE mail_key = 'daily:2026-10-05' AND user_id = \(bind: c.member.userID)", columns: ["id"]).first?.uuid(0))
            let daily = try #require(try await s.mail.dispatch(dailyID))
            #expect(daily.entries.map(\.kind) == [.commented])
            #expect(try await s.mail.collect() == 0, "one digest a day")

            // The weekly digest: the overdue action by its owner, and a decision waiting.
            _ = try await s.items.createRegisterItem(c.pm, key: k, kind: .decision, fields: RegisterItemFields(title: "Pick the host", status: "pending"))
            let weekly = try await s.mail.weeklyDigest(c.pmo)
            #expect(weekly.overdue.map { "\($0.owner) \($0.count) \($0.oldestDays)" } == ["member 1 4"])
            #expect(weekly.decisions.map(\.title) == ["Pick the host"])
            #expect(try await s.mail.weeklyDigest(c.member).isEmpty, "the digest is the PMO's: a member has no project where they are PMO")

            // A sent mail is not sent again; a failed one says why.
            try await s.mail.markSent(daily.id, messageID: "m@example.com")
            #expect(try await s.mail.dispatch(daily.id) == nil)
            #expect(try await s.mail.recent(c.member).first?.state == "sent")
        }
    }
}
