import Foundation
import PMOServer
import PMOTestSupport
import Testing
import VaporTesting

@Suite struct PageSmokeTests {
    @Test func loginPageRenders() async throws {
        try await TestApp.with(.sqlite) { t in
            try await t.app.testing().test(.GET, "/login") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("<form"))
                if res.status != .ok { print(res.body.string) }
            }
            try await t.app.testing().test(.GET, "/app.css") { res in
                #expect(res.status == .ok)
            }
        }
    }
}
