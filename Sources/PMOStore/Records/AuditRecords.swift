import FluentKit
import Foundation

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
