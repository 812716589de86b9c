import Foundation
import Testing

@testable import PMOCore

/// Summaries roll up % complete (by duration, or by budget when the plan says so), budget and actual cost from every
/// task under them; a cost the reader may not see hides every sum it is part of.
@Suite struct PlanRollUpTests {
    static let vendorCompany = CompanyID(UUID(uuidString: "00000000-0000-0000-0000-0000000000a1")!)
    static let otherCompany = CompanyID(UUID(uuidString: "00000000-0000-0000-0000-0000000000b2")!)

    static func day(_ d: Int) -> WorkDuration { .working(d * 480) }

    /// 1 Phase
    ///   2 Design (4 days, ¥400, done)        3 Build (summary)
    ///                                          4 Code (2 days, ¥100, 50 %, effort 10 h at the other company's ¥30/h)
    ///                                          5 Review milestone
    static func snapshot(_ weighting: ProgressWeighting = .duration, designDone: Bool = true, codePercent: Double = 50) -> PlanSnapshot {
        let start = LocalTime(date: CivilDate(year: 2026, month: 4, day: 1)!)
        let design = PlanActivity(
            uid: 2, parentUID: 1, position: 1, name: "Design", duration: day(4), companyID: vendorCompany, budgetAmount: .yen(400),
            progress: designDone ? ActivityProgress(actualStart: start, actualFinish: start, percentComplete: 100) : .none,
            actualCost: .yen(380))
        let code = PlanActivity(
            uid: 4, parentUID: 3, position: 1, name: "Code", duration: day(2), companyID: otherCompany, costBasis: .effort,
            effortHours: 10, progress: ActivityProgress(percentComplete: codePercent), actualHours: 4)
        return PlanSnapshot(
            name: "P", start: start, progressWeighting: weighting, defaultCalendarUID: 1, calendars: [],
            companies: [PlanCompanyTerms(companyID: otherCompany, hourlyRate: .yen(30))],
            activities: [
                PlanActivity(uid: 1, position: 1, name: "Phase"), design,
                PlanActivity(uid: 3, parentUID: 1, position: 2, name: "Build"), code,
                PlanActivity(uid: 5, parentUID: 3, position: 2, name: "Review", kind: .milestone),
            ],
            dependencies: [])
    }

    static func figures(_ s: PlanSnapshot, canSee: (PlanActivity) -> Bool = { _ in true }) -> [Int: RolledUpFigures] {
        PlanRollUp.figures(rows: s.wbs(), rates: s.rates, weighting: s.progressWeighting, canSeeCost: canSee)
    }

    @Test func percentCompleteIsWeightedByDuration() throws {
        let f = Self.figures(Self.snapshot())
        // Build: only Code weighs (the milestone has no duration) → 50 %. Phase: (4 × 100 + 2 × 50) / 6 = 83.3 %.
        #expect(try #require(f[3]).percentComplete == 50)
        #expect(abs(try #require(f[1]).percentComplete - 500.0 / 6) < 1e-9)
        #expect(f[2]?.percentComplete == 100 && f[4]?.percentComplete == 50)
    }

    @Test func percentCompleteIsWeightedByBudgetWhenThePlanSaysSo() throws {
        let f = Self.figures(Self.snapshot(.budget))
        // Design ¥400 at 100 %, Code 10 h × ¥30 = ¥300 at 50 % → (400 + 150) / 700.
        #expect(abs(try #require(f[1]).percentComplete - 550.0 / 7) < 1e-9)
        #expect(f[3]?.percentComplete == 50)
    }

    @Test func aSummaryWhoseTasksAreAllDoneIs100() throws {
        let f = Self.figures(Self.snapshot(codePercent: 100))
        #expect(f[1]?.percentComplete == 100)
        #expect(f[3]?.percentComplete == 100)
        let none = Self.figures(Self.snapshot(designDone: false, codePercent: 0))
        #expect(none[1]?.percentComplete == 0)
        // A summary of milestones only weighs nothing by duration: each counts alike (one of two reached is 50 %).
        let start = LocalTime(date: CivilDate(year: 2026, month: 4, day: 1)!)
        let gates = PlanSnapshot(
            name: "G", start: start, defaultCalendarUID: 1, calendars: [],
            activities: [
                PlanActivity(uid: 1, name: "Gates"),
                PlanActivity(uid: 2, parentUID: 1, position: 1, name: "G1", kind: .milestone,
                             progress: ActivityProgress(actualStart: start, actualFinish: start, percentComplete: 100)),
                PlanActivity(uid: 3, parentUID: 1, position: 2, name: "G2", kind: .milestone),
            ], dependencies: [])
        #expect(Self.figures(gates)[1]?.percentComplete == 50)
    }

    @Test func budgetsAndActualCostsAddUp() throws {
        let f = Self.figures(Self.snapshot())
        #expect(f[4]?.budget == .yen(300) && f[4]?.actualCost == .yen(120))
        #expect(f[3]?.budget == .yen(300) && f[3]?.actualCost == .yen(120))
        #expect(f[1]?.budget == .yen(700) && f[1]?.actualCost == .yen(500))
        #expect(f[1]?.costHidden == false)
    }

    /// Hours at a rate are rounded half up to the yen, once per activity, so that a summary adds whole yen.
    @Test func effortCostsAreWholeYenRoundedHalfUp() throws {
        #expect(PlanActivity.cost(hours: 10.5, rate: .yen(33)) == .yen(347))      // 346.5
        #expect(PlanActivity.cost(hours: 10.25, rate: .yen(33)) == .yen(338))     // 338.25
        #expect(PlanActivity.cost(hours: 3, rate: nil) == .zero)
        var code = PlanActivity(uid: 1, name: "Code", costBasis: .effort, effortHours: 10.5, actualHours: 0.5)
        #expect(code.budget(rate: .yen(33)) == .yen(347))
        #expect(code.actual(rate: .yen(33)) == .yen(17))                          // 16.5
        code.actualCost = .yen(20)
        #expect(code.actual(rate: .yen(33)) == .yen(20))
    }

    @Test func aHiddenCostHidesEverySumItIsIn() throws {
        let f = Self.figures(Self.snapshot()) { $0.companyID == Self.vendorCompany }
        #expect(f[2]?.costHidden == false)
        #expect(f[4]?.costHidden == true)
        #expect(f[3]?.costHidden == true)
        #expect(f[1]?.costHidden == true)
        // % complete is not commercial: it is rolled up whoever reads it.
        #expect(abs((f[1]?.percentComplete ?? 0) - 500.0 / 6) < 1e-9)
    }
}
