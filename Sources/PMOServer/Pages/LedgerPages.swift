import Foundation
import PMOCore
import PMOStore
import Vapor

/// The budget ledger's page (`/projects/{key}/ledger`, 予算管理表): the sums per line and fiscal year, the orders with
/// their acceptance and payment, and the estimates, as the reader may see them (a vendor: its own estimates and orders).
enum LedgerPages {
    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "ledger") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let context = try await req.pageProjectContext(caller, key: key)
            let view = try await req.store.ledger.ledger(caller, key: key)
            return try await req.renderProjectPage(LedgerViews.ledger, view, title: "\(key) – \(req.pageWords["ledger.title"])",
                                                   section: "ledger", project: context.project)
        }
    }
}
