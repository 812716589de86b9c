import Foundation
import PMOInterchange
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The plan API end to end: activities, links and the schedule they give, progress, baselines, earned value, who may
/// see and do what, and Microsoft Project import and export.
@Suite("Plan API")
struct PlanAPITests {
    static let plan = "/api/v1/projects/CRM/plan"

    /// A small Microsoft Project file: a summary with two linked tasks, and a milestone after them.
    static func mspdi(missingPredecessor: Bool = false) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Project xmlns="http://schemas.microsoft.com/project">
        <Name>Vendor plan</Name>
        <StartDate>2026-05-11T09:00:00</StartDate>
        <MinutesPerDay>480</MinutesPerDay>
        <Tasks>
        <Task><UID>0</UID><ID>0</ID><Name>Vendor plan</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>
        <Task><UID>1</UID><ID>1</ID><Name>Build phase</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>
        <Task><UID>2</UID><ID>2</ID><Name>Code</Name><OutlineLevel>2</OutlineLevel><Duration>PT40H0M0S</Duration></Task>
        <Task><UID>3</UID><ID>3</ID><Name>Test</Name><OutlineLevel>2</OutlineLevel><Duration>PT24H0M0S</Duration>
        <PredecessorLink><PredecessorUID>\(missingPredecessor ? 99 : 2)</PredecessorUID><Type>1</Type></PredecessorLink></Task>
        <Task><UID>4</UID><ID>4</ID><Name>Handover</Name><OutlineLevel>1</OutlineLevel><Milestone>1</Milestone><Duration>PT0H0M0S</Duration>
        <PredecessorLink><PredecessorUID>3</PredecessorUID><Type>1</Type></PredecessorLink></Task>
        </Tasks>
        </Project>
        """
    }

    static func xml(_ t: TestApp, _ path: String, token: String, body: String) async throws -> TestingHTTPResponse {
        try await t.send(.POST, path, token: token, rawBody: body, headers: [("Content-Type", "application/xml")])
    }

    static func create(_ t: TestApp, _ token: String, _ fields: [String: Any?]) async throws -> Int {
        let res = try await t.send(.POST, "\(plan)/activities", token: token, json: fields)
        #expect(res.status == .created, "\(res.body.string)")
        return res.json["uid"] as? Int ?? -1
    }

    static func etag(_ res: TestingHTTPResponse) -> String { res.headers.first(name: .eTag) ?? "" }

    static func rows(_ res: TestingHTTPResponse) -> [Int: [String: Any]] {
        Dictionary(res.items.compactMap { row in (row["uid"] as? Int).map { ($0, row) } }, uniquingKeysWith: { a, _ in a })
    }

    static func count(_ t: TestApp, _ token: String) async throws -> Int {
        try await t.send(.GET, "\(plan)/activities", token: token).items.count
    }

    /// Phase 1 (a summary) with Design (vendor A) and Build (vendor B), a Go-live milestone and an unlinked Docs task,
    /// on a plan starting Wednesday 2026-04-01. Returns the uids.
    static func makePlan(_ t: TestApp, _ w: World) async throws -> (phase: Int, design: Int, build: Int, golive: Int, docs: Int) {
        let pm = w.tokens["pm"]!
        let settings = try await t.send(.GET, plan, token: pm)
        #expect(settings.status == .ok)
        let patched = try await t.send(.PATCH, plan, token: pm, json: ["start": "2026-04-01", "name": "CRM master schedule"],
                                       headers: [("If-Match", etag(settings))])
        #expect(patched.status == .ok, "\(patched.body.string)")
        #expect(patched.json["start"] as? String == "2026-04-01")
        let phase = try await create(t, pm, ["name": "Phase 1", "durationDays": 1])
        let design = try await create(t, pm, ["name": "Design", "parentUid": phase, "durationDays": 5,
                                              "companyId": w.vendorA.uuidString, "budgetAmount": 1_000_000,
                                              "ownerId": w.users["member"]!.userID.uuidString])
        let build = try await create(t, pm, ["name": "Build", "parentUid": phase, "durationDays": 10,
                                             "companyId": w.vendorB.uuidString, "budgetAmount": 2_000_000])
        let golive = try await create(t, pm, ["name": "Go-live", "kind": "milestone"])
        let docs = try await create(t, pm, ["name": "Docs", "durationMinutes": 960, "deadline": "2026-04-30"])
        return (phase, design, build, golive, docs)
    }

    @Test(arguments: TestDatabase.available)
    func fullFlowFromActivitiesToEarnedValue(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!
            let ids = try await Self.makePlan(t, w)

            // Without links every task starts on the plan's first day; the longest one is critical.
            var schedule = try await t.send(.GET, "\(Self.plan)/schedule", token: pm)
            #expect(schedule.status == .ok)
            var rows = Self.rows(schedule)
            #expect(schedule.items.map { $0["outline"] as? String } == ["1", "1.1", "1.2", "2", "3"])
            #expect(rows[ids.phase]?["kind"] as? String == "summary")
            #expect(rows[ids.golive]?["kind"] as? String == "milestone")
            #expect(rows[ids.design]?["start"] as? String == "2026-04-01T09:00:00")
            #expect(rows[ids.design]?["durationDays"] as? Double == 5)
            #expect(rows[ids.design]?["durationMinutes"] as? Int == 2400)
            #expect(rows[ids.docs]?["durationDays"] as? Double == 2)
            #expect(rows[ids.build]?["start"] as? String == "2026-04-01T09:00:00")
            #expect(rows[ids.build]?["critical"] as? Bool == true)
            #expect(rows[ids.design]?["critical"] as? Bool == false)
            #expect(rows[ids.design]?["totalFloatDays"] as? Double == 5)
            #expect((rows[ids.design]?["owner"] as? [String: Any])?["name"] as? String == "member")
            #expect((rows[ids.build]?["company"] as? [String: Any])?["name"] as? String == "Vendor B")
            #expect(rows[ids.phase]?["budget"] as? Double == 3_000_000)
            #expect(rows[ids.docs]?["deadline"] as? String == "2026-04-30T18:00:00")
            let firstVersion = Self.etag(schedule)

            // Links move the dates: Build waits for Design, Go-live for Build.
            for (p, s) in [(ids.design, ids.build), (ids.build, ids.golive)] {
                let link = try await t.send(.POST, "\(Self.plan)/dependencies", token: pm, json: ["predecessorUid": p, "successorUid": s])
                #expect(link.status == .created, "\(link.body.string)")
                #expect(link.json["type"] as? String == "FS")
            }
            schedule = try await t.send(.GET, "\(Self.plan)/schedule", token: pm)
            #expect(Self.etag(schedule) != firstVersion)
            rows = Self.rows(schedule)
            #expect(rows[ids.design]?["finish"] as? String == "2026-04-07T18:00:00")
            #expect(rows[ids.build]?["start"] as? String == "2026-04-08T09:00:00")
            #expect(rows[ids.build]?["finish"] as? String == "2026-04-21T18:00:00")
            #expect((rows[ids.golive]?["finish"] as? String)?.hasPrefix("2026-04-2") == true)
            #expect(rows[ids.design]?["critical"] as? Bool == true)
            #expect(rows[ids.build]?["critical"] as? Bool == true)
            #expect(rows[ids.golive]?["critical"] as? Bool == true)
            #expect(rows[ids.docs]?["critical"] as? Bool == false)
            #expect((schedule.json["projectFinish"] as? String)?.hasPrefix("2026-04-2") == true)
            let links = try await t.send(.GET, "\(Self.plan)/dependencies", token: pm)
            #expect(links.items.count == 2)

            // The schedule's ETag is the plan version: If-None-Match answers 304 until the plan changes.
            let same = try await t.send(.GET, "\(Self.plan)/schedule", token: pm, headers: [("If-None-Match", Self.etag(schedule))])
            #expect(same.status == .notModified)
            let stale = try await t.send(.GET, "\(Self.plan)/schedule", token: pm, headers: [("If-None-Match", firstVersion)])
            #expect(stale.status == .ok)

            // Progress at a status date: a vendor on its own company's activity.
            #expect(try await t.send(.PUT, "\(Self.plan)/status-date", token: pm, json: ["date": "2026-04-06"]).status == .ok)
            let progress = try await t.send(.POST, "\(Self.plan)/activities/\(ids.design)/progress", token: w.tokens["vendorA"]!,
                                            json: ["actualStart": "2026-04-01", "percentComplete": 60, "actualCost": 500_000])
            #expect(progress.status == .ok, "\(progress.body.string)")
            #expect(progress.json["percentComplete"] as? Double == 60)
            #expect(progress.json["actualStart"] as? String == "2026-04-01T09:00:00")
            #expect(progress.json["actualCost"] as? Double == 500_000)
            let review = try await t.send(.GET, "\(Self.plan)/progress", token: pm)
            #expect(review.json["statusDate"] as? String == "2026-04-06")
            #expect(((review.json["changes"] as? [[String: Any]]) ?? []).contains { $0["uid"] as? Int == ids.design && $0["percentAfter"] as? Double == 60 })

            // Baseline 0, then Build grows by two days: the comparison puts the slip first.
            let baseline = try await t.send(.POST, "\(Self.plan)/baselines", token: pm, json: ["name": "Approved plan"])
            #expect(baseline.status == .created, "\(baseline.body.string)")
            #expect(baseline.json["number"] as? Int == 0)
            let build = try await t.send(.GET, "\(Self.plan)/activities/\(ids.build)", token: pm)
            let longer = try await t.send(.PATCH, "\(Self.plan)/activities/\(ids.build)", token: pm, json: ["durationDays": 12],
                                          headers: [("If-Match", Self.etag(build))])
            #expect(longer.status == .ok, "\(longer.body.string)")
            #expect(longer.json["finish"] as? String == "2026-04-23T18:00:00")
            let comparison = try await t.send(.GET, "\(Self.plan)/baselines/0/comparison", token: pm)
            #expect(comparison.status == .ok, "\(comparison.body.string)")
            let first = try #require(comparison.items.first)
            #expect(first["finishSlipDays"] as? Double == 2)
            #expect([ids.build, ids.golive, ids.phase].contains(first["uid"] as? Int ?? -1))
            #expect(comparison.items.contains { $0["uid"] as? Int == ids.design && $0["finishSlipDays"] as? Double == 0 })
            #expect(comparison.items.contains { $0["uid"] as? Int == ids.golive && $0["milestone"] as? Bool == true })
            #expect(try await t.send(.GET, "\(Self.plan)/baselines", token: pm).items.count == 1)
            #expect(try await t.send(.GET, "\(Self.plan)/baselines/3/comparison", token: pm).status == .notFound)

            // Earned value: BAC 3,000,000; EV 60 % of Design; AC as recorded.
            let ev = try await t.send(.GET, "\(Self.plan)/earned-value", token: pm)
            #expect(ev.status == .ok, "\(ev.body.string)")
            let project = try #require(ev.json["project"] as? [String: Any])
            #expect(project["bac"] as? Double == 3_000_000)
            #expect(project["ev"] as? Double == 600_000)
            #expect(project["ac"] as? Double == 500_000)
            #expect(project["cpi"] as? Double == 1.2)
            #expect(ev.json["scope"] as? String == "project")
            #expect(ev.json["baseline"] as? Int == 0)
            let byCompany = (ev.json["byCompany"] as? [[String: Any]]) ?? []
            #expect(byCompany.contains { $0["companyName"] as? String == "Vendor A" && $0["bac"] as? Double == 1_000_000 })
            #expect(byCompany.contains { $0["companyName"] as? String == "Vendor B" && $0["bac"] as? Double == 2_000_000 })
            let branches = (ev.json["byBranch"] as? [[String: Any]]) ?? []
            #expect(branches.map { $0["uid"] as? Int } == [ids.phase, ids.golive, ids.docs])
            #expect(branches.first?["bac"] as? Double == 3_000_000)
            #expect(((ev.json["trend"] as? [[String: Any]]) ?? []).map { $0["statusDate"] as? String } == ["2026-04-06"])
            #expect(!((ev.json["pvCurve"] as? [Any]) ?? []).isEmpty)
            let bad = try await t.send(.GET, "\(Self.plan)/earned-value?at=2026-02-30&color=red", token: pm)
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.fieldErrors) == ["at", "color"])

            // Summaries roll up from their tasks: Phase is Design (5 days, 1,000,000, 60 %, AC 500,000) and Build
            // (12 days, 2,000,000, not started). By duration (the default): 60 × 5 / 17 = 17.65 %.
            var phaseRow = Self.rows(try await t.send(.GET, "\(Self.plan)/schedule", token: pm))[ids.phase]
            #expect(phaseRow?["budget"] as? Double == 3_000_000)
            #expect(phaseRow?["actualCost"] as? Double == 500_000)
            #expect(phaseRow?["percentComplete"] as? Double == 17.65)
            // By budget when the plan says so: 60 % of 1,000,000 out of 3,000,000 = 20 %.
            let current = try await t.send(.GET, Self.plan, token: pm)
            #expect(current.json["progressWeighting"] as? String == "duration")
            let byBudget = try await t.send(.PATCH, Self.plan, token: pm, json: ["progressWeighting": "budget"],
                                            headers: [("If-Match", Self.etag(current))])
            #expect(byBudget.status == .ok, "\(byBudget.body.string)")
            #expect(byBudget.json["progressWeighting"] as? String == "budget")
            phaseRow = Self.rows(try await t.send(.GET, "\(Self.plan)/schedule", token: pm))[ids.phase]
            #expect(phaseRow?["percentComplete"] as? Double == 20)
            // A vendor reads the same % complete, but no sum that holds another company's costs.
            let vendorRows = Self.rows(try await t.send(.GET, "\(Self.plan)/schedule", token: w.tokens["vendorA"]!))
            #expect(vendorRows[ids.phase]?["percentComplete"] as? Double == 20)
            #expect(vendorRows[ids.phase]?["budget"] is NSNull)
            #expect(vendorRows[ids.design]?["budget"] as? Double == 1_000_000)
            #expect(try await t.send(.PATCH, Self.plan, token: pm, json: ["progressWeighting": "money"],
                                     headers: [("If-Match", "*")]).status == .unprocessableEntity)

            // A vendor sees its own company's figures only.
            let vendorEV = try await t.send(.GET, "\(Self.plan)/earned-value", token: w.tokens["vendorA"]!)
            #expect(vendorEV.json["scope"] as? String == "company")
            #expect(vendorEV.json["project"] is NSNull)
            #expect(((vendorEV.json["byBranch"] as? [Any]) ?? [1]).isEmpty)
            #expect(((vendorEV.json["pvCurve"] as? [Any]) ?? [1]).isEmpty)
            let vendorCompanies = (vendorEV.json["byCompany"] as? [[String: Any]]) ?? []
            #expect(vendorCompanies.count == 1)
            #expect(vendorCompanies.first?["companyName"] as? String == "Vendor A")
            #expect(vendorCompanies.first?["ev"] as? Double == 600_000)

            // Delete needs If-Match too; deleting the summary takes its rows and their links.
            let phase = try await t.send(.GET, "\(Self.plan)/activities/\(ids.phase)", token: pm)
            #expect(try await t.send(.DELETE, "\(Self.plan)/activities/\(ids.phase)", token: pm).status == .preconditionRequired)
            let deleted = try await t.send(.DELETE, "\(Self.plan)/activities/\(ids.phase)", token: pm, headers: [("If-Match", Self.etag(phase))])
            #expect(deleted.status == .noContent, "\(deleted.body.string)")
            #expect(try await Self.count(t, pm) == 2)
            #expect(try await t.send(.GET, "\(Self.plan)/dependencies", token: pm).items.isEmpty)
            #expect(try await t.send(.GET, "\(Self.plan)/activities/\(ids.design)", token: pm).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func versionsCyclesAndImpossibleConstraints(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!
            let ids = try await Self.makePlan(t, w)
            for (p, s) in [(ids.design, ids.build), (ids.build, ids.golive)] {
                #expect(try await t.send(.POST, "\(Self.plan)/dependencies", token: pm, json: ["predecessorUid": p, "successorUid": s]).status == .created)
            }

            // ETag and If-Match on an activity: missing 428, stale 409 and nothing written, current 200 with a new ETag.
            let read = try await t.send(.GET, "\(Self.plan)/activities/\(ids.design)", token: pm)
            #expect(read.status == .ok)
            let version = Self.etag(read)
            #expect(version == "\"\(read.json["version"] as? Int ?? 0)\"")
            let missing = try await t.send(.PATCH, "\(Self.plan)/activities/\(ids.design)", token: pm, json: ["name": "Basic design"])
            #expect(missing.status == .preconditionRequired)
            #expect(missing.problemCode == "precondition.if_match_required")
            let ok = try await t.send(.PATCH, "\(Self.plan)/activities/\(ids.design)", token: pm, json: ["name": "Basic design", "system": "CRM"],
                                      headers: [("If-Match", version)])
            #expect(ok.status == .ok, "\(ok.body.string)")
            #expect(Self.etag(ok) != version)
            #expect(ok.json["name"] as? String == "Basic design")
            let stale = try await t.send(.PATCH, "\(Self.plan)/activities/\(ids.design)", token: pm, json: ["name": "Overwritten"],
                                         headers: [("If-Match", version)])
            #expect(stale.status == .conflict)
            #expect(stale.problemCode == "version.stale")
            #expect(try await t.send(.GET, "\(Self.plan)/activities/\(ids.design)", token: pm).json["name"] as? String == "Basic design")

            // The plan's own settings: PATCH needs the plan version.
            let settings = try await t.send(.GET, Self.plan, token: pm)
            #expect(try await t.send(.PATCH, Self.plan, token: pm, json: ["minutesPerDay": 450]).status == .preconditionRequired)
            #expect(try await t.send(.PATCH, Self.plan, token: pm, json: ["minutesPerDay": 450], headers: [("If-Match", "\"1\"")]).status == .conflict)
            let perDay = try await t.send(.PATCH, Self.plan, token: pm, json: ["minutesPerDay": 450], headers: [("If-Match", Self.etag(settings))])
            #expect(perDay.status == .ok, "\(perDay.body.string)")
            #expect(perDay.json["minutesPerDay"] as? Int == 450)

            // Unknown and wrong fields are refused and named.
            let unknown = try await t.send(.PATCH, "\(Self.plan)/activities/\(ids.design)", token: pm,
                                           json: ["colour": "red", "durationDays": "five", "constraint": ["type": "SOON"]],
                                           headers: [("If-Match", "*")])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.problemCode == "plan.invalid")
            #expect(Set(unknown.fieldErrors) == ["colour", "durationDays", "constraint.type"])
            let noName = try await t.send(.POST, "\(Self.plan)/activities", token: pm, json: ["durationDays": 1])
            #expect(noName.status == .unprocessableEntity)
            #expect(noName.fieldErrors == ["name"])

            // A link that closes a loop: 422 plan.cycle naming the activities, and nothing changes.
            let before = try await t.send(.GET, "\(Self.plan)/schedule", token: pm)
            let cycle = try await t.send(.POST, "\(Self.plan)/dependencies", token: pm,
                                         json: ["predecessorUid": ids.golive, "successorUid": ids.design, "type": "FS"])
            #expect(cycle.status == .unprocessableEntity)
            #expect(cycle.problemCode == "plan.cycle")
            let detail = cycle.json["detail"] as? String ?? ""
            #expect(detail.contains("Basic design") && detail.contains("Build") && detail.contains("Go-live"), "\(detail)")
            #expect(try await t.send(.GET, "\(Self.plan)/dependencies", token: pm).items.count == 2)
            let after = try await t.send(.GET, "\(Self.plan)/schedule", token: pm)
            #expect(Self.etag(after) == Self.etag(before))
            let self_ = try await t.send(.POST, "\(Self.plan)/dependencies", token: pm, json: ["predecessorUid": ids.docs, "successorUid": ids.docs])
            #expect(self_.problemCode == "plan.cycle")

            // A constraint the links cannot meet is kept, and the schedule lists the conflict with its reason.
            let golive = try await t.send(.GET, "\(Self.plan)/activities/\(ids.golive)", token: pm)
            let constrained = try await t.send(.PATCH, "\(Self.plan)/activities/\(ids.golive)", token: pm,
                                               json: ["constraint": ["type": "FNLT", "date": "2026-04-10"]],
                                               headers: [("If-Match", Self.etag(golive))])
            #expect(constrained.status == .ok, "\(constrained.body.string)")
            let constraint = constrained.json["constraint"] as? [String: Any]
            #expect(constraint?["type"] as? String == "FNLT")
            #expect((constraint?["date"] as? String)?.hasPrefix("2026-04-10T") == true)
            let conflicted = try await t.send(.GET, "\(Self.plan)/schedule", token: pm)
            let diagnostics = (conflicted.json["diagnostics"] as? [[String: Any]]) ?? []
            let conflict = diagnostics.first { $0["code"] as? String == "schedule.constraint_conflict" }
            #expect(conflict != nil, "\(diagnostics)")
            #expect((conflict?["activities"] as? [Int]) == [ids.golive])
            #expect((conflict?["message"] as? String)?.contains("Go-live") == true)
            // The constraint wins, so the work before it runs out of float.
            let negative = diagnostics.first { $0["code"] as? String == "schedule.negative_float" }
            #expect((negative?["activities"] as? [Int] ?? []).contains(ids.build), "\(diagnostics)")
            #expect((Self.rows(conflicted)[ids.build]?["totalFloatDays"] as? Double ?? 0) < 0, "\(Self.rows(conflicted)[ids.build] ?? [:])")
            #expect(Self.rows(conflicted)[ids.golive]?["finish"] as? String == "2026-04-10T18:00:00")

            // Structure: indent and outdent.
            let moved = try await t.send(.POST, "\(Self.plan)/activities/\(ids.docs)/move", token: pm, json: ["move": "indent"])
            #expect(moved.status == .ok, "\(moved.body.string)")
            #expect(moved.json["parentUid"] as? Int == ids.golive)
            let back = try await t.send(.POST, "\(Self.plan)/activities/\(ids.docs)/move", token: pm, json: ["move": "outdent"])
            #expect(back.json["parentUid"] is NSNull)
            #expect(try await t.send(.POST, "\(Self.plan)/activities/\(ids.docs)/move", token: pm, json: ["move": "sideways"]).status == .unprocessableEntity)
        }
    }

    /// Amounts are whole yen: a fraction sent to the API is rounded half up, answers are integers, the earned-value
    /// figures too; a form refuses a fraction typed and reads amounts as people write them.
    @Test func amountsAreWholeYenRoundedHalfUp() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!
            let ids = try await Self.makePlan(t, w)
            let patched = try await t.send(.PATCH, "\(Self.plan)/activities/\(ids.docs)", token: pm, json: ["budgetAmount": 1_234.5],
                                         headers: [("If-Match", "\"1\"")])
            #expect(patched.status == .ok, "\(patched.body.string)")
            #expect(patched.json["budgetAmount"] as? Int == 1_235)
            #expect(try await t.send(.PUT, "\(Self.plan)/companies/\(w.vendorB.uuidString)", token: pm, json: ["hourlyRate": 4_500.5]).json["hourlyRate"] as? Int == 4_501)
            #expect(try await t.send(.PUT, "\(Self.plan)/status-date", token: pm, json: ["date": "2026-04-03"]).status == .ok)
            let progress = try await t.send(.POST, "\(Self.plan)/activities/\(ids.design)/progress", token: pm,
                                            json: ["actualStart": "2026-04-01", "percentComplete": 33.3, "actualCost": 99_999.5])
            #expect(progress.status == .ok, "\(progress.body.string)")
            #expect(progress.json["actualCost"] as? Int == 100_000)
            // EV of Design is 33.3 % of ¥1,000,000 = ¥333,000; every amount of the report is an integer.
            let ev = try await t.send(.GET, "\(Self.plan)/earned-value", token: pm)
            #expect(ev.status == .ok, "\(ev.body.string)")
            let project = try #require(ev.json["project"] as? [String: Any])
            for key in ["bac", "pv", "ev", "ac", "sv", "cv", "eac", "etc", "vac"] {
                #expect(project[key] is Int, "\(key): \(project[key] ?? "missing")")
            }
            #expect(project["ev"] as? Int == 333_000 && project["ac"] as? Int == 100_000)

            // The activity form: `¥1,200,000` is read, `12.5` refused naming the field, and nothing changes.
            let session = try await BrowserSession.login(t, email: "pm@example.com")
            let page = "/projects/CRM/plan/activities/\(ids.build)"
            let form = ["name": "Build", "kind": "task", "durationDays": "10", "costBasis": "fixed", "companyId": w.vendorB.uuidString.lowercased()]
            let saved = try await session.post(page, form.merging(["budgetAmount": "¥1,200,000"]) { $1 })
            #expect(saved.status == .seeOther, "\(saved.status) \(saved.body.string.prefix(300))")
            #expect(try await t.send(.GET, "\(Self.plan)/activities/\(ids.build)", token: pm).json["budgetAmount"] as? Int == 1_200_000)
            let refused = try await session.post(page, form.merging(["budgetAmount": "12.5"]) { $1 })
            #expect(refused.status == .unprocessableEntity, "\(refused.status)")
            #expect(refused.body.string.contains("12.5"))
            #expect(try await t.send(.GET, "\(Self.plan)/activities/\(ids.build)", token: pm).json["budgetAmount"] as? Int == 1_200_000)
        }
    }

    @Test(arguments: TestDatabase.available)
    func rolesAndCommercialData(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!
            let ids = try await Self.makePlan(t, w)
            #expect(try await t.send(.PUT, "\(Self.plan)/companies/\(w.vendorA.uuidString)", token: pm,
                                     json: ["hourlyRate": 12_000, "closures": [["name": "Summer closure", "from": "2026-08-12", "to": "2026-08-14"]]]).status == .ok)
            #expect(try await t.send(.PUT, "\(Self.plan)/companies/\(w.vendorB.uuidString)", token: pm, json: ["hourlyRate": 9_000]).status == .ok)

            // A vendor sees every date, but only its own company's costs, and no sum that includes another's.
            let vendor = try await t.send(.GET, "\(Self.plan)/schedule", token: w.tokens["vendorA"]!)
            #expect(vendor.status == .ok)
            let rows = Self.rows(vendor)
            #expect(rows.count == 5)
            #expect(rows[ids.design]?["budget"] as? Double == 1_000_000)
            #expect(rows[ids.build]?["budget"] is NSNull)
            #expect(rows[ids.build]?["actualCost"] is NSNull)
            #expect(rows[ids.build]?["budgetAmount"] is NSNull)
            #expect(rows[ids.build]?["start"] as? String != nil)
            #expect(rows[ids.phase]?["budget"] is NSNull)
            #expect(!vendor.body.string.contains("2000000"))
            let one = try await t.send(.GET, "\(Self.plan)/activities/\(ids.build)", token: w.tokens["vendorA"]!)
            #expect(one.json["budget"] is NSNull)
            let csv = try await t.send(.GET, "\(Self.plan)/export.csv", token: w.tokens["vendorA"]!)
            #expect(!csv.body.string.contains("2000000"))
            #expect(csv.body.string.contains("1000000"))
            let companies = try await t.send(.GET, "\(Self.plan)/companies", token: w.tokens["vendorA"]!)
            #expect(companies.items.map { $0["companyName"] as? String } == ["Vendor A"])
            #expect(companies.items.first?["hourlyRate"] as? Double == 12_000)
            #expect((companies.items.first?["closures"] as? [[String: Any]])?.first?["from"] as? String == "2026-08-12")
            #expect(try await t.send(.GET, "\(Self.plan)/companies", token: pm).items.count == 2)
            let pmView = Self.rows(try await t.send(.GET, "\(Self.plan)/schedule", token: pm))
            #expect(pmView[ids.build]?["budget"] as? Double == 2_000_000)

            // Progress: a vendor only on its own company's activities; a viewer never; the PM anywhere.
            #expect(try await t.send(.PUT, "\(Self.plan)/status-date", token: pm, json: ["date": "2026-04-03"]).status == .ok)
            let other = try await t.send(.POST, "\(Self.plan)/activities/\(ids.build)/progress", token: w.tokens["vendorA"]!,
                                         json: ["actualStart": "2026-04-01", "percentComplete": 10])
            #expect(other.status == .forbidden)
            #expect(other.problemCode == "plan.progress_forbidden")
            let viewerProgress = try await t.send(.POST, "\(Self.plan)/activities/\(ids.design)/progress", token: w.tokens["viewer"]!,
                                                  json: ["percentComplete": 10])
            #expect(viewerProgress.status == .forbidden)
            let future = try await t.send(.POST, "\(Self.plan)/activities/\(ids.design)/progress", token: pm,
                                          json: ["actualStart": "2026-04-10"])
            #expect(future.status == .unprocessableEntity)
            #expect(future.fieldErrors == ["actualStart"])
            let member = try await t.send(.POST, "\(Self.plan)/activities/\(ids.design)/progress", token: w.tokens["member"]!,
                                          json: ["actualStart": "2026-04-01", "remainingDays": 4], headers: [("If-Match", "\"1\"")])
            #expect(member.status == .ok, "\(member.body.string)")
            #expect(member.json["percentComplete"] as? Double == 20)
            let staleProgress = try await t.send(.POST, "\(Self.plan)/activities/\(ids.design)/progress", token: pm,
                                                 json: ["percentComplete": 30], headers: [("If-Match", "\"1\"")])
            #expect(staleProgress.status == .conflict)

            // A viewer reads but never writes; an outsider does not see the project at all.
            #expect(try await t.send(.GET, "\(Self.plan)/schedule", token: w.tokens["viewer"]!).status == .ok)
            let viewerCreate = try await t.send(.POST, "\(Self.plan)/activities", token: w.tokens["viewer"]!, json: ["name": "Sneaky"])
            #expect(viewerCreate.status == .forbidden)
            #expect(viewerCreate.problemCode == "plan.edit_forbidden")
            #expect(try await t.send(.POST, "\(Self.plan)/dependencies", token: w.tokens["vendorA"]!,
                                     json: ["predecessorUid": ids.design, "successorUid": ids.docs]).status == .forbidden)
            #expect(try await t.send(.POST, "\(Self.plan)/baselines", token: w.tokens["member"]!, json: ["name": "x"]).status == .forbidden)
            for path in ["", "/schedule", "/activities", "/activities/\(ids.design)", "/earned-value", "/export.xml"] {
                let res = try await t.send(.GET, Self.plan + path, token: w.tokens["outsider"]!)
                #expect(res.status == .notFound, "\(path)")
                #expect(res.problemCode == "project.not_found")
            }
            #expect(try await t.send(.GET, "\(Self.plan)/schedule").status == .unauthorized)
            #expect(try await Self.count(t, pm) == 5)
        }
    }

    @Test(arguments: TestDatabase.available)
    func importPreviewApplyAndBadFiles(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!

            // Preview shows what would come in, and stores nothing.
            let preview = try await Self.xml(t, "\(Self.plan)/import?mode=preview", token: pm, body: Self.mspdi())
            #expect(preview.status == .ok, "\(preview.body.string)")
            #expect(preview.json["applied"] as? Bool == false)
            #expect(preview.json["activities"] as? Int == 4)
            #expect(preview.json["links"] as? Int == 2)
            let previewRows = (preview.json["rows"] as? [[String: Any]]) ?? []
            #expect(previewRows.map { $0["name"] as? String } == ["Build phase", "Code", "Test", "Handover"])
            #expect(previewRows.allSatisfy { $0["start"] is String && $0["finish"] is String })
            #expect(try await Self.count(t, pm) == 0)
            #expect(try await t.send(.GET, "\(Self.plan)/calendars", token: pm).items.count == 1)

            // Files that cannot be imported: 422 with the reader's code; nothing stored.
            let malformed = try await Self.xml(t, "\(Self.plan)/import?mode=apply", token: pm,
                                               body: "<?xml version=\"1.0\"?>\n<Project>\n<Tasks>\n<Task><UID>1</UID>\n</Tasks>\n</Project>\n")
            #expect(malformed.status == .unprocessableEntity)
            #expect(malformed.problemCode == "import.mspdi.xml")
            #expect(malformed.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect((malformed.json["detail"] as? String)?.contains("line") == true)
            let missing = try await Self.xml(t, "\(Self.plan)/import?mode=apply", token: pm, body: Self.mspdi(missingPredecessor: true))
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.problemCode == "import.mspdi.missing_task")
            #expect((missing.json["detail"] as? String)?.contains("99") == true)
            let empty = try await Self.xml(t, "\(Self.plan)/import", token: pm, body: "")
            #expect(empty.status == .badRequest)
            let json = try await t.send(.POST, "\(Self.plan)/import", token: pm, json: ["file": "x"])
            #expect(json.status == .unsupportedMediaType)
            #expect(try await Self.xml(t, "\(Self.plan)/import?mode=later", token: pm, body: Self.mspdi()).problemCode == "query.invalid")
            #expect(try await Self.xml(t, "\(Self.plan)/import", token: w.tokens["member"]!, body: Self.mspdi()).status == .forbidden)
            #expect(try await Self.count(t, pm) == 0)

            // Apply stores it; the imported links schedule Test after Code.
            let applied = try await Self.xml(t, "\(Self.plan)/import?mode=apply", token: pm, body: Self.mspdi())
            #expect(applied.status == .ok, "\(applied.body.string)")
            #expect(applied.json["applied"] as? Bool == true)
            let schedule = try await t.send(.GET, "\(Self.plan)/schedule", token: pm)
            #expect(schedule.items.map { $0["name"] as? String } == ["Build phase", "Code", "Test", "Handover"])
            #expect(schedule.items.map { $0["level"] as? Int } == [1, 2, 2, 1])
            let byName = Dictionary(schedule.items.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            #expect((byName["Test"]?["start"] as? String ?? "") >= (byName["Code"]?["finish"] as? String ?? "~"))
            #expect(try await t.send(.GET, "\(Self.plan)/dependencies", token: pm).items.count == 2)

            // A second import goes under an activity.
            let phase = try #require(byName["Build phase"]?["uid"] as? Int)
            let under = try await Self.xml(t, "\(Self.plan)/import?mode=apply&under=\(phase)", token: pm, body: Self.mspdi())
            #expect(under.status == .ok, "\(under.body.string)")
            #expect(try await Self.count(t, pm) == 8)

            // A new project from a file: admins only; preview creates nothing.
            let notAdmin = try await Self.xml(t, "/api/v1/plan-imports?mode=preview&key=NEWP&name=New", token: w.tokens["pmo"]!, body: Self.mspdi())
            #expect(notAdmin.status == .forbidden)
            let sysadmin = w.tokens["sysadmin"]!
            let newPreview = try await Self.xml(t, "/api/v1/plan-imports?mode=preview&key=NEWP&name=New%20project", token: sysadmin, body: Self.mspdi())
            #expect(newPreview.status == .ok, "\(newPreview.body.string)")
            #expect(newPreview.json["projectKey"] as? String == "NEWP")
            #expect(try await t.send(.GET, "/api/v1/projects/NEWP", token: sysadmin).status == .notFound)
            let created = try await Self.xml(t, "/api/v1/plan-imports?mode=apply&key=NEWP&name=New%20project", token: sysadmin, body: Self.mspdi())
            #expect(created.status == .created, "\(created.body.string)")
            #expect(created.headers.first(name: .location) == "/api/v1/projects/NEWP")
            #expect(try await t.send(.GET, "/api/v1/projects/NEWP/plan/schedule", token: sysadmin).items.count == 4)
            let noKey = try await Self.xml(t, "/api/v1/plan-imports?mode=apply&name=X", token: sysadmin, body: Self.mspdi())
            #expect(noKey.fieldErrors == ["key"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func exportsAndSettings(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pm = w.tokens["pm"]!
            let ids = try await Self.makePlan(t, w)
            #expect(try await t.send(.POST, "\(Self.plan)/dependencies", token: pm,
                                     json: ["predecessorUid": ids.design, "successorUid": ids.build, "type": "SS", "lagDays": 2]).status == .created)

            // MSPDI export reads back with the same tasks.
            let xml = try await t.send(.GET, "\(Self.plan)/export.xml", token: pm)
            #expect(xml.status == .ok)
            #expect(xml.headers.contentType?.subType == "xml")
            #expect(xml.headers.first(name: .contentDisposition)?.hasPrefix("attachment; filename=\"CRM-plan-") == true)
            let back = try MSPDIPlanFile.read(Data(buffer: xml.body))
            #expect(back.activities.count == 5)
            #expect(back.dependencies.count == 1)
            #expect(back.dependencies.first?.kind == .startToStart)
            let branch = try await t.send(.GET, "\(Self.plan)/export.xml?branch=\(ids.phase)", token: pm)
            #expect(try MSPDIPlanFile.read(Data(buffer: branch.body)).activities.count == 3)
            #expect(try await t.send(.GET, "\(Self.plan)/export.xml?branch=999", token: pm).status == .notFound)

            // CSV: BOM, header row, one line per activity, CRLF.
            let csv = try await t.send(.GET, "\(Self.plan)/export.csv", token: pm)
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            let text = csv.body.string
            #expect(text.hasPrefix("\u{FEFF}WBS,UID,Name,Kind,Duration (days),Start,Finish,Total float (days),Critical,% complete,"))
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 6)
            #expect(lines.contains { $0.hasPrefix("1.2,\(ids.build),Build,Task,10,2026-04-03,") && $0.contains("\(ids.design)SS+2d") })

            // Calendars: a holiday added to the project calendar moves the work.
            let calendars = try await t.send(.GET, "\(Self.plan)/calendars", token: pm)
            let calendar = try #require(calendars.items.first)
            #expect((calendar["week"] as? [[[String]]])?[1] == [["09:00", "12:00"], ["13:00", "18:00"]])
            #expect(calendar["holidays"] as? String == "japan")
            let uid = calendar["uid"] as? Int ?? 1
            let put = try await t.send(.PUT, "\(Self.plan)/calendars/\(uid)", token: pm, json: [
                "week": [[], [["09:00", "12:00"], ["13:00", "18:00"]], [["09:00", "12:00"], ["13:00", "18:00"]],
                         [["09:00", "12:00"], ["13:00", "18:00"]], [["09:00", "12:00"], ["13:00", "18:00"]],
                         [["09:00", "12:00"], ["13:00", "18:00"]], []],
                "holidays": "japan", "timeZone": "Asia/Tokyo",
                "exceptions": [["name": "Company foundation day", "from": "2026-04-01", "to": "2026-04-01", "working": []]],
            ])
            #expect(put.status == .ok, "\(put.body.string)")
            #expect((put.json["exceptions"] as? [[String: Any]])?.count == 1)
            let moved = Self.rows(try await t.send(.GET, "\(Self.plan)/schedule", token: pm))
            #expect(moved[ids.design]?["start"] as? String == "2026-04-02T09:00:00")
            let badCalendar = try await t.send(.PUT, "\(Self.plan)/calendars/\(uid)", token: pm,
                                               json: ["week": [[["18:00", "09:00"]]], "holidays": "mars"])
            #expect(badCalendar.status == .unprocessableEntity)
            #expect(Set(badCalendar.fieldErrors) == ["week", "holidays"])

            // Phases.
            let phases = try await t.send(.PUT, "\(Self.plan)/phases", token: pm, json: ["items": [
                ["name": "要件定義", "definition": "What the business needs", "exitCriteria": "Signed off"], ["name": "基本設計"],
            ]])
            #expect(phases.status == .ok, "\(phases.body.string)")
            #expect(phases.items.map { $0["name"] as? String } == ["要件定義", "基本設計"])
            let phaseID = phases.items.first?["id"] as? String ?? ""
            let design = try await t.send(.GET, "\(Self.plan)/activities/\(ids.design)", token: pm)
            let tagged = try await t.send(.PATCH, "\(Self.plan)/activities/\(ids.design)", token: pm, json: ["phaseId": phaseID],
                                          headers: [("If-Match", Self.etag(design))])
            #expect(tagged.json["phaseId"] as? String == phaseID)
            #expect(try await t.send(.GET, "\(Self.plan)/phases", token: w.tokens["viewer"]!).items.count == 2)

            // Settings read back; the status date cannot be before the plan's start.
            let settings = try await t.send(.GET, Self.plan, token: pm)
            #expect(settings.json["name"] as? String == "CRM master schedule")
            #expect(settings.json["activityCount"] as? Int == 5)
            #expect(settings.json["canEdit"] as? Bool == true)
            let early = try await t.send(.PUT, "\(Self.plan)/status-date", token: pm, json: ["date": "2026-03-01"])
            #expect(early.status == .unprocessableEntity)
        }
    }
}
