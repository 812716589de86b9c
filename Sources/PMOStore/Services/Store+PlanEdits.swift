import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// How to move an activity in the WBS.
public enum PlanMove: String, Sendable, CaseIterable {
    /// Under the sibling above it, as that sibling's last child.
    case indent
    /// Up one level, just after its former parent.
    case outdent
    /// Before the sibling above it.
    case up
    /// After the sibling below it.
    case down
}

/// A new link as entered.
public struct PlanDependencyInput: Sendable {
    public var predecessorUID: Int
    public var successorUID: Int
    public var kind: Dependency.Kind
    public var lag: DependencyLag
    public init(predecessorUID: Int, successorUID: Int, kind: Dependency.Kind = .finishToStart, lag: DependencyLag = .zero) {
        self.predecessorUID = predecessorUID
        self.successorUID = successorUID
        self.kind = kind
        self.lag = lag
    }
}

extension PlanService {
    /// Adds an activity under `parentUID` (top level when nil), after sibling `afterUID` (last when nil).
    /// `fill` sets its fields; progress is not taken from it (progress has its own path).
    public func createActivity(_ caller: Caller, key: String, parentUID: Int?, afterUID: Int? = nil,
                               fill: @escaping @Sendable (inout PlanActivity) -> Void) async throws -> PlanActivity {
        let at = now()
        return try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let (snapshot, _, _, _) = try await loadPlan(context, on: db)
            if let parentUID, !snapshot.activities.contains(where: { $0.uid == parentUID }) {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "parentUid", code: "not_found",
                    message: "There is no activity \(parentUID) in \(key) to put the new one under.")])
            }
            let siblings = snapshot.activities.filter { $0.parentUID == parentUID }.sorted { ($0.position, $0.uid) < ($1.position, $1.uid) }
            var position = (siblings.last?.position ?? -1) + 1
            if let afterUID {
                guard let after = siblings.first(where: { $0.uid == afterUID }) else {
                    throw DomainError.invalid("plan.invalid", [FieldError(field: "afterUid", code: "not_sibling",
                        message: "Activity \(afterUID) is not a child of the chosen parent, so the new one cannot follow it.")])
                }
                position = after.position + 1
                try await shiftSiblings(context, parentUID: parentUID, from: position, on: db)
            }
            let uid = try await takeUIDs(context, count: 1, on: db)
            var a = PlanActivity(uid: uid, parentUID: parentUID, position: position, name: "")
            fill(&a)
            a.uid = uid
            a.parentUID = parentUID
            a.position = position
            a.progress = .none
            a.actualCost = nil
            a.actualHours = 0
            try await checkActivity(&a, old: nil, context: context, snapshot: snapshot, on: db)
            let id = UUID()
            try await PlanRows.insert(a, id: id, projectID: context.projectID, at: at, on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "plan_activity",
                                      entityID: id, action: "create", version: 1, changes: FieldChange.diff([:], PlanRows.snapshot(a)))
            try await touchPlan(context, at: at, on: db)
            return a
        }
    }

    /// Changes an activity's fields if it is still at `expectedVersion`. Progress fields are kept (see `recordProgress`).
    public func updateActivity(_ caller: Caller, key: String, uid: Int, expectedVersion: Int?,
                               change: @escaping @Sendable (inout PlanActivity) -> Void) async throws -> PlanActivity {
        let at = now()
        return try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let (snapshot, _, versions, _) = try await loadPlan(context, on: db)
            guard let old = snapshot.activities.first(where: { $0.uid == uid }) else { throw activityNotFound(key, uid) }
            if let expectedVersion, expectedVersion != versions[uid] { throw staleVersion(versions[uid] ?? 0) }
            var a = old
            change(&a)
            a.uid = old.uid
            a.progress = old.progress
            a.actualCost = old.actualCost
            a.actualHours = old.actualHours
            a.progressStatusDate = old.progressStatusDate
            if a.parentUID != old.parentUID {
                try checkParent(a.parentUID, for: uid, snapshot: snapshot, key: key)
                a.position = (snapshot.activities.filter { $0.parentUID == a.parentUID }.map(\.position).max() ?? -1) + 1
            }
            try await checkActivity(&a, old: old, context: context, snapshot: snapshot, on: db)
            let changes = FieldChange.diff(PlanRows.snapshot(old), PlanRows.snapshot(a))
            guard !changes.isEmpty else { return a }
            try await PlanRows.update(a, projectID: context.projectID, at: at, on: db)
            try await auditActivity(context, caller: caller, uid: uid, at: at, action: "update", changes: changes, on: db)
            try await touchPlan(context, at: at, on: db)
            return a
        }
    }

    /// Deletes an activity with everything below it and every link touching them. Baselines and progress history stay.
    public func deleteActivity(_ caller: Caller, key: String, uid: Int, expectedVersion: Int?) async throws {
        let at = now()
        try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let (snapshot, _, versions, _) = try await loadPlan(context, on: db)
            guard let a = snapshot.activities.first(where: { $0.uid == uid }) else { throw activityNotFound(key, uid) }
            if let expectedVersion, expectedVersion != versions[uid] { throw staleVersion(versions[uid] ?? 0) }
            var doomed: Set<Int> = [uid]
            var grew = true
            while grew {
                grew = false
                for x in snapshot.activities where !doomed.contains(x.uid) {
                    if let p = x.parentUID, doomed.contains(p) { doomed.insert(x.uid); grew = true }
                }
            }
            let sql = try db.sql()
            for d in doomed.sorted() {
                try await sql.raw("DELETE FROM plan_dependencies WHERE project_id = \(bind: context.projectID) AND (predecessor_uid = \(bind: d) OR successor_uid = \(bind: d))").run()
                try await auditActivity(context, caller: caller, uid: d, at: at, action: "delete",
                                        changes: FieldChange.diff(PlanRows.snapshot(snapshot.activities.first { $0.uid == d } ?? a), [:]), on: db)
                try await sql.raw("DELETE FROM plan_activities WHERE project_id = \(bind: context.projectID) AND uid = \(bind: d)").run()
                try await deleteActivityParts(projectID: context.projectID, uid: d, on: db)
            }
            try await touchPlan(context, at: at, on: db)
        }
    }

    /// Indents, outdents or moves an activity among its siblings.
    public func moveActivity(_ caller: Caller, key: String, uid: Int, _ move: PlanMove) async throws {
        let at = now()
        try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let (snapshot, _, _, _) = try await loadPlan(context, on: db)
            guard let a = snapshot.activities.first(where: { $0.uid == uid }) else { throw activityNotFound(key, uid) }
            func siblings(of parent: Int?) -> [PlanActivity] {
                snapshot.activities.filter { $0.parentUID == parent }.sorted { ($0.position, $0.uid) < ($1.position, $1.uid) }
            }
            let mine = siblings(of: a.parentUID)
            let index = mine.firstIndex { $0.uid == uid }!
            var moved = a
            switch move {
            case .indent:
                guard index > 0 else {
                    throw DomainError.invalid("plan.cannot_move", [FieldError(field: "move", code: "no_sibling_above",
                        message: "\(a.name) has no activity above it at its level to go under.")])
                }
                let newParent = mine[index - 1]
                moved.parentUID = newParent.uid
                moved.position = (siblings(of: newParent.uid).last?.position ?? -1) + 1
            case .outdent:
                guard let parentUID = a.parentUID, let parent = snapshot.activities.first(where: { $0.uid == parentUID }) else {
                    throw DomainError.invalid("plan.cannot_move", [FieldError(field: "move", code: "top_level",
                        message: "\(a.name) is already at the top level.")])
                }
                moved.parentUID = parent.parentUID
                moved.position = parent.position + 1
                try await shiftSiblings(context, parentUID: parent.parentUID, from: moved.position, on: db)
            case .up, .down:
                let other = move == .up ? index - 1 : index + 1
                guard mine.indices.contains(other) else {
                    throw DomainError.invalid("plan.cannot_move", [FieldError(field: "move", code: "at_edge",
                        message: "\(a.name) is already the \(move == .up ? "first" : "last") at its level.")])
                }
                // Renumber the siblings densely with the two swapped, so equal positions cannot stall a move.
                var order = mine
                order.swapAt(index, other)
                let sql = try db.sql()
                for (i, s) in order.enumerated() where s.position != i {
                    try await sql.raw("UPDATE plan_activities SET position = \(bind: i), version = version + 1, updated_at = \(bind: at) WHERE project_id = \(bind: context.projectID) AND uid = \(bind: s.uid)").run()
                }
                try await auditActivity(context, caller: caller, uid: uid, at: at, action: "move",
                                        changes: [FieldChange(field: "position", from: String(index), to: String(other))], on: db)
                try await touchPlan(context, at: at, on: db)
                return
            }
            try await PlanRows.update(moved, projectID: context.projectID, at: at, on: db)
            try await auditActivity(context, caller: caller, uid: uid, at: at, action: "move",
                                    changes: FieldChange.diff(PlanRows.snapshot(a), PlanRows.snapshot(moved)), on: db)
            try await touchPlan(context, at: at, on: db)
        }
    }

    /// Adds a link. A link that would close a cycle is refused with the cycle named, and nothing changes.
    public func addDependency(_ caller: Caller, key: String, _ input: PlanDependencyInput) async throws -> PlanDependency {
        let at = now()
        return try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let (snapshot, _, _, _) = try await loadPlan(context, on: db)
            let names = Dictionary(snapshot.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
            var errors = FieldErrors()
            for (field, uid) in [("predecessorUid", input.predecessorUID), ("successorUid", input.successorUID)] where names[uid] == nil {
                errors.add(field, "not_found", "There is no activity \(uid) in \(key).")
            }
            try errors.throwIfAny("plan.invalid")
            if case .percent(let p) = input.lag, !(p >= -1000 && p <= 1000) {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "lag", code: "out_of_range", message: "A percent lag must be between -1000 and 1000.")])
            }
            if snapshot.dependencies.contains(where: { $0.predecessorUID == input.predecessorUID && $0.successorUID == input.successorUID }) {
                let (from, to) = (names[input.predecessorUID] ?? "\(input.predecessorUID)", names[input.successorUID] ?? "\(input.successorUID)")
                throw DomainError.conflict("plan.duplicate_link", "\(from) is already linked to \(to); change or remove that link instead.",
                                           subjects: [from, to])
            }
            let parents = Dictionary(snapshot.activities.compactMap { a in a.parentUID.map { (a.uid, $0) } }, uniquingKeysWith: { a, _ in a })
            if PlanRules.isAncestor(input.predecessorUID, of: input.successorUID, parents: parents)
                || PlanRules.isAncestor(input.successorUID, of: input.predecessorUID, parents: parents) {
                throw DomainError.invalid("plan.link_within_summary", [FieldError(field: "predecessorUid", code: "summary_and_own_row",
                    message: "A summary cannot be linked to one of its own rows: \(names[input.predecessorUID] ?? "\(input.predecessorUID)") and \(names[input.successorUID] ?? "\(input.successorUID)").")])
            }
            if let cycle = PlanRules.cycle(adding: input.predecessorUID, input.successorUID, to: snapshot.dependencies) {
                throw cycleError(cycle, names: names)
            }
            let d = PlanDependency(predecessorUID: input.predecessorUID, successorUID: input.successorUID, kind: input.kind, lag: input.lag)
            // Links to and from summaries can still close a loop through their rows; the engine sees those.
            var trial = snapshot
            trial.dependencies.append(d)
            let result = CriticalPath.schedule(trial.schedulePlan())
            if let diag = result.diagnostics.first(where: { $0.code == .cycle }) {
                throw cycleError(diag.activities.map(\.rawValue), names: names, closing: false)
            }
            try await PlanRows.insert(d, projectID: context.projectID, on: db)
            try await auditActivity(context, caller: caller, uid: input.successorUID, at: at, action: "link",
                                    changes: [FieldChange(field: "predecessor", from: nil, to: PlanService.describe(d))], on: db)
            try await touchPlan(context, at: at, on: db)
            return d
        }
    }

    /// Removes a link.
    public func removeDependency(_ caller: Caller, key: String, id: UUID) async throws {
        let at = now()
        try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let (snapshot, _, _, _) = try await loadPlan(context, on: db)
            guard let d = snapshot.dependencies.first(where: { $0.id == id }) else {
                throw DomainError.notFound("plan.link_not_found", "There is no such link in \(key).")
            }
            try await db.sql().raw("DELETE FROM plan_dependencies WHERE id = \(bind: id)").run()
            try await auditActivity(context, caller: caller, uid: d.successorUID, at: at, action: "unlink",
                                    changes: [FieldChange(field: "predecessor", from: PlanService.describe(d), to: nil)], on: db)
            try await touchPlan(context, at: at, on: db)
        }
    }

    static func describe(_ d: PlanDependency) -> String {
        let lag: String = switch d.lag {
        case .working(let m): m == 0 ? "" : (m > 0 ? "+" : "") + "\(m)min"
        case .elapsed(let m): (m >= 0 ? "+" : "") + "\(m)emin"
        case .percent(let p): (p >= 0 ? "+" : "") + "\(p)%"
        }
        return "\(d.predecessorUID)\(d.kind.rawValue)\(lag)"
    }

    func cycleError(_ cycle: [Int], names: [Int: String], closing: Bool = true) -> DomainError {
        let path = cycle.map { "\(names[$0] ?? "?") (\($0))" }.joined(separator: " → ")
        return DomainError.invalid("plan.cycle", [FieldError(field: "predecessorUid", code: "cycle",
            message: "This link would make a loop: \(path). Remove one of these links first, or link other activities.", subjects: [path])])
    }

    func activityNotFound(_ key: String, _ uid: Int) -> DomainError {
        DomainError.notFound("plan.activity_not_found", "There is no activity \(uid) in the plan of \(key).", subjects: ["\(uid)"])
    }

    func checkParent(_ parentUID: Int?, for uid: Int, snapshot: PlanSnapshot, key: String) throws {
        guard let parentUID else { return }
        let parents = Dictionary(snapshot.activities.compactMap { a in a.parentUID.map { (a.uid, $0) } }, uniquingKeysWith: { a, _ in a })
        guard snapshot.activities.contains(where: { $0.uid == parentUID }) else {
            throw DomainError.invalid("plan.invalid", [FieldError(field: "parentUid", code: "not_found", message: "There is no activity \(parentUID) in \(key).")])
        }
        if parentUID == uid || PlanRules.isAncestor(uid, of: parentUID, parents: parents) {
            throw DomainError.invalid("plan.invalid", [FieldError(field: "parentUid", code: "own_descendant",
                message: "An activity cannot go under itself or one of its own rows.")])
        }
    }

    /// Field rules plus those that need the database: the owner is a member, the company and calendar exist, and a
    /// system written anew is settled (`settleSystem`).
    func checkActivity(_ a: inout PlanActivity, old: PlanActivity?, context: ProjectContext, snapshot: PlanSnapshot,
                       on db: any Database) async throws {
        var errors = PlanRules.validate(a)
        if a.system != old?.system ?? "", let problem = try await settleSystem(&a, context: context, on: db) { errors.append(problem) }
        if let owner = a.ownerID {
            let members = try await members(projectID: context.projectID, on: db)
            if !members.contains(where: { $0.user.id == owner.rawValue }) {
                errors.append(FieldError(field: "ownerId", code: "not_member", message: "The owner must be a member of \(context.project.key)."))
            }
        }
        if let company = a.companyID, try await CompanyRecord.find(company.rawValue, on: db) == nil {
            errors.append(FieldError(field: "companyId", code: "not_found", message: "There is no such company."))
        }
        if let cal = a.calendarUID, !snapshot.calendars.contains(where: { $0.uid == cal }) {
            errors.append(FieldError(field: "calendarUid", code: "not_found", message: "There is no calendar \(cal) in this plan."))
        }
        if let phase = a.phaseID, !snapshot.phases.contains(where: { $0.id == phase }) {
            errors.append(FieldError(field: "phaseId", code: "not_found", message: "There is no such phase in this plan."))
        }
        if !errors.isEmpty { throw DomainError.invalid("plan.invalid", errors) }
    }

    /// An activity's system as written becomes a reference (`S3`) when it names a system of the project the caller
    /// can see, by reference, code or name; other text stays as written (listed under Systems › Free text). A
    /// reference to a missing, hidden or other project's system is the problem returned.
    func settleSystem(_ a: inout PlanActivity, context: ProjectContext, on db: any Database) async throws -> FieldError? {
        let key = context.project.key
        let systems = SystemService.candidates(try await store.items.rows(context, ItemRowFilter(types: [.system]), on: db), kind: .system)
        switch FreeTextMatch.system(a.system, projectKey: key, candidates: systems) {
        case .none: a.system = ""
        case .system(let n): a.system = "S\(n)"
        case .text(let text): a.system = text
        case .missing(let n):
            return FieldError(field: "system", code: "not_found",
                              message: "\(key) has no system S\(n) that you can see: name one of its systems by reference, code or name.")
        case .otherProject(let text):
            return FieldError(field: "system", code: "invalid_reference", message: "\(text) is a system of another project: name one of \(key)'s.")
        }
        return nil
    }

    /// Makes each activity (by uid) name a registered system, audited as an edit; the plan's version moves once.
    /// Answers how many activities changed.
    func nameSystems(_ context: ProjectContext, caller: Caller, _ activities: [(uid: Int, system: Int)], at: Date,
                     on db: any Database) async throws -> Int {
        let (snapshot, _, _, _) = try await loadPlan(context, on: db)
        var changed = 0
        for (uid, system) in activities {
            guard let old = snapshot.activities.first(where: { $0.uid == uid }), old.systemNumber != system else { continue }
            var a = old
            a.system = "S\(system)"
            try await PlanRows.update(a, projectID: context.projectID, at: at, on: db)
            try await auditActivity(context, caller: caller, uid: uid, at: at, action: "update",
                                    changes: FieldChange.diff(PlanRows.snapshot(old), PlanRows.snapshot(a)), on: db)
            changed += 1
        }
        if changed > 0 { try await touchPlan(context, at: at, on: db) }
        return changed
    }

    func shiftSiblings(_ context: ProjectContext, parentUID: Int?, from position: Int, on db: any Database) async throws {
        let sql = try db.sql()
        if let parentUID {
            try await sql.raw("UPDATE plan_activities SET position = position + 1 WHERE project_id = \(bind: context.projectID) AND parent_uid = \(bind: parentUID) AND position >= \(bind: position)").run()
        } else {
            try await sql.raw("UPDATE plan_activities SET position = position + 1 WHERE project_id = \(bind: context.projectID) AND parent_uid IS NULL AND position >= \(bind: position)").run()
        }
    }

    func auditActivity(_ context: ProjectContext, caller: Caller, uid: Int, at: Date, action: String,
                       changes: [FieldChange], on db: any Database) async throws {
        let sql = try db.sql()
        guard let row = try await sql.raw("SELECT id, version FROM plan_activities WHERE project_id = \(bind: context.projectID) AND uid = \(bind: uid)").first() else { return }
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "plan_activity",
                                  entityID: try row.decode(column: "id", as: UUID.self), action: action,
                                  version: try row.decode(column: "version", as: Int.self), changes: changes)
    }
}
