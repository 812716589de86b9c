import FluentKit
import Foundation
import PMOCore
import SQLKit

/// The budget ledger of a project (予算管理表), reached as `store.ledger`: budget lines by fiscal year with their
/// revisions, the vendors' estimates, orders with change orders and acceptance and payment milestones, and the sums
/// `Ledger` (PMOCore) computes from them.
///
/// Who sees what: commercial data (budgets, every vendor's estimates and orders) is for admins, the PMO and PMs
/// (`AccessPolicy.seesCommercial`); a vendor's staff see their own company's estimates and orders only, and no budget;
/// other members see no money. The PMO, PMs and admins keep the ledger.
public struct LedgerService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The budget ledger feature (`LedgerService`).
    public var ledger: LedgerService { LedgerService(store: self) }
}

/// A budget line as pages and the API show it: the line, its revisions and what its system is called.
public struct BudgetLineView: Sendable, Equatable {
    public var line: BudgetLine
    public var systemName: String?
    public var revisions: [BudgetRevision]
    public var version: Int
}

/// One estimate received from a vendor.
public struct EstimateView: Sendable, Equatable {
    public var id: UUID
    public var lineID: UUID
    public var lineNumber: Int
    public var vendorID: UUID?
    public var vendorName: String?
    public var version: Int
    public var amount: Money
    /// Person-months in tenths.
    public var effortTenths: Int?
    public var received: CalendarDate
    public var validUntil: CalendarDate?
    public var assumptions: String
    public var chosen: Bool
    /// The request for estimate it answers (E2 is 2).
    public var requestNumber: Int?
    /// Its amount by phase and category, when the vendor broke it down.
    public var parts: [EstimatePart] = []

    public var ledgerEstimate: LedgerEstimate { LedgerEstimate(lineID: lineID, vendorID: vendorID, version: version, amount: amount, chosen: chosen) }
}

/// An acceptance (検収) and its payment, as shown.
public struct MilestoneView: Sendable, Equatable {
    public var milestone: OrderMilestone
    public var name: String
    public var deliverables: String
    public var payingDepartment: String
}

extension MilestoneView {
    /// The milestone as written, to compare with one read from a sheet.
    public var fields: MilestoneFields {
        MilestoneFields(name: name, deliverables: deliverables, amount: milestone.amount, plannedAcceptance: milestone.plannedAcceptance,
                        accepted: milestone.accepted, plannedPayment: milestone.plannedPayment, paid: milestone.paid, payingDepartment: payingDepartment)
    }
}

/// A change order as shown.
public struct ChangeOrderView: Sendable, Equatable {
    public var changeOrder: ChangeOrder
    /// The change request it comes from (its number in the project).
    public var changeNumber: Int?
    public var reason: String
}

/// A budget line an order draws on and its share, as shown.
public struct OrderShareView: Sendable, Equatable {
    public var lineID: UUID
    public var lineNumber: Int
    public var lineName: String
    public var amount: Money
}

/// An order (発注) as shown.
public struct OrderView: Sendable, Equatable {
    public var id: UUID
    public var number: Int
    /// The line it draws on, the first when it draws on several.
    public var lineID: UUID
    public var lineNumber: Int
    public var lineName: String
    /// The lines it draws on with their shares, when more than one; empty: all of it on its one line.
    public var shares: [OrderShareView]
    public var vendorID: UUID?
    public var vendorName: String?
    public var title: String
    public var contractType: ContractType
    public var amount: Money
    public var taxRate: TaxRate
    public var orderDate: CalendarDate
    public var estimateID: UUID?
    public var overrunReason: String
    public var milestones: [MilestoneView]
    public var changeOrders: [ChangeOrderView]
    public var version: Int

    /// The lines it draws on and their shares: `shares`, or all of it on its one line.
    public var lineShares: [OrderShareView] {
        shares.isEmpty ? [OrderShareView(lineID: lineID, lineNumber: lineNumber, lineName: lineName, amount: amount)] : shares
    }

    public var ledgerOrder: LedgerOrder {
        LedgerOrder(id: id, lineID: lineID, shares: shares.map { OrderShare(lineID: $0.lineID, amount: $0.amount) }, vendorID: vendorID,
                    amount: amount, taxRate: taxRate, ordered: YearMonth(orderDate),
                    changeOrders: changeOrders.map(\.changeOrder), milestones: milestones.map(\.milestone))
    }
}

/// A project's ledger as the caller may see it.
public struct LedgerView: Sendable {
    public var projectKey: String
    public var calendar: FiscalCalendar
    /// The fiscal years the project may budget.
    public var years: ClosedRange<Int>
    /// Whether the caller sees commercial data; when not, `lines` and `ledger` are empty and `orders` and `estimates`
    /// are the caller's company's.
    public var seesCommercial: Bool
    public var canEdit: Bool
    public var lines: [BudgetLineView]
    public var estimates: [EstimateView]
    public var orders: [OrderView]
    /// The sums; nil without the commercial right.
    public var ledger: Ledger?
}

extension LedgerService {
    static let settingFiscalFirstMonth = "fiscal_first_month"
    /// The organisation's own contract types, a JSON array of names.
    static let settingContractTypes = "contract_types"

    /// The organisation's own contract types (beside the built-in ones), as an administrator listed them.
    public func customContractTypes(on db: (any Database)? = nil) async throws -> [ContractType] {
        let db = db ?? self.db
        guard try await store.hasMigrated("M030CreateLedger", on: db),
              let row = try await db.readRows("SELECT value FROM organisation_settings WHERE name = \(bind: Self.settingContractTypes)", columns: ["value"]).first,
              let names = try? JSONDecoder().decode([String].self, from: Data(try row.string(0).utf8)) else { return [] }
        return names.map(ContractType.init(rawValue:))
    }

    /// Every contract type an order may take: the built-in ones, then the organisation's own.
    public func contractTypes(on db: (any Database)? = nil) async throws -> [ContractType] {
        ContractType.builtIn + (try await customContractTypes(on: db))
    }

    /// Replaces the organisation's own contract types (admins only). Orders keep a type taken off the list; new orders
    /// and changed ones choose from the list.
    public func setContractTypes(_ caller: Caller, _ names: [String]) async throws -> [ContractType] {
        try requireAdmin(caller)
        let custom: [ContractType]
        switch ContractType.custom(names) {
        case .success(let list): custom = list
        case .failure(let error): throw DomainError.invalid("ledger.invalid", [error])
        }
        let value = String(decoding: try JSONEncoder().encode(custom.map(\.rawValue)), as: UTF8.self)
        try await write { db in
            let sql = try db.sql()
            try await sql.raw("DELETE FROM organisation_settings WHERE name = \(bind: Self.settingContractTypes)").run()
            try await sql.raw("INSERT INTO organisation_settings (name, value) VALUES (\(bind: Self.settingContractTypes), \(bind: value))").run()
        }
        return custom
    }

    /// Refuses a contract type that is neither built in nor on the organisation's list.
    func checkContractType(_ type: ContractType, into e: inout FieldErrors, on db: any Database) async throws {
        let allowed = try await contractTypes(on: db)
        guard !allowed.contains(type) else { return }
        e.append(FieldError(field: "contractType", code: "unknown_contract_type",
                            message: "'\(type.rawValue)' is not one of the organisation's contract types: \(allowed.map(\.rawValue).joined(separator: ", ")).",
                            subjects: [type.rawValue]))
    }

    /// The organisation's fiscal calendar (April by default).
    public func fiscalCalendar(on db: (any Database)? = nil) async throws -> FiscalCalendar {
        let db = db ?? self.db
        guard try await store.hasMigrated("M030CreateLedger", on: db) else { return .japan }
        let row = try await db.readRows("SELECT value FROM organisation_settings WHERE name = \(bind: Self.settingFiscalFirstMonth)", columns: ["value"]).first
        return try row.flatMap { Int(try $0.string(0)) }.flatMap(FiscalCalendar.init(firstMonth:)) ?? .japan
    }

    /// Sets the month the organisation's fiscal year starts in (admins only): one setting, so portfolio totals add up.
    public func setFiscalFirstMonth(_ caller: Caller, _ month: Int) async throws -> FiscalCalendar {
        try requireAdmin(caller)
        guard let calendar = FiscalCalendar(firstMonth: month) else {
            throw DomainError.invalid("ledger.invalid", [FieldError(field: "firstMonth", code: "out_of_range", message: "The first month is 1 to 12 (4: April).")])
        }
        try await write { db in
            let sql = try db.sql()
            try await sql.raw("DELETE FROM organisation_settings WHERE name = \(bind: Self.settingFiscalFirstMonth)").run()
            try await sql.raw("INSERT INTO organisation_settings (name, value) VALUES (\(bind: Self.settingFiscalFirstMonth), \(bind: String(month)))").run()
        }
        return calendar
    }

    /// The project's ledger as the caller may see it.
    public func ledger(_ caller: Caller, key: String) async throws -> LedgerView {
        let context = try await projectContext(caller, key: key)
        var labour: [Int: Money] = [:]
        if try await seesCommercial(context, on: db) {
            labour = try await internalLabour(caller, key: key, calendar: try await fiscalCalendar())
        }
        return try await view(context, on: db, internalLabour: labour)
    }

    /// The running organisation's own work at completion, by fiscal year: each leaf activity of the plan done by a
    /// company that is not a vendor, at its estimate at completion (earned value's, at the cost performance so far,
    /// else actual cost plus the budget left; the budget comes from hours at the company's rate), in the fiscal year
    /// of its finish. A project without a plan has none.
    func internalLabour(_ caller: Caller, key: String, calendar: FiscalCalendar) async throws -> [Int: Money] {
        guard let report = try? await store.plans.earnedValue(caller, key: key) else { return [:] }
        let vendors = Set(try await db.readRows("SELECT id FROM companies WHERE kind = \(bind: CompanyKind.vendor.rawValue)", columns: ["id"])
            .map { try $0.uuid(0) })
        var out: [Int: Money] = [:]
        for row in report.view.rows where !row.hasChildren {
            guard let company = row.activity.companyID, !vendors.contains(company.rawValue),
                  let value = report.current.activities[row.activity.uid], let finish = report.view.scheduledByUID[row.activity.uid]?.finish.finishDay,
                  let eac = Money(rounding: value.eacTypical ?? value.eacAtypical), eac.amount > 0 else { continue }
            out[calendar.fiscalYear(of: finish), default: .zero] += eac
        }
        return out
    }

    /// Whether the caller sees the project's commercial data: by role, or by the project's grant.
    func seesCommercial(_ context: ProjectContext, on db: any Database) async throws -> Bool {
        if AccessPolicy.seesCommercial(context.actor) { return true }
        guard context.role == .member || context.role == .viewer else { return false }
        let grant = try await db.readRows("""
            SELECT user_id FROM commercial_grants WHERE project_id = \(bind: context.projectID) AND user_id = \(bind: context.actor.userID.rawValue)
            """, columns: ["user_id"])
        return AccessPolicy.seesCommercial(context.actor, granted: !grant.isEmpty)
    }

    func view(_ context: ProjectContext, on db: any Database, internalLabour: [Int: Money] = [:]) async throws -> LedgerView {
        let commercial = try await seesCommercial(context, on: db)
        let calendar = try await fiscalCalendar(on: db)
        let years = LedgerRules.years(start: context.project.startDate.flatMap(CalendarDate.init(iso:)),
                                      target: context.project.targetDate.flatMap(CalendarDate.init(iso:)), calendar: calendar)
        let company: UUID? = commercial ? nil : context.actor.companyID.rawValue
        let lines = commercial ? try await self.lines(context.projectID, on: db) : []
        let estimates = try await self.estimates(context.projectID, vendor: company, on: db)
        let orders = try await self.orders(context.projectID, vendor: company, on: db)
        var ledger: Ledger?
        if commercial {
            ledger = Ledger(lines: lines.map(\.line), revisions: lines.flatMap(\.revisions), estimates: estimates.map(\.ledgerEstimate),
                            orders: orders.map(\.ledgerOrder), internalLabour: internalLabour)
        }
        return LedgerView(projectKey: context.project.key, calendar: calendar, years: years, seesCommercial: commercial,
                          canEdit: context.allows(.editProject), lines: lines, estimates: estimates, orders: orders, ledger: ledger)
    }

    // MARK: Reading

    static let lineColumns = ["id", "number", "fiscal_year", "category", "system_number", "name", "original", "version"]

    func lines(_ project: UUID, on db: any Database) async throws -> [BudgetLineView] {
        let rows = try await db.readRows("""
            SELECT \(unsafeRaw: Self.lineColumns.joined(separator: ", ")) FROM budget_lines WHERE project_id = \(bind: project)
            ORDER BY fiscal_year, number
            """, columns: Self.lineColumns)
        var revisions: [UUID: [BudgetRevision]] = [:]
        for r in try await db.readRows("""
            SELECT r.id, r.line_id, r.amount, r.reason, r.cause, r.revised_on FROM budget_revisions r
            JOIN budget_lines l ON l.id = r.line_id WHERE l.project_id = \(bind: project) ORDER BY r.revised_on, r.created_at
            """, columns: ["id", "line_id", "amount", "reason", "cause", "revised_on"]) {
            let line = try r.uuid(1)
            revisions[line, default: []].append(BudgetRevision(
                id: try r.uuid(0), lineID: line, amount: .yen(Int64(try r.int(2))), reason: try r.string(3),
                cause: ItemReference(try r.string(4)), date: CalendarDate(iso: try r.string(5)) ?? CalendarDate(year: 2000, month: 1, day: 1)!))
        }
        let systemNames = try await self.systemNames(project, on: db)
        return try rows.map { r in
            let id = try r.uuid(0)
            let system = try r.intOrNil(4)
            return BudgetLineView(
                line: BudgetLine(id: id, number: try r.int(1), fiscalYear: try r.int(2), category: CostCategory(rawValue: try r.string(3)) ?? .development,
                                 systemNumber: system, name: try r.string(5), original: .yen(Int64(try r.int(6)))),
                systemName: system.flatMap { systemNames[$0] }, revisions: revisions[id] ?? [], version: try r.int(7))
        }
    }

    /// The project's systems by number (their names).
    func systemNames(_ project: UUID, on db: any Database) async throws -> [Int: String] {
        var out: [Int: String] = [:]
        for r in try await db.readRows("SELECT number, title FROM register_items WHERE project_id = \(bind: project) AND register = 'S'",
                                       columns: ["number", "title"]) {
            out[try r.int(0)] = try r.string(1)
        }
        return out
    }

    static let estimateColumns = ["e.id", "e.line_id", "l.number", "e.vendor_id", "e.version", "e.amount", "e.effort_tenths", "e.received_on",
                                  "e.valid_until", "e.assumptions", "e.chosen", "r.number"]

    /// Estimates of the project, every vendor's or `vendor`'s only.
    func estimates(_ project: UUID, vendor: UUID?, on db: any Database) async throws -> [EstimateView] {
        let columns = Self.estimateColumns.map { $0.replacingOccurrences(of: ".", with: "_") }
        let select = zip(Self.estimateColumns, columns).map { "\($0) AS \($1)" }.joined(separator: ", ")
        let rows: [RowReader]
        if let vendor {
            rows = try await db.readRows("""
                SELECT \(unsafeRaw: select) FROM ledger_estimates e JOIN budget_lines l ON l.id = e.line_id
                LEFT JOIN estimate_requests r ON r.id = e.request_id WHERE e.project_id = \(bind: project) AND e.vendor_id = \(bind: vendor) ORDER BY l.number, e.received_on, e.version
                """, columns: columns)
        } else {
            rows = try await db.readRows("""
                SELECT \(unsafeRaw: select) FROM ledger_estimates e JOIN budget_lines l ON l.id = e.line_id
                LEFT JOIN estimate_requests r ON r.id = e.request_id WHERE e.project_id = \(bind: project) ORDER BY l.number, e.received_on, e.version
                """, columns: columns)
        }
        let vendors = try await names(table: "companies", column: "name", ids: Set(try rows.compactMap { try $0.uuidOrNil(3) }), on: db)
        let parts = try await estimateParts(try rows.map { try $0.uuid(0) }, on: db)
        // By line, then vendor, then version: each vendor's estimates side by side for the aggregation.
        return try rows.map { r in
            let vendor = try r.uuidOrNil(3)
            let id = try r.uuid(0)
            return EstimateView(id: id, lineID: try r.uuid(1), lineNumber: try r.int(2), vendorID: vendor, vendorName: vendor.flatMap { vendors[$0] },
                                version: try r.int(4), amount: .yen(Int64(try r.int(5))), effortTenths: try r.intOrNil(6),
                                received: CalendarDate(iso: try r.string(7)) ?? CalendarDate(year: 2000, month: 1, day: 1)!,
                                validUntil: try r.stringOrNil(8).flatMap(CalendarDate.init(iso:)), assumptions: try r.string(9), chosen: try r.bool(10),
                                requestNumber: try r.intOrNil(11), parts: parts[id] ?? [])
        }.sorted { ($0.lineNumber, $0.vendorName ?? "", $0.version) < ($1.lineNumber, $1.vendorName ?? "", $1.version) }
    }

    /// The breakdowns of `ids`, each in the vendor's order.
    func estimateParts(_ ids: [UUID], on db: any Database) async throws -> [UUID: [EstimatePart]] {
        guard !ids.isEmpty, try await store.hasMigrated("M033CreateEstimateParts", on: db) else { return [:] }
        var out: [UUID: [EstimatePart]] = [:]
        for r in try await db.readRows("""
            SELECT estimate_id, phase, category, amount FROM estimate_parts WHERE estimate_id IN (\(binds: ids)) ORDER BY position
            """, columns: ["estimate_id", "phase", "category", "amount"]) {
            out[try r.uuid(0), default: []].append(EstimatePart(phase: try r.string(1), category: try r.stringOrNil(2).flatMap(CostCategory.init(rawValue:)),
                                                                amount: .yen(Int64(try r.int(3)))))
        }
        return out
    }

    static let orderColumns = ["o.id", "o.number", "o.line_id", "l.number", "l.name", "o.vendor_id", "o.title", "o.contract_type", "o.amount",
                               "o.tax_basis_points", "o.order_date", "o.estimate_id", "o.overrun_reason", "o.version"]

    /// Orders of the project with their milestones and change orders, every vendor's or `vendor`'s only.
    func orders(_ project: UUID, vendor: UUID?, number: Int? = nil, on db: any Database) async throws -> [OrderView] {
        let columns = Self.orderColumns.map { $0.replacingOccurrences(of: ".", with: "_") }
        let select = zip(Self.orderColumns, columns).map { "\($0) AS \($1)" }.joined(separator: ", ")
        var condition: SQLQueryString = "o.project_id = \(bind: project)"
        if let vendor { condition = "\(condition) AND o.vendor_id = \(bind: vendor)" }
        if let number { condition = "\(condition) AND o.number = \(bind: number)" }
        let rows = try await db.readRows("""
            SELECT \(unsafeRaw: select) FROM ledger_orders o JOIN budget_lines l ON l.id = o.line_id WHERE \(condition) ORDER BY o.number
            """, columns: columns)
        let ids = try rows.map { try $0.uuid(0) }
        var milestones: [UUID: [MilestoneView]] = [:]
        var changes: [UUID: [ChangeOrderView]] = [:]
        var shares: [UUID: [OrderShareView]] = [:]
        if !ids.isEmpty {
            if try await store.hasMigrated("M032CreateOrderLines", on: db) {
                for r in try await db.readRows("""
                    SELECT s.order_id, s.line_id, l.number, l.name, s.amount FROM order_lines s JOIN budget_lines l ON l.id = s.line_id
                    WHERE s.order_id IN (\(binds: ids)) ORDER BY s.position
                    """, columns: ["order_id", "line_id", "number", "name", "amount"]) {
                    shares[try r.uuid(0), default: []].append(OrderShareView(lineID: try r.uuid(1), lineNumber: try r.int(2), lineName: try r.string(3),
                                                                             amount: .yen(Int64(try r.int(4)))))
                }
            }
            for r in try await db.readRows("""
                SELECT id, order_id, name, deliverables, amount, planned_acceptance, accepted, planned_payment, paid, paying_department
                FROM order_milestones WHERE order_id IN (\(binds: ids)) ORDER BY position
                """, columns: ["id", "order_id", "name", "deliverables", "amount", "planned_acceptance", "accepted", "planned_payment", "paid", "paying_department"]) {
                let m = OrderMilestone(id: try r.uuid(0), amount: .yen(Int64(try r.int(4))),
                                       plannedAcceptance: YearMonth(iso: try r.string(5)) ?? YearMonth(year: 2000, month: 1)!,
                                       accepted: try r.stringOrNil(6).flatMap(YearMonth.init(iso:)),
                                       plannedPayment: YearMonth(iso: try r.string(7)) ?? YearMonth(year: 2000, month: 1)!,
                                       paid: try r.stringOrNil(8).flatMap(YearMonth.init(iso:)))
                milestones[try r.uuid(1), default: []].append(MilestoneView(milestone: m, name: try r.string(2), deliverables: try r.string(3),
                                                                             payingDepartment: try r.string(9)))
            }
            for r in try await db.readRows("""
                SELECT id, order_id, amount, status, change_number, reason FROM change_orders WHERE order_id IN (\(binds: ids)) ORDER BY created_at
                """, columns: ["id", "order_id", "amount", "status", "change_number", "reason"]) {
                changes[try r.uuid(1), default: []].append(ChangeOrderView(
                    changeOrder: ChangeOrder(id: try r.uuid(0), amount: .yen(Int64(try r.int(2))),
                                             status: ChangeOrder.Status(rawValue: try r.string(3)) ?? .proposed),
                    changeNumber: try r.intOrNil(4), reason: try r.string(5)))
            }
        }
        let vendors = try await names(table: "companies", column: "name", ids: Set(try rows.compactMap { try $0.uuidOrNil(5) }), on: db)
        return try rows.map { r in
            let id = try r.uuid(0)
            let vendor = try r.uuidOrNil(5)
            return OrderView(id: id, number: try r.int(1), lineID: try r.uuid(2), lineNumber: try r.int(3), lineName: try r.string(4),
                             shares: shares[id] ?? [], vendorID: vendor, vendorName: vendor.flatMap { vendors[$0] }, title: try r.string(6),
                             contractType: ContractType(rawValue: try r.string(7)), amount: .yen(Int64(try r.int(8))),
                             taxRate: TaxRate(basisPoints: try r.int(9)),
                             orderDate: CalendarDate(iso: try r.string(10)) ?? CalendarDate(year: 2000, month: 1, day: 1)!,
                             estimateID: try r.uuidOrNil(11), overrunReason: try r.string(12), milestones: milestones[id] ?? [],
                             changeOrders: changes[id] ?? [], version: try r.int(13))
        }
    }

    /// One order the caller may see (a vendor: its own), else `order.not_found`.
    public func order(_ caller: Caller, key: String, number: Int) async throws -> OrderView {
        let context = try await projectContext(caller, key: key)
        return try await visibleOrder(context, number: number, on: db)
    }

    func visibleOrder(_ context: ProjectContext, number: Int, on db: any Database) async throws -> OrderView {
        let vendor: UUID? = try await seesCommercial(context, on: db) ? nil : context.actor.companyID.rawValue
        guard let order = try await orders(context.projectID, vendor: vendor, number: number, on: db).first else {
            throw DomainError.notFound("order.not_found", "There is no order O\(number) you may see in \(context.project.key).")
        }
        return order
    }
}
