import Foundation

/// A wall-clock instant in a plan's time zone, as whole minutes from 1970-01-01T00:00 local time.
///
/// Plans are scheduled in local time (the calendar's time zone); convert to UTC only at the edges.
public struct LocalTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Minutes from 1970-01-01T00:00 local time (may be negative).
    public var minutes: Int

    /// Wraps a minute count from 1970-01-01T00:00 local time.
    public init(minutes: Int) { self.minutes = minutes }

    /// The instant `minuteOfDay` minutes (0...1440) after the start of `date`.
    public init(date: CivilDate, minuteOfDay: Int = 0) { self.minutes = date.dayNumber * 1440 + minuteOfDay }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fff]]` or `YYYY-MM-DD` (seconds are dropped); nil otherwise. Hours 0...24.
    public init?(iso string: some StringProtocol) {
        // Byte-level parse: this runs for every date of every task when reading MSPDI.
        var bytes = [UInt8]()
        bytes.reserveCapacity(19)
        bytes.append(contentsOf: string.utf8.prefix(32))
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                let b = bytes[i]
                guard b >= 48 && b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45, let y = digits(0, 4), let mo = digits(5, 2),
            let d = digits(8, 2),
            let date = CivilDate(year: y, month: mo, day: d)
        else { return nil }
        var minuteOfDay = 0
        if bytes.count > 10 {
            guard bytes[10] == 84 || bytes[10] == 32, bytes.count >= 16, bytes[13] == 58,
                let h = digits(11, 2), let m = digits(14, 2), h <= 24, m <= 59
            else { return nil }
            if bytes.count > 16 {
                guard bytes[16] == 58, digits(17, 2) != nil else { return nil }
                if bytes.count > 19 {
                    guard bytes[19] == 46, bytes.count > 20, digits(20, bytes.count - 20) != nil else { return nil }
                }
            }
            minuteOfDay = h * 60 + m
        }
        self.init(date: date, minuteOfDay: minuteOfDay)
    }

    /// Day number from 1970-01-01 of the day this instant falls in.
    public var dayNumber: Int { minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440) }

    /// Minutes after local midnight, 0...1439.
    public var minuteOfDay: Int { minutes - dayNumber * 1440 }

    /// The calendar date this instant falls on.
    public var date: CivilDate { CivilDate(dayNumber: dayNumber) }

    /// `YYYY-MM-DDTHH:MM:00` (ISO 8601 local date-time, no offset).
    public var description: String {
        let m = minuteOfDay
        let hh = m / 60
        let mm = m % 60
        return "\(date)T" + (hh < 10 ? "0\(hh)" : "\(hh)") + ":" + (mm < 10 ? "0\(mm)" : "\(mm)") + ":00"
    }

    /// The instant `minutes` minutes later (elapsed time, ignoring any calendar).
    public func adding(minutes delta: Int) -> LocalTime { LocalTime(minutes: minutes + delta) }

    /// The wall-clock time of `instant` in `timeZone`, to the minute (seconds dropped).
    public init(_ instant: Date, in timeZone: TimeZone) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        self.minutes = seconds >= 0 ? seconds / 60 : -((-seconds + 59) / 60)
    }

    /// The instant this wall-clock time denotes in `timeZone` (for a time skipped or repeated by a DST change,
    /// the offset in force just before it is used).
    public func instant(in timeZone: TimeZone) -> Date {
        let naive = Date(timeIntervalSince1970: TimeInterval(minutes * 60))
        let guess = naive.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: naive)))
        return naive.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: guess)))
    }

    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.minutes < b.minutes }
}
