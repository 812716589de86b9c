import Vapor

/// The methods each path answers, so that a known path asked with another method gets 405 with `Allow` instead of
/// a 404 that says the path does not exist.
struct AllowedMethods: Sendable {
    private struct Pattern: Sendable {
        var parts: [PathComponent]
        var method: HTTPMethod
    }
    private let patterns: [Pattern]

    init(_ routes: [Route]) {
        patterns = routes.map { Pattern(parts: $0.path, method: $0.method) }
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
