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
}
