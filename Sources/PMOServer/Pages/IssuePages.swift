import Fluent
import Foundation
import PMOCore
import PMOStore
import Vapor

/// The issue register's pages: list, detail (details, comments, links, history), create and edit forms.
enum IssuePages {
    /// One row of the list, with the flags that make it stand out.
    struct Row: Encodable {
        var number: Int; var reference: String; var title: String; var owner: String; var due: String
        var priority: String; var priorityKey: String; var status: String; var statusKey: String
        var company: String; var overdue: Bool; var unowned: Bool; var stale: Bool; var escalation: Int; var visibility: String

        init(_ v: IssueView, req: Request, today: CalendarDate, zone: TimeZone) {
            number = v.record.number
            reference = v.reference
            title = v.record.title
            owner = v.ownerName ?? ""
            due = v.record.dueDate ?? ""
            priority = req.label("priority." + v.priority.rawValue)
            priorityKey = v.priority.rawValue
            status = req.label("status." + v.record.status)
            statusKey = v.record.status
            company = v.companyName ?? ""
            overdue = v.isOverdue(today: today)
            unowned = v.record.ownerID == nil && !v.status.isFinished
            stale = v.isStale(today: today, timeZone: zone)
            escalation = v.fields.escalationLevel
            visibility = v.record.visibility == "project" ? "" : req.label("visibility." + v.record.visibility)
        }
    }

    struct ListData {
        var key: String; var rows: [Row]; var statuses: [Choice]; var priorities: [Choice]; var owners: [Choice]
        var companies: [Choice]; var sorts: [Choice]; var q: String; var overdue: Bool; var openOnly: Bool; var nextLink: String?
        var canCreate: Bool
        /// "All" and the project's systems the reader can see (shown once there is a system).
        var systems: [Choice] = []
        /// The list's query string, passed on to the export links so an export holds what the list shows.
        var query: String
        var notice: String?
        /// How many issues the filters select, on every page together.
        var count: Int = 0
        var sorting: ListSorting? = nil
        /// The bulk form, for a reader whose role may edit items.
        var bulk: BulkEditPages.Form? = nil
        /// The columns the reader hid, and the saved views.
        var hidden: Set<String> = []
        var views: SavedViewPages.Bar? = nil
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "issues") { req async throws -> Response in try await list(req) }
        pages.get("projects", ":key", "issues", "new") { req async throws -> Response in
            let caller = try req.pageCaller()
            let context = try await req.pageProjectContext(caller, key: try req.projectKey())
            return try await form(req, context, fields: IssueFields(title: ""), number: nil, version: nil, errors: [], status: .ok)
        }
        pages.post("projects", ":key", "issues") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let f = try req.form()
            let (fields, parseErrors) = parse(f, base: IssueFields(title: ""), projectKey: key)
            do {
                if !parseErrors.isEmpty { throw DomainError.invalid("issue.invalid", parseErrors) }
                let view = try await req.store.items.createIssue(caller, key: key, fields: fields)
                return req.redirect(to: ProjectPath.item(.issue, view.record.number).href(key))
            } catch let e as DomainError where e.kind == .invalid {
                let context = try await req.pageProjectContext(caller, key: key)
                return try await form(req, context, fields: fields, number: nil, version: nil, errors: e.fieldErrors, status: .unprocessableEntity)
            }
        }
        pages.get("projects", ":key", "issues", ":number") { req async throws -> Response in try await detail(req) }
        pages.get("projects", ":key", "issues", ":number", "edit") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let view = try await req.store.items.issue(caller, key: key, number: try req.pathInt("number"))
            let context = try await req.pageProjectContext(caller, key: key)
            return try await form(req, context, fields: view.fields, number: view.record.number, version: view.record.version, errors: [], status: .ok,
                                  item: facts(of: view))
        }
        pages.post("projects", ":key", "issues", ":number") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let f = try req.form()
            let current = try await req.store.items.issue(caller, key: key, number: number)
            let (fields, parseErrors) = parse(f, base: current.fields, projectKey: key)
            let version = Int(f["version"] ?? "") ?? current.record.version
            do {
                if !parseErrors.isEmpty { throw DomainError.invalid("issue.invalid", parseErrors) }
                var patch = IssuePatch()
                patch.title = fields.title; patch.description = fields.description; patch.cause = fields.cause
                patch.nextAction = fields.nextAction; patch.ownerID = .some(fields.ownerID); patch.dueDate = .some(fields.dueDate)
                patch.priority = fields.priority; patch.status = fields.status; patch.escalationLevel = fields.escalationLevel
                patch.visibility = fields.visibility; patch.companyID = .some(fields.companyID); patch.systems = fields.systems
                _ = try await req.store.items.updateIssue(caller, key: key, number: number, expectedVersion: version, patch: patch)
                return req.redirect(to: ProjectPath.item(.issue, number).href(key))
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                let context = try await req.pageProjectContext(caller, key: key)
                let errors = e.kind == .conflict ? [FieldError(field: "", code: e.code, message: req.label("conflict_hint"))] : e.fieldErrors
                return try await form(req, context, fields: fields, number: number, version: version, errors: errors,
                                      status: e.kind == .conflict ? .conflict : .unprocessableEntity, item: facts(of: current))
            }
        }
        pages.post("projects", ":key", "issues", ":number", "delete") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let f = try req.form()
            try await req.store.items.deleteIssue(caller, key: key, number: try req.pathInt("number"), expectedVersion: Int(f["version"] ?? ""))
            return req.redirect(to: ProjectPath.items(.issue).href(key))
        }
        pages.post("projects", ":key", "issues", ":number", "comments") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let f = try req.form()
            _ = try await req.store.items.addComment(caller, key: key, type: .issue, number: number, body: f["body"] ?? "")
            return req.redirect(to: ProjectPath.item(.issue, number).href(key, fragment: "comments"))
        }
        RegisterPages.linkRoutes(pages, plural: "issues", type: .issue)
    }

    static func list(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let context = try await req.pageProjectContext(caller, key: try req.projectKey())
        let key = context.project.key
        let (today, zone) = req.today(for: caller)
        let (listQuery, notice) = RegisterImportPages.importedNotice(req)
        let (rawQuery, hidden) = ListColumns.take(listQuery)
        var query = try IssueQueryParser.parse(rawQuery, caller: caller, today: today)
        // Every register opens on its open items; the filters say otherwise once the reader sets any.
        let openByDefault = rawQuery == nil || rawQuery == ""
        if openByDefault { query.openOnly = true }
        let page = try await req.store.items.issues(caller, key: key, query: query)
        let count = try await req.store.items.issueCount(caller, key: key, query: query)
        let sorting = ListSorting(base: ProjectPath.items(.issue).href(key), rawQuery: listQuery, openByDefault: openByDefault,
                                  current: query.sort.rawValue)
        let members = try await req.store.projects.members(caller, key: key)
        let selectedOwner = query.unowned ? "none" : query.ownerID?.uuidString.lowercased()
        var owners = [Choice(value: "", label: req.label("all"), selected: selectedOwner == nil),
                      Choice(value: "none", label: req.label("unowned"), selected: query.unowned)]
        owners += try members.map { m in
            let id = try m.user.requireID().uuidString.lowercased()
            return Choice(value: id, label: m.user.displayName, selected: id == selectedOwner)
        }
        let companies = try await req.store.accounts.companies()
        var companyChoices = [Choice(value: "", label: req.label("all"), selected: query.companyID == nil)]
        companyChoices += try companies.map { Choice(value: try $0.requireID().uuidString.lowercased(), label: $0.name, selected: $0.id == query.companyID) }
        let nextLink = req.nextPageLink(path: ProjectPath.items(.issue).href(key), cursor: page.nextCursor,
                                        extra: openByDefault ? [URLQueryItem(name: "open", value: "true")] : [])
        let statusChoices = IssueStatus.allCases.map { Choice(value: $0.rawValue, label: req.label("status." + $0.rawValue), selected: query.statuses.contains($0)) }
        let priorityChoices = IssuePriority.allCases.map { Choice(value: $0.rawValue, label: req.label("priority." + $0.rawValue), selected: query.priorities.contains($0)) }
        let sortChoices = IssueQuery.Sort.allCases.map { Choice(value: $0.rawValue, label: req.label("sort." + $0.rawValue), selected: $0 == query.sort) }
        var data = ListData(key: key, rows: page.items.map { Row($0, req: req, today: today, zone: zone) },
                                             statuses: statusChoices, priorities: priorityChoices, owners: owners,
                                             companies: companyChoices, sorts: sortChoices, q: query.text ?? "",
                                             overdue: query.overdueAsOf != nil, openOnly: query.openOnly, nextLink: nextLink,
                                             canCreate: context.allows(.createItem), query: sorting.query, notice: notice,
                                             count: count, sorting: sorting)
        if context.allows(.editItem, item: nil), !data.rows.isEmpty {
            data.bulk = try BulkEditPages.form(req, key: key, type: .issue, members: members, listQuery: listQuery ?? "")
        }
        data.hidden = hidden
        data.views = try await SavedViewPages.bar(req, caller: caller, context: context, type: .issue, query: sorting.query)
        let systems = try await req.store.items.rows(caller, key: key, type: .system)
        if !systems.isEmpty {
            let chosen = query.system?.number
            var choices = ItemChoices(key: key)
            choices.rows = systems
            data.systems = [Choice(value: "", label: req.label("all"), selected: chosen == nil)]
                + systems.map { Choice(value: "S\($0.number)", label: choices.label($0), selected: $0.number == chosen) }
        }
        return try await req.render(IssueViews.list, req.chrome(title: "\(key) – \(req.label("issues"))", section: "issues", project: context.project),
                                    data)
    }

    struct DetailData {
        var key: String; var row: Row; var description: String; var cause: String; var nextAction: String
        var visibility: String; var created: String; var updated: String; var createdBy: String; var version: Int
        var canEdit: Bool; var canDelete: Bool; var canComment: Bool; var tab: String
        var comments: [CommentRow]; var links: [RegisterPages.LinkRow]; var history: [HistoryRow]; var linkKinds: [Choice]
        var attachments: AttachmentPages.Section?
        var watch: WatchState?
        var mentionable: [ItemViews.Mentionable] = []
        /// The systems the issue is about: each one's page and label (`CRM-S3 Billing (BIL)`).
        var systems: [(href: String, label: String)] = []
    }
    struct CommentRow: Encodable { var author: String; var at: String; var body: String }
    struct HistoryRow: Encodable { var at: String; var actor: String; var action: String; var version: Int; var changes: [FieldChange] }

    static func detail(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let number = try req.pathInt("number")
        let context = try await req.pageProjectContext(caller, key: key)
        let view = try await req.store.items.issue(caller, key: key, number: number)
        let (today, zone) = req.today(for: caller)
        let tab = (try? req.query.get(String.self, at: "tab")) == "history" ? "history" : "details"
        let comments = try await req.store.items.comments(caller, key: key, type: .issue, number: number).map {
            CommentRow(author: $0.authorName, at: Formatting.instant($0.createdAt, zone: caller.timeZone), body: $0.body)
        }
        let links = RegisterPages.linkRows(req, key: key, try await req.store.items.links(caller, key: key, type: .issue, number: number))
        var history: [HistoryRow] = []
        if tab == "history" {
            let names = try await HistoryNames.load(req)
            history = try await req.store.items.history(caller, key: key, type: .issue, number: number).map {
                HistoryRow(at: Formatting.instant($0.at, zone: caller.timeZone), actor: $0.actorName ?? "", action: req.label("action." + $0.action),
                           version: $0.version, changes: $0.changes.map { names.readable($0, req) })
            }
        }
        let r = view.record
        let fields = view.fields
        let facts = facts(of: view)
        var visibility = req.label("visibility." + r.visibility)
        if let company = view.visibilityCompanyName { visibility += ": " + company }
        let canEdit = context.allows(.editItem, item: facts)
        var data = DetailData(key: key, row: Row(view, req: req, today: today, zone: zone), description: r.description,
                                               cause: fields.cause, nextAction: fields.nextAction, visibility: visibility,
                                               created: Formatting.instant(r.createdAt, zone: caller.timeZone),
                                               updated: Formatting.instant(r.updatedAt, zone: caller.timeZone),
                                               createdBy: view.createdByName ?? "", version: r.version,
                                               canEdit: canEdit, canDelete: context.allows(.deleteItem, item: facts),
                                               canComment: context.allows(.comment, item: facts), tab: tab, comments: comments, links: links,
                                               history: history,
                                               linkKinds: RegisterPages.linkKindChoices(req))
        if tab == "details" {
            if !fields.systems.isEmpty {
                var choices = ItemChoices(key: key)
                choices.rows = try await req.store.items.rows(caller, key: key, type: .system)
                data.systems = fields.systems.map { (ProjectPath.item(.system, $0.number).href(key), choices.label($0, projectKey: key)) }
            }
            data.attachments = try await AttachmentPages.section(req, caller: caller, key: key, owner: .item(.issue, number))
            data.watch = try await req.store.items.watchState(caller, key: key, type: .issue, number: number)
            if data.canComment { data.mentionable = ItemViews.mentionable(try await req.store.projects.members(caller, key: key)) }
        }
        return try await req.render(IssueViews.detail, req.chrome(title: "\(view.reference) \(r.title)", section: "issues", project: context.project), data)
    }

    struct FormData: Encodable {
        var key: String; var number: Int?; var version: Int?; var title: String; var description: String; var cause: String
        var nextAction: String; var due: String; var owners: [Choice]; var priorities: [Choice]; var statuses: [Choice]
        var escalations: [Choice]; var visibilities: [Choice]; var companies: [Choice]; var visibilityCompanies: [Choice]
        /// The systems named, as the text of the field (`S3, S7`).
        var systems: String
        var errors: [FieldError]
    }

    /// What the access policy needs to know of an issue (its visibility, owner and author).
    static func facts(of view: IssueView) -> AccessPolicy.ItemFacts {
        AccessPolicy.ItemFacts(visibility: view.visibility, ownerID: view.record.ownerID.map(UserID.init), createdByID: UserID(view.record.createdByID))
    }

    static func form(_ req: Request, _ context: ProjectContext, fields f: IssueFields, number: Int?, version: Int?,
                     errors: [FieldError], status: HTTPResponseStatus, item: AccessPolicy.ItemFacts? = nil) async throws -> Response {
        // Editing is decided on the item, as on its page: a vendor may edit their own company's issues.
        guard context.allows(number == nil ? .createItem : .editItem, item: item) else {
            throw DomainError.forbidden("issue.edit_forbidden", "Your role in \(context.project.key) may not do this.")
        }
        let key = context.project.key
        let members = try await req.store.projects.members(req.pageCaller(), key: key)
        var owners = [Choice(value: "", label: req.label("none"), selected: f.ownerID == nil)]
        owners += try members.map { Choice(value: try $0.user.requireID().uuidString.lowercased(), label: "\($0.user.displayName) (\($0.company?.name ?? ""))",
                                       selected: $0.user.id == f.ownerID?.rawValue) }
        let companies = try await req.store.accounts.companies()
        var companyChoices = [Choice(value: "", label: req.label("none"), selected: f.companyID == nil)]
        companyChoices += try companies.map { Choice(value: try $0.requireID().uuidString.lowercased(), label: $0.name, selected: $0.id == f.companyID?.rawValue) }
        let visibilityCompanies = try companies.map { Choice(value: try $0.requireID().uuidString.lowercased(), label: $0.name, selected: $0.id == f.visibility.companyID?.rawValue) }
        let title = number.map { "\(ItemType.issue.reference(projectKey: key, number: $0)) – \(req.label("edit"))" } ?? req.label("new_issue")
        return try await req.render(IssueViews.form, req.chrome(title: title, section: "issues", project: context.project),
                                    FormData(key: key, number: number, version: version, title: f.title, description: f.description,
                                             cause: f.cause, nextAction: f.nextAction, due: f.dueDate?.description ?? "", owners: owners,
                                             priorities: req.choices(IssuePriority.self, prefix: "priority.", selected: f.priority),
                                             statuses: req.choices(IssueStatus.self, prefix: "status.", selected: f.status),
                                             escalations: EscalationLevel.range.map { Choice(value: String($0), label: req.label("esc.\($0)"), selected: $0 == f.escalationLevel) },
                                             visibilities: req.choices(VisibilityScope.self, prefix: "visibility.", selected: f.visibility.scope),
                                             companies: companyChoices, visibilityCompanies: visibilityCompanies,
                                             systems: f.systems.map(\.description).joined(separator: ", "), errors: req.shown(errors)),
                                    status: status)
    }

    /// Reads the issue form into fields, naming fields that cannot be read.
    static func parse(_ f: [String: String], base: IssueFields, projectKey: String) -> (IssueFields, [FieldError]) {
        var fields = base
        var errors: [FieldError] = []
        fields.title = f["title"] ?? ""
        fields.description = f["description"] ?? ""
        fields.cause = f["cause"] ?? ""
        fields.nextAction = f["nextAction"] ?? ""
        let owner = f["owner"] ?? ""
        fields.ownerID = owner.isEmpty ? nil : UUID(uuidString: owner).map(UserID.init)
        let due = (f["dueDate"] ?? "").trimmingCharacters(in: .whitespaces)
        if due.isEmpty { fields.dueDate = nil }
        else if let d = CalendarDate(iso: due) { fields.dueDate = d }
        else { errors.append(FieldError(field: "dueDate", code: "invalid_date", message: "Write the due date as YYYY-MM-DD (e.g. 2026-12-01).")) }
        fields.priority = IssuePriority(rawValue: f["priority"] ?? "") ?? fields.priority
        fields.status = IssueStatus(rawValue: f["status"] ?? "") ?? fields.status
        fields.escalationLevel = Int(f["escalationLevel"] ?? "") ?? fields.escalationLevel
        let scope = VisibilityScope(rawValue: f["visibility"] ?? "") ?? fields.visibility.scope
        fields.visibility = Visibility(scope: scope, companyID: UUID(uuidString: f["visibilityCompanyId"] ?? "").map(CompanyID.init))
        let company = f["companyId"] ?? ""
        fields.companyID = company.isEmpty ? nil : UUID(uuidString: company).map(CompanyID.init)
        if let raw = f["systems"] {
            switch RegisterText.parseReferences(raw, type: .system, projectKey: projectKey, field: "systems") {
            case .success(let refs): fields.systems = refs
            case .failure(let e): errors.append(e)
            }
        }
        return (fields, errors)
    }
}

/// Makes audit changes readable: field names in the page's language, ids as names, codes as labels.
struct HistoryNames {
    var users: [String: String]
    var companies: [String: String]

    static func load(_ req: Request) async throws -> HistoryNames {
        let users = try await req.store.accounts.users()
        let companies = try await req.store.accounts.companies()
        return HistoryNames(users: Dictionary(uniqueKeysWithValues: try users.map { (try $0.requireID().uuidString.lowercased(), $0.displayName) }),
                            companies: Dictionary(uniqueKeysWithValues: try companies.map { (try $0.requireID().uuidString.lowercased(), $0.name) }))
    }

    static let fieldLabels = ["title": "title", "description": "description", "cause": "cause", "nextAction": "next_action",
                              "owner": "owner", "dueDate": "due", "priority": "priority", "status": "status",
                              "escalationLevel": "escalation", "visibility": "visibility", "visibilityCompany": "visibility",
                              "company": "responsible_company", "comment": "comments"]

    func readable(_ change: FieldChange, _ req: Request) -> FieldChange {
        if let link = Self.linkChange(change, req) { return link }
        func value(_ v: String?) -> String? {
            guard let v else { return nil }
            switch change.field {
            case "owner": return users[v] ?? v
            case "company", "visibilityCompany": return companies[v] ?? v
            case "status": return req.label("status." + v)
            case "priority": return req.label("priority." + v)
            case "visibility": return req.label("visibility." + v)
            case "escalationLevel": return req.label("esc." + v)
            default: return v
            }
        }
        let label = Self.fieldLabels[change.field].map { req.label($0) } ?? change.field
        return FieldChange(field: label, from: value(change.from), to: value(change.to))
    }

    /// A link added or removed, as "関連 (ブロックする)" with the other item's reference; the audit keeps the kind as
    /// `link.<kind>` and, for a removal, the link's id, which means nothing to a reader.
    static func linkChange(_ change: FieldChange, _ req: Request) -> FieldChange? {
        guard change.field.hasPrefix("link.") else { return nil }
        let kind = String(change.field.dropFirst("link.".count))
        let label = "\(req.label("links")) (\(req.label("ilink." + kind)))"
        if change.to == nil { return FieldChange(field: label, from: nil, to: req.label("link_removed")) }
        return FieldChange(field: label, from: nil, to: change.to)
    }
}
