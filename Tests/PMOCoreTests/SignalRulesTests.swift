import Foundation
import PMOCore
import Testing

/// Each signal rule at its threshold: just under it nothing is raised, at it the signal is raised with the severity and
/// values its words name; and the ledger's raise / update / worsen / clear.
@Suite("Signal rules")
struct SignalRulesTests {
    static let today = CalendarDate(iso: "2026-12-04")!
    static func day(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }
    static let t = SignalThresholds()

    func only(_ f: SignalFacts, _ code: SignalCode, _ t: SignalThresholds = t) -> [RaisedSignal] {
        SignalRules.evaluate(f, t).filter { $0.code == code }
    }

    func trend(_ spis: [Double?], cpi: [Double?]? = nil) -> SignalFacts {
        let dates = spis.indices.map { Self.today.adding(days: -7 * (spis.count - 1 - $0)) }
        let cpis = cpi ?? spis.map { _ in nil }
        return SignalFacts(today: Self.today, statusDates: dates,
                           indexTrend: dates.indices.map { SignalFacts.IndexPoint(date: dates[$0], spi: spis[$0], cpi: cpis[$0]) })
    }

    @Test func spiAndCpiBelowTheirLines() {
        #expect(only(trend([0.95]), .spiLow).isEmpty, "0.95 is on the line, not below it")
        let amber = only(trend([0.94]), .spiLow)
        #expect(amber.count == 1 && amber[0].severity == .amber && amber[0].values["spi"] == "0.94" && amber[0].values["line"] == "0.95")
        #expect(amber[0].subject == "project" && amber[0].links == [SignalLink(.earnedValue, "")])
        let red = only(trend([0.84]), .spiLow)
        #expect(red[0].severity == .red && red[0].values["line"] == "0.85" && red[0].values["date"] == "2026-12-04")
        #expect(only(trend([0.85]), .spiLow)[0].severity == .amber, "0.85 is not below the red line")
        #expect(only(trend([0.949]), .spiLow)[0].values["spi"] == "0.949", "two decimals would read as the line itself")
        #expect(only(trend([0.954, 0.953, 0.951]), .spiFalling)[0].values["from"] == "0.954")
        let cost = only(trend([1.0], cpi: [0.80]), .cpiLow)
        #expect(cost.count == 1 && cost[0].severity == .red && cost[0].values["cpi"] == "0.80")
        // The PMO's own lines.
        var tuned = SignalThresholds()
        tuned.indexAmber = 0.9
        #expect(only(trend([0.92]), .spiLow, tuned).isEmpty)
        // Magnitude in steps of 0.05: 0.94 and 0.91 are the same step, 0.89 the next.
        #expect(only(trend([0.94]), .spiLow)[0].magnitude == only(trend([0.91]), .spiLow)[0].magnitude)
        #expect(only(trend([0.89]), .spiLow)[0].magnitude > only(trend([0.91]), .spiLow)[0].magnitude)
    }

    @Test func indexFallingForThreeStatusDates() {
        #expect(only(trend([1.10, 1.05]), .spiFalling).isEmpty, "two dates are not three")
        #expect(only(trend([1.10, 1.05, 1.05]), .spiFalling).isEmpty, "level is not falling")
        #expect(only(trend([1.00, 1.10, 1.05]), .spiFalling).isEmpty)
        let falling = only(trend([1.20, 1.10, 1.00, 0.97]), .spiFalling)
        #expect(falling.count == 1 && falling[0].severity == .amber)
        #expect(falling[0].values == ["from": "1.10", "to": "0.97", "n": "3", "since": "2026-11-20"])
        #expect(only(trend([1, 1, 1], cpi: [1.0, 0.99, 0.98]), .cpiFalling).count == 1)
        var four = SignalThresholds()
        four.fallingDates = 4
        #expect(only(trend([1.10, 1.00, 0.97]), .spiFalling, four).isEmpty)
    }

    @Test func milestoneSlipAndItsGrowth() {
        func facts(slip: Double?, done: Bool = false, lastWeek: Double? = nil) -> SignalFacts {
            var f = SignalFacts(today: Self.today)
            f.milestones = [MilestoneStatus(uid: 7, name: "Go-live", baselineFinish: Self.day("2026-12-10"), forecastFinish: Self.day("2026-12-15"),
                                            slipDays: slip, done: done)]
            if let lastWeek { f.lastWeekSlips = [7: lastWeek] }
            return f
        }
        #expect(only(facts(slip: 0), .milestoneSlip).isEmpty)
        #expect(only(facts(slip: -2), .milestoneSlip).isEmpty)
        let amber = only(facts(slip: 4.5), .milestoneSlip)
        #expect(amber.count == 1 && amber[0].severity == .amber && amber[0].subject == "activity:7")
        #expect(amber[0].values == ["name": "Go-live", "days": "4.5", "baseline": "2026-12-10", "forecast": "2026-12-15"])
        #expect(amber[0].links == [SignalLink(.activity, "7", label: "Go-live")])
        #expect(only(facts(slip: 5), .milestoneSlip)[0].severity == .red, "5 working days is the red line")
        #expect(only(facts(slip: 9, done: true), .milestoneSlip).isEmpty, "a milestone reached is no sign")
        var tuned = SignalThresholds()
        tuned.milestoneSlipDays = 2
        #expect(only(facts(slip: 2), .milestoneSlip, tuned).isEmpty && only(facts(slip: 2.5), .milestoneSlip, tuned).count == 1)
        // Grew since last week's report.
        #expect(only(facts(slip: 3, lastWeek: 3), .milestoneSlipGrew).isEmpty)
        #expect(only(facts(slip: 3), .milestoneSlipGrew).isEmpty, "no report a week ago: nothing to compare")
        let grew = only(facts(slip: 4, lastWeek: 1), .milestoneSlipGrew)
        #expect(grew.count == 1 && grew[0].values == ["name": "Go-live", "days": "4", "before": "1", "growth": "3"])
    }

    @Test func silentAndStuckActivities() {
        let dates = [Self.day("2026-11-20"), Self.day("2026-11-27"), Self.day("2026-12-04")]
        func facts(_ records: [(CalendarDate, Double)], started: Bool = true, done: Bool = false, finish: String = "2026-12-31") -> SignalFacts {
            SignalFacts(today: Self.today, statusDates: dates,
                        activities: [SignalFacts.Activity(uid: 12, name: "Build", companyKey: "c1", started: started, done: done,
                                                          plannedFinish: Self.day(finish), records: records.map { (date: $0.0, percent: $0.1) })],
                        companies: [SignalFacts.Company(key: "c1", name: "Aoba", spi: [nil, nil, nil])])
        }
        // Recorded at the one status date before the last: one date missed, not two.
        #expect(only(facts([(dates[1], 40)]), .activityNoUpdate).isEmpty)
        let silent = only(facts([(dates[0], 30)]), .activityNoUpdate)
        #expect(silent.count == 1 && silent[0].values == ["name": "Build", "n": "2", "last": "2026-11-20"] && silent[0].subject == "activity:12")
        let never = only(facts([]), .activityNoUpdate)
        #expect(never.count == 1 && never[0].values["last"] == "" && never[0].values["n"] == "3")
        #expect(only(facts([], started: false), .activityNoUpdate).isEmpty, "not started: nothing to report yet")
        #expect(only(facts([], done: true), .activityNoUpdate).isEmpty)
        // Stuck: the same % at the last two records and the planned finish passed.
        #expect(only(facts([(dates[1], 60), (dates[2], 60)], finish: "2026-12-04"), .activityStuck).isEmpty, "finishing on the status date is not past it")
        let stuck = only(facts([(dates[1], 60), (dates[2], 60)], finish: "2026-12-01"), .activityStuck)
        #expect(stuck.count == 1 && stuck[0].values == ["name": "Build", "percent": "60", "finish": "2026-12-01"])
        #expect(only(facts([(dates[1], 50), (dates[2], 60)], finish: "2026-12-01"), .activityStuck).isEmpty, "moving is not stuck")
        // The company: no record of its work in progress at the current status date.
        let company = only(facts([(dates[1], 40)]), .companyNotReported)
        #expect(company.count == 1 && company[0].values == ["company": "Aoba", "date": "2026-12-04", "n": "1"] && company[0].subject == "company:c1")
        #expect(only(facts([(dates[2], 40)]), .companyNotReported).isEmpty)
    }

    @Test func vendorSlippingAtThreeStatusDates() {
        func facts(_ spi: [Double?]) -> SignalFacts {
            SignalFacts(today: Self.today, statusDates: spi.indices.map { Self.today.adding(days: -7 * (spi.count - 1 - $0)) },
                        companies: [SignalFacts.Company(key: "c2", name: "Kaede", spi: spi)])
        }
        #expect(only(facts([0.9, 0.9]), .vendorSlipping).isEmpty)
        #expect(only(facts([0.9, 0.96, 0.9]), .vendorSlipping).isEmpty)
        #expect(only(facts([0.9, nil, 0.9]), .vendorSlipping).isEmpty, "a date without a measure breaks the run")
        let slipping = only(facts([1.0, 0.94, 0.92, 0.90]), .vendorSlipping)
        #expect(slipping.count == 1 && slipping[0].severity == .amber && slipping[0].values == ["company": "Kaede", "n": "3", "spi": "0.90"])
        #expect(only(facts([0.9, 0.9, 0.8]), .vendorSlipping)[0].severity == .red)
    }

    @Test func registersAgeingOverdueBlockingAndLate() {
        func item(_ ref: String, _ type: ItemType, changed: Int = 0, due: Int? = nil, owner: String? = nil, blocks: Bool = false,
                  awaiting: Bool = false) -> SignalFacts.Item {
            SignalFacts.Item(reference: ref, type: type, title: "T \(ref)", awaitingDecision: awaiting, ownerKey: owner,
                             ownerName: owner.map { "Name \($0)" }, dueDate: due.map { Self.today.adding(days: -$0) },
                             changedOn: Self.today.adding(days: -changed), blocksWork: blocks)
        }
        func facts(_ items: [SignalFacts.Item], leadTimes: [Double] = []) -> SignalFacts {
            SignalFacts(today: Self.today, items: items, decisionLeadTimes: leadTimes)
        }
        #expect(only(facts([item("P-I1", .issue, changed: 13)]), .itemStale).isEmpty)
        let stale = only(facts([item("P-I1", .issue, changed: 14)]), .itemStale)
        #expect(stale.count == 1 && stale[0].severity == .amber && stale[0].values == ["ref": "P-I1", "title": "T P-I1", "days": "14"])
        #expect(only(facts([item("P-A1", .action, changed: 28)]), .itemStale)[0].severity == .red)
        #expect(only(facts([item("P-R1", .risk, changed: 40)]), .itemStale).isEmpty, "risks have their review date instead")
        // Overdue actions, one signal per owner.
        let overdue = only(facts([item("P-A1", .action, due: 3, owner: "u1"), item("P-A2", .action, due: 9, owner: "u1"),
                                  item("P-A3", .action, due: 0, owner: "u1"), item("P-A4", .action, due: 1)]), .actionsOverdue)
        #expect(overdue.count == 2)
        let mine = overdue.first { $0.subject == "owner:u1" }
        #expect(mine?.values == ["owner": "Name u1", "n": "2", "days": "9"] && mine?.severity == .amber, "due today is not overdue")
        #expect(mine?.links.map(\.target) == ["P-A2", "P-A1"], "oldest first")
        #expect(overdue.first { $0.subject == "owner:none" }?.values["owner"] == "")
        #expect(only(facts([item("P-A1", .action, due: 10, owner: "u1")]), .actionsOverdue)[0].severity == .red)
        // Questions that block work past their due date.
        #expect(only(facts([item("P-Q1", .question, due: 5)]), .questionBlocking).isEmpty, "not blocking")
        #expect(only(facts([item("P-Q1", .question, due: 0, blocks: true)]), .questionBlocking).isEmpty)
        let blocking = only(facts([item("P-Q1", .question, due: 1, blocks: true)]), .questionBlocking)
        #expect(blocking.count == 1 && blocking[0].values["days"] == "1")
        // Decisions past need-by, red once as late as the project's median lead time.
        #expect(only(facts([item("P-D1", .decision, due: 3)]), .decisionLate).isEmpty, "decided or not awaiting")
        let late = only(facts([item("P-D1", .decision, due: 3, awaiting: true)], leadTimes: [2, 4, 9]), .decisionLate)
        #expect(late.count == 1 && late[0].severity == .amber && late[0].values == ["ref": "P-D1", "title": "T P-D1", "days": "3", "median": "4"])
        #expect(only(facts([item("P-D1", .decision, due: 4, awaiting: true)], leadTimes: [2, 4, 9]), .decisionLate)[0].severity == .red)
        #expect(only(facts([item("P-D1", .decision, due: 9, awaiting: true)]), .decisionLate)[0].severity == .amber, "no history: the overdue line (10)")
        #expect(only(facts([item("P-D1", .decision, due: 10, awaiting: true)]), .decisionLate)[0].values["median"] == "")
    }

    @Test func risksTriggeredUnreviewedAndOwnerless() {
        func risk(score: Int, owner: String? = nil, review: Int? = nil, signs: [String] = []) -> SignalFacts {
            SignalFacts(today: Self.today, items: [SignalFacts.Item(reference: "P-R3", type: .risk, title: "Vendor delay", ownerKey: owner,
                                                                      changedOn: Self.today, score: score,
                                                                      reviewDate: review.map { Self.today.adding(days: -$0) }, triggeredSigns: signs)])
        }
        #expect(only(risk(score: 16, owner: "u"), .riskTriggered).isEmpty)
        let triggered = only(risk(score: 11, owner: "u", signs: ["Test env late", "Key staff left"]), .riskTriggered)
        #expect(triggered.count == 1 && triggered[0].severity == .amber)
        #expect(triggered[0].values == ["ref": "P-R3", "title": "Vendor delay", "sign": "Test env late", "n": "2"])
        #expect(only(risk(score: 12, owner: "u", signs: ["x"]), .riskTriggered)[0].severity == .red, "at the risk threshold: red")
        #expect(only(risk(score: 5, owner: "u", review: 0), .riskReviewOverdue).isEmpty, "review due today is not overdue")
        #expect(only(risk(score: 5, owner: "u", review: 3), .riskReviewOverdue)[0].values == ["ref": "P-R3", "title": "Vendor delay", "date": "2026-12-01", "days": "3"])
        #expect(only(risk(score: 11), .riskNoOwner).isEmpty, "under the threshold: not a top risk")
        #expect(only(risk(score: 12), .riskNoOwner)[0].severity == .amber)
        #expect(only(risk(score: 20), .riskNoOwner)[0].severity == .red)
        #expect(only(risk(score: 20, owner: "u"), .riskNoOwner).isEmpty)
    }

    @Test func worstFirst() {
        let f = SignalFacts(today: Self.today, indexTrend: [SignalFacts.IndexPoint(date: Self.today, spi: 0.9, cpi: 0.8)])
        #expect(SignalRules.evaluate(f, Self.t).map(\.code) == [.cpiLow, .spiLow])
    }

    @Test func ledger() {
        let now = RaisedSignal(.spiLow, subject: "project", severity: .amber, magnitude: 0.05, values: ["spi": "0.93"])
        #expect(SignalLedger.change(kept: nil, now: now) == .raised)
        #expect(SignalLedger.change(kept: nil, now: nil) == .unchanged)
        var kept = SignalRecordState(isOpen: true, severity: .amber, magnitude: 0.05, values: ["spi": "0.93"])
        #expect(SignalLedger.change(kept: kept, now: now) == .unchanged)
        var other = now
        other.values = ["spi": "0.91"]
        #expect(SignalLedger.change(kept: kept, now: other) == .updated)
        // Acknowledged at 0.05: the same step is no news, a further step or a rise to red asks again.
        kept.acknowledgedSeverity = .amber
        kept.acknowledgedMagnitude = 0.05
        #expect(SignalLedger.change(kept: kept, now: other) == .updated)
        var worse = now
        worse.magnitude = 0.10
        #expect(SignalLedger.change(kept: kept, now: worse) == .worsened)
        var red = now
        red.severity = .red
        #expect(SignalLedger.change(kept: kept, now: red) == .worsened)
        var better = now
        better.magnitude = 0
        #expect(SignalLedger.change(kept: kept, now: better) == .updated)
        #expect(SignalLedger.change(kept: kept, now: nil) == .cleared)
        kept.isOpen = false
        #expect(SignalLedger.change(kept: kept, now: nil) == .unchanged)
        #expect(SignalLedger.change(kept: kept, now: now) == .raised, "back after it cleared")
    }

    /// The agenda's signals rule lists each open signal once: not an item or activity another rule already listed, not
    /// on a vendor's own meeting, and as internal (vendors do not read signals).
    @Test func agendaListsSignalsOnce() {
        let day = Self.today
        let action = AgendaSourceItem(type: .action, number: 4, reference: "PJ-A4", title: "Send spec", status: "open", isOpen: true,
                                      isDueStatus: true, dueDate: day.adding(days: -3), createdAt: Date(), updatedAt: Date())
        let slipping = AgendaActivity(uid: 9, name: "Build", isMilestone: false, isDone: false, finish: day.adding(days: 10),
                                      baselineFinish: day.adding(days: 5), finishSlipDays: 3)
        let signals = [
            AgendaSignal(RaisedSignal(.itemStale, subject: "item:PJ-A4", severity: .amber, values: ["ref": "PJ-A4", "title": "Send spec", "days": "20"],
                                      links: [SignalLink(.item, "PJ-A4", label: "Send spec")]), projectKey: "PJ"),
            AgendaSignal(RaisedSignal(.activityNoUpdate, subject: "activity:9", severity: .amber, values: ["name": "Build", "n": "2", "last": ""],
                                      links: [SignalLink(.activity, "9", label: "Build")]), projectKey: "PJ"),
            AgendaSignal(RaisedSignal(.spiLow, subject: "project", severity: .red, values: ["spi": "0.80", "line": "0.85", "date": "2026-12-04"],
                                      links: [SignalLink(.earnedValue, "")]), projectKey: "PJ"),
            AgendaSignal(RaisedSignal(.riskNoOwner, subject: "item:PJ-R2", severity: .amber, values: ["ref": "PJ-R2", "title": "Staff", "score": "12"],
                                      links: [SignalLink(.item, "PJ-R2", label: "Staff leave")]), projectKey: "PJ"),
        ]
        let facts = AgendaFacts(meetingDate: day, nextMeetingDate: day.adding(days: 7), since: Date(timeIntervalSince1970: 0),
                                items: [action], activities: [slipping], carried: [], signals: signals)
        let entries = AgendaGenerator.generate(facts, settings: AgendaSettings())
        let bySignals = entries.filter { $0.rule == .signals }
        #expect(bySignals.map(\.title) == ["SPI", "Staff leave"], "the action and the activity are listed by their own rules already")
        #expect(bySignals.map(\.reference) == [nil, "PJ-R2"] && bySignals.allSatisfy { $0.visibility.scope == .internal })
        #expect(bySignals[0].reasons == [AgendaReason(.signal, ["spi_low", "date=2026-12-04", "line=0.85", "spi=0.80"])])
        #expect(entries.filter { $0.reference == "PJ-A4" }.count == 1 && entries.filter { $0.activityUID == 9 }.count == 1)
        // Signals first: then they list the item and the activity, and the other rules do not repeat them.
        let first = AgendaGenerator.generate(facts, settings: AgendaSettings(order: [.signals]))
        #expect(first.filter { $0.reference == "PJ-A4" }.map(\.rule) == [.signals])
        #expect(first.filter { $0.activityUID == 9 }.map(\.rule) == [.signals])
        #expect(AgendaGenerator.generate(facts, settings: AgendaSettings(companyID: CompanyID(UUID()))).allSatisfy { $0.rule != .signals })
    }

    @Test func thresholdsOutOfRangeNameTheirField() {
        #expect(SignalThresholds().problems().isEmpty)
        var t = SignalThresholds()
        t.indexAmber = 2
        t.indexRed = 0.9
        t.fallingDates = 1
        t.milestoneRedDays = 0
        t.staleDays = 0
        t.riskThreshold = 30
        let fields = t.problems().map(\.field)
        #expect(Set(fields) == ["indexAmber", "fallingDates", "milestoneRedDays", "staleDays", "riskThreshold"])
        // Each value outside its range is out_of_range; a red line on the wrong side of the amber one is a rule
        // between two fields (out_of_order), which no schema of one field can say.
        #expect(t.problems().allSatisfy {
            $0.code == "out_of_range" || ($0.field == "milestoneRedDays" && $0.code == "out_of_order")
        })
        var crossed = SignalThresholds()
        crossed.indexRed = 0.97
        #expect(crossed.problems().map(\.field) == ["indexRed"])
        #expect(crossed.problems().map(\.code) == ["out_of_order"])
        var nan = SignalThresholds()
        nan.indexAmber = .nan
        #expect(nan.problems().map(\.field) == ["indexAmber"])
        // Stored values missing a field read as its default.
        let decoded = try? JSONDecoder().decode(SignalThresholds.self, from: Data(#"{"staleDays": 7}"#.utf8))
        #expect(decoded?.staleDays == 7 && decoded?.indexAmber == 0.95)
    }
}
