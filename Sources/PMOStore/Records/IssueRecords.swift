import FluentKit
import Foundation

/// One item of the issue register (課題管理表), stored in `register_items` as the register `I` (M011): the columns
/// every register shares, the priority's rank as the score (so lists sort by it in SQL), and the issue's own fields
/// (cause, next action, escalation level) in the details.
public final class IssueRecord: @unchecked Sendable {
    public var id: UUID?
    public var projectID: UUID
    public var number: Int
    public var title: String
    public var description: String
    public var cause: String
    public var nextAction: String
    public var ownerID: UUID?
    public var dueDate: String?
    /// The priority's rank, 0 (low) to 3 (critical).
    public var priority: Int
    public var status: String
    public var escalationLevel: Int
    public var visibility: String
    public var visibilityCompanyID: UUID?
    public var companyID: UUID?
    public var createdByID: UUID
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init() {
        projectID = UUID(); number = 0; title = ""; description = ""; cause = ""; nextAction = ""; priority = 1
        status = "open"; escalationLevel = 0; visibility = "project"; createdByID = UUID()
        createdAt = Date(timeIntervalSince1970: 0); updatedAt = createdAt; version = 1
    }

    public func requireID() throws -> UUID {
        guard let id else { throw FluentError.idRequired }
        return id
    }
}

/// The issue's own fields as the JSON of `register_items.details`.
struct IssueDetails: Codable, Equatable {
    var cause = ""
    var nextAction = ""
    var escalationLevel = 0

    init(cause: String, nextAction: String, escalationLevel: Int) {
        self.cause = cause
        self.nextAction = nextAction
        self.escalationLevel = escalationLevel
    }

    /// Missing keys read as empty (an item written before a field existed).
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cause = try c.decodeIfPresent(String.self, forKey: .cause) ?? ""
        nextAction = try c.decodeIfPresent(String.self, forKey: .nextAction) ?? ""
        escalationLevel = try c.decodeIfPresent(Int.self, forKey: .escalationLevel) ?? 0
    }

    static func decode(_ text: String) -> IssueDetails {
        (try? JSONDecoder().decode(IssueDetails.self, from: Data(text.utf8))) ?? IssueDetails(cause: "", nextAction: "", escalationLevel: 0)
    }

    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
