import FluentKit
import Foundation
import PMOCore
import SQLKit

extension LedgerService {
    /// The ledger is kept by admins, the PMO and PMs.
    func requireEditor(_ context: ProjectContext) throws {
        guard context.allows(.editProject) else {
            throw DomainError.forbidden("ledger.edit_forbidden", "Only the PMO, project managers and admins keep the budget ledger.")
        }
    }

    func line(_ project: UUID, number: Int, field: String, on db: any Database) async throws -> BudgetLineView {
        guard let line = try await lines(project, on: db).first(where: { $0.line.number == number }) else { throw Self.noLine(number, field: field) }
        return line
    }

    static func noLine(_ number: Int, field: String) -> DomainError {
        DomainError.invalid("ledger.invalid", [FieldError(field: field, code: "not_found", message: "There is no budget line L\(number) in this project.")])
    }

    func checkSystem(_ project: UUID, _ number: Int?, into e: inout FieldErrors, on db: any Database) async throws {
        guard let number else { return }
        if try await systemNames(project, on: db)[number] == nil {
            e.add("system", "not_found", "There is no system S\(number) in this project; register it first or leave the line project-wide.")
        }
    }

    func checkVendor(_ vendor: UUID?, into e: inout FieldErrors, on db: any Database) async throws {
        guard let vendor else { e.add("vendorId", "required", "Name the vendor (a company of the organisation)."); return }
        if try await db.sql().raw("SELECT id FROM companies WHERE id = \(bind: vendor)").first() == nil {
            e.add("vendorId", "unknown", "There is no such company; pick one of the organisation's companies.")
        }
    }

    /// Adds a budget line.
    public func addLine(_ caller: Caller, key: String, _ f: BudgetLineFields) async throws -> BudgetLineView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try requireEditor(context)
            let number = try await insertLine(context, caller: caller, f, at: at, on: db)
            return try await line(context.projectID, number: number, field: "line", on: db)
        }
    }

    /// The fiscal years the project may budget.
    func projectYears(_ context: ProjectContext, on db: any Database) async throws -> ClosedRange<Int> {
        LedgerRules.years(start: context.project.startDate.flatMap(CalendarDate.init(iso:)),
                          target: context.project.targetDate.flatMap(CalendarDate.init(iso:)), calendar: try await fiscalCalendar(on: db))
    }

    /// Checks and stores a new line inside a write; its number.
    func insertLine(_ context: ProjectContext, caller: Caller, _ f: BudgetLineFields, at: Date, on db: any Database) async throws -> Int {
        var e = FieldErrors()
        LedgerRules.checkLine(name: f.name, fiscalYear: f.fiscalYear, years: try await projectYears(context, on: db), original: f.original, into: &e)
        try await checkSystem(context.projectID, f.systemNumber, into: &e, on: db)
        try e.throwIfAny("ledger.invalid")
        let number = try await store.items.nextNumber(projectID: context.projectID, register: "budget_line", on: db)
        let id = UUID()
        try await db.sql().raw("""
            INSERT INTO budget_lines (id, project_id, number, fiscal_year, category, system_number, name, original, version, created_at, updated_at)
            VALUES (\(bind: id), \(bind: context.projectID), \(bind: number), \(bind: f.fiscalYear), \(bind: f.category.rawValue),
              \(bind: f.systemNumber), \(bind: f.name.trimmingCharacters(in: .whitespacesAndNewlines)), \(bind: f.original.amount), 1, \(bind: at), \(bind: at))
            """).run()
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "budget_line", entityID: id,
                                  action: "create", version: 1, changes: [FieldChange(field: "original", from: nil, to: String(f.original.amount))])
        return number
    }

    /// Records an approved revision of a line's budget (signed), with its reason and the change or decision behind it.
    public func revise(_ caller: Caller, key: String, line number: Int, amount: Money, reason: String, cause: String?, date: CalendarDate) async throws -> BudgetLineView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try requireEditor(context)
            let line = try await line(context.projectID, number: number, field: "line", on: db)
            var e = FieldErrors()
            var reference: ItemReference?
            if let cause, !cause.trimmingCharacters(in: .whitespaces).isEmpty {
                reference = ItemReference(cause.trimmingCharacters(in: .whitespaces))
                if reference == nil || (reference?.projectKey.map { $0 != context.project.key } ?? false) {
                    e.add("cause", "invalid_reference", "The cause is a change request or decision of this project, e.g. C4 or \(context.project.key)-D2.")
                    reference = nil
                }
            }
            LedgerRules.checkRevision(amount: amount, reason: reason, cause: reference, into: &e)
            if let reference, reference.type == .change || reference.type == .decision,
               try await db.sql().raw("""
                SELECT id FROM register_items WHERE project_id = \(bind: context.projectID) AND register = \(bind: reference.type.rawValue) AND number = \(bind: reference.number)
                """).first() == nil {
                e.add("cause", "not_found", "There is no \(reference.type.rawValue)\(reference.number) in this project.")
            }
            try e.throwIfAny("ledger.invalid")
            let id = UUID()
            let causeText = reference.map { "\($0.type.rawValue)\($0.number)" } ?? ""
            try await db.sql().raw("""
                INSERT INTO budget_revisions (id, line_id, amount, reason, cause, revised_on, created_by_id, created_at)
                VALUES (\(bind: id), \(bind: line.line.id), \(bind: amount.amount), \(bind: reason.trimmingCharacters(in: .whitespacesAndNewlines)),
                  \(bind: causeText), \(bind: date.description), \(bind: caller.userID), \(bind: at))
                """).run()
            try await db.sql().raw("UPDATE budget_lines SET version = version + 1, updated_at = \(bind: at) WHERE id = \(bind: line.line.id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "budget_line", entityID: line.line.id,
                                      action: "revise", version: line.version + 1,
                                      changes: [FieldChange(field: "revision", from: nil, to: "\(amount.amount) \(causeText)")])
            return try await self.line(context.projectID, number: number, field: "line", on: db)
        }
    }

    /// Records an estimate received from a vendor; each vendor's estimates for a line are numbered versions 1, 2…
    public func addEstimate(_ caller: Caller, key: String, _ f: EstimateFields) async throws -> EstimateView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try requireEditor(context)
            let line = try await line(context.projectID, number: f.lineNumber, field: "line", on: db)
            var e = FieldErrors()
            try await checkVendor(f.vendorID, into: &e, on: db)
            if f.amount.amount < 0 { e.add("amount", "negative", "An estimate is zero or more, before tax.") }
            if f.amount.amount > MoneyText.maximum { e.add("amount", "too_large", "An amount is below one quadrillion yen.") }
            if let effort = f.effortTenths, effort < 0 || effort > 1_000_000 { e.add("effort", "out_of_range", "Effort is 0 to 100,000 person-months.") }
            if let valid = f.validUntil, valid < f.received { e.add("validUntil", "before_received", "An estimate is valid until a day on or after it was received.") }
            if f.assumptions.count > LedgerRules.textMax { e.add("assumptions", "too_long", "At most \(LedgerRules.textMax) characters.") }
            EstimateBreakdown.check(f.parts, amount: f.amount, into: &e)
            var request: UUID?
            if let number = f.requestNumber {
                let rows = try await db.readRows("""
                    SELECT r.id, l.number, v.company_id FROM estimate_requests r JOIN budget_lines l ON l.id = r.line_id
                    LEFT JOIN estimate_request_vendors v ON v.request_id = r.id AND v.company_id = \(bind: f.vendorID)
                    WHERE r.project_id = \(bind: context.projectID) AND r.number = \(bind: number)
                    """, columns: ["id", "number", "company_id"])
                if let row = rows.first {
                    request = try row.uuid(0)
                    if try row.int(1) != f.lineNumber {
                        e.add("request", "other_line", "Request E\(number) is for line L\(try row.int(1)), not L\(f.lineNumber); record the estimate on that line.")
                    } else if f.vendorID != nil, try row.uuidOrNil(2) == nil {
                        e.add("request", "vendor_not_asked", "Request E\(number) was not sent to this vendor; add the vendor to the request first.")
                    }
                } else {
                    e.add("request", "not_found", "There is no request for estimate E\(number) in this project.")
                }
            }
            try e.throwIfAny("ledger.invalid")
            let version = (try await db.readRows("""
                SELECT MAX(version) AS v FROM ledger_estimates WHERE line_id = \(bind: line.line.id) AND vendor_id = \(bind: f.vendorID)
                """, columns: ["v"]).first?.intOrNil(0) ?? 0) + 1
            let id = UUID()
            try await db.sql().raw("""
                INSERT INTO ledger_estimates (id, project_id, line_id, request_id, vendor_id, version, amount, effort_tenths, received_on, valid_until, assumptions, chosen, created_at)
                VALUES (\(bind: id), \(bind: context.projectID), \(bind: line.line.id), \(bind: request), \(bind: f.vendorID), \(bind: version), \(bind: f.amount.amount),
                  \(bind: f.effortTenths), \(bind: f.received.description), \(bind: f.validUntil?.description), \(bind: f.assumptions), \(bind: f.chosen), \(bind: at))
                """).run()
            for (i, part) in f.parts.enumerated() {
                try await db.sql().raw("""
                    INSERT INTO estimate_parts (estimate_id, position, phase, category, amount)
                    VALUES (\(bind: id), \(bind: i), \(bind: part.phase.trimmingCharacters(in: .whitespaces)), \(bind: part.category?.rawValue), \(bind: part.amount.amount))
                    """).run()
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "estimate", entityID: id,
                                      action: "create", version: version, changes: [FieldChange(field: "amount", from: nil, to: String(f.amount.amount))])
            guard let saved = try await estimates(context.projectID, vendor: nil, on: db).first(where: { $0.id == id }) else {
                throw DomainError.notFound("estimate.not_found", "The estimate was not saved; try again.")
            }
            return saved
        }
    }

    /// Places an order on a budget line, with its acceptance and payment milestones. Above what is left of the line it
    /// is saved only with `overrunReason`.
    public func addOrder(_ caller: Caller, key: String, _ f: OrderFields) async throws -> OrderView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try requireEditor(context)
            let number = try await insertOrder(context, caller: caller, f, at: at, on: db)
            return try await visibleOrder(context, number: number, on: db)
        }
    }

    /// The budget lines an order as written draws on, and each as the checks need it: the order's share and what is left
    /// of the line before it (its budget less what the other orders put on it, by the ledger's own rule). A changed order
    /// (`old`) gives back its own amount and keeps its agreed change orders, split over the new shares.
    func orderLines(_ f: OrderFields, old: OrderView? = nil, context: ProjectContext, on db: any Database) async throws
        -> (lines: [BudgetLineView], checks: [LedgerRules.OrderLine]) {
        let shares = f.lineShares
        if shares.count > LedgerRules.orderLinesMax {
            throw DomainError.invalid("ledger.invalid", [FieldError(field: "lines", code: "too_many", message: "An order draws on at most \(LedgerRules.orderLinesMax) budget lines.")])
        }
        let all = try await self.lines(context.projectID, on: db)
        let others = try await orders(context.projectID, vendor: nil, on: db).filter { $0.id != old?.id }
        let ledger = Ledger(lines: all.map(\.line), revisions: all.flatMap(\.revisions), orders: others.map(\.ledgerOrder))
        let agreedChanges = old.map { $0.ledgerOrder.agreedAmount - $0.amount } ?? .zero
        let kept = agreedChanges.split(by: shares.map(\.amount))
        var lines: [BudgetLineView] = [], checks: [LedgerRules.OrderLine] = []
        for (i, share) in shares.enumerated() {
            guard let line = all.first(where: { $0.line.number == share.lineNumber }) else {
                throw Self.noLine(share.lineNumber, field: f.shares.isEmpty ? "line" : "lines")
            }
            let remaining = (ledger.row(line.line.id)?.remaining ?? line.line.original) - kept[i]
            lines.append(line)
            checks.append(LedgerRules.OrderLine(number: line.line.number, fiscalYear: line.line.fiscalYear, share: share.amount, remaining: remaining))
        }
        return (lines, checks)
    }

    /// Stores which lines an order shares (none for an order on one line).
    func writeShares(_ f: OrderFields, lines: [BudgetLineView], order: UUID, on db: any Database) async throws {
        try await db.sql().raw("DELETE FROM order_lines WHERE order_id = \(bind: order)").run()
        guard lines.count > 1 else { return }
        for (i, (line, share)) in zip(lines, f.lineShares).enumerated() {
            try await db.sql().raw("""
                INSERT INTO order_lines (order_id, line_id, position, amount) VALUES (\(bind: order), \(bind: line.line.id), \(bind: i), \(bind: share.amount.amount))
                """).run()
        }
    }

    /// Checks and stores a new order inside a write; its number.
    func insertOrder(_ context: ProjectContext, caller: Caller, _ f: OrderFields, at: Date, on db: any Database) async throws -> Int {
        let (lines, checks) = try await orderLines(f, context: context, on: db)
        let line = lines[0]
        var e = FieldErrors()
        try await checkVendor(f.vendorID, into: &e, on: db)
        try await checkContractType(f.contractType, into: &e, on: db)
        let overrun = LedgerRules.checkOrder(title: f.title, amount: f.amount, taxBasisPoints: f.taxRate.basisPoints, ordered: YearMonth(f.orderDate),
                                             lines: checks, overrunReason: f.overrunReason, calendar: try await fiscalCalendar(on: db), into: &e)
        if let estimate = f.estimateID, try await db.sql().raw("""
            SELECT id FROM ledger_estimates WHERE id = \(bind: estimate) AND line_id IN (\(binds: lines.map(\.line.id)))
            """).first() == nil {
            e.add("estimateId", "not_found", "There is no such estimate on \(lines.map { "L\($0.line.number)" }.joined(separator: ", ")).")
        }
        checkMilestones(f.milestones, ordered: YearMonth(f.orderDate), into: &e)
        try e.throwIfAny("ledger.invalid")
        let number = try await store.items.nextNumber(projectID: context.projectID, register: "order", on: db)
        let id = UUID()
        try await db.sql().raw("""
            INSERT INTO ledger_orders (id, project_id, number, line_id, vendor_id, title, contract_type, amount, tax_basis_points, order_date,
              estimate_id, overrun_reason, version, created_at, updated_at)
            VALUES (\(bind: id), \(bind: context.projectID), \(bind: number), \(bind: line.line.id), \(bind: f.vendorID),
              \(bind: f.title.trimmingCharacters(in: .whitespacesAndNewlines)), \(bind: f.contractType.rawValue), \(bind: f.amount.amount),
              \(bind: f.taxRate.basisPoints), \(bind: f.orderDate.description), \(bind: f.estimateID),
              \(bind: overrun ? f.overrunReason.trimmingCharacters(in: .whitespacesAndNewlines) : ""), 1, \(bind: at), \(bind: at))
            """).run()
        try await writeShares(f, lines: lines, order: id, on: db)
        try await insertMilestones(f.milestones, order: id, on: db)
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "order", entityID: id,
                                  action: "create", version: 1, changes: [FieldChange(field: "amount", from: nil, to: String(f.amount.amount))])
        return number
    }

    func checkMilestones(_ milestones: [MilestoneFields], ordered: YearMonth, into e: inout FieldErrors) {
        if milestones.count > 60 { e.add("milestones", "too_many", "An order has at most 60 milestones.") }
        for (i, m) in milestones.enumerated() {
            var one = FieldErrors()
            LedgerRules.checkMilestone(name: m.name, amount: m.amount, ordered: ordered, plannedAcceptance: m.plannedAcceptance, accepted: m.accepted,
                                       plannedPayment: m.plannedPayment, paid: m.paid, into: &one)
            if m.deliverables.count > LedgerRules.textMax { one.add("deliverables", "too_long", "At most \(LedgerRules.textMax) characters.") }
            if m.payingDepartment.count > LedgerRules.nameMax { one.add("payingDepartment", "too_long", "At most \(LedgerRules.nameMax) characters.") }
            for error in one.all { e.add("milestones[\(i)].\(error.field)", error.code, error.message) }
        }
    }

    func insertMilestones(_ milestones: [MilestoneFields], order: UUID, on db: any Database) async throws {
        for (i, m) in milestones.enumerated() {
            try await db.sql().raw("""
                INSERT INTO order_milestones (id, order_id, position, name, deliverables, amount, planned_acceptance, accepted, planned_payment, paid, paying_department)
                VALUES (\(bind: UUID()), \(bind: order), \(bind: i), \(bind: m.name.trimmingCharacters(in: .whitespacesAndNewlines)), \(bind: m.deliverables),
                  \(bind: m.amount.amount), \(bind: m.plannedAcceptance.description), \(bind: m.accepted?.description), \(bind: m.plannedPayment.description),
                  \(bind: m.paid?.description), \(bind: m.payingDepartment))
                """).run()
        }
    }

    /// Replaces an order's milestones (recording an acceptance or a payment is a change of them); `expectedVersion`
    /// must be the order's when given.
    public func setMilestones(_ caller: Caller, key: String, order number: Int, _ milestones: [MilestoneFields], expectedVersion: Int?) async throws -> OrderView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try requireEditor(context)
            let old = try await visibleOrder(context, number: number, on: db)
            try await lockRow(db, table: "ledger_orders", id: old.id)
            if let expectedVersion, expectedVersion != old.version { throw staleVersion(old.version) }
            try await replaceMilestones(context, caller: caller, old, milestones, at: at, on: db)
            return try await visibleOrder(context, number: number, on: db)
        }
    }

    /// Checks and stores an order's new milestones inside a write.
    func replaceMilestones(_ context: ProjectContext, caller: Caller, _ old: OrderView, _ milestones: [MilestoneFields], at: Date,
                           on db: any Database) async throws {
        var e = FieldErrors()
        checkMilestones(milestones, ordered: YearMonth(old.orderDate), into: &e)
        try e.throwIfAny("ledger.invalid")
        try await db.sql().raw("DELETE FROM order_milestones WHERE order_id = \(bind: old.id)").run()
        try await insertMilestones(milestones, order: old.id, on: db)
        try await db.sql().raw("UPDATE ledger_orders SET version = version + 1, updated_at = \(bind: at) WHERE id = \(bind: old.id)").run()
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "order", entityID: old.id,
                                  action: "update", version: old.version + 1,
                                  changes: [FieldChange(field: "milestones", from: Self.summary(old.milestones.map(\.fields)), to: Self.summary(milestones))])
    }

    /// Milestones in one line of text, for the history and an import's preview.
    static func summary(_ milestones: [MilestoneFields]) -> String {
        milestones.map { "\($0.name) \(Money.grouped($0.amount.amount.magnitude)) \($0.plannedAcceptance)/\($0.accepted?.description ?? "-") \($0.plannedPayment)/\($0.paid?.description ?? "-")" }
            .joined(separator: "; ")
    }

    /// Adds a change order to an order: `proposed` (expected, in the forecast) from a change request's cost impact, or
    /// `agreed` with the vendor (part of what is ordered).
    /// Without `amount`, the change request's cost impact is taken (rounded half up to the yen).
    public func addChangeOrder(_ caller: Caller, key: String, order number: Int, amount given: Money?, status: ChangeOrder.Status, changeNumber: Int?,
                               reason: String) async throws -> OrderView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try requireEditor(context)
            let order = try await visibleOrder(context, number: number, on: db)
            var e = FieldErrors()
            var amount = given ?? .zero
            if let change = changeNumber {
                if let item = try await RegisterItemRecord.select(
                    "project_id = \(bind: context.projectID) AND register = 'C' AND number = \(bind: change)", on: db).first {
                    if given == nil {
                        if let cost = item.fields().details["costImpact"]?.number.flatMap({ Money(rounding: $0) }), cost.amount != 0 {
                            amount = cost
                        } else {
                            e.add("amount", "no_cost_impact", "C\(change) states no cost impact; give the change order's amount.")
                        }
                    }
                } else {
                    e.add("change", "not_found", "There is no change request C\(change) in this project.")
                }
            } else if given == nil {
                e.add("amount", "amount_or_change", "Give the change order's amount, or the change request whose cost impact it is.")
            }
            if e.isEmpty { LedgerRules.checkChangeOrder(amount: amount, reason: reason, into: &e) }
            try e.throwIfAny("ledger.invalid")
            let id = UUID()
            try await db.sql().raw("""
                INSERT INTO change_orders (id, order_id, amount, status, change_number, reason, created_at)
                VALUES (\(bind: id), \(bind: order.id), \(bind: amount.amount), \(bind: status.rawValue), \(bind: changeNumber), \(bind: reason), \(bind: at))
                """).run()
            try await db.sql().raw("UPDATE ledger_orders SET version = version + 1, updated_at = \(bind: at) WHERE id = \(bind: order.id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "order", entityID: order.id,
                                      action: "change_order", version: order.version + 1,
                                      changes: [FieldChange(field: "changeOrder", from: nil, to: "\(amount.amount) \(status.rawValue)")])
            return try await visibleOrder(context, number: number, on: db)
        }
    }

    /// Agrees or withdraws a change order.
    public func setChangeOrderStatus(_ caller: Caller, key: String, order number: Int, changeOrder id: UUID, status: ChangeOrder.Status) async throws -> OrderView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try requireEditor(context)
            let order = try await visibleOrder(context, number: number, on: db)
            guard let old = order.changeOrders.first(where: { $0.changeOrder.id == id }) else {
                throw DomainError.notFound("order.not_found", "Order O\(number) has no such change order.")
            }
            try await db.sql().raw("UPDATE change_orders SET status = \(bind: status.rawValue) WHERE id = \(bind: id)").run()
            try await db.sql().raw("UPDATE ledger_orders SET version = version + 1, updated_at = \(bind: at) WHERE id = \(bind: order.id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "order", entityID: order.id,
                                      action: "change_order", version: order.version + 1,
                                      changes: [FieldChange(field: "changeOrder", from: old.changeOrder.status.rawValue, to: status.rawValue)])
            return try await visibleOrder(context, number: number, on: db)
        }
    }
}

extension LedgerService {
    /// Grants or takes back a member's commercial right (budgets, every vendor's estimates and orders). Admins, the PMO
    /// and PMs have it by role; a vendor's staff cannot be granted it.
    public func setCommercial(_ caller: Caller, key: String, userID: UUID, granted: Bool) async throws -> Bool {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard context.allows(.manageMembers) else {
                throw DomainError.forbidden("project.manager_required", "Only the project's admins, the PMO and PMs may do this in \(key).")
            }
            guard let row = try await db.readRows("""
                SELECT role FROM memberships WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: userID)
                """, columns: ["role"]).first, let role = ProjectRole(rawValue: try row.string(0)) else {
                throw DomainError.notFound("membership.not_found", "That person is not a member of \(key); add them first.")
            }
            if granted && role == .vendor {
                throw DomainError.invalid("ledger.invalid", [FieldError(field: "granted", code: "not_allowed",
                    message: "A vendor's staff see their own company's estimates and orders only; the commercial right is not for them.")])
            }
            let sql = try db.sql()
            try await sql.raw("DELETE FROM commercial_grants WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: userID)").run()
            if granted {
                try await sql.raw("INSERT INTO commercial_grants (project_id, user_id) VALUES (\(bind: context.projectID), \(bind: userID))").run()
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "membership", entityID: userID,
                                      action: "update", version: 1, changes: [FieldChange(field: "commercial", from: nil, to: granted ? "true" : "false")])
            return granted || [.admin, .pmo, .pm].contains(role)
        }
    }
}
