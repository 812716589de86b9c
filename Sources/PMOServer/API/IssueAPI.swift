import Foundation
import PMOCore
import PMOStore
import Vapor

/// The issue register (課題管理表) under /projects/{key}/issues.
enum IssueAPI {
    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects/{key}/issues", summary: "List issues with filters, text search and cursor pagination",
              tag: "issues", response: "IssueList",
              query: ["status", "owner", "overdue", "priority", "company", "system", "q", "sort", "limit", "cursor"]) { req in
            let caller = try req.requireCaller()
            let key = try req.projectKey()
            let (today, zone) = req.today(for: caller)
            let query = try IssueQueryParser.parse(req.url.query, caller: caller, today: today)
            let page = try await req.store.items.issues(caller, key: key, query: query)
            return try await json(IssueListDTO(items: try page.items.map { try IssueDTO($0, today: today, timeZone: zone) },
                                               nextCursor: page.nextCursor), req)
        }
        r.add(.POST, "/projects/{key}/issues", summary: "Create an issue", tag: "issues", request: "IssueCreate",
              response: "Issue", status: 201) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(IssueCreateBody.self, code: "issue.invalid")
            let view = try await req.store.items.createIssue(caller, key: key, fields: body.issueFields)
            let (today, zone) = req.today(for: caller)
            let response = try await json(IssueDTO(view, today: today, timeZone: zone), req, status: .created, version: view.record.version)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(key)/issues/\(view.record.number)")
            return response
        }
        r.add(.GET, "/projects/{key}/issues/{number}", summary: "One issue, with its version as ETag", tag: "issues",
              response: "Issue") { req in
            let caller = try req.requireCaller()
            let view = try await req.store.items.issue(caller, key: try req.projectKey(), number: try req.pathInt("number"))
            let (today, zone) = req.today(for: caller)
            return try await json(IssueDTO(view, today: today, timeZone: zone), req, version: view.record.version)
        }
        r.add(.PATCH, "/projects/{key}/issues/{number}", summary: "Change an issue (JSON merge patch, If-Match required)",
              tag: "issues", request: "IssuePatch", response: "Issue", ifMatch: true) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let version = try req.requiredIfMatch()
            let patch = try req.body(IssuePatchBody.self, code: "issue.invalid").patch
            let view = try await req.store.items.updateIssue(caller, key: key, number: number, expectedVersion: version, patch: patch)
            let (today, zone) = req.today(for: caller)
            return try await json(IssueDTO(view, today: today, timeZone: zone), req, version: view.record.version)
        }
        r.add(.DELETE, "/projects/{key}/issues/{number}", summary: "Delete an issue (If-Match required)", tag: "issues",
              status: 204, ifMatch: true, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let version = try req.requiredIfMatch()
            try await req.store.items.deleteIssue(caller, key: key, number: number, expectedVersion: version)
            return noContent()
        }
    }
}

/// Reads the list filters from a query string, naming every bad parameter.
enum IssueQueryParser {
    static let allowed: Set<String> = ["status", "open", "owner", "overdue", "priority", "company", "system", "q", "sort", "limit", "cursor"]

    static func parse(_ rawQuery: String?, caller: Caller, today: CalendarDate) throws -> IssueQuery {
        var q = IssueQuery()
        var e = FieldErrors()
        let pairs = QueryString.pairs(rawQuery)
        for (name, value) in pairs where !value.isEmpty || name == "overdue" || name == "open" {
            switch name {
            case "status":
                for s in value.split(separator: ",") {
                    if let st = IssueStatus(rawValue: String(s)) { q.statuses.append(st) }
                    else { e.add("status", "invalid_choice", "status must be one of: \(IssueStatus.allCases.map(\.rawValue).joined(separator: ", ")).") }
                }
            case "priority":
                for s in value.split(separator: ",") {
                    if let p = IssuePriority(rawValue: String(s)) { q.priorities.append(p) }
                    else { e.add("priority", "invalid_choice", "priority must be one of: low, medium, high, critical.") }
                }
            case "owner": (q.ownerID, q.unowned) = ListParams.owner(value, caller: caller, &e)
            case "open": q.openOnly = ListParams.flag("open", value, &e)
            case "overdue": if ListParams.flag("overdue", value, &e) { q.overdueAsOf = today }
            case "company": q.companyID = ListParams.company(value, &e)
            case "system":
                // The key, when given, is checked against the project by the store (another project's system names none).
                if let ref = ItemReference(value), ref.type == .system { q.system = ref }
                else { e.add("system", "invalid_reference", "system names a system of the project, like S3 or CRM-S3.") }
            case "q": q.text = ListParams.text(value, &e)
            case "sort": q.sort = ListParams.sort(value, &e) ?? q.sort
            case "limit": q.limit = ListParams.limit(value, max: IssueQuery.maxLimit, &e) ?? q.limit
            case "cursor":
                q.cursor = value
            default: ListParams.unknown(name, allowed: allowed, &e)
            }
        }
        try e.throwIfAny("query.invalid")
        return q
    }
}
