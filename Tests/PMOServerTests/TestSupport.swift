import Foundation
import PMOCore
import PMOServer
import PMOStore
import Testing
import Vapor
import VaporTesting

/// Which databases the server suites run on: SQLite always, PostgreSQL when `PMO_TEST_POSTGRES_URL` is set.
/// With `CI` set and no URL, the PostgreSQL variant fails instead of skipping.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }

    static var all: [TestDatabase] { [.sqlite, .postgres] }

    /// A fresh, empty database of this kind, unique to the caller.
    func makeLocation() async throws -> DatabaseLocation {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return .sqlite(path: dir.appendingPathComponent("test.sqlite").path)
        case .postgres:
            return try await PostgresTestServer.freshDatabase()
        }
    }
}

/// Makes one PostgreSQL database per test on the server named by `PMO_TEST_POSTGRES_URL`.
enum PostgresTestServer {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "CI is set but PMO_TEST_POSTGRES_URL is not: the PostgreSQL suites cannot run." }
    }
    struct NotLocal: Error, CustomStringConvertible {
        var description: String { "PMO_TEST_POSTGRES_URL must point at a local server (127.0.0.1 or localhost); tests create and drop databases there." }
    }

    static var baseURL: String? { ProcessInfo.processInfo.environment["PMO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }
    /// Whether PostgreSQL variants run here (they fail under CI without a URL rather than skip).
    static var isAvailable: Bool { baseURL != nil || isRequired }

    static func freshDatabase() async throws -> DatabaseLocation {
        guard let base = baseURL else { throw Missing() }
        guard var components = URLComponents(string: base) else { throw NotLocal() }
        guard ["127.0.0.1", "localhost", "::1"].contains(components.host ?? "") else { throw NotLocal() }
        let name = "pmo_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let app = try await Application.make(.testing)
        do {
            try app.useDatabase(.postgres(url: base))
            try await app.store.createDatabase(named: String(name))
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        components.path = "/" + name
        return .postgres(url: components.string!)
    }
}

/// A running application on a fresh database, with helpers to act as different users.
struct TestApp {
    let app: Application
    var store: Store { app.store }

    static func make(_ database: TestDatabase, now: Date? = nil) async throws -> TestApp {
        let location = try await database.makeLocation()
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try await configure(app, ServerConfiguration(database: location, bcryptCost: 4, loginFailuresAllowed: 5))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return TestApp(app: app)
    }

    func shutdown() async throws { try await app.asyncShutdown() }

    /// Runs `body` with a fresh app and always shuts it down.
    static func with(_ database: TestDatabase, _ body: (TestApp) async throws -> Void) async throws {
        let t = try await make(database)
        do { try await body(t) } catch {
            try? await t.shutdown()
            throw error
        }
        try await t.shutdown()
    }
}

/// A small world: one project CRM, an operator company, two vendors and one user per role.
struct World {
    var admin: Caller
    var users: [String: Caller]          // by role name: admin(project), pmo, pm, member, vendorA, vendorB, viewer, outsider
    var tokens: [String: String]         // API tokens by the same names, plus "sysadmin"
    var operatorID: UUID
    var vendorA: UUID
    var vendorB: UUID
    static let password = "correct horse battery"

    static func make(_ t: TestApp) async throws -> World {
        let store = t.store
        let op = try await store.createCompany(by: nil, name: "Operator", kind: "operator")
        let va = try await store.createCompany(by: nil, name: "Vendor A", kind: "vendor")
        let vb = try await store.createCompany(by: nil, name: "Vendor B", kind: "vendor")
        func user(_ email: String, _ company: UUID, admin: Bool = false) async throws -> Caller {
            Caller(try await store.createUser(by: nil, NewUser(email: email, displayName: email.components(separatedBy: "@")[0],
                                                               companyID: company, locale: "en", isAdmin: admin,
                                                               password: .given(password)), bcryptCost: 4).user)
        }
        let sysadmin = try await user("sysadmin@example.com", op.id!, admin: true)
        _ = try await store.createProject(by: sysadmin, ProjectFields(key: "CRM", name: "CRM renewal"))
        var users: [String: Caller] = [:]
        let plan: [(String, UUID, ProjectRole?)] = [
            ("admin", op.id!, .admin), ("pmo", op.id!, .pmo), ("pm", op.id!, .pm), ("member", op.id!, .member),
            ("vendorA", va.id!, .vendor), ("vendorB", vb.id!, .vendor), ("viewer", op.id!, .viewer), ("outsider", op.id!, nil),
        ]
        for (name, company, role) in plan {
            let caller = try await user("\(name.lowercased())@example.com", company)
            if let role { try await store.setMembership(by: sysadmin, key: "CRM", userID: caller.userID, role: role.rawValue) }
            users[name] = caller
        }
        var tokens: [String: String] = [:]
        for (name, caller) in users.merging(["sysadmin": sysadmin], uniquingKeysWith: { a, _ in a }) {
            tokens[name] = try await store.createAPIToken(userID: caller.userID, name: "test").1
        }
        return World(admin: sysadmin, users: users, tokens: tokens, operatorID: op.id!, vendorA: va.id!, vendorB: vb.id!)
    }
}

extension HTTPHeaders {
    static func bearer(_ token: String) -> HTTPHeaders {
        var h = HTTPHeaders()
        h.bearerAuthorization = BearerAuthorization(token: token)
        return h
    }
}

/// Encodes a JSON body for a test request.
func jsonBody(_ object: [String: Any?]) -> ByteBuffer {
    let clean = object.mapValues { $0 ?? NSNull() }
    return ByteBuffer(data: try! JSONSerialization.data(withJSONObject: clean))
}

func decodeJSON(_ res: TestingHTTPResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer: res.body))) as? [String: Any] ?? [:]
}

extension TestDatabase {
    /// SQLite always; PostgreSQL when a server is given, or when CI demands it (then a missing URL fails the test).
    static var available: [TestDatabase] { PostgresTestServer.isAvailable ? [.sqlite, .postgres] : [.sqlite] }
}

extension TestApp {
    /// Sends one request through the whole application (middleware, routing, error mapping).
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, json: [String: Any?]? = nil,
              rawBody: String? = nil, headers extra: [(String, String)] = []) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = jsonBody(json)
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
        }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }

    /// Creates an issue through the API and returns its number.
    func createIssue(_ token: String, _ fields: [String: Any?]) async throws -> Int {
        let res = try await send(.POST, "/api/v1/projects/CRM/issues", token: token, json: fields)
        #expect(res.status == .created, "\(res.body.string)")
        return decodeJSON(res)["number"] as? Int ?? -1
    }
}

extension TestingHTTPResponse {
    var json: [String: Any] { decodeJSON(self) }
    var items: [[String: Any]] { (json["items"] as? [[String: Any]]) ?? [] }
    var problemCode: String? { json["code"] as? String }
    var fieldErrors: [String] { ((json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } }
}
