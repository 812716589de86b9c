import Foundation
import PMOCore
import PMOStore
import NIOConcurrencyHelpers
import Vapor

/// Registers every route under /api/v1.
enum APIRoutes {
    static func register(_ app: Application) throws {
        let router = APIRouter(app.grouped("api", "v1"))
        SystemAPI.register(router)
        AccountAPI.register(router)
        ProjectAPI.register(router)
        IssueAPI.register(router)
        RegisterAPI.register(router)
        AttachmentAPI.register(router)
        PlanAPI.register(router, feeds: app)
        MeetingAPI.register(router)
        ReportAPI.register(router)
        SignalAPI.register(router)
        InboxAPI.register(router)
        WebhookAPI.register(router)
        KPIAPI.register(router)
        SystemDiagramAPI.register(router)
        TraceabilityAPI.register(router)
        OrganisationAPI.register(router)
        MailAPI.register(router)
        ResourceAPI.register(router)
        LedgerAPI.register(router)
        LedgerExchangeAPI.register(router)
        EstimateRequestAPI.register(router)
        PortfolioBudgetAPI.register(router)
        WatchAPI.register(router)
        app.storage[APIOperationsKey.self] = router.operations
        let document = OpenAPIDocument.build(router.operations)
        app.get("api", "v1", "openapi.json") { req async throws -> Response in
            let response = Response(status: .ok, body: .init(data: document))
            response.headers.contentType = .json
            return response
        }
    }
}

extension Request {
    /// The caller for a request that changes something: signed in, and with a CSRF token when using a session.
    func writer() throws -> Caller {
        let caller = try requireCaller()
        try requireCSRF()
        return caller
    }

    /// Today in the caller's time zone (for overdue and stale flags).
    func today(for caller: Caller) -> (CalendarDate, TimeZone) {
        let zone = TimeZones.named(caller.timeZone)
        return (CalendarDate(store.now(), in: zone), zone)
    }

    func pathString(_ name: String) throws -> String {
        guard let v = parameters.get(name) else { throw Abort(.badRequest) }
        return v
    }

    /// The project key from the path, refused early when it cannot be a key.
    func projectKey() throws -> String {
        let key = try pathString("key")
        guard ProjectRules.isValidKey(key) else {
            throw DomainError.notFound("project.not_found", "There is no project with the key \(key) that you can see.", subjects: [key])
        }
        return key
    }

    /// A positive whole number in the path, at most `max` (a meeting has at most 10,000 occurrences); anything else
    /// names nothing, so it is 404.
    func pathInt(_ name: String, max: Int = .max) throws -> Int {
        guard let v = parameters.get(name), let n = Int(v), n > 0, n <= max else {
            throw DomainError.notFound("route.not_found", max == .max ? "\(name) must be a positive whole number."
                                       : "\(name) must be a whole number from 1 to \(max).")
        }
        return n
    }

    func pathUUID(_ name: String) throws -> UUID {
        guard let v = parameters.get(name), let u = UUID(uuidString: v) else {
            throw DomainError.notFound("route.not_found", "\(name) must be an id.")
        }
        return u
    }

    /// The version named by `If-Match` (`"3"`), required on PATCH and DELETE of versioned records.
    /// `*` matches any version.
    func requiredIfMatch() throws -> Int? {
        guard let raw = headers.first(name: .ifMatch)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            throw DomainError(.preconditionRequired, code: "precondition.if_match_required",
                              message: "Send 'If-Match' with the ETag you last read (e.g. If-Match: \"3\") so that no one else's change is overwritten.")
        }
        if raw == "*" { return nil }
        let stripped = raw.hasPrefix("W/") ? String(raw.dropFirst(2)) : raw
        guard stripped.hasPrefix("\""), stripped.hasSuffix("\""), stripped.count >= 3,
              let version = Int(stripped.dropFirst().dropLast()) else {
            throw DomainError(.invalid, code: "precondition.if_match_invalid",
                              message: "If-Match must be an ETag this API gave out, such as \"3\".")
        }
        return version
    }
}

/// Encodes a value as JSON with a status and, for versioned records, an ETag.
func json<T: Content>(_ value: T, _ req: Request, status: HTTPResponseStatus = .ok, version: Int? = nil) async throws -> Response {
    let response = Response(status: status, body: .init(data: Data(try JSONBytesEncoder().encode(value))))
    response.headers.contentType = .json
    if let version { response.headers.replaceOrAdd(name: .eTag, value: "\"\(version)\"") }
    return response
}

func noContent() -> Response { Response(status: .noContent) }

enum SystemAPI {
    static func register(_ r: APIRouter) {
        r.add(.GET, "/health", summary: "Liveness and version; no sign-in needed", tag: "system", auth: false,
              response: "Health") { req in
            try await json(HealthDTO(status: "ok", version: PMOVersion.current), req)
        }
    }
}

/// The product version, printed by `pmo version` and served by the health route.
public enum PMOVersion {
    public static let current = "0.1.0"
}

/// Time zones by identifier, made once: building a TimeZone from its name reads the zone database.
enum TimeZones {
    private static let cache = NIOLockedValueBox<[String: TimeZone]>([:])

    static func named(_ identifier: String) -> TimeZone {
        if let zone = cache.withLockedValue({ $0[identifier] }) { return zone }
        let zone = TimeZone(identifier: identifier) ?? TimeZone.japan
        cache.withLockedValue { $0[identifier] = zone }
        return zone
    }
}
