import Foundation
import PMOCore
import PMOStore
import Vapor

/// The readers of the bodies the meeting and status-report routes take (their answers are the `MeetingBodies` types).
/// People go in as user ids and come back as `{id, name}`.
enum MeetingJSON {
    // MARK: Output helpers

    static func id(_ u: UUID) -> String { u.uuidString.lowercased() }

    /// `issue`, `risk`, `decision`, `question`, `change` or `action`.
    static func typeName(_ t: ItemType) -> String { t.register?.rawValue ?? "issue" }

    /// A typed answer (`MeetingBodies`), every field written, null included.
    static func response(body: any Encodable, status: HTTPResponseStatus = .ok, version: Int? = nil) throws -> Response {
        PlanJSON.response(bytes: try JSONBytesEncoder(nullsWritten: true).encodeUnspecialized(body), status: status, version: version)
    }

    // MARK: Readers

    static let outputTypes = ["issue"] + RegisterKind.workRegisters.map(\.rawValue)

    /// What a line of the minutes creates: `fields` read exactly as the register's (or the issue register's) create
    /// route reads them; problems in `fields` are named `fields.<name>` (a 422 with `minutes.invalid`).
    static func output(type typeName: String, fields value: JSONValue) throws -> MinutesOutputInput {
        guard case .object(let body) = value else {
            throw DomainError.invalid("minutes.invalid", [FieldError(field: "fields", code: "wrong_type", message: "fields must be an object.")])
        }
        guard outputTypes.contains(typeName) else {
            throw DomainError.invalid("minutes.invalid", [FieldError(field: "type", code: "invalid_choice",
                                                                     message: "type must be one of: \(outputTypes.joined(separator: ", ")).")])
        }
        guard let kind = RegisterKind(rawValue: typeName) else {
            return .issue(try IssueCreateBody.nested(body, at: "fields", code: "minutes.invalid").issueFields)
        }
        var nested = JSONInput(nested: body, allowed: RegisterJSON.writableFields(kind).union(kind.fields.filter(\.automatic).map(\.name)))
        if !nested.has("title") { nested.errors.add("title", "required", "title is required.") }
        let fields = RegisterJSON.readPatch(kind, &nested, projectKey: "").applied(to: RegisterItemFields(title: "", status: kind.initialStatus))
        var errors = FieldErrors()
        for e in nested.errors.all { errors.add("fields.\(e.field)", e.code, e.message) }
        try errors.throwIfAny("minutes.invalid")
        return .register(kind, fields)
    }
}

extension JSONInput {
    /// Reads a JSON object nested in a body (the `fields` of a minutes output) with the same checks as a body,
    /// refusing fields outside `allowed`.
    init(nested object: [String: JSONValue], allowed: Set<String>) {
        self.object = object
        self.errors = FieldErrors()
        for key in object.keys.sorted() where !allowed.contains(key) {
            errors.add(key, "unknown_field", "Unknown field \(key). Allowed: \(allowed.sorted().joined(separator: ", ")).")
        }
    }
}
