import Foundation
import PMOCore
import Vapor

/// A JSON value read without a schema, so that unknown fields and wrong types can be named exactly.
enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}

extension JSONValue {
    /// The value with every string's line ends as LF; a string holding a control character is reported at `path`.
    static func cleaned(_ value: JSONValue, path: String, errors: inout FieldErrors) -> JSONValue {
        switch value {
        case .string(let s):
            switch TextHygiene.clean(s) {
            case .success(let clean): return .string(clean)
            case .failure(let bad):
                let e = bad.fieldError(path)
                errors.add(e.field, e.code, e.message)
                return .string(s)
            }
        case .array(let items):
            return .array(items.enumerated().map { cleaned($0.element, path: "\(path)[\($0.offset)]", errors: &errors) })
        case .object(let fields):
            var out: [String: JSONValue] = [:]
            for (k, v) in fields { out[k] = cleaned(v, path: "\(path).\(k)", errors: &errors) }
            return .object(out)
        default:
            return value
        }
    }
}

/// Reads fields from a JSON object, collecting every problem, then throws them all at once.
struct JSONInput {
    let object: [String: JSONValue]
    var errors = FieldErrors()

    /// Parses the request body as a JSON object and refuses fields outside `allowed`.
    init(_ request: Request, allowed: Set<String>) throws {
        guard let contentType = request.headers.contentType,
              contentType.subType == "json" || contentType.subType.hasSuffix("+json") else {
            throw DomainError(.unsupportedMediaType, code: "request.unsupported_media_type",
                              message: "Send the body as JSON with 'Content-Type: application/json'.")
        }
        guard let buffer = request.body.data, buffer.readableBytes > 0 else {
            throw DomainError(.malformed, code: "request.malformed", message: "The request needs a JSON object body.")
        }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: buffer)) } catch {
            throw DomainError(.malformed, code: "request.malformed", message: "The body is not valid JSON.")
        }
        guard case .object(let raw) = value else {
            throw DomainError(.malformed, code: "request.malformed", message: "The body must be a JSON object.")
        }
        // Every string in the body, however deep, is checked once here: line ends become LF, and a control
        // character is refused naming where it was (`items[2].name`).
        var cleaned: [String: JSONValue] = [:]
        var problems = FieldErrors()
        for (key, v) in raw { cleaned[key] = JSONValue.cleaned(v, path: key, errors: &problems) }
        self.object = cleaned
        self.errors = problems
        for key in object.keys.sorted() where !allowed.contains(key) {
            errors.add(key, "unknown_field", "Unknown field \(key). Allowed: \(allowed.sorted().joined(separator: ", ")).")
        }
    }

    /// Whether the field was sent at all, null included (PATCH: null clears a value).
    func has(_ key: String) -> Bool { object[key] != nil }
    func isNull(_ key: String) -> Bool { object[key] == .null }
    /// Whether the field was sent with a value other than null.
    func present(_ key: String) -> Bool { object[key] != nil && object[key] != .null }

    /// Records `required` for each of `keys` that is missing or null.
    mutating func requirePresent(_ keys: String...) {
        for key in keys where !present(key) {
            errors.add(key, "required", isNull(key) ? "\(key) is required and cannot be null." : "\(key) is required.")
        }
    }

    /// After `throwIfAny`: the value read for a required field. A field that was missing or null, or whose value
    /// was refused, is a 422 naming it, never a crash.
    func required<T>(_ value: T?, _ key: String, code: String) throws -> T {
        if let value { return value }
        throw DomainError.invalid(code, [FieldError(field: key, code: "required", message: "\(key) is required.")])
    }

    /// A string, trimmed of nothing, at most `max` characters; nil when absent. `required` reports a missing field.
    mutating func string(_ key: String, max: Int, required: Bool = false) -> String? {
        switch object[key] {
        case nil:
            if required { errors.add(key, "required", "\(key) is required.") }
            return nil
        case .string(let s)?:
            if s.count > max { errors.add(key, "too_long", "\(key) may have at most \(max) characters (it has \(s.count)).") ; return nil }
            return s
        case .null?:
            if required { errors.add(key, "required", "\(key) is required and cannot be null.") }
            return nil
        default:
            errors.add(key, "wrong_type", "\(key) must be a string.")
            return nil
        }
    }

    mutating func int(_ key: String, range: ClosedRange<Int>) -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let n)? where n.rounded() == n && n.magnitude < 1e15:
            let v = Int(n)
            if !range.contains(v) { errors.add(key, "out_of_range", "\(key) must be between \(range.lowerBound) and \(range.upperBound).") ; return nil }
            return v
        default:
            errors.add(key, "wrong_type", "\(key) must be a whole number.")
            return nil
        }
    }

    mutating func bool(_ key: String) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        default: errors.add(key, "wrong_type", "\(key) must be true or false."); return nil
        }
    }

    mutating func date(_ key: String) -> CalendarDate? {
        guard let s = string(key, max: 10) else { return nil }
        guard let d = CalendarDate(iso: s) else {
            errors.add(key, "invalid_date", "\(key) must be a real date written YYYY-MM-DD (got \(s)).")
            return nil
        }
        return d
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E? where E.RawValue == String {
        guard let s = string(key, max: 100) else { return nil }
        guard let v = E(rawValue: s) else {
            errors.add(key, "invalid_choice", "\(key) must be one of: \(E.allCases.map(\.rawValue).joined(separator: ", ")).")
            return nil
        }
        return v
    }

    mutating func uuid(_ key: String) -> UUID? {
        guard let s = string(key, max: 100) else { return nil }
        guard let u = UUID(uuidString: s) else {
            errors.add(key, "invalid_id", "\(key) must be an id such as 3f1c0f5e-7d7a-4d8e-9a55-0c6a1b2f8e21.")
            return nil
        }
        return u
    }

    func throwIfAny(_ code: String) throws { try errors.throwIfAny(code) }
}
