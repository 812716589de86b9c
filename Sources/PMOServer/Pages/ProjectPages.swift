import Fluent
import Foundation
import PMOCore
import PMOStore
import Vapor

/// Project list, project home, project details form and members.
enum ProjectPages {
    struct ProjectRow {
        var key: String; var name: String; var phase: String; var status: String; var start: String; var target: String; var role: String
        /// The overall colour of the latest issued status report and its change since the one before (nil: none issued,
        /// or the reader does not read reports).
        var health: PortfolioRow?
    }
    struct ListData {
        var projects: [ProjectRow]; var canCreate: Bool; var phases: [Choice]; var errors: [FieldError]; var form: [String: String]
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects") { req async throws -> Response in
            try await listPage(req, errors: [], form: [:], status: .ok)
        }
        pages.post("projects") { req async throws -> Response in
            let caller = try req.pageCaller()
            let f = try req.form()
            var fields = ProjectFields(key: (f["key"] ?? "").trimmingCharacters(in: .whitespaces), name: f["name"] ?? "")
            fields.description = f["description"] ?? ""
            fields.businessOwner = f["businessOwner"] ?? ""
            fields.phase = ProjectPhase(rawValue: f["phase"] ?? "") ?? .study
            var dateErrors: [FieldError] = []
            for (name, keyPath) in [("startDate", \ProjectFields.startDate), ("targetDate", \ProjectFields.targetDate)] {
                if let text = f[name], !text.isEmpty {
                    if let d = CalendarDate(iso: text) { fields[keyPath: keyPath] = d }
                    else { dateErrors.append(FieldError(field: name, code: "invalid_date", message: "Write the date as YYYY-MM-DD.")) }
                }
            }
            do {
                if !dateErrors.isEmpty { throw DomainError.invalid("project.invalid", dateErrors) }
                let project = try await req.store.projects.create(by: caller, fields)
                return req.redirect(to: ProjectPath.home.href(project.key))
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await listPage(req, errors: e.asFieldErrors,
                                          form: f, status: .unprocessableEntity)
            }
        }
        pages.get("projects", ":key") { req async throws -> Response in try await home(req) }
        pages.get("projects", ":key", "edit") { req async throws -> Response in
            let caller = try req.pageCaller()
            let context = try await req.pageProjectContext(caller, key: try req.projectKey())
            return try await editPage(req, context, errors: [], status: .ok)
        }
        pages.post("projects", ":key", "edit") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let f = try req.form()
            let version = Int(f["version"] ?? "")
            let start = f["startDate"].flatMap { $0.isEmpty ? nil : $0 }
            let target = f["targetDate"].flatMap { $0.isEmpty ? nil : $0 }
            var errors: [FieldError] = []
            if let start, CalendarDate(iso: start) == nil { errors.append(FieldError(field: "startDate", code: "invalid_date", message: "Write the date as YYYY-MM-DD.")) }
            if let target, CalendarDate(iso: target) == nil { errors.append(FieldError(field: "targetDate", code: "invalid_date", message: "Write the date as YYYY-MM-DD.")) }
            do {
                if !errors.isEmpty { throw DomainError.invalid("project.invalid", errors) }
                _ = try await req.store.projects.update(by: caller, key: key, expectedVersion: version) { p in
                    p.name = f["name"] ?? p.name
                    p.description = f["description"] ?? p.description
                    p.businessOwner = f["businessOwner"] ?? p.businessOwner
                    p.phase = ProjectPhase(rawValue: f["phase"] ?? "") ?? p.phase
                    p.status = ProjectStatus(rawValue: f["status"] ?? "") ?? p.status
                    p.startDate = start.flatMap(CalendarDate.init(iso:))
                    p.targetDate = target.flatMap(CalendarDate.init(iso:))
                }
                return req.redirect(to: ProjectPath.home.href(key))
            } catch let e as DomainError where e.kind == .invalid {
                let context = try await req.pageProjectContext(caller, key: key)
                return try await editPage(req, context, errors: e.fieldErrors, status: .unprocessableEntity)
            }
        }
        pages.get("projects", ":key", "members") { req async throws -> Response in try await membersPage(req) }
        pages.post("projects", ":key", "members") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let f = try req.form()
            guard let userID = UUID(uuidString: f["userId"] ?? "") else {
                throw DomainError.invalid("membership.invalid", [FieldError(field: "userId", code: "required", message: "Choose a user.")])
            }
            try await req.store.projects.setMembership(by: caller, key: key, userID: userID, role: f["role"] ?? "")
            return req.redirect(to: ProjectPath.members.href(key))
        }
        pages.post("projects", ":key", "members", ":userId", "remove") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            _ = try req.form()
            try await req.store.projects.removeMembership(by: caller, key: key, userID: try req.pathUUID("userId"))
            return req.redirect(to: ProjectPath.members.href(key))
        }
    }

    static func listPage(_ req: Request, errors: [FieldError], form: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let caller = try req.pageCaller()
        let health = Dictionary(try await req.store.reports.portfolio(caller).map { ($0.projectKey, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = try await req.store.projects.list(for: caller).map { p, role in
            ProjectRow(key: p.key, name: p.name, phase: req.label("phase." + p.phase), status: req.label("pstatus." + p.status),
                       start: p.startDate ?? "", target: p.targetDate ?? "", role: role.map { req.label("prole." + $0.rawValue) } ?? "",
                       health: health[p.key])
        }
        return try await req.render(ProjectViews.list, req.chrome(title: req.label("projects"), section: "projects"),
                                    ListData(projects: rows, canCreate: caller.isAdmin,
                                             phases: req.choices(ProjectPhase.self, prefix: "phase.", selected: ProjectPhase(rawValue: form["phase"] ?? "")),
                                             errors: req.shown(errors), form: form), status: status)
    }

    struct Count: Encodable { var label: String; var count: Int; var link: String }
    struct HomeData {
        var key: String; var name: String; var description: String; var phase: String; var status: String
        var businessOwner: String; var start: String; var target: String; var role: String
        var canEdit: Bool; var counts: [Count]; var attention: [Count]; var urgent: [IssuePages.Row]
        var health: ProjectHealth
    }

    static func home(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let context = try await req.pageProjectContext(caller, key: try req.projectKey())
        let p = context.project
        let (today, zone) = req.today(for: caller)
        let summary = try await req.store.items.issueSummary(caller, key: p.key, today: today)
        let counts = IssueStatus.allCases.map { s in
            Count(label: req.label("status." + s.rawValue), count: summary.byStatus[s] ?? 0, link: ProjectPath.items(.issue).href(p.key, query: "status=\(s.rawValue)"))
        }
        let attention = [
            Count(label: req.label("overdue"), count: summary.overdue, link: ProjectPath.items(.issue).href(p.key, query: "overdue=true")),
            Count(label: req.label("unowned"), count: summary.unowned, link: ProjectPath.items(.issue).href(p.key, query: "owner=none&status=open,in_progress,waiting_for_decision")),
            Count(label: req.label("stale"), count: summary.stale, link: ProjectPath.items(.issue).href(p.key, query: "sort=updated&status=open,in_progress,waiting_for_decision")),
        ]
        var query = IssueQuery()
        query.statuses = [.open, .inProgress, .waitingForDecision]
        query.sort = .due
        query.limit = 10
        let urgent = try await req.store.items.issues(caller, key: p.key, query: query).items
            .map { IssuePages.Row($0, req: req, today: today, zone: zone) }
        let health = try await req.store.reports.health(caller, key: p.key, today: today)
        return try await req.render(ProjectViews.home, req.chrome(title: "\(p.key) \(p.name)", section: "home", project: p),
                                    HomeData(key: p.key, name: p.name, description: p.description, phase: req.label("phase." + p.phase),
                                             status: req.label("pstatus." + p.status), businessOwner: p.businessOwner,
                                             start: p.startDate ?? "", target: p.targetDate ?? "", role: req.label("prole." + (context.role?.rawValue ?? "admin")),
                                             canEdit: context.allows(.editProject), counts: counts, attention: attention, urgent: urgent,
                                             health: health))
    }

    struct EditData: Encodable {
        var key: String; var name: String; var description: String; var businessOwner: String; var start: String; var target: String
        var version: Int; var phases: [Choice]; var statuses: [Choice]; var errors: [FieldError]
    }

    static func editPage(_ req: Request, _ context: ProjectContext, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        guard context.allows(.editProject) else {
            throw DomainError.forbidden("project.edit_forbidden", "Your role in \(context.project.key) may not change the project's details.")
        }
        let p = context.project
        return try await req.render(ProjectViews.edit, req.chrome(title: "\(p.key) – \(req.label("edit"))", section: "home", project: p),
                                    EditData(key: p.key, name: p.name, description: p.description, businessOwner: p.businessOwner,
                                             start: p.startDate ?? "", target: p.targetDate ?? "", version: p.version,
                                             phases: req.choices(ProjectPhase.self, prefix: "phase.", selected: ProjectPhase(rawValue: p.phase)),
                                             statuses: req.choices(ProjectStatus.self, prefix: "pstatus.", selected: ProjectStatus(rawValue: p.status)),
                                             errors: req.shown(errors)), status: status)
    }

    struct MemberRow: Encodable { var userId: String; var name: String; var email: String; var company: String; var role: String; var roleLabel: String }
    struct MembersData: Encodable { var members: [MemberRow]; var canManage: Bool; var users: [Choice]; var roles: [Choice] }

    static func membersPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let context = try await req.pageProjectContext(caller, key: try req.projectKey())
        let members = try await req.store.projects.members(caller, key: context.project.key)
        let canManage = context.allows(.manageMembers)
        let users = canManage ? try await req.store.accounts.users().filter(\.isActive)
            .map { Choice(value: try $0.requireID().uuidString.lowercased(), label: "\($0.displayName) <\($0.email)>", selected: false) } : []
        return try await req.render(ProjectViews.members, req.chrome(title: "\(context.project.key) – \(req.label("members"))", section: "members", project: context.project),
                                    MembersData(members: members.map { MemberRow(userId: try $0.user.requireID().uuidString.lowercased(), name: $0.user.displayName,
                                                                                 email: $0.user.email, company: $0.company?.name ?? "", role: $0.role.rawValue,
                                                                                 roleLabel: req.label("prole." + $0.role.rawValue)) },
                                                canManage: canManage, users: users,
                                                roles: ProjectRole.allCases.map { Choice(value: $0.rawValue, label: req.label("prole." + $0.rawValue), selected: $0 == .member) }))
    }
}
