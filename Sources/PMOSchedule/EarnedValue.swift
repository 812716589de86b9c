import Foundation
import PMOCore

/// Earned value measures. Undefined measures (division by zero, AC ≥ BAC for TCPI) are nil: never NaN or infinity.
public struct EarnedValue: Hashable, Sendable {
    /// Budget at completion (currency units).
    public var bac: Double
    /// Planned value: budgeted cost of work scheduled to the status date.
    public var pv: Double
    /// Earned value: budgeted cost of work performed to the status date.
    public var ev: Double
    /// Actual cost of work performed to the status date.
    public var ac: Double

    /// Measures from the four base values (currency units).
    public init(bac: Double, pv: Double, ev: Double, ac: Double) {
        self.bac = bac
        self.pv = pv
        self.ev = ev
        self.ac = ac
    }

    /// Schedule variance EV − PV.
    public var sv: Double { ev - pv }
    /// Cost variance EV − AC.
    public var cv: Double { ev - ac }
    /// Schedule performance index EV / PV; nil when PV = 0.
    public var spi: Double? { EarnedValue.ratio(ev, pv) }
    /// Cost performance index EV / AC; nil when AC = 0.
    public var cpi: Double? { EarnedValue.ratio(ev, ac) }
    /// EAC, typical variances (BAC / CPI); nil without CPI.
    public var eacTypical: Double? { cpi.flatMap { EarnedValue.ratio(bac, $0) } }
    /// EAC, atypical variances (AC + BAC − EV).
    public var eacAtypical: Double { ac + bac - ev }
    /// EAC, combined (AC + (BAC − EV) / (CPI × SPI)); nil without CPI or SPI.
    public var eacCombined: Double? {
        guard let cpi, let spi else { return nil }
        return EarnedValue.ratio(bac - ev, cpi * spi).map { ac + $0 }
    }
    /// ETC assuming the remaining work goes to budget (BAC − EV).
    public var etcAtBudget: Double { bac - ev }
    /// ETC at the current cost performance ((BAC − EV) / CPI); nil without CPI.
    public var etcAtCPI: Double? { cpi.flatMap { EarnedValue.ratio(bac - ev, $0) } }
    /// VAC (BAC − EAC) for a given EAC.
    public func vac(eac: Double) -> Double { bac - eac }
    /// TCPI to reach BAC ((BAC − EV) / (BAC − AC)); nil when AC ≥ BAC.
    public var tcpiToBAC: Double? { ac >= bac ? nil : EarnedValue.ratio(bac - ev, bac - ac) }
    /// TCPI to reach an EAC ((BAC − EV) / (EAC − AC)); nil when AC ≥ EAC.
    public func tcpi(toEAC eac: Double) -> Double? { ac >= eac ? nil : EarnedValue.ratio(bac - ev, eac - ac) }

    /// EAC = BAC / CPI for a given CPI; nil when CPI is 0.
    public static func eacTypical(bac: Double, cpi: Double) -> Double? { ratio(bac, cpi) }
    /// EAC = AC + (BAC − EV) / (CPI × SPI) for given indices; nil when either is 0.
    public static func eacCombined(bac: Double, ev: Double, ac: Double, cpi: Double, spi: Double) -> Double? {
        ratio(bac - ev, cpi * spi).map { ac + $0 }
    }
    /// ETC = (BAC − EV) / CPI for a given CPI; nil when CPI is 0.
    public static func etc(bac: Double, ev: Double, cpi: Double) -> Double? { ratio(bac - ev, cpi) }

    /// a / b, or nil when b is zero or the result is not finite.
    static func ratio(_ a: Double, _ b: Double) -> Double? {
        guard b != 0 else { return nil }
        let r = a / b
        return r.isFinite ? r : nil
    }

    /// PV at a period from cumulative planned fractions of BAC (period is 1-based); nil outside the series.
    public static func plannedValue(bac: Double, cumulativeFractions: [Double], period: Int) -> Double? {
        guard period >= 1, period <= cumulativeFractions.count else { return nil }
        return bac * cumulativeFractions[period - 1]
    }

    /// AC at a period from a cumulative series (period is 1-based); nil outside the series.
    public static func actualCost(cumulative: [Double], period: Int) -> Double? {
        guard period >= 1, period <= cumulative.count else { return nil }
        return cumulative[period - 1]
    }

    /// AC at a period from per-period costs summed up to it (period is 1-based); nil outside the series.
    public static func actualCost(perPeriod: [Double], period: Int) -> Double? {
        guard period >= 1, period <= perPeriod.count else { return nil }
        return perPeriod[..<period].reduce(0, +)
    }

    /// EV from BAC and percent complete (0...100).
    public static func earnedValue(bac: Double, percentComplete: Double) -> Double {
        bac * min(100, max(0, percentComplete)) / 100
    }
}
