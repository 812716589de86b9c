import Foundation
import PMOCore
@testable import PMOStore
import PMOTestSupport
import Testing

/// The PMO's KPIs counted from what people did in a project over October 2026, through the store's own write path:
/// decisions decided, issues and actions closed on time or late, a risk that became an issue, a signal acknowledged,
/// progress reported on time, late and not at all, and minutes approved within two working days or not.
@Suite("KPIs in the store")
struct KPIStoreTests {
    @Test(arguments: TestDatabase.available)
    func kpisCountWhatHappened(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-10-01")
            var s = h.store
            s.clock = { clock.now() }
            let hh = StoreHarness(host: h.host, store: s)
            let c = try await hh.planCast(key: "KPI", start: "2026-10-01")
            let k = c.key
            let build = try await s.add(c.pm, k, "Build", days: 30) { $0.companyID = CompanyID(c.vendorAID) }
            let decider: [String: RegisterValue] = ["decider": .user(UserID(c.pm.userID))]
            let d1 = try await s.items.createRegisterItem(c.pm, key: k, kind: .decision, fields: RegisterItemFields(title: "Pick the DB", status: "pending", details: decider))
            let d2 = try await s.items.createRegisterItem(c.pm, key: k, kind: .decision, fields: RegisterItemFields(title: "Pick the host", status: "pending", details: decider))
            let risk = try await s.items.createRegisterItem(c.pm, key: k, kind: .risk, fields: RegisterItemFields(
                title: "Vendor staff leave", status: "identified", details: [
                    "riskType": .text("threat"), "category": .text("vendor"), "probability": .integer(4),
                    "impactSchedule": .integer(4), "impactCost": .integer(2), "impactQuality": .integer(2)]))
            func action(_ title: String, due: String) async throws -> Int {
                try await s.items.createRegisterItem(c.pm, key: k, kind: .action, fields: RegisterItemFields(
                    title: title, status: "open", ownerID: UserID(c.member.userID), dueDate: day(due))).record.number
            }
            let onTime = try await action("On time", due: "2026-10-09")
            let late = try await action("Late", due: "2026-10-09")
            let cancelled = try await action("Cancelled", due: "2026-10-09")
            _ = try await action("Never done", due: "2026-10-30")
            let i1 = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Test data missing", dueDate: day("2026-10-09"))).record.number
            func setStatus(_ kind: RegisterKind, _ number: Int, _ status: String) async throws {
                var p = RegisterItemPatch()
                p.status = status
                if kind == .decision { p.details["decision"] = .text("Agreed in the weekly meeting") }
                _ = try await s.items.updateRegisterItem(c.pm, key: k, kind: kind, number: number, expectedVersion: nil, patch: p)
            }
            let projectID = try #require(try await s.projects.list(for: c.admin).first { $0.0.key == k }?.0.id)
            // The top risk without an owner raises a signal on 1 October.
            _ = try await s.signals.recompute(projectID: projectID)
            let raised = try await s.signals.list(c.pm, key: k).signals
            #expect(raised.map(\.code) == [.riskNoOwner])
            let series = try await s.meetings.createSeries(c.pmo, key: k, MeetingSeriesFields(
                name: "Weekly", purpose: "Progress", chairID: UserID(c.pmo.userID),
                recurrence: MeetingRecurrence(firstDate: day("2026-10-06"), intervalWeeks: 1, startMinutes: 600, durationMinutes: 60),
                location: "Room A", attendeeIDs: [UserID(c.pm.userID)]))

            clock.set("2026-10-05")
            _ = try await s.signals.acknowledge(c.pm, key: k, id: raised[0].id, note: "Talking to the vendor")   // within the week
            _ = try await s.items.riskOccurred(c.pm, key: k, number: risk.record.number, expectedVersion: nil)    // an issue foreseen
            _ = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Unforeseen outage"))
            _ = try await s.meetings.prepareOccurrence(c.pmo, key: k, seriesID: series.id, today: day("2026-10-05"))
            clock.set("2026-10-06", "12:00")
            try await setStatus(.decision, d1.record.number, "decided")                                          // 3 working days
            clock.set("2026-10-08")
            _ = try await s.meetings.approveMinutes(c.pmo, key: k, seriesID: series.id, number: 1, expectedVersion: nil)  // 2 working days: in time
            clock.set("2026-10-09", "18:00")
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-10-09"))
            _ = try await s.plans.recordProgress(c.pm, key: k, uid: build, expectedVersion: nil,
                                                 ProgressInput(actualStart: day("2026-10-01"), percentComplete: 20))       // reported on the day
            try await setStatus(.action, onTime, "done")
            var resolve = IssuePatch()
            resolve.status = .resolved
            _ = try await s.items.updateIssue(c.pm, key: k, number: i1, expectedVersion: nil, patch: resolve)
            clock.set("2026-10-10")
            try await setStatus(.action, late, "done")
            try await setStatus(.action, cancelled, "cancelled")
            _ = try await s.meetings.prepareOccurrence(c.pmo, key: k, seriesID: series.id, today: day("2026-10-10"))
            clock.set("2026-10-15")
            try await setStatus(.decision, d2.record.number, "decided")                                          // 9 working days (12 Oct is a holiday)
            clock.set("2026-10-16", "18:00")
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-10-16"))
            _ = try await s.meetings.approveMinutes(c.pmo, key: k, seriesID: series.id, number: 2, expectedVersion: nil)  // 3 working days: late
            clock.set("2026-10-20")
            _ = try await s.plans.recordProgress(c.pm, key: k, uid: build, expectedVersion: nil, ProgressInput(percentComplete: 40))  // 2 working days late
            clock.set("2026-10-23", "18:00")
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-10-23"))                                     // never reported
            clock.set("2026-11-02")

            let report = try await s.kpis.project(c.pm, key: k, months: 2).report
            #expect(report.months.map(\.description) == ["2026-10", "2026-11"])
            func oct(_ code: KPICode) -> KPIValue? { report.series[code]?.first }
            #expect(oct(.decisionLeadMedian) == KPIValue(value: 6, count: 2))
            #expect(oct(.decisionLeadP90) == KPIValue(value: 8.4, count: 2))
            // Due 9 Oct: the issue and one action closed that day, one action a day late, one cancelled (not counted);
            // due 30 Oct: one action never done.
            #expect(oct(.closedByDue) == KPIValue(value: 50, count: 4, hits: 2))
            // Open at 31 October: the two issues of 5 October (26 days); at 2 November, 28 days.
            #expect(oct(.openIssueAge) == KPIValue(value: 26, count: 2))
            #expect(report.series[.openIssueAge]?.last == KPIValue(value: 28, count: 2))
            #expect(oct(.risksForeseen) == KPIValue(value: 33.3, count: 3, hits: 1))
            #expect(oct(.signalsActed) == KPIValue(value: 100, count: 1, hits: 1))
            #expect(oct(.minutesApproved) == KPIValue(value: 50, count: 2, hits: 1))
            #expect(oct(.reportsOnTime) == KPIValue(value: 33.3, count: 3, hits: 1))
            #expect(report.companies.map(\.name) == ["Vendor A"])
            #expect(report.companies.first?.onTime.first == KPIValue(value: 33.3, count: 3, hits: 1))
            #expect(report.totals[.closedByDue] == KPIValue(value: 50, count: 4, hits: 2))
            #expect(report.series[.closedByDue]?.last == KPIValue(value: nil, count: 0, hits: 0))

            // Kept between readings, and read again when the data changes: a new issue, a new link.
            #expect(try await s.kpis.project(c.pmo, key: k, months: 2).report == report)
            let found = try await s.items.createIssue(c.pm, key: k, fields: IssueFields(title: "Found today"))
            #expect(try await s.kpis.project(c.pm, key: k, months: 2).report.series[.risksForeseen]?.last == KPIValue(value: 0, count: 1, hits: 0))
            _ = try await s.items.addLink(c.pm, key: k, type: .risk, number: risk.record.number, to: ItemReference(found.reference)!, kind: .causes)
            let again = try await s.kpis.project(c.pm, key: k, months: 2).report
            #expect(again.series[.risksForeseen]?.last == KPIValue(value: 100, count: 1, hits: 1))

            // The same across projects; vendors read neither.
            let across = try await s.kpis.acrossProjects(c.pmo, months: 2)
            #expect(across.projects.map(\.projectKey) == [k])
            #expect(across.pooled == again)
            await expectDomainError("kpi.read_forbidden", .forbidden) { _ = try await s.kpis.project(c.vendorA, key: k) }
            #expect(try await s.kpis.acrossProjects(c.vendorA).projects.isEmpty)
            await expectDomainError("project.not_found", .notFound) { _ = try await s.kpis.project(c.outsider, key: k) }
        }
    }
}
