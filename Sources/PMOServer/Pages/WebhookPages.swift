import Foundation
import PMOCore
import PMOStore
import PMOWords
import Vapor

/// The webhooks pages: a project's webhooks with the form to add one, one webhook (its settings, a test delivery, its
/// secret and its delivery log), and one delivery (every attempt, the body, replay). For the project's admins, the PMO
/// and PMs (the store refuses others).
enum WebhookPages {
    struct ListData {
        var key: String
        var webhooks: [WebhookView]
        var timeZone: String
        var errors: [FieldError] = []
        /// The form as typed, when it was refused.
        var typed: [String: String]?
    }

    struct WebhookData {
        var key: String
        var webhook: WebhookView
        var deliveries: [WebhookDeliveryView]
        var timeZone: String
        /// The secret, right after it was made or replaced (shown once).
        var secret: String?
        var notice: String?
        var errors: [FieldError] = []
        var typed: [String: String]?
    }

    struct DeliveryData {
        var key: String
        var webhook: WebhookView
        var delivery: WebhookDeliveryView
        var attempts: [WebhookAttemptView]
        var body: String
        var timeZone: String
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "webhooks") { req async throws -> Response in try await listPage(req) }
        pages.post("projects", ":key", "webhooks") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            do {
                let (view, secret) = try await req.store.webhooks.create(caller, key: key, fields(f))
                return try await webhookPage(req, id: view.id, secret: secret, status: .created)
            } catch let e as DomainError where e.kind == .invalid {
                return try await listPage(req, errors: req.shown(e.asFieldErrors), typed: f, status: .unprocessableEntity)
            }
        }
        pages.get("projects", ":key", "webhooks", ":id") { req async throws -> Response in
            try await webhookPage(req, id: try req.pathUUID("id"), notice: (try? req.query.get(String.self, at: "queued")).map { _ in "test" })
        }
        pages.post("projects", ":key", "webhooks", ":id") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            do {
                _ = try await req.store.webhooks.update(caller, key: key, id: id, fields(f), expectedVersion: Int(f["version"] ?? ""))
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await webhookPage(req, id: id, errors: req.shown(e.asFieldErrors), typed: f, status: ReportPages.status(e))
            }
            return req.redirect(to: ProjectPath.webhook(id.uuidString.lowercased()).href(key))
        }
        pages.post("projects", ":key", "webhooks", ":id", "test") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            _ = try await req.store.webhooks.sendTest(caller, key: key, id: id)
            return req.redirect(to: ProjectPath.webhook(id.uuidString.lowercased()).href(key, query: "queued=1"))
        }
        pages.post("projects", ":key", "webhooks", ":id", "secret") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            let secret = try await req.store.webhooks.rotateSecret(caller, key: key, id: id)
            return try await webhookPage(req, id: id, secret: secret)
        }
        pages.post("projects", ":key", "webhooks", ":id", "delete") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            try await req.store.webhooks.delete(caller, key: key, id: try req.pathUUID("id"))
            return req.redirect(to: ProjectPath.webhooks.href(key))
        }
        pages.get("projects", ":key", "webhook-deliveries", ":id") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let (delivery, attempts) = try await req.store.webhooks.delivery(caller, key: key, id: try req.pathUUID("id"))
            let hook = try await req.store.webhooks.webhook(caller, key: key, id: delivery.webhookID)
            let body = WebhookPayload.body(WebhookText.message(delivery.facts, language: hook.fields.language, publicURL: req.config.linkBase),
                                           format: hook.fields.format)
            let (_, zone) = req.today(for: caller)
            let project = try await req.pageProjectContext(caller, key: key).project
            let data = DeliveryData(key: key, webhook: hook, delivery: delivery, attempts: attempts, body: body, timeZone: zone.identifier)
            return try await req.renderProjectPage(WebhookViews.delivery, data, title: req.pageWords["webhooks.deliveries"], section: "webhooks",
                                                   project: project)
        }
        pages.post("projects", ":key", "webhook-deliveries", ":id", "replay") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let d = try await req.store.webhooks.replay(caller, key: key, id: try req.pathUUID("id"))
            return req.redirect(to: ProjectPath.webhookDelivery(d.id.uuidString.lowercased()).href(key))
        }
    }

    /// The webhook a form describes: events are ticked boxes named `event-<event>`.
    static func fields(_ f: [String: String]) -> WebhookFields {
        WebhookFields(name: f["name"] ?? "", url: f["url"] ?? "", events: WebhookEvent.subscribable.filter { f["event-\($0.rawValue)"] == "true" },
                      format: WebhookFormat(rawValue: f["format"] ?? "") ?? .json, language: f["language"] ?? "ja",
                      includeRestricted: f["restricted"] == "true", active: f["active"] == "true")
    }

    static func listPage(_ req: Request, errors: [FieldError] = [], typed: [String: String]? = nil,
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let hooks = try await req.store.webhooks.list(caller, key: key)
        let (_, zone) = req.today(for: caller)
        let project = try await req.pageProjectContext(caller, key: key).project
        let data = ListData(key: key, webhooks: hooks, timeZone: zone.identifier, errors: errors, typed: typed)
        return try await req.renderProjectPage(WebhookViews.list, data, title: req.pageWords["webhooks.title"], section: "webhooks",
                                               project: project, status: status)
    }

    static func webhookPage(_ req: Request, id: UUID, secret: String? = nil, notice: String? = nil, errors: [FieldError] = [],
                            typed: [String: String]? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let hook = try await req.store.webhooks.webhook(caller, key: key, id: id)
        let deliveries = try await req.store.webhooks.deliveries(caller, key: key, webhookID: id)
        let (_, zone) = req.today(for: caller)
        let project = try await req.pageProjectContext(caller, key: key).project
        let data = WebhookData(key: key, webhook: hook, deliveries: deliveries, timeZone: zone.identifier, secret: secret, notice: notice,
                               errors: errors, typed: typed)
        return try await req.renderProjectPage(WebhookViews.webhook, data, title: hook.fields.name, section: "webhooks", project: project,
                                               status: status)
    }
}
