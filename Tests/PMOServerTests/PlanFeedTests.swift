import Foundation
import PMOCore
import PMOReports
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The plan's iCalendar feed: a secret link (no sign-in) with one all-day event per milestone and per deadline,
/// written as RFC 5545 says (CRLF, lines folded at 75 octets, text escaped).
@Suite("Plan calendar feed")
struct PlanFeedTests {
    static let plan = "/api/v1/projects/CRM/plan"

    /// The physical lines of a calendar text, checking that every line ends in CRLF.
    static func lines(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        for (i, b) in bytes.enumerated() where b == 0x0A {
            #expect(i > 0 && bytes[i - 1] == 0x0D, "a bare LF at byte \(i)")
        }
        #expect(text.hasSuffix("\r\n"))
        return text.components(separatedBy: "\r\n").dropLast().map { $0 }
    }

    /// Content lines with folding undone.
    static func unfolded(_ lines: [String]) -> [String] {
        var out: [String] = []
        for l in lines {
            if l.hasPrefix(" "), !out.isEmpty { out[out.count - 1] += l.dropFirst() } else { out.append(l) }
        }
        return out
    }

    @Test(arguments: TestDatabase.available)
    func feedListsMilestonesAndDeadlines(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!

            // No such feed: 404 without a sign-in page.
            let unknown = try await t.send(.GET, "/feeds/plan/pmofeed_nothing-here.ics")
            #expect(unknown.status == .notFound)
            #expect(try await t.send(.GET, "/feeds/plan/pmofeed_nothing-here").status == .notFound)

            let settings = try await t.send(.GET, Self.plan, token: pm)
            #expect(try await t.send(.PATCH, Self.plan, token: pm, json: ["start": "2026-04-01"],
                                     headers: [("If-Match", settings.headers.first(name: .eTag) ?? "")]).status == .ok)
            func create(_ fields: [String: Any?]) async throws -> Int {
                let res = try await t.send(.POST, "\(Self.plan)/activities", token: pm, json: fields)
                #expect(res.status == .created, "\(res.body.string)")
                return res.json["uid"] as? Int ?? -1
            }
            let design = try await create(["name": "Design", "durationDays": 5, "deadline": "2026-04-10"])
            let longName = "要件定義完了 (承認; 顧客, ベンダー\\PMO) — sign-off by the steering committee after the final review meeting"
            let signOff = try await create(["name": longName, "kind": "milestone"])
            let golive = try await create(["name": "Go-live", "kind": "milestone"])
            for (p, s) in [(design, signOff), (signOff, golive)] {
                #expect(try await t.send(.POST, "\(Self.plan)/dependencies", token: pm,
                                         json: ["predecessorUid": p, "successorUid": s, "lagDays": s == golive ? 3 : 0]).status == .created)
            }

            // Only those who edit the plan make the link; the token is shown once and opens the feed without a sign-in.
            #expect(try await t.send(.POST, "\(Self.plan)/feed-token", token: w.tokens["viewer"]!).status == .forbidden)
            #expect(try await t.send(.POST, "\(Self.plan)/feed-token", token: w.tokens["vendorA"]!).status == .forbidden)
            let made = try await t.send(.POST, "\(Self.plan)/feed-token", token: pm)
            #expect(made.status == .created, "\(made.body.string)")
            let token = try #require(made.json["token"] as? String)
            let url = try #require(made.json["url"] as? String)
            #expect(url.hasSuffix("/feeds/plan/\(token).ics"))
            #expect(try await t.send(.GET, Self.plan, token: pm).json["hasFeed"] as? Bool == true)

            let feed = try await t.send(.GET, "/feeds/plan/\(token).ics")
            #expect(feed.status == .ok)
            #expect(feed.headers.contentType?.type == "text" && feed.headers.contentType?.subType == "calendar")
            let text = feed.body.string
            let physical = Self.lines(text)
            for line in physical { #expect(line.utf8.count <= 75, "\(line.utf8.count) octets: \(line)") }
            #expect(physical.contains { $0.hasPrefix(" ") }, "the long name is folded")
            let content = Self.unfolded(physical)
            #expect(content.first == "BEGIN:VCALENDAR" && content.last == "END:VCALENDAR")
            #expect(content.filter { $0 == "BEGIN:VEVENT" }.count == 3)
            #expect(content.contains("UID:pmo-CRM-m\(signOff)@pmo"))
            #expect(content.contains("UID:pmo-CRM-m\(golive)@pmo"))
            #expect(content.contains("UID:pmo-CRM-d\(design)@pmo"))
            // Design finishes Tuesday 04-07; the sign-off follows at once, the go-live three working days later.
            #expect(content.contains("DTSTART;VALUE=DATE:20260407"))
            #expect(content.contains("DTSTART;VALUE=DATE:20260410"))
            #expect(content.contains("SUMMARY:CRM: Deadline: Design"))
            #expect(content.contains("SUMMARY:CRM: Go-live"))
            #expect(content.contains("SUMMARY:CRM: 要件定義完了 (承認\\; 顧客\\, ベンダー\\\\PMO) — sign-off by the steering committee after the final review meeting"))
            #expect(content.filter { $0.hasPrefix("DTSTAMP:") && $0.hasSuffix("Z") && $0.count == 24 }.count == 3)

            // A new link replaces the old one.
            let again = try await t.send(.POST, "\(Self.plan)/feed-token", token: pm)
            let newToken = try #require(again.json["token"] as? String)
            #expect(newToken != token)
            #expect(try await t.send(.GET, "/feeds/plan/\(token).ics").status == .notFound)
            #expect(try await t.send(.GET, "/feeds/plan/\(newToken).ics").status == .ok)
        }
    }

    @Test func calendarTextIsDeterministicFoldedAndEscaped() {
        let day = CivilDate(year: 2026, month: 7, day: 1)!
        let events = [
            PlanCalendarFeed.Event(uid: 9, name: "Deadline, with; specials\\ and\nnew line", date: day, kind: .deadline),
            PlanCalendarFeed.Event(uid: 4, name: String(repeating: "あ", count: 60), date: day, kind: .milestone),
        ]
        let stamp = Date(timeIntervalSince1970: 1_780_000_000)
        let text = PlanCalendarFeed.ics(projectKey: "CRM", projectName: "CRM renewal", events: events, stamp: stamp)
        #expect(text == PlanCalendarFeed.ics(projectKey: "CRM", projectName: "CRM renewal", events: events.reversed(), stamp: stamp))
        let physical = Self.lines(text)
        for line in physical {
            #expect(line.utf8.count <= 75)
            #expect(String(validating: Array(line.utf8), as: UTF8.self) != nil)
        }
        let content = Self.unfolded(physical)
        // Milestones come before deadlines on the same day.
        #expect(content.firstIndex(of: "UID:pmo-CRM-m4@pmo")! < content.firstIndex(of: "UID:pmo-CRM-d9@pmo")!)
        #expect(content.contains("SUMMARY:CRM: Deadline: Deadline\\, with\\; specials\\\\ and\\nnew line"))
        #expect(content.contains("SUMMARY:CRM: " + String(repeating: "あ", count: 60)))
        #expect(content.contains("DTSTART;VALUE=DATE:20260701"))
        #expect(content.contains("DTEND;VALUE=DATE:20260702"))
        #expect(content.contains("DTSTAMP:20260528T202640Z"))
        #expect(PlanCalendarFeed.fold("short") == "short")
    }
}
