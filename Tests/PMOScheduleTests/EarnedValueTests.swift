import Foundation
import PMOCore
import Testing

@testable import PMOSchedule

/// Check tables of ../shared/docs/evm-checks.md.
@Suite struct EarnedValueTests {
    /// Table 1: the test suite of the R package PRA (paulgovan/PRA, tests/testthat/test-evm.R, MIT). BAC = 100,000.
    @Test func praTestSuite() {
        let bac = 100_000.0
        #expect(
            EarnedValue.plannedValue(bac: bac, cumulativeFractions: [0.1, 0.2, 0.4, 0.7, 1.0], period: 3) == 40_000)
        #expect(EarnedValue.earnedValue(bac: bac, percentComplete: 35) == 35_000)
        #expect(EarnedValue.actualCost(cumulative: [9000, 18000, 36000, 70000, 100_000], period: 3) == 36_000)
        #expect(EarnedValue.actualCost(perPeriod: [9000, 18000, 36000], period: 3) == 63_000)
        let m = EarnedValue(bac: bac, pv: 40_000, ev: 35_000, ac: 36_000)
        #expect(m.sv == -5_000)
        #expect(m.cv == -1_000)
        #expect(m.spi == 0.875)
        #expect(abs(m.cpi! - 0.9722222) < 1e-6)
        #expect(EarnedValue.eacTypical(bac: bac, cpi: 0.8) == 125_000)
        #expect(EarnedValue(bac: bac, pv: 1, ev: 35_000, ac: 63_000).eacAtypical == 128_000)
        #expect(
            abs(EarnedValue.eacCombined(bac: bac, ev: 35_000, ac: 63_000, cpi: 0.8, spi: 0.9)! - 153_277.78) < 0.005)
        #expect(EarnedValue.etc(bac: bac, ev: 35_000, cpi: 0.8) == 81_250)
        #expect(EarnedValue(bac: bac, pv: 1, ev: 35_000, ac: 1).etcAtBudget == 65_000)
        #expect(EarnedValue(bac: bac, pv: 1, ev: 35_000, ac: 43_750).etcAtCPI == 81_250)  // CPI = 0.8 from EV and AC
        #expect(EarnedValue(bac: bac, pv: 1, ev: 1, ac: 1).vac(eac: 120_000) == -20_000)
        let t = EarnedValue(bac: bac, pv: 1, ev: 35_000, ac: 40_000)
        #expect(abs(t.tcpiToBAC! - 1.0833333) < 1e-6)
        #expect(t.tcpi(toEAC: 120_000) == 0.8125)
    }

    @Test func combinedEACFromMeasuredIndices() {
        // EV 35,000 with PV 38,888.9 and AC 43,750 gives CPI 0.8 and SPI 0.9 exactly: EAC = 43,750 + 65,000 / 0.72.
        let m = EarnedValue(bac: 100_000, pv: 35_000 / 0.9, ev: 35_000, ac: 43_750)
        #expect(abs(m.eacCombined! - (43_750 + 65_000 / 0.72)) < 1e-6)
    }

    @Test func undefinedMeasuresAreNoValue() {
        let zeroPV = EarnedValue(bac: 100_000, pv: 0, ev: 10, ac: 5)
        #expect(zeroPV.spi == nil && zeroPV.eacCombined == nil)
        let zeroAC = EarnedValue(bac: 100_000, pv: 10, ev: 10, ac: 0)
        #expect(zeroAC.cpi == nil && zeroAC.eacTypical == nil && zeroAC.etcAtCPI == nil)
        #expect(EarnedValue(bac: 100, pv: 10, ev: 10, ac: 100).tcpiToBAC == nil)
        #expect(EarnedValue(bac: 100, pv: 10, ev: 10, ac: 150).tcpiToBAC == nil)
        #expect(EarnedValue(bac: 100, pv: 0, ev: 0, ac: 0).cpi == nil)
    }

    /// Table 2: the four-sided fence. BAC 4,000; PV 3,000; EV 2,500; AC 2,800; exact arithmetic.
    @Test func fenceExample() {
        let m = EarnedValue(bac: 4_000, pv: 3_000, ev: 2_500, ac: 2_800)
        #expect(m.cv == -300)
        #expect(abs(m.cpi! - 0.892857142857) < 1e-9)
        #expect(m.sv == -500)
        #expect(abs(m.spi! - 0.833333333333) < 1e-9)
        #expect(abs(m.eacTypical! - 4_480) < 1e-9)
        #expect(abs(m.etcAtCPI! - 1_680) < 1e-9)
        #expect(abs(m.vac(eac: m.eacTypical!) - -480) < 1e-9)
    }

    @Test func plannedValueFollowsTheScheduleInWorkingTime() {
        // One 4-day task of 4,000 starting Monday 2024-01-08; status Wednesday 08:00 = 2 of 4 days done by plan.
        let a = Activity(
            id: .init(1), name: "A", duration: .working(4 * 480), progress: ActivityProgress(percentComplete: 25),
            budgetedCost: 4_000, actualCost: 1_200)
        let plan = SchedulePlan(
            name: "p", start: LocalTime(iso: "2024-01-08T08:00")!, calendars: [.msProjectStandard],
            defaultCalendarID: WorkCalendar.msProjectStandard.id, activities: [a], dependencies: [])
        let r = CriticalPath.schedule(plan)
        let (acts, project) = EarnedValue.analyze(
            plan: plan, result: r, statusDate: LocalTime(iso: "2024-01-10T08:00")!)
        #expect(acts[.init(1)]?.pv == 2_000)
        #expect(project.ev == 1_000 && project.ac == 1_200 && project.bac == 4_000)
        #expect(project.spi == 0.5)
    }
}

@Suite struct EarnedValueSeriesTests {
    @Test func sCurveRisesWithTheScheduleAndStopsAtBAC() {
        // Two sequential 2-day tasks of 1,000 each from Monday 2024-01-08 08:00, by hand: PV 500 per day.
        let a = Activity(
            id: .init(1), name: "A", duration: .working(960), progress: ActivityProgress(percentComplete: 100),
            budgetedCost: 1_000, actualCost: 900)
        let b = Activity(id: .init(2), name: "B", duration: .working(960), budgetedCost: 1_000)
        let plan = SchedulePlan(
            name: "p", start: LocalTime(iso: "2024-01-08T08:00")!, calendars: [.msProjectStandard],
            defaultCalendarID: WorkCalendar.msProjectStandard.id, activities: [a, b],
            dependencies: [Dependency(from: .init(1), to: .init(2))])
        let r = CriticalPath.schedule(plan)
        let days = (8...12).map { LocalTime(iso: "2024-01-\($0 < 10 ? "0" : "")\($0)T17:00")! }
        let s = EarnedValue.series(plan: plan, result: r, statusDate: LocalTime(iso: "2024-01-09T17:00")!, dates: days)
        #expect(s.map(\.value.pv) == [500, 1_000, 1_500, 2_000, 2_000])
        #expect(s[1].value.ev == 1_000 && s[1].value.ac == 900)
        #expect(s[4].value.ev == 1_000)
        #expect(s[0].value.ev == 500)
    }
}
