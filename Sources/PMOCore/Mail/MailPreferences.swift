import Foundation

/// How a person wants to hear of one kind of event by e-mail.
public enum MailMode: String, Sendable, CaseIterable, Codable {
    /// A mail as soon as the inbox has it (within a minute or two).
    case immediate
    /// In one mail a day, at the person's digest time, with what is still unread.
    case daily
    /// The PMO's weekly digest, on Mondays at the digest time.
    case weekly
    case none
}

/// What a person can hear of by e-mail: each kind of inbox entry, and the PMO's weekly digest.
public enum MailTopic: String, Sendable, CaseIterable, Codable {
    case assigned, changed, commented, mentioned
    case dueSoon = "due_soon"
    case signal
    case minutesToApprove = "minutes_to_approve"
    case reportIssued = "report_issued"
    /// Signals by project, overdue items by owner, decisions waiting: for those with the PMO role in a project.
    case pmoWeekly = "pmo_weekly"

    /// Its name in forms and API bodies: `dueSoon`, `pmoWeekly`.
    public var fieldName: String {
        let parts = rawValue.split(separator: "_")
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    public init?(fieldName: String) {
        guard let topic = MailTopic.allCases.first(where: { $0.fieldName == fieldName }) else { return nil }
        self = topic
    }

    /// The choices a topic offers: the weekly digest is on or off; every other topic immediate, daily or off.
    public var modes: [MailMode] { self == .pmoWeekly ? [.weekly, .none] : [.immediate, .daily, .none] }

    /// What a person gets before choosing: at once what asks them to act (an assignment, a mention, minutes to
    /// approve), the rest in the daily digest, and the weekly digest for the PMO.
    public var defaultMode: MailMode {
        switch self {
        case .assigned, .mentioned, .minutesToApprove: .immediate
        case .pmoWeekly: .weekly
        default: .daily
        }
    }
}

/// A person's e-mail preferences: a mode per topic and the local time of the digests.
public struct MailPreferences: Sendable, Equatable {
    public var modes: [MailTopic: MailMode]
    /// Minutes after local midnight (08:00 is 480).
    public var digestMinutes: Int
    /// How many days before an item's due date the inbox reminds its owner (0: on the day only).
    public var reminderDays: Int

    public static let defaultDigestMinutes = 8 * 60
    public static let defaultReminderDays = 1
    public static let reminderDaysRange = 0...14

    public init(modes: [MailTopic: MailMode] = [:], digestMinutes: Int = MailPreferences.defaultDigestMinutes,
                reminderDays: Int = MailPreferences.defaultReminderDays) {
        self.modes = modes
        self.digestMinutes = digestMinutes
        self.reminderDays = reminderDays
    }

    public func mode(_ topic: MailTopic) -> MailMode { modes[topic] ?? topic.defaultMode }

    /// The preferences as asked (topic field names → mode names, and "HH:MM"), each refused naming its field: an unknown topic, a
    /// mode the topic does not offer, a time that is not one of the day's.
    public static func parse(modes: [String: String], digestTime: String?, reminderDays: String? = nil,
                             into current: MailPreferences) -> (MailPreferences, [FieldError]) {
        var out = current
        var errors: [FieldError] = []
        for (name, value) in modes.sorted(by: { $0.key < $1.key }) {
            guard let topic = MailTopic(fieldName: name) else {
                errors.append(FieldError(field: name, code: "unknown_field",
                                         message: "There is no e-mail topic \(name); the topics are \(MailTopic.allCases.map(\.fieldName).joined(separator: ", "))."))
                continue
            }
            guard let mode = MailMode(rawValue: value), topic.modes.contains(mode) else {
                errors.append(FieldError(field: name, code: "invalid_choice",
                                         message: "\(name) may be \(topic.modes.map(\.rawValue).joined(separator: ", ")) (not \(value))."))
                continue
            }
            out.modes[topic] = mode
        }
        if let time = digestTime {
            if let minutes = minutes(ofClock: time) { out.digestMinutes = minutes } else {
                errors.append(FieldError(field: "digestTime", code: "invalid_time", message: "Give the digest time as HH:MM, from 00:00 to 23:59 (not \(time))."))
            }
        }
        if let raw = reminderDays?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let days = Int(raw), reminderDaysRange.contains(days) { out.reminderDays = days } else {
                errors.append(FieldError(field: "reminderDays", code: "out_of_range",
                                         message: "Remind from 0 (the due day only) to \(reminderDaysRange.upperBound) days before the due date (not \(raw))."))
            }
        }
        return (out, errors)
    }

    /// "08:30" → 510; nil for anything else.
    public static func minutes(ofClock text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }

    /// 510 → "08:30".
    public static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}
