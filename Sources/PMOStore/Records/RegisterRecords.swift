import FluentKit
import Foundation

/// One item of a register other than issues (risk, decision, question, change, action). The fields every register
/// shares are columns; the register's own fields are one JSON object in `details` (see `RegisterDetailsCodec`).
public final class RegisterItemRecord: Model, @unchecked Sendable {
    public static let schema = "register_items"
    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    /// The register's letter: R, D, Q, C or A.
    @Field(key: "register") public var register: String
    @Field(key: "number") public var number: Int
    @Field(key: "title") public var title: String
    @Field(key: "description") public var description: String
    @Field(key: "status") public var status: String
    /// False once the status is a finished one; kept as a column so lists and "my work" filter in SQL.
    @Field(key: "is_open") public var isOpen: Bool
    @OptionalField(key: "owner_id") public var ownerID: UUID?
    /// Who must decide (decisions); mirrored from details for "my work".
    @OptionalField(key: "decider_id") public var deciderID: UUID?
    @OptionalField(key: "due_date") public var dueDate: String?
    /// A risk's score (probability × largest impact), for sorting and the heat map.
    @OptionalField(key: "score") public var score: Int?
    @Field(key: "visibility") public var visibility: String
    @OptionalField(key: "visibility_company_id") public var visibilityCompanyID: UUID?
    @OptionalField(key: "company_id") public var companyID: UUID?
    @Field(key: "details") public var details: String
    /// Lower-cased words of the item for text search (never the JSON of `details`, whose keys would match).
    @Field(key: "search_text") public var searchText: String
    @Field(key: "created_by_id") public var createdByID: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "version") public var version: Int
    public init() {}
}

/// A comment on a register item.
public final class ItemCommentRecord: Model, @unchecked Sendable {
    public static let schema = "item_comments"
    @ID(key: .id) public var id: UUID?
    @Field(key: "item_id") public var itemID: UUID
    @Field(key: "author_id") public var authorID: UUID
    @Field(key: "body") public var body: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// A typed link between any two items of one project (issues included), e.g. risk R3 causes issue I12.
public final class ItemLinkRecord: Model, @unchecked Sendable {
    public static let schema = "item_links"
    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    /// The item type letter (I, R, D, Q, C, A) of each end.
    @Field(key: "from_type") public var fromType: String
    @Field(key: "from_id") public var fromID: UUID
    @Field(key: "to_type") public var toType: String
    @Field(key: "to_id") public var toID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "created_by_id") public var createdByID: UUID
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// One row of a project's decision-rights table.
public final class DecisionRightRecord: Model, @unchecked Sendable {
    public static let schema = "decision_rights"
    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "position") public var position: Int
    @Field(key: "category") public var category: String
    @Field(key: "authority") public var authority: String
    /// Comma-separated role names.
    @Field(key: "roles") public var roles: String
    /// Comma-separated user ids.
    @Field(key: "user_ids") public var userIDs: String
    public init() {}
}
