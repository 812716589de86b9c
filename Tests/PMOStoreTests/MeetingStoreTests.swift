import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import SQLKit
import Testing

extension Store {
    func risk(_ c: Caller, _ key: String, _ title: String, probability: Int, impact: Int, triggered: [String] = [],
              visibility: Visibility = .project, category: String = "schedule") async throws -> Int {
        try await items.createRegisterItem(c, key: key, kind: .risk, fields: RegisterItemFields(
            title: title, status: "assessed", visibility: visibility,
            details: ["riskType": .text("threat"), "category": .text(category), "probability": .integer(probability),
                      "impactSchedule": .integer(impact), "impactCost": .integer(1), "impactQuality": .integer(1),
                      "indicators": .indicators(triggered.map { WarningIndicator(text: $0, status: .triggered) })])).record.number
    }

    func item(_ c: Caller, _ key: String, _ kind: RegisterKind, _ title: String, status: String? = nil, due: String? = nil,
              owner: Caller? = nil, details: [String: RegisterValue] = [:]) async throws -> Int {
        try await items.createRegisterItem(c, key: key, kind: kind, fields: RegisterItemFields(
            title: title, status: status ?? kind.initialStatus, ownerID: owner.map { UserID($0.userID) },
            dueDate: due.flatMap { CalendarDate(iso: $0) }, details: details)).record.number
    }
}

@Suite("Meetings, minutes and status reports (store)")
struct MeetingStoreTests {
    /// The weekly meeting of the plan cast's project: Tuesdays 10:00 from 2 June 2026, chaired by the PMO, with the PM
    /// and a member attending.
    func weekly(_ s: Store, _ c: PlanCast) async throws -> MeetingSeriesView {
        try await s.meetings.createSeries(c.pmo, key: c.key, MeetingSeriesFields(
            name: "週次定例", purpose: "進捗と課題の確認", chairID: UserID(c.pmo.userID),
            recurrence: MeetingRecurrence(firstDate: day("2026-06-02"), intervalWeeks: 1, startMinutes: 600, durationMinutes: 60),
            location: "会議室A", attendeeIDs: [UserID(c.pm.userID), UserID(c.member.userID)]))
    }

    @Test(arguments: TestDatabase.available)
    func eachAgendaRuleBringsItsItems(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-06-01")
            var s = h.store
            s.clock = { clock.now() }
            let c = try await h.planCast()
            let k = c.key
            // Plan: Design (5 days, 1–5 June) then the milestone Design freeze; another milestone on 12 June.
            let design = try await s.add(c.pm, k, "Design", days: 5)
            let freeze = try await s.add(c.pm, k, "Design freeze", days: 0, kind: .milestone)
            try await s.link(c.pm, k, design, freeze)
            _ = try await s.add(c.pm, k, "Far milestone", days: 0, kind: .milestone) { $0.constraint = ActivityConstraint(.startNoEarlierThan, date: time("2026-07-20T09:00")) }
            _ = try await s.plans.createBaseline(c.pm, key: k, number: nil, name: "Approved")
            let series = try await weekly(s, c)

            // Occurrence 1 on 2 June, prepared on 1 June: nothing is due yet; a free point is carried over.
            let first = try await s.meetings.prepareOccurrence(c.pmo, key: k, seriesID: series.id, today: day("2026-06-01"))
            #expect(first.number == 1)
            #expect(first.date == day("2026-06-02"))
            let oldIssue = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Old issue")).record.number
            var one = try await s.meetings.addAgendaItem(c.pmo, key: k, seriesID: series.id, number: 1, title: "Test environment")
            let point = one.items.first { $0.title == "Test environment" }!
            #expect(point.rule == nil)
            one = try await s.meetings.updateAgendaItem(c.pmo, key: k, seriesID: series.id, number: 1, itemID: point.id, expectedVersion: 1,
                                               AgendaItemPatch(notes: "Vendor A to confirm", carry: true))

            // During the week: the register and the plan change.
            clock.set("2026-06-05")
            let overdue = try await s.item(c.pm, k, .action, "Send the interface spec", due: "2026-06-05", owner: c.member)
            _ = try await s.item(c.pm, k, .action, "Later action", due: "2026-06-20", owner: c.member)
            let pending = try await s.item(c.pm, k, .decision, "Choose the search engine", status: "pending", due: "2026-06-12",
                                           details: ["decider": .user(UserID(c.pm.userID))])
            _ = try await s.item(c.pm, k, .decision, "Not ours", status: "pending", details: ["decider": .user(UserID(c.member2.userID))])
            let bigRisk = try await s.risk(c.pm, k, "Data migration quality", probability: 4, impact: 4, visibility: .internal)
            let signRisk = try await s.risk(c.pm, k, "Vendor staffing", probability: 2, impact: 2, triggered: ["Two leavers announced"])
            _ = try await s.risk(c.pm, k, "Minor", probability: 2, impact: 3)
            let lateQuestion = try await s.item(c.pm, k, .question, "Which fields are mandatory?", due: "2026-06-08")
            let newIssue = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Login fails for vendors")).record.number
            var patch = IssuePatch()
            patch.priority = .high
            _ = try await s.items.updateIssue(c.pm, key: k, number: oldIssue, expectedVersion: nil, patch: patch)
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: design, expectedVersion: nil) { $0.duration = .working(8 * 480) }

            let second = try await s.meetings.prepareOccurrence(c.pmo, key: k, seriesID: series.id, today: day("2026-06-08"))
            #expect(second.number == 2)
            #expect(second.date == day("2026-06-09"))
            func entry(_ reference: String) -> AgendaItemView? { second.items.first { $0.reference == reference } }
            #expect(second.items.first?.rule == .carriedOver)
            #expect(second.items.first?.title == "Test environment")
            #expect(second.items.first?.notes == "Vendor A to confirm")
            #expect(second.items.first?.reasons == [AgendaReason(.carried, ["1"])])
            #expect(entry("\(k)-A\(overdue)")?.rule == .actionsDue)
            #expect(entry("\(k)-A\(overdue)")?.reasons == [AgendaReason(.overdue, ["2026-06-05", "4"])])
            #expect(second.items.contains { $0.title == "Later action" } == false)
            #expect(entry("\(k)-D\(pending)")?.rule == .decisionsPending)
            #expect(second.items.contains { $0.title == "Not ours" } == false)
            #expect(entry("\(k)-I\(newIssue)")?.reasons == [AgendaReason(.raised)])
            #expect(entry("\(k)-I\(oldIssue)")?.reasons == [AgendaReason(.changed, ["open"])])
            #expect(entry("\(k)-R\(bigRisk)")?.reasons == [AgendaReason(.score, ["16", "12"])])
            #expect(entry("\(k)-R\(signRisk)")?.reasons == [AgendaReason(.triggered, ["Two leavers announced"])])
            #expect(second.items.contains { $0.title == "Minor" } == false)
            #expect(entry("\(k)-Q\(lateQuestion)")?.reasons == [AgendaReason(.pastDue, ["2026-06-08", "1"])])
            let slip = second.items.first { $0.rule == .scheduleSlips && $0.activityUID == design }
            #expect(slip?.reasons.first?.values.first == "3")
            // Design freeze slipped too and lies within two weeks: it is listed once, under the slips.
            #expect(second.items.filter { $0.activityUID == freeze }.count == 1)
            #expect(second.items.contains { $0.title == "Far milestone" } == false)
            let rules = second.items.compactMap(\.rule)
            #expect(rules == rules.sorted { AgendaRule.allCases.firstIndex(of: $0)! < AgendaRule.allCases.firstIndex(of: $1)! })

            // A vendor sees the agenda without the internal risk.
            let vendorView = try await s.meetings.occurrence(c.vendorA, key: k, seriesID: series.id, number: 2)
            #expect(vendorView.items.contains { $0.reference == "\(k)-R\(bigRisk)" } == false)
            #expect(vendorView.items.count == second.items.count - 1)

            // Preparing again keeps edits and adds only what is new.
            let noted = try await s.meetings.updateAgendaItem(c.pmo, key: k, seriesID: series.id, number: 2, itemID: entry("\(k)-A\(overdue)")!.id,
                                                     expectedVersion: nil, AgendaItemPatch(notes: "Member promises Friday"))
            clock.set("2026-06-08", "12:00")
            let extra = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Printer broken")).record.number
            let again = try await s.meetings.prepareOccurrence(c.pmo, key: k, seriesID: series.id, number: 2, today: day("2026-06-08"))
            #expect(again.items.count == noted.items.count + 1)
            #expect(again.items.last?.reference == "\(k)-I\(extra)")
            #expect(again.items.first { $0.reference == "\(k)-A\(overdue)" }?.notes == "Member promises Friday")

            // Only the chair, the PMO and PMs prepare.
            await expectDomainError("meeting.run_forbidden", .forbidden) {
                _ = try await s.meetings.prepareOccurrence(c.member2, key: k, seriesID: series.id, today: day("2026-06-08"))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func minutesPutItemsInTheRegistersAndFreezeWhenApproved(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-06-08")
            var s = h.store
            s.clock = { clock.now() }
            let c = try await h.planCast()
            let k = c.key
            let risk = try await s.risk(c.pm, k, "Key person leaves", probability: 4, impact: 4)
            let series = try await weekly(s, c)
            let prepared = try await s.meetings.prepareOccurrence(c.pmo, key: k, seriesID: series.id, today: day("2026-06-08"))
            let riskLine = prepared.items.first { $0.reference == "\(k)-R\(risk)" }!

            // A decision and an action from the risk's line, an issue on its own.
            let (_, decision) = try await s.meetings.recordMinutesOutput(c.pmo, key: k, seriesID: series.id, number: prepared.number,
                                                                agendaItemID: riskLine.id,
                                                                .register(.decision, RegisterItemFields(title: "Hire a second lead", status: "proposed")))
            let (_, action) = try await s.meetings.recordMinutesOutput(c.pmo, key: k, seriesID: series.id, number: prepared.number,
                                                              agendaItemID: riskLine.id,
                                                              .register(.action, RegisterItemFields(title: "Draft the job post", status: "open")))
            let (view, issue) = try await s.meetings.recordMinutesOutput(c.pmo, key: k, seriesID: series.id, number: prepared.number, agendaItemID: nil,
                                                                .issue(IssueFields(title: "Room booking clashes")))
            #expect(view.status == .held)
            #expect(decision.reference.hasPrefix("\(k)-D"))
            #expect(view.items.first { $0.id == riskLine.id }?.outputs.map(\.reference) == [decision.reference, action.reference])
            #expect(view.outputs.map(\.reference) == [issue.reference])
            // In the registers, linked to the line's risk and to the meeting.
            let stored = try await s.items.registerItem(c.pm, key: k, kind: .decision, number: decision.number)
            #expect(stored.record.title == "Hire a second lead")
            let links = try await s.items.links(c.pm, key: k, type: .action, number: action.number)
            #expect(links.map(\.otherReference) == ["\(k)-R\(risk)"])
            #expect(links.first?.kind == .derivedFrom)
            let origins = try await s.meetings.meetingOrigins(c.pm, key: k, type: .issue, number: issue.number)
            #expect(origins.map(\.name) == ["週次定例"])
            #expect(origins.first?.number == prepared.number)

            // A refused output leaves nothing behind.
            let before = try await s.items.allRegisterItems(c.pm, key: k, kind: .decision).count
            await expectDomainError("decision.invalid", .invalid) {
                _ = try await s.meetings.recordMinutesOutput(c.pmo, key: k, seriesID: series.id, number: prepared.number, agendaItemID: nil,
                                                    .register(.decision, RegisterItemFields(title: "  ", status: "proposed")))
            }
            #expect(try await s.items.allRegisterItems(c.pm, key: k, kind: .decision).count == before)
            #expect(try await s.meetings.occurrence(c.pm, key: k, seriesID: series.id, number: prepared.number).outputs.count == 1)

            // Approval is refused before the meeting (Tuesday 9 June, 10:00) has started, whatever else is ready.
            await expectDomainError("minutes.meeting_not_started", .conflict) {
                _ = try await s.meetings.approveMinutes(c.pmo, key: k, seriesID: series.id, number: prepared.number, expectedVersion: nil)
            }
            clock.set("2026-06-09", "10:00")

            // Approval is refused while the action has no owner or due date, naming it.
            let refused = await expectDomainError("minutes.actions_incomplete", .invalid) {
                _ = try await s.meetings.approveMinutes(c.pmo, key: k, seriesID: series.id, number: prepared.number, expectedVersion: nil)
            }
            #expect(refused?.fieldErrors.count == 1)
            #expect(refused?.fieldErrors.first?.message.contains(action.reference) == true)
            #expect(refused?.fieldErrors.first?.message.contains("owner and due date") == true)
            var fix = RegisterItemPatch()
            fix.ownerID = .some(UserID(c.member.userID))
            fix.dueDate = .some(day("2026-06-12"))
            _ = try await s.items.updateRegisterItem(c.pm, key: k, kind: .action, number: action.number, expectedVersion: nil, patch: fix)
            _ = try await s.meetings.updateMinutes(c.pmo, key: k, seriesID: series.id, number: prepared.number, expectedVersion: nil,
                                          notes: "Agreed to staff up.", presentIDs: [UserID(c.pm.userID)])
            let approved = try await s.meetings.approveMinutes(c.pmo, key: k, seriesID: series.id, number: prepared.number, expectedVersion: nil)
            #expect(approved.status == .approved)
            let frozen = approved.document()
            #expect(frozen.version == 1)
            #expect(frozen.notes == "Agreed to staff up.")
            #expect(frozen.present.map(\.name) == ["pm"])
            #expect(frozen.absent.map(\.name) == ["member"])
            #expect(frozen.approvedBy?.name == "pmo")

            // Frozen: every edit is refused and points to amending.
            let e = await expectDomainError("minutes.frozen", .conflict) {
                _ = try await s.meetings.updateMinutes(c.pmo, key: k, seriesID: series.id, number: prepared.number, expectedVersion: nil,
                                              notes: "Changed", presentIDs: nil)
            }
            #expect(messageOf(e).contains("amend"))
            await expectDomainError("minutes.frozen", .conflict) {
                _ = try await s.meetings.addAgendaItem(c.pmo, key: k, seriesID: series.id, number: prepared.number, title: "Late point")
            }
            await expectDomainError("minutes.frozen", .conflict) {
                _ = try await s.meetings.recordMinutesOutput(c.pmo, key: k, seriesID: series.id, number: prepared.number, agendaItemID: nil,
                                                    .issue(IssueFields(title: "Too late")))
            }
            // Later changes in the registers do not change the approved minutes.
            var rename = RegisterItemPatch()
            rename.title = "Hire two leads"
            _ = try await s.items.updateRegisterItem(c.pm, key: k, kind: .decision, number: decision.number, expectedVersion: nil, patch: rename)
            let reread = try await s.meetings.occurrence(c.pm, key: k, seriesID: series.id, number: prepared.number).document()
            #expect(reread == frozen)

            // Amending opens version 2; version 1 stays as approved.
            let amended = try await s.meetings.amendMinutes(c.pmo, key: k, seriesID: series.id, number: prepared.number)
            #expect(amended.status == .held)
            #expect(amended.minutesVersion == 2)
            _ = try await s.meetings.updateMinutes(c.pmo, key: k, seriesID: series.id, number: prepared.number, expectedVersion: nil,
                                          notes: "Agreed to staff up; budget from reserve.", presentIDs: nil)
            _ = try await s.meetings.approveMinutes(c.pmo, key: k, seriesID: series.id, number: prepared.number, expectedVersion: nil)
            let versions = try await s.meetings.minutesVersions(c.viewer, key: k, seriesID: series.id, number: prepared.number)
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions[0] == frozen)
            #expect(versions[1].notes == "Agreed to staff up; budget from reserve.")
            #expect(versions[1].items.flatMap(\.outputs).contains { $0.title == "Hire two leads" })

            // Readers cannot write minutes.
            await expectDomainError("meeting.run_forbidden", .forbidden) {
                _ = try await s.meetings.amendMinutes(c.viewer, key: k, seriesID: series.id, number: prepared.number)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func issuedStatusReportsNeverChange(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-06-12")
            var s = h.store
            s.clock = { clock.now() }
            let c = try await h.planCast()
            let k = c.key
            let design = try await s.add(c.pm, k, "Design", days: 5)
            let freeze = try await s.add(c.pm, k, "Design freeze", days: 0, kind: .milestone)
            try await s.link(c.pm, k, design, freeze)
            _ = try await s.plans.createBaseline(c.pm, key: k, number: nil, name: "Approved")
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: design, expectedVersion: nil) { $0.duration = .working(11 * 480) }

            await expectDomainError("report.invalid_date", .invalid) {
                _ = try await s.reports.createStatusReport(c.pmo, key: k, statusDate: day("2026-06-13"), today: day("2026-06-12"))
            }
            let early = await expectDomainError("report.invalid_date", .invalid) {
                _ = try await s.reports.createStatusReport(c.pmo, key: k, statusDate: day("2026-05-29"), today: day("2026-06-12"))
            }
            #expect(early?.fieldErrors.first?.code == "before_start")
            await expectDomainError("report.read_forbidden", .forbidden) { _ = try await s.reports.statusReports(c.vendorA, key: k) }
            await expectDomainError("report.edit_forbidden", .forbidden) {
                _ = try await s.reports.createStatusReport(c.member, key: k, statusDate: day("2026-06-12"), today: day("2026-06-12"))
            }

            let draft = try await s.reports.createStatusReport(c.pm, key: k, statusDate: day("2026-06-12"), today: day("2026-06-12"))
            #expect(draft.state == .draft)
            let schedule = draft.content.area(.schedule)!
            #expect(schedule.computed == .red)
            #expect(schedule.reasons.contains(StatusReason(.milestoneLate, ["Design freeze", "6"])))
            #expect(draft.content.area(.quality)?.computed == .green)
            // The same date again gives the same draft.
            #expect(try await s.reports.createStatusReport(c.pm, key: k, statusDate: day("2026-06-12"), today: day("2026-06-12")).id == draft.id)

            // Overrides: the PMO only, and with a reason.
            let override = [StatusOverride(area: .schedule, rag: .amber, reason: "Recovery plan agreed with vendor A")]
            await expectDomainError("report.override_forbidden", .forbidden) {
                _ = try await s.reports.updateStatusReport(c.pm, key: k, id: draft.id, expectedVersion: nil, overrides: override,
                                                   comment: nil, done: nil, next: nil)
            }
            await expectDomainError("report.invalid", .invalid) {
                _ = try await s.reports.updateStatusReport(c.pmo, key: k, id: draft.id, expectedVersion: nil,
                                                   overrides: [StatusOverride(area: .schedule, rag: .amber, reason: " ")],
                                                   comment: nil, done: nil, next: nil)
            }
            let edited = try await s.reports.updateStatusReport(c.pmo, key: k, id: draft.id, expectedVersion: 1, overrides: override,
                                                        comment: "Design is late", done: "Design review", next: "Build starts")
            #expect(edited.content.area(.schedule)?.rag == .amber)
            #expect(edited.content.area(.schedule)?.overrideReason == "Recovery plan agreed with vendor A")
            await expectDomainError("version.stale", .conflict) {
                _ = try await s.reports.updateStatusReport(c.pmo, key: k, id: draft.id, expectedVersion: 1, overrides: nil,
                                                   comment: "Again", done: nil, next: nil)
            }

            let issued = try await s.reports.issueStatusReport(c.pmo, key: k, id: draft.id, expectedVersion: edited.version)
            #expect(issued.state == .issued)
            #expect(issued.issuedBy == "pmo")
            // The world changes: a critical issue, a longer design. The issued report does not.
            _ = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Production data leaked", priority: .critical))
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: design, expectedVersion: nil) { $0.duration = .working(20 * 480) }
            let reread = try await s.reports.statusReport(c.viewer, key: k, id: draft.id)
            #expect(reread.content == issued.content)
            #expect(reread.content.area(.quality)?.computed == .green)
            let e = await expectDomainError("report.issued", .conflict) {
                _ = try await s.reports.updateStatusReport(c.pmo, key: k, id: draft.id, expectedVersion: nil, overrides: nil,
                                                   comment: "Changed", done: nil, next: nil)
            }
            #expect(messageOf(e).contains("correct"))
            await expectDomainError("report.exists", .conflict) {
                _ = try await s.reports.createStatusReport(c.pm, key: k, statusDate: day("2026-06-12"), today: day("2026-06-12"))
            }

            // Next week's report, for the plan's status date when none is given, sees the critical issue and compares
            // with last week.
            clock.set("2026-06-19")
            #expect(try await s.reports.defaultStatusDate(c.pm, key: k, today: day("2026-06-19")) == day("2026-06-19"))
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-18"))
            #expect(try await s.reports.defaultStatusDate(c.pm, key: k, today: day("2026-06-19")) == day("2026-06-18"))
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-19"))
            let next = try await s.reports.createStatusReport(c.pm, key: k, statusDate: nil, today: day("2026-06-19"))
            #expect(next.content.statusDate == day("2026-06-19"))
            #expect(next.planStatusDate == day("2026-06-19"))
            // Last week's override is carried over with its reason, applied, and listed for the PMO to keep or drop.
            #expect(next.overrides == override)
            #expect(next.carriedOverrides == override)
            #expect(next.content.area(.schedule)?.overrideReason == "Recovery plan agreed with vendor A")
            let reworded = try await s.reports.updateStatusReport(c.pmo, key: k, id: next.id, expectedVersion: nil,
                overrides: [StatusOverride(area: .schedule, rag: .amber, reason: "Recovery plan on track")], comment: nil, done: nil, next: nil)
            #expect(reworded.carriedOverrides.isEmpty, "a judgement the PMO restated is its own, not a carried one")
            let dropped = try await s.reports.updateStatusReport(c.pmo, key: k, id: next.id, expectedVersion: nil, overrides: [],
                                                                 comment: nil, done: nil, next: nil)
            #expect(dropped.overrides.isEmpty && dropped.content.area(.schedule)?.override == nil)
            #expect(next.content.area(.quality)?.computed == .red)
            #expect(next.content.area(.quality)?.reasons == [StatusReason(.criticalIssues, ["1"])])
            #expect(next.comparison.previousDate == day("2026-06-12"))
            #expect(next.comparison.areas.first { $0.area == .quality }?.trend == -1)
            #expect(next.comparison.newItems.map(\.title) == ["Production data leaked"])

            // A correction supersedes the issued report when it is issued; the old one keeps its content.
            let correction = try await s.reports.correctStatusReport(c.pmo, key: k, id: draft.id)
            #expect(correction.state == .draft)
            #expect(correction.supersedesID == draft.id)
            #expect(correction.overrides == override)
            _ = try await s.reports.issueStatusReport(c.pmo, key: k, id: correction.id, expectedVersion: nil)
            let old = try await s.reports.statusReport(c.pm, key: k, id: draft.id)
            #expect(old.state == .superseded)
            #expect(old.supersededByID == correction.id)
            #expect(old.content == issued.content)

            // The portfolio shows the latest issued report.
            let portfolio = try await s.reports.portfolio(c.pmo)
            #expect(portfolio.map(\.projectKey) == [k])
            #expect(portfolio.first?.latest?.statusDate == day("2026-06-12"))
            #expect(try await s.reports.portfolio(c.vendorA).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func kickoffPackGathersTheProject(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let phase = try await s.add(c.pm, k, "要件定義", days: 1) { $0.system = "CRM" }
            _ = try await s.add(c.pm, k, "Interview", days: 2, parent: phase) { $0.system = "ERP" }
            _ = try await s.add(c.pm, k, "Requirements signed", days: 0, kind: .milestone)
            _ = try await weekly(s, c)
            _ = try await s.risk(c.pm, k, "Internal only", probability: 3, impact: 3, visibility: .internal)
            let pack = try await s.reports.kickoffPack(c.pm, key: k)
            #expect(pack.scope == ["要件定義", "Requirements signed"])
            #expect(pack.systems == ["CRM", "ERP"])
            #expect(pack.milestones.map(\.name) == ["Requirements signed"])
            #expect(pack.meetings.map(\.name) == ["週次定例"])
            #expect(pack.meetings.first?.attendees.sorted() == ["member", "pm"])
            #expect(Set(pack.members.map(\.company)) == ["Operator", "Vendor A", "Vendor B"])
            #expect(pack.topRisks.map(\.title) == ["Internal only"])
            let vendorPack = try await s.reports.kickoffPack(c.vendorA, key: k)
            #expect(vendorPack.topRisks.isEmpty)
        }
    }
    @Test(arguments: TestDatabase.available)
    func burnDownClosesAnIssueWhenItWasResolved(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-06-01")
            var s = h.store
            s.clock = { clock.now() }
            let c = try await h.planCast()
            let k = c.key
            _ = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Still open"))
            let fixed = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Fixed")).record.number
            clock.set("2026-06-05")
            var resolve = IssuePatch()
            resolve.status = .resolved
            _ = try await s.items.updateIssue(c.pm, key: k, number: fixed, expectedVersion: nil, patch: resolve)
            // An edit after resolving does not move the closing day.
            clock.set("2026-06-20")
            var retitle = IssuePatch()
            retitle.title = "Fixed (verified)"
            _ = try await s.items.updateIssue(c.pm, key: k, number: fixed, expectedVersion: nil, patch: retitle)
            let lives = try await s.reports.issueLifetimes(c.pm, key: k)
            #expect(lives.count == 2)
            let closed = lives.compactMap(\.closed).map { CalendarDate($0, in: TimeZone(identifier: "Asia/Tokyo")!) }
            #expect(closed == [day("2026-06-05")])
        }
    }
}
