import FluentKit
import Foundation
import PMOCore
import SQLKit

/// What a file is attached to: an issue or register item, a plan activity, a meeting (one occurrence of a series),
/// a status report or a vendor's estimate in the budget ledger. Each kind keeps its own rule of who sees and who adds files (`AttachmentTarget`).
public enum AttachmentOwner: Sendable, Hashable {
    case item(ItemType, Int)
    /// A plan activity, by its uid.
    case activity(Int)
    /// One meeting: the series and the occurrence's number.
    case meeting(UUID, Int)
    case report(UUID)
    /// A vendor's estimate (its file: the vendor's quotation), by the estimate's id. Commercial data: seen by those who
    /// see the project's commercial data and by the vendor that sent it, never by another vendor.
    case estimate(UUID)

    /// The kind of owner, as the API names it and the `owner_type` column stores it.
    public var kind: String { storedType }

    /// The `owner_type` column's value.
    var storedType: String {
        switch self {
        case .item: "item"
        case .activity: "activity"
        case .meeting: "meeting"
        case .report: "report"
        case .estimate: "estimate"
        }
    }
}

/// An owner as the caller stands to it: its row, how the trail and the answers name it, and whether the caller may
/// see and add files.
struct AttachmentTarget: Sendable {
    var owner: AttachmentOwner
    var id: UUID
    /// How answers and messages name it: CRM-I12, "CRM activity 12 Design", "Weekly PMO #3", "CRM report 2026-12-04".
    var reference: String
    var auditEntityType: String
    var version: Int
    var canSee: Bool
    var canEdit: Bool
    /// Why the caller may not add files (said when `canEdit` is false).
    var editRefusal: String
}

extension AttachmentService {
    /// The owner as the caller stands to it; the owner's own "not found" when it does not exist or is hidden from the
    /// caller (a hidden meeting series, a register item of another company, a report a vendor may not read).
    func target(_ context: ProjectContext, _ owner: AttachmentOwner, on db: any Database) async throws -> AttachmentTarget {
        let key = context.project.key
        let actor = context.actor
        switch owner {
        case .item(let type, let number):
            let item = try await store.items.linkedItem(context, type: type, number: number, on: db)
            let reference = item.reference(key)
            return AttachmentTarget(owner: owner, id: item.id, reference: reference, auditEntityType: type.auditEntityType, version: item.version,
                                    canSee: true, canEdit: context.allows(.editItem, item: item.facts),
                                    editRefusal: "Your role in \(key) may not add or delete files on \(reference); ask someone who may edit it.")
        case .activity(let uid):
            guard let row = try await db.readRows("""
                SELECT id, name, owner_id, company_id, version FROM plan_activities WHERE project_id = \(bind: context.projectID) AND uid = \(bind: uid)
                """, columns: ["id", "name", "owner_id", "company_id", "version"]).first else {
                throw DomainError.notFound("plan.activity_not_found", "There is no activity \(uid) in the plan of \(key).", subjects: ["\(uid)"])
            }
            let ownerID = try row.uuidOrNil(2).map(UserID.init)
            let companyID = try row.uuidOrNil(3).map(CompanyID.init)
            let reference = "\(key) #\(uid) \(try row.string(1))"
            return AttachmentTarget(owner: owner, id: try row.uuid(0), reference: reference, auditEntityType: "plan_activity", version: try row.int(4),
                                    canSee: PlanAccess.canSeeFiles(actor, ownerID: ownerID, companyID: companyID),
                                    canEdit: PlanAccess.canUpdateProgress(actor, ownerID: ownerID, companyID: companyID),
                                    editRefusal: "Files on \(reference) are added by the PMO, PMs, its owner and its company; ask one of them.")
        case .meeting(let seriesID, let number):
            let series = try await store.meetings.seriesRow(context, id: seriesID, on: db)
            guard let occurrence = try await store.meetings.occurrenceRow(seriesID: seriesID, number: number, on: db) else {
                throw DomainError.notFound("meeting.occurrence_not_found",
                                           "The meeting series '\(series.fields.name)' has no occurrence #\(number) yet; prepare it first.",
                                           subjects: [series.fields.name, "#\(number)"])
            }
            let reference = "\(series.fields.name) #\(number)"
            return AttachmentTarget(owner: owner, id: occurrence.id, reference: reference, auditEntityType: "meeting_occurrence",
                                    version: occurrence.version, canSee: true,
                                    canEdit: MeetingAccess.canRun(actor, chairID: series.fields.chairID),
                                    editRefusal: "Only the chair, the PMO and PMs add files to '\(reference)'.")
        case .report(let id):
            guard MeetingAccess.canReadReports(actor) else {
                throw DomainError.notFound("report.not_found", "\(key) has no status report \(id.uuidString.lowercased()) that you can see.")
            }
            let report = try await store.reports.reportRow(context, id: id, on: db)
            let reference = "\(key) report \(report.statusDate)"
            return AttachmentTarget(owner: owner, id: report.id, reference: reference, auditEntityType: "status_report", version: report.version,
                                    canSee: true, canEdit: MeetingAccess.canEditReports(actor),
                                    editRefusal: "Your role in \(key) may not add or delete files on status reports; ask the PMO.")
        case .estimate(let id):
            // Another vendor's estimate answers as one that does not exist, so that ids cannot be probed.
            let notFound = DomainError.notFound("estimate.not_found", "\(key) has no such estimate that you can see.", subjects: [key])
            guard let row = try await db.readRows("""
                SELECT e.id, e.vendor_id, e.version, l.number, c.name FROM ledger_estimates e JOIN budget_lines l ON l.id = e.line_id
                LEFT JOIN companies c ON c.id = e.vendor_id WHERE e.project_id = \(bind: context.projectID) AND e.id = \(bind: id)
                """, columns: ["id", "vendor_id", "version", "number", "name"]).first else { throw notFound }
            let commercial = try await store.ledger.seesCommercial(context, on: db)
            let vendorsOwn = try row.uuidOrNil(1).map { $0 == actor.companyID.rawValue } ?? false
            guard commercial || vendorsOwn else { throw notFound }
            let reference = "\(key)-L\(try row.int(3)) \(try row.stringOrNil(4) ?? "") v\(try row.int(2))"
            return AttachmentTarget(owner: owner, id: id, reference: reference, auditEntityType: "ledger_estimate", version: try row.int(2),
                                    canSee: true,
                                    canEdit: (commercial && context.allows(.editProject)) || (vendorsOwn && actor.role == .vendor),
                                    editRefusal: "Files on the estimate \(reference) are added by the PMO, PMs and the vendor that sent it.")
        }
    }

    /// The owner of a stored attachment (`owner_type`, `owner_id`), as the address that names it; nil when it no
    /// longer exists (its files wait for a purge).
    func storedOwner(_ context: ProjectContext, type: String, id: UUID, on db: any Database) async throws -> AttachmentOwner? {
        let pid = context.projectID
        switch type {
        case "item":
            guard let r = try await db.readRows("SELECT register, number FROM register_items WHERE id = \(bind: id) AND project_id = \(bind: pid)",
                                                columns: ["register", "number"]).first,
                  let itemType = ItemType(rawValue: try r.string(0)) else { return nil }
            return .item(itemType, try r.int(1))
        case "activity":
            return try await db.readRows("SELECT uid FROM plan_activities WHERE id = \(bind: id) AND project_id = \(bind: pid)", columns: ["uid"])
                .first.map { .activity(try $0.int(0)) }
        case "meeting":
            return try await db.readRows("""
                SELECT o.series_id, o.number FROM meeting_occurrences o JOIN meeting_series s ON s.id = o.series_id
                WHERE o.id = \(bind: id) AND s.project_id = \(bind: pid)
                """, columns: ["series_id", "number"]).first.map { .meeting(try $0.uuid(0), try $0.int(1)) }
        case "report":
            return try await db.readRows("SELECT id FROM status_reports WHERE id = \(bind: id) AND project_id = \(bind: pid)", columns: ["id"])
                .first.map { .report(try $0.uuid(0)) }
        case "estimate":
            return try await db.readRows("SELECT id FROM ledger_estimates WHERE id = \(bind: id) AND project_id = \(bind: pid)", columns: ["id"])
                .first.map { .estimate(try $0.uuid(0)) }
        default:
            return nil
        }
    }

    /// The condition, on `attachments a`, of a file whose owner no longer exists (for `purge`).
    static func ownerIsGone() -> SQLQueryString {
        """
        (a.owner_type = 'item' AND NOT EXISTS (SELECT 1 FROM register_items i WHERE i.id = a.owner_id))
        OR (a.owner_type = 'activity' AND NOT EXISTS (SELECT 1 FROM plan_activities x WHERE x.id = a.owner_id))
        OR (a.owner_type = 'meeting' AND NOT EXISTS (SELECT 1 FROM meeting_occurrences o WHERE o.id = a.owner_id))
        OR (a.owner_type = 'report' AND NOT EXISTS (SELECT 1 FROM status_reports r WHERE r.id = a.owner_id))
        OR (a.owner_type = 'estimate' AND NOT EXISTS (SELECT 1 FROM ledger_estimates e WHERE e.id = a.owner_id))
        """
    }
}
