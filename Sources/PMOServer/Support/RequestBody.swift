import Foundation
import PMOCore
import Vapor

/// A request body as a Swift type: its OpenAPI schema is derived from the type (`DerivedSchema.ofRequest`, with the
/// limits in `schemaHints`), and a request is checked against that same schema before the type is decoded, so the
/// document and what the server accepts cannot drift apart.
///
/// - A field that is not optional is required and may not be null.
/// - An optional field (`String?`) may be left out; null is refused unless the field is a `Sent`.
/// - A `Sent<T>` field tells "left out" from "null" from a value (a PATCH: left out keeps, null clears).
/// - Limits the type cannot say (lengths, ranges, formats, choices) are hints, used by the document and the check.
///
/// Every problem is named at once with the codes the API has always used (`required`, `wrong_type`, `too_long`,
/// `out_of_range`, `invalid_date`, `invalid_id`, `invalid_choice`, `unknown_field`, …); rules that need the stored
/// data (a chair who is a member) stay in the store.
protocol RequestBody: DocumentedBody {
    /// Rules of the whole object the fields cannot say (an agenda item needs a title or a reference).
    static func refined(_ schema: JSONSchema) -> JSONSchema
    /// Problems only the decoded values show (a rule named twice), added after the schema's.
    func problems(_ errors: inout FieldErrors)
}

extension RequestBody {
    static func refined(_ schema: JSONSchema) -> JSONSchema { schema }
    func problems(_ errors: inout FieldErrors) {}

    /// The schema the request is checked against, as the document serves it.
    static var requestSchema: JSONSchema { refined(DerivedSchema.ofRequest(Self.self)) }
}

/// A field of a request body that may be left out, sent as null, or sent with a value.
enum Sent<Value: Decodable>: Decodable, NullableField {
    case absent, null, value(Value)

    /// The value, when one was sent.
    var value: Value? { if case .value(let v) = self { v } else { nil } }
    /// Whether the field was in the body at all (null included).
    var isSent: Bool { if case .absent = self { false } else { true } }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        self = c.decodeNil() ? .null : .value(try c.decode(Value.self))
    }
}

extension Sent: Sendable where Value: Sendable {}

extension Sent {
    /// As a change: nil when left out, `.some(nil)` for null (clear), `.some(value)` to set.
    var change: Value?? {
        switch self {
        case .absent: nil
        case .null: .some(nil)
        case .value(let v): .some(v)
        }
    }
}

extension Sent where Value == String {
    /// The text sent, "" for null, nil when left out: how a PATCH clears a text.
    var textOrEmpty: String? {
        switch self {
        case .absent: nil
        case .null: ""
        case .value(let v): v
        }
    }
}

extension KeyedDecodingContainer {
    /// A `Sent` field: `.absent` when the key is not in the body, `.null` for null, else its value.
    func decode<V: Decodable>(_ type: Sent<V>.Type, forKey key: Key) throws -> Sent<V> {
        guard contains(key) else { return .absent }
        return try decodeIfPresent(Sent<V>.self, forKey: key) ?? .null
    }
}

extension Request {
    /// The body as `T`: JSON, strings cleaned (`TextHygiene`), checked against `T`'s schema with every problem named
    /// (a 422 with `code`), then decoded.
    func body<T: RequestBody>(_ type: T.Type, code: String) throws -> T {
        let schema = T.requestSchema
        var input = try JSONInput(self, allowed: Set(schema.properties?.keys ?? [:].keys))
        // A field whose text was refused for a control character is reported for that alone: its other problems
        // (a pattern) would only describe the character again.
        var shape = FieldErrors()
        RequestCheck.check(.object(input.object), against: schema, at: "", errors: &shape)
        let refused = Set(input.errors.all.map(\.field))
        for e in shape.all where !refused.contains(e.field) { input.errors.add(e.field, e.code, e.message) }
        try input.throwIfAny(code)
        return try T.decodedChecked(input.object, at: "", code: code)
    }
}

extension RequestBody {
    /// A body nested in another (a minutes output's `fields`), checked against this type's schema and decoded as
    /// `req.body` does; its problems are named under `path` (`fields.title`). Its strings were cleaned with the outer body.
    static func nested(_ object: [String: JSONValue], at path: String, code: String) throws -> Self {
        var errors = FieldErrors()
        RequestCheck.check(.object(object), against: requestSchema, at: path, errors: &errors)
        try errors.throwIfAny(code)
        return try decodedChecked(object, at: path, code: code)
    }

    /// Decodes an object the schema accepted, then adds the problems only the values show.
    fileprivate static func decodedChecked(_ object: [String: JSONValue], at path: String, code: String) throws -> Self {
        let body: Self
        do {
            body = try JSONDecoder().decode(Self.self, from: JSONValue.object(object).data)
        } catch {
            // The schema let through what the type cannot read: a gap between the two, so a bug, not the caller's.
            throw Abort(.internalServerError, reason: "\(Self.self) cannot read a body its schema accepts: \(error)")
        }
        var problems = FieldErrors()
        body.problems(&problems)
        var named = FieldErrors()
        for e in problems.all { named.add(path.isEmpty ? e.field : "\(path).\(e.field)", e.code, e.message) }
        try named.throwIfAny(code)
        return body
    }
}

extension JSONValue: Encodable {
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        // Whole numbers as integers, so that an `Int` field reads them.
        case .number(let n): if n.rounded() == n && n.magnitude < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    var data: Data { (try? JSONEncoder().encode(self)) ?? Data("null".utf8) }
}

/// Checks a JSON value against a request schema and names each problem as a field error.
enum RequestCheck {
    /// The components a request schema refers to (`$ref`), by name.
    static let components: [String: JSONSchema] = OpenAPIDocument.componentSchemas

    static func component(_ name: String) -> JSONSchema? { components[name] }

    /// `required`: the member must be there (a null for it is `required`; for a member that may be left out but not
    /// be null, `wrong_type`, except a text that must have a visible character).
    static func check(_ value: JSONValue, against schema: JSONSchema, at path: String, required: Bool = true, errors: inout FieldErrors) {
        if let ref = schema.ref, schema.types.isEmpty {
            guard let target = component(String(ref.split(separator: "/").last ?? "")) else { return }
            check(value, against: target, at: path, required: required, errors: &errors)
            return
        }
        if let choices = schema.oneOf {
            // `oneOf [X, null]`: null, or X.
            if value == .null, choices.contains(where: { $0.types == [.null] }) { return }
            if let first = choices.first(where: { $0.types != [.null] }) { check(value, against: first, at: path, required: required, errors: &errors) }
            return
        }
        let name = path.isEmpty ? "the body" : path
        if value == .null {
            if !schema.types.contains(.null) {
                if required || schema.pattern == "\\S" {
                    errors.add(path, "required", "\(name) is required and cannot be null.")
                } else {
                    errors.add(path, "wrong_type", "\(name) cannot be null: leave it out, or give \(describe(schema.types)).")
                }
            }
            return
        }
        let types = schema.types.filter { $0 != .null }
        guard types.isEmpty || types.contains(where: { matches(value, $0) }) else {
            errors.add(path, "wrong_type", "\(name) must be \(describe(types)).")
            return
        }
        // A value of one of several forms (a day or a local time): it must match one of them.
        if let alternatives = schema.anyOf, !alternatives.contains(where: { $0.required != nil }) {
            var firstProblems = FieldErrors()
            for (i, alternative) in alternatives.enumerated() {
                var problems = FieldErrors()
                check(value, against: alternative, at: path, required: required, errors: &problems)
                if problems.all.isEmpty { return }
                if i == 0 { firstProblems = problems }
            }
            let how = schema.description.map { " (\($0))" } ?? ""
            for e in firstProblems.all.prefix(1) { errors.add(path, e.code, "\(name) is not in the expected form\(how).") }
            return
        }
        switch value {
        case .string(let s): checkString(s, schema, path: path, name: name, errors: &errors)
        case .number(let n): checkNumber(n, schema, path: path, name: name, errors: &errors)
        case .array(let items):
            if let max = schema.maxItems, items.count > max { errors.add(path, "too_long", "\(name) may have at most \(max) entries.") }
            if let min = schema.minItems, items.count < min {
                errors.add(path, "too_short", schema.maxItems == min ? "\(name) must have exactly \(min) entries." : "\(name) must have at least \(min) entries.")
            }
            if let itemSchema = schema.items {
                for (i, item) in items.enumerated() { check(item, against: itemSchema, at: "\(path)[\(i)]", errors: &errors) }
            }
        case .object(let fields): checkObject(fields, schema, path: path, errors: &errors)
        default: break
        }
    }

    private static func checkObject(_ fields: [String: JSONValue], _ schema: JSONSchema, path: String, errors: inout FieldErrors) {
        let prefix = path.isEmpty ? "" : path + "."
        let properties = schema.properties ?? [:]
        // The top level's unknown members are refused by `JSONInput`; nested objects' here.
        // An object schema without properties is free-form (a minutes output's `fields`, read by its register).
        if !path.isEmpty, schema.properties != nil, schema.additionalProperties != true {
            for key in fields.keys.sorted() where properties[key] == nil {
                errors.add(prefix + key, "unknown_field", "Unknown field \(key) in \(path). Allowed: \(properties.keys.sorted().joined(separator: ", ")).")
            }
        }
        for key in schema.required ?? [] where fields[key] == nil {
            errors.add(prefix + key, "required", "\(prefix + key) is required.")
        }
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            if let property = properties[key] {
                check(value, against: property, at: prefix + key, required: schema.required?.contains(key) ?? false, errors: &errors)
            }
        }
        // `requiringOneOf`: at least one of these members, with a value.
        if let alternatives = schema.anyOf, alternatives.allSatisfy({ $0.required?.count == 1 }) {
            let names = alternatives.compactMap { $0.required?.first }
            // As the document says it: the member is there (what it holds is its own schema's matter).
            let given = names.contains { fields[$0] != nil && fields[$0] != .null }
            if !given, let first = names.first {
                errors.add(prefix + first, "required", "\(names.map { prefix + $0 }.joined(separator: " or ")) is required.")
            }
        }
    }

    private static func checkString(_ s: String, _ schema: JSONSchema, path: String, name: String, errors: inout FieldErrors) {
        if let max = schema.maxLength, s.count > max {
            errors.add(path, "too_long", "\(name) may have at most \(max) characters (it has \(s.count)).")
            return
        }
        if let min = schema.minLength, s.count < min {
            errors.add(path, min == 1 ? "required" : "too_short", "\(name) must have at least \(min) characters.")
            return
        }
        if let values = schema.enumValues, !values.contains(s) {
            errors.add(path, "invalid_choice", "\(name) must be one of: \(values.compactMap { $0 }.joined(separator: ", ")).")
            return
        }
        switch schema.format {
        case "date" where CalendarDate(iso: s) == nil:
            errors.add(path, "invalid_date", "\(name) must be a real date written YYYY-MM-DD (got \(s)).")
            return
        case "uuid" where UUID(uuidString: s) == nil:
            errors.add(path, "invalid_id", "\(name) must be an id such as 3f1c0f5e-7d7a-4d8e-9a55-0c6a1b2f8e21.")
            return
        default: break
        }
        if let pattern = schema.pattern, s.range(of: pattern, options: .regularExpression) == nil {
            // A text that must have a visible character is a missing value; other patterns say what they refuse.
            let code = pattern == "\\S" ? "required" : schema.refusal ?? "invalid"
            let how = schema.description.map { " (\($0))" } ?? ""
            errors.add(path, code, pattern == "\\S" ? "\(name) needs a visible character." : "\(name) is not in the expected form\(how) (got \(s)).")
        }
    }

    private static func checkNumber(_ n: Double, _ schema: JSONSchema, path: String, name: String, errors: inout FieldErrors) {
        if let low = schema.minimum, n < low { errors.add(path, "out_of_range", "\(name) must be \(range(schema)).") ; return }
        if let high = schema.maximum, n > high { errors.add(path, "out_of_range", "\(name) must be \(range(schema)).") ; return }
        if let values = schema.integerValues, !values.contains(Int(n)) {
            errors.add(path, "invalid_choice", "\(name) must be one of: \(values.map(String.init).joined(separator: ", ")).")
        }
    }

    private static func range(_ schema: JSONSchema) -> String {
        func text(_ d: Double) -> String { d.rounded() == d ? String(Int(d)) : String(d) }
        switch (schema.minimum, schema.maximum) {
        case let (low?, high?): return "between \(text(low)) and \(text(high))"
        case let (low?, nil): return "at least \(text(low))"
        case let (nil, high?): return "at most \(text(high))"
        default: return "a number"
        }
    }

    private static func matches(_ value: JSONValue, _ kind: JSONSchema.Kind) -> Bool {
        switch (value, kind) {
        case (.string, .string), (.bool, .boolean), (.array, .array), (.object, .object), (.null, .null): true
        case (.number, .number): true
        case (.number(let n), .integer): n.rounded() == n && n.magnitude < 1e15
        default: false
        }
    }

    private static func describe(_ kinds: [JSONSchema.Kind]) -> String {
        kinds.map { kind in
            switch kind {
            case .string: "a string"
            case .integer: "a whole number"
            case .number: "a number"
            case .boolean: "true or false"
            case .array: "a list"
            case .object: "an object"
            case .null: "null"
            }
        }.joined(separator: " or ")
    }
}
