import Foundation
import PMOCore
import PMODemo
import PMOStore
import PMOTestSupport
import PMOWords
import Testing
import VaporTesting

/// Signals over the API and on the pages: worded in the reader's language from the stable code and values, refused to
/// vendors, acknowledged, snoozed (a bad day named), turned into a risk or an issue, and their thresholds refused
/// naming the field. Every answer is checked against the served document (`TestApp.send`).
@Suite("Signals: API and pages")
struct SignalPageTests {
    /// An overdue action owned by the PM and a top risk without an owner, computed.
    func seed(_ t: TestApp, _ w: World) async throws -> UUID {
        let today = CalendarDate(t.store.now(), in: TimeZone.japan)
        _ = try await t.store.items.createRegisterItem(w.users["pm"]!, key: "CRM", kind: .action, fields: RegisterItemFields(
            title: "Send the interface spec", status: "open", ownerID: UserID(w.users["pm"]!.userID), dueDate: today.adding(days: -3)))
        _ = try await t.store.items.createRegisterItem(w.users["pm"]!, key: "CRM", kind: .risk, fields: RegisterItemFields(
            title: "Vendor staff leave", status: "identified", details: [
                "riskType": .text("threat"), "category": .text("vendor"), "probability": .integer(4),
                "impactSchedule": .integer(4), "impactCost": .integer(2), "impactQuality": .integer(2)]))
        let projectID = try #require(try await t.store.projects.list(for: w.admin).first { $0.0.key == "CRM" }?.0.id)
        try await t.store.signals.recompute(projectID: projectID)
        return projectID
    }

    @Test(arguments: TestDatabase.available)
    func apiWordsActsAndRefuses(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            _ = try await seed(t, w)
            let pm = w.tokens["pm"]!
            let list = try await t.send(.GET, "/api/v1/projects/CRM/signals", token: pm)
            #expect(list.status == .ok)
            let items = list.items
            #expect(Set(items.compactMap { $0["code"] as? String }) == ["actions_overdue", "risk_no_owner"])
            let overdue = try #require(items.first { $0["code"] as? String == "actions_overdue" })
            #expect(overdue["title"] as? String == "Overdue actions")
            #expect(overdue["text"] as? String == "pm has 1 overdue action, the oldest 3 days late")
            #expect(overdue["state"] as? String == "new" && overdue["severity"] as? String == "amber")
            let values = (overdue["values"] as? [[String: String]]) ?? []
            #expect(values.contains(["name": "days", "value": "3"]) && values.contains(["name": "n", "value": "1"]))
            #expect((list.json["thresholds"] as? [String: Any])?["indexAmber"] as? Double == 0.95)
            let id = try #require(overdue["id"] as? String)

            // Vendors do not read signals; viewers read and may not act.
            let vendor = try await t.send(.GET, "/api/v1/projects/CRM/signals", token: w.tokens["vendorA"]!)
            #expect(vendor.status == .forbidden && vendor.problemCode == "signal.read_forbidden")
            #expect(try await t.send(.GET, "/api/v1/signals", token: w.tokens["vendorA"]!).items.isEmpty)
            #expect(try await t.send(.GET, "/api/v1/signals", token: pm).items.count == 2)
            let viewer = try await t.send(.POST, "/api/v1/projects/CRM/signals/\(id)/acknowledge", token: w.tokens["viewer"]!, json: ["note": "seen"])
            #expect(viewer.status == .forbidden)

            // A bad snooze day and an unknown field are named; nothing changes.
            let past = try await t.send(.POST, "/api/v1/projects/CRM/signals/\(id)/acknowledge", token: pm, json: ["snoozeUntil": "2020-01-01"])
            #expect(past.status == .unprocessableEntity && past.fieldErrors == ["snoozeUntil"])
            let unknown = try await t.send(.POST, "/api/v1/projects/CRM/signals/\(id)/acknowledge", token: pm, json: ["colour": "red"])
            #expect(unknown.status == .unprocessableEntity && unknown.fieldErrors == ["colour"])
            let acked = try await t.send(.POST, "/api/v1/projects/CRM/signals/\(id)/acknowledge", token: pm,
                                         json: ["note": "Chasing the vendor"], headers: [("If-Match", "\"1\"")])
            #expect(acked.status == .ok, "\(acked.body.string)")
            #expect(acked.json["state"] as? String == "acknowledged" && acked.json["note"] as? String == "Chasing the vendor")
            #expect(acked.headers.first(name: .eTag) == "\"2\"")
            let stale = try await t.send(.POST, "/api/v1/projects/CRM/signals/\(id)/acknowledge", token: pm, json: [:], headers: [("If-Match", "\"1\"")])
            #expect(stale.status == .conflict)
            let detail = try await t.send(.GET, "/api/v1/projects/CRM/signals/\(id)", token: pm)
            #expect(((detail.json["history"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String } == ["acknowledged", "raised"])

            // Turned into a risk in one step: 201, the item's address, its title the signal's sentence.
            let ownerless = try #require(items.first { $0["code"] as? String == "risk_no_owner" }?["id"] as? String)
            let converted = try await t.send(.POST, "/api/v1/projects/CRM/signals/\(ownerless)/convert", token: pm, json: ["into": "risk"])
            #expect(converted.status == .created, "\(converted.body.string)")
            #expect(converted.json["item"] as? String == "CRM-R2")
            #expect(converted.headers.first(name: .location) == "/api/v1/projects/CRM/risks/2")
            let risk = try await t.send(.GET, "/api/v1/projects/CRM/risks/2", token: pm)
            #expect(risk.json["title"] as? String == "CRM-R1 'Vendor staff leave' scores 16 and has no response owner")
            let twice = try await t.send(.POST, "/api/v1/projects/CRM/signals/\(ownerless)/convert", token: pm, json: ["into": "issue"])
            #expect(twice.status == .conflict && twice.problemCode == "signal.already_converted")
            let badKind = try await t.send(.POST, "/api/v1/projects/CRM/signals/\(ownerless)/convert", token: pm, json: ["into": "action"])
            #expect(badKind.status == .unprocessableEntity && badKind.fieldErrors == ["into"])

            // Thresholds: out of range named by field; saved with a version.
            let bad = try await t.send(.PUT, "/api/v1/projects/CRM/signals/thresholds", token: pm, json: ["indexAmber": 3, "staleDays": 0])
            #expect(bad.status == .unprocessableEntity && Set(bad.fieldErrors) == ["indexAmber", "staleDays"])
            let crossed = try await t.send(.PUT, "/api/v1/projects/CRM/signals/thresholds", token: pm, json: ["indexAmber": 0.8, "indexRed": 0.9])
            #expect(crossed.status == .unprocessableEntity && crossed.problemCode == "signal.invalid_thresholds" && crossed.fieldErrors == ["indexRed"])
            let saved = try await t.send(.PUT, "/api/v1/projects/CRM/signals/thresholds", token: pm, json: ["staleDays": 7])
            #expect(saved.status == .ok && saved.json["staleDays"] as? Int == 7 && saved.json["indexAmber"] as? Double == 0.95)
            #expect(saved.headers.first(name: .eTag) == "\"1\"")
            let read = try await t.send(.GET, "/api/v1/projects/CRM/signals/thresholds", token: w.tokens["viewer"]!)
            #expect(read.json["staleDays"] as? Int == 7)
            let viewerPut = try await t.send(.PUT, "/api/v1/projects/CRM/signals/thresholds", token: w.tokens["viewer"]!, json: ["staleDays": 9])
            #expect(viewerPut.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func pagesListActAndConvert(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            _ = try await seed(t, w)
            let pm = try await BrowserSession.login(t, email: "pm@example.com")
            let page = try await pm.get("/projects/CRM/signals")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("data-code=\"actions_overdue\"") && html.contains("pm has 1 overdue action, the oldest 3 days late"))
            #expect(html.contains("href=\"/projects/CRM/signals\" class=\"on\""), "the project menu marks signals")
            #expect(html.contains("id=\"thresholds\""))
            let overdue = try #require(try await t.store.signals.list(w.users["pm"]!, key: "CRM").signals.first { $0.code == .actionsOverdue })
            let id = overdue.id.uuidString.lowercased()
            #expect(html.contains("/projects/CRM/signals/\(id)/acknowledge"))

            // Acknowledge from the list, then snooze from the signal's page (a day in the past is refused on the page).
            let ack = try await pm.post("/projects/CRM/signals/\(id)/acknowledge", ["version": "\(overdue.version)", "back": "list"])
            #expect(ack.status == .seeOther && ack.headers.first(name: .location) == "/projects/CRM/signals")
            let refused = try await pm.post("/projects/CRM/signals/\(id)/acknowledge", ["action": "snooze", "until": "2020-01-01"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("class=\"alert\""))
            let detail = try await pm.get("/projects/CRM/signals/\(id)").body.string
            #expect(detail.contains("id=\"signal-history\"") && detail.contains("data-state=\"acknowledged\""))
            #expect(detail.contains("acknowledged by pm"))

            // Turned into an issue: the page goes to the new issue.
            let ownerless = try #require(try await t.store.signals.list(w.users["pm"]!, key: "CRM").signals.first { $0.code == .riskNoOwner })
            let converted = try await pm.post("/projects/CRM/signals/\(ownerless.id.uuidString.lowercased())/convert", ["into": "issue"])
            #expect(converted.status == .seeOther && converted.headers.first(name: .location) == "/projects/CRM/issues/1")
            let after = try await pm.get("/projects/CRM/signals/\(ownerless.id.uuidString.lowercased())").body.string
            #expect(after.contains("turned into CRM-I1") && !after.contains("data-act=\"to-risk\""))

            // Thresholds refused on the page name the field; across projects lists the open ones.
            let bad = try await pm.post("/projects/CRM/signals/thresholds", ["indexAmber": "abc", "staleDays": "0"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("indexAmber must be a number"))
            let across = try await pm.get("/signals").body.string
            #expect(across.contains("data-code=\"actions_overdue\"") && across.contains("href=\"/projects/CRM/signals\""))
            #expect(try await pm.get("/portfolio").body.string.contains("href=\"/signals\""))

            // A vendor has no signals menu entry and is refused the page; a viewer sees no forms.
            let vendor = try await BrowserSession.login(t, email: "vendora@example.com")
            #expect(try await vendor.get("/projects/CRM/signals").status == .forbidden)
            #expect(!(try await vendor.get("/projects/CRM").body.string.contains("/projects/CRM/signals")))
            let viewer = try await BrowserSession.login(t, email: "viewer@example.com")
            let seen = try await viewer.get("/projects/CRM/signals").body.string
            #expect(seen.contains("data-code=\"actions_overdue\"") && !seen.contains("/acknowledge\"") && !seen.contains("name=\"indexAmber\""))
        }
    }

    /// The demo's CRM project has signals from its plan and registers, one turned into a risk and one acknowledged;
    /// its vendors see none of them.
    @Test func demoHasSignals() async throws {
        try await TestApp.with(.sqlite) { t in
            _ = try await DemoData.load(into: t.store, bcryptCost: 4)
            let s = t.store
            let pmo = try Caller(try #require(try await s.accounts.user(email: "pmo@demo.pmo")))
            let kaede = try Caller(try #require(try await s.accounts.user(email: "kaede.lead@demo.pmo")))
            let list = try await s.signals.list(pmo, key: "CRM")
            let codes = Set(list.signals.map(\.code))
            #expect(codes.isSuperset(of: [.milestoneSlip, .riskTriggered, .actionsOverdue, .questionBlocking, .itemStale]), "\(codes)")
            let converted = list.signals.filter { $0.item != nil }
            #expect(converted.count == 1 && converted[0].item?.hasPrefix("CRM-R") == true)
            let risk = try await s.items.registerItem(pmo, key: "CRM", kind: .risk, number: Int(converted[0].item!.dropFirst(5))!)
            #expect(risk.record.ownerID == pmo.userID && risk.record.status == "identified")
            #expect(list.signals.contains { $0.note == "次回定例で担当者と期限を再設定する。" })
            await #expect(throws: DomainError.self) { _ = try await s.signals.list(kaede, key: "CRM") }

            // The steering committee's next agenda brings signals, worst first, none about what another rule listed;
            // the health's overall status names them.
            let steering = try #require(try await s.meetings.series(pmo, key: "CRM").first { $0.fields.rules.contains(.signals) })
            let today = CalendarDate(s.now(), in: TimeZone.japan)
            let next = try await s.meetings.prepareOccurrence(pmo, key: "CRM", seriesID: steering.id, today: today)
            let agenda = next.items
            let signalLines = agenda.filter { $0.rule == .signals }
            #expect(!signalLines.isEmpty && signalLines.count <= AgendaRule.maxSignals)
            #expect(signalLines.allSatisfy { $0.visibility.scope == .internal && $0.reasons.first?.code == .signal })
            let references = agenda.compactMap(\.reference)
            #expect(Set(references).count == references.count, "an item is on the agenda twice")
            let kaedeView = try await s.meetings.occurrence(kaede, key: "CRM", seriesID: steering.id, number: next.number)
            #expect(kaedeView.items.allSatisfy { $0.rule != .signals }, "a vendor reads signal lines of the agenda")
            let health = try await s.reports.health(pmo, key: "CRM", today: today)
            #expect(health.status?.area(.overall)?.reasons.contains { $0.code == .signals } == true)
        }
    }

    /// Facts that raise every rule at once, so that each sentence is checked against the values its rule really gives.
    static func factsRaisingEveryRule() -> SignalFacts {
        let today = CalendarDate(iso: "2026-12-04")!
        let dates = [today.adding(days: -21), today.adding(days: -14), today.adding(days: -7), today]
        func item(_ ref: String, _ type: ItemType, changed: Int = 0, due: Int? = nil, owner: String? = "u1", blocks: Bool = false,
                  awaiting: Bool = false, score: Int? = nil, review: Int? = nil, signs: [String] = []) -> SignalFacts.Item {
            SignalFacts.Item(reference: ref, type: type, title: "Title of \(ref)", awaitingDecision: awaiting, ownerKey: owner,
                             ownerName: owner.map { "Owner \($0)" }, dueDate: due.map { today.adding(days: -$0) }, changedOn: today.adding(days: -changed),
                             score: score, blocksWork: blocks, reviewDate: review.map { today.adding(days: -$0) }, triggeredSigns: signs)
        }
        return SignalFacts(
            today: today, statusDates: dates,
            indexTrend: zip(dates, [(0.99, 0.97), (0.95, 0.93), (0.90, 0.88), (0.80, 0.82)]).map { .init(date: $0, spi: $1.0, cpi: $1.1) },
            milestones: [MilestoneStatus(uid: 50, name: "Go-live", baselineFinish: today.adding(days: 20), forecastFinish: today.adding(days: 27),
                                         slipDays: 5, done: false)],
            lastWeekSlips: [50: 2],
            activities: [
                SignalFacts.Activity(uid: 10, name: "Build", companyKey: "c1", ownerKey: "u2", ownerName: "Owner u2", started: true, done: false,
                                     plannedFinish: today.adding(days: 30), records: [(dates[0], 20)]),
                SignalFacts.Activity(uid: 11, name: "Test", started: true, done: false, plannedFinish: today.adding(days: -3),
                                     records: [(dates[2], 60), (dates[3], 60)]),
            ],
            companies: [SignalFacts.Company(key: "c1", name: "Aoba", spi: [0.9, 0.9, 0.9, 0.8])],
            items: [item("P-I1", .issue, changed: 30), item("P-A2", .action, due: 4), item("P-Q3", .question, due: 2, blocks: true),
                    item("P-D4", .decision, due: 6, awaiting: true), item("P-R5", .risk, owner: nil, score: 16, review: 3, signs: ["Staff left"]),
                    SignalFacts.Item(reference: "P-F6", type: .interface, title: "Title of P-F6", changedOn: today,
                                     lateForMilestone: .init(name: "Go-live", date: today.adding(days: 20)),
                                     environmentDown: .init(environment: "Test environment", from: today.adding(days: 3), to: today.adding(days: 5)))],
            decisionLeadTimes: [3, 5])
    }

    /// Each rule's sentence, in both languages, names every value its rule gives and leaves no placeholder behind.
    @Test func everySentenceSaysItsValues() {
        let raised = SignalRules.evaluate(Self.factsRaisingEveryRule(), SignalThresholds())
        #expect(Set(raised.map(\.code)) == Set(SignalCode.allCases), "missing: \(Set(SignalCode.allCases).subtracting(raised.map(\.code)))")
        for language in Language.allCases {
            let t = Words(language)
            for signal in raised {
                let sentence = t("signal.\(signal.code.rawValue)", signal.values)
                #expect(!sentence.contains("{") && !sentence.contains("["), "\(signal.code) in \(language): \(sentence)")
                for (name, value) in signal.values where !value.isEmpty {
                    #expect(sentence.contains(value), "\(signal.code) in \(language) does not say its \(name) (\(value)): \(sentence)")
                }
            }
        }
    }

    /// Every rule has its title and sentence in both languages, and its sentence names only values the rule gives.
    @Test func everyRuleHasItsWords() {
        for language in Language.allCases {
            let t = Words(language)
            for code in SignalCode.allCases {
                #expect(t.table["signal.\(code.rawValue)"] != nil && t.table["signal.\(code.rawValue).title"] != nil, "\(code) in \(language)")
            }
        }
        let f = SignalFacts(today: CalendarDate(iso: "2026-12-04")!, indexTrend: [.init(date: CalendarDate(iso: "2026-12-04")!, spi: 0.8, cpi: nil)])
        let raised = SignalRules.evaluate(f, SignalThresholds())
        #expect(Words(.ja)("signal.spi_low", raised[0].values) == "2026-12-04 時点の SPI が 0.80（基準 0.85 未満）")
        #expect(Words(.en)("signal.spi_low", raised[0].values) == "SPI is 0.80 at 2026-12-04, below 0.85")
    }
}
