import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// One row's change from the plan grid, typed (the server reads the cells' text into it). A batch of them is one
/// change: all are applied or none, and the user who made it may undo it while nobody else has changed the plan.
public struct PlanGridEdit: Sendable, Codable, Equatable {
    public enum Op: String, Sendable, Codable {
        /// Changes the given fields of activity `uid`.
        case update
        /// Adds an activity under `parentUID` after `afterUID` with the given fields.
        case create
        /// Moves `uid` under `parentUID` at `position` (indent, outdent, and their undo).
        case place
        /// Deletes activity `uid` (only as the undo of a create: the grid's own delete is not undoable).
        case delete
    }
    /// A link as stored in an undo record.
    public struct Link: Sendable, Codable, Equatable {
        public var predecessorUID: Int
        public var kind: String
        /// "w" working minutes, "e" elapsed minutes, "p" percent.
        public var lagUnit: String
        public var lag: Double
        public init(_ d: PlanDependencyInput) {
            predecessorUID = d.predecessorUID
            kind = d.kind.rawValue
            switch d.lag {
            case .working(let m): (lagUnit, lag) = ("w", Double(m))
            case .elapsed(let m): (lagUnit, lag) = ("e", Double(m))
            case .percent(let p): (lagUnit, lag) = ("p", p)
            }
        }
        init(_ d: PlanDependency) { self.init(PlanDependencyInput(predecessorUID: d.predecessorUID, successorUID: d.successorUID, kind: d.kind, lag: d.lag)) }
        /// The link into `successor`.
        func dependency(successor: Int) -> PlanDependency {
            let l: DependencyLag = switch lagUnit {
            case "e": .elapsed(minutes: Int(lag))
            case "p": .percent(lag)
            default: .working(minutes: Int(lag))
            }
            return PlanDependency(predecessorUID: predecessorUID, successorUID: successor, kind: Dependency.Kind(rawValue: kind) ?? .finishToStart, lag: l)
        }
    }
    /// A person or company cell: `id` nil clears it.
    public struct Ref: Sendable, Codable, Equatable {
        public var id: UUID?
        public init(_ id: UUID?) { self.id = id }
    }
    /// Progress as stored, so an undo puts it back exactly.
    public struct Progress: Sendable, Codable, Equatable {
        var actualStart: Int?
        var actualFinish: Int?
        var percent: Double
        var remaining: Int?
        var statusDate: String?
    }

    public var op: Op
    /// The row as the user numbers it in the change (1-based), for errors that name the row.
    public var row: Int
    public var uid: Int?
    /// The activity's version when the user's grid showed it; a later version means someone else changed the row.
    public var expectedVersion: Int?
    public var parentUID: Int?
    public var afterUID: Int?
    public var position: Int?
    public var name: String?
    public var durationMinutes: Int?
    /// A start typed into the grid (Start No Earlier Than), a finish (Finish No Earlier Than), as Microsoft Project does.
    public var constraintKind: String?
    public var constraintAt: Int?
    public var predecessors: [Link]?
    public var owner: Ref?
    public var company: Ref?
    public var percentComplete: Double?
    var restoreProgress: Progress?

    public init(op: Op = .update, row: Int, uid: Int? = nil, expectedVersion: Int? = nil) {
        self.op = op
        self.row = row
        self.uid = uid
        self.expectedVersion = expectedVersion
    }

    /// Sets the constraint a typed date means: a start is "start no earlier than", a finish "finish no earlier than";
    /// an emptied date cell goes back to "as soon as possible".
    public mutating func typedDate(start: CivilDate?) { setConstraint(start.map { (.startNoEarlierThan, LocalTime(date: $0)) }) }
    public mutating func typedDate(finish: CivilDate?) { setConstraint(finish.map { (.finishNoEarlierThan, LocalTime(date: $0, minuteOfDay: 1440)) }) }
    mutating func setConstraint(_ c: (ActivityConstraint.Kind, LocalTime)?) {
        constraintKind = c?.0.rawValue ?? ActivityConstraint.Kind.asSoonAsPossible.rawValue
        constraintAt = c?.1.minutes
    }
    public mutating func setPredecessors(_ links: [PlanDependencyInput]) { predecessors = links.map(Link.init) }
}

/// What a grid change did.
public struct PlanGridResult: Sendable, Equatable {
    /// The uids of the activities the change added, in the order of its rows.
    public var created: [Int]
    /// The plan's version after the change.
    public var planVersion: Int
}

extension PlanService {
    /// Applies one grid change (a cell, a pasted block, an indent) in one transaction: every row is checked first
    /// (stale rows, unknown predecessors, loops, field rules), and a refusal names the row and cell and changes nothing.
    public func applyGrid(_ caller: Caller, key: String, _ edits: [PlanGridEdit]) async throws -> PlanGridResult {
        let at = now()
        return try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let (snapshot, _, versions, _) = try await loadPlan(context, on: db)
            try await refuseStaleRows(edits, context: context, snapshot: snapshot, versions: versions, on: db)
            let (created, inverse) = try await applyGridEdits(edits, caller: caller, context: context, snapshot: snapshot, at: at, on: db)
            let version = try await planVersion(context, on: db)
            try await saveUndo(context, caller: caller, version: version, inverse: inverse, at: at, on: db)
            return PlanGridResult(created: created, planVersion: version)
        }
    }

    /// Whether the caller's last grid change can still be undone (nobody has changed the plan since).
    public func canUndoGrid(_ caller: Caller, key: String) async throws -> Bool {
        let context = try await projectContext(caller, key: key, on: db)
        let sql = try db.sql()
        guard let row = try await sql.raw("SELECT plan_version FROM plan_grid_undo WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: caller.userID)").first()
        else { return false }
        return try row.decode(column: "plan_version", as: Int.self) == (try await planVersion(context, on: db))
    }

    /// Undoes the caller's last grid change, if nobody has changed the plan since; otherwise refuses and says who
    /// changed what. The undo is itself a change in the audit trail (the old values written back).
    public func undoGrid(_ caller: Caller, key: String) async throws -> PlanGridResult {
        let at = now()
        return try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let sql = try db.sql()
            guard let row = try await sql.raw("""
                SELECT plan_version, edits, at FROM plan_grid_undo WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: caller.userID)
                """).first() else {
                throw DomainError.conflict("plan.nothing_to_undo", "There is no change of yours in the grid of \(key) to undo.")
            }
            let savedVersion = try row.decode(column: "plan_version", as: Int.self)
            let since = try row.decode(column: "at", as: Date.self)
            if savedVersion != (try await planVersion(context, on: db)) {
                throw try await changedSince(context, since: since, on: db)
            }
            let inverse = try JSONDecoder().decode([PlanGridEdit].self, from: Data(try row.decode(column: "edits", as: String.self).utf8))
            let (snapshot, _, _, _) = try await loadPlan(context, on: db)
            _ = try await applyGridEdits(inverse, caller: caller, context: context, snapshot: snapshot, at: at, on: db)
            try await sql.raw("DELETE FROM plan_grid_undo WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: caller.userID)").run()
            return PlanGridResult(created: [], planVersion: try await planVersion(context, on: db))
        }
    }

    // MARK: Checks

    /// Refuses the change when a row it touches was changed since the user's grid showed it, naming who changed it
    /// and the row's values now, so the user sees the other person's values.
    func refuseStaleRows(_ edits: [PlanGridEdit], context: ProjectContext, snapshot: PlanSnapshot, versions: [Int: Int],
                         on db: any Database) async throws {
        var lines: [String] = []
        var subjects: [String] = []
        for e in edits {
            guard let uid = e.uid, let expected = e.expectedVersion, e.op != .create else { continue }
            guard let a = snapshot.activities.first(where: { $0.uid == uid }) else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "grid.\(e.row).id", code: "not_found",
                    message: "Row \(e.row): there is no activity \(uid) in \(context.project.key) (someone may have deleted it).", subjects: ["\(uid)"])])
            }
            guard versions[uid] != expected else { continue }
            let who = try await lastEditor(context, uid: uid, on: db)
            let perDay = snapshot.minutesPerDay
            let values = "name \(a.name), duration \(Self.daysText(a.duration.minutes, perDay: perDay)) d"
                + (a.constraint.date.map { ", \(a.constraint.kind.rawValue) \($0.date)" } ?? "")
                + (a.progress.percentComplete > 0 ? ", \(Self.daysText(Int(a.progress.percentComplete * 100), perDay: 100)) %" : "")
            lines.append("row \(e.row) (\(uid) \(a.name)) was changed by \(who.name ?? "someone") at \(who.at.map(Self.clock) ?? "?"); it is now: \(values)")
            subjects.append("\(uid) \(a.name): \(who.name ?? "?")")
        }
        guard !lines.isEmpty else { return }
        throw DomainError.conflict("plan.stale_rows",
            "Someone else changed these rows since your grid showed them, so nothing was saved: " + lines.joined(separator: "; ")
            + ". The grid now shows their values; enter your change again if it still applies.", subjects: subjects)
    }

    static func daysText(_ minutes: Int, perDay: Int) -> String {
        let v = Double(minutes) / Double(max(1, perDay))
        return v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }

    static func clock(_ d: Date) -> String {
        let t = LocalTime(d, in: .japan)
        return "\(t.date) " + String(format: "%02d:%02d", t.minuteOfDay / 60, t.minuteOfDay % 60)
    }

    /// Who last changed an activity, and when (from the audit trail).
    func lastEditor(_ context: ProjectContext, uid: Int, on db: any Database) async throws -> (name: String?, at: Date?) {
        let row = try await db.sql().raw("""
            SELECT u.display_name, e.at FROM audit_events e JOIN plan_activities a ON a.id = e.entity_id
            LEFT JOIN users u ON u.id = e.actor_id
            WHERE a.project_id = \(bind: context.projectID) AND a.uid = \(bind: uid) ORDER BY e.at DESC LIMIT 1
            """).first()
        return (try row?.decode(column: "display_name", as: String?.self), try row?.decode(column: "at", as: Date.self))
    }

    /// The refusal of an undo: who changed the plan after the caller's change, and what.
    func changedSince(_ context: ProjectContext, since: Date, on db: any Database) async throws -> DomainError {
        let rows = try await db.sql().raw("""
            SELECT u.display_name, e.at, e.action, e.changes, a.uid, a.name FROM audit_events e
            LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN plan_activities a ON a.id = e.entity_id
            WHERE e.project_id = \(bind: context.projectID) AND e.entity_type = 'plan_activity' AND e.at > \(bind: since)
            ORDER BY e.at DESC LIMIT 3
            """).all()
        var said: [String] = []
        for r in rows {
            let who = try r.decode(column: "display_name", as: String?.self) ?? "someone"
            let what = try r.decode(column: "uid", as: Int?.self).map { "\($0) \(try r.decode(column: "name", as: String?.self) ?? "")" } ?? "an activity (since deleted)"
            let fields = (try? JSONDecoder().decode([FieldChange].self, from: Data(r.decode(column: "changes", as: String.self).utf8)))?
                .map(\.field).joined(separator: ", ") ?? ""
            said.append("\(who) changed \(what)\(fields.isEmpty ? "" : " (\(fields))") at \(Self.clock(try r.decode(column: "at", as: Date.self)))")
        }
        if said.isEmpty { said.append("the plan was changed (its settings, status date or baselines)") }
        return DomainError.conflict("plan.undo_refused",
            "Your last grid change cannot be undone because the plan changed after it: " + said.joined(separator: "; ")
            + ". Undo would overwrite that; change the cells back by hand instead.", subjects: said)
    }

    func planVersion(_ context: ProjectContext, on db: any Database) async throws -> Int {
        try await db.sql().raw("SELECT version FROM plans WHERE project_id = \(bind: context.projectID)").first()?.decode(column: "version", as: Int.self) ?? 0
    }

    func saveUndo(_ context: ProjectContext, caller: Caller, version: Int, inverse: [PlanGridEdit], at: Date, on db: any Database) async throws {
        let sql = try db.sql()
        let text = String(decoding: try JSONEncoder().encode(inverse), as: UTF8.self)
        try await sql.raw("DELETE FROM plan_grid_undo WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: caller.userID)").run()
        try await sql.raw("""
            INSERT INTO plan_grid_undo (project_id, user_id, plan_version, edits, at)
            VALUES (\(bind: context.projectID), \(bind: caller.userID), \(bind: version), \(bind: text), \(bind: at))
            """).run()
    }

    // MARK: Applying

    /// Applies the edits to the plan as loaded, checks the result as a whole, writes it, and answers the created
    /// uids and the edits that would undo it.
    func applyGridEdits(_ edits: [PlanGridEdit], caller: Caller, context: ProjectContext, snapshot: PlanSnapshot, at: Date,
                        on db: any Database) async throws -> (created: [Int], inverse: [PlanGridEdit]) {
        let key = context.project.key
        var trial = snapshot
        var index = Dictionary(trial.activities.enumerated().map { ($1.uid, $0) }, uniquingKeysWith: { a, _ in a })
        var created: [Int] = []
        var inverse: [PlanGridEdit] = []
        var touched: [Int] = []          // updated or placed, in order
        var deleted: [Int] = []
        var relinked: Set<Int> = []
        var progressed: Set<Int> = []
        let newCount = edits.filter { $0.op == .create }.count
        var nextUID = newCount > 0 ? try await takeUIDs(context, count: newCount, on: db) : 0
        // A create may ask for its uid (a pasted ID the plan lacks, which other pasted rows may name), or carry a
        // negative one that only names it within this change (a row that pasted rows below go under).
        let requested = Set(edits.filter { $0.op == .create }.compactMap(\.uid).filter { $0 > 0 })
        var local: [Int: Int] = [:]
        func resolved(_ uid: Int?) -> Int? { uid.map { $0 < 0 ? local[$0] ?? $0 : $0 } }
        var rowOf: [Int: PlanGridEdit] = [:]   // each touched uid's edit, for errors that name the row

        func invalid(_ e: PlanGridEdit, _ cell: String, _ code: String, _ message: String, _ subjects: [String] = []) -> DomainError {
            DomainError.invalid("plan.invalid", [FieldError(field: "grid.\(e.row).\(cell)", code: code, message: "Row \(e.row): " + message, subjects: subjects)])
        }
        func siblings(_ parent: Int?) -> [PlanActivity] {
            trial.activities.filter { $0.parentUID == parent }.sorted { ($0.position, $0.uid) < ($1.position, $1.uid) }
        }

        for e in edits {
            switch e.op {
            case .create:
                var e = e
                e.parentUID = resolved(e.parentUID)
                if let p = e.parentUID, index[p] == nil { throw invalid(e, "parent", "not_found", "there is no activity \(p) in \(key) to put it under.") }
                var position = (siblings(e.parentUID).last?.position ?? -1) + 1
                if let after = e.afterUID, let i = index[after], trial.activities[i].parentUID == e.parentUID {
                    position = trial.activities[i].position + 1
                    for (j, s) in trial.activities.enumerated() where s.parentUID == e.parentUID && s.position >= position {
                        trial.activities[j].position += 1
                        if !touched.contains(s.uid) && !created.contains(s.uid) { touched.append(s.uid) }
                    }
                }
                let uid: Int
                if let asked = e.uid, asked > 0 {
                    guard index[asked] == nil else { throw invalid(e, "id", "taken", "activity \(asked) is already in \(key); leave the ID empty to add a new one.", ["\(asked)"]) }
                    uid = asked
                } else {
                    while index[nextUID] != nil || requested.contains(nextUID) { nextUID += 1 }
                    uid = nextUID
                    nextUID += 1
                    if let placeholder = e.uid { local[placeholder] = uid }
                }
                var a = PlanActivity(uid: uid, parentUID: e.parentUID, position: position, name: "")
                try apply(e, to: &a, trial: trial, invalid: invalid)
                index[a.uid] = trial.activities.count
                trial.activities.append(a)
                created.append(a.uid)
                rowOf[a.uid] = e
                if let links = e.predecessors {
                    trial.dependencies += links.map { $0.dependency(successor: a.uid) }
                    relinked.insert(a.uid)
                }
                var undo = PlanGridEdit(op: .delete, row: e.row, uid: a.uid)
                undo.expectedVersion = nil
                inverse.append(undo)
            case .update, .place:
                guard let uid = e.uid, let i = index[uid] else { throw invalid(e, "id", "not_found", "there is no activity \(e.uid ?? 0) in \(key).", ["\(e.uid ?? 0)"]) }
                let old = trial.activities[i]
                if rowOf[uid] == nil { rowOf[uid] = e }
                var undo = PlanGridEdit(op: e.op, row: e.row, uid: uid)
                if e.op == .place {
                    if let p = e.parentUID {
                        let parents = Dictionary(trial.activities.compactMap { a in a.parentUID.map { (a.uid, $0) } }, uniquingKeysWith: { a, _ in a })
                        guard index[p] != nil, p != uid, !PlanRules.isAncestor(uid, of: p, parents: parents) else {
                            throw invalid(e, "parent", "own_descendant", "an activity cannot go under itself or one of its own rows.")
                        }
                    }
                    undo.parentUID = old.parentUID
                    undo.position = old.position
                    let position = e.position ?? ((siblings(e.parentUID).last?.position ?? -1) + 1)
                    for (j, s) in trial.activities.enumerated() where s.parentUID == e.parentUID && s.position >= position && s.uid != uid {
                        trial.activities[j].position += 1
                        if !touched.contains(s.uid) && !created.contains(s.uid) { touched.append(s.uid) }
                    }
                    trial.activities[i].parentUID = e.parentUID
                    trial.activities[i].position = position
                }
                if e.name != nil { undo.name = old.name }
                if e.durationMinutes != nil { undo.durationMinutes = old.duration.minutes }
                if e.constraintKind != nil { undo.constraintKind = old.constraint.kind.rawValue; undo.constraintAt = old.constraint.date?.minutes }
                if e.owner != nil { undo.owner = .init(old.ownerID?.rawValue) }
                if e.company != nil { undo.company = .init(old.companyID?.rawValue) }
                if e.predecessors != nil {
                    undo.predecessors = trial.dependencies.filter { $0.successorUID == uid }.map(PlanGridEdit.Link.init)
                    trial.dependencies.removeAll { $0.successorUID == uid }
                    trial.dependencies += (e.predecessors ?? []).map { $0.dependency(successor: uid) }
                    relinked.insert(uid)
                }
                if e.percentComplete != nil || e.restoreProgress != nil {
                    undo.restoreProgress = PlanGridEdit.Progress(actualStart: old.progress.actualStart?.minutes, actualFinish: old.progress.actualFinish?.minutes,
                                                                 percent: old.progress.percentComplete, remaining: old.progress.remainingDuration?.minutes,
                                                                 statusDate: old.progressStatusDate?.description)
                    progressed.insert(uid)
                }
                var a = trial.activities[i]
                try apply(e, to: &a, trial: trial, invalid: invalid)
                trial.activities[i] = a
                if !touched.contains(uid) { touched.append(uid) }
                inverse.append(undo)
            case .delete:
                guard let uid = e.uid, index[uid] != nil else { continue }
                if trial.activities.contains(where: { $0.parentUID == uid }) {
                    throw invalid(e, "id", "has_rows", "\(uid) now has rows under it, so undoing its creation would delete them too.")
                }
                trial.activities.removeAll { $0.uid == uid }
                trial.dependencies.removeAll { $0.successorUID == uid || $0.predecessorUID == uid }
                index = Dictionary(trial.activities.enumerated().map { ($1.uid, $0) }, uniquingKeysWith: { a, _ in a })
                deleted.append(uid)
            }
        }

        // The result as a whole: links point at activities, no summary is linked to its own rows, no loop.
        let names = Dictionary(trial.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
        let parents = Dictionary(trial.activities.compactMap { a in a.parentUID.map { (a.uid, $0) } }, uniquingKeysWith: { a, _ in a })
        for d in trial.dependencies where relinked.contains(d.successorUID) {
            let e = rowOf[d.successorUID] ?? PlanGridEdit(row: 0)
            if names[d.predecessorUID] == nil {
                throw invalid(e, "predecessors", "not_found", "there is no activity \(d.predecessorUID) in \(key) to follow.", ["\(d.predecessorUID)"])
            }
            if d.predecessorUID == d.successorUID {
                throw invalid(e, "predecessors", "self", "an activity cannot follow itself.", ["\(d.predecessorUID)"])
            }
            if PlanRules.isAncestor(d.predecessorUID, of: d.successorUID, parents: parents) || PlanRules.isAncestor(d.successorUID, of: d.predecessorUID, parents: parents) {
                throw invalid(e, "predecessors", "summary_and_own_row", "a summary cannot be linked to one of its own rows (\(d.predecessorUID)).", ["\(d.predecessorUID)"])
            }
        }
        for (uid, _) in rowOf where relinked.contains(uid) {
            let preds = trial.dependencies.filter { $0.successorUID == uid }.map(\.predecessorUID)
            if Set(preds).count != preds.count, let e = rowOf[uid] {
                throw invalid(e, "predecessors", "duplicate", "the same predecessor is named twice.")
            }
        }
        let result = CriticalPath.schedule(trial.schedulePlan())
        if let loop = result.diagnostics.first(where: { $0.code == .cycle }) {
            let uids = loop.activities.map(\.rawValue)
            let e = uids.lazy.compactMap { rowOf[$0] }.first ?? PlanGridEdit(row: 0)
            let path = uids.map { "\(names[$0] ?? "?") (\($0))" }.joined(separator: " → ")
            throw invalid(e, "predecessors", "cycle", "these links would make a loop: \(path).", [path])
        }
        var errors: [FieldError] = []
        for uid in touched + created {
            guard let a = trial.activities.first(where: { $0.uid == uid }), let e = rowOf[uid] else { continue }
            for f in PlanRules.validate(a) {
                errors.append(FieldError(field: "grid.\(e.row).\(Self.gridCell(f.field))", code: f.code, message: "Row \(e.row): " + f.message, subjects: f.subjects))
            }
        }
        if !errors.isEmpty { throw DomainError.invalid("plan.invalid", errors) }
        let memberIDs = Set(try await members(projectID: context.projectID, on: db).map(\.user.id))
        for uid in touched + created {
            guard let a = trial.activities.first(where: { $0.uid == uid }), let e = rowOf[uid] else { continue }
            if let owner = a.ownerID, owner != snapshot.activities.first(where: { $0.uid == uid })?.ownerID, !memberIDs.contains(owner.rawValue) {
                throw invalid(e, "owner", "not_member", "the owner must be a member of \(key).")
            }
        }

        // Write.
        let sql = try db.sql()
        // Asked-for uids and those skipped for them: the counter never hands them out again.
        if let highest = (requested.map { $0 + 1 } + [nextUID]).max(), newCount > 0 {
            try await sql.raw("UPDATE plans SET next_uid = \(bind: highest) WHERE project_id = \(bind: context.projectID) AND next_uid < \(bind: highest)").run()
        }
        for uid in deleted {
            try await sql.raw("DELETE FROM plan_dependencies WHERE project_id = \(bind: context.projectID) AND (predecessor_uid = \(bind: uid) OR successor_uid = \(bind: uid))").run()
            if let old = snapshot.activities.first(where: { $0.uid == uid }) {
                try await auditActivity(context, caller: caller, uid: uid, at: at, action: "delete", changes: FieldChange.diff(PlanRows.snapshot(old), [:]), on: db)
            }
            try await sql.raw("DELETE FROM plan_activities WHERE project_id = \(bind: context.projectID) AND uid = \(bind: uid)").run()
            try await deleteActivityParts(projectID: context.projectID, uid: uid, on: db)
        }
        for uid in created {
            guard let a = trial.activities.first(where: { $0.uid == uid }) else { continue }
            let id = UUID()
            try await PlanRows.insert(a, id: id, projectID: context.projectID, at: at, on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "plan_activity",
                                      entityID: id, action: "create", version: 1, changes: FieldChange.diff([:], PlanRows.snapshot(a)))
        }
        for uid in touched {
            guard let old = snapshot.activities.first(where: { $0.uid == uid }), let a = trial.activities.first(where: { $0.uid == uid }) else { continue }
            let changes = FieldChange.diff(PlanRows.snapshot(old), PlanRows.snapshot(a))
            guard !changes.isEmpty else { continue }
            try await PlanRows.update(a, projectID: context.projectID, at: at, on: db)
            if progressed.contains(uid), let statusDate = a.progressStatusDate {
                try await insertProgress(a, context: context, caller: caller, statusDate: statusDate, at: at, on: db)
            }
            try await auditActivity(context, caller: caller, uid: uid, at: at, action: progressed.contains(uid) ? "progress" : "update", changes: changes, on: db)
        }
        for uid in relinked {
            let before = snapshot.dependencies.filter { $0.successorUID == uid }
            let after = trial.dependencies.filter { $0.successorUID == uid }
            let same = { (x: PlanDependency, y: PlanDependency) in x.predecessorUID == y.predecessorUID && x.kind == y.kind && x.lag == y.lag }
            for d in before where !after.contains(where: { same($0, d) }) {
                try await sql.raw("DELETE FROM plan_dependencies WHERE id = \(bind: d.id)").run()
                try await auditActivity(context, caller: caller, uid: uid, at: at, action: "unlink",
                                        changes: [FieldChange(field: "predecessor", from: PlanService.describe(d), to: nil)], on: db)
            }
            for d in after where !before.contains(where: { same($0, d) }) {
                try await PlanRows.insert(d, projectID: context.projectID, on: db)
                try await auditActivity(context, caller: caller, uid: uid, at: at, action: "link",
                                        changes: [FieldChange(field: "predecessor", from: nil, to: PlanService.describe(d))], on: db)
            }
        }
        try await touchPlan(context, at: at, on: db)
        // Undo runs the rows' inverses last-first, so a later edit of the same row is undone before an earlier one.
        return (created, inverse.reversed())
    }

    /// The grid's name for a field the plan rules name.
    static func gridCell(_ field: String) -> String {
        switch field {
        case "durationMinutes", "duration", "durationDays": "duration"
        case "constraint", "constraintDate": "start"
        case "ownerId": "owner"
        case "companyId": "company"
        case "percentComplete": "percent"
        default: field
        }
    }

    /// One edit's fields on an activity (the checks that need the whole plan come after every edit is applied).
    func apply(_ e: PlanGridEdit, to a: inout PlanActivity, trial: PlanSnapshot,
               invalid: (PlanGridEdit, String, String, String, [String]) -> DomainError) throws {
        if let name = e.name { a.name = name }
        if let m = e.durationMinutes {
            guard m >= 0, m <= PlanRules.durationMaxMinutes else { throw invalid(e, "duration", "out_of_range", "the duration must be from 0 to \(PlanRules.durationMaxMinutes / max(1, trial.minutesPerDay)) working days.", []) }
            a.duration = WorkDuration(minutes: m, kind: a.duration.kind)
            a.kind = m == 0 ? .milestone : (a.kind == .milestone ? .task : a.kind)
        }
        if let k = e.constraintKind {
            let kind = ActivityConstraint.Kind(rawValue: k) ?? .asSoonAsPossible
            a.constraint = ActivityConstraint(kind, date: e.constraintAt.map(LocalTime.init(minutes:)))
        }
        if let o = e.owner { a.ownerID = o.id.map(UserID.init) }
        if let c = e.company { a.companyID = c.id.map(CompanyID.init) }
        if let p = e.restoreProgress {
            a.progress = ActivityProgress(actualStart: p.actualStart.map(LocalTime.init(minutes:)), actualFinish: p.actualFinish.map(LocalTime.init(minutes:)),
                                          percentComplete: p.percent, remainingDuration: p.remaining.map { .working($0) })
            a.progressStatusDate = p.statusDate.flatMap(CivilDate.init(iso:))
        } else if let pct = e.percentComplete {
            guard pct >= 0 && pct <= 100 else { throw invalid(e, "percent", "out_of_range", "percent complete must be from 0 to 100.", []) }
            guard let statusDate = trial.statusDate else {
                throw invalid(e, "percent", "no_status_date", "the plan has no status date yet; set one (Progress) before recording % complete.", [])
            }
            if trial.activities.contains(where: { $0.parentUID == a.uid }) {
                throw invalid(e, "percent", "summary", "\(a.name) is a summary: its % complete comes from its rows.", [])
            }
            // 100 % means finished: as in Microsoft Project, the actual finish is the status date unless one was given.
            let input = pct >= 100 && a.progress.actualFinish == nil
                ? ProgressInput(actualFinish: statusDate) : ProgressInput(percentComplete: pct)
            do { a = try applyProgress(input, to: a, snapshot: trial, statusDate: statusDate) } catch let d as DomainError {
                throw invalid(e, "percent", d.fieldErrors.first?.code ?? "invalid", d.fieldErrors.first?.message ?? d.message, [])
            }
        }
    }
}
