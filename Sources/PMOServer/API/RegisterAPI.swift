import Foundation
import PMOCore
import PMOStore
import Vapor

/// The registers besides issues, one set of routes per register under /projects/{key}/{risks|decisions|questions|changes|actions},
/// with the same conventions as issues (ETag, If-Match, problem+json, cursor pagination).
enum RegisterAPI {
    static func register(_ r: APIRouter) {
        for kind in RegisterKind.allCases { routes(kind, r) }
        r.add(.POST, "/projects/{key}/risks/{number}/occurred",
              summary: "Record that a risk occurred: its status becomes occurred and an issue is raised, linked both ways (If-Match required)",
              tag: "risks", response: "Occurrence", status: 201, ifMatch: true) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let version = try req.requiredIfMatch()
            let (risk, issue) = try await req.store.items.riskOccurred(caller, key: key, number: try req.pathInt("number"), expectedVersion: version)
            let (today, _) = req.today(for: caller)
            let raised = OccurrenceAnswer.RaisedIssue(reference: issue.reference, number: issue.record.number, title: issue.record.title,
                                                       status: issue.record.status, version: issue.record.version)
            return try answer(OccurrenceAnswer(risk: RegisterItemAnswer(view: risk, today: today), issue: raised), status: .created)
        }
        r.add(.POST, "/projects/{key}/questions/{number}/change-request",
              summary: "Turn an answered question into a specification change request, linked both ways",
              tag: "questions", response: "Change", status: 201) { req in
            let caller = try req.writer()
            let change = try await req.store.items.questionToChange(caller, key: try req.projectKey(), number: try req.pathInt("number"))
            let (today, _) = req.today(for: caller)
            let response = try answer(RegisterItemAnswer(view: change, today: today), status: .created, version: change.record.version)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(change.projectKey)/changes/\(change.record.number)")
            return response
        }
        r.add(.GET, "/projects/{key}/decision-rights", summary: "Who decides what in this project", tag: "decisions",
              response: "DecisionRights") { req in
            let rights = try await req.store.items.decisionRights(try req.requireCaller(), key: try req.projectKey())
            return try answer(DecisionRightsAnswer(rights))
        }
        r.add(.PUT, "/projects/{key}/decision-rights", summary: "Replace the decision-rights table (admin, PMO or PM)",
              tag: "decisions", request: "DecisionRights", response: "DecisionRights", access: .manager) { req in
            let caller = try req.writer()
            var input = try JSONInput(req, allowed: ["items"])
            let rights = readRights(&input)
            try input.throwIfAny("decision_rights.invalid")
            let saved = try await req.store.items.setDecisionRights(caller, key: try req.projectKey(), rights: rights)
            return try answer(DecisionRightsAnswer(saved))
        }
        r.add(.GET, "/projects/{key}/overview", summary: "Each register's open, overdue and ageing counts", tag: "projects",
              response: "Overview") { req in
            let caller = try req.requireCaller()
            let (today, _) = req.today(for: caller)
            let counts = try await req.store.items.registerCounts(caller, key: try req.projectKey(), today: today)
            return try answer(OverviewAnswer(registers: counts.map { c in
                OverviewAnswer.Register(register: c.type.register?.rawValue ?? "issue", letter: c.type.rawValue, open: c.open,
                                        overdue: c.overdue, ageing: c.ageing, total: c.total)
            }))
        }
        r.add(.GET, "/me/work", summary: "Every open item you own or must decide, across registers and projects, soonest due first",
              tag: "me", response: "WorkList") { req in
            let caller = try req.requireCaller()
            let (today, _) = req.today(for: caller)
            let items = try await req.store.items.myWork(caller)
            return try answer(WorkListAnswer(items: items.map { w in
                WorkListAnswer.Item(reference: w.reference, projectKey: w.projectKey, register: w.type.register?.rawValue ?? "issue",
                                    number: w.number, title: w.title, status: w.status, dueDate: w.dueDate?.description,
                                    overdue: w.isOverdue(today: today), mustDecide: w.mustDecide)
            }))
        }
        itemRoutes(r, base: "/projects/{key}/issues", type: .issue, tag: "issues")
        RegisterExchangeAPI.routes(.issues, r)
        // Issue links were two lists until M010 (issue to issue, and issue to register item); the old path of the
        // second answers the one list.
        r.add(.GET, "/projects/{key}/issues/{number}/item-links",
              summary: "The same list as …/links (kept for clients written when issues had two lists of links)",
              tag: "issues", response: "ItemLinkList") { req in
            try await linkList(req, type: .issue)
        }
    }

    static func routes(_ kind: RegisterKind, _ r: APIRouter) {
        let base = "/projects/{key}/\(kind.plural)"
        let name = schemaName(kind)
        let tag = kind.plural
        r.add(.GET, base, summary: "List \(kind.plural) with filters, text search and cursor pagination", tag: tag,
              response: "\(name)List", query: RegisterQueryParser.allowed.sorted()) { req in
            let caller = try req.requireCaller()
            let (today, _) = req.today(for: caller)
            let query = try RegisterQueryParser.parse(req.url.query, kind: kind, caller: caller, today: today)
            let page = try await req.store.items.registerItems(caller, key: try req.projectKey(), kind: kind, query: query)
            return try answer(RegisterItemList(items: page.items.map { RegisterItemAnswer(view: $0, today: today) }, nextCursor: page.nextCursor))
        }
        r.add(.POST, base, summary: "Create a \(kind.rawValue)", tag: tag, request: "\(name)Create", response: name, status: 201) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            var input = try JSONInput(req, allowed: RegisterJSON.writableFields(kind).union(["origin"]).union(kind.fields.filter(\.automatic).map(\.name)))
            if !input.has("title") { input.errors.add("title", "required", "title is required.") }
            let fields = RegisterJSON.readPatch(kind, &input, projectKey: key).applied(to: RegisterItemFields(title: "", status: kind.initialStatus))
            var origin: ItemReference?
            if let text = input.string("origin", max: 30) {
                origin = ItemReference(text)
                if origin == nil { input.errors.add("origin", "invalid_reference", "origin must be an item reference such as \(key)-I12 or R3.") }
            }
            try input.throwIfAny("\(kind.rawValue).invalid")
            let view = try await req.store.items.createRegisterItem(caller, key: key, kind: kind, fields: fields, origin: origin)
            let (today, _) = req.today(for: caller)
            let response = try answer(RegisterItemAnswer(view: view, today: today), status: .created, version: view.record.version)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(key)/\(kind.plural)/\(view.record.number)")
            return response
        }
        r.add(.GET, "\(base)/{number}", summary: "One \(kind.rawValue), with its version as ETag", tag: tag, response: name) { req in
            let caller = try req.requireCaller()
            let view = try await req.store.items.registerItem(caller, key: try req.projectKey(), kind: kind, number: try req.pathInt("number"))
            let (today, _) = req.today(for: caller)
            return try answer(RegisterItemAnswer(view: view, today: today), version: view.record.version)
        }
        r.add(.PATCH, "\(base)/{number}", summary: "Change a \(kind.rawValue) (JSON merge patch, If-Match required)", tag: tag,
              request: "\(name)Patch", response: name, ifMatch: true) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let version = try req.requiredIfMatch()
            var input = try JSONInput(req, allowed: RegisterJSON.writableFields(kind).union(kind.fields.filter(\.automatic).map(\.name)))
            let patch = RegisterJSON.readPatch(kind, &input, projectKey: key)
            try input.throwIfAny("\(kind.rawValue).invalid")
            let view = try await req.store.items.updateRegisterItem(caller, key: key, kind: kind, number: number, expectedVersion: version, patch: patch)
            let (today, _) = req.today(for: caller)
            return try answer(RegisterItemAnswer(view: view, today: today), version: view.record.version)
        }
        r.add(.DELETE, "\(base)/{number}", summary: "Delete a \(kind.rawValue) (If-Match required)", tag: tag, status: 204, ifMatch: true, access: .manager) { req in
            let caller = try req.writer()
            let version = try req.requiredIfMatch()
            try await req.store.items.deleteRegisterItem(caller, key: try req.projectKey(), kind: kind, number: try req.pathInt("number"),
                                                   expectedVersion: version)
            return noContent()
        }
        itemRoutes(r, base: base, type: ItemType(kind), tag: tag)
        RegisterExchangeAPI.routes(SheetRegister(kind), r)
    }

    static func schemaName(_ kind: RegisterKind) -> String {
        switch kind {
        case .risk: "Risk"
        case .decision: "Decision"
        case .question: "Question"
        case .change: "Change"
        case .action: "Action"
        case .system: "System"
        case .interface: "Interface"
        case .function: "BusinessFunction"
        case .requirement: "Requirement"
        case .test: "Test"
        case .unit: "OrganisationUnit"
        case .escalation: "EscalationRoute"
        case .raci: "RaciRow"
        }
    }

    /// What every item has, issue or register item, in the same shape for every kind: comments, links and history.
    static func itemRoutes(_ r: APIRouter, base: String, type: ItemType, tag: String) {
        let noun = type.auditEntityType
        let article = noun.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        r.add(.GET, "\(base)/{number}/comments", summary: "Comments on \(article) \(noun)", tag: tag, response: "CommentList") { req in
            let items = try await req.store.items.comments(try req.requireCaller(), key: try req.projectKey(), type: type,
                                                         number: try req.pathInt("number"))
            return try await json(ListDTO(items: items.map(CommentDTO.init)), req)
        }
        r.add(.POST, "\(base)/{number}/comments", summary: "Comment on \(article) \(noun)", tag: tag, request: "CommentCreate",
              response: "Comment", status: 201) { req in
            let caller = try req.writer()
            let body = try req.body(CommentCreateBody.self, code: "comment.invalid").body
            let comment = try await req.store.items.addComment(caller, key: try req.projectKey(), type: type, number: try req.pathInt("number"),
                                                             body: body)
            return try await json(CommentDTO(comment), req, status: .created)
        }
        linkRoutes(r, base: base, type: type, tag: tag)
        AttachmentAPI.itemRoutes(r, base: base, type: type, tag: tag)
        r.add(.POST, "\(base)/bulk", summary: "Change the status, owner or due date of many \(type.register?.plural ?? "issues") at once: all or nothing",
              tag: tag, request: "BulkUpdate", response: "BulkResult") { req in
            let caller = try req.writer()
            let body = try req.body(BulkUpdateBody.self, code: "bulk.invalid")
            let result = try await req.store.items.bulkUpdate(caller, key: try req.projectKey(), type: type, numbers: body.numbers, change: body.change)
            return try await json(BulkResultDTO(changed: result.changed, unchanged: result.unchanged), req)
        }
        r.add(.GET, "\(base)/views", summary: "Saved views of the list: yours and those shared with the project", tag: tag,
              response: "SavedViewList") { req in
            let views = try await req.store.views.list(try req.requireCaller(), key: try req.projectKey(), type: type)
            return try await json(ListDTO(items: views.map(SavedViewDTO.init)), req)
        }
        r.add(.POST, "\(base)/views", summary: "Save the list's query under a name (the same name again replaces it: 200)", tag: tag,
              request: "SavedViewCreate", response: "SavedView", status: 201, access: .signedIn, also: [200: "SavedView"]) { req in
            // Any member keeps views of their own, a viewer too (the store refuses who is not a member).
            let caller = try req.writer()
            let body = try req.body(SavedViewCreateBody.self, code: "view.invalid")
            try SavedViewPages.check(req, caller: caller, type: type, query: body.query)
            let saved = try await req.store.views.save(caller, key: try req.projectKey(), type: type, name: body.name, query: body.query,
                                                       shared: body.shared ?? false)
            return try await json(SavedViewDTO(saved.view), req, status: saved.created ? .created : .ok)
        }
        r.add(.DELETE, "\(base)/views/{id}", summary: "Delete a saved view (yours, or a shared one as the project's admin, PMO or PM)",
              tag: tag, status: 204, access: .signedIn) { req in
            try await req.store.views.delete(try req.writer(), key: try req.projectKey(), id: try req.pathUUID("id"))
            return Response(status: .noContent)
        }
        r.add(.GET, "\(base)/{number}/history", summary: "The \(noun)'s audit trail: who changed what, from what to what", tag: tag,
              response: "HistoryList") { req in
            let items = try await req.store.items.history(try req.requireCaller(), key: try req.projectKey(), type: type,
                                                        number: try req.pathInt("number"))
            return try await json(ListDTO(items: items.map(HistoryDTO.init)), req)
        }
    }

    /// The links of an issue or register item: one list, both directions, in the same shape for every kind.
    private static func linkRoutes(_ r: APIRouter, base: String, type: ItemType, tag: String) {
        let noun = type.register?.rawValue ?? "issue"
        r.add(.GET, "\(base)/{number}/links", summary: "Typed links to and from other items of the project", tag: tag,
              response: "ItemLinkList") { req in
            try await linkList(req, type: type)
        }
        r.add(.POST, "\(base)/{number}/links", summary: "Link this \(noun) to another item (issue or register item)",
              tag: tag, request: "ItemLinkCreate", response: "ItemLink", status: 201) { req in
            let caller = try req.writer()
            let body = try req.body(ItemLinkCreateBody.self, code: "link.invalid")
            guard let target = body.target(from: type) else {
                throw DomainError.invalid("link.invalid", [FieldError(field: "to", code: "invalid_reference", message: "to must be an item reference.")])
            }
            let linkKind = body.kind.flatMap(ItemLinkKind.init(rawValue:)) ?? .relatesTo
            let link = try await req.store.items.addLink(caller, key: try req.projectKey(), type: type, number: try req.pathInt("number"),
                                                       to: target, kind: linkKind)
            return try await json(ItemLinkDTO(link), req, status: .created)
        }
        r.add(.DELETE, "\(base)/{number}/links/{linkId}", summary: "Remove a link", tag: tag, status: 204) { req in
            try await req.store.items.removeLink(try req.writer(), key: try req.projectKey(), type: type,
                                               number: try req.pathInt("number"), linkID: try req.pathUUID("linkId"))
            return noContent()
        }
    }

    static func linkList(_ req: Request, type: ItemType) async throws -> Response {
        let items = try await req.store.items.links(try req.requireCaller(), key: try req.projectKey(), type: type,
                                                  number: try req.pathInt("number"))
        return try await json(ListDTO(items: items.map(ItemLinkDTO.init)), req)
    }

    static func readRights(_ input: inout JSONInput) -> [DecisionRight] {
        guard case .array(let list)? = input.object["items"] else {
            input.errors.add("items", "required", "items must be an array of {category, authority, roles, users}."); return []
        }
        var rights: [DecisionRight] = []
        for (i, element) in list.enumerated() {
            guard case .object(let o) = element, case .string(let category)? = o["category"], case .string(let authority)? = o["authority"] else {
                input.errors.add("items[\(i)]", "wrong_type", "Each row needs category and authority as strings."); continue
            }
            var row = DecisionRight(category: category, authority: authority)
            if case .array(let roles)? = o["roles"] {
                for case .string(let s) in roles {
                    if let role = ProjectRole(rawValue: s) { row.roles.append(role) } else {
                        input.errors.add("items[\(i)].roles", "invalid_choice", "A role is one of: \(ProjectRole.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                }
            }
            if case .array(let users)? = o["users"] {
                for case .string(let s) in users {
                    if let id = UserID(string: s) { row.userIDs.append(id) } else {
                        input.errors.add("items[\(i)].users", "invalid_id", "users must be user ids.")
                    }
                }
            }
            for key in o.keys where !["category", "authority", "roles", "users"].contains(key) {
                input.errors.add("items[\(i)].\(key)", "unknown_field", "Unknown field \(key). Allowed: authority, category, roles, users.")
            }
            rights.append(row)
        }
        return rights
    }
}

extension CommentDTO {
    init(_ c: ItemCommentView) {
        id = c.id.uuidString.lowercased()
        author = PersonRef(id: c.authorID.uuidString.lowercased(), name: c.authorName)
        body = c.body
        createdAt = c.createdAt
    }
}

/// Reads a register list's filters from a query string, naming every bad parameter.
enum RegisterQueryParser {
    static let allowed: Set<String> = ["status", "open", "owner", "overdue", "company", "q", "sort", "limit", "cursor"]

    static func parse(_ rawQuery: String?, kind: RegisterKind, caller: Caller, today: CalendarDate) throws -> RegisterQuery {
        var q = RegisterQuery()
        var e = FieldErrors()
        for (name, value) in QueryString.pairs(rawQuery) where !value.isEmpty || name == "overdue" || name == "open" {
            switch name {
            case "status":
                for s in value.split(separator: ",").map(String.init) {
                    if kind.statuses.contains(s) { q.statuses.append(s) }
                    else { e.add("status", "invalid_choice", "status must be one of: \(kind.statuses.joined(separator: ", ")).") }
                }
            case "open", "overdue":
                let on = ListParams.flag(name, value, &e)
                if name == "open" { q.openOnly = on } else if on { q.overdueAsOf = today }
            case "owner": (q.ownerID, q.unowned) = ListParams.owner(value, caller: caller, &e)
            case "company": q.companyID = ListParams.company(value, &e)
            case "q": q.text = ListParams.text(value, &e)
            case "sort": q.sort = ListParams.sort(value, &e) ?? q.sort
            case "limit": q.limit = ListParams.limit(value, max: RegisterQuery.maxLimit, &e) ?? q.limit
            case "cursor":
                q.cursor = value
            default: ListParams.unknown(name, allowed: allowed, &e)
            }
        }
        try e.throwIfAny("query.invalid")
        return q
    }
}

/// The list parameters every register (issues included) reads the same way, each naming its own error.
enum ListParams {
    /// `me`, `none` (unowned) or a user id.
    static func owner(_ value: String, caller: Caller, _ e: inout FieldErrors) -> (id: UUID?, unowned: Bool) {
        if value == "me" { return (caller.userID, false) }
        if value == "none" { return (nil, true) }
        if let id = UUID(uuidString: value) { return (id, false) }
        e.add("owner", "invalid_id", "owner must be a user id, 'me' or 'none'.")
        return (nil, false)
    }

    /// `true`, `1` or empty turn a flag on; `false` or `0` off.
    static func flag(_ name: String, _ value: String, _ e: inout FieldErrors) -> Bool {
        if value == "true" || value == "1" || value.isEmpty { return true }
        if value != "false" && value != "0" { e.add(name, "wrong_type", "\(name) must be true or false.") }
        return false
    }

    static func company(_ value: String, _ e: inout FieldErrors) -> UUID? {
        if let id = UUID(uuidString: value) { return id }
        e.add("company", "invalid_id", "company must be a company id.")
        return nil
    }

    static func text(_ value: String, _ e: inout FieldErrors) -> String? {
        if value.count > 200 { e.add("q", "too_long", "q may have at most 200 characters."); return nil }
        return value
    }

    static func sort<S: RawRepresentable & CaseIterable>(_ value: String, _ e: inout FieldErrors) -> S? where S.RawValue == String {
        if let s = S(rawValue: value) { return s }
        e.add("sort", "invalid_choice", "sort must be one of: \(S.allCases.map(\.rawValue).joined(separator: ", ")).")
        return nil
    }

    /// Names a parameter the list does not take.
    static func unknown(_ name: String, allowed: Set<String>, _ e: inout FieldErrors) {
        guard !allowed.contains(name) else { return }
        e.add(name, "unknown_parameter", "Unknown parameter \(name). Allowed: \(allowed.sorted().joined(separator: ", ")).")
    }

    static func limit(_ value: String, max: Int, _ e: inout FieldErrors) -> Int? {
        if let n = Int(value), (1...max).contains(n) { return n }
        e.add("limit", "out_of_range", "limit must be a whole number from 1 to \(max).")
        return nil
    }
}

/// Splits a URL query into decoded name/value pairs.
enum QueryString {
    static func pairs(_ raw: String?) -> [(String, String)] {
        (raw ?? "").split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
