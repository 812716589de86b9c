import Foundation
import PMOCore
import PMOServer
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// What the outside probe found: one request stopping the server, an open redirect after sign-in, control characters
/// stored, 404 for a wrong method, validation answered before authorization, and missing cache and HTTPS headers.
@Suite("Hardening: crashes, redirects, control characters, methods, authorization order, headers")
struct HardeningTests {
    /// The four requests that stopped the server get 4xx naming the field, and the server answers the next request.
    @Test(arguments: TestDatabase.available)
    func theFourCrashingRequestsAreRefused(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let issue = try await t.createIssue(pmo, ["title": "Links need a target"])
            _ = try await t.send(.POST, "/api/v1/projects/CRM/plan/activities", token: pmo, json: ["name": "Design"])

            let link = try await t.send(.POST, "/api/v1/projects/CRM/issues/\(issue)/links", token: pmo, json: ["to": nil])
            #expect(link.status == .unprocessableEntity)
            #expect(link.fieldErrors == ["to"])
            // Even for a project that does not exist: the caller learns nothing, and nothing crashes.
            let nowhere = try await t.send(.POST, "/api/v1/projects/NOPE/issues/1/links", token: w.tokens["member"]!, json: ["to": nil])
            #expect(nowhere.status == .notFound)

            let move = try await t.send(.POST, "/api/v1/projects/CRM/plan/activities/1/move", token: pmo, json: ["move": nil])
            #expect(move.status == .unprocessableEntity)
            #expect(move.fieldErrors == ["move"])
            // A vendor may not restructure the plan: 403 before the body is judged.
            let vendorMove = try await t.send(.POST, "/api/v1/projects/CRM/plan/activities/1/move", token: w.tokens["vendorA"]!, json: ["move": nil])
            #expect(vendorMove.status == .forbidden)

            let outsider = w.users["outsider"]!.userID
            let role = try await t.send(.PUT, "/api/v1/projects/CRM/memberships/\(outsider)", token: pmo, json: ["role": nil])
            #expect(role.status == .unprocessableEntity)
            #expect(role.fieldErrors == ["role"])
            let viewerRole = try await t.send(.PUT, "/api/v1/projects/CRM/memberships/\(outsider)", token: w.tokens["viewer"]!, json: ["role": nil])
            #expect(viewerRole.status == .forbidden)

            let user = try await t.send(.POST, "/api/v1/users", token: w.tokens["sysadmin"]!,
                                        json: ["email": "new@example.com", "displayName": "New", "companyId": nil])
            #expect(user.status == .unprocessableEntity)
            #expect(user.fieldErrors == ["companyId"])

            // Still up, and nothing was stored by the refused requests.
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/\(issue)/links", token: pmo).items.isEmpty)
            #expect(try await t.send(.GET, "/api/v1/users", token: w.tokens["sysadmin"]!).items.count == 9)
        }
    }

    /// A body is judged only for a caller who may use the operation: viewers and outsiders get 403 or 404 whatever
    /// they send, so they cannot learn what a valid body looks like.
    @Test func authorizationComesBeforeValidation() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let viewer = w.tokens["viewer"]!
            for (method, path) in [(HTTPMethod.POST, "/api/v1/projects/CRM/issues"), (.POST, "/api/v1/projects/CRM/risks"),
                                   (.POST, "/api/v1/projects/CRM/plan/dependencies"), (.PUT, "/api/v1/projects/CRM/plan/phases"),
                                   (.POST, "/api/v1/projects/CRM/meetings"), (.POST, "/api/v1/projects/CRM/reports")] {
                for body in [["title": 12] as [String: Any?], ["nonsense": true], [:]] {
                    let res = try await t.send(method, path, token: viewer, json: body)
                    #expect(res.status == .forbidden, "\(method) \(path) \(body): \(res.status) \(res.body.string)")
                }
                let malformed = try await t.send(method, path, token: viewer, rawBody: "{", headers: [("Content-Type", "application/json")])
                #expect(malformed.status == .forbidden, "\(method) \(path) malformed: \(malformed.status)")
                let outsider = try await t.send(method, path, token: w.tokens["outsider"]!, json: ["title": 12])
                #expect(outsider.status == .notFound, "\(method) \(path) outsider: \(outsider.status)")
                let anonymous = try await t.send(method, path, json: ["title": 12])
                #expect(anonymous.status == .unauthorized)
            }
            // A vendor writes to registers, but not the plan's structure, meeting series or reports.
            let vendor = w.tokens["vendorA"]!
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues", token: vendor, json: ["title": 12]).status == .unprocessableEntity)
            #expect(try await t.send(.PUT, "/api/v1/projects/CRM/plan/phases", token: vendor, json: ["items": 1]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/companies", token: w.tokens["pmo"]!, json: ["name": 1]).status == .forbidden)
            // Those who may get the field-level answer.
            let pmo = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: w.tokens["pmo"]!, json: ["title": 12])
            #expect(pmo.status == .unprocessableEntity && pmo.fieldErrors == ["title"])
        }
    }

    /// Headers every page and API request may carry, in forms no browser sends, are read without a crash.
    @Test func hostileHeadersAreReadAsSomething() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            for value in [";", ",", ",,;q=x;;", "ja;q=nan,en;q=1e999", ";;;ja", String(repeating: "en-", count: 3_000)] {
                let page = try await t.send(.GET, "/login", headers: [("Accept-Language", value)])
                #expect(page.status == .ok, "Accept-Language \(value.prefix(20).debugDescription)")
                let missing = try await t.send(.GET, "/no-such-page", headers: [("Accept-Language", value)])
                #expect(missing.status == .notFound)
                let api = try await t.send(.GET, "/api/v1/projects", token: w.tokens["pmo"]!, headers: [("Accept-Language", value)])
                #expect(api.status == .ok)
            }
            #expect(try await t.send(.GET, "/login", headers: [("Accept-Language", "en;q=0.1, ja;q=0.9")]).body.string.contains("lang=\"ja\""))
        }
    }

    @Test func aKnownPathWithAnotherMethodIs405WithAllow() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let res = try await t.send(.PUT, "/api/v1/projects/CRM/issues", token: w.tokens["pmo"]!, json: ["title": "x"])
            #expect(res.status == .methodNotAllowed)
            #expect(res.problemCode == "route.method_not_allowed")
            #expect(res.headers.first(name: .allow) == "GET, HEAD, POST")
            let issue = try await t.send(.POST, "/api/v1/projects/CRM/issues/1", token: w.tokens["pmo"]!, json: ["title": "x"])
            #expect(issue.status == .methodNotAllowed)
            #expect(issue.headers.first(name: .allow) == "DELETE, GET, HEAD, PATCH")
            // A path whose last segment another route names (`import`, `export.csv`) is that path, not an item
            // numbered so: DELETE there is 405 before the item route can ask for If-Match.
            for (method, path, allow) in [(HTTPMethod.DELETE, "/api/v1/projects/CRM/decisions/import", "POST"),
                                          (.DELETE, "/api/v1/projects/CRM/changes/export.csv", "GET, HEAD"),
                                          (.GET, "/api/v1/projects/CRM/actions/import", "POST")] {
                let shadowed = try await t.send(method, path, token: w.tokens["pmo"]!)
                #expect(shadowed.status == .methodNotAllowed, "\(method) \(path)")
                #expect(shadowed.headers.first(name: .allow) == allow, "\(method) \(path)")
            }
            // Pages too; and an unknown path stays 404.
            let page = try await t.send(.DELETE, "/login")
            #expect(page.status == .methodNotAllowed)
            #expect(page.headers.first(name: .allow) == "GET, HEAD, POST")
            #expect(try await t.send(.GET, "/api/v1/nothing-here", token: w.tokens["pmo"]!).status == .notFound)
        }
    }

    /// After sign-in the browser goes only to a path on this site.
    @Test func signInRedirectsOnlyToThisSite() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await World.make(t)
            func landing(_ next: String) async throws -> String? {
                let page = try await t.send(.GET, "/login")
                let cookie = page.headers.setCookie?["pmo_login_csrf"]?.string ?? ""
                let csrf = BrowserSession.hiddenCSRF(page.body.string)
                let res = try await t.send(.POST, "/login",
                                           rawBody: BrowserSession.form(["_csrf": csrf, "email": "pmo@example.com", "password": World.password, "next": next]),
                                           headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "pmo_login_csrf=\(cookie)")])
                #expect(res.status == .seeOther)
                return res.headers.first(name: .location)
            }
            for hostile in ["/\\evil.example", "//evil.example", "https://evil.example/", "/\t/evil.example", "\\\\evil.example",
                            "javascript:alert(1)", "/ok\r\nSet-Cookie: x=1", "evil.example", ""] {
                #expect(try await landing(hostile) == "/projects", "next=\(hostile.debugDescription)")
            }
            #expect(try await landing("/projects/CRM/issues?status=open") == "/projects/CRM/issues?status=open")
            // The login page does not carry a hostile next into its form either.
            let page = try await t.send(.GET, "/login?next=%2F%5Cevil.example")
            #expect(page.body.string.contains("name=\"next\" value=\"/projects\""))
        }
    }

    /// Control characters are refused with 422 naming the field, in the API (at any depth), in forms and in imports;
    /// CRLF is stored as LF.
    @Test(arguments: TestDatabase.available)
    func controlCharactersAreRefusedAndLineEndsNormalised(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let nul = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: pmo, json: ["title": "bad\u{0}title"])
            #expect(nul.status == .unprocessableEntity)
            #expect(nul.fieldErrors == ["title"])
            #expect((nul.json["errors"] as? [[String: Any]])?.first?["code"] as? String == "control_character")
            #expect(nul.body.string.contains("U+0000"))
            let activity = try await t.send(.POST, "/api/v1/projects/CRM/plan/activities", token: pmo, json: ["name": "Design\u{1}"])
            #expect(activity.status == .unprocessableEntity && activity.fieldErrors == ["name"])
            let c1 = try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: ["title": "ok", "description": "a\u{85}b"])
            #expect(c1.status == .unprocessableEntity && c1.fieldErrors == ["description"])
            // Nested: the phases' list names the item and field.
            let phases = try await t.send(.PUT, "/api/v1/projects/CRM/plan/phases", token: pmo,
                                          json: ["items": [["name": "Build", "definition": "", "exitCriteria": ""],
                                                           ["name": "Te\u{7}st", "definition": "", "exitCriteria": ""]]])
            #expect(phases.status == .unprocessableEntity)
            #expect(phases.fieldErrors.contains("items[1].name"))

            // CRLF and a lone CR are stored as LF; tab stays.
            let crlf = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: pmo,
                                        json: ["title": "Line ends", "description": "one\r\ntwo\rthree\tfour"])
            #expect(crlf.status == .created)
            #expect(crlf.json["description"] as? String == "one\ntwo\nthree\tfour")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues", token: pmo).items.count == 1)

            // A form: 422 error page naming the field, nothing stored.
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            let form = try await session.post("/projects/CRM/issues", ["title": "form\u{0}title"])
            #expect(form.status == .unprocessableEntity)
            #expect(form.body.string.contains("U+0000"))
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues", token: pmo).items.count == 1)

            // A CSV import: the cell is named, nothing is stored.
            let header = String(decoding: Data(buffer: try await t.send(.GET, "/api/v1/projects/CRM/actions/export.csv", token: pmo).body),
                                as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let columns = header.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}\"")) }
            func row(_ title: String) -> String {
                columns.map { $0 == "Title" ? "\"\(title)\"" : ($0 == "Status" ? "open" : "") }.joined(separator: ",")
            }
            let csv = header + "\r\n" + row("fine") + "\r\n" + row("bad\u{1}cell") + "\r\n"
            let imported = try await t.send(.POST, "/api/v1/projects/CRM/actions/import?mode=apply", token: pmo, rawBody: csv,
                                            headers: [("Content-Type", "text/csv")])
            #expect(imported.status == .unprocessableEntity, "\(imported.body.string)")
            #expect(imported.body.string.contains("U+0001"))
            #expect(imported.body.string.contains("\"line\":3"), "the error names the line: \(imported.body.string)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/actions", token: pmo).items.isEmpty)
        }
    }

    /// API answers and signed-in pages are never cached; HSTS and Secure cookies over HTTPS (a trusted proxy's
    /// X-Forwarded-Proto, or PMO_SECURE_COOKIES), never from an untrusted peer's header.
    @Test func cachingAndHTTPSHeaders() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let api = try await t.send(.GET, "/api/v1/projects", token: w.tokens["pmo"]!)
            #expect(api.headers.first(name: .cacheControl) == "no-store")
            let problem = try await t.send(.GET, "/api/v1/projects/NOPE", token: w.tokens["pmo"]!)
            #expect(problem.headers.first(name: .cacheControl) == "no-store")
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            #expect(try await session.get("/projects").headers.first(name: .cacheControl) == "no-store")
            #expect(try await session.get("/settings").headers.first(name: .cacheControl) == "no-store")
            #expect(try await t.send(.GET, "/app.css").headers.first(name: .cacheControl)?.hasPrefix("public") == true)
            // The test peer is not a trusted proxy: its X-Forwarded-Proto is ignored.
            let spoofed = try await t.send(.GET, "/login", headers: [("X-Forwarded-Proto", "https")])
            #expect(spoofed.headers.first(name: "Strict-Transport-Security") == nil)
            #expect(spoofed.headers.setCookie?["pmo_login_csrf"]?.isSecure == false)
        }
        // Behind a trusted proxy that says https.
        let location = try await TestDatabase.sqlite.makeLocation()
        let app = try await Application.make(.testing)
        var live: LiveServer?  // stopped on every way out (see the throttle test below)
        do {
            try await configure(app, ServerConfiguration(database: location, bcryptCost: 4,
                                                         trustedProxies: try TrustedProxies(parsing: "127.0.0.1, ::1")))
            let server = try await LiveServer.start(app)
            live = server
            let res = try await server.send(.GET, "/login", headers: ["X-Forwarded-Proto": "https"])
            #expect(res.headers.first(name: "Strict-Transport-Security") == "max-age=31536000")
            #expect(res.headers.setCookie?["pmo_login_csrf"]?.isSecure == true)
            let plain = try await server.send(.GET, "/login")
            #expect(plain.headers.first(name: "Strict-Transport-Security") == nil)
            await server.stop()
        } catch {
            await live?.stop()
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Guesses sent at once cannot all pass the lock check before any of them failed: each attempt is counted before
    /// its password is checked.
    @Test func parallelGuessesStopAtTheLimit() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await World.make(t)
            let started = Date()
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        try await t.send(.POST, "/api/v1/tokens", json: ["email": "member@example.com", "password": "guess number \(i)"]).status
                    }
                }
                var all: [HTTPResponseStatus] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.filter { $0 == .unauthorized }.count <= 5, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 7, "\(statuses)")
            // The account stays locked, even for its right password, with the real remaining time.
            let locked = try await t.send(.POST, "/api/v1/tokens", json: ["email": "member@example.com", "password": World.password])
            #expect(locked.status == .tooManyRequests)
            // The lock's 900 s, less the time the guesses took (a loaded machine takes a while over twelve bcrypt checks).
            let spent = Int(Date().timeIntervalSince(started).rounded(.up))
            #expect(((900 - spent - 2)...900).contains(Int(locked.headers.first(name: .retryAfter) ?? "") ?? 0))
        }
    }

    /// Behind a trusted proxy the client address is the right-most X-Forwarded-For entry that is not a proxy; from any
    /// other peer the header is ignored, so it cannot be used to escape the throttle.
    @Test func throttleCountsForwardedClientsOnlyBehindTrustedProxies() async throws {
        let location = try await TestDatabase.sqlite.makeLocation()
        let app = try await Application.make(.testing)
        // The live server is stopped on every way out: one left running when a request throws would end the whole
        // test process in Vapor's deinit assertion instead of failing this test.
        var live: LiveServer?
        do {
            try await configure(app, ServerConfiguration(database: location, bcryptCost: 4,
                                                         trustedProxies: try TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8")))
            let t = TestApp(app: app)
            _ = try await World.make(t)
            let server = try await LiveServer.start(app)
            live = server
            func attempt(_ email: String, _ password: String, forwardedFor: String) async throws -> HTTPResponseStatus {
                var headers = HTTPHeaders()
                headers.contentType = .json
                headers.add(name: .xForwardedFor, value: forwardedFor)
                return try await server.send(.POST, "/api/v1/tokens", headers: headers,
                                             body: jsonBody(["email": email, "password": password])).status
            }
            // Failures for different accounts from one client, up to the address's allowance (the client wrote a fake
            // first entry; a second proxy 10.1.2.3 added the real one): that client's address is locked…
            for i in 0..<SignInLimits().allowedPerAddress {
                #expect(try await attempt("nobody\(i)@example.com", "wrong password", forwardedFor: "198.51.100.\(i), 203.0.113.7, 10.1.2.3") == .unauthorized)
            }
            #expect(try await attempt("pm@example.com", World.password, forwardedFor: "198.51.100.99, 203.0.113.7") == .tooManyRequests)
            // …another client behind the same proxy is not.
            #expect(try await attempt("pm@example.com", World.password, forwardedFor: "203.0.113.8") == .created)
            await server.stop()
        } catch {
            await live?.stop()
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()

        // Without trusted proxies the header is ignored: changing it does not escape the lock.
        try await TestApp.with(.sqlite) { t in
            _ = try await World.make(t)
            for i in 0..<SignInLimits().allowedPerAddress {
                _ = try await t.send(.POST, "/api/v1/tokens", json: ["email": "nobody\(i)@example.com", "password": "wrong password"],
                                     headers: [("X-Forwarded-For", "198.51.100.\(i)")])
            }
            let spoofed = try await t.send(.POST, "/api/v1/tokens", json: ["email": "pm@example.com", "password": World.password],
                                           headers: [("X-Forwarded-For", "192.0.2.200")])
            #expect(spoofed.status == .tooManyRequests)
        }
    }

    /// A temporary password (a new user's or an admin's reset) must be replaced at first sign-in; a reset ends the
    /// user's sessions and revokes their tokens; changing the password keeps the session that made the change.
    @Test(arguments: TestDatabase.available)
    func temporaryPasswordsMustBeChangedAndResetsRevokeCredentials(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let member = w.tokens["member"]!
            let reset = try await t.send(.POST, "/api/v1/users/\(w.users["member"]!.userID)/password-reset", token: w.tokens["sysadmin"]!)
            #expect(reset.status == .ok)
            let temporary = try #require(reset.json["temporaryPassword"] as? String)
            #expect(try await t.send(.GET, "/api/v1/projects", token: member).status == .unauthorized, "a reset revokes the user's tokens")

            // Signing in with the temporary password leads to the password page, and every page leads there.
            let session = try await BrowserSession.login(t, email: "member@example.com", password: temporary, expectLocation: "/settings/password")
            let projects = try await session.get("/projects")
            #expect(projects.status == .seeOther && projects.headers.first(name: .location) == "/settings/password")
            let page = try await session.get("/settings/password/")
            #expect(page.status == .ok && page.body.string.contains("currentPassword"))
            let csrf = BrowserSession.hiddenCSRF(page.body.string)
            // Wrong current password, then two different new ones: refused, nothing changed.
            let wrong = try await session.post("/settings/password", ["currentPassword": "not it at all", "newPassword": "my own long password",
                                                                      "confirmPassword": "my own long password"], csrf: csrf)
            #expect(wrong.status == .unprocessableEntity)
            let differ = try await session.post("/settings/password", ["currentPassword": temporary, "newPassword": "my own long password",
                                                                       "confirmPassword": "another long password"], csrf: csrf)
            #expect(differ.status == .unprocessableEntity)
            // A second browser signed in with the temporary password is signed out by the change.
            let other = try await BrowserSession.login(t, email: "member@example.com", password: temporary, expectLocation: "/settings/password")
            let changed = try await session.post("/settings/password", ["currentPassword": temporary, "newPassword": "my own long password",
                                                                        "confirmPassword": "my own long password"], csrf: csrf)
            #expect(changed.status == .ok, "\(changed.body.string.prefix(300))")
            #expect(try await session.get("/projects").status == .ok)
            #expect(try await other.get("/projects").headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await t.send(.POST, "/api/v1/tokens", json: ["email": "member@example.com", "password": "my own long password"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/tokens", json: ["email": "member@example.com", "password": temporary]).status == .unauthorized)
        }
    }

    /// The schedule's answer is kept per plan version, but never shared between readers who may do different things
    /// with it: a viewer does not get the flags of the member who read it first.
    @Test func aCachedScheduleIsNotSharedAcrossDifferentRights() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let created = try await t.send(.POST, "/api/v1/projects/CRM/plan/activities", token: pmo,
                                           json: ["name": "Member's task", "durationDays": 3, "ownerId": w.users["member"]!.userID.uuidString])
            #expect(created.status == .created, "\(created.body.string)")
            func flag(_ who: String) async throws -> Bool? {
                let s = try await t.send(.GET, "/api/v1/projects/CRM/plan/schedule", token: w.tokens[who]!)
                return s.items.first { $0["name"] as? String == "Member's task" }?["canUpdateProgress"] as? Bool
            }
            #expect(try await flag("member") == true)
            #expect(try await flag("viewer") == false)
            #expect(try await flag("vendorA") == false)
            #expect(try await flag("member") == true)
            #expect(try await flag("pmo") == true)
        }
    }

    @Test func trustedProxiesParseAddressesAndRanges() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8, 192.168.1.7, fd00::/8")
        #expect(proxies.contains("10.200.3.4"))
        #expect(!proxies.contains("11.0.0.1"))
        #expect(proxies.contains("192.168.1.7") && !proxies.contains("192.168.1.8"))
        #expect(proxies.contains("fd12::1") && !proxies.contains("fe80::1"))
        #expect(!proxies.contains("not an address"))
        #expect(throws: TrustedProxiesError.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: TrustedProxiesError.self) { try TrustedProxies(parsing: "proxy.example") }
        #expect(TrustedProxies.none.isEmpty && !TrustedProxies.none.contains("127.0.0.1"))
    }
}
