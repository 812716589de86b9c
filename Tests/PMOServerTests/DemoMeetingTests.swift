import Foundation
import PMOCore
import PMODemo
import PMOServer
import PMOStore
import PMOTestSupport
import Testing

/// The demo has a weekly meeting with three held occurrences and approved minutes, and two issued status reports; the
/// visitor can prepare next week's meeting from it.
@Suite("Demo meetings and reports")
struct DemoMeetingTests {
    @Test func demoHasMeetingsMinutesAndIssuedReports() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await DemoData.load(into: t.store, bcryptCost: 4)
            let s = t.store
            let pmo = try Caller(try #require(try await s.accounts.user(email: "pmo@demo.pmo")))
            let kaede = try Caller(try #require(try await s.accounts.user(email: "kaede.lead@demo.pmo")))
            let aoba = try Caller(try #require(try await s.accounts.user(email: "aoba.lead@demo.pmo")))
            let series = try await s.meetings.series(pmo, key: "CRM")
            #expect(series.count == 3)
            let weekly = try #require(series.first { $0.fields.name == "週次定例（開発）" })
            let held = try await s.meetings.occurrences(pmo, key: "CRM", seriesID: weekly.id)
            #expect(held.map(\.number) == [3, 2, 1])
            #expect(held.allSatisfy { $0.status == .approved && $0.approvedVersions == 1 })
            let today = CalendarDate(Date(), in: TimeZone(identifier: "Asia/Tokyo")!)
            #expect(held.allSatisfy { $0.date < today })
            for n in 1...3 {
                let minutes = try await s.meetings.occurrence(pmo, key: "CRM", seriesID: weekly.id, number: n).document()
                #expect(minutes.items.isEmpty == false)
                #expect(minutes.notes.isEmpty == false)
                #expect(minutes.items.flatMap(\.outputs).contains { $0.type == .action } || minutes.outputs.contains { $0.type == .action })
            }
            // The point carried from #2 opens #3.
            let third = try await s.meetings.occurrence(pmo, key: "CRM", seriesID: weekly.id, number: 3)
            #expect(third.items.first?.rule == .carriedOver)
            // Next week's meeting can be prepared from live data.
            let next = try await s.meetings.prepareOccurrence(pmo, key: "CRM", seriesID: weekly.id, today: today)
            #expect(next.number == 4)
            #expect(next.date >= today)
            #expect(next.items.count >= 5)

            // Vendor 楓's meeting is theirs; Aoba does not see it.
            #expect(try await s.meetings.series(kaede, key: "CRM").contains { $0.fields.name == "楓システムズ 進捗会議" })
            #expect(try await s.meetings.series(aoba, key: "CRM").contains { $0.fields.name == "楓システムズ 進捗会議" } == false)

            let reports = try await s.reports.statusReports(pmo, key: "CRM")
            #expect(reports.count == 2)
            #expect(reports.allSatisfy { $0.state == .issued && $0.overall != nil })
            let latest = try await s.reports.statusReport(pmo, key: "CRM", id: reports[0].id)
            #expect(latest.content.area(.scope)?.override == .amber)
            #expect(latest.comparison.previousDate == reports[1].statusDate)
            #expect(try await s.reports.portfolio(pmo).first?.latest?.statusDate == reports[0].statusDate)
        }
    }
}
