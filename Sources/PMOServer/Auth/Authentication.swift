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
            guard let user = try await request.store.user(forAPIToken: bearer.token) else {
                throw DomainError(.unauthorized, code: "auth.invalid_token", message: "The bearer token is unknown or revoked.")
            }
            request.storage[CallerKey.self] = Caller(user)
            request.storage[CredentialKey.self] = .bearer
        } else if let token = request.cookies[SessionCookie.name]?.string,
                  let (session, user) = try await request.store.session(token: token) {
            request.storage[CallerKey.self] = Caller(user)
            request.storage[CredentialKey.self] = .session(token: token, csrf: session.csrfToken)
        }
        return try await next.respond(to: request)
    }
}

/// Slows down repeated failed logins from one address: after `allowed` failures within 15 minutes,
/// further attempts are refused with 429 until the window passes. In memory, per instance.
actor LoginThrottle {
    private let allowed: Int
    private let window: TimeInterval = 15 * 60
    private var failures: [String: [Date]] = [:]

    init(allowed: Int) { self.allowed = allowed }

    func isBlocked(_ address: String, now: Date = Date()) -> Bool {
        prune(address, now: now)
        return (failures[address]?.count ?? 0) >= allowed
    }

    func recordFailure(_ address: String, now: Date = Date()) {
        prune(address, now: now)
        failures[address, default: []].append(now)
        if failures.count > 10_000 { failures = failures.filter { !$0.value.isEmpty } }
    }

    func recordSuccess(_ address: String) { failures[address] = nil }

    private func prune(_ address: String, now: Date) {
        failures[address] = failures[address]?.filter { now.timeIntervalSince($0) < window }
    }
}

extension Request {
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// Signs in with e-mail and password for the login page and `POST /api/v1/tokens`.
    /// A wrong password gets 401 without saying which part was wrong.
    func authenticate(email: String, password: String) async throws -> UserRecord {
        let throttle = application.loginThrottle
        if await throttle.isBlocked(clientAddress) {
            throw DomainError(.tooManyRequests, code: "auth.too_many_attempts",
                              message: "Too many failed sign-ins from your address. Wait 15 minutes and try again.")
        }
        guard let user = try await store.authenticate(email: email, password: password) else {
            await throttle.recordFailure(clientAddress)
            throw DomainError(.unauthorized, code: "auth.invalid_credentials", message: "The e-mail or password is not right.")
        }
        await throttle.recordSuccess(clientAddress)
        return user
    }
}
