import Foundation

/// Builds the OpenAPI 3.1 document from the registered operations (see `APIRouter`).
enum OpenAPIDocument {
    static func build(_ operations: [APIOperation]) -> Data {
        var paths: [String: [String: Any]] = [:]
        for op in operations {
            var operation: [String: Any] = [
                "summary": op.summary,
                "tags": [op.tag],
                "operationId": operationID(op),
            ]
            var parameters: [[String: Any]] = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { part in
                let name = String(part.dropFirst().dropLast())
                let schema: [String: Any] = name == "number" ? ["type": "integer", "minimum": 1] : PlanSchemas.pathParameter(name) ?? ["type": "string"]
                return ["name": name, "in": "path", "required": true, "schema": schema]
            }
            parameters += op.queryParameters.map { ["name": $0, "in": "query", "required": false, "schema": ["type": "string"],
                                                    "description": queryDescriptions[$0] ?? PlanSchemas.queryDescriptions[$0] ?? ""] }
            if op.usesIfMatch {
                parameters.append(["name": "If-Match", "in": "header", "required": true, "schema": ["type": "string"],
                                   "description": "The ETag last read, e.g. \"3\". A stale one gets 409; none gets 428."])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let request = op.requestSchema {
                operation["requestBody"] = ["required": true, "content": [
                    (op.method == .PATCH ? "application/merge-patch+json" : "application/json"): ["schema": ref(request)],
                ]]
            }
            operation["responses"] = responses(op)
            if !op.requiresAuth { operation["security"] = [] as [Any] }
            paths["/api/v1" + op.path, default: [:]][op.method.rawValue.lowercased()] = operation
        }
        PlanSchemas.decorate(&paths)
        paths["/api/v1/openapi.json"] = ["get": [
            "summary": "This document", "tags": ["system"], "operationId": "getOpenAPI", "security": [] as [Any],
            "responses": ["200": ["description": "The OpenAPI 3.1 document", "content": ["application/json": ["schema": ["type": "object"]]]]],
        ]]
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "PMO API", "version": "1", "description": "The JSON API of PMO. Authenticate with 'Authorization: Bearer <token>' (create one with POST /api/v1/tokens)."],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": schemas.merging(RegisterSchemas.all) { a, _ in a }.merging(PlanSchemas.all) { a, _ in a }.merging(MeetingSchemas.all) { a, _ in a },
            ],
            "security": [["bearer": [] as [Any]]],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])) ?? Data()
    }

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    /// Every status the operation answers, each with its body: success (JSON or a file), the operation's own other
    /// answers, and the errors (problem+json) its shape allows. No `default`: a status not listed here is a bug
    /// that the API suites' schema check and schemathesis both catch.
    static func responses(_ op: APIOperation) -> [String: Any] {
        var responses: [String: Any] = [:]
        if let response = op.responseSchema {
            responses[String(op.successStatus)] = ["description": "Success", "content": ["application/json": ["schema": ref(response)]]]
        } else if !op.fileTypes.isEmpty {
            responses[String(op.successStatus)] = ["description": "The file (Content-Disposition: attachment)",
                                                   "content": Dictionary(uniqueKeysWithValues: op.fileTypes.map { ($0, [String: Any]()) })]
        } else {
            responses[String(op.successStatus)] = ["description": "Success"]
        }
        for (status, schema) in op.alsoAnswers {
            responses[String(status)] = schema.map { ["description": "See the summary", "content": ["application/json": ["schema": ref($0)]]] }
                ?? ["description": status == 304 ? "Not modified since the ETag sent in If-None-Match" : "See the summary"]
        }
        for status in errorStatuses(op) {
            let problem: [String: Any] = ["schema": ref("Problem")]
            if var existing = responses[String(status)] as? [String: Any] {
                var content = existing["content"] as? [String: Any] ?? [:]
                content["application/problem+json"] = problem
                existing["content"] = content
                responses[String(status)] = existing
            } else {
                responses[String(status)] = ["description": errorDescriptions[status] ?? "An error",
                                             "content": ["application/problem+json": problem]]
            }
        }
        return responses
    }

    /// The errors an operation of this shape can answer: who may call it, what it reads, what it writes.
    static func errorStatuses(_ op: APIOperation) -> [Int] {
        let writes = ![.GET, .DELETE, .HEAD].contains(op.method)
        let hasPathParameters = op.path.contains("{")
        var statuses: Set<Int> = [413]
        if op.requiresAuth { statuses.formUnion([401, 403]) }
        if hasPathParameters { statuses.insert(404) }
        if writes { statuses.formUnion([400, 409, 415, 422]) }
        if op.method == .DELETE { statuses.insert(409) }
        if !op.queryParameters.isEmpty || hasPathParameters { statuses.insert(422) }
        if op.usesIfMatch { statuses.formUnion([409, 428]) }
        statuses.formUnion(op.moreErrors)
        return statuses.sorted()
    }

    static let errorDescriptions: [Int: String] = [
        400: "The request cannot be read (not JSON, or not the shape described)",
        401: "No or wrong credentials", 403: "The caller may not do this (or must change a temporary password first)",
        404: "No such thing, or not visible to the caller", 409: "A stale version (If-Match) or a duplicate",
        413: "The body is larger than this operation takes", 415: "The body is not of a type this operation reads",
        422: "The input breaks a rule: errors[] names each field", 428: "If-Match is required",
        429: "Too many attempts: wait for Retry-After",
    ]

    static func operationID(_ op: APIOperation) -> String {
        let words = op.path.split(separator: "/").map { part -> String in
            let clean = part.hasPrefix("{") ? "By" + part.dropFirst().dropLast().prefix(1).uppercased() + part.dropFirst(2).dropLast() : String(part)
            return clean.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }
        return op.method.rawValue.lowercased() + words.joined()
    }

    nonisolated(unsafe) static let queryDescriptions: [String: String] = [
        "status": "Comma-separated statuses: open, in_progress, waiting_for_decision, resolved, closed",
        "owner": "A user id, 'me' or 'none' (unowned)",
        "open": "true: only unfinished items (registers)",
        "overdue": "true: only issues past their due date and not finished",
        "priority": "Comma-separated: low, medium, high, critical",
        "company": "The responsible company's id",
        "q": "Text found in title, description or next action (case-insensitive)",
        "sort": "number, -number, due, -due, priority, -priority, updated, -updated",
        "limit": "Page size, 1 to 200 (default 50)",
        "cursor": "nextCursor of the previous page",
    ]

    static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { o["required"] = required }
        return o
    }

    nonisolated(unsafe) static let string: [String: Any] = ["type": "string"]
    nonisolated(unsafe) static let nullableString: [String: Any] = ["type": ["string", "null"]]
    nonisolated(unsafe) static let date: [String: Any] = ["type": ["string", "null"], "format": "date"]
    nonisolated(unsafe) static let instant: [String: Any] = ["type": "string", "format": "date-time"]
    nonisolated(unsafe) static let integer: [String: Any] = ["type": "integer"]
    nonisolated(unsafe) static let boolean: [String: Any] = ["type": "boolean"]
    static func list(_ name: String) -> [String: Any] { object(["items": ["type": "array", "items": ref(name)]], required: ["items"]) }
    static func enumeration(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }

    nonisolated(unsafe) static let issueWritable: [String: Any] = [
        "title": ["type": "string", "maxLength": 200],
        "description": nullableString, "cause": nullableString, "nextAction": nullableString,
        "owner": ["type": ["string", "null"], "format": "uuid"],
        "dueDate": date,
        "priority": enumeration(["low", "medium", "high", "critical"]),
        "status": enumeration(["open", "in_progress", "waiting_for_decision", "resolved", "closed"]),
        "escalationLevel": ["type": "integer", "minimum": 0, "maximum": 3],
        "visibility": enumeration(["project", "internal", "company"]),
        "visibilityCompanyId": ["type": ["string", "null"], "format": "uuid"],
        "companyId": ["type": ["string", "null"], "format": "uuid"],
    ]

    static var schemas: [String: Any] {
        let person = object(["id": string, "name": string])
        var issue = issueWritable
        for (k, v) in ["id": string, "reference": string, "projectKey": string, "number": integer, "owner": ["oneOf": [ref("PersonRef"), ["type": "null"]]],
                       "companyName": nullableString, "createdBy": ref("PersonRef"), "createdAt": instant, "updatedAt": instant,
                       "version": integer, "overdue": boolean, "unowned": boolean, "stale": boolean] as [String: Any] {
            issue[k] = v
        }
        let projectFields: [String: Any] = [
            "key": ["type": "string", "pattern": "^[A-Z][A-Z0-9]{1,9}$"], "name": string, "description": string,
            "phase": enumeration(["study", "preparation", "execution", "closure"]), "businessOwner": string,
            "startDate": date, "targetDate": date, "status": enumeration(["active", "on_hold", "completed", "cancelled"]),
        ]
        var project = projectFields
        for (k, v) in ["id": string, "myRole": nullableString, "version": integer, "createdAt": instant, "updatedAt": instant] as [String: Any] {
            project[k] = v
        }
        let user = object(["id": string, "email": string, "displayName": string, "locale": enumeration(["ja", "en"]),
                           "timeZone": string, "isActive": boolean, "isAdmin": boolean, "companyId": string, "version": integer])
        return [
            "PersonRef": person,
            "Problem": object(["type": string, "title": string, "status": integer, "detail": string, "code": string,
                               "errors": ["type": "array", "items": object(["field": string, "code": string, "message": string])]],
                              required: ["type", "title", "status", "detail", "code"]),
            "Health": object(["status": string, "version": string]),
            "TokenCreate": object(["email": string, "password": string, "name": string]),
            "PasswordChange": object(["currentPassword": ["type": "string", "minLength": 1, "maxLength": 200],
                                      "newPassword": ["type": "string", "minLength": 10, "maxLength": 200]],
                                     required: ["currentPassword", "newPassword"]),
            "Token": object(["id": string, "name": string, "createdAt": instant, "token": string]),
            "TokenList": list("Token"),
            "Me": object(["user": ref("User"), "projects": ["type": "array", "items": ref("Project")]]),
            "Company": object(["id": string, "name": string, "kind": enumeration(["operator", "client", "vendor"])]),
            "CompanyCreate": object(["name": string, "kind": enumeration(["operator", "client", "vendor"])], required: ["name", "kind"]),
            "CompanyList": list("Company"),
            "User": user,
            "UserList": list("User"),
            "UserCreate": object(["email": string, "displayName": string, "companyId": string, "locale": string, "timeZone": string,
                                  "isAdmin": boolean, "passwordSetup": enumeration(["invitation", "temporary"])],
                                 required: ["email", "displayName", "companyId"]),
            "UserPatch": object(["displayName": string, "locale": string, "timeZone": string, "companyId": string,
                                 "isAdmin": boolean, "isActive": boolean]),
            "CreatedUser": object(["user": ref("User"), "invitationURL": nullableString, "temporaryPassword": nullableString]),
            "TemporaryPassword": object(["temporaryPassword": string]),
            "Invitation": object(["invitationURL": string]),
            "Project": object(project),
            "ProjectList": list("Project"),
            "ProjectCreate": object(projectFields, required: ["key", "name"]),
            "ProjectPatch": object(projectFields),
            "Member": object(["userId": string, "displayName": string, "email": string, "companyId": string,
                              "companyName": nullableString, "role": enumeration(["admin", "pmo", "pm", "member", "vendor", "viewer"])]),
            "MemberList": list("Member"),
            "MembershipPut": object(["role": enumeration(["admin", "pmo", "pm", "member", "vendor", "viewer"])], required: ["role"]),
            "Issue": object(issue),
            "IssueList": object(["items": ["type": "array", "items": ref("Issue")], "nextCursor": nullableString], required: ["items"]),
            "IssueCreate": object(issueWritable, required: ["title"]),
            "IssuePatch": object(issueWritable),
            "Comment": object(["id": string, "author": ref("PersonRef"), "body": string, "createdAt": instant]),
            "CommentList": list("Comment"),
            "CommentCreate": object(["body": string], required: ["body"]),
            "Link": object(["id": string, "kind": enumeration(["relates_to", "blocks", "causes", "duplicates"]),
                            "direction": enumeration(["outgoing", "incoming"]), "number": integer, "title": string, "status": string]),
            "LinkList": list("Link"),
            "LinkCreate": object(["to": integer, "kind": enumeration(["relates_to", "blocks", "causes", "duplicates"])], required: ["to"]),
            "History": object(["at": instant, "actor": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "action": string, "version": integer,
                               "changes": ["type": "array", "items": object(["field": string, "from": nullableString, "to": nullableString])]]),
            "HistoryList": list("History"),
        ]
    }
}
