import Vapor

/// The methods each path answers, so that a known path asked with another method gets 405 with `Allow` instead of
/// a 404 that says the path does not exist.
struct AllowedMethods: Sendable {
    private struct Pattern: Sendable {
        var parts: [PathComponent]
        var method: HTTPMethod
    }
    private let patterns: [Pattern]
    /// Every constant segment of every route: a parameter whose value is one of these may stand where another
    /// route has that constant (`DELETE …/decisions/import` is routed to `DELETE …/decisions/:n`).
    private let constants: Set<String>

    init(_ routes: [Route]) {
        patterns = routes.map { Pattern(parts: $0.path, method: $0.method) }
        var constants = Set<String>()
        for route in routes {
            for case .constant(let c) in route.path { constants.insert(c) }
        }
        self.constants = constants
    }

    /// Whether the router sent this request to a route by taking as a parameter a segment that names another
    /// path (one of the route constants). Cheap for ordinary requests: one set lookup per parameter.
    func mayShadow(_ route: Route, path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        for (i, part) in route.path.enumerated() where i < segments.count {
            if case .parameter = part, constants.contains(String(segments[i])) { return true }
        }
        return false
    }

    /// The methods registered for `path` (with HEAD beside GET, as the server answers it), sorted; empty when none.
    /// Like the router, a constant segment is preferred to a parameter: `/actions/import` is the import operation,
    /// not an action numbered "import", so only the import's methods are listed.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var candidates = patterns.filter { Self.matches($0.parts, segments) }
        for (i, segment) in segments.enumerated() {
            let exact = candidates.filter { i < $0.parts.count && $0.parts[i] == .constant(segment) }
            if !exact.isEmpty { candidates = exact }
        }
        var found = Set<String>()
        for p in candidates {
            found.insert(p.method.rawValue)
            if p.method == .GET { found.insert("HEAD") }
        }
        return found.sorted()
    }

    private static func matches(_ parts: [PathComponent], _ segments: [String]) -> Bool {
        var i = 0
        for part in parts {
            switch part {
            case .catchall: return i < segments.count
            case .anything, .parameter:
                guard i < segments.count else { return false }
            case .constant(let c):
                guard i < segments.count, segments[i] == c else { return false }
            }
            i += 1
        }
        return i == segments.count
    }
}

struct AllowedMethodsKey: StorageKey { typealias Value = AllowedMethods }

/// The router matches by method first, so `DELETE …/decisions/import` reaches `DELETE …/decisions/:n` and would be
/// refused for a missing `If-Match` instead of answered 405. When a parameter stands on a segment another route
/// names as a constant, and that path does not answer this method, the request is answered as not routed (the
/// error middleware then says 405 with `Allow`) before the handler runs.
struct ShadowedRouteGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let route = request.route, let allowed = request.application.storage[AllowedMethodsKey.self],
           allowed.mayShadow(route, path: request.url.path) {
            let methods = allowed.methods(for: request.url.path)
            if !methods.isEmpty && !methods.contains(request.method.rawValue) { throw Abort(.notFound) }
        }
        return try await next.respond(to: request)
    }
}
