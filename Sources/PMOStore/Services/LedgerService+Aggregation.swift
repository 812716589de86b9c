import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A request for estimate (見積依頼) with the estimates that answered it and its aggregation (見積集約): the options
/// put to the business owner, and the decision the chosen one became.
public struct EstimateRequestView: Sendable, Equatable {
    public var id: UUID
    public var number: Int
    public var lineNumber: Int
    public var lineName: String
    public var title: String
    public var scope: String
    public var systemNumbers: [Int]
    public var dueDate: CalendarDate?
    /// The vendors asked, by id with their names (a vendor's staff: their own company only).
    public var vendors: [(id: UUID, name: String)]
    /// The estimates answering it (a vendor's staff: their own).
    public var estimates: [EstimateView]
    /// Empty for a reader without the commercial right.
    public var options: [AggregationOption]
    /// Index in `options` of the option chosen.
    public var chosenOption: Int?
    /// The decision the chosen option became (its number in the project).
    public var decisionNumber: Int?
    /// The line's budget, and what is left of it without the orders placed from this request's estimates (the room the
    /// options had); nil without the commercial right.
    public var budget: Money?
    public var remaining: Money?
    public var version: Int

    public static func == (a: Self, b: Self) -> Bool {
        a.id == b.id && a.version == b.version && a.options == b.options && a.estimates == b.estimates && a.decisionNumber == b.decisionNumber
    }
}

/// A request for estimate as written.
public struct EstimateRequestFields: Sendable, Equatable {
    public var lineNumber: Int
    public var title: String
    public var scope: String
    public var systemNumbers: [Int]
    public var dueDate: CalendarDate?
    public var vendorIDs: [UUID]

    public init(lineNumber: Int, title: String, scope: String, systemNumbers: [Int] = [], dueDate: CalendarDate? = nil, vendorIDs: [UUID]) {
        self.lineNumber = lineNumber
        self.title = title
        self.scope = scope
        self.systemNumbers = systemNumbers
        self.dueDate = dueDate
        self.vendorIDs = vendorIDs
    }
}

/// The choice of an option: who decided it (they must hold the project's `budget` decision right) and why.
public struct AggregationChoice: Sendable, Equatable {
    /// Index in the request's options.
    public var option: Int
    public var deciderID: UUID
    public var rationale: String

    public init(option: Int, deciderID: UUID, rationale: String) {
        self.option = option
        self.deciderID = deciderID
        self.rationale = rationale
    }
}

extension LedgerService {
    /// The decision-rights category an aggregation's decision falls under.
    public static let aggregationCategory = "budget"

    /// The project's requests for estimate the caller may see: all with the commercial right, the ones sent to their
    /// company for a vendor's staff, none for other members.
    public func requests(_ caller: Caller, key: String) async throws -> [EstimateRequestView] {
        let context = try await projectContext(caller, key: key)
        return try await requests(context, number: nil, on: db)
    }

    /// One request for estimate the caller may see, else `estimate_request.not_found`.
    public func request(_ caller: Caller, key: String, number: Int) async throws -> EstimateRequestView {
        let context = try await projectContext(caller, key: key)
        return try await visibleRequest(context, number: number, on: db)
    }

    func visibleRequest(_ context: ProjectContext, number: Int, on db: any Database) async throws -> EstimateRequestView {
        guard let request = try await requests(context, number: number, on: db).first else {
            throw DomainError.notFound("estimate_request.not_found", "There is no request for estimate E\(number) you may see in \(context.project.key).")
        }
        return request
    }

    func requests(_ context: ProjectContext, number: Int?, on db: any Database) async throws -> [EstimateRequestView] {
        let commercial = try await seesCommercial(context, on: db)
        let company: UUID? = commercial ? nil : context.actor.companyID.rawValue
        if !commercial && context.role != .vendor { return [] }
        var condition: SQLQueryString = "r.project_id = \(bind: context.projectID)"
        if let number { condition = "\(condition) AND r.number = \(bind: number)" }
        if let company {
            condition = "\(condition) AND EXISTS (SELECT 1 FROM estimate_request_vendors v WHERE v.request_id = r.id AND v.company_id = \(bind: company))"
        }
        let columns = ["r_id", "r_number", "l_number", "l_name", "r_title", "r_scope", "r_system_numbers", "r_due_date", "r_chosen_option",
                       "d_number", "r_version", "l_id"]
        let rows = try await db.readRows("""
            SELECT r.id AS r_id, r.number AS r_number, l.number AS l_number, l.name AS l_name, r.title AS r_title, r.scope AS r_scope,
              r.system_numbers AS r_system_numbers, r.due_date AS r_due_date, r.chosen_option AS r_chosen_option, d.number AS d_number,
              r.version AS r_version, l.id AS l_id
            FROM estimate_requests r JOIN budget_lines l ON l.id = r.line_id LEFT JOIN register_items d ON d.id = r.decision_id
            WHERE \(condition) ORDER BY r.number
            """, columns: columns)
        let ids = try rows.map { try $0.uuid(0) }
        guard !ids.isEmpty else { return [] }
        var vendors: [UUID: [UUID]] = [:]
        for r in try await db.readRows("SELECT request_id, company_id FROM estimate_request_vendors WHERE request_id IN (\(binds: ids))",
                                       columns: ["request_id", "company_id"]) {
            let vendor = try r.uuid(1)
            if company == nil || company == vendor { vendors[try r.uuid(0), default: []].append(vendor) }
        }
        let vendorNames = try await names(table: "companies", column: "name", ids: Set(vendors.values.flatMap { $0 }), on: db)
        var options: [UUID: [AggregationOption]] = [:]
        if commercial {
            for r in try await db.readRows("""
                SELECT request_id, title, cost, schedule_days, effort_tenths, pros, cons, estimate_id FROM aggregation_options
                WHERE request_id IN (\(binds: ids)) ORDER BY position
                """, columns: ["request_id", "title", "cost", "schedule_days", "effort_tenths", "pros", "cons", "estimate_id"]) {
                options[try r.uuid(0), default: []].append(AggregationOption(
                    title: try r.string(1), cost: .yen(Int64(try r.int(2))), scheduleDays: try r.int(3), effortTenths: try r.intOrNil(4),
                    pros: try r.string(5), cons: try r.string(6), estimateID: try r.uuidOrNil(7)))
            }
        }
        let estimates = try await self.estimates(context.projectID, vendor: company, on: db)
        var ledgerRows: [UUID: Ledger.Row] = [:]
        var orders: [OrderView] = []
        if commercial {
            let view = try await self.view(context, on: db)
            for year in view.ledger?.years ?? [] { for row in year.rows { ledgerRows[row.line.id] = row } }
            orders = view.orders
        }
        /// What is left of the line before the orders placed from the request's own estimates: the room the options had.
        func remainingBefore(line: UUID, estimates: [EstimateView]) -> Money? {
            guard let row = ledgerRows[line] else { return nil }
            let own = Set(estimates.map(\.id))
            return row.remaining + orders.filter { $0.estimateID.map(own.contains) ?? false }.map(\.ledgerOrder.agreedAmount).sum()
        }
        return try rows.map { r in
            let id = try r.uuid(0)
            let number = try r.int(1)
            let line = try r.uuid(11)
            let asked = vendors[id] ?? []
            let answers = estimates.filter { $0.requestNumber == number }
            return EstimateRequestView(
                id: id, number: number, lineNumber: try r.int(2), lineName: try r.string(3), title: try r.string(4), scope: try r.string(5),
                systemNumbers: try r.string(6).split(separator: ",").compactMap { Int($0) },
                dueDate: try r.stringOrNil(7).flatMap(CalendarDate.init(iso:)),
                vendors: asked.map { ($0, vendorNames[$0] ?? "") }.sorted { $0.name < $1.name },
                estimates: answers,
                options: options[id] ?? [], chosenOption: commercial ? try r.intOrNil(8) : nil, decisionNumber: commercial ? try r.intOrNil(9) : nil,
                budget: ledgerRows[line]?.budget, remaining: remainingBefore(line: line, estimates: answers), version: try r.int(10))
        }
    }

    /// Sends a request for estimate for a line's scope to one or more vendors.
    public func addRequest(_ caller: Caller, key: String, _ f: EstimateRequestFields) async throws -> EstimateRequestView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try requireEditor(context)
            let line = try await line(context.projectID, number: f.lineNumber, field: "line", on: db)
            var e = FieldErrors()
            let vendors = Array(Set(f.vendorIDs))
            AggregationRules.checkRequest(title: f.title, scope: f.scope, vendorCount: vendors.count, into: &e)
            if !vendors.isEmpty {
                let known = Set(try await db.readRows("SELECT id FROM companies WHERE id IN (\(binds: vendors))", columns: ["id"]).map { try $0.uuid(0) })
                if known.count != vendors.count { e.add("vendorIds", "unknown", "A vendor named is not a company of the organisation; pick from the companies.") }
            }
            let systems = try await systemNames(context.projectID, on: db)
            for number in f.systemNumbers where systems[number] == nil {
                e.add("systems", "not_found", "There is no system S\(number) in this project.")
            }
            try e.throwIfAny("ledger.invalid")
            let number = try await store.items.nextNumber(projectID: context.projectID, register: "estimate_request", on: db)
            let id = UUID()
            let sql = try db.sql()
            try await sql.raw("""
                INSERT INTO estimate_requests (id, project_id, number, line_id, title, scope, system_numbers, due_date, version, created_at, updated_at)
                VALUES (\(bind: id), \(bind: context.projectID), \(bind: number), \(bind: line.line.id),
                  \(bind: f.title.trimmingCharacters(in: .whitespacesAndNewlines)), \(bind: f.scope),
                  \(bind: Array(Set(f.systemNumbers)).sorted().map(String.init).joined(separator: ",")), \(bind: f.dueDate?.description), 1, \(bind: at), \(bind: at))
                """).run()
            for vendor in vendors {
                try await sql.raw("INSERT INTO estimate_request_vendors (request_id, company_id) VALUES (\(bind: id), \(bind: vendor))").run()
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "estimate_request", entityID: id,
                                      action: "create", version: 1, changes: [FieldChange(field: "title", from: nil, to: f.title)])
            return try await visibleRequest(context, number: number, on: db)
        }
    }

    /// Replaces the aggregation's options (If-Match optional). Once an option is chosen they are the decision's record
    /// and stay as they are.
    public func setOptions(_ caller: Caller, key: String, request number: Int, _ options: [AggregationOption],
                           expectedVersion: Int?) async throws -> EstimateRequestView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try requireEditor(context)
            let request = try await visibleRequest(context, number: number, on: db)
            if let expectedVersion, expectedVersion != request.version { throw staleVersion(request.version) }
            if let decision = request.decisionNumber {
                throw DomainError.conflict("estimate_request.decided",
                                           "An option of E\(number) was chosen (decision D\(decision)); its options are that decision's record. Send a new request for estimate to look again.")
            }
            var e = FieldErrors()
            AggregationRules.checkOptions(options, estimates: Set(request.estimates.map(\.id)), into: &e)
            try e.throwIfAny("ledger.invalid")
            let sql = try db.sql()
            try await sql.raw("DELETE FROM aggregation_options WHERE request_id = \(bind: request.id)").run()
            for (position, o) in options.enumerated() {
                try await sql.raw("""
                    INSERT INTO aggregation_options (id, request_id, position, title, cost, schedule_days, effort_tenths, pros, cons, estimate_id)
                    VALUES (\(bind: UUID()), \(bind: request.id), \(bind: position), \(bind: o.title.trimmingCharacters(in: .whitespacesAndNewlines)),
                      \(bind: o.cost.amount), \(bind: o.scheduleDays), \(bind: o.effortTenths), \(bind: o.pros), \(bind: o.cons), \(bind: o.estimateID))
                    """).run()
            }
            try await sql.raw("UPDATE estimate_requests SET version = version + 1, updated_at = \(bind: at) WHERE id = \(bind: request.id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "estimate_request", entityID: request.id,
                                      action: "update", version: request.version + 1,
                                      changes: [FieldChange(field: "options", from: request.options.map(\.title).joined(separator: " / "),
                                                            to: options.map(\.title).joined(separator: " / "))])
            return try await visibleRequest(context, number: number, on: db)
        }
    }

    /// Records the business owner's choice of an option: a decided decision in the decision log (category `budget`,
    /// the aggregation's options with their cost, schedule impact and effort, the chosen one as what was decided)
    /// under the project's decision rights, linked from the request; the estimate the option rests on becomes the
    /// line's chosen estimate. Recorded by the PMO or a PM, or by the decider themself.
    public func choose(_ caller: Caller, key: String, request number: Int, _ choice: AggregationChoice,
                       expectedVersion: Int?) async throws -> (request: EstimateRequestView, decisionNumber: Int) {
        let at = now()
        let result = try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard context.allows(.editProject) || caller.userID == choice.deciderID else {
                throw DomainError.forbidden("ledger.edit_forbidden", "The PMO, a project manager or the decider records the choice of an option.")
            }
            let request = try await visibleRequest(context, number: number, on: db)
            if let expectedVersion, expectedVersion != request.version { throw staleVersion(request.version) }
            if let decision = request.decisionNumber {
                throw DomainError.conflict("estimate_request.decided", "An option of E\(number) was already chosen (decision D\(decision)).")
            }
            var e = FieldErrors()
            if request.options.isEmpty { e.add("option", "no_options", "E\(number) has no options yet; write the aggregation's options first.") }
            else if !request.options.indices.contains(choice.option) {
                e.add("option", "not_found", "E\(number) has options 1 to \(request.options.count).")
            }
            if choice.rationale.count > LedgerRules.textMax { e.add("rationale", "too_long", "At most \(LedgerRules.textMax) characters.") }
            // Someone who is not a member is a mistake in the request (422), not a decider without the right (403).
            if try await db.sql().raw("""
                SELECT user_id FROM memberships WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: choice.deciderID)
                """).first() == nil {
                e.add("deciderId", "not_member", "The decider is not a member of \(key); choose a member who holds the budget decision right.")
            }
            try e.throwIfAny("ledger.invalid")
            let option = request.options[choice.option]
            // Internal: vendors' staff never read the options' costs. The vendors' own figures stay on the request.
            let fields = RegisterItemFields(
                title: request.title, description: "E\(number) → L\(request.lineNumber) \(request.lineName)", status: "decided",
                ownerID: UserID(choice.deciderID), visibility: Visibility(scope: .internal),
                details: ["category": .text(Self.aggregationCategory), "context": .text(request.scope),
                          "options": .options(AggregationRules.decisionOptions(request.options)), "decider": .user(UserID(choice.deciderID)),
                          "decision": .text(option.title), "rationale": .text(choice.rationale)])
            // The decision-rights check (the decider must hold the `budget` right) is the register's own.
            let record = try await store.items.insertRegisterItem(context, caller: caller, kind: .decision, fields: fields, origin: nil, at: at, on: db)
            let sql = try db.sql()
            try await sql.raw("""
                UPDATE estimate_requests SET chosen_option = \(bind: choice.option), decision_id = \(bind: try record.requireID()), version = version + 1,
                  updated_at = \(bind: at) WHERE id = \(bind: request.id)
                """).run()
            if let estimate = option.estimateID {
                try await sql.raw("UPDATE ledger_estimates SET chosen = \(bind: false) WHERE request_id = \(bind: request.id)").run()
                try await sql.raw("UPDATE ledger_estimates SET chosen = \(bind: true) WHERE id = \(bind: estimate)").run()
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "estimate_request", entityID: request.id,
                                      action: "update", version: request.version + 1,
                                      changes: [FieldChange(field: "chosenOption", from: nil, to: option.title),
                                                FieldChange(field: "decision", from: nil, to: "D\(record.number)")])
            return (try await visibleRequest(context, number: number, on: db), record.number)
        }
        return result
    }
}
