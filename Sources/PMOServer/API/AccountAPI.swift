import Fluent
import Foundation
import PMOCore
import PMOStore
import Vapor

/// Tokens, the signed-in user, users and companies.
enum AccountAPI {
    static func register(_ r: APIRouter) {
        r.add(.POST, "/tokens", summary: "Create an API token from e-mail and password, or from a session",
              tag: "auth", auth: false, request: "TokenCreate", response: "Token", status: 201, errors: [401, 403, 429]) { req in
            let body = try req.body(TokenCreateBody.self, code: "token.invalid")
            let (email, password) = (body.email, body.password)
            // A blank name is no name: the token is called "API token", as when none is sent.
            let given = body.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let name = given.isEmpty ? "API token" : given
            let userID: UUID
            if let email, let password {
                // A temporary password gives a token too, but until the password is changed (PUT /me/password) the
                // token opens nothing else (PasswordChangeGate).
                userID = try await req.authenticate(email: email, password: password).requireID()
            } else if email != nil || password != nil {
                throw DomainError.invalid("token.invalid", [FieldError(field: email == nil ? "email" : "password", code: "required_here",
                                                                       message: "Send both email and password.")])
            } else {
                userID = try req.writer().userID
            }
            let (record, token) = try await req.store.accounts.createAPIToken(userID: userID, name: name)
            return try await json(TokenDTO(record, token: token), req, status: .created)
        }
        r.add(.GET, "/tokens", summary: "List your API tokens (never the secrets)", tag: "auth", response: "TokenList") { req in
            let caller = try req.requireCaller()
            return try await json(ListDTO(items: try await req.store.accounts.apiTokens(userID: caller.userID).map { try TokenDTO($0) }), req)
        }
        r.add(.DELETE, "/tokens/{id}", summary: "Revoke one of your API tokens", tag: "auth", status: 204) { req in
            try await req.store.accounts.revokeAPIToken(by: try req.writer(), id: try req.pathUUID("id"))
            return noContent()
        }
        r.add(.GET, "/me", summary: "The signed-in user and their projects", tag: "auth", response: "Me") { req in
            let caller = try req.requireCaller()
            guard let user = try await req.store.accounts.user(id: caller.userID) else { throw Abort(.unauthorized) }
            let projects = try await req.store.projects.list(for: caller).map { try ProjectDTO($0.0, role: $0.1) }
            return try await json(MeDTO(user: UserDTO(user), projects: projects), req)
        }

        r.add(.PUT, "/me/password", summary: "Change your own password (the current one is checked); your other browser sessions end; 204",
              tag: "auth", request: "PasswordChange", status: 204, errors: [429]) { req in
            let caller = try req.writer()
            let body = try req.body(PasswordChangeBody.self, code: "password.invalid")
            try await req.changeOwnPassword(caller, current: body.currentPassword, new: body.newPassword)
            return noContent()
        }
        r.add(.GET, "/companies", summary: "List companies", tag: "admin", response: "CompanyList") { req in
            _ = try req.requireCaller()
            return try await json(ListDTO(items: try await req.store.accounts.companies().map(CompanyDTO.init)), req)
        }
        r.add(.POST, "/companies", summary: "Create a company (admin)", tag: "admin", request: "CompanyCreate",
              response: "Company", status: 201, access: .admin) { req in
            let caller = try req.writer()
            let body = try req.body(CompanyCreateBody.self, code: "company.invalid")
            let company = try await req.store.accounts.createCompany(by: caller, name: body.name, kind: body.kind)
            return try await json(CompanyDTO(company), req, status: .created)
        }

        r.add(.GET, "/users", summary: "List users (admin)", tag: "admin", response: "UserList") { req in
            let caller = try req.requireCaller()
            guard caller.isAdmin else { throw DomainError.forbidden("admin.required", "Only an administrator may list users.") }
            return try await json(ListDTO(items: try await req.store.accounts.users().map(UserDTO.init)), req)
        }
        r.add(.POST, "/users", summary: "Create a user with an invitation link or a temporary password (admin)", tag: "admin",
              request: "UserCreate", response: "CreatedUser", status: 201, access: .admin) { req in
            let caller = try req.writer()
            let body = try req.body(UserCreateBody.self, code: "user.invalid")
            let created = try await req.store.accounts.createUser(
                by: caller,
                NewUser(email: body.email, displayName: body.displayName, companyID: body.companyId, locale: body.locale ?? "ja",
                        timeZone: body.timeZone ?? "Asia/Tokyo", isAdmin: body.isAdmin ?? false,
                        password: body.passwordSetup == "temporary" ? .temporary : .invitation),
                bcryptCost: req.config.bcryptCost)
            return try await json(CreatedUserDTO(user: UserDTO(created.user),
                                                 invitationURL: created.invitationToken.map { req.absoluteURL("/invite/\($0)") },
                                                 temporaryPassword: created.temporaryPassword), req, status: .created,
                                  version: created.user.version)
        }
        r.add(.GET, "/users/{id}", summary: "One user (admin, or yourself)", tag: "admin", response: "User") { req in
            let caller = try req.requireCaller()
            let id = try req.pathUUID("id")
            guard caller.isAdmin || caller.userID == id, let user = try await req.store.accounts.user(id: id) else {
                throw DomainError.notFound("user.not_found", "No such user.")
            }
            return try await json(UserDTO(user), req, version: user.version)
        }
        r.add(.PATCH, "/users/{id}", summary: "Change a user: name, locale, time zone; admins also company, admin and active flags",
              tag: "admin", request: "UserPatch", response: "User", ifMatch: true) { req in
            let caller = try req.writer()
            let id = try req.pathUUID("id")
            let version = try req.requiredIfMatch()
            let body = try req.body(UserPatchBody.self, code: "user.invalid")
            let user = try await req.store.accounts.updateUser(by: caller, id: id, expectedVersion: version, displayName: body.displayName,
                                                      locale: body.locale, timeZone: body.timeZone, companyID: body.companyId,
                                                      isAdmin: body.isAdmin, isActive: body.isActive)
            return try await json(UserDTO(user), req, version: user.version)
        }
        r.add(.POST, "/users/{id}/password-reset", summary: "Set a new temporary password, shown once (admin)", tag: "admin",
              response: "TemporaryPassword", access: .admin) { req in
            let caller = try req.writer()
            let password = try await req.store.accounts.resetPassword(by: caller, userID: try req.pathUUID("id"), bcryptCost: req.config.bcryptCost)
            return try await json(["temporaryPassword": password], req)
        }
        r.add(.POST, "/users/{id}/invitation", summary: "Make a new one-time invitation link (admin)", tag: "admin",
              response: "Invitation", access: .admin) { req in
            let caller = try req.writer()
            let token = try await req.store.accounts.reinvite(by: caller, userID: try req.pathUUID("id"))
            return try await json(["invitationURL": req.absoluteURL("/invite/\(token)")], req)
        }
    }
}

extension Request {
    /// An absolute URL on this server, from the Host header the client used.
    func absoluteURL(_ path: String) -> String {
        let host = headers.first(name: .host) ?? "\(application.serverConfiguration.host):\(application.serverConfiguration.port)"
        return "http://\(host)\(path)"
    }
}
