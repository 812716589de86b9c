import Foundation
@testable import PMOServer
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The report pages' typed paths name only addresses the application serves (see `SitePathTests`).
@Suite("Typed report paths")
struct ReportPathTests {
    @Test("every report path is a route of the application")
    func reportPathsAreRoutes() async throws {
        try await TestApp.with(.sqlite) { t in
            let routes = t.app.routes.all.map(\.path)
            for sample in ReportPath.samples {
                let href = sample.href("CRM")
                #expect(routes.contains { SitePathTests.matches(href, $0) }, "\(sample) → \(href) has no route")
            }
            let id = UUID()
            #expect(routes.contains { SitePathTests.matches(ReportPath.comparing("CRM", id, id), $0) })
            #expect(routes.contains { SitePathTests.matches(ReportPath.portfolio, $0) })
            #expect(!routes.contains { SitePathTests.matches("/projects/CRM/reports/\(id)/no-such-step", $0) })
        }
    }

    @Test("report paths spell ids in lower case and encode the key")
    func spelling() {
        let a = UUID(uuidString: "0DF77EFE-ABE5-46A0-ABAC-52BFA5CACE3F")!, b = UUID(uuidString: "5C2F78E5-69C8-48AA-B300-14A4FD97C7B6")!
        #expect(ReportPath.report(a).href("CRM") == "/projects/CRM/reports/0df77efe-abe5-46a0-abac-52bfa5cace3f")
        #expect(ReportPath.file(a, .markdown).href("CRM") == "/projects/CRM/reports/0df77efe-abe5-46a0-abac-52bfa5cace3f.md")
        #expect(ReportPath.issue(a).href("CRM") == "/projects/CRM/reports/0df77efe-abe5-46a0-abac-52bfa5cace3f/issue")
        #expect(ReportPath.kickoffFile(.workbook).href("CRM") == "/projects/CRM/kickoff.xlsx")
        #expect(ReportPath.comparing("CRM", a, b)
            == "/projects/CRM/reports/compare?a=0df77efe-abe5-46a0-abac-52bfa5cace3f&b=5c2f78e5-69c8-48aa-b300-14a4fd97c7b6")
        #expect(ReportPath.list.href("A B/C") == "/projects/A%20B%2FC/reports")
    }
}
