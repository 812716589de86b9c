import Foundation
import PMOCore
import PMODemo
@testable import PMOServer
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The budget ledger (予算管理表) through the API on both databases: the sums of a prepared case (the same one
/// `LedgerTests` works by hand in the core), every refusal naming its field with nothing stored, and who sees what.
@Suite("Budget ledger API")
struct LedgerAPITests {
    typealias Kit = RegisterTestKit

    static func post(_ t: TestApp, _ token: String, _ path: String, _ body: [String: Any?]) async throws -> TestingHTTPResponse {
        try await t.send(.POST, "/api/v1/projects/CRM/ledger/\(path)", token: token, json: body)
    }

    /// Lines L1 (FY2026 development of S1), L2 (FY2026 internal labour), L3 (FY2027 development of S1); estimates
    /// from both vendors; order O1 (vendor A on L1, three milestones, two accepted, one paid).
    static func prepare(_ t: TestApp, _ w: World) async throws {
        let pmo = w.tokens["pmo"]!
        let a = w.vendorA.uuidString.lowercased(), b = w.vendorB.uuidString.lowercased()
        #expect(try await SystemRegisterTests.system(t, pmo, "顧客管理システム", code: "CRM").status == .created)
        for body: [String: Any?] in [["fiscalYear": 2026, "category": "development", "system": "S1", "name": "CRM開発", "original": 30_000_000],
                                     ["fiscalYear": 2026, "category": "internal_labour", "name": "社内工数", "original": 4_000_000],
                                     ["fiscalYear": 2027, "category": "development", "system": "CRM-S1", "name": "CRM開発 2期", "original": 10_000_000]] {
            let res = try await post(t, pmo, "lines", body)
            #expect(res.status == .created, "\(res.body.string)")
        }
        for (line, vendor, amount, chosen) in [(1, a, 26_000_000, false), (1, a, 24_000_000, true), (1, b, 21_000_000, false),
                                               (3, a, 15_000_000, false), (3, a, 11_000_000, false), (3, b, 12_345_678, false)] {
            let res = try await post(t, pmo, "estimates", ["line": line, "vendorId": vendor, "amount": amount, "received": "2026-04-10",
                                                           "effort": 12.5, "chosen": chosen])
            #expect(res.status == .created, "\(res.body.string)")
        }
        let order = try await post(t, pmo, "orders", [
            "line": 1, "vendorId": a, "title": "CRM構築 第1期", "contractType": "fixed_price", "amount": 24_000_000, "orderDate": "2026-05-15",
            "milestones": [["name": "要件定義 検収", "amount": 8_000_000, "plannedAcceptance": "2026-09", "accepted": "2026-09",
                            "plannedPayment": "2026-10", "paid": "2026-10", "payingDepartment": "情報システム部"],
                           ["name": "開発 検収", "amount": 10_000_000, "plannedAcceptance": "2027-03", "accepted": "2027-03", "plannedPayment": "2027-04"],
                           ["name": "移行 検収", "amount": 8_000_000, "plannedAcceptance": "2027-03", "plannedPayment": "2027-04"]]])
        #expect(order.status == .created, "\(order.body.string)")
        #expect(order.json["reference"] as? String == "O1" && order.json["orderedIncludingTax"] as? Int == 26_400_000)
    }

    static func row(_ ledger: [String: Any], line: Int) -> [String: Any]? {
        for year in ledger["years"] as? [[String: Any]] ?? [] {
            if let row = (year["rows"] as? [[String: Any]] ?? []).first(where: { $0["line"] as? Int == line }) { return row }
        }
        return nil
    }

    @Test(arguments: TestDatabase.available)
    func theLedgerSumsWhatWasBudgetedEstimatedOrderedAcceptedAndPaid(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.prepare(t, w)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: ["title": "2期へ機能を移す", "status": "assessing"]).status == .created)
            // Money moved from FY2026 to FY2027 by change C1: two revisions with one cause.
            let down = try await Self.post(t, pmo, "lines/1/revisions", ["amount": -2_000_000, "reason": "2期へ移す", "cause": "C1", "date": "2026-11-10"])
            #expect(down.status == .created, "\(down.body.string)")
            #expect(down.json["budget"] as? Int == 28_000_000)
            #expect(((down.json["revisions"] as? [[String: Any]])?.first)?["cause"] as? String == "CRM-C1")
            #expect(try await Self.post(t, pmo, "lines/3/revisions", ["amount": 2_000_000, "reason": "1期から移す", "cause": "CRM-C1"]).status == .created)

            // Change orders on O1: one agreed, one proposed from C1, one withdrawn after being proposed.
            #expect(try await Self.post(t, pmo, "orders/1/change-orders", ["amount": 2_000_000, "status": "agreed", "reason": "帳票追加"]).status == .created)
            #expect(try await Self.post(t, pmo, "orders/1/change-orders", ["amount": 1_500_000, "change": "C1"]).status == .created)
            let third = try await Self.post(t, pmo, "orders/1/change-orders", ["amount": 9_000_000, "status": "proposed"])
            let thirdID = try #require(((third.json["changeOrders"] as? [[String: Any]])?.last)?["id"] as? String)
            let withdrawn = try await t.send(.PUT, "/api/v1/projects/CRM/ledger/orders/1/change-orders/\(thirdID)", token: pmo, json: ["status": "withdrawn"])
            #expect(withdrawn.status == .ok && withdrawn.json["orderedAmount"] as? Int == 26_000_000)

            // O2 on L3 (12,000,000 after the revision) at the reduced rate is above the line: saved only with a reason.
            let order2: [String: Any?] = ["line": 3, "vendorId": w.vendorB.uuidString.lowercased(), "title": "CRM 2期", "contractType": "time_and_materials",
                                          "amount": 12_345_678, "taxRate": 8, "orderDate": "2027-04-01",
                                          "milestones": [["name": "2期 検収", "amount": 12_345_678, "plannedAcceptance": "2027-09", "plannedPayment": "2027-10"]]]
            let refused = try await Self.post(t, pmo, "orders", order2)
            #expect(refused.status == .unprocessableEntity && Kit.errors(refused) == ["overrunReason:over_budget"], "\(refused.body.string)")
            var stated = order2
            stated["overrunReason"] = "追加要件（C1）で承認済み"
            let saved = try await Self.post(t, pmo, "orders", stated)
            #expect(saved.status == .created && saved.json["overrun"] as? Bool == true && saved.json["orderedTax"] as? Int == 987_654)

            let ledger = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json
            #expect(ledger["commercial"] as? Bool == true && ledger["currency"] as? String == "JPY" && ledger["fiscalFirstMonth"] as? Int == 4)
            #expect((ledger["years"] as? [[String: Any]])?.map { $0["fiscalYear"] as? Int } == [2026, 2027])
            let l1 = try #require(Self.row(ledger, line: 1))
            #expect(l1["budget"] as? Int == 28_000_000 && l1["estimated"] as? Int == 24_000_000)
            #expect(l1["ordered"] as? Int == 26_000_000 && l1["orderedIncludingTax"] as? Int == 28_600_000)
            #expect(l1["accepted"] as? Int == 18_000_000 && l1["acceptedIncludingTax"] as? Int == 19_800_000)
            #expect(l1["paid"] as? Int == 8_000_000 && l1["paidIncludingTax"] as? Int == 8_800_000)
            #expect(l1["remaining"] as? Int == 2_000_000 && l1["expectedChanges"] as? Int == 1_500_000)
            #expect(l1["forecast"] as? Int == 27_500_000 && l1["variance"] as? Int == -500_000)
            let l3 = try #require(Self.row(ledger, line: 3))
            #expect(l3["budget"] as? Int == 12_000_000 && l3["estimated"] as? Int == 12_345_678, "the higher of each vendor's latest estimate")
            #expect(l3["orderedIncludingTax"] as? Int == 13_333_332 && l3["remaining"] as? Int == -345_678)
            let fy26 = try #require((ledger["years"] as? [[String: Any]])?.first)
            #expect(fy26["budget"] as? Int == 32_000_000 && fy26["remaining"] as? Int == 6_000_000)
            let estimates = ledger["estimates"] as? [[String: Any]] ?? []
            #expect(estimates.filter { $0["line"] as? Int == 1 }.map { $0["version"] as? Int } == [1, 2, 1])
            #expect(estimates.first?["effort"] as? Double == 12.5)

            // Recording the second payment: the milestones are replaced as a whole, with the order's version.
            let order = try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/1", token: pmo)
            let version = try #require(order.json["version"] as? Int)
            var milestones = try #require(order.json["milestones"] as? [[String: Any]])
            milestones[1]["paid"] = "2027-04"
            let inputs: [[String: Any?]] = milestones.map { m in
                ["name": m["name"], "amount": m["amount"], "plannedAcceptance": m["plannedAcceptance"], "accepted": m["accepted"] as? String,
                 "plannedPayment": m["plannedPayment"], "paid": m["paid"] as? String, "payingDepartment": m["payingDepartment"]]
            }
            let stale = try await t.send(.PUT, "/api/v1/projects/CRM/ledger/orders/1/milestones", token: pmo, json: ["milestones": inputs],
                                         headers: [("If-Match", "\"\(version - 1)\"")])
            #expect(stale.status == .conflict)
            let paid = try await t.send(.PUT, "/api/v1/projects/CRM/ledger/orders/1/milestones", token: pmo, json: ["milestones": inputs],
                                        headers: [("If-Match", "\"\(version)\"")])
            #expect(paid.status == .ok, "\(paid.body.string)")
            let after = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json
            #expect(Self.row(after, line: 1)?["paid"] as? Int == 18_000_000)
        }
    }

    @Test(arguments: TestDatabase.available)
    func badInputIsRefusedNamingTheFieldAndNothingIsStored(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.prepare(t, w)
            let a = w.vendorA.uuidString.lowercased()
            let order: [String: Any?] = ["line": 1, "vendorId": a, "title": "追加", "amount": 100, "orderDate": "2026-06-01"]
            func with(_ changes: [String: Any?]) -> [String: Any?] { order.merging(changes) { _, new in new } }
            let cases: [(String, [String: Any?], String)] = [
                ("orders", with(["orderDate": "2027-04-01"]), "orderDate:other_fiscal_year"),
                ("orders", with(["amount": -1]), "amount:out_of_range"),
                ("orders", with(["line": 9]), "line:not_found"),
                ("orders", with(["vendorId": UUID().uuidString.lowercased()]), "vendorId:unknown"),
                ("orders", with(["taxRate": 8.125]), "taxRate:too_precise"),
                ("estimates", ["line": 1, "vendorId": a, "amount": 5, "received": "2026-05-01", "effort": 1.25], "effort:too_precise"),
                ("orders", with(["milestones": [["name": "早すぎる検収", "amount": 100, "plannedAcceptance": "2026-05", "plannedPayment": "2026-06"]]]),
                 "milestones[0].plannedAcceptance:before_order"),
                ("orders", with(["milestones": [["name": "検収前の支払", "amount": 100, "plannedAcceptance": "2026-07", "plannedPayment": "2026-08",
                                                 "paid": "2026-08"]]]), "milestones[0].paid:not_accepted"),
                ("orders", with(["milestones": [["name": "月", "amount": 100, "plannedAcceptance": "2026-13", "plannedPayment": "2026-08"]]]),
                 "milestones[0].plannedAcceptance:invalid_month"),
                ("lines", ["fiscalYear": 1999, "category": "development", "name": "古い", "original": 1], "fiscalYear:out_of_range"),
                ("lines", ["fiscalYear": 2026, "category": "development", "system": "S9", "name": "無い", "original": 1], "system:not_found"),
                ("lines", ["fiscalYear": 2026, "category": "travel", "name": "旅費", "original": 1], "category:invalid_choice"),
                ("lines/1/revisions", ["amount": 0, "reason": "なし"], "amount:zero"),
                ("lines/1/revisions", ["amount": 5, "reason": "理由", "cause": "C9"], "cause:not_found"),
                ("lines/1/revisions", ["amount": 5, "reason": "理由", "cause": "I1"], "cause:invalid_reference"),
                ("estimates", ["line": 1, "vendorId": a, "amount": 5, "received": "2026-05-01", "validUntil": "2026-04-01"], "validUntil:before_received"),
            ]
            let before = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).body.string
            for (path, body, expected) in cases {
                let res = try await Self.post(t, pmo, path, body)
                #expect(res.status == .unprocessableEntity, "\(path) \(body): \(res.body.string)")
                #expect(Kit.errors(res).contains(expected), "\(path) \(body): \(res.body.string)")
            }
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).body.string == before, "nothing stored")
            // Acceptance before the order, and a payment before its acceptance, when the milestones change later.
            let early = try await t.send(.PUT, "/api/v1/projects/CRM/ledger/orders/1/milestones", token: pmo, json: ["milestones": [
                ["name": "検収", "amount": 5, "plannedAcceptance": "2026-06", "accepted": "2026-04", "plannedPayment": "2026-07", "paid": "2026-03"]]])
            #expect(Set(Kit.errors(early)) == ["milestones[0].accepted:before_order", "milestones[0].paid:before_acceptance"], "\(early.body.string)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aVendorSeesOnlyItsOwnEstimatesAndOrdersAndNoBudget(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.prepare(t, w)
            let b = try await Self.post(t, pmo, "orders", ["line": 1, "vendorId": w.vendorB.uuidString.lowercased(), "title": "B社 保守",
                                                          "amount": 1_234_567, "orderDate": "2026-06-01"])
            #expect(b.status == .created)
            for role in ["admin", "pmo", "pm"] {
                let ledger = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: w.tokens[role]!).json
                #expect(ledger["commercial"] as? Bool == true, "\(role)")
                #expect((ledger["lines"] as? [Any])?.count == 3 && (ledger["orders"] as? [Any])?.count == 2 && (ledger["estimates"] as? [Any])?.count == 6, "\(role)")
            }
            // Vendor A: its own estimates and order, no line, no sums, nothing of vendor B's.
            let a = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: w.tokens["vendorA"]!)
            #expect(a.json["commercial"] as? Bool == false)
            #expect((a.json["lines"] as? [Any])?.isEmpty == true && (a.json["years"] as? [Any])?.isEmpty == true)
            #expect((a.json["orders"] as? [[String: Any]])?.map { $0["reference"] as? String } == ["O1"])
            #expect((a.json["estimates"] as? [[String: Any]])?.count == 4)
            for secret in ["1234567", "21000000", "12345678", "Vendor B", "30000000"] { #expect(!a.body.string.contains(secret), "\(secret)") }
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/4", token: w.tokens["vendorA"]!).status == .notFound)
            let hidden = try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/2", token: w.tokens["vendorA"]!)
            #expect(hidden.status == .notFound && !hidden.body.string.contains("B社"), "the same answer as an order that does not exist")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/1", token: w.tokens["vendorA"]!).status == .ok)
            let bView = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: w.tokens["vendorB"]!).json
            #expect((bView["orders"] as? [[String: Any]])?.map { $0["reference"] as? String } == ["O2"])

            // Members and viewers of the running organisation see no money until the project grants them the right.
            for role in ["member", "viewer"] {
                let ledger = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: w.tokens[role]!).json
                #expect(ledger["commercial"] as? Bool == false && (ledger["orders"] as? [Any])?.isEmpty == true, "\(role)")
            }
            let member = w.users["member"]!.userID.uuidString.lowercased()
            let grant = try await t.send(.PUT, "/api/v1/projects/CRM/memberships/\(member)/commercial", token: pmo, json: ["granted": true])
            #expect(grant.status == .ok && grant.json["granted"] as? Bool == true)
            let granted = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: w.tokens["member"]!).json
            #expect(granted["commercial"] as? Bool == true && (granted["orders"] as? [Any])?.count == 2)
            let vendorA = w.users["vendorA"]!.userID.uuidString.lowercased()
            let refused = try await t.send(.PUT, "/api/v1/projects/CRM/memberships/\(vendorA)/commercial", token: pmo, json: ["granted": true])
            #expect(Kit.errors(refused) == ["granted:not_allowed"])
            #expect(try await t.send(.PUT, "/api/v1/projects/CRM/memberships/\(member)/commercial", token: w.tokens["member"]!,
                                     json: ["granted": true]).status == .forbidden)

            // Only the PMO, PMs and admins keep the ledger; an outsider does not learn the project exists.
            for role in ["vendorA", "member", "viewer"] {
                let res = try await Self.post(t, w.tokens[role]!, "lines", ["fiscalYear": 2026, "category": "development", "name": "x", "original": 1])
                #expect(res.status == .forbidden, "\(role)")
            }
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: w.tokens["outsider"]!).status == .notFound)
        }
    }

    /// The demo's ledger as its readers see it: the PMO in Japanese with every line and both vendors' orders; the CIO
    /// (a viewer) in English once the project grants the commercial right; a vendor's lead only its own order.
    @Test func theLedgerPageReadsInJapaneseAndEnglishAndHidesOtherVendors() async throws {
        // The demo on SQLite only: loading it takes a minute, and the API tests above cover both databases.
        try await TestApp.with(.sqlite) { t in
            _ = try await DemoData.load(into: t.store, bcryptCost: 4)
            let pmo = try Caller(try #require(try await t.store.accounts.user(email: "pmo@demo.pmo")))
            let view = try await t.store.ledger.ledger(pmo, key: "CRM")
            let ledger = try #require(view.ledger)
            #expect(ledger.years.count == 2 && view.orders.count == 3 && view.estimates.count == 5)
            // The interface order is paid from the integration platform's line and the new CRM's.
            #expect(view.orders[2].lineShares.map(\.amount) == [.yen(500_000), .yen(1_500_000)] && view.orders[2].lineShares[1].lineID == view.orders[0].lineID)
            let first = try #require(ledger.years.first)
            let crm = try #require(first.rows.first)
            #expect(crm.revisions.amount > 0 && crm.paid.beforeTax.amount > 0 && crm.accepted.beforeTax > crm.paid.beforeTax, "partly accepted and paid")
            #expect(view.orders[0].changeOrders.map(\.changeOrder.status) == [.proposed], "the approved change's cost, proposed")
            // The client's own activities in the plan, at their estimate at completion, are the internal labour forecast.
            let labour = try #require(first.rows.first { $0.line.category == .internalLabour })
            #expect(labour.internalLabour.amount > 0 && labour.forecast == labour.internalLabour)

            // Two requests for estimate: the new CRM's decided (option A, by the CIO, before the order), the portal's waiting.
            let requests = try await t.store.ledger.requests(pmo, key: "CRM")
            #expect(requests.map(\.estimates.count) == [3, 2] && requests.map(\.options.count) == [3, 2])
            #expect(requests[0].chosenOption == 0 && requests[0].decisionNumber != nil && requests[1].decisionNumber == nil)
            let decision = try await t.store.items.registerItem(pmo, key: "CRM", kind: .decision, number: try #require(requests[0].decisionNumber))
            let exec = try Caller(try #require(try await t.store.accounts.user(email: "exec@demo.pmo"))).userID
            #expect(decision.fields.status == "decided" && decision.fields.details["decider"] == .user(UserID(exec)))
            #expect(decision.fields.details["options"]?.options?.count == 3 && decision.fields.visibility.scope == .internal)
            #expect(view.estimates.first { $0.id == requests[0].options[0].estimateID }?.chosen == true, "the chosen option's estimate")

            let ja = try await BrowserSession.login(t, email: "pmo@demo.pmo", password: DemoData.password, acceptLanguage: "ja").get("/projects/CRM/ledger")
            #expect(ja.status == .ok)
            let html = ja.body.string
            for text in ["予算管理表", "\(first.fiscalYear)年度", "新CRM 構築", "予備費", "楓システムズ", "請負", "検収予定月",
                         LedgerViews.yen(crm.budget), LedgerViews.yen(first.budget), LedgerViews.yen(first.remaining), LedgerViews.yen(crm.paid.includingTax)] {
                #expect(html.contains(text), "\(text)")
            }

            // The monthly cash-out: on the page and as a file, planned and paid by month; commercial data, so not for a vendor.
            #expect(html.contains("id=\"ledger-cash-out\"") && html.contains("class=\"cash-out\"") && html.contains("月次支払（税込）"))
            let svg = try await BrowserSession.login(t, email: "pmo@demo.pmo", password: DemoData.password).get("/projects/CRM/ledger/cash-out.svg")
            #expect(svg.status == .ok && svg.headers.contentType?.subType == "svg+xml" && svg.body.string.contains("class=\"actual-bar\""))
            #expect(try await BrowserSession.login(t, email: "aoba.lead@demo.pmo", password: DemoData.password).get("/projects/CRM/ledger/cash-out.svg").status == .notFound)
            let aggregation = try await BrowserSession.login(t, email: "pmo@demo.pmo", password: DemoData.password, acceptLanguage: "ja")
                .get("/projects/CRM/ledger/requests/2").body.string
            for text in ["見積集約（案の比較）", "B. Aoba ポイント機能は第2段階", "案を決定する", "choose-form", "Emily Clark"] {
                #expect(aggregation.contains(text), "\(text)")
            }
            // The new CRM's estimates side by side by phase: 楓's two versions and Aoba's, whose package licences are a phase of their own.
            let crmAggregation = try await BrowserSession.login(t, email: "pmo@demo.pmo", password: DemoData.password, acceptLanguage: "ja")
                .get("/projects/CRM/ledger/requests/1").body.string
            for text in ["id=\"request-by-phase\"", "id=\"request-phases\"", "工程別の比較", "開発・単体テスト", "22,000,000", "18,500,000", "15,000,000", "パッケージ", "9,000,000"] {
                #expect(crmAggregation.contains(text), "\(text)")
            }
            // Aoba, asked too, sees its own breakdown and nothing of 楓's.
            let aobaAggregation = try await BrowserSession.login(t, email: "aoba.lead@demo.pmo", password: DemoData.password)
                .get("/projects/CRM/ledger/requests/1").body.string
            #expect(aobaAggregation.contains("request-by-phase") && aobaAggregation.contains("15,000,000"))
            #expect(!aobaAggregation.contains("22,000,000") && !aobaAggregation.contains("18,500,000"))
            // The demo grants the CIO the commercial right; taken back, the CIO sees no money.
            _ = try await t.store.ledger.setCommercial(pmo, key: "CRM", userID: exec, granted: false)
            let before = try await BrowserSession.login(t, email: "exec@demo.pmo", password: DemoData.password).get("/projects/CRM/ledger").body.string
            #expect(before.contains("Budget ledger") && before.contains("No budget, estimates or orders you may see"))
            _ = try await t.store.ledger.setCommercial(pmo, key: "CRM", userID: exec, granted: true)
            let en = try await BrowserSession.login(t, email: "exec@demo.pmo", password: DemoData.password).get("/projects/CRM/ledger").body.string
            for text in ["Budget ledger", "FY\(first.fiscalYear)", "Remaining", "Fixed price (請負)",
                         LedgerViews.yen(first.forecast)] {
                #expect(en.contains(text), "\(text)")
            }

            let vendor = try await BrowserSession.login(t, email: "aoba.lead@demo.pmo", password: DemoData.password).get("/projects/CRM/ledger").body.string
            #expect(vendor.contains("Budgets and other vendors") && vendor.contains("データ連携基盤 構築支援"))
            for secret in ["新CRM 構築（要件定義", "楓システムズ", LedgerViews.yen(crm.budget), LedgerViews.yen(first.budget), "予備費"] {
                #expect(!vendor.contains(secret), "\(secret)")
            }
            let aobaRequest = try await BrowserSession.login(t, email: "aoba.lead@demo.pmo", password: DemoData.password)
                .get("/projects/CRM/ledger/requests/1").body.string
            #expect(aobaRequest.contains("request-estimates") && !aobaRequest.contains("request-options"))
            for secret in ["楓システムズ", "A. 楓システムズ", LedgerViews.yen(crm.budget)] { #expect(!aobaRequest.contains(secret), "\(secret)") }
        }
    }

    /// An approved change with a cost impact is proposed as a change order on the order of a system it affects; taken
    /// without an amount, the change order carries the cost impact rounded half up to the yen, and the proposal is gone.
    @Test(arguments: TestDatabase.available)
    func anApprovedChangeWithACostImpactIsProposedAsAChangeOrder(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.prepare(t, w)
            let created = try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: [
                "title": "帳票を5本追加", "status": "assessing", "costImpact": 1_234_567.5, "impactedSystems": ["S1"]])
            #expect(created.status == .created, "\(created.body.string)")
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: ["title": "費用なし", "status": "assessing", "costImpact": 0]).status == .created)
            let none = try await t.send(.GET, "/api/v1/projects/CRM/ledger/change-order-proposals", token: pmo)
            #expect(none.status == .ok && (none.json["items"] as? [[String: Any]])?.isEmpty == true, "not approved yet: \(none.body.string)")
            for n in [1, 2] {
                let approved = try await t.send(.PATCH, "/api/v1/projects/CRM/changes/\(n)", token: pmo, json: ["status": "approved"], headers: [("If-Match", "*")])
                #expect(approved.status == .ok, "\(approved.body.string)")
            }
            let list = try await t.send(.GET, "/api/v1/projects/CRM/ledger/change-order-proposals", token: pmo).json["items"] as? [[String: Any]] ?? []
            #expect(list.count == 1, "the change without a cost impact is not proposed: \(list)")
            #expect(list.first?["change"] as? String == "CRM-C1" && list.first?["costImpact"] as? Int == 1_234_568 && list.first?["suggestedOrder"] as? Int == 1)
            // Those who do not keep the ledger are offered nothing.
            for who in ["member", "vendorA"] {
                let other = try await t.send(.GET, "/api/v1/projects/CRM/ledger/change-order-proposals", token: w.tokens[who]!)
                #expect(other.status == .ok && (other.json["items"] as? [[String: Any]])?.isEmpty == true, "\(who)")
            }

            // The ledger page offers it with the suggested order chosen, and its form proposes it.
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            let page = try await session.get("/projects/CRM/ledger").body.string
            #expect(page.contains("id=\"ledger-proposal-C1\"") && page.contains("<option value=\"1\" selected"), "\(page)")
            let posted = try await session.post("/projects/CRM/ledger/change-orders", ["change": "1", "order": "1"])
            #expect(posted.status == .seeOther && posted.headers.first(name: .location) == "/projects/CRM/ledger#ledger-O1", "\(posted.status)")
            let taken = try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/1", token: pmo)
            let change = (taken.json["changeOrders"] as? [[String: Any]])?.last
            #expect(change?["amount"] as? Int == 1_234_568 && change?["status"] as? String == "proposed" && change?["change"] as? String == "CRM-C1", "\(String(describing: change))")
            let after = try await t.send(.GET, "/api/v1/projects/CRM/ledger/change-order-proposals", token: pmo).json["items"] as? [[String: Any]]
            #expect(after?.isEmpty == true)
            #expect(Self.row(try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json, line: 1)?["forecast"] as? Int == 24_000_000 + 1_234_568)

            // Neither an amount nor a change, or a change without a cost impact: refused naming the amount.
            let bare = try await Self.post(t, pmo, "orders/1/change-orders", ["status": "proposed"])
            #expect(bare.status == .unprocessableEntity && MeetingAPITests.errorCodes(bare)["amount"] == "amount_or_change", "\(bare.body.string)")
            let free = try await Self.post(t, pmo, "orders/1/change-orders", ["change": "C2"])
            #expect(free.status == .unprocessableEntity && MeetingAPITests.errorCodes(free)["amount"] == "no_cost_impact", "\(free.body.string)")
        }
    }

    /// An estimate's file (the vendor's quotation): its vendor and those who see commercial data see and add it; another
    /// vendor, members without the right and viewers meet it as a file and an estimate that do not exist, by every route.
    @Test(arguments: TestDatabase.available)
    func anEstimatesFilesAreSeenByItsVendorAndTheCommercialRolesOnly(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.prepare(t, w)
            let estimates = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json["estimates"] as? [[String: Any]] ?? []
            let ofA = try #require(estimates.first { $0["vendorId"] as? String == w.vendorA.uuidString.lowercased() }?["id"] as? String)
            let ofB = try #require(estimates.first { $0["vendorId"] as? String == w.vendorB.uuidString.lowercased() }?["id"] as? String)
            func files(_ id: String) -> String { "/api/v1/projects/CRM/ledger/estimates/\(id)/attachments" }

            // Vendor A attaches its quotation to its own estimate; not to vendor B's, which does not exist for it.
            let added = try await t.send(.POST, files(ofA) + "?name=quote-A.pdf", token: w.tokens["vendorA"]!,
                                         headers: [("Content-Type", "application/pdf")], body: ByteBuffer(string: "%PDF vendor A quotation 24,000,000"))
            #expect(added.status == .created, "\(added.body.string)")
            #expect(added.json["ownerType"] as? String == "estimate")
            let fileID = try #require(added.json["id"] as? String)
            let intoB = try await t.send(.POST, files(ofB) + "?name=x.pdf", token: w.tokens["vendorA"]!, body: ByteBuffer(string: "x"))
            #expect(intoB.status == .notFound && intoB.problemCode == "estimate.not_found", "\(intoB.status)")
            #expect(try await t.send(.POST, files(ofB) + "?name=quote-B.pdf", token: pmo, body: ByteBuffer(string: "B")).status == .created)

            // Who sees it: the PMO and PM (both files on their estimates), vendor A its own; nobody else by list or download.
            #expect(try await t.send(.GET, files(ofA), token: pmo).items.map { $0["name"] as? String } == ["quote-A.pdf"])
            #expect(try await t.send(.GET, files(ofA), token: w.tokens["pm"]!).items.count == 1)
            #expect(try await t.send(.GET, files(ofA), token: w.tokens["vendorA"]!).items.count == 1)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/attachments/\(fileID)", token: w.tokens["vendorA"]!).body.string.contains("vendor A quotation"))
            for role in ["vendorB", "member", "viewer"] {
                let list = try await t.send(.GET, files(ofA), token: w.tokens[role]!)
                #expect(list.status == .notFound && !list.body.string.contains("quote-A"), "\(role): \(list.status)")
                let download = try await t.send(.GET, "/api/v1/projects/CRM/attachments/\(fileID)", token: w.tokens[role]!)
                #expect(download.status == .notFound && !download.body.string.contains("24,000,000"), "\(role): \(download.status)")
                let delete = try await t.send(.DELETE, "/api/v1/projects/CRM/attachments/\(fileID)", token: w.tokens[role]!)
                #expect(delete.status == .notFound, "\(role): \(delete.status)")
            }
            #expect(try await t.send(.GET, files(ofB), token: w.tokens["vendorA"]!).status == .notFound)

            // The pages: the ledger links each estimate to its page; vendor A reads and adds files on its own, vendor B
            // gets the page of an estimate that does not exist.
            let vendorA = try await BrowserSession.login(t, email: "vendora@example.com")
            #expect(try await vendorA.get("/projects/CRM/ledger").body.string.contains("/projects/CRM/ledger/estimates/\(ofA)"))
            let own = try await vendorA.get("/projects/CRM/ledger/estimates/\(ofA)")
            #expect(own.status == .ok && own.body.string.contains("quote-A.pdf") && own.body.string.contains("/projects/CRM/ledger/estimates/\(ofA)/attachments"))
            #expect(!own.body.string.contains("quote-B"))
            let vendorB = try await BrowserSession.login(t, email: "vendorb@example.com")
            let other = try await vendorB.get("/projects/CRM/ledger/estimates/\(ofA)")
            #expect(other.status == .notFound && !other.body.string.contains("quote-A"), "\(other.status)")
            let pmoPage = try await BrowserSession.login(t, email: "pmo@example.com").get("/projects/CRM/ledger/estimates/\(ofB)")
            #expect(pmoPage.status == .ok && pmoPage.body.string.contains("quote-B.pdf"))
        }
    }

    /// The ledger page's forms: a budget revision and an estimate recorded, a proposed change order agreed; a refusal is
    /// shown on the ledger and stores nothing; those who do not keep the ledger get no forms and are refused.
    @Test(arguments: TestDatabase.available)
    func theLedgerPageRecordsRevisionsEstimatesAndAgreesChangeOrders(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.prepare(t, w)
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            let page = try await session.get("/projects/CRM/ledger").body.string
            #expect(page.contains("id=\"revision-form\"") && page.contains("id=\"estimate-form\""))

            let revised = try await session.post("/projects/CRM/ledger/revisions", ["line": "1", "amount": "▲1,000,000", "reason": "2期へ移す", "date": "2026-11-01"])
            #expect(revised.status == .seeOther && revised.headers.first(name: .location) == "/projects/CRM/ledger#ledger-L1")
            #expect(Self.row(try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json, line: 1)?["budget"] as? Int == 29_000_000)

            let estimated = try await session.post("/projects/CRM/ledger/estimates", [
                "line": "3", "vendor": w.vendorB.uuidString.lowercased(), "amount": "5,000,000円", "effort": "10.5", "received": "2026-05-01",
                "validUntil": "2026-08-01", "assumptions": "保守のみ", "request": ""])
            #expect(estimated.status == .seeOther, "\(estimated.body.string)")
            let estimates = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json["estimates"] as? [[String: Any]] ?? []
            #expect(estimates.contains { $0["amount"] as? Int == 5_000_000 && $0["effort"] as? Double == 10.5 && $0["assumptions"] as? String == "保守のみ" },
                    "\(estimates)")

            let proposed = try await Self.post(t, pmo, "orders/1/change-orders", ["amount": 500_000])
            let id = try #require(((proposed.json["changeOrders"] as? [[String: Any]])?.last)?["id"] as? String)
            #expect(try await session.get("/projects/CRM/ledger").body.string.contains("/projects/CRM/ledger/orders/1/change-orders/\(id)"))
            let agreed = try await session.post("/projects/CRM/ledger/orders/1/change-orders/\(id)", ["status": "agreed"])
            #expect(agreed.status == .seeOther && agreed.headers.first(name: .location) == "/projects/CRM/ledger#ledger-O1")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/1", token: pmo).json["orderedAmount"] as? Int == 24_500_000)

            // A fraction of a yen is refused on the page, naming it, and nothing is stored.
            let refused = try await session.post("/projects/CRM/ledger/revisions", ["line": "1", "amount": "12.5", "reason": "x"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("id=\"error\""), "\(refused.status)")
            #expect(Self.row(try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json, line: 1)?["budget"] as? Int == 29_000_000)

            // A vendor's lead sees no form and may not post one.
            let vendor = try await BrowserSession.login(t, email: "vendorA@example.com")
            #expect(!(try await vendor.get("/projects/CRM/ledger").body.string.contains("revision-form")))
            let forbidden = try await vendor.post("/projects/CRM/ledger/revisions", ["line": "1", "amount": "1", "reason": "x"])
            #expect(forbidden.status == .forbidden, "\(forbidden.status)")
        }
    }

    /// On the ledger page those who keep it record a milestone's acceptance, then its payment, each at the order's
    /// version the page showed: a stale page, a payment before its acceptance and a month that is not one are refused
    /// on the page and store nothing; a vendor's lead sees no such form and may not post one.
    @Test(arguments: TestDatabase.available)
    func theLedgerPageRecordsAnAcceptanceThenItsPayment(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.prepare(t, w)
            func milestones() async throws -> [[String: Any]] {
                try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/1", token: pmo).json["milestones"] as? [[String: Any]] ?? []
            }
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            let page = try await session.get("/projects/CRM/ledger").body.string
            // O1: the first milestone accepted and paid (no form), the second accepted (payment), the third neither (acceptance).
            #expect(!page.contains("/projects/CRM/ledger/orders/1/milestones/1\""))
            #expect(page.contains("/projects/CRM/ledger/orders/1/milestones/2\"") && page.contains("name=\"paid\" value=\"2027-04\""))
            #expect(page.contains("/projects/CRM/ledger/orders/1/milestones/3\"") && page.contains("name=\"accepted\" value=\"2027-03\""))

            let accepted = try await session.post("/projects/CRM/ledger/orders/1/milestones/3", ["accepted": "2027-03", "version": "1"])
            #expect(accepted.status == .seeOther && accepted.headers.first(name: .location) == "/projects/CRM/ledger#ledger-milestones")
            #expect(try await milestones().map { $0["accepted"] as? String } == ["2026-09", "2027-03", "2027-03"])

            // The page showed version 1; the order is at 2 now.
            let stale = try await session.post("/projects/CRM/ledger/orders/1/milestones/2", ["paid": "2027-04", "version": "1"])
            #expect(stale.status == .conflict && stale.body.string.contains("id=\"error\""), "\(stale.status)")
            let early = try await session.post("/projects/CRM/ledger/orders/1/milestones/2", ["paid": "2027-02", "version": "2"])
            #expect(early.status == .unprocessableEntity && early.body.string.contains("id=\"error\""), "\(early.status)")
            let notAMonth = try await session.post("/projects/CRM/ledger/orders/1/milestones/2", ["paid": "someday", "version": "2"])
            #expect(notAMonth.status == .unprocessableEntity, "\(notAMonth.status)")
            #expect(try await session.post("/projects/CRM/ledger/orders/1/milestones/4", ["paid": "2027-04", "version": "2"]).status == .notFound)
            #expect(try await milestones().map { $0["paid"] as? String } == ["2026-10", nil, nil])

            let paid = try await session.post("/projects/CRM/ledger/orders/1/milestones/2", ["paid": "2027-04", "version": "2"])
            #expect(paid.status == .seeOther)
            #expect(try await milestones().map { $0["paid"] as? String } == ["2026-10", "2027-04", nil])
            #expect(Self.row(try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json, line: 1)?["paid"] as? Int == 18_000_000)

            let vendor = try await BrowserSession.login(t, email: "vendorA@example.com")
            #expect(!(try await vendor.get("/projects/CRM/ledger").body.string.contains("/milestones/3")))
            #expect(try await vendor.post("/projects/CRM/ledger/orders/1/milestones/3", ["paid": "2027-04", "version": "3"]).status == .forbidden)
            #expect(try await milestones().map { $0["paid"] as? String } == ["2026-10", "2027-04", nil])
        }
    }

    /// A vendor's estimate broken down by phase and category (見積内訳): stored and answered in the vendor's order, shown
    /// on the estimate's page with its sums by category; parts that do not add up to the amount, or name neither a phase
    /// nor a category, are refused naming the field and nothing is stored; another vendor does not see it.
    @Test(arguments: TestDatabase.available)
    func anEstimateIsBrokenDownByPhaseAndCategory(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.prepare(t, w)
            let estimate: [String: Any?] = [
                "line": 3, "vendorId": w.vendorA.uuidString.lowercased(), "amount": 10_000_000, "received": "2026-06-01",
                "breakdown": [["phase": "要件定義", "category": "development", "amount": 2_000_000],
                              ["phase": "開発", "category": "development", "amount": 5_000_000],
                              ["phase": "開発", "category": "licences", "amount": 2_500_000],
                              ["category": "operations", "amount": 500_000]]]
            func with(_ changes: [String: Any?]) -> [String: Any?] { estimate.merging(changes) { _, new in new } }
            for (body, expected) in [(with(["amount": 10_000_001]), "breakdown:does_not_add_up"),
                                     (with(["breakdown": [["phase": " ", "amount": 10_000_000]]]), "breakdown[0]:unnamed_part"),
                                     (with(["breakdown": [["phase": "要件\n定義", "amount": 10_000_000]]]), "breakdown[0].phase:one_line")] {
                let res = try await Self.post(t, pmo, "estimates", body)
                #expect(res.status == .unprocessableEntity && Kit.errors(res) == [expected], "\(expected): \(res.body.string)")
            }
            #expect((try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json["estimates"] as? [Any])?.count == 6, "nothing stored")

            let saved = try await Self.post(t, pmo, "estimates", estimate)
            #expect(saved.status == .created, "\(saved.body.string)")
            let parts = (saved.json["breakdown"] as? [[String: Any]] ?? []).map { "\($0["phase"] as? String ?? ""):\($0["category"] as? String ?? "-"):\($0["amount"] as? Int ?? 0)" }
            #expect(parts == ["要件定義:development:2000000", "開発:development:5000000", "開発:licences:2500000", ":operations:500000"])
            let id = try #require(saved.json["id"] as? String)

            let page = try await BrowserSession.login(t, email: "pmo@example.com").get("/projects/CRM/ledger/estimates/\(id)").body.string
            #expect(page.contains("id=\"estimate-breakdown\"") && page.contains("2,500,000"))
            // By category: development 7,000,000, licences 2,500,000, operations 500,000.
            let byCategory = try #require(page.components(separatedBy: "id=\"estimate-by-category\">").last?.components(separatedBy: "</p>").first)
            #expect(byCategory.contains("7,000,000") && byCategory.contains("2,500,000") && byCategory.contains("500,000"), "\(byCategory)")

            let mine = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: w.tokens["vendorA"]!).body.string
            #expect(mine.contains("要件定義"))
            let other = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: w.tokens["vendorB"]!).body.string
            #expect(!other.contains("要件定義") && !other.contains("2500000"))
            #expect(try await BrowserSession.login(t, email: "vendorB@example.com").get("/projects/CRM/ledger/estimates/\(id)").status == .notFound)
        }
    }

    /// The organisation's fiscal year starts in the month an administrator sets on the admin pages; others may not.
    @Test func anAdministratorSetsTheFiscalYearsFirstMonth() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let admin = try await BrowserSession.login(t, email: "sysadmin@example.com")
            let page = try await admin.get("/admin/settings").body.string
            #expect(page.contains("id=\"fiscal-year-form\"") && page.contains("<option value=\"4\" selected"), "April by default")
            let saved = try await admin.post("/admin/settings", ["fiscalFirstMonth": "1"])
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/admin/settings?saved")
            #expect(try await t.send(.GET, "/api/v1/settings/fiscal-year", token: w.tokens["pmo"]!).json["firstMonth"] as? Int == 1)
            #expect(try await admin.get("/admin/settings?saved").body.string.contains("id=\"settings-saved\""))
            let wrong = try await admin.post("/admin/settings", ["fiscalFirstMonth": "13"])
            #expect(wrong.status == .unprocessableEntity, "\(wrong.status)")
            let pmo = try await BrowserSession.login(t, email: "pmo@example.com")
            #expect(try await pmo.get("/admin/settings").status == .forbidden)
            #expect(try await pmo.post("/admin/settings", ["fiscalFirstMonth": "7"]).status == .forbidden)
            #expect(try await t.send(.GET, "/api/v1/settings/fiscal-year", token: w.tokens["pmo"]!).json["firstMonth"] as? Int == 1)
        }
    }

    /// Contract types are a setting: an administrator lists the organisation's own beside the built-in ones (page and
    /// API); orders take a built-in or a listed one, by the API and the workbook; one taken off the list stays on its
    /// orders; others may read the list but not change it.
    @Test(arguments: TestDatabase.available)
    func contractTypesAreTheBuiltInOnesAndTheOrganisationsOwn(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!, sysadmin = w.tokens["sysadmin"]!
            try await Self.prepare(t, w)
            let initial = try await t.send(.GET, "/api/v1/settings/contract-types", token: pmo).json
            #expect(initial["builtIn"] as? [String] == ["fixed_price", "time_and_materials", "staffing", "licence", "other"])
            #expect(initial["contractTypes"] as? [String] == [])

            // An unlisted name is refused on an order, naming the field; nothing is stored.
            let order: [String: Any?] = ["line": 3, "vendorId": w.vendorB.uuidString.lowercased(), "title": "保守 2期", "amount": 1_000_000,
                                         "orderDate": "2027-04-01", "contractType": "保守"]
            let unknown = try await Self.post(t, pmo, "orders", order)
            #expect(unknown.status == .unprocessableEntity && MeetingAPITests.errorCodes(unknown)["contractType"] == "unknown_contract_type", "\(unknown.body.string)")

            // The administrator lists 保守 and SES (blanks and repeats dropped); built-in codes and others' writes are refused.
            let set = try await t.send(.PUT, "/api/v1/settings/contract-types", token: sysadmin, json: ["contractTypes": [" 保守 ", "SES", "", "保守"]])
            #expect(set.status == .ok && set.json["contractTypes"] as? [String] == ["保守", "SES"], "\(set.body.string)")
            let builtIn = try await t.send(.PUT, "/api/v1/settings/contract-types", token: sysadmin, json: ["contractTypes": ["fixed_price"]])
            #expect(builtIn.status == .unprocessableEntity && MeetingAPITests.errorCodes(builtIn)["contractTypes"] == "built_in")
            #expect(try await t.send(.PUT, "/api/v1/settings/contract-types", token: pmo, json: ["contractTypes": ["x"]]).status == .forbidden)

            let created = try await Self.post(t, pmo, "orders", order)
            #expect(created.status == .created && created.json["contractType"] as? String == "保守", "\(created.body.string)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).body.string.contains("保守 2期"))

            // Taken off the list, 保守 stays on its order, and the ledger page shows it as written.
            #expect(try await t.send(.PUT, "/api/v1/settings/contract-types", token: sysadmin, json: ["contractTypes": ["SES"]]).status == .ok)
            let orders = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json["orders"] as? [[String: Any]] ?? []
            #expect(orders.contains { $0["title"] as? String == "保守 2期" && $0["contractType"] as? String == "保守" })
            let page = try await BrowserSession.login(t, email: "pmo@example.com").get("/projects/CRM/ledger").body.string
            #expect(page.contains("<td>保守</td>"), "shown as written")

            // The admin page lists the organisation's own, one per line, and refuses a built-in code with the form kept.
            let admin = try await BrowserSession.login(t, email: "sysadmin@example.com")
            #expect(try await admin.get("/admin/settings").body.string.contains("id=\"contract-types-form\""))
            let saved = try await admin.post("/admin/settings/contract-types", ["contractTypes": "SES\r\n保守\r\n"])
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/admin/settings?saved")
            #expect(try await t.send(.GET, "/api/v1/settings/contract-types", token: pmo).json["contractTypes"] as? [String] == ["SES", "保守"])
            let refused = try await admin.post("/admin/settings/contract-types", ["contractTypes": "SES\nother"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("id=\"error\"") && refused.body.string.contains("SES\nother"))
            #expect(try await t.send(.GET, "/api/v1/settings/contract-types", token: pmo).json["contractTypes"] as? [String] == ["SES", "保守"])
            let pm = try await BrowserSession.login(t, email: "pm@example.com")
            #expect(try await pm.post("/admin/settings/contract-types", ["contractTypes": "x"]).status == .forbidden)
        }
    }

    /// An order drawing on two budget lines (the build on L1, its licences on a new L4): refused naming the field when
    /// the shares do not add up, name a line twice, fall in another fiscal year or overrun a line without a reason;
    /// once placed, each line carries its share and its part of the change order, acceptance and payment, the two
    /// adding up to the order; its vendor sees it with its lines, the other vendor does not see it at all.
    @Test(arguments: TestDatabase.available)
    func anOrderDrawsOnSeveralBudgetLines(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await Self.prepare(t, w)
            #expect(try await Self.post(t, pmo, "lines", ["fiscalYear": 2026, "category": "licences", "name": "ライセンス", "original": 5_000_000]).status == .created)
            let order: [String: Any?] = [
                "lines": [["line": 4, "amount": 3_000_000], ["line": 1, "amount": 6_000_000]], "vendorId": w.vendorA.uuidString.lowercased(),
                "title": "CRM構築と帳票ライセンス", "amount": 9_000_000, "orderDate": "2026-06-01",
                "milestones": [["name": "導入 検収", "amount": 4_500_001, "plannedAcceptance": "2026-09", "accepted": "2026-09",
                                "plannedPayment": "2026-10", "paid": "2026-10"]]]
            func with(_ changes: [String: Any?]) -> [String: Any?] { order.merging(changes) { _, new in new } }
            for (body, expected) in [
                (with(["amount": 10_000_000]), "lines:shares_do_not_add_up"),
                (with(["line": 1]), "line:line_or_lines"),
                (with(["lines": [["line": 1, "amount": 3_000_000], ["line": 1, "amount": 6_000_000]]]), "lines:repeated_line"),
                (with(["lines": [["line": 4, "amount": 3_000_000], ["line": 3, "amount": 6_000_000]]]), "orderDate:other_fiscal_year"),
                (with(["lines": [["line": 4, "amount": 6_000_000], ["line": 1, "amount": 3_000_000]]]), "overrunReason:over_budget"),
                (with(["lines": [["line": 4, "amount": 3_000_000], ["line": 9, "amount": 6_000_000]]]), "lines:not_found"),
            ] {
                let res = try await Self.post(t, pmo, "orders", body)
                #expect(res.status == .unprocessableEntity && Kit.errors(res) == [expected], "\(expected): \(res.body.string)")
            }
            #expect((try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json["orders"] as? [Any])?.count == 1, "nothing stored")

            let placed = try await Self.post(t, pmo, "orders", order)
            #expect(placed.status == .created, "\(placed.body.string)")
            #expect(placed.json["reference"] as? String == "O2" && placed.json["line"] as? Int == 4 && placed.json["overrun"] as? Bool == false)
            let lines = (placed.json["lines"] as? [[String: Any]] ?? []).map { "L\($0["line"] as? Int ?? 0) \($0["lineName"] as? String ?? "") \($0["amount"] as? Int ?? 0)" }
            #expect(lines == ["L4 ライセンス 3000000", "L1 CRM開発 6000000"])
            #expect(try await Self.post(t, pmo, "orders/2/change-orders", ["amount": 1_000_000, "status": "agreed", "reason": "帳票追加"]).status == .created)

            let ledger = try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: pmo).json
            let l4 = try #require(Self.row(ledger, line: 4)), l1 = try #require(Self.row(ledger, line: 1))
            // 10M ordered with the change order: a third on L4, two thirds on L1 (beside O1's 24M); 11M with tax split alike.
            #expect(l4["ordered"] as? Int == 3_333_333 && l4["orderedIncludingTax"] as? Int == 3_666_667, "\(l4)")
            #expect(l1["ordered"] as? Int == 24_000_000 + 6_666_667 && l1["orderedIncludingTax"] as? Int == 26_400_000 + 7_333_333, "\(l1)")
            #expect(l4["accepted"] as? Int == 1_500_000 && l1["accepted"] as? Int == 18_000_000 + 3_000_001)
            #expect(l4["paid"] as? Int == 1_500_000 && l4["remaining"] as? Int == 1_666_667 && l1["remaining"] as? Int == -666_667)
            // Nothing of what L1 has left now is for another order: a new one on it is an overrun.
            let more = try await Self.post(t, pmo, "orders", ["line": 1, "vendorId": w.vendorB.uuidString.lowercased(), "title": "追加", "amount": 1,
                                                             "orderDate": "2026-07-01"])
            #expect(Kit.errors(more) == ["overrunReason:over_budget"])

            let mine = try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/2", token: w.tokens["vendorA"]!)
            #expect(mine.status == .ok && (mine.json["lines"] as? [Any])?.count == 2)
            let other = try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/2", token: w.tokens["vendorB"]!)
            #expect(other.status == .notFound && !other.body.string.contains("ライセンス"))
            let page = try await BrowserSession.login(t, email: "pmo@example.com")
            let html = try await page.get("/projects/CRM/ledger").body.string
            #expect(html.contains("L4 ライセンス <span class=\"num\">3,000,000</span>") && html.contains("L1 CRM開発 <span class=\"num\">6,000,000</span>"))

            // A change to S1 is proposed on the order listed under S1's line (O1), not on the later O2 that only draws on it.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: [
                "title": "帳票を5本追加", "status": "approved", "costImpact": 500_000, "impactedSystems": ["S1"]]).status == .created)
            let proposals = try await t.send(.GET, "/api/v1/projects/CRM/ledger/change-order-proposals", token: pmo).json["items"] as? [[String: Any]] ?? []
            #expect(proposals.map { $0["suggestedOrder"] as? Int } == [1], "\(proposals)")
        }
    }
}
