import Foundation

// The account tables' rows, as plain classes: they are read and written only with the SQL in
// Services/AccountSQL.swift (columns, readers by position, inserts, updates), never through Fluent's query builder.

/// A company: the organisation running the PMO, a client, or a vendor.
public final class CompanyRecord: IdentifiedRecord, @unchecked Sendable {
    public var id: UUID?
    public var name = ""
    public var kind = ""
    public var createdAt = Date(timeIntervalSince1970: 0)
    public var version = 1
    public init() {}
    public init(id: UUID = UUID(), name: String, kind: String, createdAt: Date) {
        self.id = id; self.name = name; self.kind = kind; self.createdAt = createdAt; self.version = 1
    }
}

/// A person who signs in. Passwords are bcrypt hashes; nothing else about the password is kept.
public final class UserRecord: IdentifiedRecord, @unchecked Sendable {
    public var id: UUID?
    public var email = ""
    public var displayName = ""
    public var passwordHash: String?
    public var locale = "ja"
    public var timeZone = "Asia/Tokyo"
    public var isActive = true
    public var isAdmin = false
    public var companyID = UUID()
    public var createdAt = Date(timeIntervalSince1970: 0)
    public var version = 1
    /// Set with a temporary password: the user must choose their own before doing anything else.
    public var mustChangePassword = false
    public init() {}
}

/// A login session; the cookie holds a random token whose SHA-256 is the key here (`token_hash`).
public final class SessionRecord: @unchecked Sendable {
    public var id: String?
    public var userID = UUID()
    public var csrfToken = ""
    public var createdAt = Date(timeIntervalSince1970: 0)
    public var expiresAt = Date(timeIntervalSince1970: 0)
    public init() {}
}

/// An API bearer token a user created; only its SHA-256 is stored.
public final class APITokenRecord: IdentifiedRecord, @unchecked Sendable {
    public var id: UUID?
    public var userID = UUID()
    public var name = ""
    public var tokenHash = ""
    public var createdAt = Date(timeIntervalSince1970: 0)
    public var revokedAt: Date?
    public init() {}
}

/// A one-time link that lets an invited user set a password.
public final class InvitationRecord: @unchecked Sendable {
    public var id: UUID?
    public var userID = UUID()
    public var tokenHash = ""
    public var expiresAt = Date(timeIntervalSince1970: 0)
    public var usedAt: Date?
    public init() {}
}
