import Foundation
import PMOTestSupport
import Testing
import VaporTesting

/// A browser session made the way a person makes one: load the login page, post the form, keep the cookie.
struct BrowserSession {
    let t: TestApp
    var cookie: String
    var csrf: String

    static func login(_ t: TestApp, email: String, password: String = World.password, acceptLanguage: String = "en",
                      expectLocation: String? = nil) async throws -> BrowserSession {
        let page = try await t.send(.GET, "/login", headers: [("Accept-Language", acceptLanguage)])
        let preCookie = page.headers.setCookie?["pmo_login_csrf"]?.string ?? ""
        let csrf = hiddenCSRF(page.body.string)
        let res = try await t.send(.POST, "/login", rawBody: form(["_csrf": csrf, "email": email, "password": password, "next": "/projects"]),
                                   headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "pmo_login_csrf=\(preCookie)")])
        #expect(res.status == .seeOther, "login failed: \(res.status)")
        if let expectLocation { #expect(res.headers.first(name: .location) == expectLocation) }
        let session = res.headers.setCookie?["pmo_session"]?.string ?? ""
        var s = BrowserSession(t: t, cookie: session, csrf: "")
        s.csrf = hiddenCSRF(try await s.get("/projects").body.string)
        return s
    }

    func get(_ path: String, language: String? = nil) async throws -> TestingHTTPResponse {
        var headers = [("Cookie", "pmo_session=\(cookie)")]
        if let language { headers.append(("Accept-Language", language)) }
        return try await t.send(.GET, path, headers: headers)
    }

    func post(_ path: String, _ fields: [String: String], csrf: String? = nil) async throws -> TestingHTTPResponse {
        var all = fields
        all["_csrf"] = csrf ?? self.csrf
        return try await t.send(.POST, path, rawBody: BrowserSession.form(all),
                                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "pmo_session=\(cookie)")])
    }

    static func form(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }

    static func hiddenCSRF(_ html: String) -> String {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}

@Suite("Sign-in, sessions, CSRF and tokens")
struct AuthTests {
    @Test(arguments: TestDatabase.available)
    func loginSessionAndLogout(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            _ = w
            // Pages need a session: they redirect to the login page.
            let anonymous = try await t.send(.GET, "/projects/CRM/issues")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location)?.hasPrefix("/login?next=") == true)

            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            #expect(!session.cookie.isEmpty && !session.csrf.isEmpty)
            let page = try await session.get("/projects")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("CRM renewal"))

            // The session is stored in the database: a second application on the same database would accept it.
            let (stored, _) = try #require(try await t.store.accounts.session(token: session.cookie))
            #expect(stored.expiresAt > Date())

            // Logout without the CSRF token is refused; with it, the session ends.
            #expect(try await session.post("/logout", [:], csrf: "forged").status == .forbidden)
            #expect(try await session.post("/logout", [:]).status == .seeOther)
            #expect(try await t.store.accounts.session(token: session.cookie) == nil)
            #expect(try await session.get("/projects").status == .seeOther)
        }
    }

    @Test func wrongPasswordSaysNothingMoreAndRepeatedFailuresAreSlowedDown() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await World.make(t)
            let wrongPassword = try await t.send(.POST, "/api/v1/tokens", json: ["email": "pmo@example.com", "password": "nope nope nope"])
            let unknownUser = try await t.send(.POST, "/api/v1/tokens", json: ["email": "ghost@example.com", "password": "nope nope nope"])
            #expect(wrongPassword.status == .unauthorized && unknownUser.status == .unauthorized)
            #expect(wrongPassword.json["detail"] as? String == unknownUser.json["detail"] as? String)
            #expect(wrongPassword.problemCode == "auth.invalid_credentials")
            for _ in 0..<4 {
                _ = try await t.send(.POST, "/api/v1/tokens", json: ["email": "pmo@example.com", "password": "still wrong"])
            }
            // Five failures for this account: even the right password now waits.
            let blocked = try await t.send(.POST, "/api/v1/tokens", json: ["email": "pmo@example.com", "password": World.password])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers.first(name: .retryAfter) != nil)
            #expect(blocked.problemCode == "auth.too_many_attempts")
        }
    }

    @Test(arguments: TestDatabase.available)
    func tokensAreCreatedNamedListedAndRevoked(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            _ = try await World.make(t)
            let created = try await t.send(.POST, "/api/v1/tokens", json: ["email": "member@example.com", "password": World.password, "name": "weekly report"])
            #expect(created.status == .created)
            let token = try #require(created.json["token"] as? String)
            #expect(token.hasPrefix("pmo_") && token.count >= 4 + 43)  // 256 bits in base64url
            let me = try await t.send(.GET, "/api/v1/me", token: token)
            #expect((me.json["user"] as? [String: Any])?["email"] as? String == "member@example.com")
            #expect(((me.json["projects"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String } == ["CRM"])

            // Only the hash is stored.
            let stored = try await t.store.accounts.apiTokens(userID: try #require(try await t.store.accounts.user(email: "member@example.com")).id!)
            #expect(stored.contains { $0.name == "weekly report" && $0.tokenHash != token && $0.tokenHash.count == 64 })
            let listed = try await t.send(.GET, "/api/v1/tokens", token: token)
            #expect(listed.items.contains { $0["name"] as? String == "weekly report" && $0["token"] == nil })

            // A blank name is no name.
            let unnamed = try await t.send(.POST, "/api/v1/tokens", json: ["email": "member@example.com", "password": World.password, "name": "  "])
            #expect(unnamed.status == .created)
            #expect(unnamed.json["name"] as? String == "API token")

            let id = try #require(created.json["id"] as? String)
            #expect(try await t.send(.DELETE, "/api/v1/tokens/\(id)", token: token).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test func sessionRequestsToTheAPINeedTheCSRFHeader() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await World.make(t)
            let s = try await BrowserSession.login(t, email: "pmo@example.com")
            let cookie = ("Cookie", "pmo_session=\(s.cookie)")
            #expect(try await t.send(.GET, "/api/v1/me", headers: [cookie]).status == .ok)
            let forged = try await t.send(.POST, "/api/v1/projects/CRM/issues", json: ["title": "from another site"], headers: [cookie])
            #expect(forged.status == .forbidden)
            #expect(forged.problemCode == "auth.csrf")
            let real = try await t.send(.POST, "/api/v1/projects/CRM/issues", json: ["title": "from the page"],
                                        headers: [cookie, ("X-CSRF-Token", s.csrf)])
            #expect(real.status == .created)
            // A form post without the token changes nothing either.
            #expect(try await s.post("/projects/CRM/issues", ["title": "forged"], csrf: "").status == .forbidden)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues", headers: [cookie]).items.count == 1)
        }
    }

    @Test func deactivatedUsersLoseSessionsAndTokens() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let s = try await BrowserSession.login(t, email: "member@example.com")
            let member = w.users["member"]!
            let user = try #require(try await t.store.accounts.user(id: member.userID))
            let res = try await t.send(.PATCH, "/api/v1/users/\(member.userID)", token: w.tokens["sysadmin"]!, json: ["isActive": false],
                                       headers: [("If-Match", "\"\(user.version)\"")])
            #expect(res.status == .ok)
            #expect(try await s.get("/projects").status == .seeOther)
            #expect(try await t.send(.GET, "/api/v1/me", token: w.tokens["member"]!).status == .unauthorized)
            #expect(try await t.send(.POST, "/api/v1/tokens", json: ["email": "member@example.com", "password": World.password]).status == .unauthorized)
        }
    }

    @Test func invitationLinkSetsPasswordOnce() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let created = try await t.send(.POST, "/api/v1/users", token: w.tokens["sysadmin"]!, json: [
                "email": "invitee@example.com", "displayName": "Invitee", "companyId": w.vendorA.uuidString, "passwordSetup": "invitation"])
            #expect(created.status == .created)
            let url = try #require(created.json["invitationURL"] as? String)
            let path = String(url[try #require(url.range(of: "/invite/")).lowerBound...])
            let page = try await t.send(.GET, path)
            #expect(page.status == .ok)
            let pre = page.headers.setCookie?["pmo_login_csrf"]?.string ?? ""
            let csrf = BrowserSession.hiddenCSRF(page.body.string)
            let post = try await t.send(.POST, path, rawBody: BrowserSession.form(["_csrf": csrf, "password": "a brand new password"]),
                                        headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "pmo_login_csrf=\(pre)")])
            #expect(post.status == .seeOther)
            #expect(try await t.send(.POST, "/api/v1/tokens", json: ["email": "invitee@example.com", "password": "a brand new password"]).status == .created)
            #expect(try await t.send(.GET, path).status == .notFound)

            let temp = try await t.send(.POST, "/api/v1/users", token: w.tokens["sysadmin"]!, json: [
                "email": "temp@example.com", "displayName": "Temp", "companyId": w.operatorID.uuidString, "passwordSetup": "temporary"])
            let password = try #require(temp.json["temporaryPassword"] as? String)
            #expect(try await t.send(.POST, "/api/v1/tokens", json: ["email": "temp@example.com", "password": password]).status == .created)
        }
    }
}
