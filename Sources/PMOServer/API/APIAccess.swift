import Foundation
import PMOCore
import PMOStore
import Vapor

/// Who may use an operation at all, checked when a request is refused as malformed or invalid: a caller without the
/// right gets 401, 403 or 404 instead, so a viewer or an outsider never learns what a valid body looks like.
///
/// The store still makes the exact decision on every write (a vendor edits its own company's items, a member records
/// progress on activities it owns); this is the coarse right that comes first.
enum APIAccess: Sendable, Equatable {
    /// No sign-in (health, sign-in for a token).
    case anyone
    /// Any signed-in user (their own tokens and settings, reads).
    case signedIn
    /// System administrators only.
    case admin
    /// Project members who may write: every role but viewer.
    case contributor
    /// Project admins, the PMO and PMs: the plan's structure, meeting series, status reports, members, deletes.
    case manager

    /// The default for an operation: writes under a project need a contributor, the rest a signed-in user.
    static func standard(method: HTTPMethod, path: String, auth: Bool) -> APIAccess {
        guard auth else { return .anyone }
        return method != .GET && path.hasPrefix("/projects/{key}") ? .contributor : .signedIn
    }

    /// Who may, in words, for the OpenAPI document.
    var description: String {
        switch self {
        case .anyone: "anyone"
        case .signedIn: "any signed-in user"
        case .admin: "system administrators"
        case .contributor: "project members except viewers"
        case .manager: "project admins, the PMO and PMs"
        }
    }

    /// Throws the answer a caller without this right gets: 401 when not signed in, 404 for a project they cannot
    /// see, 403 otherwise.
    func authorize(_ req: Request) async throws {
        switch self {
        case .anyone:
            return
        case .signedIn:
            _ = try req.requireCaller()
        case .admin:
            guard try req.requireCaller().isAdmin else {
                throw DomainError.forbidden("admin.required", "Only a system administrator may do this.")
            }
        case .contributor, .manager:
            let caller = try req.requireCaller()
            let key = try req.projectKey()
            let context = try await req.store.projectContext(caller, key: key)
            if self == .contributor && !context.allows(.createItem) {
                throw DomainError.forbidden("project.read_only", "Your role in \(key) reads only; ask the project's PMO for a role that may write.")
            }
            if self == .manager && !context.allows(.editProject) {
                throw DomainError.forbidden("project.manager_required", "Only the project's admins, the PMO and PMs may do this in \(key).")
            }
        }
    }
}
