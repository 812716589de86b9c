import Foundation
import PMOCore

/// A plan's milestones and deadlines as an iCalendar (RFC 5545) feed that calendar programs subscribe to.
///
/// Pure and deterministic: the caller passes the project, the events and the DTSTAMP, and gets the same text for the
/// same input. One all-day VEVENT per event; CRLF line ends; content lines folded at 75 octets (never inside a UTF-8
/// character); text values escaped (`\\`, `\;`, `\,`, `\n`).
public enum PlanCalendarFeed {
    /// What an event marks.
    public enum Kind: String, Sendable, Hashable {
        /// A milestone, on the day of its scheduled finish.
        case milestone
        /// An activity's deadline, on the deadline's day.
        case deadline
    }

    /// One all-day event.
    public struct Event: Sendable, Hashable {
        /// The activity's uid in the plan (stable: it makes the event's UID).
        public var uid: Int
        public var name: String
        public var date: CivilDate
        public var kind: Kind
        public init(uid: Int, name: String, date: CivilDate, kind: Kind) {
            self.uid = uid
            self.name = name
            self.date = date
            self.kind = kind
        }
    }

    /// The calendar text. Events are written by date, milestones before deadlines on the same day, then by uid.
    /// `stamp` is written as DTSTAMP (UTC) on every event.
    public static func ics(projectKey: String, projectName: String, events: [Event], stamp: Date) -> String {
        var lines: [String] = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//PMO//Plan milestones//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape("\(projectKey) \(projectName)"),
        ]
        let dtstamp = utcStamp(stamp)
        let sorted = events.sorted { a, b in
            if a.date != b.date { return a.date < b.date }
            if a.kind != b.kind { return a.kind == .milestone }
            return a.uid < b.uid
        }
        for e in sorted {
            let letter = e.kind == .milestone ? "m" : "d"
            let title = e.kind == .milestone ? e.name : "Deadline: \(e.name)"
            lines += [
                "BEGIN:VEVENT",
                "UID:" + escape("pmo-\(projectKey)-\(letter)\(e.uid)@pmo"),
                "DTSTAMP:" + dtstamp,
                "DTSTART;VALUE=DATE:" + basic(e.date),
                "DTEND;VALUE=DATE:" + basic(e.date.adding(days: 1)),
                "SUMMARY:" + escape("\(projectKey): \(title)"),
                "DESCRIPTION:" + escape("\(projectKey) \(projectName)\n\(title)"),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and newlines (CR dropped, LF as `\n`).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n":
                if !previousCR { out += "\\n" }
            case "\r": out += "\\n"
            default:
                // Other control characters are not allowed in TEXT: dropped (tab is allowed).
                if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F { break }
                out.unicodeScalars.append(scalar)
            }
            previousCR = scalar == "\r"
        }
        return out
    }

    /// Folds one content line so no physical line exceeds 75 octets: breaks go before a character that would cross
    /// the limit, and each continuation starts with one space (which counts toward its 75).
    public static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = ""
        var used = 0
        for ch in line.unicodeScalars {
            let size = String(ch).utf8.count
            if used + size > 75 {
                out += "\r\n "
                used = 1
            }
            out.unicodeScalars.append(ch)
            used += size
        }
        return out
    }

    /// `YYYYMMDD`.
    static func basic(_ d: CivilDate) -> String {
        pad(d.year, 4) + pad(d.month, 2) + pad(d.day, 2)
    }

    /// `YYYYMMDDTHHMMSSZ` of an instant, in UTC, without any formatter or locale.
    static func utcStamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rest = seconds - day * 86_400
        return basic(CivilDate(dayNumber: day)) + "T" + pad(rest / 3600, 2) + pad(rest / 60 % 60, 2) + pad(rest % 60, 2) + "Z"
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
