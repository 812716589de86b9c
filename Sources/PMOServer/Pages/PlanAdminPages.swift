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
            var errors = FieldErrors()
            let rate = PlanPages.amount(f, "hourlyRate", &errors)
            try errors.throwIfAny("plan.invalid")
            let closuresText = f["closures"] ?? ""
            try await req.store.plans.setCompanyTerms(caller, key: key, companyID: company, hourlyRate: rate,
                                                closures: closuresText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && f["ownCalendar"] != "on" ? nil : try parseClosures(closuresText))
            return req.redirect(to: PlanPath.calendars.href(key))
        }
        pages.post("projects", ":key", "plan", "settings") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            guard let weighting = f["progressWeighting"].flatMap(ProgressWeighting.init(rawValue:)) else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "progressWeighting", code: "invalid_choice",
                                                                      message: "Choose duration or budget.")])
            }
            try await req.store.plans.updateSettings(caller, key: key, expectedVersion: nil, PlanSettingsInput(progressWeighting: weighting))
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

    /// The progress page's model: the review at the status date, and the reader's time zone for the times shown.
    struct ProgressData {
        var key: String
        var review: ProgressReview
        var timeZone: String
    }

    static func progressPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let review = try await req.store.plans.progressReview(caller, key: key)
        let w = PlanWords(req)
        return try await req.renderProjectPage(PlanViews.progress, ProgressData(key: key, review: review, timeZone: caller.timeZone),
                                               title: w["page.plan.progress"], section: "plan", project: review.view.context.project)
    }

    // MARK: Calendars

    /// The calendars page's model: the plan, the companies terms may be set for, and a feed URL just issued (shown once).
    struct CalendarsData {
        var key: String
        var view: PlanView
        var companyOptions: [(value: String, label: String)]
        var feedURL: String?
    }

    static func calendarsPage(_ req: Request, feedURL: String?) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let w = PlanWords(req)
        let companies = view.canEdit ? try await req.store.accounts.companies() : []
        let companyOptions = try companies.map { (value: try $0.requireID().uuidString.lowercased(), label: $0.name) }
        return try await req.renderProjectPage(PlanViews.calendars, CalendarsData(key: key, view: view, companyOptions: companyOptions, feedURL: feedURL),
                                               title: w["page.plan.calendars"], section: "plan", project: view.context.project)
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

    /// The import / export page's model: the plan, and a preview of an uploaded file (kept as `payload` for the
    /// apply button) or the problem that refused it.
    struct ImportData {
        var key: String
        var view: PlanView
        var summary: PlanImportSummary?
        var error: String?
        var payload: String
        var under: Int?
    }

    static func importPage(_ req: Request, summary: PlanImportSummary?, error: String?, payload: String, under: Int? = nil,
                           status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let w = PlanWords(req)
        let data = ImportData(key: key, view: view, summary: summary, error: error, payload: payload, under: under)
        return try await req.renderProjectPage(PlanViews.importExport, data, title: w["page.plan.import_export"], section: "plan",
                                               project: view.context.project, status: status)
    }
}
