import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOSchedule
import PMOStore
import Vapor

/// The plan's charts and comparisons: Gantt, master schedule, baselines and earned value.
enum PlanChartPages {
    static func register(_ pages: some RoutesBuilder) {
        pages.get("projects", ":key", "plan", "gantt") { req async throws -> Response in try await ganttPage(req) }
        pages.get("projects", ":key", "plan", "gantt.svg") { req async throws -> Response in
            let view = try await req.store.plans.view(try req.pageCaller(), key: try req.projectKey())
            return svgResponse(GanttChart.svg(gantt(req, view)))
        }
        pages.get("projects", ":key", "plan", "master") { req async throws -> Response in try await masterPage(req) }
        pages.get("projects", ":key", "plan", "baselines") { req async throws -> Response in try await baselinesPage(req) }
        pages.post("projects", ":key", "plan", "baselines") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let b = try await req.store.plans.createBaseline(caller, key: key, number: Int(f["number"] ?? ""), name: f["name"] ?? "",
                                                       replace: f["replace"] == "on")
            return req.redirect(to: PlanPath.baselines.href(key, query: "compare=\(b.number)"))
        }
        pages.get("projects", ":key", "plan", "evm") { req async throws -> Response in try await evmPage(req) }
    }

    static func svgResponse(_ svg: String) -> Response {
        let response = Response(status: .ok, body: .init(string: svg))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    struct GanttOptions {
        var scale: GanttScale
        var level: Int
        var baseline: Int?
        var collapsed: Set<Int>
    }

    static func options(_ req: Request, _ view: PlanView) -> GanttOptions {
        let q = { (name: String) in (try? req.query.get(String.self, at: name)) ?? "" }
        let scale = GanttScale(rawValue: q("scale")) ?? (view.rows.count > 400 ? .month : .week)
        let collapsed = Set(q("collapsed").split(separator: ",").compactMap { Int($0) })
        let baseline = q("baseline") == "none" ? nil : (Int(q("baseline")) ?? view.snapshot.baselines.last?.number)
        return GanttOptions(scale: scale, level: Int(q("level")) ?? 0, baseline: baseline, collapsed: collapsed)
    }

    /// The chart for the page's options: rows deeper than `level` or under a collapsed summary are left out.
    /// `foldable` gives each summary its fold link (⊟ / ⊞, the page's chart); `progressLine` draws the progress line.
    static func gantt(_ req: Request, _ view: PlanView, options: GanttOptions? = nil, title: String? = nil, only: ((WBSRow) -> Bool)? = nil,
                      foldable: Bool = false, progressLine: Bool = true) -> GanttInput {
        let o = options ?? self.options(req, view)
        let scheduled = view.scheduledByUID
        var baseline: [Int: (LocalTime?, LocalTime?)] = [:]
        if let n = o.baseline, let b = view.snapshot.baselines.first(where: { $0.number == n }) {
            for e in b.entries { baseline[e.uid] = (e.start, e.finish) }
        }
        var hiddenUnder = Set<Int>()
        var rows: [GanttRow] = []
        let key = view.context.project.key
        let figures = PlanJSON.figures(view)
        for row in view.rows {
            let a = row.activity
            if let p = a.parentUID, hiddenUnder.contains(p) { hiddenUnder.insert(a.uid); continue }
            if o.level > 0 && row.level > o.level { hiddenUnder.insert(a.uid); continue }
            if let only, !only(row) { continue }
            guard let s = scheduled[a.uid] else { continue }
            let collapsed = row.hasChildren && (o.collapsed.contains(a.uid) || (o.level > 0 && row.level == o.level))
            if o.collapsed.contains(a.uid) { hiddenUnder.insert(a.uid) }
            var toggled = o.collapsed
            if toggled.contains(a.uid) { toggled.remove(a.uid) } else { toggled.insert(a.uid) }
            let fold = foldable && row.hasChildren && !(o.level > 0 && row.level == o.level)
                ? PlanPath.gantt.href(key, query: query(o, ["collapsed": toggled.sorted().map(String.init).joined(separator: ",")])) : nil
            rows.append(GanttRow(
                id: a.uid, label: "\(row.outline) \(a.name)", level: row.level,
                kind: row.hasChildren ? .summary : (a.kind == .milestone ? .milestone : .task), start: s.start, finish: s.finish,
                baselineStart: baseline[a.uid]?.0, baselineFinish: baseline[a.uid]?.1, percentComplete: figures[a.uid]?.percentComplete ?? a.progress.percentComplete,
                isCritical: s.isCritical, isCollapsed: collapsed, href: PlanPath.activity(a.uid).href(key), foldHref: fold))
        }
        let links = view.snapshot.dependencies.map { d in
            GanttLink(from: d.predecessorUID, to: d.successorUID, kind: d.kind,
                      isCritical: scheduled[d.predecessorUID]?.isCritical == true && scheduled[d.successorUID]?.isCritical == true)
        }
        let calendar = view.schedulePlan.calendars.first { $0.id == view.schedulePlan.defaultCalendarID } ?? .japan
        var input = GanttInput(rows: rows, links: links, calendar: calendar, statusDate: view.snapshot.statusDate.map(PlanSnapshot.endOfDay),
                               scale: o.scale, title: title ?? view.snapshot.name, language: req.locale)
        input.progressLine = progressLine
        return input
    }

    /// The Gantt page's model: the plan, the options from the query, and the chart they give.
    struct GanttData {
        var key: String
        var view: PlanView
        var options: GanttOptions
        var chart: GanttInput
        /// What print shows instead of `chart`: A3 landscape pages, each with the date header.
        var printPages: [GanttInput]
    }

    /// An A3 landscape page (10 mm margins) holds a chart 1,500 px wide and 36 rows under the date header (with the page title above the first).
    static let printWidth = 1_500.0
    static let printRowsPerPage = 36

    /// The chart as printed: at the finest scale that fits the page's width, cut into pages that repeat the dates.
    static func printPages(_ chart: GanttInput) -> [GanttInput] {
        var fitted = chart
        for i in fitted.rows.indices { fitted.rows[i].foldHref = nil }   // paper has nothing to click
        fitted.scale = GanttChart.scale(fitting: printWidth, chart)
        return GanttChart.pages(fitted, rowsPerPage: printRowsPerPage)
    }

    static func ganttPage(_ req: Request) async throws -> Response {
        let view = try await req.store.plans.view(try req.pageCaller(), key: try req.projectKey())
        let w = PlanWords(req)
        let o = options(req, view)
        let chart = gantt(req, view, options: o, foldable: true)
        let data = GanttData(key: view.context.project.key, view: view, options: o, chart: chart, printPages: printPages(chart))
        return try await req.renderProjectPage(PlanViews.gantt, data, title: w["page.plan.gantt_chart"], section: "plan", project: view.context.project)
    }

    static func query(_ o: GanttOptions, _ changes: [String: String]) -> String {
        var items = ["scale": o.scale.rawValue, "level": String(o.level), "baseline": o.baseline.map(String.init) ?? "none",
                     "collapsed": o.collapsed.sorted().map(String.init).joined(separator: ",")]
        for (k, v) in changes { items[k] = v }
        return items.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    // MARK: Master schedule

    /// The master schedule's model: the plan, each activity's slip against the last baseline, and the chart.
    struct MasterData {
        var key: String
        var view: PlanView
        var slips: [BaselineSlip]
        var chart: GanttInput
        /// What print shows instead of `chart` (`printPages`).
        var printPages: [GanttInput]
    }

    static func masterPage(_ req: Request) async throws -> Response {
        let view = try await req.store.plans.view(try req.pageCaller(), key: try req.projectKey())
        let w = PlanWords(req)
        let o = GanttOptions(scale: .month, level: 0, baseline: view.snapshot.baselines.last?.number, collapsed: [])
        let chart = gantt(req, view, options: o, title: w["page.plan.master_schedule"],
                          only: { $0.level <= 2 || ($0.activity.kind == .milestone && !$0.hasChildren) })
        let data = MasterData(key: view.context.project.key, view: view,
                              slips: view.snapshot.baselines.last.map { PlanService.slips(view, baseline: $0.number) } ?? [], chart: chart,
                              printPages: printPages(chart))
        return try await req.renderProjectPage(PlanViews.master, data, title: w["page.plan.master_schedule"], section: "plan", project: view.context.project)
    }

    // MARK: Baselines

    /// The baselines page's model: the plan, and the baseline compared (`?compare=n`) with each activity's slip.
    struct BaselinesData {
        var key: String
        var view: PlanView
        var comparison: (baseline: PlanBaseline, slips: [BaselineSlip])?
    }

    static func baselinesPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let w = PlanWords(req)
        var comparison: (baseline: PlanBaseline, slips: [BaselineSlip])?
        if let n = Int((try? req.query.get(String.self, at: "compare")) ?? "") {
            let (_, baseline, slips) = try await req.store.plans.compareBaseline(caller, key: key, number: n)
            comparison = (baseline, slips)
        }
        let data = BaselinesData(key: key, view: view, comparison: comparison)
        return try await req.renderProjectPage(PlanViews.baselines, data, title: w["page.plan.baselines"], section: "plan", project: view.context.project)
    }

    // MARK: Earned value

    /// The earned-value page's model: the report at the status date asked for, and whether the reader is a vendor's.
    struct EarnedValueData {
        var key: String
        var report: EarnedValueReport
        var isVendor: Bool
    }

    static func evmPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let atText = (try? req.query.get(String.self, at: "at")) ?? ""
        guard atText.isEmpty || CivilDate(iso: atText) != nil else {
            throw DomainError.invalid("query.invalid", [FieldError(field: "at", code: "invalid_date", message: "at must be a date YYYY-MM-DD (got \(atText)).")])
        }
        let report = try await req.store.plans.earnedValue(caller, key: key, at: CivilDate(iso: atText))
        let context = report.view.context
        let w = PlanWords(req)
        let data = EarnedValueData(key: key, report: report, isVendor: context.role == .vendor && !context.actor.isSystemAdmin)
        return try await req.renderProjectPage(PlanViews.earnedValue, data, title: w["page.plan.earned_value"], section: "plan", project: context.project)
    }
}
