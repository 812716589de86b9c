import Foundation

/// One offending input field: which field, which rule, and a readable message.
public struct FieldError: Error, Equatable, Sendable, Codable {
    /// The field's name as the API spells it (e.g. `dueDate`).
    public var field: String
    /// A stable rule code (e.g. `required`, `too_long`, `invalid_date`).
    public var code: String
    /// A readable sentence saying what was wrong and how to fix it.
    public var message: String
    /// What the error is about, as the reader will recognise it (names, references, what was typed): a page in
    /// another language than `message` shows these beside its own sentence for `code`. Not part of the API's JSON.
    public var subjects: [String]

    public init(field: String, code: String, message: String, subjects: [String] = []) {
        self.field = field
        self.code = code
        self.message = message
        self.subjects = subjects
    }

    private enum CodingKeys: String, CodingKey { case field, code, message }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(field: try c.decode(String.self, forKey: .field), code: try c.decode(String.self, forKey: .code),
                  message: try c.decode(String.self, forKey: .message))
    }
}

/// An error of the domain with a stable code, mapped once to HTTP and to page messages.
///
/// Services throw only this for problems a user can cause; anything else is a bug.
public struct DomainError: Error, Equatable, Sendable {
    /// The class of problem; decides the HTTP status.
    public enum Kind: String, Sendable, Equatable {
        case malformed          // 400: the request cannot be read at all
        case unsupportedMediaType  // 415: not JSON
        case invalid            // 422: the input breaks a rule
        case unauthorized       // 401: no or wrong credentials
        case forbidden          // 403: the actor may not do this
        case notFound           // 404: no such thing, or not visible to the actor
        case conflict           // 409: stale version or duplicate
        case preconditionRequired  // 428: If-Match missing
        case tooManyRequests    // 429: slowed down
        case tooLarge           // 413: a body over the size the server takes
    }

    public var kind: Kind
    /// Stable machine-readable code such as `issue.owner_not_member`.
    public var code: String
    public var message: String
    public var fieldErrors: [FieldError]
    /// What the problem is about, as the reader will recognise it (an item's reference, a name, a number): a page in
    /// another language than `message` shows these beside its own sentence for `code`. Not part of the API's JSON.
    public var subjects: [String]
    /// For `tooManyRequests`: how long until trying again can succeed (the `Retry-After` header).
    public var retryAfterSeconds: Int?

    public init(_ kind: Kind, code: String, message: String, fieldErrors: [FieldError] = [], subjects: [String] = [],
                retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
        self.subjects = subjects
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The error as field errors for a form: its own field errors, or itself as one error of the whole form.
    public var asFieldErrors: [FieldError] {
        fieldErrors.isEmpty ? [FieldError(field: "", code: code, message: message, subjects: subjects)] : fieldErrors
    }

    /// An `invalid` error listing every offending field.
    public static func invalid(_ code: String, _ fieldErrors: [FieldError]) -> DomainError {
        let summary = fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        return DomainError(.invalid, code: code, message: summary, fieldErrors: fieldErrors)
    }

    public static func notFound(_ code: String, _ message: String, subjects: [String] = []) -> DomainError {
        DomainError(.notFound, code: code, message: message, subjects: subjects)
    }

    public static func forbidden(_ code: String, _ message: String, subjects: [String] = []) -> DomainError {
        DomainError(.forbidden, code: code, message: message, subjects: subjects)
    }

    public static func conflict(_ code: String, _ message: String, subjects: [String] = []) -> DomainError {
        DomainError(.conflict, code: code, message: message, subjects: subjects)
    }
}

/// Collects field errors while validating, then throws them all at once.
public struct FieldErrors: Sendable {
    public private(set) var all: [FieldError] = []
    public init() {}

    public mutating func add(_ field: String, _ code: String, _ message: String) {
        all.append(FieldError(field: field, code: code, message: message))
    }

    public mutating func append(_ error: FieldError) { all.append(error) }

    public var isEmpty: Bool { all.isEmpty }

    /// Throws `DomainError.invalid(code, ...)` when any field error was collected.
    public func throwIfAny(_ code: String = "validation.failed") throws {
        if !all.isEmpty { throw DomainError.invalid(code, all) }
    }
}
