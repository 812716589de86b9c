import Foundation

/// One row of a project's decision-rights table: which kind of decision belongs to whom.
/// E.g. `specification_change` → "Business owner" (the named people), `budget` → "Steering committee" (PMO role).
public struct DecisionRight: Sendable, Equatable, Codable {
    public var category: String
    /// Who decides, as people call it ("Steering committee", "業務オーナー").
    public var authority: String
    /// Project roles that hold the right.
    public var roles: [ProjectRole]
    /// People who hold the right whatever their role.
    public var userIDs: [UserID]

    public init(category: String, authority: String, roles: [ProjectRole] = [], userIDs: [UserID] = []) {
        self.category = category
        self.authority = authority
        self.roles = roles
        self.userIDs = userIDs
    }
}

/// Who may decide what. Pure: the store passes in the table and the people.
public enum DecisionRights {
    /// The category whose holders approve specification changes (the business owner by default).
    public static let specificationChange = "specification_change"
    /// Roles that decide when the table has no row for a category.
    public static let defaultRoles: [ProjectRole] = [.admin, .pmo, .pm]
    /// Roles that may record a decision on the decider's behalf (the meeting's secretary).
    public static let recorderRoles: [ProjectRole] = [.admin, .pmo, .pm]

    /// What the person named as a decision's decider may set on it whatever their project role (an executive with the
    /// viewer role included): its outcome and the words of it, nothing else.
    public static let deciderFields: Set<String> = ["decision", "rationale"]
    public static let deciderOutcomes: Set<String> = ["decided", "rejected", "deferred"]

    /// Whether going from `before` to `after` only records the decision's outcome (`deciderOutcomes`, or the status
    /// unchanged) and its `deciderFields`.
    public static func onlyRecordsTheOutcome(before: RegisterItemFields, after: RegisterItemFields) -> Bool {
        guard after.status == before.status || deciderOutcomes.contains(after.status) else { return false }
        var a = after, b = before
        a.status = b.status
        for name in deciderFields {
            a.details[name] = nil
            b.details[name] = nil
        }
        return a == b
    }

    /// What the person named as a change request's approver may set on it whatever their role: approve or reject it,
    /// nothing else (the product records who approved and when itself).
    public static let approverOutcomes: Set<String> = ["approved", "rejected"]

    /// Whether going from `before` to `after` only approves or rejects the change.
    public static func onlyRecordsTheApproval(before: RegisterItemFields, after: RegisterItemFields) -> Bool {
        guard approverOutcomes.contains(after.status), after.status != before.status else { return false }
        var a = after
        a.status = before.status
        return a == before
    }

    /// The row for a category, if the table has one.
    public static func right(for category: String?, in table: [DecisionRight]) -> DecisionRight? {
        guard let category, !category.isEmpty else { return nil }
        return table.first { $0.category == category }
    }

    /// Whether this person holds the right to decide in `category`.
    public static func holds(_ table: [DecisionRight], category: String?, userID: UserID, role: ProjectRole?) -> Bool {
        if let right = right(for: category, in: table) {
            return right.userIDs.contains(userID) || (role.map(right.roles.contains) ?? false)
        }
        return role.map(defaultRoles.contains) ?? false
    }

    /// The authority named for a category: the table's wording, else "Project management (PMO / PM)".
    public static func authority(for category: String?, in table: [DecisionRight]) -> String {
        right(for: category, in: table)?.authority ?? "Project management (PMO / PM)"
    }

    /// Checks the table itself: categories unique and well-formed, every row names who holds it.
    public static func validate(_ table: [DecisionRight]) -> [FieldError] {
        var e = FieldErrors()
        var seen = Set<String>()
        for (i, row) in table.enumerated() {
            let at = "rights[\(i)]"
            if row.category.isEmpty || row.category.count > 60
                || !row.category.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                e.add("\(at).category", "invalid", "A category is 1 to 60 letters, digits or underscores (e.g. budget, specification_change).")
            }
            if !seen.insert(row.category).inserted {
                e.add("\(at).category", "duplicate", "The category \(row.category) appears twice; keep one row per category.")
            }
            if row.authority.trimmingCharacters(in: .whitespaces).isEmpty || row.authority.count > 200 {
                e.add("\(at).authority", "required", "Name the authority (1 to 200 characters), e.g. Steering committee.")
            }
            if row.roles.isEmpty && row.userIDs.isEmpty {
                e.add("\(at).roles", "required_here", "Say who holds the right: at least one role or person.")
            }
        }
        return e.all
    }
}
