import PMOCore
import PMOWords
import PMOHTML

/// The issue register's pages: list, detail (details, comments, links, history) and the form.
enum IssueViews {
    /// The row classes that make an issue stand out.
    static func rowClass(_ r: IssuePages.Row) -> String {
        (r.overdue ? "overdue " : "") + (r.unowned ? "unowned " : "") + (r.stale ? "stale" : "")
    }

    static func ownerCell(_ h: inout HTMLWriter, _ r: IssuePages.Row, _ t: Words) {
        h.el(.td) { h in
            if r.unowned { h.el(.span, .class("flag"), text: t["unowned"]) } else { h.text(r.owner) }
        }
    }

    static func dueCell(_ h: inout HTMLWriter, due: String, overdue: Bool, _ t: Words) {
        h.el(.td, .class("num")) { h in
            h.text(due)
            if overdue {
                h.text(" ")
                h.el(.span, .class("flag"), text: t["overdue"])
            }
        }
    }

    /// The open issues on a project's home page.
    static func rows(_ h: inout HTMLWriter, _ rows: [IssuePages.Row], key: String, _ t: Words) {
        guard !rows.isEmpty else {
            h.el(.p, .class("muted"), text: t["no_items"])
            return
        }
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list cards")) { h in
                h.tableHead(["#", t["title"], t["owner"], t["due"], t["priority"], t["status"]])
                h.el(.tbody) { h in
                    for r in rows {
                        let href = ItemPath.href(key, .issue, r.number)
                        h.el(.tr, .class(rowClass(r))) { h in
                            h.el(.td, .class("num")) { h in h.el(.a, .href(href), text: r.reference) }
                            h.el(.td) { h in h.el(.a, .href(href), text: r.title) }
                            ownerCell(&h, r, t)
                            dueCell(&h, due: r.due, overdue: r.overdue, t)
                            h.el(.td) { h in h.el(.span, .class("prio prio-\(r.priorityKey)"), text: r.priority) }
                            h.el(.td) { h in h.el(.span, .class("status status-\(r.statusKey)"), text: r.status) }
                        }
                    }
                }
            }
        }
    }

    /// The list's head: title, export / import buttons and the new-item button.
    static func listHead(_ h: inout HTMLWriter, heading: String, key: String, type: ItemType, query: String, canCreate: Bool, newLabel: String,
                         _ t: Words) {
        h.el(.div, .class("head")) { h in
            h.el(.h1, text: heading)
            h.el(.span, .class("actions")) { h in
                // The list's own query goes with the export, so a file holds what the list shows (an empty one too).
                let filters = ListColumns.withoutHidden(query)
                if type == .system || type == .interface || type == .function {
                    h.el(.a, .class("button secondary"), .href(ProjectPath.systemDiagram.href(key)), .id("sysmap-link"), text: t["sysmap.link"])
                    h.text(" ")
                }
                h.el(.a, .class("button secondary"), .href(ProjectPath.export(type, .xlsx).href(key) + "?" + filters), text: t["export_xlsx"])
                h.text(" ")
                h.el(.a, .class("button secondary"), .href(ProjectPath.export(type, .csv).href(key) + "?" + filters), text: t["export_csv"])
                guard canCreate else { return }
                h.text(" ")
                h.el(.a, .class("button secondary"), .href(ProjectPath.importItems(type).href(key)), text: t["import"])
                h.text(" ")
                h.el(.a, .class("button"), .href(ProjectPath.newItem(type).href(key)), text: newLabel)
            }
        }
        if let group = ShapeTabs.group(of: type) { ShapeTabs.write(&h, key: key, group: group, current: ProjectPath.plural(type), t) }
    }

    /// How many items the filters select (every page together), and that the list shows open items only when it does.
    static func resultCount(_ h: inout HTMLWriter, _ count: Int, openOnly: Bool, _ t: Words) {
        h.el(.p, .class("muted result-count"), .id("result-count"), .role("status"),
             text: t(openOnly ? "result_count_open" : "result_count", ["count": "\(count)"]))
    }

    static func checkbox(_ h: inout HTMLWriter, _ name: String, _ checked: Bool, _ label: String) {
        h.el(.label, .class("check")) { h in
            h.el(.input, .type("checkbox"), .name(name), .value("true"), .checked(checked))
            h.text(" " + label)
        }
    }

    static func nextLink(_ h: inout HTMLWriter, _ link: String?, _ t: Words) {
        guard let link else { return }
        h.el(.p) { h in h.el(.a, .class("button secondary"), .href(link), text: t["next_page"] + " →") }
    }

    static func list(_ h: inout HTMLWriter, _ p: Page<IssuePages.ListData>) {
        let t = p.t, d = p.data
        let base = ProjectPath.items(.issue).href(d.key)
        listHead(&h, heading: t["issues"], key: d.key, type: .issue, query: d.query, canCreate: d.canCreate, newLabel: t["new_issue"], t)
        if let notice = d.notice { h.el(.p, .class("notice"), .role("status"), text: notice) }
        let columns = ListColumns.issues(t, hidden: d.hidden)
        if let views = d.views { ListViews.savedViews(&h, views, csrf: p.chrome.csrf, t) }
        h.el(.form, .method("get"), .action(base), .class("filters")) { h in
            h.labelled(t["search"]) { h in h.el(.input, .type("search"), .name("q"), .value(d.q), .maxlength("200")) }
            h.choiceField(t["status"], "status", d.statuses, first: ("", t["all"]))
            h.choiceField(t["priority"], "priority", d.priorities, first: ("", t["all"]))
            h.choiceField(t["owner"], "owner", d.owners)
            h.choiceField(t["company"], "company", d.companies)
            if d.systems.count > 1 { h.choiceField(t["issue_systems"], "system", d.systems) }
            h.choiceField(t["sort"], "sort", d.sorts)
            checkbox(&h, "open", d.openOnly, t["open_only"])
            checkbox(&h, "overdue", d.overdue, t["overdue"])
            ListViews.hideColumns(&h, columns, t)
            h.el(.button, .type("submit"), text: t["filter"])
        }
        resultCount(&h, d.count, openOnly: d.openOnly, t)
        if d.rows.isEmpty {
            h.el(.p, .class("muted"), text: t["no_items"])
        } else {
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list issues " + columns.tableClasses)) { h in
                    let columns: [(label: String, sort: String?)] = [
                        ("#", "number"), (t["title"], nil), (t["owner"], nil), (t["company"], nil), (t["due"], "due"),
                        (t["priority"], "-priority"), (t["status"], nil), (t["escalation"], nil),
                    ]
                    if let sorting = d.sorting { h.sortableHead(columns, sorting) } else { h.tableHead(columns.map(\.label)) }
                    h.el(.tbody) { h in
                        for r in d.rows {
                            let href = ProjectPath.item(.issue, r.number).href(d.key)
                            h.el(.tr, .class(rowClass(r))) { h in
                                h.el(.td, .class("num")) { h in
                                    if d.bulk != nil { ListViews.bulkTick(&h, number: r.number, reference: r.reference, t) }
                                    h.el(.a, .href(href), text: r.reference)
                                }
                                h.el(.td) { h in
                                    h.el(.a, .href(href), text: r.title)
                                    if !r.visibility.isEmpty {
                                        h.text(" ")
                                        h.el(.span, .class("vis"), text: r.visibility)
                                    }
                                    if r.stale {
                                        h.text(" ")
                                        h.el(.span, .class("flag soft"), text: t["stale"])
                                    }
                                }
                                ownerCell(&h, r, t)
                                h.el(.td, text: r.company)
                                dueCell(&h, due: r.due, overdue: r.overdue, t)
                                h.el(.td) { h in h.el(.span, .class("prio prio-\(r.priorityKey)"), text: r.priority) }
                                h.el(.td) { h in h.el(.span, .class("status status-\(r.statusKey)"), text: r.status) }
                                h.el(.td, .class("num")) { h in
                                    if r.escalation > 0 { h.el(.span, .class("esc"), text: "↑\(r.escalation)") }
                                }
                            }
                        }
                    }
                }
            }
        }
        nextLink(&h, d.nextLink, t)
        if let bulk = d.bulk { ListViews.bulkForm(&h, bulk, csrf: p.chrome.csrf, t) }
    }

    /// The title row and the details / history tabs of an item page.
    static func itemHead(_ h: inout HTMLWriter, reference: String, title: String, itemPath: String, editPath: String, canEdit: Bool, tab: String,
                         _ t: Words) {
        h.el(.div, .class("head")) { h in
            h.el(.h1) { h in
                h.el(.span, .class("ref"), text: reference)
                h.text(" " + title)
            }
            if canEdit { h.el(.a, .class("button secondary"), .href(editPath), text: t["edit"]) }
        }
        h.el(.nav, .class("tabs")) { h in
            h.el(.a, .href(itemPath), .class(tab == "details" ? "on" : nil), text: t["details"])
            h.el(.a, .href(itemPath + "?tab=history"), .class(tab == "history" ? "on" : nil), text: t["history"])
        }
    }

    static func detail(_ h: inout HTMLWriter, _ p: Page<IssuePages.DetailData>) {
        let t = p.t, d = p.data, r = d.row, csrf = p.chrome.csrf
        let itemPath = ProjectPath.item(.issue, r.number).href(d.key)
        itemHead(&h, reference: r.reference, title: r.title, itemPath: itemPath, editPath: ProjectPath.editItem(.issue, r.number).href(d.key),
                 canEdit: d.canEdit, tab: d.tab, t)
        if d.tab == "history" {
            ItemViews.history(&h, d.history, prose: false, t)
            return
        }
        h.el(.div, .class("cols")) { h in
            h.el(.section, .class("card main-col")) { h in
                h.el(.dl, .class("facts")) { h in
                    h.fact(t["status"]) { $0.el(.span, .class("status status-\(r.statusKey)"), text: r.status) }
                    h.fact(t["priority"]) { $0.el(.span, .class("prio prio-\(r.priorityKey)"), text: r.priority) }
                    h.fact(t["owner"]) { h in
                        if r.unowned { h.el(.span, .class("flag"), text: t["unowned"]) } else { h.text(r.owner) }
                    }
                    ItemViews.dueFact(&h, due: r.due, overdue: r.overdue, t)
                    h.fact(t["escalation"]) { $0.text("\(r.escalation)") }
                    h.fact(t["responsible_company"]) { $0.text(r.company) }
                    h.fact(t["visibility"]) { $0.text(d.visibility) }
                    h.fact(t["version"]) { $0.text("\(d.version)") }
                    if !d.systems.isEmpty {
                        // One per line across the card, as a register item's lists are.
                        h.el(.div, .class("wide")) { h in
                            h.el(.dt, text: t["issue_systems"])
                            h.el(.dd) { h in
                                h.el(.ul, .class("lines")) { h in
                                    for system in d.systems { h.el(.li) { h in h.el(.a, .href(system.href), text: system.label) } }
                                }
                            }
                        }
                    }
                }
                if r.stale { h.el(.p, .class("flag soft"), text: t["stale"]) }
                for (heading, text) in [(t["next_action"], d.nextAction), (t["description"], d.description), (t["cause"], d.cause)] {
                    h.el(.h2, text: heading)
                    h.el(.p, .class("prose"), text: text)
                }
                h.el(.p, .class("muted"), text: "\(t["created"]) \(d.created) (\(d.createdBy)) · \(t["updated"]) \(d.updated)")
                if d.canDelete {
                    h.postForm(ProjectPath.deleteItem(.issue, r.number).href(d.key), .class("inline"), csrf: csrf, hidden: [("version", "\(d.version)")]) { h in
                        h.el(.button, .type("submit"), .class("link danger"), text: t["delete"])
                    }
                }
            }
            h.el(.aside, .class("side-col")) { h in
                ItemViews.watch(&h, d.watch, key: d.key, type: .issue, number: r.number, csrf: csrf, t)
                ItemViews.links(&h, d.links, key: d.key, type: .issue, number: r.number, canEdit: d.canEdit, kinds: d.linkKinds, csrf: csrf, t)
                ItemViews.attachments(&h, d.attachments, csrf: csrf, t)
            }
        }
        ItemViews.comments(&h, d.comments, postTo: d.canComment ? ProjectPath.comments(.issue, r.number).href(d.key) : nil, csrf: csrf, t,
                           mentionable: d.mentionable)
    }

    static func form(_ h: inout HTMLWriter, _ p: Page<IssuePages.FormData>) {
        let t = p.t, d = p.data
        let path = d.number.map { ProjectPath.item(.issue, $0).href(d.key) } ?? ProjectPath.items(.issue).href(d.key)
        h.el(.h1, text: p.chrome.title)
        h.formErrors(d.errors)
        h.postForm(path, .class("grid card"), csrf: p.chrome.csrf, hidden: d.version.map { [("version", "\($0)")] } ?? []) { h in
            h.labelled(t["title"], .class("wide")) { h in
                h.el(.input, .name("title"), .value(d.title), .maxlength("200"), .required, .flag("autofocus"))
            }
            h.choiceField(t["owner"], "owner", d.owners)
            h.labelled(t["due"]) { h in h.el(.input, .type("date"), .name("dueDate"), .value(d.due)) }
            h.choiceField(t["priority"], "priority", d.priorities)
            h.choiceField(t["status"], "status", d.statuses)
            h.choiceField(t["escalation"], "escalationLevel", d.escalations)
            h.choiceField(t["responsible_company"], "companyId", d.companies)
            h.choiceField(t["visibility"], "visibility", d.visibilities)
            h.choiceField("\(t["company"]) (\(t["visibility"]))", "visibilityCompanyId", d.visibilityCompanies, first: ("", ""))
            h.labelled(t["next_action"], .class("wide")) { h in
                h.el(.textarea, .name("nextAction"), .rows("2"), .maxlength("2000"), text: d.nextAction)
            }
            h.labelled(t["issue_systems"], .class("wide")) { h in
                h.el(.input, .name("systems"), .value(d.systems), .maxlength("500"), .placeholder("S3, S7"))
                h.el(.small, .class("muted"), text: t["refs_hint.S"])
            }
            h.labelled(t["description"], .class("wide")) { h in h.el(.textarea, .name("description"), .rows("5"), text: d.description) }
            h.labelled(t["cause"], .class("wide")) { h in h.el(.textarea, .name("cause"), .rows("3"), text: d.cause) }
            h.el(.div, .class("actions")) { h in
                h.el(.button, .type("submit"), text: t["save"])
                h.text(" ")
                h.el(.a, .href(path), text: t["cancel"])
            }
        }
    }
}
