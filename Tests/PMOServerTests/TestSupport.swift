import Foundation
import PMOCore
import PMOServer
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// A running application on a fresh database, with helpers to act as different users.
struct TestApp {
    let app: Application
    var store: Store { app.store }

    static func make(_ database: TestDatabase, clock: TestClock? = nil, attachmentLimit: Int64? = nil, smtp: SMTPSettings? = nil) async throws -> TestApp {
        let location = try await database.makeLocation()
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            var config = ServerConfiguration(database: location, bcryptCost: 4, loginFailuresAllowed: 5)
            if let attachmentLimit { config.maxAttachmentBytes = attachmentLimit }
            config.smtp = smtp
            try await configure(app, config)
            if let clock { app.useClock { clock.now() } }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return TestApp(app: app)
    }

    func shutdown() async throws { try await app.asyncShutdown() }

    /// Runs `body` with a fresh app and always shuts it down.
    static func with(_ database: TestDatabase, clock: TestClock? = nil, attachmentLimit: Int64? = nil, smtp: SMTPSettings? = nil,
                     _ body: (TestApp) async throws -> Void) async throws {
        let t = try await make(database, clock: clock, attachmentLimit: attachmentLimit, smtp: smtp)
        do { try await body(t) } catch {
            try? await t.shutdown()
            throw error
        }
        try await t.shutdown()
    }
}

/// A clock a test moves: it starts at a local time in Japan and ticks a millisecond per reading (so instants stay
/// distinct), until the test jumps it with `set`.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var next: Date
    init(_ day: String, _ hhmm: String) { next = TestClock.japan(day, hhmm) }
    static func japan(_ day: String, _ hhmm: String) -> Date {
        MeetingService.instant(CivilDate(iso: day)!, minutes: MeetingRecurrence.minutes(ofClock: hhmm)!)
    }
    func set(_ day: String, _ hhmm: String) {
        lock.lock()
        defer { lock.unlock() }
        next = TestClock.japan(day, hhmm)
    }
    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        next = next.addingTimeInterval(0.001)
        return next
    }
    func advance(_ seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        next = next.addingTimeInterval(seconds)
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
        let op = try await store.accounts.createCompany(by: nil, name: "Operator", kind: "operator")
        let va = try await store.accounts.createCompany(by: nil, name: "Vendor A", kind: "vendor")
        let vb = try await store.accounts.createCompany(by: nil, name: "Vendor B", kind: "vendor")
        func user(_ email: String, _ company: UUID, admin: Bool = false) async throws -> Caller {
            try Caller(try await store.accounts.createUser(by: nil, NewUser(email: email, displayName: email.components(separatedBy: "@")[0],
                                                               companyID: company, locale: "en", isAdmin: admin,
                                                               password: .given(password)), bcryptCost: 4).user)
        }
        let sysadmin = try await user("sysadmin@example.com", op.id!, admin: true)
        _ = try await store.projects.create(by: sysadmin, ProjectFields(key: "CRM", name: "CRM renewal"))
        var users: [String: Caller] = [:]
        let plan: [(String, UUID, ProjectRole?)] = [
            ("admin", op.id!, .admin), ("pmo", op.id!, .pmo), ("pm", op.id!, .pm), ("member", op.id!, .member),
            ("vendorA", va.id!, .vendor), ("vendorB", vb.id!, .vendor), ("viewer", op.id!, .viewer), ("outsider", op.id!, nil),
        ]
        for (name, company, role) in plan {
            let caller = try await user("\(name.lowercased())@example.com", company)
            if let role { try await store.projects.setMembership(by: sysadmin, key: "CRM", userID: caller.userID, role: role.rawValue) }
            users[name] = caller
        }
        var tokens: [String: String] = [:]
        for (name, caller) in users.merging(["sysadmin": sysadmin], uniquingKeysWith: { a, _ in a }) {
            tokens[name] = try await store.accounts.createAPIToken(userID: caller.userID, name: "test").1
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
    (try? JSONDecoder().decode(AnyJSON.self, from: Data(buffer: res.body)))?.value as? [String: Any] ?? [:]
}

/// A JSON answer as dictionaries, arrays, strings, numbers, booleans and NSNull, read with `JSONDecoder`
/// (`JSONSerialization` on Linux drops U+FEFF inside strings, which would hide what the server really sent).
struct AnyJSON: Decodable {
    let value: Any
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = NSNull() }
        else if let b = try? c.decode(Bool.self) { value = b }
        // NSNumber, as JSONSerialization gave: a test may read a number as Int or as Double.
        else if let n = try? c.decode(Int.self) { value = NSNumber(value: n) }
        else if let n = try? c.decode(Double.self) { value = NSNumber(value: n) }
        else if let s = try? c.decode(String.self) { value = s }
        else if let a = try? c.decode([AnyJSON].self) { value = a.map(\.value) }
        else { value = try c.decode([String: AnyJSON].self).mapValues(\.value) }
    }
}

extension TestApp {
    /// Sends one request through the whole application (middleware, routing, error mapping).
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, json: [String: Any?]? = nil,
              rawBody: String? = nil, headers extra: [(String, String)] = [], body bytes: ByteBuffer? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer? = bytes
        if let json {
            headers.contentType = .json
            body = jsonBody(json)
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
        }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        try await checkSchema(method, path, response)
        return response
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
