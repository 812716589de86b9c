import Foundation

/// A calendar month (`2026-04`): what an order, an acceptance (検収) or a payment falls in.
public struct YearMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    /// 1–12.
    public var month: Int

    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1900...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    /// `2026-04`; nil for anything else.
    public init?(iso text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    public init(_ date: CalendarDate) {
        self.year = date.year
        self.month = date.month
    }

    /// Months since year 0, for arithmetic.
    var index: Int { year * 12 + month - 1 }
    init(index: Int) {
        year = index / 12
        month = index % 12 + 1
    }

    public func adding(months n: Int) -> YearMonth { YearMonth(index: index + n) }
    /// The month's first day.
    public var firstDay: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }
    /// How many months from `self` to `other` (negative when `other` is earlier).
    public func months(to other: YearMonth) -> Int { other.index - index }

    public static func < (a: YearMonth, b: YearMonth) -> Bool { a.index < b.index }
    public var description: String { String(format: "%04d-%02d", year, month) }
}

/// How the organisation counts its fiscal years: the month a year starts in (April by default, as Japanese companies
/// and the government do). One setting for the whole organisation, so that portfolio totals add up. A fiscal year is
/// named by the calendar year it starts in: FY2026 (2026年度) runs from April 2026 to March 2027.
public struct FiscalCalendar: Sendable, Hashable {
    /// 1–12.
    public let firstMonth: Int

    public init?(firstMonth: Int) {
        guard (1...12).contains(firstMonth) else { return nil }
        self.firstMonth = firstMonth
    }

    public static let japan = FiscalCalendar(firstMonth: 4)!

    /// The fiscal year `month` falls in.
    public func fiscalYear(of month: YearMonth) -> Int { month.month >= firstMonth ? month.year : month.year - 1 }
    public func fiscalYear(of date: CalendarDate) -> Int { fiscalYear(of: YearMonth(date)) }

    /// The first and last month of fiscal year `year`.
    public func months(of year: Int) -> ClosedRange<YearMonth> {
        let first = YearMonth(year: year, month: firstMonth)!
        return first...first.adding(months: 11)
    }

    /// Every month of fiscal year `year`, in order (the ledger's month columns).
    public func monthList(of year: Int) -> [YearMonth] {
        let first = months(of: year).lowerBound
        return (0..<12).map { first.adding(months: $0) }
    }

    /// The fiscal years a span of days touches (a project's range), in order.
    public func years(from start: CalendarDate, to end: CalendarDate) -> ClosedRange<Int> {
        let a = fiscalYear(of: start), b = fiscalYear(of: end)
        return min(a, b)...max(a, b)
    }
}
