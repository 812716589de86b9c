import Foundation
import PMOTestData
import Testing

@testable import PMOCore

@Suite("Japanese public holidays against holiday_jp (../shared/data/holidays/holidays.yml)")
struct JapaneseHolidaysTests {
    /// Parses `YYYY-MM-DD: 名称` lines of the holiday_jp dataset.
    static func reference() throws -> [CivilDate: String] {
        let text = try String(contentsOf: SharedData.url("holidays/holidays.yml"), encoding: .utf8)
        var out: [CivilDate: String] = [:]
        for line in text.split(separator: "\n") where line.count > 11 && line.first?.isNumber == true {
            let date = try #require(CivilDate(iso: line.prefix(10)))
            out[date] = line.dropFirst(11).trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    @Test func everyHolidayFrom1970To2050MatchesByDateAndName() throws {
        let expected = try Self.reference()
        #expect(expected.count == 1329)
        var computed: [CivilDate: String] = [:]
        for year in 1970...2050 {
            for h in JapaneseHolidays.holidays(inYear: year) { computed[h.date] = h.name }
        }
        let missing = expected.keys.filter { computed[$0] == nil }.sorted()
        let extra = computed.keys.filter { expected[$0] == nil }.sorted()
        #expect(missing.isEmpty, "missing: \(missing)")
        #expect(extra.isEmpty, "extra: \(extra)")
        // The dataset names a substitute day inconsistently after Golden Week holidays (2009-05-06 "こどもの日 振替休日",
        // 2020-05-06 "憲法記念日 振替休日", both for a Sunday 5/3), so for those only the 振替休日 suffix is compared.
        func same(_ a: String, _ b: String) -> Bool {
            a == b || (a.hasSuffix(" 振替休日") && b.hasSuffix(" 振替休日"))
        }
        let misnamed = expected.keys.filter { computed[$0] != nil && !same(computed[$0]!, expected[$0]!) }.sorted()
        #expect(misnamed.isEmpty, "names differ: \(misnamed.map { "\($0) \(expected[$0]!) vs \(computed[$0]!)" })")
    }

    @Test func builtInCalendarHasExactlyTheseWeekdaysOff() throws {
        let expected = try Self.reference()
        let cal = WorkCalendar.japan
        let first = CivilDate(year: 1970, month: 1, day: 1)!.dayNumber
        let last = CivilDate(year: 2050, month: 12, day: 31)!.dayNumber
        var wrong: [CivilDate] = []
        var holidaysByYear: [Int: Set<CivilDate>] = [:]
        for n in first...last {
            let d = CivilDate(dayNumber: n)
            if holidaysByYear[d.year] == nil {
                holidaysByYear[d.year] = Set(JapaneseHolidays.holidays(inYear: d.year).map(\.date))
            }
            let weekend = d.weekday == 0 || d.weekday == 6
            let shouldWork = !weekend && expected[d] == nil
            // Checks a sample of days through the unindexed API (it recomputes a year per call) and all days by set.
            if n % 97 == 0, cal.isWorkingDay(d) != shouldWork { wrong.append(d) }
            if !weekend, holidaysByYear[d.year]!.contains(d) == shouldWork { wrong.append(d) }
        }
        #expect(wrong.isEmpty, "wrong days: \(wrong.prefix(20))")
    }

    @Test func handWorkedRules() {
        // 2025-02-23 天皇誕生日 is a Sunday: Monday 24 is the substitute holiday.
        #expect(JapaneseHolidays.name(of: CivilDate(year: 2025, month: 2, day: 24)!) == "天皇誕生日 振替休日")
        // 2019: the ten-day Golden Week around the accession.
        for d in 27...30 {
            #expect(JapaneseHolidays.name(of: CivilDate(year: 2019, month: 4, day: d)!) != nil || d < 29)
        }
        #expect(JapaneseHolidays.name(of: CivilDate(year: 2019, month: 5, day: 2)!) == "休日")
        // 成人の日 moved to the 2nd Monday in 2000: 2000-01-10.
        #expect(JapaneseHolidays.name(of: CivilDate(year: 2000, month: 1, day: 10)!) == "成人の日")
        #expect(JapaneseHolidays.name(of: CivilDate(year: 2000, month: 1, day: 15)!) == nil)
        // No 天皇誕生日 in 2019.
        #expect(JapaneseHolidays.name(of: CivilDate(year: 2019, month: 12, day: 23)!) == nil)
    }
}
