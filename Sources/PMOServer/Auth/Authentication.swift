import Foundation
import PMOCore
import PMOStore
import Vapor

/// How the current request proved who it is.
enum Credential: Sendable {
    /// A browser session; state-changing requests must carry its CSRF token.
    case session(token: String, csrf: String)
    /// An API bearer token; no CSRF check (a script holds the secret itself).
    case bearer
}

struct CallerKey: StorageKey { typealias Value = Caller }
struct CredentialKey: StorageKey { typealias Value = Credential }

extension Request {
    /// The signed-in user, or nil.
    var caller: Caller? { storage[CallerKey.self] }
    var credential: Credential? { storage[CredentialKey.self] }

    /// The signed-in user, or a 401 `auth.required`.
    func requireCaller() throws -> Caller {
        guard let caller else {
            throw DomainError(.unauthorized, code: "auth.required",
                              message: "Sign in first: send 'Authorization: Bearer <token>' or use a browser session.")
        }
        return caller
    }

    var store: Store { application.store }
    var config: ServerConfiguration { application.serverConfiguration }

    /// Checks the CSRF token of a session request (form field `_csrf` or header `X-CSRF-Token`).
    func requireCSRF(formToken: String? = nil) throws {
        guard case .session(_, let csrf)? = credential else { return }
        let sent = formToken ?? headers.first(name: "X-CSRF-Token")
        guard let sent, constantTimeEquals(sent, csrf) else {
            throw DomainError.forbidden("auth.csrf", "The form's security token is missing or stale. Reload the page and submit again.")
        }
    }
}

func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<x.count { diff |= x[i] ^ y[i] }
    return diff == 0
}

enum SessionCookie {
    static let name = "pmo_session"
    static let preLoginCSRF = "pmo_login_csrf"
}

/// Finds the caller from a bearer token or the session cookie. It never rejects: routes decide what they need.
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            guard let user = try await request.store.accounts.user(forAPIToken: bearer.token) else {
                throw DomainError(.unauthorized, code: "auth.invalid_token", message: "The bearer token is unknown or revoked.")
            }
            request.storage[CallerKey.self] = try Caller(user)
            request.storage[CredentialKey.self] = .bearer
        } else if let token = request.cookies[SessionCookie.name]?.string,
                  let (session, user) = try await request.store.accounts.session(token: token) {
            request.storage[CallerKey.self] = try Caller(user)
            request.storage[CredentialKey.self] = .session(token: token, csrf: session.csrfToken)
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// Signs in with e-mail and password for the login page and `POST /api/v1/tokens`.
    /// A wrong password gets 401 without saying which part was wrong. Failures are counted in the database per
    /// account and per client address (`Store+SignIn`); a locked account or address gets 429 with the real wait.
    func authenticate(email: String, password: String) async throws -> UserRecord {
        let keys = SignInLimits.keys(email: email, address: clientAddress)
        // Counted before bcrypt runs, so that guesses sent at once cannot all pass the check.
        if let seconds = try await store.accounts.beginSignInAttempt(keys: keys, limits: config.signInLimits) {
            throw Self.tooManyAttempts(seconds)
        }
        guard let user = try await store.accounts.authenticate(email: email, password: password) else {
            try await store.accounts.signInFailed(keys: keys, limits: config.signInLimits)
            throw DomainError(.unauthorized, code: "auth.invalid_credentials", message: "The e-mail or password is not right.")
        }
        try await store.accounts.signInSucceeded(keys: keys)
        return user
    }

    static func tooManyAttempts(_ seconds: Int) -> DomainError {
        let minutes = max(1, Int((Double(seconds) / 60).rounded(.up)))
        return DomainError(.tooManyRequests, code: "auth.too_many_attempts",
                           message: "Too many failed sign-ins for this account or from your address. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").",
                           retryAfterSeconds: seconds)
    }
}

extension Request {
    /// Changes the caller's own password (page and API). A wrong current password counts as a failed sign-in for the
    /// account, so a borrowed session cannot be used to guess it; the session making the change stays signed in.
    func changeOwnPassword(_ caller: Caller, current: String, new: String) async throws {
        let keys = SignInLimits.keys(email: caller.email, address: clientAddress)
        if let seconds = try await store.accounts.beginSignInAttempt(keys: keys, limits: config.signInLimits) {
            throw Self.tooManyAttempts(seconds)
        }
        var keep: String?
        if case .session(let token, _)? = credential { keep = token }
        do {
            try await store.accounts.changePassword(caller, current: current, new: new, keepSession: keep, bcryptCost: config.bcryptCost)
        } catch let e as DomainError where e.fieldErrors.contains(where: { $0.field == "currentPassword" }) {
            try await store.accounts.signInFailed(keys: keys, limits: config.signInLimits)
            throw e
        } catch {
            // Refused for another reason (the new password's rules): the current password was not what failed.
            try await store.accounts.signInSucceeded(keys: keys)
            throw error
        }
        try await store.accounts.signInSucceeded(keys: keys)
    }
}

/// A user signed in with a temporary password may only choose their own: pages go to the password page, API calls
/// get 403 `auth.password_change_required` (bearer tokens included: the account is being recovered).
struct PasswordChangeGate: AsyncMiddleware {
    static let open: Set<String> = ["/settings/password", "/logout", "/app.css", "/plan-grid.js", "/mention-picker.js", "/api/v1/me/password", "/api/v1/me",
                                    "/api/v1/health", "/api/v1/openapi.json"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The path as the router reads it (empty segments dropped), so `/settings/password/` is the password page too.
        let path = "/" + request.url.path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        guard let caller = request.caller, caller.mustChangePassword, !Self.open.contains(path), !path.hasPrefix("/invite/") else {
            return try await next.respond(to: request)
        }
        if request.url.path.hasPrefix("/api/") {
            throw DomainError.forbidden("auth.password_change_required",
                                        "Choose your own password first: PUT /api/v1/me/password with currentPassword (the temporary one) and newPassword, or sign in on the web page.")
        }
        return request.redirect(to: "/settings/password")
    }
}
