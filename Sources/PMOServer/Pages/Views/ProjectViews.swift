import PMOCore
import PMOHTML

/// The project list, a project's home, its details form and its members.
enum ProjectViews {
    static func list(_ h: inout HTMLWriter, _ p: Page<ProjectPages.ListData>) {
        let t = p.t, d = p.data
        h.el(.h1, text: t["projects"])
        if d.projects.isEmpty {
            h.el(.p, .class("muted"), text: t["no_items"])
        } else {
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list")) { h in
                    h.tableHead([t["key"], t["name"], t["project_health"], t["phase"], t["status"], t["start_date"], t["target_date"], t["my_role"]])
                    h.el(.tbody) { h in
                        for r in d.projects {
                            let href = ProjectPath.home.href(r.key)
                            h.el(.tr) { h in
                                h.el(.td) { h in h.el(.a, .href(href)) { h in h.el(.strong, text: r.key) } }
                                h.el(.td) { h in h.el(.a, .href(href), text: r.name) }
                                health(&h, r, ReportWords(t))
                                h.el(.td, text: r.phase)
                                h.el(.td, text: r.status)
                                h.el(.td, .class("num"), text: r.start)
                                h.el(.td, .class("num"), text: r.target)
                                h.el(.td, text: r.role)
                            }
                        }
                    }
                }
            }
        }
        guard d.canCreate else { return }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: t["new_project"])
            h.formErrors(d.errors)
            h.postForm(AppPath.projects.href, .class("grid"), csrf: p.chrome.csrf) { h in
                h.labelled(t["key"]) { h in
                    h.el(.input, .name("key"), .value(d.form["key"] ?? ""), .pattern("[A-Z][A-Z0-9]{1,9}"), .maxlength("10"), .required, .placeholder("CRM"))
                }
                h.labelled(t["name"], .class("wide")) { h in h.el(.input, .name("name"), .value(d.form["name"] ?? ""), .maxlength("200"), .required) }
                h.choiceField(t["phase"], "phase", d.phases)
                h.labelled(t["business_owner"]) { h in h.el(.input, .name("businessOwner"), .value(d.form["businessOwner"] ?? ""), .maxlength("200")) }
                h.labelled(t["start_date"]) { h in h.el(.input, .type("date"), .name("startDate"), .value(d.form["startDate"] ?? "")) }
                h.labelled(t["target_date"]) { h in h.el(.input, .type("date"), .name("targetDate"), .value(d.form["targetDate"] ?? "")) }
                h.labelled(t["description"], .class("wide")) { h in h.el(.textarea, .name("description"), .rows("3"), text: d.form["description"] ?? "") }
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["create"]) }
            }
        }
    }

    static func home(_ h: inout HTMLWriter, _ p: Page<ProjectPages.HomeData>) {
        let t = p.t, d = p.data
        h.el(.div, .class("head")) { h in
            h.el(.h1) { h in
                h.el(.span, .class("pkey"), text: d.key)
                h.text(" " + d.name)
            }
            if d.canEdit {
                h.el(.a, .class("button secondary"), .href(ProjectPath.edit.href(d.key)), text: t["edit"])
                h.el(.a, .class("button secondary"), .href(ProjectPath.webhooks.href(d.key)), .id("webhooks-link"), text: t["webhooks.link"])
            }
        }
        h.el(.dl, .class("facts")) { h in
            h.fact(t["phase"]) { $0.text(d.phase) }
            h.fact(t["status"]) { $0.text(d.status) }
            h.fact(t["business_owner"]) { $0.text(d.businessOwner) }
            h.fact(t["start_date"], .class("num")) { $0.text(d.start) }
            h.fact(t["target_date"], .class("num")) { $0.text(d.target) }
            h.fact(t["my_role"]) { $0.text(d.role) }
        }
        if !d.description.isEmpty { h.el(.p, .class("prose"), text: d.description) }
        CockpitViews.cockpit(&h, d.health, key: d.key, ReportWords(t))
        h.el(.section, .class("tiles")) { h in
            h.el(.h2, text: t["attention"])
            h.el(.div, .class("tile-row")) { h in for c in d.attention { tile(&h, c, warn: c.count > 0) } }
            h.el(.h2, text: t["counts"])
            h.el(.div, .class("tile-row")) { h in for c in d.counts { tile(&h, c, warn: false) } }
        }
        h.el(.section) { h in
            h.el(.h2, text: t["open_issues"])
            IssueViews.rows(&h, d.urgent, key: d.key, t)
            h.el(.p) { h in h.el(.a, .href(ProjectPath.items(.issue).href(d.key)), text: t["issues"] + " →") }
        }
    }

    /// A project's overall colour in its latest issued report, the trend since the one before, and the report's date.
    static func health(_ h: inout HTMLWriter, _ r: ProjectPages.ProjectRow, _ w: ReportWords) {
        guard let latest = r.health?.latest, let overall = latest.area(.overall) else {
            h.el(.td, .class("muted"), text: "–")
            return
        }
        h.el(.td, .class("health"), .attr("data-rag", overall.rag.rawValue), .title(overall.reasons.map(w.reason).joined(separator: "; "))) { h in
            ReportHTML.chip(&h, overall.rag, w)
            if let change = r.health?.comparison?.areas.first(where: { $0.area == .overall }), change.from != nil {
                h.text(" ")
                ReportHTML.trend(&h, change.trend, w, compact: true)
            }
            h.el(.span, .class("muted small"), text: " " + latest.statusDate.description)
        }
    }

    static func tile(_ h: inout HTMLWriter, _ c: ProjectPages.Count, warn: Bool) {
        h.el(.a, .class(warn ? "tile warn" : "tile"), .href(c.link)) { h in
            h.el(.span, .class("n"), text: "\(c.count)")
            h.el(.span, .class("l"), text: c.label)
        }
    }

    static func edit(_ h: inout HTMLWriter, _ p: Page<ProjectPages.EditData>) {
        let t = p.t, d = p.data
        h.el(.h1, text: p.chrome.title)
        h.formErrors(d.errors)
        h.postForm(ProjectPath.edit.href(d.key), .class("grid card"), csrf: p.chrome.csrf, hidden: [("version", "\(d.version)")]) { h in
            h.labelled(t["name"], .class("wide")) { h in h.el(.input, .name("name"), .value(d.name), .maxlength("200"), .required) }
            h.choiceField(t["phase"], "phase", d.phases)
            h.choiceField(t["status"], "status", d.statuses)
            h.labelled(t["business_owner"]) { h in h.el(.input, .name("businessOwner"), .value(d.businessOwner), .maxlength("200")) }
            h.labelled(t["start_date"]) { h in h.el(.input, .type("date"), .name("startDate"), .value(d.start)) }
            h.labelled(t["target_date"]) { h in h.el(.input, .type("date"), .name("targetDate"), .value(d.target)) }
            h.labelled(t["description"], .class("wide")) { h in h.el(.textarea, .name("description"), .rows("4"), text: d.description) }
            h.el(.div, .class("actions")) { h in
                h.el(.button, .type("submit"), text: t["save"])
                h.text(" ")
                h.el(.a, .href(ProjectPath.home.href(d.key)), text: t["cancel"])
            }
        }
    }

    static func members(_ h: inout HTMLWriter, _ p: Page<ProjectPages.MembersData>) {
        let t = p.t, d = p.data, csrf = p.chrome.csrf
        let key = p.chrome.projectKey ?? ""
        h.el(.h1, text: t["members"])
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list members")) { h in
                h.tableHead([t["name"], t["email"], t["company"], t["role"]] + (d.canManage ? [""] : []))
                h.el(.tbody) { h in
                    for m in d.members {
                        h.el(.tr) { h in
                            h.el(.td) { h in
                                h.text(m.name)
                                h.el(.span, .class("phone-only muted"), text: m.email)
                            }
                            h.el(.td, text: m.email)
                            h.el(.td, text: m.company)
                            h.el(.td) { h in h.el(.span, .class("role role-\(m.role)"), text: m.roleLabel) }
                            guard d.canManage else { return }
                            h.el(.td) { h in
                                h.postForm(ProjectPath.removeMember(m.userId).href(key), .class("inline"), csrf: csrf) { h in
                                    h.el(.button, .type("submit"), .class("link danger"), text: t["remove"])
                                }
                            }
                        }
                    }
                }
            }
        }
        guard d.canManage else { return }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: t["add_member"])
            h.postForm(ProjectPath.addMember.href(key), .class("grid"), csrf: csrf) { h in
                h.labelled(t["user"], .class("wide")) { h in h.select("userId", d.users, .required) }
                h.choiceField(t["role"], "role", d.roles)
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["save"]) }
            }
        }
    }
}
