import FluentKit
import Foundation

/// One row of the issue register (課題管理表).
public final class IssueRecord: Model, @unchecked Sendable {
    public static let schema = "issues"
    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "number") public var number: Int
    @Field(key: "title") public var title: String
    @Field(key: "description") public var description: String
    @Field(key: "cause") public var cause: String
    @Field(key: "next_action") public var nextAction: String
    @OptionalField(key: "owner_id") public var ownerID: UUID?
    @OptionalField(key: "due_date") public var dueDate: String?
    @Field(key: "priority") public var priority: Int
    @Field(key: "status") public var status: String
    @Field(key: "escalation_level") public var escalationLevel: Int
    @Field(key: "visibility") public var visibility: String
    @OptionalField(key: "visibility_company_id") public var visibilityCompanyID: UUID?
    @OptionalField(key: "company_id") public var companyID: UUID?
    @Field(key: "created_by_id") public var createdByID: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "version") public var version: Int
    public init() {}
}

/// A comment on an issue.
public final class IssueCommentRecord: Model, @unchecked Sendable {
    public static let schema = "issue_comments"
    @ID(key: .id) public var id: UUID?
    @Field(key: "issue_id") public var issueID: UUID
    @Field(key: "author_id") public var authorID: UUID
    @Field(key: "body") public var body: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// One change to one record: who, when, what, and each field's value before and after (JSON text).
public final class AuditEventRecord: Model, @unchecked Sendable {
    public static let schema = "audit_events"
    @ID(key: .id) public var id: UUID?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @OptionalField(key: "project_id") public var projectID: UUID?
    @Field(key: "entity_type") public var entityType: String
    @Field(key: "entity_id") public var entityID: UUID
    @Field(key: "action") public var action: String
    @Field(key: "entity_version") public var entityVersion: Int
    @Field(key: "changes") public var changes: String
    public init() {}
}
