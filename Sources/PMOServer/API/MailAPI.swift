import Foundation
import PMOCore
import PMOStore
import PMOWords
import Vapor

/// One's e-mail preferences at /me/mail-preferences: a mode per topic (immediate, daily or none; the PMO's weekly
/// digest weekly or none), the digest time, and whether this server sends e-mail at all.
enum MailAPI {
    static let tag = "auth"

    static func register(_ r: APIRouter) {
        r.add(.GET, "/me/mail-preferences", summary: "Your e-mail preferences (ETag: their version), and whether this server sends e-mail",
              tag: tag, response: "MailPreferences") { req in
            let caller = try req.requireCaller()
            let view = try await req.store.mail.preferences(caller)
            return try MeetingJSON.response(body: MailPreferencesBody(view, configured: req.application.serverConfiguration.smtp != nil,
                                                                      words: SignalAPI.words(caller)), version: view.version)
        }
        r.add(.PUT, "/me/mail-preferences",
              summary: "Change your e-mail preferences: the topics given (others keep theirs) and the digest time (If-Match optional)",
              tag: tag, request: "MailPreferencesUpdate", response: "MailPreferences") { req in
            let caller = try req.writer()
            let body = try req.body(MailPreferencesUpdateBody.self, code: "mail.invalid_preferences")
            let view = try await req.store.mail.updatePreferences(caller, modes: body.modes, digestTime: body.digestTime,
                                                                  reminderDays: body.reminderDays.map(String.init), expectedVersion: try SignalAPI.ifMatch(req))
            return try MeetingJSON.response(body: MailPreferencesBody(view, configured: req.application.serverConfiguration.smtp != nil,
                                                                      words: SignalAPI.words(caller)), version: view.version)
        }
    }

    static var requestBodies: [any PMOServer.RequestBody.Type] { [MailPreferencesUpdateBody.self] }
    static var derivedBodies: [any DocumentedBody.Type] { [MailTopicBody.self, MailPreferencesBody.self] }
}

extension MailMode: StringChoice {}

struct MailPreferencesUpdateBody: RequestBody {
    static let schemaName = "MailPreferencesUpdate"
    static var schemaHints: [String: JSONSchema] {
        ["digestTime": JSONSchema.string.pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$").refusedAs("invalid_time").described("Local time of the digests, HH:MM"),
         "pmoWeekly": .enumeration(["weekly", "none"]),
         "reminderDays": JSONSchema.integer.range(0, Double(MailPreferences.reminderDaysRange.upperBound)).refusedAs("out_of_range")
            .described("Days before a due date your inbox starts reminding you (0: the day only)")]
            .merging(MailTopic.allCases.filter { $0 != .pmoWeekly }.map { ($0.fieldName, JSONSchema.enumeration(["immediate", "daily", "none"])) },
                     uniquingKeysWith: { a, _ in a })
    }
    var assigned: MailMode?
    var changed: MailMode?
    var commented: MailMode?
    var mentioned: MailMode?
    var dueSoon: MailMode?
    var signal: MailMode?
    var minutesToApprove: MailMode?
    var reportIssued: MailMode?
    var pmoWeekly: MailMode?
    var digestTime: String?
    var reminderDays: Int?

    /// The topics given, by field name.
    var modes: [String: String] {
        let given: [(MailTopic, MailMode?)] = [(.assigned, assigned), (.changed, changed), (.commented, commented), (.mentioned, mentioned),
                                                (.dueSoon, dueSoon), (.signal, signal), (.minutesToApprove, minutesToApprove),
                                                (.reportIssued, reportIssued), (.pmoWeekly, pmoWeekly)]
        var out: [String: String] = [:]
        for (topic, mode) in given { if let mode { out[topic.fieldName] = mode.rawValue } }
        return out
    }
}

struct MailTopicBody: Codable, DocumentedBody {
    static let schemaName = "MailTopic"
    static var schemaHints: [String: JSONSchema] {
        ["topic": .enumeration(MailTopic.allCases.map(\.fieldName)), "mode": .enumeration(MailMode.allCases.map(\.rawValue)),
         "modes": JSONSchema.array(.enumeration(MailMode.allCases.map(\.rawValue)))]
    }
    var topic: String
    var name: String
    var mode: String
    var modes: [String]
}

struct MailPreferencesBody: Codable, DocumentedBody {
    static let schemaName = "MailPreferences"
    static var schemaHints: [String: JSONSchema] {
        ["configured": JSONSchema.boolean.described("false: this server sends no e-mail (the preferences are kept for when it does)"),
         "digestTime": JSONSchema.string.pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    }
    var email: String
    var configured: Bool
    var digestTime: String
    var reminderDays: Int
    var topics: [MailTopicBody]

    init(_ v: MailPreferencesView, configured: Bool, words w: Words) {
        email = v.email
        self.configured = configured
        digestTime = MailPreferences.clock(v.preferences.digestMinutes)
        reminderDays = v.preferences.reminderDays
        topics = MailTopic.allCases.filter { $0 != .pmoWeekly || v.hearsWeekly }.map { t in
            MailTopicBody(topic: t.fieldName, name: w["mail.topic.\(t.rawValue)"], mode: v.preferences.mode(t).rawValue, modes: t.modes.map(\.rawValue))
        }
    }
}
