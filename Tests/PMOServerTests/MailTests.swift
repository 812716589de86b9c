import Foundation
import PMOCore
import PMOInterchange
@testable import PMOServer
import PMOStore
import PMOTestSupport
import Testing

/// The SMTP client against a real SMTP server (aiosmtpd, started by the test): STARTTLS with a certificate it must
/// trust, AUTH, the envelope, the message's headers and both parts, dot-stuffing, and the refusals.
@Suite("E-mail: the SMTP client")
struct SMTPClientTests {
    func message(to: String, subject: String = "【CRM】課題 CRM-I3 があなたに割り当てられました", text: String) -> String {
        MailMessage(from: .init("pmo@example.com", name: "PMO"), to: .init(to, name: "佐藤 美咲"), subject: subject, text: text,
                    html: "<p>\(text)</p>", date: Date(timeIntervalSince1970: 1_796_000_000), messageID: "test-1@example.com",
                    headers: ["List-Unsubscribe": "<https://pmo.example.com/settings/mail>"]).rendered()
    }

    @Test func sendsThroughSTARTTLSWithAuth() async throws {
        try await SMTPTestServer.with(user: "mailer", password: "s3cret") { server in
            let settings = SMTPSettings(host: "localhost", port: server.port, user: "mailer", password: "s3cret", from: "pmo@example.com",
                                        trustRootsFile: server.certificate, timeout: 10)
            let text = "一行目\n.ドットで始まる行\n最後"
            try await SMTPClient.send(message(to: "misaki@example.com", text: text), to: ["misaki@example.com"], settings: settings)
            let mail = try #require(try await server.waitFor(1).first)
            #expect(mail.tls && mail.login == "mailer")
            #expect(mail.mailFrom == "pmo@example.com" && mail.rcptTos == ["misaki@example.com"])
            #expect(mail.subject == "【CRM】課題 CRM-I3 があなたに割り当てられました")
            #expect(mail.headers["from"] == "\"PMO\" <pmo@example.com>")
            #expect(mail.headers["to"]?.hasSuffix("<misaki@example.com>") == true)
            #expect(mail.headers["message-id"] == "<test-1@example.com>")
            #expect(mail.headers["date"] == "Mon, 30 Nov 2026 00:53:20 +0000")
            #expect(mail.headers["list-unsubscribe"] == "<https://pmo.example.com/settings/mail>")
            #expect(mail.part("text/plain") == text, "the line starting with a dot comes back whole")
            #expect(mail.part("text/html") == "<p>\(text)</p>")
        }
    }

    @Test func refusesWhatItShouldNot() async throws {
        try await SMTPTestServer.with(user: "mailer", password: "s3cret") { server in
            var settings = SMTPSettings(host: "localhost", port: server.port, user: "mailer", password: "wrong", from: "pmo@example.com",
                                        trustRootsFile: server.certificate, timeout: 10)
            await #expect(throws: SMTPClient.Failure.self) {
                try await SMTPClient.send(message(to: "a@example.com", text: "x"), to: ["a@example.com"], settings: settings)
            }
            // A certificate nobody said to trust is refused before anything is sent.
            settings.password = "s3cret"
            settings.trustRootsFile = nil
            await #expect(throws: (any Error).self) {
                try await SMTPClient.send(message(to: "a@example.com", text: "x"), to: ["a@example.com"], settings: settings)
            }
            let nothing = try server.received()
            #expect(nothing.isEmpty)
        }
        // A server without STARTTLS is refused unless STARTTLS is turned off.
        try await SMTPTestServer.with(tls: false) { server in
            var settings = SMTPSettings(host: "127.0.0.1", port: server.port, from: "pmo@example.com", timeout: 10)
            do {
                try await SMTPClient.send(message(to: "a@example.com", text: "x"), to: ["a@example.com"], settings: settings)
                Issue.record("a server without STARTTLS was sent a mail")
            } catch let failure as SMTPClient.Failure {
                #expect(failure.description.contains("STARTTLS") && failure.permanent)
            }
            settings.startTLS = false
            try await SMTPClient.send(message(to: "a@example.com", subject: "Plain subject", text: "x"), to: ["a@example.com"], settings: settings)
            let mail = try #require(try await server.waitFor(1).first)
            #expect(!mail.tls && mail.subject == "Plain subject")
        }
    }

    @Test func settingsFromTheEnvironment() throws {
        #expect(try SMTPSettings.fromEnvironment([:]) == nil)
        let s = try #require(try SMTPSettings.fromEnvironment(["PMO_SMTP_HOST": "smtp.example.com", "PMO_SMTP_FROM": "pmo@example.com",
                                                               "PMO_SMTP_USER": "u", "PMO_SMTP_PASSWORD": "p"]))
        #expect(s.port == 587 && s.startTLS && s.user == "u")
        for bad in [["PMO_SMTP_HOST": "h"], ["PMO_SMTP_HOST": "h", "PMO_SMTP_FROM": "a@b", "PMO_SMTP_PORT": "70000"],
                    ["PMO_SMTP_HOST": "h", "PMO_SMTP_FROM": "a@b", "PMO_SMTP_STARTTLS": "maybe"],
                    ["PMO_SMTP_HOST": "h", "PMO_SMTP_FROM": "a@b", "PMO_SMTP_USER": "u"],
                    ["PMO_SMTP_HOST": "h", "PMO_SMTP_FROM": "a@b", "PMO_SMTP_TLS_CA": "/nonexistent.pem"]] {
            #expect(throws: SMTPSettings.SettingsError.self) { _ = try SMTPSettings.fromEnvironment(bad) }
        }
    }

    @Test func headersCannotBeInjected() {
        let text = MailMessage(from: .init("pmo@example.com"), to: .init("a@example.com"), subject: "Hi\r\nBcc: evil@example.com", text: "x",
                               html: "x", date: Date(timeIntervalSince1970: 0), messageID: "m@x").rendered(boundary: "b")
        #expect(!text.contains("\r\nBcc:"))
        #expect(text.contains("Subject: Hi  Bcc: evil@example.com\r\n"))
    }
}
