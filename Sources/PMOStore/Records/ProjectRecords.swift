import FluentKit
import Foundation

/// A project: key, name, phase, owner and dates. Dates are `YYYY-MM-DD` text (calendar dates, no zone).
public final class ProjectRecord: Model, @unchecked Sendable {
    public static let schema = "projects"
    @ID(key: .id) public var id: UUID?
    @Field(key: "key") public var key: String
    @Field(key: "name") public var name: String
    @Field(key: "description") public var description: String
    @Field(key: "phase") public var phase: String
    @Field(key: "business_owner") public var businessOwner: String
    @OptionalField(key: "start_date") public var startDate: String?
    @OptionalField(key: "target_date") public var targetDate: String?
    @Field(key: "status") public var status: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "version") public var version: Int
    public init() {}
}

/// A user's role in a project.
public final class MembershipRecord: Model, @unchecked Sendable {
    public static let schema = "memberships"
    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "role") public var role: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "version") public var version: Int
    public init() {}
}
