import Foundation
import PMOCore

/// A meeting series and its invitations as iCalendar (RFC 5545) text, in Japan time.
///
/// Pure and deterministic, with the folding and escaping of `PlanCalendarFeed`: CRLF line ends, content lines
/// folded at 75 octets (never inside a UTF-8 character), TEXT values escaped (`\\`, `\;`, `\,`, `\n`). Times are
/// local to Asia/Tokyo (`DTSTART;TZID=Asia/Tokyo`), with a VTIMEZONE block (+0900 all year, no daylight saving).
/// DTSTAMP is the `stamp` passed in, in UTC.
public enum MeetingCalendar {
    /// The time zone every meeting is written in.
    public static let timeZoneID = "Asia/Tokyo"

    /// The whole series as one recurring VEVENT: from `recurrence.firstDate` at its start time, lasting its duration,
    /// repeating `RRULE:FREQ=WEEKLY;INTERVAL=n;BYDAY=XX` on the first date's weekday, with no end. UID
    /// `pmo-{key}-m{seriesID}@pmo`. Written without METHOD, as a calendar to import (not an iTIP message), so
    /// attendees may be listed; a person without an email address is left out.
    public static func series(
        projectKey: String, seriesID: String, name: String, purpose: String, location: String,
        recurrence: MeetingRecurrence, organizer: (name: String, email: String)?,
        attendees: [(name: String, email: String)], stamp: Date
    ) -> String {
        let start = localDateTime(recurrence.firstDate, minutes: recurrence.startMinutes)
        let end = localDateTime(recurrence.firstDate, minutes: recurrence.startMinutes + max(0, recurrence.durationMinutes))
        var event = [
            "BEGIN:VEVENT",
            "UID:" + escape("pmo-\(projectKey)-m\(seriesID)@pmo"),
            "DTSTAMP:" + PlanCalendarFeed.utcStamp(stamp),
            "DTSTART;TZID=\(timeZoneID):" + start,
            "DTEND;TZID=\(timeZoneID):" + end,
            "RRULE:" + rrule(recurrence),
            "SUMMARY:" + escape("\(projectKey): \(name)"),
        ]
        if !purpose.isEmpty { event.append("DESCRIPTION:" + escape(purpose)) }
        if !location.isEmpty { event.append("LOCATION:" + escape(location)) }
        event += people(organizer: organizer, attendees: attendees)
        event += ["TRANSP:OPAQUE", "END:VEVENT"]
        return calendar(method: nil, event)
    }

    /// An invitation to one occurrence (METHOD:REQUEST): a single VEVENT on `date` from `startMinutes` for
    /// `durationMinutes`, UID `pmo-{key}-m{seriesID}-{occurrence}@pmo` (stable, so a re-sent invitation with a
    /// higher `sequence` updates the same event), the summary "KEY: name 第n回" ("#n" in English), and a
    /// DESCRIPTION of the purpose and the agenda lines, one per line. A person without an email address is left out.
    public static func invitation(
        projectKey: String, seriesID: String, occurrence: Int, date: CalendarDate, startMinutes: Int, durationMinutes: Int,
        name: String, purpose: String, location: String, organizer: (name: String, email: String)?,
        attendees: [(name: String, email: String)], agendaLines: [String], stamp: Date, sequence: Int = 0,
        lang: String = "ja"
    ) -> String {
        var description: [String] = []
        if !purpose.isEmpty { description.append(purpose) }
        if !agendaLines.isEmpty {
            if !description.isEmpty { description.append("") }
            description.append(MeetingWords.label("calendar.agenda", lang: lang) + ":")
            description += agendaLines
        }
        var event = [
            "BEGIN:VEVENT",
            "UID:" + escape("pmo-\(projectKey)-m\(seriesID)-\(occurrence)@pmo"),
            "SEQUENCE:\(max(0, sequence))",
            "DTSTAMP:" + PlanCalendarFeed.utcStamp(stamp),
            "DTSTART;TZID=\(timeZoneID):" + localDateTime(date, minutes: startMinutes),
            "DTEND;TZID=\(timeZoneID):" + localDateTime(date, minutes: startMinutes + max(0, durationMinutes)),
            "SUMMARY:" + escape("\(projectKey): \(name) " + MeetingWords.occurrence(occurrence, lang: lang)),
        ]
        if !description.isEmpty { event.append("DESCRIPTION:" + escape(description.joined(separator: "\n"))) }
        if !location.isEmpty { event.append("LOCATION:" + escape(location)) }
        event += people(organizer: organizer, attendees: attendees)
        event += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
        return calendar(method: "REQUEST", event)
    }

    /// An agenda as lines for an invitation: "1. [section] CRM-A12 title", in the order of `MeetingMarkdown`.
    public static func agendaLines(_ doc: MinutesDocument, lang: String) -> [String] {
        MeetingLayout.sections(doc).flatMap { section in
            section.items.map { number, item in
                let ref = item.reference.map { $0.isEmpty ? "" : "\($0) " } ?? ""
                let title = item.title.split(whereSeparator: \.isNewline).joined(separator: " ")
                return "\(number). [\(MeetingWords.rule(section.rule, lang: lang))] \(ref)\(title)"
            }
        }
    }

    // MARK: Parts

    /// The VTIMEZONE of Asia/Tokyo: +0900 all year, no daylight saving since 1951.
    static let timeZoneBlock = [
        "BEGIN:VTIMEZONE",
        "TZID:\(timeZoneID)",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0900",
        "TZOFFSETTO:+0900",
        "TZNAME:JST",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]

    static func calendar(method: String?, _ event: [String]) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PMO//Meetings//EN", "CALSCALE:GREGORIAN"]
        if let method { lines.append("METHOD:" + method) }
        lines += timeZoneBlock + event + ["END:VCALENDAR"]
        return lines.map(PlanCalendarFeed.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `FREQ=WEEKLY;INTERVAL=n;BYDAY=XX` (interval at least 1).
    static func rrule(_ r: MeetingRecurrence) -> String {
        "FREQ=WEEKLY;INTERVAL=\(max(1, r.intervalWeeks));BYDAY=\(byDay[r.firstDate.weekday])"
    }

    /// RFC 5545 weekday codes, 0 = Sunday.
    static let byDay = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]

    /// `YYYYMMDDTHHMMSS` of minutes after the date's midnight (a time past midnight falls on a later day).
    static func localDateTime(_ date: CalendarDate, minutes: Int) -> String {
        let day = minutes >= 0 ? minutes / (24 * 60) : -((-minutes + 24 * 60 - 1) / (24 * 60))
        let rest = minutes - day * 24 * 60
        return PlanCalendarFeed.basic(date.adding(days: day)) + "T" + PlanCalendarFeed.pad(rest / 60, 2)
            + PlanCalendarFeed.pad(rest % 60, 2) + "00"
    }

    /// ORGANIZER and one ATTENDEE per person with an email address.
    static func people(organizer: (name: String, email: String)?, attendees: [(name: String, email: String)]) -> [String] {
        var lines: [String] = []
        if let organizer, let mail = address(organizer.email) {
            lines.append("ORGANIZER" + commonName(organizer.name) + ":mailto:" + mail)
        }
        for a in attendees {
            guard let mail = address(a.email) else { continue }
            lines.append("ATTENDEE" + commonName(a.name) + ";ROLE=REQ-PARTICIPANT:mailto:" + mail)
        }
        return lines
    }

    /// `;CN=name`, quoted when the name holds `:`, `;` or `,`; "" for an empty name. A parameter value cannot hold
    /// a double quote or a control character: quotes become `'`, line breaks and other controls spaces.
    static func commonName(_ name: String) -> String {
        var clean = ""
        for scalar in name.unicodeScalars {
            if scalar == "\"" {
                clean += "'"
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                clean += " "
            } else {
                clean.unicodeScalars.append(scalar)
            }
        }
        clean = clean.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        guard !clean.isEmpty else { return "" }
        return ";CN=" + (clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"\(clean)\"" : clean)
    }

    /// The address without white space, controls, quotes or angle brackets; nil when nothing is left.
    static func address(_ email: String) -> String? {
        let clean = String(String.UnicodeScalarView(email.unicodeScalars.filter { s in
            !(s.value <= 0x20 || s.value == 0x7F || s == "\"" || s == "<" || s == ">" || s.properties.isWhitespace)
        }))
        return clean.isEmpty ? nil : clean
    }

    static func escape(_ text: String) -> String { PlanCalendarFeed.escape(text) }
}
