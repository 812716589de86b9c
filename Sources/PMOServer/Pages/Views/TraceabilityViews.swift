import Foundation
import PMOCore
import PMOHTML
import PMOWords

/// The traceability matrix's page: the gap counts (each a filter), the workbook, and one row per requirement with a
/// column per system.
enum TraceabilityViews {
    static func matrix(_ h: inout HTMLWriter, _ p: Page<TraceabilityPages.MatrixData>) {
        let d = p.data, t = p.t, m = d.matrix
        let base = ProjectPath.traceability.href(d.key)
        h.pageHead(t["trace.title"]) { h in
            h.el(.span, .class("actions")) { h in
                h.el(.a, .class("button secondary"), .href(ProjectPath.traceabilityFile("xlsx").href(d.key)), .id("trace-xlsx"), text: t["trace.workbook"])
            }
        }
        ShapeTabs.write(&h, key: d.key, group: .requirements, current: "traceability", t)
        h.el(.p, .class("muted"), text: t["trace.intro"])
        if m.rows.isEmpty {
            h.el(.p, .class("card muted"), .id("trace-empty"), text: t["trace.empty"])
            return
        }
        let counts = m.gapCounts
        // The gap counts are the filters: each a link to the requirements with that gap.
        h.el(.nav, .class("tabs gap-filters noprint"), .id("trace-gaps"), .ariaLabel(t["trace.gaps"])) { h in
            let links: [(TraceabilityPages.Filter, String)] = [(.all, t["trace.all"] + " \(m.rows.count)"),
                                                              (.anyGap, t["trace.only_gaps"] + " \(m.rows.filter { !$0.gaps.isEmpty }.count)")]
                + TraceabilityMatrix.Gap.allCases.map { (.gap($0), t["trace.gap.\($0.rawValue)"] + " \(counts[$0] ?? 0)") }
            for (filter, label) in links {
                let query = filter == .all ? "" : SitePath.query([("gap", filter.query)])
                h.el(.a, .href(base + (query.isEmpty ? "" : "?" + query)), .class(filter == d.filter ? "on" : nil),
                     .attr("data-gap", filter.query), text: label)
            }
        }
        h.el(.p, .class("small muted"), text: t("trace.counts", ["requirements": "\(m.liveCount)", "systems": "\(m.systems.count)"]))
        if d.rows.isEmpty {
            h.el(.p, .class("card muted"), .id("trace-none"), text: t["trace.none_match"])
            return
        }
        h.el(.div, .class("table-wrap trace-wrap")) { h in
            h.el(.table, .class("trace"), .id("trace-matrix")) { h in
                h.el(.thead) { h in
                    h.el(.tr) { h in
                        h.el(.th, .scope("col"), text: t["trace.col.requirement"])
                        h.el(.th, .scope("col"), text: t["status"])
                        h.el(.th, .scope("col"), text: t["rf.moscow"])
                        for s in m.systems {
                            h.el(.th, .scope("col"), .class("sys"), .attr("title", "\(ItemType.system.reference(projectKey: d.key, number: s.number)) \(s.name)")) { h in
                                h.el(.span, text: s.code.isEmpty ? "S\(s.number)" : s.code)
                            }
                        }
                        h.el(.th, .scope("col"), text: t["trace.col.activities"])
                        h.el(.th, .scope("col"), text: t["trace.col.tests"])
                        h.el(.th, .scope("col"), text: t["trace.col.changes"])
                        h.el(.th, .scope("col"), text: t["trace.gaps"])
                    }
                }
                h.el(.tbody) { h in
                    for r in d.rows { row(&h, r, m.systems, key: d.key, t) }
                }
            }
        }
    }

    static func row(_ h: inout HTMLWriter, _ r: TraceabilityMatrix.Row, _ systems: [TraceabilityMatrix.System], key: String, _ t: Words) {
        let realised = Set(r.systems)
        h.el(.tr, .id("N\(r.number)"), .class(r.status == "dropped" ? "dropped" : nil)) { h in
            h.el(.th, .scope("row")) { h in
                h.el(.a, .href(ProjectPath.item(.requirement, r.number).href(key)), text: ItemType.requirement.reference(projectKey: key, number: r.number))
                h.text(" " + r.title)
            }
            h.el(.td) { h in h.el(.span, .class("status status-\(r.status)"), text: t["rs.requirement.\(r.status)"]) }
            h.el(.td, text: r.moscow.map { t[RegisterFieldSpec.choiceWordKey(field: "moscow", value: $0)] } ?? "")
            for s in systems {
                if realised.contains(s.number) { h.el(.td, .class("hit"), .attr("data-s", "\(s.number)"), text: t["trace.realised"]) } else { h.el(.td) }
            }
            h.el(.td, .class("num"), text: r.activities.isEmpty ? "" : "\(r.activities.count)")
            h.el(.td, .class(r.tests.contains { $0.status == "failed" } ? "num bad" : "num"),
                 text: r.tests.isEmpty ? "" : "\(r.passedTests)/\(r.tests.count)")
            h.el(.td) { h in
                for c in r.changes where c.afterAgreement {
                    h.el(.a, .href(ProjectPath.item(.change, c.number).href(key)), .attr("title", c.title), text: "C\(c.number)")
                    h.text(" ")
                }
            }
            h.el(.td) { h in
                for g in r.gaps { h.el(.span, .class("gap gap-\(g.rawValue)"), text: t["trace.gap.\(g.rawValue)"]) }
            }
        }
    }
}
