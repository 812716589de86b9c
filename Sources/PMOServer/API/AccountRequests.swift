import Foundation
import PMOCore
import PMOStore

// The request bodies of tokens, passwords, companies, users, projects and memberships, as types (see `RequestBody`).

/// A token from an e-mail and password (both, or neither when signed in with a session), with an optional name.
struct TokenCreateBody: RequestBody {
    static let schemaName = "TokenCreate"
    static var schemaHints: [String: JSONSchema] {
        ["email": JSONSchema.string.maxLength(254), "password": JSONSchema.string.length(1...AccountRules.passwordMax),
         "name": JSONSchema.string.maxLength(100).described("Blank or left out: \"API token\"")]
    }
    var email: String?
    var password: String?
    var name: String?
}

struct PasswordChangeBody: RequestBody {
    static let schemaName = "PasswordChange"
    static var schemaHints: [String: JSONSchema] {
        ["currentPassword": JSONSchema.string.length(1...AccountRules.passwordMax),
         "newPassword": JSONSchema.string.length(AccountRules.passwordMin...AccountRules.passwordMax)]
    }
    var currentPassword: String
    var newPassword: String
}

struct CompanyCreateBody: RequestBody {
    static let schemaName = "CompanyCreate"
    static var schemaHints: [String: JSONSchema] {
        ["name": JSONSchema.text(200), "kind": JSONSchema.enumeration(CompanyKind.allCases.map(\.rawValue))]
    }
    var name: String
    var kind: String
}

/// A new user: the e-mail, name and company are required; the first password is an invitation link unless asked.
struct UserCreateBody: RequestBody {
    static let schemaName = "UserCreate"
    static var schemaHints: [String: JSONSchema] {
        ["email": JSONSchema.string.maxLength(254).pattern(#"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]$"#).refusedAs("invalid_email"),
         "displayName": JSONSchema.text(200), "locale": JSONSchema.enumeration(["ja", "en"]), "timeZone": JSONSchema.string.maxLength(64),
         "passwordSetup": JSONSchema.enumeration(["invitation", "temporary"])]
    }
    var email: String
    var displayName: String
    var companyId: UUID
    var locale: String?
    var timeZone: String?
    var isAdmin: Bool?
    var passwordSetup: String?
}

/// A change to a user; admins alone may change the company and the admin and active flags (the store checks).
struct UserPatchBody: RequestBody {
    static let schemaName = "UserPatch"
    static var schemaHints: [String: JSONSchema] {
        ["displayName": JSONSchema.text(200), "locale": JSONSchema.enumeration(["ja", "en"]), "timeZone": JSONSchema.string.maxLength(64)]
    }
    var displayName: String?
    var locale: String?
    var timeZone: String?
    var companyId: UUID?
    var isAdmin: Bool?
    var isActive: Bool?
}

/// A project's fields; on create the key and name are required. A change is a merge: a field left out stays; null
/// clears a date.
struct ProjectPatchBody: RequestBody, Sendable {
    static let schemaName = "ProjectPatch"
    static var schemaHints: [String: JSONSchema] {
        ["key": JSONSchema.string.pattern("^[A-Z][A-Z0-9]{1,9}$").refusedAs("invalid_key"), "name": JSONSchema.text(ProjectRules.nameMax),
         "description": JSONSchema.string.maxLength(IssueRules.textMax), "businessOwner": JSONSchema.string.maxLength(200),
         "phase": JSONSchema.enumeration(ProjectPhase.allCases.map(\.rawValue)),
         "status": JSONSchema.enumeration(ProjectStatus.allCases.map(\.rawValue))]
    }
    var key: String?
    var name: String?
    var description: String?
    var phase: String?
    var businessOwner: String?
    var startDate: Sent<CalendarDate>
    var targetDate: Sent<CalendarDate>
    var status: String?

    /// The project's fields with this change applied.
    func applied(to current: ProjectFields) -> ProjectFields {
        var f = current
        if let key { f.key = key }
        if let name { f.name = name }
        if let description { f.description = description }
        if let phase, let p = ProjectPhase(rawValue: phase) { f.phase = p }
        if let businessOwner { f.businessOwner = businessOwner }
        if startDate.isSent { f.startDate = startDate.value }
        if targetDate.isSent { f.targetDate = targetDate.value }
        if let status, let s = ProjectStatus(rawValue: status) { f.status = s }
        return f
    }
}

struct ProjectCreateBody: RequestBody {
    static let schemaName = "ProjectCreate"
    static var schemaHints: [String: JSONSchema] { ProjectPatchBody.schemaHints }
    var key: String
    var name: String
    var description: String?
    var phase: String?
    var businessOwner: String?
    var startDate: Sent<CalendarDate>
    var targetDate: Sent<CalendarDate>
    var status: String?

    var fields: ProjectFields {
        ProjectPatchBody(key: key, name: name, description: description, phase: phase, businessOwner: businessOwner,
                         startDate: startDate, targetDate: targetDate, status: status)
            .applied(to: ProjectFields(key: key, name: name))
    }
}

struct MembershipPutBody: RequestBody {
    static let schemaName = "MembershipPut"
    static var schemaHints: [String: JSONSchema] { ["role": JSONSchema.enumeration(ProjectRole.allCases.map(\.rawValue))] }
    var role: String
}
