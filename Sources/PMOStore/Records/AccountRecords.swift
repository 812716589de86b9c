import FluentKit
import Foundation

/// A company: the organisation running the PMO, a client, or a vendor.
public final class CompanyRecord: Model, @unchecked Sendable {
    public static let schema = "companies"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "version") public var version: Int
    public init() {}
    public init(id: UUID = UUID(), name: String, kind: String, createdAt: Date) {
        self.id = id; self.name = name; self.kind = kind; self.createdAt = createdAt; self.version = 1
    }
}

/// A person who signs in. Passwords are bcrypt hashes; nothing else about the password is kept.
public final class UserRecord: Model, @unchecked Sendable {
    public static let schema = "users"
    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "display_name") public var displayName: String
    @OptionalField(key: "password_hash") public var passwordHash: String?
    @Field(key: "locale") public var locale: String
    @Field(key: "time_zone") public var timeZone: String
    @Field(key: "is_active") public var isActive: Bool
    @Field(key: "is_admin") public var isAdmin: Bool
    @Field(key: "company_id") public var companyID: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "version") public var version: Int
    /// Set with a temporary password: the user must choose their own before doing anything else.
    @Field(key: "must_change_password") public var mustChangePassword: Bool
    public init() {}
}

/// A login session; the cookie holds a random token whose SHA-256 is the key here.
public final class SessionRecord: Model, @unchecked Sendable {
    public static let schema = "sessions"
    @ID(custom: "token_hash", generatedBy: .user) public var id: String?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    public init() {}
}

/// An API bearer token a user created; only its SHA-256 is stored.
public final class APITokenRecord: Model, @unchecked Sendable {
    public static let schema = "api_tokens"
    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    public init() {}
}

/// A one-time link that lets an invited user set a password.
public final class InvitationRecord: Model, @unchecked Sendable {
    public static let schema = "invitations"
    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?
    public init() {}
}
