import Fluent
import Foundation
import PMOStore
import Vapor

/// The composition root: builds the real dependencies and the routes. Tests call the same function.
public func configure(_ app: Application, _ config: ServerConfiguration) async throws {
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.routes.defaultMaxBodySize = "2mb"
    app.storage[ServerConfigurationKey.self] = config

    try app.useDatabase(config.database, bcryptCost: config.bcryptCost)
    app.useOutbound(OutboundSettings(allow: config.webhookAllow))
    try await app.prepareDatabase()
    if config.autoMigrate { try await app.autoMigrate() }

    app.middleware = Middlewares()
    // Outermost first: every request is counted while it runs (a graceful stop waits for them), and every answer,
    // errors included, gets the security headers.
    app.middleware.use(RequestsInFlightMiddleware(requests: app.requestsInFlight))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorMiddleware())
    app.middleware.use(ShadowedRouteGuard())
    app.middleware.use(AuthenticationMiddleware())
    app.middleware.use(PasswordChangeGate())
    app.middleware.use(SavedNoticeMiddleware())
    app.middleware.use(InboxCountMiddleware())

    try StaticFiles.register(app)
    try APIRoutes.register(app)
    try PageRoutes.register(app)
    app.storage[AllowedMethodsKey.self] = AllowedMethods(app.routes.all)
}

extension Application {
    public var serverConfiguration: ServerConfiguration {
        storage[ServerConfigurationKey.self] ?? ServerConfiguration(database: .sqlite(path: DatabaseLocation.defaultPath))
    }
}

struct ServerConfigurationKey: StorageKey { typealias Value = ServerConfiguration }

/// Where the static files (the stylesheet) are: inside the module's resource bundle.
enum Resources {
    /// The bundle's copied `Resources` folder (Foundation on Linux may already point `resourceURL` inside it).
    static var root: String {
        let bundle = Bundle.module.bundleURL
        for candidate in [bundle.appendingPathComponent("Resources"), bundle] {
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("Public").path) { return candidate.path }
        }
        return bundle.appendingPathComponent("Resources").path
    }
    static var publicDirectory: String { root + "/Public/" }
}

/// Headers that make the pages safer in every browser. Answers of the API and pages for a signed-in user are never
/// stored by a browser or a proxy (`no-store`); over HTTPS, browsers are told to keep to HTTPS (HSTS).
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if !response.headers.contains(name: .cacheControl) && (request.url.path.hasPrefix("/api/") || request.caller != nil) {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        if request.arrivedOverHTTPS {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if response.headers.contentType == .html {
            response.headers.replaceOrAdd(name: "Content-Security-Policy",
                                          value: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'")
        }
        return response
    }
}

/// The few static files (the stylesheet, the plan grid's script), read once at start and served from memory.
enum StaticFiles {
    static let files: [(name: String, type: HTTPMediaType)] = [
        ("app.css", .css),
        ("plan-grid.js", HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])),
        ("mention-picker.js", HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])),
    ]

    static func register(_ app: Application) throws {
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: Resources.publicDirectory + file.name))
            app.get(PathComponent(stringLiteral: file.name)) { _ -> Response in
                let response = Response(status: .ok, body: .init(data: data))
                response.headers.contentType = file.type
                response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
                return response
            }
        }
    }
}
