import Foundation
import PMOCore
import PMOHTML
import PMOSchedule
import PMOStore
import PMOWords

/// Levelling's views: a plan's levelling page, a scenario beside the current plans (what moves, by how much, because
/// of which conflict, and what it does to each milestone and the finish), and a refused proposal.
enum LevellingViews {
    static func time(_ minutes: Int) -> String { PlanFormat.dateTime(LocalTime(minutes: minutes)) }

    /// Calendar days between two instants, signed ("+3", "−2", "0").
    static func shift(_ from: Int, _ to: Int) -> String {
        let days = LocalTime(minutes: to).date.dayNumber - LocalTime(minutes: from).date.dayNumber
        return days > 0 ? "+\(days)" : days < 0 ? "−\(-days)" : "0"
    }

    static func project(_ h: inout HTMLWriter, _ p: Page<LevellingPages.ProjectData>) {
        let t = p.t, d = p.data, key = d.key
        let w = PlanWords(t)
        h.pageHead(t["lev.title"])
        PlanViews.subnav(&h, key: key, on: .levelling, w)
        h.el(.p, .class("muted"), text: t["lev.intro"])
        if let error = d.error { h.el(.p, .class("alert"), .role("alert"), .id("error"), text: error) }
        let assigned = d.view.snapshot.assignments.count
        let delayed = d.view.snapshot.activities.filter { $0.levelingDelay != .zero }.count
        h.el(.p, .id("levelling-facts"), text: t("lev.facts", ["assignments": "\(assigned)", "resources": "\(d.view.snapshot.resources.count)",
                                                               "delayed": "\(delayed)"]))
        if d.view.canEdit {
            h.el(.section, .class("card"), .id("propose")) { h in
                h.el(.h2, text: t["lev.propose"])
                h.postForm(PlanPath.levelling.href(key), csrf: p.chrome.csrf) { h in
                    h.el(.label) { h in
                        h.el(.input, .type("checkbox"), .name("withinSlack"), .value("1"))
                        h.text(" " + t["lev.within_slack"])
                    }
                    h.el(.p, .class("muted small"), text: t["lev.propose_hint"])
                    h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), .id("propose-level"), text: t["lev.propose"]) }
                }
                h.el(.p) { h in h.el(.a, .href(ResourcePath.load.href + "?" + SitePath.query([("project", key)])), text: t["lev.see_load"]) }
            }
            h.el(.section, .class("card"), .id("priority")) { h in
                h.el(.h2, text: t["lev.priority"])
                h.el(.p, .class("muted small"), text: t["lev.priority_hint"])
                h.postForm(PlanPath.priority.href(key), .class("filters"), csrf: p.chrome.csrf) { h in
                    h.labelled(t["lev.priority"]) { h in
                        h.select("priority", (1...5).map { ("\($0)", t["lev.priority.\($0)"]) }, selected: "\(d.priority)")
                    }
                    h.el(.button, .type("submit"), text: t["res.save"])
                }
            }
            if delayed > 0 {
                h.postForm(PlanPath.levellingClear.href(key), .id("clear-levelling"), csrf: p.chrome.csrf) { h in
                    h.el(.button, .type("submit"), .class("secondary"), text: t("lev.clear", ["n": "\(delayed)"]))
                }
            }
        }
        h.el(.h2, text: t["lev.scenarios"])
        if d.scenarios.isEmpty { h.el(.p, .class("muted"), text: t["lev.no_scenarios"]) }
        h.el(.ul, .id("scenarios")) { h in
            for s in d.scenarios {
                h.el(.li, .attr("data-status", s.status.rawValue)) { h in
                    h.el(.a, .href(ResourcePath.scenario(s.id).href),
                         text: "\(Formatting.instant(s.createdAt, zone: "Asia/Tokyo")) · \(s.projects.map(\.key).joined(separator: ", "))")
                    h.text(" · " + t["lev.status.\(s.status.rawValue)"] + " · ")
                    h.text(t("lev.moves", ["n": "\(s.projects.reduce(0) { $0 + $1.moves.count })"]))
                }
            }
        }
    }

    static func scenario(_ h: inout HTMLWriter, _ p: Page<LevellingPages.ScenarioData>) {
        let t = p.t, d = p.data, s = d.scenario
        h.pageHead(t["lev.scenario"])
        h.el(.p, .id("scenario-status"), .attr("data-status", s.status.rawValue)) { h in
            h.el(.strong, text: t["lev.status.\(s.status.rawValue)"])
            h.text(" · " + t("lev.by", ["who": s.createdBy, "when": Formatting.instant(s.createdAt, zone: "Asia/Tokyo")]))
            if s.withinSlack { h.text(" · " + t["lev.within_slack"]) }
        }
        if let error = d.error { h.el(.p, .class("alert"), .role("alert"), .id("error"), text: error) }
        for project in s.projects { section(&h, project, t) }
        guard s.status == .proposed, d.canDecide else { return }
        h.el(.section, .class("card"), .id("decide")) { h in
            h.el(.h2, text: t["lev.decide"])
            h.el(.p, .class("muted"), text: t["lev.apply_hint"])
            h.postForm(ResourcePath.apply(s.id).href, .class("filters"), .id("apply-form"), csrf: p.chrome.csrf) { h in
                let used = Set(d.baselines.values.flatMap { $0 })
                h.labelled(t["lev.baseline"]) { h in
                    h.select("baseline", [("", t["lev.baseline_next"])] + (0...10).map { n in
                        ("\(n)", used.contains(n) ? t("lev.baseline_replace", ["n": "\(n)"]) : t("lev.baseline_n", ["n": "\(n)"]))
                    }, selected: "")
                }
                h.el(.button, .type("submit"), .id("apply-scenario"), text: t["lev.apply"])
            }
            h.postForm(ResourcePath.discard(s.id).href, .id("discard-form"), csrf: p.chrome.csrf) { h in
                h.el(.button, .type("submit"), .class("secondary"), .id("discard-scenario"), text: t["lev.discard"])
            }
        }
    }

    static func section(_ h: inout HTMLWriter, _ p: ScenarioProject, _ t: Words) {
        h.el(.section, .class("card"), .id("project-\(p.key)")) { h in
            h.el(.h2) { h in
                h.el(.a, .href(PlanPath.gantt.href(p.key)), text: "\(p.key) \(p.name)")
                h.text(" · " + t("lev.priority_is", ["n": "\(p.priority)"]))
            }
            h.el(.table, .class("list compare"), .id("compare-\(p.key)")) { h in
                h.tableHead(["", t["lev.current"], t["lev.levelled"]])
                h.el(.tbody) { h in
                    h.el(.tr, .id("overloads-\(p.key)")) { h in
                        h.el(.th, .attr("scope", "row"), text: t["lev.overloads"])
                        h.el(.td, .class("num"), text: "\(p.overloadsBefore)")
                        h.el(.td, .class("num"), .attr("data-after", "\(p.overloadsAfter)"), text: "\(p.overloadsAfter)")
                    }
                    h.el(.tr, .id("finish-\(p.key)")) { h in
                        h.el(.th, .attr("scope", "row"), text: t["lev.finish"])
                        h.el(.td, text: time(p.finishBefore))
                        h.el(.td, text: time(p.finishAfter) + " (\(shift(p.finishBefore, p.finishAfter)))")
                    }
                    for m in p.milestones {
                        h.el(.tr, .class(m.after != m.before ? "moved" : nil)) { h in
                            h.el(.th, .attr("scope", "row"), text: "◆ " + m.name)
                            h.el(.td, text: time(m.before))
                            h.el(.td, text: time(m.after) + (m.after != m.before ? " (\(shift(m.before, m.after)))" : ""))
                        }
                    }
                }
            }
            if !p.overallocated.isEmpty {
                h.el(.div, .class("alert")) { h in
                    h.el(.p, text: t["lev.overallocated"])
                    h.el(.ul) { h in for o in p.overallocated { h.el(.li, text: o) } }
                }
            }
            h.el(.h3, text: t("lev.moves", ["n": "\(p.moves.count)"]))
            guard !p.moves.isEmpty else {
                h.el(.p, .class("muted"), text: t["lev.nothing_moves"])
                return
            }
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list"), .id("moves-\(p.key)")) { h in
                    h.tableHead([t["lev.col.activity"], t["lev.col.from"], t["lev.col.to"], t["lev.col.days"], t["lev.col.because"]])
                    h.el(.tbody) { h in
                        for m in p.moves {
                            h.el(.tr, .attr("data-uid", "\(m.uid)")) { h in
                                h.el(.td) { h in h.el(.a, .href(PlanPath.activity(m.uid).href(p.key)), text: m.name) }
                                h.el(.td, text: time(m.from))
                                h.el(.td, text: time(m.to))
                                h.el(.td, .class("num"), text: shift(m.from, m.to))
                                h.el(.td, text: m.conflicts.joined(separator: ", "))
                            }
                        }
                    }
                }
            }
        }
    }

    static func refused(_ h: inout HTMLWriter, _ p: Page<String>) {
        h.pageHead(p.t["lev.title"])
        h.el(.p, .class("alert"), .role("alert"), .id("error"), text: p.data)
        h.el(.p) { h in h.el(.a, .href(ResourcePath.load.href), text: p.t["res.nav.load"]) }
    }
}
