import Fluent
import Foundation
import PMOCore
import PMOHTML
import PMOInterchange
import PMOReports
import PMOStore
import Vapor

/// The meeting pages: the series of a project, one series with its occurrences, one occurrence's agenda and
/// minutes (editing until approved, frozen after), earlier approved versions, and the downloads (Markdown, Excel,
/// iCalendar), written with `HTMLWriter` (pieces in `MeetingHTML`); addresses come from `MeetingPath`.
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
            let view = try await req.store.meetings.prepareOccurrence(caller, key: key, seriesID: id, today: today)
            return req.redirect(to: MeetingPath.occurrence(id, view.number).href(key))
        }
        pages.get("projects", ":key", "meetings", ":id", "series.ics") { req async throws -> Response in try await seriesCalendar(req) }
        pages.get("projects", ":key", "meetings", ":id", ":n") { req async throws -> Response in try await occurrencePage(req) }
        // Minutes posts carry every item's notes: allow more than the default body size.
        let minutesBody = HTTPBodyStreamStrategy.collect(maxSize: "16mb")
        for post in MeetingPath.Post.allCases {
            let step: Step = switch post {
            case .minutes: .save
            case .prepare: .refresh
            case .items: .addItem
            case .outputs: .output
            case .approve: .approve
            case .amend: .amend
            }
            pages.on(.POST, "projects", ":key", "meetings", ":id", ":n", "\(post.rawValue)", body: minutesBody) { req async throws -> Response in
                try await occurrencePost(req, step)
            }
        }
        pages.on(.POST, "projects", ":key", "meetings", ":id", ":n", "items", ":item", "delete", body: minutesBody) { req async throws -> Response in
            try await occurrencePost(req, .deleteItem(try req.pathUUID("item")))
        }
        pages.get("projects", ":key", "meetings", ":id", ":n", "versions", ":v") { req async throws -> Response in try await versionPage(req) }
        for file in MeetingPath.File.allCases {
            pages.get("projects", ":key", "meetings", ":id", ":n", "\(file.rawValue)") { req async throws -> Response in
                try await download(req, file, version: nil)
            }
        }
        for file in MeetingPath.File.ofVersion {
            pages.get("projects", ":key", "meetings", ":id", ":n", "versions", ":v", "\(file.rawValue)") { req async throws -> Response in
                try await download(req, file, version: try req.pathInt("v"))
            }
        }
    }

    // MARK: Series list

    static func listPage(_ req: Request, form: SeriesForm? = nil, errors: [FieldError] = [],
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let context = try await req.pageProjectContext(caller, key: key)
        let series = try await req.store.meetings.series(caller, key: key)
        let (today, _) = req.today(for: caller)
        let w = MeetingText(req)
        var h = HTMLWriter()
        h.pageHead(w["page.meeting.meetings"])
        h.el(.section, .class("card")) { h in
            h.el(.table, .class("list"), .id("series")) { h in
                h.tableHead([w["page.meeting.series"], w["page.meeting.chair"], w["page.meeting.when"], w["page.meeting.next"],
                             w["page.meeting.location"], w["page.meeting.visibility"]])
                h.el(.tbody) { h in
                    for s in series {
                        let f = s.fields
                        let next = f.recurrence.firstOccurrence(onOrAfter: today)
                        h.el(.tr, .attr("data-id", s.id.uuidString.lowercased())) { h in
                            h.el(.td) { h in
                                h.el(.a, .href(MeetingPath.series(s.id).href(key)), text: f.name)
                                if let company = s.name(of: f.companyID) {
                                    h.text(" ")
                                    h.el(.span, .class("muted"), text: company)
                                }
                            }
                            h.el(.td, text: s.name(of: f.chairID) ?? "")
                            h.el(.td, .class("recurrence"), text: w.recurrence(f.recurrence))
                            h.el(.td, .class("date"), text: "\(w.occurrence(next)) \(w.day(f.recurrence.date(ofOccurrence: next)))")
                            h.el(.td, text: f.location)
                            h.el(.td, text: f.visibility.scope == .project ? "" : w.visibility(f.visibility.scope))
                        }
                    }
                    if series.isEmpty {
                        h.el(.tr) { h in h.el(.td, .colspan("6"), .class("muted"), text: w["page.meeting.there_are_no_meeting_series_yet"]) }
                    }
                }
            }
        }
        if MeetingAccess.canManageSeries(context.actor) {
            let members = try await req.store.projects.members(caller, key: key)
            let companies = try await req.store.accounts.companies()
            var values = form ?? SeriesForm()
            if form == nil { values.firstDate = today.description }
            try h.el(.section, .class("card noprint"), .id("new-series")) { h in
                h.el(.h2, text: w["page.meeting.set_up_a_meeting_series"])
                errorList(&h, req.shown(errors, labelFields: false), w)
                try seriesForm(&h, req, action: MeetingPath.list.href(key), values: values, members: members, companies: companies, version: nil,
                               submit: w["page.meeting.create"], w)
            }
        }
        return try await req.renderMeetingPage(h, title: "\(key) – " + w["page.meeting.meetings"], project: context.project, status: status)
    }

    static func createSeries(_ req: Request) async throws -> Response {
        let (caller, key, f) = try PlanPages.formContext(req)
        let form = SeriesForm(form: f)
        let (fields, parseErrors) = form.parse()
        do {
            if !parseErrors.isEmpty { throw DomainError.invalid("meeting.invalid", parseErrors) }
            let view = try await req.store.meetings.createSeries(caller, key: key, fields)
            return req.redirect(to: MeetingPath.series(view.id).href(key))
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
            _ = try await req.store.meetings.updateSeries(caller, key: key, id: id, expectedVersion: Int(f["version"] ?? ""), fields)
            return req.redirect(to: MeetingPath.series(id).href(key))
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
        let s = try await req.store.meetings.series(caller, key: key, id: id)
        let occurrences = try await req.store.meetings.occurrences(caller, key: key, seriesID: id)
        let w = MeetingText(req)
        let f = s.fields
        let members = s.canManage ? try await req.store.projects.members(caller, key: key) : []
        let companies = s.canManage ? try await req.store.accounts.companies() : []
        var h = HTMLWriter()
        h.pageHead(f.name) { h in
            h.el(.div, .class("actions noprint")) { h in
                if s.canRun {
                    h.postForm(MeetingPath.prepareNext(id).href(key), .class("inline"), csrf: req.csrfToken) { h in
                        h.el(.button, .id("prepare-next"), text: w["page.meeting.prepare_next_meeting"])
                    }
                }
                h.el(.a, .class("button secondary"), .id("series-ics"), .href(MeetingPath.seriesCalendar(id).href(key)), text: w["page.meeting.add_to_calendar_ics"])
            }
        }
        h.el(.p, .class("noprint")) { h in h.el(.a, .href(MeetingPath.list.href(key)), text: "← " + w["page.meeting.all_meetings"]) }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("kv"), .id("series-facts")) { h in
                let facts = [
                    (w["page.meeting.when"], w.recurrence(f.recurrence) + " (" + w["page.meeting.first"] + " \(w.day(f.recurrence.firstDate)))"),
                    (w["page.meeting.chair"], s.name(of: f.chairID) ?? ""),
                    (w["page.meeting.location"], f.location),
                    (w["page.meeting.attendees"], w.list(f.attendeeIDs.compactMap { s.name(of: $0) })),
                    (w["page.meeting.agenda_rules"], w.list(f.rules.map { w.rule($0) })),
                    (w["page.meeting.risk_threshold"], String(f.riskThreshold)),
                    (w["page.meeting.company_filter"], s.name(of: f.companyID) ?? ""),
                    (w["page.meeting.visibility"], w.visibility(f.visibility.scope) + (s.name(of: f.visibility.companyID).map { ": " + $0 } ?? "")),
                ]
                for (label, value) in facts { MeetingHTML.fact(&h, label, value.isEmpty ? "—" : value) }
                h.el(.div) { h in
                    h.el(.dt, text: w["page.meeting.purpose"])
                    h.el(.dd) { h in MeetingHTML.text(&h, f.purpose, empty: "—") }
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.meeting.meetings_held"])
            h.el(.table, .class("list"), .id("occurrences")) { h in
                h.tableHead([w["page.meeting.no"], w["page.meeting.date"], w["page.meeting.time"], w["page.meeting.status"], w["page.meeting.approved_versions"], ""])
                h.el(.tbody) { h in
                    for o in occurrences {
                        h.el(.tr, .attr("data-number", "\(o.number)")) { h in
                            h.el(.td) { h in h.el(.a, .href(MeetingPath.occurrence(id, o.number).href(key)), text: w.occurrence(o.number)) }
                            h.el(.td, .class("date"), text: w.day(o.date))
                            h.el(.td, text: MeetingText.timeRange(start: o.startMinutes, duration: f.recurrence.durationMinutes))
                            h.el(.td) { h in h.el(.span, .class("status status-\(o.status.rawValue)"), text: w.status(o.status)) }
                            h.el(.td) { h in
                                if o.approvedVersions > 0 {
                                    for v in 1...o.approvedVersions {
                                        h.el(.a, .href(MeetingPath.version(id, o.number, v).href(key)), text: w.version(v))
                                        h.text(" ")
                                    }
                                }
                            }
                            h.el(.td, .class("noprint")) { h in
                                h.el(.a, .href(MeetingPath.download(id, o.number, .agendaMarkdown).href(key)), text: w["page.meeting.agenda"] + " (.md)")
                            }
                        }
                    }
                    if occurrences.isEmpty {
                        h.el(.tr) { h in h.el(.td, .colspan("6"), .class("muted"), text: w["page.meeting.no_meetings_yet_prepare_the_next_meeting"]) }
                    }
                }
            }
        }
        if s.canManage {
            try h.el(.details, .class("card noprint"), .id("edit-series"), .flag("open", !errors.isEmpty)) { h in
                h.el(.summary, text: w["page.meeting.edit_the_series"])
                errorList(&h, req.shown(errors, labelFields: false), w)
                try seriesForm(&h, req, action: MeetingPath.series(id).href(key), values: form ?? SeriesForm(f), members: members, companies: companies,
                               version: s.version, submit: w["page.meeting.save"], w)
            }
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

    static func seriesForm(_ h: inout HTMLWriter, _ req: Request, action: String, values v: SeriesForm, members: [MemberView],
                           companies: [CompanyRecord], version: Int?, submit: String, _ w: MeetingText) throws {
        let memberOptions = try members.map { (value: try $0.user.requireID().uuidString.lowercased(), label: memberLabel($0)) }
        let companyOptions = try companies.map { (value: try $0.requireID().uuidString.lowercased(), label: $0.name) }
        h.postForm(action, .class("grid-form series-form"), csrf: req.csrfToken, hidden: version.map { [("version", "\($0)")] } ?? []) { h in
            h.labelled(w["page.meeting.name"], .class("wide")) { h in
                h.el(.input, .name("name"), .required, .maxlength("\(MeetingRules.nameMax)"), .value(v.name), .placeholder(w["page.meeting.weekly_progress_meeting"]))
            }
            h.labelled(w["page.meeting.purpose"], .class("wide")) { h in h.el(.textarea, .name("purpose"), .rows("2"), text: v.purpose) }
            h.labelled(w["page.meeting.chair"]) { h in h.select("chair", [("", "—")] + memberOptions, selected: v.chair) }
            h.labelled(w["page.meeting.first_date"]) { h in h.el(.input, .type("date"), .name("firstDate"), .required, .value(v.firstDate)) }
            h.labelled(w["page.meeting.every"]) { h in
                h.select("intervalWeeks", (1...8).map { n in
                    ("\(n)", n == 1 ? w["page.meeting.every_week"] : n == 2 ? w["page.meeting.every_2_weeks"] : w.every(n))
                }, selected: v.interval)
            }
            h.labelled(w["page.meeting.start_time"]) { h in h.el(.input, .type("time"), .name("startTime"), .required, .value(v.start)) }
            h.labelled(w["page.meeting.duration_minutes"]) { h in
                h.el(.input, .type("number"), .name("durationMinutes"), .attr("min", "5"), .attr("max", "720"), .attr("step", "5"), .required, .value(v.duration))
            }
            h.labelled(w["page.meeting.location"]) { h in h.el(.input, .name("location"), .maxlength("500"), .value(v.location)) }
            h.el(.fieldset, .class("wide checks"), .id("attendees")) { h in
                h.el(.legend, text: w["page.meeting.attendees"])
                for m in memberOptions {
                    h.el(.label, .class("check")) { h in
                        h.el(.input, .type("checkbox"), .name("attendee-\(m.value)"), .checked(v.attendees.contains(m.value)))
                        h.text(m.label)
                    }
                }
            }
            h.el(.fieldset, .class("wide checks"), .id("rules")) { h in
                h.el(.legend, text: w["page.meeting.what_comes_to_the_agenda"])
                for r in AgendaRule.allCases {
                    h.el(.label, .class("check")) { h in
                        h.el(.input, .type("checkbox"), .name("rule-\(r.rawValue)"), .checked(v.rules.contains(r.rawValue)))
                        h.text(w.rule(r))
                    }
                }
            }
            h.labelled(w["page.meeting.risk_threshold_score_1_25"]) { h in
                h.el(.input, .type("number"), .name("riskThreshold"), .attr("min", "1"), .attr("max", "25"), .value(v.threshold))
            }
            h.labelled(w["page.meeting.company_filter_a_vendor_s_meeting"]) { h in
                h.select("company", [("", w["page.meeting.all_companies"])] + companyOptions, selected: v.company)
            }
            h.labelled(w["page.meeting.visibility"]) { h in
                h.select("visibility", VisibilityScope.allCases.map { ($0.rawValue, w.visibility($0)) }, selected: v.visibility)
            }
            h.labelled(w["page.meeting.visible_to_company_one_company_only"]) { h in
                h.select("visibilityCompany", [("", "—")] + companyOptions, selected: v.visibilityCompany)
            }
            h.el(.div, .class("wide")) { h in h.el(.button, .type("submit"), text: submit) }
        }
    }

    static func memberLabel(_ m: MemberView) -> String {
        m.company.map { "\(m.user.displayName) (\($0.name))" } ?? m.user.displayName
    }

    static func errorList(_ h: inout HTMLWriter, _ errors: [FieldError], _ w: MeetingText) {
        guard !errors.isEmpty else { return }
        h.el(.div, .class("card warn"), .id("form-errors")) { h in
            h.el(.b, text: w["page.meeting.please_check_your_input"])
            h.el(.ul, .class("errors")) { h in
                for e in errors { h.el(.li, .attr("data-field", e.field), .attr("data-code", e.code), text: e.message) }
            }
        }
    }

    static func seriesCalendar(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let s = try await req.store.meetings.series(caller, key: key, id: id)
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
        let members = try await req.store.projects.members(caller, key: key)
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
            detail = !explained ? nil : req.locale == "en" ? e.message : (e.subjects.isEmpty ? nil : w.list(e.subjects))
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
        let path = MeetingPath.occurrence(id, n).href(key)
        if case .amend = step {
            _ = try await req.store.meetings.amendMinutes(caller, key: key, seriesID: id, number: n)
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
                _ = try await req.store.meetings.prepareOccurrence(caller, key: key, seriesID: id, number: n, today: today)
            case .addItem:
                let title = (f["new-title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                let referenceText = (f["new-reference"] ?? "").trimmingCharacters(in: .whitespaces)
                let reference = referenceText.isEmpty ? nil : ItemReference(referenceText)
                if !referenceText.isEmpty && reference == nil {
                    throw DomainError.invalid("minutes.invalid", [FieldError(field: "reference", code: "invalid_reference",
                                                                             message: "Write the item as I12, R3 or \(key)-Q4.")])
                }
                _ = try await req.store.meetings.addAgendaItem(caller, key: key, seriesID: id, number: n, title: title,
                                                      notes: normalized(f["new-notes"] ?? ""), reference: reference)
                anchor = "#add-item"
            case .output:
                let target = (f["create"] ?? "general").lowercased()
                openOutput = target
                let itemID = UUID(uuidString: target)
                let input = try outputInput(f, prefix: "out-\(target)-", key: key)
                _ = try await req.store.meetings.recordMinutesOutput(caller, key: key, seriesID: id, number: n, agendaItemID: itemID, input)
                anchor = itemID.map { "#item-\($0.uuidString.lowercased())" } ?? "#outputs"
            case .approve:
                _ = try await req.store.meetings.approveMinutes(caller, key: key, seriesID: id, number: n, expectedVersion: nil)
            case .deleteItem(let item):
                _ = try await req.store.meetings.deleteAgendaItem(caller, key: key, seriesID: id, number: n, itemID: item)
            }
        } catch let e as DomainError where shownOnPage(e) {
            var notice = Notice(e, w, req)
            if e.code == "minutes.actions_incomplete" {
                let view = try await req.store.meetings.occurrence(caller, key: key, seriesID: id, number: n)
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
        let view = try await req.store.meetings.occurrence(caller, key: key, seriesID: id, number: n)
        if view.isFrozen {
            // Let the store refuse, naming the approved version.
            _ = try await req.store.meetings.updateMinutes(caller, key: key, seriesID: id, number: n, expectedVersion: nil, notes: nil, presentIDs: nil)
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
        _ = try await req.store.meetings.saveMinutes(caller, key: key, seriesID: id, number: n,
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
            let text = w("page.meeting.action_lacks", ["reference": o.reference, "title": o.title, "missing": w.list(missing)])
            return Notice.Line(text: text, href: ItemPath.href(key, o.type, o.number))
        }
    }

    static func occurrencePage(_ req: Request, notice: Notice? = nil, submitted: [String: String]? = nil, openOutput: String? = nil,
                               status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let n = try req.pathInt("n")
        let context = try await req.pageProjectContext(caller, key: key)
        let view = try await req.store.meetings.occurrence(caller, key: key, seriesID: id, number: n)
        let w = MeetingText(req)
        let s = view.series
        let title = "\(s.fields.name) \(w.occurrence(n))"
        let members = !view.isFrozen && s.canRun ? try await req.store.projects.members(caller, key: key) : []
        var h = HTMLWriter()
        h.el(.div, .class("head noprint")) { h in
            h.el(.h1, text: title)
            h.el(.span, .class("muted"), .id("occurrence-facts")) { h in
                var facts = "\(w.day(view.date)) \(MeetingText.timeRange(start: view.startMinutes, duration: view.durationMinutes))"
                if !s.fields.location.isEmpty { facts += " · \(s.fields.location)" }
                h.text(facts + " · ")
                h.el(.span, .class("status status-\(view.status.rawValue)"), .id("occurrence-status"), text: w.status(view.status))
            }
        }
        h.el(.nav, .class("plan-nav noprint"), .id("downloads")) { h in
            h.el(.a, .href(MeetingPath.series(id).href(key)), text: "← " + s.fields.name)
            for (file, label) in [(MeetingPath.File.agendaMarkdown, w["page.meeting.agenda_markdown"]), (.minutesMarkdown, w["page.meeting.minutes_markdown"]),
                                  (.minutesWorkbook, w["page.meeting.minutes_excel"]), (.invitation, w["page.meeting.invitation_ics"])] {
                h.el(.a, .href(MeetingPath.download(id, n, file).href(key)), text: label)
            }
        }
        if let notice { noticeBox(&h, notice) }
        let approvedVersions = view.minutesVersion - 1
        if view.isFrozen {
            let doc = view.frozen ?? view.document()
            h.el(.section, .class("card frozen"), .id("frozen")) { h in
                h.el(.p, .class("approved-line")) { h in
                    h.el(.b, text: w["page.meeting.approved"] + " · " + w.version(doc.version))
                    h.text(" " + w["page.meeting.approved_by"] + ": " + (doc.approvedBy.map(MeetingHTML.person) ?? "—")
                        + " · " + (doc.approvedAt.map { Formatting.instant($0, zone: caller.timeZone) } ?? ""))
                }
                if s.canRun {
                    h.postForm(MeetingPath.post(id, n, .amend).href(key), .class("inline noprint"), csrf: req.csrfToken) { h in
                        h.el(.button, .class("secondary"), .id("amend-minutes"), text: w["page.meeting.amend_opens_a_new_version"])
                    }
                }
            }
            MeetingHTML.document(&h, doc, key: key, w: w, zone: caller.timeZone, id: "minutes")
        } else if s.canRun {
            h.el(.div, .class("print-only")) { h in
                MeetingHTML.document(&h, view.document(), key: key, w: w, zone: caller.timeZone, id: "printout", agenda: view.status == .prepared)
            }
            try editor(&h, req, view, key: key, id: id, n: n, members: members, submitted: submitted, openOutput: openOutput, w)
        } else {
            MeetingHTML.document(&h, view.document(), key: key, w: w, zone: caller.timeZone, id: "minutes", agenda: view.status == .prepared)
        }
        if approvedVersions > 0 {
            h.el(.p, .class("noprint"), .id("versions")) { h in
                h.text(w["page.meeting.approved_versions"] + ": ")
                for v in 1...approvedVersions {
                    h.el(.a, .href(MeetingPath.version(id, n, v).href(key)), text: w.version(v))
                    h.text(" ")
                }
            }
        }
        return try await req.renderMeetingPage(h, title: title, project: context.project, status: status)
    }

    static func noticeBox(_ h: inout HTMLWriter, _ notice: Notice) {
        h.el(.section, .class("card warn"), .id("minutes-error"), .attr("data-code", notice.code)) { h in
            h.el(.b, text: notice.headline)
            if !notice.lines.isEmpty {
                h.el(.ul, .class("errors")) { h in
                    for line in notice.lines {
                        h.el(.li) { h in
                            if let href = line.href { h.el(.a, .href(href), text: line.text) } else { h.text(line.text) }
                        }
                    }
                }
            }
            if let detail = notice.detail { h.el(.p, .class("muted"), text: detail) }
        }
    }

    /// The minutes form of a draft: who was present, the general notes, every item with its reasons, notes,
    /// carry-over mark, outputs and a form to create an item from it, then adding an item, refreshing and approving.
    static func editor(_ h: inout HTMLWriter, _ req: Request, _ view: OccurrenceView, key: String, id: UUID, n: Int, members: [MemberView],
                       submitted: [String: String]?, openOutput: String?, _ w: MeetingText) throws {
        let s = view.series
        func value(_ name: String, _ current: String) -> String { submitted?[name] ?? current }
        func post(_ step: MeetingPath.Post) -> String { MeetingPath.post(id, n, step).href(key) }
        // Only members who may see the series can be present or own what it creates.
        let seeing = try members.filter { m in
            let actor = AccessPolicy.Actor(userID: UserID(try m.user.requireID()), companyID: CompanyID(m.user.companyID), isSystemAdmin: m.user.isAdmin, role: m.role)
            return MeetingAccess.canSee(actor, s.fields.visibility)
        }
        let people = try [(value: "", label: "—")] + seeing.map { (value: try $0.user.requireID().uuidString.lowercased(), label: memberLabel($0)) }
        // Who was present: the chair and standing attendees first, other members on demand.
        let presentNow = Set(view.presentIDs.map { $0.rawValue.uuidString.lowercased() })
        let presentShown = submitted.map { f in Set(f.keys.filter { $0.hasPrefix("present-") }.map { String($0.dropFirst("present-".count)) }) } ?? presentNow
        let standing = Set((s.fields.attendeeIDs + (s.fields.chairID.map { [$0] } ?? [])).map { $0.rawValue.uuidString.lowercased() })
        let expected = people.dropFirst().filter { standing.contains($0.value) || presentNow.contains($0.value) }
        let others = people.dropFirst().filter { !(standing.contains($0.value) || presentNow.contains($0.value)) }
        func presentBox(_ h: inout HTMLWriter, _ p: (value: String, label: String)) {
            h.el(.label, .class("check")) { h in
                h.el(.input, .type("checkbox"), .name("present-\(p.value)"), .checked(presentShown.contains(p.value)))
                h.text(p.label)
            }
        }

        h.postForm(post(.minutes), .id("minutes-form"), .class("minutes-form noprint"), csrf: req.csrfToken,
                   hidden: [("version", "\(view.version)"), ("attendance", "1")]) { h in
            // Enter in a field submits with the first button of the form: make that "save", not an item's remove button.
            h.el(.button, .type("submit"), .class("default-submit"), .attr("tabindex", "-1"), .attr("aria-hidden", "true"), text: w["page.meeting.save"])
            h.el(.section, .class("card"), .id("attendance")) { h in
                h.el(.h2, text: w.label("meeting.present"))
                h.el(.div, .class("checks")) { h in for p in expected { presentBox(&h, p) } }
                if !others.isEmpty {
                    h.el(.details) { h in
                        h.el(.summary, text: w["page.meeting.other_members"])
                        h.el(.div, .class("checks")) { h in for p in others { presentBox(&h, p) } }
                    }
                }
                h.labelled(w.label("meeting.notes"), .class("wide")) { h in h.el(.textarea, .name("notes"), .rows("3"), text: value("notes", view.notes)) }
            }

            let sections = MeetingHTML.sections(view.items, rule: \.rule, position: \.position)
            if sections.isEmpty { h.el(.p, .class("muted"), text: w.label("meeting.no_items")) }
            for section in sections {
                h.el(.section, .class("agenda-section")) { h in
                    h.el(.h2, .class("rule"), text: w.rule(section.rule))
                    for (number, item) in section.items {
                        let itemKey = item.id.uuidString.lowercased()
                        h.el(.article, .class("card agenda-item"), .id("item-\(itemKey)"), .attr("data-rule", item.rule?.rawValue ?? "")) { h in
                            h.el(.div, .class("item-head")) { h in
                                h.el(.span, .class("num"), text: "\(number).")
                                h.text(" ")
                                MeetingHTML.entryTitle(&h, key: key, reference: item.reference, activityUID: item.activityUID, title: item.title)
                            }
                            MeetingHTML.reasons(&h, item.reasons, w)
                            if !item.outputs.isEmpty {
                                h.el(.ul, .class("outputs")) { h in for o in item.outputs { outputLine(&h, req, o, s, key: key, w) } }
                            }
                            h.el(.input, .type("hidden"), .name("v-\(itemKey)"), .value("\(item.version)"))
                            h.labelled(w.label("col.notes")) { h in
                                h.el(.textarea, .name("notes-\(itemKey)"), .rows("2"), text: value("notes-\(itemKey)", item.notes))
                            }
                            let carry = submitted.map { $0["carry-\(itemKey)"] != nil } ?? item.carry
                            h.el(.div, .class("item-actions")) { h in
                                h.el(.label, .class("check")) { h in
                                    h.el(.input, .type("checkbox"), .name("carry-\(itemKey)"), .checked(carry))
                                    h.text(w.label("meeting.carry"))
                                }
                                if item.outputs.isEmpty {
                                    h.el(.button, .class("link"), .attr("formaction", MeetingPath.deleteItem(id, n, item: item.id).href(key)),
                                         text: w["page.meeting.remove_this_item"])
                                }
                            }
                            outputForm(&h, req, target: itemKey, visibility: item.visibility, s: s, people: people,
                                       submitted: openOutput == itemKey ? submitted : nil, open: openOutput == itemKey, action: post(.outputs), w)
                        }
                    }
                }
            }
            h.el(.section, .class("card"), .id("outputs")) { h in
                h.el(.h2, text: w["page.meeting.items_not_tied_to_one_agenda_item"])
                if !view.outputs.isEmpty {
                    h.el(.ul, .class("outputs")) { h in for o in view.outputs { outputLine(&h, req, o, s, key: key, w) } }
                }
                outputForm(&h, req, target: "general", visibility: s.fields.visibility, s: s, people: people,
                           submitted: openOutput == "general" ? submitted : nil, open: openOutput == "general", action: post(.outputs), w)
            }

            let typedNew = { (name: String) in openOutput == nil ? (submitted?[name] ?? "") : "" }
            h.el(.section, .class("card"), .id("add-item")) { h in
                h.el(.h2, text: w["page.meeting.add_an_item"])
                h.el(.div, .class("grid-form")) { h in
                    h.labelled(w["page.meeting.title"], .class("wide")) { h in
                        h.el(.input, .name("new-title"), .maxlength("\(MeetingRules.nameMax)"), .value(typedNew("new-title")))
                    }
                    h.labelled(w("page.meeting.about_an_item_example", ["example": key + "-R3"])) { h in
                        h.el(.input, .name("new-reference"), .size("12"), .value(typedNew("new-reference")))
                    }
                    h.labelled(w.label("col.notes"), .class("wide")) { h in h.el(.textarea, .name("new-notes"), .rows("2"), text: typedNew("new-notes")) }
                    h.el(.div) { h in
                        h.el(.button, .class("secondary"), .attr("formaction", post(.items)), .id("add-item-button"), text: w["page.meeting.add"])
                    }
                }
            }
            h.el(.div, .class("card minutes-actions")) { h in
                h.el(.button, .type("submit"), .id("save-minutes"), text: w["page.meeting.save_the_minutes"])
                h.text(" ")
                h.el(.button, .class("secondary"), .attr("formaction", post(.prepare)), .id("refresh-agenda"), text: w["page.meeting.refresh_the_agenda"])
                h.text(" ")
                h.el(.button, .attr("formaction", post(.approve)), .id("approve-minutes"), text: w["page.meeting.approve_the_minutes"])
            }
            h.el(.p, .class("muted"), text: w["page.meeting.every_button_saves_what_you_typed_first"])
        }
    }

    /// An item created from the minutes, linked to its register page, with its state; an open action without an
    /// owner or a due date is flagged (it blocks approval).
    static func outputLine(_ h: inout HTMLWriter, _ req: Request, _ o: MeetingOutputView, _ s: MeetingSeriesView, key: String, _ w: MeetingText) {
        let incomplete = o.type == .action && !RegisterKind.action.isFinished(o.status) && (o.ownerID == nil || o.dueDate == nil)
        var parts: [String] = [o.type.register.map { RegisterForms.statusLabel(req, $0, o.status) } ?? req.label("status." + o.status)]
        if let owner = s.name(of: o.ownerID) { parts.append(owner) }
        if let due = o.dueDate { parts.append(due.description) }
        h.el(.li, .class("output" + (incomplete ? " incomplete" : "")), .attr("data-reference", o.reference)) { h in
            h.text(w.itemType(o.type) + ": ")
            h.el(.a, .href(ItemPath.href(key, o.type, o.number)), text: o.reference)
            h.text(" " + o.title + " ")
            h.el(.span, .class("muted"), text: "(" + parts.joined(separator: ", ") + ")")
            if incomplete {
                h.text(" ")
                h.el(.span, .class("tag warn"), text: w["page.meeting.needs_an_owner_and_a_due_date"])
            }
        }
    }

    /// The form that creates a decision, action, question, issue or risk from a line of the minutes; posted with the
    /// minutes form (`create` names the line) to `action`, so the notes typed so far are saved too.
    static func outputForm(_ h: inout HTMLWriter, _ req: Request, target: String, visibility: Visibility, s: MeetingSeriesView,
                           people: [(value: String, label: String)], submitted: [String: String]?, open: Bool, action: String, _ w: MeetingText) {
        let p = "out-\(target)-"
        func value(_ name: String) -> String { submitted?[p + name] ?? "" }
        let type = value("type").isEmpty ? "A" : value("type")
        // New items default to the visibility of the line they come from, so nothing becomes more visible by accident.
        let current = value("visibility").isEmpty
            ? (visibility.scope == .company ? "company:\(visibility.companyID?.rawValue.uuidString.lowercased() ?? "")" : visibility.scope.rawValue)
            : value("visibility")
        var scopes = [(VisibilityScope.project.rawValue, w.visibility(.project)), (VisibilityScope.internal.rawValue, w.visibility(.internal))]
        if visibility.scope == .company, let company = visibility.companyID {
            scopes.append(("company:\(company.rawValue.uuidString.lowercased())", w.visibility(.company) + (s.name(of: company).map { ": " + $0 } ?? "")))
        }
        func choices(_ field: String) -> [(String, String)] {
            guard case .choice(let values)? = RegisterKind.risk.field(field)?.kind else { return [] }
            return values.map { ($0, req.label("rc." + $0)) }
        }
        h.el(.details, .class("output-form"), .flag("open", open)) { h in
            h.el(.summary, text: w["page.meeting.create_from_this_line_decision_action"])
            h.el(.div, .class("grid-form")) { h in
                h.labelled(w["page.meeting.kind"]) { h in
                    h.select(p + "type", [ItemType.action, .decision, .question, .issue, .risk].map { ($0.rawValue, w.itemType($0)) }, selected: type)
                }
                h.labelled(w["page.meeting.title"], .class("wide")) { h in h.el(.input, .name(p + "title"), .maxlength("200"), .value(value("title"))) }
                h.labelled(w["page.meeting.owner"]) { h in h.select(p + "owner", people, selected: value("owner")) }
                h.labelled(w["page.meeting.due"]) { h in h.el(.input, .type("date"), .name(p + "due"), .value(value("due"))) }
                h.labelled(w["page.meeting.decider_decisions"]) { h in h.select(p + "decider", people, selected: value("decider")) }
                h.labelled(w["page.meeting.visibility"]) { h in h.select(p + "visibility", scopes.map { ($0.0, $0.1) }, selected: current) }
                h.el(.details, .class("wide risk-fields")) { h in
                    h.el(.summary, text: w["page.meeting.risk_assessment_required_for_a_risk"])
                    h.el(.div, .class("grid-form")) { h in
                        func select(_ name: String, _ values: [(String, String)]) {
                            h.labelled(req.label("rf." + name)) { h in
                                h.select(p + name, [("", "")] + values.map { ($0.0, $0.1) }, selected: value(name).isEmpty ? nil : value(name))
                            }
                        }
                        select("riskType", choices("riskType"))
                        select("category", choices("category"))
                        for name in ["probability", "impactSchedule", "impactCost", "impactQuality"] { select(name, (1...5).map { (String($0), String($0)) }) }
                    }
                }
                h.el(.div) { h in
                    h.el(.button, .class("secondary"), .name("create"), .value(target), .attr("formaction", action), text: w["page.meeting.create_2"])
                }
            }
        }
    }

    // MARK: Earlier versions

    static func versionPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let n = try req.pathInt("n")
        let v = try req.pathInt("v")
        let context = try await req.pageProjectContext(caller, key: key)
        let series = try await req.store.meetings.series(caller, key: key, id: id)
        let versions = try await req.store.meetings.minutesVersions(caller, key: key, seriesID: id, number: n)
        guard let doc = versions.first(where: { $0.version == v }) else {
            throw DomainError.notFound("minutes.version_not_found", "'\(series.fields.name)' #\(n) has no approved version \(v).",
                                       subjects: [series.fields.name, "#\(n)", "v\(v)"])
        }
        let w = MeetingText(req)
        let title = "\(series.fields.name) \(w.occurrence(n)) \(w.version(v))"
        var h = HTMLWriter()
        h.el(.div, .class("head noprint")) { h in h.el(.h1, text: title) }
        h.el(.nav, .class("plan-nav noprint")) { h in
            h.el(.a, .href(MeetingPath.occurrence(id, n).href(key)), text: "← \(series.fields.name) \(w.occurrence(n))")
            h.el(.a, .href(MeetingPath.versionDownload(id, n, v, .minutesMarkdown).href(key)), text: w["page.meeting.minutes_markdown"])
            h.el(.a, .href(MeetingPath.versionDownload(id, n, v, .minutesWorkbook).href(key)), text: w["page.meeting.minutes_excel"])
        }
        if v < versions.count {
            h.el(.p, .class("card warn noprint"),
                 text: w("page.meeting.earlier_version", ["version": w.version(versions.count)]))
        }
        MeetingHTML.document(&h, doc, key: key, w: w, zone: caller.timeZone, id: "minutes")
        h.el(.p, .class("noprint"), .id("versions")) { h in
            h.text(w["page.meeting.approved_versions"] + ": ")
            for d in versions {
                if d.version == v {
                    h.el(.b, text: w.version(d.version))
                } else {
                    h.el(.a, .href(MeetingPath.version(id, n, d.version).href(key)), text: w.version(d.version))
                }
                h.text(" ")
            }
        }
        return try await req.renderMeetingPage(h, title: title, project: context.project)
    }

    // MARK: Downloads

    static func download(_ req: Request, _ file: MeetingPath.File, version: Int?) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let n = try req.pathInt("n")
        let w = MeetingText(req)
        let doc: MinutesDocument
        var occurrence: OccurrenceView?
        if let version {
            let versions = try await req.store.meetings.minutesVersions(caller, key: key, seriesID: id, number: n)
            guard let found = versions.first(where: { $0.version == version }) else {
                throw DomainError.notFound("minutes.version_not_found", "This occurrence has no approved version \(version).", subjects: ["v\(version)"])
            }
            doc = found
        } else {
            let view = try await req.store.meetings.occurrence(caller, key: key, seriesID: id, number: n)
            occurrence = view
            doc = view.document()
        }
        let offset = TimeZones.named(caller.timeZone).secondsFromGMT(for: doc.approvedAt ?? req.store.now()) / 60
        let stem = "\(key)-meeting-\(n)" + (version.map { "-v\($0)" } ?? "")
        let full = "\(key) \(doc.seriesName) \(w.occurrence(n))" + (version.map { " " + w.version($0) } ?? "")
        switch file {
        case .agendaMarkdown:
            return MeetingHTML.file(Data(MeetingMarkdown.agenda(doc, lang: w.lang).utf8), ascii: "\(stem)-agenda.md",
                                    name: "\(full) \(w.label("doc.agenda")).md", type: MeetingHTML.markdown)
        case .minutesMarkdown:
            return MeetingHTML.file(Data(MeetingMarkdown.minutes(doc, lang: w.lang, utcOffsetMinutes: offset).utf8), ascii: "\(stem)-minutes.md",
                                    name: "\(full) \(w.label("doc.minutes")).md", type: MeetingHTML.markdown)
        case .minutesWorkbook:
            let data = try XLSXWriter.write(MeetingWorkbook.minutes(doc, lang: w.lang, utcOffsetMinutes: offset))
            return MeetingHTML.file(data, ascii: "\(stem)-minutes.xlsx", name: "\(full) \(w.label("doc.minutes")).xlsx", type: MeetingHTML.xlsx)
        case .invitation:
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
