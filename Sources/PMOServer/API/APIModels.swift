import Fluent
import Foundation
import PMOCore
import PMOStore
import Vapor

/// JSON shapes of the API. Field names are camelCase; ids are lower-case UUIDs; dates `YYYY-MM-DD`; instants ISO 8601 UTC.
struct PersonRef: Content { var id: String; var name: String }

extension PersonRef {
    /// A user or company by id with its name from `names`; nil for no one.
    init?(_ id: UserID?, _ names: [UUID: String]) {
        guard let id else { return nil }
        self.init(id: id.description, name: names[id.rawValue] ?? "")
    }

    init?(_ id: CompanyID?, _ names: [UUID: String]) {
        guard let id else { return nil }
        self.init(id: id.description, name: names[id.rawValue] ?? "")
    }
}

struct IssueDTO: Content {
    var id: String
    var reference: String
    var projectKey: String
    var number: Int
    var title: String
    var description: String
    var cause: String
    var nextAction: String
    var owner: PersonRef?
    var dueDate: String?
    var priority: String
    var status: String
    var escalationLevel: Int
    var visibility: String
    var visibilityCompanyId: String?
    var companyId: String?
    var companyName: String?
    /// The systems the issue is about, as references (`CRM-S3`).
    var systems: [String]
    var createdBy: PersonRef?
    /// ISO 8601 UTC, written by `InstantText` (lists of hundreds of issues would spend most of their time in
    /// Foundation's date formatter otherwise).
    var createdAt: String
    var updatedAt: String
    var version: Int
    /// Past due and not finished, as of today in the caller's time zone.
    var overdue: Bool
    var unowned: Bool
    /// Not finished and unchanged for 14 days or more.
    var stale: Bool

    init(_ v: IssueView, today: CalendarDate, timeZone: TimeZone) throws {
        let r = v.record
        let fields = v.fields
        id = try r.requireID().lowercasedID
        reference = v.reference
        projectKey = v.projectKey
        number = r.number
        title = r.title
        description = r.description
        cause = fields.cause
        nextAction = fields.nextAction
        owner = r.ownerID.map { PersonRef(id: $0.lowercasedID, name: v.ownerName ?? "") }
        dueDate = r.dueDate
        priority = v.priority.rawValue
        status = r.status
        escalationLevel = fields.escalationLevel
        visibility = r.visibility
        visibilityCompanyId = r.visibilityCompanyID?.lowercasedID
        companyId = r.companyID?.lowercasedID
        companyName = v.companyName
        systems = fields.systems.map { ItemType.system.reference(projectKey: v.projectKey, number: $0.number) }
        createdBy = PersonRef(id: r.createdByID.lowercasedID, name: v.createdByName ?? "")
        createdAt = InstantText.iso8601(r.createdAt)
        updatedAt = InstantText.iso8601(r.updatedAt)
        version = r.version
        overdue = v.isOverdue(today: today)
        unowned = r.ownerID == nil
        stale = v.isStale(today: today, timeZone: timeZone)
    }
}

struct IssueListDTO: Content {
    var items: [IssueDTO]
    var nextCursor: String?
}

struct ProjectDTO: Content {
    var id: String
    var key: String
    var name: String
    var description: String
    var phase: String
    var businessOwner: String
    var startDate: String?
    var targetDate: String?
    var status: String
    var myRole: String?
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ p: ProjectRecord, role: ProjectRole?) throws {
        id = try p.requireID().lowercasedID
        key = p.key
        name = p.name
        description = p.description
        phase = p.phase
        businessOwner = p.businessOwner
        startDate = p.startDate
        targetDate = p.targetDate
        status = p.status
        myRole = role?.rawValue
        version = p.version
        createdAt = p.createdAt
        updatedAt = p.updatedAt
    }
}

struct CompanyDTO: Content {
    var id: String
    var name: String
    var kind: String
    init(_ c: CompanyRecord) throws { id = try c.requireID().lowercasedID; name = c.name; kind = c.kind }
}

struct UserDTO: Content {
    var id: String
    var email: String
    var displayName: String
    var locale: String
    var timeZone: String
    var isActive: Bool
    var isAdmin: Bool
    var companyId: String
    var version: Int
    init(_ u: UserRecord) throws {
        id = try u.requireID().lowercasedID; email = u.email; displayName = u.displayName; locale = u.locale
        timeZone = u.timeZone; isActive = u.isActive; isAdmin = u.isAdmin; companyId = u.companyID.lowercasedID
        version = u.version
    }
}

/// A created user, with the one-time secret the admin hands over.
struct CreatedUserDTO: Content {
    var user: UserDTO
    var invitationURL: String?
    var temporaryPassword: String?
}

struct MemberDTO: Content {
    var userId: String
    var displayName: String
    var email: String
    var companyId: String
    var companyName: String?
    var role: String
    init(_ m: MemberView) throws {
        userId = try m.user.requireID().lowercasedID; displayName = m.user.displayName; email = m.user.email
        companyId = m.user.companyID.lowercasedID; companyName = m.company?.name; role = m.role.rawValue
    }
}

struct TokenDTO: Content {
    var id: String
    var name: String
    var createdAt: Date
    /// The token itself, present only in the answer that created it.
    var token: String?
    init(_ t: APITokenRecord, token: String? = nil) throws {
        id = try t.requireID().lowercasedID; name = t.name; createdAt = t.createdAt; self.token = token
    }
}

struct CommentDTO: Content {
    var id: String
    var author: PersonRef
    var body: String
    var createdAt: Date
}

/// A typed link of an issue or register item, seen from that item: its kind, which way it points, and the other item.
struct ItemLinkDTO: Content {
    var id: String
    var kind: String
    var direction: String
    /// The other item, e.g. CRM-R3.
    var reference: String
    /// The other item's register (`issue`, `risk`, ...).
    var register: String
    var number: Int
    var title: String
    var status: String
    init(_ l: ItemLinkView) {
        id = l.id.lowercasedID; kind = l.kind.rawValue; direction = l.outgoing ? "outgoing" : "incoming"
        reference = l.otherReference; register = l.otherType.register?.rawValue ?? "issue"
        number = l.otherNumber; title = l.otherTitle; status = l.otherStatus
    }
}

struct HistoryDTO: Content {
    var at: Date
    var actor: PersonRef?
    var action: String
    var version: Int
    var changes: [FieldChange]
    init(_ e: AuditEntry) {
        at = e.at
        actor = e.actorID.map { PersonRef(id: $0.lowercasedID, name: e.actorName ?? "") }
        action = e.action
        version = e.version
        changes = e.changes
    }
}

struct ListDTO<T: Content>: Content { var items: [T] }

/// `{"items": [...]}` of a typed answer that is not Vapor `Content` (the plan's and meetings' bodies).
struct ListBody<T: Codable & DocumentedBody>: Codable, DocumentedBody {
    static var schemaName: String { T.schemaName + "List" }
    var items: [T]
}

extension FieldChange: Content {}

struct HealthDTO: Content { var status: String; var version: String }

struct MeDTO: Content {
    var user: UserDTO
    var projects: [ProjectDTO]
}

/// Formats an instant as ISO 8601 in UTC with milliseconds (`2026-11-21T05:32:10.123Z`), without a formatter.
enum InstantText {
    static func iso8601(_ date: Date) -> String {
        let totalMillis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let millisPerDay = 86_400_000
        let days = totalMillis >= 0 ? totalMillis / millisPerDay : (totalMillis - millisPerDay + 1) / millisPerDay
        let inDay = totalMillis - days * millisPerDay
        let d = CalendarDate(dayNumber: days)
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var v = value
            for i in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(d.year, 4, at: 0); bytes[4] = 45; put(d.month, 2, at: 5); bytes[7] = 45; put(d.day, 2, at: 8)
        bytes[10] = 84; put(inDay / 3_600_000, 2, at: 11); bytes[13] = 58; put(inDay / 60_000 % 60, 2, at: 14)
        bytes[16] = 58; put(inDay / 1000 % 60, 2, at: 17); bytes[19] = 46; put(inDay % 1000, 3, at: 20); bytes[23] = 90
        return String(decoding: bytes, as: UTF8.self)
    }
}

// MARK: Schemas
// The document's schemas of these bodies are derived from the types (`DerivedSchema`); the hints add what a Swift
// `String` cannot say. Request bodies are types too (`RequestBody`, in the `…Requests` files).

extension PersonRef: DocumentedBody { static let schemaName = "PersonRef" }

extension IssueDTO: DocumentedBody {
    static let schemaName = "Issue"
    static var schemaHints: [String: JSONSchema] {
        [
            "title": JSONSchema.text(IssueRules.titleMax),
            "description": .nullableString, "cause": .nullableString, "nextAction": .nullableString,
            "dueDate": .date,
            "priority": .enumeration(IssuePriority.choices), "status": .enumeration(IssueStatus.choices),
            "escalationLevel": JSONSchema.integer.range(Double(EscalationLevel.range.lowerBound), Double(EscalationLevel.range.upperBound)),
            "visibility": .enumeration(VisibilityScope.choices),
            "visibilityCompanyId": .nullableUUID, "companyId": .nullableUUID,
            "createdAt": .instant, "updatedAt": .instant,
        ]
    }
}

extension IssueListDTO: DocumentedBody { static let schemaName = "IssueList" }

extension ProjectDTO: DocumentedBody {
    static let schemaName = "Project"
    static var schemaHints: [String: JSONSchema] {
        ProjectPatchBody.schemaHints.merging(["startDate": .date, "targetDate": .date]) { _, new in new }
    }
}

extension CompanyDTO: DocumentedBody {
    static let schemaName = "Company"
    static var schemaHints: [String: JSONSchema] { ["kind": .enumeration(CompanyKind.allCases.map(\.rawValue))] }
}

extension UserDTO: DocumentedBody {
    static let schemaName = "User"
    static var schemaHints: [String: JSONSchema] { ["locale": .enumeration(["ja", "en"])] }
}

extension CreatedUserDTO: DocumentedBody { static let schemaName = "CreatedUser" }

extension MemberDTO: DocumentedBody {
    static let schemaName = "Member"
    static var schemaHints: [String: JSONSchema] { ["role": .enumeration(ProjectRole.allCases.map(\.rawValue))] }
}

extension TokenDTO: DocumentedBody { static let schemaName = "Token" }
extension CommentDTO: DocumentedBody { static let schemaName = "Comment" }

extension ItemLinkDTO: DocumentedBody {
    static let schemaName = "ItemLink"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "kind": .enumeration(ItemLinkKind.allCases.map(\.rawValue)), "direction": .enumeration(["outgoing", "incoming"]),
         "register": .enumeration(["issue"] + RegisterKind.allCases.map(\.rawValue))]
    }
}

extension HistoryDTO: DocumentedBody { static let schemaName = "History" }
extension HealthDTO: DocumentedBody { static let schemaName = "Health" }
extension MeDTO: DocumentedBody { static let schemaName = "Me" }
extension ListDTO: HintedBody where T: DocumentedBody {}
extension ListDTO: DocumentedBody where T: DocumentedBody { static var schemaName: String { T.schemaName + "List" } }

extension Problem: DocumentedBody { static let schemaName = "Problem" }
