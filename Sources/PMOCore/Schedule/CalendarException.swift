import Foundation

/// A change to a calendar's normal week: days off, or days with other working hours, once or recurring.
public struct CalendarException: Hashable, Sendable {
    /// How an exception repeats between `firstDay` and `lastDay` (inclusive).
    public enum Recurrence: Hashable, Sendable {
        /// Every day of the range.
        case everyDay
        /// Every `interval` days from `firstDay` (interval ≥ 1).
        case daily(interval: Int)
        /// On the given weekdays (0 = Sunday ... 6 = Saturday) of every `interval`-th week from `firstDay`'s week.
        case weekly(interval: Int, weekdays: Set<Int>)
        /// On day `day` (1...31) of every `interval`-th month from `firstDay`'s month.
        case monthlyOnDay(interval: Int, day: Int)
        /// On the `ordinal`-th (1...4, or 5 = last) `weekday` of every `interval`-th month.
        case monthlyOnWeekday(interval: Int, ordinal: Int, weekday: Int)
        /// Every year on `month`/`day`.
        case yearlyOnDate(month: Int, day: Int)
        /// Every year on the `ordinal`-th (1...4, or 5 = last) `weekday` of `month`.
        case yearlyOnWeekday(month: Int, ordinal: Int, weekday: Int)
    }

    /// Display name, e.g. "年末年始".
    public var name: String
    /// First day the exception can apply (inclusive).
    public var firstDay: CivilDate
    /// Last day the exception can apply (inclusive).
    public var lastDay: CivilDate
    /// Working periods on matching days; empty means a non-working day.
    public var workingTimes: [WorkingTimeRange]
    /// Which days between `firstDay` and `lastDay` it applies to.
    public var recurrence: Recurrence

    /// Builds an exception; `workingTimes` empty means the days are off.
    public init(
        name: String, firstDay: CivilDate, lastDay: CivilDate? = nil,
        workingTimes: [WorkingTimeRange] = [], recurrence: Recurrence = .everyDay
    ) {
        self.name = name
        self.firstDay = firstDay
        self.lastDay = lastDay ?? firstDay
        self.workingTimes = WorkingTimeRange.normalized(workingTimes)
        self.recurrence = recurrence
    }

    /// True when the exception applies to `date` (weekdays 0 = Sunday).
    public func applies(to date: CivilDate) -> Bool {
        guard date >= firstDay, date <= lastDay else { return false }
        let n = date.dayNumber
        let f = firstDay.dayNumber
        switch recurrence {
        case .everyDay:
            return true
        case .daily(let interval):
            return (n - f) % max(1, interval) == 0
        case .weekly(let interval, let weekdays):
            guard weekdays.contains(date.weekday) else { return false }
            let weekOf = { (d: Int) in (d - CivilDate.weekday(ofDayNumber: d)) / 7 }
            return (weekOf(n) - weekOf(f)) % max(1, interval) == 0
        case .monthlyOnDay(let interval, let day):
            let months = (date.year - firstDay.year) * 12 + date.month - firstDay.month
            let target = min(day, CivilDate.daysIn(year: date.year, month: date.month))
            return months % max(1, interval) == 0 && date.day == target
        case .monthlyOnWeekday(let interval, let ordinal, let weekday):
            let months = (date.year - firstDay.year) * 12 + date.month - firstDay.month
            return months % max(1, interval) == 0 && CalendarException.isNth(date, ordinal: ordinal, weekday: weekday)
        case .yearlyOnDate(let month, let day):
            return date.month == month && date.day == day
        case .yearlyOnWeekday(let month, let ordinal, let weekday):
            return date.month == month && CalendarException.isNth(date, ordinal: ordinal, weekday: weekday)
        }
    }

    /// True when `date` is the `ordinal`-th (5 = last) `weekday` of its month.
    static func isNth(_ date: CivilDate, ordinal: Int, weekday: Int) -> Bool {
        guard date.weekday == weekday else { return false }
        if ordinal >= 5 { return date.day + 7 > CivilDate.daysIn(year: date.year, month: date.month) }
        return (date.day - 1) / 7 + 1 == ordinal
    }
}
