import PMOCore
import PMOWords
import PMOHTML
import PMOStore

/// The pages of the five registers besides issues, the register overview, "my work", decision rights and imports.
enum RegisterViews {
    /// The due date's name in a register: an interface's is its design deadline, a system's its go-live.
    static func dueLabel(_ kind: RegisterKind, _ t: Words) -> String {
        [.interface, .system, .requirement, .test].contains(kind) ? t["due.\(kind.rawValue)"] : t["due"]
    }

    /// The decider named on an open decision records its outcome (decided, rejected or deferred) and its words, whatever
    /// their role; when the decision-rights table gives the right to someone else, the page says whose it is.
    static func decideForm(_ h: inout HTMLWriter, _ decide: DeciderRight, _ d: RegisterPages.DetailData, csrf: String, _ t: Words) {
        h.el(.section, .class("card decide"), .id("decide")) { h in
            h.el(.h2, text: t["decide_heading"])
            if case .belongsTo(let authority) = decide {
                h.el(.p, .class("notice"), .id("decide-belongs-to"), text: t("decide_belongs_to", ["authority": authority]))
                return
            }
            h.el(.p, .class("muted"), text: t["decide_hint"])
            h.postForm(ProjectPath.decide(d.row.number).href(d.key), .class("grid"), .id("decide-form"), csrf: csrf,
                       hidden: [("version", "\(d.version)")]) { h in
                h.labelled(t["decide_outcome"]) { h in
                    h.select("outcome", DecisionRights.deciderOutcomes.sorted().map { ($0, t["rs.decision." + $0]) }, selected: "decided")
                }
                h.labelled(t["decide_decision"], .class("wide")) { h in h.el(.textarea, .name("decision"), .rows("3"), .required) }
                h.labelled(t["decide_rationale"], .class("wide")) { h in h.el(.textarea, .name("rationale"), .rows("3")) }
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["decide_record"]) }
            }
        }
    }

    /// The approver named on a change request awaiting approval approves or rejects it, whatever their role; when the
    /// decision-rights table gives approving to someone else, the page says whose right it is.
    static func approveForm(_ h: inout HTMLWriter, _ approve: DeciderRight, _ d: RegisterPages.DetailData, csrf: String, _ t: Words) {
        h.el(.section, .class("card decide"), .id("approve")) { h in
            h.el(.h2, text: t["approve_heading"])
            if case .belongsTo(let authority) = approve {
                h.el(.p, .class("notice"), .id("approve-belongs-to"), text: t("approve_belongs_to", ["authority": authority]))
                return
            }
            h.el(.p, .class("muted"), text: t["approve_hint"])
            h.postForm(ProjectPath.approve(d.row.number).href(d.key), .class("row"), .id("approve-form"), csrf: csrf,
                       hidden: [("version", "\(d.version)")]) { h in
                h.select("outcome", DecisionRights.approverOutcomes.sorted().map { ($0, t["rs.change." + $0]) }, selected: "approved")
                h.el(.button, .type("submit"), text: t["approve_record"])
            }
        }
    }

    static func list(_ h: inout HTMLWriter, _ p: Page<RegisterPages.ListData>) {
        let t = p.t, d = p.data
        let type = ItemType(d.kind)
        let base = ProjectPath.items(type).href(d.key)
        IssueViews.listHead(&h, heading: d.heading, key: d.key, type: type, query: d.query, canCreate: d.canCreate, newLabel: d.newLabel, t)
        if let notice = d.notice { h.el(.p, .class("notice"), .role("status"), text: notice) }
        if d.isRisk {
            h.el(.div, .class("cols")) { h in
                h.el(.section, .class("card")) { h in heatMap(&h, key: d.key, t) }
                h.el(.section, .class("card side-col")) { h in
                    h.el(.h2, text: t["top_risks"])
                    if d.topRisks.isEmpty { h.el(.p, .class("muted"), text: t["no_items"]) }
                    h.el(.ol, .class("top-risks")) { h in
                        for r in d.topRisks {
                            h.el(.li) { h in
                                h.el(.span, .class("score band-\(r.band)"), text: r.score.map(String.init) ?? "")
                                h.text(" ")
                                h.el(.a, .href(ProjectPath.item(.risk, r.number).href(d.key)), text: r.reference)
                                h.text(" " + r.title)
                                if !r.flag.isEmpty {
                                    h.text(" ")
                                    h.el(.span, .class("flag"), text: r.flag)
                                }
                            }
                        }
                    }
                }
            }
        }
        let columns = ListColumns.register(t, isRisk: d.isRisk, extraHeader: d.extraHeader, hidden: d.hidden)
        if let views = d.views { ListViews.savedViews(&h, views, csrf: p.chrome.csrf, t) }
        h.el(.form, .method("get"), .action(base), .class("filters")) { h in
            h.labelled(t["search"]) { h in h.el(.input, .type("search"), .name("q"), .value(d.q), .maxlength("200")) }
            h.choiceField(t["status"], "status", d.statuses, first: ("", t["all"]))
            h.choiceField(t["owner"], "owner", d.owners)
            h.choiceField(t["sort"], "sort", d.sorts)
            IssueViews.checkbox(&h, "open", d.openOnly, t["open_only"])
            IssueViews.checkbox(&h, "overdue", d.overdue, t["overdue"])
            ListViews.hideColumns(&h, columns, t)
            h.el(.button, .type("submit"), text: t["filter"])
        }
        IssueViews.resultCount(&h, d.count, openOnly: d.openOnly, t)
        if d.rows.isEmpty {
            h.el(.p, .class("muted"), text: t["no_items"])
        } else {
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list registers " + columns.tableClasses)) { h in
                    let columns: [(label: String, sort: String?)] = [("#", "number"), (t["title"], nil)]
                        + (d.isRisk ? [(t["score"], "-score")] : []) + [(t["owner"], nil), (d.extraHeader, nil), (RegisterViews.dueLabel(d.kind, t), "due"), (t["status"], nil)]
                    if let sorting = d.sorting { h.sortableHead(columns, sorting) } else { h.tableHead(columns.map(\.label)) }
                    h.el(.tbody) { h in
                        for r in d.rows {
                            let href = ProjectPath.item(type, r.number).href(d.key)
                            h.el(.tr, .class((r.overdue ? "overdue " : "") + (r.finished ? "finished" : ""))) { h in
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
                                    if !r.flag.isEmpty {
                                        h.text(" ")
                                        h.el(.span, .class("flag"), text: r.flag)
                                    }
                                }
                                if d.isRisk {
                                    h.el(.td, .class("num")) { h in h.el(.span, .class("score band-\(r.band)"), text: r.score.map(String.init) ?? "") }
                                }
                                h.el(.td, text: r.owner)
                                h.el(.td, text: r.extra)
                                IssueViews.dueCell(&h, due: r.due, overdue: r.overdue, t)
                                h.el(.td) { h in h.el(.span, .class("status status-\(r.statusKey)"), text: r.status) }
                            }
                        }
                    }
                }
            }
        }
        IssueViews.nextLink(&h, d.nextLink, t)
        if let bulk = d.bulk { ListViews.bulkForm(&h, bulk, csrf: p.chrome.csrf, t) }
    }

    /// The risk heat map, served as its own SVG (so it can be saved and reused in reports).
    static func heatMap(_ h: inout HTMLWriter, key: String, _ t: Words) {
        h.el(.img, .src(ProjectPath.riskHeatMap.href(key)), .alt(t["heat_map_alt"]), .width("360"), .height("368"))
    }

    /// A business function's sequence diagram with its downloads, or what to do when it has no steps yet.
    static func sequence(_ h: inout HTMLWriter, _ d: RegisterPages.DetailData, _ t: Words) {
        h.el(.h2, text: t["seq.heading"])
        if d.hiddenSteps > 0 { h.el(.p, .class("muted"), .id("seq-hidden"), text: t("seq.hidden", ["count": "\(d.hiddenSteps)"])) }
        guard let diagram = d.sequence else {
            h.el(.p, .class("muted"), .id("seq-empty"), text: t["seq.empty"])
            return
        }
        h.el(.div, .class("chart sequence"), .id("sequence")) { h in h.trusted(diagram) }
        h.el(.p, .class("noprint")) { h in
            h.el(.a, .class("button secondary"), .href(ProjectPath.functionSequence(d.row.number, "svg").href(d.key)), .id("seq-svg"), text: "SVG")
            h.text(" ")
            h.el(.a, .class("button secondary"), .href(ProjectPath.functionSequence(d.row.number, "mmd").href(d.key)), .id("seq-mermaid"),
                 text: t["sysmap.mermaid"])
        }
    }

    static func item(_ h: inout HTMLWriter, _ p: Page<RegisterPages.DetailData>) {
        let t = p.t, d = p.data, r = d.row, csrf = p.chrome.csrf
        let type = ItemType(d.kind)
        let itemPath = ProjectPath.item(type, r.number).href(d.key)
        IssueViews.itemHead(&h, reference: r.reference, title: r.title, itemPath: itemPath, editPath: ProjectPath.editItem(type, r.number).href(d.key),
                            canEdit: d.canEdit, tab: d.tab, t)
        if d.tab == "history" {
            ItemViews.history(&h, d.history, prose: true, t)
            return
        }
        h.el(.div, .class("cols")) { h in
            h.el(.section, .class("card main-col")) { h in
                h.el(.dl, .class("facts")) { h in
                    h.fact(t["status"]) { h in
                        h.el(.span, .class("status status-\(r.statusKey)"), text: r.status)
                        if !d.nextStatuses.isEmpty {
                            h.text(" ")
                            h.el(.span, .class("muted"), text: "→ " + d.nextStatuses)
                        }
                    }
                    if let score = r.score {
                        h.fact(t["score"]) { h in
                            h.el(.span, .class("score band-\(r.band)"), text: "\(score)")
                            if let residual = d.residualScore {
                                h.text(" ")
                                h.el(.span, .class("muted"), text: "\(t["residual_score"]) \(residual)")
                            }
                        }
                    }
                    h.fact(t["owner"]) { $0.text(r.owner) }
                    ItemViews.dueFact(&h, due: r.due, overdue: r.overdue, t, label: RegisterViews.dueLabel(d.kind, t))
                    h.fact(t["responsible_company"]) { $0.text(d.company) }
                    h.fact(t["visibility"]) { $0.text(d.visibility) }
                    if let issues = d.openIssues {
                        h.fact(t["system_open_issues"]) { h in
                            h.el(.a, .href(issues.href), .class(issues.count > 0 ? "flag" : nil), text: "\(issues.count)")
                        }
                    }
                    for f in d.facts {
                        h.el(.div, .class(f.lines.isEmpty ? "" : "wide")) { h in
                            h.el(.dt, text: f.label)
                            h.el(.dd) { h in
                                h.el(.span, .class(f.flag ? "flag" : "prose"), text: f.value)
                                guard !f.lines.isEmpty else { return }
                                h.el(.ul, .class("lines")) { h in for l in f.lines { h.el(.li, .class(l.flag ? "flag" : nil), text: l.text) } }
                            }
                        }
                    }
                }
                if d.kind == .function { sequence(&h, d, t) }
                h.el(.h2, text: t["description"])
                h.el(.p, .class("prose"), text: d.description)
                h.el(.p, .class("muted"), text: "\(t["created"]) \(d.created) (\(d.createdBy)) · \(t["updated"]) \(d.updated) · \(t["version"]) \(d.version)")
                if let decide = d.decide { decideForm(&h, decide, d, csrf: csrf, t) }
                if let approve = d.approve { approveForm(&h, approve, d, csrf: csrf, t) }
                // Inline forms: the space between them is what separates the buttons.
                if d.canOccur {
                    h.text(" ")
                    h.postForm(ProjectPath.riskOccurred(r.number).href(d.key), .class("inline"), csrf: csrf, hidden: [("version", "\(d.version)")]) { h in
                        h.el(.button, .type("submit"), .class("danger"), .title(t["occur_hint"]), text: t["risk_occurred"])
                    }
                }
                if d.canConvert {
                    h.text(" ")
                    h.postForm(ProjectPath.questionToChange(r.number).href(d.key), .class("inline"), csrf: csrf) { h in
                        h.el(.button, .type("submit"), .title(t["convert_hint"]), text: t["to_change_request"])
                    }
                }
                if d.canDelete {
                    h.text(" ")
                    h.postForm(ProjectPath.deleteItem(type, r.number).href(d.key), .class("inline"), csrf: csrf, hidden: [("version", "\(d.version)")]) { h in
                        h.el(.button, .type("submit"), .class("link danger"), text: t["delete"])
                    }
                }
            }
            h.el(.aside, .class("side-col")) { h in
                ItemViews.watch(&h, d.watch, key: d.key, type: type, number: r.number, csrf: csrf, t)
                ItemViews.links(&h, d.links, key: d.key, type: type, number: r.number, canEdit: d.canEdit, kinds: d.linkKinds, csrf: csrf, t)
                ItemViews.attachments(&h, d.attachments, csrf: csrf, t)
            }
        }
        ItemViews.comments(&h, d.comments, postTo: d.canComment ? ProjectPath.comments(type, r.number).href(d.key) : nil, csrf: csrf, t,
                           mentionable: d.mentionable)
    }

    static func form(_ h: inout HTMLWriter, _ p: Page<RegisterPages.FormData>) {
        let t = p.t, d = p.data
        let type = ItemType(d.kind)
        let path = d.number.map { ProjectPath.item(type, $0).href(d.key) } ?? ProjectPath.items(type).href(d.key)
        h.el(.h1, text: d.heading)
        h.formErrors(d.errors)
        h.postForm(path, .class("grid card"), csrf: p.chrome.csrf, hidden: d.version.map { [("version", "\($0)")] } ?? []) { h in
            h.labelled(t["title"], .class("wide")) { h in
                h.el(.input, .name("title"), .value(d.title), .maxlength("200"), .required, .flag("autofocus"))
            }
            h.choiceField(t["status"], "status", d.statuses)
            h.choiceField(t["owner"], "owner", d.owners)
            h.labelled(RegisterViews.dueLabel(d.kind, t)) { h in h.el(.input, .type("date"), .name("dueDate"), .value(d.due)) }
            h.choiceField(t["responsible_company"], "companyId", d.companies)
            h.choiceField(t["visibility"], "visibility", d.visibilities)
            h.choiceField("\(t["company"]) (\(t["visibility"]))", "visibilityCompanyId", d.visibilityCompanies, first: ("", ""))
            if d.number == nil {
                h.labelled(t["origin"]) { h in h.el(.input, .name("origin"), .value(d.origin), .placeholder(t["origin_hint"]), .maxlength("30")) }
            }
            for i in d.inputs { input(&h, i) }
            h.labelled(t["description"], .class("wide")) { h in h.el(.textarea, .name("description"), .rows("4"), text: d.description) }
            h.el(.div, .class("actions")) { h in
                h.el(.button, .type("submit"), text: t["save"])
                h.text(" ")
                h.el(.a, .href(path), text: t["cancel"])
            }
        }
    }

    /// One input generated from a register's field spec.
    static func input(_ h: inout HTMLWriter, _ i: RegisterForms.Input) {
        switch i.control {
        case "textarea":
            h.labelled(i.label, .class("wide")) { h in
                h.el(.textarea, .name(i.name), .rows("3"), .maxlength("10000"), text: i.value)
                if !i.hint.isEmpty { h.el(.small, .class("muted"), text: i.hint) }
            }
        case "select":
            h.labelled(i.label) { h in h.select(i.name, i.options, .flag("required", i.required)) }
        case "checkbox":
            h.el(.label, .class("check")) { h in
                h.el(.input, .type("checkbox"), .name(i.name), .value("1"), .checked(i.checked))
                h.text(" " + i.label)
            }
        case "checks":
            h.el(.fieldset, .class("wide checks"), .id("field-" + i.name)) { h in
                h.el(.legend, text: i.label)
                if i.options.isEmpty { h.el(.p, .class("muted"), text: i.hint) }
                for o in i.options {
                    h.el(.label, .class("check")) { h in
                        h.el(.input, .type("checkbox"), .name(i.name + "-" + o.value), .value("1"), .checked(o.selected))
                        h.text(" " + o.label)
                    }
                }
            }
        case "date":
            h.labelled(i.label) { h in h.el(.input, .type("date"), .name(i.name), .value(i.value)) }
        case "number":
            h.labelled(i.label) { h in h.el(.input, .type("number"), .attr("step", "any"), .name(i.name), .value(i.value)) }
        default:
            h.labelled(i.label) { h in h.el(.input, .name(i.name), .value(i.value), .maxlength("500"), .placeholder(i.hint.isEmpty ? nil : i.hint)) }
        }
    }

    static func overview(_ h: inout HTMLWriter, _ p: Page<RegisterPages.OverviewData>) {
        let t = p.t, d = p.data
        h.el(.div, .class("head")) { h in
            h.el(.h1, text: t["registers"])
            h.el(.a, .class("button secondary"), .href(ProjectPath.decisionRights.href(d.key)), text: t["decision_rights"])
        }
        h.el(.section, .class("card")) { h in
            h.el(.table, .class("list counts")) { h in
                h.tableHead(["", t["open_count"], t["overdue_count"], t["ageing_count"], t["total_count"]])
                h.el(.tbody) { h in
                    for r in d.rows {
                        h.el(.tr) { h in
                            h.el(.td) { h in h.el(.a, .href(r.href), text: r.name) }
                            h.el(.td, .class("num")) { h in h.el(.a, .href(r.href + "?open=true"), text: "\(r.open)") }
                            h.el(.td, .class("num")) { h in
                                if r.overdue > 0 { h.el(.a, .class("flag"), .href(r.href + "?overdue=true"), text: "\(r.overdue)") } else { h.text("0") }
                            }
                            h.el(.td, .class("num"), text: "\(r.ageing)")
                            h.el(.td, .class("num"), text: "\(r.total)")
                        }
                    }
                }
            }
        }
        h.el(.p) { h in heatMap(&h, key: d.key, t) }
    }

    static func myWork(_ h: inout HTMLWriter, _ p: Page<[RegisterPages.WorkRow]>) {
        let t = p.t
        h.el(.h1, text: t["my_work"])
        guard !p.data.isEmpty else {
            h.el(.p, .class("muted"), text: t["no_items"])
            return
        }
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list work")) { h in
                h.tableHead(["#", t["registers"], t["title"], t["status"], t["due"]])
                h.el(.tbody) { h in
                    for r in p.data {
                        h.el(.tr, .class(r.overdue ? "overdue" : "")) { h in
                            h.el(.td, .class("num")) { h in h.el(.a, .href(r.href), text: r.reference) }
                            h.el(.td, text: r.register)
                            h.el(.td) { h in
                                h.el(.a, .href(r.href), text: r.title)
                                if r.mustDecide {
                                    h.text(" ")
                                    h.el(.span, .class("flag soft"), text: t["must_decide"])
                                }
                            }
                            h.el(.td, text: r.status)
                            IssueViews.dueCell(&h, due: r.due, overdue: r.overdue, t)
                        }
                    }
                }
            }
        }
    }

    static func rights(_ h: inout HTMLWriter, _ p: Page<RegisterPages.RightsData>) {
        let t = p.t, d = p.data
        h.el(.h1, text: t["decision_rights"])
        h.formErrors(d.errors)
        h.postForm(ProjectPath.decisionRights.href(d.key), .class("card"), csrf: p.chrome.csrf) { h in
            h.el(.table, .class("list rights")) { h in
                h.tableHead([t["category_key"], t["authority"], t["roles"], t["people"]])
                h.el(.tbody) { h in
                    let readonly = Attribute.flag("readonly", !d.canEdit)
                    for r in d.rows {
                        h.el(.tr) { h in
                            h.el(.td) { h in h.el(.input, .attr("name", "category\(r.index)"), .value(r.category), .maxlength("60"), readonly) }
                            h.el(.td) { h in
                                h.el(.input, .attr("name", "authority\(r.index)"), .value(r.authority), .maxlength("200"), readonly)
                                if let unit = r.unitNumber {
                                    // The unit of the organisation it names: its chart, members and routes are one click away.
                                    h.el(.small, .class("muted")) { h in
                                        h.text(t["rights.unit"] + " ")
                                        h.el(.a, .href(ItemPath.href(d.key, .unit, unit)), .class("rights-unit"),
                                             text: ItemType.unit.reference(projectKey: d.key, number: unit) + " " + r.unitName)
                                    }
                                }
                            }
                            h.el(.td) { h in h.el(.input, .attr("name", "roles\(r.index)"), .value(r.roles), .placeholder("pmo,pm"), readonly) }
                            h.el(.td) { h in
                                h.el(.input, .attr("name", "users\(r.index)"), .value(r.users), .size("40"), .placeholder("name@example.com"), readonly)
                                h.el(.small, .class("muted"), text: r.names)
                            }
                        }
                    }
                }
            }
            h.el(.details) { h in
                h.el(.summary, text: t["people"])
                h.el(.ul) { h in
                    for person in d.people {
                        h.el(.li) { h in
                            h.el(.code, text: person.value)
                            h.text(" " + person.label)
                        }
                    }
                }
            }
            if d.canEdit { h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["save"]) } }
        }
    }

    static func importPage(_ h: inout HTMLWriter, _ p: Page<RegisterImportPages.Data_>) {
        let t = p.t, d = p.data, csrf = p.chrome.csrf
        h.el(.h1, text: d.heading)
        if let hint = d.hint { h.el(.p, .class("muted"), text: hint) }
        h.postForm(d.uploadHref, .enctype("multipart/form-data"), .class("card row"), csrf: csrf) { h in
            h.labelled(t["import_file"]) { h in h.el(.input, .type("file"), .name("file"), .accept(d.accept), .required) }
            h.el(.button, .type("submit"), text: t["preview"])
            h.text(" ")
            h.el(.a, .href(d.exportHref), text: t["export_xlsx"])
        }
        guard d.previewed else { return }
        h.el(.section, .class("card")) { h in
            h.el(.p) { h in
                h.el(.strong, text: d.fileName)
                h.text(": \(d.creates) \(t["import_creates"]) · \(d.updates) \(t["import_updates"]) · \(d.unchanged) \(t["import_unchanged"]) · ")
                h.el(.span, .class(d.errorCount > 0 ? "flag" : nil), text: "\(d.errorCount) \(t["import_errors"])")
            }
            if d.errorCount > 0 {
                h.el(.p, .class("flag"), text: t["import_has_errors"])
                h.el(.table, .class("list errors")) { h in
                    h.tableHead([t["line"], t["column"], ""])
                    h.el(.tbody) { h in
                        for e in d.errors {
                            h.el(.tr) { h in
                                h.el(.td, .class("num"), text: "\(e.line)")
                                h.el(.td, text: e.column)
                                h.el(.td, text: e.message)
                            }
                        }
                    }
                }
            }
            if !d.rows.isEmpty {
                h.el(.table, .class("list plan")) { h in
                    h.tableHead([t["line"], "#", "", t["changes"]])
                    h.el(.tbody) { h in
                        for r in d.rows {
                            h.el(.tr, .class(r.action)) { h in
                                h.el(.td, .class("num"), text: "\(r.line)")
                                h.el(.td, text: r.reference)
                                h.el(.td, text: r.actionLabel)
                                h.el(.td) { h in
                                    for c in r.changes {
                                        h.el(.div) { h in
                                            h.el(.strong, text: c.field)
                                            h.text(": ")
                                            h.el(.del, text: c.from ?? "")
                                            h.text(" → " + (c.to ?? ""))
                                        }
                                    }
                                    for e in r.errors { h.el(.div, .class("flag"), text: e) }
                                }
                            }
                        }
                    }
                }
            }
            guard d.canApply else { return }
            h.postForm(d.applyHref, .enctype("multipart/form-data"), csrf: csrf, hidden: [("data", d.payload), ("fileName", d.fileName)]) { h in
                h.el(.button, .type("submit"), text: t["apply_import"])
            }
        }
    }
}
