import Foundation
import PMOCore
import PMOInterchange
import PMOStore

/// Sends the mails of the outbox (the `mail_delivery` job): words each in its reader's language (`MailText`), and
/// hands it to the SMTP server. A refusal the server calls permanent (5xx) fails the mail at once; anything else
/// (no connection, a timeout, 4xx) is retried by the queue with its backoff, then failed. Passwords and messages are
/// never logged.
public struct MailSender: Sendable {
    public var settings: SMTPSettings
    /// The server's public address, for the links in mails.
    public var linkBase: String

    public init(settings: SMTPSettings, linkBase: String) {
        self.settings = settings
        self.linkBase = linkBase
    }

    struct AttemptFailed: Error, CustomStringConvertible { var description: String }

    public func deliver(_ store: Store, outboxID: UUID, lastAttempt: Bool) async throws {
        guard let mail = try await store.mail.dispatch(outboxID) else {
            try await store.mail.skip(outboxID)
            return
        }
        var weekly: PMOWeeklyDigest?
        if mail.kind == .weekly, let user = try await store.accounts.user(id: mail.userID) {
            weekly = try await store.mail.weeklyDigest(try Caller(user))
        }
        guard let composed = MailText.compose(mail, weekly: weekly, linkBase: linkBase) else {
            try await store.mail.recordFailure(outboxID, error: "Nothing left to send (the entries are gone).", final: true, state: "skipped")
            return
        }
        let domain = settings.from.split(separator: "@").last.map(String.init) ?? "pmo.localhost"
        let messageID = "\(outboxID.uuidString.lowercased())@\(domain)"
        let message = MailMessage(
            from: .init(settings.from, name: settings.fromName), to: .init(mail.email, name: mail.displayName), subject: composed.subject,
            text: composed.text, html: composed.html, date: store.now(), messageID: messageID,
            headers: ["List-Unsubscribe": "<\(linkBase.hasSuffix("/") ? String(linkBase.dropLast()) : linkBase)\(AppPath.mailSettings.href)>"])
        do {
            try await SMTPClient.send(message.rendered(), to: [mail.email], settings: settings)
        } catch let failure as SMTPClient.Failure where failure.permanent {
            try await store.mail.recordFailure(outboxID, error: failure.description, final: true)
            return
        } catch {
            try await store.mail.recordFailure(outboxID, error: String(describing: error), final: lastAttempt)
            throw AttemptFailed(description: String(describing: error))
        }
        try await store.mail.markSent(outboxID, messageID: messageID)
    }
}
