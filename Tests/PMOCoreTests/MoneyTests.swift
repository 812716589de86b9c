import PMOCore
import Testing

/// Money is whole yen with one rounding rule (half up, halves away from zero), tax computed exactly in whole numbers,
/// amounts read as people write them; fiscal years start in the organisation's first month (April by default).
@Suite("Money and fiscal years")
struct MoneyTests {
    @Test func roundingIsHalfUpAwayFromZero() {
        #expect(Money(rounding: 2.5) == .yen(3))
        #expect(Money(rounding: 2.4999) == .yen(2))
        #expect(Money(rounding: -2.5) == .yen(-3))
        #expect(Money(rounding: 1_234_567.5) == .yen(1_234_568))
        #expect(Money(rounding: .nan) == nil && Money(rounding: .infinity) == nil && Money(rounding: 1e300) == nil)
        // Hours × rate, the way the plan's effort costs become yen.
        #expect(Money.yen(9_000).scaled(by: 7.5) == .yen(67_500))
        #expect(Money.yen(12_345).scaled(by: 0.1) == .yen(1_235), "1,234.5 rounds up")
    }

    @Test func sumsAreExactWhereDoublesDrift() {
        // 0.1 + 0.2 style drift never reaches a ledger: a thousand amounts of ¥333 sum to exactly ¥333,000.
        let amounts = Array(repeating: Money.yen(333), count: 1_000)
        #expect(amounts.sum() == .yen(333_000))
        #expect([Money]().sum() == .zero)
        #expect(Money.yen(5) - .yen(8) == .yen(-3) && -Money.yen(4) == .yen(-4) && Money.yen(250) * 4 == .yen(1_000))
        #expect(Money.yen(1_200_000).description == "¥1,200,000" && Money.yen(-3_000).description == "-¥3,000")
        #expect(Money.yen(999).description == "¥999" && Money.zero.description == "¥0")
        #expect(CurrencyCode("JPY") == .jpy && CurrencyCode("jpy") == nil && CurrencyCode("YEN") != .jpy)
    }

    @Test func taxIsComputedOnTheAmountBeforeTaxHalfUp() {
        #expect(TaxRate.standard.tax(on: .yen(1_000_000)) == .yen(100_000))
        #expect(TaxRate.standard.tax(on: .yen(1_005)) == .yen(101), "100.5 rounds up")
        #expect(TaxRate.standard.tax(on: .yen(1_004)) == .yen(100))
        #expect(TaxRate.reduced.tax(on: .yen(1_006)) == .yen(80), "80.48 rounds down")
        #expect(TaxRate.standard.tax(on: .yen(-1_005)) == .yen(-101), "a credit note rounds the same way")
        #expect(TaxRate.standard.including(.yen(123_456_789)) == .yen(135_802_468))
        // Exact far beyond what a Double holds to the yen after multiplying.
        #expect(TaxRate.standard.tax(on: .yen(999_999_999_999_995)) == .yen(100_000_000_000_000))
        #expect(TaxRate.standard.description == "10%" && TaxRate(basisPoints: 1_050).description == "10.5%")
    }

    @Test func amountsAreReadAsPeopleWriteThem() {
        for (text, yen) in [("1200000", 1_200_000), ("1,200,000", 1_200_000), ("¥1,200,000", 1_200_000), ("1,200,000円", 1_200_000),
                            ("１，２００，０００", 1_200_000), ("▲3,000", -3_000), ("-3000", -3_000), (" 0 ", 0), ("1200.00", 1_200),
                            ("007", 7)] as [(String, Int64)] {
            #expect(MoneyText.parse(text) == .success(.yen(yen)), "\(text)")
        }
        #expect(MoneyText.parse("1200.5") == .failure(.fraction))
        #expect(MoneyText.parse("abc") == .failure(.notAnAmount))
        #expect(MoneyText.parse("") == .failure(.notAnAmount))
        #expect(MoneyText.parse("1e6") == .failure(.notAnAmount))
        #expect(MoneyText.parse("1,000,000,000,000,000") == .failure(.tooLarge))
        #expect(MoneyText.parse("999,999,999,999,999") == .success(.yen(999_999_999_999_999)))
    }

    @Test func fiscalYearsStartInTheirFirstMonth() throws {
        let japan = FiscalCalendar.japan
        let march31 = try #require(CalendarDate(year: 2027, month: 3, day: 31)), april1 = try #require(CalendarDate(year: 2027, month: 4, day: 1))
        #expect(japan.fiscalYear(of: march31) == 2026 && japan.fiscalYear(of: april1) == 2027)
        #expect(japan.months(of: 2026) == YearMonth(year: 2026, month: 4)!...YearMonth(year: 2027, month: 3)!)
        #expect(japan.monthList(of: 2026).map(\.description).prefix(2) == ["2026-04", "2026-05"])
        #expect(japan.monthList(of: 2026).last?.description == "2027-03" && japan.monthList(of: 2026).count == 12)
        // A calendar-year organisation and one starting in October.
        let calendarYear = try #require(FiscalCalendar(firstMonth: 1)), october = try #require(FiscalCalendar(firstMonth: 10))
        #expect(calendarYear.fiscalYear(of: march31) == 2027)
        #expect(october.fiscalYear(of: YearMonth(year: 2026, month: 9)!) == 2025 && october.fiscalYear(of: YearMonth(year: 2026, month: 10)!) == 2026)
        #expect(FiscalCalendar(firstMonth: 13) == nil && FiscalCalendar(firstMonth: 0) == nil)
        // A project from 2026-07-01 to 2028-02-15 spans FY2026 and FY2027.
        #expect(japan.years(from: CalendarDate(year: 2026, month: 7, day: 1)!, to: CalendarDate(year: 2028, month: 2, day: 15)!) == 2026...2027)
    }

    @Test func monthsAreReadAndCounted() {
        #expect(YearMonth(iso: "2026-04") == YearMonth(year: 2026, month: 4))
        #expect(YearMonth(iso: "2026-4") == nil && YearMonth(iso: "2026-13") == nil && YearMonth(iso: "April") == nil)
        let jan = YearMonth(year: 2027, month: 1)!
        #expect(jan.adding(months: -1).description == "2026-12" && jan.adding(months: 14).description == "2028-03")
        #expect(YearMonth(year: 2026, month: 4)!.months(to: jan) == 9 && jan.months(to: YearMonth(year: 2026, month: 4)!) == -9)
    }
}
