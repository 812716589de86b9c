import Foundation
import Testing

@testable import PMOCore

@Suite struct CivilDateTests {
    @Test func dayNumbersRoundTrip() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1)!.dayNumber == 11017)
        #expect(CivilDate(year: 1969, month: 12, day: 31)!.dayNumber == -1)
        for n in stride(from: -800_000, to: 800_000, by: 997) { #expect(CivilDate(dayNumber: n).dayNumber == n) }
    }

    @Test func weekdaysAndParsing() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.weekday == 4)  // Thursday
        #expect(CivilDate(year: 2026, month: 11, day: 21)!.weekday == 6)  // Saturday
        #expect(CivilDate(iso: "2024-02-29") == CivilDate(year: 2024, month: 2, day: 29))
        #expect(CivilDate(iso: "2023-02-29") == nil)
        #expect(LocalTime(iso: "2018-10-26T08:00:00")?.description == "2018-10-26T08:00:00")
        #expect(LocalTime(minutes: -1).description == "1969-12-31T23:59:00")
    }
}

@Suite struct LocalTimeZoneTests {
    @Test func tokyoIsNineHoursAheadOfUTC() throws {
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let t = try #require(LocalTime(iso: "2026-04-01T09:00"))
        // 2026-04-01T00:00:00Z = 1,775,001,600 s since 1970 (20,544 days × 86,400).
        #expect(t.instant(in: tokyo).timeIntervalSince1970 == 1_775_001_600)
        #expect(LocalTime(Date(timeIntervalSince1970: 1_775_001_600), in: tokyo) == t)
    }

    @Test func newYorkAcrossDaylightSaving() throws {
        let ny = try #require(TimeZone(identifier: "America/New_York"))
        // 2026-07-01 12:00 EDT = 16:00Z; 2026-01-15 12:00 EST = 17:00Z.
        let summer = try #require(LocalTime(iso: "2026-07-01T12:00"))
        let winter = try #require(LocalTime(iso: "2026-01-15T12:00"))
        #expect(
            summer.instant(in: ny)
                == Date(timeIntervalSince1970: TimeInterval(LocalTime(iso: "2026-07-01T16:00")!.minutes * 60)))
        #expect(
            winter.instant(in: ny)
                == Date(timeIntervalSince1970: TimeInterval(LocalTime(iso: "2026-01-15T17:00")!.minutes * 60)))
    }
}

@Suite struct LocalTimeParsingTests {
    @Test func acceptsTheMSPDIShapesAndRejectsOthers() {
        #expect(LocalTime(iso: "2018-10-26T08:00:00")?.description == "2018-10-26T08:00:00")
        #expect(LocalTime(iso: "2018-10-26T17:30")?.minuteOfDay == 1050)
        #expect(LocalTime(iso: "2018-10-26 17:30:59.123")?.minuteOfDay == 1050)
        #expect(LocalTime(iso: "2018-10-26")?.minuteOfDay == 0)
        #expect(LocalTime(iso: "2018-10-26T24:00:00") == LocalTime(iso: "2018-10-27"))
        for bad in [
            "2018-10-2", "2018/10/26", "2018-13-01", "2018-02-30", "2018-10-26T8:00", "2018-10-26T08:60", "x", "",
        ] {
            #expect(LocalTime(iso: bad) == nil, "\(bad)")
        }
    }
}
