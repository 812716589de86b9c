import Foundation
import PMOCore
import PMOReports
import PMOSchedule
import PMOStore
import Vapor

/// The plan's charts and comparisons: Gantt, master schedule, baselines and earned value.
enum PlanChartPages {
    static func register(_ pages: some RoutesBuilder) {
        pages.get("projects", ":key", "plan", "gantt") { req async throws -> Response in try await ganttPage(req) }
        pages.get("projects", ":key", "plan", "gantt.svg") { req async throws -> Response in
            let view = try await req.store.plan(try req.pageCaller(), key: try req.projectKey())
            return svgResponse(gantt(req, view))
        }
        pages.get("projects", ":key", "plan", "master") { req async throws -> Response in try await masterPage(req) }
        pages.get("projects", ":key", "plan", "baselines") { req async throws -> Response in try await baselinesPage(req) }
        pages.post("projects", ":key", "plan", "baselines") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let b = try await req.store.createBaseline(caller, key: key, number: Int(f["number"] ?? ""), name: f["name"] ?? "",
                                                       replace: f["replace"] == "on")
            return req.redirect(to: "/projects/\(key)/plan/baselines?compare=\(b.number)")
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
    static func gantt(_ req: Request, _ view: PlanView, options: GanttOptions? = nil, title: String? = nil, only: ((WBSRow) -> Bool)? = nil) -> String {
        let o = options ?? self.options(req, view)
        let scheduled = view.scheduledByUID
        var baseline: [Int: (LocalTime?, LocalTime?)] = [:]
        if let n = o.baseline, let b = view.snapshot.baselines.first(where: { $0.number == n }) {
            for e in b.entries { baseline[e.uid] = (e.start, e.finish) }
        }
        var hiddenUnder = Set<Int>()
        var rows: [GanttRow] = []
        let key = view.context.project.key
        for row in view.rows {
            let a = row.activity
            if let p = a.parentUID, hiddenUnder.contains(p) { hiddenUnder.insert(a.uid); continue }
            if o.level > 0 && row.level > o.level { hiddenUnder.insert(a.uid); continue }
            if let only, !only(row) { continue }
            guard let s = scheduled[a.uid] else { continue }
            let collapsed = row.hasChildren && (o.collapsed.contains(a.uid) || (o.level > 0 && row.level == o.level))
            if o.collapsed.contains(a.uid) { hiddenUnder.insert(a.uid) }
            rows.append(GanttRow(
                id: a.uid, label: "\(row.outline) \(a.name)", level: row.level,
                kind: row.hasChildren ? .summary : (a.kind == .milestone ? .milestone : .task), start: s.start, finish: s.finish,
                baselineStart: baseline[a.uid]?.0, baselineFinish: baseline[a.uid]?.1, percentComplete: a.progress.percentComplete,
                isCritical: s.isCritical, isCollapsed: collapsed, href: "/projects/\(key)/plan/activities/\(a.uid)"))
        }
        let links = view.snapshot.dependencies.map { d in
            GanttLink(from: d.predecessorUID, to: d.successorUID, kind: d.kind,
                      isCritical: scheduled[d.predecessorUID]?.isCritical == true && scheduled[d.successorUID]?.isCritical == true)
        }
        let calendar = view.schedulePlan.calendars.first { $0.id == view.schedulePlan.defaultCalendarID } ?? .japan
        return GanttChart.svg(GanttInput(rows: rows, links: links, calendar: calendar,
                                         statusDate: view.snapshot.statusDate.map(PlanSnapshot.endOfDay), scale: o.scale,
                                         title: title ?? view.snapshot.name, language: req.locale))
    }

    static func ganttPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plan(caller, key: key)
        let w = PlanWords(req)
        let o = options(req, view)
        var h = HTML()
        h.raw("<div class=\"head\"><h1>\(HTML.e(w["page.plan.gantt_chart"]))</h1>")
        h.raw("<a class=\"button secondary\" href=\"/projects/\(HTML.e(key))/plan/gantt.svg?\(HTML.e(query(o, [:])))\">SVG</a></div>")
        PlanPages.subnav(&h, key: key, on: "gantt", w)
        PlanPages.diagnostics(&h, view, w)
        h.raw("<div class=\"gantt-controls noprint\"><span>\(HTML.e(w["page.plan.scale"])):</span>")
        for (s, label) in [(GanttScale.day, w["page.plan.day"]), (.week, w["page.plan.week"]), (.month, w["page.plan.month"])] {
            h.raw(" <a href=\"?\(HTML.e(query(o, ["scale": s.rawValue])))\"\(s == o.scale ? " class=\"on\"" : "") id=\"scale-\(s.rawValue)\">\(HTML.e(label))</a>")
        }
        h.raw(" <span>\(HTML.e(w["page.plan.levels"])):</span>")
        for (l, label) in [(1, "1"), (2, "2"), (3, "3"), (0, w["page.plan.all"])] {
            h.raw(" <a href=\"?\(HTML.e(query(o, ["level": String(l)])))\"\(l == o.level ? " class=\"on\"" : "")>\(HTML.e(label))</a>")
        }
        h.raw(" <span>\(HTML.e(w["page.plan.baseline"])):</span>")
        for b in view.snapshot.baselines {
            h.raw(" <a href=\"?\(HTML.e(query(o, ["baseline": String(b.number)])))\"\(b.number == o.baseline ? " class=\"on\"" : "")>")
            h.t("\(b.number) \(b.name)")
            h.raw("</a>")
        }
        h.raw(" <a href=\"?\(HTML.e(query(o, ["baseline": "none"])))\"\(o.baseline == nil ? " class=\"on\"" : "")>\(HTML.e(w["page.plan.none"]))</a>")
        h.raw("</div><p class=\"muted noprint\">")
        h.t(w["page.plan.collapse_a_summary"])
        for row in view.rows where row.hasChildren && row.level <= 2 {
            var c = o.collapsed
            if c.contains(row.activity.uid) { c.remove(row.activity.uid) } else { c.insert(row.activity.uid) }
            h.raw(" <a href=\"?\(HTML.e(query(o, ["collapsed": c.sorted().map(String.init).joined(separator: ",")])))\">\(o.collapsed.contains(row.activity.uid) ? "⊞" : "⊟") ")
            h.t(row.outline)
            h.raw("</a>")
        }
        h.raw("</p><div class=\"gantt\" id=\"gantt\">")
        h.raw(gantt(req, view, options: o))
        h.raw("</div>")
        return try await req.renderPlanPage(h, title: w["page.plan.gantt_chart"], project: view.context.project)
    }

    static func query(_ o: GanttOptions, _ changes: [String: String]) -> String {
        var items = ["scale": o.scale.rawValue, "level": String(o.level), "baseline": o.baseline.map(String.init) ?? "none",
                     "collapsed": o.collapsed.sorted().map(String.init).joined(separator: ",")]
        for (k, v) in changes { items[k] = v }
        return items.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    // MARK: Master schedule

    static func masterPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plan(caller, key: key)
        let w = PlanWords(req)
        let scheduled = view.scheduledByUID
        var h = HTML()
        h.raw("<div class=\"head\"><h1>\(HTML.e(w["page.plan.master_schedule"]))</h1></div>")
        PlanPages.subnav(&h, key: key, on: "master", w)
        h.raw("<section class=\"card\"><h2>\(HTML.e(w["page.plan.phase_definitions"]))</h2><table class=\"list\" id=\"phases\"><thead><tr><th>\(HTML.e(w["page.plan.phase"]))</th><th>\(HTML.e(w["page.plan.definition"]))</th><th>\(HTML.e(w["page.plan.exit_criteria"]))</th><th>\(HTML.e(w["page.plan.dates"]))</th></tr></thead><tbody>")
        for p in view.snapshot.phases {
            let tagged = view.rows.filter { $0.activity.phaseID == p.id }.compactMap { scheduled[$0.activity.uid] }
            h.raw("<tr><td><b>")
            h.t(p.name)
            h.raw("</b></td><td>")
            h.t(p.definition)
            h.raw("</td><td>")
            h.t(p.exitCriteria)
            h.raw("</td><td class=\"date\">")
            if let lo = tagged.map(\.start).min(), let hi = tagged.map(\.finish).max() { h.t("\(lo.date) – \(hi.date)") }
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table>")
        if view.canEdit {
            h.raw("<form method=\"post\" action=\"/projects/\(HTML.e(key))/plan/phases\" id=\"phases-form\"><input type=\"hidden\" name=\"_csrf\" value=\"\(PlanPages.csrf(req))\">")
            h.raw("<label>\(HTML.e(w["page.plan.one_phase_per_line_name_definition_exit"]))<textarea name=\"phases\" rows=\"6\">")
            h.t(view.snapshot.phases.map { "\($0.name) | \($0.definition) | \($0.exitCriteria)" }.joined(separator: "\n"))
            h.raw("</textarea></label><button>\(HTML.e(w["page.plan.save_phases"]))</button></form>")
        }
        h.raw("</section><section class=\"card\"><h2>\(HTML.e(w["page.plan.milestones"]))</h2><table class=\"list\" id=\"milestones\"><thead><tr><th>\(HTML.e(w["page.plan.milestone"]))</th><th>\(HTML.e(w["page.plan.date"]))</th><th>\(HTML.e(w["page.plan.baseline"]))</th><th>\(HTML.e(w["page.plan.slip_days"]))</th></tr></thead><tbody>")
        let slips = view.snapshot.baselines.last.map { Store.slips(view, baseline: $0.number) } ?? []
        let slipByUID = Dictionary(slips.map { ($0.row.activity.uid, $0) }, uniquingKeysWith: { a, _ in a })
        for row in view.rows where row.activity.kind == .milestone && !row.hasChildren {
            let s = scheduled[row.activity.uid]
            let slip = slipByUID[row.activity.uid]
            let late = (slip?.finishSlipDays ?? 0) > 0
            h.raw("<tr\(late ? " class=\"late\"" : "")><td><a href=\"/projects/\(HTML.e(key))/plan/activities/\(row.activity.uid)\">◆ ")
            h.t(row.activity.name)
            h.raw("</a></td><td class=\"date\">\(PlanFormat.date(s?.finish))</td><td class=\"date\">\(PlanFormat.date(slip?.baselineFinish))</td><td class=\"num\">\(slip?.finishSlipDays.map(PlanFormat.number) ?? "")</td></tr>")
        }
        h.raw("</tbody></table></section><div class=\"gantt\">")
        let o = GanttOptions(scale: .month, level: 0, baseline: view.snapshot.baselines.last?.number, collapsed: [])
        h.raw(gantt(req, view, options: o, title: w["page.plan.master_schedule"],
                    only: { $0.level <= 2 || ($0.activity.kind == .milestone && !$0.hasChildren) }))
        h.raw("</div>")
        return try await req.renderPlanPage(h, title: w["page.plan.master_schedule"], project: view.context.project)
    }

    // MARK: Baselines

    static func baselinesPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plan(caller, key: key)
        let w = PlanWords(req)
        let k = HTML.e(key)
        var h = HTML()
        h.raw("<div class=\"head\"><h1>\(HTML.e(w["page.plan.baselines"]))</h1></div>")
        PlanPages.subnav(&h, key: key, on: "baselines", w)
        h.raw("<section class=\"card\"><table class=\"list\" id=\"baselines\"><thead><tr><th>#</th><th>\(HTML.e(w["page.plan.name_2"]))</th><th>\(HTML.e(w["page.plan.taken_on"]))</th><th></th></tr></thead><tbody>")
        for b in view.snapshot.baselines {
            h.raw("<tr><td class=\"num\">\(b.number)</td><td>")
            h.t(b.name)
            h.raw("</td><td class=\"date\">\(b.takenOn)</td><td><a href=\"/projects/\(k)/plan/baselines?compare=\(b.number)\">\(HTML.e(w["page.plan.compare"]))</a></td></tr>")
        }
        h.raw("</tbody></table>")
        if view.canEdit {
            h.raw("<form method=\"post\" action=\"/projects/\(k)/plan/baselines\" class=\"inline-form\" id=\"baseline-form\"><input type=\"hidden\" name=\"_csrf\" value=\"\(PlanPages.csrf(req))\">")
            h.raw("<label>\(HTML.e(w["page.plan.name_2"]))<input name=\"name\" required maxlength=\"200\"></label>")
            h.raw("<label>\(HTML.e(w["page.plan.number_blank_next_free"]))<input name=\"number\" size=\"3\" inputmode=\"numeric\"></label>")
            h.raw("<label class=\"check\"><input type=\"checkbox\" name=\"replace\">\(HTML.e(w["page.plan.replace_that_number"]))</label>")
            h.raw("<button>\(HTML.e(w["page.plan.save_the_current_plan_as_a_baseline"]))</button></form>")
        }
        h.raw("</section>")
        if let n = Int((try? req.query.get(String.self, at: "compare")) ?? "") {
            let (_, baseline, slips) = try await req.store.compareBaseline(caller, key: key, number: n)
            h.raw("<section class=\"card\"><h2>")
            h.t(w["page.plan.comparison"] + ": \(baseline.number) \(baseline.name) (\(baseline.takenOn))")
            h.raw("</h2><p class=\"muted\">")
            h.t(w["page.plan.slips_in_working_days_positive_later"])
            h.raw("</p><table class=\"list\" id=\"comparison\"><thead><tr><th>WBS</th><th>\(HTML.e(w["page.plan.name"]))</th><th>\(HTML.e(w["page.plan.baseline_start"]))</th><th>\(HTML.e(w["page.plan.baseline_finish"]))</th><th>\(HTML.e(w["page.plan.start"]))</th><th>\(HTML.e(w["page.plan.finish"]))</th><th>\(HTML.e(w["page.plan.start_slip"]))</th><th>\(HTML.e(w["page.plan.finish_slip"]))</th></tr></thead><tbody>")
            for s in slips.prefix(1000) {
                let late = (s.finishSlipDays ?? 0) > 0
                h.raw("<tr data-uid=\"\(s.row.activity.uid)\" class=\"\(late ? "late" : "")\(s.isCritical ? " critical" : "")\"><td>\(HTML.e(s.row.outline))</td><td>\(s.isMilestone ? "◆ " : "")")
                h.t(s.row.activity.name)
                h.raw("</td><td class=\"date\">\(PlanFormat.date(s.baselineStart))</td><td class=\"date\">\(PlanFormat.date(s.baselineFinish))</td><td class=\"date\">\(PlanFormat.date(s.start))</td><td class=\"date\">\(PlanFormat.date(s.finish))</td>")
                h.raw("<td class=\"num\">\(s.startSlipDays.map(PlanFormat.number) ?? "")</td><td class=\"num slip\">\(s.finishSlipDays.map(PlanFormat.number) ?? "")</td></tr>")
            }
            h.raw("</tbody></table></section>")
        }
        return try await req.renderPlanPage(h, title: w["page.plan.baselines"], project: view.context.project)
    }

    // MARK: Earned value

    static func evmPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let atText = (try? req.query.get(String.self, at: "at")) ?? ""
        guard atText.isEmpty || CivilDate(iso: atText) != nil else {
            throw DomainError.invalid("query.invalid", [FieldError(field: "at", code: "invalid_date", message: "at must be a date YYYY-MM-DD (got \(atText)).")])
        }
        let at = CivilDate(iso: atText)
        let report = try await req.store.earnedValue(caller, key: key, at: at)
        let view = report.view
        let w = PlanWords(req)
        let isVendor = view.context.role == .vendor && !view.context.actor.isSystemAdmin
        var h = HTML()
        h.raw("<div class=\"head\"><h1>\(HTML.e(w["page.plan.earned_value"]))</h1><span class=\"muted\">")
        h.t(w["page.plan.status_date"] + " \(report.statusDate) · " + w["page.plan.baseline"] + " \(report.baseline.map(String.init) ?? w["page.plan.none_current_plan"])")
        h.raw("</span></div>")
        PlanPages.subnav(&h, key: key, on: "evm", w)
        h.raw("<section class=\"card\"><table class=\"list evm\" id=\"evm\"><thead><tr><th></th><th>BAC</th><th>PV</th><th>EV</th><th>AC</th><th>SV</th><th>CV</th><th>SPI</th><th>CPI</th><th>EAC</th></tr></thead><tbody>")
        func row(_ label: String, _ v: EarnedValue, id: String) {
            h.raw("<tr id=\"\(HTML.e(id))\"><th>")
            h.t(label)
            h.raw("</th>")
            for x in [v.bac, v.pv, v.ev, v.ac, v.sv, v.cv] { h.raw("<td class=\"num\">\(PlanFormat.money(x))</td>") }
            h.raw("<td class=\"num spi\">\(PlanFormat.ratio(v.spi))</td><td class=\"num cpi\">\(PlanFormat.ratio(v.cpi))</td><td class=\"num\">\(v.eacTypical.map(PlanFormat.money) ?? "–")</td></tr>")
        }
        if !isVendor { row(w["page.plan.whole_project"], report.current.project, id: "ev-project") }
        for (company, v) in report.current.companies.sorted(by: { (view.companyNames[$0.key?.rawValue ?? UUID()] ?? "~") < (view.companyNames[$1.key?.rawValue ?? UUID()] ?? "~") }) {
            if isVendor && company != view.context.actor.companyID { continue }
            row((company.flatMap { view.companyNames[$0.rawValue] } ?? w["page.plan.no_company"]), v, id: "ev-company-\(company?.description ?? "none")")
        }
        if !isVendor {
            for r in view.rows where r.level == 1 && r.hasChildren {
                if let v = report.current.activities[r.activity.uid] { row("\(r.outline) \(r.activity.name)", v, id: "ev-branch-\(r.activity.uid)") }
            }
        }
        h.raw("</tbody></table><p class=\"muted\">")
        h.t(w["page.plan.pv_spreads_each_budget_over_its_baseline"])
        h.raw("</p></section>")
        if !isVendor {
            let trendByDate = Dictionary(report.trend.map { ($0.statusDate, $0.project) }, uniquingKeysWith: { a, _ in a })
            var points = report.pvCurve.map { SCurvePoint(date: $0.0, pv: $0.1) }
            for (d, v) in trendByDate.sorted(by: { $0.key < $1.key }) { points.append(SCurvePoint(date: d, pv: v.pv, ev: v.ev, ac: v.ac)) }
            points.sort { $0.date < $1.date }
            h.raw("<div class=\"chart\" id=\"scurve\">")
            h.raw(SCurveChart.svg(SCurveInput(points: points, statusDate: report.statusDate, bac: report.current.project.bac,
                                              title: w["page.plan.s_curve"], language: req.locale)))
            h.raw("</div><div class=\"chart\" id=\"trend\">")
            h.raw(IndexTrendChart.svg(points: report.trend.map { IndexTrendPoint(date: $0.statusDate, spi: $0.project.spi, cpi: $0.project.cpi) },
                                      title: w["page.plan.spi_cpi_trend"], language: req.locale))
            h.raw("</div>")
        }
        h.raw("<section class=\"card\"><h2>\(HTML.e(w["page.plan.by_status_date"]))</h2><table class=\"list\" id=\"ev-trend\"><thead><tr><th>\(HTML.e(w["page.plan.status_date"]))</th><th>PV</th><th>EV</th><th>AC</th><th>SPI</th><th>CPI</th></tr></thead><tbody>")
        for t in report.trend {
            let v = isVendor ? (t.companies[view.context.actor.companyID] ?? EarnedValue(bac: 0, pv: 0, ev: 0, ac: 0)) : t.project
            h.raw("<tr><td class=\"date\">\(t.statusDate)</td><td class=\"num\">\(PlanFormat.money(v.pv))</td><td class=\"num\">\(PlanFormat.money(v.ev))</td><td class=\"num\">\(PlanFormat.money(v.ac))</td><td class=\"num\">\(PlanFormat.ratio(v.spi))</td><td class=\"num\">\(PlanFormat.ratio(v.cpi))</td></tr>")
        }
        h.raw("</tbody></table></section>")
        return try await req.renderPlanPage(h, title: w["page.plan.earned_value"], project: view.context.project)
    }
}
