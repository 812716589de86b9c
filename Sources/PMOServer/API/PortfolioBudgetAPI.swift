import Foundation
import PMOCore
import PMOStore
import Vapor

/// The portfolio's money by fiscal year: budget, ordered, paid and forecast per project and in total, with the
/// variance against budget. A project's figures are its ledger's, or its plan's budget and estimate at completion when
/// it keeps no ledger. Only projects whose commercial data the caller sees are counted.
enum PortfolioBudgetAPI {
    static func register(_ r: APIRouter) {
        r.add(.GET, "/portfolio/budget",
              summary: "Budget, ordered, paid and forecast by fiscal year, per project (its ledger, else its plan's BAC and EAC) and in total",
              tag: LedgerAPI.tag, response: "PortfolioBudget") { req in
            let budget = try await req.store.ledger.portfolio(try req.requireCaller())
            return try MeetingJSON.response(body: PortfolioBudgetBody(budget))
        }
    }

    static var derivedBodies: [any DocumentedBody.Type] { [PortfolioBudgetBody.self, PortfolioYearBody.self, PortfolioFiguresBody.self] }
}

struct PortfolioFiguresBody: Codable, DocumentedBody {
    static let schemaName = "PortfolioFigures"
    static var schemaHints: [String: JSONSchema] {
        ["project": JSONSchema.nullableString.described("The project's key; null on the year's total"),
         "source": JSONSchema.enumeration(PortfolioYearFigures.Source.allCases.map(\.rawValue))
            .described("ledger: the project's budget ledger; plan: its plan's budget and estimate at completion"),
         "ordered": JSONSchema.nullableInteger.described("Before tax; null for a plan"),
         "paid": JSONSchema.nullableInteger.described("Before tax; null for a plan"),
         "variance": JSONSchema.integer.described("Forecast − budget (positive: over budget)")]
    }
    var project: String?
    var name: String?
    var source: String
    var budget: Int64
    var ordered: Int64?
    var paid: Int64?
    var forecast: Int64
    var variance: Int64
    init(_ f: PortfolioYearFigures, project: String?, name: String?) {
        self.project = project
        self.name = name
        source = f.source.rawValue
        budget = f.budget.amount
        ordered = f.ordered?.amount
        paid = f.paid?.amount
        forecast = f.forecast.amount
        variance = f.variance.amount
    }
}

struct PortfolioYearBody: Codable, DocumentedBody {
    static let schemaName = "PortfolioBudgetYear"
    var fiscalYear: Int
    var projects: [PortfolioFiguresBody]
    var total: PortfolioFiguresBody
}

struct PortfolioBudgetBody: Codable, DocumentedBody {
    static let schemaName = "PortfolioBudget"
    static var schemaHints: [String: JSONSchema] {
        ["currency": JSONSchema.enumeration(["JPY"]),
         "fiscalFirstMonth": JSONSchema.integer.described("The month the organisation's fiscal year starts in")]
    }
    var currency: String
    var fiscalFirstMonth: Int
    var years: [PortfolioYearBody]
    init(_ b: PortfolioBudget) {
        currency = CurrencyCode.jpy.code
        fiscalFirstMonth = b.calendar.firstMonth
        years = b.fiscalYears.map { year in
            PortfolioYearBody(fiscalYear: year,
                              projects: b.projects.compactMap { p in p.years[year].map { PortfolioFiguresBody($0, project: p.key, name: p.name) } },
                              total: PortfolioFiguresBody(b.total(year), project: nil, name: nil))
        }
    }
}
