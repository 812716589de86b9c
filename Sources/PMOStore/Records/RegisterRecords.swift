import FluentKit
import Foundation

/// One row of `register_items`: an item of any register, issues (I) included. The fields every register shares are
/// columns; the register's own fields are one JSON object in `details` (`RegisterDetailsCodec` for the five registers
/// of `RegisterKind`, `IssueDetails` for issues). A plain class read and written only with the SQL beside it
/// (`columns`, `init(_: RowReader)`, `insert`, `update`), never through Fluent's query builder, which reflects over a
/// model on every query on the API's hottest paths.
public final class RegisterItemRecord: @unchecked Sendable {
    public var id: UUID?
    public var projectID: UUID
    /// The register's letter: I, R, D, Q, C or A.
    public var register: String
    public var number: Int
    public var title: String
    public var description: String
    public var status: String
    /// False once the status is a finished one; kept as a column so lists and "my work" filter in SQL.
    public var isOpen: Bool
    public var ownerID: UUID?
    /// Who must decide (decisions); mirrored from details for "my work".
    public var deciderID: UUID?
    public var dueDate: String?
    /// A risk's score (probability × largest impact), an issue's priority rank (0 low … 3 critical): for sorting.
    public var score: Int?
    public var visibility: String
    public var visibilityCompanyID: UUID?
    public var companyID: UUID?
    public var details: String
    /// Lower-cased words of the item for text search (never the JSON of `details`, whose keys would match).
    public var searchText: String
    public var createdByID: UUID
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    /// An empty item of `register`, to be filled before it is stored.
    public init(register: String = "") {
        projectID = UUID(); self.register = register; number = 0; title = ""; description = ""; status = ""; isOpen = true
        visibility = "project"; details = "{}"; searchText = ""; createdByID = UUID()
        createdAt = Date(timeIntervalSince1970: 0); updatedAt = createdAt; version = 1
    }

    public func requireID() throws -> UUID {
        guard let id else { throw FluentError.idRequired }
        return id
    }
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
