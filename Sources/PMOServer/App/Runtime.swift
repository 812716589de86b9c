import Foundation
import PMODemo
import PMOPasswords
import PMOStore
import Vapor

/// Starts the application for the command line, so that the CLI needs no Vapor types of its own.
public enum Runtime {
    /// Runs the server until it is stopped. `demo` loads the demo first; `announce` prints lines for the user.
    public static func serve(_ config: ServerConfiguration, demo: Bool, announce: @Sendable (String) -> Void) async throws {
        var environment = Environment(name: "production", arguments: ["pmo"])
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        do {
            try await configure(app, config)
            if demo {
                switch try await DemoData.load(into: app.store) {
                case .loaded(let logins):
                    announce("Demo loaded. Sign in with one of these (password for all: \(DemoData.password)):")
                    for login in logins { announce("  \(login.email.padding(toLength: 24, withPad: " ", startingAt: 0)) \(login.role)") }
                case .skipped(let reason):
                    announce("Demo not loaded: \(reason)")
                }
            }
            // Start the server ourselves so the address is announced only once it really accepts connections.
            app.http.server.configuration.shutdownTimeout = .milliseconds(Int64(config.shutdownTimeout * 1000))
            try await app.server.start(address: .hostname(config.host, port: config.port))
            announce("PMO is listening on http://\(config.host):\(config.port)/ (database: \(config.database))")
            let jobs = JobRunner(app.store, webhooks: config.webhookSender, mail: config.mailSender, logger: app.logger)
            await waitForTerminationSignal()
            await jobs.stop()
            // A graceful stop: no new connections, idle ones closed, requests in flight finished (up to the shutdown
            // timeout), and only then the database closed, so that no request in flight meets a closed pool.
            announce("Stopping: finishing the requests in flight (at most \(Int(config.shutdownTimeout)) s).")
            let started = Date()
            await app.server.shutdown()
            // Connections are closed now, but a handler whose client went away may still be running: wait for it too.
            let left = max(0, config.shutdownTimeout - Date().timeIntervalSince(started))
            if !(await app.requestsInFlight.drained(within: .milliseconds(Int64(left * 1000)))) {
                announce("\(app.requestsInFlight.count) requests were still running at the shutdown timeout; they will fail.")
            }
            announce("Stopped accepting; requests finished in \(String(format: "%.1f", Date().timeIntervalSince(started))) s. Closing the database.")
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Opens the database (migrating it), runs `body` with the store, and closes it, without starting the web
    /// application (the CLI's commands other than `serve`).
    public static func withStore<T: Sendable>(_ database: DatabaseLocation, _ body: (Store) async throws -> T) async throws -> T {
        try await StoreHost.with(database, passwords: BcryptHasher(), body)
    }

    /// Suspends until SIGINT or SIGTERM arrives.
    static func waitForTerminationSignal() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "pmo.signals")
            let once = SignalOnce(continuation)
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { once.fire() }
                source.resume()
                once.keep(source)
            }
        }
    }
}

/// Resumes a continuation on the first signal only, and keeps the signal sources alive until then.
private final class SignalOnce: @unchecked Sendable {
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }

    func keep(_ source: any DispatchSourceSignal) { lock.withLock { sources.append(source) } }

    func fire() {
        let c = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { continuation = nil }
            return continuation
        }
        c?.resume()
    }
}
