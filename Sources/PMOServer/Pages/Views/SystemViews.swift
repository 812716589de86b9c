import Foundation
import PMOCore
import PMOHTML
import PMOStore
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

    /// Free text written before systems and requirements were registers, and what it matches: unmatched values first
    /// for the PMO to settle; matched values a change does not reference yet can be applied in one step.
    static func freeText(_ h: inout HTMLWriter, _ p: Page<SystemPages.FreeTextData>) {
        let d = p.data, t = p.t
        h.pageHead(t["match.title"]) { _ in }
        ShapeTabs.write(&h, key: d.key, group: .systems, current: "matching", t)
        h.el(.p, .class("muted"), text: t["match.intro"])
        if let applied = d.applied { h.el(.p, .class("notice"), .id("match-applied"), text: t("match.applied", ["n": "\(applied)"])) }
        let pending = d.report.rows.filter { $0.source == .change && $0.matched != nil && !$0.referenced }.count
        h.el(.p, .id("match-counts"), text: t("match.counts", ["n": "\(d.report.rows.count)", "unmatched": "\(d.report.unmatched)", "pending": "\(pending)"]))
        if d.canApply && pending > 0 {
            h.postForm(ProjectPath.applyFreeText.href(d.key), .id("match-apply"), csrf: p.chrome.csrf) { h in
                h.el(.button, .type("submit"), text: t["match.apply"])
            }
        }
        if d.report.rows.isEmpty { h.el(.p, .class("card muted"), text: t["match.empty"]); return }
        // One line per distinct value written in a field, with the places it is written: a workstream written on a
        // hundred activities is one thing to settle, not a hundred.
        struct Group { var field: String; var text: String; var matched: ItemReference?; var rows: [FreeTextReport.Row] }
        var groups: [Group] = []
        var index: [String: Int] = [:]
        for r in d.report.rows {
            let field = r.source == .activity ? "match.activity_system" : "rf." + r.field
            let key = field + "\u{1F}" + r.text
            if let i = index[key] { groups[i].rows.append(r) } else {
                index[key] = groups.count
                groups.append(Group(field: field, text: r.text, matched: r.matched, rows: [r]))
            }
        }
        groups = groups.filter { $0.matched == nil } + groups.filter { $0.matched != nil }
        h.el(.section, .class("card")) { h in
            h.el(.table, .class("list"), .id("match-table")) { h in
                h.tableHead([t["match.written"], t["match.field"], t["match.where"], t["match.matches"]])
                h.el(.tbody) { h in
                    for g in groups {
                        h.el(.tr, .class(g.matched == nil ? "flagged" : "")) { h in
                            h.el(.td, text: g.text)
                            h.el(.td, text: t[g.field])
                            h.el(.td) { h in
                                if g.rows.count > 1 { h.el(.strong, text: "\(g.rows.count) ") }
                                for (i, r) in g.rows.prefix(3).enumerated() {
                                    if i > 0 { h.text(", ") }
                                    if r.source == .change {
                                        h.el(.a, .href(ItemPath.href(d.key, .change, r.number)), text: ItemType.change.reference(projectKey: d.key, number: r.number))
                                    } else {
                                        h.text("#\(r.number)")
                                    }
                                    h.text(" " + r.title)
                                }
                                if g.rows.count > 3 { h.text(" …") }
                            }
                            h.el(.td) { h in
                                if let ref = g.matched {
                                    h.el(.a, .href(ItemPath.href(d.key, ref.type, ref.number)), text: ref.type.reference(projectKey: d.key, number: ref.number))
                                    if g.rows.contains(where: { $0.source == .change && !$0.referenced }) { h.text(" · " + t["match.not_referenced"]) }
                                } else {
                                    h.el(.span, .class("flag"), text: t["match.unmatched"])
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
