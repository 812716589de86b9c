import Foundation
import PMOCore
import PMOInterchange
import PMOReports
import PMOSchedule
import PMOStore
import PMOWords
import Vapor

/// A project's plan (the master schedule) under /projects/{key}/plan: settings, the computed schedule, activities,
/// links, calendars, company terms, phases, progress, baselines, earned value, Microsoft Project import and export,
/// and the iCalendar feed of milestones. Same conventions as the registers: bearer token or session with CSRF token,
/// ETag and If-Match, problem+json.
///
/// Who may do what: every member reads the plan's dates; admins, the PMO and PMs change it; members record progress on
/// activities they own, vendors on their company's. Costs, rates and earned value are commercial data: a vendor sees
/// only its own company's.
enum PlanAPI {
    static let base = "/projects/{key}/plan"
    static let tag = "plan"
    static let maxUpload: ByteCount = "32mb"

    /// The API routes, and the public feed route `/feeds/plan/{token}.ics` on `app` (outside /api: no sign-in).
    static func register(_ r: APIRouter, feeds app: Application) {
        settings(r)
        activities(r)
        links(r)
        calendars(r)
        baselines(r)
        exchange(r)
        app.get("feeds", "plan", ":file") { req async throws -> Response in try await feed(req) }
    }

    // MARK: Settings and schedule

    static func settings(_ r: APIRouter) {
        r.add(.GET, base, summary: "The plan's settings and version (ETag: the plan version)", tag: tag, response: "PlanSettings") { req in
            let view = try await req.store.plans.view(try req.requireCaller(), key: try req.projectKey())
            return try PlanJSON.response(body: PlanSettingsBody(view), version: view.version)
        }
        r.add(.PATCH, base, summary: "Change the plan's name, start or minutes per day (If-Match: the plan version)", tag: tag,
              request: "PlanSettingsPatch", response: "PlanSettings", ifMatch: true, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let version = try req.requiredIfMatch()
            let body = try req.body(PlanSettingsPatchBody.self, code: "plan.invalid")
            try await req.store.plans.updateSettings(caller, key: key, expectedVersion: version,
                                                   PlanSettingsInput(name: body.name, startDate: body.start, minutesPerDay: body.minutesPerDay,
                                                                     progressWeighting: body.progressWeighting))
            let view = try await req.store.plans.view(caller, key: key)
            return try PlanJSON.response(body: PlanSettingsBody(view), version: view.version)
        }
        r.add(.PUT, "\(base)/status-date", summary: "Set the status date progress is reported against (admin, PMO, PM)", tag: tag,
              request: "PlanStatusDate", response: "PlanSettings", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let date = try req.body(PlanStatusDateBody.self, code: "plan.invalid").date
            try await req.store.plans.setStatusDate(caller, key: key, date)
            let view = try await req.store.plans.view(caller, key: key)
            return try PlanJSON.response(body: PlanSettingsBody(view), version: view.version)
        }
        r.add(.GET, "\(base)/schedule",
              summary: "The computed schedule: every activity in WBS order with its dates, floats and critical flag, and the schedule's diagnostics (ETag: the plan version; If-None-Match gives 304)",
              tag: tag, response: "PlanSchedule", also: [304: nil]) { req in
            let view = try await req.store.plans.view(try req.requireCaller(), key: try req.projectKey())
            if let notModified = notModified(req, version: view.version) { return notModified }
            // The encoded answer is kept with the computed plan: several megabytes of JSON for a large plan, the
            // same for every reader with the same view of costs and names.
            let cache = req.store.planCache
            let variant = PlanJSON.scheduleVariant(view)
            let data: Data
            if let kept = cache.encoded(view.context.projectID, version: view.version, variant: variant) {
                data = kept
            } else {
                data = Data(PlanJSON.schedule(view))
                cache.storeEncoded(data, project: view.context.projectID, version: view.version, variant: variant)
            }
            let response = Response(status: .ok, body: .init(data: data))
            response.headers.contentType = .json
            response.headers.replaceOrAdd(name: .eTag, value: "\"\(view.version)\"")
            cacheHeaders(response)
            return response
        }
        r.add(.GET, "\(base)/progress",
              summary: "The progress review at the status date: what changed since the previous status date, and what was not updated",
              tag: tag, response: "PlanProgressReview") { req in
            let caller = try req.requireCaller()
            let key = try req.projectKey()
            let review = try await req.store.plans.progressReview(caller, key: key)
            let view = try await req.store.plans.view(caller, key: key)
            return try PlanJSON.response(body: PlanProgressReviewBody(review, view: view))
        }
        r.add(.GET, "\(base)/earned-value",
              summary: "Earned value at the status date (or ?at=) against a baseline: totals, by company, by top-level branch, trend and PV curve. A vendor sees its own company's figures only",
              tag: tag, response: "PlanEarnedValue", query: ["at", "baseline"]) { req in
            let caller = try req.requireCaller()
            let key = try req.projectKey()
            var e = FieldErrors()
            var at: CivilDate?
            var baseline: Int?
            for (name, value) in QueryString.pairs(req.url.query) {
                switch name {
                case "at":
                    if !value.isEmpty {
                        at = CivilDate(iso: value)
                        if at == nil { e.add("at", "invalid_date", "at must be a date YYYY-MM-DD (got \(value)).") }
                    }
                case "baseline":
                    if !value.isEmpty {
                        baseline = Int(value).flatMap { (0...10).contains($0) ? $0 : nil }
                        if baseline == nil { e.add("baseline", "out_of_range", "baseline is a number from 0 to 10.") }
                    }
                default: ListParams.unknown(name, allowed: ["at", "baseline"], &e)
                }
            }
            try e.throwIfAny("query.invalid")
            let report = try await req.store.plans.earnedValue(caller, key: key, at: at, baseline: baseline)
            return try PlanJSON.response(body: PlanEarnedValueBody(report))
        }
        r.add(.POST, "\(base)/feed-token",
              summary: "Create or replace the plan's iCalendar feed link (admin, PMO, PM); the old link stops working. The token is shown once",
              tag: tag, response: "PlanFeedToken", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let token = try await req.store.plans.rotateFeedToken(caller, key: try req.projectKey())
            let path = "/feeds/plan/\(token).ics"
            return try PlanJSON.response(body: PlanFeedTokenBody(url: absoluteURL(req, path: path), path: path, token: token), status: .created)
        }
    }

    /// 304 when If-None-Match names the current version (or `*`).
    static func notModified(_ req: Request, version: Int) -> Response? {
        let values = req.headers[.ifNoneMatch]
        guard !values.isEmpty else { return nil }
        let tags = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        let current = "\"\(version)\""
        guard tags.contains(where: { $0 == "*" || $0 == current || $0 == "W/" + current }) else { return nil }
        let response = Response(status: .notModified)
        response.headers.replaceOrAdd(name: .eTag, value: current)
        cacheHeaders(response)
        return response
    }

    /// The schedule differs by caller (costs), so caches keep it private and revalidate.
    static func cacheHeaders(_ response: Response) {
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: .vary, value: "Authorization, Cookie")
    }

    static func absoluteURL(_ req: Request, path: String) -> String {
        guard let host = req.headers.first(name: .host), !host.isEmpty,
              host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:[]".contains($0) }) else { return path }
        let forwarded = req.headers.first(name: "X-Forwarded-Proto")?.lowercased()
        let scheme = forwarded == "https" || req.config.secureCookies ? "https" : "http"
        return "\(scheme)://\(host)\(path)"
    }

    // MARK: Activities

    static func uid(_ req: Request) throws -> Int { try req.pathInt("uid") }

    static func requireEdit(_ view: PlanView) throws {
        if !view.canEdit {
            throw DomainError.forbidden("plan.edit_forbidden", "Only the PMO, project managers and admins change the plan of \(view.context.project.key).")
        }
    }

    /// The activity as it schedules now, with its version as ETag.
    static func activityResponse(_ req: Request, caller: Caller, key: String, uid: Int, status: HTTPResponseStatus = .ok) async throws -> Response {
        let view = try await req.store.plans.view(caller, key: key)
        let response = PlanJSON.response(bytes: try PlanJSON.activity(uid: uid, view: view), status: status, version: view.activityVersions[uid])
        if status == .created { response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(key)/plan/activities/\(uid)") }
        return response
    }

    static func activities(_ r: APIRouter) {
        r.add(.GET, "\(base)/activities", summary: "Every activity in WBS order with its computed dates (ETag: the plan version)",
              tag: tag, response: "PlanActivityList", also: [304: nil]) { req in
            let view = try await req.store.plans.view(try req.requireCaller(), key: try req.projectKey())
            if let notModified = notModified(req, version: view.version) { return notModified }
            let response = PlanJSON.response(bytes: PlanJSON.activityList(view), version: view.version)
            cacheHeaders(response)
            return response
        }
        r.add(.POST, "\(base)/activities", summary: "Add an activity (admin, PMO, PM); 201 with Location and ETag", tag: tag,
              request: "PlanActivityCreate", response: "PlanActivity", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(PlanActivityCreateBody.self, code: "plan.invalid")
            let view = try await req.store.plans.view(caller, key: key)
            try requireEdit(view)
            let patch = body.patch(minutesPerDay: view.snapshot.minutesPerDay)
            let resolver = PlanJSON.CalendarResolver(view.snapshot)
            let created = try await req.store.plans.createActivity(caller, key: key, parentUID: patch.parentUID ?? nil, afterUID: patch.afterUID) { a in
                patch.apply(to: &a, resolver: resolver, includeParent: false)
            }
            return try await activityResponse(req, caller: caller, key: key, uid: created.uid, status: .created)
        }
        r.add(.GET, "\(base)/activities/{uid}", summary: "One activity with its computed dates (ETag: the activity's version)", tag: tag,
              response: "PlanActivity") { req in
            let caller = try req.requireCaller()
            return try await activityResponse(req, caller: caller, key: try req.projectKey(), uid: try uid(req))
        }
        r.add(.PATCH, "\(base)/activities/{uid}", summary: "Change an activity (JSON merge patch, If-Match required; admin, PMO, PM)",
              tag: tag, request: "PlanActivityPatch", response: "PlanActivity", ifMatch: true, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let uid = try uid(req)
            let version = try req.requiredIfMatch()
            let body = try req.body(PlanActivityPatchBody.self, code: "plan.invalid")
            let view = try await req.store.plans.view(caller, key: key)
            try requireEdit(view)
            let patch = body.patch(minutesPerDay: view.snapshot.minutesPerDay)
            let resolver = PlanJSON.CalendarResolver(view.snapshot)
            _ = try await req.store.plans.updateActivity(caller, key: key, uid: uid, expectedVersion: version) { a in
                patch.apply(to: &a, resolver: resolver, includeParent: true)
            }
            return try await activityResponse(req, caller: caller, key: key, uid: uid)
        }
        r.add(.DELETE, "\(base)/activities/{uid}",
              summary: "Delete an activity with everything under it and their links (If-Match required; admin, PMO, PM)",
              tag: tag, status: 204, ifMatch: true, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let uid = try uid(req)
            let version = try req.requiredIfMatch()
            try await req.store.plans.deleteActivity(caller, key: key, uid: uid, expectedVersion: version)
            return noContent()
        }
        r.add(.POST, "\(base)/activities/{uid}/move", summary: "Indent, outdent or move an activity up or down among its siblings",
              tag: tag, request: "PlanMove", response: "PlanActivity", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let uid = try uid(req)
            let move = try req.body(PlanMoveBody.self, code: "plan.invalid").planMove
            try await req.store.plans.moveActivity(caller, key: key, uid: uid, move)
            return try await activityResponse(req, caller: caller, key: key, uid: uid)
        }
        r.add(.POST, "\(base)/activities/{uid}/progress",
              summary: "Record progress as of the status date (If-Match optional). PMO, PMs and admins: any activity; members: their own; vendors: their company's",
              tag: tag, request: "PlanProgress", response: "PlanActivity") { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let uid = try uid(req)
            let version = req.headers.first(name: .ifMatch) == nil ? nil : try req.requiredIfMatch()
            let progress = try req.body(PlanProgressBody.self, code: "plan.invalid").progress
            _ = try await req.store.plans.recordProgress(caller, key: key, uid: uid, expectedVersion: version, progress)
            return try await activityResponse(req, caller: caller, key: key, uid: uid)
        }
    }

    // MARK: Links

    static func links(_ r: APIRouter) {
        r.add(.GET, "\(base)/dependencies", summary: "The links between activities", tag: tag, response: "PlanDependencyList") { req in
            let view = try await req.store.plans.view(try req.requireCaller(), key: try req.projectKey())
            return try PlanJSON.response(body: ListBody(items: PlanJSON.dependencies(view)), version: view.version)
        }
        r.add(.POST, "\(base)/dependencies",
              summary: "Link two activities (admin, PMO, PM). A link that would close a loop is refused with plan.cycle naming the loop",
              tag: tag, request: "PlanDependencyCreate", response: "PlanDependency", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(PlanDependencyCreateBody.self, code: "plan.invalid")
            let view = try await req.store.plans.view(caller, key: key)
            try requireEdit(view)
            let d = try await req.store.plans.addDependency(caller, key: key, body.link(minutesPerDay: view.snapshot.minutesPerDay))
            return try PlanJSON.response(body: PlanDependencyBody(d, names: PlanJSON.activityNames(view), minutesPerDay: view.snapshot.minutesPerDay), status: .created)
        }
        r.add(.DELETE, "\(base)/dependencies/{id}", summary: "Remove a link (admin, PMO, PM)", tag: tag, status: 204, access: .manager) { req in
            try await req.store.plans.removeDependency(try req.writer(), key: try req.projectKey(), id: try req.pathUUID("id"))
            return noContent()
        }
    }

    // MARK: Calendars, companies, phases

    static func calendars(_ r: APIRouter) {
        r.add(.GET, "\(base)/calendars", summary: "The plan's calendars: working week, holidays, exceptions, time zone", tag: tag,
              response: "PlanCalendarList") { req in
            let view = try await req.store.plans.view(try req.requireCaller(), key: try req.projectKey())
            return try PlanJSON.response(body: ListBody(items: view.snapshot.calendars.map { PlanCalendarBody($0, defaultUID: view.snapshot.defaultCalendarUID) }))
        }
        r.add(.PUT, "\(base)/calendars/{uid}", summary: "Replace a calendar's rules (admin, PMO, PM)", tag: tag,
              request: "PlanCalendarPut", response: "PlanCalendar", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            guard let raw = req.parameters.get("uid"), let uid = Int(raw), uid >= 0 else {
                throw DomainError.notFound("route.not_found", "uid must be a whole number.")
            }
            let body = try req.body(PlanCalendarPutBody.self, code: "plan.invalid")
            let view = try await req.store.plans.view(caller, key: key)
            try requireEdit(view)
            guard let existing = view.snapshot.calendars.first(where: { $0.uid == uid }) else {
                throw DomainError.notFound("plan.calendar_not_found", "There is no calendar \(uid) in the plan of \(key).", subjects: ["\(uid)"])
            }
            try await req.store.plans.updateCalendar(caller, key: key, uid: uid, body.calendar(uid: uid, existing: existing.calendar))
            let fresh = try await req.store.plans.view(caller, key: key)
            guard let saved = fresh.snapshot.calendars.first(where: { $0.uid == uid }) else {
                throw DomainError.notFound("plan.calendar_not_found", "There is no calendar \(uid) in the plan of \(key).", subjects: ["\(uid)"])
            }
            return try PlanJSON.response(body: PlanCalendarBody(saved, defaultUID: fresh.snapshot.defaultCalendarUID))
        }
        r.add(.GET, "\(base)/companies",
              summary: "Each company's hourly rate and closures in this plan (a vendor sees its own company's only)", tag: tag,
              response: "PlanCompanyList") { req in
            let view = try await req.store.plans.view(try req.requireCaller(), key: try req.projectKey())
            return try PlanJSON.response(body: ListBody(items: PlanJSON.visibleCompanies(view).map { PlanCompanyBody($0, view: view) }))
        }
        r.add(.PUT, "\(base)/companies/{companyId}",
              summary: "Set a company's hourly rate and closures (admin, PMO, PM); closures make the company's own calendar",
              tag: tag, request: "PlanCompanyPut", response: "PlanCompany", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let companyID = try req.pathUUID("companyId")
            let body = try req.body(PlanCompanyPutBody.self, code: "plan.invalid")
            try await req.store.plans.setCompanyTerms(caller, key: key, companyID: companyID, hourlyRate: body.hourlyRate.value.flatMap { Money(rounding: $0) },
                                                closures: body.closures?.map(\.exception))
            let view = try await req.store.plans.view(caller, key: key)
            guard let terms = view.snapshot.companies.first(where: { $0.companyID.rawValue == companyID }) else {
                throw DomainError.notFound("plan.company_not_found", "The company has no terms in the plan of \(key).")
            }
            return try PlanJSON.response(body: PlanCompanyBody(terms, view: view))
        }
        r.add(.GET, "\(base)/phases", summary: "The master schedule's phases with their definitions and exit criteria", tag: tag,
              response: "PlanPhaseList") { req in
            let view = try await req.store.plans.view(try req.requireCaller(), key: try req.projectKey())
            return try PlanJSON.response(body: ListBody(items: view.snapshot.phases.map(PlanPhaseBody.init)))
        }
        r.add(.PUT, "\(base)/phases", summary: "Replace the phases (admin, PMO, PM); activities of a removed phase lose it", tag: tag,
              request: "PlanPhasesPut", response: "PlanPhaseList", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let phases = try req.body(PlanPhasesPutBody.self, code: "plan.invalid").phases
            try await req.store.plans.setPhases(caller, key: key, phases)
            let view = try await req.store.plans.view(caller, key: key)
            return try PlanJSON.response(body: ListBody(items: view.snapshot.phases.map(PlanPhaseBody.init)))
        }
    }

    // MARK: Baselines

    static func baselines(_ r: APIRouter) {
        r.add(.GET, "\(base)/baselines", summary: "The saved baselines (0–10)", tag: tag, response: "PlanBaselineList") { req in
            let view = try await req.store.plans.view(try req.requireCaller(), key: try req.projectKey())
            return try PlanJSON.response(body: ListBody(items: view.snapshot.baselines.map(PlanBaselineBody.init)))
        }
        r.add(.POST, "\(base)/baselines",
              summary: "Save the current schedule as a baseline (admin, PMO, PM); the next free number unless given; replacing one needs replace: true",
              tag: tag, request: "PlanBaselineCreate", response: "PlanBaseline", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(PlanBaselineCreateBody.self, code: "plan.invalid")
            let b = try await req.store.plans.createBaseline(caller, key: key, number: body.number, name: body.name, replace: body.replace ?? false)
            let response = try PlanJSON.response(body: PlanBaselineBody(b), status: .created)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(key)/plan/baselines/\(b.number)/comparison")
            return response
        }
        r.add(.GET, "\(base)/baselines/{n}/comparison",
              summary: "The schedule against baseline n: start and finish slips in working days, biggest finish slip first", tag: tag,
              response: "PlanBaselineComparison") { req in
            guard let raw = req.parameters.get("n"), let n = Int(raw), (0...10).contains(n) else {
                throw DomainError.notFound("plan.baseline_not_found", "A baseline number is from 0 to 10.")
            }
            let (_, baseline, slips) = try await req.store.plans.compareBaseline(try req.requireCaller(), key: try req.projectKey(), number: n)
            return try PlanJSON.response(body: PlanBaselineComparisonBody(baseline: PlanBaselineBody(baseline), items: slips.map(PlanSlipBody.init)))
        }
    }

    // MARK: Import and export

    static func exchange(_ r: APIRouter) {
        r.add(.POST, "\(base)/import",
              summary: "Import a Microsoft Project XML (MSPDI) file (body: the file) into this plan, under=UID to place it under an activity. mode=preview (default) or apply; all or nothing",
              tag: tag, response: "PlanImportSummary", query: ["mode", "under"], maxBody: maxUpload, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            var e = FieldErrors()
            var mode = "preview"
            var under: Int?
            for (name, value) in QueryString.pairs(req.url.query) {
                switch name {
                case "mode": mode = value
                case "under":
                    under = Int(value).flatMap { $0 >= 1 ? $0 : nil }
                    if under == nil { e.add("under", "invalid", "under must be an activity's uid.") }
                default: ListParams.unknown(name, allowed: ["mode", "under"], &e)
                }
            }
            checkMode(mode, &e)
            try e.throwIfAny("query.invalid")
            let plan = try readMSPDI(req)
            let summary = try await req.store.plans.importPlan(caller, key: key, parentUID: under, plan: plan, apply: mode == "apply")
            return try PlanJSON.response(body: PlanImportSummaryBody(summary, apply: mode == "apply"))
        }
        r.add(.POST, "/plan-imports",
              summary: "Create a project from a Microsoft Project XML (MSPDI) file (admin): key=NEW&name=NAME, mode=preview (default) or apply",
              tag: tag, response: "PlanImportSummary", status: 201, query: ["mode", "key", "name"], maxBody: maxUpload, access: .admin,
              also: [200: "PlanImportSummary"]) { req in
            let caller = try req.writer()
            var e = FieldErrors()
            var mode = "preview"
            var key = ""
            var name = ""
            for (param, value) in QueryString.pairs(req.url.query) {
                switch param {
                case "mode": mode = value
                case "key": key = value
                case "name": name = value
                default: ListParams.unknown(param, allowed: ["mode", "key", "name"], &e)
                }
            }
            checkMode(mode, &e)
            if key.isEmpty { e.add("key", "required", "key (the new project's key, e.g. CRM) is required.") }
            if name.trimmingCharacters(in: .whitespaces).isEmpty { e.add("name", "required", "name (the new project's name) is required.") }
            try e.throwIfAny("query.invalid")
            if !caller.isAdmin { throw DomainError.forbidden("admin.required", "Only an administrator may create projects.") }
            let plan = try readMSPDI(req)
            let summary = try await req.store.plans.importPlan(caller, key: key, newProject: ProjectFields(key: key, name: name), plan: plan,
                                                         apply: mode == "apply")
            let response = try PlanJSON.response(body: PlanImportSummaryBody(summary, apply: mode == "apply"),
                                                 status: summary.applied && mode == "apply" ? .created : .ok)
            if mode == "apply" { response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(summary.projectKey)") }
            return response
        }
        r.add(.GET, "\(base)/export.xml",
              summary: "The plan as Microsoft Project XML (MSPDI) with its computed dates; branch=UID exports one WBS branch", tag: tag,
              query: ["branch"], files: ["application/xml"]) { req in
            let caller = try req.requireCaller()
            let key = try req.projectKey()
            var e = FieldErrors()
            var branch: Int?
            for (name, value) in QueryString.pairs(req.url.query) {
                switch name {
                case "branch":
                    branch = Int(value)
                    if branch == nil { e.add("branch", "invalid", "branch must be an activity's uid.") }
                default: ListParams.unknown(name, allowed: ["branch"], &e)
                }
            }
            try e.throwIfAny("query.invalid")
            let view = try await req.store.plans.view(caller, key: key)
            var plan = view.visibleSchedulePlan
            if let branch {
                guard let cut = plan.branch(Activity.ID(branch)) else {
                    throw DomainError.notFound("plan.activity_not_found", "There is no activity \(branch) in the plan of \(key).", subjects: ["\(branch)"])
                }
                plan = cut
            }
            let xml = MSPDIWriter.write(plan, result: view.result)
            let (today, _) = req.today(for: caller)
            return RegisterExchangeAPI.file(Data(xml.utf8), name: "\(key)-plan\(branch.map { "-\($0)" } ?? "")-\(today).xml",
                                            type: HTTPMediaType(type: "application", subType: "xml", parameters: ["charset": "utf-8"]))
        }
        r.add(.GET, "\(base)/export.csv", summary: "The activity table as CSV (UTF-8 with BOM; costs only where you may see them)",
              tag: tag, files: ["text/csv"]) { req in
            let caller = try req.requireCaller()
            let key = try req.projectKey()
            let view = try await req.store.plans.view(caller, key: key)
            let (today, _) = req.today(for: caller)
            return RegisterExchangeAPI.file(CSVWriter.write(csvTable(view, english: req.locale == "en")), name: "\(key)-plan-\(today).csv",
                                            type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]))
        }
    }

    static func checkMode(_ mode: String, _ e: inout FieldErrors) {
        if mode != "preview" && mode != "apply" { e.add("mode", "invalid_choice", "mode must be preview or apply.") }
    }

    /// The uploaded MSPDI file as a plan; a file that cannot be read is 422 with the reader's code and message.
    static func readMSPDI(_ req: Request) throws -> SchedulePlan {
        if let type = req.headers.contentType {
            let ok = type.subType == "xml" || type.subType.hasSuffix("+xml") || (type.type == "application" && type.subType == "octet-stream")
            guard ok else {
                throw DomainError(.unsupportedMediaType, code: "request.unsupported_media_type",
                                  message: "Send the Microsoft Project XML file as the body with 'Content-Type: application/xml' (or application/octet-stream).")
            }
        }
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw DomainError(.malformed, code: "import.empty", message: "Send the Microsoft Project XML (MSPDI) file as the request body.")
        }
        do {
            return try MSPDIPlanFile.read(Data(buffer: buffer))
        } catch let e as InterchangeError {
            var location: [String] = []
            if let line = e.line { location.append("line \(line)") }
            if let element = e.element { location.append("element <\(element)>") }
            let message = e.message + (location.isEmpty ? "" : " (" + location.joined(separator: ", ") + ")")
            throw DomainError(.invalid, code: e.code, message: message,
                              fieldErrors: [FieldError(field: "file", code: e.code, message: message)])
        }
    }


    static func csvTable(_ view: PlanView, english: Bool) -> SpreadsheetTable {
        let w = Words(english ? .en : .ja)
        let columns: [SpreadsheetColumn] = [
            .init(title: w["plan_sheet.wbs"]), .init(title: "UID", kind: .integer), .init(title: w["plan_sheet.name"], kind: .longText),
            .init(title: w["plan_sheet.kind"]), .init(title: w["plan_sheet.duration"], kind: .number),
            .init(title: w["plan_sheet.start"], kind: .date), .init(title: w["plan_sheet.finish"], kind: .date),
            .init(title: w["plan_sheet.total_float"], kind: .number), .init(title: w["plan_sheet.critical"], kind: .bool),
            .init(title: w["plan_sheet.percent_complete"], kind: .number), .init(title: w["plan_sheet.actual_start"], kind: .date),
            .init(title: w["plan_sheet.actual_finish"], kind: .date), .init(title: w["plan_sheet.predecessors"]),
            .init(title: w["plan_sheet.owner"]), .init(title: w["plan_sheet.company"]), .init(title: w["plan_sheet.system"]),
            .init(title: w["plan_sheet.constraint"]), .init(title: w["plan_sheet.deadline"], kind: .date),
            .init(title: w["plan_sheet.budget"], kind: .money), .init(title: w["plan_sheet.actual_cost"], kind: .money),
        ]
        let kindWords = ["summary": w["plan_sheet.kind.summary"], "task": w["plan_sheet.kind.task"], "milestone": w["plan_sheet.kind.milestone"]]
        let scheduled = view.scheduledByUID
        let figures = PlanJSON.figures(view)
        let perDay = view.snapshot.minutesPerDay
        var predecessors: [Int: [String]] = [:]
        for d in view.snapshot.dependencies {
            let lag: String = switch d.lag {
            case .working(let m): m == 0 ? "" : (m > 0 ? "+" : "") + PlanJSON.formatted(PlanJSON.days(m, perDay: perDay)) + "d"
            case .elapsed(let m): (m >= 0 ? "+" : "") + PlanJSON.formatted(PlanJSON.days(m, perDay: 1440)) + "ed"
            case .percent(let p): (p >= 0 ? "+" : "") + PlanJSON.formatted(p) + "%"
            }
            let type = d.kind == .finishToStart && lag.isEmpty ? "" : d.kind.rawValue
            predecessors[d.successorUID, default: []].append("\(d.predecessorUID)\(type)\(lag)")
        }
        func text(_ s: String?) -> SpreadsheetCell { s.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }
        func day(_ t: LocalTime?, finish: Bool = false) -> SpreadsheetCell {
            guard let t else { return .empty }
            return .date(finish ? t.finishDay : t.date)
        }
        let rows: [[SpreadsheetCell]] = view.rows.map { row in
            let a = row.activity
            let s = scheduled[a.uid]
            let c = a.constraint
            return [
                .text(row.outline), .number(Double(a.uid)), .text(a.name), .text(kindWords[PlanJSON.kind(row)] ?? PlanJSON.kind(row)),
                .number(PlanJSON.days(a.duration, perDay: perDay)), day(s?.start), day(s?.finish, finish: true),
                s.map { .number(PlanJSON.days($0.totalFloat, perDay: perDay)) } ?? .empty, .bool(s?.isCritical ?? false),
                .number(figures[a.uid]?.percentComplete ?? 0), day(a.progress.actualStart),
                day(a.progress.actualFinish, finish: true), text(predecessors[a.uid]?.joined(separator: ", ")),
                text(a.ownerID.map { view.userNames[$0.rawValue] ?? "" }), text(a.companyID.map { view.companyNames[$0.rawValue] ?? "" }),
                text(view.systemLabel(a)), text(c.kind == .asSoonAsPossible ? "" : c.kind.rawValue + (c.date.map { " \($0.date)" } ?? "")),
                day(a.deadline, finish: true), figures[a.uid]?.budget.map { .number($0.approximate) } ?? .empty,
                figures[a.uid]?.actualCost.map { .number($0.approximate) } ?? .empty,
            ]
        }
        return SpreadsheetTable(name: w["plan_sheet.sheet"], columns: columns, rows: rows)
    }

    // MARK: Feed

    /// `GET /feeds/plan/{token}.ics`: the plan's milestones and deadlines as iCalendar. No sign-in: the token is the
    /// credential, and an unknown token is 404.
    static func feed(_ req: Request) async throws -> Response {
        guard let file = req.parameters.get("file"), file.hasSuffix(".ics"),
              let view = try await req.store.plans.forFeed(token: String(file.dropLast(4))) else {
            let response = Response(status: .notFound, body: .init(string: "There is no calendar feed at this address.\n"))
            response.headers.contentType = .plainText
            return response
        }
        let text = PlanCalendarFeed.ics(projectKey: view.context.project.key, projectName: view.snapshot.name,
                                        events: feedEvents(view), stamp: req.store.now())
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=300")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(view.context.project.key)-milestones.ics\"")
        return response
    }

    /// One event per milestone (its scheduled finish day) and one per deadline.
    static func feedEvents(_ view: PlanView) -> [PlanCalendarFeed.Event] {
        let scheduled = view.scheduledByUID
        var events: [PlanCalendarFeed.Event] = []
        for row in view.rows {
            let a = row.activity
            if !row.hasChildren, a.kind == .milestone, let s = scheduled[a.uid] {
                events.append(.init(uid: a.uid, name: a.name, date: s.finish.finishDay, kind: .milestone))
            }
            if let d = a.deadline { events.append(.init(uid: a.uid, name: a.name, date: d.finishDay, kind: .deadline)) }
        }
        return events
    }
}
