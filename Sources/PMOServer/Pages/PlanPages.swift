import Fluent
import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOSchedule
import PMOStore
import Vapor

/// The plan's pages: the WBS table (editing), an activity, and the posts that change them. Every post recomputes the
/// schedule on the next read, so the page the browser lands on shows the new dates.
enum PlanPages {
    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "plan") { req async throws -> Response in try await wbsPage(req) }
        pages.post("projects", ":key", "plan", "activities") { req async throws -> Response in try await addActivity(req) }
        pages.get("projects", ":key", "plan", "activities", ":uid") { req async throws -> Response in try await activityPage(req) }
        pages.post("projects", ":key", "plan", "activities", ":uid") { req async throws -> Response in try await editActivity(req) }
        pages.post("projects", ":key", "plan", "activities", ":uid", "move") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            guard let move = PlanMove(rawValue: f["move"] ?? "") else { throw DomainError.invalid("plan.invalid", [FieldError(field: "move", code: "unknown", message: "Choose indent, outdent, up or down.")]) }
            try await req.store.plans.moveActivity(caller, key: key, uid: try req.pathInt("uid"), move)
            return req.redirect(to: PlanPath.wbsRow(key, try req.pathInt("uid")))
        }
        pages.post("projects", ":key", "plan", "activities", ":uid", "delete") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            try await req.store.plans.deleteActivity(caller, key: key, uid: try req.pathInt("uid"), expectedVersion: Int(f["version"] ?? ""))
            return req.redirect(to: PlanPath.wbs.href(key))
        }
        pages.post("projects", ":key", "plan", "activities", ":uid", "links") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            let uid = try req.pathInt("uid")
            let view = try await req.store.plans.view(caller, key: key)
            try await addLinks(req, caller: caller, key: key, text: f["predecessors"] ?? "", successor: uid, perDay: view.snapshot.minutesPerDay)
            return req.redirect(to: PlanPath.activity(uid).href(key))
        }
        pages.post("projects", ":key", "plan", "links", ":id", "delete") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            try await req.store.plans.removeDependency(caller, key: key, id: try req.pathUUID("id"))
            return req.redirect(to: PlanPath.back(f["back"], key: key) ?? PlanPath.wbs.href(key))
        }
        pages.post("projects", ":key", "plan", "activities", ":uid", "progress") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            let uid = try req.pathInt("uid")
            func day(_ k: String) -> CivilDate? { f[k].flatMap { $0.isEmpty ? nil : CivilDate(iso: $0) } }
            func num(_ k: String) -> Double? { f[k].flatMap { $0.isEmpty ? nil : Double($0.replacingOccurrences(of: ",", with: "")) } }
            var errors = FieldErrors()
            for k in ["actualStart", "actualFinish"] where !(f[k] ?? "").isEmpty && day(k) == nil { errors.add(k, "invalid_date", "Enter the date as YYYY-MM-DD.") }
            for k in ["percentComplete", "remainingDays", "actualCost", "actualHours"] where !(f[k] ?? "").isEmpty && num(k) == nil {
                errors.add(k, "not_a_number", "Enter a number.")
            }
            try errors.throwIfAny("plan.invalid")
            _ = try await req.store.plans.recordProgress(caller, key: key, uid: uid, expectedVersion: Int(f["version"] ?? ""), ProgressInput(
                actualStart: day("actualStart"), actualFinish: day("actualFinish"), percentComplete: num("percentComplete"),
                remainingDays: num("remainingDays"), actualCost: num("actualCost"), actualHours: num("actualHours")))
            return req.redirect(to: PlanPath.back(f["back"], key: key) ?? PlanPath.activity(uid).href(key))
        }
        pages.post("projects", ":key", "plan", "status-date") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            guard let d = CivilDate(iso: f["statusDate"] ?? "") else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "statusDate", code: "invalid_date", message: "Enter the status date as YYYY-MM-DD.")])
            }
            try await req.store.plans.setStatusDate(caller, key: key, d)
            return req.redirect(to: PlanPath.back(f["back"], key: key) ?? PlanPath.progress.href(key))
        }
        PlanChartPages.register(pages)
        PlanAdminPages.register(pages)
    }

    static func formContext(_ req: Request) throws -> (Caller, String, [String: String]) {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        return (caller, key, try req.form())
    }

    /// The plan's own navigation, shown on every plan page.
    static func subnav(_ h: inout HTMLWriter, key: String, on current: PlanPath, _ w: PlanWords) {
        let items: [(PlanPath, String)] = [
            (.wbs, w["page.plan.wbs"]), (.gantt, w["page.plan.gantt"]), (.master, w["page.plan.master_schedule"]),
            (.progress, w["page.plan.progress"]), (.baselines, w["page.plan.baselines"]), (.evm, w["page.plan.earned_value"]),
            (.calendars, w["page.plan.calendars"]), (.importExport, w["page.plan.import_export"]),
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

    static func wbsPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let w = PlanWords(req)
        let scheduled = view.scheduledByUID
        var preds: [Int: [PlanDependency]] = [:]
        for d in view.snapshot.dependencies { preds[d.successorUID, default: []].append(d) }
        let maxLevel = Int((try? req.query.get(String.self, at: "level")) ?? "") ?? 0
        let token = req.csrfToken
        let shown = view.rows.filter { maxLevel == 0 || $0.level <= maxLevel }
        var h = HTMLWriter(capacity: 2048 + shown.count * 1200)
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
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list wbs"), .id("wbs")) { h in
                h.el(.thead) { h in
                    h.el(.tr) { h in
                        for col in ["ID", w["page.plan.wbs"], w["page.plan.name"], w["page.plan.dur"], w["page.plan.start"], w["page.plan.finish"],
                                    w["page.plan.float"], w["page.plan.pred"], w["page.plan.owner"], w["page.plan.company"], "%", ""] {
                            h.el(.th, text: col)
                        }
                    }
                }
                h.el(.tbody) { h in
                    for row in shown { wbsRow(&h, row, view: view, scheduled: scheduled[row.activity.uid], preds: preds[row.activity.uid] ?? [],
                                              key: key, token: token, w) }
                }
            }
        }
        return try await req.renderProjectPage(h, title: w["page.plan.plan"], section: "plan", project: view.context.project)
    }

    /// One row of the WBS table.
    static func wbsRow(_ h: inout HTMLWriter, _ row: WBSRow, view: PlanView, scheduled s: ScheduledActivity?, preds: [PlanDependency],
                       key: String, token: String, _ w: PlanWords) {
        let a = row.activity
        let perDay = view.snapshot.minutesPerDay
        let critical = s?.isCritical == true
        let rowClass = "lvl\(min(row.level, 6))" + (row.hasChildren ? " summary" : "") + (critical ? " critical" : "")
        h.el(.tr, .id("a\(a.uid)"), .attr("data-uid", "\(a.uid)"), .class(rowClass)) { h in
            h.el(.td, .class("num"), text: "\(a.uid)")
            h.el(.td, text: row.outline)
            h.el(.td, .class("name"), .style("--level:\(row.level - 1)")) { h in
                h.el(.a, .href(PlanPath.activity(a.uid).href(key)), text: a.name)
                if a.kind == .milestone && !row.hasChildren { h.text(" ◆") }
                if critical {
                    h.text(" ")
                    h.el(.span, .class("crit"), .title("critical"), text: "!")
                }
            }
            let durationMinutes = row.hasChildren ? (s.map { scheduleSpan($0, view) } ?? 0) : a.duration.minutes
            h.el(.td, .class("num"), text: PlanFormat.days(durationMinutes, perDay: perDay))
            h.el(.td, .class("date start"), text: PlanFormat.date(s?.start))
            h.el(.td, .class("date finish"), text: PlanFormat.date(s?.finish))
            h.el(.td, .class("num float"), text: s.map { PlanFormat.days($0.totalFloat, perDay: perDay) } ?? "")
            h.el(.td, text: preds.map { PlanFormat.link($0, perDay: perDay) }.joined(separator: ", "))
            h.el(.td, text: a.ownerID.flatMap { view.userNames[$0.rawValue] } ?? "")
            h.el(.td, text: a.companyID.flatMap { view.companyNames[$0.rawValue] } ?? "")
            h.el(.td, .class("num pct"), text: PlanFormat.number(a.progress.percentComplete))
            h.el(.td, .class("moves")) { h in
                guard view.canEdit else { return }
                for (move, symbol, label) in [("outdent", "←", w["page.plan.outdent"]), ("indent", "→", w["page.plan.indent"]),
                                              ("up", "↑", w["page.plan.move_up"]), ("down", "↓", w["page.plan.move_down"])] {
                    h.postForm(PlanPath.moveActivity(a.uid).href(key), csrf: token) { h in
                        h.el(.button, .class("icon"), .name("move"), .value(move), .title(label), .ariaLabel(label + " " + a.name), text: symbol)
                    }
                }
            }
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

    static func addActivity(_ req: Request) async throws -> Response {
        let (caller, key, f) = try formContext(req)
        let view = try await req.store.plans.view(caller, key: key)
        let perDay = view.snapshot.minutesPerDay
        let days = Double((f["durationDays"] ?? "").replacingOccurrences(of: ",", with: ".")) ?? (f["durationDays"]?.isEmpty ?? true ? 0 : -1)
        guard days >= 0, days * Double(perDay) <= Double(PlanRules.durationMaxMinutes) else {
            throw DomainError.invalid("plan.invalid", [FieldError(field: "durationDays", code: "not_a_number", message: "Enter the duration in working days, e.g. 5 or 0.5.")])
        }
        let links = try parseLinks(f["predecessors"] ?? "", successor: 0, perDay: perDay)
        let kind: Activity.Kind = f["kind"] == "milestone" ? .milestone : .task
        let name = f["name"] ?? ""
        let parent = Int(f["parentUid"] ?? "")
        // Checked before the activity is created, so a bad predecessor leaves nothing half-made.
        let known = Set(view.snapshot.activities.map(\.uid))
        let parents = Dictionary(view.snapshot.activities.compactMap { a in a.parentUID.map { (a.uid, $0) } }, uniquingKeysWith: { a, _ in a })
        for l in links {
            if !known.contains(l.predecessorUID) {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "predecessors", code: "not_found",
                    message: "There is no activity \(l.predecessorUID) in \(key) to follow.")])
            }
            if let parent, l.predecessorUID == parent || PlanRules.isAncestor(l.predecessorUID, of: parent, parents: parents) {
                throw DomainError.invalid("plan.link_within_summary", [FieldError(field: "predecessors", code: "summary_and_own_row",
                    message: "A summary cannot be linked to one of its own rows: the new activity goes under \(l.predecessorUID).")])
            }
        }
        let a = try await req.store.plans.createActivity(caller, key: key, parentUID: parent) { a in
            a.name = name
            a.kind = kind
            a.duration = kind == .milestone ? .zero : .working(Int(nearest: days * Double(perDay)) ?? 0)
        }
        do {
            for var l in links {
                l.successorUID = a.uid
                _ = try await req.store.plans.addDependency(caller, key: key, l)
            }
        } catch let e as DomainError {
            // The activity stays; the refused link is explained on the activity's page.
            return try await activityPage(req, uid: a.uid, error: e)
        }
        return req.redirect(to: PlanPath.wbsRow(key, a.uid))
    }

    static func parseLinks(_ text: String, successor: Int, perDay: Int) throws -> [PlanDependencyInput] {
        // A Japanese list separator (、) is read like a comma: links are typed by hand in either language.
        let parts = text.split(whereSeparator: { $0 == "," || $0 == "、" || $0 == " " }).map(String.init).filter { !$0.isEmpty }
        var out: [PlanDependencyInput] = []
        for p in parts {
            guard let l = PlanFormat.parseLink(p, successor: successor, perDay: perDay) else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "predecessors", code: "malformed",
                    message: "\"\(p)\" is not a predecessor. Write an activity ID, optionally with FS/SS/FF/SF and a lag in days: 12, 12SS, 12FS+2, 12FF-1.")])
            }
            out.append(l)
        }
        return out
    }

    static func addLinks(_ req: Request, caller: Caller, key: String, text: String, successor: Int, perDay: Int) async throws {
        for l in try parseLinks(text, successor: successor, perDay: perDay) {
            _ = try await req.store.plans.addDependency(caller, key: key, l)
        }
    }

    // MARK: One activity

    static func activityPage(_ req: Request) async throws -> Response {
        try await activityPage(req, uid: try req.pathInt("uid"), error: nil)
    }

    static func activityPage(_ req: Request, uid: Int, error: DomainError?) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        guard let row = view.row(uid) else {
            throw DomainError.notFound("plan.activity_not_found", "There is no activity \(uid) in the plan of \(key).", subjects: ["\(uid)"])
        }
        let w = PlanWords(req)
        let a = row.activity
        let s = view.scheduled(uid)
        let perDay = view.snapshot.minutesPerDay
        let token = req.csrfToken
        let version = "\(view.activityVersions[uid] ?? 1)"
        let members = view.canEdit ? try await req.store.projects.members(caller, key: key) : []
        let companies = view.canEdit ? try await req.store.accounts.companies() : []
        var h = HTMLWriter()
        h.el(.div, .class("head")) { h in
            h.el(.h1, text: "\(row.outline) \(a.name)")
            h.el(.a, .class("button secondary"), .href(PlanPath.wbsRow(key, uid)), text: w["page.plan.back_to_the_wbs"])
        }
        subnav(&h, key: key, on: .wbs, w)
        if let error {
            h.el(.section, .class("card warn"), .id("error")) { h in
                h.el(.b, text: req.sentence(error))
                h.el(.ul) { h in for fe in req.shown(error.fieldErrors) { h.el(.li, text: fe.message) } }
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
                if view.canSeeCost(a) {
                    let rate = a.companyID.flatMap { view.snapshot.rates[$0] }
                    fact(w["page.plan.budget"], PlanFormat.money(a.budget(rate: rate)))
                    fact(w["page.plan.actual_cost"], PlanFormat.money(a.actual(rate: rate)))
                }
            }
        }
        if view.canEdit {
            try editForm(&h, a, key: key, perDay: perDay, version: version, token: token, members: members, companies: companies,
                         phases: view.snapshot.phases, w)
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
                + ": \(PlanFormat.date(a.progress.actualFinish)) · " + "\(PlanFormat.number(a.progress.percentComplete))%")
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
        if view.canEdit {
            h.postForm(PlanPath.deleteActivity(uid).href(key), csrf: token, hidden: [("version", version)]) { h in
                h.el(.button, .class("link danger"), text: w["page.plan.delete_this_activity_and_everything"])
            }
        }
        return try await req.renderProjectPage(h, title: a.name, section: "plan", project: view.context.project,
                                               status: error == nil ? .ok : .unprocessableEntity)
    }

    /// The activity's edit form.
    static func editForm(_ h: inout HTMLWriter, _ a: PlanActivity, key: String, perDay: Int, version: String, token: String,
                         members: [MemberView], companies: [CompanyRecord], phases: [PlanPhase], _ w: PlanWords) throws {
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
                input("system", w["page.plan.system"], a.system)
                choice("phaseId", w["page.plan.phase"], [("", "")] + phases.map { (lower($0.id), $0.name) }, lower(a.phaseID))
                choice("costBasis", w["page.plan.budget_basis"], [("fixed", w["page.plan.fixed_amount"]), ("effort", w["page.plan.effort_rate"])],
                       a.costBasis.rawValue)
                input("budgetAmount", w["page.plan.budget_amount"], PlanFormat.number(a.budgetAmount))
                input("effortHours", w["page.plan.effort_hours"], PlanFormat.number(a.effortHours))
                h.labelled(w["page.plan.notes"], .class("wide")) { h in h.el(.textarea, .name("notes"), .rows("2"), text: a.notes) }
                h.el(.div) { h in h.el(.button, .type("submit"), text: w["page.plan.save"]) }
            }
        }
    }

    static func editActivity(_ req: Request) async throws -> Response {
        let (caller, key, f) = try formContext(req)
        let uid = try req.pathInt("uid")
        let view = try await req.store.plans.view(caller, key: key)
        let perDay = view.snapshot.minutesPerDay
        var errors = FieldErrors()
        func number(_ k: String) -> Double {
            let text = (f[k] ?? "").replacingOccurrences(of: ",", with: "")
            if text.isEmpty { return 0 }
            guard let v = Double(text), v.isFinite, abs(v) <= PlanRules.amountMax else { errors.add(k, "not_a_number", "Enter a number."); return 0 }
            return v
        }
        func day(_ k: String) -> CivilDate? {
            let text = f[k] ?? ""
            if text.isEmpty { return nil }
            guard let d = CivilDate(iso: text) else { errors.add(k, "invalid_date", "Enter the date as YYYY-MM-DD."); return nil }
            return d
        }
        let days = number("durationDays")
        let budget = number("budgetAmount")
        let effort = number("effortHours")
        let constraintDate = day("constraintDate")
        let deadline = day("deadline")
        let owner = f["ownerId"].flatMap { UUID(uuidString: $0) }.map(UserID.init)
        let company = f["companyId"].flatMap { UUID(uuidString: $0) }.map(CompanyID.init)
        let phase = f["phaseId"].flatMap { UUID(uuidString: $0) }
        try errors.throwIfAny("plan.invalid")
        let constraintKind = ActivityConstraint.Kind(rawValue: f["constraint"] ?? "") ?? .asSoonAsPossible
        // Finish-type constraints and deadlines fall at the end of the day, start-type ones at its beginning.
        let isFinish = [.mustFinishOn, .finishNoEarlierThan, .finishNoLaterThan].contains(constraintKind)
        let kind: Activity.Kind = f["kind"] == "milestone" ? .milestone : .task
        _ = try await req.store.plans.updateActivity(caller, key: key, uid: uid, expectedVersion: Int(f["version"] ?? "")) { a in
            a.name = f["name"] ?? a.name
            a.kind = kind
            a.duration = kind == .milestone ? .zero : WorkDuration(minutes: Int(nearest: days * Double(perDay)) ?? -1, kind: a.duration.kind)
            a.constraint = ActivityConstraint(constraintKind, date: constraintDate.map { LocalTime(date: $0, minuteOfDay: isFinish ? 1440 : 0) })
            a.deadline = deadline.map { LocalTime(date: $0, minuteOfDay: 1440) }
            a.ownerID = owner
            a.companyID = company
            a.system = f["system"] ?? ""
            a.phaseID = phase
            a.costBasis = CostBasis(rawValue: f["costBasis"] ?? "") ?? .fixed
            a.budgetAmount = budget
            a.effortHours = effort
            a.notes = f["notes"] ?? ""
        }
        return req.redirect(to: PlanPath.activity(uid).href(key))
    }
}
