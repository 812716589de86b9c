import Fluent
import Foundation
import PMOCore
import PMOInterchange
import PMOReports
import PMOStore
import Vapor

/// The meeting pages: the series of a project, one series with its occurrences, one occurrence's agenda and
/// minutes (editing until approved, frozen after), earlier approved versions, and the downloads (Markdown, Excel,
/// iCalendar). HTML is built in Swift (`MeetingHTML`, every text through `HTML.e`) and placed in `plan_page.leaf`.
///
/// The minutes of an occurrence are one form: the notes of every item, the carry-over marks, who was present and
/// the general notes. Its other buttons (create an item from a line, add an item, refresh the agenda, approve) post
/// the same form to their own address, which first saves what was typed and then does its step, so nothing typed is
/// lost by pressing another button.
enum MeetingPages {
    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "meetings") { req async throws -> Response in try await listPage(req) }
        pages.post("projects", ":key", "meetings") { req async throws -> Response in try await createSeries(req) }
        pages.get("projects", ":key", "meetings", ":id") { req async throws -> Response in try await seriesPage(req) }
        pages.post("projects", ":key", "meetings", ":id") { req async throws -> Response in try await updateSeries(req) }
        pages.post("projects", ":key", "meetings", ":id", "prepare") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let id = try req.pathUUID("id")
            _ = try req.form()
            let (today, _) = req.today(for: caller)
            let view = try await req.store.prepareOccurrence(caller, key: key, seriesID: id, today: today)
            return req.redirect(to: MeetingHTML.occurrencePath(key, id, view.number))
        }
        pages.get("projects", ":key", "meetings", ":id", "series.ics") { req async throws -> Response in try await seriesCalendar(req) }
        pages.get("projects", ":key", "meetings", ":id", ":n") { req async throws -> Response in try await occurrencePage(req) }
        // Minutes posts carry every item's notes: allow more than the default body size.
        let minutesBody = HTTPBodyStreamStrategy.collect(maxSize: "16mb")
        let steps: [(String, Step)] = [("minutes", .save), ("prepare", .refresh), ("items", .addItem), ("outputs", .output),
                                       ("approve", .approve), ("amend", .amend)]
        for (path, step) in steps {
            pages.on(.POST, "projects", ":key", "meetings", ":id", ":n", "\(path)", body: minutesBody) { req async throws -> Response in
                try await occurrencePost(req, step)
            }
        }
        pages.on(.POST, "projects", ":key", "meetings", ":id", ":n", "items", ":item", "delete", body: minutesBody) { req async throws -> Response in
            try await occurrencePost(req, .deleteItem(try req.pathUUID("item")))
        }
        pages.get("projects", ":key", "meetings", ":id", ":n", "versions", ":v") { req async throws -> Response in try await versionPage(req) }
        for name in ["agenda.md", "minutes.md", "minutes.xlsx", "invite.ics"] {
            pages.get("projects", ":key", "meetings", ":id", ":n", "\(name)") { req async throws -> Response in
                try await download(req, name, version: nil)
            }
        }
        for name in ["minutes.md", "minutes.xlsx"] {
            pages.get("projects", ":key", "meetings", ":id", ":n", "versions", ":v", "\(name)") { req async throws -> Response in
                try await download(req, name, version: try req.pathInt("v"))
            }
        }
    }

    // MARK: Series list

    static func listPage(_ req: Request, form: SeriesForm? = nil, errors: [FieldError] = [],
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let context = try await req.pageProjectContext(caller, key: key)
        let series = try await req.store.meetingSeries(caller, key: key)
        let (today, _) = req.today(for: caller)
        let w = MeetingText(req)
        var h = HTML()
        h.raw("<div class=\"head\"><h1>\(HTML.e(w["page.meeting.meetings"]))</h1></div>")
        h.raw("<section class=\"card\"><table class=\"list\" id=\"series\"><thead><tr>")
        for col in [w["page.meeting.series"], w["page.meeting.chair"], w["page.meeting.when"], w["page.meeting.next"], w["page.meeting.location"], w["page.meeting.visibility"]] {
            h.raw("<th>\(HTML.e(col))</th>")
        }
        h.raw("</tr></thead><tbody>")
        for s in series {
            let f = s.fields
            let next = f.recurrence.firstOccurrence(onOrAfter: today)
            h.raw("<tr data-id=\"\(s.id.uuidString.lowercased())\"><td><a href=\"\(HTML.e(MeetingHTML.seriesPath(key, s.id)))\">")
            h.t(f.name)
            h.raw("</a>")
            if let company = s.name(of: f.companyID) { h.raw(" <span class=\"muted\">"); h.t(company); h.raw("</span>") }
            h.raw("</td><td>")
            h.t(s.name(of: f.chairID) ?? "")
            h.raw("</td><td class=\"recurrence\">")
            h.t(w.recurrence(f.recurrence))
            h.raw("</td><td class=\"date\">")
            h.t("\(w.occurrence(next)) \(w.day(f.recurrence.date(ofOccurrence: next)))")
            h.raw("</td><td>")
            h.t(f.location)
            h.raw("</td><td>")
            h.t(f.visibility.scope == .project ? "" : w.visibility(f.visibility.scope))
            h.raw("</td></tr>")
        }
        if series.isEmpty {
            h.raw("<tr><td colspan=\"6\" class=\"muted\">\(HTML.e(w["page.meeting.there_are_no_meeting_series_yet"]))</td></tr>")
        }
        h.raw("</tbody></table></section>")
        if MeetingAccess.canManageSeries(context.actor) {
            let members = try await req.store.members(caller, key: key)
            let companies = try await req.store.companies()
            var values = form ?? SeriesForm()
            if form == nil { values.firstDate = today.description }
            h.raw("<section class=\"card noprint\" id=\"new-series\"><h2>\(HTML.e(w["page.meeting.set_up_a_meeting_series"]))</h2>")
            errorList(&h, req.shown(errors, labelFields: false), w)
            try seriesForm(&h, req, action: "/projects/\(key)/meetings", values: values, members: members, companies: companies, version: nil,
                       submit: w["page.meeting.create"], w)
            h.raw("</section>")
        }
        return try await req.renderMeetingPage(h, title: "\(key) – " + w["page.meeting.meetings"], project: context.project, status: status)
    }

    static func createSeries(_ req: Request) async throws -> Response {
        let (caller, key, f) = try PlanPages.formContext(req)
        let form = SeriesForm(form: f)
        let (fields, parseErrors) = form.parse()
        do {
            if !parseErrors.isEmpty { throw DomainError.invalid("meeting.invalid", parseErrors) }
            let view = try await req.store.createMeetingSeries(caller, key: key, fields)
            return req.redirect(to: MeetingHTML.seriesPath(key, view.id))
        } catch let e as DomainError where e.kind == .invalid {
            return try await listPage(req, form: form, errors: e.fieldErrors, status: .unprocessableEntity)
        }
    }

    static func updateSeries(_ req: Request) async throws -> Response {
        let (caller, key, f) = try PlanPages.formContext(req)
        let id = try req.pathUUID("id")
        let form = SeriesForm(form: f)
        let (fields, parseErrors) = form.parse()
        do {
            if !parseErrors.isEmpty { throw DomainError.invalid("meeting.invalid", parseErrors) }
            _ = try await req.store.updateMeetingSeries(caller, key: key, id: id, expectedVersion: Int(f["version"] ?? ""), fields)
            return req.redirect(to: MeetingHTML.seriesPath(key, id))
        } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
            let errors = e.asFieldErrors
            // A stale form shows the current series; an invalid one keeps what was typed.
            return try await seriesPage(req, form: e.kind == .conflict ? nil : form, errors: errors, status: e.kind.httpStatus)
        }
    }

    // MARK: One series

    static func seriesPage(_ req: Request, form: SeriesForm? = nil, errors: [FieldError] = [],
                           status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let context = try await req.pageProjectContext(caller, key: key)
        let s = try await req.store.meetingSeries(caller, key: key, id: id)
        let occurrences = try await req.store.occurrences(caller, key: key, seriesID: id)
        let w = MeetingText(req)
        let f = s.fields
        let path = MeetingHTML.seriesPath(key, id)
        let token = PlanPages.csrf(req)
        var h = HTML()
        h.raw("<div class=\"head\"><h1>")
        h.t(f.name)
        h.raw("</h1><div class=\"actions noprint\">")
        if s.canRun {
            h.raw("<form method=\"post\" action=\"\(HTML.e(path))/prepare\" class=\"inline\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><button id=\"prepare-next\">\(HTML.e(w["page.meeting.prepare_next_meeting"]))</button></form>")
        }
        h.raw("<a class=\"button secondary\" id=\"series-ics\" href=\"\(HTML.e(path))/series.ics\">\(HTML.e(w["page.meeting.add_to_calendar_ics"]))</a>")
        h.raw("</div></div><p class=\"noprint\"><a href=\"/projects/\(HTML.e(key))/meetings\">← \(HTML.e(w["page.meeting.all_meetings"]))</a></p>")
        h.raw("<section class=\"card\"><dl class=\"kv\" id=\"series-facts\">")
        func fact(_ label: String, _ value: String) {
            h.raw("<div><dt>"); h.t(label); h.raw("</dt><dd>"); h.t(value.isEmpty ? "—" : value); h.raw("</dd></div>")
        }
        fact(w["page.meeting.when"], w.recurrence(f.recurrence) + " (" + w["page.meeting.first"] + " \(w.day(f.recurrence.firstDate)))")
        fact(w["page.meeting.chair"], s.name(of: f.chairID) ?? "")
        fact(w["page.meeting.location"], f.location)
        fact(w["page.meeting.attendees"], f.attendeeIDs.compactMap { s.name(of: $0) }.joined(separator: w.ja ? "、" : ", "))
        fact(w["page.meeting.agenda_rules"], f.rules.map { w.rule($0) }.joined(separator: w.ja ? "、" : ", "))
        fact(w["page.meeting.risk_threshold"], String(f.riskThreshold))
        fact(w["page.meeting.company_filter"], s.name(of: f.companyID) ?? "")
        fact(w["page.meeting.visibility"], w.visibility(f.visibility.scope) + (s.name(of: f.visibility.companyID).map { ": " + $0 } ?? ""))
        h.raw("<div><dt>\(HTML.e(w["page.meeting.purpose"]))</dt><dd>")
        MeetingHTML.text(&h, f.purpose, empty: "—")
        h.raw("</dd></div></dl></section>")

        h.raw("<section class=\"card\"><h2>\(HTML.e(w["page.meeting.meetings_held"]))</h2><table class=\"list\" id=\"occurrences\"><thead><tr>")
        for col in [w["page.meeting.no"], w["page.meeting.date"], w["page.meeting.time"], w["page.meeting.status"], w["page.meeting.approved_versions"], ""] {
            h.raw("<th>\(HTML.e(col))</th>")
        }
        h.raw("</tr></thead><tbody>")
        for o in occurrences {
            let op = HTML.e(MeetingHTML.occurrencePath(key, id, o.number))
            h.raw("<tr data-number=\"\(o.number)\"><td><a href=\"\(op)\">\(HTML.e(w.occurrence(o.number)))</a></td><td class=\"date\">")
            h.t(w.day(o.date))
            h.raw("</td><td>\(HTML.e(MeetingText.timeRange(start: o.startMinutes, duration: f.recurrence.durationMinutes)))</td><td><span class=\"status status-\(o.status.rawValue)\">")
            h.t(w.status(o.status))
            h.raw("</span></td><td>")
            if o.approvedVersions > 0 {
                for v in 1...o.approvedVersions { h.raw("<a href=\"\(op)/versions/\(v)\">\(HTML.e(w.version(v)))</a> ") }
            }
            h.raw("</td><td class=\"noprint\"><a href=\"\(op)/agenda.md\">\(HTML.e(w["page.meeting.agenda"])) (.md)</a></td></tr>")
        }
        if occurrences.isEmpty {
            h.raw("<tr><td colspan=\"6\" class=\"muted\">\(HTML.e(w["page.meeting.no_meetings_yet_prepare_the_next_meeting"]))</td></tr>")
        }
        h.raw("</tbody></table></section>")

        if s.canManage {
            let members = try await req.store.members(caller, key: key)
            let companies = try await req.store.companies()
            h.raw("<details class=\"card noprint\" id=\"edit-series\"\(errors.isEmpty ? "" : " open")><summary>\(HTML.e(w["page.meeting.edit_the_series"]))</summary>")
            errorList(&h, req.shown(errors, labelFields: false), w)
            try seriesForm(&h, req, action: path, values: form ?? SeriesForm(f), members: members, companies: companies, version: s.version,
                       submit: w["page.meeting.save"], w)
            h.raw("</details>")
        }
        return try await req.renderMeetingPage(h, title: f.name, project: context.project, status: status)
    }

    /// The series' form fields as typed, so a refused form comes back as it was sent.
    struct SeriesForm {
        var name = "", purpose = "", chair = "", firstDate = "", interval = "1", start = "10:00", duration = "60", location = ""
        var attendees: Set<String> = []
        var rules: Set<String> = Set(AgendaRule.allCases.map(\.rawValue))
        var threshold = String(MeetingRules.defaultRiskThreshold), company = "", visibility = "project", visibilityCompany = ""

        init() {}

        init(_ f: MeetingSeriesFields) {
            name = f.name
            purpose = f.purpose
            chair = f.chairID?.rawValue.uuidString.lowercased() ?? ""
            firstDate = f.recurrence.firstDate.description
            interval = String(f.recurrence.intervalWeeks)
            start = MeetingRecurrence.clock(f.recurrence.startMinutes)
            duration = String(f.recurrence.durationMinutes)
            location = f.location
            attendees = Set(f.attendeeIDs.map { $0.rawValue.uuidString.lowercased() })
            rules = Set(f.rules.map(\.rawValue))
            threshold = String(f.riskThreshold)
            company = f.companyID?.rawValue.uuidString.lowercased() ?? ""
            visibility = f.visibility.scope.rawValue
            visibilityCompany = f.visibility.companyID?.rawValue.uuidString.lowercased() ?? ""
        }

        init(form f: [String: String]) {
            func v(_ k: String) -> String { (f[k] ?? "").trimmingCharacters(in: .whitespaces) }
            name = f["name"] ?? ""
            purpose = (f["purpose"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            chair = v("chair")
            firstDate = v("firstDate")
            interval = v("intervalWeeks")
            start = v("startTime")
            duration = v("durationMinutes")
            location = f["location"] ?? ""
            attendees = Set(f.keys.filter { $0.hasPrefix("attendee-") }.map { String($0.dropFirst("attendee-".count)).lowercased() })
            rules = Set(f.keys.filter { $0.hasPrefix("rule-") }.map { String($0.dropFirst("rule-".count)) })
            threshold = v("riskThreshold")
            company = v("company")
            visibility = v("visibility")
            visibilityCompany = v("visibilityCompany")
        }

        /// The fields, and every field that could not be read (the store checks the rest).
        func parse() -> (MeetingSeriesFields, [FieldError]) {
            var errors = FieldErrors()
            let first = CalendarDate(iso: firstDate)
            if first == nil { errors.add("firstDate", "invalid_date", "Write the first date as YYYY-MM-DD (e.g. 2026-11-17).") }
            let weeks = Int(interval)
            if weeks == nil { errors.add("intervalWeeks", "wrong_type", "The interval is a whole number of weeks (1 = weekly).") }
            let startMinutes = MeetingRecurrence.minutes(ofClock: start)
            if startMinutes == nil { errors.add("startTime", "invalid", "Write the start time as HH:MM (e.g. 10:00).") }
            let minutes = Int(duration)
            if minutes == nil { errors.add("durationMinutes", "wrong_type", "The duration is a whole number of minutes (e.g. 60).") }
            let risk = Int(threshold)
            if risk == nil { errors.add("riskThreshold", "wrong_type", "The risk threshold is a whole number from 1 to 25.") }
            func id(_ text: String, _ field: String) -> UUID? {
                if text.isEmpty { return nil }
                if let u = UUID(uuidString: text) { return u }
                errors.add(field, "invalid_id", "Choose from the list.")
                return nil
            }
            let chairID = id(chair, "chair").map(UserID.init)
            let companyID = id(company, "company").map(CompanyID.init)
            let scope = VisibilityScope(rawValue: visibility) ?? .project
            let visibilityCompanyID = scope == .company ? id(visibilityCompany, "visibilityCompany").map(CompanyID.init) : nil
            let attendeeIDs = attendees.sorted().compactMap { UUID(uuidString: $0) }.map(UserID.init)
            let fields = MeetingSeriesFields(
                name: name, purpose: purpose, chairID: chairID,
                recurrence: MeetingRecurrence(firstDate: first ?? CalendarDate(dayNumber: 0), intervalWeeks: weeks ?? 1,
                                              startMinutes: startMinutes ?? 0, durationMinutes: minutes ?? 60),
                location: location, attendeeIDs: attendeeIDs, rules: AgendaRule.allCases.filter { rules.contains($0.rawValue) },
                riskThreshold: risk ?? MeetingRules.defaultRiskThreshold, companyID: companyID,
                visibility: Visibility(scope: scope, companyID: visibilityCompanyID))
            return (fields, errors.all)
        }
    }

    static func seriesForm(_ h: inout HTML, _ req: Request, action: String, values v: SeriesForm, members: [MemberView],
                           companies: [CompanyRecord], version: Int?, submit: String, _ w: MeetingText) throws {
        let token = PlanPages.csrf(req)
        h.raw("<form method=\"post\" action=\"\(HTML.e(action))\" class=\"grid-form series-form\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\">")
        if let version { h.raw("<input type=\"hidden\" name=\"version\" value=\"\(version)\">") }
        h.raw("<label class=\"wide\">\(HTML.e(w["page.meeting.name"]))<input name=\"name\" required maxlength=\"\(MeetingRules.nameMax)\" value=\"\(HTML.e(v.name))\" placeholder=\"\(HTML.e(w["page.meeting.weekly_progress_meeting"]))\"></label>")
        h.raw("<label class=\"wide\">\(HTML.e(w["page.meeting.purpose"]))<textarea name=\"purpose\" rows=\"2\">")
        h.t(v.purpose)
        h.raw("</textarea></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.chair"]))<select name=\"chair\"><option value=\"\">—</option>")
        for m in members {
            let id = try m.user.requireID().uuidString.lowercased()
            h.raw("<option value=\"\(id)\"\(id == v.chair ? " selected" : "")>")
            h.t(memberLabel(m))
            h.raw("</option>")
        }
        h.raw("</select></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.first_date"]))<input type=\"date\" name=\"firstDate\" required value=\"\(HTML.e(v.firstDate))\"></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.every"]))<select name=\"intervalWeeks\">")
        for n in 1...8 {
            let label = n == 1 ? w["page.meeting.every_week"] : n == 2 ? w["page.meeting.every_2_weeks"] : w("\(n)週ごと", "Every \(n) weeks")
            h.raw("<option value=\"\(n)\"\(String(n) == v.interval ? " selected" : "")>\(HTML.e(label))</option>")
        }
        h.raw("</select></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.start_time"]))<input type=\"time\" name=\"startTime\" required value=\"\(HTML.e(v.start))\"></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.duration_minutes"]))<input type=\"number\" name=\"durationMinutes\" min=\"5\" max=\"720\" step=\"5\" required value=\"\(HTML.e(v.duration))\"></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.location"]))<input name=\"location\" maxlength=\"500\" value=\"\(HTML.e(v.location))\"></label>")
        h.raw("<fieldset class=\"wide checks\" id=\"attendees\"><legend>\(HTML.e(w["page.meeting.attendees"]))</legend>")
        for m in members {
            let id = try m.user.requireID().uuidString.lowercased()
            h.raw("<label class=\"check\"><input type=\"checkbox\" name=\"attendee-\(id)\"\(v.attendees.contains(id) ? " checked" : "")>")
            h.t(memberLabel(m))
            h.raw("</label>")
        }
        h.raw("</fieldset><fieldset class=\"wide checks\" id=\"rules\"><legend>\(HTML.e(w["page.meeting.what_comes_to_the_agenda"]))</legend>")
        for r in AgendaRule.allCases {
            h.raw("<label class=\"check\"><input type=\"checkbox\" name=\"rule-\(r.rawValue)\"\(v.rules.contains(r.rawValue) ? " checked" : "")>")
            h.t(w.rule(r))
            h.raw("</label>")
        }
        h.raw("</fieldset>")
        h.raw("<label>\(HTML.e(w["page.meeting.risk_threshold_score_1_25"]))<input type=\"number\" name=\"riskThreshold\" min=\"1\" max=\"25\" value=\"\(HTML.e(v.threshold))\"></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.company_filter_a_vendor_s_meeting"]))<select name=\"company\"><option value=\"\">\(HTML.e(w["page.meeting.all_companies"]))</option>")
        for c in companies {
            let id = try c.requireID().uuidString.lowercased()
            h.raw("<option value=\"\(id)\"\(id == v.company ? " selected" : "")>"); h.t(c.name); h.raw("</option>")
        }
        h.raw("</select></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.visibility"]))<select name=\"visibility\">")
        for scope in VisibilityScope.allCases {
            h.raw("<option value=\"\(scope.rawValue)\"\(scope.rawValue == v.visibility ? " selected" : "")>\(HTML.e(w.visibility(scope)))</option>")
        }
        h.raw("</select></label><label>\(HTML.e(w["page.meeting.visible_to_company_one_company_only"]))<select name=\"visibilityCompany\"><option value=\"\">—</option>")
        for c in companies {
            let id = try c.requireID().uuidString.lowercased()
            h.raw("<option value=\"\(id)\"\(id == v.visibilityCompany ? " selected" : "")>"); h.t(c.name); h.raw("</option>")
        }
        h.raw("</select></label><div class=\"wide\"><button type=\"submit\">\(HTML.e(submit))</button></div></form>")
    }

    static func memberLabel(_ m: MemberView) -> String {
        m.company.map { "\(m.user.displayName) (\($0.name))" } ?? m.user.displayName
    }

    static func errorList(_ h: inout HTML, _ errors: [FieldError], _ w: MeetingText) {
        guard !errors.isEmpty else { return }
        h.raw("<div class=\"card warn\" id=\"form-errors\"><b>\(HTML.e(w["page.meeting.please_check_your_input"]))</b><ul class=\"errors\">")
        for e in errors {
            h.raw("<li data-field=\"\(HTML.e(e.field))\" data-code=\"\(HTML.e(e.code))\">")
            h.t(e.message)
            h.raw("</li>")
        }
        h.raw("</ul></div>")
    }

    static func seriesCalendar(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let s = try await req.store.meetingSeries(caller, key: key, id: id)
        let (organizer, attendees) = try await people(req, caller, key: key, s)
        let text = MeetingCalendar.series(projectKey: key, seriesID: id.uuidString.lowercased(), name: s.fields.name, purpose: s.fields.purpose,
                                          location: s.fields.location, recurrence: s.fields.recurrence, organizer: organizer,
                                          attendees: attendees, stamp: req.store.now())
        return MeetingHTML.file(Data(text.utf8), ascii: "\(key)-meeting-\(id.uuidString.lowercased().prefix(8)).ics",
                                name: "\(key) \(s.fields.name).ics", type: MeetingHTML.calendar)
    }

    /// The chair as organizer and the standing attendees, with their e-mail addresses.
    static func people(_ req: Request, _ caller: Caller, key: String, _ s: MeetingSeriesView) async throws
        -> ((name: String, email: String)?, [(name: String, email: String)]) {
        let members = try await req.store.members(caller, key: key)
        let byID = Dictionary(try members.map { (try $0.user.requireID(), $0.user) }, uniquingKeysWith: { a, _ in a })
        let organizer = s.fields.chairID.flatMap { byID[$0.rawValue] }.map { (name: $0.displayName, email: $0.email) }
        let attendees = s.fields.attendeeIDs.compactMap { byID[$0.rawValue] }.map { (name: $0.displayName, email: $0.email) }
        return (organizer, attendees)
    }

    // MARK: One occurrence

    enum Step: Sendable {
        case save, refresh, addItem, output, approve, amend
        case deleteItem(UUID)
    }

    /// A message shown at the top of the occurrence page: a refusal of the store, in the reader's language where the
    /// code is known, with each offending thing on its own line.
    struct Notice {
        struct Line { var text: String; var href: String? }
        var code: String
        var headline: String
        var lines: [Line]
        var detail: String?

        init(_ e: DomainError, _ w: MeetingText, _ req: Request) {
            code = e.code
            switch e.code {
            case "minutes.frozen":
                headline = w["page.meeting.these_minutes_are_approved_and_frozen_to"]
            case "version.stale":
                headline = w["page.meeting.someone_else_changed_this_meeting_while"]
            case "minutes.actions_incomplete":
                headline = w["page.meeting.the_minutes_cannot_be_approved_yet_give"]
            default:
                headline = e.kind == .invalid ? w["page.meeting.please_check_your_input_2"] : req.sentence(e)
            }
            lines = req.shown(e.fieldErrors, labelFields: false).map { Line(text: $0.message, href: nil) }
            // The store's own sentence adds what the headline does not say (e.g. which record) for other conflicts; a
            // reader of another language gets the values it names.
            let explained = e.kind == .conflict && !["minutes.frozen", "version.stale"].contains(e.code) && headline != req.sentence(e)
            detail = !explained ? nil : req.locale == "en" ? e.message : (e.subjects.isEmpty ? nil : e.subjects.joined(separator: "、"))
        }
    }

    static func shownOnPage(_ e: DomainError) -> Bool { e.kind == .invalid || e.kind == .conflict }

    static func occurrencePost(_ req: Request, _ step: Step) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let n = try req.pathInt("n")
        let f = try req.form()
        let w = MeetingText(req)
        let path = MeetingHTML.occurrencePath(key, id, n)
        if case .amend = step {
            _ = try await req.store.amendMinutes(caller, key: key, seriesID: id, number: n)
            return req.redirect(to: path)
        }
        do {
            try await saveMinutes(req, caller, key: key, id: id, n: n, f)
        } catch let e as DomainError where shownOnPage(e) {
            // A stale save shows the latest minutes (typing over them would undo the other change); an invalid one
            // keeps what was typed.
            return try await occurrencePage(req, notice: Notice(e, w, req), submitted: e.code == "version.stale" ? nil : f, status: e.kind.httpStatus)
        }
        var anchor = ""
        var openOutput: String?
        var step = step
        if case .save = step, !(f["new-title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            // Enter in the "add an item" title submits the form as a plain save: add the item as its button would.
            step = .addItem
        }
        do {
            switch step {
            case .save, .amend:
                break
            case .refresh:
                let (today, _) = req.today(for: caller)
                _ = try await req.store.prepareOccurrence(caller, key: key, seriesID: id, number: n, today: today)
            case .addItem:
                let title = (f["new-title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                let referenceText = (f["new-reference"] ?? "").trimmingCharacters(in: .whitespaces)
                let reference = referenceText.isEmpty ? nil : ItemReference(referenceText)
                if !referenceText.isEmpty && reference == nil {
                    throw DomainError.invalid("minutes.invalid", [FieldError(field: "reference", code: "invalid_reference",
                                                                             message: "Write the item as I12, R3 or \(key)-Q4.")])
                }
                _ = try await req.store.addAgendaItem(caller, key: key, seriesID: id, number: n, title: title,
                                                      notes: normalized(f["new-notes"] ?? ""), reference: reference)
                anchor = "#add-item"
            case .output:
                let target = (f["create"] ?? "general").lowercased()
                openOutput = target
                let itemID = UUID(uuidString: target)
                let input = try outputInput(f, prefix: "out-\(target)-", key: key)
                _ = try await req.store.recordMinutesOutput(caller, key: key, seriesID: id, number: n, agendaItemID: itemID, input)
                anchor = itemID.map { "#item-\($0.uuidString.lowercased())" } ?? "#outputs"
            case .approve:
                _ = try await req.store.approveMinutes(caller, key: key, seriesID: id, number: n, expectedVersion: nil)
            case .deleteItem(let item):
                _ = try await req.store.deleteAgendaItem(caller, key: key, seriesID: id, number: n, itemID: item)
            }
        } catch let e as DomainError where shownOnPage(e) {
            var notice = Notice(e, w, req)
            if e.code == "minutes.actions_incomplete" {
                let view = try await req.store.occurrence(caller, key: key, seriesID: id, number: n)
                let named = incompleteActions(view, key: key, w)
                if !named.isEmpty { notice.lines = named }
            }
            return try await occurrencePage(req, notice: notice, submitted: f, openOutput: openOutput, status: e.kind.httpStatus)
        }
        return req.redirect(to: path + anchor)
    }

    static func normalized(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") }

    /// Saves what the minutes form holds, in one transaction: the general notes and who was present, and each item
    /// whose notes or carry-over mark changed. A post without the minutes fields saves nothing.
    static func saveMinutes(_ req: Request, _ caller: Caller, key: String, id: UUID, n: Int, _ f: [String: String]) async throws {
        guard f["version"] != nil || f.keys.contains(where: { $0.hasPrefix("v-") }) else { return }
        let view = try await req.store.occurrence(caller, key: key, seriesID: id, number: n)
        if view.isFrozen {
            // Let the store refuse, naming the approved version.
            _ = try await req.store.updateMinutes(caller, key: key, seriesID: id, number: n, expectedVersion: nil, notes: nil, presentIDs: nil)
            return
        }
        let notes = f["notes"].map(normalized)
        var present: [UserID]?
        if f["attendance"] != nil {
            present = f.keys.filter { $0.hasPrefix("present-") }.map { String($0.dropFirst("present-".count)) }.sorted()
                .compactMap { UUID(uuidString: $0) }.map(UserID.init)
        }
        let notesChanged = notes.map { $0 != view.notes } ?? false
        let presentChanged = present.map { Set($0) != Set(view.presentIDs) } ?? false
        var edits: [MinutesItemEdit] = []
        for item in view.items {
            let itemKey = item.id.uuidString.lowercased()
            guard let versionText = f["v-\(itemKey)"] else { continue }
            let newNotes = f["notes-\(itemKey)"].map(normalized) ?? item.notes
            let newCarry = f["carry-\(itemKey)"] != nil
            guard newNotes != item.notes || newCarry != item.carry else { continue }
            edits.append(MinutesItemEdit(itemID: item.id, expectedVersion: Int(versionText),
                                         notes: newNotes != item.notes ? newNotes : nil, carry: newCarry != item.carry ? newCarry : nil))
        }
        guard notesChanged || presentChanged || !edits.isEmpty else { return }
        // One transaction: the general fields are checked against the occurrence's version only when they changed
        // (every item write bumps it), each item against its own.
        _ = try await req.store.saveMinutes(caller, key: key, seriesID: id, number: n,
                                            expectedVersion: notesChanged || presentChanged ? Int(f["version"] ?? "") : nil,
                                            notes: notesChanged ? notes : nil, presentIDs: presentChanged ? present : nil, items: edits)
    }

    /// What a line of the minutes creates: the fields of the output form with `prefix` (`out-{item id}-`).
    static func outputInput(_ f: [String: String], prefix: String, key: String) throws -> MinutesOutputInput {
        func v(_ name: String) -> String { (f[prefix + name] ?? "").trimmingCharacters(in: .whitespaces) }
        var errors = FieldErrors()
        func user(_ name: String) -> UserID? {
            let text = v(name)
            if text.isEmpty { return nil }
            if let id = UUID(uuidString: text) { return UserID(id) }
            errors.add(name, "invalid_id", "Choose a person from the list.")
            return nil
        }
        let type = ItemType(rawValue: v("type")) ?? .action
        let title = v("title")
        let owner = user("owner")
        var due: CalendarDate?
        if !v("due").isEmpty {
            due = CalendarDate(iso: v("due"))
            if due == nil { errors.add("dueDate", "invalid_date", "Write the due date as YYYY-MM-DD (e.g. 2026-12-01).") }
        }
        let visibilityText = v("visibility")
        var visibility = Visibility.project
        if visibilityText.hasPrefix("company:"), let company = UUID(uuidString: String(visibilityText.dropFirst("company:".count))) {
            visibility = Visibility(scope: .company, companyID: CompanyID(company))
        } else if let scope = VisibilityScope(rawValue: visibilityText), scope != .company {
            visibility = Visibility(scope: scope, companyID: nil)
        }
        let input: MinutesOutputInput
        if let kind = type.register {
            var fields = RegisterItemFields(title: title, status: kind.initialStatus, ownerID: owner, dueDate: due, visibility: visibility)
            if kind == .decision, let decider = user("decider") { fields.details["decider"] = .user(decider) }
            if kind == .risk {
                for name in ["riskType", "category"] where !v(name).isEmpty { fields.details[name] = .text(v(name)) }
                for name in ["probability", "impactSchedule", "impactCost", "impactQuality"] where !v(name).isEmpty {
                    if let level = Int(v(name)) { fields.details[name] = .integer(level) } else {
                        errors.add(name, "wrong_type", "\(name) is a level from 1 to 5.")
                    }
                }
            }
            input = .register(kind, fields)
        } else {
            input = .issue(IssueFields(title: title, ownerID: owner, dueDate: due, visibility: visibility))
        }
        try errors.throwIfAny("minutes.invalid")
        return input
    }

    /// Each open action item created from these minutes that lacks an owner or a due date, named and linked.
    static func incompleteActions(_ view: OccurrenceView, key: String, _ w: MeetingText) -> [Notice.Line] {
        (view.items.flatMap(\.outputs) + view.outputs).filter { o in
            o.type == .action && !RegisterKind.action.isFinished(o.status) && (o.ownerID == nil || o.dueDate == nil)
        }.map { o in
            var missing: [String] = []
            if o.ownerID == nil { missing.append(w["page.meeting.no_owner"]) }
            if o.dueDate == nil { missing.append(w["page.meeting.no_due_date"]) }
            let text = w("\(o.reference)「\(o.title)」: \(missing.joined(separator: "・"))",
                         "\(o.reference) '\(o.title)': \(missing.joined(separator: ", "))")
            return Notice.Line(text: text, href: MeetingHTML.itemHref(key, o.type, o.number))
        }
    }

    static func occurrencePage(_ req: Request, notice: Notice? = nil, submitted: [String: String]? = nil, openOutput: String? = nil,
                               status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let n = try req.pathInt("n")
        let context = try await req.pageProjectContext(caller, key: key)
        let view = try await req.store.occurrence(caller, key: key, seriesID: id, number: n)
        let w = MeetingText(req)
        let s = view.series
        let path = HTML.e(MeetingHTML.occurrencePath(key, id, n))
        let token = PlanPages.csrf(req)
        let title = "\(s.fields.name) \(w.occurrence(n))"
        var h = HTML()
        h.raw("<div class=\"head noprint\"><h1>")
        h.t(title)
        h.raw("</h1><span class=\"muted\" id=\"occurrence-facts\">")
        var facts = "\(w.day(view.date)) \(MeetingText.timeRange(start: view.startMinutes, duration: view.durationMinutes))"
        if !s.fields.location.isEmpty { facts += " · \(s.fields.location)" }
        h.t(facts + " · ")
        h.raw("<span class=\"status status-\(view.status.rawValue)\" id=\"occurrence-status\">")
        h.t(w.status(view.status))
        h.raw("</span></span></div>")
        h.raw("<nav class=\"plan-nav noprint\" id=\"downloads\"><a href=\"\(HTML.e(MeetingHTML.seriesPath(key, id)))\">← ")
        h.t(s.fields.name)
        h.raw("</a>")
        for (file, label) in [("agenda.md", w["page.meeting.agenda_markdown"]), ("minutes.md", w["page.meeting.minutes_markdown"]),
                              ("minutes.xlsx", w["page.meeting.minutes_excel"]), ("invite.ics", w["page.meeting.invitation_ics"])] {
            h.raw("<a href=\"\(path)/\(file)\">\(HTML.e(label))</a>")
        }
        h.raw("</nav>")
        if let notice { noticeBox(&h, notice) }
        let approvedVersions = view.minutesVersion - 1
        if view.isFrozen {
            let doc = view.frozen ?? view.document()
            h.raw("<section class=\"card frozen\" id=\"frozen\"><p class=\"approved-line\"><b>")
            h.t(w["page.meeting.approved"] + " · " + w.version(doc.version))
            h.raw("</b> ")
            h.t(w["page.meeting.approved_by"] + ": " + (doc.approvedBy.map(MeetingHTML.person) ?? "—")
                + " · " + (doc.approvedAt.map { Formatting.instant($0, zone: caller.timeZone) } ?? ""))
            h.raw("</p>")
            if s.canRun {
                h.raw("<form method=\"post\" action=\"\(path)/amend\" class=\"inline noprint\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><button class=\"secondary\" id=\"amend-minutes\">\(HTML.e(w["page.meeting.amend_opens_a_new_version"]))</button></form>")
            }
            h.raw("</section>")
            MeetingHTML.document(&h, doc, key: key, w: w, zone: caller.timeZone, id: "minutes")
        } else if s.canRun {
            h.raw("<div class=\"print-only\">")
            MeetingHTML.document(&h, view.document(), key: key, w: w, zone: caller.timeZone, id: "printout", agenda: view.status == .prepared)
            h.raw("</div>")
            let members = try await req.store.members(caller, key: key)
            try editor(&h, req, view, key: key, path: path, members: members, submitted: submitted, openOutput: openOutput, w)
        } else {
            MeetingHTML.document(&h, view.document(), key: key, w: w, zone: caller.timeZone, id: "minutes", agenda: view.status == .prepared)
        }
        if approvedVersions > 0 {
            h.raw("<p class=\"noprint\" id=\"versions\">\(HTML.e(w["page.meeting.approved_versions"])): ")
            for v in 1...approvedVersions { h.raw("<a href=\"\(path)/versions/\(v)\">\(HTML.e(w.version(v)))</a> ") }
            h.raw("</p>")
        }
        return try await req.renderMeetingPage(h, title: title, project: context.project, status: status)
    }

    static func noticeBox(_ h: inout HTML, _ notice: Notice) {
        h.raw("<section class=\"card warn\" id=\"minutes-error\" data-code=\"\(HTML.e(notice.code))\"><b>")
        h.t(notice.headline)
        h.raw("</b>")
        if !notice.lines.isEmpty {
            h.raw("<ul class=\"errors\">")
            for line in notice.lines {
                h.raw("<li>")
                if let href = line.href { h.raw("<a href=\"\(HTML.e(href))\">"); h.t(line.text); h.raw("</a>") } else { h.t(line.text) }
                h.raw("</li>")
            }
            h.raw("</ul>")
        }
        if let detail = notice.detail { h.raw("<p class=\"muted\">"); h.t(detail); h.raw("</p>") }
        h.raw("</section>")
    }

    /// The minutes form of a draft: who was present, the general notes, every item with its reasons, notes,
    /// carry-over mark, outputs and a form to create an item from it, then adding an item, refreshing and approving.
    static func editor(_ h: inout HTML, _ req: Request, _ view: OccurrenceView, key: String, path: String, members: [MemberView],
                       submitted: [String: String]?, openOutput: String?, _ w: MeetingText) throws {
        let s = view.series
        let token = PlanPages.csrf(req)
        func value(_ name: String, _ current: String) -> String { submitted?[name] ?? current }
        // Only members who may see the series can be present or own what it creates.
        let seeing = try members.filter { m in
            let actor = AccessPolicy.Actor(userID: UserID(try m.user.requireID()), companyID: CompanyID(m.user.companyID), isSystemAdmin: m.user.isAdmin, role: m.role)
            return MeetingAccess.canSee(actor, s.fields.visibility)
        }
        var ownerOptions = "<option value=\"\">—</option>"
        for m in seeing { ownerOptions += "<option value=\"\(try m.user.requireID().uuidString.lowercased())\">\(HTML.e(memberLabel(m)))</option>" }
        func options(selected: String) -> String {
            selected.isEmpty ? ownerOptions : ownerOptions.replacingOccurrences(of: "value=\"\(selected)\">", with: "value=\"\(selected)\" selected>")
        }

        h.raw("<form method=\"post\" action=\"\(path)/minutes\" id=\"minutes-form\" class=\"minutes-form noprint\">")
        h.raw("<input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"version\" value=\"\(view.version)\"><input type=\"hidden\" name=\"attendance\" value=\"1\">")
        // Enter in a field submits with the first button of the form: make that "save", not an item's remove button.
        h.raw("<button type=\"submit\" class=\"default-submit\" tabindex=\"-1\" aria-hidden=\"true\">\(HTML.e(w["page.meeting.save"]))</button>")

        // Who was present: the chair and standing attendees first, other members on demand.
        let presentNow = Set(view.presentIDs.map { $0.rawValue.uuidString.lowercased() })
        let presentShown = submitted.map { f in Set(f.keys.filter { $0.hasPrefix("present-") }.map { String($0.dropFirst("present-".count)) }) } ?? presentNow
        let standing = Set((s.fields.attendeeIDs + (s.fields.chairID.map { [$0] } ?? [])).map { $0.rawValue.uuidString.lowercased() })
        func presentBox(_ m: MemberView) throws {
            let id = try m.user.requireID().uuidString.lowercased()
            h.raw("<label class=\"check\"><input type=\"checkbox\" name=\"present-\(id)\"\(presentShown.contains(id) ? " checked" : "")>")
            h.t(memberLabel(m))
            h.raw("</label>")
        }
        h.raw("<section class=\"card\" id=\"attendance\"><h2>\(HTML.e(w.label("meeting.present")))</h2><div class=\"checks\">")
        func isExpected(_ m: MemberView) throws -> Bool {
            let id = try m.user.requireID().uuidString.lowercased()
            return standing.contains(id) || presentNow.contains(id)
        }
        for m in seeing where try isExpected(m) { try presentBox(m) }
        h.raw("</div>")
        let others = try seeing.filter { !(try isExpected($0)) }
        if !others.isEmpty {
            h.raw("<details><summary>\(HTML.e(w["page.meeting.other_members"]))</summary><div class=\"checks\">")
            for m in others { try presentBox(m) }
            h.raw("</div></details>")
        }
        h.raw("<label class=\"wide\">\(HTML.e(w.label("meeting.notes")))<textarea name=\"notes\" rows=\"3\">")
        h.t(value("notes", view.notes))
        h.raw("</textarea></label></section>")

        let sections = MeetingHTML.sections(view.items, rule: \.rule, position: \.position)
        if sections.isEmpty { h.raw("<p class=\"muted\">\(HTML.e(w.label("meeting.no_items")))</p>") }
        for section in sections {
            h.raw("<section class=\"agenda-section\"><h2 class=\"rule\">")
            h.t(w.rule(section.rule))
            h.raw("</h2>")
            for (number, item) in section.items {
                let itemKey = item.id.uuidString.lowercased()
                h.raw("<article class=\"card agenda-item\" id=\"item-\(itemKey)\" data-rule=\"\(item.rule?.rawValue ?? "")\"><div class=\"item-head\"><span class=\"num\">\(number).</span> ")
                MeetingHTML.entryTitle(&h, key: key, reference: item.reference, activityUID: item.activityUID, title: item.title)
                h.raw("</div>")
                MeetingHTML.reasons(&h, item.reasons, w)
                if !item.outputs.isEmpty {
                    h.raw("<ul class=\"outputs\">")
                    for o in item.outputs { outputLine(&h, req, o, s, key: key, w) }
                    h.raw("</ul>")
                }
                h.raw("<input type=\"hidden\" name=\"v-\(itemKey)\" value=\"\(item.version)\">")
                h.raw("<label>\(HTML.e(w.label("col.notes")))<textarea name=\"notes-\(itemKey)\" rows=\"2\">")
                h.t(value("notes-\(itemKey)", item.notes))
                h.raw("</textarea></label>")
                let carry = submitted.map { $0["carry-\(itemKey)"] != nil } ?? item.carry
                h.raw("<div class=\"item-actions\"><label class=\"check\"><input type=\"checkbox\" name=\"carry-\(itemKey)\"\(carry ? " checked" : "")>\(HTML.e(w.label("meeting.carry")))</label>")
                if item.outputs.isEmpty {
                    h.raw("<button class=\"link\" formaction=\"\(path)/items/\(itemKey)/delete\">\(HTML.e(w["page.meeting.remove_this_item"]))</button>")
                }
                h.raw("</div>")
                outputForm(&h, req, target: itemKey, visibility: item.visibility, s: s, options: options, submitted: openOutput == itemKey ? submitted : nil,
                           open: openOutput == itemKey, path: path, w)
                h.raw("</article>")
            }
            h.raw("</section>")
        }
        h.raw("<section class=\"card\" id=\"outputs\"><h2>\(HTML.e(w["page.meeting.items_not_tied_to_one_agenda_item"]))</h2>")
        if !view.outputs.isEmpty {
            h.raw("<ul class=\"outputs\">")
            for o in view.outputs { outputLine(&h, req, o, s, key: key, w) }
            h.raw("</ul>")
        }
        outputForm(&h, req, target: "general", visibility: s.fields.visibility, s: s, options: options,
                   submitted: openOutput == "general" ? submitted : nil, open: openOutput == "general", path: path, w)
        h.raw("</section>")

        h.raw("<section class=\"card\" id=\"add-item\"><h2>\(HTML.e(w["page.meeting.add_an_item"]))</h2><div class=\"grid-form\">")
        h.raw("<label class=\"wide\">\(HTML.e(w["page.meeting.title"]))<input name=\"new-title\" maxlength=\"\(MeetingRules.nameMax)\" value=\"\(HTML.e(openOutput == nil ? (submitted?["new-title"] ?? "") : ""))\"></label>")
        h.raw("<label>\(HTML.e(w("関連する項目（例: \(key)-R3）", "About an item (e.g. \(key)-R3)")))<input name=\"new-reference\" size=\"12\" value=\"\(HTML.e(openOutput == nil ? (submitted?["new-reference"] ?? "") : ""))\"></label>")
        h.raw("<label class=\"wide\">\(HTML.e(w.label("col.notes")))<textarea name=\"new-notes\" rows=\"2\">")
        h.t(openOutput == nil ? (submitted?["new-notes"] ?? "") : "")
        h.raw("</textarea></label><div><button class=\"secondary\" formaction=\"\(path)/items\" id=\"add-item-button\">\(HTML.e(w["page.meeting.add"]))</button></div></div></section>")

        h.raw("<div class=\"card minutes-actions\"><button type=\"submit\" id=\"save-minutes\">\(HTML.e(w["page.meeting.save_the_minutes"]))</button> ")
        h.raw("<button class=\"secondary\" formaction=\"\(path)/prepare\" id=\"refresh-agenda\">\(HTML.e(w["page.meeting.refresh_the_agenda"]))</button> ")
        h.raw("<button formaction=\"\(path)/approve\" id=\"approve-minutes\">\(HTML.e(w["page.meeting.approve_the_minutes"]))</button></div>")
        h.raw("<p class=\"muted\">")
        h.t(w["page.meeting.every_button_saves_what_you_typed_first"])
        h.raw("</p></form>")
    }

    /// An item created from the minutes, linked to its register page, with its state; an open action without an
    /// owner or a due date is flagged (it blocks approval).
    static func outputLine(_ h: inout HTML, _ req: Request, _ o: MeetingOutputView, _ s: MeetingSeriesView, key: String, _ w: MeetingText) {
        let incomplete = o.type == .action && !RegisterKind.action.isFinished(o.status) && (o.ownerID == nil || o.dueDate == nil)
        h.raw("<li class=\"output\(incomplete ? " incomplete" : "")\" data-reference=\"\(HTML.e(o.reference))\">")
        h.t(w.itemType(o.type) + ": ")
        h.raw("<a href=\"\(HTML.e(MeetingHTML.itemHref(key, o.type, o.number)))\">")
        h.t(o.reference)
        h.raw("</a> ")
        h.t(o.title)
        var parts: [String] = [o.type.register.map { RegisterForms.statusLabel(req, $0, o.status) } ?? req.label("status." + o.status)]
        if let owner = s.name(of: o.ownerID) { parts.append(owner) }
        if let due = o.dueDate { parts.append(due.description) }
        h.raw(" <span class=\"muted\">(")
        h.t(parts.joined(separator: ", "))
        h.raw(")</span>")
        if incomplete {
            h.raw(" <span class=\"tag warn\">")
            h.t(w["page.meeting.needs_an_owner_and_a_due_date"])
            h.raw("</span>")
        }
        h.raw("</li>")
    }

    /// The form that creates a decision, action, question, issue or risk from a line of the minutes; posted with the
    /// minutes form (`create` names the line), so the notes typed so far are saved too.
    static func outputForm(_ h: inout HTML, _ req: Request, target: String, visibility: Visibility, s: MeetingSeriesView,
                           options: (String) -> String, submitted: [String: String]?, open: Bool, path: String, _ w: MeetingText) {
        let p = "out-\(target)-"
        func value(_ name: String) -> String { submitted?[p + name] ?? "" }
        h.raw("<details class=\"output-form\"\(open ? " open" : "")><summary>\(HTML.e(w["page.meeting.create_from_this_line_decision_action"]))</summary><div class=\"grid-form\">")
        let type = value("type").isEmpty ? "A" : value("type")
        h.raw("<label>\(HTML.e(w["page.meeting.kind"]))<select name=\"\(p)type\">")
        for t in [ItemType.action, .decision, .question, .issue, .risk] {
            h.raw("<option value=\"\(t.rawValue)\"\(t.rawValue == type ? " selected" : "")>\(HTML.e(w.itemType(t)))</option>")
        }
        h.raw("</select></label>")
        h.raw("<label class=\"wide\">\(HTML.e(w["page.meeting.title"]))<input name=\"\(p)title\" maxlength=\"200\" value=\"\(HTML.e(value("title")))\"></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.owner"]))<select name=\"\(p)owner\">\(options(value("owner")))</select></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.due"]))<input type=\"date\" name=\"\(p)due\" value=\"\(HTML.e(value("due")))\"></label>")
        h.raw("<label>\(HTML.e(w["page.meeting.decider_decisions"]))<select name=\"\(p)decider\">\(options(value("decider")))</select></label>")
        // New items default to the visibility of the line they come from, so nothing becomes more visible by accident.
        let current = value("visibility").isEmpty
            ? (visibility.scope == .company ? "company:\(visibility.companyID?.rawValue.uuidString.lowercased() ?? "")" : visibility.scope.rawValue)
            : value("visibility")
        h.raw("<label>\(HTML.e(w["page.meeting.visibility"]))<select name=\"\(p)visibility\">")
        var scopes = [(VisibilityScope.project.rawValue, w.visibility(.project)), (VisibilityScope.internal.rawValue, w.visibility(.internal))]
        if visibility.scope == .company, let company = visibility.companyID {
            scopes.append(("company:\(company.rawValue.uuidString.lowercased())", w.visibility(.company) + (s.name(of: company).map { ": " + $0 } ?? "")))
        }
        for (v, label) in scopes { h.raw("<option value=\"\(HTML.e(v))\"\(v == current ? " selected" : "")>\(HTML.e(label))</option>") }
        h.raw("</select></label>")
        h.raw("<details class=\"wide risk-fields\"><summary>\(HTML.e(w["page.meeting.risk_assessment_required_for_a_risk"]))</summary><div class=\"grid-form\">")
        func select(_ name: String, _ values: [(String, String)]) {
            h.raw("<label>\(HTML.e(req.label("rf." + name)))<select name=\"\(p)\(name)\"><option value=\"\"></option>")
            for (v, label) in values { h.raw("<option value=\"\(HTML.e(v))\"\(v == value(name) ? " selected" : "")>\(HTML.e(label))</option>") }
            h.raw("</select></label>")
        }
        func choices(_ field: String) -> [(String, String)] {
            guard case .choice(let values)? = RegisterKind.risk.field(field)?.kind else { return [] }
            return values.map { ($0, req.label("rc." + $0)) }
        }
        select("riskType", choices("riskType"))
        select("category", choices("category"))
        for name in ["probability", "impactSchedule", "impactCost", "impactQuality"] { select(name, (1...5).map { (String($0), String($0)) }) }
        h.raw("</div></details>")
        h.raw("<div><button class=\"secondary\" name=\"create\" value=\"\(HTML.e(target))\" formaction=\"\(path)/outputs\">\(HTML.e(w["page.meeting.create_2"]))</button></div></div></details>")
    }

    // MARK: Earlier versions

    static func versionPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let n = try req.pathInt("n")
        let v = try req.pathInt("v")
        let context = try await req.pageProjectContext(caller, key: key)
        let series = try await req.store.meetingSeries(caller, key: key, id: id)
        let versions = try await req.store.minutesVersions(caller, key: key, seriesID: id, number: n)
        guard let doc = versions.first(where: { $0.version == v }) else {
            throw DomainError.notFound("minutes.version_not_found", "'\(series.fields.name)' #\(n) has no approved version \(v).",
                                       subjects: [series.fields.name, "#\(n)", "v\(v)"])
        }
        let w = MeetingText(req)
        let path = HTML.e(MeetingHTML.occurrencePath(key, id, n))
        let title = "\(series.fields.name) \(w.occurrence(n)) \(w.version(v))"
        var h = HTML()
        h.raw("<div class=\"head noprint\"><h1>")
        h.t(title)
        h.raw("</h1></div><nav class=\"plan-nav noprint\"><a href=\"\(path)\">← ")
        h.t("\(series.fields.name) \(w.occurrence(n))")
        h.raw("</a><a href=\"\(path)/versions/\(v)/minutes.md\">\(HTML.e(w["page.meeting.minutes_markdown"]))</a><a href=\"\(path)/versions/\(v)/minutes.xlsx\">\(HTML.e(w["page.meeting.minutes_excel"]))</a></nav>")
        if v < versions.count {
            h.raw("<p class=\"card warn noprint\">")
            h.t(w("これは以前の版です。最新の承認版は\(w.version(versions.count))です。", "This is an earlier version; the latest approved one is \(w.version(versions.count))."))
            h.raw("</p>")
        }
        MeetingHTML.document(&h, doc, key: key, w: w, zone: caller.timeZone, id: "minutes")
        h.raw("<p class=\"noprint\" id=\"versions\">\(HTML.e(w["page.meeting.approved_versions"])): ")
        for d in versions {
            h.raw(d.version == v ? "<b>\(HTML.e(w.version(d.version)))</b> " : "<a href=\"\(path)/versions/\(d.version)\">\(HTML.e(w.version(d.version)))</a> ")
        }
        h.raw("</p>")
        return try await req.renderMeetingPage(h, title: title, project: context.project)
    }

    // MARK: Downloads

    static func download(_ req: Request, _ name: String, version: Int?) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let n = try req.pathInt("n")
        let w = MeetingText(req)
        let doc: MinutesDocument
        var occurrence: OccurrenceView?
        if let version {
            let versions = try await req.store.minutesVersions(caller, key: key, seriesID: id, number: n)
            guard let found = versions.first(where: { $0.version == version }) else {
                throw DomainError.notFound("minutes.version_not_found", "This occurrence has no approved version \(version).", subjects: ["v\(version)"])
            }
            doc = found
        } else {
            let view = try await req.store.occurrence(caller, key: key, seriesID: id, number: n)
            occurrence = view
            doc = view.document()
        }
        let offset = TimeZones.named(caller.timeZone).secondsFromGMT(for: doc.approvedAt ?? req.store.now()) / 60
        let stem = "\(key)-meeting-\(n)" + (version.map { "-v\($0)" } ?? "")
        let full = "\(key) \(doc.seriesName) \(w.occurrence(n))" + (version.map { " " + w.version($0) } ?? "")
        switch name {
        case "agenda.md":
            return MeetingHTML.file(Data(MeetingMarkdown.agenda(doc, lang: w.lang).utf8), ascii: "\(stem)-agenda.md",
                                    name: "\(full) \(w.label("doc.agenda")).md", type: MeetingHTML.markdown)
        case "minutes.md":
            return MeetingHTML.file(Data(MeetingMarkdown.minutes(doc, lang: w.lang, utcOffsetMinutes: offset).utf8), ascii: "\(stem)-minutes.md",
                                    name: "\(full) \(w.label("doc.minutes")).md", type: MeetingHTML.markdown)
        case "minutes.xlsx":
            let data = try XLSXWriter.write(MeetingWorkbook.minutes(doc, lang: w.lang, utcOffsetMinutes: offset))
            return MeetingHTML.file(data, ascii: "\(stem)-minutes.xlsx", name: "\(full) \(w.label("doc.minutes")).xlsx", type: MeetingHTML.xlsx)
        default:
            guard let view = occurrence else { throw DomainError.notFound("route.not_found", "There is no such download.") }
            let (organizer, attendees) = try await people(req, caller, key: key, view.series)
            let text = MeetingCalendar.invitation(
                projectKey: key, seriesID: id.uuidString.lowercased(), occurrence: n, date: view.date, startMinutes: view.startMinutes,
                durationMinutes: view.durationMinutes, name: view.series.fields.name, purpose: view.series.fields.purpose,
                location: view.series.fields.location, organizer: organizer, attendees: attendees,
                agendaLines: MeetingCalendar.agendaLines(doc, lang: w.lang), stamp: req.store.now(), sequence: view.version, lang: w.lang)
            return MeetingHTML.file(Data(text.utf8), ascii: "\(stem).ics", name: "\(full).ics", type: MeetingHTML.calendar)
        }
    }
}
