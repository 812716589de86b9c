/// A user's role in one project. Roles are per project; a user may hold different roles in different projects.
public enum ProjectRole: String, CaseIterable, Sendable, Codable {
    /// Runs the project's settings and membership.
    case admin
    /// PMO staff: keeps the registers, runs meetings and reports.
    case pmo
    /// Project manager: owns delivery and decisions.
    case pm
    /// A team member of the running organisation or client.
    case member
    /// A vendor's staff: sees whole-project items and its own company's items only.
    case vendor
    /// Reads but never writes.
    case viewer
}

/// Who sees a register item.
public enum VisibilityScope: String, CaseIterable, Sendable, Codable {
    /// Every member of the project.
    case project
    /// Everyone but vendor members.
    case `internal`
    /// Internal members and the vendor members of one company.
    case company
}

/// A register item's visibility: a scope, with the company when the scope is `company`.
public struct Visibility: Hashable, Sendable {
    public var scope: VisibilityScope
    public var companyID: CompanyID?

    public init(scope: VisibilityScope, companyID: CompanyID? = nil) {
        self.scope = scope
        self.companyID = scope == .company ? companyID : nil
    }

    public static let project = Visibility(scope: .project)
    public static let `internal` = Visibility(scope: .internal)
    public static func company(_ id: CompanyID) -> Visibility { Visibility(scope: .company, companyID: id) }
}

extension Visibility: Codable {
    enum CodingKeys: String, CodingKey { case scope, companyID }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(scope: try c.decode(VisibilityScope.self, forKey: .scope),
                  companyID: try c.decodeIfPresent(CompanyID.self, forKey: .companyID))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scope, forKey: .scope)
        try c.encodeIfPresent(companyID, forKey: .companyID)
    }
}
