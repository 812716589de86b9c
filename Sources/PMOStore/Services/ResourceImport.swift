import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// How a resource of an imported Microsoft Project file was matched.
public struct ResourceMatch: Sendable, Equatable {
    public enum How: String, Sendable { case email, name, placeholder }
    /// The resource's name in the file.
    public var fileName: String
    /// The product's resource it became.
    public var resourceName: String
    public var how: How
    /// Its assignments imported.
    public var assignments: Int
    /// Absences added from the leave in its calendar in the file (days its own calendar takes off that the base
    /// calendar works); leave already recorded is not added twice.
    public var absences: Int = 0
}

extension ResourceService {
    /// Inside an import: each work resource of `plan` that has assignments is matched to a resource of the product (by
    /// e-mail to a person or an account, else by exact name, among those of the project's companies and equipment),
    /// else becomes a placeholder named after it (in the importer's company when it works in the project); then the
    /// assignments are stored on the imported activities (`uids`: the file's task → the plan's uid). Material and cost
    /// resources are not levelled and are left out.
    func importAssignments(_ plan: SchedulePlan, uids: [Activity.ID: Int], context: ProjectContext, caller: Caller, at: Date,
                           on db: any Database) async throws -> [ResourceMatch] {
        guard try await store.hasMigrated("M025CreateResources", on: db), !plan.assignments.isEmpty else { return [] }
        let parents = Set(plan.activities.compactMap(\.parent))
        let leaves = Set(plan.activities.filter { !parents.contains($0.id) && $0.kind != .summary }.map(\.id))
        let byResource = Dictionary(grouping: plan.assignments.filter { leaves.contains($0.activity) && uids[$0.activity] != nil }, by: \.resource)
        let companies = try await projectCompanies(context.projectID, on: db)
        var known = try await all(visibleTo: nil, on: db).filter { $0.companyID.map(companies.contains) ?? true }
        let sql = try db.sql()
        var out: [ResourceMatch] = []
        for r in plan.resources where r.kind == .work {
            guard let assignments = byResource[r.id], !assignments.isEmpty else { continue }
            let email = r.email.trimmingCharacters(in: .whitespaces).lowercased()
            let name = r.name.trimmingCharacters(in: .whitespacesAndNewlines)
            var match: (ResourceView, ResourceMatch.How)?
            if !email.isEmpty {
                if let found = known.first(where: { $0.email.lowercased() == email }) {
                    match = (found, .email)
                } else if let user = try await sql.raw("""
                    SELECT id, display_name, company_id FROM users WHERE LOWER(email) = \(bind: email)
                    """).first() {
                    let userID = try user.decode(column: "id", as: UUID.self)
                    let company = try user.decode(column: "company_id", as: UUID.self)
                    if let existing = try await all(visibleTo: nil, on: db).first(where: { $0.userID == userID }) {
                        if existing.companyID.map(companies.contains) ?? true { match = (existing, .email) }
                    } else if companies.contains(company) {
                        let id = try await insert(ResourceFields(kind: .person, name: try user.decode(column: "display_name", as: String.self),
                                                                 userID: userID, email: email, companyID: company), at: at, on: db)
                        let view = try await visible(caller, id: id, on: db)
                        known.append(view)
                        match = (view, .email)
                    }
                }
            }
            if match == nil, !name.isEmpty, let found = known.first(where: { $0.name == name }) {
                match = (found, .name)
            }
            if match == nil {
                let company = companies.contains(caller.companyID) ? caller.companyID : companies.sorted { $0.uuidString < $1.uuidString }.first
                let fields = ResourceFields(
                    kind: .placeholder, name: String((name.isEmpty ? "Resource \(r.id.rawValue)" : name).prefix(ResourceRules.nameMax)),
                    email: String(email.prefix(ResourceRules.nameMax)), companyID: company ?? caller.companyID,
                    role: String(name.prefix(ResourceRules.nameMax)),
                    capacityPercent: min(ResourceRules.maxPercent, max(0, Int((r.maxUnits * 100).rounded()))),
                    notes: "Microsoft Project")
                let id = try await insert(fields, at: at, on: db)
                let view = try await visible(caller, id: id, on: db)
                known.append(view)
                match = (view, .placeholder)
            }
            guard let (resource, how) = match else { continue }
            var units: [Int: Int] = [:]
            var work: [Int: Int] = [:]
            for a in assignments {
                guard let uid = uids[a.activity] else { continue }
                let percent = Int((a.units * 100).rounded())
                guard percent > 0 else { continue }
                units[uid, default: 0] += percent
                work[uid, default: 0] += max(0, a.workMinutes)
            }
            for (uid, percent) in units.sorted(by: { $0.key < $1.key }) {
                try await sql.raw("""
                    INSERT INTO plan_assignments (id, project_id, activity_uid, resource_id, units_percent, work_minutes)
                    VALUES (\(bind: UUID()), \(bind: context.projectID), \(bind: uid), \(bind: resource.id),
                      \(bind: min(percent, ResourceRules.maxPercent)), \(bind: work[uid] ?? 0))
                    ON CONFLICT (project_id, activity_uid, resource_id) DO NOTHING
                    """).run()
            }
            let absences = try await importLeave(of: r, in: plan, to: resource, caller: caller, at: at, on: db)
            out.append(ResourceMatch(fileName: r.name, resourceName: resource.name, how: how, assignments: units.count, absences: absences))
        }
        return out
    }

    /// Inside an import: the leave in `fileResource`'s own calendar (see `CalendarAbsences`) from the plan's start
    /// through five years on, added to `resource`'s absences unless the same days are recorded already. Returns how
    /// many were added.
    func importLeave(of fileResource: Resource, in plan: SchedulePlan, to resource: ResourceView, caller: Caller, at: Date,
                     on db: any Database) async throws -> Int {
        guard let own = plan.calendars.first(where: { $0.id == fileResource.calendarID }), let baseID = own.baseID,
              let base = plan.calendars.first(where: { $0.id == baseID }) else { return 0 }
        let from = plan.start.date
        let leave = CalendarAbsences.absences(of: own, base: base, from: from, through: from.adding(days: 5 * 366))
        guard !leave.isEmpty else { return 0 }
        let sql = try db.sql()
        var added = 0
        for absence in leave {
            let exists = try await sql.raw("""
                SELECT id FROM resource_absences WHERE resource_id = \(bind: resource.id)
                  AND start_date = \(bind: absence.start.description) AND end_date = \(bind: absence.end.description)
                """).first() != nil
            guard !exists else { continue }
            try await sql.raw("""
                INSERT INTO resource_absences (id, resource_id, start_date, end_date, note, created_by_id, created_at)
                VALUES (\(bind: absence.id), \(bind: resource.id), \(bind: absence.start.description), \(bind: absence.end.description),
                  \(bind: String(("Microsoft Project: " + absence.note).prefix(ResourceRules.textMax))), \(bind: caller.userID), \(bind: at))
                """).run()
            added += 1
        }
        if added > 0 {
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "resource", entityID: resource.id,
                                      action: "absence", version: resource.version,
                                      changes: [FieldChange(field: "absence", from: nil, to: "Microsoft Project: \(added)")])
            try await touchPlans(assigning: [resource.id], at: at, on: db)
        }
        return added
    }
}
