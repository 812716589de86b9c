import Foundation
import PMOCore
import PMOStore
import PMOWords

/// A collected event in words: the line a chat shows, in the webhook's language, with an absolute link when the
/// server knows its public address (`PMO_PUBLIC_URL`).
enum WebhookText {
    static func message(_ f: WebhookFacts, language: String, publicURL: String?) -> WebhookMessage {
        let t = Words(Language(tag: language))
        var values = f.fields
        values["subject"] = f.subject ?? ""
        values["title"] = f.title
        values["actor"] = f.actor ?? ""
        switch f.event {
        case .itemCreated, .itemChanged, .itemStatusChanged, .commentAdded:
            values = InboxText.readable(values, reference: f.subject, t)
            if let from = f.fields["from"] {
                values["from"] = InboxText.readable(["status": from], reference: f.subject, t)["status"] ?? from
            }
        case .reportIssued:
            values["overall"] = t["rag.\(f.fields["overall"] ?? "grey")"]
        case .signalRaised:
            let code = f.fields["code"] ?? ""
            values["text"] = t.table["signal.\(code)"] != nil ? t("signal.\(code)", f.fields) : t["signal.\(code).title"]
        case .minutesApproved, .baselineSaved, .ping:
            break
        }
        let text = t("webhook.line.\(f.event.rawValue)", values)
        let title = f.event == .signalRaised ? t["signal.\(f.fields["code"] ?? "").title"] : [f.subject, f.title].compactMap { $0 }.joined(separator: " ")
        let base = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        return WebhookMessage(event: f.event, id: f.id, occurredAt: f.occurredAt, project: f.project, subject: f.subject, title: title,
                              text: text, url: f.path.flatMap { path in base.map { $0 + path } }, linkLabel: t["webhook.open"],
                              actor: f.actor, fields: f.fields)
    }

    /// The body a delivery sends: the same for every attempt and replay of it.
    static func body(_ d: WebhookDispatch, publicURL: String?) -> String {
        WebhookPayload.body(message(d.facts, language: d.language, publicURL: publicURL), format: d.format)
    }
}
