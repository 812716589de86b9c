import Foundation
import PMOCore
import PMOSchedule
import PMOStore

/// Builds the OpenAPI 3.1 document from the registered operations (see `APIRouter`). Every part is a typed value
/// (`JSONSchema`, `Operation`…), encoded once at start-up.
enum OpenAPIDocument {
    typealias S = JSONSchema

    struct Document: Encodable {
        var openapi = "3.1.0"
        var info: [String: String]
        var paths: [String: [String: Operation]]
        var components: Components
        var security = [["bearer": [String]()]]
    }

    struct Components: Encodable {
        var securitySchemes = ["bearer": ["type": "http", "scheme": "bearer"]]
        var schemas: [String: JSONSchema]
    }

    struct Operation: Encodable {
        var summary: String
        var tags: [String]
        var operationId: String
        var parameters: [Parameter]?
        var requestBody: RequestBody?
        var responses: [String: Response]
        /// `[]` for an operation anyone may call.
        var security: [[String: [String]]]?
    }

    struct Parameter: Encodable {
        var name: String
        var `in`: String
        var required: Bool
        var schema: JSONSchema
        var description: String?
    }

    struct RequestBody: Encodable {
        var required = true
        var content: [String: MediaType]
    }

    /// A body of one media type; a file has no schema.
    struct MediaType: Encodable { var schema: JSONSchema? }

    struct Response: Encodable {
        var description: String
        var content: [String: MediaType]?
    }

    static func build(_ operations: [APIOperation]) -> Data {
        var paths: [String: [String: Operation]] = [:]
        for op in operations {
            var parameters: [Parameter] = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { part in
                let name = String(part.dropFirst().dropLast())
                // A meeting's occurrences are numbered 1 to 10,000; items of a register from 1.
                let schema = name == "number" ? (op.path.contains("/occurrences/") ? S.integer.range(1, Double(MeetingRules.occurrenceMax)) : S.integer.minimum(1))
                    : PlanSchemas.pathParameter(name) ?? .string
                return Parameter(name: name, in: "path", required: true, schema: schema)
            }
            parameters += op.queryParameters.map {
                Parameter(name: $0, in: "query", required: requiredQuery(op).contains($0), schema: querySchema($0, of: op),
                          description: queryDescriptions[$0] ?? PlanSchemas.queryDescriptions[$0] ?? "")
            }
            if op.usesIfMatch {
                parameters.append(Parameter(name: "If-Match", in: "header", required: true, schema: .string,
                                            description: "The ETag last read, e.g. \"3\". A stale one gets 409; none gets 428."))
            }
            let requestBody = op.requestSchema.map {
                RequestBody(content: [(op.method == .PATCH ? "application/merge-patch+json" : "application/json"): MediaType(schema: S.ref($0))])
            }
            let operation = Operation(summary: op.summary, tags: [op.tag], operationId: operationID(op),
                                      parameters: parameters.isEmpty ? nil : parameters, requestBody: requestBody,
                                      responses: responses(op), security: op.requiresAuth ? nil : [])
            paths["/api/v1" + op.path, default: [:]][op.method.rawValue.lowercased()] = operation
        }
        PlanSchemas.decorate(&paths)
        // An upload's body is the file itself, of any type; its name is required (the server drops what a file name
        // cannot hold: folders, control characters; a name with nothing else left is stored as "attachment").
        for (path, methods) in paths where path.hasSuffix("/attachments") && methods["post"] != nil {
            paths[path]?["post"]?.requestBody = RequestBody(content: ["application/octet-stream": MediaType(schema: S.string.format("binary"))])
            for (i, parameter) in (paths[path]?["post"]?.parameters ?? []).enumerated() where parameter.name == "name" {
                paths[path]?["post"]?.parameters?[i].required = true
                paths[path]?["post"]?.parameters?[i].schema = S.text(AttachmentRules.nameMax)
                paths[path]?["post"]?.parameters?[i].description = "The file's name, e.g. estimate.pdf"
            }
        }
        paths["/api/v1/openapi.json"] = ["get": Operation(
            summary: "This document", tags: ["system"], operationId: "getOpenAPI",
            responses: ["200": Response(description: "The OpenAPI 3.1 document", content: ["application/json": MediaType(schema: JSONSchema([.object]))])],
            security: [])]
        var schemas = componentSchemas
        // A request body is closed: the server refuses a member it does not know (`unknown_field`), so the document
        // says so, and a client generated from it sends nothing else.
        // The components a request body refers to are closed too (their answers never carry more members either).
        // Followed to the end: a calendar's exceptions refer to their repeat rule.
        var inputs = Set(operations.compactMap(\.requestSchema))
        var next = inputs
        while !next.isEmpty {
            next = Set(next.flatMap { schemas[$0]?.referencedNames ?? [] }).subtracting(inputs)
            inputs.formUnion(next)
        }
        for name in inputs where schemas[name]?.types == [.object] {
            schemas[name] = schemas[name]?.closed
        }
        let document = Document(
            info: ["title": "PMO API", "version": "1",
                   "description": "The JSON API of PMO. Authenticate with 'Authorization: Bearer <token>' (create one with POST /api/v1/tokens)."],
            paths: paths, components: Components(schemas: schemas))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(document)) ?? Data()
    }

    /// Every status the operation answers, each with its body: success (JSON or a file), the operation's own other
    /// answers, and the errors (problem+json) its shape allows. No `default`: a status not listed here is a bug
    /// that the API suites' schema check and schemathesis both catch.
    static func responses(_ op: APIOperation) -> [String: Response] {
        var responses: [String: Response] = [:]
        if let response = op.responseSchema {
            responses[String(op.successStatus)] = Response(description: "Success", content: ["application/json": MediaType(schema: S.ref(response))])
        } else if !op.fileTypes.isEmpty {
            responses[String(op.successStatus)] = Response(description: "The file (Content-Disposition: attachment)",
                                                           content: Dictionary(uniqueKeysWithValues: op.fileTypes.map { ($0, MediaType()) }))
        } else {
            responses[String(op.successStatus)] = Response(description: "Success")
        }
        for (status, schema) in op.alsoAnswers {
            responses[String(status)] = schema.map { Response(description: "See the summary", content: ["application/json": MediaType(schema: S.ref($0))]) }
                ?? Response(description: status == 304 ? "Not modified since the ETag sent in If-None-Match" : "See the summary")
        }
        for status in errorStatuses(op) {
            let problem = MediaType(schema: S.ref("Problem"))
            if var existing = responses[String(status)] {
                existing.content = (existing.content ?? [:]).merging(["application/problem+json": problem]) { _, new in new }
                responses[String(status)] = existing
            } else {
                responses[String(status)] = Response(description: errorDescriptions[status] ?? "An error",
                                                     content: ["application/problem+json": problem])
            }
        }
        return responses
    }

    /// The errors an operation of this shape can answer: who may call it, what it reads, what it writes.
    static func errorStatuses(_ op: APIOperation) -> [Int] {
        let writes = ![.GET, .DELETE, .HEAD].contains(op.method)
        let hasPathParameters = op.path.contains("{")
        // Any operation may meet a server too busy to give it a database connection (503 with Retry-After).
        var statuses: Set<Int> = [413, 503]
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
        503: "The server is too busy (no database connection came free in time); nothing was changed: retry after Retry-After",
    ]

    static func operationID(_ op: APIOperation) -> String {
        let words = op.path.split(separator: "/").map { part -> String in
            let clean = part.hasPrefix("{") ? "By" + part.dropFirst().dropLast().prefix(1).uppercased() + part.dropFirst(2).dropLast() : String(part)
            return clean.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }
        return op.method.rawValue.lowercased() + words.joined()
    }

    /// The query parameters an operation cannot do without (the escalation lookup's unit and priority).
    static func requiredQuery(_ op: APIOperation) -> Set<String> {
        op.path.hasSuffix("/escalation") ? ["unit", "priority"] : []
    }

    /// A query parameter's schema with the rules its parser applies (`ListParams`, `IssueQueryParser`,
    /// `RegisterQueryParser`, the plan's parameters), so that what the document allows the server accepts.
    static func querySchema(_ name: String, of op: APIOperation) -> JSONSchema {
        /// Comma-separated values, each one of `values`.
        func list(_ values: [String]) -> JSONSchema {
            let one = "(" + values.joined(separator: "|") + ")"
            return S.string.pattern("^\(one)(,\(one))*$")
        }
        let kind = RegisterKind(plural: op.tag)
        switch name {
        case "status":
            return list(kind?.statuses ?? IssueStatus.allCases.map(\.rawValue))
        case "priority" where op.path.hasSuffix("/escalation"): return .enumeration(IssuePriority.allCases.map(\.rawValue))
        case "priority": return list(IssuePriority.allCases.map(\.rawValue))
        case "level": return S.integer.range(Double(EscalationLevel.range.lowerBound), Double(EscalationLevel.range.upperBound))
        case "unit": return S.string.pattern("^([A-Z][A-Z0-9]{1,9}-)?U[1-9][0-9]{0,8}$")
        case "system": return S.string.pattern("^([A-Z][A-Z0-9]{1,9}-)?S[1-9][0-9]{0,8}$")
        case "owner": return S.string.pattern("^(me|none|\(S.uuidPattern.dropFirst().dropLast()))$")
        case "company": return S.uuid
        case "open", "overdue": return .enumeration(["true", "false", "1", "0"])
        case "q": return S.string.maxLength(200)
        case "sort": return .enumeration(kind == nil ? IssueQuery.Sort.allCases.map(\.rawValue) : RegisterQuery.Sort.allCases.map(\.rawValue))
        case "limit": return S.integer.range(1, Double(kind == nil ? IssueQuery.maxLimit : RegisterQuery.maxLimit))
        case "mode": return .enumeration(["preview", "apply"])
        case "under", "branch": return S.integer.minimum(0)
        case "at": return S.string.format("date")
        case "baseline": return S.integer.range(0, 10)
        case "key": return S.string.pattern("^[A-Z][A-Z0-9]{1,9}$")
        case "name": return S.text(200)
        case "scale": return .enumeration(LoadPeriods.Scale.choices)
        case "from": return S.string.format("date")
        case "count": return S.integer.range(1, Double(LoadMapQuery.maxCount))
        case "role": return S.string.maxLength(ResourceRules.nameMax)
        case "project": return S.string.pattern("^[A-Z][A-Z0-9]{1,9}$")
        case "group": return .enumeration(SystemPages.Grouping.allCases.map(\.rawValue))
        case "gap": return .enumeration([""] + ["any"] + TraceabilityMatrix.Gap.allCases.map(\.rawValue))
        case "months": return S.integer.range(Double(KPIService.monthRange.lowerBound), Double(KPIService.monthRange.upperBound))
        default: return .string
        }
    }

    static let queryDescriptions: [String: String] = [
        "status": "Comma-separated statuses: open, in_progress, waiting_for_decision, resolved, closed",
        "owner": "A user id, 'me' or 'none' (unowned)",
        "open": "true: only unfinished items (registers)",
        "overdue": "true: only issues past their due date and not finished",
        "priority": "Comma-separated: low, medium, high, critical",
        "company": "The responsible company's id",
        "system": "Only issues about this system, like S3 or CRM-S3",
        "q": "Text found in title, description or next action (case-insensitive)",
        "sort": "number, -number, due, -due, priority, -priority, updated, -updated",
        "limit": "Page size, 1 to 200 (default 50)",
        "cursor": "nextCursor of the previous page",
        "months": "How many months up to this one, 1 to 36 (default 12)",
        "scale": "week (default) or day",
        "from": "The first day shown (its week when by week); today by default",
        "count": "How many weeks or days, 1 to 92 (default 12 weeks or 28 days)",
        "role": "Only resources with this role",
        "project": "Only resources assigned in this project (their load still counts every project)",
    ]

    /// Every named schema: the accounts', projects' and issues' (`schemas`) and each feature's.
    static var componentSchemas: [String: JSONSchema] {
        var all = schemas
        for part in [RegisterSchemas.all, PlanSchemas.all, MeetingSchemas.all, SignalAPI.all] { all.merge(part) { a, _ in a } }
        return all
    }

    /// The request bodies of accounts, projects and issues, as types (`AccountRequests`, `ItemRequests`).
    static var requestBodies: [any PMOServer.RequestBody.Type] { [
        TokenCreateBody.self, PasswordChangeBody.self, CompanyCreateBody.self, UserCreateBody.self, UserPatchBody.self,
        ProjectCreateBody.self, ProjectPatchBody.self, MembershipPutBody.self, CommentCreateBody.self, ItemLinkCreateBody.self, BulkUpdateBody.self, SavedViewCreateBody.self,
        IssuePatchBody.self, IssueCreateBody.self,
    ] }

    /// The bodies that are Swift types: their schemas come from the types themselves.
    static var derivedBodies: [any DocumentedBody.Type] { [
        PersonRef.self, Problem.self, HealthDTO.self, TokenDTO.self, ListDTO<TokenDTO>.self, MeDTO.self,
        CompanyDTO.self, ListDTO<CompanyDTO>.self, UserDTO.self, ListDTO<UserDTO>.self, CreatedUserDTO.self,
        ProjectDTO.self, ListDTO<ProjectDTO>.self, MemberDTO.self, ListDTO<MemberDTO>.self,
        IssueDTO.self, IssueListDTO.self, CommentDTO.self, ListDTO<CommentDTO>.self, ItemLinkDTO.self, ListDTO<ItemLinkDTO>.self,
        HistoryDTO.self, ListDTO<HistoryDTO>.self, AttachmentDTO.self, ListDTO<AttachmentDTO>.self, BulkResultDTO.self, SavedViewDTO.self, ListDTO<SavedViewDTO>.self,
    ] }

    static var schemas: [String: JSONSchema] {
        var schemas: [String: JSONSchema] = [
            "TemporaryPassword": .object(["temporaryPassword": .string]),
            "Invitation": .object(["invitationURL": .string]),
        ]
        for body in requestBodies { schemas[body.schemaName] = body.requestSchema }
        for body in derivedBodies { schemas[body.schemaName] = DerivedSchema.of(body) }
        return schemas
    }
}
