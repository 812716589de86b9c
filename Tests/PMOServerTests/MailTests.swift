import Foundation
import PMOCore
import PMOInterchange
@testable import PMOServer
import PMOStore
import PMOTestSupport
import Logging
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

/// E-mail from the inbox to a real SMTP server, through the background jobs: in the reader's language, plain text and
/// HTML with links to the item and to the preferences, stored text escaped; a refusal fails the mail; without SMTP
/// nothing is queued; and the preferences page and API.
@Suite("E-mail: end to end")
struct MailEndToEndTests {
    static let logger = Logger(label: "test.mail")

    /// The inbox's and the mail's jobs until none is due.
    static func runJobs(_ t: TestApp, _ sender: MailSender) async throws {
        _ = try await t.store.inbox.collect()
        _ = try await t.store.mail.collect()
        let handlers = BackgroundJobs.handlers(mail: sender).filter { $0.key == MailService.deliveryJobKind }
        _ = try await BackgroundJobs.runDue(t.store, owner: "test", handlers: handlers, logger: logger)
    }

    @Test(arguments: TestDatabase.available)
    func mailsReachTheSMTPServer(_ db: TestDatabase) async throws {
        try await SMTPTestServer.with(user: "mailer", password: "s3cret") { server in
            let smtp = SMTPSettings(host: "localhost", port: server.port, user: "mailer", password: "s3cret", from: "pmo@example.com",
                                    fromName: "PMO", trustRootsFile: server.certificate, timeout: 10)
            // A Wednesday morning: on a Monday after 08:00 in Japan the PMO's weekly digest would go out too.
            try await TestApp.with(db, clock: TestClock("2026-10-07", "10:00"), smtp: smtp) { t in
                let w = try await World.make(t)
                let sender = MailSender(settings: smtp, linkBase: "https://pmo.example.com")
                _ = try await t.store.mail.collect()   // e-mail starts now
                let pm = w.users["pm"]!, member = w.users["member"]!
                let first = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
                    title: "Send the <b>spec</b>", status: "open", ownerID: UserID(member.userID), dueDate: CalendarDate(iso: "2030-01-10")))
                try await Self.runJobs(t, sender)
                let mail = try #require(try await server.waitFor(1).first)
                #expect(mail.rcptTos == ["member@example.com"] && mail.mailFrom == "pmo@example.com" && mail.tls && mail.login == "mailer")
                #expect(mail.subject == "CRM | \(first.reference) Send the <b>spec</b>: pm assigned it to you")
                #expect(mail.headers["list-unsubscribe"] == "<https://pmo.example.com/settings/mail>")
                let text = try #require(mail.part("text/plain"))
                #expect(text.hasPrefix("Hello member,") && text.contains("https://pmo.example.com/projects/CRM/actions/\(first.record.number)"))
                #expect(text.contains("https://pmo.example.com/settings/mail"))
                let html = try #require(mail.part("text/html"))
                #expect(html.contains("Send the &lt;b&gt;spec&lt;/b&gt;") && !html.contains("<b>spec"), "stored text is escaped in the HTML part")
                #expect(html.contains("href=\"https://pmo.example.com/projects/CRM/actions/\(first.record.number)\""))
                #expect(try await t.store.mail.recent(member).first?.state == "sent")

                // In Japanese for a reader who reads Japanese.
                guard let user = try await t.store.accounts.user(id: member.userID) else { Issue.record("no member"); return }
                _ = try await t.store.accounts.updateUser(by: member, id: member.userID, expectedVersion: user.version, displayName: nil, locale: "ja", timeZone: nil)
                let second = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
                    title: "会議室を予約", status: "open", ownerID: UserID(member.userID)))
                try await Self.runJobs(t, sender)
                let japanese = try #require(try await server.waitFor(2).last)
                #expect(japanese.subject == "【CRM】\(second.reference) 会議室を予約: pm があなたを担当者にしました")
                #expect(japanese.part("text/plain")?.hasPrefix("member 様") == true)

                // A password the server refuses fails the mail at once (5xx), with why.
                let refused = MailSender(settings: SMTPSettings(host: "localhost", port: server.port, user: "mailer", password: "wrong",
                                                                from: "pmo@example.com", trustRootsFile: server.certificate, timeout: 10),
                                         linkBase: "https://pmo.example.com")
                _ = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
                    title: "Third", status: "open", ownerID: UserID(member.userID)))
                try await Self.runJobs(t, refused)
                let latest = try #require(try await t.store.mail.recent(member).first)
                #expect(latest.state == "failed" && latest.error?.contains("535") == true)
                #expect(try server.received().count == 2)
            }
        }
    }

    /// Monday at 08:00 in Japan: the PMO's weekly digest names the overdue item's owner and the decision waiting, with
    /// links; the daily digest of someone with nothing unread sends nothing.
    @Test(arguments: TestDatabase.available)
    func theWeeklyDigestReachesThePMO(_ db: TestDatabase) async throws {
        try await SMTPTestServer.with { server in
            let smtp = SMTPSettings(host: "localhost", port: server.port, from: "pmo@example.com", trustRootsFile: server.certificate, timeout: 10)
            let clock = TestClock("2026-10-05", "07:50")
            try await TestApp.with(db, clock: clock, smtp: smtp) { t in
                let w = try await World.make(t)
                let sender = MailSender(settings: smtp, linkBase: "https://pmo.example.com/")
                _ = try await t.store.mail.collect()
                let pm = w.users["pm"]!
                _ = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .action, fields: RegisterItemFields(
                    title: "Send the spec", status: "open", ownerID: UserID(w.users["member"]!.userID), dueDate: CalendarDate(iso: "2026-10-01")))
                let decision = try await t.store.items.createRegisterItem(pm, key: "CRM", kind: .decision, fields: RegisterItemFields(
                    title: "Pick the host", status: "pending"))
                // Assignments go at once; read them, so the daily digests have nothing to say.
                try await Self.runJobs(t, sender)
                let before = try server.received().count
                let projectID = try #require(try await t.store.projects.list(for: w.admin).first { $0.0.key == "CRM" }?.0.id)
                try await t.store.signals.recompute(projectID: projectID)
                _ = try await t.store.inbox.collect()
                for name in ["member", "pm", "pmo"] { try await t.store.inbox.markAllRead(w.users[name]!) }
                clock.set("2026-10-05", "08:01")
                try await Self.runJobs(t, sender)
                let mails = try await server.waitFor(before + 1)
                #expect(mails.count == before + 1, "the weekly digest only: empty daily digests send nothing")
                let weekly = try #require(mails.last)
                #expect(weekly.rcptTos == ["pmo@example.com"] && weekly.subject == "PMO weekly digest (2026-10-05)")
                let text = try #require(weekly.part("text/plain"))
                #expect(text.contains("Overdue by owner") && text.contains("member: 1 item (the oldest 4 days late)"))
                #expect(text.contains("Decisions waiting") && text.contains("\(decision.reference) Pick the host"))
                #expect(text.contains("https://pmo.example.com/projects/CRM/decisions/\(decision.record.number)"), "links have one slash")
                #expect(text.contains("Signals by project") && text.contains("CRM CRM renewal: 0 red, 1 amber"))
                #expect(text.contains("- Needs attention: member has 1 overdue action, the oldest 4 days late") && text.contains("https://pmo.example.com/projects/CRM/signals/"), "\(text)")
            }
        }
    }

    @Test func withoutSMTPNothingIsQueuedAndThePageSaysSo() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            _ = try await BackgroundJobs.runDue(t.store, owner: "test", handlers: BackgroundJobs.handlers(), logger: Self.logger)
            _ = try await t.store.items.createRegisterItem(w.users["pm"]!, key: "CRM", kind: .action, fields: RegisterItemFields(
                title: "Send the spec", status: "open", ownerID: UserID(w.users["member"]!.userID)))
            _ = try await BackgroundJobs.runDue(t.store, owner: "test", handlers: BackgroundJobs.handlers(), logger: Self.logger)
            #expect(!(try await t.store.jobs.recent(limit: 200).contains { $0.kind.hasPrefix("mail") }))
            #expect(try await t.store.mail.recent(w.users["member"]!).isEmpty)

            let browser = try await BrowserSession.login(t, email: "member@example.com")
            let page = try await browser.get("/settings/mail")
            #expect(page.status == .ok && page.body.string.contains("id=\"mail-not-configured\""))
            #expect(page.body.string.contains("name=\"assigned\"") && !page.body.string.contains("name=\"pmoWeekly\""), "the weekly digest is the PMO's")
            let saved = try await browser.post("/settings/mail", ["assigned": "daily", "digestTime": "07:15", "version": "0"])
            #expect(saved.status == .seeOther)
            let bad = try await browser.post("/settings/mail", ["assigned": "weekly", "digestTime": "7pm", "version": "1"])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await t.store.mail.preferences(w.users["member"]!).preferences.digestMinutes == 7 * 60 + 15)
            #expect(try await browser.get("/settings").body.string.contains("href=\"/settings/mail\""))

            // The API: read with its version, change one topic, refusals name the field.
            let token = w.tokens["member"]!
            let got = try await t.send(.GET, "/api/v1/me/mail-preferences", token: token)
            #expect(got.status == .ok && got.json["configured"] as? Bool == false && got.json["digestTime"] as? String == "07:15")
            let topics = (got.json["topics"] as? [[String: Any]]) ?? []
            #expect(topics.first { $0["topic"] as? String == "assigned" }?["mode"] as? String == "daily")
            #expect(!topics.contains { $0["topic"] as? String == "pmoWeekly" })
            let put = try await t.send(.PUT, "/api/v1/me/mail-preferences", token: token, json: ["dueSoon": "none"])
            #expect(put.status == .ok)
            #expect(((put.json["topics"] as? [[String: Any]]) ?? []).first { $0["topic"] as? String == "dueSoon" }?["mode"] as? String == "none")
            let wrong = try await t.send(.PUT, "/api/v1/me/mail-preferences", token: token, json: ["assigned": "weekly"])
            #expect(wrong.status == .unprocessableEntity && wrong.fieldErrors == ["assigned"])
            let time = try await t.send(.PUT, "/api/v1/me/mail-preferences", token: token, json: ["digestTime": "24:00"])
            #expect(time.status == .unprocessableEntity && time.fieldErrors == ["digestTime"])
            let pmo = try await t.send(.GET, "/api/v1/me/mail-preferences", token: w.tokens["pmo"]!)
            #expect(((pmo.json["topics"] as? [[String: Any]]) ?? []).contains { $0["topic"] as? String == "pmoWeekly" && $0["mode"] as? String == "weekly" })
        }
    }
}
