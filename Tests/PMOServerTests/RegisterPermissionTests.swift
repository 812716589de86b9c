import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing
import VaporTesting

/// Who may decide, approve, see and change register items: the decision-rights table, change approval, and the
/// vendor / viewer / outsider matrix on every register.
@Suite("Register permissions")
struct RegisterPermissionTests {
    typealias Kit = RegisterTestKit

    static func rights(_ rows: [[String: Any]]) -> [String: Any?] { ["items": rows] }

    // MARK: 5. Decision rights

    @Test(arguments: TestDatabase.available)
    func decisionsBelongToWhoeverTheTableNames(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!
            let pmID = Kit.id(w, "pm")
            let pmoID = Kit.id(w, "pmo")
            let memberID = Kit.id(w, "member")

            #expect(try await t.send(.GET, "/api/v1/projects/CRM/decision-rights", token: pm).items.isEmpty)
            let put = try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: pm, json: Self.rights([
                ["category": "budget", "authority": "Steering committee", "roles": ["pmo"]],
                ["category": "team_rules", "authority": "チームリーダー", "roles": [], "users": [memberID]],
            ]))
            #expect(put.status == .ok, "\(put.body.string)")
            let table = try await t.send(.GET, "/api/v1/projects/CRM/decision-rights", token: w.tokens["viewer"]!)
            #expect(table.items.map { $0["category"] as? String } == ["budget", "team_rules"])
            #expect(table.items.first?["authority"] as? String == "Steering committee")
            #expect(table.items.first?["roles"] as? [String] == ["pmo"])
            #expect(table.items.last?["users"] as? [String] == [memberID])

            // A budget decision: raised six days ago, pending, with the PM as decider.
            var past = t.store
            let raised = Date().addingTimeInterval(-6 * 86_400)
            past.clock = { raised }
            _ = try await past.items.createRegisterItem(w.users["pm"]!, key: "CRM", kind: .decision, fields: RegisterItemFields(
                title: "追加予算の承認", status: "pending", details: ["category": .text("budget")]))
            let path = "/api/v1/projects/CRM/decisions/1"

            let wrongDecider = try await Kit.patch(t, pm, path, ["status": "decided", "decision": "300万円を追加する", "decider": pmID])
            #expect(wrongDecider.status == .forbidden)
            #expect(wrongDecider.problemCode == "decision.no_right")
            #expect((wrongDecider.json["detail"] as? String)?.contains("Steering committee") == true)
            #expect(Kit.errors(wrongDecider) == ["decider:no_right"])
            #expect(try await t.send(.GET, path, token: pm).json["status"] as? String == "pending")

            // The same decision with the PMO as decider: the PM records it for them.
            let decided = try await Kit.patch(t, pm, path, ["status": "decided", "decision": "300万円を追加する", "decider": pmoID])
            #expect(decided.status == .ok, "\(decided.body.string)")
            #expect(decided.json["status"] as? String == "decided")
            #expect(decided.json["authority"] as? String == "Steering committee")
            #expect(decided.json["decidedOn"] as? String == Kit.today(w.users["pm"]!))
            let tokyo = TimeZone(identifier: "Asia/Tokyo")!
            let expectedLead = RegisterRules.workingDays(after: CalendarDate(raised, in: tokyo), through: CalendarDate(Date(), in: tokyo))
            #expect(decided.json["leadTimeDays"] as? Int == expectedLead, "working days from raised to decided")
            #expect((decided.json["decider"] as? [String: Any])?["name"] as? String == "pmo")
            #expect(decided.json["open"] as? Bool == false)

            // A member may edit decisions but not record one they are not the decider of.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pm,
                                     json: ["title": "予備費の使途", "category": "budget", "status": "pending"]).status == .created)
            let byMember = try await Kit.patch(t, w.tokens["member"]!, "/api/v1/projects/CRM/decisions/2",
                                               ["status": "decided", "decision": "予備費で賄う", "decider": pmoID])
            #expect(byMember.status == .forbidden)
            #expect(byMember.problemCode == "decision.no_right")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/decisions/2", token: pm).json["status"] as? String == "pending")
            // ... but may record one whose right the table gives them by name.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pm,
                                     json: ["title": "定例の開始時刻", "category": "team_rules", "status": "pending"]).status == .created)
            let own = try await Kit.patch(t, w.tokens["member"]!, "/api/v1/projects/CRM/decisions/3",
                                          ["status": "decided", "decision": "10時開始", "decider": memberID])
            #expect(own.status == .ok, "\(own.body.string)")
            #expect(own.json["authority"] as? String == "チームリーダー")
            #expect(own.json["leadTimeDays"] as? Int == 0)

            // A category without a row belongs to the managers, named as such.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pm,
                                     json: ["title": "帳票ツールの選定", "category": "technical", "status": "pending"]).status == .created)
            let memberDecider = try await Kit.patch(t, pm, "/api/v1/projects/CRM/decisions/4",
                                                    ["status": "decided", "decision": "A社製品", "decider": memberID])
            #expect(memberDecider.status == .forbidden)
            #expect((memberDecider.json["detail"] as? String)?.contains("Project management (PMO / PM)") == true)
            let byPM = try await Kit.patch(t, pm, "/api/v1/projects/CRM/decisions/4", ["status": "decided", "decision": "A社製品", "decider": pmID])
            #expect(byPM.status == .ok)
            #expect(byPM.json["authority"] as? String == "Project management (PMO / PM)")

            // An item may start in any status (brought over mid-life), but the rights still apply.
            let bornDecided: [String: Any?] = ["title": "前倒し承認", "category": "budget", "status": "decided", "decision": "承認"]
            let refused = try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pm, json: bornDecided.merging(["decider": pmID]) { _, n in n })
            #expect(refused.status == .forbidden)
            #expect(refused.problemCode == "decision.no_right")
            let accepted = try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pm, json: bornDecided.merging(["decider": pmoID]) { _, n in n })
            #expect(accepted.status == .created, "\(accepted.body.string)")
            #expect(accepted.json["authority"] as? String == "Steering committee")
            #expect(accepted.json["decidedOn"] as? String == Kit.today(w.users["pm"]!))
            #expect(accepted.json["leadTimeDays"] as? Int == 0)
        }
    }

    /// Once decided, a decision keeps a decider who holds the right: the decider cannot be swapped afterwards for
    /// someone the table does not name.
    @Test(arguments: TestDatabase.available)
    func aDecidedDecisionCannotBeReassignedToSomeoneWithoutTheRight(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!
            #expect(try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: pm, json: Self.rights([
                ["category": "budget", "authority": "Steering committee", "roles": ["pmo"]],
            ])).status == .ok)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pm,
                                     json: ["title": "追加予算の承認", "category": "budget", "status": "pending"]).status == .created)
            let path = "/api/v1/projects/CRM/decisions/1"
            #expect(try await Kit.patch(t, pm, path, ["status": "decided", "decision": "承認", "decider": Kit.id(w, "pmo")]).status == .ok)
            let swapped = try await Kit.patch(t, w.tokens["member"]!, path, ["decider": Kit.id(w, "member")])
            #expect(swapped.status == .forbidden, "a member made themselves the decider of a decided budget decision")
            #expect((try await t.send(.GET, path, token: pm).json["decider"] as? [String: Any])?["id"] as? String == Kit.id(w, "pmo"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func approvingAChangeBelongsToTheSpecificationChangeAuthority(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!
            let pmo = w.tokens["pmo"]!
            // Without a row the managers approve.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: ["title": "画面項目の追加", "status": "assessing"]).status == .created)
            #expect(try await Kit.patch(t, w.tokens["member"]!, "/api/v1/projects/CRM/changes/1", ["status": "approved"]).problemCode == "change.no_right")
            let first = try await Kit.patch(t, pmo, "/api/v1/projects/CRM/changes/1", ["status": "approved"])
            #expect(first.status == .ok)
            #expect((first.json["approvedBy"] as? [String: Any])?["name"] as? String == "pmo")

            // The business owner, named by person: only the PM here.
            #expect(try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: pm, json: Self.rights([
                ["category": "specification_change", "authority": "業務オーナー", "users": [Kit.id(w, "pm")]],
            ])).status == .ok)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: ["title": "帳票レイアウト変更", "status": "assessing"]).status == .created)
            let path = "/api/v1/projects/CRM/changes/2"
            let refused = try await Kit.patch(t, pmo, path, ["status": "approved"])
            #expect(refused.status == .forbidden)
            #expect(refused.problemCode == "change.no_right")
            #expect((refused.json["detail"] as? String)?.contains("業務オーナー") == true)
            let unchanged = try await t.send(.GET, path, token: pmo)
            #expect(unchanged.json["status"] as? String == "assessing")
            #expect(unchanged.json["approvedBy"] is NSNull)

            let approved = try await Kit.patch(t, pm, path, ["status": "approved"])
            #expect(approved.status == .ok, "\(approved.body.string)")
            #expect((approved.json["approvedBy"] as? [String: Any])?["id"] as? String == Kit.id(w, "pm"))
            #expect(approved.json["approvedOn"] as? String == Kit.today(w.users["pm"]!))
            #expect(Kit.errors(try await Kit.patch(t, pm, path, ["approvedOn": "2026-01-01"])) == ["approvedOn:read_only"])
            // Created straight as approved: the same right is needed.
            let bornApproved: [String: Any?] = ["title": "承認済みで登録", "status": "approved"]
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: bornApproved).problemCode == "change.no_right")
            let byOwner = try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pm, json: bornApproved)
            #expect(byOwner.status == .created, "\(byOwner.body.string)")
            #expect((byOwner.json["approvedBy"] as? [String: Any])?["id"] as? String == Kit.id(w, "pm"))
            // Rejecting needs no right.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/changes", token: pmo, json: ["title": "不要な変更", "status": "assessing"]).status == .created)
            #expect(try await Kit.patch(t, pmo, "/api/v1/projects/CRM/changes/4", ["status": "rejected"]).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyManagersChangeTheDecisionRightsTable(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let table = Self.rights([["category": "budget", "authority": "Steering committee", "roles": ["pmo"]]])
            for name in ["member", "vendorA", "viewer"] {
                let res = try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: w.tokens[name]!, json: table)
                #expect(res.status == .forbidden, "\(name)")
                #expect(res.problemCode == "decision_rights.forbidden", "\(name)")
            }
            #expect(try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: w.tokens["outsider"]!, json: table).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/decision-rights", token: w.tokens["outsider"]!).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/decision-rights", token: w.tokens["vendorA"]!).items.isEmpty)
            for name in ["admin", "pmo", "pm", "sysadmin"] {
                #expect(try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: w.tokens[name]!, json: table).status == .ok, "\(name)")
            }

            // A bad table names every problem and changes nothing.
            let bad = try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: w.tokens["pm"]!, json: Self.rights([
                ["category": "scope", "authority": "PMO", "roles": ["pmo"]],
                ["category": "scope", "authority": "", "roles": []],
                ["category": "vendor", "authority": "x", "users": [Kit.id(w, "outsider")]],
                ["category": "y", "authority": "x", "roles": ["king"]],
            ]))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.problemCode == "decision_rights.invalid")
            #expect(Kit.errors(bad) == ["items[3].roles:invalid_choice"], "the request's own errors come first")
            let bad2 = try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: w.tokens["pm"]!, json: Self.rights([
                ["category": "scope", "authority": "PMO", "roles": ["pmo"]],
                ["category": "scope", "authority": "", "roles": []],
                ["category": "vendor", "authority": "x", "users": [Kit.id(w, "outsider")]],
            ]))
            #expect(Set(Kit.errors(bad2)) == ["rights[1].category:duplicate", "rights[1].authority:required", "rights[1].roles:required_here",
                                              "rights[2].users:not_member"])
            let kept = try await t.send(.GET, "/api/v1/projects/CRM/decision-rights", token: w.tokens["pm"]!)
            #expect(kept.items.map { $0["category"] as? String } == ["budget"])
            // An empty table is allowed: everything goes back to the managers.
            #expect(try await t.send(.PUT, "/api/v1/projects/CRM/decision-rights", token: w.tokens["pm"]!, json: Self.rights([])).status == .ok)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/decision-rights", token: w.tokens["pm"]!).items.isEmpty)
        }
    }

    // MARK: 6. Vendors, viewers and outsiders on every register

    @Test(arguments: TestDatabase.available)
    func vendorsSeeAndChangeOnlyWhatTheyMayOnEveryRegister(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let a = w.tokens["vendorA"]!
            let b = w.tokens["vendorB"]!
            let vendorA = Kit.id(w, "vendorA")
            for kind in RegisterKind.allCases {
                let base = "/api/v1/projects/CRM/\(kind.plural)"
                func create(_ token: String, _ title: String, _ extra: [String: Any?] = [:]) async throws -> TestingHTTPResponse {
                    var body = Kit.body(kind, title: title).merging(extra) { _, new in new }
                    // Interfaces show a vendor only those its company is party to (SystemRegisterTests): both are, here,
                    // so that visibility alone decides as for every other register.
                    if kind == .interface {
                        body["sourceVendor"] = w.vendorA.uuidString.lowercased()
                        body["targetVendor"] = w.vendorB.uuidString.lowercased()
                    }
                    return try await t.send(.POST, base, token: token, json: body)
                }
                func numbers(_ token: String, _ query: String = "") async throws -> [Int] {
                    try await t.send(.GET, base + query, token: token).items.compactMap { $0["number"] as? Int }
                }
                func total(_ token: String) async throws -> Int {
                    let registers = try await t.send(.GET, "/api/v1/projects/CRM/overview", token: token).json["registers"] as? [[String: Any]] ?? []
                    return registers.first { $0["register"] as? String == kind.rawValue }?["total"] as? Int ?? -1
                }
                let shared = try await create(pmo, "共有 secret-word").json["number"] as? Int ?? 0                       // 1
                let hidden = try await create(pmo, "社内限定 secret-word", ["visibility": "internal"]).json["number"] as? Int ?? 0  // 2
                let forB = try await create(pmo, "B社限定 secret-word", ["visibility": "company",
                                                                      "visibilityCompanyId": w.vendorB.uuidString.lowercased()]).json["number"] as? Int ?? 0  // 3
                let ownedByA = try await create(pmo, "A社担当", ["owner": vendorA]).json["number"] as? Int ?? 0     // 4
                let created: [Int] = [shared, hidden, forB, ownedByA]
                #expect(created == [1, 2, 3, 4], "\(kind)")

                // Hidden items do not exist for vendor A, by any road.
                for number in [hidden, forB] {
                    for suffix in ["", "/history", "/comments", "/links"] {
                        let res = try await t.send(.GET, "\(base)/\(number)\(suffix)", token: a)
                        #expect(res.status == .notFound, "\(kind) \(number)\(suffix)")
                        #expect(res.problemCode == "\(kind.rawValue).not_found", "\(kind) \(number)\(suffix)")
                    }
                    #expect(try await t.send(.PATCH, "\(base)/\(number)", token: a, json: ["title": "x"], headers: [("If-Match", "\"1\"")]).status == .notFound)
                    #expect(try await t.send(.POST, "\(base)/\(number)/comments", token: a, json: ["body": "x"]).status == .notFound)
                }
                #expect(try await numbers(a) == [shared, ownedByA], "\(kind)")
                #expect(try await numbers(a, "?q=secret-word") == [shared], "\(kind)")
                #expect(try await total(a) == 2, "\(kind)")
                // Vendor B sees its company's item, not the internal one.
                #expect(try await t.send(.GET, "\(base)/\(forB)", token: b).status == .ok)
                #expect(try await t.send(.GET, "\(base)/\(hidden)", token: b).status == .notFound)
                #expect(try await numbers(b) == [shared, forB, ownedByA], "\(kind)")
                #expect(try await total(b) == 3, "\(kind)")
                #expect(try await total(pmo) == 4, "\(kind)")
                #expect(try await numbers(w.tokens["viewer"]!).count == 4)

                // Vendor A creates, edits its own and what it owns, but not others' project-wide items.
                let mine = try await create(a, "A社起票")
                #expect(mine.status == .created, "\(kind): \(mine.body.string)")
                let mineNumber = mine.json["number"] as? Int ?? 0
                #expect(try await Kit.patch(t, a, "\(base)/\(mineNumber)", ["description": "A社で対応"]).status == .ok, "\(kind)")
                #expect(try await Kit.patch(t, a, "\(base)/\(ownedByA)", ["description": "着手済み"]).status == .ok, "\(kind)")
                let others = try await Kit.patch(t, a, "\(base)/\(shared)", ["description": "x"])
                #expect(others.status == .forbidden, "\(kind)")
                #expect(others.problemCode == "\(kind.rawValue).edit_forbidden")
                #expect(try await Kit.patch(t, b, "\(base)/\(forB)", ["description": "B社で対応"]).status == .ok, "\(kind)")
                #expect(try await t.send(.POST, "\(base)/\(shared)/comments", token: a, json: ["body": "A社です"]).status == .created)
                // A vendor may not hide an item from others, nor delete.
                let hide = try await create(a, "隠したい", ["visibility": "internal"])
                #expect(hide.status == .unprocessableEntity)
                #expect(Kit.errors(hide).contains("visibility:not_allowed"), "\(kind): \(hide.body.string)")
                #expect(try await t.send(.DELETE, "\(base)/\(mineNumber)", token: a, headers: [("If-Match", "\"2\"")]).status == .forbidden)

                // A viewer reads but never writes; an outsider does not learn the project exists.
                let viewer = try await create(w.tokens["viewer"]!, "閲覧者")
                #expect(viewer.status == .forbidden, "\(kind)")
                #expect(viewer.problemCode == "\(kind.rawValue).create_forbidden")
                #expect(try await t.send(.POST, "\(base)/\(shared)/comments", token: w.tokens["viewer"]!, json: ["body": "x"]).status == .forbidden)
                let outsider = try await t.send(.GET, base, token: w.tokens["outsider"]!)
                #expect(outsider.status == .notFound)
                #expect(outsider.problemCode == "project.not_found")
                #expect(try await t.send(.GET, "\(base)/\(shared)", token: w.tokens["outsider"]!).status == .notFound)
                #expect(try await create(w.tokens["outsider"]!, "x").status == .notFound)
            }
            // Vendor A's own work list and overview never mention the hidden items.
            let work = try await t.send(.GET, "/api/v1/me/work", token: a)
            #expect(work.items.count == RegisterKind.allCases.filter { ItemType($0).isWork }.count,
                    "one item owned by vendor A on each register but the systems and business functions")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLinkToAHiddenItemIsRefusedLikeAMissingOne(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let a = w.tokens["vendorA"]!
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pmo, json: ["title": "社内の判断", "visibility": "internal"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/questions", token: pmo, json: [
                "title": "B社への質問", "visibility": "company", "visibilityCompanyId": w.vendorB.uuidString.lowercased()]).status == .created)
            _ = try await t.createIssue(pmo, ["title": "社内課題", "visibility": "internal"])
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: a, json: Kit.body(.risk, title: "A社のリスク")).status == .created)

            let missing = try await t.send(.POST, "/api/v1/projects/CRM/risks/1/links", token: a, json: ["to": "CRM-D99", "kind": "relates_to"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.problemCode == "link.invalid")
            #expect(Kit.errors(missing) == ["to:not_found"])
            for hidden in ["CRM-D1", "Q1", "CRM-I1"] {
                let res = try await t.send(.POST, "/api/v1/projects/CRM/risks/1/links", token: a, json: ["to": hidden, "kind": "relates_to"])
                #expect(res.status == .unprocessableEntity, "\(hidden)")
                #expect(res.problemCode == "link.invalid", "\(hidden)")
                #expect(Kit.errors(res) == ["to:not_found"], "\(hidden)")
                let reference = "CRM-" + (ItemReference(hidden)?.description.split(separator: "-").last.map(String.init) ?? "")
                #expect(res.json["detail"] as? String == (missing.json["detail"] as? String)?.replacingOccurrences(of: "CRM-D99", with: reference))
            }
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/1/links", token: a).items.isEmpty)

            // Staff may link the vendor's risk to the internal decision; the vendor still does not see that end.
            let staffLink = try await t.send(.POST, "/api/v1/projects/CRM/risks/1/links", token: pmo, json: ["to": "CRM-D1", "kind": "relates_to"])
            #expect(staffLink.status == .created, "\(staffLink.body.string)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/1/links", token: pmo).items.count == 1)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/1/links", token: a).items.isEmpty)
            // Links to visible items work for the vendor, and a reference of another project is named as such.
            let visible = try await t.send(.POST, "/api/v1/projects/CRM/risks/1/links", token: a, json: ["to": "R1", "kind": "relates_to"])
            #expect(Kit.errors(visible) == ["to:self_link"])
            #expect(Kit.errors(try await t.send(.POST, "/api/v1/projects/CRM/risks/1/links", token: a, json: ["to": "ERP-D1"])) == ["to:other_project"])
            #expect(Kit.errors(try await t.send(.POST, "/api/v1/projects/CRM/risks/1/links", token: a, json: ["to": "D"])) == ["to:invalid_reference"])
        }
    }

    /// The trail of an item the vendor sees does not name an item hidden from it (a staff link to an internal
    /// decision is left out of the vendor's /links; its reference should not surface in /history either).
    @Test(arguments: TestDatabase.available)
    func aVendorsHistoryDoesNotNameItemsHiddenFromIt(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let a = w.tokens["vendorA"]!
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/decisions", token: pmo, json: ["title": "社内の判断", "visibility": "internal"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: a, json: Kit.body(.risk, title: "A社のリスク")).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks/1/links", token: pmo, json: ["to": "CRM-D1", "kind": "relates_to"]).status == .created)
            let staff = try await t.send(.GET, "/api/v1/projects/CRM/risks/1/history", token: pmo)
            #expect(staff.body.string.contains("CRM-D1"), "staff see the link in the trail")
            let vendor = try await t.send(.GET, "/api/v1/projects/CRM/risks/1/history", token: a)
            #expect(vendor.status == .ok)
            #expect(vendor.body.string.contains("CRM-D1") == false, "vendor A's trail names the internal decision: \(vendor.body.string)")
        }
    }
}
