import Foundation
import PMODemo
import PMOServer
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// Walks the served OpenAPI document and, for every operation, every body field and every parameter, sends what a
/// careless or hostile client would: null, the wrong type, an empty string, an over-long string, a huge number and
/// a missing value, as a system administrator and as a vendor, against the demo project. Any 5xx fails the test; a
/// crash would end the test process, which fails the run. (The probe that found four crashing requests could go no
/// further once the server was down: this goes through all of them.)
@Suite("API walk: hostile values on every operation")
struct APIWalkTests {
    /// The operations are walked in two halves, each against its own demo database, so that the two halves run at
    /// once (the walk is the longest test; sent one after another, its requests keep one core busy for half an hour).
    @Test(arguments: [0, 1])
    func everyOperationAnswersHostileValuesWithoutAServerError(half: Int) async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await DemoData.load(into: t.store, bcryptCost: 4)
            let admin = try await Walker.token(t, "admin@demo.pmo")
            let vendor = try await Walker.token(t, "kaede.lead@demo.pmo")
            let doc = try await t.send(.GET, "/api/v1/openapi.json").json
            let fixtures = try await Walker.Fixtures.gather(t, token: admin)
            var walker = Walker(t: t, document: doc, fixtures: fixtures)
            #expect(walker.operations.count > 150)
            walker.keepHalf(half)
            for token in [vendor, admin] { try await walker.walk(token: token) }
            #expect(walker.sent > 10_000, "only \(walker.sent) requests were sent")
            print("API walk, half \(half + 1) of 2: \(walker.sent) requests; answers by status: \(walker.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "))")
            // Most requests must get past authorization and existence checks to the field rules (422) or through.
            #expect((walker.statuses[422] ?? 0) + (walker.statuses[200] ?? 0) + (walker.statuses[201] ?? 0) > walker.sent / 2)
            #expect(walker.failures.isEmpty, "\(walker.failures.count) server errors:\n\(walker.failures.prefix(40).joined(separator: "\n"))")
            // Every answer that is not a success is a problem document with a code.
            #expect(walker.unexplained.isEmpty, "answers without a problem code:\n\(walker.unexplained.prefix(20).joined(separator: "\n"))")
            // Still answering, with the right data.
            #expect(try await t.send(.GET, "/api/v1/health").status == .ok)
        }
    }
}

/// Generates and sends the hostile requests; collects every 5xx.
struct Walker {
    let t: TestApp
    let schemas: [String: Any]
    private(set) var operations: [(method: HTTPMethod, path: String, operation: [String: Any])]
    let fixtures: Fixtures
    var sent = 0
    var failures: [String] = []
    var unexplained: [String] = []
    /// How often each status answered, so a run that only met 403s and 404s shows itself.
    var statuses: [UInt: Int] = [:]

    init(t: TestApp, document: [String: Any], fixtures: Fixtures) {
        self.t = t
        self.fixtures = fixtures
        schemas = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
        var ops: [(HTTPMethod, String, [String: Any])] = []
        for (path, methods) in (document["paths"] as? [String: [String: Any]]) ?? [:] {
            for (method, op) in methods {
                guard let op = op as? [String: Any] else { continue }
                ops.append((HTTPMethod(rawValue: method.uppercased()), path, op))
            }
        }
        // Deletes last, so that the items the other operations need are still there.
        operations = ops.sorted { a, b in
            let (ad, bd) = (a.0 == .DELETE, b.0 == .DELETE)
            return ad != bd ? !ad : (a.1, a.0.rawValue) < (b.1, b.0.rawValue)
        }.map { (method: $0.0, path: $0.1, operation: $0.2) }
    }

    /// Keeps every other operation (`half` 0 or 1), each half keeping the deletes last.
    mutating func keepHalf(_ half: Int) {
        operations = operations.enumerated().filter { $0.offset % 2 == half }.map(\.element)
    }

    /// Real ids of the demo, so that requests reach the code behind the existence checks.
    struct Fixtures {
        var ids: [String: String] = [:]

        static func gather(_ t: TestApp, token: String) async throws -> Fixtures {
            var f = Fixtures()
            func get(_ path: String) async throws -> [String: Any] { try await t.send(.GET, "/api/v1" + path, token: token).json }
            func firstID(_ path: String, _ key: String = "id") async throws -> String? {
                ((try await get(path))["items"] as? [[String: Any]])?.first.flatMap { $0[key].map { "\($0)" } }
            }
            f.ids["key"] = "CRM"
            let schedule = try await get("/projects/CRM/plan/schedule")
            let activities = (schedule["items"] as? [[String: Any]]) ?? []
            f.ids["uid@activities"] = activities.last { ($0["kind"] as? String) == "task" }?["uid"].map { "\($0)" }
            f.ids["uid@calendars"] = try await firstID("/projects/CRM/plan/calendars", "uid")
            f.ids["id@dependencies"] = try await firstID("/projects/CRM/plan/dependencies")
            f.ids["companyId@companies"] = try await firstID("/companies")
            f.ids["n@baselines"] = "0"
            let series = try await firstID("/projects/CRM/meetings")
            f.ids["id@meetings"] = series
            f.ids["number@occurrences"] = "1"
            if let series {
                let occurrence = try await get("/projects/CRM/meetings/\(series)/occurrences/1")
                f.ids["itemId@items"] = ((occurrence["agenda"] as? [[String: Any]]) ?? (occurrence["items"] as? [[String: Any]]))?
                    .first?["id"].map { "\($0)" }
            }
            f.ids["id@reports"] = try await firstID("/projects/CRM/reports")
            let users = ((try await get("/users"))["items"] as? [[String: Any]]) ?? []
            f.ids["userId@memberships"] = users.first { ($0["email"] as? String) == "member2@demo.pmo" }?["id"] as? String
            f.ids["id@users"] = f.ids["userId@memberships"]
            f.ids["user"] = users.first { ($0["email"] as? String) == "member@demo.pmo" }?["id"] as? String
            let spare = try await t.send(.POST, "/api/v1/tokens", token: token, json: ["name": "walk target"]).json
            f.ids["id@tokens"] = spare["id"] as? String
            f.ids["linkId@links"] = try await firstID("/projects/CRM/issues/1/item-links")
            for register in ["issues", "risks", "decisions", "questions", "changes", "actions"] { f.ids["number@\(register)"] = "1" }
            return f
        }

        func value(_ name: String, after segment: String) -> String {
            ids["\(name)@\(segment)"] ?? ids[name] ?? UUID().uuidString.lowercased()
        }
    }

    static func token(_ t: TestApp, _ email: String) async throws -> String {
        let res = try await t.send(.POST, "/api/v1/tokens", json: ["email": email, "password": DemoData.password, "name": "walk"])
        return try #require(res.json["token"] as? String, "no token for \(email): \(res.body.string)")
    }

    // MARK: Schemas

    func resolve(_ schema: Any?) -> [String: Any] {
        guard var s = schema as? [String: Any] else { return [:] }
        if let ref = s["$ref"] as? String {
            return resolve(schemas[String(ref.dropFirst("#/components/schemas/".count))])
        }
        for key in ["oneOf", "anyOf"] {
            if let options = s[key] as? [Any] {
                let first = options.map(resolve).first { ($0["type"] as? String) != "null" } ?? [:]
                s = first.merging(s.filter { $0.key != key }) { a, _ in a }
            }
        }
        return s
    }

    func type(_ s: [String: Any]) -> String {
        if let t = s["type"] as? String { return t }
        if let list = s["type"] as? [String] { return list.first { $0 != "null" } ?? "string" }
        if s["properties"] != nil { return "object" }
        return "string"
    }

    /// A plausible valid value: the first choice, a real id for ids, a date for dates.
    func plain(_ raw: Any?, name: String, depth: Int = 0) -> Any {
        let s = resolve(raw)
        if let choices = s["enum"] as? [Any], let first = choices.first { return first }
        switch type(s) {
        case "integer": return (s["minimum"] as? Int).map { max($0, 1) } ?? 1
        case "number": return (s["minimum"] as? Double).map { max($0, 1) } ?? 1
        case "boolean": return false
        case "array": return depth > 2 ? [] : [plain(s["items"], name: name, depth: depth + 1)]
        case "object":
            guard depth <= 2 else { return [String: Any]() }
            var o: [String: Any] = [:]
            let props = (s["properties"] as? [String: Any]) ?? [:]
            for key in (s["required"] as? [String]) ?? [] { o[key] = plain(props[key], name: key, depth: depth + 1) }
            return o
        default:
            switch s["format"] as? String {
            case "date": return "2026-12-01"
            case "date-time": return "2026-12-01T09:00:00Z"
            case "uuid":
                let lower = name.lowercased()
                if lower.contains("compan") { return fixtures.ids["companyId@companies"] ?? UUID().uuidString }
                return fixtures.ids["user"] ?? UUID().uuidString
            default:
                if let min = s["minLength"] as? Int, min > 4 { return String(repeating: "w", count: min) }
                return "walk"
            }
        }
    }

    /// Hostile values for a field of schema `s`.
    func hostile(_ raw: Any?) -> [Any] {
        let s = resolve(raw)
        let long = String(repeating: "長", count: max(((s["maxLength"] as? Int) ?? 0) + 1, 20_001))
        var values: [Any] = [NSNull(), "", long, 1e308, -1e308, 9_223_372_036_854_775_807.0, -1, 0.5, [String: Any](), [Any]()]
        switch type(s) {
        case "string": values.append(12_345)
        case "integer", "number": values += ["abc", true]
        case "boolean": values += ["yes", 1]
        case "array": values += [["x": 1], [NSNull()], [1e308], [["nested": NSNull()]]]
        case "object": values += [[1, 2], ["unknown": NSNull()]]
        default: break
        }
        return values
    }

    // MARK: Sending

    mutating func walk(token: String) async throws {
        for op in operations {
            let segments = op.path.split(separator: "/").map(String.init)
            var pathValues: [String: String] = [:]
            for (i, part) in segments.enumerated() where part.hasPrefix("{") {
                let name = String(part.dropFirst().dropLast())
                pathValues[name] = fixtures.value(name, after: i > 0 ? segments[i - 1] : "")
            }
            func path(_ values: [String: String], query: String = "") -> String {
                var p = op.path
                for (k, v) in values { p = p.replacingOccurrences(of: "{\(k)}", with: v) }
                return p + (query.isEmpty ? "" : "?" + query)
            }
            let parameters = (op.operation["parameters"] as? [[String: Any]]) ?? []
            let usesIfMatch = parameters.contains { ($0["name"] as? String) == "If-Match" }
            let queryNames = parameters.filter { ($0["in"] as? String) == "query" }.compactMap { $0["name"] as? String }
            let body = ((op.operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])
            let contentType = body?.keys.sorted().first
            let schema = resolve((body?[contentType ?? ""] as? [String: Any])?["schema"])
            let isJSON = contentType.map { $0.contains("json") } ?? false
            let baseBody = isJSON ? (plain(schema, name: "") as? [String: Any] ?? [:]) : nil

            // Path parameters.
            for name in pathValues.keys.sorted() {
                for bad in ["0", "-1", "99999999999999999999", "abc", String(repeating: "x", count: 2_000), "%00", "null", "%E2%80%AE"] {
                    var values = pathValues
                    values[name] = bad
                    try await send(op.method, path(values), token: token, json: baseBody, raw: nil, contentType: contentType, ifMatch: usesIfMatch)
                }
            }
            // Query parameters.
            for name in queryNames {
                for bad in ["", "null", "99999999999999999999", "-1", "1e308", String(repeating: "q", count: 3_000), "%00", "a%0Db"] {
                    try await send(op.method, path(pathValues, query: "\(name)=\(bad)"), token: token, json: baseBody, raw: nil,
                                   contentType: contentType, ifMatch: usesIfMatch)
                }
            }
            // Headers every request may carry.
            for (name, bad) in [("Accept-Language", ";"), ("Accept-Language", ",,;q=x;;,ja;q=1e999"), ("Accept-Language", String(repeating: "a-", count: 2_000)),
                                ("Cookie", "pmo_session=\u{1}; pmo_session=garbage"), ("X-Forwarded-For", ", ,::ffff:1.2.3.4, not-an-ip"),
                                ("X-CSRF-Token", ""), ("Content-Type", "application/json; charset=\u{7F}")] {
                try await send(op.method, path(pathValues), token: token, json: baseBody, raw: nil, contentType: contentType,
                               ifMatch: usesIfMatch, extraHeaders: [(name, bad)])
            }
            // If-Match.
            if usesIfMatch {
                for bad in ["", "\"\"", "\"99999999999999999999\"", "W/\"-1\"", "garbage"] {
                    try await send(op.method, path(pathValues), token: token, json: baseBody, raw: nil, contentType: contentType,
                                   ifMatch: true, ifMatchValue: bad)
                }
            }
            guard op.method != .GET && op.method != .DELETE else {
                try await send(op.method, path(pathValues), token: token, json: nil, raw: nil, contentType: nil, ifMatch: usesIfMatch)
                continue
            }
            // Bodies that are not what the operation reads.
            for raw in ["", "null", "[]", "{", "\"text\"", "1e999", "{\"a\":" + String(repeating: "[", count: 600) + "]}"] {
                try await send(op.method, path(pathValues), token: token, json: nil, raw: raw, contentType: contentType ?? "application/json",
                               ifMatch: usesIfMatch)
            }
            if !isJSON {
                // A file upload (MS Project XML, xlsx, csv): garbage of each kind.
                for (raw, type) in [("<Project><Tasks><Task><UID>1e300</UID></Task></Tasks></Project>", "application/xml"),
                                    ("PK\u{3}\u{4}garbage", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                                    ("Title\r\n\"unterminated", "text/csv"), ("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>", "application/xml")] {
                    try await send(op.method, path(pathValues), token: token, json: nil, raw: raw, contentType: type, ifMatch: usesIfMatch)
                }
                continue
            }
            // Each field: hostile values, and missing when required; optional fields once with a plain value too.
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            let required = Set((schema["required"] as? [String]) ?? [])
            for name in properties.keys.sorted() {
                var variants: [Any?] = hostile(properties[name])
                variants.append(plain(properties[name], name: name))
                let nested = resolve((resolve(properties[name])["items"]))
                if type(resolve(properties[name])) == "array", let inner = nested["properties"] as? [String: Any] {
                    // One item with each of its fields hostile.
                    for (innerName, innerSchema) in inner {
                        for bad in hostile(innerSchema) {
                            var item = plain(nested, name: innerName) as? [String: Any] ?? [:]
                            item[innerName] = bad
                            variants.append([item])
                        }
                    }
                }
                for value in variants {
                    var b = baseBody ?? [:]
                    b[name] = value
                    try await send(op.method, path(pathValues), token: token, json: b, raw: nil, contentType: contentType, ifMatch: usesIfMatch)
                }
                if required.contains(name) {
                    var b = baseBody ?? [:]
                    b[name] = nil
                    try await send(op.method, path(pathValues), token: token, json: b, raw: nil, contentType: contentType, ifMatch: usesIfMatch)
                }
            }
            try await send(op.method, path(pathValues), token: token, json: baseBody, raw: nil, contentType: contentType, ifMatch: usesIfMatch)
        }
    }

    mutating func send(_ method: HTTPMethod, _ path: String, token: String, json: [String: Any]?, raw: String?, contentType: String?,
                       ifMatch: Bool, ifMatchValue: String = "*", extraHeaders: [(String, String)] = []) async throws {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        if body != nil, let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) }
        if ifMatch { headers.replaceOrAdd(name: .ifMatch, value: ifMatchValue) }
        for (name, value) in extraHeaders { headers.replaceOrAdd(name: name, value: value) }
        let res = try await t.app.testing().sendRequest(method, path, headers: headers, body: body)
        sent += 1
        statuses[res.status.code, default: 0] += 1
        let shown = path.count > 120 ? String(path.prefix(120)) + "…" : path
        if res.status.code >= 500 {
            let sentBody = raw ?? json.map { String(describing: $0).prefix(300) }.map(String.init) ?? ""
            failures.append("\(res.status.code) \(method) \(shown) \(sentBody) → \(res.body.string.prefix(200))")
        } else if res.status.code >= 400 && res.problemCode == nil && !path.contains("/import") {
            // (An import answers a refused apply with its preview, listing each cell's problem.)
            unexplained.append("\(res.status.code) \(method) \(shown) → \(res.body.string.prefix(200))")
        }
    }
}
