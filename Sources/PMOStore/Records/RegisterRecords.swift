import Foundation

/// One row of `register_items`: an item of any register, issues (I) included. The fields every register shares are
/// columns; the register's own fields are one JSON object in `details` (`RegisterDetailsCodec` for the five registers
/// of `RegisterKind`, `IssueDetails` for issues). A plain class read and written only with the SQL beside it
/// (`columns`, `init(_: RowReader)`, `insert`, `update`), never through Fluent's query builder, which reflects over a
/// model on every query on the API's hottest paths.
public final class RegisterItemRecord: IdentifiedRecord, @unchecked Sendable {
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

}

// The register's other tables are reached only with the SQL beside their feature, never through Fluent models:
// `item_comments` and `item_links` in Store+ItemLinks.swift, `decision_rights` in Store+RegisterSteps.swift,
// `register_counters` in `ItemService.nextNumber`.
