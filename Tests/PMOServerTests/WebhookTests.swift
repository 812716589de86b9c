import Foundation
import Logging
import PMOCore
import PMODemo
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

@testable import PMOServer

/// The rules against server-side request forgery, the signature and the chat formats, without a database.
@Suite("Webhooks: addresses, signature, payloads")
struct WebhookRuleTests {
    @Test func urlsThatAreNotHTTPOrHaveNoHostOrNameTheMachineAreRefused() throws {
        func problem(_ url: String, _ allow: NetworkAllowList = .none) -> String? {
            if case .failure(let p) = WebhookAddress.target(of: url, allow: allow) { return p.code }
            return nil
        }
        #expect(problem("ftp://chat.example.com/x") == "not_http")
        #expect(problem("chat.example.com/hook") == "not_http")
        #expect(problem("https:///hook") == "no_host")
        #expect(problem("https://user:pw@chat.example.com/") == "credentials")
        #expect(problem("http://localhost:8080/") == "blocked_host")
        #expect(problem("http://metadata.google.internal/computeMetadata/v1/") == "blocked_host")
        #expect(problem("http://localhost:8080/", try NetworkAllowList(parsing: "localhost")) == nil)
        #expect(problem("https://hooks.slack.com/services/T/B/X") == nil)
    }

    @Test func onlyPublicAddressesPassUnlessAllowed() throws {
        func kind(_ a: String) -> String { WebhookAddress.kind(of: NetworkAllowList.bytes(of: a)!).rawValue }
        #expect(kind("127.0.0.1") == "loopback")
        #expect(kind("::1") == "loopback")
        #expect(kind("::ffff:127.0.0.1") == "loopback")
        #expect(kind("10.1.2.3") == "private_network")
        #expect(kind("172.31.255.1") == "private_network")
        #expect(kind("172.32.0.1") == "public")
        #expect(kind("192.168.0.10") == "private_network")
        #expect(kind("fd00:ec2::254") == "private_network")
        #expect(kind("169.254.169.254") == "link_local")
        #expect(kind("fe80::1") == "link_local")
        #expect(kind("100.64.0.1") == "shared")
        #expect(kind("0.0.0.0") == "unspecified")
        #expect(kind("8.8.8.8") == "public")
        #expect(kind("2606:4700:4700::1111") == "public")
        let target = try WebhookAddress.target(of: "https://chat.intra.example/hook", allow: .none).get()
        #expect(WebhookAddress.check(target, addresses: ["93.184.215.14"], allow: .none) == nil)
        // One private address among public ones is enough to refuse (a name may resolve to several).
        #expect(WebhookAddress.check(target, addresses: ["93.184.215.14", "10.0.0.7"], allow: .none)?.code == "blocked_address")
        #expect(WebhookAddress.check(target, addresses: [], allow: .none)?.code == "unresolvable")
        #expect(WebhookAddress.check(target, addresses: ["10.0.0.7"], allow: try NetworkAllowList(parsing: "10.0.0.0/8")) == nil)
        #expect(WebhookAddress.check(target, addresses: ["10.0.0.7"], allow: try NetworkAllowList(parsing: "chat.intra.example")) == nil)
        #expect(throws: NetworkAllowListError.self) { try NetworkAllowList(parsing: "10.0.0.0/40") }
        #expect(throws: NetworkAllowListError.self) { try NetworkAllowList(parsing: "https://x") }
    }

    @Test func theSignatureCoversTimestampAndBody() {
        let now = Date()
        let t = Int(now.timeIntervalSince1970)
        let header = WebhookSignature.value(secret: "whsec_abc", timestamp: t, body: #"{"a":1}"#)
        #expect(header.hasPrefix("t=\(t),v1="))
        #expect(WebhookSignature.verify(header, secret: "whsec_abc", body: #"{"a":1}"#, now: now))
        #expect(!WebhookSignature.verify(header, secret: "whsec_abc", body: #"{"a":2}"#, now: now), "another body")
        #expect(!WebhookSignature.verify(header, secret: "whsec_other", body: #"{"a":1}"#, now: now), "another secret")
        #expect(!WebhookSignature.verify(header, secret: "whsec_abc", body: #"{"a":1}"#, now: now.addingTimeInterval(301)), "too old: a replay")
    }

    @Test func chatFormatsGiveAReadableLineInTheWebhooksLanguage() throws {
        let facts = WebhookFacts(event: .itemStatusChanged, id: "audit:1", occurredAt: Date(timeIntervalSince1970: 1_796_000_000), project: "CRM",
                                 subject: "CRM-I3", title: "Login <fails>", actor: "Tanaka",
                                 fields: ["type": "I", "number": "3", "status": "in_progress", "from": "open", "fields": "status"],
                                 path: "/projects/CRM/issues/3")
        let ja = WebhookText.message(facts, language: "ja", publicURL: "https://pmo.example.com/")
        #expect(ja.text == "CRM-I3「Login <fails>」の状態: 未着手 → 対応中（Tanaka）", "\(ja.text)")
        #expect(ja.url == "https://pmo.example.com/projects/CRM/issues/3")
        let slack = try JSONSerialization.jsonObject(with: Data(WebhookPayload.body(ja, format: .slack).utf8)) as! [String: Any]
        #expect(slack["text"] as? String == "[CRM] CRM-I3「Login &lt;fails&gt;」の状態: 未着手 → 対応中（Tanaka） <https://pmo.example.com/projects/CRM/issues/3|開く>")
        let en = WebhookText.message(facts, language: "en", publicURL: nil)
        #expect(en.text == "CRM-I3 \"Login <fails>\" status: Open → In progress by Tanaka", "\(en.text)")
        #expect(en.url == nil)
        let teams = try JSONSerialization.jsonObject(with: Data(WebhookPayload.body(ja, format: .teams).utf8)) as! [String: Any]
        let attachment = try #require((teams["attachments"] as? [[String: Any]])?.first)
        #expect(teams["type"] as? String == "message")
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect(((card["actions"] as? [[String: Any]])?.first?["url"] as? String) == "https://pmo.example.com/projects/CRM/issues/3")
        let json = try JSONSerialization.jsonObject(with: Data(WebhookPayload.body(en, format: .json).utf8)) as! [String: Any]
        #expect(json["event"] as? String == "item.status_changed")
        #expect(json["subject"] as? String == "CRM-I3")
        #expect((json["fields"] as? [String: String])?["from"] == "open")
    }
}

/// A receiver started by the tests: it records what it is sent and answers as each path says.
actor WebhookReceiver {
    struct Received: Sendable {
        var path: String
        var headers: HTTPHeaders
        var body: String
    }
    private(set) var received: [Received] = []
    private var flakyCalls = 0

    func record(_ req: Request) -> Int {
        received.append(Received(path: req.url.path, headers: req.headers, body: req.body.string ?? ""))
        if req.url.path == "/flaky" { flakyCalls += 1 }
        return flakyCalls
    }

    /// Runs the receiver on a local port until `body` ends: /ok answers 200, /flaky 500 twice and then 200, /slow
    /// answers after 3 s.
    static func serve(_ body: (WebhookReceiver, Int) async throws -> Void) async throws {
        let receiver = WebhookReceiver()
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.post("ok") { req async -> String in _ = await receiver.record(req); return "thanks" }
        app.post("flaky") { req async -> Response in
            await receiver.record(req) <= 2 ? Response(status: .internalServerError, body: "busy") : Response(status: .ok, body: "ok now")
        }
        app.post("slow") { req async throws -> String in
            _ = await receiver.record(req)
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        do {
            let server = try await LiveServer.start(app)
            try await body(receiver, server.port)
            await server.stop()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// Webhooks end to end on each database: the refusals, deliveries signed and received, retries, a timeout, replay.
@Suite("Webhooks: deliveries through a real receiver")
struct WebhookDeliveryTests {
    static let logger = Logger(label: "test.webhooks")

    /// Runs the webhooks' two jobs (collect, deliver) until none is due, with a one-second limit per attempt.
    static func runJobs(_ t: TestApp) async throws {
        let all = BackgroundJobs.handlers(webhooks: WebhookSender(timeout: 1, publicURL: "https://pmo.example.com"))
        let handlers = all.filter { [WebhookService.collectJobKind, WebhookService.deliveryJobKind].contains($0.key) }
        _ = try await t.store.webhooks.collect()
        _ = try await BackgroundJobs.runDue(t.store, owner: "test", handlers: handlers, logger: logger)
    }

    static func allowLocal(_ t: TestApp) throws {
        t.app.useOutbound(OutboundSettings(allow: try NetworkAllowList(parsing: "127.0.0.1")))
    }

    @Test(arguments: TestDatabase.available)
    func refusedTargetsAndRolesAreNamed(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            func create(_ url: String, as who: String = "pmo") async throws -> TestingHTTPResponse {
                try await t.send(.POST, "/api/v1/projects/CRM/webhooks", token: w.tokens[who]!,
                                 json: ["name": "chat", "url": url, "events": ["item.created"]])
            }
            for (url, code) in [("ftp://chat.example.com/x", "webhook_not_http"), ("https:///x", "webhook_no_host"),
                                ("http://127.0.0.1:9/hook", "webhook_blocked_address"), ("http://[::1]/hook", "webhook_blocked_address"),
                                ("http://169.254.169.254/latest/meta-data/", "webhook_blocked_address"),
                                ("http://10.0.0.5/hook", "webhook_blocked_address"), ("http://localhost/hook", "webhook_blocked_host")] {
                let res = try await create(url)
                #expect(res.status == .unprocessableEntity, "\(url): \(res.body.string)")
                let errors = (res.json["errors"] as? [[String: Any]]) ?? []
                #expect(errors.first?["field"] as? String == "url" && errors.first?["code"] as? String == code, "\(url): \(res.body.string)")
            }
            // A name that resolves to a private address is refused too (here the resolver says so).
            t.app.useOutbound(OutboundSettings(resolve: { _ in ["93.184.215.14", "192.168.1.20"] }))
            #expect(try await create("https://chat.example.com/hook").fieldErrors == ["url"])
            t.app.useOutbound(OutboundSettings(resolve: { _ in ["93.184.215.14"] }))
            #expect(try await create("https://chat.example.com/hook").status == .created)
            // Only those who manage the project set up webhooks or read their log.
            for who in ["member", "vendorA", "viewer"] {
                #expect(try await create("https://chat.example.com/hook", as: who).status == .forbidden, "\(who)")
                #expect(try await t.send(.GET, "/api/v1/projects/CRM/webhooks", token: w.tokens[who]!).status == .forbidden, "\(who)")
            }
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/webhooks", token: w.tokens["pm"]!).items.count == 1)
            // Nothing of the refused ones was stored.
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/webhooks", token: w.tokens["pmo"]!).items.count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func eventsAreSignedRetriedTimedOutAndReplayed(_ db: TestDatabase) async throws {
        let clock = TestClock("2026-12-01", "09:00")
        try await WebhookReceiver.serve { receiver, port in
            try await TestApp.with(db, clock: clock) { t in
                let w = try await World.make(t)
                try Self.allowLocal(t)
                let pmo = w.tokens["pmo"]!
                func webhook(_ path: String, events: [String], format: String = "json") async throws -> (id: String, secret: String) {
                    let res = try await t.send(.POST, "/api/v1/projects/CRM/webhooks", token: pmo,
                                               json: ["name": path, "url": "http://127.0.0.1:\(port)/\(path)", "events": events, "format": format,
                                                      "language": "en"])
                    #expect(res.status == .created, "\(res.body.string)")
                    let hook = try #require(res.json["webhook"] as? [String: Any])
                    return (hook["id"] as! String, res.json["secret"] as! String)
                }
                let ok = try await webhook("ok", events: ["item.created", "item.status_changed", "comment.added"])
                // An issue made, its status changed, a comment: three deliveries, in order, each signed.
                _ = try await t.createIssue(w.tokens["pm"]!, ["title": "Duplicate customers", "priority": "high"])
                #expect(try await t.send(.PATCH, "/api/v1/projects/CRM/issues/1", token: pmo, json: ["status": "in_progress"],
                                         headers: [("If-Match", "\"1\"")]).status == .ok)
                #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues/1/comments", token: pmo, json: ["body": "Looking at it"]).status == .created)
                try await Self.runJobs(t)
                let got = await receiver.received.filter { $0.path == "/ok" }
                try #require(got.count == 3)
                #expect(got.map { $0.headers.first(name: "X-PMO-Event") } == ["item.created", "item.status_changed", "comment.added"])
                for r in got {
                    let signature = try #require(r.headers.first(name: WebhookSignature.header))
                    #expect(WebhookSignature.verify(signature, secret: ok.secret, body: r.body, now: Date()), "\(signature)")
                    #expect(!WebhookSignature.verify(signature, secret: "whsec_wrong", body: r.body, now: Date()))
                }
                let status = try JSONSerialization.jsonObject(with: Data(got[1].body.utf8)) as! [String: Any]
                #expect(status["subject"] as? String == "CRM-I1")
                #expect(status["url"] as? String == "https://pmo.example.com/projects/CRM/issues/1")
                #expect(status["text"] as? String == "CRM-I1 \"Duplicate customers\" status: Open → In progress by pmo", "\(status)")
                // Collecting again sends nothing twice.
                try await Self.runJobs(t)
                #expect(await receiver.received.count == 3)
                let log = try await t.send(.GET, "/api/v1/projects/CRM/webhooks/\(ok.id)/deliveries", token: pmo).items
                #expect(log.map { $0["state"] as? String } == ["delivered", "delivered", "delivered"])

                // A receiver that fails twice, then answers: delivered on the third attempt, after the queue's waits.
                let flaky = try await webhook("flaky", events: ["item.created"])
                _ = try await t.createIssue(pmo, ["title": "Flaky"])
                try await Self.runJobs(t)
                var deliveries = try await t.send(.GET, "/api/v1/projects/CRM/webhooks/\(flaky.id)/deliveries", token: pmo).items
                #expect(deliveries.first?["state"] as? String == "retrying" && deliveries.first?["lastStatus"] as? Int == 500)
                try await Self.runJobs(t)
                #expect(await receiver.received.filter { $0.path == "/flaky" }.count == 1, "the next attempt waits for its time")
                for wait in [31.0, 61.0] {
                    clock.advance(wait)
                    try await Self.runJobs(t)
                }
                deliveries = try await t.send(.GET, "/api/v1/projects/CRM/webhooks/\(flaky.id)/deliveries", token: pmo).items
                let flakyID = try #require(deliveries.first?["id"] as? String)
                let detail = try await t.send(.GET, "/api/v1/projects/CRM/webhook-deliveries/\(flakyID)", token: pmo).json
                let attempts = (detail["attempts"] as? [[String: Any]]) ?? []
                #expect(attempts.map { $0["status"] as? Int } == [500, 500, 200])
                #expect((detail["delivery"] as? [String: Any])?["state"] as? String == "delivered")
                #expect(attempts.first?["response"] as? String == "busy")

                // A receiver that does not answer in time: the attempt says so and the delivery waits for the next.
                let slow = try await webhook("slow", events: ["item.created"], format: "slack")
                _ = try await t.createIssue(pmo, ["title": "Slow"])
                try await Self.runJobs(t)
                let slowLog = try await t.send(.GET, "/api/v1/projects/CRM/webhooks/\(slow.id)/deliveries", token: pmo).items
                #expect(slowLog.first?["state"] as? String == "retrying")
                #expect((slowLog.first?["lastError"] as? String)?.contains("timeout") == true, "\(slowLog)")
                #expect(slowLog.first?["lastErrorCode"] as? String == "timeout")
                let slack = try #require(await receiver.received.last { $0.path == "/slow" })
                #expect((try JSONSerialization.jsonObject(with: Data(slack.body.utf8)) as? [String: Any])?["text"] as? String
                        == "[CRM] CRM-I3 \"Slow\" was created by pmo <https://pmo.example.com/projects/CRM/issues/3|Open>")

                // Replay: the same event again, as a new delivery with its own id and signature.
                let first = try #require(log.first { $0["event"] as? String == "item.created" }?["id"] as? String)
                let replay = try await t.send(.POST, "/api/v1/projects/CRM/webhook-deliveries/\(first)/replay", token: pmo)
                #expect(replay.status == .accepted, "\(replay.body.string)")
                #expect(replay.json["replayOf"] as? String == first)
                #expect(try await t.send(.POST, "/api/v1/projects/CRM/webhook-deliveries/\(first)/replay", token: w.tokens["member"]!).status == .forbidden)
                try await Self.runJobs(t)
                let okNow = await receiver.received.filter { $0.path == "/ok" }
                let again = try #require(okNow.last)
                #expect(again.body == got[0].body, "the same event, the same body")
                #expect(again.headers.first(name: "X-PMO-Delivery") != got[0].headers.first(name: "X-PMO-Delivery"))
                #expect(WebhookSignature.verify(try #require(again.headers.first(name: WebhookSignature.header)), secret: ok.secret, body: again.body, now: Date()))

                // At delivery the address is checked again: without the allow-list, the loopback receiver is refused at
                // once, without retries.
                t.app.useOutbound(OutboundSettings())
                #expect(try await t.send(.POST, "/api/v1/projects/CRM/webhooks/\(ok.id)/test", token: pmo).status == .accepted)
                try await Self.runJobs(t)
                let refused = try await t.send(.GET, "/api/v1/projects/CRM/webhooks/\(ok.id)/deliveries", token: pmo).items.first
                #expect(refused?["event"] as? String == "ping")
                #expect(refused?["state"] as? String == "failed")
                #expect((refused?["lastError"] as? String)?.contains("loopback") == true, "\(String(describing: refused))")
                #expect(refused?["lastErrorCode"] as? String == "blocked_address")
                #expect(await receiver.received.filter { $0.path == "/ok" }.count == okNow.count, "nothing was sent")
            }
        }
    }
}

/// The webhook pages, as the demo's PMO uses them: the demo's webhook and its delivery log, a webhook added and
/// refused, a test queued, the secret shown once, and no way in for a vendor.
@Suite("Webhooks: pages and the demo")
struct WebhookPageTests {
    @Test func theDemosWebhookHasADeliveryLogAndThePagesManageWebhooks() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await DemoData.load(into: t.store, bcryptCost: 4)
            let pmo = try await BrowserSession.login(t, email: "pmo@demo.pmo", password: DemoData.password, acceptLanguage: "ja")
            let list = try await pmo.get("/projects/CRM/webhooks")
            #expect(list.status == .ok)
            let html = list.body.string
            #expect(html.contains("#crm-pmo（チャット）") && html.contains("https://chat.example.com/hooks/crm-pmo"))
            #expect(html.contains("Slack 互換"))
            #expect(try await pmo.get("/projects/CRM").body.string.contains("/projects/CRM/webhooks"), "the project's page links to them")

            // The demo's log: a comment and a test, queued for the background to send.
            let caller = try Caller(try #require(try await t.store.accounts.user(email: "pmo@demo.pmo")))
            let hook = try #require(try await t.store.webhooks.list(caller, key: "CRM").first)
            let log = try await t.store.webhooks.deliveries(caller, key: "CRM", webhookID: hook.id)
            #expect(Set(log.map(\.facts.event)) == [.commentAdded, .ping], "\(log.map(\.facts.event))")
            let page = try await pmo.get("/projects/CRM/webhooks/\(hook.id.uuidString.lowercased())").body.string
            #expect(page.contains("id=\"deliveries\"") && page.contains("送信待ち") && page.contains("コメント"))
            let comment = try #require(log.first { $0.facts.event == .commentAdded })
            let detail = try await pmo.get("/projects/CRM/webhook-deliveries/\(comment.id.uuidString.lowercased())")
            #expect(detail.status == .ok)
            // The body a chat gets: the line in Japanese with the link, escaped in the page.
            #expect(detail.body.string.contains("CRM-I1「") && detail.body.string.contains("にコメント"), "\(detail.body.string.prefix(200))")

            // Adding one: a private address is refused naming the field, in Japanese; a good one shows its secret once.
            var fields = ["name": "PMO 通知", "url": "http://192.168.10.5/hook", "event-item.created": "true", "format": "teams", "language": "ja",
                          "active": "true"]
            let refused = try await pmo.post("/projects/CRM/webhooks", fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("公開アドレスにだけ送れます"), "\(refused.body.string)")
            #expect(refused.body.string.contains("http://192.168.10.5/hook"), "what was typed stays")
            fields["url"] = "https://teams.example.com/workflows/pmo"
            let made = try await pmo.post("/projects/CRM/webhooks", fields)
            #expect(made.status == .created)
            #expect(made.body.string.contains("id=\"webhook-secret\"") && made.body.string.contains("whsec_"))
            let second = try #require(try await t.store.webhooks.list(caller, key: "CRM").first { $0.fields.name == "PMO 通知" })
            #expect(second.fields.format == .teams && second.fields.events == [.itemCreated] && second.fields.active)
            let again = try await pmo.get("/projects/CRM/webhooks/\(second.id.uuidString.lowercased())").body.string
            #expect(!again.contains("whsec_"), "the secret is shown only once")
            let test = try await pmo.post("/projects/CRM/webhooks/\(second.id.uuidString.lowercased())/test", [:])
            #expect(test.status == .seeOther)
            #expect(try await t.store.webhooks.deliveries(caller, key: "CRM", webhookID: second.id).map(\.facts.event) == [.ping])

            // A vendor's lead and a member do not reach them.
            let vendor = try await BrowserSession.login(t, email: "aoba.lead@demo.pmo", password: DemoData.password)
            #expect(try await vendor.get("/projects/CRM/webhooks").status == .forbidden)
            #expect(try await vendor.get("/projects/CRM/webhook-deliveries/\(comment.id.uuidString.lowercased())").status == .forbidden)
            let member = try await BrowserSession.login(t, email: "member@demo.pmo", password: DemoData.password)
            #expect(try await member.post("/projects/CRM/webhooks/\(second.id.uuidString.lowercased())/delete", [:]).status == .forbidden)
        }
    }
}
