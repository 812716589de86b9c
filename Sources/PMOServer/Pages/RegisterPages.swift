import Fluent
import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOStore
import Vapor

/// The pages of the registers besides issues: list (with the heat map for risks), detail, forms, comments, links,
/// the one-step conversions, the project's register overview, "my work" and the decision-rights table.
enum RegisterPages {
    struct Row: Encodable {
        var number: Int; var reference: String; var title: String; var owner: String; var due: String; var status: String
        var statusKey: String; var overdue: Bool; var finished: Bool; var visibility: String; var score: Int?; var band: String
        var extra: String; var flag: String

        /// `items`: the items the row's reference fields name (an interface's systems), to show them by code.
        init(_ v: RegisterItemView, req: Request, today: CalendarDate, items: ItemChoices? = nil) {
            let r = v.record
            number = r.number
            reference = v.reference
            title = r.title
            owner = v.ownerName ?? ""
            due = r.dueDate ?? ""
            status = RegisterForms.statusLabel(req, v.kind, r.status)
            statusKey = r.status
            overdue = v.isOverdue(today: today)
            finished = v.isFinished
            visibility = r.visibility == "project" ? "" : req.label("visibility." + r.visibility)
            score = r.score
            band = r.score.map(RiskHeatMap.band) ?? ""
            let d = v.fields.details
            switch v.kind {
            case .risk: extra = d["strategy"]?.text.map { req.label("rc." + $0) } ?? ""
            case .decision: extra = v.name(of: d["decider"]?.user) ?? ""
            case .question: extra = v.name(of: d["addressedTo"]?.user) ?? v.name(of: d["addressedCompany"]?.company) ?? ""
            case .change: extra = d["impactScheduleDays"]?.integer.map { "\($0)d" } ?? ""
            case .action: extra = d["doneOn"]?.date?.description ?? ""
            case .system: extra = [d["code"]?.text, d["systemKind"]?.text.map { req.label(RegisterFieldSpec.choiceWordKey(field: "systemKind", value: $0)) }].compactMap { $0 }.joined(separator: " · ")
            case .function: extra = d["steps"]?.items.map { "\($0.count)" } ?? "0"
            case .requirement:
                let word = { (field: String) in d[field]?.text.map { req.label(RegisterFieldSpec.choiceWordKey(field: field, value: $0)) } }
                extra = [word("moscow"), d["nfrGroup"] != nil ? word("nfrGroup") : word("requirementType")].compactMap { $0 }.joined(separator: " · ")
            case .unit:
                extra = [d["unitKind"]?.text.map { req.label(RegisterFieldSpec.choiceWordKey(field: "unitKind", value: $0)) },
                         v.name(of: d["head"]?.user)].compactMap { $0 }.joined(separator: " · ")
            case .escalation:
                // Units have no code: name them ("U6 開発チーム → U3 PM チーム"), then the route's terms.
                let unit = { (ref: ItemReference) in items?.rows.first { $0.type == .unit && $0.number == ref.number }.map { "\(ref) \($0.title)" } ?? ref.description }
                extra = [d["fromUnit"]?.item, d["toUnit"]?.item].compactMap { $0.map(unit) }.joined(separator: " → ")
                    + (d["escalationLevel"]?.text.map { " · L" + $0 } ?? "")
                    + (d["minPriority"]?.text.map { " · " + req.label("org.route_priority." + $0) } ?? "")
                    + (d["withinDays"]?.integer.map { " · " + req.pageWords("esc.within", ["days": "\($0)"]) } ?? "")
            case .raci:
                let short = { (refs: [ItemReference]) in refs.map { items?.short($0) ?? $0.description }.joined(separator: ", ") }
                extra = [d["accountable"]?.item.map { "A: " + short([$0]) }, d["responsible"]?.items.map { "R: " + short($0) }]
                    .compactMap { $0 }.joined(separator: " · ")
            case .test:
                extra = [d["testLevel"]?.text.map { req.label(RegisterFieldSpec.choiceWordKey(field: "testLevel", value: $0)) },
                         d["verifies"]?.items.map { $0.map(\.description).joined(separator: ", ") }].compactMap { $0 }.joined(separator: " · ")
            case .interface:
                extra = [d["source"]?.item, d["target"]?.item].compactMap { $0.map { items?.short($0) ?? $0.description } }.joined(separator: " → ")
                    + (d["method"]?.text.map { " · " + req.label("rc." + $0) } ?? "")
            }
            let triggered = d["indicators"]?.indicators?.contains { $0.status == .triggered } ?? false
            let lateForMilestone = v.kind == .interface && !(items.map { InterfaceFlags.lateFor(status: r.status, details: d, dates: $0.activityDates) } ?? []).isEmpty
            let environmentDown = v.kind == .interface
                && !(items.map { InterfaceFlags.environmentClashes(status: r.status, details: d, outages: $0.environmentOutages) } ?? []).isEmpty
            let interfaceFlags = [lateForMilestone ? req.label("if.late_for_milestone") : nil, environmentDown ? req.label("if.env_unavailable") : nil]
            flag = triggered && !finished ? req.label("rc.triggered")
                : (v.kind == .question && d["blocksWork"]?.bool == true && !finished ? req.label("blocks_work")
                   : interfaceFlags.compactMap { $0 }.joined(separator: " · "))
        }
    }

    static func extraHeader(_ req: Request, _ kind: RegisterKind) -> String {
        switch kind {
        case .risk: req.label("rf.strategy")
        case .decision: req.label("rf.decider")
        case .question: req.label("rf.addressedTo")
        case .change: req.label("rf.impactScheduleDays")
        case .action: req.label("rf.doneOn")
        case .system: req.label("rf.code")
        case .interface: req.label("rf.route")
        case .function: req.label("rf.steps")
        case .requirement: req.label("rf.moscow_short")
        case .test: req.label("rf.testLevel")
        case .unit: req.label("rf.unitKind")
        case .escalation: req.label("rf.escalation_summary")
        case .raci: req.label("rf.raci_summary")
        }
    }

    struct ListData {
        var key: String; var kind: RegisterKind; var plural: String; var heading: String; var newLabel: String; var rows: [Row]
        var statuses: [Choice]; var owners: [Choice]; var sorts: [Choice]; var q: String; var overdue: Bool; var openOnly: Bool
        var nextLink: String?; var canCreate: Bool; var extraHeader: String; var isRisk: Bool; var topRisks: [Row]
        var query: String
        var notice: String?
        /// How many items the filters select, on every page together.
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
        for kind in RegisterKind.allCases {
            let p = kind.plural
            pages.get("projects", ":key", "\(p)") { req async throws -> Response in try await list(req, kind) }
            pages.get("projects", ":key", "\(p)", "new") { req async throws -> Response in
                let caller = try req.pageCaller()
                let context = try await req.pageProjectContext(caller, key: try req.projectKey())
                let origin = (try? req.query.get(String.self, at: "origin")) ?? ""
                return try await form(req, context, kind: kind, fields: RegisterItemFields(title: "", status: kind.initialStatus),
                                      number: nil, version: nil, origin: origin, errors: [], status: .ok)
            }
            pages.post("projects", ":key", "\(p)") { req async throws -> Response in
                let caller = try req.pageCaller()
                let key = try req.projectKey()
                let f = try req.form()
                let (fields, parseErrors) = RegisterForms.parse(f, kind: kind, base: RegisterItemFields(title: "", status: kind.initialStatus), projectKey: key)
                let originText = (f["origin"] ?? "").trimmingCharacters(in: .whitespaces)
                do {
                    var errors = parseErrors
                    let origin = originText.isEmpty ? nil : ItemReference(originText)
                    if !originText.isEmpty && origin == nil {
                        errors.append(FieldError(field: "origin", code: "invalid_reference", message: "Write the origin as I12, R3 or \(key)-Q4."))
                    }
                    if !errors.isEmpty { throw DomainError.invalid("\(kind.rawValue).invalid", errors) }
                    let view = try await req.store.items.createRegisterItem(caller, key: key, kind: kind, fields: fields, origin: origin)
                    return req.redirect(to: ProjectPath.item(ItemType(kind), view.record.number).href(key))
                } catch let e as DomainError where e.kind == .invalid || e.kind == .forbidden && !e.fieldErrors.isEmpty {
                    let context = try await req.pageProjectContext(caller, key: key)
                    return try await form(req, context, kind: kind, fields: fields, number: nil, version: nil, origin: originText,
                                          errors: e.asFieldErrors,
                                          status: .unprocessableEntity)
                }
            }
            pages.get("projects", ":key", "\(p)", ":number") { req async throws -> Response in try await detail(req, kind) }
            pages.get("projects", ":key", "\(p)", ":number", "edit") { req async throws -> Response in
                let caller = try req.pageCaller()
                let key = try req.projectKey()
                let view = try await req.store.items.registerItem(caller, key: key, kind: kind, number: try req.pathInt("number"))
                let context = try await req.pageProjectContext(caller, key: key)
                return try await form(req, context, kind: kind, fields: view.fields, number: view.record.number, version: view.record.version,
                                      origin: "", errors: [], status: .ok, item: view.record.facts)
            }
            pages.post("projects", ":key", "\(p)", ":number") { req async throws -> Response in
                let caller = try req.pageCaller()
                let key = try req.projectKey()
                let number = try req.pathInt("number")
                let f = try req.form()
                let current = try await req.store.items.registerItem(caller, key: key, kind: kind, number: number)
                let (fields, parseErrors) = RegisterForms.parse(f, kind: kind, base: current.fields, projectKey: key)
                let version = Int(f["version"] ?? "") ?? current.record.version
                do {
                    if !parseErrors.isEmpty { throw DomainError.invalid("\(kind.rawValue).invalid", parseErrors) }
                    _ = try await req.store.items.updateRegisterItem(caller, key: key, kind: kind, number: number, expectedVersion: version,
                                                               patch: patch(from: current.fields, to: fields))
                    return req.redirect(to: ProjectPath.item(ItemType(kind), number).href(key))
                } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict || e.kind == .forbidden && !e.fieldErrors.isEmpty {
                    let context = try await req.pageProjectContext(caller, key: key)
                    let errors = e.kind == .conflict ? [FieldError(field: "", code: e.code, message: req.label("conflict_hint"))]
                        : e.asFieldErrors
                    return try await form(req, context, kind: kind, fields: fields, number: number, version: version, origin: "",
                                          errors: errors, status: e.kind == .conflict ? .conflict : .unprocessableEntity,
                                          item: current.record.facts)
                }
            }
            pages.post("projects", ":key", "\(p)", ":number", "delete") { req async throws -> Response in
                let caller = try req.pageCaller()
                let key = try req.projectKey()
                let f = try req.form()
                try await req.store.items.deleteRegisterItem(caller, key: key, kind: kind, number: try req.pathInt("number"),
                                                       expectedVersion: Int(f["version"] ?? ""))
                return req.redirect(to: ProjectPath.items(ItemType(kind)).href(key))
            }
            pages.post("projects", ":key", "\(p)", ":number", "comments") { req async throws -> Response in
                let caller = try req.pageCaller()
                let key = try req.projectKey()
                let number = try req.pathInt("number")
                let f = try req.form()
                _ = try await req.store.items.addComment(caller, key: key, type: ItemType(kind), number: number, body: f["body"] ?? "")
                return req.redirect(to: ProjectPath.item(ItemType(kind), number).href(key, fragment: "comments"))
            }
            linkRoutes(pages, plural: p, type: ItemType(kind))
        }
        pages.post("projects", ":key", "risks", ":number", "occurred") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let f = try req.form()
            let (_, issue) = try await req.store.items.riskOccurred(caller, key: key, number: try req.pathInt("number"), expectedVersion: Int(f["version"] ?? ""))
            return req.redirect(to: ProjectPath.item(.issue, issue.record.number).href(key))
        }
        // The decider named on a decision records its outcome here, whatever their role (the edit form is for editors).
        pages.post("projects", ":key", "decisions", ":number", "decide") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let f = try req.form()
            var patch = RegisterItemPatch()
            patch.status = f["outcome"] ?? ""
            for name in DecisionRights.deciderFields {
                let text = (f[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                patch.details[name] = .some(text.isEmpty ? nil : .text(text))
            }
            _ = try await req.store.items.updateRegisterItem(caller, key: key, kind: .decision, number: number,
                                                           expectedVersion: Int(f["version"] ?? ""), patch: patch)
            return req.redirect(to: ProjectPath.item(.decision, number).href(key))
        }
        pages.post("projects", ":key", "changes", ":number", "approve") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let f = try req.form()
            var patch = RegisterItemPatch()
            patch.status = f["outcome"] ?? ""
            _ = try await req.store.items.updateRegisterItem(caller, key: key, kind: .change, number: number,
                                                           expectedVersion: Int(f["version"] ?? ""), patch: patch)
            return req.redirect(to: ProjectPath.item(.change, number).href(key))
        }
        pages.post("projects", ":key", "questions", ":number", "change-request") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            _ = try req.form()
            let change = try await req.store.items.questionToChange(caller, key: key, number: try req.pathInt("number"))
            return req.redirect(to: ProjectPath.item(.change, change.record.number).href(key))
        }
        pages.get("projects", ":key", "risks", "heatmap.svg") { req async throws -> Response in
            let caller = try req.pageCaller()
            let risks = try await req.store.items.allRegisterItems(caller, key: try req.projectKey(), kind: .risk).filter { !$0.isFinished }
            let counts = RiskHeatMap.counts(of: risks.compactMap { v in
                guard let p = v.fields.details["probability"]?.integer, let i = RegisterRules.impact(v.fields.details) else { return nil }
                return (probability: p, impact: i)
            })
            let svg = RiskHeatMap.svg(counts: counts, words: .init(title: req.label("heat_map"), probability: req.label("probability"), impact: req.label("impact")))
            let response = Response(status: .ok, body: .init(string: svg))
            response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
        pages.get("projects", ":key", "registers") { req async throws -> Response in try await overview(req) }
        pages.get("work") { req async throws -> Response in try await myWork(req) }
        pages.get("projects", ":key", "decision-rights") { req async throws -> Response in try await rightsPage(req, errors: [], status: .ok) }
        pages.post("projects", ":key", "decision-rights") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let f = try req.form()
            // People are written as e-mail addresses of members, separated by commas or spaces.
            let members = try await req.store.projects.members(caller, key: key)
            let byEmail = Dictionary(try members.map { ($0.user.email.lowercased(), UserID(try $0.user.requireID())) }, uniquingKeysWith: { a, _ in a })
            var rights: [DecisionRight] = []
            var unknown: [FieldError] = []
            for i in 0..<20 {
                let category = (f["category\(i)"] ?? "").trimmingCharacters(in: .whitespaces)
                if category.isEmpty { continue }
                let roles = (f["roles\(i)"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { ProjectRole(rawValue: String($0)) }
                var users: [UserID] = []
                for token in (f["users\(i)"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }) {
                    if let id = byEmail[token.lowercased()] { users.append(id) } else {
                        unknown.append(FieldError(field: "rights[\(rights.count)].users", code: "not_member",
                                                  message: "No member of \(key) has the e-mail \(token); write members' e-mail addresses."))
                    }
                }
                rights.append(DecisionRight(category: category, authority: f["authority\(i)"] ?? "", roles: roles, userIDs: users))
            }
            if !unknown.isEmpty { return try await rightsPage(req, errors: unknown, status: .unprocessableEntity) }
            do {
                _ = try await req.store.items.setDecisionRights(caller, key: key, rights: rights)
                return req.redirect(to: ProjectPath.decisionRights.href(key))
            } catch let e as DomainError where e.kind == .invalid {
                return try await rightsPage(req, errors: e.fieldErrors, status: .unprocessableEntity)
            }
        }
    }

    /// The patch that turns `old` into `new`, so that a form save changes only what the user changed.
    static func patch(from old: RegisterItemFields, to new: RegisterItemFields) -> RegisterItemPatch {
        var p = RegisterItemPatch()
        if old.title != new.title { p.title = new.title }
        if old.description != new.description { p.description = new.description }
        if old.status != new.status { p.status = new.status }
        if old.ownerID != new.ownerID { p.ownerID = .some(new.ownerID) }
        if old.dueDate != new.dueDate { p.dueDate = .some(new.dueDate) }
        if old.visibility != new.visibility { p.visibility = new.visibility }
        if old.companyID != new.companyID { p.companyID = .some(new.companyID) }
        for name in Set(old.details.keys).union(new.details.keys) where old.details[name] != new.details[name] {
            p.details[name] = .some(new.details[name])
        }
        return p
    }

    static func list(_ req: Request, _ kind: RegisterKind) async throws -> Response {
        let caller = try req.pageCaller()
        let context = try await req.pageProjectContext(caller, key: try req.projectKey())
        let key = context.project.key
        let (today, _) = req.today(for: caller)
        let (listQuery, notice) = RegisterImportPages.importedNotice(req)
        let (rawQuery, hidden) = ListColumns.take(listQuery)
        var query = try RegisterQueryParser.parse(rawQuery, kind: kind, caller: caller, today: today)
        let openByDefault = rawQuery == nil || rawQuery == ""
        if openByDefault { query.openOnly = true }
        if kind == .risk && (try? req.query.get(String.self, at: "sort")) == nil { query.sort = .scoreDesc }
        let page = try await req.store.items.registerItems(caller, key: key, kind: kind, query: query)
        let count = try await req.store.items.registerCount(caller, key: key, kind: kind, query: query)
        let sorting = ListSorting(base: ProjectPath.items(ItemType(kind)).href(key), rawQuery: listQuery, openByDefault: openByDefault,
                                  current: query.sort.rawValue)
        let members = try await req.store.projects.members(caller, key: key)
        let selectedOwner = query.unowned ? "none" : query.ownerID?.uuidString.lowercased()
        var owners = [Choice(value: "", label: req.label("all"), selected: selectedOwner == nil),
                      Choice(value: "none", label: req.label("unowned"), selected: query.unowned)]
        owners += try members.map { Choice(value: try $0.user.requireID().uuidString.lowercased(), label: $0.user.displayName, selected: try $0.user.requireID().uuidString.lowercased() == selectedOwner) }
        let nextLink = req.nextPageLink(path: ProjectPath.items(ItemType(kind)).href(key), cursor: page.nextCursor,
                                        extra: query.openOnly ? [URLQueryItem(name: "open", value: "true")] : [])
        var topRisks: [Row] = []
        if kind == .risk {
            var top = RegisterQuery()
            top.openOnly = true
            top.sort = .scoreDesc
            top.limit = 5
            topRisks = try await req.store.items.registerItems(caller, key: key, kind: .risk, query: top).items
                .filter { ($0.record.score ?? 0) >= RegisterRules.highRiskScore }.map { Row($0, req: req, today: today) }
        }
        let queryText = sorting.query
        let named = try await ItemChoices.load(req, caller: caller, key: key, for: kind)
        var data = ListData(
            key: key, kind: kind, plural: kind.plural, heading: req.label("reg." + kind.rawValue), newLabel: req.label("new." + kind.rawValue),
            rows: page.items.map { Row($0, req: req, today: today, items: named) },
            statuses: kind.statuses.map { Choice(value: $0, label: RegisterForms.statusLabel(req, kind, $0), selected: query.statuses.contains($0)) },
            owners: owners,
            sorts: RegisterQuery.Sort.allCases.filter { kind == .risk || !$0.rawValue.contains("score") }
                .map { Choice(value: $0.rawValue, label: req.label("rsort." + $0.rawValue), selected: $0 == query.sort) },
            q: query.text ?? "", overdue: query.overdueAsOf != nil, openOnly: query.openOnly, nextLink: nextLink,
            canCreate: context.allows(.createItem), extraHeader: extraHeader(req, kind), isRisk: kind == .risk, topRisks: topRisks,
            query: queryText, notice: notice, count: count, sorting: sorting)
        if context.allows(.editItem, item: nil), !data.rows.isEmpty {
            data.bulk = try BulkEditPages.form(req, key: key, type: ItemType(kind), members: members, listQuery: listQuery ?? "")
        }
        data.hidden = hidden
        data.views = try await SavedViewPages.bar(req, caller: caller, context: context, type: ItemType(kind), query: queryText)
        return try await req.render(RegisterViews.list, req.chrome(title: "\(key) – \(data.heading)", section: kind.plural, project: context.project), data)
    }

    struct DetailData {
        var key: String; var kind: RegisterKind; var plural: String; var row: Row; var description: String; var facts: [RegisterForms.Fact]
        var visibility: String; var created: String; var updated: String; var createdBy: String; var version: Int; var company: String
        var canEdit: Bool; var canDelete: Bool; var canComment: Bool; var tab: String; var nextStatuses: String
        var comments: [IssuePages.CommentRow]; var links: [LinkRow]; var history: [IssuePages.HistoryRow]; var linkKinds: [Choice]
        var canOccur: Bool; var canConvert: Bool; var residualScore: Int?
        /// For the decider named on an open decision: the form to record it, or whose right it is.
        var decide: DeciderRight? = nil
        /// For the approver named on a change request awaiting approval: approve / reject, or whose right it is.
        var approve: DeciderRight? = nil
        var attachments: AttachmentPages.Section?
        var watch: WatchState?
        var mentionable: [ItemViews.Mentionable] = []
        /// A business function's sequence diagram, and how many of its steps the reader may not see.
        var sequence: TrustedMarkup?
        var hiddenSteps = 0
        /// For a system: how many open issues are about it, and their list.
        var openIssues: (count: Int, href: String)? = nil
    }
    struct LinkRow: Encodable { var id: String; var label: String; var reference: String; var href: String; var title: String; var status: String }

    /// Adding and removing the links of an issue or register item from its page (the form of `ItemViews.links`).
    static func linkRoutes(_ pages: any RoutesBuilder, plural: String, type: ItemType) {
        pages.post("projects", ":key", "\(plural)", ":number", "watch") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let f = try req.form()
            _ = try await req.store.items.setWatching(caller, key: key, type: type, number: number, f["watch"] != "0")
            return req.redirect(to: ProjectPath.item(type, number).href(key, fragment: "watch"))
        }
        pages.post("projects", ":key", "\(plural)", ":number", "links") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let f = try req.form()
            guard let target = linkTarget(f["to"] ?? "", onPageOf: type) else {
                throw DomainError.invalid("link.invalid", [FieldError(field: "to", code: "invalid_reference", message: "Write the other item as I12, R3 or \(key)-Q4.")])
            }
            _ = try await req.store.items.addLink(caller, key: key, type: type, number: number, to: target,
                                                kind: ItemLinkKind(rawValue: f["kind"] ?? "") ?? .relatesTo)
            return req.redirect(to: ProjectPath.item(type, number).href(key, fragment: "links"))
        }
        pages.post("projects", ":key", "\(plural)", ":number", "links", ":linkId", "delete") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            _ = try req.form()
            try await req.store.items.removeLink(caller, key: key, type: type, number: number, linkID: try req.pathUUID("linkId"))
            return req.redirect(to: ProjectPath.item(type, number).href(key, fragment: "links"))
        }
    }

    /// The item a link form names: a reference (I12, CRM-R3), or a bare number, read as an item of the page's own
    /// kind (on an issue's page "12" is I12, as the issue page's form always took it).
    static func linkTarget(_ text: String, onPageOf type: ItemType) -> ItemReference? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let n = Int(trimmed), n > 0 { return ItemReference(projectKey: nil, type: type, number: n) }
        return ItemReference(trimmed)
    }

    static func linkKindChoices(_ req: Request) -> [Choice] {
        ItemLinkKind.allCases.map { Choice(value: $0.rawValue, label: req.label("ilink." + $0.rawValue), selected: $0 == .relatesTo) }
    }

    static func linkRows(_ req: Request, key: String, _ links: [ItemLinkView]) -> [LinkRow] {
        links.map { l in
            let status = l.otherType.register.map { RegisterForms.statusLabel(req, $0, l.otherStatus) } ?? req.label("status." + l.otherStatus)
            return LinkRow(id: l.id.uuidString.lowercased(), label: req.label((l.outgoing ? "ilink." : "ilink.in.") + l.kind.rawValue),
                           reference: l.otherReference, href: ItemPath.href(key, l.otherType, l.otherNumber), title: l.otherTitle, status: status)
        }
    }

    static func detail(_ req: Request, _ kind: RegisterKind) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let number = try req.pathInt("number")
        let context = try await req.pageProjectContext(caller, key: key)
        let view = try await req.store.items.registerItem(caller, key: key, kind: kind, number: number)
        let (today, _) = req.today(for: caller)
        let tab = (try? req.query.get(String.self, at: "tab")) == "history" ? "history" : "details"
        let comments = try await req.store.items.comments(caller, key: key, type: ItemType(kind), number: number).map {
            IssuePages.CommentRow(author: $0.authorName, at: Formatting.instant($0.createdAt, zone: caller.timeZone), body: $0.body)
        }
        let links = linkRows(req, key: key, try await req.store.items.links(caller, key: key, type: ItemType(kind), number: number))
        var history: [IssuePages.HistoryRow] = []
        if tab == "history" {
            let names = try await HistoryNames.load(req)
            history = try await req.store.items.history(caller, key: key, type: ItemType(kind), number: number).map {
                IssuePages.HistoryRow(at: Formatting.instant($0.at, zone: caller.timeZone), actor: $0.actorName ?? "", action: req.label("action." + $0.action),
                                      version: $0.version, changes: $0.changes.map { names.readableRegister($0, kind: kind, req) })
            }
        }
        let r = view.record
        var visibility = req.label("visibility." + r.visibility)
        if let company = r.visibilityCompanyID.flatMap({ view.companyNames[$0] }) { visibility += ": " + company }
        let canEdit = context.allows(.editItem, item: r.facts)
        var data = DetailData(
            key: key, kind: kind, plural: kind.plural, row: Row(view, req: req, today: today), description: r.description,
            facts: RegisterForms.facts(req, view, items: try await ItemChoices.load(req, caller: caller, key: key, for: kind)), visibility: visibility,
            created: Formatting.instant(r.createdAt, zone: caller.timeZone), updated: Formatting.instant(r.updatedAt, zone: caller.timeZone),
            createdBy: view.createdByName ?? "", version: r.version, company: r.companyID.flatMap { view.companyNames[$0] } ?? "",
            canEdit: canEdit, canDelete: context.allows(.deleteItem, item: r.facts), canComment: context.allows(.comment, item: r.facts),
            tab: tab, nextStatuses: kind.nextStatuses(from: r.status).map { RegisterForms.statusLabel(req, kind, $0) }.joined(separator: ", "),
            comments: comments, links: links, history: history,
            linkKinds: linkKindChoices(req),
            canOccur: kind == .risk && canEdit && r.status != "occurred" && kind.nextStatuses(from: r.status).contains("occurred"),
            canConvert: kind == .question && context.allows(.createItem) && ["answered", "confirmed"].contains(r.status),
            residualScore: kind == .risk ? RegisterRules.residualScore(view.fields.details) : nil,
            decide: kind == .decision ? try await req.store.items.deciderRight(caller, key: key, number: number) : nil)
        if tab == "details" {
            data.attachments = try await AttachmentPages.section(req, caller: caller, key: key, owner: .item(ItemType(kind), number))
            data.watch = try await req.store.items.watchState(caller, key: key, type: ItemType(kind), number: number)
            if data.canComment { data.mentionable = ItemViews.mentionable(try await req.store.projects.members(caller, key: key)) }
        }
        if kind == .change { data.approve = try await req.store.items.approverRight(caller, key: key, number: number) }
        if kind == .system && tab == "details" {
            var query = IssueQuery()
            query.system = ItemReference(projectKey: nil, type: .system, number: number)
            query.openOnly = true
            data.openIssues = (try await req.store.items.issueCount(caller, key: key, query: query),
                               ProjectPath.items(.issue).href(key) + "?open=true&system=S\(number)")
        }
        if kind == .function && tab == "details" {
            let seq = try await req.store.systems.sequence(caller, key: key, number: number, today: today)
            if !seq.steps.isEmpty {
                let input = SystemPages.sequenceInput(seq, req.pageWords)
                data.sequence = ChartMarkup.sequenceDiagram(participants: input.participants, messages: input.messages, words: input.words)
            }
            data.hiddenSteps = seq.hiddenSteps
        }
        return try await req.render(RegisterViews.item, req.chrome(title: "\(view.reference) \(r.title)", section: kind.plural, project: context.project), data)
    }

    struct FormData: Encodable {
        var key: String; var kind: RegisterKind; var plural: String; var heading: String; var number: Int?; var version: Int?
        var title: String; var description: String; var due: String; var origin: String; var owners: [Choice]; var statuses: [Choice]
        var visibilities: [Choice]; var companies: [Choice]; var visibilityCompanies: [Choice]; var inputs: [RegisterForms.Input]
        var errors: [FieldError]
    }

    static func form(_ req: Request, _ context: ProjectContext, kind: RegisterKind, fields f: RegisterItemFields, number: Int?, version: Int?,
                     origin: String, errors: [FieldError], status: HTTPResponseStatus,
                     item: AccessPolicy.ItemFacts? = nil) async throws -> Response {
        // Editing is decided on the item, as on its page: a vendor may edit their own company's items.
        guard context.allows(number == nil ? .createItem : .editItem, item: item) else {
            throw DomainError.forbidden("\(kind.rawValue).edit_forbidden", "Your role in \(context.project.key) may not do this.")
        }
        let key = context.project.key
        let members = try await req.store.projects.members(req.pageCaller(), key: key)
        let companies = try await req.store.accounts.companies()
        var owners = [Choice(value: "", label: req.label("none"), selected: f.ownerID == nil)]
        owners += try members.map { Choice(value: try $0.user.requireID().uuidString.lowercased(), label: "\($0.user.displayName) (\($0.company?.name ?? ""))",
                                       selected: $0.user.id == f.ownerID?.rawValue) }
        var companyChoices = [Choice(value: "", label: req.label("none"), selected: f.companyID == nil)]
        companyChoices += try companies.map { Choice(value: try $0.requireID().uuidString.lowercased(), label: $0.name, selected: $0.id == f.companyID?.rawValue) }
        // Only the current status and those the workflow allows next are offered.
        let current = number == nil ? nil : f.status
        let allowed = current.map { [$0] + kind.nextStatuses(from: $0) } ?? [kind.initialStatus]
        let statuses = kind.statuses.filter { allowed.contains($0) && !(kind == .risk && $0 == "occurred" && $0 != current) }
            .map { Choice(value: $0, label: RegisterForms.statusLabel(req, kind, $0), selected: $0 == f.status) }
        let heading = number.map { "\(kind.reference(projectKey: key, number: $0)) – \(req.label("edit"))" } ?? req.label("new." + kind.rawValue)
        return try await req.render(RegisterViews.form, req.chrome(title: heading, section: kind.plural, project: context.project), FormData(
            key: key, kind: kind, plural: kind.plural, heading: heading, number: number, version: version, title: f.title,
            description: f.description, due: f.dueDate?.description ?? "", origin: origin, owners: owners, statuses: statuses,
            visibilities: req.choices(VisibilityScope.self, prefix: "visibility.", selected: f.visibility.scope), companies: companyChoices,
            visibilityCompanies: companies.map { Choice(value: try $0.requireID().uuidString.lowercased(), label: $0.name, selected: $0.id == f.visibility.companyID?.rawValue) },
            inputs: RegisterForms.inputs(req, kind: kind, fields: f, members: members, companies: companies,
                                         items: try await ItemChoices.load(req, caller: try req.pageCaller(), key: key, for: kind)),
            errors: req.shown(errors)), status: status)
    }

    struct OverviewData { var key: String; var rows: [CountRow]; var canEditRights: Bool }
    struct CountRow: Encodable { var name: String; var href: String; var open: Int; var overdue: Int; var ageing: Int; var total: Int }

    static func overview(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let context = try await req.pageProjectContext(caller, key: try req.projectKey())
        let key = context.project.key
        let (today, _) = req.today(for: caller)
        let counts = try await req.store.items.registerCounts(caller, key: key, today: today).map { c in
            return CountRow(name: req.label("reg." + (c.type.register?.rawValue ?? "issue")), href: ProjectPath.items(c.type).href(key),
                            open: c.open, overdue: c.overdue, ageing: c.ageing, total: c.total)
        }
        return try await req.render(RegisterViews.overview, req.chrome(title: "\(key) – \(req.label("registers"))", section: "registers", project: context.project),
                                    OverviewData(key: key, rows: counts, canEditRights: context.allows(.editProject)))
    }

    struct WorkRow: Encodable { var reference: String; var href: String; var register: String; var title: String; var status: String; var due: String; var overdue: Bool; var mustDecide: Bool }

    static func myWork(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let (today, _) = req.today(for: caller)
        let rows = try await req.store.items.myWork(caller).map { w in
            WorkRow(reference: w.reference, href: ItemPath.href(w.projectKey, w.type, w.number), register: req.label("reg." + (w.type.register?.rawValue ?? "issue")),
                    title: w.title, status: w.type.register.map { RegisterForms.statusLabel(req, $0, w.status) } ?? req.label("status." + w.status),
                    due: w.dueDate?.description ?? "", overdue: w.isOverdue(today: today), mustDecide: w.mustDecide)
        }
        return try await req.render(RegisterViews.myWork, req.chrome(title: req.label("my_work"), section: "work"), rows)
    }

    struct RightsData { var key: String; var rows: [RightRow]; var canEdit: Bool; var people: [Choice]; var errors: [FieldError] }
    struct RightRow: Encodable {
        var index: Int; var category: String; var authority: String; var roles: String; var users: String; var names: String
        /// The organisation's unit the authority names (its name, or its reference), linked from the table.
        var unitNumber: Int? = nil
        var unitName = ""
    }

    /// The unit of the project's organisation an authority names: written as its reference (`U1`) or its name.
    static func unit(named authority: String, units: [ItemRow], key: String) -> ItemRow? {
        let number = FreeTextMatch.match(authority, type: .unit, projectKey: key,
                                         candidates: units.map { FreeTextMatch.Candidate(number: $0.number, names: [$0.title]) })
        return number.flatMap { n in units.first { $0.number == n } }
    }

    static func rightsPage(_ req: Request, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let caller = try req.pageCaller()
        let context = try await req.pageProjectContext(caller, key: try req.projectKey())
        let key = context.project.key
        let rights = try await req.store.items.decisionRights(caller, key: key)
        let members = try await req.store.projects.members(caller, key: key)
        let names = Dictionary(uniqueKeysWithValues: try members.map { (try $0.user.requireID(), $0.user.displayName) })
        let emails = Dictionary(uniqueKeysWithValues: try members.map { (try $0.user.requireID(), $0.user.email) })
        let units = try await req.store.items.rows(caller, key: key, type: .unit)
        var rows = rights.enumerated().map { i, r in
            let unit = Self.unit(named: r.authority, units: units, key: key)
            return RightRow(index: i, category: r.category, authority: r.authority, roles: r.roles.map(\.rawValue).joined(separator: ","),
                            users: r.userIDs.compactMap { emails[$0.rawValue] }.joined(separator: ", "),
                            names: r.userIDs.compactMap { names[$0.rawValue] }.joined(separator: ", "),
                            unitNumber: unit?.number, unitName: unit?.title ?? "")
        }
        rows.append(RightRow(index: rows.count, category: "", authority: "", roles: "", users: "", names: ""))
        return try await req.render(RegisterViews.rights, req.chrome(title: "\(key) – \(req.label("decision_rights"))", section: "registers", project: context.project),
                                    RightsData(key: key, rows: rows, canEdit: context.allows(.editProject),
                                         people: members.map { Choice(value: $0.user.email, label: "\($0.user.displayName) (\(req.label("prole." + $0.role.rawValue)))", selected: false) },
                                         errors: req.shown(errors)), status: status)
    }
}

extension HistoryNames {
    /// A register item's audit change with field names in the page's language and ids as names.
    func readableRegister(_ change: FieldChange, kind: RegisterKind, _ req: Request) -> FieldChange {
        if let link = Self.linkChange(change, req) { return link }
        let spec = kind.field(change.field)
        func value(_ v: String?) -> String? {
            guard let v else { return nil }
            if change.field == "status" { return RegisterForms.statusLabel(req, kind, v) }
            if kind == .decision && change.field == "category" { return RegisterForms.decisionCategoryLabel(req, v) }
            if case .indicators? = spec?.kind, case .success(let list) = RegisterText.parseIndicators(v) {
                return RegisterText.indicators(list) { req.label("rc." + $0.rawValue) }
            }
            if case .choice? = spec?.kind { return req.label(RegisterFieldSpec.choiceWordKey(field: change.field, value: v)) }
            if case .bool? = spec?.kind { return req.label(v == "true" ? "yes" : "no") }
            if case .user? = spec?.kind { return users[v] ?? v }
            if case .company? = spec?.kind { return companies[v] ?? v }
            switch change.field {
            case "owner": return users[v] ?? v
            case "company", "visibilityCompany": return companies[v] ?? v
            case "visibility": return req.label("visibility." + v)
            default: return v
            }
        }
        let label = spec.map { req.label("rf." + $0.name) } ?? Self.fieldLabels[change.field].map { req.label($0) } ?? change.field
        return FieldChange(field: label, from: value(change.from), to: value(change.to))
    }
}
