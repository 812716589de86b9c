import FluentKit
import Foundation
import PMOCore
import NIOConcurrencyHelpers
import SQLKit

/// An issue as read: its record plus the names needed to show it.
public struct IssueView: Sendable {
    /// The issue's row of `register_items` (register `I`).
    public var record: RegisterItemRecord
    public var projectKey: String
    public var ownerName: String?
    public var companyName: String?
    public var visibilityCompanyName: String?
    public var createdByName: String?

    public init(record: RegisterItemRecord, projectKey: String, ownerName: String? = nil, companyName: String? = nil,
                visibilityCompanyName: String? = nil, createdByName: String? = nil) {
        self.record = record
        self.projectKey = projectKey
        self.ownerName = ownerName
        self.companyName = companyName
        self.visibilityCompanyName = visibilityCompanyName
        self.createdByName = createdByName
    }

    public var reference: String { IssueRules.reference(projectKey: projectKey, number: record.number) }
    public var status: IssueStatus { IssueStatus(rawValue: record.status) ?? .open }
    public var priority: IssuePriority { IssuePriority(rank: record.score ?? IssuePriority.medium.rank) ?? .medium }
    public var dueDate: CalendarDate? { record.dueDate.flatMap(CalendarDate.init(iso:)) }
    public var visibility: Visibility {
        Visibility(scope: VisibilityScope(rawValue: record.visibility) ?? .project, companyID: record.visibilityCompanyID.map(CompanyID.init))
    }
    public var fields: IssueFields { IssueFields(record) }

    /// `IssueRules.isOverdue`, comparing the stored ISO text (which sorts as the dates do) instead of parsing a date
    /// for every row of a list.
    public func isOverdue(today: CalendarDate) -> Bool {
        guard let due = record.dueDate, !status.isFinished else { return false }
        return due < today.description
    }
    /// Same rule as `IssueRules.isStale`, as one comparison of instants: changed before the start of the day 13 days
    /// before `today` means unchanged for 14 days or more. The cut-off is computed once per (day, zone), since
    /// asking a time zone for its offset is slow and a list asks for every row.
    public func isStale(today: CalendarDate, timeZone: TimeZone) -> Bool {
        !status.isFinished && record.updatedAt < StaleCutoff.instant(today: today, timeZone: timeZone)
    }
}

/// A change to an issue as a JSON merge patch or a form gives it: nil leaves a field alone,
/// `.some(nil)` clears it.
public struct IssuePatch: Sendable {
    public var title: String?
    public var description: String?
    public var cause: String?
    public var nextAction: String?
    public var ownerID: UserID??
    public var dueDate: CalendarDate??
    public var priority: IssuePriority?
    public var status: IssueStatus?
    public var escalationLevel: Int?
    public var visibility: Visibility?
    public var companyID: CompanyID??
    /// The systems named (an empty list names none).
    public var systems: [ItemReference]?
    public init() {}

    public func applied(to f: IssueFields) -> IssueFields {
        var f = f
        if let title { f.title = title }
        if let description { f.description = description }
        if let cause { f.cause = cause }
        if let nextAction { f.nextAction = nextAction }
        if let ownerID { f.ownerID = ownerID }
        if let dueDate { f.dueDate = dueDate }
        if let priority { f.priority = priority }
        if let status { f.status = status }
        if let escalationLevel { f.escalationLevel = escalationLevel }
        if let visibility { f.visibility = visibility }
        if let companyID { f.companyID = companyID }
        if let systems { f.systems = systems }
        return f
    }
}

/// Filters, sort and page of an issue list.
public struct IssueQuery: Sendable, Equatable {
    public enum Sort: String, CaseIterable, Sendable {
        case number, numberDesc = "-number", due, dueDesc = "-due", priority, priorityDesc = "-priority",
             updated, updatedDesc = "-updated"
    }
    public var statuses: [IssueStatus] = []
    /// Only issues not yet resolved or closed (the registers' `open` filter).
    public var openOnly = false
    public var ownerID: UUID?
    /// Only issues without an owner.
    public var unowned = false
    public var overdueAsOf: CalendarDate?
    public var priorities: [IssuePriority] = []
    public var companyID: UUID?
    /// Only issues about this system (a reference with another project's key selects none).
    public var system: ItemReference?
    public var text: String?
    public var sort: Sort = .number
    public var limit = 50
    public var cursor: String?
    public init() {}

    public static let maxLimit = 200
}

/// One page of a list and the cursor of the next page (nil on the last page).
public struct IssuePage: Sendable {
    public var items: [IssueView]
    public var nextCursor: String?
}


extension ItemService {
    static let issueRegister = "I"

    // MARK: Reading

    /// One issue by number, or `issue.not_found` when it does not exist or the caller may not see it.
    /// The issue and the names it shows come in one query (this is the API's most frequent read).
    public func issue(_ caller: Caller, key: String, number: Int) async throws -> IssueView {
        let context = try await projectContext(caller, key: key)
        let names = ["owner_name", "created_by_name", "company_name", "visibility_company_name"]
        let row = try await db.readRows("""
            SELECT \(unsafeRaw: RowReader.select(RegisterItemRecord.columns, alias: "i")), o.display_name AS owner_name,
              cb.display_name AS created_by_name, c.name AS company_name, vc.name AS visibility_company_name
            FROM register_items i
            LEFT JOIN users o ON o.id = i.owner_id LEFT JOIN users cb ON cb.id = i.created_by_id
            LEFT JOIN companies c ON c.id = i.company_id LEFT JOIN companies vc ON vc.id = i.visibility_company_id
            WHERE i.project_id = \(bind: context.projectID) AND i.register = 'I' AND i.number = \(bind: number)
            """, columns: RegisterItemRecord.columns + names).first
        guard let row, case let record = try RegisterItemRecord(row), context.allows(.readItem, item: record.facts) else {
            let reference = ItemType.issue.reference(projectKey: key, number: number)
            throw DomainError.notFound("issue.not_found", "There is no issue \(reference) that you can see.", subjects: [reference])
        }
        let n = RegisterItemRecord.columns.count
        return IssueView(record: record, projectKey: key, ownerName: try row.stringOrNil(n), companyName: try row.stringOrNil(n + 2),
                         visibilityCompanyName: try row.stringOrNil(n + 3), createdByName: try row.stringOrNil(n + 1))
    }

    /// The issue numbered `number` if the caller may see it (`visibleItem`, the read every register shares).
    func visibleIssue(_ context: ProjectContext, number: Int, forUpdate: Bool = false, on db: any Database) async throws -> RegisterItemRecord {
        try await visibleItem(context, register: ItemService.issueRegister, name: "issue", number: number, forUpdate: forUpdate, on: db)
    }

    /// Adds names to records with one query for all of them, never one per row.
    func views(_ records: [RegisterItemRecord], projectKey: String, on db: any Database) async throws -> [IssueView] {
        let userIDs = Set(records.flatMap { [$0.ownerID, $0.createdByID].compactMap { $0 } })
        let companyIDs = Set(records.flatMap { [$0.companyID, $0.visibilityCompanyID].compactMap { $0 } })
        let (userName, companyName) = try await names(users: userIDs, companies: companyIDs, on: db)
        return records.map { r in
            IssueView(record: r, projectKey: projectKey, ownerName: r.ownerID.flatMap { userName[$0] },
                      companyName: r.companyID.flatMap { companyName[$0] },
                      visibilityCompanyName: r.visibilityCompanyID.flatMap { companyName[$0] },
                      createdByName: userName[r.createdByID])
        }
    }

    /// A page of the project's issues the caller may see, filtered and sorted (`itemPage`, every register's list).
    public func issues(_ caller: Caller, key: String, query: IssueQuery) async throws -> IssuePage {
        let context = try await projectContext(caller, key: key)
        let filter = Self.issueFilter(query, projectKey: key)
        let page = try await itemPage(context, register: ItemService.issueRegister, filter: filter, sort: query.sort.listSort,
                                      cursor: query.cursor, limit: query.limit, maxLimit: IssueQuery.maxLimit)
        return IssuePage(items: try await views(page.records, projectKey: key, on: db), nextCursor: page.next)
    }

    /// How many issues `query` selects for the caller, on every page together (the list's result count).
    public func issueCount(_ caller: Caller, key: String, query: IssueQuery) async throws -> Int {
        try await itemCount(try await projectContext(caller, key: key), register: ItemService.issueRegister, filter: Self.issueFilter(query, projectKey: key))
    }

    static func issueFilter(_ query: IssueQuery, projectKey: String) -> ItemListFilter {
        var filter = ItemListFilter(statuses: query.statuses.map(\.rawValue), openOnly: query.openOnly, scores: query.priorities.map(\.rank),
                                    ownerID: query.ownerID, unowned: query.unowned, companyID: query.companyID,
                                    overdueAsOf: query.overdueAsOf, dueStatuses: nil, text: query.text)
        if let system = query.system {
            filter.naming = system.projectKey == nil || system.projectKey == projectKey
                ? ItemReference(projectKey: nil, type: .system, number: system.number) : .nowhere
        }
        return filter
    }

    // MARK: Writing

    /// Creates an issue with the next number of the project's issue register.
    public func createIssue(_ caller: Caller, key: String, fields: IssueFields) async throws -> IssueView {
        let at = now()
        let record = try await write { db in
            try await insertIssue(try await projectContext(caller, key: key, on: db), caller: caller, fields: fields, at: at, on: db)
        }
        return try await views([record], projectKey: key, on: db)[0]
    }

    /// The create step inside a transaction, shared with "risk occurred".
    func insertIssue(_ context: ProjectContext, caller: Caller, fields: IssueFields, at: Date, on db: any Database) async throws -> RegisterItemRecord {
        guard context.allows(.createItem) else {
            throw DomainError.forbidden("issue.create_forbidden", "Your role in \(context.project.key) may not create issues.")
        }
        try await checkIssueFields(fields, context: context, on: db)
        let r = RegisterItemRecord(register: ItemService.issueRegister)
        fields.apply(to: r)
        try await storeNewItem(r, name: "issue", context: context, caller: caller, at: at, on: db)
        return r
    }

    /// Applies a patch if the issue is still at `expectedVersion`; a stale version changes nothing (409).
    public func updateIssue(_ caller: Caller, key: String, number: Int, expectedVersion: Int?, patch: IssuePatch) async throws -> IssueView {
        let at = now()
        let record = try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let r = try await visibleIssue(context, number: number, forUpdate: true, on: db)
            guard context.allows(.editItem, item: r.facts) else {
                throw DomainError.forbidden("issue.edit_forbidden", "Your role in \(key) may not change \(ItemType.issue.reference(projectKey: key, number: number)).")
            }
            if let expectedVersion, expectedVersion != r.version { throw staleVersion(r.version) }
            return try await saveIssueFields(context, caller: caller, record: r, fields: patch.applied(to: IssueFields(r)), at: at, on: db)
        }
        return try await views([record], projectKey: key, on: db)[0]
    }

    /// The update step inside a transaction, shared with the import: checks what changes, saves it with the next
    /// version and writes the audit event; a change to nothing saves nothing.
    func saveIssueFields(_ context: ProjectContext, caller: Caller, record r: RegisterItemRecord, fields: IssueFields, at: Date,
                         on db: any Database) async throws -> RegisterItemRecord {
        try await checkIssueFields(fields, context: context, unchangedFrom: IssueFields(r), on: db)
        let before = r.auditSnapshot
        fields.apply(to: r)
        try await storeItemChange(r, before: before, name: "issue", context: context, caller: caller, at: at, on: db)
        return r
    }

    /// Deletes an issue if still at `expectedVersion` (the delete step every register shares). Its audit trail stays.
    public func deleteIssue(_ caller: Caller, key: String, number: Int, expectedVersion: Int?) async throws {
        try await deleteItem(caller, key: key, register: ItemService.issueRegister, name: "issue", plural: "issues",
                             number: number, expectedVersion: expectedVersion)
    }

    /// Rules that need the database: the owner is a member who can see the issue, the companies exist,
    /// and the actor may give the issue this visibility. On an update (`unchangedFrom`: the fields before), only
    /// what changes is checked again: a next action can be written after the owner has left the project.
    func checkIssueFields(_ fields: IssueFields, context: ProjectContext, unchangedFrom old: IssueFields? = nil,
                          on db: any Database) async throws {
        var errors = IssueRules.validate(fields)
        let visibilityChanged = old?.visibility != fields.visibility
        if visibilityChanged && !AccessPolicy.mayAssign(context.actor, fields.visibility) {
            errors.append(FieldError(field: "visibility", code: "not_allowed",
                                     message: "A vendor member may share an issue with the whole project or keep it to its own company only."))
        }
        for (name, id, before) in [("visibilityCompanyId", fields.visibility.companyID, old?.visibility.companyID),
                                   ("companyId", fields.companyID, old.flatMap { $0.companyID })] where id != before || old == nil {
            if let id, try await CompanyRecord.find(id.rawValue, on: db) == nil {
                errors.append(FieldError(field: name, code: "not_found", message: "No company has the id \(id)."))
            }
        }
        // A system named must be this project's and one the caller can see (a hidden one reads as missing).
        if fields.systems != old?.systems ?? [] {
            for ref in fields.systems where ref.type == .system {
                if let key = ref.projectKey, key != context.project.key {
                    errors.append(FieldError(field: "systems", code: "invalid_reference",
                                             message: "\(ref) is a system of another project: name systems of \(context.project.key), like S3."))
                    continue
                }
                do {
                    _ = try await visibleItem(context, register: ItemType.system.rawValue, name: "system", number: ref.number, on: db)
                } catch let e as DomainError where e.kind == .notFound {
                    errors.append(FieldError(field: "systems", code: "not_found",
                                             message: "\(context.project.key) has no system S\(ref.number) that you can see: name one from its list of systems."))
                }
            }
        }
        if let owner = fields.ownerID, old == nil || owner != old?.ownerID || visibilityChanged {
            let membership = try await MembershipRecord.find(projectID: context.projectID, userID: owner.rawValue, on: db)
            if let membership, let user = try await UserRecord.find(owner.rawValue, on: db) {
                let ownerActor = AccessPolicy.Actor(userID: owner, companyID: CompanyID(user.companyID), isSystemAdmin: false,
                                                    role: ProjectRole(rawValue: membership.role))
                if !AccessPolicy.canSee(ownerActor, fields.visibility) {
                    errors.append(FieldError(field: "owner", code: "owner_cannot_see",
                                             message: "\(user.displayName) could not see this issue with its visibility; choose another owner or visibility."))
                }
            } else {
                throw DomainError(.invalid, code: "issue.owner_not_member",
                                  message: "The owner must be a member of \(context.project.key).",
                                  fieldErrors: [FieldError(field: "owner", code: "not_member",
                                                           message: "The owner must be a member of \(context.project.key); add them to the project first.")] + errors)
            }
        }
        if !errors.isEmpty { throw DomainError.invalid("issue.invalid", errors) }
    }

    /// The next number of a project's register; the counter row serialises concurrent creators.
    func nextNumber(projectID: UUID, register: String, on db: any Database) async throws -> Int {
        let sql = try db.sql()
        try await sql.raw("""
            INSERT INTO register_counters (id, project_id, register, last_number)
            VALUES (\(bind: UUID()), \(bind: projectID), \(bind: register), 0) ON CONFLICT (project_id, register) DO NOTHING
            """).run()
        try await sql.raw("""
            UPDATE register_counters SET last_number = last_number + 1
            WHERE project_id = \(bind: projectID) AND register = \(bind: register)
            """).run()
        guard let row = try await sql.raw("""
            SELECT last_number FROM register_counters WHERE project_id = \(bind: projectID) AND register = \(bind: register)
            """).first() else { throw DomainError.conflict("register.counter", "Could not number the item; try again.") }
        return try row.decode(column: "last_number", as: Int.self)
    }
}

extension IssueQuery.Sort {
    /// The sort as SQL: by number, due date, priority (its rank, the score column) or last change.
    var listSort: ItemListSort {
        switch self {
        case .number, .numberDesc: ItemListSort(name: rawValue, key: .number)
        case .due, .dueDesc: ItemListSort(name: rawValue, key: .due)
        case .priority, .priorityDesc: ItemListSort(name: rawValue, key: .score)
        case .updated, .updatedDesc: ItemListSort(name: rawValue, key: .updated)
        }
    }
}

/// Counts for a project's home page.
public struct IssueSummary: Sendable {
    public var byStatus: [IssueStatus: Int] = [:]
    public var overdue = 0
    public var unowned = 0
    public var stale = 0
}

extension ItemService {
    /// Counts of the issues the caller can see: by status, overdue, unowned and stale (unfinished ones only).
    public func issueSummary(_ caller: Caller, key: String, today: CalendarDate) async throws -> IssueSummary {
        let context = try await projectContext(caller, key: key)
        let visible: SQLQueryString = "project_id = \(bind: context.projectID) AND register = 'I'\(vendorFilter(context))"
        var summary = IssueSummary()
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM register_items WHERE \(visible) GROUP BY status").all() {
            if let status = IssueStatus(rawValue: try row.decode(column: "status", as: String.self)) {
                summary.byStatus[status] = try row.decode(column: "n", as: Int.self)
            }
        }
        let threshold = now().addingTimeInterval(-Double(IssueRules.staleAfterDays) * 86_400)
        let unfinished: SQLQueryString = " AND is_open = \(bind: true)"
        let row = try await sql.raw("""
            SELECT
              SUM(CASE WHEN due_date < \(bind: today.description) THEN 1 ELSE 0 END) AS overdue,
              SUM(CASE WHEN owner_id IS NULL THEN 1 ELSE 0 END) AS unowned,
              SUM(CASE WHEN updated_at < \(bind: threshold) THEN 1 ELSE 0 END) AS stale
            FROM register_items WHERE \(visible)\(unfinished)
            """).first()
        summary.overdue = (try? row?.decode(column: "overdue", as: Int?.self)) ?? 0 ?? 0
        summary.unowned = (try? row?.decode(column: "unowned", as: Int?.self)) ?? 0 ?? 0
        summary.stale = (try? row?.decode(column: "stale", as: Int?.self)) ?? 0 ?? 0
        return summary
    }
}

/// The instant before which an unfinished issue counts as stale, cached per day and zone.
enum StaleCutoff {
    private static let cache = NIOLockedValueBox<[String: Date]>([:])

    static func instant(today: CalendarDate, timeZone: TimeZone) -> Date {
        let key = "\(today.dayNumber) \(timeZone.identifier)"
        if let cached = cache.withLockedValue({ $0[key] }) { return cached }
        let day = today.adding(days: -(IssueRules.staleAfterDays - 1))
        let midnightUTC = Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400)
        let cutoff = midnightUTC.addingTimeInterval(-Double(timeZone.secondsFromGMT(for: midnightUTC)))
        cache.withLockedValue { entries in
            if entries.count > 1_000 { entries.removeAll() }
            entries[key] = cutoff
        }
        return cutoff
    }
}
