import Foundation
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
            announce("PMO is listening on http://\(config.host):\(config.port)/ (database: \(config.database))")
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Opens the database (migrating it), runs `body` with the store, and closes it.
    public static func withStore<T: Sendable>(_ database: DatabaseLocation, _ body: (Store) async throws -> T) async throws -> T {
        let app = try await Application.make(.init(name: "production", arguments: ["pmo"]))
        app.logger.logLevel = .warning
        do {
            try await configure(app, ServerConfiguration(database: database))
            let result = try await body(app.store)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
