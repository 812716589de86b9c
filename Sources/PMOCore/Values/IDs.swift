import Foundation

/// A typed identifier, so that a user id can never be passed where a project id is wanted.
public struct TypedID<Tag>: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UUID
    public init(_ rawValue: UUID) { self.rawValue = rawValue }
    public init?(string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        self.rawValue = uuid
    }
    public var description: String { rawValue.uuidString.lowercased() }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(UUID.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

public enum UserTag {}
public enum CompanyTag {}
public enum ProjectTag {}
public enum IssueTag {}

public typealias UserID = TypedID<UserTag>
public typealias CompanyID = TypedID<CompanyTag>
public typealias ProjectID = TypedID<ProjectTag>
public typealias IssueID = TypedID<IssueTag>
