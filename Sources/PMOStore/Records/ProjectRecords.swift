import Foundation

// Read and written only with the SQL in Services/ProjectSQL.swift.

/// A project: key, name, phase, owner and dates. Dates are `YYYY-MM-DD` text (calendar dates, no zone).
public final class ProjectRecord: IdentifiedRecord, @unchecked Sendable {
    public var id: UUID?
    public var key = ""
    public var name = ""
    public var description = ""
    public var phase = ""
    public var businessOwner = ""
    public var startDate: String?
    public var targetDate: String?
    public var status = ""
    public var createdAt = Date(timeIntervalSince1970: 0)
    public var updatedAt = Date(timeIntervalSince1970: 0)
    public var version = 1
    public init() {}
}

/// A user's role in a project.
public final class MembershipRecord: IdentifiedRecord, @unchecked Sendable {
    public var id: UUID?
    public var projectID = UUID()
    public var userID = UUID()
    public var role = ""
    public var createdAt = Date(timeIntervalSince1970: 0)
    public var version = 1
    public init() {}
}
