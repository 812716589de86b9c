import Foundation

/// Who may do what with meetings and status reports. Pure, like `AccessPolicy`.
public enum MeetingAccess {
    /// Admins, the PMO and PMs set up meeting series.
    public static func canManageSeries(_ actor: AccessPolicy.Actor) -> Bool {
        actor.isSystemAdmin || [.admin, .pmo, .pm].contains(actor.role)
    }

    /// Whoever manages series, and the series' chair, prepares agendas and writes and approves minutes.
    public static func canRun(_ actor: AccessPolicy.Actor, chairID: UserID?) -> Bool {
        if canManageSeries(actor) { return true }
        guard let role = actor.role, role != .viewer else { return false }
        return chairID == actor.userID
    }

    /// Every member who may see the series' visibility reads it, its agendas and minutes.
    public static func canSee(_ actor: AccessPolicy.Actor, _ visibility: Visibility) -> Bool {
        AccessPolicy.canSee(actor, visibility)
    }

    /// Status reports carry earned value and budgets, which are commercial: vendors do not read them.
    public static func canReadReports(_ actor: AccessPolicy.Actor) -> Bool {
        actor.isSystemAdmin || (actor.role != nil && actor.role != .vendor)
    }

    /// Admins, the PMO and PMs draft and issue status reports.
    public static func canEditReports(_ actor: AccessPolicy.Actor) -> Bool {
        actor.isSystemAdmin || [.admin, .pmo, .pm].contains(actor.role)
    }

    /// Only the PMO (and admins) override a computed status: the point of the colour is that the PM does not set it.
    public static func canOverride(_ actor: AccessPolicy.Actor) -> Bool {
        actor.isSystemAdmin || [.admin, .pmo].contains(actor.role)
    }
}
