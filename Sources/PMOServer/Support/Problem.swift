import Foundation
import PMOCore
import Vapor

/// An RFC 9457 problem document, plus a stable `code` and, for invalid input, every offending field.
struct Problem: Content {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var code: String
    var errors: [FieldError]?
    /// What the problem is about (see `DomainError.subjects`): shown on pages beside the reader's sentence, never sent.
    var subjects: [String] = []

    private enum CodingKeys: String, CodingKey { case type, title, status, detail, code, errors }

    static let contentType = HTTPMediaType(type: "application", subType: "problem+json")

    init(status: HTTPResponseStatus, code: String, detail: String, errors: [FieldError]? = nil) {
        self.type = "/docs/problems#" + code
        self.title = status.reasonPhrase
        self.status = Int(status.code)
        self.detail = detail
        self.code = code
        self.errors = errors?.isEmpty == true ? nil : errors
    }

    func response() -> Response {
        let response = Response(status: HTTPResponseStatus(statusCode: status))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        response.body = .init(data: (try? encoder.encode(self)) ?? Data())
        response.headers.contentType = Problem.contentType
        return response
    }
}

extension DomainError.Kind {
    var httpStatus: HTTPResponseStatus {
        switch self {
        case .malformed: .badRequest
        case .unsupportedMediaType: .unsupportedMediaType
        case .invalid: .unprocessableEntity
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .preconditionRequired: .preconditionRequired
        case .tooManyRequests: .tooManyRequests
        case .tooLarge: .payloadTooLarge
        }
    }
}

extension DomainError: AbortError {
    public var status: HTTPResponseStatus { kind.httpStatus }
    public var reason: String { message }
}

/// Maps every error once: problem+json under /api, a readable page elsewhere. Unknown errors are logged
/// and answered with a generic 500 that reveals nothing.
struct ErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            var problem = Self.problem(for: error, request: request)
            // Routing found no route: if the path exists with other methods, say which (405 with Allow).
            var allow: [String] = []
            if let abort = error as? any AbortError, abort.status == .notFound,
               let methods = request.application.storage[AllowedMethodsKey.self]?.methods(for: request.url.path), !methods.isEmpty,
               !methods.contains(request.method.rawValue) {
                allow = methods
                problem = Problem(status: .methodNotAllowed, code: "route.method_not_allowed",
                                  detail: "\(request.url.path) does not answer \(request.method.rawValue); it answers \(methods.joined(separator: ", ")).")
            }
            let response: Response
            if request.url.path.hasPrefix("/api/") || problem.status == 0 {
                response = problem.response()
            } else {
                response = try await PageRoutes.errorPage(request, problem)
            }
            if !allow.isEmpty { response.headers.replaceOrAdd(name: .allow, value: allow.joined(separator: ", ")) }
            if let seconds = (error as? DomainError)?.retryAfterSeconds {
                response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            } else if problem.status == 503 {
                response.headers.replaceOrAdd(name: .retryAfter, value: String(Self.busyRetrySeconds))
            }
            return response
        }
    }

    /// How long a client is told to wait when every database connection stayed busy.
    static let busyRetrySeconds = 2

    static func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case is ConnectionPoolTimeoutError:
            // Every database connection stayed busy for the pool's whole wait: the server is overloaded, the request
            // did nothing, and trying again shortly is the right answer, so 503 with Retry-After rather than a 500.
            request.logger.warning("no database connection within the pool's wait: answered 503")
            return Problem(status: .serviceUnavailable, code: "server.busy",
                           detail: "The server is too busy to take this request now; nothing was changed. Try again in a few seconds.")
        case let e as DomainError:
            var problem = Problem(status: e.kind.httpStatus, code: e.code, detail: e.message, errors: e.fieldErrors)
            problem.subjects = e.subjects
            return problem
        case let e as DecodingError:
            return Problem(status: .badRequest, code: "request.malformed", detail: "The request body could not be read: \(e.readable)")
        case let e as any AbortError:
            let status = e.status
            let code: String = switch status {
            case .notFound: "route.not_found"
            case .payloadTooLarge: "request.too_large"
            case .methodNotAllowed: "route.method_not_allowed"
            case .unsupportedMediaType: "request.unsupported_media_type"
            case .unauthorized: "auth.required"
            default: "request.invalid"
            }
            return Problem(status: status, code: code, detail: status == .notFound ? "There is nothing at \(request.url.path)." : e.reason)
        default:
            request.logger.error("unexpected error: \(String(reflecting: error))")
            return Problem(status: .internalServerError, code: "server.error", detail: "Something went wrong on the server. It has been logged.")
        }
    }
}

extension DecodingError {
    var readable: String {
        switch self {
        case .dataCorrupted(let c): return c.debugDescription
        case .keyNotFound(let key, _): return "missing \(key.stringValue)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        @unknown default: return "invalid"
        }
    }
}
