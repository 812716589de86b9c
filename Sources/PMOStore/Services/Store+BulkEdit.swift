import FluentKit
import Foundation
import PMOCore

/// One change made to many items of one register at once: the status, the owner and the due date, each left as it
/// is when nil (`.some(nil)` clears the owner or the due date).
public struct BulkChange: Sendable, Equatable {
    public var status: String?
    public var ownerID: UserID??
    public var dueDate: CalendarDate??
    public init(status: String? = nil, ownerID: UserID?? = nil, dueDate: CalendarDate?? = nil) {
        self.status = status
        self.ownerID = ownerID
        self.dueDate = dueDate
    }
    public var isEmpty: Bool { status == nil && ownerID == nil && dueDate == nil }
}

/// What a bulk edit did: the items it changed (an item already as asked is left alone, and not counted).
public struct BulkResult: Sendable, Equatable {
    public var changed: [String]
    public var unchanged: [String]
}

extension ItemService {
    /// The most items one bulk edit takes (a page of a list).
    public static let bulkMax = 200

    /// Applies `change` to each numbered item of the register through the item's own update step (permission per
    /// row, workflow, rules, audit per row), in one transaction: every row is changed, or, when any row refuses, none
    /// is, and the error names each refusal (field: the item's reference).
    public func bulkUpdate(_ caller: Caller, key: String, type: ItemType, numbers: [Int], change: BulkChange) async throws -> BulkResult {
        var e = FieldErrors()
        let unique = numbers.reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        if unique.isEmpty { e.add("numbers", "required", "Select at least one item.") }
        if unique.count > Self.bulkMax { e.add("numbers", "too_many", "Change at most \(Self.bulkMax) items at once.") }
        // Codes of their own: no document of a request's shape can say "one of these three" or a register's statuses.
        if change.isEmpty { e.add("change", "nothing_to_change", "Choose what to change: the status, the owner or the due date.") }
        let statuses = type.register?.statuses ?? IssueStatus.allCases.map(\.rawValue)
        if let status = change.status, !statuses.contains(status) {
            e.add("status", "unknown_status", "status must be one of: \(statuses.joined(separator: ", ")).")
        }
        try e.throwIfAny("bulk.invalid")
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            var refusals: [FieldError] = []
            var result = BulkResult(changed: [], unchanged: [])
            for number in unique {
                let reference = type.reference(projectKey: key, number: number)
                do {
                    let before: Int, after: Int
                    if type == .issue {
                        let r = try await visibleIssue(context, number: number, forUpdate: true, on: db)
                        guard context.allows(.editItem, item: r.facts) else {
                            throw DomainError.forbidden("issue.edit_forbidden", "Your role in \(key) may not change \(reference).")
                        }
                        var patch = IssuePatch()
                        patch.status = change.status.flatMap(IssueStatus.init(rawValue:))
                        patch.ownerID = change.ownerID
                        patch.dueDate = change.dueDate
                        before = r.version
                        after = try await saveIssueFields(context, caller: caller, record: r, fields: patch.applied(to: IssueFields(r)), at: at, on: db).version
                    } else {
                        let kind = type.register!
                        let r = try await visibleRegisterItem(context, kind: kind, number: number, forUpdate: true, on: db)
                        var patch = RegisterItemPatch()
                        patch.status = change.status
                        patch.ownerID = change.ownerID
                        patch.dueDate = change.dueDate
                        before = r.version
                        after = try await applyRegisterPatch(context, caller: caller, record: r, patch: patch, at: at, on: db).version
                    }
                    if after == before { result.unchanged.append(reference) } else { result.changed.append(reference) }
                } catch let refused as DomainError {
                    let detail = refused.fieldErrors.isEmpty ? refused.message : refused.fieldErrors.map(\.message).joined(separator: " ")
                    refusals.append(FieldError(field: reference, code: refused.fieldErrors.first?.code ?? refused.code, message: detail,
                                               subjects: [reference]))
                }
            }
            if !refusals.isEmpty {
                throw DomainError(.invalid, code: "bulk.refused",
                                  message: "No item was changed: \(refusals.count) of \(unique.count) refused. "
                                      + refusals.map { "\($0.field): \($0.message)" }.joined(separator: " "),
                                  fieldErrors: refusals, subjects: refusals.map(\.field))
            }
            return result
        }
    }
}
