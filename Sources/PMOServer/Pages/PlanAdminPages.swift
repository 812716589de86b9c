import Fluent
import Foundation
import PMOCore
import PMOHTML
import PMOInterchange
import PMOSchedule
import PMOStore
import Vapor

/// Progress review, calendars and companies' terms, phases, and Microsoft Project import / export pages.
enum PlanAdminPages {
    static func register(_ pages: some RoutesBuilder) {
        pages.get("projects", ":key", "plan", "progress") { req async throws -> Response in try await progressPage(req) }
        pages.get("projects", ":key", "plan", "calendars") { req async throws -> Response in try await calendarsPage(req, feedURL: nil) }
        pages.post("projects", ":key", "plan", "calendars", ":uid") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let uid = try req.pathInt("uid")
            let view = try await req.store.plans.view(caller, key: key)
            guard var calendar = view.snapshot.calendars.first(where: { $0.uid == uid })?.calendar else {
                throw DomainError.notFound("plan.calendar_not_found", "There is no calendar \(uid) in the plan of \(key).", subjects: ["\(uid)"])
            }
            calendar.week = try (0..<7).map { try parseRanges(f["day\($0)"] ?? "", field: "day\($0)") }
            calendar.holidays = f["holidays"] == "on" ? .japan : WorkCalendar.Holidays.none
            calendar.exceptions = try parseClosures(f["closures"] ?? "")
            try await req.store.plans.updateCalendar(caller, key: key, uid: uid, calendar)
            return req.redirect(to: PlanPath.calendars.href(key))
        }
        pages.post("projects", ":key", "plan", "companies") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            guard let company = f["companyId"].flatMap(UUID.init(uuidString:)) else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "companyId", code: "required", message: "Choose a company.")])
            }
            let rateText = (f["hourlyRate"] ?? "").replacingOccurrences(of: ",", with: "")
            guard rateText.isEmpty || Double(rateText) != nil else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "hourlyRate", code: "not_a_number", message: "Enter the hourly rate as a number, e.g. 9000.")])
            }
            let closuresText = f["closures"] ?? ""
            try await req.store.plans.setCompanyTerms(caller, key: key, companyID: company, hourlyRate: Double(rateText),
                                                closures: closuresText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && f["ownCalendar"] != "on" ? nil : try parseClosures(closuresText))
            return req.redirect(to: PlanPath.calendars.href(key))
        }
        pages.post("projects", ":key", "plan", "feed") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let token = try await req.store.plans.rotateFeedToken(caller, key: key)
            let base = req.headers.first(name: .host).map { "http://\($0)" } ?? ""
            return try await calendarsPage(req, feedURL: "\(base)/feeds/plan/\(token).ics")
        }
        pages.post("projects", ":key", "plan", "phases") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let view = try await req.store.plans.view(caller, key: key)
            let lines = (f["phases"] ?? "").split(whereSeparator: \.isNewline).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            let phases = lines.enumerated().compactMap { index, line -> PlanPhase? in
                let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard let name = parts.first, !name.isEmpty else { return nil }
                // A phase keeps its identity (and its activities) when renamed in place: matched by name, else by line.
                let existing = view.snapshot.phases
                let id = existing.first { $0.name == name }?.id
                    ?? (index < existing.count && !lines.contains { $0.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) == existing[index].name } ? existing[index].id : UUID())
                return PlanPhase(id: id, name: name, definition: parts.count > 1 ? parts[1] : "", exitCriteria: parts.count > 2 ? parts[2...].joined(separator: " | ") : "")
            }
            try await req.store.plans.setPhases(caller, key: key, phases)
            return req.redirect(to: PlanPath.master.href(key))
        }
        pages.get("projects", ":key", "plan", "import") { req async throws -> Response in try await importPage(req, summary: nil, error: nil, payload: "") }
        pages.on(.POST, "projects", ":key", "plan", "import", body: .collect(maxSize: "32mb")) { req async throws -> Response in
            try await handleImport(req)
        }
    }

    /// "09:00-12:00, 13:00-18:00" → working ranges; empty → a day off.
    static func parseRanges(_ text: String, field: String) throws -> [WorkingTimeRange] {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == " " }).filter { !$0.isEmpty }
        return try parts.map { part in
            let ends = part.split(separator: "-").map { $0.split(separator: ":").compactMap { Int($0) } }
            guard ends.count == 2, ends[0].count == 2, ends[1].count == 2,
                  let r = WorkingTimeRange(from: (ends[0][0], ends[0][1]), to: (ends[1][0], ends[1][1])) else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: field, code: "malformed",
                    message: "\"\(part)\" is not a working period. Write periods like 09:00-12:00, 13:00-18:00 (empty = day off).")])
            }
            return r
        }
    }

    /// One closure per line: "2026-08-13..2026-08-16 夏季休暇" or "2026-11-02 創立記念日".
    static func parseClosures(_ text: String) throws -> [CalendarException] {
        try text.split(whereSeparator: \.isNewline).compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            let head = trimmed.prefix { !$0.isWhitespace }
            let name = trimmed.dropFirst(head.count).trimmingCharacters(in: .whitespaces)
            let days = head.components(separatedBy: "..")
            guard let first = CivilDate(iso: days[0]), let last = days.count > 1 ? CivilDate(iso: days[1]) : first, days.count <= 2, last >= first else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "closures", code: "malformed",
                    message: "\"\(trimmed)\" is not a closure. Write one per line: 2026-08-13..2026-08-16 Summer holiday, or 2026-11-02 Founding day.")])
            }
            return CalendarException(name: name.isEmpty ? "Closure" : name, firstDay: first, lastDay: last)
        }
    }

    static func rangesText(_ ranges: [WorkingTimeRange]) -> String {
        ranges.map { String(format: "%02d:%02d-%02d:%02d", $0.start / 60, $0.start % 60, $0.end / 60, $0.end % 60) }.joined(separator: ", ")
    }

    static func closuresText(_ list: [CalendarException]) -> String {
        list.filter { $0.workingTimes.isEmpty }.map { e in
            (e.firstDay == e.lastDay ? "\(e.firstDay)" : "\(e.firstDay)..\(e.lastDay)") + " " + e.name
        }.joined(separator: "\n")
    }

    // MARK: Progress

    static func progressPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let review = try await req.store.plans.progressReview(caller, key: key)
        let view = review.view
        let w = PlanWords(req)
        let token = req.csrfToken
        let scheduled = view.scheduledByUID
        var h = HTMLWriter()
        h.pageHead(w["page.plan.progress"]) { h in
            h.el(.span, .class("muted"), text: w["page.plan.status_date"] + " \(review.statusDate?.description ?? w["page.plan.not_set"]) · "
                + w["page.plan.previous"] + " \(review.previousStatusDate?.description ?? "–")")
        }
        PlanViews.subnav(&h, key: key, on: .progress, w)
        if view.canEdit {
            h.el(.section, .class("card")) { h in
                h.postForm(PlanPath.statusDate.href(key), .class("inline-form"), .id("status-date-form"), csrf: token) { h in
                    h.labelled(w["page.plan.set_the_status_date"]) { h in
                        h.el(.input, .type("date"), .name("statusDate"), .value(review.statusDate?.description ?? ""), .required)
                    }
                    h.el(.button, text: w["page.plan.set"])
                }
            }
        }
        func activityLink(_ h: inout HTMLWriter, _ uid: Int, _ name: String) {
            h.el(.td) { h in h.el(.a, .href(PlanPath.activity(uid).href(key)), text: name) }
        }
        // Activities the caller may update that are under way or due by the status date.
        if let statusDate = review.statusDate {
            let due = PlanSnapshot.endOfDay(statusDate)
            let mine = view.rows.filter { r in
                !r.hasChildren && view.canUpdateProgress(r.activity) && r.activity.progress.actualFinish == nil
                    && (scheduled[r.activity.uid].map { $0.start <= due } ?? false)
            }
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: w["page.plan.activities_to_update"] + " (\(mine.count))")
                h.el(.table, .class("list"), .id("to-update")) { h in
                    h.tableHead(["WBS", w["page.plan.name"], w["page.plan.planned"], w["page.plan.actual_start"], w["page.plan.actual_finish"], "%", ""])
                    h.el(.tbody) { h in
                        for r in mine.prefix(300) {
                            let a = r.activity
                            let s = scheduled[a.uid]
                            h.el(.tr, .attr("data-uid", "\(a.uid)")) { h in
                                h.el(.td, text: r.outline)
                                activityLink(&h, a.uid, a.name)
                                h.el(.td, .class("date"), text: "\(PlanFormat.date(s?.start)) – \(PlanFormat.date(s?.finish))")
                                h.el(.td, .colspan("4")) { h in
                                    h.postForm(PlanPath.activityProgress(a.uid).href(key), .class("row-form"), csrf: token,
                                               hidden: [("back", PlanPath.progress.href(key))]) { h in
                                        h.el(.input, .type("date"), .name("actualStart"), .value(PlanFormat.date(a.progress.actualStart)),
                                             .ariaLabel(w["page.plan.actual_start"]))
                                        h.el(.input, .type("date"), .name("actualFinish"), .ariaLabel(w["page.plan.actual_finish"]))
                                        h.el(.input, .name("percentComplete"), .size("4"), .inputmode("decimal"),
                                             .placeholder(PlanFormat.number(a.progress.percentComplete)), .ariaLabel("%"))
                                        h.el(.button, text: w["page.plan.record"])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Who has not updated: counts by owner and by company.
        var byWho: [String: Int] = [:]
        for r in review.notUpdated {
            let who = r.activity.ownerID.flatMap { view.userNames[$0.rawValue] } ?? r.activity.companyID.flatMap { view.companyNames[$0.rawValue] }
                ?? w["page.plan.no_owner"]
            byWho[who, default: 0] += 1
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.not_updated_at_this_status_date"] + " (\(review.notUpdated.count))")
            h.el(.table, .class("list"), .id("not-updated")) { h in
                h.tableHead(["WBS", w["page.plan.name"], w["page.plan.owner"], w["page.plan.company"], w["page.plan.last_updated_for"]])
                h.el(.tbody) { h in
                    for r in review.notUpdated.prefix(500) {
                        let a = r.activity
                        h.el(.tr, .attr("data-uid", "\(a.uid)")) { h in
                            h.el(.td, text: r.outline)
                            activityLink(&h, a.uid, a.name)
                            h.el(.td, text: a.ownerID.flatMap { view.userNames[$0.rawValue] } ?? "")
                            h.el(.td, text: a.companyID.flatMap { view.companyNames[$0.rawValue] } ?? "")
                            h.el(.td, .class("date"), text: a.progressStatusDate?.description ?? "–")
                        }
                    }
                }
            }
            h.el(.p, .id("who-not-updated"), text: w["page.plan.not_yet_updated"]
                + byWho.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.changes_since_the_previous_status_date"] + " (\(review.changes.count))")
            h.el(.table, .class("list"), .id("changes")) { h in
                h.tableHead([w["page.plan.name"], w["page.plan.status_date"], "%", w["page.plan.actual"], w["page.plan.by"], w["page.plan.at"]])
                h.el(.tbody) { h in
                    for c in review.changes.prefix(500) {
                        h.el(.tr, .attr("data-uid", "\(c.uid)")) { h in
                            activityLink(&h, c.uid, c.name)
                            h.el(.td, .class("date"), text: "\(c.statusDate)")
                            h.el(.td, .class("num"), text: "\(PlanFormat.number(c.percentBefore)) → \(PlanFormat.number(c.percentAfter))")
                            h.el(.td, .class("date"), text: "\(PlanFormat.date(c.actualStart)) – \(PlanFormat.date(c.actualFinish))")
                            h.el(.td, text: c.recordedBy ?? "")
                            h.el(.td, text: Formatting.instant(c.recordedAt, zone: caller.timeZone))
                        }
                    }
                }
            }
        }
        return try await req.renderProjectPage(h, title: w["page.plan.progress"], section: "plan", project: view.context.project)
    }

    // MARK: Calendars

    static func calendarsPage(_ req: Request, feedURL: String?) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let w = PlanWords(req)
        let token = req.csrfToken
        let days = [w["page.plan.sun"], w["page.plan.mon"], w["page.plan.tue"], w["page.plan.wed"], w["page.plan.thu"], w["page.plan.fri"], w["page.plan.sat"]]
        let companies = view.canEdit ? try await req.store.accounts.companies() : []
        let companyOptions = try companies.map { (value: try $0.requireID().uuidString.lowercased(), label: $0.name) }
        var h = HTMLWriter()
        h.pageHead(w["page.plan.calendars"])
        PlanViews.subnav(&h, key: key, on: .calendars, w)
        for c in view.snapshot.calendars where c.companyID == nil {
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: c.calendar.name + (c.uid == view.snapshot.defaultCalendarUID ? " (" + w["page.plan.project_default"] + ")" : ""))
                if view.canEdit {
                    h.postForm(PlanPath.calendar(c.uid).href(key), .class("grid-form"), csrf: token) { h in
                        for d in 0..<7 {
                            h.labelled(days[d]) { h in h.el(.input, .attr("name", "day\(d)"), .value(rangesText(c.calendar.week[d]))) }
                        }
                        h.el(.label, .class("check")) { h in
                            h.el(.input, .type("checkbox"), .name("holidays"), .checked(c.calendar.holidays == .japan))
                            h.text(w["page.plan.japanese_public_holidays_are_days_off"])
                        }
                        h.labelled(w["page.plan.closures_one_per_line_2026_12_29_2027_01"], .class("wide")) { h in
                            h.el(.textarea, .name("closures"), .rows("5"), text: closuresText(c.calendar.exceptions))
                        }
                        h.el(.div) { h in h.el(.button, text: w["page.plan.save"]) }
                    }
                } else {
                    h.el(.p, text: (0..<7).map { "\(days[$0]) \(rangesText(c.calendar.week[$0]))" }.joined(separator: " · "))
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.companies_hourly_rates_and_calendars"])
            h.el(.table, .class("list"), .id("companies")) { h in
                h.tableHead([w["page.plan.company"], w["page.plan.hourly_rate"], w["page.plan.own_closures"]])
                h.el(.tbody) { h in
                    for t in view.snapshot.companies where PlanAccess.canSeeCost(view.context.actor, companyID: t.companyID) {
                        let own = t.calendarUID.flatMap { uid in view.snapshot.calendars.first { $0.uid == uid } }
                        h.el(.tr) { h in
                            h.el(.td, text: view.companyNames[t.companyID.rawValue] ?? "")
                            h.el(.td, .class("num"), text: t.hourlyRate.map(PlanFormat.money) ?? "")
                            h.el(.td, text: own.map { closuresText($0.calendar.exceptions) } ?? "")
                        }
                    }
                }
            }
            guard view.canEdit else { return }
            h.postForm(PlanPath.companies.href(key), .class("grid-form"), .id("company-terms"), csrf: token) { h in
                h.labelled(w["page.plan.company"]) { h in h.select("companyId", companyOptions, selected: nil) }
                h.labelled(w["page.plan.hourly_rate"]) { h in h.el(.input, .name("hourlyRate"), .inputmode("decimal")) }
                h.el(.label, .class("check")) { h in
                    h.el(.input, .type("checkbox"), .name("ownCalendar"))
                    h.text(w["page.plan.use_its_own_calendar"])
                }
                h.labelled(w["page.plan.own_closures_on_top_of_the_project"], .class("wide")) { h in h.el(.textarea, .name("closures"), .rows("3")) }
                h.el(.div) { h in h.el(.button, text: w["page.plan.save"]) }
            }
        }
        h.el(.section, .class("card"), .id("feed")) { h in
            h.el(.h2, text: w["page.plan.calendar_feed_icalendar"])
            h.el(.p, .class("muted"), text: w["page.plan.subscribe_to_the_milestones_and"])
            if let feedURL {
                h.el(.p) { h in h.el(.code, .id("feed-url"), text: feedURL) }
                h.el(.p, .class("muted"), text: w["page.plan.this_url_is_shown_only_now"])
            } else if view.hasFeed {
                h.el(.p, text: w["page.plan.a_feed_url_exists_issuing_a_new_one"])
            }
            if view.canEdit {
                h.postForm(PlanPath.feed.href(key), csrf: token) { h in h.el(.button, text: w["page.plan.issue_a_feed_url"]) }
            }
        }
        return try await req.renderProjectPage(h, title: w["page.plan.calendars"], section: "plan", project: view.context.project)
    }

    // MARK: Import / export

    struct Upload: Content {
        var _csrf: String?
        var file: File?
        var data: String?
        var under: String?
        var mode: String?
    }

    static func handleImport(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let upload = try req.content.decode(Upload.self)
        try req.requireCSRF(formToken: upload._csrf ?? "")
        let bytes: Data
        if let file = upload.file, file.data.readableBytes > 0 {
            bytes = Data(buffer: file.data)
        } else if let payload = upload.data, let decoded = Data(base64Encoded: payload), !decoded.isEmpty {
            bytes = decoded
        } else {
            return try await importPage(req, summary: nil, error: "Choose a Microsoft Project XML file (.xml) to import.", payload: "", status: .unprocessableEntity)
        }
        let apply = upload.mode == "apply"
        let under = upload.under.flatMap { Int($0) }
        do {
            let plan = try MSPDIPlanFile.read(bytes)
            let summary = try await req.store.plans.importPlan(caller, key: key, parentUID: under, plan: plan, apply: apply)
            if apply { return req.redirect(to: PlanPath.wbs.href(key, query: "imported=\(summary.activities)")) }
            return try await importPage(req, summary: summary, error: nil, payload: bytes.base64EncodedString(), under: under)
        } catch let e as InterchangeError {
            let sentence = req.sentence(code: e.code, detail: e.message, subjects: e.line.map { ["\(req.label("line")) \($0)"] } ?? [])
            return try await importPage(req, summary: nil, error: req.locale == "en" ? e.message + (e.line.map { " (line \($0))" } ?? "") : sentence,
                                        payload: "", status: .unprocessableEntity)
        } catch let e as DomainError where e.kind == .invalid {
            let detail = ([req.sentence(e)] + req.shown(e.fieldErrors).map(\.message)).joined(separator: " ")
            return try await importPage(req, summary: nil, error: detail, payload: "", status: .unprocessableEntity)
        }
    }

    static func importPage(_ req: Request, summary: PlanImportSummary?, error: String?, payload: String, under: Int? = nil,
                           status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let w = PlanWords(req)
        let token = req.csrfToken
        var h = HTMLWriter()
        h.pageHead(w["page.plan.import_export"])
        PlanViews.subnav(&h, key: key, on: .importExport, w)
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.export"])
            h.el(.p) { h in
                h.el(.a, .class("button secondary"), .href(PlanPath.apiExport(key, format: "xml")), .id("export-xml"), text: "Microsoft Project XML")
                h.text(" ")
                h.el(.a, .class("button secondary"), .href(PlanPath.apiExport(key, format: "csv")), .id("export-csv"), text: "CSV")
            }
        }
        if view.canEdit {
            if let error {
                h.el(.section, .class("card warn"), .id("import-error")) { h in
                    h.el(.b, text: w["page.plan.cannot_import"])
                    h.text(": " + error)
                    h.el(.p, .class("muted"), text: w["page.plan.nothing_was_imported"])
                }
            }
            if let summary {
                h.el(.section, .class("card"), .id("import-preview")) { h in
                    h.el(.h2, text: w["page.plan.preview"])
                    h.el(.p, text: w["page.plan.activities_2"] + " \(summary.activities) · " + w["page.plan.links"] + " \(summary.links) · "
                        + w["page.plan.calendars"] + " \(summary.calendars.joined(separator: ", ")) · " + w["page.plan.baselines"]
                        + " \(summary.baselines.map(String.init).joined(separator: ", "))")
                    if !summary.problems.isEmpty {
                        h.el(.h3, text: w["page.plan.schedule_conflicts_can_be_imported"])
                        h.el(.ul) { h in for p in summary.problems.prefix(30) { h.el(.li, text: p.message) } }
                    }
                    h.el(.table, .class("list")) { h in
                        h.tableHead(["WBS", w["page.plan.name"], w["page.plan.start"], w["page.plan.finish"]])
                        h.el(.tbody) { h in
                            for r in summary.rows.prefix(100) {
                                h.el(.tr, .class(r.isCritical ? "critical" : nil)) { h in
                                    h.el(.td, text: r.outline)
                                    h.el(.td, text: r.name)
                                    h.el(.td, .class("date"), text: PlanFormat.date(r.start))
                                    h.el(.td, .class("date"), text: PlanFormat.date(r.finish))
                                }
                            }
                        }
                    }
                    h.postForm(PlanPath.importExport.href(key), .enctype("multipart/form-data"), csrf: token,
                               hidden: [("mode", "apply"), ("data", payload), ("under", under.map(String.init) ?? "")]) { h in
                        h.el(.button, .id("apply-import"), text: w["page.plan.import_all"])
                    }
                }
            }
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: w["page.plan.import_a_microsoft_project_xml_file"])
                h.postForm(PlanPath.importExport.href(key), .enctype("multipart/form-data"), .class("inline-form"), .id("import-form"), csrf: token,
                           hidden: [("mode", "preview")]) { h in
                    h.labelled(w["page.plan.file"]) { h in h.el(.input, .type("file"), .name("file"), .accept(".xml,application/xml"), .required) }
                    h.labelled(w["page.plan.into"]) { h in
                        h.select("under", [("", w["page.plan.top_level"])] + view.rows.filter { $0.level <= 3 }.map { ("\($0.activity.uid)", "\($0.outline) \($0.activity.name)") },
                                 selected: nil)
                    }
                    h.el(.button, text: w["page.plan.preview"])
                }
            }
        }
        return try await req.renderProjectPage(h, title: w["page.plan.import_export"], section: "plan", project: view.context.project, status: status)
    }
}
