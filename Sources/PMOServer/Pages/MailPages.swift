import Foundation
import PMOCore
import PMOStore
import Vapor

/// One's e-mail preferences (`/settings/mail`): a mode per topic, the digest time, where mails go, whether this server
/// sends e-mail at all, and the latest mails with how their sending went.
enum MailPages {
    struct PageData {
        var view: MailPreferencesView
        var configured: Bool
        var recent: [(kind: MailKind, state: String, createdAt: Date, sentAt: Date?, error: String?)]
        var timeZone: String
        var errors: [FieldError] = []
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("settings", "mail") { req async throws -> Response in try await page(req) }
        pages.post("settings", "mail") { req async throws -> Response in
            let caller = try req.pageCaller()
            let f = try req.form()
            var modes: [String: String] = [:]
            for topic in MailTopic.allCases { if let v = f[topic.fieldName] { modes[topic.fieldName] = v } }
            do {
                _ = try await req.store.mail.updatePreferences(caller, modes: modes, digestTime: f["digestTime"], reminderDays: f["reminderDays"],
                                                        expectedVersion: Int(f["version"] ?? ""))
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await page(req, errors: req.shown(e.asFieldErrors), status: ReportPages.status(e))
            }
            return req.redirect(to: AppPath.mailSettings.href)
        }
    }

    static func page(_ req: Request, errors: [FieldError] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let data = PageData(view: try await req.store.mail.preferences(caller), configured: req.application.serverConfiguration.smtp != nil,
                            recent: try await req.store.mail.recent(caller), timeZone: caller.timeZone, errors: errors)
        return try await req.render(MailViews.preferences, req.chrome(title: req.pageWords["mail.settings.title"], section: "settings"), data,
                                    status: status)
    }
}
