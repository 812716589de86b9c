import Foundation

/// Japanese public holidays computed by rule (国民の祝日に関する法律 and its amendments, 1948 onward).
///
/// Covers fixed and Happy-Monday holidays, equinox days (astronomical approximation, valid 1900–2099),
/// substitute holidays (振替休日, from 1973-04-12), citizens' holidays (国民の休日, from 1985-12-27),
/// and a table of one-off days (imperial ceremonies, 2019 accession, the moved 2020/2021 Olympic holidays).
public enum JapaneseHolidays {
    /// One holiday: its date and the official name (as in the Cabinet Office list).
    public struct Holiday: Hashable, Sendable {
        /// The day off.
        public let date: CivilDate
        /// Name, e.g. "元日", "天皇誕生日 振替休日", "休日".
        public let name: String
    }

    /// All holidays of a year, sorted by date.
    public static func holidays(inYear year: Int) -> [Holiday] {
        var named: [Int: String] = [:]  // day number -> name (国民の祝日 only)
        func add(_ m: Int, _ d: Int, _ name: String) {
            if let date = CivilDate(year: year, month: m, day: d) { named[date.dayNumber] = name }
        }
        func nthMonday(_ month: Int, _ n: Int) -> Int {
            let first = CivilDate(year: year, month: month, day: 1)!
            let offset = (8 - first.weekday) % 7  // days to the first Monday
            return 1 + offset + (n - 1) * 7
        }
        guard year >= 1949 else { return [] }
        add(1, 1, "元日")
        if year <= 1999 { add(1, 15, "成人の日") } else { add(1, nthMonday(1, 2), "成人の日") }
        if year >= 1967 { add(2, 11, "建国記念の日") }
        if year >= 2020 { add(2, 23, "天皇誕生日") }
        add(3, vernalEquinoxDay(year), "春分の日")
        if year <= 1988 { add(4, 29, "天皇誕生日") } else if year <= 2006 { add(4, 29, "みどりの日") } else { add(4, 29, "昭和の日") }
        add(5, 3, "憲法記念日")
        if year >= 2007 { add(5, 4, "みどりの日") }
        add(5, 5, "こどもの日")
        switch year {
        case 1996...2002: add(7, 20, "海の日")
        case 2020: add(7, 23, "海の日")
        case 2021: add(7, 22, "海の日")
        case 2003...: add(7, nthMonday(7, 3), "海の日")
        default: break
        }
        switch year {
        case 2020: add(8, 10, "山の日")
        case 2021: add(8, 8, "山の日")
        case 2016...: add(8, 11, "山の日")
        default: break
        }
        if year >= 1966 { if year <= 2002 { add(9, 15, "敬老の日") } else { add(9, nthMonday(9, 3), "敬老の日") } }
        add(9, autumnalEquinoxDay(year), "秋分の日")
        switch year {
        case 1966...1999: add(10, 10, "体育の日")
        case 2000...2018: add(10, nthMonday(10, 2), "体育の日")
        case 2019: add(10, nthMonday(10, 2), "体育の日（スポーツの日）")
        case 2020: add(7, 24, "スポーツの日")
        case 2021: add(7, 23, "スポーツの日")
        case 2022...: add(10, nthMonday(10, 2), "スポーツの日")
        default: break
        }
        add(11, 3, "文化の日")
        add(11, 23, "勤労感謝の日")
        if (1989...2018).contains(year) { add(12, 23, "天皇誕生日") }
        for (d, name) in oneOffDays where d.year == year { named[d.dayNumber] = name }

        var all = named
        // 振替休日: a holiday on a Sunday moves the day off to the next day that is not a holiday (from 1973-04-12;
        // before 2007 only the Monday after, and only if it was not a holiday itself).
        let substituteStart = CivilDate(year: 1973, month: 4, day: 12)!.dayNumber
        for (n, name) in named.sorted(by: { $0.key < $1.key })
        where n >= substituteStart && CivilDate.weekday(ofDayNumber: n) == 0 {
            var s = n + 1
            if year >= 2007 {
                while named[s] != nil { s += 1 }
            } else if named[s] != nil {
                continue
            }
            all[s] = (named[s - 1] ?? name) + " 振替休日"
        }
        // 国民の休日: a day between two 国民の祝日 that is not a holiday itself (from 1985-12-27; before 2007 not a Sunday).
        let citizensStart = CivilDate(year: 1985, month: 12, day: 27)!.dayNumber
        for n in named.keys.sorted() {
            let mid = n + 1
            guard mid >= citizensStart, named[mid + 1] != nil, all[mid] == nil else { continue }
            if year < 2007 && CivilDate.weekday(ofDayNumber: mid) == 0 { continue }
            all[mid] = "休日"
        }
        return all.sorted { $0.key < $1.key }
            .filter { CivilDate(dayNumber: $0.key).year == year }
            .map { Holiday(date: CivilDate(dayNumber: $0.key), name: $0.value) }
    }

    /// The holiday's name when `date` is a Japanese public holiday, else nil.
    public static func name(of date: CivilDate) -> String? {
        holidays(inYear: date.year).first { $0.date == date }?.name
    }

    /// Day in March of 春分の日 (valid 1900–2099; later years are predictions, as are the Cabinet Office's).
    public static func vernalEquinoxDay(_ year: Int) -> Int {
        let y = Double(year - 1980)
        if year < 1980 { return Int(20.8357 + 0.242194 * y - floorDiv4(year - 1983)) }
        return Int(20.8431 + 0.242194 * y - floorDiv4(year - 1980))
    }

    /// Day in September of 秋分の日 (valid 1900–2099).
    public static func autumnalEquinoxDay(_ year: Int) -> Int {
        let y = Double(year - 1980)
        if year < 1980 { return Int(23.2588 + 0.242194 * y - floorDiv4(year - 1983)) }
        return Int(23.2488 + 0.242194 * y - floorDiv4(year - 1980))
    }

    private static func floorDiv4(_ x: Int) -> Double { Double(x / 4) }  // truncating, as the published formula

    /// One-off holidays fixed by special laws.
    static let oneOffDays: [(CivilDate, String)] = [
        (CivilDate(year: 1959, month: 4, day: 10)!, "結婚の儀"),
        (CivilDate(year: 1989, month: 2, day: 24)!, "大喪の礼"),
        (CivilDate(year: 1990, month: 11, day: 12)!, "即位礼正殿の儀"),
        (CivilDate(year: 1993, month: 6, day: 9)!, "結婚の儀"),
        (CivilDate(year: 2019, month: 5, day: 1)!, "休日（祝日扱い）"),
        (CivilDate(year: 2019, month: 10, day: 22)!, "休日（祝日扱い）"),
    ]
}
