import Fluent
import Foundation
import PMOCore
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
            let view = try await req.store.plan(caller, key: key)
            guard var calendar = view.snapshot.calendars.first(where: { $0.uid == uid })?.calendar else {
                throw DomainError.notFound("plan.calendar_not_found", "There is no calendar \(uid) in the plan of \(key).", subjects: ["\(uid)"])
            }
            calendar.week = try (0..<7).map { try parseRanges(f["day\($0)"] ?? "", field: "day\($0)") }
            calendar.holidays = f["holidays"] == "on" ? .japan : WorkCalendar.Holidays.none
            calendar.exceptions = try parseClosures(f["closures"] ?? "")
            try await req.store.updateCalendar(caller, key: key, uid: uid, calendar)
            return req.redirect(to: "/projects/\(key)/plan/calendars")
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
            try await req.store.setCompanyTerms(caller, key: key, companyID: company, hourlyRate: Double(rateText),
                                                closures: closuresText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && f["ownCalendar"] != "on" ? nil : try parseClosures(closuresText))
            return req.redirect(to: "/projects/\(key)/plan/calendars")
        }
        pages.post("projects", ":key", "plan", "feed") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let token = try await req.store.rotateFeedToken(caller, key: key)
            let base = req.headers.first(name: .host).map { "http://\($0)" } ?? ""
            return try await calendarsPage(req, feedURL: "\(base)/feeds/plan/\(token).ics")
        }
        pages.post("projects", ":key", "plan", "phases") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let view = try await req.store.plan(caller, key: key)
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
            try await req.store.setPhases(caller, key: key, phases)
            return req.redirect(to: "/projects/\(key)/plan/master")
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
        let review = try await req.store.progressReview(caller, key: key)
        let view = review.view
        let w = PlanWords(req)
        let k = HTML.e(key)
        let token = PlanPages.csrf(req)
        let scheduled = view.scheduledByUID
        var h = HTML()
        h.raw("<div class=\"head\"><h1>\(HTML.e(w["page.plan.progress"]))</h1><span class=\"muted\">")
        h.t(w["page.plan.status_date"] + " \(review.statusDate?.description ?? w["page.plan.not_set"]) · " + w["page.plan.previous"] + " \(review.previousStatusDate?.description ?? "–")")
        h.raw("</span></div>")
        PlanPages.subnav(&h, key: key, on: "progress", w)
        if view.canEdit {
            h.raw("<section class=\"card\"><form method=\"post\" action=\"/projects/\(k)/plan/status-date\" class=\"inline-form\" id=\"status-date-form\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\">")
            h.raw("<label>\(HTML.e(w["page.plan.set_the_status_date"]))<input type=\"date\" name=\"statusDate\" value=\"\(review.statusDate?.description ?? "")\" required></label><button>\(HTML.e(w["page.plan.set"]))</button></form></section>")
        }
        // Activities the caller may update that are under way or due by the status date.
        if let statusDate = review.statusDate {
            let due = PlanSnapshot.endOfDay(statusDate)
            let mine = view.rows.filter { r in
                !r.hasChildren && view.canUpdateProgress(r.activity) && r.activity.progress.actualFinish == nil
                    && (scheduled[r.activity.uid].map { $0.start <= due } ?? false)
            }
            h.raw("<section class=\"card\"><h2>")
            h.t(w["page.plan.activities_to_update"] + " (\(mine.count))")
            h.raw("</h2><table class=\"list\" id=\"to-update\"><thead><tr><th>WBS</th><th>\(HTML.e(w["page.plan.name"]))</th><th>\(HTML.e(w["page.plan.planned"]))</th><th>\(HTML.e(w["page.plan.actual_start"]))</th><th>\(HTML.e(w["page.plan.actual_finish"]))</th><th>%</th><th></th></tr></thead><tbody>")
            for r in mine.prefix(300) {
                let a = r.activity
                let s = scheduled[a.uid]
                h.raw("<tr data-uid=\"\(a.uid)\"><td>\(HTML.e(r.outline))</td><td><a href=\"/projects/\(k)/plan/activities/\(a.uid)\">")
                h.t(a.name)
                h.raw("</a></td><td class=\"date\">\(PlanFormat.date(s?.start)) – \(PlanFormat.date(s?.finish))</td>")
                h.raw("<td colspan=\"4\"><form method=\"post\" action=\"/projects/\(k)/plan/activities/\(a.uid)/progress\" class=\"row-form\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"back\" value=\"/projects/\(k)/plan/progress\">")
                h.raw("<input type=\"date\" name=\"actualStart\" value=\"\(PlanFormat.date(a.progress.actualStart))\" aria-label=\"\(HTML.e(w["page.plan.actual_start"]))\">")
                h.raw("<input type=\"date\" name=\"actualFinish\" aria-label=\"\(HTML.e(w["page.plan.actual_finish"]))\">")
                h.raw("<input name=\"percentComplete\" size=\"4\" inputmode=\"decimal\" placeholder=\"\(PlanFormat.number(a.progress.percentComplete))\" aria-label=\"%\">")
                h.raw("<button>\(HTML.e(w["page.plan.record"]))</button></form></td></tr>")
            }
            h.raw("</tbody></table></section>")
        }
        h.raw("<section class=\"card\"><h2>")
        h.t(w["page.plan.not_updated_at_this_status_date"] + " (\(review.notUpdated.count))")
        h.raw("</h2><table class=\"list\" id=\"not-updated\"><thead><tr><th>WBS</th><th>\(HTML.e(w["page.plan.name"]))</th><th>\(HTML.e(w["page.plan.owner"]))</th><th>\(HTML.e(w["page.plan.company"]))</th><th>\(HTML.e(w["page.plan.last_updated_for"]))</th></tr></thead><tbody>")
        for r in review.notUpdated.prefix(500) {
            let a = r.activity
            h.raw("<tr data-uid=\"\(a.uid)\"><td>\(HTML.e(r.outline))</td><td><a href=\"/projects/\(k)/plan/activities/\(a.uid)\">")
            h.t(a.name)
            h.raw("</a></td><td>\(HTML.e(a.ownerID.flatMap { view.userNames[$0.rawValue] } ?? ""))</td><td>\(HTML.e(a.companyID.flatMap { view.companyNames[$0.rawValue] } ?? ""))</td><td class=\"date\">\(a.progressStatusDate?.description ?? "–")</td></tr>")
        }
        h.raw("</tbody></table>")
        // Who has not updated: counts by owner and by company.
        var byWho: [String: Int] = [:]
        for r in review.notUpdated {
            let who = r.activity.ownerID.flatMap { view.userNames[$0.rawValue] } ?? r.activity.companyID.flatMap { view.companyNames[$0.rawValue] } ?? w["page.plan.no_owner"]
            byWho[who, default: 0] += 1
        }
        h.raw("<p id=\"who-not-updated\">")
        h.t(w["page.plan.not_yet_updated"] + byWho.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        h.raw("</p></section><section class=\"card\"><h2>")
        h.t(w["page.plan.changes_since_the_previous_status_date"] + " (\(review.changes.count))")
        h.raw("</h2><table class=\"list\" id=\"changes\"><thead><tr><th>\(HTML.e(w["page.plan.name"]))</th><th>\(HTML.e(w["page.plan.status_date"]))</th><th>%</th><th>\(HTML.e(w["page.plan.actual"]))</th><th>\(HTML.e(w["page.plan.by"]))</th><th>\(HTML.e(w["page.plan.at"]))</th></tr></thead><tbody>")
        for c in review.changes.prefix(500) {
            h.raw("<tr data-uid=\"\(c.uid)\"><td><a href=\"/projects/\(k)/plan/activities/\(c.uid)\">")
            h.t(c.name)
            h.raw("</a></td><td class=\"date\">\(c.statusDate)</td><td class=\"num\">\(PlanFormat.number(c.percentBefore)) → \(PlanFormat.number(c.percentAfter))</td><td class=\"date\">\(PlanFormat.date(c.actualStart)) – \(PlanFormat.date(c.actualFinish))</td><td>")
            h.t(c.recordedBy ?? "")
            h.raw("</td><td>\(HTML.e(Formatting.instant(c.recordedAt, zone: caller.timeZone)))</td></tr>")
        }
        h.raw("</tbody></table></section>")
        return try await req.renderPlanPage(h, title: w["page.plan.progress"], project: view.context.project)
    }

    // MARK: Calendars

    static func calendarsPage(_ req: Request, feedURL: String?) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plan(caller, key: key)
        let w = PlanWords(req)
        let k = HTML.e(key)
        let token = PlanPages.csrf(req)
        let days = [w["page.plan.sun"], w["page.plan.mon"], w["page.plan.tue"], w["page.plan.wed"], w["page.plan.thu"], w["page.plan.fri"], w["page.plan.sat"]]
        var h = HTML()
        h.raw("<div class=\"head\"><h1>\(HTML.e(w["page.plan.calendars"]))</h1></div>")
        PlanPages.subnav(&h, key: key, on: "calendars", w)
        for c in view.snapshot.calendars where c.companyID == nil {
            h.raw("<section class=\"card\"><h2>")
            h.t("\(c.calendar.name)\(c.uid == view.snapshot.defaultCalendarUID ? " (" + w["page.plan.project_default"] + ")" : "")")
            h.raw("</h2>")
            if view.canEdit {
                h.raw("<form method=\"post\" action=\"/projects/\(k)/plan/calendars/\(c.uid)\" class=\"grid-form\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\">")
                for d in 0..<7 {
                    h.raw("<label>\(HTML.e(days[d]))<input name=\"day\(d)\" value=\"\(HTML.e(rangesText(c.calendar.week[d])))\"></label>")
                }
                h.raw("<label class=\"check\"><input type=\"checkbox\" name=\"holidays\"\(c.calendar.holidays == .japan ? " checked" : "")>\(HTML.e(w["page.plan.japanese_public_holidays_are_days_off"]))</label>")
                h.raw("<label class=\"wide\">\(HTML.e(w["page.plan.closures_one_per_line_2026_12_29_2027_01"]))<textarea name=\"closures\" rows=\"5\">")
                h.t(closuresText(c.calendar.exceptions))
                h.raw("</textarea></label><div><button>\(HTML.e(w["page.plan.save"]))</button></div></form>")
            } else {
                h.raw("<p>")
                h.t((0..<7).map { "\(days[$0]) \(rangesText(c.calendar.week[$0]))" }.joined(separator: " · "))
                h.raw("</p>")
            }
            h.raw("</section>")
        }
        h.raw("<section class=\"card\"><h2>\(HTML.e(w["page.plan.companies_hourly_rates_and_calendars"]))</h2><table class=\"list\" id=\"companies\"><thead><tr><th>\(HTML.e(w["page.plan.company"]))</th><th>\(HTML.e(w["page.plan.hourly_rate"]))</th><th>\(HTML.e(w["page.plan.own_closures"]))</th></tr></thead><tbody>")
        for t in view.snapshot.companies where PlanAccess.canSeeCost(view.context.actor, companyID: t.companyID) {
            let own = t.calendarUID.flatMap { uid in view.snapshot.calendars.first { $0.uid == uid } }
            h.raw("<tr><td>")
            h.t(view.companyNames[t.companyID.rawValue] ?? "")
            h.raw("</td><td class=\"num\">\(t.hourlyRate.map(PlanFormat.money) ?? "")</td><td>")
            h.t(own.map { closuresText($0.calendar.exceptions) } ?? "")
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table>")
        if view.canEdit {
            let companies = try await req.store.companies()
            h.raw("<form method=\"post\" action=\"/projects/\(k)/plan/companies\" class=\"grid-form\" id=\"company-terms\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\">")
            h.raw("<label>\(HTML.e(w["page.plan.company"]))<select name=\"companyId\">")
            for c in companies { h.raw("<option value=\"\(try c.requireID().uuidString.lowercased())\">"); h.t(c.name); h.raw("</option>") }
            h.raw("</select></label><label>\(HTML.e(w["page.plan.hourly_rate"]))<input name=\"hourlyRate\" inputmode=\"decimal\"></label>")
            h.raw("<label class=\"check\"><input type=\"checkbox\" name=\"ownCalendar\">\(HTML.e(w["page.plan.use_its_own_calendar"]))</label>")
            h.raw("<label class=\"wide\">\(HTML.e(w["page.plan.own_closures_on_top_of_the_project"]))<textarea name=\"closures\" rows=\"3\"></textarea></label><div><button>\(HTML.e(w["page.plan.save"]))</button></div></form>")
        }
        h.raw("</section><section class=\"card\" id=\"feed\"><h2>\(HTML.e(w["page.plan.calendar_feed_icalendar"]))</h2><p class=\"muted\">")
        h.t(w["page.plan.subscribe_to_the_milestones_and"])
        h.raw("</p>")
        if let feedURL {
            h.raw("<p><code id=\"feed-url\">")
            h.t(feedURL)
            h.raw("</code></p><p class=\"muted\">\(HTML.e(w["page.plan.this_url_is_shown_only_now"]))</p>")
        } else if view.hasFeed {
            h.raw("<p>\(HTML.e(w["page.plan.a_feed_url_exists_issuing_a_new_one"]))</p>")
        }
        if view.canEdit {
            h.raw("<form method=\"post\" action=\"/projects/\(k)/plan/feed\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><button>\(HTML.e(w["page.plan.issue_a_feed_url"]))</button></form>")
        }
        h.raw("</section>")
        return try await req.renderPlanPage(h, title: w["page.plan.calendars"], project: view.context.project)
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
            let summary = try await req.store.importPlan(caller, key: key, parentUID: under, plan: plan, apply: apply)
            if apply { return req.redirect(to: "/projects/\(key)/plan?imported=\(summary.activities)") }
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
        let view = try await req.store.plan(caller, key: key)
        let w = PlanWords(req)
        let k = HTML.e(key)
        let token = PlanPages.csrf(req)
        var h = HTML()
        h.raw("<div class=\"head\"><h1>\(HTML.e(w["page.plan.import_export"]))</h1></div>")
        PlanPages.subnav(&h, key: key, on: "import", w)
        h.raw("<section class=\"card\"><h2>\(HTML.e(w["page.plan.export"]))</h2><p><a class=\"button secondary\" href=\"/api/v1/projects/\(k)/plan/export.xml\" id=\"export-xml\">Microsoft Project XML</a> <a class=\"button secondary\" href=\"/api/v1/projects/\(k)/plan/export.csv\" id=\"export-csv\">CSV</a></p></section>")
        if view.canEdit {
            if let error {
                h.raw("<section class=\"card warn\" id=\"import-error\"><b>\(HTML.e(w["page.plan.cannot_import"]))</b>: ")
                h.t(error)
                h.raw("<p class=\"muted\">\(HTML.e(w["page.plan.nothing_was_imported"]))</p></section>")
            }
            if let summary {
                h.raw("<section class=\"card\" id=\"import-preview\"><h2>\(HTML.e(w["page.plan.preview"]))</h2><p>")
                h.t(w["page.plan.activities_2"] + " \(summary.activities) · " + w["page.plan.links"] + " \(summary.links) · " + w["page.plan.calendars"]
                    + " \(summary.calendars.joined(separator: ", ")) · " + w["page.plan.baselines"] + " \(summary.baselines.map(String.init).joined(separator: ", "))")
                h.raw("</p>")
                if !summary.problems.isEmpty {
                    h.raw("<h3>\(HTML.e(w["page.plan.schedule_conflicts_can_be_imported"]))</h3><ul>")
                    for p in summary.problems.prefix(30) { h.raw("<li>"); h.t(p.message); h.raw("</li>") }
                    h.raw("</ul>")
                }
                h.raw("<table class=\"list\"><thead><tr><th>WBS</th><th>\(HTML.e(w["page.plan.name"]))</th><th>\(HTML.e(w["page.plan.start"]))</th><th>\(HTML.e(w["page.plan.finish"]))</th></tr></thead><tbody>")
                for r in summary.rows.prefix(100) {
                    h.raw("<tr\(r.isCritical ? " class=\"critical\"" : "")><td>\(HTML.e(r.outline))</td><td>")
                    h.t(r.name)
                    h.raw("</td><td class=\"date\">\(PlanFormat.date(r.start))</td><td class=\"date\">\(PlanFormat.date(r.finish))</td></tr>")
                }
                h.raw("</tbody></table><form method=\"post\" action=\"/projects/\(k)/plan/import\" enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"mode\" value=\"apply\"><input type=\"hidden\" name=\"data\" value=\"\(HTML.e(payload))\"><input type=\"hidden\" name=\"under\" value=\"\(under.map(String.init) ?? "")\"><button id=\"apply-import\">\(HTML.e(w["page.plan.import_all"]))</button></form></section>")
            }
            h.raw("<section class=\"card\"><h2>\(HTML.e(w["page.plan.import_a_microsoft_project_xml_file"]))</h2><form method=\"post\" action=\"/projects/\(k)/plan/import\" enctype=\"multipart/form-data\" class=\"inline-form\" id=\"import-form\"><input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"mode\" value=\"preview\">")
            h.raw("<label>\(HTML.e(w["page.plan.file"]))<input type=\"file\" name=\"file\" accept=\".xml,application/xml\" required></label>")
            h.raw("<label>\(HTML.e(w["page.plan.into"]))<select name=\"under\"><option value=\"\">\(HTML.e(w["page.plan.top_level"]))</option>")
            for row in view.rows where row.level <= 3 {
                h.raw("<option value=\"\(row.activity.uid)\">")
                h.t("\(row.outline) \(row.activity.name)")
                h.raw("</option>")
            }
            h.raw("</select></label><button>\(HTML.e(w["page.plan.preview"]))</button></form></section>")
        }
        return try await req.renderPlanPage(h, title: w["page.plan.import_export"], project: view.context.project, status: status)
    }
}
