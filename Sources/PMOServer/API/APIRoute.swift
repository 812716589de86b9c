import PMOCore
import Vapor

/// One documented API operation. Routes are registered only through `APIRouter`, which records each one for the
/// OpenAPI document at the same moment, so the document and the routes cannot drift apart.
struct APIOperation: Sendable {
    var method: HTTPMethod
    /// Path below /api/v1 with `{name}` parameters, e.g. `/projects/{key}/issues/{number}`.
    var path: String
    var summary: String
    var tag: String
    var requiresAuth: Bool
    var requestSchema: String?
    var responseSchema: String?
    var successStatus: Int
    var queryParameters: [String]
    var usesIfMatch: Bool
    var access: APIAccess
    /// The media types of a file answered on success (an export), instead of JSON.
    var fileTypes: [String] = []
    /// Answers besides success and the errors every operation of its shape may give: status → JSON schema name, or
    /// nil for an answer without a body (e.g. 304, or 200 for a preview where applying answers 201).
    var alsoAnswers: [Int: String?] = [:]
    /// Errors this operation answers beyond those of its shape (e.g. 401 and 429 when signing in).
    var moreErrors: [Int] = []
}

final class APIRouter: @unchecked Sendable {
    private let root: any RoutesBuilder
    private(set) var operations: [APIOperation] = []

    init(_ root: any RoutesBuilder) { self.root = root }

    func add(_ method: HTTPMethod, _ path: String, summary: String, tag: String, auth: Bool = true,
             request: String? = nil, response: String? = nil, status: Int = 200, query: [String] = [],
             ifMatch: Bool = false, maxBody: ByteCount = "1mb", access: APIAccess? = nil, files: [String] = [],
             also: [Int: String?] = [:], errors: [Int] = [], streamsBody: Bool = false, _ handler: @escaping @Sendable (Request) async throws -> Response) {
        let access = access ?? APIAccess.standard(method: method, path: path, auth: auth)
        let components: [PathComponent] = path.split(separator: "/").map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .constant(String(part))
        }
        // An upload (`streamsBody`) reads its body itself as it arrives, and stops at its own limit.
        let body: HTTPBodyStreamStrategy = streamsBody ? .stream
            : method == .GET || method == .DELETE ? .collect(maxSize: "1kb") : .collect(maxSize: maxBody)
        root.on(method, components, body: body,
                use: { req in
                    do {
                        return try await handler(req)
                    } catch let refused as DomainError where [.malformed, .unsupportedMediaType, .invalid].contains(refused.kind) {
                        // Authorization before validation: a caller who may not use the operation learns nothing
                        // about what its body should look like.
                        try await access.authorize(req)
                        throw refused
                    }
                })
        operations.append(APIOperation(method: method, path: path, summary: summary, tag: tag, requiresAuth: auth,
                                       requestSchema: request, responseSchema: response, successStatus: status,
                                       queryParameters: query, usesIfMatch: ifMatch, access: access, fileTypes: files,
                                       alsoAnswers: also, moreErrors: errors))
    }
}

struct APIOperationsKey: StorageKey { typealias Value = [APIOperation] }
