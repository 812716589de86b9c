import Foundation

/// Stores a `WorkCalendar` as JSON text and reads it back exactly (week, holidays, exceptions with recurrence, zone).
public enum CalendarCodec {
    struct Stored: Codable {
        var name: String
        var week: [[[Int]]]
        var holidays: String
        var exceptions: [StoredException]
        var timeZone: String
    }
    struct StoredException: Codable {
        var name: String
        var first: String
        var last: String
        var times: [[Int]]
        /// "every", "daily", "weekly", "monthlyDay", "monthlyWeekday", "yearlyDate", "yearlyWeekday".
        var repeats: String
        var values: [Int]
    }

    public static func encode(_ c: WorkCalendar) -> String {
        let s = Stored(
            name: c.name, week: c.week.map { $0.map { [$0.start, $0.end] } }, holidays: c.holidays.rawValue,
            exceptions: c.exceptions.map { e in
                let (repeats, values): (String, [Int]) = switch e.recurrence {
                case .everyDay: ("every", [])
                case .daily(let i): ("daily", [i])
                case .weekly(let i, let days): ("weekly", [i] + days.sorted())
                case .monthlyOnDay(let i, let d): ("monthlyDay", [i, d])
                case .monthlyOnWeekday(let i, let o, let w): ("monthlyWeekday", [i, o, w])
                case .yearlyOnDate(let m, let d): ("yearlyDate", [m, d])
                case .yearlyOnWeekday(let m, let o, let w): ("yearlyWeekday", [m, o, w])
                }
                return StoredException(name: e.name, first: e.firstDay.description, last: e.lastDay.description,
                                       times: e.workingTimes.map { [$0.start, $0.end] }, repeats: repeats, values: values)
            }, timeZone: c.timeZoneIdentifier)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(s)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The calendar stored in `text`; nil when the text is not a stored calendar.
    public static func decode(_ text: String, uid: Int) -> WorkCalendar? {
        guard let s = try? JSONDecoder().decode(Stored.self, from: Data(text.utf8)) else { return nil }
        func ranges(_ list: [[Int]]) -> [WorkingTimeRange] {
            list.compactMap { $0.count == 2 ? WorkingTimeRange(start: $0[0], end: $0[1]) : nil }
        }
        let exceptions = s.exceptions.compactMap { e -> CalendarException? in
            guard let first = CivilDate(iso: e.first), let last = CivilDate(iso: e.last) else { return nil }
            let v = e.values
            func at(_ i: Int) -> Int { i < v.count ? v[i] : 1 }
            let recurrence: CalendarException.Recurrence = switch e.repeats {
            case "daily": .daily(interval: at(0))
            case "weekly": .weekly(interval: at(0), weekdays: Set(v.dropFirst()))
            case "monthlyDay": .monthlyOnDay(interval: at(0), day: at(1))
            case "monthlyWeekday": .monthlyOnWeekday(interval: at(0), ordinal: at(1), weekday: at(2))
            case "yearlyDate": .yearlyOnDate(month: at(0), day: at(1))
            case "yearlyWeekday": .yearlyOnWeekday(month: at(0), ordinal: at(1), weekday: at(2))
            default: .everyDay
            }
            return CalendarException(name: e.name, firstDay: first, lastDay: last, workingTimes: ranges(e.times),
                                     recurrence: recurrence)
        }
        return WorkCalendar(id: WorkCalendar.ID(uid), name: s.name, week: s.week.map(ranges),
                            holidays: WorkCalendar.Holidays(rawValue: s.holidays) ?? .none, exceptions: exceptions,
                            timeZoneIdentifier: s.timeZone)
    }
}
