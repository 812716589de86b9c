import Foundation
import PMOCore
@testable import PMOServer
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The typed path lists name only addresses the application serves: every case, with sample parameters, matches a
/// registered route (constants equal, parameters anything), so renaming a route without its path fails here.
@Suite("Typed paths")
struct SitePathTests {
    static func matches(_ path: String, _ route: [PathComponent]) -> Bool {
        let parts = path.split(separator: "?").first.map { $0.split(separator: "#").first ?? "" } ?? ""
        let segments = parts.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        guard segments.count == route.count else { return false }
        for (segment, component) in zip(segments, route) {
            switch component {
            case .constant(let c): if c != segment { return false }
            case .parameter: continue
            default: return false
            }
        }
        return true
    }

    @Test("every plan path is a route of the application")
    func planPathsAreRoutes() async throws {
        try await TestApp.with(.sqlite) { t in
            let routes = t.app.routes.all.map(\.path)
            for sample in PlanPath.samples {
                let href = sample.href("CRM")
                #expect(routes.contains { Self.matches(href, $0) }, "\(sample) → \(href) has no route")
            }
            #expect(routes.contains { Self.matches(PlanPath.apiExport("CRM", format: "xml"), $0) })
            #expect(routes.contains { Self.matches(PlanPath.apiExport("CRM", format: "csv"), $0) })
            // The matcher itself refuses a path the application does not serve.
            #expect(!routes.contains { Self.matches("/projects/CRM/plan/no-such-page", $0) })
        }
    }

    @Test("every resource and levelling path is a route of the application")
    func resourcePathsAreRoutes() async throws {
        try await TestApp.with(.sqlite) { t in
            let routes = t.app.routes.all.map(\.path)
            for sample in ResourcePath.samples {
                #expect(routes.contains { Self.matches(sample.href, $0) }, "\(sample) → \(sample.href) has no route")
            }
        }
    }

    @Test("every meeting path is a route of the application, and item pages are routes for every register")
    func meetingAndItemPathsAreRoutes() async throws {
        try await TestApp.with(.sqlite) { t in
            let routes = t.app.routes.all.map(\.path)
            for sample in MeetingPath.samples {
                let href = sample.href("CRM")
                #expect(routes.contains { Self.matches(href, $0) }, "\(sample) → \(href) has no route")
            }
            for type in ItemType.allCases {
                let href = ItemPath.href("CRM", type, 3)
                #expect(routes.contains { Self.matches(href, $0) }, "\(type) → \(href) has no route")
            }
            #expect(ItemPath.href("CRM", reference: "CRM-A3") == "/projects/CRM/actions/3")
            #expect(ItemPath.href("CRM", reference: "not a reference") == nil)
        }
    }

    @Test("every project and application path is a route of the application")
    func projectAndAppPathsAreRoutes() async throws {
        try await TestApp.with(.sqlite) { t in
            let routes = t.app.routes.all.map(\.path)
            for sample in ProjectPath.samples {
                let href = sample.href("CRM")
                #expect(routes.contains { Self.matches(href, $0) }, "\(sample) → \(href) has no route")
            }
            for sample in AppPath.samples {
                #expect(routes.contains { Self.matches(sample.href, $0) }, "\(sample) → \(sample.href) has no route")
            }
            #expect(ProjectPath.item(.issue, 4).href("CRM", fragment: "comments") == "/projects/CRM/issues/4#comments")
            #expect(ProjectPath.export(.risk, .csv).href("CRM", query: "open=true") == "/projects/CRM/risks/export.csv?open=true")
            #expect(AppPath.login(next: "/projects/CRM") == "/login?next=%2Fprojects%2FCRM")
        }
    }

    @Test("paths encode what is not plain in a key, and a form's back address stays in its project")
    func encodingAndBack() {
        #expect(PlanPath.activity(12).href("CRM") == "/projects/CRM/plan/activities/12")
        #expect(PlanPath.wbs.href("CRM", query: "level=2") == "/projects/CRM/plan?level=2")
        #expect(PlanPath.wbsRow("CRM", 7) == "/projects/CRM/plan#a7")
        #expect(PlanPath.wbs.href("A B/C") == "/projects/A%20B%2FC/plan")
        #expect(PlanPath.back("/projects/CRM/plan/progress", key: "CRM") == "/projects/CRM/plan/progress")
        #expect(PlanPath.back("https://evil.example/projects/CRM/", key: "CRM") == nil)
        #expect(PlanPath.back("/projects/CRMX/plan", key: "CRM") == nil)
        #expect(SitePath.query([("a", "x y&z"), ("b", nil), ("c", "1")]) == "a=x%20y%26z&c=1")
    }
}
