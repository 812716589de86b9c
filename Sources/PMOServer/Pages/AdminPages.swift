import Fluent
import Foundation
import PMOCore
import PMOStore
import Vapor

/// User and company administration (system admins only).
enum AdminPages {
    struct UserRow: Encodable { var id: String; var name: String; var email: String; var company: String; var active: Bool; var admin: Bool; var version: Int }
    struct UsersData: Encodable {
        var users: [UserRow]; var companies: [Choice]; var errors: [FieldError]; var form: [String: String]
        var secretLabel: String?; var secret: String?; var secretFor: String?
    }
    struct CompanyRow: Encodable { var name: String; var kind: String }
    struct CompaniesData: Encodable { var companies: [CompanyRow]; var kinds: [Choice]; var errors: [FieldError] }
    /// The organisation's settings: the month its fiscal year starts in (one for every project, so portfolio totals add up).
    struct SettingsData {
        var fiscalFirstMonth: Int
        var saved: Bool
        /// The organisation's own contract types, one per line as the form shows them, and a refusal of that form.
        var contractTypes: String = ""
        var contractTypesError: String? = nil
    }

    /// The settings page, with the contract types as typed and their refusal when the form was refused.
    static func settingsPage(_ req: Request, typed: String? = nil, error: String? = nil) async throws -> Response {
        _ = try admin(req)
        let calendar = try await req.store.ledger.fiscalCalendar()
        let custom = try await req.store.ledger.customContractTypes().map(\.rawValue).joined(separator: "\n")
        return try await req.render(AdminViews.settings, req.chrome(title: req.label("admin.settings"), section: "admin"),
                                    SettingsData(fiscalFirstMonth: calendar.firstMonth, saved: req.url.query == "saved",
                                                 contractTypes: typed ?? custom, contractTypesError: error),
                                    status: error == nil ? .ok : .unprocessableEntity)
    }

    static func admin(_ req: Request) throws -> Caller {
        let caller = try req.pageCaller()
        guard caller.isAdmin else { throw DomainError.forbidden("admin.required", "Only an administrator may manage users and companies.") }
        return caller
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware()).grouped("admin")
        pages.get("users") { req async throws -> Response in
            try await usersPage(req, errors: [], form: [:], secret: nil)
        }
        pages.post("users") { req async throws -> Response in
            let caller = try admin(req)
            let f = try req.form()
            let temporary = f["passwordSetup"] == "temporary"
            do {
                guard let company = UUID(uuidString: f["companyId"] ?? "") else {
                    throw DomainError.invalid("user.invalid", [FieldError(field: "companyId", code: "required", message: "Choose the user's company.")])
                }
                let created = try await req.store.accounts.createUser(
                    by: caller,
                    NewUser(email: f["email"] ?? "", displayName: f["displayName"] ?? "", companyID: company,
                            locale: f["locale"] ?? "ja", timeZone: f["timeZone"] ?? "Asia/Tokyo", isAdmin: f["isAdmin"] == "on",
                            password: temporary ? .temporary : .invitation),
                    bcryptCost: req.config.bcryptCost)
                let secret = created.temporaryPassword ?? created.invitationToken.map { req.absoluteURL("/invite/\($0)") }
                return try await usersPage(req, errors: [], form: [:],
                                           secret: (req.label(temporary ? "temporary_password" : "invitation_link"), secret ?? "", created.user.email))
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await usersPage(req, errors: e.asFieldErrors,
                                           form: f, secret: nil, status: .unprocessableEntity)
            }
        }
        pages.post("users", ":id", ":action") { req async throws -> Response in
            let caller = try admin(req)
            let f = try req.form()
            let id = try req.pathUUID("id")
            guard let user = try await req.store.accounts.user(id: id) else { throw DomainError.notFound("user.not_found", "No such user.") }
            switch try req.pathString("action") {
            case "deactivate", "activate":
                _ = try await req.store.accounts.updateUser(by: caller, id: id, expectedVersion: Int(f["version"] ?? ""),
                                                   isActive: try req.pathString("action") == "activate")
                return req.redirect(to: AppPath.adminUsers.href)
            case "reset":
                let password = try await req.store.accounts.resetPassword(by: caller, userID: id, bcryptCost: req.config.bcryptCost)
                return try await usersPage(req, errors: [], form: [:], secret: (req.label("temporary_password"), password, user.email))
            case "invite":
                let token = try await req.store.accounts.reinvite(by: caller, userID: id)
                return try await usersPage(req, errors: [], form: [:], secret: (req.label("invitation_link"), req.absoluteURL("/invite/\(token)"), user.email))
            default:
                throw DomainError.notFound("route.not_found", "There is no such action on a user.")
            }
        }
        pages.get("settings") { req async throws -> Response in try await settingsPage(req) }
        pages.post("settings", "contract-types") { req async throws -> Response in
            let caller = try admin(req)
            let typed = try req.form()["contractTypes"] ?? ""
            do {
                _ = try await req.store.ledger.setContractTypes(caller, typed.components(separatedBy: .newlines))
                return req.redirect(to: AppPath.adminSettings.href + "?saved")
            } catch let e as DomainError where e.kind == .invalid {
                return try await settingsPage(req, typed: typed, error: req.sentence(e))
            }
        }
        pages.post("settings") { req async throws -> Response in
            let caller = try admin(req)
            _ = try await req.store.ledger.setFiscalFirstMonth(caller, Int(try req.form()["fiscalFirstMonth"] ?? "") ?? 0)
            return req.redirect(to: AppPath.adminSettings.href + "?saved")
        }
        pages.get("companies") { req async throws -> Response in try await companiesPage(req, errors: []) }
        pages.post("companies") { req async throws -> Response in
            let caller = try admin(req)
            let f = try req.form()
            do {
                _ = try await req.store.accounts.createCompany(by: caller, name: f["name"] ?? "", kind: f["kind"] ?? "")
                return req.redirect(to: AppPath.adminCompanies.href)
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await companiesPage(req, errors: e.asFieldErrors,
                                               status: .unprocessableEntity)
            }
        }
    }

    static func usersPage(_ req: Request, errors: [FieldError], form: [String: String], secret: (String, String, String)?,
                          status: HTTPResponseStatus = .ok) async throws -> Response {
        _ = try admin(req)
        let companies = try await req.store.accounts.companies()
        let names = Dictionary(uniqueKeysWithValues: try companies.map { (try $0.requireID(), $0.name) })
        let users = try await req.store.accounts.users().map {
            UserRow(id: try $0.requireID().uuidString.lowercased(), name: $0.displayName, email: $0.email, company: names[$0.companyID] ?? "",
                    active: $0.isActive, admin: $0.isAdmin, version: $0.version)
        }
        return try await req.render(AdminViews.users, req.chrome(title: req.label("users"), section: "admin"),
                                    UsersData(users: users,
                                              companies: companies.map { Choice(value: try $0.requireID().uuidString.lowercased(), label: $0.name,
                                                                                selected: try $0.requireID().uuidString.lowercased() == form["companyId"]) },
                                              errors: req.shown(errors), form: form, secretLabel: secret?.0, secret: secret?.1, secretFor: secret?.2),
                                    status: status)
    }

    static func companiesPage(_ req: Request, errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        _ = try admin(req)
        let companies = try await req.store.accounts.companies().map { CompanyRow(name: $0.name, kind: $0.kind) }
        return try await req.render(AdminViews.companies, req.chrome(title: req.label("companies"), section: "admin"),
                                    CompaniesData(companies: companies,
                                                  kinds: CompanyKind.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == .vendor) },
                                                  errors: req.shown(errors)), status: status)
    }
}
