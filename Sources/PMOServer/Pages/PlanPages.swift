import Fluent
import Foundation
import PMOCore
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
            try await req.store.moveActivity(caller, key: key, uid: try req.pathInt("uid"), move)
            return req.redirect(to: "/projects/\(key)/plan#a\(try req.pathInt("uid"))")
        }
        pages.post("projects", ":key", "plan", "activities", ":uid", "delete") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            try await req.store.deleteActivity(caller, key: key, uid: try req.pathInt("uid"), expectedVersion: Int(f["version"] ?? ""))
            return req.redirect(to: "/projects/\(key)/plan")
        }
        pages.post("projects", ":key", "plan", "activities", ":uid", "links") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            let uid = try req.pathInt("uid")
            let view = try await req.store.plan(caller, key: key)
            try await addLinks(req, caller: caller, key: key, text: f["predecessors"] ?? "", successor: uid, perDay: view.snapshot.minutesPerDay)
            return req.redirect(to: "/projects/\(key)/plan/activities/\(uid)")
        }
        pages.post("projects", ":key", "plan", "links", ":id", "delete") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            try await req.store.removeDependency(caller, key: key, id: try req.pathUUID("id"))
            return req.redirect(to: f["back"].flatMap { $0.hasPrefix("/projects/\(key)/") ? $0 : nil } ?? "/projects/\(key)/plan")
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
            _ = try await req.store.recordProgress(caller, key: key, uid: uid, expectedVersion: Int(f["version"] ?? ""), ProgressInput(
                actualStart: day("actualStart"), actualFinish: day("actualFinish"), percentComplete: num("percentComplete"),
                remainingDays: num("remainingDays"), actualCost: num("actualCost"), actualHours: num("actualHours")))
            let back = f["back"].flatMap { $0.hasPrefix("/projects/\(key)/") ? $0 : nil }
            return req.redirect(to: back ?? "/projects/\(key)/plan/activities/\(uid)")
        }
        pages.post("projects", ":key", "plan", "status-date") { req async throws -> Response in
            let (caller, key, f) = try formContext(req)
            guard let d = CivilDate(iso: f["statusDate"] ?? "") else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "statusDate", code: "invalid_date", message: "Enter the status date as YYYY-MM-DD.")])
            }
            try await req.store.setStatusDate(caller, key: key, d)
            return req.redirect(to: f["back"].flatMap { $0.hasPrefix("/projects/\(key)/") ? $0 : nil } ?? "/projects/\(key)/plan/progress")
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
    static func subnav(_ h: inout HTML, key: String, on current: String, _ w: PlanWords) {
        let items = [("", w["page.plan.wbs"]), ("gantt", w["page.plan.gantt"]), ("master", w["page.plan.master_schedule"]),
                     ("progress", w["page.plan.progress"]), ("baselines", w["page.plan.baselines"]), ("evm", w["page.plan.earned_value"]),
                     ("calendars", w["page.plan.calendars"]), ("import", w["page.plan.import_export"])]
        h.raw("<nav class=\"plan-nav\">")
        for (path, label) in items {
            let href = "/projects/\(key)/plan" + (path.isEmpty ? "" : "/\(path)")
            h.raw("<a href=\"\(HTML.e(href))\"\(path == current ? " class=\"on\"" : "")>")
            h.t(label)
            h.raw("</a>")
        }
        h.raw("</nav>")
    }

    static func csrf(_ req: Request) -> String {
        if case .session(_, let token)? = req.credential { return HTML.e(token) }
        return ""
    }

    /// Schedule conflicts with their reasons; shown on the WBS and Gantt pages.
    static func diagnostics(_ h: inout HTML, _ view: PlanView, _ w: PlanWords) {
        let problems = view.result.diagnostics
        guard !problems.isEmpty else { return }
        let names = Dictionary(view.snapshot.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
        h.raw("<section class=\"card warn\" id=\"conflicts\"><h2>")
        h.t(w["page.plan.schedule_conflicts"] + " (\(problems.count))")
        h.raw("</h2><ul>")
        for d in problems.prefix(50) {
            h.raw("<li class=\"conflict\" data-code=\"\(HTML.e(d.code.rawValue))\"><b>")
            h.t(conflictLabel(d.code, w))
            h.raw("</b>: ")
            h.t(d.activities.map { "\(names[$0.rawValue] ?? "?") (\($0.rawValue))" }.joined(separator: ", "))
            h.raw(" <span class=\"muted\">")
            h.t(d.message)
            h.raw("</span></li>")
        }
        h.raw("</ul></section>")
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
        let view = try await req.store.plan(caller, key: key)
        let w = PlanWords(req)
        let perDay = view.snapshot.minutesPerDay
        let scheduled = view.scheduledByUID
        var preds: [Int: [PlanDependency]] = [:]
        for d in view.snapshot.dependencies { preds[d.successorUID, default: []].append(d) }
        let maxLevel = Int((try? req.query.get(String.self, at: "level")) ?? "") ?? 0
        var h = HTML()
        h.raw("<div class=\"head\"><h1>")
        h.t(view.snapshot.name)
        h.raw("</h1><span class=\"muted\">")
        h.t(w["page.plan.start"] + " \(view.snapshot.startDate) · " + w["page.plan.finish"] + " \(PlanFormat.date(view.rows.isEmpty ? nil : view.result.projectFinish)) · "
            + w["page.plan.status_date"] + " \(view.snapshot.statusDate?.description ?? "–") · \(view.rows.count) " + w["page.plan.activities"])
        h.raw("</span></div>")
        subnav(&h, key: key, on: "", w)
        diagnostics(&h, view, w)
        if view.canEdit {
            h.raw("<section class=\"card\"><h2>")
            h.t(w["page.plan.add_an_activity"])
            h.raw("</h2><form method=\"post\" action=\"/projects/\(HTML.e(key))/plan/activities\" class=\"inline-form\" id=\"add-activity\">")
            h.raw("<input type=\"hidden\" name=\"_csrf\" value=\"\(csrf(req))\">")
            h.raw("<label>\(HTML.e(w["page.plan.name"]))<input name=\"name\" required maxlength=\"200\" autofocus accesskey=\"n\"></label>")
            h.raw("<label>\(HTML.e(w["page.plan.kind"]))<select name=\"kind\"><option value=\"task\">\(HTML.e(w["page.plan.task"]))</option><option value=\"milestone\">\(HTML.e(w["page.plan.milestone"]))</option></select></label>")
            h.raw("<label>\(HTML.e(w["page.plan.duration_days"]))<input name=\"durationDays\" inputmode=\"decimal\" value=\"1\" size=\"5\"></label>")
            h.raw("<label>\(HTML.e(w["page.plan.under"]))<select name=\"parentUid\"><option value=\"\">\(HTML.e(w["page.plan.top_level"]))</option>")
            for row in view.rows where maxLevel == 0 || row.level <= maxLevel {
                h.raw("<option value=\"\(row.activity.uid)\">")
                h.t("\(row.outline) \(row.activity.name)")
                h.raw("</option>")
            }
            h.raw("</select></label>")
            h.raw("<label>\(HTML.e(w["page.plan.predecessors_e_g_12_14ss_2"]))<input name=\"predecessors\" size=\"14\"></label>")
            h.raw("<button type=\"submit\">\(HTML.e(w["page.plan.add"]))</button></form>")
            h.raw("<p class=\"muted\">")
            h.t(w["page.plan.predecessors_are_ids_fs_by_default_ss_ff"])
            h.raw("</p></section>")
        }
        h.raw("<p class=\"muted\">")
        h.t(w["page.plan.show_levels"] + ": ")
        for (l, label) in [(1, "1"), (2, "2"), (3, "3"), (0, w["page.plan.all"])] {
            h.raw(" <a href=\"/projects/\(HTML.e(key))/plan\(l == 0 ? "" : "?level=\(l)")\"\(l == maxLevel ? " class=\"on\"" : "")>\(HTML.e(label))</a>")
        }
        h.raw("</p><div class=\"table-wrap\"><table class=\"list wbs\" id=\"wbs\"><thead><tr>")
        for col in ["ID", w["page.plan.wbs"], w["page.plan.name"], w["page.plan.dur"], w["page.plan.start"], w["page.plan.finish"], w["page.plan.float"],
                    w["page.plan.pred"], w["page.plan.owner"], w["page.plan.company"], "%", ""] {
            h.raw("<th>\(HTML.e(col))</th>")
        }
        h.raw("</tr></thead><tbody>")
        let token = csrf(req)
        for row in view.rows where maxLevel == 0 || row.level <= maxLevel {
            let a = row.activity
            let s = scheduled[a.uid]
            let critical = s?.isCritical == true
            h.raw("<tr id=\"a\(a.uid)\" data-uid=\"\(a.uid)\" class=\"lvl\(min(row.level, 6))\(row.hasChildren ? " summary" : "")\(critical ? " critical" : "")\">")
            h.raw("<td class=\"num\">\(a.uid)</td><td>\(HTML.e(row.outline))</td>")
            h.raw("<td class=\"name\" style=\"--level:\(row.level - 1)\"><a href=\"/projects/\(HTML.e(key))/plan/activities/\(a.uid)\">")
            h.t(a.name)
            h.raw("</a>\(a.kind == .milestone && !row.hasChildren ? " ◆" : "")\(critical ? " <span class=\"crit\" title=\"critical\">!</span>" : "")</td>")
            let durationMinutes = row.hasChildren ? (s.map { scheduleSpan($0, view) } ?? 0) : a.duration.minutes
            h.raw("<td class=\"num\">\(PlanFormat.days(durationMinutes, perDay: perDay))</td>")
            h.raw("<td class=\"date start\">\(PlanFormat.date(s?.start))</td><td class=\"date finish\">\(PlanFormat.date(s?.finish))</td>")
            h.raw("<td class=\"num float\">\(s.map { PlanFormat.days($0.totalFloat, perDay: perDay) } ?? "")</td>")
            h.raw("<td>\(HTML.e((preds[a.uid] ?? []).map { PlanFormat.link($0, perDay: perDay) }.joined(separator: ", ")))</td>")
            h.raw("<td>\(HTML.e(a.ownerID.flatMap { view.userNames[$0.rawValue] } ?? ""))</td>")
            h.raw("<td>\(HTML.e(a.companyID.flatMap { view.companyNames[$0.rawValue] } ?? ""))</td>")
            h.raw("<td class=\"num pct\">\(PlanFormat.number(a.progress.percentComplete))</td><td class=\"moves\">")
            if view.canEdit {
                for (move, symbol, label) in [("outdent", "←", w["page.plan.outdent"]), ("indent", "→", w["page.plan.indent"]),
                                              ("up", "↑", w["page.plan.move_up"]), ("down", "↓", w["page.plan.move_down"])] {
                    h.raw("<form method=\"post\" action=\"/projects/\(HTML.e(key))/plan/activities/\(a.uid)/move\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><button class=\"icon\" name=\"move\" value=\"\(move)\" title=\"\(HTML.e(label))\" aria-label=\"\(HTML.e(label + " " + a.name))\">\(symbol)</button></form>")
                }
            }
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table></div>")
        return try await req.renderPlanPage(h, title: w["page.plan.plan"], project: view.context.project)
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
        let view = try await req.store.plan(caller, key: key)
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
        let a = try await req.store.createActivity(caller, key: key, parentUID: parent) { a in
            a.name = name
            a.kind = kind
            a.duration = kind == .milestone ? .zero : .working(Int(nearest: days * Double(perDay)) ?? 0)
        }
        do {
            for var l in links {
                l.successorUID = a.uid
                _ = try await req.store.addDependency(caller, key: key, l)
            }
        } catch let e as DomainError {
            // The activity stays; the refused link is explained on the activity's page.
            return try await activityPage(req, uid: a.uid, error: e)
        }
        return req.redirect(to: "/projects/\(key)/plan#a\(a.uid)")
    }

    static func parseLinks(_ text: String, successor: Int, perDay: Int) throws -> [PlanDependencyInput] {
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
            _ = try await req.store.addDependency(caller, key: key, l)
        }
    }

    // MARK: One activity

    static func activityPage(_ req: Request) async throws -> Response {
        try await activityPage(req, uid: try req.pathInt("uid"), error: nil)
    }

    static func activityPage(_ req: Request, uid: Int, error: DomainError?) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plan(caller, key: key)
        guard let row = view.row(uid) else {
            throw DomainError.notFound("plan.activity_not_found", "There is no activity \(uid) in the plan of \(key).", subjects: ["\(uid)"])
        }
        let w = PlanWords(req)
        let a = row.activity
        let s = view.scheduled(uid)
        let perDay = view.snapshot.minutesPerDay
        let token = csrf(req)
        let version = view.activityVersions[uid] ?? 1
        let k = HTML.e(key)
        var h = HTML()
        h.raw("<div class=\"head\"><h1>")
        h.t("\(row.outline) \(a.name)")
        h.raw("</h1><a class=\"button secondary\" href=\"/projects/\(k)/plan#a\(uid)\">\(HTML.e(w["page.plan.back_to_the_wbs"]))</a></div>")
        subnav(&h, key: key, on: "", w)
        if let error {
            h.raw("<section class=\"card warn\" id=\"error\"><b>")
            h.t(req.sentence(error))
            h.raw("</b><ul>")
            for fe in req.shown(error.fieldErrors) { h.raw("<li>"); h.t(fe.message); h.raw("</li>") }
            h.raw("</ul></section>")
        }
        // Computed dates.
        h.raw("<section class=\"card\"><h2>\(HTML.e(w["page.plan.schedule"]))</h2><dl class=\"facts pairs\" id=\"computed\">")
        func fact(_ label: String, _ value: String, id: String = "") {
            h.raw("<dt>\(HTML.e(label))</dt><dd\(id.isEmpty ? "" : " id=\"\(id)\"")>\(HTML.e(value))</dd>")
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
        h.raw("</dl></section>")
        // Edit form.
        if view.canEdit {
            h.raw("<section class=\"card\"><h2>\(HTML.e(w["page.plan.edit"]))</h2><form method=\"post\" action=\"/projects/\(k)/plan/activities/\(uid)\" class=\"grid-form\" id=\"edit-activity\">")
            h.raw("<input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"version\" value=\"\(version)\">")
            func input(_ name: String, _ label: String, _ value: String, type: String = "text") {
                h.raw("<label>\(HTML.e(label))<input type=\"\(type)\" name=\"\(name)\" value=\"\(HTML.e(value))\"></label>")
            }
            input("name", w["page.plan.name"], a.name)
            h.raw("<label>\(HTML.e(w["page.plan.kind"]))<select name=\"kind\">")
            for (v, l) in [("task", w["page.plan.task"]), ("milestone", w["page.plan.milestone"])] {
                h.raw("<option value=\"\(v)\"\(a.kind.rawValue == v ? " selected" : "")>\(HTML.e(l))</option>")
            }
            h.raw("</select></label>")
            input("durationDays", w["page.plan.duration_working_days"], PlanFormat.days(a.duration.minutes, perDay: perDay))
            h.raw("<label>\(HTML.e(w["page.plan.constraint"]))<select name=\"constraint\">")
            for c in ActivityConstraint.Kind.allCases {
                h.raw("<option value=\"\(c.rawValue)\"\(a.constraint.kind == c ? " selected" : "")>\(c.rawValue)</option>")
            }
            h.raw("</select></label>")
            input("constraintDate", w["page.plan.constraint_date"], a.constraint.date?.date.description ?? "", type: "date")
            input("deadline", w["page.plan.deadline"], a.deadline?.date.description ?? "", type: "date")
            let members = try await req.store.members(caller, key: key)
            h.raw("<label>\(HTML.e(w["page.plan.owner"]))<select name=\"ownerId\"><option value=\"\"></option>")
            for m in members {
                h.raw("<option value=\"\(try m.user.requireID().uuidString.lowercased())\"\(a.ownerID?.rawValue == m.user.id ? " selected" : "")>")
                h.t(m.user.displayName)
                h.raw("</option>")
            }
            h.raw("</select></label>")
            let companies = try await req.store.companies()
            h.raw("<label>\(HTML.e(w["page.plan.company"]))<select name=\"companyId\"><option value=\"\"></option>")
            for c in companies {
                h.raw("<option value=\"\(try c.requireID().uuidString.lowercased())\"\(a.companyID?.rawValue == c.id ? " selected" : "")>")
                h.t(c.name)
                h.raw("</option>")
            }
            h.raw("</select></label>")
            input("system", w["page.plan.system"], a.system)
            h.raw("<label>\(HTML.e(w["page.plan.phase"]))<select name=\"phaseId\"><option value=\"\"></option>")
            for p in view.snapshot.phases {
                h.raw("<option value=\"\(p.id.uuidString.lowercased())\"\(a.phaseID == p.id ? " selected" : "")>")
                h.t(p.name)
                h.raw("</option>")
            }
            h.raw("</select></label>")
            h.raw("<label>\(HTML.e(w["page.plan.budget_basis"]))<select name=\"costBasis\">")
            for (v, l) in [("fixed", w["page.plan.fixed_amount"]), ("effort", w["page.plan.effort_rate"])] {
                h.raw("<option value=\"\(v)\"\(a.costBasis.rawValue == v ? " selected" : "")>\(HTML.e(l))</option>")
            }
            h.raw("</select></label>")
            input("budgetAmount", w["page.plan.budget_amount"], PlanFormat.number(a.budgetAmount))
            input("effortHours", w["page.plan.effort_hours"], PlanFormat.number(a.effortHours))
            h.raw("<label class=\"wide\">\(HTML.e(w["page.plan.notes"]))<textarea name=\"notes\" rows=\"2\">")
            h.t(a.notes)
            h.raw("</textarea></label><div><button type=\"submit\">\(HTML.e(w["page.plan.save"]))</button></div></form></section>")
        }
        // Links.
        h.raw("<section class=\"card\"><h2>\(HTML.e(w["page.plan.predecessors"]))</h2><ul id=\"predecessors\">")
        let names = Dictionary(view.snapshot.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
        for d in view.snapshot.dependencies where d.successorUID == uid {
            h.raw("<li>")
            h.t("\(PlanFormat.link(d, perDay: perDay)) \(names[d.predecessorUID] ?? "")")
            if view.canEdit {
                h.raw(" <form class=\"inline\" method=\"post\" action=\"/projects/\(k)/plan/links/\(d.id.uuidString.lowercased())/delete\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"back\" value=\"/projects/\(k)/plan/activities/\(uid)\"><button class=\"link danger\">\(HTML.e(w["page.plan.remove"]))</button></form>")
            }
            h.raw("</li>")
        }
        h.raw("</ul><h2>\(HTML.e(w["page.plan.successors"]))</h2><ul>")
        for d in view.snapshot.dependencies where d.predecessorUID == uid {
            h.raw("<li><a href=\"/projects/\(k)/plan/activities/\(d.successorUID)\">")
            h.t("\(d.successorUID) \(names[d.successorUID] ?? "") (\(d.kind.rawValue))")
            h.raw("</a></li>")
        }
        h.raw("</ul>")
        if view.canEdit {
            h.raw("<form method=\"post\" action=\"/projects/\(k)/plan/activities/\(uid)/links\" class=\"inline-form\" id=\"add-link\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\">")
            h.raw("<label>\(HTML.e(w["page.plan.add_predecessors_e_g_12_14ss_2"]))<input name=\"predecessors\" required></label><button>\(HTML.e(w["page.plan.add"]))</button></form>")
        }
        h.raw("</section>")
        // Progress.
        h.raw("<section class=\"card\" id=\"progress\"><h2>\(HTML.e(w["page.plan.progress"]))</h2><p class=\"muted\">")
        h.t(w["page.plan.status_date"] + ": \(view.snapshot.statusDate?.description ?? w["page.plan.not_set"]) · "
            + w["page.plan.actual_start"] + ": \(PlanFormat.date(a.progress.actualStart)) · " + w["page.plan.actual_finish"] + ": \(PlanFormat.date(a.progress.actualFinish)) · "
            + "\(PlanFormat.number(a.progress.percentComplete))%")
        h.raw("</p>")
        if view.canUpdateProgress(a) && !row.hasChildren {
            h.raw("<form method=\"post\" action=\"/projects/\(k)/plan/activities/\(uid)/progress\" class=\"inline-form\" id=\"progress-form\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"version\" value=\"\(version)\">")
            h.raw("<label>\(HTML.e(w["page.plan.actual_start"]))<input type=\"date\" name=\"actualStart\" value=\"\(PlanFormat.date(a.progress.actualStart))\"></label>")
            h.raw("<label>\(HTML.e(w["page.plan.actual_finish"]))<input type=\"date\" name=\"actualFinish\" value=\"\(PlanFormat.date(a.progress.actualFinish))\"></label>")
            h.raw("<label>\(HTML.e(w["page.plan.percent_complete"]))<input name=\"percentComplete\" inputmode=\"decimal\" size=\"5\"></label>")
            h.raw("<label>\(HTML.e(w["page.plan.remaining_days"]))<input name=\"remainingDays\" inputmode=\"decimal\" size=\"5\"></label>")
            if view.canSeeCost(a) {
                h.raw("<label>\(HTML.e(w["page.plan.actual_cost"]))<input name=\"actualCost\" inputmode=\"decimal\" size=\"9\"></label>")
            }
            h.raw("<label>\(HTML.e(w["page.plan.actual_hours"]))<input name=\"actualHours\" inputmode=\"decimal\" size=\"6\"></label>")
            h.raw("<button type=\"submit\">\(HTML.e(w["page.plan.record_progress"]))</button></form>")
        }
        h.raw("</section>")
        if view.canEdit {
            h.raw("<form method=\"post\" action=\"/projects/\(k)/plan/activities/\(uid)/delete\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"version\" value=\"\(version)\"><button class=\"link danger\">")
            h.t(w["page.plan.delete_this_activity_and_everything"])
            h.raw("</button></form>")
        }
        return try await req.renderPlanPage(h, title: a.name, project: view.context.project,
                                            status: error == nil ? .ok : .unprocessableEntity)
    }

    static func editActivity(_ req: Request) async throws -> Response {
        let (caller, key, f) = try formContext(req)
        let uid = try req.pathInt("uid")
        let view = try await req.store.plan(caller, key: key)
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
        _ = try await req.store.updateActivity(caller, key: key, uid: uid, expectedVersion: Int(f["version"] ?? "")) { a in
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
        return req.redirect(to: "/projects/\(key)/plan/activities/\(uid)")
    }
}
