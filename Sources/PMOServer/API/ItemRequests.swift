import Foundation
import PMOCore
import PMOStore
import Vapor

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
         "escalationLevel": JSONSchema.integer.range(Double(EscalationLevel.range.lowerBound), Double(EscalationLevel.range.upperBound)),
         "systems": systemsSchema]
    }
    /// The systems as references (`S3` or `CRM-S3`); null or an empty list names none.
    static var systemsSchema: JSONSchema {
        var p = JSONSchema([.array, .null]).itemCount(0...IssueRules.systemsMax)
        p.items = JSONSchema.string.pattern("^([A-Z][A-Z0-9]{1,9}-)?S[1-9][0-9]{0,8}$").refusedAs("invalid_reference")
        return p.described("The systems the issue is about, like S3 or CRM-S3")
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
    var systems: Sent<[String]>

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
        // The schema let only references through; the store checks the key is this project's and the systems exist.
        if systems.isSent { p.systems = (systems.value ?? []).compactMap(ItemReference.init) }
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

/// One change to many items of a register: the items' numbers and what to set (status, owner, due date; `null`
/// clears the owner or the due date). All or nothing (`bulk.refused` names each item that refused).
struct BulkUpdateBody: RequestBody {
    static let schemaName = "BulkUpdate"
    static var schemaHints: [String: JSONSchema] {
        ["numbers": JSONSchema.array(JSONSchema.integer.range(1, Double(Int32.max))).itemCount(1...ItemService.bulkMax)
            .described("The items' numbers (at most \(ItemService.bulkMax))"),
         "status": JSONSchema.string.maxLength(40).described("A status of the register; the workflow applies to each item")]
    }
    var numbers: [Int]
    var status: String?
    var owner: Sent<UUID>
    var dueDate: Sent<CalendarDate>

    var change: BulkChange {
        BulkChange(status: status, ownerID: owner.change.map { $0.map(UserID.init) }, dueDate: dueDate.change)
    }
}

/// What a bulk change did.
struct BulkResultDTO: Content {
    /// The items changed, by reference.
    var changed: [String]
    /// The items that already were as asked.
    var unchanged: [String]
}

extension BulkResultDTO: DocumentedBody { static let schemaName = "BulkResult" }

/// A list's view saved under a name: the list's query (filters, `sort`, `hide` columns), for oneself or shared.
struct SavedViewCreateBody: RequestBody {
    static let schemaName = "SavedViewCreate"
    static var schemaHints: [String: JSONSchema] {
        ["name": JSONSchema.text(SavedViewRules.nameMax),
         "query": JSONSchema.string.maxLength(SavedViewRules.queryMax).described("The list's query string, e.g. status=open&owner=me&sort=due&hide=company")]
    }
    var name: String
    var query: String
    var shared: Bool?
}

/// A saved view of a register's list.
struct SavedViewDTO: Content {
    var id: String
    var name: String
    var query: String
    var shared: Bool
    var owner: PersonRef
    /// Whether the caller may delete it.
    var canDelete: Bool

    init(_ v: SavedView) {
        id = v.id.uuidString.lowercased()
        name = v.name
        query = v.query
        shared = v.shared
        owner = PersonRef(id: v.ownerID.uuidString.lowercased(), name: v.ownerName)
        canDelete = v.canDelete
    }
}

extension SavedViewDTO: DocumentedBody {
    static let schemaName = "SavedView"
    static var schemaHints: [String: JSONSchema] { ["id": .uuid] }
}
