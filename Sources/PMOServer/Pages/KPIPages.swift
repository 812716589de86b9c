import Foundation
import PMOCore
import PMOInterchange
import PMOReports
import PMOStore
import Vapor

/// The PMO's KPIs as pages: a project's (`/projects/{key}/kpis`) and every project's the reader may read pooled
/// (`/kpis`), each with a bar chart per KPI, report punctuality by company, an Excel download and each chart as SVG.
enum KPIPages {
    /// The periods the pages offer (any 1…36 in the address works).
    static let periods = [3, 6, 12, 24, 36]

    struct ProjectData {
        var key: String
        var report: KPIReport
        var months: Int
    }

    struct AcrossData {
        var portfolio: KPIPortfolioReport
        var months: Int
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "kpis") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let months = self.months(req)
            let report = try await req.store.kpis.project(caller, key: key, months: months)
            let project = try await req.pageProjectContext(caller, key: key).project
            return try await req.renderProjectPage(KPIViews.project, ProjectData(key: key, report: report.report, months: months),
                                                   title: req.pageWords("kpi.project_title", ["project": key]), section: "kpis", project: project)
        }
        pages.get("projects", ":key", "kpis.xlsx") { req async throws -> Response in
            let key = try req.projectKey()
            let report = try await req.store.kpis.project(try req.pageCaller(), key: key, months: months(req))
            let data = try XLSXWriter.write(KPIWorkbook.tables(report.report, lang: req.locale))
            return RegisterExchangeAPI.file(data, name: "\(asciiName(key))-kpis.xlsx", type: MeetingHTML.xlsx)
        }
        pages.get("projects", ":key", "kpis", ":chart") { req async throws -> Response in
            let code = try chartCode(req)
            let report = try await req.store.kpis.project(try req.pageCaller(), key: try req.projectKey(), months: months(req))
            return svg(KPIChart.svg(code, months: report.report.months, values: report.report.series[code] ?? [],
                                    title: req.pageWords["kpi.code.\(code.rawValue)"], lang: req.locale))
        }
        pages.get("kpis") { req async throws -> Response in
            let months = self.months(req)
            let portfolio = try await req.store.kpis.acrossProjects(try req.pageCaller(), months: months)
            return try await req.render(KPIViews.across, req.chrome(title: req.pageWords["kpi.title"], section: "portfolio"),
                                        AcrossData(portfolio: portfolio, months: months))
        }
        pages.get("kpis.xlsx") { req async throws -> Response in
            let portfolio = try await req.store.kpis.acrossProjects(try req.pageCaller(), months: months(req))
            let data = try XLSXWriter.write(KPIWorkbook.tables(portfolio.pooled, projects: portfolio.projects.map { ($0.projectKey, $0.projectName, $0.report) },
                                                               lang: req.locale))
            return RegisterExchangeAPI.file(data, name: "pmo-kpis.xlsx", type: MeetingHTML.xlsx)
        }
        pages.get("kpis", ":chart") { req async throws -> Response in
            let code = try chartCode(req)
            let pooled = try await req.store.kpis.acrossProjects(try req.pageCaller(), months: months(req)).pooled
            return svg(KPIChart.svg(code, months: pooled.months, values: pooled.series[code] ?? [], title: req.pageWords["kpi.code.\(code.rawValue)"],
                                    lang: req.locale))
        }
    }

    /// The period asked for (`?months=`), within 1…36; 12 when absent or not a number.
    static func months(_ req: Request) -> Int {
        let asked = (try? req.query.get(Int.self, at: "months")) ?? KPIService.defaultMonths
        return min(max(asked, KPIService.monthRange.lowerBound), KPIService.monthRange.upperBound)
    }

    /// The KPI a chart's address names (`closed_by_due.svg`); anything else is not found.
    static func chartCode(_ req: Request) throws -> KPICode {
        let name = req.parameters.get("chart") ?? ""
        guard name.hasSuffix(".svg"), let code = KPICode(rawValue: String(name.dropLast(4))) else {
            throw DomainError.notFound("kpi.chart_not_found",
                                       "There is no KPI chart \(name); the charts are: \(KPICode.allCases.map { $0.rawValue + ".svg" }.joined(separator: ", ")).")
        }
        return code
    }

    static func svg(_ text: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// A project key as a file name (keys are letters, digits and a few marks already; anything else becomes "_").
    static func asciiName(_ key: String) -> String {
        String(key.unicodeScalars.map { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") ? Character($0) : "_" })
    }
}
