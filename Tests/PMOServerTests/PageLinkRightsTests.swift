import Foundation
import PMOCore
import PMOServer
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// A page's menu and buttons lead only where the reader may go (found by scripts/page_walk.py).
@Suite("Pages link only where the reader may go")
struct PageLinkRightsTests {
    /// A vendor's own issue and action show "Edit" on their page, and the edit form opens (it was refused with 403,
    /// because the form asked about editing in general rather than about that item).
    @Test func aVendorOpensTheEditFormOfTheirOwnItems() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let vendor = w.tokens["vendorA"]!
            let issue = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: vendor, json: ["title": "Vendor's own issue"])
            #expect(issue.status == .created)
            let action = try await t.send(.POST, "/api/v1/projects/CRM/actions", token: vendor, json: ["title": "Vendor's own action"])
            #expect(action.status == .created)
            let session = try await BrowserSession.login(t, email: "vendora@example.com")
            for path in ["/projects/CRM/issues/\(issue.json["number"] as? Int ?? 0)", "/projects/CRM/actions/\(action.json["number"] as? Int ?? 0)"] {
                let page = try await session.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.body.string.contains("\(path)/edit"), "\(path) shows Edit")
                #expect(try await session.get(path + "/edit").status == .ok, "\(path)/edit opens")
            }
        }
    }

    /// Vendors' staff do not read status reports, so the project menu has no entry for them; others keep it.
    @Test func theReportsMenuEntryIsLeftOutForVendors() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await World.make(t)
            let vendor = try await BrowserSession.login(t, email: "vendora@example.com")
            let pm = try await BrowserSession.login(t, email: "pm@example.com")
            for path in ["/projects/CRM/issues", "/projects/CRM/plan", "/projects/CRM/meetings"] {
                #expect(try await vendor.get(path).body.string.contains("/projects/CRM/reports\"") == false, "\(path) as vendor")
                #expect(try await pm.get(path).body.string.contains("/projects/CRM/reports\""), "\(path) as PM")
            }
            #expect(try await vendor.get("/projects/CRM/reports").status == .forbidden)
        }
    }
}
