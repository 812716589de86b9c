import Foundation
import PMOCore

// The request bodies shared by issues and every register (comments, links), as types (see `RequestBody`).

/// A comment on an issue or register item.
struct CommentCreateBody: RequestBody {
    static let schemaName = "CommentCreate"
    static var schemaHints: [String: JSONSchema] { ["body": JSONSchema.text(RegisterRules.textMax)] }
    var body: String
}

/// The other end of a link: a reference (I12, R3, CRM-Q4), or a whole number for an item of the same register.
enum LinkTarget: Decodable, Sendable {
    case reference(String), number(Int)

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) { self = .number(n) } else { self = .reference(try c.decode(String.self)) }
    }
}

/// A typed link from this item to another item of the project.
struct ItemLinkCreateBody: RequestBody {
    static let schemaName = "ItemLinkCreate"
    static var schemaHints: [String: JSONSchema] {
        ["to": JSONSchema([.string, .integer]).range(1, Double(Int32.max)).maxLength(30).described(
            "The other item: a reference (I12, R3, CRM-Q4), or a whole number for an item of the same register as this one"),
         "kind": JSONSchema.enumeration(ItemLinkKind.allCases.map(\.rawValue))]
    }
    var to: LinkTarget
    var kind: String?

    func problems(_ errors: inout FieldErrors) {
        if case .reference(let text) = to, ItemReference(text) == nil {
            errors.add("to", "invalid_reference", "to must be an item reference such as I12, R3 or CRM-Q4.")
        }
    }

    /// The item linked to; a bare number is an item of `type`'s own register (the issue links' body before M010).
    func target(from type: ItemType) -> ItemReference? {
        switch to {
        case .number(let n): ItemReference(projectKey: nil, type: type, number: n)
        case .reference(let text): ItemReference(text)
        }
    }
}
