import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOSchedule
import PMOStore
import PMOWords

/// The plan's charts and comparisons: Gantt, master schedule, baselines and earned value. Their models are built by
/// `PlanChartPages`; the charts themselves are PMOReports' (`ChartMarkup`).
extension PlanViews {
    /// The Gantt chart with its scale, depth, baseline and collapsed summaries.
    static func gantt(_ h: inout HTMLWriter, _ p: Page<PlanChartPages.GanttData>) {
        let (key, view, o) = (p.data.key, p.data.view, p.data.options)
        let w = PlanWords(p.t)
        h.pageHead(w["page.plan.gantt_chart"]) { h in
            h.el(.a, .class("button secondary"), .href(PlanPath.ganttSVG.href(key, query: PlanChartPages.query(o, [:]))), text: "SVG")
        }
        PlanViews.subnav(&h, key: key, on: .gantt, w)
        PlanViews.diagnostics(&h, view, w)
        h.el(.div, .class("gantt-controls noprint")) { h in
            h.el(.span, text: w["page.plan.scale"] + ":")
            for (s, label) in [(GanttScale.day, w["page.plan.day"]), (.week, w["page.plan.week"]), (.month, w["page.plan.month"])] {
                h.text(" ")
                h.el(.a, .href("?" + PlanChartPages.query(o, ["scale": s.rawValue])), .class(s == o.scale ? "on" : nil), .id("scale-\(s.rawValue)"), text: label)
            }
            h.text(" ")
            h.el(.span, text: w["page.plan.levels"] + ":")
            for (l, label) in [(1, "1"), (2, "2"), (3, "3"), (0, w["page.plan.all"])] {
                h.text(" ")
                h.el(.a, .href("?" + PlanChartPages.query(o, ["level": String(l)])), .class(l == o.level ? "on" : nil), text: label)
            }
            h.text(" ")
            h.el(.span, text: w["page.plan.baseline"] + ":")
            for b in view.snapshot.baselines {
                h.text(" ")
                h.el(.a, .href("?" + PlanChartPages.query(o, ["baseline": String(b.number)])), .class(b.number == o.baseline ? "on" : nil), text: "\(b.number) \(b.name)")
            }
            h.text(" ")
            h.el(.a, .href("?" + PlanChartPages.query(o, ["baseline": "none"])), .class(o.baseline == nil ? "on" : nil), text: w["page.plan.none"])
        }
        // Each summary folds by its ⊟ in the chart; the same links as a list, folded away (it runs long on a phone).
        h.el(.details, .class("muted noprint fold-list")) { h in
            h.el(.summary, text: w["page.plan.collapse_a_summary"])
            for row in view.rows where row.hasChildren && row.level <= 2 {
                var c = o.collapsed
                if c.contains(row.activity.uid) { c.remove(row.activity.uid) } else { c.insert(row.activity.uid) }
                h.text(" ")
                h.el(.a, .href("?" + PlanChartPages.query(o, ["collapsed": c.sorted().map(String.init).joined(separator: ",")])),
                     text: (o.collapsed.contains(row.activity.uid) ? "⊞" : "⊟") + " " + row.outline)
            }
        }
        h.el(.p, .class("muted noprint gantt-fold")) { h in
            let summaries = view.rows.filter { $0.hasChildren && $0.level == 1 }.map { String($0.activity.uid) }
            h.el(.a, .href("?" + PlanChartPages.query(o, ["collapsed": summaries.joined(separator: ","), "level": "0"])), .id("fold-all"), text: "⊞ " + w["page.plan.fold_all"])
            h.text(" ")
            h.el(.a, .href("?" + PlanChartPages.query(o, ["collapsed": "", "level": "0"])), .id("unfold-all"), text: "⊟ " + w["page.plan.unfold_all"])
            if view.snapshot.statusDate != nil {
                h.text(" · ")
                h.el(.span, .class("progress-line-key"), text: w["page.plan.progress_line_key"])
            }
        }
        // The chart scrolls sideways under its label column, which stays in place (the same labels, laid over).
        h.el(.div, .class("gantt gantt-frozen noprint"), .id("gantt")) { h in
            h.el(.div, .class("gantt-inner")) { h in
                h.el(.div, .class("gantt-body")) { h in h.trusted(ChartMarkup.gantt(p.data.chart)) }
                h.el(.div, .class("gantt-labels")) { h in h.trusted(ChartMarkup.ganttLabels(p.data.chart)) }
            }
        }
        printCopy(&h, p.data.printPages)
    }

    /// The chart's print copy: A3 landscape pages across the width, each repeating the date header.
    static func printCopy(_ h: inout HTMLWriter, _ pages: [GanttInput]) {
        h.el(.div, .class("gantt-print"), .id("gantt-print")) { h in
            for page in pages { h.el(.div, .class("gantt-page")) { h in h.trusted(ChartMarkup.gantt(page)) } }
        }
    }

    /// The master schedule: the phases and their dates, the milestones against the last baseline, and a chart of
    /// the top two levels.
    static func master(_ h: inout HTMLWriter, _ p: Page<PlanChartPages.MasterData>) {
        let (key, view) = (p.data.key, p.data.view)
        let w = PlanWords(p.t)
        let scheduled = view.scheduledByUID
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
            h.postForm(PlanPath.phases.href(key), .id("phases-form"), csrf: p.chrome.csrf) { h in
                h.labelled(w["page.plan.one_phase_per_line_name_definition_exit"]) { h in
                    h.el(.textarea, .name("phases"), .rows("6"),
                         text: view.snapshot.phases.map { "\($0.name) | \($0.definition) | \($0.exitCriteria)" }.joined(separator: "\n"))
                }
                h.el(.button, text: w["page.plan.save_phases"])
            }
        }
        let slipByUID = Dictionary(p.data.slips.map { ($0.row.activity.uid, $0) }, uniquingKeysWith: { a, _ in a })
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
        h.el(.div, .class("gantt noprint")) { h in h.trusted(ChartMarkup.gantt(p.data.chart)) }
        printCopy(&h, p.data.printPages)
    }

    /// The baselines taken, the form that takes one, and the comparison the query asks for.
    static func baselines(_ h: inout HTMLWriter, _ p: Page<PlanChartPages.BaselinesData>) {
        let (key, view) = (p.data.key, p.data.view)
        let w = PlanWords(p.t)
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
            h.postForm(PlanPath.baselines.href(key), .class("inline-form"), .id("baseline-form"), csrf: p.chrome.csrf) { h in
                h.labelled(w["page.plan.name_2"]) { h in h.el(.input, .name("name"), .required, .maxlength("200")) }
                h.labelled(w["page.plan.number_blank_next_free"]) { h in h.el(.input, .name("number"), .size("3"), .inputmode("numeric")) }
                h.el(.label, .class("check")) { h in
                    h.el(.input, .type("checkbox"), .name("replace"))
                    h.text(w["page.plan.replace_that_number"])
                }
                h.el(.button, text: w["page.plan.save_the_current_plan_as_a_baseline"])
            }
        }
        if let (baseline, slips) = p.data.comparison {
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
    }

    /// Earned value at the status date: per project, company and top branch (a vendor sees its own company only),
    /// the S-curve, the SPI / CPI trend, and the values at each status date.
    static func earnedValue(_ h: inout HTMLWriter, _ p: Page<PlanChartPages.EarnedValueData>) {
        let (key, report, isVendor) = (p.data.key, p.data.report, p.data.isVendor)
        let view = report.view
        let w = PlanWords(p.t)
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
                                                         title: w["page.plan.s_curve"], language: p.chrome.lang)))
            }
            h.el(.div, .class("chart"), .id("trend")) { h in
                h.trusted(ChartMarkup.indexTrend(points: report.trend.map { IndexTrendPoint(date: $0.statusDate, spi: $0.project.spi, cpi: $0.project.cpi) },
                                                 title: w["page.plan.spi_cpi_trend"], language: p.chrome.lang))
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
    }
}
