import Foundation
import PMOCore
import PMOHTML
import PMOInterchange
import PMOReports
import PMOStore
import Vapor

/// Weekly status reports, the week-to-week comparison, the portfolio summary and the kickoff pack.
///
/// A draft is computed from live data on every read (the store does that); an issued report is shown only from its
/// stored snapshot: its S-curve from the stored points and its stored lists. Nothing here recomputes an issued report.
enum ReportPages {
    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "reports") { req async throws -> Response in try await listPage(req) }
        pages.post("projects", ":key", "reports") { req async throws -> Response in try await create(req) }
        pages.get("projects", ":key", "reports", "compare") { req async throws -> Response in try await comparePage(req) }
        pages.get("projects", ":key", "reports", "burndown.svg") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let until = CalendarDate(iso: (try? req.query.get(String.self, at: "until")) ?? "") ?? req.today(for: caller).0
            let w = ReportWords(req)
            // The same weekly counts a report keeps (`ReportService.issueTrend`, which checks the caller reads reports).
            let points = try await req.store.reports.issueTrend(caller, key: key, until: until)
            return PlanChartPages.svgResponse(BurnDownChart.svg(points: points, title: w["page.report.issue_burn_down"], lang: w.lang))
        }
        pages.get("projects", ":key", "reports", ":id") { req async throws -> Response in
            let raw = try req.pathString("id")
            for (suffix, format) in [(".md", "md"), (".xlsx", "xlsx")] where raw.hasSuffix(suffix) {
                guard let id = UUID(uuidString: String(raw.dropLast(suffix.count))) else { break }
                return try await reportFile(req, id: id, format: format)
            }
            return try await reportPage(req, id: try req.pathUUID("id"))
        }
        pages.post("projects", ":key", "reports", ":id") { req async throws -> Response in try await update(req) }
        pages.post("projects", ":key", "reports", ":id", "issue") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            // An issued report never changes: the page asks to confirm first.
            if f["confirmed"] != "1", MeetingAccess.canEditReports(try await req.pageProjectContext(caller, key: key).actor) {
                return try await reportPage(req, id: id, confirmIssue: true)
            }
            do {
                _ = try await req.store.reports.issueStatusReport(caller, key: key, id: id, expectedVersion: Int(f["version"] ?? ""))
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await reportPage(req, id: id, error: e, status: status(e))
            }
            return req.redirect(to: ReportPath.report(id).href(key))
        }
        pages.post("projects", ":key", "reports", ":id", "correct") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            let draft: StatusReportView
            do {
                draft = try await req.store.reports.correctStatusReport(caller, key: key, id: id)
            } catch let e as DomainError where e.kind == .conflict {
                return try await reportPage(req, id: id, error: e, status: .conflict)
            }
            return req.redirect(to: ReportPath.report(draft.id).href(key))
        }
        pages.post("projects", ":key", "reports", ":id", "delete") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            do {
                try await req.store.reports.deleteStatusReport(caller, key: key, id: id)
            } catch let e as DomainError where e.kind == .conflict {
                return try await reportPage(req, id: id, error: e, status: .conflict)
            }
            return req.redirect(to: ReportPath.list.href(key))
        }
        pages.get("portfolio") { req async throws -> Response in try await portfolioPage(req) }
        pages.get("projects", ":key", "kickoff") { req async throws -> Response in try await kickoffPage(req) }
        pages.get("projects", ":key", "kickoff.md") { req async throws -> Response in
            let key = try req.projectKey()
            let caller = try req.pageCaller()
            let pack = try await req.store.reports.kickoffPack(caller, key: key)
            // The system configuration diagram goes in as Mermaid, which the tools that show Markdown draw.
            let map = try await req.store.systems.map(caller, key: key, today: req.today(for: caller).0)
            var text = MeetingMarkdown.kickoff(pack, lang: req.locale)
            if !map.systems.isEmpty {
                let input = SystemPages.diagramInput(map, grouping: .vendor, req.pageWords)
                text += "\n## \(req.pageWords["sysmap.title"])\n\n```mermaid\n"
                    + SystemDiagram.mermaid(systems: input.systems, interfaces: input.interfaces, words: input.words) + "```\n"
            }
            let organisation = try await req.store.organisation.chart(caller, key: key)
            if !organisation.units.isEmpty {
                let input = OrganisationPages.chartInput(organisation, req.pageWords)
                text += "\n## \(req.pageWords["org.title"])\n\n```mermaid\n"
                    + OrgChart.mermaid(units: input.units, lines: input.lines, escalations: input.escalations, words: input.words) + "```\n"
            }
            let raci = try await req.store.organisation.raciTable(caller, key: key).table
            if !raci.rows.isEmpty && !raci.units.isEmpty {
                text += "\n## \(req.pageWords["raci.title"])\n\n" + OrganisationPages.raciMarkdown(raci, words: req.pageWords)
            }
            return req.reportDownload(Data(text.utf8), type: .reportMarkdown, name: "\(key)-kickoff.md")
        }
        pages.get("projects", ":key", "kickoff.xlsx") { req async throws -> Response in
            let key = try req.projectKey()
            let pack = try await req.store.reports.kickoffPack(try req.pageCaller(), key: key)
            return req.reportDownload(try XLSXWriter.write(MeetingWorkbook.kickoff(pack, lang: req.locale)), type: .reportXLSX,
                                      name: "\(key)-kickoff.xlsx")
        }
    }

    static func status(_ e: DomainError) -> HTTPResponseStatus {
        switch e.kind {
        case .invalid: .unprocessableEntity
        case .conflict: .conflict
        case .forbidden: .forbidden
        default: .badRequest
        }
    }

    // MARK: The list

    /// The list page's model: the reports, whether the reader may start one, today and the reader's zone, and a
    /// refused start (its problem and the date typed).
    struct ListData {
        var key: String
        var reports: [StatusReportSummary]
        var canEdit: Bool
        var today: CalendarDate
        /// The date the new-report form offers: the plan's status date, else today.
        var defaultDate: CalendarDate
        var planStatusDate: CalendarDate?
        var timeZone: String
        var error: DomainError?
        var posted: String?
    }

    static func listPage(_ req: Request, error: DomainError? = nil, posted: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let reports = try await req.store.reports.statusReports(caller, key: key)
        let context = try await req.pageProjectContext(caller, key: key)
        let w = ReportWords(req)
        let today = req.today(for: caller).0
        let defaultDate = try await req.store.reports.defaultStatusDate(caller, key: key, today: today)
        let data = ListData(key: key, reports: reports, canEdit: MeetingAccess.canEditReports(context.actor), today: today,
                            defaultDate: defaultDate, planStatusDate: defaultDate == today ? nil : defaultDate,
                            timeZone: caller.timeZone, error: error, posted: posted)
        return try await req.renderProjectPage(ReportViews.list, data, title: w["page.report.weekly_status_reports"], section: "reports",
                                              project: context.project, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let (caller, key, f) = try PlanPages.formContext(req)
        let text = (f["statusDate"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            guard let date = CalendarDate(iso: text) else {
                throw DomainError.invalid("report.invalid_date", [FieldError(field: "statusDate", code: "invalid_date",
                                                                             message: "Enter the status date as YYYY-MM-DD (got \"\(text)\").")])
            }
            let view = try await req.store.reports.createStatusReport(caller, key: key, statusDate: date, today: req.today(for: caller).0)
            return req.redirect(to: ReportPath.report(view.id).href(key))
        } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
            return try await listPage(req, error: e, posted: text, status: status(e))
        }
    }

    // MARK: One report

    /// One report's model: the report, the project's other reports (for "compare with previous"), whether the
    /// reader may correct an issued one, a draft's live charts, the reader's zone, and a refused edit with what was
    /// posted.
    struct ReportData {
        var key: String
        var view: StatusReportView
        var list: [StatusReportSummary]
        var canCorrect: Bool
        var heatMap: TrustedMarkup?
        var burnDown: TrustedMarkup?
        var timeZone: String
        var error: DomainError?
        var posted: [String: String]?
        /// Issue was pressed: the page asks to confirm (an issued report never changes).
        var confirmIssue = false
        var attachments: AttachmentPages.Section?
    }

    static func reportPage(_ req: Request, id: UUID, error: DomainError? = nil, posted: [String: String]? = nil,
                           confirmIssue: Bool = false, status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.reports.statusReport(caller, key: key, id: id)
        let context = try await req.pageProjectContext(caller, key: key)
        let list = try await req.store.reports.statusReports(caller, key: key)
        let w = ReportWords(req)
        let c = view.content
        let title = "\(key) \(w["doc.status_report"]) \(c.statusDate)"
        // The heat map and burn-down from the report's own data: live in a draft, as issued in an issued report (one
        // issued before the data was kept has none).
        var heat: TrustedMarkup?, burn: TrustedMarkup?
        if let grid = c.riskGrid, let trend = c.issueTrend {
            heat = ChartMarkup.riskHeatMap(counts: grid, words: .init(title: req.label("heat_map"), probability: req.label("probability"),
                                                                      impact: req.label("impact")))
            burn = ChartMarkup.burnDown(points: trend, title: w["page.report.issue_burn_down"], lang: w.lang)
        }
        let data = ReportData(key: key, view: view, list: list, canCorrect: MeetingAccess.canEditReports(context.actor), heatMap: heat,
                              burnDown: burn, timeZone: caller.timeZone, error: error, posted: posted,
                              confirmIssue: confirmIssue && view.state == .draft,
                              attachments: try await AttachmentPages.section(req, caller: caller, key: key, owner: .report(id)))
        return try await req.renderProjectPage(ReportViews.report, data, title: title, section: "reports", project: context.project, status: status)
    }

    static func update(_ req: Request) async throws -> Response {
        let (caller, key, f) = try PlanPages.formContext(req)
        let id = try req.pathUUID("id")
        var overrides: [StatusOverride]?
        if f["withOverrides"] == "1" {
            overrides = StatusArea.allCases.compactMap { area in
                guard let rag = RAG(rawValue: f["override.\(area.rawValue)"] ?? ""), rag != .grey else { return nil }
                return StatusOverride(area: area, rag: rag, reason: (f["reason.\(area.rawValue)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        func text(_ name: String) -> String? { f[name].map { $0.replacingOccurrences(of: "\r\n", with: "\n") } }
        do {
            _ = try await req.store.reports.updateStatusReport(caller, key: key, id: id, expectedVersion: Int(f["version"] ?? ""), overrides: overrides,
                                                       comment: text("comment"), done: text("done"), next: text("next"))
        } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict || (e.kind == .forbidden && e.code == "report.override_forbidden") {
            return try await reportPage(req, id: id, error: e, posted: f, status: status(e))
        }
        return req.redirect(to: ReportPath.report(id).href(key))
    }

    /// The report as Markdown or a workbook, with the week-to-week section.
    static func reportFile(_ req: Request, id: UUID, format: String) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.reports.statusReport(caller, key: key, id: id)
        let name = "\(key)-status-\(view.content.statusDate)\(view.state == .draft ? "-draft" : "")"
        if format == "md" {
            let text = MeetingMarkdown.statusReport(view.content, comparison: view.comparison, lang: req.locale)
            return req.reportDownload(Data(text.utf8), type: .reportMarkdown, name: name + ".md")
        }
        return req.reportDownload(try XLSXWriter.write(MeetingWorkbook.statusReport(view.content, lang: req.locale)), type: .reportXLSX,
                                  name: name + ".xlsx")
    }

    // MARK: Live charts of a draft

    // MARK: Comparing two reports

    /// The comparison's model: the reports to choose from, the two chosen, and the two reports read.
    struct CompareData {
        var key: String
        var reports: [StatusReportSummary]
        var a: UUID?, b: UUID?
        var sides: (StatusReportView, StatusReportView)?
    }

    static func comparePage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let reports = try await req.store.reports.statusReports(caller, key: key)
        let context = try await req.pageProjectContext(caller, key: key)
        let w = ReportWords(req)
        func id(_ name: String) -> UUID? { UUID(uuidString: (try? req.query.get(String.self, at: name)) ?? "") }
        let a = id("a"), b = id("b")
        var sides: (StatusReportView, StatusReportView)?
        if let a, let b {
            sides = (try await req.store.reports.statusReport(caller, key: key, id: a), try await req.store.reports.statusReport(caller, key: key, id: b))
        }
        let data = CompareData(key: key, reports: reports, a: a, b: b, sides: sides)
        return try await req.renderProjectPage(ReportViews.compare, data, title: w["page.report.status_reports_side_by_side"], section: "reports",
                                              project: context.project)
    }

    // MARK: Portfolio

    /// The portfolio's model: each project the reader sees with its latest issued report, and the reader's zone.
    struct PortfolioData {
        var rows: [PortfolioRow]
        var timeZone: String
        /// The reader's choices: overall colour, phase and sort (`PortfolioSort`), all optional.
        var colour: RAG?
        var phase: String?
        var sort: PortfolioSort
        var phases: [String]
        var total: Int
        /// The shown projects' KPIs over the last `kpiMonths` months.
        var kpis: [KPIProjectReport] = []
        /// The shown projects' money by fiscal year (those whose commercial data the reader sees), and the year shown.
        var budget: PortfolioBudget?
        var fiscalYear: Int?
        static let kpiMonths = 3
    }

    /// How the portfolio is ordered: by key, or worst first by the column chosen.
    enum PortfolioSort: String, CaseIterable {
        case key, overall, spi, cpi, slip, critical

        func ordered(_ rows: [PortfolioRow]) -> [PortfolioRow] {
            func severity(_ r: PortfolioRow) -> Int {
                switch r.latest?.area(.overall)?.rag {
                case .red: 0
                case .amber: 1
                case .green: 2
                default: 3
                }
            }
            // Missing figures sort last in every order; ties by key.
            switch self {
            case .key: return rows.sorted { $0.projectKey < $1.projectKey }
            case .overall: return rows.sorted { (severity($0), $0.projectKey) < (severity($1), $1.projectKey) }
            case .spi: return rows.sorted { ($0.latest?.metrics.spi ?? .infinity, $0.projectKey) < ($1.latest?.metrics.spi ?? .infinity, $1.projectKey) }
            case .cpi: return rows.sorted { ($0.latest?.metrics.cpi ?? .infinity, $0.projectKey) < ($1.latest?.metrics.cpi ?? .infinity, $1.projectKey) }
            case .slip:
                return rows.sorted { (-($0.nextMilestone?.slipDays ?? -.infinity), $0.projectKey) < (-($1.nextMilestone?.slipDays ?? -.infinity), $1.projectKey) }
            case .critical:
                return rows.sorted { (-($0.latest?.metrics.openCriticalIssues ?? -1), $0.projectKey) < (-($1.latest?.metrics.openCriticalIssues ?? -1), $1.projectKey) }
            }
        }
    }

    static func portfolioPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let all = try await req.store.reports.portfolio(caller)
        let w = ReportWords(req)
        // Unknown values in the address are ignored (a bookmark from an older version still opens the page).
        let colour = (try? req.query.get(String.self, at: "colour")).flatMap(RAG.init(rawValue:))
        let phase = (try? req.query.get(String.self, at: "phase")).flatMap { $0.isEmpty ? nil : $0 }
        let sort = (try? req.query.get(String.self, at: "sort")).flatMap(PortfolioSort.init(rawValue:)) ?? .key
        let shown = all.filter { r in
            (colour == nil || r.latest?.area(.overall)?.rag == colour) && (phase == nil || r.phase == phase)
        }
        let shownKeys = Set(shown.map(\.projectKey))
        let kpis = try await req.store.kpis.acrossProjects(caller, months: PortfolioData.kpiMonths).projects.filter { shownKeys.contains($0.projectKey) }
        var budget = try await req.store.ledger.portfolio(caller)
        budget.projects = budget.projects.filter { shownKeys.contains($0.key) }
        // The fiscal year asked for, else this one, else the first with figures.
        let thisYear = budget.calendar.fiscalYear(of: req.today(for: caller).0)
        let asked = (try? req.query.get(Int.self, at: "fy")).flatMap { budget.fiscalYears.contains($0) ? $0 : nil }
        let year = asked ?? (budget.fiscalYears.contains(thisYear) ? thisYear : budget.fiscalYears.first)
        return try await req.renderProjectPage(
            ReportViews.portfolio,
            PortfolioData(rows: sort.ordered(shown), timeZone: caller.timeZone, colour: colour, phase: phase, sort: sort,
                          phases: Array(Set(all.map(\.phase))).sorted(), total: all.count, kpis: kpis,
                          budget: budget.projects.isEmpty ? nil : budget, fiscalYear: year),
            title: w["page.report.portfolio"], section: "portfolio", project: nil)
    }

    // MARK: Kickoff pack

    /// The kickoff pack's model: the pack, the top-level Gantt of the plan (none without activities), and whether
    /// the reader reads status reports.
    struct KickoffData {
        var key: String
        var pack: KickoffPack
        var chart: GanttInput?
        var readsReports: Bool
        /// The systems and interfaces the reader may see, and their diagram (none when the project has no systems).
        var systems: SystemMap
        var systemDiagram: TrustedMarkup?
        /// The organisation chart (none when the project has no units yet).
        var orgChart: TrustedMarkup?
        var raci: RaciTable
    }

    static func kickoffPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let pack = try await req.store.reports.kickoffPack(caller, key: key)
        let context = try await req.pageProjectContext(caller, key: key)
        let plan = try await req.store.plans.view(caller, key: key)
        let w = ReportWords(req)
        var chart: GanttInput?
        if !plan.rows.isEmpty {
            let options = PlanChartPages.GanttOptions(scale: .month, level: 1, baseline: plan.snapshot.baselines.last?.number, collapsed: [])
            chart = PlanChartPages.gantt(req, plan, options: options, title: w["page.report.master_schedule_top_level_wbs"], only: { $0.level == 1 })
        }
        let map = try await req.store.systems.map(caller, key: key, today: req.today(for: caller).0)
        let input = SystemPages.diagramInput(map, grouping: .vendor, req.pageWords)
        let organisation = try await req.store.organisation.chart(caller, key: key)
        let org = OrganisationPages.chartInput(organisation, req.pageWords)
        let data = KickoffData(key: key, pack: pack, chart: chart, readsReports: MeetingAccess.canReadReports(context.actor), systems: map,
                               systemDiagram: map.systems.isEmpty ? nil
                                   : ChartMarkup.systemDiagram(systems: input.systems, interfaces: input.interfaces, words: input.words),
                               orgChart: organisation.units.isEmpty ? nil
                                   : ChartMarkup.orgChart(units: org.units, lines: org.lines, escalations: org.escalations, words: org.words),
                               raci: try await req.store.organisation.raciTable(caller, key: key).table)
        return try await req.renderProjectPage(ReportViews.kickoff, data, title: "\(key) \(w["doc.kickoff"])", section: "reports",
                                              project: context.project)
    }
}
