import Foundation
@testable import PMOServer
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// When no database connection comes free within the pool's wait (an overloaded server), a request is answered 503
/// with Retry-After, in the API's problem shape or as a page, never as a 500.
@Suite("A busy server")
struct BusyServerTests {
    struct PoolTimedOut: AsyncResponder {
        func respond(to request: Request) async throws -> Response { throw ConnectionPoolTimeoutError.connectionRequestTimeout }
    }

    @Test func aConnectionPoolTimeoutIs503WithRetryAfter() async throws {
        try await TestApp.with(.sqlite) { t in
            for path in ["/api/v1/projects/CRM/issues", "/projects/CRM/issues"] {
                let req = Request(application: t.app, method: .GET, url: URI(path: path), on: t.app.eventLoopGroup.next())
                let res = try await ErrorMiddleware().respond(to: req, chainingTo: PoolTimedOut())
                #expect(res.status == .serviceUnavailable, "\(path)")
                #expect(res.headers.first(name: .retryAfter) == String(ErrorMiddleware.busyRetrySeconds), "\(path)")
                let body = res.body.string ?? ""
                if path.hasPrefix("/api/") {
                    #expect(res.headers.contentType == Problem.contentType)
                    #expect(body.contains("\"code\":\"server.busy\""), "\(body)")
                } else {
                    #expect(res.headers.contentType?.subType == "html")
                    #expect(body.contains("503"), "\(body.prefix(400))")
                }
            }
        }
    }
}
