import Foundation
import PMOCore
import PMOStore

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

extension IssuePriority: StringChoice {}
extension IssueStatus: StringChoice {}
extension VisibilityScope: StringChoice {}

/// An issue's fields as a JSON merge patch: left out keeps a field, null clears a text, the owner, the due date or
/// the responsible company. `visibility` with `visibilityCompanyId` says who sees it (a company-only issue names the
/// company; the id alone means company-only).
struct IssuePatchBody: RequestBody {
    static let schemaName = "IssuePatch"
    static var schemaHints: [String: JSONSchema] {
        ["title": JSONSchema.text(IssueRules.titleMax), "description": JSONSchema.string.maxLength(IssueRules.textMax),
         "cause": JSONSchema.string.maxLength(IssueRules.textMax), "nextAction": JSONSchema.string.maxLength(IssueRules.nextActionMax),
         "escalationLevel": JSONSchema.integer.range(Double(EscalationLevel.range.lowerBound), Double(EscalationLevel.range.upperBound))]
    }
    var title: String?
    var description: Sent<String>
    var cause: Sent<String>
    var nextAction: Sent<String>
    var owner: Sent<UUID>
    var dueDate: Sent<CalendarDate>
    var priority: IssuePriority?
    var status: IssueStatus?
    var escalationLevel: Int?
    var visibility: VisibilityScope?
    var visibilityCompanyId: Sent<UUID>
    var companyId: Sent<UUID>

    var patch: IssuePatch {
        var p = IssuePatch()
        p.title = title
        p.description = description.textOrEmpty
        p.cause = cause.textOrEmpty
        p.nextAction = nextAction.textOrEmpty
        p.ownerID = owner.change.map { $0.map(UserID.init) }
        p.dueDate = dueDate.change
        p.priority = priority
        p.status = status
        p.escalationLevel = escalationLevel
        let company = visibilityCompanyId.value.map(CompanyID.init)
        if let visibility {
            p.visibility = Visibility(scope: visibility, companyID: company)
        } else if let company {
            p.visibility = .company(company)
        }
        p.companyID = companyId.change.map { $0.map(CompanyID.init) }
        return p
    }
}

/// A new issue: a title, and any field of the patch.
struct IssueCreateBody: RequestBody {
    static let schemaName = "IssueCreate"
    static var schemaHints: [String: JSONSchema] { IssuePatchBody.schemaHints }
    var fields: IssuePatchBody
    var title: String

    private enum Keys: String, CodingKey { case title }

    /// The patch's fields and the title, read from the same object.
    init(from decoder: any Decoder) throws {
        fields = try IssuePatchBody(from: decoder)
        title = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .title)
    }

    var issueFields: IssueFields { fields.patch.applied(to: IssueFields(title: title)) }
}

extension ProjectRole: StringChoice {}

/// One row of the decision-rights table: who decides a category of decisions. The store checks what needs the
/// project (a category named twice, an authority left empty, a row naming neither role nor person, a non-member).
struct DecisionRightInput: RequestBody {
    static let schemaName = "DecisionRightInput"
    static var schemaHints: [String: JSONSchema] {
        ["category": JSONSchema.string.maxLength(60).described("1 to 60 letters, digits or underscores, e.g. budget, specification_change"),
         "authority": JSONSchema.string.maxLength(200).described("Who decides, as people call it, e.g. Steering committee")]
    }
    var category: String
    var authority: String
    var roles: [ProjectRole]?
    var users: [UUID]?

    var right: DecisionRight {
        DecisionRight(category: category, authority: authority, roles: roles ?? [], userIDs: (users ?? []).map(UserID.init))
    }
}

/// The whole decision-rights table of a project, replaced at once.
struct DecisionRightsPutBody: RequestBody {
    static let schemaName = "DecisionRightsPut"
    static var schemaHints: [String: JSONSchema] { ["items": JSONSchema.array(.ref(DecisionRightInput.schemaName)).itemCount(0...500)] }
    var items: [DecisionRightInput]

    /// A bad role or user id is named by its row's list (`items[3].roles`), as this body always has.
    static func reportedField(_ path: String) -> String {
        guard path.hasSuffix("]"), let open = path.lastIndex(of: "["), path[..<open].hasSuffix("roles") || path[..<open].hasSuffix("users")
        else { return path }
        return String(path[..<open])
    }
}
