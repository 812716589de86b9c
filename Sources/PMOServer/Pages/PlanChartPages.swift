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
    static func gantt(_ req: Request, _ view: PlanView, options: GanttOptions? = nil, title: String? = nil, only: ((WBSRow) -> Bool)? = nil) -> GanttInput {
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
                isCritical: s.isCritical, isCollapsed: collapsed, href: PlanPath.activity(a.uid).href(key)))
        }
        let links = view.snapshot.dependencies.map { d in
            GanttLink(from: d.predecessorUID, to: d.successorUID, kind: d.kind,
                      isCritical: scheduled[d.predecessorUID]?.isCritical == true && scheduled[d.successorUID]?.isCritical == true)
        }
        let calendar = view.schedulePlan.calendars.first { $0.id == view.schedulePlan.defaultCalendarID } ?? .japan
        return GanttInput(rows: rows, links: links, calendar: calendar, statusDate: view.snapshot.statusDate.map(PlanSnapshot.endOfDay),
                          scale: o.scale, title: title ?? view.snapshot.name, language: req.locale)
    }

    static func ganttPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let w = PlanWords(req)
        let o = options(req, view)
        var h = HTMLWriter()
        h.pageHead(w["page.plan.gantt_chart"]) { h in
            h.el(.a, .class("button secondary"), .href(PlanPath.ganttSVG.href(key, query: query(o, [:]))), text: "SVG")
        }
        PlanViews.subnav(&h, key: key, on: .gantt, w)
        PlanViews.diagnostics(&h, view, w)
        h.el(.div, .class("gantt-controls noprint")) { h in
            h.el(.span, text: w["page.plan.scale"] + ":")
            for (s, label) in [(GanttScale.day, w["page.plan.day"]), (.week, w["page.plan.week"]), (.month, w["page.plan.month"])] {
                h.text(" ")
                h.el(.a, .href("?" + query(o, ["scale": s.rawValue])), .class(s == o.scale ? "on" : nil), .id("scale-\(s.rawValue)"), text: label)
            }
            h.text(" ")
            h.el(.span, text: w["page.plan.levels"] + ":")
            for (l, label) in [(1, "1"), (2, "2"), (3, "3"), (0, w["page.plan.all"])] {
                h.text(" ")
                h.el(.a, .href("?" + query(o, ["level": String(l)])), .class(l == o.level ? "on" : nil), text: label)
            }
            h.text(" ")
            h.el(.span, text: w["page.plan.baseline"] + ":")
            for b in view.snapshot.baselines {
                h.text(" ")
                h.el(.a, .href("?" + query(o, ["baseline": String(b.number)])), .class(b.number == o.baseline ? "on" : nil), text: "\(b.number) \(b.name)")
            }
            h.text(" ")
            h.el(.a, .href("?" + query(o, ["baseline": "none"])), .class(o.baseline == nil ? "on" : nil), text: w["page.plan.none"])
        }
        h.el(.p, .class("muted noprint")) { h in
            h.text(w["page.plan.collapse_a_summary"])
            for row in view.rows where row.hasChildren && row.level <= 2 {
                var c = o.collapsed
                if c.contains(row.activity.uid) { c.remove(row.activity.uid) } else { c.insert(row.activity.uid) }
                h.text(" ")
                h.el(.a, .href("?" + query(o, ["collapsed": c.sorted().map(String.init).joined(separator: ",")])),
                     text: (o.collapsed.contains(row.activity.uid) ? "⊞" : "⊟") + " " + row.outline)
            }
        }
        h.el(.div, .class("gantt"), .id("gantt")) { h in h.trusted(ChartMarkup.gantt(gantt(req, view, options: o))) }
        return try await req.renderProjectPage(h, title: w["page.plan.gantt_chart"], section: "plan", project: view.context.project)
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
        let view = try await req.store.plans.view(caller, key: key)
        let w = PlanWords(req)
        let scheduled = view.scheduledByUID
        var h = HTMLWriter()
        h.pageHead(w["page.plan.master_schedule"])
        PlanViews.subnav(&h, key: key, on: .master, w)
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.phase_definitions"])
            h.el(.table, .class("list"), .id("phases")) { h in
                h.tableHead([w["page.plan.phase"], w["page.plan.definition"], w["page.plan.exit_criteria"], w["page.plan.dates"]])
                h.el(.tbody) { h in
                    for p in view.snapshot.phases {
                        let tagged = view.rows.filter { $0.activity.phaseID == p.id }.compactMap { scheduled[$0.activity.uid] }
                        h.el(.tr) { h in
                            h.el(.td) { h in h.el(.b, text: p.name) }
                            h.el(.td, text: p.definition)
                            h.el(.td, text: p.exitCriteria)
                            if let lo = tagged.map(\.start).min(), let hi = tagged.map(\.finish).max() {
                                h.el(.td, .class("date"), text: "\(lo.date) – \(hi.date)")
                            } else {
                                h.el(.td, .class("date"))
                            }
                        }
                    }
                }
            }
            guard view.canEdit else { return }
            h.postForm(PlanPath.phases.href(key), .id("phases-form"), csrf: req.csrfToken) { h in
                h.labelled(w["page.plan.one_phase_per_line_name_definition_exit"]) { h in
                    h.el(.textarea, .name("phases"), .rows("6"),
                         text: view.snapshot.phases.map { "\($0.name) | \($0.definition) | \($0.exitCriteria)" }.joined(separator: "\n"))
                }
                h.el(.button, text: w["page.plan.save_phases"])
            }
        }
        let slips = view.snapshot.baselines.last.map { PlanService.slips(view, baseline: $0.number) } ?? []
        let slipByUID = Dictionary(slips.map { ($0.row.activity.uid, $0) }, uniquingKeysWith: { a, _ in a })
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.milestones"])
            h.el(.table, .class("list"), .id("milestones")) { h in
                h.tableHead([w["page.plan.milestone"], w["page.plan.date"], w["page.plan.baseline"], w["page.plan.slip_days"]])
                h.el(.tbody) { h in
                    for row in view.rows where row.activity.kind == .milestone && !row.hasChildren {
                        let s = scheduled[row.activity.uid]
                        let slip = slipByUID[row.activity.uid]
                        let late = (slip?.finishSlipDays ?? 0) > 0
                        h.el(.tr, .class(late ? "late" : nil)) { h in
                            h.el(.td) { h in h.el(.a, .href(PlanPath.activity(row.activity.uid).href(key)), text: "◆ " + row.activity.name) }
                            h.el(.td, .class("date"), text: PlanFormat.date(s?.finish))
                            h.el(.td, .class("date"), text: PlanFormat.date(slip?.baselineFinish))
                            h.el(.td, .class("num"), text: slip?.finishSlipDays.map(PlanFormat.number) ?? "")
                        }
                    }
                }
            }
        }
        let o = GanttOptions(scale: .month, level: 0, baseline: view.snapshot.baselines.last?.number, collapsed: [])
        h.el(.div, .class("gantt")) { h in
            h.trusted(ChartMarkup.gantt(gantt(req, view, options: o, title: w["page.plan.master_schedule"],
                                              only: { $0.level <= 2 || ($0.activity.kind == .milestone && !$0.hasChildren) })))
        }
        return try await req.renderProjectPage(h, title: w["page.plan.master_schedule"], section: "plan", project: view.context.project)
    }

    // MARK: Baselines

    static func baselinesPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let w = PlanWords(req)
        var h = HTMLWriter()
        h.pageHead(w["page.plan.baselines"])
        PlanViews.subnav(&h, key: key, on: .baselines, w)
        h.el(.section, .class("card")) { h in
            h.el(.table, .class("list"), .id("baselines")) { h in
                h.tableHead(["#", w["page.plan.name_2"], w["page.plan.taken_on"], ""])
                h.el(.tbody) { h in
                    for b in view.snapshot.baselines {
                        h.el(.tr) { h in
                            h.el(.td, .class("num"), text: "\(b.number)")
                            h.el(.td, text: b.name)
                            h.el(.td, .class("date"), text: "\(b.takenOn)")
                            h.el(.td) { h in h.el(.a, .href(PlanPath.baselines.href(key, query: "compare=\(b.number)")), text: w["page.plan.compare"]) }
                        }
                    }
                }
            }
            guard view.canEdit else { return }
            h.postForm(PlanPath.baselines.href(key), .class("inline-form"), .id("baseline-form"), csrf: req.csrfToken) { h in
                h.labelled(w["page.plan.name_2"]) { h in h.el(.input, .name("name"), .required, .maxlength("200")) }
                h.labelled(w["page.plan.number_blank_next_free"]) { h in h.el(.input, .name("number"), .size("3"), .inputmode("numeric")) }
                h.el(.label, .class("check")) { h in
                    h.el(.input, .type("checkbox"), .name("replace"))
                    h.text(w["page.plan.replace_that_number"])
                }
                h.el(.button, text: w["page.plan.save_the_current_plan_as_a_baseline"])
            }
        }
        if let n = Int((try? req.query.get(String.self, at: "compare")) ?? "") {
            let (_, baseline, slips) = try await req.store.plans.compareBaseline(caller, key: key, number: n)
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: w["page.plan.comparison"] + ": \(baseline.number) \(baseline.name) (\(baseline.takenOn))")
                h.el(.p, .class("muted"), text: w["page.plan.slips_in_working_days_positive_later"])
                h.el(.table, .class("list"), .id("comparison")) { h in
                    h.tableHead(["WBS", w["page.plan.name"], w["page.plan.baseline_start"], w["page.plan.baseline_finish"], w["page.plan.start"],
                                 w["page.plan.finish"], w["page.plan.start_slip"], w["page.plan.finish_slip"]])
                    h.el(.tbody) { h in
                        for s in slips.prefix(1000) {
                            let late = (s.finishSlipDays ?? 0) > 0
                            h.el(.tr, .attr("data-uid", "\(s.row.activity.uid)"), .class((late ? "late" : "") + (s.isCritical ? " critical" : ""))) { h in
                                h.el(.td, text: s.row.outline)
                                h.el(.td, text: (s.isMilestone ? "◆ " : "") + s.row.activity.name)
                                for d in [s.baselineStart, s.baselineFinish, s.start, s.finish] { h.el(.td, .class("date"), text: PlanFormat.date(d)) }
                                h.el(.td, .class("num"), text: s.startSlipDays.map(PlanFormat.number) ?? "")
                                h.el(.td, .class("num slip"), text: s.finishSlipDays.map(PlanFormat.number) ?? "")
                            }
                        }
                    }
                }
            }
        }
        return try await req.renderProjectPage(h, title: w["page.plan.baselines"], section: "plan", project: view.context.project)
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
        let report = try await req.store.plans.earnedValue(caller, key: key, at: at)
        let view = report.view
        let w = PlanWords(req)
        let isVendor = view.context.role == .vendor && !view.context.actor.isSystemAdmin
        var h = HTMLWriter()
        h.pageHead(w["page.plan.earned_value"]) { h in
            h.el(.span, .class("muted"), text: w["page.plan.status_date"] + " \(report.statusDate) · " + w["page.plan.baseline"]
                + " \(report.baseline.map(String.init) ?? w["page.plan.none_current_plan"])")
        }
        PlanViews.subnav(&h, key: key, on: .evm, w)
        h.el(.section, .class("card")) { h in
            h.el(.table, .class("list evm"), .id("evm")) { h in
                h.tableHead(["", "BAC", "PV", "EV", "AC", "SV", "CV", "SPI", "CPI", "EAC"])
                h.el(.tbody) { h in
                    func row(_ label: String, _ v: EarnedValue, id: String) {
                        h.el(.tr, .id(id)) { h in
                            h.el(.th, text: label)
                            for x in [v.bac, v.pv, v.ev, v.ac, v.sv, v.cv] { h.el(.td, .class("num"), text: PlanFormat.money(x)) }
                            h.el(.td, .class("num spi"), text: PlanFormat.ratio(v.spi))
                            h.el(.td, .class("num cpi"), text: PlanFormat.ratio(v.cpi))
                            h.el(.td, .class("num"), text: v.eacTypical.map(PlanFormat.money) ?? "–")
                        }
                    }
                    if !isVendor { row(w["page.plan.whole_project"], report.current.project, id: "ev-project") }
                    let byName = report.current.companies.sorted {
                        (view.companyNames[$0.key?.rawValue ?? UUID()] ?? "~") < (view.companyNames[$1.key?.rawValue ?? UUID()] ?? "~")
                    }
                    for (company, v) in byName {
                        if isVendor && company != view.context.actor.companyID { continue }
                        row(company.flatMap { view.companyNames[$0.rawValue] } ?? w["page.plan.no_company"], v, id: "ev-company-\(company?.description ?? "none")")
                    }
                    if !isVendor {
                        for r in view.rows where r.level == 1 && r.hasChildren {
                            if let v = report.current.activities[r.activity.uid] { row("\(r.outline) \(r.activity.name)", v, id: "ev-branch-\(r.activity.uid)") }
                        }
                    }
                }
            }
            h.el(.p, .class("muted"), text: w["page.plan.pv_spreads_each_budget_over_its_baseline"])
        }
        if !isVendor {
            let trendByDate = Dictionary(report.trend.map { ($0.statusDate, $0.project) }, uniquingKeysWith: { a, _ in a })
            var points = report.pvCurve.map { SCurvePoint(date: $0.0, pv: $0.1) }
            for (d, v) in trendByDate.sorted(by: { $0.key < $1.key }) { points.append(SCurvePoint(date: d, pv: v.pv, ev: v.ev, ac: v.ac)) }
            points.sort { $0.date < $1.date }
            h.el(.div, .class("chart"), .id("scurve")) { h in
                h.trusted(ChartMarkup.sCurve(SCurveInput(points: points, statusDate: report.statusDate, bac: report.current.project.bac,
                                                         title: w["page.plan.s_curve"], language: req.locale)))
            }
            h.el(.div, .class("chart"), .id("trend")) { h in
                h.trusted(ChartMarkup.indexTrend(points: report.trend.map { IndexTrendPoint(date: $0.statusDate, spi: $0.project.spi, cpi: $0.project.cpi) },
                                                 title: w["page.plan.spi_cpi_trend"], language: req.locale))
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.by_status_date"])
            h.el(.table, .class("list"), .id("ev-trend")) { h in
                h.tableHead([w["page.plan.status_date"], "PV", "EV", "AC", "SPI", "CPI"])
                h.el(.tbody) { h in
                    for t in report.trend {
                        let v = isVendor ? (t.companies[view.context.actor.companyID] ?? EarnedValue(bac: 0, pv: 0, ev: 0, ac: 0)) : t.project
                        h.el(.tr) { h in
                            h.el(.td, .class("date"), text: "\(t.statusDate)")
                            for x in [v.pv, v.ev, v.ac] { h.el(.td, .class("num"), text: PlanFormat.money(x)) }
                            h.el(.td, .class("num"), text: PlanFormat.ratio(v.spi))
                            h.el(.td, .class("num"), text: PlanFormat.ratio(v.cpi))
                        }
                    }
                }
            }
        }
        return try await req.renderProjectPage(h, title: w["page.plan.earned_value"], section: "plan", project: view.context.project)
    }
}
