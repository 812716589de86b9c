import FluentKit
import Foundation
import PMOCore

/// The portfolio's money by fiscal year as the caller may see it.
public struct PortfolioBudget: Sendable {
    public struct Project: Sendable {
        public var key: String
        public var name: String
        /// The project's figures by fiscal year (from its ledger, or from its plan when it keeps none).
        public var years: [Int: PortfolioYearFigures]
    }

    public var calendar: FiscalCalendar
    /// The projects whose commercial data the caller sees, by key; others are left out.
    public var projects: [Project]
    /// Every fiscal year any project has figures in, in order.
    public var fiscalYears: [Int] { Array(Set(projects.flatMap(\.years.keys))).sorted() }

    public func total(_ year: Int) -> PortfolioYearFigures {
        FiscalPortfolio.total(projects.compactMap { $0.years[year] })
    }
}

extension LedgerService {
    /// Budget, ordered, paid and forecast per project and fiscal year, over the projects whose commercial data the
    /// caller sees (admins, the PMO and PMs of each, members granted the right). A project with budget lines counts
    /// its ledger; one without counts its plan's leaf activities at budget and estimate at completion in the fiscal
    /// year of their finish; a project with neither is listed without figures.
    public func portfolio(_ caller: Caller) async throws -> PortfolioBudget {
        let calendar = try await fiscalCalendar()
        var projects: [PortfolioBudget.Project] = []
        for (project, _) in try await store.projects.list(for: caller) {
            let context = try await projectContext(caller, key: project.key)
            guard try await seesCommercial(context, on: db) else { continue }
            var years: [Int: PortfolioYearFigures] = [:]
            if try await !lines(context.projectID, on: db).isEmpty {
                let labour = try await internalLabour(caller, key: project.key, calendar: calendar)
                if let ledger = try await self.view(context, on: db, internalLabour: labour).ledger {
                    years = FiscalPortfolio.figures(ledger: ledger)
                }
            } else {
                years = FiscalPortfolio.figures(plan: try await plannedCosts(caller, key: project.key), calendar: calendar)
            }
            projects.append(PortfolioBudget.Project(key: project.key, name: project.name, years: years))
        }
        return PortfolioBudget(calendar: calendar, projects: projects.sorted { $0.key < $1.key })
    }

    /// The plan's leaf activities with their finish, budget at completion and estimate at completion (earned value's,
    /// at the cost performance so far, else actual cost plus the budget left), rounded half up to the yen.
    func plannedCosts(_ caller: Caller, key: String) async throws -> [FiscalPortfolio.PlannedCost] {
        guard let report = try? await store.plans.earnedValue(caller, key: key) else { return [] }
        var out: [FiscalPortfolio.PlannedCost] = []
        for row in report.view.rows where !row.hasChildren {
            guard let value = report.current.activities[row.activity.uid], let finish = report.view.scheduledByUID[row.activity.uid]?.finish.finishDay,
                  let bac = Money(rounding: value.bac), let eac = Money(rounding: value.eacTypical ?? value.eacAtypical) else { continue }
            out.append(FiscalPortfolio.PlannedCost(finish: finish, budgetAtCompletion: bac, estimateAtCompletion: eac))
        }
        return out
    }
}
