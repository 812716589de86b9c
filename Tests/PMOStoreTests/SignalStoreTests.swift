import Foundation
import PMOCore
@testable import PMOStore
import PMOTestSupport
import Testing

/// Signals computed from a real plan and registers, kept across computations (raised, acknowledged, worse than
/// acknowledged, snoozed, cleared, raised again), turned into items, read by the right people only, and queued by the
/// sweep when data changed.
@Suite("Signals in the store")
struct SignalStoreTests {
    @Test(arguments: TestDatabase.available)
    func signalsFollowTheDataAndThePeople(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-11-02")
            var s = h.store
            s.clock = { clock.now() }
            let hh = StoreHarness(host: h.host, store: s)
            let c = try await hh.planCast(key: "SIG", start: "2026-11-02")
            let k = c.key
            let vendorA = c.vendorAID
            let build = try await s.add(c.pm, k, "Build", days: 30) { $0.companyID = CompanyID(vendorA) }
            let golive = try await s.add(c.pm, k, "Go-live", days: 0, kind: .milestone)
            try await s.link(c.pm, k, build, golive)
            _ = try await s.plans.createBaseline(c.pm, key: k, number: nil, name: "Approved")
            clock.set("2026-11-20")
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-11-20"))
            _ = try await s.plans.recordProgress(c.pm, key: k, uid: build, expectedVersion: nil,
                                                 ProgressInput(actualStart: day("2026-11-02"), percentComplete: 30))
            clock.set("2026-11-27")
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-11-27"))
            clock.set("2026-12-04")
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-12-04"))
            // The milestone slips 3 working days against the baseline.
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: build, expectedVersion: nil) { $0.duration = .working(33 * 480) }
            let action = try await s.items.createRegisterItem(c.pm, key: k, kind: .action, fields: RegisterItemFields(
                title: "Send the interface spec", status: "open", ownerID: UserID(c.member.userID), dueDate: day("2026-12-01")))
            _ = try await s.items.createRegisterItem(c.pm, key: k, kind: .question, fields: RegisterItemFields(
                title: "Which address format?", status: "open", dueDate: day("2026-12-02"), details: ["blocksWork": .bool(true)]))
            let risk = try await s.items.createRegisterItem(c.pm, key: k, kind: .risk, fields: RegisterItemFields(
                title: "Vendor staff leave", status: "identified", details: [
                    "riskType": .text("threat"), "category": .text("vendor"), "probability": .integer(4),
                    "impactSchedule": .integer(4), "impactCost": .integer(2), "impactQuality": .integer(2)]))
            guard let projectID = try await s.projects.list(for: c.admin).first(where: { $0.0.key == k })?.0.id else {
                Issue.record("no project"); return
            }

            let first = try await s.signals.recompute(projectID: projectID)
            var list = try await s.signals.list(c.pm, key: k)
            func signal(_ code: SignalCode) -> SignalView? { list.signals.first { $0.code == code } }
            #expect(Set(list.signals.map(\.code)) == [.milestoneSlip, .activityNoUpdate, .companyNotReported, .actionsOverdue,
                                                      .questionBlocking, .riskNoOwner], "\(list.signals.map(\.code))")
            #expect(first.raised == 6 && first.open == 6)
            #expect(signal(.milestoneSlip)?.values == ["name": "Go-live", "days": "3", "baseline": "2026-12-15", "forecast": "2026-12-18"])
            #expect(signal(.milestoneSlip)?.severity == .amber && signal(.milestoneSlip)?.subject == "activity:\(golive)")
            #expect(signal(.activityNoUpdate)?.values == ["name": "Build", "n": "2", "last": "2026-11-20"])
            #expect(signal(.companyNotReported)?.values == ["company": "Vendor A", "date": "2026-12-04", "n": "1"])
            #expect(signal(.actionsOverdue)?.values == ["owner": "member", "n": "1", "days": "3"])
            #expect(signal(.actionsOverdue)?.links.map(\.target) == [action.reference])
            #expect(signal(.questionBlocking)?.values["days"] == "2")
            #expect(signal(.riskNoOwner)?.values == ["ref": risk.reference, "title": "Vendor staff leave", "score": "16"])
            #expect(list.signals.allSatisfy { $0.state(today: day("2026-12-04")) == .new && $0.raiseCount == 1 })
            #expect(list.computedAt != nil)

            // Vendors do not read signals; viewers read but do not act.
            await expectDomainError("signal.read_forbidden", .forbidden) { _ = try await s.signals.list(c.vendorA, key: k) }
            #expect(try await s.signals.acrossProjects(c.vendorA).isEmpty)
            #expect(try await s.signals.list(c.viewer, key: k).canAct == false)
            let slip = try #require(signal(.milestoneSlip))
            await expectDomainError("signal.act_forbidden", .forbidden) {
                _ = try await s.signals.acknowledge(c.viewer, key: k, id: slip.id, note: "seen")
            }
            await expectDomainError("project.not_found", .notFound) { _ = try await s.signals.list(c.outsider, key: k) }

            // Acknowledged: a computation that finds the same thing leaves it acknowledged.
            let acked = try await s.signals.acknowledge(c.pm, key: k, id: slip.id, note: "Vendor adds staff next week", expectedVersion: slip.version)
            #expect(acked.state(today: day("2026-12-04")) == .acknowledged && acked.note == "Vendor adds staff next week")
            #expect(acked.acknowledgedBy?.name == "pm")
            await expectDomainError("version.stale", .conflict) {
                _ = try await s.signals.acknowledge(c.pm, key: k, id: slip.id, note: "", expectedVersion: slip.version)
            }
            let again = try await s.signals.recompute(projectID: projectID)
            #expect(again.raised == 0 && again.worsened == 0 && again.cleared == 0)
            list = try await s.signals.list(c.pm, key: k)
            #expect(signal(.milestoneSlip)?.acknowledgedAt != nil)

            // Worse than acknowledged (3 → 6 working days, amber → red): raised again, unacknowledged.
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: build, expectedVersion: nil) { $0.duration = .working(36 * 480) }
            let worse = try await s.signals.recompute(projectID: projectID)
            #expect(worse.worsened == 1)
            list = try await s.signals.list(c.pm, key: k)
            #expect(signal(.milestoneSlip)?.severity == .red && signal(.milestoneSlip)?.acknowledgedAt == nil)
            #expect(signal(.milestoneSlip)?.raiseCount == 2 && signal(.milestoneSlip)?.values["days"] == "6")
            let (_, history, _) = try await s.signals.signal(c.pm, key: k, id: slip.id)
            #expect(history.map(\.action) == ["worsened", "acknowledged", "raised"])
            #expect(history[1].actor == "pm" && history[1].note == "Vendor adds staff next week")

            // Snoozing: after today, within 90 days.
            let overdue = try #require(signal(.actionsOverdue))
            let past = await expectDomainError("signal.invalid", .invalid) {
                _ = try await s.signals.acknowledge(c.pm, key: k, id: overdue.id, note: "", snoozeUntil: day("2026-12-04"))
            }
            #expect(past?.fieldErrors.map(\.code) == ["not_future"])
            let far = await expectDomainError("signal.invalid", .invalid) {
                _ = try await s.signals.acknowledge(c.pm, key: k, id: overdue.id, note: String(repeating: "x", count: 2001),
                                                    snoozeUntil: day("2027-03-05"))
            }
            #expect(far?.fieldErrors.map(\.code) == ["too_long", "too_far"])
            let snoozed = try await s.signals.acknowledge(c.pm, key: k, id: overdue.id, note: "", snoozeUntil: day("2026-12-08"))
            #expect(snoozed.state(today: day("2026-12-04")) == .snoozed && snoozed.state(today: day("2026-12-08")) == .acknowledged)

            // Turned into an issue (derived from the risk it is about), once.
            let ownerless = try #require(signal(.riskNoOwner))
            let (converted, reference) = try await s.signals.convert(c.pmo, key: k, id: ownerless.id, into: .issue, title: "Give R1 an owner",
                                                                     description: "From a signal")
            #expect(reference == "SIG-I1" && converted.item == "SIG-I1" && converted.acknowledgedBy?.name == "pmo")
            let issue = try await s.items.issue(c.pmo, key: k, number: 1)
            #expect(issue.record.title == "Give R1 an owner" && issue.record.ownerID == c.pmo.userID && issue.priority == .medium)
            let links = try await s.items.links(c.pmo, key: k, type: .issue, number: 1)
            #expect(links.map(\.otherReference) == [risk.reference])
            await expectDomainError("signal.already_converted", .conflict) {
                _ = try await s.signals.convert(c.pmo, key: k, id: ownerless.id, into: .risk, title: "Again", description: "")
            }
            // …and into a risk.
            let question = try #require(signal(.questionBlocking))
            let (_, riskRef) = try await s.signals.convert(c.pm, key: k, id: question.id, into: .risk, title: "Design waits for an answer",
                                                           description: "From a signal")
            let newRisk = try await s.items.registerItem(c.pm, key: k, kind: .risk, number: 2)
            #expect(riskRef == "SIG-R2" && newRisk.record.status == "identified" && newRisk.record.title == "Design waits for an answer")

            // The condition ends: cleared by itself, kept with its history; it comes back when the condition does.
            _ = try await s.items.updateRegisterItem(c.pm, key: k, kind: .action, number: action.record.number, expectedVersion: nil,
                                                     patch: { var p = RegisterItemPatch(); p.status = "done"; return p }())
            let cleared = try await s.signals.recompute(projectID: projectID)
            #expect(cleared.cleared == 1)
            list = try await s.signals.list(c.pm, key: k)
            #expect(signal(.actionsOverdue) == nil)
            list = try await s.signals.list(c.pm, key: k, includeCleared: true)
            #expect(signal(.actionsOverdue)?.isOpen == false && signal(.actionsOverdue)?.clearedAt != nil)
            await expectDomainError("signal.cleared", .conflict) {
                _ = try await s.signals.acknowledge(c.pm, key: k, id: overdue.id, note: "late")
            }
            _ = try await s.items.updateRegisterItem(c.pm, key: k, kind: .action, number: action.record.number, expectedVersion: nil,
                                                     patch: { var p = RegisterItemPatch(); p.status = "open"; return p }())
            _ = try await s.signals.recompute(projectID: projectID)
            list = try await s.signals.list(c.pm, key: k)
            #expect(signal(.actionsOverdue)?.raiseCount == 2 && signal(.actionsOverdue)?.acknowledgedAt == nil
                    && signal(.actionsOverdue)?.snoozedUntil == nil)

            // Long reads go a page at a time, and read the same as one read.
            let all = try await s.signals.list(c.pm, key: k, includeCleared: true).signals
            #expect(try await s.signals.keptSignals(projectID: projectID, pageSize: 2).count == all.count)
            let context = try await s.projectContext(c.pm, key: k)
            let paged = try await s.items.allRows(context, ItemRowFilter(), pageSize: 2, on: s.db)
            #expect(paged.map { $0.reference(k) } == (try await s.items.rows(context, ItemRowFilter(), on: s.db)).map { $0.reference(k) })
            #expect(paged.count >= 5)

            // Across projects: the open ones of every project the caller reads.
            #expect(try await s.signals.acrossProjects(c.pm).count == list.signals.count)

            // Thresholds: refused naming the field, versioned, and they change what is raised.
            var bad = SignalThresholds()
            bad.milestoneRedDays = 400
            bad.staleDays = 0
            let refused = await expectDomainError("signal.invalid_thresholds", .invalid) {
                _ = try await s.signals.updateThresholds(c.pm, key: k, bad, expectedVersion: nil)
            }
            #expect(refused?.fieldErrors.map(\.field) == ["milestoneRedDays", "staleDays"])
            var lenient = SignalThresholds()
            lenient.milestoneSlipDays = 10
            lenient.milestoneRedDays = 20
            #expect(try await s.signals.updateThresholds(c.pm, key: k, lenient, expectedVersion: 0) == 1)
            await expectDomainError("version.stale", .conflict) {
                _ = try await s.signals.updateThresholds(c.pm, key: k, lenient, expectedVersion: 0)
            }
            await expectDomainError("signal.act_forbidden", .forbidden) {
                _ = try await s.signals.updateThresholds(c.viewer, key: k, lenient, expectedVersion: nil)
            }
            _ = try await s.signals.recompute(projectID: projectID)
            list = try await s.signals.list(c.pm, key: k)
            #expect(signal(.milestoneSlip) == nil && list.thresholds.milestoneSlipDays == 10 && list.thresholdsVersion == 1)
        }
    }

    /// The sweep queues a computation for a project whose data changed, or which was last computed before today, and
    /// nothing otherwise.
    @Test(arguments: TestDatabase.available)
    func sweepQueuesChangedProjects(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-12-04")
            var s = h.store
            s.clock = { clock.now() }
            let (admin, pmo, _) = try await StoreHarness(host: h.host, store: s).seed()
            let projectID = try #require(try await s.projects.list(for: admin).first?.0.id)
            func pending() async throws -> [JobRecord] {
                try await s.jobs.recent().filter { $0.kind == SignalService.jobKind && $0.state == .queued }
            }
            #expect(try await s.signals.sweep() == 1, "never computed")
            #expect(try await pending().map(\.key) == [projectID.uuidString.lowercased()])
            #expect(try await s.signals.sweep() == 0, "already queued")
            let job = try #require(try await s.jobs.claim(owner: "t", kinds: [SignalService.jobKind]))
            try await s.signals.recompute(projectID: projectID)
            try await s.jobs.complete(job.id, owner: "t")
            #expect(try await s.signals.sweep() == 0, "nothing changed since")
            _ = try await s.items.createIssue(pmo, key: "CRM", fields: IssueFields(title: "Login fails"))
            #expect(try await s.signals.sweep() == 1, "an item was added")
            let next = try #require(try await s.jobs.claim(owner: "t", kinds: [SignalService.jobKind]))
            try await s.signals.recompute(projectID: projectID)
            try await s.jobs.complete(next.id, owner: "t")
            #expect(try await s.signals.sweep() == 0)
            clock.set("2026-12-05", "00:10")
            #expect(try await s.signals.sweep() == 1, "a new day")
        }
    }
}
