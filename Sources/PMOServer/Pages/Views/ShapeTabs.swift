import Foundation
import PMOCore
import PMOHTML
import PMOWords

/// The project's shape takes two entries of the project menu, each with tabs over its pages: the systems (systems,
/// interfaces, business functions, the configuration diagram) and the requirements (requirements, tests, the
/// traceability matrix). Keeps the menu short enough for one line at 1440 px.
enum ShapeTabs {
    enum Group { case systems, requirements, organisation }

    /// The menu section that stands for each page section of a group.
    static func menuSection(for section: String) -> String {
        switch section {
        case "interfaces", "functions", "systems": "systems"
        case "tests", "traceability", "requirements": "requirements"
        case "units", "escalations", "chart", "raci", "raciTable": "units"
        default: section
        }
    }

    static func group(of type: ItemType) -> Group? {
        switch type {
        case .system, .interface, .function: .systems
        case .requirement, .test: .requirements
        case .unit, .escalation, .raci: .organisation
        default: nil
        }
    }

    /// The tab strip of `group`, with `current` (a page section: `systems`, `interfaces`, `diagram`, ...) on.
    static func write(_ h: inout HTMLWriter, key: String, group: Group, current: String, _ t: Words) {
        let tabs: [(String, String, String)] = switch group {
        case .systems:
            [(ProjectPath.items(.system).href(key), "systems", t["nav_systems"]),
             (ProjectPath.items(.interface).href(key), "interfaces", t["nav_interfaces"]),
             (ProjectPath.items(.function).href(key), "functions", t["nav_functions"]),
             (ProjectPath.systemDiagram.href(key), "diagram", t["nav_diagram"]),
             (ProjectPath.freeText.href(key), "matching", t["match.tab"])]
        case .requirements:
            [(ProjectPath.items(.requirement).href(key), "requirements", t["nav_requirements"]),
             (ProjectPath.items(.test).href(key), "tests", t["nav_tests"]),
             (ProjectPath.traceability.href(key), "traceability", t["trace.tab"])]
        case .organisation:
            [(ProjectPath.items(.unit).href(key), "units", t["nav_units"]),
             (ProjectPath.items(.escalation).href(key), "escalations", t["nav_escalations"]),
             (ProjectPath.orgChart.href(key), "chart", t["org.tab"]),
             (ProjectPath.raciTable.href(key), "raciTable", t["raci.tab"])]
        }
        h.el(.nav, .class("tabs noprint"), .id("shape-tabs"), .ariaLabel(t[group == .systems ? "nav_systems" : (group == .requirements ? "nav_requirements" : "nav_units")])) { h in
            for (href, section, label) in tabs {
                // The RACI rows' list is the RACI table's tab too.
                let on = section == current || (section == "raciTable" && current == "raci")
                h.el(.a, .href(href), .class(on ? "on" : nil), .attr("aria-current", on ? "page" : nil), text: label)
            }
        }
    }
}
