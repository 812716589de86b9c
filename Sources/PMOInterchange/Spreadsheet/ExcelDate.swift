import Foundation
import PMOCore

/// Excel date serial numbers and date number formats.
///
/// In the 1900 date system (the default) serial 0 is 1899-12-30, so every date from 1900-03-01 on is
/// `dayNumber + 25569`. Excel pretends 1900 was a leap year (serial 60 is "1900-02-29"), so serials 1...59 are one
/// day later than that epoch gives. In the 1904 system (`date1904="1"` in workbook.xml) serial 0 is 1904-01-01,
/// i.e. 1462 days later.
enum XLSXDate {
    /// Serial of 1970-01-01 in the 1900 system.
    static let unixEpochSerial = 25_569
    /// Days between the 1900 and the 1904 system.
    static let offset1904 = 1_462
    /// 9999-12-31, the last date Excel shows.
    static let maxSerial1900 = 2_958_465

    /// The serial number written for a date (1900 system); nil before 1900-03-01, which Excel cannot show as a
    /// date the same way every other program does (the writer stores those as ISO text).
    static func serial(of date: CivilDate) -> Int? {
        let serial = date.dayNumber + unixEpochSerial
        return serial >= 61 ? serial : nil
    }

    /// The date of a serial number (any time of day is dropped); nil when out of Excel's range.
    static func date(fromSerial value: Double, date1904: Bool) -> CivilDate? {
        // Excel's last date, 9999-12-31, is serial 2,958,465; anything beyond is not a date (and would not fit an Int).
        guard value.isFinite, value >= 0, value < 3_000_000 else { return nil }
        var day = Int(value.rounded(.down))
        if date1904 {
            day += offset1904
        } else if day >= 1 && day < 60 {
            day += 1  // before Excel's fictitious 1900-02-29
        }
        guard day >= 0, day <= maxSerial1900 else { return nil }
        return CivilDate(dayNumber: day - unixEpochSerial)
    }

    /// True when a number format shows a date: the built-in date ids, or a format code that has a year, month or
    /// day part. Time-only formats (built-in 18–21 and 45–47, or codes with only h/m/s) are not dates: their
    /// values are fractions of a day, kept as numbers.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        switch id {
        case 14...17, 22, 27...31, 34...36, 50...58: return true
        // 32 and 33 are 時/分 times in Japanese; other locales put dates there.
        case 32, 33: return code.map(isDateFormatCode) ?? true
        default: return code.map(isDateFormatCode) ?? false
        }
    }

    /// True when a custom format code (its first section) has a y, d, or month m (an m not next to h or s).
    static func isDateFormatCode(_ code: String) -> Bool {
        // Drop what is not a format token: "quoted text", \escaped characters, [colour/locale/elapsed] blocks,
        // _x padding and *x fills.
        var tokens: [Character] = []
        var inQuote = false
        var inBracket = false
        var skipNext = false
        for ch in code {
            if skipNext { skipNext = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket {
                if ch == "]" { inBracket = false }
                continue
            }
            switch ch {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": skipNext = true
            case ";": return classify(tokens)  // only the first (positive number) section matters
            default: tokens.append(Character(ch.lowercased()))
            }
        }
        return classify(tokens)
    }

    private static func classify(_ tokens: [Character]) -> Bool {
        let text = String(tokens).replacingOccurrences(of: "general", with: "")
        if text.contains("y") || text.contains("d") { return true }
        // "m" is a month unless it sits in a time (h:mm, mm:ss).
        if text.contains("m") { return !(text.contains("h") || text.contains("s")) }
        return false
    }
}
