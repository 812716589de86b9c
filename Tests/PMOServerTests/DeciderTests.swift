import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

@testable import PMOServer

/// The person named as a decision's decider records it whatever their project role (an executive with the viewer role
/// included), and nothing else, provided the decision-rights table gives them the right; otherwise the page says whose
/// right it is.
@Suite("Deciders decide")
struct DeciderTests {
    @Test(arguments: TestDatabase.available)
    func aViewerNamedAsDeciderRecordsTheDecisionAndNothingElse(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.users["pmo"]!, viewer = w.users["viewer"]!
            let viewerID = UserID(viewer.userID)
            _ = try await t.store.items.setDecisionRights(pmo, key: "CRM", rights: [
                DecisionRight(category: "budget", authority: "Steering committee", roles: [.pmo], userIDs: [viewerID]),
                DecisionRight(category: "architecture", authority: "Chief architect", roles: [.pm]),
            ])
            func decision(_ title: String, category: String, decider: UserID) async throws -> Int {
                try await t.store.items.createRegisterItem(pmo, key: "CRM", kind: .decision, fields: RegisterItemFields(
                    title: title, status: "pending",
                    details: ["category": .text(category), "decider": .user(decider), "context": .text("Why it matters")])).record.number
            }
            let budget = try await decision("Second rehearsal budget", category: "budget", decider: viewerID)
            let architecture = try await decision("Message broker", category: "architecture", decider: viewerID)
            let notMine = try await decision("Office move", category: "budget", decider: UserID(pmo.userID))
            let token = w.tokens["viewer"]!
            let path = "/api/v1/projects/CRM/decisions"

            // Anything beyond the outcome is refused, and so is a decision the viewer is not named on.
            let retitle = try await t.send(.PATCH, "\(path)/\(budget)", token: token,
                                           json: ["status": "decided", "title": "Bigger budget", "decision": "Yes"], headers: [("If-Match", "*")])
            #expect(retitle.status == .forbidden)
            #expect(retitle.problemCode == "decision.edit_forbidden")
            #expect(try await t.send(.PATCH, "\(path)/\(notMine)", token: token, json: ["status": "decided", "decision": "Yes"],
                                     headers: [("If-Match", "*")]).status == .forbidden)
            // Without the right for the category, the answer names whose it is.
            let noRight = try await t.send(.PATCH, "\(path)/\(architecture)", token: token, json: ["status": "decided", "decision": "Kafka"],
                                           headers: [("If-Match", "*")])
            #expect(noRight.status == .forbidden)
            #expect(noRight.problemCode == "decision.no_right")
            #expect((noRight.json["detail"] as? String)?.contains("Chief architect") == true)
            let untouched = try await t.store.items.registerItem(pmo, key: "CRM", kind: .decision, number: budget)
            #expect(untouched.record.status == "pending" && untouched.record.title == "Second rehearsal budget")

            // The decision itself: recorded, with the authority and the decider's date, in the audit trail.
            let decided = try await t.send(.PATCH, "\(path)/\(budget)", token: token,
                                           json: ["status": "decided", "decision": "Approve ¥3M", "rationale": "Needed for go-live"],
                                           headers: [("If-Match", "*")])
            #expect(decided.status == .ok, "\(decided.body.string)")
            let stored = try await t.store.items.registerItem(pmo, key: "CRM", kind: .decision, number: budget)
            #expect(stored.record.status == "decided")
            #expect(stored.fields.details["decision"]?.text == "Approve ¥3M")
            #expect(stored.fields.details["authority"]?.text == "Steering committee")
            #expect(stored.fields.details["decidedOn"] != nil)
            let history = try await t.store.items.history(pmo, key: "CRM", type: .decision, number: budget)
            #expect(history.last?.actorName == "viewer" && history.last?.action == "update")

            // On the pages: the form for the decision the viewer may decide, the holder's name for the one it may not.
            let browser = try await BrowserSession.login(t, email: "viewer@example.com")
            let other = try await decision("Test environment budget", category: "budget", decider: viewerID)
            let page = try await browser.get("/projects/CRM/decisions/\(other)").body.string
            #expect(page.contains("id=\"decide-form\""))
            #expect(!page.contains("href=\"/projects/CRM/decisions/\(other)/edit\""))
            let refusedPage = try await browser.get("/projects/CRM/decisions/\(architecture)").body.string
            #expect(refusedPage.contains("id=\"decide-belongs-to\""))
            #expect(refusedPage.contains("Chief architect"))
            #expect(!refusedPage.contains("id=\"decide-form\""))
            let posted = try await browser.post("/projects/CRM/decisions/\(other)/decide",
                                                ["outcome": "deferred", "decision": "Decide after the rehearsal", "rationale": ""])
            #expect(posted.status == .seeOther, "\(posted.body.string)")
            #expect(try await t.store.items.registerItem(pmo, key: "CRM", kind: .decision, number: other).record.status == "deferred")
            let after = try await browser.get("/projects/CRM/decisions/\(other)").body.string
            #expect(!after.contains("id=\"decide-form\""), "a decision no longer open offers no form")
        }
    }

    /// The approver named on a change request approves or rejects it whatever their role, and nothing else, when the
    /// decision-rights table gives them the right to approve specification changes; otherwise the page says whose it is.
    @Test(arguments: TestDatabase.available)
    func aViewerNamedAsApproverApprovesTheChangeAndNothingElse(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.users["pmo"]!, viewer = w.users["viewer"]!
            let viewerID = UserID(viewer.userID)
            func change(_ title: String, approver: UserID) async throws -> Int {
                try await t.store.items.createRegisterItem(pmo, key: "CRM", kind: .change, fields: RegisterItemFields(
                    title: title, status: "assessing", details: ["reason": .text("Why"), "approver": .user(approver)])).record.number
            }
            let mine = try await change("Add a field to the order screen", approver: viewerID)
            let notMine = try await change("Drop the fax export", approver: UserID(pmo.userID))
            let token = w.tokens["viewer"]!
            let path = "/api/v1/projects/CRM/changes"

            // Without a row for specification changes the right is the admin's, PMO's and PM's: the viewer is told so.
            let session = try await BrowserSession.login(t, email: "viewer@example.com")
            let before = try await session.get("/projects/CRM/changes/\(mine)").body.string
            #expect(before.contains("id=\"approve-belongs-to\""))
            let noRight = try await t.send(.PATCH, "\(path)/\(mine)", token: token, json: ["status": "approved"], headers: [("If-Match", "*")])
            #expect(noRight.status == .forbidden)
            #expect(noRight.problemCode == "change.no_right")

            _ = try await t.store.items.setDecisionRights(pmo, key: "CRM", rights: [
                DecisionRight(category: DecisionRights.specificationChange, authority: "Business owner", roles: [.pmo], userIDs: [viewerID]),
            ])
            // More than the approval, or a change the viewer is not named on: refused.
            let retitle = try await t.send(.PATCH, "\(path)/\(mine)", token: token, json: ["status": "approved", "title": "Bigger"],
                                           headers: [("If-Match", "*")])
            #expect(retitle.problemCode == "change.edit_forbidden")
            let other = try await t.send(.PATCH, "\(path)/\(notMine)", token: token, json: ["status": "approved"], headers: [("If-Match", "*")])
            #expect(other.problemCode == "change.edit_forbidden")

            // The page offers the form; approving records who and when.
            let page = try await session.get("/projects/CRM/changes/\(mine)").body.string
            #expect(page.contains("id=\"approve-form\""))
            let version = try await t.store.items.registerItem(pmo, key: "CRM", kind: .change, number: mine).record.version
            let approved = try await session.post("/projects/CRM/changes/\(mine)/approve", ["outcome": "approved", "version": "\(version)"])
            #expect(approved.status == .seeOther, "\(approved.body.string)")
            let item = try await t.store.items.registerItem(pmo, key: "CRM", kind: .change, number: mine)
            #expect(item.record.status == "approved")
            #expect(item.fields.details["approvedBy"] == .user(viewerID))
            #expect(!(try await session.get("/projects/CRM/changes/\(mine)").body.string.contains("id=\"approve-form\"")))
            // The API names the approver as a person, and refuses one who is not a member.
            let json = try await t.send(.GET, "\(path)/\(mine)", token: w.tokens["pmo"]!).json
            #expect((json["approver"] as? [String: Any])?["id"] as? String == viewerID.description)
            #expect((json["approver"] as? [String: Any])?["name"] as? String == "viewer")
            let stranger = try await t.send(.PATCH, "\(path)/\(notMine)", token: w.tokens["pmo"]!, json: ["approver": UUID().uuidString],
                                            headers: [("If-Match", "*")])
            #expect(stranger.status == .unprocessableEntity)
        }
    }
}
