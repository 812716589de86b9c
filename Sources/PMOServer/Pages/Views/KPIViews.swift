import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOStore
import PMOWords

/// The KPIs' views: a project's, and every readable project's pooled with a row per project. Both show the table of
/// KPIs by month, a bar chart per KPI, punctuality by company and how each KPI is counted.
enum KPIViews {
    static func project(_ h: inout HTMLWriter, _ p: Page<KPIPages.ProjectData>) {
        let d = p.data, t = p.t
        head(&h, t("kpi.project_title", ["project": d.key]), action: ProjectPath.kpis.href(d.key),
             xlsx: ProjectPath.kpisWorkbook.href(d.key, query: SitePath.query([("months", "\(d.months)")])), months: d.months, t)
        h.el(.p, .class("muted"), text: t["kpi.intro"])
        body(&h, d.report, chart: { ProjectPath.kpiChart($0.rawValue).href(d.key, query: SitePath.query([("months", "\(d.months)")])) }, lang: p.chrome.lang, t)
    }

    static func across(_ h: inout HTMLWriter, _ p: Page<KPIPages.AcrossData>) {
        let d = p.data, t = p.t
        head(&h, t["kpi.title"], action: AppPath.kpis.href, xlsx: AppPath.kpisWorkbook.href + "?" + SitePath.query([("months", "\(d.months)")]),
             months: d.months, t)
        h.el(.p, .class("muted"), text: t["kpi.intro"] + " " + t["kpi.across_intro"])
        if d.portfolio.projects.isEmpty {
            h.el(.p, .class("card muted"), .id("kpi-no-projects"), text: t["kpi.no_projects"])
            return
        }
        body(&h, d.portfolio.pooled, chart: { AppPath.kpiChart($0.rawValue).href + "?" + SitePath.query([("months", "\(d.months)")]) },
             lang: p.chrome.lang, t)
        projects(&h, d.portfolio.projects, months: d.months, lang: p.chrome.lang, t)
    }

    /// The title, the period's form and the Excel download.
    static func head(_ h: inout HTMLWriter, _ title: String, action: String, xlsx: String, months: Int, _ t: Words) {
        h.pageHead(title) { h in
            h.el(.a, .class("button secondary"), .href(xlsx), .id("kpi-xlsx"), text: t["kpi.download_xlsx"])
        }
        h.el(.form, .attr("method", "get"), .action(action), .class("filters noprint"), .id("kpi-period")) { h in
            h.labelled(t["kpi.months"]) { h in
                let periods = KPIPages.periods.contains(months) ? KPIPages.periods : (KPIPages.periods + [months]).sorted()
                h.select("months", periods.map { ("\($0)", "\($0)") }, selected: "\(months)")
            }
            h.el(.button, .type("submit"), text: t["kpi.show"])
        }
    }

    static func body(_ h: inout HTMLWriter, _ r: KPIReport, chart: (KPICode) -> String, lang: String, _ t: Words) {
        table(&h, r, lang: lang, t)
        h.el(.h2, text: t["kpi.charts"])
        h.el(.div, .class("kpi-charts"), .id("kpi-charts")) { h in
            for code in KPICode.allCases {
                h.el(.figure, .class("kpi-figure"), .id("chart-\(code.rawValue)")) { h in
                    h.trusted(ChartMarkup.kpi(code, months: r.months, values: r.series[code] ?? [], title: t["kpi.code.\(code.rawValue)"], lang: lang))
                    h.el(.figcaption, .class("small muted")) { h in
                        h.text(t["kpi.how.\(code.rawValue)"] + " ")
                        h.el(.a, .href(chart(code)), text: "SVG")
                    }
                }
            }
        }
        companies(&h, r, lang: lang, t)
    }

    /// KPIs by month: one row per KPI, a column per month and the period's value, each with the count behind it.
    static func table(_ h: inout HTMLWriter, _ r: KPIReport, lang: String, _ t: Words) {
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list kpis"), .id("kpi-table")) { h in
                h.tableHead([t["kpi.col.kpi"]] + r.months.enumerated().map { KPIText.monthLabel($1, first: $0 == 0, lang: lang) } + [t["kpi.col.total"]])
                h.el(.tbody) { h in
                    for code in KPICode.allCases {
                        h.el(.tr, .id("kpi-\(code.rawValue)"), .attr("data-kpi", code.rawValue)) { h in
                            h.el(.th, .attr("scope", "row"), .attr("title", t["kpi.how.\(code.rawValue)"])) { h in
                                h.text(t["kpi.code.\(code.rawValue)"])
                                if code.unit != .percent { h.el(.div, .class("small muted"), text: t["kpi.unit_name.\(code.unit.rawValue)"]) }
                            }
                            for v in r.series[code] ?? [] { cell(&h, v, code, lang: lang) }
                            cell(&h, r.totals[code] ?? KPIValue(value: nil, count: 0), code, lang: lang, total: true)
                        }
                    }
                }
            }
        }
    }

    static func cell(_ h: inout HTMLWriter, _ v: KPIValue, _ code: KPICode, lang: String, total: Bool = false) {
        h.el(.td, .class(total ? "num kpi-total" : "num"), .attr("data-value", v.value.map(KPIText.number))) { h in
            // Days are in the row's heading; a share keeps its "%".
            h.text(v.value.map { code.unit == .percent ? KPIText.value(v, code, lang: lang) : KPIText.number($0) } ?? KPIText.value(v, code, lang: lang))
            if v.count > 0 { h.el(.div, .class("small muted"), text: KPIText.count(v, lang: lang)) }
        }
    }

    /// Progress reports on time by company, month by month.
    static func companies(_ h: inout HTMLWriter, _ r: KPIReport, lang: String, _ t: Words) {
        h.el(.h2, text: t["kpi.companies"])
        guard !r.companies.isEmpty else {
            h.el(.p, .class("muted"), .id("kpi-no-companies"), text: t["kpi.companies_none"])
            return
        }
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list kpis"), .id("kpi-companies")) { h in
                h.tableHead([t["kpi.col.company"]] + r.months.enumerated().map { KPIText.monthLabel($1, first: $0 == 0, lang: lang) })
                h.el(.tbody) { h in
                    for c in r.companies {
                        h.el(.tr, .attr("data-company", c.key)) { h in
                            h.el(.th, .attr("scope", "row"), text: c.name)
                            for v in c.onTime { cell(&h, v, .reportsOnTime, lang: lang) }
                        }
                    }
                }
            }
        }
    }

    /// Each project's figures for the period, to its own KPI page.
    static func projects(_ h: inout HTMLWriter, _ projects: [KPIProjectReport], months: Int, lang: String, _ t: Words, heading: String? = nil) {
        h.el(.h2, text: heading ?? t["kpi.projects"])
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list kpis"), .id("kpi-projects")) { h in
                h.el(.thead) { h in
                    h.el(.tr) { h in
                        h.el(.th, text: t["kpi.col.project"])
                        for code in KPICode.allCases {
                            h.el(.th, .attr("title", t["kpi.code.\(code.rawValue)"]),
                                 text: t["kpi.short.\(code.rawValue)"] + (code.unit == .percent ? "" : " " + t["kpi.unit_name.\(code.unit.rawValue)"]))
                        }
                    }
                }
                h.el(.tbody) { h in
                    for p in projects {
                        h.el(.tr, .id("kpi-p-\(p.projectKey)")) { h in
                            h.el(.th, .attr("scope", "row")) { h in
                                h.el(.a, .class("pkey"), .href(ProjectPath.kpis.href(p.projectKey, query: SitePath.query([("months", "\(months)")]))),
                                     text: p.projectKey)
                                h.text(" " + p.projectName)
                            }
                            for code in KPICode.allCases {
                                cell(&h, p.report.totals[code] ?? KPIValue(value: nil, count: 0), code, lang: lang)
                            }
                        }
                    }
                }
            }
        }
    }
}
