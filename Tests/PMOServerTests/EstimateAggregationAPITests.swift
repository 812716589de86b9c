import Foundation
import PMOCore
@testable import PMOServer
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// Requests for estimate and their aggregation (見積集約) through the API on both databases: estimates answering a
/// request, the options against the line's budget, the choice becoming a decided decision under the decision rights
/// (and refused for a decider without the right, nothing stored), and who sees what.
@Suite("Estimate aggregation API")
struct EstimateAggregationAPITests {
    typealias Kit = RegisterTestKit

    static func send(_ t: TestApp, _ method: HTTPMethod, _ token: String, _ path: String, _ body: [String: Any?]? = nil) async throws -> TestingHTTPResponse {
        try await t.send(method, "/api/v1/projects/CRM/" + path, token: token, json: body)
    }

    /// E1 on L1 (30,000,000, 24,000,000 ordered) to both vendors, answered by each; E2 on L3 to vendor A only.
    static func prepare(_ t: TestApp, _ w: World) async throws -> (a: String, b: String) {
        try await LedgerAPITests.prepare(t, w)
        let pmo = w.tokens["pmo"]!
        let a = w.vendorA.uuidString.lowercased(), b = w.vendorB.uuidString.lowercased()
        let e1 = try await send(t, .POST, pmo, "estimate-requests", ["line": 1, "title": "CRM 追加機能 見積依頼", "scope": "帳票10本と外部連携2本",
                                                                     "systems": ["S1"], "due": "2026-06-30", "vendorIds": [a, b]])
        #expect(e1.status == .created && e1.json["reference"] as? String == "E1", "\(e1.body.string)")
        #expect(e1.json["systems"] as? [String] == ["CRM-S1"] && (e1.json["vendors"] as? [Any])?.count == 2)
        let e2 = try await send(t, .POST, pmo, "estimate-requests", ["line": 3, "title": "2期 見積依頼", "scope": "2期の開発", "vendorIds": [a]])
        #expect(e2.status == .created, "\(e2.body.string)")
        for (vendor, amount) in [(a, 20_000_000), (b, 22_000_000)] {
            let res = try await send(t, .POST, pmo, "ledger/estimates", ["line": 1, "vendorId": vendor, "amount": amount, "received": "2026-06-20",
                                                                         "effort": 30, "request": 1])
            #expect(res.status == .created && res.json["request"] as? Int == 1, "\(res.body.string)")
        }
        return (a, b)
    }

    @Test(arguments: TestDatabase.available)
    func theChosenOptionBecomesADecisionUnderTheDecisionRights(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let (a, b) = try await Self.prepare(t, w)

            // Refusals on the way in, each naming its field.
            let estimates = try await Self.send(t, .GET, pmo, "estimate-requests/1").json["estimates"] as? [[String: Any]] ?? []
            #expect(estimates.count == 2, "only the two answering E1, not the line's other estimates")
            let aEstimate = try #require(estimates.first { $0["vendorId"] as? String == a }?["id"] as? String)
            let otherEstimate = try #require((try await Self.send(t, .GET, pmo, "ledger").json["estimates"] as? [[String: Any]])?
                .first { $0["request"] == nil || $0["request"] is NSNull }?["id"] as? String)
            for (body, expected) in [
                (["line": 3, "vendorId": a, "amount": 1, "received": "2026-06-20", "request": 1] as [String: Any?], "request:other_line"),
                (["line": 3, "vendorId": b, "amount": 1, "received": "2026-06-20", "request": 2], "request:vendor_not_asked"),
                (["line": 1, "vendorId": a, "amount": 1, "received": "2026-06-20", "request": 99], "request:not_found"),
            ] {
                let res = try await Self.send(t, .POST, pmo, "ledger/estimates", body)
                #expect(Kit.errors(res) == [expected], "\(res.body.string)")
            }
            for (body, expected) in [
                (["line": 1, "title": "x", "scope": "y", "vendorIds": [UUID().uuidString]] as [String: Any?], "vendorIds:unknown"),
                (["line": 1, "title": "x", "scope": "y", "systems": ["S9"], "vendorIds": [a]], "systems:not_found"),
                (["line": 99, "title": "x", "scope": "y", "vendorIds": [a]], "line:not_found"),
            ] {
                let res = try await Self.send(t, .POST, pmo, "estimate-requests", body)
                #expect(Kit.errors(res) == [expected], "\(res.body.string)")
            }
            let options: [[String: Any?]] = [
                ["title": "A. 全機能", "cost": 20_000_000, "scheduleDays": 0, "effort": 30, "pros": "一括", "cons": "予算超過", "estimateId": aEstimate],
                ["title": "B. 帳票を絞る", "cost": 5_500_000, "scheduleDays": -5, "effort": 9.5, "pros": "予算内", "cons": "帳票は次期"],
                ["title": "C. 見送り", "cost": 0, "scheduleDays": 20],
            ]
            var bad = options
            bad[1]["title"] = "A. 全機能"
            bad[2]["estimateId"] = otherEstimate
            let refused = try await Self.send(t, .PUT, pmo, "estimate-requests/1/options", ["options": bad])
            #expect(Kit.errors(refused) == ["options[1].title:duplicate", "options[2].estimateId:not_in_request"], "\(refused.body.string)")
            #expect((try await Self.send(t, .GET, pmo, "estimate-requests/1").json["options"] as? [Any])?.isEmpty == true, "nothing stored")

            let saved = try await Self.send(t, .PUT, pmo, "estimate-requests/1/options", ["options": options])
            #expect(saved.status == .ok, "\(saved.body.string)")
            // L1: 30,000,000 budgeted, 24,000,000 ordered: 6,000,000 left.
            #expect(saved.json["budget"] as? Int == 30_000_000 && saved.json["remaining"] as? Int == 6_000_000)
            let shown = saved.json["options"] as? [[String: Any]] ?? []
            #expect(shown.map { $0["overBudget"] as? Int } == [14_000_000, 0, 0])
            #expect(shown.map { $0["effort"] as? Double } == [30, 9.5, nil] && shown.map { $0["scheduleDays"] as? Int } == [0, -5, 20])

            // The budget right belongs to the steering committee (the PMO role): a PM named as the decider is refused.
            let rights = try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: pmo, json: ["items": [
                ["category": "budget", "authority": "ステアリングコミッティ", "roles": ["pmo"]]]])
            #expect(rights.status == .ok, "\(rights.body.string)")
            let pm = w.users["pm"]!.userID.uuidString.lowercased(), pmoID = w.users["pmo"]!.userID.uuidString.lowercased()
            let noRight = try await Self.send(t, .POST, pmo, "estimate-requests/1/decision", ["option": 1, "deciderId": pm])
            #expect(noRight.status == .forbidden && noRight.json["code"] as? String == "decision.no_right", "\(noRight.body.string)")
            let stranger = try await Self.send(t, .POST, pmo, "estimate-requests/1/decision", ["option": 1, "deciderId": UUID().uuidString.lowercased()])
            #expect(stranger.status == .unprocessableEntity && MeetingAPITests.errorCodes(stranger)["deciderId"] == "not_member", "\(stranger.body.string)")
            #expect(noRight.body.string.contains("ステアリングコミッティ"))
            #expect((try await t.send(.GET, "/api/v1/projects/CRM/decisions", token: pmo).json["items"] as? [Any])?.isEmpty == true, "no decision stored")
            #expect(try await Self.send(t, .POST, pmo, "estimate-requests/1/decision", ["option": 4, "deciderId": pmoID]).status == .unprocessableEntity)

            let chosen = try await Self.send(t, .POST, pmo, "estimate-requests/1/decision",
                                             ["option": 2, "deciderId": pmoID, "rationale": "予算内に収める"])
            #expect(chosen.status == .created && chosen.json["decision"] as? String == "CRM-D1", "\(chosen.body.string)")
            #expect((chosen.json["options"] as? [[String: Any]])?.map { $0["chosen"] as? Bool } == [false, true, false])
            let decision = try await t.send(.GET, "/api/v1/projects/CRM/decisions/1", token: pmo).json
            #expect(decision["status"] as? String == "decided" && decision["title"] as? String == "CRM 追加機能 見積依頼", "\(decision)")
            let fields = decision["fields"] as? [String: Any] ?? decision
            #expect(fields["category"] as? String == "budget" && fields["decision"] as? String == "B. 帳票を絞る" && fields["rationale"] as? String == "予算内に収める",
                    "\(decision)")
            #expect(fields["authority"] as? String == "ステアリングコミッティ", "\(decision)")
            let decisionOptions = fields["options"] as? [[String: Any]] ?? []
            #expect(decisionOptions.map { $0["title"] as? String } == ["A. 全機能", "B. 帳票を絞る", "C. 見送り"])
            #expect(decisionOptions.map { $0["cost"] as? Double } == [20_000_000, 5_500_000, 0])
            #expect(decisionOptions.map { $0["effortHours"] as? Double } == [4_800, 1_520, nil], "person-months at 160 hours")
            #expect(decision["visibility"] as? String == "internal", "vendors never read the options' costs")

            // Decided: the options are the decision's record; a second choice is refused.
            let again = try await Self.send(t, .PUT, pmo, "estimate-requests/1/options", ["options": options])
            #expect(again.status == .conflict && again.json["code"] as? String == "estimate_request.decided")
            #expect(try await Self.send(t, .POST, pmo, "estimate-requests/1/decision", ["option": 1, "deciderId": pmoID]).status == .conflict)
        }
    }

    /// A option resting on an estimate makes it the line's chosen estimate; vendors, members and viewers see what
    /// they may, and only the PMO, PMs and admins write.
    @Test(arguments: TestDatabase.available)
    func eachRoleSeesWhatItMayOfTheRequests(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let (a, _) = try await Self.prepare(t, w)
            let request = try await Self.send(t, .GET, pmo, "estimate-requests/1").json
            let aEstimate = try #require((request["estimates"] as? [[String: Any]])?.first { $0["vendorId"] as? String == a }?["id"] as? String)
            #expect(try await Self.send(t, .PUT, pmo, "estimate-requests/1/options", ["options": [
                ["title": "Vendor A の案", "cost": 20_000_000, "estimateId": aEstimate], ["title": "秘密の代案", "cost": 7_777_777]]]).status == .ok)
            let pmoID = w.users["pmo"]!.userID.uuidString.lowercased()
            #expect(try await Self.send(t, .POST, pmo, "estimate-requests/1/decision", ["option": 1, "deciderId": pmoID]).status == .created)
            let ledger = try await Self.send(t, .GET, pmo, "ledger").json
            #expect((ledger["estimates"] as? [[String: Any]])?.first { $0["id"] as? String == aEstimate }?["chosen"] as? Bool == true)
            // Ordered from the chosen estimate, the line is overrun; the request still shows the room its options had.
            let order = try await Self.send(t, .POST, pmo, "ledger/orders", ["line": 1, "vendorId": a, "title": "追加機能", "amount": 20_000_000,
                                                                            "orderDate": "2026-07-01", "estimateId": aEstimate, "overrunReason": "決定 D1"])
            #expect(order.status == .created, "\(order.body.string)")
            #expect(LedgerAPITests.row(try await Self.send(t, .GET, pmo, "ledger").json, line: 1)?["remaining"] as? Int == -14_000_000)
            #expect(try await Self.send(t, .GET, pmo, "estimate-requests/1").json["remaining"] as? Int == 6_000_000)

            for role in ["admin", "pmo", "pm"] {
                let list = try await Self.send(t, .GET, w.tokens[role]!, "estimate-requests").json["items"] as? [[String: Any]] ?? []
                #expect(list.map { $0["reference"] as? String } == ["E1", "E2"] && (list.first?["options"] as? [Any])?.count == 2, "\(role)")
            }
            // Vendor A: both requests (it was asked), its own estimate, no options, no budget, nothing of vendor B's.
            let vendorA = try await Self.send(t, .GET, w.tokens["vendorA"]!, "estimate-requests")
            let aList = vendorA.json["items"] as? [[String: Any]] ?? []
            #expect(aList.map { $0["reference"] as? String } == ["E1", "E2"])
            #expect((aList.first?["estimates"] as? [Any])?.count == 1 && (aList.first?["options"] as? [Any])?.isEmpty == true)
            #expect((aList.first?["vendors"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Vendor A"])
            for secret in ["22000000", "Vendor B", "30000000", "7777777", "秘密の代案", "CRM-D1"] { #expect(!vendorA.body.string.contains(secret), "\(secret)") }
            // Vendor B was asked for E1 only; E2 is as absent as a request that does not exist.
            let bList = try await Self.send(t, .GET, w.tokens["vendorB"]!, "estimate-requests").json["items"] as? [[String: Any]] ?? []
            #expect(bList.map { $0["reference"] as? String } == ["E1"])
            let hidden = try await Self.send(t, .GET, w.tokens["vendorB"]!, "estimate-requests/2")
            #expect(hidden.status == .notFound && hidden.json["code"] as? String == "estimate_request.not_found")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/decisions/1", token: w.tokens["vendorA"]!).status == .notFound, "the decision is internal")

            // Members and viewers see none until granted the commercial right.
            for role in ["member", "viewer"] {
                #expect((try await Self.send(t, .GET, w.tokens[role]!, "estimate-requests").json["items"] as? [Any])?.isEmpty == true, "\(role)")
                #expect(try await Self.send(t, .GET, w.tokens[role]!, "estimate-requests/1").status == .notFound, "\(role)")
            }
            let member = w.users["member"]!.userID.uuidString.lowercased()
            #expect(try await t.send(.PUT, "/api/v1/projects/CRM/memberships/\(member)/commercial", token: pmo, json: ["granted": true]).status == .ok)
            #expect((try await Self.send(t, .GET, w.tokens["member"]!, "estimate-requests/1").json["options"] as? [Any])?.count == 2)

            // Writes: the PMO, PMs and admins only.
            for role in ["vendorA", "member", "viewer"] {
                let token = w.tokens[role]!
                #expect(try await Self.send(t, .POST, token, "estimate-requests", ["line": 1, "title": "x", "scope": "y", "vendorIds": [a]]).status == .forbidden, "\(role)")
                #expect(try await Self.send(t, .PUT, token, "estimate-requests/2/options", ["options": []]).status == .forbidden, "\(role)")
                #expect(try await Self.send(t, .POST, token, "estimate-requests/2/decision", ["option": 1, "deciderId": pmoID]).status == .forbidden, "\(role)")
            }
            #expect(try await Self.send(t, .GET, w.tokens["outsider"]!, "estimate-requests").status == .notFound)
        }
    }
}
