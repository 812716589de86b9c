import Foundation
import PMOCore
import Testing

/// The budget ledger's sums on a prepared case worked by hand: two fiscal years, a revision moving money between
/// them, estimates before and after one is chosen, orders with agreed and proposed change orders, milestones accepted
/// and paid across the fiscal year's end, and internal labour.
@Suite("Budget ledger")
struct LedgerTests {
    let dev26 = BudgetLine(number: 1, fiscalYear: 2026, category: .development, systemNumber: 1, name: "CRM開発", original: .yen(30_000_000))
    let labour26 = BudgetLine(number: 2, fiscalYear: 2026, category: .internalLabour, name: "社内工数", original: .yen(4_000_000))
    let dev27 = BudgetLine(number: 3, fiscalYear: 2027, category: .development, systemNumber: 1, name: "CRM開発 2期", original: .yen(10_000_000))
    let vendorA = UUID(), vendorB = UUID()

    func month(_ y: Int, _ m: Int) -> YearMonth { YearMonth(year: y, month: m)! }

    var orderA: LedgerOrder {
        LedgerOrder(lineID: dev26.id, vendorID: vendorA, amount: .yen(24_000_000), ordered: month(2026, 5),
                    changeOrders: [ChangeOrder(amount: .yen(2_000_000), status: .agreed), ChangeOrder(amount: .yen(1_500_000), status: .proposed),
                                   ChangeOrder(amount: .yen(9_000_000), status: .withdrawn)],
                    milestones: [OrderMilestone(amount: .yen(8_000_000), plannedAcceptance: month(2026, 9), accepted: month(2026, 9),
                                                plannedPayment: month(2026, 10), paid: month(2026, 10)),
                                 OrderMilestone(amount: .yen(10_000_000), plannedAcceptance: month(2027, 3), accepted: month(2027, 3),
                                                plannedPayment: month(2027, 4)),
                                 OrderMilestone(amount: .yen(8_000_000), plannedAcceptance: month(2027, 3), plannedPayment: month(2027, 4))])
    }
    var orderB: LedgerOrder {
        // A reduced rate (8 %) so the ledger's tax is per order, not one rate for all.
        LedgerOrder(lineID: dev27.id, vendorID: vendorB, amount: .yen(12_345_678), taxRate: .reduced, ordered: month(2027, 4),
                    milestones: [OrderMilestone(amount: .yen(12_345_678), plannedAcceptance: month(2027, 9), plannedPayment: month(2027, 10))])
    }

    @Test func sumsPerLineAndFiscalYear() throws {
        let moved = BudgetRevision(lineID: dev26.id, amount: .yen(-2_000_000), reason: "2期へ移す", cause: ItemReference("C4"),
                                   date: CalendarDate(iso: "2026-11-10")!)
        let received = BudgetRevision(lineID: dev27.id, amount: .yen(2_000_000), reason: "1期から移す", cause: ItemReference("C4"),
                                      date: CalendarDate(iso: "2026-11-10")!)
        let estimates = [
            LedgerEstimate(lineID: dev26.id, vendorID: vendorA, version: 1, amount: .yen(26_000_000), chosen: false),
            LedgerEstimate(lineID: dev26.id, vendorID: vendorA, version: 2, amount: .yen(24_000_000), chosen: true),
            LedgerEstimate(lineID: dev26.id, vendorID: vendorB, version: 1, amount: .yen(21_000_000), chosen: false),
            // No choice yet on FY2027: the higher of each vendor's latest version (A's v2 is 13M, not its old 15M).
            LedgerEstimate(lineID: dev27.id, vendorID: vendorA, version: 1, amount: .yen(15_000_000), chosen: false),
            LedgerEstimate(lineID: dev27.id, vendorID: vendorA, version: 2, amount: .yen(11_000_000), chosen: false),
            LedgerEstimate(lineID: dev27.id, vendorID: vendorB, version: 1, amount: .yen(12_345_678), chosen: false),
        ]
        let ledger = Ledger(lines: [dev27, labour26, dev26], revisions: [moved, received], estimates: estimates, orders: [orderB, orderA],
                            internalLabour: [2026: .yen(3_600_000), 2027: .yen(700_000)])
        #expect(ledger.years.map(\.fiscalYear) == [2026, 2027])
        let fy26 = ledger.years[0], fy27 = ledger.years[1]
        #expect(fy26.rows.map(\.line.number) == [1, 2] && fy27.rows.map(\.line.number) == [3])

        let a = try #require(ledger.row(dev26.id))
        #expect(a.budget == .yen(28_000_000) && a.revisions == .yen(-2_000_000))
        #expect(a.estimated == .yen(24_000_000), "the chosen estimate")
        #expect(a.ordered.beforeTax == .yen(26_000_000), "24M ordered + 2M agreed; the proposed and withdrawn ones are not ordered")
        #expect(a.ordered.tax == .yen(2_600_000) && a.ordered.includingTax == .yen(28_600_000))
        #expect(a.accepted.beforeTax == .yen(18_000_000) && a.accepted.includingTax == .yen(19_800_000))
        #expect(a.paid.beforeTax == .yen(8_000_000) && a.paid.includingTax == .yen(8_800_000))
        #expect(a.remaining == .yen(2_000_000))
        #expect(a.expectedChanges == .yen(1_500_000) && a.forecast == .yen(27_500_000) && a.variance == .yen(-500_000))
        #expect(!a.isOverrun)

        let labour = try #require(ledger.row(labour26.id))
        #expect(labour.internalLabour == .yen(3_600_000) && labour.forecast == .yen(3_600_000) && labour.remaining == .yen(4_000_000))

        let b = try #require(ledger.row(dev27.id))
        #expect(b.budget == .yen(12_000_000) && b.estimated == .yen(12_345_678))
        // 8 % of 12,345,678 is 987,654.24: half up to the yen.
        #expect(b.ordered.tax == .yen(987_654) && b.ordered.includingTax == .yen(13_333_332))
        #expect(b.remaining == .yen(-345_678) && b.isOverrun)
        #expect(b.accepted == .zero && b.paid == .zero)

        // FY2027 has no internal-labour line: its 700k is forecast as unbudgeted, not lost.
        #expect(fy27.unbudgetedInternalLabour == .yen(700_000) && fy27.forecast == .yen(12_345_678 + 700_000))
        #expect(fy26.budget == .yen(32_000_000) && fy26.estimated == .yen(24_000_000) && fy26.ordered.beforeTax == .yen(26_000_000))
        #expect(fy26.remaining == .yen(6_000_000) && fy26.forecast == .yen(31_100_000) && fy26.variance == .yen(-900_000))
        #expect(ledger.budget == .yen(44_000_000) && ledger.paid.includingTax == .yen(8_800_000))
        #expect(ledger.forecast == .yen(31_100_000 + 13_045_678))
    }

    @Test func aYearWithOnlyInternalLabourStillShows() {
        let ledger = Ledger(lines: [dev26], internalLabour: [2028: .yen(100)])
        #expect(ledger.years.map(\.fiscalYear) == [2026, 2028])
        #expect(ledger.years[1].rows.isEmpty && ledger.years[1].forecast == .yen(100))
        #expect(Ledger(lines: []).years.isEmpty)
    }

    @Test func cashOutIsByPaymentMonthWithTax() {
        let cash = Ledger.cashOut([orderA, orderB])
        #expect(cash[month(2026, 10)]?.planned == .yen(8_800_000) && cash[month(2026, 10)]?.actual == .yen(8_800_000))
        #expect(cash[month(2027, 4)]?.planned == .yen(19_800_000) && cash[month(2027, 4)]?.actual == .zero)
        #expect(cash[month(2027, 10)]?.planned == .yen(13_333_332))
        #expect(cash.count == 3)
    }

    @Test func fiscalYearBoundaries() {
        var e = FieldErrors()
        let april = FiscalCalendar.japan
        // March 2027 is FY2026's last month; April 2027 is FY2027's first.
        LedgerRules.checkOrder(title: "x", amount: .yen(1), taxBasisPoints: 1_000, ordered: month(2027, 3),
                               lines: [.init(number: 1, fiscalYear: 2026, share: .yen(1), remaining: .yen(10))], overrunReason: "", calendar: april, into: &e)
        #expect(e.isEmpty)
        LedgerRules.checkOrder(title: "x", amount: .yen(1), taxBasisPoints: 1_000, ordered: month(2027, 4),
                               lines: [.init(number: 1, fiscalYear: 2026, share: .yen(1), remaining: .yen(10))], overrunReason: "", calendar: april, into: &e)
        #expect(e.fields == ["orderDate"] && e.codes == ["other_fiscal_year"])
        // A January-start organisation puts March 2027 in FY2027.
        var january = FieldErrors()
        LedgerRules.checkOrder(title: "x", amount: .yen(1), taxBasisPoints: 1_000, ordered: month(2027, 3),
                               lines: [.init(number: 1, fiscalYear: 2027, share: .yen(1), remaining: .yen(10))], overrunReason: "", calendar: FiscalCalendar(firstMonth: 1)!, into: &january)
        #expect(january.isEmpty)
        let start = CalendarDate(iso: "2026-02-01")!, target = CalendarDate(iso: "2027-06-30")!
        #expect(LedgerRules.years(start: start, target: target, calendar: april) == 2025...2027)
        #expect(LedgerRules.years(start: nil, target: target, calendar: april) == LedgerRules.yearRange)
    }

    @Test func refusalsNameTheirFields() {
        var e = FieldErrors()
        LedgerRules.checkOrder(title: " ", amount: .yen(-1), taxBasisPoints: 10_001, ordered: month(2026, 5),
                               lines: [.init(number: 1, fiscalYear: 2026, share: .yen(-1), remaining: .yen(-5))], overrunReason: "", calendar: .japan, into: &e)
        #expect(Set(e.fields) == ["title", "amount", "taxRate"], "a negative amount is not an overrun")
        var over = FieldErrors()
        LedgerRules.checkOrder(title: "x", amount: .yen(11), taxBasisPoints: 1_000, ordered: month(2026, 5),
                               lines: [.init(number: 1, fiscalYear: 2026, share: .yen(11), remaining: .yen(10))], overrunReason: "", calendar: .japan, into: &over)
        #expect(over.fields == ["overrunReason"])
        var stated = FieldErrors()
        LedgerRules.checkOrder(title: "x", amount: .yen(11), taxBasisPoints: 1_000, ordered: month(2026, 5),
                               lines: [.init(number: 1, fiscalYear: 2026, share: .yen(11), remaining: .yen(10))], overrunReason: "追加要件（C4）で承認済み", calendar: .japan, into: &stated)
        #expect(stated.isEmpty)

        var m = FieldErrors()
        LedgerRules.checkMilestone(name: "検収", amount: .yen(5), ordered: month(2026, 5), plannedAcceptance: month(2026, 4), accepted: month(2026, 4),
                                   plannedPayment: month(2026, 3), paid: nil, into: &m)
        #expect(m.fields == ["plannedAcceptance", "accepted", "plannedPayment"])
        var paid = FieldErrors()
        LedgerRules.checkMilestone(name: "検収", amount: .yen(5), ordered: month(2026, 5), plannedAcceptance: month(2026, 6), accepted: nil,
                                   plannedPayment: month(2026, 7), paid: month(2026, 7), into: &paid)
        #expect(paid.fields == ["paid"] && paid.codes == ["not_accepted"])
        var early = FieldErrors()
        LedgerRules.checkMilestone(name: "検収", amount: .yen(5), ordered: month(2026, 5), plannedAcceptance: month(2026, 6), accepted: month(2026, 8),
                                   plannedPayment: month(2026, 7), paid: month(2026, 7), into: &early)
        #expect(early.fields == ["paid"] && early.codes == ["before_acceptance"])

        var line = FieldErrors()
        LedgerRules.checkLine(name: "", fiscalYear: 2030, years: 2025...2027, original: .yen(-1), into: &line)
        #expect(line.fields == ["name", "fiscalYear", "original"])
        var revision = FieldErrors()
        LedgerRules.checkRevision(amount: .zero, reason: "", cause: ItemReference("I3"), into: &revision)
        #expect(revision.fields == ["amount", "reason", "cause"])
    }

    @Test func absurdAmountsNeitherTrapNorWrap() {
        // The largest amount at 100 % tax: the product would overflow Int64; the tax is exact.
        #expect(TaxRate(basisPoints: 10_000).tax(on: .yen(MoneyText.maximum)) == .yen(MoneyText.maximum))
        #expect(TaxRate.standard.tax(on: .yen(MoneyText.maximum)) == .yen(100_000_000_000_000))
        #expect(TaxRate.reduced.tax(on: .yen(-12_345_678)) == .yen(-987_654))
        #expect(TaxRate(basisPoints: 825).tax(on: .yen(123_456_789_012)) == .yen(10_185_185_093), "10,185,185,093.49 rounds down")
        // Sums saturate rather than trap (ten thousand maximal change orders).
        let many = Array(repeating: Money.yen(MoneyText.maximum), count: 10_000).sum()
        #expect(many == .yen(.max) && (Money.yen(.min) - .yen(1)) == .yen(.min))
    }

    @Test func taxRatesAsWritten() {
        #expect(LedgerRules.parseTaxRate("10") == .standard && LedgerRules.parseTaxRate("8%") == .reduced)
        #expect(LedgerRules.parseTaxRate("8.25") == TaxRate(basisPoints: 825) && LedgerRules.parseTaxRate("0") == TaxRate(basisPoints: 0))
        #expect(LedgerRules.parseTaxRate("8.125") == nil && LedgerRules.parseTaxRate("-1") == nil && LedgerRules.parseTaxRate("101") == nil)
        #expect(LedgerRules.parseTaxRate("ten") == nil)
    }
}

extension LedgerTests {
    /// The organisation's own contract types as an administrator writes them: trimmed, blanks and repeats dropped,
    /// built-in codes, control characters, long names and too many refused naming the field.
    @Test func theOrganisationsOwnContractTypes() throws {
        #expect(try ContractType.custom([" 保守 ", "", "SES", "保守"]).get().map(\.rawValue) == ["保守", "SES"])
        #expect(ContractType(rawValue: "保守").isBuiltIn == false && ContractType.fixedPrice.isBuiltIn)
        func code(_ names: [String]) -> String? { if case .failure(let e) = ContractType.custom(names) { e.code } else { nil } }
        #expect(code(["time_and_materials"]) == "built_in")
        #expect(code(["a\u{7}b"]) == "one_line")
        #expect(code([String(repeating: "長", count: ContractType.nameMax + 1)]) == "too_long")
        #expect(code((1...(ContractType.customMax + 1)).map { "type \($0)" }) == "too_many")
        #expect(code((1...ContractType.customMax).map { "type \($0)" }) == nil)
    }
}

extension FieldErrors {
    var fields: [String] { all.map(\.field) }
    var codes: [String] { all.map(\.code) }
}

extension LedgerTests {
    /// Splitting an amount by weights: the parts add up to it to the yen, leftover yen go to the largest remainders,
    /// signs are kept, all goes to the first part when there is nothing to weigh by, and amounts near the maximum do
    /// not overflow.
    @Test func anAmountSplitsInProportionToTheYen() {
        #expect(Money.yen(100).split(by: [.yen(1), .yen(1), .yen(1)]) == [.yen(34), .yen(33), .yen(33)], "a tie goes to the first")
        #expect(Money.yen(1_000_000).split(by: [.yen(6_000_000), .yen(3_000_000)]) == [.yen(666_667), .yen(333_333)])
        #expect(Money.yen(11_000_000).split(by: [.yen(3_000_000), .yen(6_000_000)]) == [.yen(3_666_667), .yen(7_333_333)], "0.67 beats 0.33")
        #expect(Money.yen(-100).split(by: [.yen(1), .yen(2)]) == [.yen(-33), .yen(-67)])
        #expect(Money.yen(7).split(by: [.zero, .zero]) == [.yen(7), .zero])
        #expect(Money.yen(5).split(by: []).isEmpty)
        let huge = Money.yen(MoneyText.maximum).split(by: [.yen(MoneyText.maximum - 1), .yen(1)])
        #expect(huge == [.yen(MoneyText.maximum - 1), .yen(1)] && huge.sum() == .yen(MoneyText.maximum))
        for total in [0, 1, 99, 12_345_679] as [Int64] {
            #expect(Money.yen(total).split(by: [.yen(7), .yen(11), .yen(13), .zero]).sum() == .yen(total))
        }
    }

    /// An order drawing on two lines (a build on development, its licences on the licences line): each line carries
    /// its share, and the order's agreed and proposed change orders, acceptance and payment are split in proportion to
    /// the shares, with tax, so the lines add up to the order to the yen.
    @Test func anOrderSharedByTwoLinesSplitsItsFiguresInProportion() throws {
        let licences = BudgetLine(number: 4, fiscalYear: 2026, category: .licences, name: "ライセンス", original: .yen(5_000_000))
        let shared = LedgerOrder(lineID: licences.id, shares: [OrderShare(lineID: licences.id, amount: .yen(3_000_000)),
                                                               OrderShare(lineID: dev26.id, amount: .yen(6_000_000))],
                                 vendorID: vendorA, amount: .yen(9_000_000), ordered: month(2026, 6),
                                 changeOrders: [ChangeOrder(amount: .yen(1_000_000), status: .agreed), ChangeOrder(amount: .yen(300_000), status: .proposed)],
                                 milestones: [OrderMilestone(amount: .yen(4_500_001), plannedAcceptance: month(2026, 9), accepted: month(2026, 9),
                                                             plannedPayment: month(2026, 10), paid: month(2026, 10))])
        let ledger = Ledger(lines: [dev26, licences], orders: [shared])
        let lic = try #require(ledger.row(licences.id)), dev = try #require(ledger.row(dev26.id))
        // Ordered: 9M + 1M agreed = 10M, a third and two thirds; with tax 11M, split the same way.
        #expect(lic.ordered.beforeTax == .yen(3_333_333) && dev.ordered.beforeTax == .yen(6_666_667))
        #expect(lic.ordered.includingTax == .yen(3_666_667) && dev.ordered.includingTax == .yen(7_333_333))
        #expect(lic.ordered + dev.ordered == TaxedAmount(.yen(10_000_000), rate: .standard))
        #expect(lic.expectedChanges == .yen(100_000) && dev.expectedChanges == .yen(200_000))
        // 4,500,001 accepted and paid: 1,500,000.33 and 3,000,000.67.
        #expect(lic.accepted.beforeTax == .yen(1_500_000) && dev.accepted.beforeTax == .yen(3_000_001))
        #expect(lic.paid + dev.paid == TaxedAmount(.yen(4_500_001), rate: .standard))
        #expect(lic.remaining == .yen(1_666_667) && dev.remaining == .yen(23_333_333))
        #expect(lic.forecast == .yen(3_433_333) && dev.forecast == .yen(6_866_667))
        // The cash out is the order's, whichever lines pay it.
        #expect(Ledger.cashOut([shared])[month(2026, 10)]?.actual == .yen(4_950_001))
        // An order on one line is the whole of it there.
        #expect(orderA.lineShares == [OrderShare(lineID: dev26.id, amount: .yen(24_000_000))])
    }

    /// An order on several lines: each line of the order's fiscal year and named once, the shares adding up to the
    /// amount, and an overrun stated when a share is above what is left of its line (the others may be within).
    @Test func anOrderOnSeveralLinesIsCheckedLineByLine() {
        func check(_ lines: [LedgerRules.OrderLine], amount: Int64 = 9, reason: String = "") -> (FieldErrors, Bool) {
            var e = FieldErrors()
            let over = LedgerRules.checkOrder(title: "x", amount: .yen(amount), taxBasisPoints: 1_000, ordered: month(2026, 6), lines: lines,
                                              overrunReason: reason, calendar: .japan, into: &e)
            return (e, over)
        }
        let l1 = LedgerRules.OrderLine(number: 1, fiscalYear: 2026, share: .yen(6), remaining: .yen(6))
        let l4 = LedgerRules.OrderLine(number: 4, fiscalYear: 2026, share: .yen(3), remaining: .yen(10))
        let (fine, fineOver) = check([l1, l4])
        #expect(fine.isEmpty && !fineOver)
        let (sum, _) = check([l1, l4], amount: 10)
        #expect(sum.fields == ["lines"] && sum.codes == ["shares_do_not_add_up"])
        let (twice, _) = check([l1, l1], amount: 12)
        #expect(twice.codes == ["repeated_line"])
        var l3 = l4
        l3.number = 3
        l3.fiscalYear = 2027
        let (year, _) = check([l1, l3])
        #expect(year.fields == ["orderDate"] && year.codes == ["other_fiscal_year"] && year.all.first?.message.contains("L3") == true)
        var tight = l4
        tight.remaining = .yen(2)
        let (over, isOver) = check([l1, tight])
        #expect(over.fields == ["overrunReason"] && isOver && over.all.first?.message.contains("L4") == true && over.all.first?.message.contains("L1") == false)
        let (stated, statedOver) = check([l1, tight], reason: "C4で承認済み")
        #expect(stated.isEmpty && statedOver)
        let (negative, _) = check([l1, LedgerRules.OrderLine(number: 4, fiscalYear: 2026, share: .yen(-1), remaining: .yen(10))], amount: 5)
        #expect(negative.codes == ["negative"] && negative.fields == ["lines"])
    }

    /// An estimate's breakdown: parts add up to the amount, each names a phase or a category and is one line; its sums
    /// by phase keep the vendor's order, by category the categories' order, and the phases of several estimates are
    /// the rows of their comparison.
    @Test func anEstimatesBreakdownAddsUpAndSumsByPhaseAndCategory() {
        let parts = [EstimatePart(phase: "要件定義", category: .development, amount: .yen(2)), EstimatePart(phase: "開発", category: .development, amount: .yen(5)),
                     EstimatePart(phase: "開発", category: .licences, amount: .yen(3)), EstimatePart(phase: "", category: .operations, amount: .yen(1))]
        var fine = FieldErrors()
        EstimateBreakdown.check(parts, amount: .yen(11), into: &fine)
        #expect(fine.isEmpty)
        var none = FieldErrors()
        EstimateBreakdown.check([], amount: .yen(11), into: &none)
        #expect(none.isEmpty, "no breakdown is no check")
        var off = FieldErrors()
        EstimateBreakdown.check(parts, amount: .yen(12), into: &off)
        #expect(off.fields == ["breakdown"] && off.codes == ["does_not_add_up"])
        var bad = FieldErrors()
        EstimateBreakdown.check([EstimatePart(phase: " ", amount: .yen(1)), EstimatePart(phase: "a\tb", category: .development, amount: .yen(-1))],
                                amount: .zero, into: &bad)
        #expect(bad.fields == ["breakdown[0]", "breakdown[1].phase", "breakdown[1].amount"] && bad.codes == ["unnamed_part", "one_line", "negative"])
        #expect(EstimateBreakdown.byPhase(parts).map { "\($0.phase) \($0.amount.amount)" } == ["要件定義 2", "開発 8"])
        #expect(EstimateBreakdown.byCategory(parts).map { "\($0.category.rawValue) \($0.amount.amount)" } == ["development 7", "licences 3", "operations 1"])
        #expect(EstimateBreakdown.phases([[EstimatePart(phase: "設計", amount: .yen(1))], parts]) == ["設計", "要件定義", "開発"])
    }
}
