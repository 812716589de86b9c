import Foundation
import PMOCore
import Testing

/// The portfolio's money by fiscal year (pure): a ledger's years as they are, a plan's activities in the fiscal year of
/// their finish, and totals where only ledgers order and pay.
@Suite("Portfolio by fiscal year")
struct FiscalPortfolioTests {
    static func d(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

    @Test func aPlanCountsInTheFiscalYearOfEachFinish() {
        let plan = FiscalPortfolio.figures(plan: [
            .init(finish: Self.d("2027-03-31"), budgetAtCompletion: .yen(1_000_000), estimateAtCompletion: .yen(1_200_000)),
            .init(finish: Self.d("2027-04-01"), budgetAtCompletion: .yen(500_000), estimateAtCompletion: .yen(450_000)),
            .init(finish: Self.d("2026-04-01"), budgetAtCompletion: .yen(250_000), estimateAtCompletion: .yen(250_000)),
            .init(finish: Self.d("2026-05-01"), budgetAtCompletion: .zero, estimateAtCompletion: .zero),
        ], calendar: .japan)
        #expect(plan.keys.sorted() == [2026, 2027])
        #expect(plan[2026] == PortfolioYearFigures(source: .plan, budget: .yen(1_250_000), forecast: .yen(1_450_000)))
        #expect(plan[2027]?.variance == .yen(-50_000) && plan[2027]?.ordered == nil)
        // A January-start organisation puts March 2027 in 2027.
        let january = FiscalPortfolio.figures(plan: [.init(finish: Self.d("2027-03-31"), budgetAtCompletion: .yen(1), estimateAtCompletion: .yen(1))],
                                              calendar: FiscalCalendar(firstMonth: 1)!)
        #expect(january.keys.sorted() == [2027])
    }

    @Test func aLedgersYearsAndTheTotals() {
        let line = BudgetLine(number: 1, fiscalYear: 2026, category: .development, name: "CRM", original: .yen(30_000_000))
        let order = LedgerOrder(lineID: line.id, vendorID: UUID(), amount: .yen(20_000_000), taxRate: .standard, ordered: YearMonth(year: 2026, month: 5)!,
                                milestones: [OrderMilestone(amount: .yen(5_000_000), plannedAcceptance: YearMonth(year: 2026, month: 6)!,
                                                            accepted: YearMonth(year: 2026, month: 6)!, plannedPayment: YearMonth(year: 2026, month: 7)!,
                                                            paid: YearMonth(year: 2026, month: 7)!)])
        let ledger = FiscalPortfolio.figures(ledger: Ledger(lines: [line], orders: [order]))
        let crm = ledger[2026]
        #expect(crm == PortfolioYearFigures(source: .ledger, budget: .yen(30_000_000), ordered: .yen(20_000_000), paid: .yen(5_000_000),
                                            forecast: .yen(20_000_000)))
        let plan = PortfolioYearFigures(source: .plan, budget: .yen(9_000_000), forecast: .yen(10_000_000))
        let total = FiscalPortfolio.total([crm!, plan])
        #expect(total.budget == .yen(39_000_000) && total.ordered == .yen(20_000_000) && total.paid == .yen(5_000_000))
        #expect(total.forecast == .yen(30_000_000) && total.variance == .yen(-9_000_000))
        #expect(FiscalPortfolio.total([plan]).ordered == nil, "nothing is ordered where no project keeps a ledger")
    }
}
