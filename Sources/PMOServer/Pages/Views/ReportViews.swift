import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOStore
import PMOWords

/// The status reports' views: the list, one report and its forms, two side by side, the portfolio and the kickoff
/// pack. Their models are built by `ReportPages`; the pieces they share are `ReportHTML`.
enum ReportViews {
    /// The weekly status reports: the form that starts one, the list with each report's state and colour, and the
    /// form that compares two.
    static func list(_ h: inout HTMLWriter, _ p: Page<ReportPages.ListData>) {
        let (key, reports, error, posted) = (p.data.key, p.data.reports, p.data.error, p.data.posted)
        let w = ReportWords(p.t)
        h.pageHead(w["page.report.weekly_status_reports"]) { h in
            h.el(.div, .class("actions noprint")) { h in
                h.el(.a, .class("button secondary"), .href(ReportPath.kickoff.href(key)), text: w["doc.kickoff"])
                h.el(.a, .class("button secondary"), .href(ReportPath.portfolio), text: w["page.report.portfolio"])
            }
        }
        if let error { ReportHTML.errorBox(&h, error, w) }
        if error?.code == "report.exists", let date = posted.flatMap({ CalendarDate(iso: $0) }),
           let issued = reports.first(where: { $0.statusDate == date && $0.state == .issued }) {
            h.el(.p, .class("card notice"), .id("existing")) { h in
                h.el(.a, .href(ReportPath.report(issued.id).href(key)),
                     text: w("page.report.open_issued_of", ["date": date.description]))
            }
        }
        if p.data.canEdit {
            h.el(.section, .class("card noprint")) { h in
                h.postForm(ReportPath.list.href(key), .class("inline-form"), .id("new-report"), csrf: p.chrome.csrf) { h in
                    h.labelled(w["status.status_date"]) { h in
                        h.el(.input, .type("date"), .name("statusDate"), .required, .value(posted ?? p.data.defaultDate.description))
                    }
                    h.el(.button, text: w["page.report.start_the_report_for_this_date"])
                }
                h.el(.p, .class("muted"), text: w["page.report.a_draft_is_computed_from_the_current"])
                // Progress is as of the plan's status date: a report for it agrees with the plan's pages.
                let planDate = p.data.planStatusDate ?? p.data.defaultDate
                h.el(.p, .class("muted"), .id("plan-status-date"), text: w("page.report.the_plan_status_date_is", ["date": planDate.description]))
                if reports.contains(where: { $0.statusDate == planDate && $0.state == .issued }) {
                    h.el(.p, .class("notice"), .id("status-date-reported"), text: w("page.report.already_reported_move_the_status_date", ["date": planDate.description]))
                }
            }
        }
        h.el(.section, .class("card")) { h in
            if reports.isEmpty {
                h.el(.p, .class("muted"), .id("reports"), text: w["page.report.there_is_no_status_report_yet"])
                return
            }
            h.el(.table, .class("list"), .id("reports")) { h in
                h.el(.thead) { h in
                    h.el(.tr) { h in
                        for label in [w["status.status_date"], w["status.state"], w["status.overall"], w["page.report.issued_at"]] {
                            h.el(.th, text: label)
                        }
                        h.el(.th, .class("noprint"))
                    }
                }
                h.el(.tbody) { h in
                    for (i, r) in reports.enumerated() {
                        h.el(.tr, .id("r-" + r.id.uuidString.lowercased()), .attr("data-state", r.state.rawValue)) { h in
                            h.el(.td, .class("date")) { h in h.el(.a, .href(ReportPath.report(r.id).href(key)), text: r.statusDate.description) }
                            h.el(.td) { h in ReportHTML.stateChip(&h, r.state, w) }
                            h.el(.td) { h in
                                if let overall = r.overall {
                                    ReportHTML.chip(&h, overall, w)
                                } else {
                                    h.el(.span, .class("muted"), text: w["page.report.computed_when_opened"])
                                }
                            }
                            h.el(.td, .class("date"), text: r.issuedAt.map { Formatting.instant($0, zone: p.data.timeZone) } ?? "–")
                            h.el(.td, .class("noprint")) { h in
                                if let older = reports[(i + 1)...].first(where: { $0.state == .issued && $0.statusDate < r.statusDate }) {
                                    h.el(.a, .href(ReportPath.comparing(key, older.id, r.id)), text: w["page.report.compare_with_previous"])
                                }
                            }
                        }
                    }
                }
            }
        }
        if reports.count >= 2 { compareForm(&h, key: key, reports: reports, a: nil, b: nil, w) }
    }

    /// One report as a document: state, overall and areas, progress, milestones, top issues and risks, decisions,
    /// texts, charts, what changed since the last one, and the draft's forms.
    static func report(_ h: inout HTMLWriter, _ p: Page<ReportPages.ReportData>) {
        let (key, view, error, posted) = (p.data.key, p.data.view, p.data.error, p.data.posted)
        let id = view.id
        let w = ReportWords(p.t)
        let c = view.content
        h.el(.article, .class("report-doc"), .id("report"), .attr("data-state", view.state.rawValue)) { h in
            h.el(.div, .class("head")) { h in
                h.el(.div) { h in
                    h.el(.h1, text: "\(c.projectKey) \(c.projectName): \(w["doc.status_report"]) \(c.statusDate)")
                    h.el(.p, .class("muted"), .id("report-state")) { h in
                        ReportHTML.stateChip(&h, view.state, w)
                        if let at = view.issuedAt {
                            h.text(" " + w["page.report.issued"] + " " + Formatting.instant(at, zone: p.data.timeZone))
                            if let by = view.issuedBy { h.text(w("page.report.issued_by", ["by": by])) }
                        }
                    }
                }
                h.el(.div, .class("actions noprint")) { h in
                    h.el(.a, .class("button secondary"), .id("download-md"), .href(ReportPath.file(id, .markdown).href(key)), text: "Markdown")
                    h.el(.a, .class("button secondary"), .id("download-xlsx"), .href(ReportPath.file(id, .workbook).href(key)), text: "Excel")
                    if let previous = p.data.list.first(where: { $0.state == .issued && $0.statusDate < c.statusDate && $0.id != id }) {
                        h.el(.a, .class("button secondary"), .href(ReportPath.comparing(key, previous.id, id)), text: w["page.report.compare_with_previous"])
                    }
                    h.el(.a, .class("button secondary"), .href(ReportPath.list.href(key)), text: w["page.report.all_reports"])
                }
            }

            if view.state == .superseded || view.supersededByID != nil {
                h.el(.section, .class("card warn banner"), .id("superseded"), .role("note")) { h in
                    h.el(.b, text: w["page.report.this_report_has_been_superseded_by_a"])
                    if let newer = view.supersededByID {
                        h.text(" ")
                        h.el(.a, .href(ReportPath.report(newer).href(key)), text: w["page.report.see_the_correction"])
                    }
                }
            }
            if let older = view.supersedesID {
                h.el(.p, .class("card notice"), .id("correction")) { h in
                    h.text(w["page.report.this_report_corrects_an_issued_report"] + " ")
                    h.el(.a, .href(ReportPath.report(older).href(key)), text: w["page.report.the_report_it_corrects"])
                }
            }
            if view.state == .draft {
                h.el(.p, .class("card notice noprint"), .id("draft-note"), text: w["page.report.draft_computed_from_live_data_every_time"])
                if let planDate = view.planStatusDate, planDate != c.statusDate {
                    h.el(.p, .class("card warn noprint"), .id("date-differs"), .role("note"),
                         text: w("page.report.date_differs_from_the_plan", ["report": c.statusDate.description, "plan": planDate.description]))
                }
                let carried = view.carriedOverrides
                if !carried.isEmpty {
                    h.el(.section, .class("card notice noprint"), .id("carried-overrides")) { h in
                        h.el(.b, text: w("page.report.overrides_carried_from", ["date": view.previous?.statusDate.description ?? ""]))
                        h.el(.ul) { h in
                            for o in carried {
                                h.el(.li, .attr("data-area", o.area.rawValue)) { h in
                                    h.text(w.area(o.area) + ": ")
                                    ReportHTML.chip(&h, o.rag, w)
                                    h.text(" " + o.reason)
                                }
                            }
                        }
                        h.el(.p, .class("muted"), text: w["page.report.keep_or_drop_carried_overrides"])
                    }
                }
            }
            if let error { ReportHTML.errorBox(&h, error, w) }
            if p.data.confirmIssue {
                h.el(.section, .class("card warn confirm noprint"), .id("confirm-issue"), .role("alertdialog")) { h in
                    h.el(.p, text: w("page.report.confirm_issue", ["date": c.statusDate.description]))
                    h.postForm(ReportPath.issue(id).href(key), .class("inline-form"), csrf: p.chrome.csrf,
                               hidden: [("version", "\(view.version)"), ("confirmed", "1")]) { h in
                        h.el(.button, .type("submit"), .id("confirm-issue-button"), text: w["page.report.issue"])
                        h.text(" ")
                        h.el(.a, .class("button secondary"), .href(ReportPath.report(id).href(key)), text: w["page.report.not_yet"])
                    }
                }
            }

            // Overall and the areas.
            h.el(.section, .class("card"), .id("status")) { h in
                h.el(.h2, text: w["status.overall"])
                if let overall = c.area(.overall) {
                    h.el(.div, .class("overall"), .id("area-overall"), .attr("data-rag", overall.rag.rawValue)) { h in
                        h.el(.span, .class("overall-chip")) { h in ReportHTML.chip(&h, overall.rag, w) }
                        ReportHTML.reasons(&h, overall, w)
                    }
                }
                h.el(.h3, text: w["status.areas"])
                ReportHTML.areas(&h, c, w)
            }

            ReportHTML.progress(&h, c.metrics, w)
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: w["status.milestones"])
                ReportHTML.milestones(&h, c.metrics.milestones, w)
            }
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: w["status.top_issues"])
                ReportHTML.items(&h, c.topIssues, w, id: "top-issues")
                h.el(.h2, text: w["status.top_risks"])
                ReportHTML.items(&h, c.topRisks, w, id: "top-risks")
            }
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: w["status.decisions_needed"])
                ReportHTML.items(&h, c.decisionsNeeded, w, id: "decisions", decider: true)
            }
            h.el(.section, .class("card"), .id("texts")) { h in
                for (key, text, id) in [("status.work_done", c.done, "done"), ("status.work_next", c.next, "next"), ("status.comment", c.comment, "comment")] {
                    h.el(.h2, text: w[key])
                    ReportHTML.prose(&h, text, w, id: id)
                }
            }

            // Charts: the S-curve from the stored points; the live charts only for a draft.
            h.el(.section, .class("card charts"), .id("charts")) { h in
                h.el(.h2, text: w["status.chart"])
                if c.curve.isEmpty {
                    h.el(.p, .class("muted"), .id("scurve"), text: w["page.report.no_earned_value_data_no_plan_or_baseline"])
                } else {
                    h.el(.div, .class("chart"), .id("scurve")) { h in h.trusted(ChartMarkup.statusSCurve(c, lang: w.lang)) }
                }
                if let heat = p.data.heatMap, let burn = p.data.burnDown {
                    h.el(.div, .class("chart-row")) { h in
                        h.el(.div, .class("chart heatmap"), .id("heatmap")) { h in h.trusted(heat) }
                        h.el(.div, .class("chart"), .id("burndown")) { h in h.trusted(burn) }
                    }
                } else {
                    h.el(.p, .class("muted"), .id("live-charts-note"), text: w["page.report.the_risk_heat_map_and_the_issue_burn"])
                }
            }

            ReportHTML.since(&h, view.comparison, w)

            if view.canEdit { editForms(&h, view, key: key, posted: posted, token: p.chrome.csrf, w) }
            if view.state == .issued && p.data.canCorrect {
                h.el(.section, .class("card noprint"), .id("correct")) { h in
                    h.postForm(ReportPath.correct(id).href(key), .class("inline-form"), .id("correct-form"), csrf: p.chrome.csrf) { h in
                        h.el(.button, text: w["page.report.correct"])
                        h.el(.span, .class("muted"), text: w["page.report.an_issued_report_never_changes_this"])
                    }
                }
            }
        }
        ItemViews.attachments(&h, p.data.attachments, csrf: p.chrome.csrf, p.t, printed: false)
    }

    /// The draft's forms: the PMO's overrides (colour and reason per area), the texts, then Issue and Delete.
    static func editForms(_ h: inout HTMLWriter, _ view: StatusReportView, key: String, posted: [String: String]?, token: String, _ w: ReportWords) {
        let c = view.content
        let version = [("version", "\(view.version)")]
        h.el(.section, .class("card noprint"), .id("edit")) { h in
            h.el(.h2, text: w["page.report.edit_the_report"])
            h.postForm(ReportPath.report(view.id).href(key), .id("edit-form"), .class("report-form"), csrf: token, hidden: version) { h in
                if view.canOverride {
                    h.el(.input, .type("hidden"), .name("withOverrides"), .value("1"))
                    h.el(.fieldset, .class("overrides")) { h in
                        h.el(.legend, text: w["status.override"])
                        h.el(.p, .class("muted"), text: w["page.report.to_override_a_computed_colour_choose_the"])
                        h.el(.table, .class("list"), .id("override-table")) { h in
                            h.tableHead([w["status.area"], w["status.computed"], w["status.override"], w["status.override_reason"]])
                            h.el(.tbody) { h in
                                for area in StatusArea.allCases {
                                    guard let a = c.area(area) else { continue }
                                    overrideRow(&h, area, a, view: view, posted: posted, w)
                                }
                            }
                        }
                    }
                } else if !view.overrides.isEmpty {
                    h.el(.p, .class("muted"), text: w["page.report.only_the_pmo_changes_overrides"])
                }
                for (name, label, value) in [("done", w["status.work_done"], c.done), ("next", w["status.work_next"], c.next), ("comment", w["status.comment"], c.comment)] {
                    h.labelled(label) { h in
                        h.el(.textarea, .name(name), .rows("4"), .maxlength("\(StatusReportRules.textMax)"), text: posted?[name] ?? value)
                    }
                }
                h.el(.div, .class("actions")) { h in h.el(.button, text: w["page.report.save"]) }
            }
            h.postForm(ReportPath.issue(view.id).href(key), .class("inline-form"), .id("issue-form"), csrf: token, hidden: version) { h in
                h.el(.button, text: w["page.report.issue"])
                h.el(.span, .class("muted"), text: w["page.report.issues_the_saved_report_an_issued_report"])
            }
            h.postForm(ReportPath.delete(view.id).href(key), .class("inline-form"), .id("delete-form"), csrf: token) { h in
                h.el(.button, .class("link danger"), text: w["page.report.delete_this_draft"])
            }
        }
    }

    /// One area of the overrides table: its computed colour, the colour the PMO sets (or none) and the reason.
    static func overrideRow(_ h: inout HTMLWriter, _ area: StatusArea, _ a: AreaStatus, view: StatusReportView, posted: [String: String]?, _ w: ReportWords) {
        let stored = view.overrides.first { $0.area == area }
        let chosen = posted?["override.\(area.rawValue)"] ?? stored?.rag.rawValue ?? ""
        let reason = posted?["reason.\(area.rawValue)"] ?? stored?.reason ?? ""
        h.el(.tr) { h in
            h.el(.th, .scope("row")) { h in h.el(.label, .for("override-\(area.rawValue)"), text: w.area(area)) }
            h.el(.td) { h in ReportHTML.chip(&h, a.computed, w) }
            h.el(.td) { h in
                h.el(.select, .name("override.\(area.rawValue)"), .id("override-\(area.rawValue)")) { h in
                    h.el(.option, .value(""), text: w["page.report.no_override"])
                    for rag in [RAG.red, .amber, .green] {
                        h.el(.option, .value(rag.rawValue), .selected(chosen == rag.rawValue), text: w.rag(rag))
                    }
                }
            }
            h.el(.td) { h in
                h.el(.input, .name("reason.\(area.rawValue)"), .maxlength("2000"), .value(reason), .ariaLabel(w["status.override_reason"] + " " + w.area(area)))
            }
        }
    }

    static func compareForm(_ h: inout HTMLWriter, key: String, reports: [StatusReportSummary], a: UUID?, b: UUID?, _ w: ReportWords) {
        h.el(.section, .class("card noprint")) { h in
            h.el(.form, .method("get"), .action(ReportPath.compare.href(key)), .class("inline-form"), .id("compare-form")) { h in
                for (name, chosen, label) in [("a", a, w["page.report.from"]), ("b", b, w["page.report.to"])] {
                    h.labelled(label) { h in
                        h.el(.select, .name(name)) { h in
                            for r in reports {
                                h.el(.option, .value(r.id.uuidString.lowercased()), .selected(r.id == chosen), text: "\(r.statusDate) · \(w.state(r.state))")
                            }
                        }
                    }
                }
                h.el(.button, text: w["page.report.compare_side_by_side"])
            }
        }
    }

    /// Two reports side by side, chosen with the form.
    static func compare(_ h: inout HTMLWriter, _ p: Page<ReportPages.CompareData>) {
        let key = p.data.key
        let w = ReportWords(p.t)
        h.pageHead(w["page.report.status_reports_side_by_side"]) { h in
            h.el(.a, .class("button secondary noprint"), .href(ReportPath.list.href(key)), text: w["page.report.all_reports"])
        }
        compareForm(&h, key: key, reports: p.data.reports, a: p.data.a, b: p.data.b, w)
        if let (va, vb) = p.data.sides { compared(&h, key: key, va, vb, w) }
    }

    /// Two reports in two columns, then what changed from the earlier to the later.
    static func compared(_ h: inout HTMLWriter, key: String, _ va: StatusReportView, _ vb: StatusReportView, _ w: ReportWords) {
        let sides = [va, vb]
        h.el(.article, .class("report-doc")) { h in
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list compare"), .id("compare")) { h in
                    h.el(.thead) { h in
                        h.el(.tr) { h in
                            h.el(.th)
                            for v in sides {
                                h.el(.th) { h in
                                    h.el(.a, .href(ReportPath.report(v.id).href(key)), text: v.content.statusDate.description)
                                    h.text(" ")
                                    ReportHTML.stateChip(&h, v.state, w)
                                }
                            }
                        }
                    }
                    h.el(.tbody) { h in compareRows(&h, sides, w) }
                }
            }
            let (earlier, later) = (va.content.statusDate, va.createdAt) <= (vb.content.statusDate, vb.createdAt) ? (va, vb) : (vb, va)
            ReportHTML.since(&h, StatusComparison.compare(previous: earlier.content, current: later.content), w, id: "changes",
                             title: w("page.report.change_from_to", ["from": earlier.content.statusDate.description, "to": later.content.statusDate.description]))
        }
    }

    /// The rows of the side-by-side table: areas, metrics, the top lists and the texts.
    static func compareRows(_ h: inout HTMLWriter, _ sides: [StatusReportView], _ w: ReportWords) {
        for area in StatusArea.allCases {
            h.el(.tr, .id("cmp-\(area.rawValue)")) { h in
                h.el(.th, .scope("row"), text: w.area(area))
                for v in sides {
                    h.el(.td) { h in
                        if let s = v.content.area(area) {
                            ReportHTML.chip(&h, s.rag, w)
                            ReportHTML.reasons(&h, s, w)
                        } else {
                            h.text("–")
                        }
                    }
                }
            }
        }
        let rows: [(String, (StatusMetrics) -> String)] = [
            ("metric.plannedPercent", { ReportHTML.percent($0.plannedPercent) }), ("metric.earnedPercent", { ReportHTML.percent($0.earnedPercent) }),
            ("metric.spi", { ReportHTML.ratio($0.spi) }), ("metric.cpi", { ReportHTML.ratio($0.cpi) }),
            ("metric.eac", { ReportHTML.yen($0.eac) }), ("metric.bac", { ReportHTML.yen($0.bac) }),
            ("metric.openIssues", { String($0.openIssues) }), ("metric.openRisks", { String($0.openRisks) }),
            ("metric.risksAboveThreshold", { String($0.risksAboveThreshold) }), ("metric.changesPending", { String($0.changesPending) }),
        ]
        for (label, value) in rows {
            h.el(.tr) { h in
                h.el(.th, .scope("row"), text: w[label])
                for v in sides { h.el(.td, .class("num"), text: value(v.content.metrics)) }
            }
        }
        let lists: [(String, (StatusReportContent) -> [ReportItem])] = [
            ("status.top_issues", { $0.topIssues }), ("status.top_risks", { $0.topRisks }), ("status.decisions_needed", { $0.decisionsNeeded }),
        ]
        for (label, list) in lists {
            h.el(.tr) { h in
                h.el(.th, .scope("row"), text: w[label])
                for v in sides {
                    h.el(.td) { h in
                        h.el(.ul, .class("lines")) { h in
                            for i in list(v.content) { ReportHTML.itemLine(&h, i) }
                        }
                    }
                }
            }
        }
        let texts: [(String, (StatusReportContent) -> String)] = [
            ("status.work_done", { $0.done }), ("status.work_next", { $0.next }), ("status.comment", { $0.comment }),
        ]
        for (label, text) in texts {
            h.el(.tr) { h in
                h.el(.th, .scope("row"), text: w[label])
                for v in sides { h.el(.td, .class("prose"), text: text(v.content)) }
            }
        }
    }

    /// A portfolio heading; one that sorts links to its order (worst first), and the current one is marked. (A plain
    /// function rather than one nested in the view's closures: the release build's optimizer crashed on that.)
    static func portfolioHeading(_ h: inout HTMLWriter, _ label: String, _ sort: ReportPages.PortfolioSort?, _ d: ReportPages.PortfolioData) {
        guard let sort else { h.el(.th, text: label); return }
        h.el(.th, .class(d.sort == sort ? "sorted" : nil), .attr("aria-sort", d.sort == sort ? "ascending" : nil)) { h in
            h.el(.a, .href(portfolioHref(d, sort: sort)), text: label)
        }
    }

    /// Each project's latest issued status, one row of colours per project.
    static func portfolio(_ h: inout HTMLWriter, _ p: Page<ReportPages.PortfolioData>) {
        let d = p.data
        let rows = d.rows
        let w = ReportWords(p.t)
        let title = w["page.report.portfolio"]
        h.el(.div, .class("portfolio-doc")) { h in
            h.pageHead(title) { h in
                h.el(.span, .class("muted"), text: w["page.report.each_project_s_latest_issued_status"])
                h.el(.a, .class("button secondary"), .href(AppPath.signals.href), .id("signals-across"), text: w["signals.across"])
                h.el(.a, .class("button secondary"), .href(AppPath.kpis.href), .id("kpis-across"), text: w["kpi.title"])
            }
            if d.total == 0 {
                h.el(.p, .class("card muted"), .id("portfolio"), text: w["page.report.there_is_no_project_whose_status_reports"])
                return
            }
            portfolioFilters(&h, d, w)
            h.el(.p, .class("muted"), .id("portfolio-count"), text: w("page.report.projects_shown", ["shown": "\(rows.count)", "total": "\(d.total)"]))
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list portfolio"), .id("portfolio")) { h in
                    h.el(.thead) { h in
                        h.el(.tr) { h in
                            var headings: [(String, ReportPages.PortfolioSort?)] = [
                                (w["page.report.project"], .key), (w["page.report.managers"], nil), (w["page.report.phase"], nil),
                                (w["status.status_date"], nil),
                            ]
                            headings += StatusArea.allCases.map { (w.area($0), $0 == .overall ? .overall : nil) }
                            headings += [("SPI", .spi), ("CPI", .cpi), (w["page.report.next_milestone"], .slip), (w["page.report.bac_eac"], nil),
                                         (w["page.report.critical_issues"], .critical)]
                            for (label, sort) in headings { portfolioHeading(&h, label, sort, d) }
                        }
                    }
                    h.el(.tbody) { h in
                        for r in rows { portfolioRow(&h, r, timeZone: d.timeZone, w) }
                    }
                }
            }
            h.el(.p, .class("muted"), text: w["page.report.arrows_show_the_change_since_the_report"])
            portfolioBudget(&h, d, p.t)
            if !d.kpis.isEmpty {
                h.el(.section, .id("portfolio-kpis")) { h in
                    KPIViews.projects(&h, d.kpis, months: ReportPages.PortfolioData.kpiMonths, lang: p.chrome.lang, p.t,
                                      heading: p.t("kpi.portfolio_heading", ["n": "\(ReportPages.PortfolioData.kpiMonths)"]))
                    h.el(.p, .class("noprint")) { h in h.el(.a, .href(AppPath.kpis.href), text: p.t["kpi.all"]) }
                }
            }
        }
    }

    /// Budget, ordered, paid, forecast and variance of one fiscal year per project and in total, with the other years
    /// as links (the figures are each project's ledger, or its plan's BAC and EAC).
    static func portfolioBudget(_ h: inout HTMLWriter, _ d: ReportPages.PortfolioData, _ t: Words) {
        guard let budget = d.budget, let year = d.fiscalYear else { return }
        h.el(.section, .class("card"), .id("portfolio-budget")) { h in
            h.el(.h2, text: t["ledger.portfolio_heading"])
            h.el(.p, .class("small muted"), text: t["ledger.portfolio_note"])
            h.el(.p, .class("filters"), .id("portfolio-years")) { h in
                for y in budget.fiscalYears {
                    let label = t("ledger.fiscal_year", ["year": "\(y)"])
                    if y == year { h.el(.strong, text: label) } else {
                        var href = portfolioHref(d, sort: d.sort)
                        href += (href.contains("?") ? "&" : "?") + "fy=\(y)"
                        h.el(.a, .href(href + "#portfolio-budget"), text: label)
                    }
                    h.text(" ")
                }
            }
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list ledger"), .id("portfolio-budget-fy\(year)")) { h in
                    h.tableHead([t["ledger.project"], t["ledger.source"], t["ledger.budget"], t["ledger.ordered"], t["ledger.paid"],
                                 t["ledger.forecast"], t["ledger.variance"]])
                    func cells(_ h: inout HTMLWriter, _ f: PortfolioYearFigures, cell: Tag) {
                        h.el(cell, .class("num"), text: LedgerViews.yen(f.budget))
                        h.el(cell, .class("num"), text: f.ordered.map(LedgerViews.yen) ?? "–")
                        h.el(cell, .class("num"), text: f.paid.map(LedgerViews.yen) ?? "–")
                        h.el(cell, .class("num"), text: LedgerViews.yen(f.forecast))
                        h.el(cell, .class("num")) { h in
                            h.text(LedgerViews.yen(f.variance))
                            if f.variance.amount > 0 { h.text(" "); h.el(.span, .class("flag"), text: t["ledger.over"]) }
                        }
                    }
                    h.el(.tbody) { h in
                        for project in budget.projects {
                            guard let f = project.years[year] else { continue }
                            h.el(.tr, .id("portfolio-budget-\(project.key)")) { h in
                                h.el(.td, .class("name")) { h in
                                    h.el(.a, .href(f.source == .ledger ? ProjectPath.ledger.href(project.key) : ProjectPath.home.href(project.key)),
                                         text: "\(project.key) \(project.name)")
                                }
                                h.el(.td, text: t["ledger.source.\(f.source.rawValue)"])
                                cells(&h, f, cell: .td)
                            }
                        }
                        h.el(.tr, .class("total")) { h in
                            h.el(.th, .attr("colspan", "2"), text: t["ledger.total"])
                            cells(&h, budget.total(year), cell: .th)
                        }
                    }
                }
            }
        }
    }

    /// The portfolio's address with the reader's filters and `sort`.
    static func portfolioHref(_ d: ReportPages.PortfolioData, sort: ReportPages.PortfolioSort) -> String {
        var query: [(String, String?)] = []
        if let colour = d.colour { query.append(("colour", colour.rawValue)) }
        if let phase = d.phase { query.append(("phase", phase)) }
        if sort != .key { query.append(("sort", sort.rawValue)) }
        return AppPath.portfolio.href + (query.isEmpty ? "" : "?" + SitePath.query(query))
    }

    /// Filters by overall colour and phase, and the order, as a plain GET form.
    static func portfolioFilters(_ h: inout HTMLWriter, _ d: ReportPages.PortfolioData, _ w: ReportWords) {
        h.el(.form, .attr("method", "get"), .action(AppPath.portfolio.href), .class("filters noprint"), .id("portfolio-filters")) { h in
            h.labelled(w["status.overall"]) { h in
                h.select("colour", [("", w["page.report.any"])] + [RAG.red, .amber, .green].map { ($0.rawValue, w.rag($0)) },
                         selected: d.colour?.rawValue ?? "")
            }
            h.labelled(w["page.report.phase"]) { h in
                h.select("phase", [("", w["page.report.any"])] + d.phases.map { ($0, w.phase($0)) }, selected: d.phase ?? "")
            }
            h.labelled(w["page.report.order"]) { h in
                h.select("sort", ReportPages.PortfolioSort.allCases.map { ($0.rawValue, w["page.report.sort." + $0.rawValue]) },
                         selected: d.sort.rawValue)
            }
            h.el(.button, .type("submit"), text: w["page.report.show"])
        }
    }

    /// One project of the portfolio: its key and name (to its home), managers, phase, latest issued status date, each
    /// area's colour, the indices, the next milestone and its slip, BAC against EAC, open critical issues, with links.
    static func portfolioRow(_ h: inout HTMLWriter, _ r: PortfolioRow, timeZone: String, _ w: ReportWords) {
        h.el(.tr, .id("p-\(r.projectKey)")) { h in
            h.el(.td) { h in
                h.el(.a, .class("pkey"), .href(ProjectPath.home.href(r.projectKey)), text: r.projectKey)
                h.text(" " + r.projectName)
                h.el(.div, .class("row-links noprint")) { h in
                    h.el(.a, .href(ReportPath.list.href(r.projectKey)), text: w["page.report.reports_link"])
                    h.text(" · ")
                    h.el(.a, .href(PlanPath.wbs.href(r.projectKey)), text: w["page.report.plan_link"])
                    h.text(" · ")
                    h.el(.a, .href(ProjectPath.items(.issue).href(r.projectKey)), text: w["page.report.issues_link"])
                    h.text(" · ")
                    h.el(.a, .href(ProjectPath.kpis.href(r.projectKey)), text: w["kpi.link"])
                }
            }
            h.el(.td, text: r.managers.isEmpty ? "–" : w.list(r.managers))
            h.el(.td, text: w.phase(r.phase))
            guard let latest = r.latest else {
                h.el(.td, .colspan("\(StatusArea.allCases.count + 6)"), .class("muted no-report"), text: w["page.report.no_issued_status_report_yet"])
                return
            }
            // When it was issued is in the cell's title: the table is wide enough already.
            h.el(.td, .class("date"), .title(r.latestIssuedAt.map { w["page.report.issued_2"] + " " + Formatting.instant($0, zone: timeZone) }),
                 text: latest.statusDate.description)
            for area in StatusArea.allCases {
                guard let a = latest.area(area) else { h.el(.td, text: "–"); continue }
                let change = r.comparison?.areas.first { $0.area == area }
                let title = a.reasons.map(w.reason).joined(separator: "; ")
                h.el(.td, .class("area-\(area.rawValue)"), .attr("data-rag", a.rag.rawValue), .title(title)) { h in
                    ReportHTML.chip(&h, a.rag, w)
                    if let change, change.from != nil {
                        h.text(" ")
                        ReportHTML.trend(&h, change.trend, w, compact: true)
                    }
                    if a.override != nil {
                        h.text(" ")
                        h.el(.span, .class("override-mark"), .title(a.overrideReason ?? ""), text: w["page.report.pmo"])
                    }
                }
            }
            let m = latest.metrics
            h.el(.td, .class("num spi"), text: ReportHTML.ratio(m.spi))
            h.el(.td, .class("num cpi"), text: ReportHTML.ratio(m.cpi))
            h.el(.td, .class("next-milestone")) { h in
                guard let next = r.nextMilestone else { h.text("–"); return }
                h.text("◆ " + next.name + " " + next.forecastFinish.description)
                if let slip = next.slipDays {
                    h.text(" ")
                    h.el(.span, .class((slip > 0) ? "slip late" : "slip"), text: "(" + ReportHTML.slip(slip) + ")")
                }
            }
            h.el(.td, .class("num money")) { h in
                h.text(ReportHTML.yen(m.hasPlan ? m.bac : nil))
                h.el(.br)
                h.el(.span, .class(m.eac.map { $0 > m.bac } == true ? "over" : nil), text: ReportHTML.yen(m.eac))
            }
            h.el(.td, .class("num critical")) { h in
                h.el(.a, .href(ProjectPath.items(.issue).href(r.projectKey, query: "priority=critical&open=true")), text: "\(m.openCriticalIssues)")
            }
        }
    }

    /// The kickoff pack: overview, scope, members, phases, the master schedule, issues and risks, meetings, reporting.
    static func kickoff(_ h: inout HTMLWriter, _ p: Page<ReportPages.KickoffData>) {
        let (key, pack) = (p.data.key, p.data.pack)
        let w = ReportWords(p.t)
        h.el(.article, .class("report-doc kickoff"), .id("kickoff")) { h in
            h.pageHead("\(pack.projectKey) \(pack.projectName): \(w["doc.kickoff"])") { h in
                h.el(.div, .class("actions noprint")) { h in
                    h.el(.a, .class("button secondary"), .href(ReportPath.kickoffFile(.markdown).href(key)), text: "Markdown")
                    h.el(.a, .class("button secondary"), .href(ReportPath.kickoffFile(.workbook).href(key)), text: "Excel")
                }
            }

            h.el(.section, .class("card"), .id("overview")) { h in
                h.el(.h2, text: w["kickoff.overview"])
                h.el(.dl, .class("facts pairs")) { h in
                    for (label, value) in [("kickoff.project_key", pack.projectKey), ("kickoff.project_name", pack.projectName),
                                           ("kickoff.business_owner", pack.businessOwner),
                                           ("kickoff.phase", w.phase(pack.phase)),
                                           ("kickoff.start", ReportHTML.date(pack.startDate)), ("kickoff.target", ReportHTML.date(pack.targetDate))] {
                        h.el(.dt, text: w[label])
                        h.el(.dd, text: value.isEmpty ? "–" : value)
                    }
                }
                h.el(.h3, text: w["kickoff.purpose"])
                ReportHTML.prose(&h, pack.purpose, w, id: "purpose")
            }

            h.el(.section, .class("card"), .id("scope")) { h in
                h.el(.h2, text: w["kickoff.scope"])
                bullets(&h, pack.scope, w, id: "scope-list")
                h.el(.h2, text: w["kickoff.systems"])
                bullets(&h, pack.systems, w, id: "systems")
            }

            members(&h, pack, w)
            phases(&h, pack, w)
            organisation(&h, p.data, w)
            systems(&h, p.data, w)

            // The master schedule: milestones and the top-level WBS rows.
            h.el(.section, .class("card"), .id("master-schedule")) { h in
                h.el(.h2, text: w["page.report.master_schedule"])
                h.el(.h3, text: w["status.milestones"])
                ReportHTML.milestones(&h, pack.milestones, w, id: "kickoff-milestones")
                if let chart = p.data.chart {
                    h.el(.div, .class("gantt"), .id("kickoff-gantt")) { h in h.trusted(ChartMarkup.gantt(chart)) }
                }
            }

            h.el(.section, .class("card"), .id("issues-risks")) { h in
                h.el(.h2, text: w["kickoff.issues_risks"])
                h.el(.h3, text: w["status.top_issues"])
                ReportHTML.items(&h, pack.topIssues, w, id: "kickoff-issues")
                h.el(.h3, text: w["status.top_risks"])
                ReportHTML.items(&h, pack.topRisks, w, id: "kickoff-risks")
            }

            meetings(&h, pack, w)

            h.el(.section, .class("card"), .id("reporting")) { h in
                h.el(.h2, text: w["kickoff.reporting"])
                h.el(.ul) { h in
                    h.el(.li, text: w["page.report.weekly_status_report_the_pm_drafts_it"])
                    h.el(.li, text: w["page.report.registers_kept_issues_risks_decisions_q"])
                    if let last = pack.lastReportDate {
                        h.el(.li, .id("last-report")) { h in
                            h.text(w["kickoff.last_report"] + ": ")
                            h.el(.a, .href(ReportPath.list.href(key)), text: last.description)
                        }
                    } else if p.data.readsReports {
                        h.el(.li, .id("last-report"), text: w["kickoff.no_report"])
                    }
                }
            }
        }
    }

    /// The organisation chart (体制図), with its reporting lines and escalation routes.
    static func organisation(_ h: inout HTMLWriter, _ d: ReportPages.KickoffData, _ w: ReportWords) {
        guard let chart = d.orgChart else { return }
        h.el(.section, .class("card"), .id("kickoff-organisation")) { h in
            h.el(.h2, text: w["org.title"])
            h.el(.div, .class("chart sysmap"), .id("kickoff-org-chart")) { h in h.trusted(chart) }
            if !d.raci.rows.isEmpty && !d.raci.units.isEmpty {
                h.el(.h3, text: w["raci.title"])
                h.el(.div, .class("table-wrap")) { h in
                    h.el(.table, .class("list raci"), .id("kickoff-raci")) { h in
                        h.tableHead([w["raci.col.item"]] + d.raci.units.map(\.name))
                        h.el(.tbody) { h in
                            for r in d.raci.rows {
                                h.el(.tr) { h in
                                    h.el(.td, text: r.title)
                                    for u in d.raci.units {
                                        let letter = r.letters[u.number] ?? ""
                                        h.el(.td, .class(letter.isEmpty ? nil : "raci-\(letter)"), text: letter)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h.el(.p, .class("noprint")) { h in
                h.el(.a, .href(ProjectPath.orgChart.href(d.key)), text: w["org.title"])
            }
        }
    }

    /// The system configuration diagram and the IF list summary: interfaces by status, and those past their design
    /// deadline without agreement.
    static func systems(_ h: inout HTMLWriter, _ d: ReportPages.KickoffData, _ w: ReportWords) {
        guard let diagram = d.systemDiagram else { return }
        h.el(.section, .class("card"), .id("system-map")) { h in
            h.el(.h2, text: w["sysmap.title"])
            h.el(.div, .class("chart sysmap"), .id("kickoff-sysmap")) { h in h.trusted(diagram) }
            h.el(.h3, text: w["sysmap.if_summary"])
            h.el(.table, .class("list"), .id("kickoff-if-summary")) { h in
                h.tableHead([w["status"], w["sysmap.col.interfaces"]])
                h.el(.tbody) { h in
                    for status in RegisterKind.interface.statuses {
                        let count = d.systems.interfaces.filter { $0.status == status }.count
                        h.el(.tr) { h in
                            h.el(.td, text: w["rs.interface.\(status)"])
                            h.el(.td, .class("num"), text: "\(count)")
                        }
                    }
                    h.el(.tr, .class("flagged")) { h in
                        h.el(.td, text: w["sysmap.overdue"])
                        h.el(.td, .class("num"), text: "\(d.systems.interfaces.filter(\.overdue).count)")
                    }
                    h.el(.tr, .class("flagged")) { h in
                        h.el(.td, text: w["sysmap.late_for_milestone"])
                        h.el(.td, .class("num"), text: "\(d.systems.interfaces.filter { !$0.lateFor.isEmpty }.count)")
                    }
                    h.el(.tr, .class("flagged")) { h in
                        h.el(.td, text: w["sysmap.env_unavailable"])
                        h.el(.td, .class("num"), text: "\(d.systems.interfaces.filter { !$0.environmentClashes.isEmpty }.count)")
                    }
                }
            }
            h.el(.p, .class("noprint")) { h in
                h.el(.a, .href(ProjectPath.items(.interface).href(d.key)), text: w["nav_interfaces"])
            }
        }
    }

    /// Who is who, by company.
    static func members(_ h: inout HTMLWriter, _ pack: KickoffPack, _ w: ReportWords) {
        h.el(.section, .class("card"), .id("members")) { h in
            h.el(.h2, text: w["kickoff.members"])
            if pack.members.isEmpty { h.el(.p, .class("muted"), text: w["meeting.none"]) }
            var companies: [String] = []
            for m in pack.members where !companies.contains(m.company) { companies.append(m.company) }
            h.el(.div, .class("companies")) { h in
                for (n, company) in companies.enumerated() {
                    h.el(.div, .class("company"), .id("company-\(n + 1)")) { h in
                        h.el(.h3, text: company.isEmpty ? w["page.report.no_company"] : company)
                        h.el(.table, .class("list")) { h in
                            h.tableHead([w["kickoff.name"], w["kickoff.role"]])
                            h.el(.tbody) { h in
                                for m in pack.members where m.company == company {
                                    h.el(.tr) { h in
                                        h.el(.td, text: m.name)
                                        h.el(.td) { h in h.el(.span, .class("role"), text: w.role(m.role)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func phases(_ h: inout HTMLWriter, _ pack: KickoffPack, _ w: ReportWords) {
        h.el(.section, .class("card"), .id("phases")) { h in
            h.el(.h2, text: w["kickoff.phases"])
            if pack.phases.isEmpty {
                h.el(.p, .class("muted"), text: w["meeting.none"])
                return
            }
            h.el(.table, .class("list")) { h in
                h.tableHead([w["kickoff.phase_name"], w["kickoff.definition"], w["kickoff.exit"], w["kickoff.start"], w["kickoff.finish"]])
                h.el(.tbody) { h in
                    for p in pack.phases {
                        h.el(.tr) { h in
                            h.el(.td) { h in h.el(.b, text: p.name) }
                            h.el(.td, text: p.definition)
                            h.el(.td, text: p.exitCriteria)
                            h.el(.td, .class("date"), text: ReportHTML.date(p.start))
                            h.el(.td, .class("date"), text: ReportHTML.date(p.finish))
                        }
                    }
                }
            }
        }
    }

    static func meetings(_ h: inout HTMLWriter, _ pack: KickoffPack, _ w: ReportWords) {
        h.el(.section, .class("card"), .id("meetings")) { h in
            h.el(.h2, text: w["kickoff.meetings"])
            if pack.meetings.isEmpty {
                h.el(.p, .class("muted"), text: w["meeting.none"])
                return
            }
            h.el(.table, .class("list")) { h in
                h.tableHead([w["kickoff.meeting"], w["kickoff.meeting_purpose"], w["meeting.chair"], w["kickoff.frequency"], w["kickoff.time"],
                             w["kickoff.first"], w["kickoff.attendees"]])
                h.el(.tbody) { h in
                    for m in pack.meetings {
                        let r = m.recurrence
                        h.el(.tr) { h in
                            h.el(.td) { h in h.el(.b, text: m.name) }
                            h.el(.td, text: m.purpose)
                            h.el(.td, text: m.chair ?? "–")
                            h.el(.td, text: w.frequency(r.intervalWeeks))
                            h.el(.td, .class("date"), text: "\(w.weekday(m.weekday)) \(MeetingWords.timeRange(start: r.startMinutes, duration: r.durationMinutes))")
                            h.el(.td, .class("date"), text: r.firstDate.description)
                            h.el(.td, text: w.list(m.attendees))
                        }
                    }
                }
            }
        }
    }

    static func bullets(_ h: inout HTMLWriter, _ list: [String], _ w: ReportWords, id: String) {
        if list.isEmpty {
            h.el(.p, .class("muted"), .id(id), text: w["meeting.none"])
            return
        }
        h.el(.ul, .id(id)) { h in
            for s in list { h.el(.li, text: s) }
        }
    }
}
