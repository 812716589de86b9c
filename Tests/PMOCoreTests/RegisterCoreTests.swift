import Foundation
import PMOCore
import Testing

/// The pure rules of the registers (risks, decisions, questions, changes, actions): workflows, validation, what the
/// product records itself, decision rights, the one-cell text forms, references and the stored details.
@Suite("Register rules (core)")
struct RegisterCoreTests {
    let alice = UserID(UUID())
    let bob = UserID(UUID())
    let vendorCo = CompanyID(UUID())

    static func date(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

    /// A risk that passes every rule, to be varied by each test.
    func risk(_ details: [String: RegisterValue] = [:], status: String = "identified") -> RegisterItemFields {
        var base: [String: RegisterValue] = [
            "riskType": .text("threat"), "category": .text("schedule"), "probability": .integer(3),
            "impactSchedule": .integer(2), "impactCost": .integer(4), "impactQuality": .integer(1),
        ]
        base.merge(details) { _, new in new }
        return RegisterItemFields(title: "結合テスト環境の遅延", status: status, details: base)
    }

    func codes(_ errors: [FieldError]) -> [String] { errors.map { "\($0.field):\($0.code)" }.sorted() }

    // MARK: Workflows

    @Test(arguments: RegisterKind.allCases)
    func everyTransitionIsAllowedExactlyWhenTheWorkflowSaysSo(_ kind: RegisterKind) {
        #expect(kind.initialStatus == kind.statuses.first)
        #expect(kind.finishedStatuses.isSubset(of: Set(kind.statuses)))
        for from in kind.statuses {
            let next = kind.nextStatuses(from: from)
            #expect(Set(next).isSubset(of: Set(kind.statuses)), "\(kind) \(from)")
            #expect(next.contains(from) == false, "\(kind) \(from) lists itself")
            for to in kind.statuses {
                let problem = RegisterRules.checkTransition(kind, from: from, to: to)
                if from == to || next.contains(to) {
                    #expect(problem == nil, "\(kind) \(from) → \(to) should be allowed")
                } else {
                    #expect(problem?.field == "status")
                    #expect(problem?.code == "transition_not_allowed")
                    let allowed = next.isEmpty ? "none: \(from) is final" : next.joined(separator: ", ")
                    #expect(problem?.message.hasSuffix("Allowed next: \(allowed).") == true, "\(problem?.message ?? "nil")")
                    #expect(problem?.message.contains("from \(from) to \(to)") == true)
                }
            }
        }
    }

    @Test func refusedTransitionsNameWhatMayComeNext() throws {
        let back = try #require(RegisterRules.checkTransition(.change, from: "approved", to: "requested"))
        #expect(back.message == "A change cannot go from approved to requested. Allowed next: implemented.")
        let final = try #require(RegisterRules.checkTransition(.change, from: "implemented", to: "assessing"))
        #expect(final.message.contains("none: implemented is final"))
        let undecided = try #require(RegisterRules.checkTransition(.decision, from: "decided", to: "pending"))
        #expect(undecided.message.hasSuffix("Allowed next: superseded."))
        let reopen = try #require(RegisterRules.checkTransition(.risk, from: "closed", to: "occurred"))
        #expect(reopen.message.hasSuffix("Allowed next: identified."))
        // A decision cannot skip straight from proposed to decided: it is pending first.
        #expect(RegisterRules.checkTransition(.decision, from: "proposed", to: "decided") != nil)
        #expect(RegisterRules.checkTransition(.decision, from: "pending", to: "decided") == nil)
        // An unknown status is validate's business (invalid_choice), not the workflow's.
        #expect(RegisterRules.checkTransition(.action, from: "open", to: "finished") == nil)
        #expect(codes(RegisterRules.validate(.action, RegisterItemFields(title: "x", status: "finished"))) == ["status:invalid_choice"])
    }

    @Test func finishedItemsAreNeverOverdue() {
        let today = Self.date("2026-06-10")
        let past = Self.date("2026-06-09")
        #expect(RegisterRules.isOverdue(.action, status: "open", dueDate: past, today: today))
        #expect(RegisterRules.isOverdue(.action, status: "open", dueDate: today, today: today) == false)
        #expect(RegisterRules.isOverdue(.action, status: "done", dueDate: past, today: today) == false)
        #expect(RegisterRules.isOverdue(.decision, status: "decided", dueDate: past, today: today) == false)
        // A deferred decision was put off on purpose; an answered question waits only for its asker.
        #expect(RegisterRules.isOverdue(.decision, status: "deferred", dueDate: past, today: today) == false)
        #expect(RegisterRules.isOverdue(.decision, status: "pending", dueDate: past, today: today))
        #expect(RegisterRules.isOverdue(.risk, status: "occurred", dueDate: past, today: today) == false)
        #expect(RegisterRules.isOverdue(.question, status: "answered", dueDate: past, today: today) == false)
        #expect(RegisterRules.isOverdue(.question, status: "open", dueDate: past, today: today))
        #expect(RegisterRules.isOverdue(.question, status: "open", dueDate: nil, today: today) == false)
    }

    // MARK: Field rules

    @Test func aValidRiskPassesAndEachBrokenRuleIsNamed() {
        #expect(RegisterRules.validate(.risk, risk()).isEmpty)
        var missing = risk()
        missing.details["probability"] = nil
        missing.details["category"] = nil
        #expect(codes(RegisterRules.validate(.risk, missing)) == ["category:required", "probability:required"])
        #expect(codes(RegisterRules.validate(.risk, risk(["probability": .integer(6)]))) == ["probability:out_of_range"])
        #expect(codes(RegisterRules.validate(.risk, risk(["impactCost": .integer(0)]))) == ["impactCost:out_of_range"])
        #expect(codes(RegisterRules.validate(.risk, risk(["probability": .text("high")]))) == ["probability:wrong_type"])
        #expect(codes(RegisterRules.validate(.risk, risk(["category": .text("weather")]))) == ["category:invalid_choice"])
        #expect(codes(RegisterRules.validate(.risk, risk(["decider": .user(alice)]))) == ["decider:unknown_field"])
        #expect(codes(RegisterRules.validate(.risk, risk(["indicators": .indicators([WarningIndicator(text: "  ")])]))) == ["indicators:invalid"])

        var untitled = risk()
        untitled.title = "  \n"
        #expect(codes(RegisterRules.validate(.risk, untitled)) == ["title:required"])
        untitled.title = String(repeating: "遅", count: RegisterRules.titleMax + 1)
        #expect(codes(RegisterRules.validate(.risk, untitled)) == ["title:too_long"])
        untitled.title = String(repeating: "遅", count: RegisterRules.titleMax)
        #expect(RegisterRules.validate(.risk, untitled).isEmpty)

        var hidden = risk()
        hidden.visibility = Visibility(scope: .company)
        #expect(codes(RegisterRules.validate(.risk, hidden)) == ["visibilityCompanyId:required_here"])
        hidden.visibility = .company(vendorCo)
        #expect(RegisterRules.validate(.risk, hidden).isEmpty)
    }

    @Test func riskScoreIsProbabilityTimesTheLargestImpact() {
        #expect(RegisterRules.score(.risk, risk().details) == 12)       // 3 × max(2, 4, 1)
        #expect(RegisterRules.score(.risk, risk(["probability": .integer(5), "impactQuality": .integer(5)]).details) == 25)
        #expect(RegisterRules.score(.risk, risk(["probability": .integer(1), "impactCost": .integer(1)]).details) == 2)
        #expect(RegisterRules.impact(risk().details) == 4)
        var noImpact = risk().details
        for name in ["impactSchedule", "impactCost", "impactQuality"] { noImpact[name] = nil }
        #expect(RegisterRules.score(.risk, noImpact) == nil)
        #expect(RegisterRules.score(.risk, ["impactCost": .integer(3)]) == nil)
        // Only risks have a score, whatever their details say.
        #expect(RegisterRules.score(.action, risk().details) == nil)
        #expect(RegisterRules.residualScore(["residualProbability": .integer(2), "residualImpact": .integer(3)]) == 6)
        #expect(RegisterRules.residualScore(["residualProbability": .integer(2)]) == nil)
    }

    @Test func strategyMustFitWhetherTheRiskIsAThreatOrAnOpportunity() {
        for strategy in RegisterFieldSpec.threatStrategies {
            #expect(RegisterRules.validate(.risk, risk(["strategy": .text(strategy)])).isEmpty, "threat \(strategy)")
        }
        for strategy in RegisterFieldSpec.opportunityStrategies {
            let f = risk(["riskType": .text("opportunity"), "strategy": .text(strategy)])
            #expect(RegisterRules.validate(.risk, f).isEmpty, "opportunity \(strategy)")
        }
        let exploitThreat = RegisterRules.validate(.risk, risk(["strategy": .text("exploit")]))
        #expect(codes(exploitThreat) == ["strategy:invalid_choice"])
        #expect(exploitThreat.first?.message.contains("avoid, mitigate, transfer, accept, escalate") == true)
        let avoidOpportunity = RegisterRules.validate(.risk, risk(["riskType": .text("opportunity"), "strategy": .text("avoid")]))
        #expect(codes(avoidOpportunity) == ["strategy:invalid_choice"])
        #expect(avoidOpportunity.first?.message.contains("exploit, enhance, share, accept, escalate") == true)
    }

    @Test func aDecidedDecisionNeedsWhatWasDecidedAndWho() {
        let open = RegisterItemFields(title: "本番切替日の決定", status: "pending")
        #expect(RegisterRules.validate(.decision, open).isEmpty)
        for status in ["decided", "superseded"] {
            var f = open
            f.status = status
            #expect(codes(RegisterRules.validate(.decision, f)) == ["decider:required_here", "decision:required_here"], "\(status)")
            f.details["decision"] = .text("  ")
            f.details["decider"] = .user(alice)
            #expect(codes(RegisterRules.validate(.decision, f)) == ["decision:required_here"])
            f.details["decision"] = .text("5月連休明けに切り替える")
            #expect(RegisterRules.validate(.decision, f).isEmpty)
        }
        var rejected = open
        rejected.status = "rejected"
        #expect(RegisterRules.validate(.decision, rejected).isEmpty)
    }

    @Test func anAnsweredQuestionNeedsItsAnswer() {
        var q = RegisterItemFields(title: "帳票の出力形式は？", status: "open")
        #expect(RegisterRules.validate(.question, q).isEmpty)
        for status in ["answered", "confirmed"] {
            q.status = status
            q.details["answer"] = nil
            #expect(codes(RegisterRules.validate(.question, q)) == ["answer:required_here"])
            q.details["answer"] = .text("PDF と CSV の両方")
            #expect(RegisterRules.validate(.question, q).isEmpty)
        }
        q.status = "closed"
        q.details["answer"] = nil
        #expect(RegisterRules.validate(.question, q).isEmpty)
    }

    @Test func valuesOfOtherRegistersAreChecked() {
        let change = { (d: [String: RegisterValue]) in RegisterRules.validate(.change, RegisterItemFields(title: "x", status: "requested", details: d)) }
        #expect(change(["costImpact": .number(1_200_000), "impactScheduleDays": .integer(-3), "impactEffortHours": .integer(16)]).isEmpty)
        #expect(codes(change(["costImpact": .number(-1)])) == ["costImpact:out_of_range"])
        #expect(codes(change(["impactScheduleDays": .integer(10_001)])) == ["impactScheduleDays:out_of_range"])
        #expect(codes(change(["specificationVersion": .text(String(repeating: "v", count: 61))])) == ["specificationVersion:too_long"])
        let decision = { (d: [String: RegisterValue]) in RegisterRules.validate(.decision, RegisterItemFields(title: "x", status: "proposed", details: d)) }
        #expect(decision(["options": .options([DecisionOption(title: "A案", cost: 100), DecisionOption(title: "B案")])]).isEmpty)
        #expect(codes(decision(["options": .options([DecisionOption(title: " ")])])) == ["options:invalid"])
        #expect(codes(decision(["options": .options([DecisionOption(title: "A", effortHours: -1)])])) == ["options:out_of_range"])
        #expect(codes(decision(["options": .options((1...21).map { DecisionOption(title: "案\($0)") })])) == ["options:too_long"])
        #expect(codes(decision(["decider": .text("alice")])) == ["decider:wrong_type"])
        let question = RegisterRules.validate(.question, RegisterItemFields(title: "x", status: "open", details: ["blocksWork": .text("yes")]))
        #expect(codes(question) == ["blocksWork:wrong_type"])
    }

    // MARK: What the product records on a status change

    @Test func decidingRecordsTheDateAndTheLeadTime() {
        let raised = Self.date("2026-04-01")
        let today = Self.date("2026-04-15")
        var f = RegisterItemFields(title: "x", status: "decided", details: ["decision": .text("A案"), "decider": .user(bob)])
        RegisterRules.applyTransitionEffects(.decision, from: "pending", to: &f, actor: alice, today: today, raisedOn: raised)
        #expect(f.details["decidedOn"] == .date(today))
        #expect(f.details["leadTimeDays"] == .integer(10), "two weeks are ten working days")
        #expect(f.details["decider"] == .user(bob), "the decider stays who decided, not who recorded it")

        // Superseding later keeps when it was decided.
        var later = f
        later.status = "superseded"
        RegisterRules.applyTransitionEffects(.decision, from: "decided", to: &later, actor: alice, today: Self.date("2026-05-01"), raisedOn: raised)
        #expect(later.details["decidedOn"] == .date(today))
        #expect(later.details["leadTimeDays"] == .integer(10))

        // Same-day decision: a lead time of zero.
        var quick = RegisterItemFields(title: "x", status: "decided")
        RegisterRules.applyTransitionEffects(.decision, from: "pending", to: &quick, actor: alice, today: raised, raisedOn: raised)
        #expect(quick.details["leadTimeDays"] == .integer(0))
    }

    @Test func leadTimeCountsWorkingDaysOnTheJapaneseCalendar() {
        // Golden Week 2026: 4/29 昭和の日, 5/3 Sunday, 5/4 みどりの日, 5/5 こどもの日, 5/6 振替休日.
        #expect(RegisterRules.workingDays(after: Self.date("2026-04-28"), through: Self.date("2026-05-07")) == 3)
        // Friday to Monday is one working day; a weekend alone is none.
        #expect(RegisterRules.workingDays(after: Self.date("2026-11-20"), through: Self.date("2026-11-23")) == 0, "11/23 勤労感謝の日")
        #expect(RegisterRules.workingDays(after: Self.date("2026-11-27"), through: Self.date("2026-11-30")) == 1)
        #expect(RegisterRules.workingDays(after: Self.date("2026-11-28"), through: Self.date("2026-11-29")) == 0)
        #expect(RegisterRules.workingDays(after: Self.date("2026-05-01"), through: Self.date("2026-04-01")) == 0)
    }

    @Test func answeringApprovingAndFinishingAreRecorded() {
        let today = Self.date("2026-07-07")
        var q = RegisterItemFields(title: "x", status: "answered", details: ["answer": .text("はい")])
        RegisterRules.applyTransitionEffects(.question, from: "open", to: &q, actor: alice, today: today, raisedOn: today)
        #expect(q.details["answeredBy"] == .user(alice))
        #expect(q.details["answeredOn"] == .date(today))

        var c = RegisterItemFields(title: "x", status: "approved")
        RegisterRules.applyTransitionEffects(.change, from: "assessing", to: &c, actor: bob, today: today, raisedOn: today)
        #expect(c.details["approvedBy"] == .user(bob))
        #expect(c.details["approvedOn"] == .date(today))

        var a = RegisterItemFields(title: "x", status: "done")
        RegisterRules.applyTransitionEffects(.action, from: "in_progress", to: &a, actor: bob, today: today, raisedOn: today)
        #expect(a.details["doneOn"] == .date(today))
        // A done date the user gave is kept.
        var given = RegisterItemFields(title: "x", status: "done", details: ["doneOn": .date(Self.date("2026-07-01"))])
        RegisterRules.applyTransitionEffects(.action, from: "open", to: &given, actor: bob, today: today, raisedOn: today)
        #expect(given.details["doneOn"] == .date(Self.date("2026-07-01")))
        // Reopened: no longer done.
        for reopened in ["open", "in_progress"] {
            var r = a
            r.status = reopened
            RegisterRules.applyTransitionEffects(.action, from: "done", to: &r, actor: bob, today: today, raisedOn: today)
            #expect(r.details["doneOn"] == nil, "\(reopened)")
        }
        // No status change, no effect.
        var same = RegisterItemFields(title: "x", status: "approved")
        RegisterRules.applyTransitionEffects(.change, from: "approved", to: &same, actor: bob, today: today, raisedOn: today)
        #expect(same.details.isEmpty)
        var other = RegisterItemFields(title: "x", status: "rejected")
        RegisterRules.applyTransitionEffects(.change, from: "assessing", to: &other, actor: bob, today: today, raisedOn: today)
        #expect(other.details.isEmpty)
    }

    /// A question reopened and answered again by someone else names the new answerer.
    @Test func aReansweredQuestionNamesItsNewAnswerer() {
        let first = Self.date("2026-07-01")
        let second = Self.date("2026-07-09")
        var q = RegisterItemFields(title: "x", status: "answered", details: ["answer": .text("A")])
        RegisterRules.applyTransitionEffects(.question, from: "open", to: &q, actor: alice, today: first, raisedOn: first)
        q.status = "open"
        RegisterRules.applyTransitionEffects(.question, from: "answered", to: &q, actor: alice, today: second, raisedOn: first)
        q.status = "answered"
        q.details["answer"] = .text("B")
        RegisterRules.applyTransitionEffects(.question, from: "open", to: &q, actor: bob, today: second, raisedOn: first)
        #expect(q.details["answeredOn"] == .date(second))
        #expect(q.details["answeredBy"] == .user(bob), "bob gave the answer that stands, yet answeredBy still names alice")
    }

    // MARK: Decision rights

    @Test func decisionRightsFollowTheTableElseTheManagers() {
        let table = [
            DecisionRight(category: "budget", authority: "Steering committee", roles: [.pmo]),
            DecisionRight(category: DecisionRights.specificationChange, authority: "業務オーナー", userIDs: [bob]),
        ]
        // With a row: its roles or its people, nobody else (not even a PM).
        #expect(DecisionRights.holds(table, category: "budget", userID: alice, role: .pmo))
        #expect(DecisionRights.holds(table, category: "budget", userID: alice, role: .pm) == false)
        #expect(DecisionRights.holds(table, category: "budget", userID: alice, role: .admin) == false)
        #expect(DecisionRights.holds(table, category: "budget", userID: alice, role: nil) == false)
        #expect(DecisionRights.holds(table, category: "specification_change", userID: bob, role: .member))
        #expect(DecisionRights.holds(table, category: "specification_change", userID: bob, role: nil))
        #expect(DecisionRights.holds(table, category: "specification_change", userID: alice, role: .pmo) == false)
        // Without a row (or without a category): admin, PMO and PM.
        for category in ["technical", "", nil] as [String?] {
            for role in ProjectRole.allCases {
                let expected = [ProjectRole.admin, .pmo, .pm].contains(role)
                #expect(DecisionRights.holds(table, category: category, userID: alice, role: role) == expected, "\(String(describing: category)) \(role)")
                #expect(DecisionRights.holds([], category: category, userID: alice, role: role) == expected)
            }
            #expect(DecisionRights.holds(table, category: category, userID: alice, role: nil) == false)
        }
        #expect(DecisionRights.authority(for: "budget", in: table) == "Steering committee")
        #expect(DecisionRights.authority(for: "technical", in: table) == "Project management (PMO / PM)")
        #expect(DecisionRights.authority(for: nil, in: table) == "Project management (PMO / PM)")
    }

    @Test func aDecisionRightsTableIsChecked() {
        #expect(DecisionRights.validate([DecisionRight(category: "budget", authority: "Steering committee", roles: [.pmo])]).isEmpty)
        let bad = [
            DecisionRight(category: "budget", authority: "SC", roles: [.pmo]),
            DecisionRight(category: "budget", authority: " ", roles: []),
            DecisionRight(category: "予算 変更", authority: "SC", userIDs: [alice]),
        ]
        #expect(codes(DecisionRights.validate(bad)) == [
            "rights[1].authority:required", "rights[1].category:duplicate", "rights[1].roles:required_here", "rights[2].category:invalid",
        ])
        #expect(DecisionRights.validate([DecisionRight(category: "予算", authority: "経営会議", roles: [.pm])]).isEmpty,
                "letters include Japanese ones")
    }

    // MARK: One-cell text forms

    @Test func indicatorsRoundTripThroughText() throws {
        let list = [
            WarningIndicator(text: "結合テスト環境の構築が2週間遅れる", status: .triggered),
            WarningIndicator(text: "ベンダーの要員が交代する"),
            WarningIndicator(text: "triggered: quoted in the text"),
        ]
        let text = RegisterText.indicators(list)
        #expect(text == "triggered: 結合テスト環境の構築が2週間遅れる\nwatching: ベンダーの要員が交代する\nwatching: triggered: quoted in the text")
        #expect(try RegisterText.parseIndicators(text).get() == list)
        // Hand-written: no prefix means watched, capitals and blank lines and Windows line ends are fine.
        let typed = try RegisterText.parseIndicators("  TRIGGERED:  本番データの移行リハーサル失敗 \r\n\r\n要員不足\n").get()
        #expect(typed == [WarningIndicator(text: "本番データの移行リハーサル失敗", status: .triggered), WarningIndicator(text: "要員不足")])
        #expect(try RegisterText.parseIndicators("").get().isEmpty)
        // A Japanese page writes and reads its own labels, with either colon.
        let japanese = RegisterText.indicators(list) { $0 == .triggered ? "兆候あり" : "監視中" }
        #expect(japanese.hasPrefix("兆候あり: 結合テスト環境"))
        #expect(try RegisterText.parseIndicators(japanese).get() == list)
        #expect(try RegisterText.parseIndicators("兆候あり：移行リハーサル失敗\n監視中:残業時間").get()
                == [WarningIndicator(text: "移行リハーサル失敗", status: .triggered), WarningIndicator(text: "残業時間")])
        guard case .failure(let error) = RegisterText.parseIndicators("ok\ntriggered:   ") else {
            Issue.record("a status without text must be refused"); return
        }
        #expect(error.field == "indicators")
        #expect(error.code == "invalid")
        #expect(error.message == "The indicator line 'triggered:' has no text after its status.")
    }

    @Test func optionsRoundTripThroughText() throws {
        let list = [
            DecisionOption(title: "A案: 現行踏襲", pros: "リスクが低い", cons: "改善効果なし", cost: 1_200_000, scheduleDays: 0, effortHours: 2.5),
            DecisionOption(title: "B案", pros: "", cons: "追加費用", cost: nil, scheduleDays: -3),
            DecisionOption(title: "C案"),
            DecisionOption(title: "D案", effortHours: 40),
        ]
        let text = RegisterText.options(list)
        #expect(text == "A案: 現行踏襲 | リスクが低い | 改善効果なし | 1200000 | 0 | 2.5\nB案 |  | 追加費用 |  | -3\nC案\nD案 |  |  |  |  | 40")
        #expect(try RegisterText.parseOptions(text).get() == list)
        #expect(try RegisterText.parseOptions("E案 | | | 1,500,000").get() == [DecisionOption(title: "E案", cost: 1_500_000)])

        func failure(_ text: String) -> FieldError? {
            if case .failure(let e) = RegisterText.parseOptions(text) { return e }
            return nil
        }
        let cost = try #require(failure("A | b | c | 高い"))
        #expect(cost.field == "options")
        #expect(cost.code == "invalid")
        #expect(cost.message == "Option line 1: the cost '高い' is not a number. Write title | pros | cons | cost | working days | effort hours.")
        #expect(failure("A\nB | | | | 1.5")?.message.hasPrefix("Option line 2: the working days '1.5' are not a whole number.") == true)
        #expect(failure("A | | | | | many")?.message.hasPrefix("Option line 1: the effort 'many' is not a number.") == true)
        #expect(failure("A | b | c | 1 | 2 | 3 | 4")?.message.hasPrefix("Option line 1: more than six parts.") == true)
        #expect(RegisterText.formatNumber(1200) == "1200")
        #expect(RegisterText.formatNumber(2.5) == "2.5")
    }

    // MARK: References

    @Test func itemReferencesParse() {
        #expect(ItemReference("CRM-Q12") == ItemReference(projectKey: "CRM", type: .question, number: 12))
        #expect(ItemReference(" crm-r3 ") == ItemReference(projectKey: "CRM", type: .risk, number: 3))
        #expect(ItemReference("R3") == ItemReference(projectKey: nil, type: .risk, number: 3))
        #expect(ItemReference("PRJ2-I7") == ItemReference(projectKey: "PRJ2", type: .issue, number: 7))
        #expect(ItemReference("A0031")?.description == "A31")
        #expect(ItemReference("CRM-D7")?.description == "CRM-D7")
        for type in ItemType.allCases {
            #expect(ItemReference("CRM-\(type.rawValue)5")?.type == type)
        }
        for bad in ["", "12", "CRM-12", "CRM-X1", "CRM-Q0", "CRM-Q", "CRM-Q1a", "Q+5", "Q-1", "C-R1", "MY-PROJ-R1", "CRM-R 1", "CRM- R1",
                    "1CRM-R1", "CRM-R١٢"] {
            #expect(ItemReference(bad) == nil, "\(bad) parsed")
        }
        #expect(ItemType(RegisterKind.change) == .change)
        #expect(ItemType.issue.register == nil)
        #expect(ItemType.decision.register == .decision)
        #expect(RegisterKind.question.reference(projectKey: "CRM", number: 12) == "CRM-Q12")
        #expect(RegisterKind(plural: "decisions") == .decision)
        #expect(RegisterKind(letter: "I") == nil)
    }

    // MARK: Stored details

    @Test func everyKindOfValueSurvivesStorage() {
        let d1 = UserID(UUID())
        let co = CompanyID(UUID())
        let risk: [String: RegisterValue] = [
            "riskType": .text("threat"), "category": .text("vendor"), "cause": .text("要員が\"不足\"\n2行目 / path\\x"),
            "probability": .integer(5), "impactSchedule": .integer(1), "indicators": .indicators([
                WarningIndicator(text: "週報の遅れ", status: .triggered), WarningIndicator(text: "質問の滞留"),
            ]),
            "reviewDate": .date(Self.date("2026-02-28")),
        ]
        #expect(RegisterDetailsCodec.decode(RegisterDetailsCodec.encode(risk), kind: .risk) == risk)

        let decision: [String: RegisterValue] = [
            "decider": .user(d1), "authority": .text("Steering committee"), "decidedOn": .date(Self.date("2026-03-31")),
            "leadTimeDays": .integer(-2), "options": .options([
                DecisionOption(title: "A案", pros: "安い", cons: "遅い", cost: 1_234_567.5, scheduleDays: -4, effortHours: 12.25),
                DecisionOption(title: "B案"),
            ]),
        ]
        #expect(RegisterDetailsCodec.decode(RegisterDetailsCodec.encode(decision), kind: .decision) == decision)

        let question: [String: RegisterValue] = [
            "askedBy": .user(d1), "addressedCompany": .company(co), "blocksWork": .bool(true), "changesSpecification": .bool(false),
            "answer": .text("はい"),
        ]
        #expect(RegisterDetailsCodec.decode(RegisterDetailsCodec.encode(question), kind: .question) == question)

        let change: [String: RegisterValue] = [
            "costImpact": .number(1_500_000), "impactEffortHours": .number(7.5), "impactScheduleDays": .integer(10),
            "approvedBy": .user(d1), "approvedOn": .date(Self.date("2026-01-05")),
        ]
        #expect(RegisterDetailsCodec.decode(RegisterDetailsCodec.encode(change), kind: .change) == change)
        #expect(RegisterDetailsCodec.decode(RegisterDetailsCodec.encode(["doneOn": .date(Self.date("2026-12-31"))]), kind: .action)
                == ["doneOn": .date(Self.date("2026-12-31"))])
    }

    @Test func storedDetailsThatNoLongerFitAreDropped() {
        let text = #"{"probability":"high","impactCost":3,"decider":"not-a-uuid","legacyField":"x","reviewDate":"2026-02-30","category":"cost"}"#
        #expect(RegisterDetailsCodec.decode(text, kind: .risk) == ["impactCost": .integer(3), "category": .text("cost")])
        // Read through another register's specs, the same text keeps only that register's fields.
        #expect(RegisterDetailsCodec.decode(text, kind: .decision) == ["category": .text("cost")])
        #expect(RegisterDetailsCodec.decode("not json", kind: .risk).isEmpty)
        #expect(RegisterDetailsCodec.decode("[1,2]", kind: .risk).isEmpty)
        #expect(RegisterDetailsCodec.encode([:]) == "{}")
    }

    /// The decider may set the outcome and its words, and nothing else.
    @Test func aDecidersRecordChangesOnlyTheOutcome() {
        let before = RegisterItemFields(title: "Broker", status: "pending", details: ["category": .text("architecture"), "context": .text("c")])
        var decided = before
        decided.status = "decided"
        decided.details["decision"] = .text("Kafka")
        decided.details["rationale"] = .text("Known to the team")
        #expect(DecisionRights.onlyRecordsTheOutcome(before: before, after: decided))
        var retitled = decided
        retitled.title = "Another broker"
        #expect(!DecisionRights.onlyRecordsTheOutcome(before: before, after: retitled))
        var recategorised = decided
        recategorised.details["category"] = .text("budget")
        #expect(!DecisionRights.onlyRecordsTheOutcome(before: before, after: recategorised))
        var superseded = before
        superseded.status = "superseded"
        #expect(!DecisionRights.onlyRecordsTheOutcome(before: before, after: superseded), "superseding is the register keeper's step")
        var reworded = before
        reworded.details["rationale"] = .text("Still thinking")
        #expect(DecisionRights.onlyRecordsTheOutcome(before: before, after: reworded))
    }
}
