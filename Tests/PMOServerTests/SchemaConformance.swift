import Foundation
import Synchronization
import Testing
import Vapor
import VaporTesting

/// Checks an API answer against the served OpenAPI document: the operation is found by method and path, its response
/// by status (else `default`), its schema by the answer's content type, and the body is validated against it.
/// Objects are checked strictly: a property the schema does not list is a mismatch unless the schema allows others
/// (`additionalProperties`), so the document cannot fall behind what the server sends. `TestApp.send` runs this on
/// every `/api/v1` answer of the API suites; a mismatch fails the test that made the request.
enum SchemaConformance {
    /// The mismatches of one answer, each as "path: what is wrong"; empty when it conforms.
    static func check(document: JSONValue, method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        guard let paths = document["paths"]?.object, let template = template(for: route, in: Array(paths.keys)) else {
            return status == 404 || status == 405 ? [] : ["\(method) \(route): no operation in the document"]
        }
        guard let operation = paths[template]?[method.lowercased()] else {
            return status == 405 || status == 404 ? [] : ["\(method) \(template): the method is not documented"]
        }
        guard let responses = operation["responses"], let response = responses[String(status)] ?? responses["default"] else {
            return ["\(method) \(template): status \(status) is not documented"]
        }
        let media = contentType.map { $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? $0 } ?? ""
        guard let content = response["content"]?.object else {
            return body.isEmpty ? [] : ["\(method) \(template) \(status): a body (\(media)) where the document says none"]
        }
        // `*/*`: a stored file, of whatever type it was given.
        guard let entry = content[media] ?? content["*/*"] else {
            return ["\(method) \(template) \(status): content type \(media) is not one of \(content.keys.sorted())"]
        }
        guard media.hasSuffix("json"), let schema = entry["schema"] else { return [] }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: body) else {
            return ["\(method) \(template) \(status): the body is not JSON"]
        }
        var validator = Validator(document: document)
        validator.validate(value, against: schema, at: "$")
        return validator.mismatches.prefix(10).map { "\(method) \(template) \(status): \($0)" }
    }

    /// The document's path that `route` answers to: literal segments must match; of several, the one with the most
    /// literal segments wins (`/decisions/import` before `/decisions/{number}`), as the router decides.
    static func template(for route: String, in templates: [String]) -> String? {
        let parts = route.split(separator: "/", omittingEmptySubsequences: false)
        var best: (String, Int)?
        for template in templates {
            let pattern = template.split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == parts.count else { continue }
            var literals = 0
            var matches = true
            for (p, s) in zip(pattern, parts) {
                if p.hasPrefix("{") { if s.isEmpty { matches = false; break } } else if p == s { literals += 1 } else { matches = false; break }
            }
            if matches && literals > (best?.1 ?? -1) { best = (template, literals) }
        }
        return best?.0
    }

    struct Validator {
        let document: JSONValue
        var mismatches: [String] = []

        mutating func validate(_ value: JSONValue, against schema: JSONValue, at path: String) {
            if let ref = schema["$ref"]?.string {
                guard let resolved = resolve(ref) else { mismatches.append("\(path): unknown $ref \(ref)"); return }
                validate(value, against: resolved, at: path)
                return
            }
            if let options = schema["oneOf"]?.array ?? schema["anyOf"]?.array {
                let fitting = options.filter { option in
                    var probe = Validator(document: document)
                    probe.validate(value, against: option, at: path)
                    return probe.mismatches.isEmpty
                }
                if fitting.isEmpty {
                    var first = Validator(document: document)
                    if let option = options.first { first.validate(value, against: option, at: path) }
                    mismatches.append("\(path): fits none of its \(options.count) alternatives (\(first.mismatches.first ?? ""))")
                }
                return
            }
            if let all = schema["allOf"]?.array { for part in all { validate(value, against: part, at: path) } }
            if let types = schema["type"].map({ $0.array?.compactMap(\.string) ?? [$0.string ?? ""] }), !types.contains(value.typeName),
               !(types.contains("number") && value.typeName == "integer") {
                mismatches.append("\(path): \(value.typeName) where the schema says \(types.joined(separator: " or "))")
                return
            }
            if let allowed = schema["enum"]?.array, !allowed.contains(value) {
                mismatches.append("\(path): \(value.brief) is not one of \(allowed.map(\.brief).joined(separator: ", "))")
            }
            switch value {
            case .string(let s):
                if let max = schema["maxLength"]?.number, Double(s.count) > max { mismatches.append("\(path): longer than \(Int(max))") }
                if let min = schema["minLength"]?.number, Double(s.count) < min { mismatches.append("\(path): shorter than \(Int(min))") }
                if let format = schema["format"]?.string, !Self.fits(s, format: format) {
                    mismatches.append("\(path): \(value.brief) is not a \(format)")
                }
                if let pattern = schema["pattern"]?.string, s.range(of: pattern, options: .regularExpression) == nil {
                    mismatches.append("\(path): \(value.brief) does not match \(pattern)")
                }
            case .integer(let n):
                checkRange(Double(n), schema, path)
            case .double(let n):
                checkRange(n, schema, path)
            case .array(let items):
                if let itemSchema = schema["items"] {
                    for (i, item) in items.enumerated() { validate(item, against: itemSchema, at: "\(path)[\(i)]") }
                }
            case .object(let object):
                let properties = schema["properties"]?.object ?? [:]
                for name in schema["required"]?.array?.compactMap(\.string) ?? [] where object[name] == nil {
                    mismatches.append("\(path): required property \(name) is missing")
                }
                for (name, item) in object.sorted(by: { $0.key < $1.key }) {
                    if let propertySchema = properties[name] {
                        validate(item, against: propertySchema, at: "\(path).\(name)")
                    } else if let additional = schema["additionalProperties"] {
                        if additional == .bool(false) { mismatches.append("\(path): property \(name) is not allowed") }
                        else if additional.object != nil { validate(item, against: additional, at: "\(path).\(name)") }
                    } else if schema["properties"] != nil {
                        mismatches.append("\(path): property \(name) is not in the schema")
                    }
                }
            case .bool, .null:
                break
            }
        }

        mutating func checkRange(_ n: Double, _ schema: JSONValue, _ path: String) {
            if let min = schema["minimum"]?.number, n < min { mismatches.append("\(path): \(n) is below \(min)") }
            if let max = schema["maximum"]?.number, n > max { mismatches.append("\(path): \(n) is above \(max)") }
        }

        func resolve(_ ref: String) -> JSONValue? {
            guard ref.hasPrefix("#/") else { return nil }
            var node: JSONValue? = document
            for part in ref.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
            return node
        }

        static func fits(_ s: String, format: String) -> Bool {
            switch format {
            case "date": return s.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil
            case "date-time": return s.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#, options: .regularExpression) != nil
            case "uuid": return UUID(uuidString: s) != nil
            case "uri": return URL(string: s) != nil
            default: return true
            }
        }
    }
}

/// A JSON value as it was sent: integers apart from other numbers, booleans apart from numbers.
enum JSONValue: Decodable, Equatable, Sendable {
    case null, bool(Bool), integer(Int), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Int.self) { self = .integer(n) }
        else if let n = try? c.decode(Double.self) { self = .double(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    subscript(key: String) -> JSONValue? { if case .object(let o) = self { o[key] } else { nil } }
    var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var number: Double? {
        switch self {
        case .integer(let n): Double(n)
        case .double(let n): n
        default: nil
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .double(let n): n.rounded() == n && abs(n) < 1e15 ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    var brief: String {
        switch self {
        case .string(let s): "\"\(s.prefix(40))\""
        case .integer(let n): String(n)
        case .double(let n): String(n)
        case .bool(let b): String(b)
        case .null: "null"
        case .array: "[…]"
        case .object: "{…}"
        }
    }
}

extension TestApp {
    /// The served document, read once per test process (it depends only on the code).
    private static let servedDocument = Mutex<JSONValue?>(nil)

    /// Fails the running test for each way `response` does not match the served document.
    func checkSchema(_ method: HTTPMethod, _ path: String, _ response: TestingHTTPResponse) async throws {
        guard path.hasPrefix("/api/v1/"), !path.hasPrefix("/api/v1/openapi.json") else { return }
        var document = Self.servedDocument.withLock { $0 }
        if document == nil {
            let served = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            document = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: served.body))
            Self.servedDocument.withLock { $0 = document }
        }
        guard let document else { return }
        let mismatches = SchemaConformance.check(document: document, method: method.rawValue, path: path,
                                                 status: Int(response.status.code), contentType: response.headers.first(name: .contentType),
                                                 body: Data(buffer: response.body))
        for mismatch in mismatches { Issue.record(Comment(rawValue: "schema: " + mismatch)) }
    }
}
