import Foundation
import PMOCore
import PMOHTML
import PMOWords

/// The system configuration diagram's page: the grouping, the downloads, the diagram.
enum SystemViews {
    static func diagram(_ h: inout HTMLWriter, _ p: Page<SystemPages.DiagramData>) {
        let d = p.data, t = p.t
        let query = SitePath.query([("group", d.grouping.rawValue)])
        h.pageHead(t["sysmap.title"]) { h in
            h.el(.span, .class("actions")) { h in
                h.el(.a, .class("button secondary"), .href(ProjectPath.systemDiagramFile("svg").href(d.key, query: query)), .id("sysmap-svg"), text: "SVG")
                h.text(" ")
                h.el(.a, .class("button secondary"), .href(ProjectPath.systemDiagramFile("mmd").href(d.key, query: query)), .id("sysmap-mermaid"),
                     text: t["sysmap.mermaid"])
                h.text(" ")
                h.el(.a, .class("button secondary"), .href(ProjectPath.items(.interface).href(d.key)), text: t["nav_interfaces"])
            }
        }
        ShapeTabs.write(&h, key: d.key, group: .systems, current: "diagram", t)
        h.el(.p, .class("muted"), text: t["sysmap.intro"])
        h.el(.form, .attr("method", "get"), .action(ProjectPath.systemDiagram.href(d.key)), .class("filters noprint"), .id("sysmap-group")) { h in
            h.labelled(t["sysmap.group"]) { h in
                h.select("group", SystemPages.Grouping.allCases.map { ($0.rawValue, t["sysmap.group.\($0.rawValue)"]) }, selected: d.grouping.rawValue)
            }
            h.el(.button, .type("submit"), text: t["sysmap.show"])
        }
        if d.map.systems.isEmpty {
            h.el(.p, .class("card muted"), .id("sysmap-empty"), text: t["sysmap.empty"])
            return
        }
        h.el(.p, .class("small muted"), text: t("sysmap.counts", ["systems": "\(d.map.systems.count)", "interfaces": "\(d.map.interfaces.count)"]))
        h.el(.div, .class("chart sysmap"), .id("sysmap")) { h in h.trusted(d.diagram) }
    }
}
