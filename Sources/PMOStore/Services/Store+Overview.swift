import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Open, overdue and ageing counts of one register (issues included) for the project overview.
public struct RegisterCounts: Sendable, Equatable {
    public var type: ItemType
    public var open = 0
    public var overdue = 0
    /// Open and raised more than `RegisterRules.ageingAfterDays` days ago.
    public var ageing = 0
    public var total = 0
}

/// One open item on someone's "my work" list.
public struct WorkItem: Sendable {
    public var projectKey: String
    public var type: ItemType
    public var number: Int
    public var title: String
    public var status: String
    public var dueDate: CalendarDate?
    /// True when the item waits for this person's decision rather than their work.
    public var mustDecide: Bool
    public var reference: String { type.reference(projectKey: projectKey, number: number) }

    /// Past its due date while the due date still applies (see `RegisterKind.dueStatuses`; issues: unfinished).
    public func isOverdue(today: CalendarDate) -> Bool {
        if let kind = type.register { return RegisterRules.isOverdue(kind, status: status, dueDate: dueDate, today: today) }
        return IssueRules.isOverdue(status: IssueStatus(rawValue: status) ?? .open, dueDate: dueDate, today: today)
    }
}

extension ItemService {
    /// SQL true for items whose due date is still to be met (`RegisterKind.dueStatuses`; an issue until it is
    /// resolved or closed); built from constants only.
    static let dueCondition: SQLQueryString = {
        let issueDue = IssueStatus.allCases.filter { !$0.isFinished }.map(\.rawValue)
        let parts = [(ItemService.issueRegister, issueDue)] + RegisterKind.allCases.map { ($0.letter, $0.dueStatuses) }
        // A register with nothing to be due by (units, escalation routes) adds no condition: `IN ()` is not SQL.
        let conditions = parts.filter { !$0.1.isEmpty }.map { letter, statuses in
            "(register = '\(letter)' AND status IN (\(statuses.map { "'\($0)'" }.joined(separator: ", "))))"
        }
        return SQLQueryString(stringLiteral: conditions.joined(separator: " OR "))
    }()

    /// Each register's counts as the caller may see them, issues first.
    public func registerCounts(_ caller: Caller, key: String, today: CalendarDate) async throws -> [RegisterCounts] {
        let context = try await projectContext(caller, key: key)
        let ageingCutoff = now().addingTimeInterval(-Double(RegisterRules.ageingAfterDays) * 86_400)
        var result: [ItemType: RegisterCounts] = [:]
        let query: SQLQueryString = """
            SELECT register, COUNT(*) AS total, SUM(CASE WHEN is_open = \(bind: true) THEN 1 ELSE 0 END) AS open_n,
              SUM(CASE WHEN (\(ItemService.dueCondition)) AND due_date < \(bind: today.description) THEN 1 ELSE 0 END) AS overdue_n,
              SUM(CASE WHEN is_open = \(bind: true) AND created_at < \(bind: ageingCutoff) THEN 1 ELSE 0 END) AS ageing_n
            FROM register_items WHERE project_id = \(bind: context.projectID)\(vendorFilter(context)) GROUP BY register
            """
        for row in try await sql.raw(query).all() {
            guard let type = ItemType(rawValue: try row.decode(column: "register", as: String.self)) else { continue }
            let n = { (c: String) in ((try? row.decode(column: c, as: Int?.self)) ?? nil) ?? 0 }
            // A system in service for years is not ageing work.
            result[type] = RegisterCounts(type: type, open: n("open_n"), overdue: n("overdue_n"), ageing: type.isWork ? n("ageing_n") : 0,
                                          total: n("total"))
        }
        return ItemType.allCases.map { result[$0] ?? RegisterCounts(type: $0) }
    }

    /// Every open item the caller owns or must decide, across registers and projects, soonest due first
    /// (undated last), then by project and number.
    public func myWork(_ caller: Caller) async throws -> [WorkItem] {
        let me = caller.userID
        // Membership is joined so that items in projects the caller has left do not show.
        let rows = try await sql.raw("""
            SELECT p.key AS project_key, r.register, r.number, r.title, r.status, r.due_date, r.owner_id, r.decider_id
            FROM register_items r JOIN projects p ON p.id = r.project_id
            JOIN memberships m ON m.project_id = r.project_id AND m.user_id = \(bind: me)
            WHERE r.is_open = \(bind: true) AND (r.owner_id = \(bind: me) OR r.decider_id = \(bind: me))
            """).all()
        var items: [WorkItem] = []
        for row in rows {
            guard let type = ItemType(rawValue: try row.decode(column: "register", as: String.self)), type.isWork else { continue }
            let owner = try row.decode(column: "owner_id", as: UUID?.self)
            let decider = try row.decode(column: "decider_id", as: UUID?.self)
            items.append(WorkItem(projectKey: try row.decode(column: "project_key", as: String.self), type: type,
                                  number: try row.decode(column: "number", as: Int.self), title: try row.decode(column: "title", as: String.self),
                                  status: try row.decode(column: "status", as: String.self),
                                  dueDate: try row.decode(column: "due_date", as: String?.self).flatMap(CalendarDate.init(iso:)),
                                  mustDecide: decider == me && owner != me))
        }
        return items.sorted {
            (($0.dueDate?.dayNumber ?? Int.max), $0.projectKey, $0.type.rawValue, $0.number)
                < (($1.dueDate?.dayNumber ?? Int.max), $1.projectKey, $1.type.rawValue, $1.number)
        }
    }
}
