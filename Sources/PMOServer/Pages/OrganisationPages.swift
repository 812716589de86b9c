import Foundation
import PMOCore
import PMOHTML
import PMOInterchange
import PMOReports
import PMOStore
import PMOWords
import Vapor

/// The organisation chart (体制図): a page with the chart inline, and the same chart as an SVG file and as Mermaid
/// text, drawn from the units and escalation routes the reader may see.
enum OrganisationPages {
    struct ChartData {
        var key: String
        var chart: OrganisationChart
        var svg: TrustedMarkup
    }

    struct RaciData {
        var key: String
        var table: RaciTable
        var canEdit: Bool
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "raci", "table") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let (projectKey, table) = try await req.store.organisation.raciTable(caller, key: key)
            let context = try await req.pageProjectContext(caller, key: key)
            return try await req.renderProjectPage(
                OrganisationViews.raci, RaciData(key: projectKey, table: table, canEdit: context.allows(.createItem)),
                title: "\(projectKey) – \(req.pageWords["raci.title"])", section: "raciTable", project: context.project)
        }
        pages.get("projects", ":key", "raci", "table.xlsx") { req async throws -> Response in
            let (projectKey, table) = try await req.store.organisation.raciTable(try req.pageCaller(), key: try req.projectKey())
            return try raciWorkbook(table, projectKey: projectKey, words: req.pageWords)
        }
        pages.get("projects", ":key", "units", "chart") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let chart = try await req.store.organisation.chart(caller, key: key)
            let project = try await req.pageProjectContext(caller, key: key).project
            let input = chartInput(chart, req.pageWords)
            return try await req.renderProjectPage(
                OrganisationViews.chart,
                ChartData(key: chart.projectKey, chart: chart,
                          svg: ChartMarkup.orgChart(units: input.units, lines: input.lines, escalations: input.escalations, words: input.words)),
                title: "\(chart.projectKey) – \(req.pageWords["org.title"])", section: "chart", project: project)
        }
        pages.get("projects", ":key", "units", "chart.svg") { req async throws -> Response in
            let input = chartInput(try await req.store.organisation.chart(try req.pageCaller(), key: try req.projectKey()), req.pageWords)
            return KPIPages.svg(OrgChart.svg(units: input.units, lines: input.lines, escalations: input.escalations, words: input.words))
        }
        pages.get("projects", ":key", "units", "chart.mmd") { req async throws -> Response in
            let input = chartInput(try await req.store.organisation.chart(try req.pageCaller(), key: try req.projectKey()), req.pageWords)
            return SystemPages.mermaid(OrgChart.mermaid(units: input.units, lines: input.lines, escalations: input.escalations, words: input.words),
                                       key: try req.projectKey(), name: "organisation")
        }
    }

    /// The RACI table as the familiar grid, an .xlsx download named after the project.
    static func raciWorkbook(_ table: RaciTable, projectKey: String, words: Words) throws -> Response {
        let data = try XLSXWriter.write(RaciWorkbook.tables(table, projectKey: projectKey, words: words))
        return RegisterExchangeAPI.file(data, name: "\(KPIPages.asciiName(projectKey))-raci.xlsx", type: MeetingHTML.xlsx)
    }

    /// The RACI table as a Markdown table (the kickoff pack's): a row per function or deliverable, a column per unit.
    static func raciMarkdown(_ table: RaciTable, words t: Words) -> String {
        let cell = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var lines = ["| " + ([t["raci.col.item"]] + table.units.map(\.name)).map(cell).joined(separator: " | ") + " |",
                     "|" + String(repeating: " --- |", count: table.units.count + 1)]
        for r in table.rows {
            lines.append("| " + ([r.title] + table.units.map { r.letters[$0.number] ?? "" }).map(cell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n\n" + ["R", "A", "C", "I"].map { "\($0): " + t["raci.letter.\($0)"] }.joined(separator: " · ") + "\n"
    }

    /// The chart's input in `t`'s language: units grouped by company, reporting lines, routes labelled with their
    /// level, the least priority they take and their working days.
    static func chartInput(_ chart: OrganisationChart, _ t: Words)
        -> (units: [OrgChart.Unit], lines: [OrgChart.Line], escalations: [OrgChart.Escalation], words: OrgChart.Words) {
        let units = chart.units.map { u in
            OrgChart.Unit(key: "U\(u.number)", reference: ItemType.unit.reference(projectKey: chart.projectKey, number: u.number), name: u.name,
                          group: u.company ?? "", kind: u.kind, head: u.head ?? "", members: u.members)
        }
        let lines = chart.units.compactMap { u in u.reportsTo.map { OrgChart.Line(unit: "U\(u.number)", reportsTo: "U\($0)") } }
        let escalations = chart.routes.map { r in
            OrgChart.Escalation(key: "E\(r.number)", from: "U\(r.fromUnit)", to: "U\(r.toUnit)",
                                label: t("org.route_label", ["level": "\(r.level)", "priority": t["org.route_priority.\(r.minPriority.rawValue)"],
                                                             "days": "\(r.withinDays)"]))
        }
        let words = OrgChart.Words(title: t["org.title"], legend: t["sysmap.legend"], reportingLine: t["org.reporting_line"],
                                   escalationRoute: t["org.escalation_route"], head: t["rf.head"])
        return (units, lines, escalations, words)
    }
}
