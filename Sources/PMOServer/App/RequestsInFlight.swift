import Foundation
import Vapor

/// Counts the requests whose handlers are still running, so a graceful stop closes the database only after the last
/// one has finished.
///
/// The HTTP server's own stop waits for open connections, not for handlers: a client that gives up mid-request
/// closes its connection while the handler goes on, and that handler then met a closed connection pool (logged as an
/// unexpected error; once in a while a crash at exit).
final class RequestsInFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0

    var count: Int { lock.withLock { running } }

    func enter() { lock.withLock { running += 1 } }
    func leave() { lock.withLock { running -= 1 } }

    /// Waits until no handler runs, or `timeout` has passed; tells whether all finished.
    func drained(within timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while count > 0 {
            if clock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}

/// The outermost middleware: every request is counted from its first to its last step.
struct RequestsInFlightMiddleware: AsyncMiddleware {
    let requests: RequestsInFlight

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        requests.enter()
        defer { requests.leave() }
        return try await next.respond(to: request)
    }
}

struct RequestsInFlightKey: StorageKey { typealias Value = RequestsInFlight }

extension Application {
    /// The handlers running now (one counter per application).
    var requestsInFlight: RequestsInFlight {
        if let existing = storage[RequestsInFlightKey.self] { return existing }
        let created = RequestsInFlight()
        storage[RequestsInFlightKey.self] = created
        return created
    }
}
