import Foundation
import PMOCore
import Testing

/// The pure rules of meetings and status reports: recurrence, each agenda rule, minutes approval, the status rules and
/// their reasons, overrides, and the week-to-week comparison.
@Suite("Meetings and status reports (core)")
struct MeetingCoreTests {
    static func d(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }
    let alice = UserID(UUID())
    let bob = UserID(UUID())
    let carol = UserID(UUID())
    let vendorCo = CompanyID(UUID())
    /// The meeting: Tuesday 2026-11-24 at 10:00; the previous one a week before.
    let meeting = d("2026-11-24")
    let lastMeeting = Date(timeIntervalSince1970: 1_763_946_000)  // 2025-11-24 01:00 UTC, well before "recent"
    let recent = Date(timeIntervalSince1970: 1_795_500_000)       // 2026-11-23

    func item(_ type: ItemType, _ n: Int, status: String = "open", open: Bool = true, due: String? = nil, owner: UserID? = nil,
              decider: UserID? = nil, score: Int? = nil, triggered: [String] = [], created: Date? = nil, updated: Date? = nil,
              company: CompanyID? = nil) -> AgendaSourceItem {
        let kind = type.register
        return AgendaSourceItem(type: type, number: n, reference: "CRM-\(type.rawValue)\(n)", title: "\(type.rawValue)\(n) title",
                                status: status, isOpen: open, isDueStatus: kind.map { $0.dueStatuses.contains(status) } ?? open,
                                dueDate: due.map(Self.d), ownerID: owner, deciderID: decider, companyID: company,
                                createdAt: created ?? lastMeeting.addingTimeInterval(-86_400 * 30),
                                updatedAt: updated ?? lastMeeting.addingTimeInterval(-86_400 * 30), score: score, triggeredIndicators: triggered)
    }

    func facts(_ items: [AgendaSourceItem] = [], activities: [AgendaActivity] = [], carried: [CarriedPoint] = []) -> AgendaFacts {
        AgendaFacts(meetingDate: meeting, nextMeetingDate: meeting.adding(days: 7), since: lastMeeting.addingTimeInterval(86_400 * 360),
                    items: items, activities: activities, carried: carried)
    }

    func only(_ rule: AgendaRule, _ f: AgendaFacts, deciders: Set<UserID> = [], company: CompanyID? = nil) -> [AgendaEntry] {
        AgendaGenerator.generate(f, settings: AgendaSettings(rules: [rule], riskThreshold: 12, deciderIDs: deciders, companyID: company))
    }

    @Test func recurrenceCountsWeeksFromTheFirstDate() {
        let r = MeetingRecurrence(firstDate: Self.d("2026-10-06"), intervalWeeks: 2, startMinutes: 600, durationMinutes: 60)
        #expect(r.date(ofOccurrence: 1) == Self.d("2026-10-06"))
        #expect(r.date(ofOccurrence: 4) == Self.d("2026-11-17"))
        #expect(r.firstOccurrence(onOrAfter: Self.d("2026-10-01")) == 1)
        #expect(r.firstOccurrence(onOrAfter: Self.d("2026-10-06")) == 1)
        #expect(r.firstOccurrence(onOrAfter: Self.d("2026-10-07")) == 2)
        #expect(r.firstOccurrence(onOrAfter: Self.d("2026-11-17")) == 4)
        #expect(MeetingRecurrence.minutes(ofClock: "09:30") == 570)
        #expect(MeetingRecurrence.minutes(ofClock: "9:3") == nil)
        #expect(MeetingRecurrence.minutes(ofClock: "24:00") == nil)
        #expect(MeetingRecurrence.clock(570) == "09:30")
    }

    @Test func seriesRulesNameEveryProblem() {
        var f = MeetingSeriesFields(name: " ", recurrence: MeetingRecurrence(firstDate: meeting, intervalWeeks: 9, startMinutes: 1500,
                                                                               durationMinutes: 2))
        f.riskThreshold = 30
        f.attendeeIDs = [alice, alice]
        let fields = Set(MeetingRules.validate(f).map(\.field))
        #expect(fields == ["name", "intervalWeeks", "startTime", "durationMinutes", "riskThreshold", "attendees"])
    }

    @Test func actionsDueBeforeTheNextMeetingOrOverdue() {
        let f = facts([item(.action, 1, due: "2026-11-20"), item(.action, 2, due: "2026-11-30"), item(.action, 3, due: "2026-12-01"),
                       item(.action, 4, status: "done", open: false, due: "2026-11-01"), item(.action, 5)])
        let entries = only(.actionsDue, f)
        #expect(entries.map(\.reference) == ["CRM-A1", "CRM-A2"])
        #expect(entries[0].reasons == [AgendaReason(.overdue, ["2026-11-20", "4"])])
        #expect(entries[1].reasons == [AgendaReason(.dueBeforeNext, ["2026-11-30"])])
    }

    @Test func decisionsPendingForTheMeetingsDeciders() {
        let f = facts([item(.decision, 1, status: "pending", decider: alice), item(.decision, 2, status: "proposed", decider: bob),
                       item(.decision, 3, status: "decided", open: false, decider: alice), item(.decision, 4, status: "deferred", decider: alice)])
        #expect(only(.decisionsPending, f, deciders: [alice]).map(\.reference) == ["CRM-D1"])
        // A series without attendees looks at every pending decision.
        #expect(only(.decisionsPending, f).map(\.reference) == ["CRM-D1", "CRM-D2"])
    }

    @Test func issuesRaisedOrChangedSinceTheLastMeeting() {
        let since = facts().since
        let f = facts([item(.issue, 1, created: since.addingTimeInterval(60), updated: since.addingTimeInterval(60)),
                       item(.issue, 2, status: "resolved", open: false, updated: since.addingTimeInterval(120)),
                       item(.issue, 3, updated: since.addingTimeInterval(-60))])
        let entries = only(.issuesChanged, f)
        #expect(entries.map(\.reference) == ["CRM-I2", "CRM-I1"])
        #expect(entries.first { $0.reference == "CRM-I1" }?.reasons == [AgendaReason(.raised)])
        #expect(entries.first { $0.reference == "CRM-I2" }?.reasons == [AgendaReason(.changed, ["resolved"])])
    }

    @Test func risksAboveTheThresholdOrWithATriggeredSign() {
        let f = facts([item(.risk, 1, status: "assessed", score: 16), item(.risk, 2, status: "assessed", score: 6, triggered: ["Vendor late"]),
                       item(.risk, 3, status: "assessed", score: 11), item(.risk, 4, status: "closed", open: false, score: 25)])
        let entries = only(.risksAttention, f)
        #expect(entries.map(\.reference) == ["CRM-R1", "CRM-R2"])
        #expect(entries[0].reasons == [AgendaReason(.score, ["16", "12"])])
        #expect(entries[1].reasons == [AgendaReason(.triggered, ["Vendor late"])])
    }

    @Test func questionsPastTheirAnswerDate() {
        let f = facts([item(.question, 1, due: "2026-11-23"), item(.question, 2, due: "2026-11-24"),
                       item(.question, 3, status: "answered", due: "2026-11-01")])
        let entries = only(.questionsPastDue, f)
        #expect(entries.map(\.reference) == ["CRM-Q1"])
        #expect(entries[0].reasons == [AgendaReason(.pastDue, ["2026-11-23", "1"])])
    }

    @Test func scheduleSlipsBiggestFirstAndCapped() {
        var activities = (1...15).map { AgendaActivity(uid: $0, name: "A\($0)", isMilestone: false, isDone: false, finish: meeting,
                                                        baselineFinish: meeting.adding(days: -$0), finishSlipDays: Double($0)) }
        activities.append(AgendaActivity(uid: 99, name: "Done late", isMilestone: false, isDone: true, finish: meeting, finishSlipDays: 50))
        activities.append(AgendaActivity(uid: 98, name: "Early", isMilestone: false, isDone: false, finish: meeting, finishSlipDays: -2))
        let entries = only(.scheduleSlips, facts(activities: activities))
        #expect(entries.count == AgendaRule.maxSlips)
        #expect(entries.first?.activityUID == 15)
        #expect(entries.first?.reasons == [AgendaReason(.slip, ["15", meeting.adding(days: -15).description, meeting.description])])
        #expect(entries.contains { $0.activityUID == 99 || $0.activityUID == 98 } == false)
    }

    @Test func milestonesInTheNextTwoWeeks() {
        let f = facts(activities: [
            AgendaActivity(uid: 1, name: "Design freeze", isMilestone: true, isDone: false, finish: meeting.adding(days: 3),
                           baselineFinish: meeting, finishSlipDays: 2),
            AgendaActivity(uid: 2, name: "Go-live", isMilestone: true, isDone: false, finish: meeting.adding(days: 15)),
            AgendaActivity(uid: 3, name: "Kickoff", isMilestone: true, isDone: true, finish: meeting.adding(days: 1)),
            AgendaActivity(uid: 4, name: "Task", isMilestone: false, isDone: false, finish: meeting.adding(days: 1)),
            AgendaActivity(uid: 5, name: "Today", isMilestone: true, isDone: false, finish: meeting),
        ])
        let entries = only(.milestonesAhead, f)
        #expect(entries.map(\.title) == ["Today", "Design freeze"])
        #expect(entries[1].reasons.first == AgendaReason(.milestone, [meeting.adding(days: 3).description, "3"]))
        #expect(entries[1].reasons.count == 2)
    }

    @Test func carriedPointsComeFirstAndAnItemIsListedOnce() {
        let carried = CarriedPoint(title: "Vendor contract", notes: "Waiting for legal", itemType: .action, itemNumber: 1,
                                   reference: "CRM-A1", fromOccurrence: 3)
        let f = facts([item(.action, 1, due: "2026-11-20")], carried: [carried, CarriedPoint(title: "Free point", fromOccurrence: 3)])
        let entries = AgendaGenerator.generate(f, settings: AgendaSettings())
        #expect(entries.map(\.rule) == [.carriedOver, .carriedOver])
        #expect(entries[0].notes == "Waiting for legal")
        #expect(entries[0].reasons == [AgendaReason(.carried, ["3"])])
    }

    /// A series puts its rules in its own order, and a capped rule brings its first items first: the rest follow every
    /// rule's items (and the time box then puts them under "if time allows"), marked as over the cap.
    @Test func seriesPriorityOrdersTheRulesAndACapSendsTheRestLast() {
        let f = facts([item(.action, 1, due: "2026-11-20"), item(.action, 2, due: "2026-11-21"), item(.action, 3, due: "2026-11-22"),
                       item(.decision, 4, status: "proposed", due: "2026-11-25")])
        let usual = AgendaGenerator.generate(f, settings: AgendaSettings(rules: [.actionsDue, .decisionsPending]))
        #expect(usual.compactMap(\.reference) == ["CRM-A1", "CRM-A2", "CRM-A3", "CRM-D4"])
        let settings = AgendaSettings(rules: [.actionsDue, .decisionsPending], order: [.decisionsPending, .actionsDue], caps: [.actionsDue: 2])
        let entries = AgendaGenerator.generate(f, settings: settings)
        #expect(entries.compactMap(\.reference) == ["CRM-D4", "CRM-A1", "CRM-A2", "CRM-A3"])
        #expect(entries.last?.reasons.last == AgendaReason(.overCap, ["2"]))
        #expect(entries.dropLast().allSatisfy { !$0.reasons.contains { $0.code == .overCap } })
        // With the time box of a 12-minute meeting (5 + 2 + 2 + 2), the over-cap action is the one that does not fit.
        let minutes = entries.map { AgendaTimeBox.minutes(given: nil, rule: $0.rule) }
        #expect(AgendaTimeBox.fit(minutes, length: 9).fits == [true, true, true, false])
        // Caps are 1 to 50, and a rule is named once.
        var series = MeetingSeriesFields(name: "定例", recurrence: MeetingRecurrence(firstDate: meeting, intervalWeeks: 1, startMinutes: 600, durationMinutes: 60))
        series.ruleCaps = [.actionsDue: 0]
        series.rules = [.actionsDue, .actionsDue]
        #expect(Set(MeetingRules.validate(series).map(\.field)) == ["ruleCaps", "rules"])
    }

    @Test func aVendorMeetingLooksAtItsCompanyOnly() {
        let f = facts([item(.action, 1, due: "2026-11-20", company: vendorCo), item(.action, 2, due: "2026-11-20")],
                      activities: [AgendaActivity(uid: 1, name: "Theirs", isMilestone: true, isDone: false, companyID: vendorCo, finish: meeting),
                                   AgendaActivity(uid: 2, name: "Ours", isMilestone: true, isDone: false, finish: meeting)])
        let entries = AgendaGenerator.generate(f, settings: AgendaSettings(companyID: vendorCo))
        #expect(entries.map { $0.reference ?? $0.title } == ["CRM-A1", "Theirs"])
    }

    @Test func approvalNamesEveryIncompleteOpenAction() {
        let problems = MeetingRules.approvalProblems(actions: [
            MinutesAction(reference: "CRM-A7", title: "Send the spec", ownerID: nil, dueDate: nil),
            MinutesAction(reference: "CRM-A8", title: "Book the room", ownerID: alice, dueDate: nil),
            MinutesAction(reference: "CRM-A9", title: "Fine", ownerID: alice, dueDate: meeting),
            MinutesAction(reference: "CRM-A10", title: "Cancelled", ownerID: nil, dueDate: nil, isOpen: false),
        ])
        #expect(problems.count == 2)
        #expect(problems[0].message.contains("CRM-A7") && problems[0].message.contains("owner and due date"))
        #expect(problems[1].message.contains("CRM-A8") && problems[1].message.contains("due date"))
    }

    // MARK: Status rules

    @Test func scheduleIsRedBelowSPI085OrAMilestoneFiveDaysLate() {
        var m = StatusMetrics(hasPlan: true, spi: 0.97)
        #expect(StatusRules.evaluate(m).first { $0.area == .schedule }?.computed == .green)
        m.spi = 0.9
        #expect(StatusRules.evaluate(m).first { $0.area == .schedule }?.computed == .amber)
        m.spi = 0.86
        m.milestones = [MilestoneStatus(uid: 1, name: "Design freeze", baselineFinish: meeting, forecastFinish: meeting.adding(days: 8),
                                        slipDays: 6, done: false)]
        let schedule = StatusRules.evaluate(m).first { $0.area == .schedule }!
        #expect(schedule.computed == .red)
        #expect(schedule.reasons == [StatusReason(.spi, ["0.86"]), StatusReason(.milestoneLate, ["Design freeze", "6"])])
        #expect(StatusRules.evaluate(StatusMetrics()).first { $0.area == .schedule }?.computed == .grey)
    }

    @Test func costFromCPIAndTheForecastAgainstBudget() {
        let green = StatusMetrics(bac: 100, ev: 50, ac: 50, cpi: 1.0, eac: 100)
        #expect(StatusRules.evaluate(green).first { $0.area == .cost }?.computed == .green)
        let over = StatusMetrics(bac: 100, ev: 50, ac: 52, cpi: 0.96, eac: 104)
        let cost = StatusRules.evaluate(over).first { $0.area == .cost }!
        #expect(cost.computed == .amber)
        #expect(cost.reasons.last == StatusReason(.eacOverBudget, ["104", "100", "4.0"]))
        let red = StatusMetrics(bac: 100, ev: 50, ac: 60, cpi: 0.83, eac: 120)
        #expect(StatusRules.evaluate(red).first { $0.area == .cost }?.computed == .red)
        #expect(StatusRules.evaluate(StatusMetrics()).first { $0.area == .cost }?.reasons == [StatusReason(.noActuals)])
    }

    @Test func scopeQualityAndRiskRules() {
        var m = StatusMetrics(changesApproved: 2, changesApprovedSinceLast: 1, changeDaysApproved: 4, changeCostApproved: 100, changesPending: 1)
        var areas = StatusRules.evaluate(m)
        #expect(areas.first { $0.area == .scope }?.computed == .amber)
        m.changeDaysApproved = 12
        areas = StatusRules.evaluate(m)
        #expect(areas.first { $0.area == .scope }?.computed == .red)
        #expect(areas.first { $0.area == .scope }?.reasons.first == StatusReason(.changesApproved, ["2", "1", "12", "100"]))

        m = StatusMetrics(openHighIssues: 1)
        #expect(StatusRules.evaluate(m).first { $0.area == .quality }?.computed == .amber)
        m.openCriticalIssues = 1
        #expect(StatusRules.evaluate(m).first { $0.area == .quality }?.computed == .red)

        m = StatusMetrics(openRisks: 3, riskThreshold: 12, risksAboveThreshold: 1)
        #expect(StatusRules.evaluate(m).first { $0.area == .risk }?.computed == .amber)
        m.triggered = [.init(reference: "CRM-R2", sign: "Vendor late", score: 15)]
        let risk = StatusRules.evaluate(m).first { $0.area == .risk }!
        #expect(risk.computed == .red)
        #expect(risk.reasons.contains(StatusReason(.triggered, ["CRM-R2", "Vendor late"])))
        #expect(StatusRules.evaluate(StatusMetrics(openRisks: 2)).first { $0.area == .risk }?.reasons
                == [StatusReason(.risksUnder, ["2", "12"])])
    }

    @Test func overallIsTheWorstAreaAndAnOverrideCounts() {
        let m = StatusMetrics(hasPlan: true, spi: 0.8, openHighIssues: 1)
        let computed = StatusRules.evaluate(m)
        #expect(computed[0].area == .overall)
        #expect(computed[0].computed == .red)
        #expect(computed[0].reasons == [StatusReason(.worstArea, ["schedule"])])
        let overridden = StatusReportContent.applying([StatusOverride(area: .schedule, rag: .amber, reason: "Recovery plan agreed")], to: computed)
        let schedule = overridden.first { $0.area == .schedule }!
        #expect(schedule.rag == .amber && schedule.computed == .red && schedule.overrideReason == "Recovery plan agreed")
        #expect(overridden[0].rag == .amber)
        let pmoSaysRed = StatusReportContent.applying([StatusOverride(area: .overall, rag: .red, reason: "Steering must act")],
                                                      to: StatusRules.evaluate(StatusMetrics()))
        #expect(pmoSaysRed[0].rag == .red)
    }

    @Test func overridesNeedAReasonAndReportDatesAreChecked() {
        let problems = StatusReportRules.validate(overrides: [StatusOverride(area: .cost, rag: .green, reason: "  "),
                                                              StatusOverride(area: .cost, rag: .grey, reason: "x")],
                                                  comment: "", done: "", next: "")
        #expect(Set(problems.map(\.code)) == ["reason_required", "duplicate", "invalid"])
        let today = Self.d("2026-11-21")
        #expect(StatusReportRules.dateProblems(Self.d("2026-11-22"), projectStart: Self.d("2026-04-01"), today: today).map(\.code) == ["in_future"])
        #expect(StatusReportRules.dateProblems(Self.d("2026-03-31"), projectStart: Self.d("2026-04-01"), today: today).map(\.code) == ["before_start"])
        #expect(StatusReportRules.dateProblems(today, projectStart: Self.d("2026-04-01"), today: today).isEmpty)
    }

    @Test func comparisonShowsTrendsAndItemsThatCameAndWent() {
        func content(_ date: String, spi: Double, issues: [String]) -> StatusReportContent {
            let m = StatusMetrics(hasPlan: true, spi: spi, openIssues: issues.count)
            return StatusReportContent(projectKey: "CRM", projectName: "CRM", statusDate: Self.d(date), areas: StatusRules.evaluate(m),
                                       metrics: m, topIssues: issues.map { ReportItem(reference: $0, title: $0, status: "open") },
                                       topRisks: [], decisionsNeeded: [], curve: [])
        }
        let c = StatusComparison.compare(previous: content("2026-11-13", spi: 0.8, issues: ["CRM-I1", "CRM-I2"]),
                                         current: content("2026-11-20", spi: 0.9, issues: ["CRM-I2", "CRM-I3"]))
        let schedule = c.areas.first { $0.area == .schedule }!
        #expect(schedule.from == .red && schedule.to == .amber && schedule.trend == 1)
        #expect(c.metrics.first { $0.name == "spi" }.map { ($0.from, $0.to) } ?? (nil, nil) == (0.8, 0.9))
        #expect(c.newItems.map(\.reference) == ["CRM-I3"])
        #expect(c.goneItems.map(\.reference) == ["CRM-I1"])
        #expect(StatusComparison.compare(previous: nil, current: content("2026-11-20", spi: 1, issues: [])).areas.allSatisfy { $0.trend == 0 })
    }

    @Test func frozenMinutesHideWhatAVendorMayNotSee() {
        let doc = MinutesDocument(projectKey: "CRM", seriesName: "Weekly", occurrence: 1, date: meeting, startMinutes: 600, durationMinutes: 60,
                                  location: "", chair: nil, present: [], absent: [], notes: "", items: [
                                    .init(position: 1, rule: nil, reference: nil, activityUID: nil, title: "Open", reasons: [], notes: "",
                                          carry: false, visibility: .project,
                                          outputs: [.init(reference: "CRM-D1", type: .decision, title: "Secret", visibility: .internal)]),
                                    .init(position: 2, rule: nil, reference: nil, activityUID: nil, title: "Internal", reasons: [], notes: "",
                                          carry: false, visibility: .internal, outputs: []),
                                  ], outputs: [], version: 1, approvedBy: nil, approvedAt: nil)
        let seen = doc.visible { $0.scope == .project }
        #expect(seen.items.map(\.title) == ["Open"])
        #expect(seen.items[0].outputs.isEmpty)
        let data = try! JSONEncoder().encode(doc)
        #expect(try! JSONDecoder().decode(MinutesDocument.self, from: data) == doc)
    }
}

/// The agenda's time box: items in agenda order fill the meeting; from the first that ends past it, the rest are
/// "if time allows".
@Suite struct AgendaTimeBoxTests {
    @Test func itemsPastTheMeetingsLengthAreIfTimeAllows() {
        let box = AgendaTimeBox.fit([5, 5, 30, 15, 10, 2], length: 60)
        #expect(box.total == 67)
        #expect(box.fits == [true, true, true, true, false, false])
        #expect(AgendaTimeBox.fit([], length: 60).total == 0)
        #expect(AgendaTimeBox.fit([61], length: 60).fits == [false])
        // A decision needs more time than a reminder of an action; a point added by hand the most.
        #expect(AgendaTimeBox.minutes(for: .decisionsPending) > AgendaTimeBox.minutes(for: .actionsDue))
        #expect(AgendaTimeBox.minutes(for: nil) >= AgendaRule.allCases.map { AgendaTimeBox.minutes(for: $0) }.max() ?? 0)
    }
}
