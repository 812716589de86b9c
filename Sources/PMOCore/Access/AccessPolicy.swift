/// The one place that decides who may do what. Pure: it looks only at the values passed in.
///
/// Tested as a matrix (role × action × visibility) in PMOCoreTests.
public enum AccessPolicy {
    /// What an actor wants to do in a project.
    public enum Action: String, CaseIterable, Sendable {
        case readProject, editProject, manageMembers
        case readItem, createItem, editItem, deleteItem, comment
    }

    /// The acting user as the policy needs to see them.
    public struct Actor: Sendable, Equatable {
        public var userID: UserID
        public var companyID: CompanyID
        /// A system administrator manages users and companies and may act in every project.
        public var isSystemAdmin: Bool
        /// The actor's role in the project at hand, nil when not a member.
        public var role: ProjectRole?

        public init(userID: UserID, companyID: CompanyID, isSystemAdmin: Bool, role: ProjectRole?) {
            self.userID = userID
            self.companyID = companyID
            self.isSystemAdmin = isSystemAdmin
            self.role = role
        }
    }

    /// The facts about an item that access depends on.
    public struct ItemFacts: Sendable, Equatable {
        public var visibility: Visibility
        public var ownerID: UserID?
        public var createdByID: UserID?

        public init(visibility: Visibility, ownerID: UserID? = nil, createdByID: UserID? = nil) {
            self.visibility = visibility
            self.ownerID = ownerID
            self.createdByID = createdByID
        }
    }

    /// Whether the actor may see an item of this visibility.
    public static func canSee(_ actor: Actor, _ visibility: Visibility) -> Bool {
        if actor.isSystemAdmin { return true }
        guard let role = actor.role else { return false }
        if role != .vendor { return true }
        switch visibility.scope {
        case .project: return true
        case .internal: return false
        case .company: return visibility.companyID == actor.companyID
        }
    }

    /// Whether the actor sees a project's commercial data (budgets, every vendor's estimates and orders, rates):
    /// admins, the PMO and PMs, and members the project grants the commercial right. A vendor's staff never do, granted
    /// or not: they see their own company's estimates and orders only.
    public static func seesCommercial(_ actor: Actor, granted: Bool = false) -> Bool {
        if actor.isSystemAdmin { return true }
        guard let role = actor.role else { return false }
        switch role {
        case .admin, .pmo, .pm: return true
        case .member, .viewer: return granted
        case .vendor: return false
        }
    }

    /// Whether the actor may take `action`, on `item` where the action concerns one.
    public static func allows(_ actor: Actor, _ action: Action, item: ItemFacts? = nil) -> Bool {
        if let item, !canSee(actor, item.visibility) { return false }
        if actor.isSystemAdmin { return true }
        guard let role = actor.role else { return false }
        switch action {
        case .readProject, .readItem:
            return true
        case .editProject, .manageMembers:
            return [.admin, .pmo, .pm].contains(role)
        case .deleteItem:
            return [.admin, .pmo, .pm].contains(role)
        case .createItem, .comment:
            return role != .viewer
        case .editItem:
            switch role {
            case .admin, .pmo, .pm, .member: return true
            case .viewer: return false
            case .vendor:
                // A vendor edits its own company's items and the items it owns or raised.
                guard let item else { return false }
                return item.visibility.scope == .company
                    || item.ownerID == actor.userID || item.createdByID == actor.userID
            }
        }
    }

    /// Which visibilities an actor may give an item it creates or edits.
    public static func mayAssign(_ actor: Actor, _ visibility: Visibility) -> Bool {
        if actor.isSystemAdmin { return true }
        guard let role = actor.role else { return false }
        if role == .vendor {
            // A vendor may share with the whole project or keep to its own company, never hide from others' view.
            return visibility.scope == .project || (visibility.scope == .company && visibility.companyID == actor.companyID)
        }
        return true
    }
}
