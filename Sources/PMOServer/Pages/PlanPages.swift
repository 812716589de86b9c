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
            return req.redirect(to: PlanPath.activity(try req.pathInt("uid")).href(key) + "#position")
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
            for k in ["percentComplete", "remainingDays", "actualHours"] where !(f[k] ?? "").isEmpty && num(k) == nil {
                errors.add(k, "not_a_number", "Enter a number.")
            }
            let actualCost = amount(f, "actualCost", &errors)
            try errors.throwIfAny("plan.invalid")
            _ = try await req.store.plans.recordProgress(caller, key: key, uid: uid, expectedVersion: Int(f["version"] ?? ""), ProgressInput(
                actualStart: day("actualStart"), actualFinish: day("actualFinish"), percentComplete: num("percentComplete"),
                remainingDays: num("remainingDays"), actualCost: actualCost, actualHours: num("actualHours")))
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
        PlanGridPages.register(pages)
        PlanChartPages.register(pages)
        PlanAdminPages.register(pages)
    }

    static func formContext(_ req: Request) throws -> (Caller, String, [String: String]) {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        return (caller, key, try req.form())
    }

    // MARK: WBS table

    /// The WBS page's model: the plan as read, the rows shown at the chosen outline depth, each row's predecessors.
    struct WBSData {
        var key: String
        var view: PlanView
        var maxLevel: Int
        var shown: [WBSRow]
        var predecessors: [Int: [PlanDependency]]
        /// The part of a long plan shown (rows `part * rowsPerPart` on), and how many rows the level filter leaves.
        var part: Int = 0
        var total: Int = 0
        /// Whether the caller's last grid change can still be undone.
        var canUndo: Bool = false
    }

    /// A plan longer than this is shown in parts, so one page stays under 2 MB of HTML.
    static let rowsPerPart = 2000

    static func wbsPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        var predecessors: [Int: [PlanDependency]] = [:]
        for d in view.snapshot.dependencies { predecessors[d.successorUID, default: []].append(d) }
        let maxLevel = Int((try? req.query.get(String.self, at: "level")) ?? "") ?? 0
        let filtered = view.rows.filter { maxLevel == 0 || $0.level <= maxLevel }
        let parts = max(1, (filtered.count + rowsPerPart - 1) / rowsPerPart)
        let part = min(max(0, Int((try? req.query.get(String.self, at: "part")) ?? "") ?? 0), parts - 1)
        let shown = Array(filtered.dropFirst(part * rowsPerPart).prefix(rowsPerPart))
        let canUndo = view.canEdit ? try await req.store.plans.canUndoGrid(caller, key: key) : false
        let data = WBSData(key: key, view: view, maxLevel: maxLevel, shown: shown, predecessors: predecessors, part: part,
                           total: filtered.count, canUndo: canUndo)
        let w = PlanWords(req)
        return try await req.renderProjectPage(PlanViews.wbs, data, title: w["page.plan.plan"], section: "plan", project: view.context.project)
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

    /// An activity page's model: the activity's row and computed dates, the version its forms send back, who and
    /// which company it may be given to, and the problem of a refused edit, worded for the reader.
    struct ActivityData {
        var key: String
        var view: PlanView
        var row: WBSRow
        var scheduled: ScheduledActivity?
        var version: String
        var members: [MemberView]
        var companies: [CompanyRecord]
        var attachments: AttachmentPages.Section?
        var error: (sentence: String, lines: [String])?
        /// Its resources, and the ones it may be given (for those who change the plan).
        var assignments: [AssignmentView] = []
        var resources: [ResourceView] = []
        /// The systems an activity may name (`S3` and its name and code), for those who change the plan.
        var systems: [(value: String, label: String)] = []
    }

    static func activityPage(_ req: Request, uid: Int, error: DomainError?) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        guard let row = view.row(uid) else {
            throw DomainError.notFound("plan.activity_not_found", "There is no activity \(uid) in the plan of \(key).", subjects: ["\(uid)"])
        }
        var data = ActivityData(
            key: key, view: view, row: row, scheduled: view.scheduled(uid), version: "\(view.activityVersions[uid] ?? 1)",
            members: view.canEdit ? try await req.store.projects.members(caller, key: key) : [],
            companies: view.canEdit ? try await req.store.accounts.companies() : [],
            attachments: try await AttachmentPages.section(req, caller: caller, key: key, owner: .activity(uid)),
            error: error.map { (req.sentence($0), req.shown($0.fieldErrors).map(\.message)) },
            assignments: try await req.store.plans.assignments(caller, key: key)[uid] ?? [],
            resources: view.canEdit ? try await req.store.resources.list(caller) : [])
        if view.canEdit {
            data.systems = try await req.store.items.rows(caller, key: key, type: .system).map { row in
                ("S\(row.number)", row.title + (row.details["code"]?.text.map { " (\($0))" } ?? ""))
            }
        }
        return try await req.renderProjectPage(PlanViews.activity, data, title: row.activity.name, section: "plan",
                                               project: view.context.project, status: error == nil ? .ok : .unprocessableEntity)
    }

    /// An amount typed in a form (`1,200,000`, `¥1,200,000`, `1,200,000円`), nil when left empty; a fraction of a yen or
    /// text that is no amount is refused with the same words as the ledger's forms (`MoneyText`).
    static func amount(_ f: [String: String], _ field: String, _ errors: inout FieldErrors) -> Money? {
        let written = (f[field] ?? "").trimmingCharacters(in: .whitespaces)
        guard !written.isEmpty else { return nil }
        switch MoneyText.parse(written) {
        case .success(let m): return m
        case .failure(let problem): errors.append(problem.fieldError(field, written: written)); return nil
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
        let budget = amount(f, "budgetAmount", &errors) ?? .zero
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
