import Foundation
import PMOCore
import PMOSchedule
import PMOStore
import PMOTestSupport
import Testing

@Suite("Plan baselines and earned value")
struct PlanBaselineEVTests {
    @Test(arguments: TestDatabase.available)
    func baselinesAreNumberedAndSlipsAreWorkingDays(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let a = try await s.add(c.pm, k, "Analysis", days: 5)       // 1–5 June
            let b = try await s.add(c.pm, k, "Build", days: 10)         // 8–19 June
            let m = try await s.add(c.pm, k, "Handover", days: 0, kind: .milestone)
            let x = try await s.add(c.pm, k, "Extra", days: 3)          // 1–3 June, off the critical path
            try await s.link(c.pm, k, a, b)
            try await s.link(c.pm, k, b, m)

            let first = try await s.plans.createBaseline(c.pm, key: k, number: nil, name: "  Approved plan ")
            #expect(first.number == 0)
            #expect(first.name == "Approved plan")
            #expect(first.entries.count == 4)
            #expect(first.entries.first { $0.uid == b }?.finish == time("2026-06-19T18:00"))
            #expect(first.entries.first { $0.uid == b }?.duration == .working(4800))
            let second = try await s.plans.createBaseline(c.pmo, key: k, number: nil, name: "承認済み計画")
            #expect(second.number == 1)
            await expectDomainError("plan.baseline_exists", .conflict) {
                _ = try await s.plans.createBaseline(c.pm, key: k, number: 0, name: "Again")
            }
            await expectDomainError("plan.invalid", .invalid) { _ = try await s.plans.createBaseline(c.pm, key: k, number: 11, name: "Eleven") }
            await expectDomainError("plan.invalid", .invalid) { _ = try await s.plans.createBaseline(c.pm, key: k, number: 2, name: "   ") }
            #expect(try await s.plans.view(c.pm, key: k).snapshot.baselines.map(\.number) == [0, 1])

            // Analysis takes two days more, Build one: Build and the milestone finish three working days late.
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: a, expectedVersion: nil) { $0.duration = .working(7 * 480) }
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: b, expectedVersion: nil) { $0.duration = .working(11 * 480) }
            let (view, baseline, slips) = try await s.plans.compareBaseline(c.viewer, key: k, number: 0)
            #expect(baseline.name == "Approved plan")
            #expect(view.finish(b) == "2026-06-24T18:00:00")
            #expect(slips.map(\.row.activity.uid) == [b, m, a, x])
            #expect(slips.map(\.finishSlipDays) == [3.0, 3.0, 2.0, 0.0])
            #expect(slips.map(\.startSlipDays) == [2.0, 3.0, 0.0, 0.0])
            #expect(slips.map(\.isMilestone) == [false, true, false, false])
            #expect(slips.map(\.isCritical) == [true, true, true, false])
            #expect(slips[0].baselineFinish == time("2026-06-19T18:00"))
            #expect(slips[0].finish == time("2026-06-24T18:00"))
            #expect(slips[1].baselineStart == time("2026-06-19T18:00"))

            // Replacing a baseline needs saying so; the replaced one then matches the plan.
            let replaced = try await s.plans.createBaseline(c.pm, key: k, number: 1, name: "Re-plan", replace: true)
            #expect(replaced.number == 1)
            let (_, b1, slips1) = try await s.plans.compareBaseline(c.pm, key: k, number: 1)
            #expect(b1.name == "Re-plan")
            #expect(slips1.allSatisfy { $0.finishSlipDays == 0 && $0.startSlipDays == 0 })
            #expect(try await s.plans.compareBaseline(c.pm, key: k, number: 0).2.map(\.finishSlipDays) == [3.0, 3.0, 2.0, 0.0])
            #expect(try await s.plans.view(c.pm, key: k).snapshot.baselines.map(\.name) == ["Approved plan", "Re-plan"])
            await expectDomainError("plan.baseline_not_found", .notFound) { _ = try await s.plans.compareBaseline(c.pm, key: k, number: 5) }

            // Numbers fill the first gap; when all eleven are taken, a new one must name its number.
            for n in 2...10 { #expect(try await s.plans.createBaseline(c.pm, key: k, number: nil, name: "B\(n)").number == n) }
            await expectDomainError("plan.baselines_full", .conflict) { _ = try await s.plans.createBaseline(c.pm, key: k, number: nil, name: "B11") }
            #expect(try await h.count("plan_baselines") == 11)
            #expect(try await h.count("plan_baseline_entries") == 44)
        }
    }

    /// A plan with fixed budgets and an effort-priced activity, a baseline, then progress at two status dates.
    /// PV spreads each budget evenly over the working minutes of the activity's baseline dates; EV = budget × percent;
    /// AC is the recorded cost, else actual hours × the company's hourly rate.
    @Test(arguments: TestDatabase.available)
    func earnedValueAtSeveralStatusDates(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            var s = h.store
            let clock = TickingClock(Date(timeIntervalSince1970: 1_780_000_000))
            s.clock = { clock.now() }
            let k = c.key
            let vendorA = CompanyID(c.vendorAID), vendorB = CompanyID(c.vendorBID)
            try await s.plans.setCompanyTerms(c.pm, key: k, companyID: c.vendorAID, hourlyRate: .yen(5000), closures: nil)
            let design = try await s.add(c.pm, k, "Design", days: 5) { $0.budgetAmount = .yen(100_000) }        // 1–5 June
            let build = try await s.add(c.pm, k, "Build", days: 10) {                                      // 8–19 June
                $0.costBasis = .effort
                $0.effortHours = 40
                $0.companyID = vendorA
            }
            let test = try await s.add(c.pm, k, "Test", days: 4) {                                         // 22–25 June
                $0.budgetAmount = .yen(60_000)
                $0.companyID = vendorB
            }
            let done = try await s.add(c.pm, k, "Done", days: 0, kind: .milestone)
            try await s.link(c.pm, k, design, build)
            try await s.link(c.pm, k, build, test)
            try await s.link(c.pm, k, test, done)
            let planned = try await s.plans.view(c.pm, key: k)
            #expect(planned.schedulePlan.activities.map(\.budgetedCost) == [100_000, 200_000, 60_000, 0])
            #expect(planned.finish(test) == "2026-06-25T18:00:00")
            #expect(try await s.plans.createBaseline(c.pm, key: k, number: nil, name: "PMB").number == 0)
            // After the baseline, Build is planned at 12 days: PV still follows the baseline's 10.
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: build, expectedVersion: nil) { $0.duration = .working(12 * 480) }

            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-10"))
            _ = try await s.plans.recordProgress(c.pm, key: k, uid: design, expectedVersion: nil,
                                           ProgressInput(actualStart: day("2026-06-01"), actualFinish: day("2026-06-05"), actualCost: .yen(110_000)))
            _ = try await s.plans.recordProgress(c.vendorA, key: k, uid: build, expectedVersion: nil,
                                           ProgressInput(actualStart: day("2026-06-09"), percentComplete: 20, actualHours: 10))
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-19"))
            _ = try await s.plans.recordProgress(c.vendorA, key: k, uid: build, expectedVersion: nil,
                                           ProgressInput(percentComplete: 60, actualHours: 30))

            func check(_ v: EarnedValue?, bac: Double = 360_000, pv: Double, ev: Double, ac: Double, _ what: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(close(v?.bac, bac), "\(what) BAC \(String(describing: v?.bac))", sourceLocation: sourceLocation)
                #expect(close(v?.pv, pv), "\(what) PV \(String(describing: v?.pv))", sourceLocation: sourceLocation)
                #expect(close(v?.ev, ev), "\(what) EV \(String(describing: v?.ev))", sourceLocation: sourceLocation)
                #expect(close(v?.ac, ac), "\(what) AC \(String(describing: v?.ac))", sourceLocation: sourceLocation)
            }
            // 10 June: Design done (PV 100,000); Build 3 of its 10 baseline days (0.3 × 200,000).
            // EV 100,000 + 20 % × 200,000; AC 110,000 + 10 h × 5,000.
            let first = try await s.plans.earnedValue(c.pm, key: k, at: day("2026-06-10"))
            #expect(first.baseline == 0)
            check(first.current.project, pv: 160_000, ev: 140_000, ac: 160_000, "10 June")
            #expect(first.trend.map(\.statusDate) == [day("2026-06-10")])
            check(first.trend.first?.project, pv: 160_000, ev: 140_000, ac: 160_000, "trend 10 June")

            // 15 June (no status date): progress as of 10 June, PV of Build at 6 of 10 days.
            let between = try await s.plans.earnedValue(c.pm, key: k, at: day("2026-06-15"))
            check(between.current.project, pv: 220_000, ev: 140_000, ac: 160_000, "15 June")
            #expect(between.trend.count == 1)

            // 19 June: Build's baseline is over (PV 200,000 though it is now planned to the 24th); EV 60 %, AC 30 h.
            let second = try await s.plans.earnedValue(c.pm, key: k, at: day("2026-06-19"))
            check(second.current.project, pv: 300_000, ev: 220_000, ac: 260_000, "19 June")
            #expect(second.trend.map(\.statusDate) == [day("2026-06-10"), day("2026-06-19")])
            check(second.trend[0].project, pv: 160_000, ev: 140_000, ac: 160_000, "trend 10 June")
            check(second.trend[1].project, pv: 300_000, ev: 220_000, ac: 260_000, "trend 19 June")
            check(second.current.activities[build], bac: 200_000, pv: 200_000, ev: 120_000, ac: 150_000, "Build")
            check(second.current.activities[design], bac: 100_000, pv: 100_000, ev: 100_000, ac: 110_000, "Design")
            check(second.current.activities[test], bac: 60_000, pv: 0, ev: 0, ac: 0, "Test")

            // Per company, and the companies add up to the project.
            let companies = second.current.companies
            #expect(Set(companies.keys) == [nil, vendorA, vendorB])
            check(companies[nil], bac: 100_000, pv: 100_000, ev: 100_000, ac: 110_000, "no company")
            check(companies[vendorA], bac: 200_000, pv: 200_000, ev: 120_000, ac: 150_000, "vendor A")
            check(companies[vendorB], bac: 60_000, pv: 0, ev: 0, ac: 0, "vendor B")
            for report in [first, between, second] {
                for b in [report.current] + report.trend {
                    let sum = b.companies.values.reduce(EarnedValue(bac: 0, pv: 0, ev: 0, ac: 0)) {
                        EarnedValue(bac: $0.bac + $1.bac, pv: $0.pv + $1.pv, ev: $0.ev + $1.ev, ac: $0.ac + $1.ac)
                    }
                    check(sum, bac: b.project.bac, pv: b.project.pv, ev: b.project.ev, ac: b.project.ac, "sum at \(b.statusDate)")
                }
            }

            // Without a date: the plan's status date and its current progress.
            let now = try await s.plans.earnedValue(c.pm, key: k)
            #expect(now.statusDate == day("2026-06-19"))
            check(now.current.project, pv: 300_000, ev: 220_000, ac: 260_000, "status date")
            #expect(now.trend.count == 2)
            #expect(close(now.current.project.spi, 220_000.0 / 300_000))
            #expect(close(now.current.project.cpi, 220_000.0 / 260_000))
            // The PV curve ends at the budget.
            #expect(close(now.pvCurve.last?.1, 360_000))
            #expect(now.pvCurve.first.map { $0.1 <= 100_000 } == true)
            await expectDomainError("plan.baseline_not_found", .notFound) { _ = try await s.plans.earnedValue(c.pm, key: k, baseline: 3) }
        }
    }
}
