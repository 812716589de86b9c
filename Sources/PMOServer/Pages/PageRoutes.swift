import Fluent
import Foundation
import PMOCore
import PMOWords
import PMOStore
import Vapor

/// Registers the server-rendered pages.
enum PageRoutes {
    static func register(_ app: Application) throws {
        app.get { req -> Response in
            req.redirect(to: req.caller == nil ? AppPath.login.href : AppPath.projects.href)
        }
        AuthPages.register(app)
        ProjectPages.register(app)
        IssuePages.register(app)
        RegisterPages.register(app)
        AttachmentPages.register(app.grouped(LoginRedirectMiddleware()))
        BulkEditPages.register(app.grouped(LoginRedirectMiddleware()))
        SavedViewPages.register(app.grouped(LoginRedirectMiddleware()))
        RegisterImportPages.register(app)
        PlanPages.register(app)
        MeetingPages.register(app)
        ReportPages.register(app)
        SignalPages.register(app)
        WebhookPages.register(app)
        KPIPages.register(app)
        SystemPages.register(app)
        TraceabilityPages.register(app)
        OrganisationPages.register(app)
        MailPages.register(app)
        ResourcePages.register(app)
        LedgerPages.register(app)
        LevellingPages.register(app)
        InboxPages.register(app)
        AdminPages.register(app)
    }

    /// The page shown for an error outside the API.
    static func errorPage(_ req: Request, _ problem: Problem) async throws -> Response {
        if problem.code == "auth.required" || problem.code == "auth.invalid_token" {
            return req.redirect(to: AppPath.login(next: req.url.path))
        }
        let chrome = req.chrome(title: req.label("error"), section: "")
        return try await req.render(AccountViews.error, chrome,
                                    AccountViews.ErrorData(status: problem.status, detail: req.sentence(code: problem.code, detail: problem.detail, subjects: problem.subjects),
                                              code: problem.code, errors: req.shown(problem.errors ?? []), conflict: problem.status == 409),
                                    status: HTTPResponseStatus(statusCode: problem.status))
    }
}

/// Turns `LoginRequired` into a redirect before the error page sees it.
struct LoginRedirectMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do { return try await next.respond(to: request) } catch let e as LoginRequired {
            return request.redirect(to: AppPath.login(next: e.next))
        }
    }
}

enum AuthPages {

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("login") { req async throws -> Response in
            try await loginPage(req, error: nil, email: "", status: .ok)
        }
        pages.post("login") { req async throws -> Response in
            let fields = (try? req.content.decode([String: String].self)) ?? [:]
            guard let sent = fields["_csrf"], let cookie = req.cookies[SessionCookie.preLoginCSRF]?.string,
                  constantTimeEquals(sent, cookie) else {
                return try await loginPage(req, error: req.label("error") + ": CSRF", email: fields["email"] ?? "", status: .forbidden)
            }
            let user: UserRecord
            do {
                user = try await req.authenticate(email: fields["email"] ?? "", password: fields["password"] ?? "")
            } catch let e as DomainError where e.kind == .unauthorized {
                return try await loginPage(req, error: req.label("wrong_login"), email: fields["email"] ?? "", status: .unauthorized)
            } catch let e as DomainError where e.kind == .tooManyRequests {
                let minutes = max(1, ((e.retryAfterSeconds ?? 60) + 59) / 60)
                let message = req.label("too_many_attempts").replacingOccurrences(of: "{minutes}", with: String(minutes))
                let response = try await loginPage(req, error: message, email: fields["email"] ?? "", status: .tooManyRequests)
                if let seconds = e.retryAfterSeconds { response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds)) }
                return response
            }
            let (token, _) = try await req.store.accounts.createSession(userID: try user.requireID())
            // A temporary password is changed before anything else.
            let next = user.mustChangePassword ? AppPath.password.href : LocalRedirect.path(fields["next"])
            let response = req.redirect(to: next)
            response.cookies[SessionCookie.name] = HTTPCookies.Value(
                string: token, expires: Date().addingTimeInterval(Store.sessionLifetime), maxAge: nil, domain: nil, path: "/",
                isSecure: req.arrivedOverHTTPS, isHTTPOnly: true, sameSite: .lax)
            response.cookies[SessionCookie.preLoginCSRF] = .expired
            return response
        }
        pages.post("logout") { req async throws -> Response in
            if case .session(let token, _)? = req.credential {
                _ = try req.form()
                try await req.store.accounts.endSession(token: token)
            }
            let response = req.redirect(to: AppPath.login.href)
            response.cookies[SessionCookie.name] = .expired
            return response
        }

        pages.get("invite", ":token") { req async throws -> Response in
            let token = try req.pathString("token")
            guard try await req.store.accounts.invitationIsValid(token: token) else {
                throw DomainError.notFound("invitation.invalid", "This invitation link is not valid: it was used already, has expired, or never existed. Ask an administrator for a new one.")
            }
            let csrf = Secrets.newToken(prefix: "c_")
            var chrome = req.chrome(title: req.label("set_password"), section: "")
            chrome.csrf = csrf
            let response = try await req.render(AccountViews.invite, chrome, AccountViews.InviteData(loginCSRF: csrf))
            response.cookies[SessionCookie.preLoginCSRF] = HTTPCookies.Value(string: csrf, path: "/", isSecure: req.arrivedOverHTTPS,
                                                                             isHTTPOnly: true, sameSite: .strict)
            return response
        }
        pages.post("invite", ":token") { req async throws -> Response in
            let fields = (try? req.content.decode([String: String].self)) ?? [:]
            guard let sent = fields["_csrf"], let cookie = req.cookies[SessionCookie.preLoginCSRF]?.string, constantTimeEquals(sent, cookie) else {
                throw DomainError.forbidden("auth.csrf", "The form's security token is missing or stale. Reload the page and submit again.")
            }
            _ = try await req.store.accounts.acceptInvitation(token: try req.pathString("token"), password: fields["password"] ?? "",
                                                     bcryptCost: req.config.bcryptCost)
            return req.redirect(to: AppPath.login.href)
        }

        let signedIn = pages
        signedIn.get("settings") { req async throws -> Response in
            let caller = try req.pageCaller()
            return try await settingsPage(req, caller, newToken: nil)
        }
        signedIn.post("settings") { req async throws -> Response in
            let caller = try req.pageCaller()
            let f = try req.form()
            guard let user = try await req.store.accounts.user(id: caller.userID) else { throw LoginRequired(next: AppPath.settings.href) }
            _ = try await req.store.accounts.updateUser(by: caller, id: caller.userID, expectedVersion: user.version,
                                               displayName: f["displayName"], locale: f["locale"], timeZone: f["timeZone"])
            return req.redirect(to: AppPath.settings.href)
        }
        signedIn.post("settings", "tokens") { req async throws -> Response in
            let caller = try req.pageCaller()
            let f = try req.form()
            let (_, token) = try await req.store.accounts.createAPIToken(userID: caller.userID, name: f["name"] ?? "")
            return try await settingsPage(req, caller, newToken: token)
        }
        signedIn.get("settings", "password") { req async throws -> Response in
            try await passwordPage(req, caller: try req.pageCaller(), errors: [], done: false, status: .ok)
        }
        signedIn.post("settings", "password") { req async throws -> Response in
            let caller = try req.pageCaller()
            let f = try req.form()
            guard f["newPassword"] == f["confirmPassword"] else {
                return try await passwordPage(req, caller: caller, errors: [FieldError(field: "", code: "differ", message: req.label("passwords_differ"))],
                                              done: false, status: .unprocessableEntity)
            }
            do {
                try await req.changeOwnPassword(caller, current: f["currentPassword"] ?? "", new: f["newPassword"] ?? "")
            } catch let e as DomainError where e.kind == .invalid || e.kind == .tooManyRequests {
                // The reader's words for the rules the store names by code.
                let errors = e.fieldErrors.isEmpty
                    ? [FieldError(field: "", code: e.code, message: e.kind == .tooManyRequests
                        ? req.label("too_many_attempts").replacingOccurrences(of: "{minutes}", with: String(max(1, ((e.retryAfterSeconds ?? 60) + 59) / 60)))
                        : e.message)]
                    : e.fieldErrors.map { FieldError(field: "", code: $0.code, message: req.words["password." + $0.code] ?? $0.message) }
                return try await passwordPage(req, caller: caller, errors: errors, done: false, status: e.kind.httpStatus)
            }
            var changed = caller
            changed.mustChangePassword = false
            return try await passwordPage(req, caller: changed, errors: [], done: true, status: .ok)
        }
        signedIn.post("settings", "tokens", ":id", "revoke") { req async throws -> Response in
            let caller = try req.pageCaller()
            _ = try req.form()
            try await req.store.accounts.revokeAPIToken(by: caller, id: try req.pathUUID("id"))
            return req.redirect(to: AppPath.settings.href)
        }
    }

    static func settingsPage(_ req: Request, _ caller: Caller, newToken: String?) async throws -> Response {
        try await req.render(AccountViews.settings, req.chrome(title: req.label("settings"), section: "settings"),
                             AccountViews.SettingsData(locales: I18n.supported.map { Choice(value: $0, label: req.label("language." + $0), selected: $0 == caller.locale) },
                                                       timeZone: caller.timeZone, displayName: caller.displayName,
                                                       tokens: try await tokenRows(req, caller), newToken: newToken))
    }

    static func tokenRows(_ req: Request, _ caller: Caller) async throws -> [AccountViews.TokenRow] {
        try await req.store.accounts.apiTokens(userID: caller.userID).map {
            AccountViews.TokenRow(id: try $0.requireID().uuidString.lowercased(), name: $0.name, created: Formatting.instant($0.createdAt, zone: caller.timeZone))
        }
    }

    static func passwordPage(_ req: Request, caller: Caller, errors: [FieldError], done: Bool, status: HTTPResponseStatus) async throws -> Response {
        return try await req.render(AccountViews.password, req.chrome(title: req.label("change_password"), section: "settings"),
                                    AccountViews.PasswordData(required: caller.mustChangePassword, done: done, errors: req.shown(errors)), status: status)
    }

    static func loginPage(_ req: Request, error: String?, email: String, status: HTTPResponseStatus) async throws -> Response {
        let csrf = Secrets.newToken(prefix: "c_")
        let next = LocalRedirect.path(try? req.query.get(String.self, at: "next"))
        let response = try await req.render(AccountViews.login, req.chrome(title: req.label("login"), section: "login"),
                                            AccountViews.LoginData(next: next, error: error, email: email, loginCSRF: csrf), status: status)
        response.cookies[SessionCookie.preLoginCSRF] = HTTPCookies.Value(string: csrf, path: "/", isSecure: req.arrivedOverHTTPS,
                                                                         isHTTPOnly: true, sameSite: .strict)
        return response
    }
}
