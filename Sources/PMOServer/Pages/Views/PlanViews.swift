import Foundation
import PMOCore
import PMOHTML
import PMOSchedule
import PMOStore
import PMOWords

/// The plan's views: the menu and conflicts every plan page shows, the WBS table and an activity. Their models are
/// built by `PlanPages`.
enum PlanViews {
    /// The plan's own navigation, shown on every plan page.
    static func subnav(_ h: inout HTMLWriter, key: String, on current: PlanPath, _ w: PlanWords) {
        let items: [(PlanPath, String)] = [
            (.wbs, w["page.plan.wbs"]), (.gantt, w["page.plan.gantt"]), (.master, w["page.plan.master_schedule"]),
            (.progress, w["page.plan.progress"]), (.baselines, w["page.plan.baselines"]), (.evm, w["page.plan.earned_value"]),
            (.calendars, w["page.plan.calendars"]), (.levelling, w["lev.nav"]), (.importExport, w["page.plan.import_export"]),
        ]
        h.el(.nav, .class("plan-nav")) { h in
            for (path, label) in items {
                h.el(.a, .href(path.href(key)), .class(path == current ? "on" : nil), text: label)
            }
        }
    }

    /// Schedule conflicts with their reasons; shown on the WBS and Gantt pages.
    static func diagnostics(_ h: inout HTMLWriter, _ view: PlanView, _ w: PlanWords) {
        let problems = view.result.diagnostics
        guard !problems.isEmpty else { return }
        let names = Dictionary(view.snapshot.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
        h.el(.section, .class("card warn"), .id("conflicts")) { h in
            h.el(.h2, text: w["page.plan.schedule_conflicts"] + " (\(problems.count))")
            h.el(.ul) { h in
                for d in problems.prefix(50) {
                    h.el(.li, .class("conflict"), .attr("data-code", d.code.rawValue)) { h in
                        h.el(.b, text: conflictLabel(d.code, w))
                        h.text(": " + d.activities.map { "\(names[$0.rawValue] ?? "?") (\($0.rawValue))" }.joined(separator: ", ") + " ")
                        h.el(.span, .class("muted"), text: d.message)
                    }
                }
            }
        }
    }

    static func conflictLabel(_ code: ScheduleDiagnostic.Code, _ w: PlanWords) -> String {
        switch code {
        case .cycle: w["page.plan.links_form_a_loop"]
        case .constraintConflict: w["page.plan.constraint_cannot_hold"]
        case .negativeFloat: w["page.plan.negative_float"]
        case .deadlineMissed: w["page.plan.deadline_missed"]
        case .unknownActivity: w["page.plan.link_to_a_missing_activity"]
        case .unknownCalendar: w["page.plan.unknown_calendar"]
        case .noWorkingTime: w["page.plan.no_working_time"]
        }
    }

    // MARK: WBS table

    /// The WBS table: the plan's dates, the form that adds an activity, the outline depth, and one row per activity.
    static func wbs(_ h: inout HTMLWriter, _ p: Page<PlanPages.WBSData>) {
        let (key, view, maxLevel, shown, token) = (p.data.key, p.data.view, p.data.maxLevel, p.data.shown, p.chrome.csrf)
        let w = PlanWords(p.t)
        let scheduled = view.scheduledByUID
        let figures = PlanJSON.figures(view)
        h.el(.div, .class("head")) { h in
            h.el(.h1, text: view.snapshot.name)
            h.el(.span, .class("muted"), text: w["page.plan.start"] + " \(view.snapshot.startDate) · " + w["page.plan.finish"]
                + " \(PlanFormat.date(view.rows.isEmpty ? nil : view.result.projectFinish)) · " + w["page.plan.status_date"]
                + " \(view.snapshot.statusDate?.description ?? "–") · \(view.rows.count) " + w["page.plan.activities"])
        }
        subnav(&h, key: key, on: .wbs, w)
        diagnostics(&h, view, w)
        if view.canEdit {
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: w["page.plan.add_an_activity"])
                h.postForm(PlanPath.addActivity.href(key), .class("inline-form"), .id("add-activity"), csrf: token) { h in
                    h.labelled(w["page.plan.name"]) { h in
                        h.el(.input, .name("name"), .required, .maxlength("200"), .flag("autofocus"), .attr("accesskey", "n"))
                    }
                    h.labelled(w["page.plan.kind"]) { h in
                        h.select("kind", [("task", w["page.plan.task"]), ("milestone", w["page.plan.milestone"])], selected: nil)
                    }
                    h.labelled(w["page.plan.duration_days"]) { h in
                        h.el(.input, .name("durationDays"), .inputmode("decimal"), .value("1"), .size("5"))
                    }
                    h.labelled(w["page.plan.under"]) { h in
                        h.select("parentUid", [("", w["page.plan.top_level"])] + shown.map { ("\($0.activity.uid)", "\($0.outline) \($0.activity.name)") },
                                 selected: nil)
                    }
                    h.labelled(w["page.plan.predecessors_e_g_12_14ss_2"]) { h in h.el(.input, .name("predecessors"), .size("14")) }
                    h.el(.button, .type("submit"), text: w["page.plan.add"])
                }
                h.el(.p, .class("muted"), text: w["page.plan.predecessors_are_ids_fs_by_default_ss_ff"])
            }
        }
        h.el(.p, .class("muted")) { h in
            h.text(w["page.plan.show_levels"] + ": ")
            for (l, label) in [(1, "1"), (2, "2"), (3, "3"), (0, w["page.plan.all"])] {
                h.text(" ")
                h.el(.a, .href(PlanPath.wbs.href(key, query: l == 0 ? "" : "level=\(l)")), .class(l == maxLevel ? "on" : nil), text: label)
            }
        }
        if view.canEdit { gridTools(&h, p.data, token: token, w) }
        parts(&h, p.data, w)
        h.el(.div, .class("table-wrap grid-wrap")) { h in
            // The grid: plain cells (readable and printable without a script); `plan-grid.js` makes the `data-c` cells
            // editable for who may edit, and posts each change to `PlanPath.grid`.
            h.el(.table, .class("list wbs plan-grid"), .id("wbs"), .attr("data-editable", view.canEdit ? "1" : nil),
                 .attr("data-grid", PlanPath.grid.href(key)), .attr("data-rows", PlanPath.gridRows.href(key)),
                 .attr("data-undo", PlanPath.gridUndo.href(key)), .attr("data-csrf", view.canEdit ? token : nil),
                 .attr("data-new-name", w["page.plan.new_activity"]), .attr("data-saving", w["page.plan.saving"]),
                 .attr("data-saved", w["page.plan.saved_grid"]), .attr("data-confirm-delete", w["page.plan.confirm_delete_row"]),
                 .attr("data-row-word", w["page.plan.row"])) { h in
                h.el(.thead) { h in
                    h.el(.tr) { h in
                        for (col, label) in [("id", "ID"), ("outline", w["page.plan.wbs"]), ("name", w["page.plan.name"]), ("duration", w["page.plan.dur"]),
                                             ("start", w["page.plan.start"]), ("finish", w["page.plan.finish"]), ("float", w["page.plan.float"]),
                                             ("predecessors", w["page.plan.pred"]), ("owner", w["page.plan.owner"]), ("company", w["page.plan.company"]),
                                             ("percent", "%")] {
                            h.el(.th, .attr("data-col", col), text: label)
                        }
                    }
                }
                h.el(.tbody) { h in
                    for row in shown { wbsRow(&h, row, view: view, scheduled: scheduled[row.activity.uid], figures: figures[row.activity.uid], preds: p.data.predecessors[row.activity.uid] ?? [],
                                              key: key) }
                }
            }
        }
        if view.canEdit { h.el(.p, .class("muted grid-status"), .id("grid-status"), .attr("role", "status"), .attr("aria-live", "polite"), text: "") }
        parts(&h, p.data, w)
        if view.canEdit { h.el(.script, .attr("type", "module"), .attr("src", "/plan-grid.js"), text: "") }
    }

    /// Above an editor's grid: the keys, undo of one's own last change, and the box rows copied from Excel are pasted
    /// into (the grid takes a paste too; the box is the way without a script).
    static func gridTools(_ h: inout HTMLWriter, _ d: PlanPages.WBSData, token: String, _ w: PlanWords) {
        h.el(.div, .class("grid-tools")) { h in
            h.el(.p, .class("muted grid-keys"), text: w["page.plan.grid_keys"])
            h.postForm(PlanPath.gridUndo.href(d.key), .id("grid-undo-form"), csrf: token) { h in
                h.el(.button, .type("submit"), .class("secondary"), .id("grid-undo"), .flag("disabled", !d.canUndo), .title("Ctrl+Z"),
                     text: w["page.plan.undo_my_last_change"])
            }
            h.el(.details, .id("paste-rows")) { h in
                h.el(.summary, text: w["page.plan.paste_rows_from_excel"])
                h.postForm(PlanPath.paste.href(d.key), .class("stack"), csrf: token) { h in
                    h.el(.p, .class("muted"), text: w["page.plan.paste_help"])
                    h.el(.textarea, .name("rows"), .rows("6"), .required, .attr("spellcheck", "false"))
                    h.labelled(w["page.plan.new_rows_go_under"]) { h in
                        h.select("parentUid", [("", w["page.plan.top_level"])] + d.shown.filter(\.hasChildren).map { ("\($0.activity.uid)", "\($0.outline) \($0.activity.name)") },
                                 selected: nil)
                    }
                    h.el(.button, .type("submit"), text: w["page.plan.apply_pasted_rows"])
                }
            }
        }
    }

    /// Links between the parts of a plan too long for one page.
    static func parts(_ h: inout HTMLWriter, _ d: PlanPages.WBSData, _ w: PlanWords) {
        let per = PlanPages.rowsPerPart
        guard d.total > per else { return }
        let count = (d.total + per - 1) / per
        h.el(.nav, .class("parts muted")) { h in
            h.text(w["page.plan.rows"] + " \(d.part * per + 1)–\(min(d.total, (d.part + 1) * per)) / \(d.total): ")
            for i in 0..<count {
                var q: [String] = []
                if d.maxLevel > 0 { q.append("level=\(d.maxLevel)") }
                if i > 0 { q.append("part=\(i)") }
                h.text(" ")
                h.el(.a, .href(PlanPath.wbs.href(d.key, query: q.joined(separator: "&"))), .class(i == d.part ? "on" : nil),
                     text: "\(i * per + 1)–\(min(d.total, (i + 1) * per))")
            }
        }
    }

    /// One row of the WBS grid. Editable cells carry their column (`data-c`); the row its uid and version.
    static func wbsRow(_ h: inout HTMLWriter, _ row: WBSRow, view: PlanView, scheduled s: ScheduledActivity?, figures: PlanJSON.RowFigures?,
                       preds: [PlanDependency], key: String) {
        let a = row.activity
        let perDay = view.snapshot.minutesPerDay
        let critical = s?.isCritical == true
        let rowClass = "lvl\(min(row.level, 6))" + (row.hasChildren ? " summary" : "") + (critical ? " critical" : "")
        h.el(.tr, .id("a\(a.uid)"), .attr("data-uid", "\(a.uid)"), .attr("data-v", "\(view.activityVersions[a.uid] ?? 1)"),
             .attr("data-parent", a.parentUID.map { "\($0)" }), .class(rowClass)) { h in
            h.el(.td, .class("num id")) { h in h.el(.a, .href(PlanPath.activity(a.uid).href(key)), text: "\(a.uid)") }
            h.el(.td, .class("outline"), text: row.outline)
            h.el(.td, .class("name"), .attr("data-c", "name")) { h in
                h.el(.span, .class("v"), text: a.name)
                if a.kind == .milestone && !row.hasChildren { h.el(.span, .class("mark"), text: " ◆") }
                if critical {
                    h.text(" ")
                    h.el(.span, .class("crit"), .title("critical"), text: "!")
                }
            }
            let durationMinutes = row.hasChildren ? (s.map { scheduleSpan($0, view) } ?? 0) : a.duration.minutes
            let own = row.hasChildren ? nil : "1"   // a summary's duration, dates and % come from its rows
            h.el(.td, .class("num"), .attr("data-c", own.map { _ in "duration" }), text: PlanFormat.days(durationMinutes, perDay: perDay))
            h.el(.td, .class("date start"), .attr("data-c", own.map { _ in "start" }), text: PlanFormat.date(s?.start))
            h.el(.td, .class("date finish"), .attr("data-c", own.map { _ in "finish" }), text: PlanFormat.date(s?.finish))
            h.el(.td, .class("num float"), text: s.map { PlanFormat.days($0.totalFloat, perDay: perDay) } ?? "")
            h.el(.td, .attr("data-c", "predecessors"), text: preds.map { PlanFormat.link($0, perDay: perDay) }.joined(separator: ", "))
            h.el(.td, .attr("data-c", "owner"), text: a.ownerID.flatMap { view.userNames[$0.rawValue] } ?? "")
            h.el(.td, .attr("data-c", "company"), text: a.companyID.flatMap { view.companyNames[$0.rawValue] } ?? "")
            h.el(.td, .class("num pct"), .attr("data-c", own.map { _ in "percent" }), text: PlanFormat.number(figures?.percentComplete ?? a.progress.percentComplete))
        }
    }

    /// A summary's span in working minutes of the plan's default calendar, approximated from its dates for display.
    static func scheduleSpan(_ s: ScheduledActivity, _ view: PlanView) -> Int {
        let cal = view.schedulePlan.calendars.first { $0.id == view.schedulePlan.defaultCalendarID }
        guard let cal, s.finish > s.start else { return 0 }
        var minutes = 0
        var d = s.start.date
        while d <= s.finish.date && minutes < 100_000_000 {
            for r in cal.workingTimes(on: d) {
                let lo = max(LocalTime(date: d, minuteOfDay: r.start), s.start)
                let hi = min(LocalTime(date: d, minuteOfDay: r.end), s.finish)
                if hi > lo { minutes += hi.minutes - lo.minutes }
            }
            d = d.adding(days: 1)
        }
        return minutes
    }

    // MARK: One activity

    /// One activity: its computed dates, its edit form, its links and its progress.
    static func activity(_ h: inout HTMLWriter, _ p: Page<PlanPages.ActivityData>) throws {
        let (key, view, row, s, version, token) = (p.data.key, p.data.view, p.data.row, p.data.scheduled, p.data.version, p.chrome.csrf)
        let w = PlanWords(p.t)
        let a = row.activity
        let uid = a.uid
        let perDay = view.snapshot.minutesPerDay
        // A summary's % complete and costs are its tasks' (costs only when the caller may see every one of them).
        let figures = PlanJSON.figures(view)[uid]
        h.el(.div, .class("head")) { h in
            h.el(.h1, text: "\(row.outline) \(a.name)")
            h.el(.a, .class("button secondary"), .href(PlanPath.wbsRow(key, uid)), text: w["page.plan.back_to_the_wbs"])
        }
        subnav(&h, key: key, on: .wbs, w)
        if let error = p.data.error {
            h.el(.section, .class("card warn"), .id("error")) { h in
                h.el(.b, text: error.sentence)
                h.el(.ul) { h in for line in error.lines { h.el(.li, text: line) } }
            }
        }
        // Computed dates.
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.schedule"])
            h.el(.dl, .class("facts pairs"), .id("computed")) { h in
                func fact(_ label: String, _ value: String, id: String? = nil) {
                    h.el(.dt, text: label)
                    h.el(.dd, .id(id), text: value)
                }
                fact(w["page.plan.start"], PlanFormat.dateTime(s?.start), id: "start")
                fact(w["page.plan.finish"], PlanFormat.dateTime(s?.finish), id: "finish")
                fact(w["page.plan.late_start_finish"], "\(PlanFormat.dateTime(s?.lateStart)) / \(PlanFormat.dateTime(s?.lateFinish))")
                fact(w["page.plan.total_float_days"], s.map { PlanFormat.days($0.totalFloat, perDay: perDay) } ?? "")
                fact(w["page.plan.critical"], s?.isCritical == true ? w["page.plan.yes"] : w["page.plan.no"], id: "critical")
                if !a.system.isEmpty {
                    // A registered system links to its page; free text is shown as written.
                    h.el(.dt, text: w["page.plan.system"])
                    h.el(.dd, .id("system")) { h in
                        if let n = a.systemNumber, let name = view.systemNames[n] {
                            h.el(.a, .href(ProjectPath.item(.system, n).href(key)), text: "\(ItemType.system.reference(projectKey: key, number: n)) \(name)")
                        } else {
                            h.text(view.systemLabel(a))
                        }
                    }
                }
                if let budget = figures?.budget, let actual = figures?.actualCost {
                    fact(w["page.plan.budget"], PlanFormat.money(budget))
                    fact(w["page.plan.actual_cost"], PlanFormat.money(actual))
                }
            }
        }
        if view.canEdit {
            try editForm(&h, a, key: key, perDay: perDay, version: version, token: token, members: p.data.members, companies: p.data.companies,
                         phases: view.snapshot.phases, systems: p.data.systems, w)
        }
        // Links.
        let names = Dictionary(view.snapshot.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.predecessors"])
            h.el(.ul, .id("predecessors")) { h in
                for d in view.snapshot.dependencies where d.successorUID == uid {
                    h.el(.li) { h in
                        h.text("\(PlanFormat.link(d, perDay: perDay)) \(names[d.predecessorUID] ?? "")")
                        guard view.canEdit else { return }
                        h.text(" ")
                        h.postForm(PlanPath.deleteLink(d.id).href(key), .class("inline"), csrf: token,
                                   hidden: [("back", PlanPath.activity(uid).href(key))]) { h in
                            h.el(.button, .class("link danger"), text: w["page.plan.remove"])
                        }
                    }
                }
            }
            h.el(.h2, text: w["page.plan.successors"])
            h.el(.ul) { h in
                for d in view.snapshot.dependencies where d.predecessorUID == uid {
                    h.el(.li) { h in
                        h.el(.a, .href(PlanPath.activity(d.successorUID).href(key)),
                             text: "\(d.successorUID) \(names[d.successorUID] ?? "") (\(d.kind.rawValue))")
                    }
                }
            }
            if view.canEdit {
                h.postForm(PlanPath.activityLinks(uid).href(key), .class("inline-form"), .id("add-link"), csrf: token) { h in
                    h.labelled(w["page.plan.add_predecessors_e_g_12_14ss_2"]) { h in h.el(.input, .name("predecessors"), .required) }
                    h.el(.button, text: w["page.plan.add"])
                }
            }
        }
        // Progress.
        h.el(.section, .class("card"), .id("progress")) { h in
            h.el(.h2, text: w["page.plan.progress"])
            h.el(.p, .class("muted"), text: w["page.plan.status_date"] + ": \(view.snapshot.statusDate?.description ?? w["page.plan.not_set"]) · "
                + w["page.plan.actual_start"] + ": \(PlanFormat.date(a.progress.actualStart)) · " + w["page.plan.actual_finish"]
                + ": \(PlanFormat.date(a.progress.actualFinish)) · "
                + "\(PlanFormat.number(figures?.percentComplete ?? a.progress.percentComplete))%")
            guard view.canUpdateProgress(a) && !row.hasChildren else { return }
            h.postForm(PlanPath.activityProgress(uid).href(key), .class("inline-form"), .id("progress-form"), csrf: token,
                       hidden: [("version", version)]) { h in
                h.labelled(w["page.plan.actual_start"]) { h in
                    h.el(.input, .type("date"), .name("actualStart"), .value(PlanFormat.date(a.progress.actualStart)))
                }
                h.labelled(w["page.plan.actual_finish"]) { h in
                    h.el(.input, .type("date"), .name("actualFinish"), .value(PlanFormat.date(a.progress.actualFinish)))
                }
                func number(_ label: String, _ name: String, size: String) {
                    h.labelled(label) { h in h.el(.input, .name(name), .inputmode("decimal"), .size(size)) }
                }
                number(w["page.plan.percent_complete"], "percentComplete", size: "5")
                number(w["page.plan.remaining_days"], "remainingDays", size: "5")
                if view.canSeeCost(a) { number(w["page.plan.actual_cost"], "actualCost", size: "9") }
                number(w["page.plan.actual_hours"], "actualHours", size: "6")
                h.el(.button, .type("submit"), text: w["page.plan.record_progress"])
            }
        }
        PlanViews.assignments(&h, p, w)
        ItemViews.attachments(&h, p.data.attachments, csrf: token, p.t)
        if view.canEdit {
            // Its place in the WBS (the grid does this by key: Alt+Shift+arrows).
            h.el(.section, .class("card"), .id("position")) { h in
                h.el(.h2, text: w["page.plan.position_in_the_wbs"])
                h.el(.div, .class("moves")) { h in
                    for (move, symbol, label) in [("outdent", "←", w["page.plan.outdent"]), ("indent", "→", w["page.plan.indent"]),
                                                  ("up", "↑", w["page.plan.move_up"]), ("down", "↓", w["page.plan.move_down"])] {
                        h.postForm(PlanPath.moveActivity(uid).href(key), csrf: token) { h in
                            h.el(.button, .class("secondary"), .name("move"), .value(move), .ariaLabel(label + " " + a.name), text: symbol + " " + label)
                        }
                    }
                }
            }
            h.postForm(PlanPath.deleteActivity(uid).href(key), csrf: token, hidden: [("version", version)]) { h in
                h.el(.button, .class("link danger"), text: w["page.plan.delete_this_activity_and_everything"])
            }
        }
    }

    /// The activity's edit form.
    static func editForm(_ h: inout HTMLWriter, _ a: PlanActivity, key: String, perDay: Int, version: String, token: String,
                         members: [MemberView], companies: [CompanyRecord], phases: [PlanPhase],
                         systems: [(value: String, label: String)], _ w: PlanWords) throws {
        let lower = { (id: UUID?) in id?.uuidString.lowercased() ?? "" }
        let memberOptions = try members.map { (value: lower(try $0.user.requireID()), label: $0.user.displayName) }
        let companyOptions = try companies.map { (value: lower(try $0.requireID()), label: $0.name) }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.edit"])
            h.postForm(PlanPath.activity(a.uid).href(key), .class("grid-form"), .id("edit-activity"), csrf: token, hidden: [("version", version)]) { h in
                func input(_ name: String, _ label: String, _ value: String, type: String = "text") {
                    h.labelled(label) { h in h.el(.input, .type(type), .name(name), .value(value)) }
                }
                func choice(_ name: String, _ label: String, _ options: [(value: String, label: String)], _ selected: String) {
                    h.labelled(label) { h in h.select(name, options, selected: selected) }
                }
                input("name", w["page.plan.name"], a.name)
                choice("kind", w["page.plan.kind"], [("task", w["page.plan.task"]), ("milestone", w["page.plan.milestone"])], a.kind.rawValue)
                input("durationDays", w["page.plan.duration_working_days"], PlanFormat.days(a.duration.minutes, perDay: perDay))
                choice("constraint", w["page.plan.constraint"], ActivityConstraint.Kind.allCases.map { ($0.rawValue, $0.rawValue) }, a.constraint.kind.rawValue)
                input("constraintDate", w["page.plan.constraint_date"], a.constraint.date?.date.description ?? "", type: "date")
                input("deadline", w["page.plan.deadline"], a.deadline?.date.description ?? "", type: "date")
                choice("ownerId", w["page.plan.owner"], [("", "")] + memberOptions, lower(a.ownerID?.rawValue))
                choice("companyId", w["page.plan.company"], [("", "")] + companyOptions, lower(a.companyID?.rawValue))
                // A reference, or a system's code or name (the store settles it to the reference); the list offers them.
                h.labelled(w["page.plan.system"]) { h in
                    h.el(.input, .name("system"), .value(a.system), .attr("list", "plan-systems"), .maxlength("200"),
                         .placeholder(w["page.plan.system_hint"]))
                    h.el(.datalist, .id("plan-systems")) { h in
                        for system in systems { h.el(.option, .value(system.value), text: system.label) }
                    }
                }
                choice("phaseId", w["page.plan.phase"], [("", "")] + phases.map { (lower($0.id), $0.name) }, lower(a.phaseID))
                choice("costBasis", w["page.plan.budget_basis"], [("fixed", w["page.plan.fixed_amount"]), ("effort", w["page.plan.effort_rate"])],
                       a.costBasis.rawValue)
                input("budgetAmount", w["page.plan.budget_amount"], PlanFormat.money(a.budgetAmount))
                input("effortHours", w["page.plan.effort_hours"], PlanFormat.number(a.effortHours))
                h.labelled(w["page.plan.notes"], .class("wide")) { h in h.el(.textarea, .name("notes"), .rows("2"), text: a.notes) }
                h.el(.div) { h in h.el(.button, .type("submit"), text: w["page.plan.save"]) }
            }
        }
    }

    /// An activity's resources: who works on it at how many percent, and (for those who change the plan) the form that
    /// replaces them, with empty rows to add more.
    static func assignments(_ h: inout HTMLWriter, _ p: Page<PlanPages.ActivityData>, _ w: PlanWords) {
        let d = p.data, t = p.t
        guard !d.row.hasChildren, d.row.activity.kind != .milestone else { return }
        h.el(.section, .class("card"), .id("resources")) { h in
            h.el(.h2, text: t["res.assigned"])
            if d.assignments.isEmpty { h.el(.p, .class("muted"), text: t["res.no_assignments"]) }
            if d.row.activity.effortDriven { h.el(.p, .id("effort-driven-note"), text: t["res.effort_driven_on"]) }
            h.el(.ul, .id("assignment-list")) { h in
                for a in d.assignments {
                    h.el(.li, text: "\(a.name ?? t["res.hidden"]) · \(t("res.percent", ["n": "\(a.unitsPercent)"]))")
                }
            }
            guard d.view.canEdit, !d.resources.isEmpty else { return }
            h.postForm(PlanPath.activityAssignments(d.row.activity.uid).href(d.key), .id("assignment-form"), csrf: p.chrome.csrf) { h in
                let options = [("", t["res.none_chosen"])] + d.resources.map { r in
                    (r.id.uuidString.lowercased(), r.name + (r.companyName.map { " (\($0))" } ?? ""))
                }
                let rows: [(String, Int)] = d.assignments.map { ($0.resourceID.uuidString.lowercased(), $0.unitsPercent) } + [("", 100), ("", 100)]
                for (i, (resource, units)) in rows.enumerated() {
                    h.el(.div, .class("filters assignment-row")) { h in
                        h.labelled(t["res.col.resource"]) { h in h.select("resource", options, selected: resource, .id("assign-resource-\(i)")) }
                        h.labelled(t["res.col.units"]) { h in
                            h.el(.input, .type("number"), .name("units"), .value("\(units)"), .attr("min", "1"), .attr("max", "\(ResourceRules.maxPercent)"),
                                 .id("assign-units-\(i)"))
                        }
                    }
                }
                h.el(.label, .class("check")) { h in
                    h.el(.input, .type("checkbox"), .name("effortDriven"), .value("1"), .id("assign-effort-driven"),
                         .checked(d.row.activity.effortDriven))
                    h.text(" " + t["res.effort_driven"])
                }
                h.el(.p, .class("muted small"), text: t["res.assign_hint"])
                h.el(.p, .class("muted small"), text: t["res.effort_driven_hint"])
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), .id("save-assignments"), text: t["res.save"]) }
            }
        }
    }
}
