import Foundation
import PMOServer
import PMOTestSupport
import Testing
import VaporTesting

@Suite("Pages")
struct PageTests {
    @Test func mainFlowWorksWithoutJavaScriptInBothLanguages() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let s = try await BrowserSession.login(t, email: "pmo@example.com")
            // The user's setting (en) wins over Accept-Language.
            let home = try await s.get("/projects/CRM", language: "ja")
            #expect(home.status == .ok)
            #expect(home.body.string.contains("<html lang=\"en\""))
            #expect(home.body.string.contains("Needs attention"))

            // Create an issue through the form, with a title that must be escaped.
            let created = try await s.post("/projects/CRM/issues", [
                "title": "<script>alert('x')</script> 名寄せ", "priority": "high", "status": "open", "escalationLevel": "1",
                "visibility": "project", "dueDate": "2020-01-01", "owner": "", "companyId": "",
            ])
            #expect(created.status == .seeOther)
            #expect(created.headers.first(name: .location) == "/projects/CRM/issues/1")
            let detail = try await s.get("/projects/CRM/issues/1")
            #expect(detail.status == .ok)
            #expect(!detail.body.string.contains("<script>alert"))
            #expect(detail.body.string.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; 名寄せ") ||
                    detail.body.string.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 名寄せ"))
            #expect(detail.body.string.contains("Overdue"))
            #expect(detail.body.string.contains("Unowned"))

            // A bad date comes back as the form with the field named, and nothing is stored.
            let bad = try await s.post("/projects/CRM/issues", ["title": "x", "dueDate": "2026-13-01"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("dueDate"))

            // Edit with a stale version shows the conflict instead of overwriting.
            let edit = try await s.get("/projects/CRM/issues/1/edit")
            #expect(edit.status == .ok)
            #expect(try await s.post("/projects/CRM/issues/1", ["title": "renamed", "version": "1", "status": "in_progress"]).status == .seeOther)
            let stale = try await s.post("/projects/CRM/issues/1", ["title": "lost update", "version": "1"])
            #expect(stale.status == .conflict)
            let list = try await s.get("/projects/CRM/issues?status=in_progress")
            #expect(list.body.string.contains("renamed"))
            #expect(!list.body.string.contains("lost update"))

            // Comment and history tab.
            #expect(try await s.post("/projects/CRM/issues/1/comments", ["body": "見ました <b>"]).status == .seeOther)
            let history = try await s.get("/projects/CRM/issues/1?tab=history")
            #expect(history.body.string.contains("renamed"))
            #expect(history.body.string.contains("In progress"))
            #expect(!history.body.string.contains("in_progress"))
            let withComment = try await s.get("/projects/CRM/issues/1").body.string
            #expect(withComment.contains("見ました &lt;b&gt;"))

            // Japanese for a Japanese user.
            _ = try await t.store.accounts.updateUser(by: w.admin, id: w.users["member"]!.userID, expectedVersion: nil, locale: "ja")
            let ja = try await BrowserSession.login(t, email: "member@example.com")
            let jaList = try await ja.get("/projects/CRM/issues")
            #expect(jaList.body.string.contains("<html lang=\"ja\""))
            #expect(jaList.body.string.contains("課題"))
            #expect(jaList.body.string.contains("期限超過"))
        }
    }

    @Test func loginPageFollowsAcceptLanguage() async throws {
        try await TestApp.with(.sqlite) { t in
            let ja = try await t.send(.GET, "/login", headers: [("Accept-Language", "ja,en;q=0.5")]).body.string
            let en = try await t.send(.GET, "/login", headers: [("Accept-Language", "en-US,ja;q=0.3")]).body.string
            #expect(ja.contains("ログイン") && ja.contains("lang=\"ja\""))
            #expect(en.contains("Sign in") && en.contains("lang=\"en\""))
        }
    }

    @Test func vendorPagesHideOtherCompaniesItems() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            _ = try await t.createIssue(pmo, ["title": "visible-to-all"])
            _ = try await t.createIssue(pmo, ["title": "only-for-B", "visibility": "company", "visibilityCompanyId": w.vendorB.uuidString])
            _ = try await t.createIssue(pmo, ["title": "internal-only", "visibility": "internal"])
            let a = try await BrowserSession.login(t, email: "vendora@example.com")
            let list = try await a.get("/projects/CRM/issues").body.string
            #expect(list.contains("visible-to-all"))
            #expect(!list.contains("only-for-B") && !list.contains("internal-only"))
            let home = try await a.get("/projects/CRM").body.string
            #expect(!home.contains("internal-only"))
            #expect(try await a.get("/projects/CRM/issues/2").status == .notFound)
            #expect(try await a.get("/projects/CRM/issues/3?tab=history").status == .notFound)
        }
    }

    @Test func adminCreatesUsersCompaniesAndMembers() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let s = try await BrowserSession.login(t, email: "sysadmin@example.com")
            #expect(try await s.post("/admin/companies", ["name": "Vendor C", "kind": "vendor"]).status == .seeOther)
            let companies = try await t.store.accounts.companies()
            let c = try #require(companies.first { $0.name == "Vendor C" })
            let created = try await s.post("/admin/users", ["email": "c.lead@example.com", "displayName": "C Lead",
                                                            "companyId": c.id!.uuidString.lowercased(), "passwordSetup": "temporary"])
            #expect(created.status == .ok)
            #expect(created.body.string.contains("code class=\"secret\""))
            let user = try #require(try await t.store.accounts.user(email: "c.lead@example.com"))
            #expect(try await s.post("/projects/CRM/members", ["userId": user.id!.uuidString, "role": "vendor"]).status == .seeOther)
            #expect(try await t.store.projects.members(w.admin, key: "CRM").contains { $0.user.email == "c.lead@example.com" && $0.role == .vendor })
            // Non-admins cannot reach administration.
            let pm = try await BrowserSession.login(t, email: "pm@example.com")
            #expect(try await pm.get("/admin/users").status == .forbidden)
        }
    }
}
