import Foundation
import PMOCore
import Testing

@testable import PMOSchedule

@Suite struct CalendarTimelineTests {
    static func t(_ s: String) -> LocalTime { LocalTime(iso: s)! }

    static let japanWithClosure: WorkCalendar = {
        var c = WorkCalendar.japan
        c.exceptions = WorkCalendar.yearEndClosure(firstYear: 2020, lastYear: 2030)
        return c
    }()

    @Test func addsWorkingTimeAcrossYearEndClosureAndNewYearHolidays() {
        let tl = CalendarTimeline(
            calendar: Self.japanWithClosure, from: CivilDate(year: 2025, month: 1, day: 1)!,
            through: CivilDate(year: 2026, month: 12, day: 31)!)
        // Friday 2025-12-26 is the last working day; 12/29–1/3 closed, 1/4 is a Sunday: next work is Monday 2026-01-05 09:00.
        let start = Self.t("2025-12-26T09:00")
        #expect(tl.addingFinish(480, to: start) == Self.t("2025-12-26T18:00"))
        #expect(tl.addingStart(480, to: start) == Self.t("2026-01-05T09:00"))
        #expect(tl.addingFinish(481, to: start) == Self.t("2026-01-05T09:01"))
        // Lunch 12:00–13:00 is not working time.
        #expect(tl.addingFinish(180, to: start) == Self.t("2025-12-26T12:00"))
        #expect(tl.addingStart(180, to: start) == Self.t("2025-12-26T13:00"))
        // Subtracting goes back over the closure too.
        #expect(tl.addingStart(-1, to: Self.t("2026-01-05T09:00")) == Self.t("2025-12-26T17:59"))
        #expect(tl.previousWorkingFinish(Self.t("2026-01-05T08:00")) == Self.t("2025-12-26T18:00"))
        #expect(tl.nextWorkingStart(Self.t("2025-12-27T10:00")) == Self.t("2026-01-05T09:00"))
    }

    @Test func goldenWeek2026HasFourWorkingDays() {
        // 4/29 昭和の日 (Wed), 5/3 (Sun) 憲法記念日, 5/4 みどりの日, 5/5 こどもの日, 5/6 振替休日: working 4/28, 4/30, 5/1, 5/7.
        let tl = CalendarTimeline(
            calendar: .japan, from: CivilDate(year: 2026, month: 1, day: 1)!,
            through: CivilDate(year: 2026, month: 12, day: 31)!)
        #expect(tl.workingMinutes(from: Self.t("2026-04-28T09:00"), to: Self.t("2026-05-08T09:00")) == 4 * 480)
        #expect(tl.workingMinutes(from: Self.t("2026-05-08T09:00"), to: Self.t("2026-04-28T09:00")) == -4 * 480)
    }

    @Test func derivedVendorCalendarAddsItsOwnClosures() {
        let vendor = WorkCalendar.japan.derived(
            id: WorkCalendar.ID(7), name: "Vendor A",
            closures: [
                CalendarException(
                    name: "夏季休業", firstDay: CivilDate(year: 2026, month: 8, day: 12)!,
                    lastDay: CivilDate(year: 2026, month: 8, day: 14)!)
            ])
        #expect(vendor.baseID == WorkCalendar.japan.id)
        #expect(!vendor.isWorkingDay(CivilDate(year: 2026, month: 8, day: 13)!))
        #expect(WorkCalendar.japan.isWorkingDay(CivilDate(year: 2026, month: 8, day: 13)!))
        #expect(!vendor.isWorkingDay(CivilDate(year: 2026, month: 8, day: 11)!))  // 山の日 from the base
        // Changed hours: a half day on 2026-08-10.
        var half = vendor
        half.exceptions.append(
            CalendarException(
                name: "半日", firstDay: CivilDate(year: 2026, month: 8, day: 10)!,
                workingTimes: [WorkingTimeRange(start: 540, end: 720)!]))
        let tl = CalendarTimeline(
            calendar: half, from: CivilDate(year: 2026, month: 8, day: 1)!,
            through: CivilDate(year: 2026, month: 8, day: 31)!)
        #expect(tl.workingMinutes(from: Self.t("2026-08-10T00:00"), to: Self.t("2026-08-17T00:00")) == 180)
    }

    @Test func agreesWithADayByDaySumOnRandomInstants() {
        let cal = Self.japanWithClosure
        let first = CivilDate(year: 2024, month: 1, day: 1)!
        let tl = CalendarTimeline(calendar: cal, from: first, through: CivilDate(year: 2027, month: 12, day: 31)!)
        var rng = SplitMix(seed: 42)
        // Reference: sum each day's working ranges up to the instant.
        func reference(_ t: LocalTime) -> Int {
            var total = 0
            for n in first.dayNumber..<t.dayNumber {
                total += cal.workingTimes(on: CivilDate(dayNumber: n)).reduce(0) { $0 + $1.minutes }
            }
            for r in cal.workingTimes(on: t.date) { total += max(0, min(r.end, t.minuteOfDay) - r.start) }
            return total
        }
        for _ in 0..<60 {
            let t = LocalTime(minutes: first.dayNumber * 1440 + Int(rng.next() % UInt64(1440 * 1400)))
            let p = tl.position(t)
            #expect(p == reference(t))
            // Round trips: the start instant of a position is the next working minute, the finish instant the previous end.
            let s = tl.startInstant(at: p)
            let f = tl.finishInstant(at: p)
            #expect(tl.position(s) == p && tl.position(f) == p)
            #expect(s >= t || tl.isWorking(s))
            #expect(f <= tl.startInstant(at: p))
        }
    }
}

/// A small deterministic generator for tests (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
}
