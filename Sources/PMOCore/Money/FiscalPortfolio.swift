import Foundation

/// One project's money in one fiscal year, as the portfolio shows it. Where the project keeps a budget ledger the
/// figures are the ledger's; otherwise they come from its plan: the budget at completion and the estimate at
/// completion of the activities finishing in the year, with nothing ordered or paid to show.
public struct PortfolioYearFigures: Sendable, Equatable {
    public enum Source: String, Sendable, CaseIterable {
        case ledger, plan
    }

    public var source: Source
    public var budget: Money
    /// Before tax; nil for a plan (a plan orders nothing).
    public var ordered: Money?
    /// Before tax; nil for a plan.
    public var paid: Money?
    public var forecast: Money
    /// Forecast − budget: positive is over budget.
    public var variance: Money { forecast - budget }

    public init(source: Source, budget: Money, ordered: Money? = nil, paid: Money? = nil, forecast: Money) {
        self.source = source
        self.budget = budget
        self.ordered = ordered
        self.paid = paid
        self.forecast = forecast
    }
}

/// The portfolio's money by fiscal year (pure): each project's figures from its ledger or its plan, and the totals.
/// All projects are counted in the organisation's one fiscal calendar, so the totals add up.
public enum FiscalPortfolio {
    /// A ledger's figures per fiscal year.
    public static func figures(ledger: Ledger) -> [Int: PortfolioYearFigures] {
        var out: [Int: PortfolioYearFigures] = [:]
        for year in ledger.years {
            out[year.fiscalYear] = PortfolioYearFigures(source: .ledger, budget: year.budget, ordered: year.ordered.beforeTax,
                                                        paid: year.paid.beforeTax, forecast: year.forecast)
        }
        return out
    }

    /// One activity of a plan: where it finishes and what it costs at completion, planned and estimated.
    public struct PlannedCost: Sendable, Equatable {
        public var finish: CalendarDate
        public var budgetAtCompletion: Money
        public var estimateAtCompletion: Money

        public init(finish: CalendarDate, budgetAtCompletion: Money, estimateAtCompletion: Money) {
            self.finish = finish
            self.budgetAtCompletion = budgetAtCompletion
            self.estimateAtCompletion = estimateAtCompletion
        }
    }

    /// A plan's figures per fiscal year: each (leaf) activity's BAC and EAC in the fiscal year of its finish.
    public static func figures(plan activities: [PlannedCost], calendar: FiscalCalendar) -> [Int: PortfolioYearFigures] {
        var out: [Int: PortfolioYearFigures] = [:]
        for a in activities where a.budgetAtCompletion != .zero || a.estimateAtCompletion != .zero {
            let year = calendar.fiscalYear(of: a.finish)
            var f = out[year] ?? PortfolioYearFigures(source: .plan, budget: .zero, forecast: .zero)
            f.budget += a.budgetAtCompletion
            f.forecast += a.estimateAtCompletion
            out[year] = f
        }
        return out
    }

    /// The total of one fiscal year across projects. Ordered and paid add up the ledgers' (nil when no project of
    /// the year keeps one).
    public static func total(_ figures: [PortfolioYearFigures]) -> PortfolioYearFigures {
        let ledgers = figures.filter { $0.source == .ledger }
        return PortfolioYearFigures(source: ledgers.isEmpty ? .plan : .ledger, budget: figures.map(\.budget).sum(),
                                    ordered: ledgers.isEmpty ? nil : ledgers.compactMap(\.ordered).sum(),
                                    paid: ledgers.isEmpty ? nil : ledgers.compactMap(\.paid).sum(),
                                    forecast: figures.map(\.forecast).sum())
    }
}
