import Foundation
import PMOCore
import PMOSchedule
import PMOStore
import Vapor

/// The plan grid's posts: a change of cells, rows or outline (JSON, sent by `plan-grid.js`), the rows as they are
/// now (JSON), undo of one's own last change, and a pasted block of rows (a form, so pasting works without a script).
/// Every change goes through `PlanService.applyGrid`: all rows or none, stale rows refused with who changed them.
enum PlanGridPages {
    static func register(_ pages: any RoutesBuilder) {
        pages.post("projects", ":key", "plan", "grid") { req async throws -> Response in
            await answer(req) {
                try req.requireCSRF()
                let body: GridRequest
                do { body = try req.content.decode(GridRequest.self) } catch {
                    throw DomainError.invalid("plan.invalid", [FieldError(field: "edits", code: "malformed",
                        message: "The grid sent a change that is not JSON of the form {\"edits\": [...]}. Reload the page.")])
                }
                return try await apply(req, body.edits)
            }
        }
        pages.get("projects", ":key", "plan", "grid", "rows") { req async throws -> Response in
            await answer(req) { try await rows(req, undoable: nil) }
        }
        pages.post("projects", ":key", "plan", "grid", "undo") { req async throws -> Response in
            if wantsJSON(req) {
                return await answer(req) {
                    try req.requireCSRF()
                    let before = try await req.store.plans.view(try req.pageCaller(), key: try req.projectKey())
                    _ = try await req.store.plans.undoGrid(try req.pageCaller(), key: try req.projectKey())
                    return try await rows(req, undoable: false, before: before)
                }
            }
            let (caller, key, _) = try PlanPages.formContext(req)
            _ = try await req.store.plans.undoGrid(caller, key: key)
            return req.redirect(to: PlanPath.wbs.href(key))
        }
        pages.post("projects", ":key", "plan", "paste") { req async throws -> Response in
            let (_, key, f) = try PlanPages.formContext(req)
            let edits = try PastedRows.edits(f["rows"] ?? "", parent: Int(f["parentUid"] ?? ""))
            _ = try await applyEdits(req, edits)
            return req.redirect(to: PlanPath.wbs.href(key))
        }
    }

    /// The grid's change as sent: one entry per row.
    struct GridRequest: Decodable {
        var edits: [GridCellEdit]
    }

    /// One row's change as the grid sends it: its cells as typed, by column key (see `GridColumn`).
    struct GridCellEdit: Decodable {
        /// The row's number as the user sees it (in a pasted block, its line), used to name it in errors.
        var row: Int
        var uid: Int?
        /// The row's version when the grid showed it.
        var v: Int?
        /// `update` (default), `create`, `indent` or `outdent`; a pasted row with an ID is `upsert` (an update, or a create
        /// with that ID when the plan lacks it), made definite by `GridCellReader.placed`.
        var op: String?
        var parent: Int?
        var after: Int?
        var cells: [String: String]?
        /// A pasted row's outline level (1 the shallowest): a new row goes under the row above it one level up.
        var level: Int? = nil
    }

    static func wantsJSON(_ req: Request) -> Bool { req.headers.first(name: .accept)?.contains("application/json") == true }

    static func apply(_ req: Request, _ cellEdits: [GridCellEdit]) async throws -> Response {
        var before: PlanView?
        let result = try await applyEdits(req, cellEdits) { before = $0 }
        return try await rows(req, undoable: true, created: result.created, before: before)
    }

    /// Reads the cells against the plan as it is and applies them; `read` gets that plan (the grid's "before").
    static func applyEdits(_ req: Request, _ cellEdits: [GridCellEdit], read: (PlanView) -> Void = { _ in }) async throws -> PlanGridResult {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        guard !cellEdits.isEmpty else {
            throw DomainError.invalid("plan.invalid", [FieldError(field: "edits", code: "nothing_to_change", message: "The change names no row.")])
        }
        guard cellEdits.count <= 5000 else {
            throw DomainError.invalid("plan.invalid", [FieldError(field: "edits", code: "too_many", message: "At most 5,000 rows change at once; paste the block in parts.")])
        }
        let view = try await req.store.plans.view(caller, key: key)
        guard view.canEdit else {
            throw DomainError.forbidden("plan.edit_forbidden", "Only the PMO, project managers and admins change the plan of \(key).")
        }
        read(view)
        let reader = GridCellReader(view: view, members: try await req.store.projects.members(caller, key: key),
                                    companies: try await req.store.accounts.companies())
        let edits = try reader.edits(cellEdits)
        return try await req.store.plans.applyGrid(caller, key: key, edits)
    }

    /// The rows as the grid shows them now (with the versions its next change sends back). Given the plan `before`
    /// a change, only the rows that look different are sent while the rows' order is the same (a one-cell change on a
    /// 2,000-row plan answers the few rows whose dates moved); otherwise every row, in order (`all`).
    static func rows(_ req: Request, undoable: Bool?, created: [Int] = [], before: PlanView? = nil) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let canUndo: Bool
        if let undoable { canUndo = undoable } else { canUndo = view.canEdit ? try await req.store.plans.canUndoGrid(caller, key: key) : false }
        var rows = GridRow.rows(view)
        var all = true
        if let before {
            let old = GridRow.rows(before)
            if old.map(\.uid) == rows.map(\.uid) {
                rows = zip(old, rows).compactMap { $0 == $1 ? nil : $1 }
                all = false
            }
        }
        let answer = GridAnswer(rows: rows, all: all, created: created, undo: canUndo,
                                finish: PlanFormat.date(view.rows.isEmpty ? nil : view.result.projectFinish))
        return try jsonResponse(answer, status: .ok)
    }

    /// Runs `body`, answering a refusal as JSON the grid shows: the sentence in the reader's language, and each bad
    /// cell with its row and column.
    static func answer(_ req: Request, _ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch let e as DomainError {
            let cells = req.shown(e.fieldErrors, labelFields: false).map { f -> GridProblem.Cell in
                let parts = f.field.split(separator: ".")
                let row = parts.count == 3 ? Int(parts[1]) : nil
                return GridProblem.Cell(row: row, column: parts.count == 3 ? String(parts[2]) : f.field, message: f.message)
            }
            let status: HTTPResponseStatus = switch e.kind {
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .conflict: .conflict
            case .tooLarge: .payloadTooLarge
            default: .unprocessableEntity
            }
            return (try? jsonResponse(GridProblem(code: e.code, message: req.sentence(e), cells: cells), status: status))
                ?? Response(status: .internalServerError)
        } catch is LoginRequired {
            return (try? jsonResponse(GridProblem(code: "auth.required", message: req.words["problem.auth.required"] ?? "Sign in again.", cells: []),
                                      status: .unauthorized)) ?? Response(status: .unauthorized)
        } catch {
            req.logger.error("plan grid: \(String(reflecting: error))")
            return Response(status: .internalServerError)
        }
    }

    static func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponseStatus) throws -> Response {
        let data = try JSONEncoder().encode(value)
        let r = Response(status: status, body: .init(data: data))
        r.headers.contentType = .json
        return r
    }

    struct GridAnswer: Encodable {
        /// Every row in order when `all`, else only the rows that changed.
        var rows: [GridRow]
        var all: Bool
        var created: [Int]
        var undo: Bool
        var finish: String
    }

    struct GridProblem: Encodable {
        struct Cell: Encodable { var row: Int?; var column: String; var message: String }
        var code: String
        var message: String
        var cells: [Cell]
    }
}

/// One row as the grid shows it.
struct GridRow: Encodable, Equatable {
    var uid: Int
    var v: Int
    var level: Int
    var outline: String
    var parent: Int?
    var summary: Bool
    var critical: Bool
    var milestone: Bool
    var name: String
    var duration: String
    var start: String
    var finish: String
    var float: String
    var predecessors: String
    var owner: String
    var company: String
    var percent: String

    static func rows(_ view: PlanView) -> [GridRow] {
        let perDay = view.snapshot.minutesPerDay
        let figures = PlanJSON.figures(view)
        var preds: [Int: [PlanDependency]] = [:]
        for d in view.snapshot.dependencies { preds[d.successorUID, default: []].append(d) }
        return view.rows.map { row in
            let a = row.activity
            let s = view.scheduledByUID[a.uid]
            let minutes = row.hasChildren ? (s.map { PlanViews.scheduleSpan($0, view) } ?? 0) : a.duration.minutes
            return GridRow(
                uid: a.uid, v: view.activityVersions[a.uid] ?? 1, level: row.level, outline: row.outline, parent: a.parentUID,
                summary: row.hasChildren, critical: s?.isCritical == true, milestone: a.kind == .milestone && !row.hasChildren, name: a.name,
                duration: PlanFormat.days(minutes, perDay: perDay), start: PlanFormat.date(s?.start), finish: PlanFormat.date(s?.finish),
                float: s.map { PlanFormat.days($0.totalFloat, perDay: perDay) } ?? "",
                predecessors: (preds[a.uid] ?? []).map { PlanFormat.link($0, perDay: perDay) }.joined(separator: ", "),
                owner: a.ownerID.flatMap { view.userNames[$0.rawValue] } ?? "", company: a.companyID.flatMap { view.companyNames[$0.rawValue] } ?? "",
                percent: PlanFormat.number(figures[a.uid]?.percentComplete ?? a.progress.percentComplete))
        }
    }
}

/// Reads the grid's typed cells into the store's edits, collecting every bad cell (row and column) before refusing.
struct GridCellReader {
    var view: PlanView
    var members: [MemberView]
    var companies: [CompanyRecord]

    /// Pasted rows made definite: an ID the plan lacks becomes a new activity with that ID, and rows with an outline
    /// level go under the nearest row above them one level up (the block's shallowest level under the paste's own
    /// parent); a new row without an ID that another goes under is named by a negative uid within the change, which
    /// the store replaces by the next free one. Rows already in the plan keep their place (indent and outdent move them).
    func placed(_ cellEdits: [PlanGridPages.GridCellEdit]) throws -> [PlanGridPages.GridCellEdit] {
        guard cellEdits.contains(where: { $0.op == "upsert" || $0.level != nil }) else { return cellEdits }
        let inPlan = Set(view.rows.map(\.activity.uid))
        let top = cellEdits.compactMap(\.level).min() ?? 1
        var above: [Int: Int] = [:]      // depth below the block's top → the uid of the last row there
        var placeholder = 0
        var errors: [FieldError] = []
        var out = cellEdits
        for i in out.indices {
            var c = out[i]
            if c.op == "upsert" { c.op = inPlan.contains(c.uid ?? 0) ? "update" : "create" }
            if let level = c.level {
                let depth = level - top
                if c.op == "create" {
                    if c.uid == nil { placeholder -= 1; c.uid = placeholder }
                    if depth > 0 {
                        if let parent = above[depth - 1] { c.parent = parent } else {
                            errors.append(FieldError(field: "grid.\(c.row).level", code: "no_parent",
                                message: "Row \(c.row), level: level \(level) has no row at level \(level - 1) above it to go under.", subjects: ["\(c.row)"]))
                        }
                    }
                }
                if let uid = c.uid {
                    above[depth] = uid
                    above = above.filter { $0.key <= depth }
                }
            }
            out[i] = c
        }
        if !errors.isEmpty { throw DomainError.invalid("plan.invalid", errors) }
        return out
    }

    func edits(_ cellEdits: [PlanGridPages.GridCellEdit]) throws -> [PlanGridEdit] {
        let cellEdits = try placed(cellEdits)
        var errors: [FieldError] = []
        var out: [PlanGridEdit] = []
        let perDay = view.snapshot.minutesPerDay
        let rowsByUID = Dictionary(view.rows.map { ($0.activity.uid, $0) }, uniquingKeysWith: { a, _ in a })
        for c in cellEdits {
            func bad(_ column: String, _ code: String, _ message: String, _ subjects: [String] = []) {
                errors.append(FieldError(field: "grid.\(c.row).\(column)", code: code, message: "Row \(c.row), \(column): " + message, subjects: subjects))
            }
            let op = c.op ?? (c.uid == nil ? "create" : "update")
            var e: PlanGridEdit
            switch op {
            case "create":
                e = PlanGridEdit(op: .create, row: c.row)
                e.uid = c.uid
                e.parentUID = c.parent
                e.afterUID = c.after
            case "update":
                guard let uid = c.uid else { bad("id", "required", "say which activity the row is (its ID)."); continue }
                e = PlanGridEdit(op: .update, row: c.row, uid: uid, expectedVersion: c.v)
            case "indent", "outdent":
                guard let uid = c.uid, let row = rowsByUID[uid] else { bad("id", "not_found", "there is no such activity."); continue }
                e = PlanGridEdit(op: .place, row: c.row, uid: uid, expectedVersion: c.v)
                let siblings = view.rows.filter { $0.activity.parentUID == row.activity.parentUID }
                if op == "indent" {
                    guard let i = siblings.firstIndex(where: { $0.activity.uid == uid }), i > 0 else {
                        bad("name", "no_sibling_above", "\(row.activity.name) has no activity above it at its level to go under."); continue
                    }
                    e.parentUID = siblings[i - 1].activity.uid
                } else {
                    guard let parentUID = row.activity.parentUID, let parent = rowsByUID[parentUID] else {
                        bad("name", "top_level", "\(row.activity.name) is already at the top level."); continue
                    }
                    e.parentUID = parent.activity.parentUID
                    e.position = parent.activity.position + 1
                }
                out.append(e)
                continue
            default:
                bad("op", "unknown", "\(op) is not a grid change (update, create, indent or outdent)."); continue
            }
            let existing = c.uid.flatMap { rowsByUID[$0] }
            if op == "update" && existing == nil { bad("id", "not_found", "there is no activity \(c.uid ?? 0) in the plan.", ["\(c.uid ?? 0)"]); continue }
            let isSummary = existing?.hasChildren == true
            let scheduled = c.uid.flatMap { view.scheduledByUID[$0] }
            for (key, raw) in c.cells ?? [:] {
                let text = GridText.normalized(raw)
                guard let column = GridColumn(rawValue: key) else { bad(key, "unknown", "\(key) is not a column of the grid."); continue }
                if isSummary && [.duration, .start, .finish, .percent].contains(column) {
                    // A summary's dates, duration and % come from its rows; an unchanged value pasted back is fine.
                    continue
                }
                switch column {
                case .id: continue
                case .name:
                    let name = text.trimmingCharacters(in: .whitespaces)
                    if name.isEmpty { bad("name", "required", "give the activity a name.") } else { e.name = name }
                case .duration:
                    // A new row's empty duration is the default day (a row that gets rows under it computes its own).
                    if text.isEmpty && op == "create" { continue }
                    guard let days = GridText.days(text) else { bad("duration", "not_a_number", "\"\(raw)\" is not a duration: write working days, e.g. 5 or 0.5."); continue }
                    e.durationMinutes = Int(nearest: days * Double(perDay)) ?? -1
                case .start, .finish:
                    if text.isEmpty { e.typedDate(start: nil); continue }
                    guard let d = GridText.date(text, year: view.snapshot.startDate.year) else {
                        bad(column.rawValue, "invalid_date", "\"\(raw)\" is not a date: write it as YYYY-MM-DD (or YYYY/MM/DD)."); continue
                    }
                    // A date the schedule already shows is not a typed constraint (a copied grid pasted back stays as it was).
                    if column == .start { if d != scheduled?.start.date { e.typedDate(start: d) } }
                    else if d != scheduled?.finish.date { e.typedDate(finish: d) }
                case .predecessors:
                    do { e.setPredecessors(try PlanPages.parseLinks(text, successor: c.uid ?? 0, perDay: perDay)) } catch let d as DomainError {
                        bad("predecessors", "malformed", d.fieldErrors.first?.message ?? d.message)
                    }
                case .owner:
                    if text.isEmpty { e.owner = .init(nil); continue }
                    let t = text.lowercased()
                    guard let m = members.first(where: { $0.user.displayName.lowercased() == t || $0.user.email.lowercased() == t }) else {
                        bad("owner", "not_member", "no member of the project is called \"\(text)\" (write the name or e-mail of a member).", [text]); continue
                    }
                    e.owner = .init(m.user.id)
                case .company:
                    if text.isEmpty { e.company = .init(nil); continue }
                    guard let co = companies.first(where: { $0.name.lowercased() == text.lowercased() }) else {
                        bad("company", "not_found", "there is no company called \"\(text)\".", [text]); continue
                    }
                    e.company = .init(co.id)
                case .percent:
                    let t = text.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
                    guard let p = t.isEmpty ? 0 : Double(t), p >= 0, p <= 100 else { bad("percent", "out_of_range", "\"\(raw)\" is not a percentage from 0 to 100."); continue }
                    if let a = existing?.activity, abs(a.progress.percentComplete - p) < 0.005 { continue }
                    e.percentComplete = p
                }
            }
            if op == "create" && e.name == nil { bad("name", "required", "a new activity needs a name.") }
            if op == "create" && e.durationMinutes == nil { e.durationMinutes = perDay }
            out.append(e)
        }
        if !errors.isEmpty { throw DomainError.invalid("plan.invalid", errors) }
        return out
    }
}

/// A block of rows pasted into the page's paste box (tab-separated, as Excel copies): a first line of headings says
/// which column is which (ID, Name, Duration, Start, Finish, Predecessors, Owner, Company, % in English or Japanese),
/// else the grid's order from Name on. A row with an ID updates that activity, or adds one with that ID when the plan has
/// none (so that new rows' predecessors can name each other); one without an ID adds an activity. A Level or WBS
/// column places new rows in the outline: each goes under the nearest row above it one level up.
enum PastedRows {
    static let defaultOrder: [GridColumn] = [.name, .duration, .start, .finish, .predecessors, .owner, .company, .percent]

    static func edits(_ text: String, parent: Int?) throws -> [PlanGridPages.GridCellEdit] {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else {
            throw DomainError.invalid("plan.invalid", [FieldError(field: "rows", code: "required", message: "Paste at least one row (copied from Excel: one activity per line, cells separated by tabs).")])
        }
        // Each column is a grid column, or the outline (a level or a WBS code), by the first line's headings.
        var order: [GridColumn?] = defaultOrder
        var outline: (column: Int, kind: GridOutline)?
        var first = 0
        let headingTexts = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let headings = headingTexts.map(GridColumn.named)
        if headings.contains(where: { $0 != nil }) || headingTexts.contains(where: { GridOutline.heading($0) != nil }) {
            var seen = Set<GridColumn>()
            order = []
            for (i, h) in headings.enumerated() {
                if h == nil, outline == nil, let kind = GridOutline.heading(headingTexts[i]) {
                    outline = (i, kind)
                    order.append(nil)
                    continue
                }
                guard let h, !seen.contains(h) else {
                    throw DomainError.invalid("plan.invalid", [FieldError(field: "grid.1.\(i + 1)", code: "unknown_column",
                        message: "Row 1 (the headings), column \(i + 1): \"\(headingTexts[i])\" is not a grid column (or is there twice). Use ID, Name, Duration, Start, Finish, Predecessors, Owner, Company, %, and Level or WBS for the outline.")])
                }
                seen.insert(h)
                order.append(h)
            }
            first = 1
        }
        var out: [PlanGridPages.GridCellEdit] = []
        for (n, line) in lines.enumerated().dropFirst(first) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var values: [String: String] = [:]
            var uid: Int?
            var level: Int?
            if let outline, outline.column < cells.count {
                guard let l = outline.kind.level(cells[outline.column]) else {
                    throw DomainError.invalid("plan.invalid", [FieldError(field: "grid.\(n + 1).level", code: "not_a_level",
                        message: "Row \(n + 1), \(headingTexts[outline.column]): \"\(cells[outline.column])\" is not " + (outline.kind == .level ? "an outline level (1, 2, 3…)." : "a WBS code (1, 1.2, 1.2.3…)."))])
                }
                level = l
            }
            for (i, column) in order.enumerated() where i < cells.count {
                guard let column else { continue }
                if column == .id {
                    let t = GridText.normalized(cells[i])
                    if !t.isEmpty {
                        guard let u = Int(t) else {
                            throw DomainError.invalid("plan.invalid", [FieldError(field: "grid.\(n + 1).id", code: "not_a_number",
                                message: "Row \(n + 1), id: \"\(t)\" is not an activity ID (leave it empty to add a new activity).")])
                        }
                        uid = u
                    }
                } else {
                    values[column.rawValue] = cells[i]
                }
            }
            out.append(PlanGridPages.GridCellEdit(row: n + 1, uid: uid, v: nil, op: uid == nil ? "create" : "upsert", parent: parent,
                                                  after: nil, cells: values, level: level))
        }
        return out
    }
}
