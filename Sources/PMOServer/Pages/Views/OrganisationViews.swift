import Foundation
import PMOCore
import PMOHTML
import PMOWords

/// The organisation chart's page: the downloads and the chart.
enum OrganisationViews {
    static func chart(_ h: inout HTMLWriter, _ p: Page<OrganisationPages.ChartData>) {
        let d = p.data, t = p.t
        h.pageHead(t["org.title"]) { h in
            h.el(.span, .class("actions")) { h in
                h.el(.a, .class("button secondary"), .href(ProjectPath.orgChartFile("svg").href(d.key)), .id("org-svg"), text: "SVG")
                h.text(" ")
                h.el(.a, .class("button secondary"), .href(ProjectPath.orgChartFile("mmd").href(d.key)), .id("org-mermaid"), text: t["sysmap.mermaid"])
            }
        }
        ShapeTabs.write(&h, key: d.key, group: .organisation, current: "chart", t)
        h.el(.p, .class("muted"), text: t["org.intro"])
        if d.chart.units.isEmpty {
            h.el(.p, .class("card muted"), .id("org-empty"), text: t["org.empty"])
            return
        }
        h.el(.div, .class("chart sysmap"), .id("org-chart")) { h in h.trusted(d.svg) }
    }

    static func raci(_ h: inout HTMLWriter, _ p: Page<OrganisationPages.RaciData>) {
        let d = p.data, t = p.t
        h.pageHead(t["raci.title"]) { h in
            h.el(.span, .class("actions")) { h in
                h.el(.a, .class("button secondary"), .href(ProjectPath.raciTableFile("xlsx").href(d.key)), .id("raci-xlsx"), text: t["trace.workbook"])
                h.text(" ")
                h.el(.a, .class("button secondary"), .href(ProjectPath.items(.raci).href(d.key)), .id("raci-rows"), text: t["raci.rows"])
                if d.canEdit {
                    h.text(" ")
                    h.el(.a, .class("button"), .href(ProjectPath.newItem(.raci).href(d.key)), text: t["new.raci"])
                }
            }
        }
        ShapeTabs.write(&h, key: d.key, group: .organisation, current: "raciTable", t)
        h.el(.p, .class("muted"), text: t["raci.intro"])
        if d.table.rows.isEmpty || d.table.units.isEmpty {
            h.el(.p, .class("card muted"), .id("raci-empty"), text: t["raci.empty"])
            return
        }
        h.el(.div, .class("table-wrap trace-wrap")) { h in
            h.el(.table, .class("trace raci"), .id("raci-table")) { h in
                h.el(.thead) { h in
                    h.el(.tr) { h in
                        h.el(.th, .scope("col"), text: t["raci.col.item"])
                        for u in d.table.units {
                            h.el(.th, .scope("col"), .class("sys"), .attr("title", ItemType.unit.reference(projectKey: d.key, number: u.number))) { h in h.el(.span, text: u.name) }
                        }
                    }
                }
                h.el(.tbody) { h in
                    for r in d.table.rows {
                        h.el(.tr, .id("K\(r.number)")) { h in
                            h.el(.th, .scope("row")) { h in
                                h.el(.a, .href(ProjectPath.item(.raci, r.number).href(d.key)), text: ItemType.raci.reference(projectKey: d.key, number: r.number))
                                h.text(" " + r.title + (r.phase.isEmpty ? "" : " (\(r.phase))"))
                            }
                            for u in d.table.units {
                                let letter = r.letters[u.number] ?? ""
                                h.el(.td, .class(letter.isEmpty ? nil : "hit raci-\(letter)"), .attr("data-u", "\(u.number)"), text: letter)
                            }
                        }
                    }
                }
            }
        }
        h.el(.p, .class("small muted"), text: ["R", "A", "C", "I"].map { "\($0): " + t["raci.letter.\($0)"] }.joined(separator: " · "))
    }
}
