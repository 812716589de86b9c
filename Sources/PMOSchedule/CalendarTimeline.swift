import Foundation
import PMOCore

/// A WorkCalendar precomputed over a range of days, so working-time arithmetic needs no minute loops.
///
/// Each instant has a *position*: the working minutes from the start of the range up to it. Adding working
/// time is position arithmetic plus a binary search over cumulative minutes per day (O(log days)).
/// Instants outside the range are clamped to its ends.
public final class CalendarTimeline: Sendable {
    /// The calendar this was built from.
    public let calendar: WorkCalendar
    /// Day number (from 1970-01-01) of the first day covered.
    public let firstDay: Int
    /// Number of days covered (≥ 1).
    public let dayCount: Int
    /// `cumulative[i]` = working minutes before day `firstDay + i`; `dayCount + 1` entries.
    @usableFromInline let cumulative: [Int]
    /// Pattern index per day.
    @usableFromInline let dayPattern: [UInt16]
    /// Distinct working-day patterns; a pattern is a flat list of (start, end) pairs in minutes after midnight.
    @usableFromInline let patterns: [[Int]]
    /// `blockDay[b]` = last day index whose cumulative minutes are ≤ b × 512: a head start for position → day lookups.
    @usableFromInline let blockDay: [Int32]

    /// Precomputes `calendar` for the days `first...last` (inclusive).
    public init(calendar: WorkCalendar, from first: CivilDate, through last: CivilDate) {
        self.calendar = calendar
        let f = first.dayNumber
        let count = max(1, last.dayNumber - f + 1)
        firstDay = f
        dayCount = count
        // Start from the week (and holidays), then lay exceptions over it in order.
        var perDay = [[WorkingTimeRange]?](repeating: nil, count: count)
        if calendar.holidays == .japan {
            let y0 = CivilDate(dayNumber: f).year
            let y1 = CivilDate(dayNumber: f + count - 1).year
            for y in y0...y1 {
                for h in JapaneseHolidays.holidays(inYear: y) {
                    let i = h.date.dayNumber - f
                    if i >= 0 && i < count { perDay[i] = [] }
                }
            }
        }
        for e in calendar.exceptions {
            let a = max(e.firstDay.dayNumber, f)
            let b = min(e.lastDay.dayNumber, f + count - 1)
            if a > b { continue }
            for n in a...b {
                let date = CivilDate(dayNumber: n)
                if e.applies(to: date) { perDay[n - f] = e.workingTimes }
            }
        }
        var patternIndex: [[WorkingTimeRange]: UInt16] = [[]: 0]
        var patterns: [[Int]] = [[]]
        var weekIndex = [UInt16](repeating: 0, count: 7)
        func index(of ranges: [WorkingTimeRange]) -> UInt16 {
            if let i = patternIndex[ranges] { return i }
            let i = UInt16(truncatingIfNeeded: patterns.count)
            patternIndex[ranges] = i
            patterns.append(ranges.flatMap { [$0.start, $0.end] })
            return i
        }
        for w in 0..<7 { weekIndex[w] = index(of: calendar.week[w]) }
        var dayPattern = [UInt16](repeating: 0, count: count)
        var cumulative = [Int](repeating: 0, count: count + 1)
        var total = 0
        for i in 0..<count {
            let p = perDay[i].map(index(of:)) ?? weekIndex[CivilDate.weekday(ofDayNumber: f + i)]
            dayPattern[i] = p
            cumulative[i] = total
            let flat = patterns[Int(p)]
            var j = 0
            while j < flat.count {
                total += flat[j + 1] - flat[j]
                j += 2
            }
        }
        cumulative[count] = total
        var blocks = [Int32](repeating: 0, count: total / 512 + 1)
        var d = 0
        for b in 0..<blocks.count {
            while d + 1 < count && cumulative[d + 1] <= b * 512 { d += 1 }
            blocks[b] = Int32(d)
        }
        self.dayPattern = dayPattern
        self.cumulative = cumulative
        self.patterns = patterns
        self.blockDay = blocks
    }

    /// Last day index d (0..<dayCount) with cumulative[d] ≤ q, for 0 ≤ q < total; a block lookup then a short scan.
    @inlinable func lastDay(atMost q: Int) -> Int {
        var d = Int(blockDay[q >> 9])
        while d + 1 < dayCount && cumulative[d + 1] <= q { d += 1 }
        return d
    }

    /// First instant covered (start of the first day).
    public var rangeStart: LocalTime { LocalTime(minutes: firstDay * 1440) }
    /// End of the range (midnight after the last day).
    public var rangeEnd: LocalTime { LocalTime(minutes: (firstDay + dayCount) * 1440) }
    /// Total working minutes in the range.
    public var totalWorkingMinutes: Int { cumulative[dayCount] }

    /// Working minutes from the start of the range to `t` (clamped to the range).
    @inlinable public func position(_ t: LocalTime) -> Int {
        let m = t.minutes
        let dayOffset = (m >= 0 ? m / 1440 : -((-m + 1439) / 1440)) - firstDay
        if dayOffset < 0 { return 0 }
        if dayOffset >= dayCount { return cumulative[dayCount] }
        let minute = m - (dayOffset + firstDay) * 1440
        var pos = cumulative[dayOffset]
        let flat = patterns[Int(dayPattern[dayOffset])]
        var j = 0
        while j < flat.count {
            let s = flat[j]
            let e = flat[j + 1]
            if minute <= s { break }
            pos += (minute < e ? minute : e) - s
            j += 2
        }
        return pos
    }

    /// The instant where working minute number `position` begins (a start: e.g. 08:00 rather than the previous 17:00).
    @inlinable public func startInstant(at position: Int) -> LocalTime {
        if position <= 0 { return firstWorkingStart(from: 0) }
        if position >= cumulative[dayCount] { return rangeEnd }
        // Last day with cumulative ≤ position; it has work after that position.
        let lo = lastDay(atMost: position)
        var rest = position - cumulative[lo]
        let flat = patterns[Int(dayPattern[lo])]
        var j = 0
        while j < flat.count {
            let len = flat[j + 1] - flat[j]
            if rest < len { return LocalTime(minutes: (firstDay + lo) * 1440 + flat[j] + rest) }
            rest -= len
            j += 2
        }
        return LocalTime(minutes: (firstDay + lo + 1) * 1440)  // unreachable for consistent tables
    }

    /// The instant where working minute number `position` ends (a finish: e.g. 17:00 rather than the next 08:00).
    @inlinable public func finishInstant(at position: Int) -> LocalTime {
        if position <= 0 { return firstWorkingStart(from: 0) }
        if position > cumulative[dayCount] { return rangeEnd }
        // First day d with cumulative[d + 1] ≥ position, i.e. the last day with cumulative ≤ position − 1.
        let lo = lastDay(atMost: position - 1)
        var rest = position - cumulative[lo]
        let flat = patterns[Int(dayPattern[lo])]
        var j = 0
        while j < flat.count {
            let len = flat[j + 1] - flat[j]
            if rest <= len { return LocalTime(minutes: (firstDay + lo) * 1440 + flat[j] + rest) }
            rest -= len
            j += 2
        }
        return LocalTime(minutes: (firstDay + lo + 1) * 1440)
    }

    @usableFromInline func firstWorkingStart(from dayIndex: Int) -> LocalTime {
        var d = dayIndex
        while d < dayCount {
            let flat = patterns[Int(dayPattern[d])]
            if let s = flat.first { return LocalTime(minutes: (firstDay + d) * 1440 + s) }
            d += 1
        }
        return rangeEnd
    }

    /// The next instant at or after `t` at which work goes on (t itself when it is working time).
    @inlinable public func nextWorkingStart(_ t: LocalTime) -> LocalTime {
        let p = position(t)
        let s = startInstant(at: p)
        return s < t ? t : s
    }

    /// The latest end of working time at or before `t` (t itself when t is inside working time).
    @inlinable public func previousWorkingFinish(_ t: LocalTime) -> LocalTime {
        let p = position(t)
        let f = finishInstant(at: p)
        return f > t ? t : f
    }

    /// Adds `minutes` of working time (negative subtracts); the result is a start-style instant (08:00 not 17:00).
    @inlinable public func addingStart(_ minutes: Int, to t: LocalTime) -> LocalTime {
        startInstant(at: position(t) + minutes)
    }

    /// Adds `minutes` of working time (negative subtracts); the result is a finish-style instant (17:00 not 08:00).
    @inlinable public func addingFinish(_ minutes: Int, to t: LocalTime) -> LocalTime {
        finishInstant(at: position(t) + minutes)
    }

    /// Working minutes from `a` to `b` (negative when `b` is before `a`).
    @inlinable public func workingMinutes(from a: LocalTime, to b: LocalTime) -> Int { position(b) - position(a) }

    /// True when the minute starting at `t` is working time.
    public func isWorking(_ t: LocalTime) -> Bool { position(t.adding(minutes: 1)) > position(t) }
}
