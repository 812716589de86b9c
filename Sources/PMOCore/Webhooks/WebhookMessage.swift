import Foundation

/// What a project's webhook may be told of. The raw value is the event's name in payloads and in the
/// `X-PMO-Event` header.
public enum WebhookEvent: String, CaseIterable, Sendable, Codable {
    case itemCreated = "item.created"
    case itemChanged = "item.changed"
    /// An item's status changed (sent instead of `item.changed` to a webhook that asks for it; the other fields changed
    /// with it are named too).
    case itemStatusChanged = "item.status_changed"
    case commentAdded = "comment.added"
    case minutesApproved = "minutes.approved"
    case reportIssued = "report.issued"
    case signalRaised = "signal.raised"
    case baselineSaved = "baseline.saved"
    /// A test delivery, sent when someone asks for one.
    case ping

    /// The events a webhook can ask for (a test delivery goes to every webhook on request).
    public static var subscribable: [WebhookEvent] { allCases.filter { $0 != .ping } }
}

/// How a delivery's body is shaped: PMO's own JSON, or a message a chat tool shows as a readable line.
public enum WebhookFormat: String, CaseIterable, Sendable, Codable {
    /// `{"event", "id", "occurredAt", "project", "subject", "title", "text", "url", "actor", "fields"}`.
    case json
    /// Slack's incoming-webhook message (`{"text": "…"}` with an `<url|label>` link), which Mattermost and Rocket.Chat
    /// read too.
    case slack
    /// A Microsoft Teams message with an Adaptive Card (what Teams' Workflows webhooks take).
    case teams
}

/// One event as a webhook is told of it. Its words (`title`, `text`, `linkLabel`) are already in the webhook's
/// language; the payload only shapes them.
public struct WebhookMessage: Sendable, Codable, Equatable {
    public var event: WebhookEvent
    /// The event's own id: the same event delivered again (a retry, a replay) carries the same id.
    public var id: String
    public var occurredAt: Date
    public var project: String
    /// What it is about: an item's reference (CRM-I3), a meeting occurrence, a report's date, a baseline's number.
    public var subject: String?
    public var title: String
    /// One line a person reads.
    public var text: String
    /// The page it is about, absolute when the server knows its public address.
    public var url: String?
    public var linkLabel: String
    public var actor: String?
    /// Named values behind the line (changed fields, new status, the signal's code…).
    public var fields: [String: String]

    public init(event: WebhookEvent, id: String, occurredAt: Date, project: String, subject: String?, title: String, text: String,
                url: String?, linkLabel: String, actor: String?, fields: [String: String] = [:]) {
        self.event = event
        self.id = id
        self.occurredAt = occurredAt
        self.project = project
        self.subject = subject
        self.title = title
        self.text = text
        self.url = url
        self.linkLabel = linkLabel
        self.actor = actor
        self.fields = fields
    }
}

/// The body of a delivery in each format. Pure: the same message gives the same bytes, so a replay sends what was sent.
public enum WebhookPayload {
    public static func body(_ m: WebhookMessage, format: WebhookFormat) -> String {
        let object: Any
        switch format {
        case .json:
            var o: [String: Any] = ["event": m.event.rawValue, "id": m.id, "occurredAt": iso(m.occurredAt), "project": m.project,
                                    "title": m.title, "text": m.text, "fields": m.fields]
            o["subject"] = m.subject ?? NSNull()
            o["url"] = m.url ?? NSNull()
            o["actor"] = m.actor ?? NSNull()
            object = o
        case .slack:
            // Slack's mrkdwn: &, < and > are escaped; a link is <url|label>.
            let line = slackEscape(m.text)
            let link = m.url.map { " <\($0)|\(slackEscape(m.linkLabel))>" } ?? ""
            object = ["text": "[\(slackEscape(m.project))] \(line)\(link)"]
        case .teams:
            var card: [String: Any] = [
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
                "body": [
                    ["type": "TextBlock", "text": "[\(m.project)] \(m.title)", "weight": "Bolder", "wrap": true],
                    ["type": "TextBlock", "text": m.text, "wrap": true],
                ],
            ]
            if let url = m.url { card["actions"] = [["type": "Action.OpenUrl", "title": m.linkLabel, "url": url]] }
            object = ["type": "message", "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "content": card]]]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func slackEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

/// An event as the store collects it, without words: what happened, to what, by whom, with the values the words
/// are made from. Kept with each delivery, so a retry or a replay tells the same event.
public struct WebhookFacts: Sendable, Codable, Equatable {
    public var event: WebhookEvent
    public var id: String
    public var occurredAt: Date
    public var project: String
    public var subject: String?
    /// The item's, meeting's, report's or baseline's own title or name.
    public var title: String
    public var actor: String?
    /// item.*: type, number, fields, status, from, comment; minutes.approved: series, number, date; report.issued:
    /// date, overall; signal.raised: code, severity and the signal's values; baseline.saved: number, name.
    public var fields: [String: String]
    /// The page it is about, from the server's root ("/projects/CRM/issues/3").
    public var path: String?

    public init(event: WebhookEvent, id: String, occurredAt: Date, project: String, subject: String?, title: String, actor: String?,
                fields: [String: String] = [:], path: String?) {
        self.event = event
        self.id = id
        self.occurredAt = occurredAt
        self.project = project
        self.subject = subject
        self.title = title
        self.actor = actor
        self.fields = fields
        self.path = path
    }
}
