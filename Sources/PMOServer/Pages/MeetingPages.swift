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

    /// The meetings page's model: the series, today (for each one's next meeting), and for those who may set one up
    /// the form's values (as typed when refused), its problems worded for the reader, the members and companies.
    struct ListData {
        var key: String
        var series: [MeetingSeriesView]
        var today: CalendarDate
        var form: SeriesForm?
        var errors: [FieldError]
        var members: [MemberView]
        var companies: [CompanyRecord]
    }

    static func listPage(_ req: Request, form: SeriesForm? = nil, errors: [FieldError] = [],
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let context = try await req.pageProjectContext(caller, key: key)
        let series = try await req.store.meetings.series(caller, key: key)
        let (today, _) = req.today(for: caller)
        let w = MeetingText(req)
        var data = ListData(key: key, series: series, today: today, form: nil, errors: req.shown(errors, labelFields: false), members: [], companies: [])
        if MeetingAccess.canManageSeries(context.actor) {
            data.members = try await req.store.projects.members(caller, key: key)
            data.companies = try await req.store.accounts.companies()
            var values = form ?? SeriesForm()
            if form == nil { values.firstDate = today.description }
            data.form = values
        }
        return try await req.renderMeetingPage(MeetingViews.list, data, title: "\(key) – " + w["page.meeting.meetings"], project: context.project,
                                               status: status)
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

    /// One series' model: the series and its meetings, and for those who manage it the edit form's values (as
    /// typed when refused), its problems worded for the reader, the members and companies.
    struct SeriesData {
        var key: String
        var series: MeetingSeriesView
        var occurrences: [OccurrenceSummary]
        var form: SeriesForm?
        var errors: [FieldError]
        var members: [MemberView]
        var companies: [CompanyRecord]
    }

    static func seriesPage(_ req: Request, form: SeriesForm? = nil, errors: [FieldError] = [],
                           status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let context = try await req.pageProjectContext(caller, key: key)
        let s = try await req.store.meetings.series(caller, key: key, id: id)
        let occurrences = try await req.store.meetings.occurrences(caller, key: key, seriesID: id)
        let data = SeriesData(key: key, series: s, occurrences: occurrences, form: form, errors: req.shown(errors, labelFields: false),
                              members: s.canManage ? try await req.store.projects.members(caller, key: key) : [],
                              companies: s.canManage ? try await req.store.accounts.companies() : [])
        return try await req.renderMeetingPage(MeetingViews.series, data, title: s.fields.name, project: context.project, status: status)
    }

    /// The series' form fields as typed, so a refused form comes back as it was sent.
    struct SeriesForm {
        var name = "", purpose = "", chair = "", firstDate = "", interval = "1", start = "10:00", duration = "60", location = ""
        var attendees: Set<String> = []
        var rules: Set<String> = Set(AgendaRule.allCases.map(\.rawValue))
        /// Per rule as typed: its priority (1 = first) and its cap (empty = none).
        var priorities: [String: String] = Dictionary(uniqueKeysWithValues: AgendaRule.allCases.enumerated().map { ($1.rawValue, String($0 + 1)) })
        var caps: [String: String] = [:]
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
            let order = f.rules + AgendaRule.allCases.filter { !f.rules.contains($0) }
            priorities = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1.rawValue, String($0 + 1)) })
            caps = Dictionary(uniqueKeysWithValues: f.ruleCaps.map { ($0.key.rawValue, String($0.value)) })
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
            for r in AgendaRule.allCases {
                priorities[r.rawValue] = v("priority-\(r.rawValue)")
                caps[r.rawValue] = v("cap-\(r.rawValue)")
            }
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
            // Rules by their priority (ties and blanks in the usual order); a cap is a whole number or nothing.
            var ruleCaps: [AgendaRule: Int] = [:]
            for r in AgendaRule.allCases {
                let p = priorities[r.rawValue] ?? ""
                if !p.isEmpty && Int(p) == nil { errors.add("priority-\(r.rawValue)", "wrong_type", "A priority is a whole number (1 = first).") }
                let c = caps[r.rawValue] ?? ""
                if c.isEmpty { continue }
                if let n = Int(c) { ruleCaps[r] = n } else { errors.add("cap-\(r.rawValue)", "wrong_type", "A cap is a whole number of items, or empty for none.") }
            }
            let ordered = AgendaRule.allCases.enumerated().sorted { a, b in
                (Int(priorities[a.element.rawValue] ?? "") ?? Int.max, a.offset) < (Int(priorities[b.element.rawValue] ?? "") ?? Int.max, b.offset)
            }.map(\.element)
            let fields = MeetingSeriesFields(
                name: name, purpose: purpose, chairID: chairID,
                recurrence: MeetingRecurrence(firstDate: first ?? CalendarDate(dayNumber: 0), intervalWeeks: weeks ?? 1,
                                              startMinutes: startMinutes ?? 0, durationMinutes: minutes ?? 60),
                location: location, attendeeIDs: attendeeIDs, rules: ordered.filter { rules.contains($0.rawValue) },
                riskThreshold: risk ?? MeetingRules.defaultRiskThreshold, companyID: companyID,
                visibility: Visibility(scope: scope, companyID: visibilityCompanyID),
                ruleCaps: ruleCaps.filter { rules.contains($0.key.rawValue) })
            return (fields, errors.all)
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
                // Approval freezes the minutes: what was typed is saved (above), then the page asks to confirm.
                if f["confirmed"] != "1", try await req.store.meetings.occurrence(caller, key: key, seriesID: id, number: n).series.canRun {
                    return try await occurrencePage(req, confirmApproval: true)
                }
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
            // Minutes: empty is the rule's; anything but a whole number is refused by the store's range check.
            var newMinutes = item.minutes
            if let text = f["min-\(itemKey)"]?.trimmingCharacters(in: .whitespaces) {
                newMinutes = text.isEmpty ? nil : (Int(text) ?? -1)
            }
            // The presenter shown is the one named, else the item's owner: a choice other than the one shown names one.
            var presenterChange: UserID?? = nil
            if let text = f["presenter-\(itemKey)"] {
                let chosen = UUID(uuidString: text).map(UserID.init)
                if chosen != item.effectivePresenterID { presenterChange = .some(chosen) }
            }
            guard newNotes != item.notes || newCarry != item.carry || newMinutes != item.minutes || presenterChange != nil else { continue }
            edits.append(MinutesItemEdit(itemID: item.id, expectedVersion: Int(versionText),
                                         notes: newNotes != item.notes ? newNotes : nil, carry: newCarry != item.carry ? newCarry : nil,
                                         minutes: newMinutes != item.minutes ? .some(newMinutes) : nil,
                                         presenterID: presenterChange))
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

    /// One meeting's model: the occurrence, the members who may be present or own what it creates (for a draft the
    /// reader runs), a refusal's notice with the form as it was posted, and the reader's zone.
    struct OccurrenceData {
        var key: String
        var view: OccurrenceView
        var title: String
        var members: [MemberView]
        var notice: Notice?
        var submitted: [String: String]?
        var openOutput: String?
        var timeZone: String
        /// Approve was pressed: the page asks to confirm (approval freezes the minutes).
        var confirmApproval = false
        var attachments: AttachmentPages.Section?
    }

    static func occurrencePage(_ req: Request, notice: Notice? = nil, submitted: [String: String]? = nil, openOutput: String? = nil,
                               confirmApproval: Bool = false, status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let id = try req.pathUUID("id")
        let n = try req.pathInt("n")
        let context = try await req.pageProjectContext(caller, key: key)
        let view = try await req.store.meetings.occurrence(caller, key: key, seriesID: id, number: n)
        let w = MeetingText(req)
        let title = "\(view.series.fields.name) \(w.occurrence(n))"
        let members = !view.isFrozen && view.series.canRun ? try await req.store.projects.members(caller, key: key) : []
        let data = OccurrenceData(key: key, view: view, title: title, members: members, notice: notice, submitted: submitted, openOutput: openOutput,
                                  timeZone: caller.timeZone, confirmApproval: confirmApproval && !view.isFrozen,
                                  attachments: try await AttachmentPages.section(req, caller: caller, key: key, owner: .meeting(id, n)))
        return try await req.renderMeetingPage(MeetingViews.occurrence, data, title: title, project: context.project, status: status)
    }

    // MARK: Earlier versions

    /// An approved version's model: the series, the meeting, the version shown and every approved version.
    struct VersionData {
        var key: String
        var seriesID: UUID
        var seriesName: String
        var number: Int
        var version: Int
        var versions: [MinutesDocument]
        var document: MinutesDocument
        var title: String
        var timeZone: String
    }

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
        let data = VersionData(key: key, seriesID: id, seriesName: series.fields.name, number: n, version: v, versions: versions, document: doc,
                               title: title, timeZone: caller.timeZone)
        return try await req.renderMeetingPage(MeetingViews.version, data, title: title, project: context.project)
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
