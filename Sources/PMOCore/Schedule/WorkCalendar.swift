import Foundation

/// A working-time calendar: working periods per weekday, exceptions, optional Japanese public holidays, a time zone.
///
/// Later exceptions win over earlier ones; exceptions win over holidays; holidays win over the week.
public struct WorkCalendar: Hashable, Sendable, Identifiable {
    /// Identifies a calendar within a plan (MSPDI calendar UID where imported).
    public struct ID: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The raw number.
        public let rawValue: Int
        /// Wraps a raw number.
        public init(_ rawValue: Int) { self.rawValue = rawValue }
        public var description: String { String(rawValue) }
        public static func < (a: ID, b: ID) -> Bool { a.rawValue < b.rawValue }
    }

    /// Built-in public-holiday sets.
    public enum Holidays: String, Hashable, Sendable {
        /// No public holidays.
        case none
        /// Japanese public holidays (国民の祝日, 振替休日, 国民の休日), 1948 onward.
        case japan
    }

    /// This calendar's id.
    public var id: ID
    /// Display name.
    public var name: String
    /// Working periods for each weekday, index 0 = Sunday ... 6 = Saturday; always 7 entries.
    public var week: [[WorkingTimeRange]]
    /// Public holidays treated as non-working days.
    public var holidays: Holidays
    /// Exceptions in priority order (a later one overrides an earlier one on the same day).
    public var exceptions: [CalendarException]
    /// The calendar this one was derived from, if any (for display; its rules are already copied in).
    public var baseID: ID?
    /// IANA time zone of the wall-clock times, e.g. "Asia/Tokyo".
    public var timeZoneIdentifier: String

    /// A calendar; `week` must have 7 entries (Sunday first), missing ones are non-working.
    public init(
        id: ID = ID(1), name: String, week: [[WorkingTimeRange]], holidays: Holidays = .none,
        exceptions: [CalendarException] = [], baseID: ID? = nil, timeZoneIdentifier: String = "Asia/Tokyo"
    ) {
        self.id = id
        self.name = name
        var w = week.map(WorkingTimeRange.normalized)
        while w.count < 7 { w.append([]) }
        self.week = Array(w.prefix(7))
        self.holidays = holidays
        self.exceptions = exceptions
        self.baseID = baseID
        self.timeZoneIdentifier = timeZoneIdentifier
    }

    /// Monday–Friday with the same working periods, Saturday and Sunday off.
    public static func weekdays(
        _ day: [WorkingTimeRange], id: ID = ID(1), name: String,
        holidays: Holidays = .none, timeZoneIdentifier: String = "Asia/Tokyo"
    ) -> WorkCalendar {
        WorkCalendar(
            id: id, name: name, week: [[], day, day, day, day, day, []], holidays: holidays,
            timeZoneIdentifier: timeZoneIdentifier)
    }

    /// Microsoft Project's "Standard": Mon–Fri 08:00–12:00, 13:00–17:00, no holidays.
    public static let msProjectStandard = weekdays(
        WorkingTimeRange.standardDay, name: "Standard", timeZoneIdentifier: "UTC")

    /// Japanese office calendar: Mon–Fri 09:00–12:00, 13:00–18:00, Japanese public holidays, Asia/Tokyo.
    public static let japan = weekdays(WorkingTimeRange.japaneseOfficeDay, name: "日本標準", holidays: .japan)

    /// Every minute of every day works (used for elapsed time and for PSPLIB periods, 1 period = 1 minute).
    public static let continuous = WorkCalendar(
        id: ID(0), name: "24x7", week: Array(repeating: WorkingTimeRange.wholeDay, count: 7),
        timeZoneIdentifier: "UTC")

    /// A calendar derived from `base`: the same week, holidays and exceptions, plus `closures` on top.
    public func derived(id: ID, name: String, closures: [CalendarException]) -> WorkCalendar {
        var c = self
        c.id = id
        c.name = name
        c.baseID = self.id
        c.exceptions = exceptions + closures
        return c
    }

    /// Company year-end closure from 12/29 to 1/3 every year between `firstYear` and `lastYear`.
    public static func yearEndClosure(firstYear: Int, lastYear: Int, name: String = "年末年始") -> [CalendarException] {
        (firstYear...lastYear).map { y in
            CalendarException(
                name: name, firstDay: CivilDate(year: y, month: 12, day: 29)!,
                lastDay: CivilDate(year: y + 1, month: 1, day: 3)!)
        }
    }

    /// Working periods of a date after applying exceptions, holidays and the week (no precomputation; O(exceptions)).
    public func workingTimes(on date: CivilDate) -> [WorkingTimeRange] {
        for e in exceptions.reversed() where e.applies(to: date) { return e.workingTimes }
        if holidays == .japan, JapaneseHolidays.name(of: date) != nil { return [] }
        return week[date.weekday]
    }

    /// True when the date has any working time.
    public func isWorkingDay(_ date: CivilDate) -> Bool { !workingTimes(on: date).isEmpty }
}
