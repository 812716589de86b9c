import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOSchedule
import PMOStore
import PMOWords

/// The resource pages' views: the list with its form, one resource with its absences, and the overload map.
enum ResourceViews {
    static func subnav(_ h: inout HTMLWriter, on current: ResourcePath, _ t: Words) {
        h.el(.nav, .class("plan-nav")) { h in
            for (path, label) in [(ResourcePath.list, t["res.nav.list"]), (.load, t["res.nav.load"])] {
                h.el(.a, .href(path.href), .class(path == current ? "on" : nil), text: label)
            }
        }
    }

    static func capacityText(_ r: ResourceView, _ t: Words) -> String {
        r.kind == .equipment ? t("res.units", ["n": PlanFormat.number(Double(r.capacity.percent) / 100)])
            : t("res.percent_hours", ["n": "\(r.capacity.percent)", "h": PlanFormat.number(ResourceRules.hoursPerDay(percent: r.capacity.percent))])
    }

    static func list(_ h: inout HTMLWriter, _ p: Page<ResourcePages.ListData>) {
        let t = p.t, d = p.data
        h.pageHead(t["res.title"]) { h in
            h.el(.a, .class("button secondary"), .href(ResourcePath.load.href), .id("open-load-map"), text: t["res.nav.load"])
        }
        subnav(&h, on: .list, t)
        h.el(.p, .class("muted"), text: t["res.intro"])
        h.formErrors(d.errors)
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list"), .id("resources")) { h in
                h.tableHead([t["res.col.name"], t["res.col.kind"], t["res.col.company"], t["res.col.role"], t["res.col.capacity"],
                             t["res.col.absences"]])
                h.el(.tbody) { h in
                    for r in d.resources {
                        h.el(.tr, .attr("data-kind", r.kind.rawValue)) { h in
                            h.el(.td) { h in h.el(.a, .href(ResourcePath.resource(r.id).href), text: r.name) }
                            h.el(.td, text: t["res.kind.\(r.kind.rawValue)"])
                            h.el(.td, text: r.companyName ?? "")
                            h.el(.td, text: r.role)
                            h.el(.td, .class("num"), text: capacityText(r, t))
                            h.el(.td, text: r.capacity.absences.map { "\($0.start)…\($0.end)" }.joined(separator: ", "))
                        }
                    }
                }
            }
        }
        if d.resources.isEmpty { h.el(.p, .class("muted"), text: t["res.none"]) }
        guard d.canManage else { return }
        h.el(.section, .class("card"), .id("add-resource")) { h in
            h.el(.h2, text: t["res.add"])
            h.postForm(ResourcePath.list.href, .id("resource-form"), csrf: p.chrome.csrf) { h in
                fields(&h, nil, companies: d.companies, t)
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["res.add"]) }
            }
        }
    }

    /// The fields of a resource's form (empty for a new one).
    static func fields(_ h: inout HTMLWriter, _ r: ResourceView?, companies: [CompanyRecord], _ t: Words) {
        h.el(.div, .class("grid")) { h in
            h.labelled(t["res.col.name"]) { h in
                h.el(.input, .name("name"), .value(r?.name), .required, .maxlength("\(ResourceRules.nameMax)"))
            }
            h.labelled(t["res.col.kind"]) { h in
                h.select("kind", ResourceKind.allCases.map { ($0.rawValue, t["res.kind.\($0.rawValue)"]) }, selected: r?.kind.rawValue ?? "person")
            }
            h.labelled(t["res.col.company"]) { h in
                h.select("companyId", [("", t["res.no_company"])] + companies.compactMap { c in c.id.map { ($0.uuidString.lowercased(), c.name) } },
                         selected: r?.companyID?.uuidString.lowercased() ?? "")
            }
            h.labelled(t["res.col.role"]) { h in h.el(.input, .name("role"), .value(r?.role), .maxlength("\(ResourceRules.nameMax)")) }
            h.labelled(t["res.col.capacity_percent"]) { h in
                h.el(.input, .name("capacityPercent"), .value("\(r?.capacity.percent ?? 100)"), .attr("inputmode", "decimal"),
                     .attr("aria-describedby", "capacity-hint"), .required)
            }
            h.labelled(t["res.col.email"]) { h in h.el(.input, .type("email"), .name("email"), .value(r?.email)) }
            h.labelled(t["res.col.skills"]) { h in h.el(.input, .name("skills"), .value(r?.skills), .maxlength("\(ResourceRules.textMax)")) }
        }
        h.labelled(t["res.col.changes"]) { h in
            h.el(.textarea, .name("capacityChanges"), .rows("2"), .placeholder("2027-04-01 50"),
                 text: r?.capacity.changes.map { "\($0.from) \($0.percent)" }.joined(separator: "\n") ?? "")
        }
        h.el(.p, .class("muted small"), .id("capacity-hint"), text: t["res.changes_hint"])
        if let user = r?.userID { h.el(.input, .type("hidden"), .name("userId"), .value(user.uuidString.lowercased())) }
        h.labelled(t["res.col.notes"]) { h in h.el(.textarea, .name("notes"), .rows("2"), text: r?.notes ?? "") }
    }

    static func resource(_ h: inout HTMLWriter, _ p: Page<ResourcePages.ResourceData>) {
        let t = p.t, d = p.data, r = d.resource
        h.pageHead(r.name) { h in
            h.el(.a, .class("button secondary"), .href(ResourcePath.load.href + "?" + SitePath.query([("role", r.role)])), text: t["res.nav.load"])
        }
        subnav(&h, on: .list, t)
        h.formErrors(d.errors)
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts pairs"), .id("resource-facts")) { h in
                for (label, value) in [(t["res.col.kind"], t["res.kind.\(r.kind.rawValue)"]), (t["res.col.company"], r.companyName ?? ""),
                                       (t["res.col.role"], r.role), (t["res.col.capacity"], capacityText(r, t)),
                                       (t["res.col.number"], "\(r.number)")] {
                    h.el(.dt, text: label)
                    h.el(.dd, text: value)
                }
            }
        }
        h.el(.section, .class("card"), .id("absences")) { h in
            h.el(.h2, text: t["res.absences"])
            if r.capacity.absences.isEmpty { h.el(.p, .class("muted"), text: t["res.no_absences"]) }
            h.el(.ul) { h in
                for a in r.capacity.absences {
                    h.el(.li, .class("absence")) { h in
                        h.text("\(a.start) – \(a.end)" + (a.note.isEmpty ? "" : " · \(a.note)") + " ")
                        if d.canRecordAbsence {
                            h.postForm(ResourcePath.deleteAbsence(r.id, a.id).href, .class("inline"), csrf: p.chrome.csrf) { h in
                                h.el(.button, .type("submit"), .class("link"), text: t["res.remove"])
                            }
                        }
                    }
                }
            }
            if d.canRecordAbsence {
                h.postForm(ResourcePath.absences(r.id).href, .class("filters"), .id("absence-form"), csrf: p.chrome.csrf) { h in
                    h.labelled(t["res.absence.start"]) { h in h.el(.input, .type("date"), .name("start"), .required) }
                    h.labelled(t["res.absence.end"]) { h in h.el(.input, .type("date"), .name("end"), .required) }
                    h.labelled(t["res.col.notes"]) { h in h.el(.input, .name("note"), .maxlength("\(ResourceRules.textMax)")) }
                    h.el(.button, .type("submit"), text: t["res.absence.add"])
                }
            }
        }
        guard d.canManage else { return }
        if r.kind == .placeholder {
            h.el(.section, .class("card"), .id("swap")) { h in
                h.el(.h2, text: t["res.swap"])
                h.el(.p, .class("muted"), text: t["res.swap_hint"])
                h.postForm(ResourcePath.swap(r.id).href, .class("filters"), csrf: p.chrome.csrf) { h in
                    h.labelled(t["res.kind.person"]) { h in
                        h.select("person", d.people.map { ($0.id.uuidString.lowercased(), $0.name + ($0.role.isEmpty ? "" : " (\($0.role))")) },
                                 selected: d.people.first { $0.role == r.role }?.id.uuidString.lowercased())
                    }
                    h.el(.button, .type("submit"), text: t["res.swap"])
                }
            }
        }
        h.el(.section, .class("card"), .id("edit-resource")) { h in
            h.el(.h2, text: t["res.edit"])
            h.postForm(ResourcePath.resource(r.id).href, .id("resource-form"), csrf: p.chrome.csrf, hidden: [("version", "\(r.version)")]) { h in
                fields(&h, r, companies: d.companies, t)
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["res.save"]) }
            }
            h.postForm(ResourcePath.delete(r.id).href, .class("inline"), csrf: p.chrome.csrf) { h in
                h.el(.button, .type("submit"), .class("link danger"), text: t["res.delete"])
            }
        }
    }

    static func load(_ h: inout HTMLWriter, _ p: Page<ResourcePages.LoadData>) {
        let t = p.t, d = p.data, map = d.map
        var query: [(String, String)] = [("scale", d.query.scale.rawValue), ("from", d.query.from.description), ("count", "\(d.query.count)")]
        if let c = d.query.companyID { query.append(("company", c.uuidString.lowercased())) }
        if let r = d.query.role, !r.isEmpty { query.append(("role", r)) }
        if let k = d.query.projectKey { query.append(("project", k)) }
        let q = SitePath.query(query)
        h.pageHead(t["res.load.title"]) { h in
            h.el(.a, .class("button secondary"), .href(ResourcePath.loadWorkbook.href + "?" + q), .id("load-xlsx"), text: t["kpi.download_xlsx"])
            h.el(.a, .class("button secondary"), .href(ResourcePath.loadSVG.href + "?" + q), .id("load-svg"), text: "SVG")
        }
        subnav(&h, on: .load, t)
        h.el(.p, .class("muted"), text: t["res.load.intro"])
        h.el(.form, .attr("method", "get"), .action(ResourcePath.load.href), .class("filters noprint"), .id("load-filters")) { h in
            h.labelled(t["res.scale"]) { h in
                h.select("scale", LoadPeriods.Scale.allCases.map { ($0.rawValue, t["res.scale.\($0.rawValue)"]) }, selected: d.query.scale.rawValue)
            }
            h.labelled(t["res.from"]) { h in h.el(.input, .type("date"), .name("from"), .value(d.query.from.description)) }
            h.labelled(t["res.count"]) { h in
                h.el(.input, .type("number"), .name("count"), .value("\(d.query.count)"), .attr("min", "1"), .attr("max", "\(LoadMapQuery.maxCount)"))
            }
            h.labelled(t["res.col.company"]) { h in
                h.select("company", [("", t["res.all"])] + d.companies.map { ($0.id.uuidString.lowercased(), $0.name) },
                         selected: d.query.companyID?.uuidString.lowercased() ?? "")
            }
            h.labelled(t["res.col.role"]) { h in
                h.select("role", [("", t["res.all"])] + d.roles.map { ($0, $0) }, selected: d.query.role ?? "")
            }
            h.labelled(t["res.col.project"]) { h in
                h.select("project", [("", t["res.all"])] + map.projects.map { ($0.key, "\($0.key) \($0.name)") } +
                         (d.query.projectKey.map { k in map.projects.contains { $0.key == k } ? [] : [(k, k)] } ?? []),
                         selected: d.query.projectKey ?? "")
            }
            h.el(.button, .type("submit"), text: t["kpi.show"])
        }
        legend(&h, t)
        if map.rows.isEmpty {
            h.el(.p, .class("card muted"), .id("load-empty"), text: t["res.load.empty"])
        } else {
            grid(&h, map, t)
        }
        if !map.roles.isEmpty {
            h.el(.h2, text: t["res.roles"])
            h.el(.p, .class("muted"), text: t["res.roles_hint"])
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list load-map"), .id("role-map")) { h in
                    h.tableHead([t["res.col.role"]] + map.periods.starts.map { String($0.description.dropFirst(5)) })
                    h.el(.tbody) { h in
                        for role in map.roles {
                            h.el(.tr) { h in
                                h.el(.th, .attr("scope", "row"), text: role.role)
                                for (demand, supply) in zip(role.demand, role.supply) {
                                    let level = LoadLevel(load: demand, capacity: supply)
                                    h.el(.td, .class("load-cell load-\(level.rawValue)"),
                                         .title(t("res.role_cell", ["demand": PlanFormat.number(Double(demand) / 100), "supply": PlanFormat.number(Double(supply) / 100)])),
                                         text: demand > 0 ? "\(PlanFormat.number(Double(demand) / 100))/\(PlanFormat.number(Double(supply) / 100))" : "")
                                }
                            }
                        }
                    }
                }
            }
        }
        if !d.levellable.isEmpty {
            h.el(.section, .class("card"), .id("level-across")) { h in
                h.el(.h2, text: t["lev.across"])
                h.el(.p, .class("muted"), text: t["lev.across_hint"])
                h.postForm(ResourcePath.propose.href, csrf: p.chrome.csrf) { h in
                    h.el(.div, .class("checks")) { h in
                        for (key, name) in d.levellable {
                            h.el(.label) { h in
                                h.el(.input, .type("checkbox"), .name("project"), .value(key), .checked(map.projects.contains { $0.key == key }))
                                h.text(" \(key) \(name)")
                            }
                        }
                    }
                    h.el(.label) { h in
                        h.el(.input, .type("checkbox"), .name("withinSlack"), .value("1"))
                        h.text(" " + t["lev.within_slack"])
                    }
                    h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), .id("propose-across"), text: t["lev.propose"]) }
                }
            }
        }
    }

    static func legend(_ h: inout HTMLWriter, _ t: Words) {
        h.el(.p, .class("load-legend small")) { h in
            for level in LoadLevel.allCases {
                h.el(.span, .class("load-cell load-\(level.rawValue)"), text: t["res.level.\(level.rawValue)"])
                h.text(" ")
            }
        }
    }

    /// Person × period: each cell shows load as a percentage of capacity, coloured by level, with the assignments
    /// behind it (and the unnamed share of other projects) in its details.
    static func grid(_ h: inout HTMLWriter, _ map: LoadMap, _ t: Words) {
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list load-map"), .id("load-map")) { h in
                h.tableHead([t["res.col.resource"]] + map.periods.starts.map { String($0.description.dropFirst(5)) })
                h.el(.tbody) { h in
                    for row in map.rows {
                        h.el(.tr, .attr("data-resource", "\(row.resource.number)"), .attr("data-overloaded", "\(row.overloadedPeriods)")) { h in
                            h.el(.th, .attr("scope", "row")) { h in
                                h.el(.a, .href(ResourcePath.resource(row.resource.id).href), text: row.resource.name)
                                let detail = [row.resource.companyName ?? "", row.resource.role].filter { !$0.isEmpty }.joined(separator: " · ")
                                if !detail.isEmpty { h.el(.div, .class("small muted"), text: detail) }
                            }
                            for (i, c) in row.cells.enumerated() {
                                cell(&h, c, period: map.periods.starts[i], t)
                            }
                        }
                    }
                }
            }
        }
    }

    static func cell(_ h: inout HTMLWriter, _ c: LoadCell, period: CivilDate, _ t: Words) {
        let days = { (v: Int) in PlanFormat.number(Double(v) / 100) }
        let summary = t("res.cell", ["load": days(c.load), "capacity": days(c.capacity)])
        h.el(.td, .class("load-cell load-\(c.level.rawValue)"), .attr("data-level", c.level.rawValue), .attr("data-period", period.description),
             .title(summary)) { h in
            let ratio = LoadMapReport.ratio(load: c.load, capacity: c.capacity)
            guard !ratio.isEmpty else { return }
            h.el(.details) { h in
                h.el(.summary, text: ratio)
                h.el(.div, .class("small")) { h in
                    h.el(.div, text: summary)
                    h.el(.ul) { h in
                        for w in c.work.prefix(8) {
                            h.el(.li) { h in
                                h.el(.a, .href(PlanPath.activity(w.activityUID).href(w.projectKey)), text: "\(w.projectKey) \(w.activityName)")
                                h.text(" " + days(w.percent))
                            }
                        }
                        if c.work.count > 8 { h.el(.li, text: "…") }
                        if c.otherProjects > 0 { h.el(.li, .class("muted"), text: t["res.other_projects"] + " " + days(c.otherProjects)) }
                    }
                }
            }
        }
    }
}
