import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A decider's standing on a decision named to them: they hold the right, or it belongs to someone else (named).
public enum DeciderRight: Sendable, Equatable {
    case holds
    case belongsTo(String)
}

extension ItemService {
    // MARK: One-step conversions

    /// A risk occurred: its status becomes `occurred` and an issue is raised from it, linked both ways (the risk
    /// causes the issue), all in one transaction.
    public func riskOccurred(_ caller: Caller, key: String, number: Int, expectedVersion: Int?) async throws -> (RegisterItemView, IssueView) {
        let at = now()
        let (risk, issue) = try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let r = try await visibleRegisterItem(context, kind: .risk, number: number, forUpdate: true, on: db)
            let reference = RegisterKind.risk.reference(projectKey: key, number: number)
            if let expectedVersion, expectedVersion != r.version { throw staleVersion(r.version) }
            if r.status == "occurred" {
                throw DomainError.conflict("risk.already_occurred", "\(reference) is already recorded as occurred; see its linked issue.",
                                             subjects: [reference])
            }
            var patch = RegisterItemPatch()
            patch.status = "occurred"
            let risk = try await applyRegisterPatch(context, caller: caller, record: r, patch: patch, at: at, allowOccurred: true, on: db)
            let f = risk.fields()
            let effect = f.details["effect"]?.text ?? ""
            let issueFields = IssueFields(
                title: String("\(reference): \(risk.title)".prefix(IssueRules.titleMax)),
                description: [f.description, effect].filter { !$0.isEmpty }.joined(separator: "\n\n"),
                cause: f.details["cause"]?.text ?? "", nextAction: f.details["responseActions"]?.text ?? "",
                ownerID: f.ownerID, dueDate: nil, priority: (risk.score ?? 0) >= RegisterRules.highRiskScore ? .critical : .high,
                visibility: f.visibility, companyID: f.companyID)
            let issue = try await insertIssue(context, caller: caller, fields: issueFields, at: at, on: db)
            let from = LinkedItem(type: .risk, id: try risk.requireID(), number: risk.number, title: risk.title, status: risk.status, version: risk.version, facts: risk.facts)
            let to = LinkedItem(type: .issue, id: try issue.requireID(), number: issue.number, title: issue.title, status: issue.status, version: issue.version, facts: issue.facts)
            _ = try await insertLink(context, caller: caller, from: from, to: to, kind: .causes, at: at, on: db)
            return (risk, issue)
        }
        return (try await registerViews([risk], projectKey: key, on: db)[0], try await views([issue], projectKey: key, on: db)[0])
    }

    /// An answered question that changes the specification becomes a change request in one step: the change is
    /// derived from the question, and the question is marked as changing the specification.
    public func questionToChange(_ caller: Caller, key: String, number: Int) async throws -> RegisterItemView {
        let at = now()
        let change = try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let q = try await visibleRegisterItem(context, kind: .question, number: number, forUpdate: true, on: db)
            let reference = RegisterKind.question.reference(projectKey: key, number: number)
            guard ["answered", "confirmed"].contains(q.status) else {
                throw DomainError.invalid("question.not_answered", [FieldError(field: "status", code: "not_answered",
                    message: "\(reference) is \(q.status); only an answered or confirmed question becomes a change request.")])
            }
            let existing = try await db.sql().raw("""
                SELECT COUNT(*) AS n FROM item_links WHERE to_id = \(bind: q.requireID()) AND from_type = 'C' AND kind = 'derived_from'
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            if existing > 0 {
                throw DomainError.conflict("question.already_converted", "\(reference) already has a change request derived from it.",
                                             subjects: [reference])
            }
            let qf = q.fields()
            let asker = try await names(table: "users", column: "display_name", ids: Set([qf.details["askedBy"]?.user?.rawValue].compactMap { $0 }), on: db)
            var details: [String: RegisterValue] = [
                "reason": .text("QA \(reference): \(q.title)\n\n\(qf.details["answer"]?.text ?? "")"),
            ]
            if let name = qf.details["askedBy"]?.user.flatMap({ asker[$0.rawValue] }) { details["requestedBy"] = .text(name) }
            if let related = qf.details["relatedTo"]?.text, !related.isEmpty { details["affectedRequirements"] = .text(related) }
            let fields = RegisterItemFields(title: q.title, description: qf.description, status: RegisterKind.change.initialStatus,
                                            ownerID: qf.ownerID, visibility: qf.visibility, companyID: qf.companyID, details: details)
            let change = try await insertRegisterItem(context, caller: caller, kind: .change, fields: fields,
                                                      origin: ItemReference(projectKey: key, type: .question, number: number), at: at, on: db)
            if qf.details["changesSpecification"]?.bool != true {
                var patch = RegisterItemPatch()
                patch.details["changesSpecification"] = .bool(true)
                _ = try await applyRegisterPatch(context, caller: caller, record: q, patch: patch, at: at, on: db)
            }
            return change
        }
        return try await registerViews([change], projectKey: key, on: db)[0]
    }

    // MARK: Decision rights

    /// Whether the caller is the decider named on decision `number` while it is open, and whether the decision-rights
    /// table gives them the right (a page offers them the form to record it, or says whose right it is).
    public func deciderRight(_ caller: Caller, key: String, number: Int) async throws -> DeciderRight? {
        let context = try await projectContext(caller, key: key)
        let r = try await visibleItem(context, register: RegisterKind.decision.letter, name: "decision", number: number, on: db)
        let fields = r.fields()
        guard fields.details["decider"]?.user == UserID(caller.userID), RegisterKind.decision.dueStatuses.contains(fields.status) else { return nil }
        return try await deciderRight(fields, context: context, caller: caller, on: db)
    }

    func deciderRight(_ fields: RegisterItemFields, context: ProjectContext, caller: Caller, on db: any Database) async throws -> DeciderRight {
        let rights = try await decisionRightsTable(context.projectID, on: db)
        let category = fields.details["category"]?.text
        if caller.isAdmin || DecisionRights.holds(rights, category: category, userID: UserID(caller.userID), role: context.role) { return .holds }
        return .belongsTo(DecisionRights.authority(for: category, in: rights))
    }

    /// Whether the caller is the approver named on change request `number` while it awaits approval, and whether the
    /// decision-rights table gives them the right to approve (a page offers them approve / reject, or says whose right
    /// it is).
    public func approverRight(_ caller: Caller, key: String, number: Int) async throws -> DeciderRight? {
        let context = try await projectContext(caller, key: key)
        let r = try await visibleItem(context, register: RegisterKind.change.letter, name: "change", number: number, on: db)
        let fields = r.fields()
        guard fields.details["approver"]?.user == UserID(caller.userID),
              RegisterKind.change.nextStatuses(from: fields.status).contains("approved") else { return nil }
        let rights = try await decisionRightsTable(context.projectID, on: db)
        let category = DecisionRights.specificationChange
        if caller.isAdmin || DecisionRights.holds(rights, category: category, userID: UserID(caller.userID), role: context.role) { return .holds }
        return .belongsTo(DecisionRights.authority(for: category, in: rights))
    }

    /// The member of the project whose display name or e-mail is `text` (case and surrounding spaces ignored), when
    /// exactly one is.
    func memberNamed(_ text: String, projectID: UUID, on db: any Database) async throws -> UUID? {
        let wanted = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !wanted.isEmpty else { return nil }
        let ids = try await db.readRows("""
            SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id
            WHERE m.project_id = \(bind: projectID) AND (LOWER(TRIM(u.display_name)) = \(bind: wanted) OR LOWER(u.email) = \(bind: wanted))
            """, columns: ["id"]).map { try $0.uuid(0) }
        return ids.count == 1 ? ids[0] : nil
    }

    func decisionRightsTable(_ projectID: UUID, on db: any Database) async throws -> [DecisionRight] {
        try await db.readRows("""
            SELECT category, authority, roles, user_ids FROM decision_rights WHERE project_id = \(bind: projectID) ORDER BY position
            """, columns: ["category", "authority", "roles", "user_ids"]).map { r in
            DecisionRight(category: try r.string(0), authority: try r.string(1),
                          roles: try r.string(2).split(separator: ",").compactMap { ProjectRole(rawValue: String($0)) },
                          userIDs: try r.string(3).split(separator: ",").compactMap { UserID(string: String($0)) })
        }
    }

    /// The project's decision-rights table, in order.
    public func decisionRights(_ caller: Caller, key: String) async throws -> [DecisionRight] {
        let context = try await projectContext(caller, key: key)
        return try await decisionRightsTable(context.projectID, on: db)
    }

    /// Replaces the decision-rights table (PMO, PM or admin only). Everyone named must be a member.
    public func setDecisionRights(_ caller: Caller, key: String, rights: [DecisionRight]) async throws -> [DecisionRight] {
        let tableErrors = DecisionRights.validate(rights)
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard context.allows(.editProject) else {
                throw DomainError.forbidden("decision_rights.forbidden", "Only the project's admin, PMO or PM may change who decides what.")
            }
            var errors = tableErrors
            for (i, row) in rights.enumerated() {
                for user in row.userIDs {
                    if let p = try await memberProblem(user, field: "rights[\(i)].users", visibility: .project, context: context, on: db) {
                        errors.append(p)
                    }
                }
            }
            if !errors.isEmpty { throw DomainError.invalid("decision_rights.invalid", errors) }
            let before = try await decisionRightsTable(context.projectID, on: db)
            let sql = try db.sql()
            try await sql.raw("DELETE FROM decision_rights WHERE project_id = \(bind: context.projectID)").run()
            for (i, row) in rights.enumerated() {
                // Roles and people are stored comma-separated, in the order given.
                try await sql.raw("""
                    INSERT INTO decision_rights (id, project_id, position, category, authority, roles, user_ids)
                    VALUES (\(bind: UUID()), \(bind: context.projectID), \(bind: i), \(bind: row.category), \(bind: row.authority),
                      \(bind: row.roles.map(\.rawValue).joined(separator: ",")), \(bind: row.userIDs.map(\.description).joined(separator: ",")))
                    """).run()
            }
            let text = { (t: [DecisionRight]) in t.map { "\($0.category) → \($0.authority)" }.joined(separator: "; ") }
            if text(before) != text(rights) || before != rights {
                try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "project",
                                          entityID: context.projectID, action: "decision_rights", version: context.project.version,
                                          changes: [FieldChange(field: "decisionRights", from: text(before), to: text(rights))])
            }
            return rights
        }
    }
}
