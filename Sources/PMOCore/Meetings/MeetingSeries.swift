import Foundation

/// When a meeting series (会議体) meets: every `intervalWeeks` weeks on one weekday, from a first date.
public struct MeetingRecurrence: Sendable, Equatable, Codable {
    /// The date of occurrence 1; later occurrences fall `intervalWeeks` weeks apart on the same weekday.
    public var firstDate: CalendarDate
    /// 1 = weekly, 2 = every other week, 4 = every four weeks.
    public var intervalWeeks: Int
    /// Minutes after local midnight (10:00 = 600).
    public var startMinutes: Int
    public var durationMinutes: Int

    public init(firstDate: CalendarDate, intervalWeeks: Int = 1, startMinutes: Int = 600, durationMinutes: Int = 60) {
        self.firstDate = firstDate
        self.intervalWeeks = intervalWeeks
        self.startMinutes = startMinutes
        self.durationMinutes = durationMinutes
    }

    /// The scheduled date of occurrence `number` (1-based).
    public func date(ofOccurrence number: Int) -> CalendarDate {
        firstDate.adding(days: (max(1, number) - 1) * 7 * intervalWeeks)
    }

    /// The number of the first occurrence on or after `day` (1 when `day` is before the first date).
    public func firstOccurrence(onOrAfter day: CalendarDate) -> Int {
        let step = 7 * max(1, intervalWeeks)
        let days = day.dayNumber - firstDate.dayNumber
        if days <= 0 { return 1 }
        return (days + step - 1) / step + 1
    }

    /// "10:00" for 600.
    public static func clock(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// Minutes after midnight of "HH:MM", nil for anything else.
    public static func minutes(ofClock text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m),
              parts[1].count == 2 else { return nil }
        return h * 60 + m
    }
}

/// What a meeting series is for, who holds it, and what feeds its agenda.
public struct MeetingSeriesFields: Sendable, Equatable {
    public var name: String
    public var purpose: String
    public var chairID: UserID?
    public var recurrence: MeetingRecurrence
    public var location: String
    /// The standing attendees; their pending decisions come to the agenda.
    public var attendeeIDs: [UserID]
    /// The agenda rules this series uses (a steering committee may skip actions, say), in priority order: the agenda
    /// lists the first rule's items first.
    public var rules: [AgendaRule]
    /// Per rule, at most this many items come first; the rest go after every rule's (see `AgendaSettings.caps`).
    public var ruleCaps: [AgendaRule: Int]
    /// An open risk with this score or more (probability × worst impact, 1–25) comes to the agenda.
    public var riskThreshold: Int
    /// A vendor's progress meeting looks at that company's items and activities only.
    public var companyID: CompanyID?
    public var visibility: Visibility

    public init(name: String, purpose: String = "", chairID: UserID? = nil, recurrence: MeetingRecurrence,
                location: String = "", attendeeIDs: [UserID] = [], rules: [AgendaRule] = AgendaRule.allCases,
                riskThreshold: Int = MeetingRules.defaultRiskThreshold, companyID: CompanyID? = nil,
                visibility: Visibility = .project, ruleCaps: [AgendaRule: Int] = [:]) {
        self.ruleCaps = ruleCaps
        self.name = name
        self.purpose = purpose
        self.chairID = chairID
        self.recurrence = recurrence
        self.location = location
        self.attendeeIDs = attendeeIDs
        self.rules = rules
        self.riskThreshold = riskThreshold
        self.companyID = companyID
        self.visibility = visibility
    }
}

/// The rules a meeting series and its minutes keep, independent of storage.
public enum MeetingRules {
    public static let nameMax = 200
    public static let textMax = 10_000
    public static let defaultRiskThreshold = 12
    public static let maxAttendees = 100
    public static let maxAgendaItems = 300
    /// Occurrences are numbered 1, 2, ...; 10,000 weekly meetings are two centuries.
    public static let occurrenceMax = 10_000

    public static func validate(_ f: MeetingSeriesFields) -> [FieldError] {
        var e = FieldErrors()
        let name = f.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            e.add("name", "required", "Give the meeting series a name, e.g. 週次定例 or Weekly development meeting.")
        } else if name.count > nameMax {
            e.add("name", "too_long", "The name may have at most \(nameMax) characters (it has \(name.count)).")
        }
        if f.purpose.count > textMax { e.add("purpose", "too_long", "The purpose may have at most \(textMax) characters.") }
        if f.location.count > 500 { e.add("location", "too_long", "The location may have at most 500 characters.") }
        if !(1...8).contains(f.recurrence.intervalWeeks) {
            e.add("intervalWeeks", "out_of_range", "The interval is 1 to 8 weeks (1 = weekly).")
        }
        if !(0..<(24 * 60)).contains(f.recurrence.startMinutes) {
            e.add("startTime", "invalid", "The start time is HH:MM between 00:00 and 23:59.")
        }
        if !(5...(12 * 60)).contains(f.recurrence.durationMinutes) {
            e.add("durationMinutes", "out_of_range", "A meeting lasts 5 to 720 minutes.")
        }
        if !(1...25).contains(f.riskThreshold) {
            e.add("riskThreshold", "out_of_range", "The risk threshold is a score from 1 to 25.")
        }
        if f.attendeeIDs.count > maxAttendees {
            e.add("attendees", "too_many", "A series may have at most \(maxAttendees) standing attendees.")
        }
        if Set(f.attendeeIDs).count != f.attendeeIDs.count {
            e.add("attendees", "duplicate", "Each attendee may be named once.")
        }
        for (rule, cap) in f.ruleCaps.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !(1...AgendaRule.capMax).contains(cap) {
            e.add("ruleCaps", "out_of_range", "The cap on \(rule.rawValue) is 1 to \(AgendaRule.capMax) items (leave it empty for no cap).")
        }
        if Set(f.rules).count != f.rules.count {
            e.add("rules", "duplicate", "Each agenda rule may be named once.")
        }
        if f.visibility.scope == .company && f.visibility.companyID == nil {
            e.add("visibility", "company_required", "A series visible to one company must name the company.")
        }
        return e.all
    }
}
