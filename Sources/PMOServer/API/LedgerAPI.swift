import Foundation
import PMOCore
import PMOStore
import Vapor

/// The budget ledger (予算管理表) of a project: budget lines by fiscal year and their revisions, the vendors'
/// estimates, orders with change orders and acceptance and payment milestones, and the sums per line and year.
/// Amounts are whole yen before tax (integers); the ledger's answers give tax and the amount with tax beside them.
enum LedgerAPI {
    static let tag = "ledger"

    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects/{key}/ledger",
              summary: "The budget ledger: lines, estimates, orders and the sums per line and fiscal year (a vendor: its own estimates and orders, no budget)",
              tag: tag, response: "Ledger") { req in
            let view = try await req.store.ledger.ledger(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: LedgerBody(view))
        }
        r.add(.POST, "/projects/{key}/ledger/lines", summary: "Add a budget line: one fiscal year's money for a category (and a system)",
              tag: tag, request: "BudgetLineInput", response: "BudgetLine", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(BudgetLineInputBody.self, code: "ledger.invalid")
            let line = try await req.store.ledger.addLine(caller, key: try req.projectKey(), try body.fields())
            return try MeetingJSON.response(body: BudgetLineBody(line, key: try req.projectKey()), status: .created)
        }
        r.add(.POST, "/projects/{key}/ledger/lines/{number}/revisions",
              summary: "Record an approved revision of a line's budget (negative moves money away), with the change or decision behind it",
              tag: tag, request: "BudgetRevisionInput", response: "BudgetLine", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(BudgetRevisionInputBody.self, code: "ledger.invalid")
            let date = body.date.flatMap(CalendarDate.init(iso:)) ?? req.today(for: caller).0
            let line = try await req.store.ledger.revise(caller, key: key, line: try req.pathInt("number"), amount: .yen(body.amount),
                                                         reason: body.reason, cause: body.cause, date: date)
            return try MeetingJSON.response(body: BudgetLineBody(line, key: key), status: .created)
        }
        r.add(.POST, "/projects/{key}/ledger/estimates", summary: "Record an estimate received from a vendor for a budget line",
              tag: tag, request: "EstimateInput", response: "Estimate", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(EstimateInputBody.self, code: "ledger.invalid")
            let estimate = try await req.store.ledger.addEstimate(caller, key: try req.projectKey(), try body.fields())
            return try MeetingJSON.response(body: EstimateBody(estimate), status: .created)
        }
        r.add(.POST, "/projects/{key}/ledger/orders",
              summary: "Place an order on a budget line with its acceptance and payment milestones; above the line's remaining budget it needs overrunReason",
              tag: tag, request: "OrderInput", response: "Order", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(OrderInputBody.self, code: "ledger.invalid")
            let order = try await req.store.ledger.addOrder(caller, key: try req.projectKey(), try body.fields())
            return try MeetingJSON.response(body: OrderBody(order, key: try req.projectKey()), status: .created, version: order.version)
        }
        r.add(.GET, "/projects/{key}/ledger/orders/{number}", summary: "One order with its milestones and change orders (a vendor: its own)",
              tag: tag, response: "Order") { req in
            let order = try await req.store.ledger.order(try req.requireCaller(), key: try req.projectKey(), number: try req.pathInt("number"))
            return try MeetingJSON.response(body: OrderBody(order, key: try req.projectKey()), version: order.version)
        }
        r.add(.PUT, "/projects/{key}/ledger/orders/{number}/milestones",
              summary: "Replace an order's milestones: record an acceptance or a payment (If-Match optional)",
              tag: tag, request: "MilestonesInput", response: "Order", access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(MilestonesInputBody.self, code: "ledger.invalid")
            let order = try await req.store.ledger.setMilestones(caller, key: try req.projectKey(), order: try req.pathInt("number"),
                                                                 try body.milestones.map { try $0.fields() }, expectedVersion: try SignalAPI.ifMatch(req))
            return try MeetingJSON.response(body: OrderBody(order, key: try req.projectKey()), version: order.version)
        }
        r.add(.POST, "/projects/{key}/ledger/orders/{number}/change-orders",
              summary: "Add a change order: proposed from a change request's cost impact, or agreed with the vendor",
              tag: tag, request: "ChangeOrderInput", response: "Order", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(ChangeOrderInputBody.self, code: "ledger.invalid")
            let order = try await req.store.ledger.addChangeOrder(caller, key: try req.projectKey(), order: try req.pathInt("number"), amount: body.amount.map(Money.yen),
                                                                  status: body.status ?? .proposed, changeNumber: try body.changeNumber(),
                                                                  reason: body.reason ?? "")
            return try MeetingJSON.response(body: OrderBody(order, key: try req.projectKey()), status: .created, version: order.version)
        }
        r.add(.GET, "/projects/{key}/ledger/change-order-proposals",
              summary: "Approved change requests with a cost impact and no change order yet, each with the order suggested by the systems it affects",
              tag: tag, response: "ChangeOrderProposalList") { req in
            let key = try req.projectKey()
            let list = try await req.store.ledger.changeOrderProposals(try req.requireCaller(), key: key)
            return try MeetingJSON.response(body: ChangeOrderProposalListBody(items: list.map { ChangeOrderProposalBody($0, key: key) }))
        }
        r.add(.PUT, "/projects/{key}/ledger/orders/{number}/change-orders/{id}",
              summary: "Agree or withdraw a change order", tag: tag, request: "ChangeOrderStatusInput", response: "Order", access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(ChangeOrderStatusInputBody.self, code: "ledger.invalid")
            let order = try await req.store.ledger.setChangeOrderStatus(caller, key: try req.projectKey(), order: try req.pathInt("number"),
                                                                        changeOrder: try req.pathUUID("id"), status: body.status)
            return try MeetingJSON.response(body: OrderBody(order, key: try req.projectKey()), version: order.version)
        }
        r.add(.PUT, "/projects/{key}/memberships/{userId}/commercial",
              summary: "Grant or take back a member's commercial right: budgets and every vendor's estimates and orders (not for vendors' staff)",
              tag: tag, request: "CommercialGrant", response: "CommercialGrant", access: .manager) { req in
            let caller = try req.writer()
            let body = try req.body(CommercialGrantBody.self, code: "ledger.invalid")
            let sees = try await req.store.ledger.setCommercial(caller, key: try req.projectKey(), userID: try req.pathUUID("userId"), granted: body.granted)
            return try MeetingJSON.response(body: CommercialGrantBody(granted: sees))
        }
        r.add(.GET, "/settings/fiscal-year", summary: "The month the organisation's fiscal year starts in (4: April)", tag: tag,
              response: "FiscalYearSetting") { req in
            _ = try req.requireCaller()
            return try MeetingJSON.response(body: FiscalYearSettingBody(firstMonth: try await req.store.ledger.fiscalCalendar().firstMonth))
        }
        r.add(.PUT, "/settings/fiscal-year", summary: "Set the month the organisation's fiscal year starts in (one setting, so portfolio totals add up)",
              tag: tag, request: "FiscalYearSetting", response: "FiscalYearSetting", access: .admin) { req in
            let caller = try req.writer()
            let body = try req.body(FiscalYearSettingBody.self, code: "ledger.invalid")
            let calendar = try await req.store.ledger.setFiscalFirstMonth(caller, body.firstMonth)
            return try MeetingJSON.response(body: FiscalYearSettingBody(firstMonth: calendar.firstMonth))
        }
        r.add(.GET, "/settings/contract-types", summary: "The contract types an order may take: the built-in ones and the organisation's own", tag: tag,
              response: "ContractTypes") { req in
            _ = try req.requireCaller()
            return try MeetingJSON.response(body: ContractTypesBody(custom: try await req.store.ledger.customContractTypes()))
        }
        r.add(.PUT, "/settings/contract-types", summary: "Replace the organisation's own contract types (orders keep a type taken off the list)",
              tag: tag, request: "ContractTypesInput", response: "ContractTypes", access: .admin) { req in
            let caller = try req.writer()
            let body = try req.body(ContractTypesInputBody.self, code: "ledger.invalid")
            return try MeetingJSON.response(body: ContractTypesBody(custom: try await req.store.ledger.setContractTypes(caller, body.contractTypes)))
        }
    }

    static var requestBodies: [any PMOServer.RequestBody.Type] {
        [BudgetLineInputBody.self, BudgetRevisionInputBody.self, EstimateInputBody.self, EstimatePartInputBody.self, OrderInputBody.self, OrderLineInputBody.self, MilestoneInputBody.self,
         MilestonesInputBody.self, ChangeOrderInputBody.self, ChangeOrderStatusInputBody.self, FiscalYearSettingBody.self, CommercialGrantBody.self,
         ContractTypesInputBody.self]
    }
    static var derivedBodies: [any DocumentedBody.Type] {
        [LedgerBody.self, LedgerYearBody.self, LedgerRowBody.self, BudgetLineBody.self, BudgetRevisionBody.self, EstimateBody.self, EstimatePartBody.self, OrderBody.self, OrderLineBody.self,
         MilestoneBody.self, ChangeOrderBody.self, ChangeOrderProposalBody.self, ChangeOrderProposalListBody.self, ContractTypesBody.self]
    }

    /// A contract type as the schemas take it: a built-in code or one of the organisation's own names.
    static let contractType = JSONSchema.string.maxLength(ContractType.nameMax)
        .described("A built-in type (\(ContractType.builtIn.map(\.rawValue).joined(separator: ", "))) or one of the organisation's own (GET /settings/contract-types)")

    /// An amount as the schemas take it: whole yen, before tax.
    static let amount = JSONSchema.integer.range(0, Double(MoneyText.maximum)).refusedAs("out_of_range").described("Whole yen, before tax")
    static let signedAmount = JSONSchema.integer.range(-Double(MoneyText.maximum), Double(MoneyText.maximum)).refusedAs("out_of_range")
    static let month = JSONSchema.string.pattern("^[0-9]{4}-(0[1-9]|1[0-2])$").refusedAs("invalid_month").described("A month, YYYY-MM")

    /// `S3` or `KEY-S3` as the system's number, refused naming `field` when it is something else.
    static func number(_ text: String?, _ type: ItemType, field: String) throws -> Int? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let ref = ItemReference(text.trimmingCharacters(in: .whitespaces)), ref.type == type else {
            throw DomainError.invalid("ledger.invalid", [FieldError(field: field, code: "invalid_reference",
                                                                    message: "\(field) is a reference such as \(type.rawValue)3.")])
        }
        return ref.number
    }
}

extension CostCategory: StringChoice {}
extension ChangeOrder.Status: StringChoice {}

// MARK: Requests

struct BudgetLineInputBody: RequestBody {
    static let schemaName = "BudgetLineInput"
    static var schemaHints: [String: JSONSchema] {
        ["fiscalYear": JSONSchema.integer.range(Double(LedgerRules.yearRange.lowerBound), Double(LedgerRules.yearRange.upperBound)).refusedAs("out_of_range")
            .described("The fiscal year, named by the year it starts in (FY2026: April 2026 to March 2027)"),
         "system": JSONSchema.itemReference.orNull.described("The system the money is for (S3), none for project-wide money"),
         "name": JSONSchema.text(LedgerRules.nameMax), "original": LedgerAPI.amount]
    }
    var fiscalYear: Int
    var category: CostCategory
    var system: String?
    var name: String
    var original: Int64

    func fields() throws -> BudgetLineFields {
        BudgetLineFields(fiscalYear: fiscalYear, category: category, systemNumber: try LedgerAPI.number(system, .system, field: "system"),
                         name: name, original: .yen(original))
    }
}

struct BudgetRevisionInputBody: RequestBody {
    static let schemaName = "BudgetRevisionInput"
    static var schemaHints: [String: JSONSchema] {
        ["amount": LedgerAPI.signedAmount.described("Whole yen, signed: negative moves money away"), "reason": JSONSchema.text(LedgerRules.textMax),
         "cause": JSONSchema.itemReference.orNull.described("The change request or decision behind it (C4, D2)"),
         "date": JSONSchema.date.described("The day it was approved (today when left out)")]
    }
    var amount: Int64
    var reason: String
    var cause: String?
    var date: String?
}

/// One part of an estimate's breakdown (見積内訳).
struct EstimatePartInputBody: RequestBody {
    static let schemaName = "EstimatePartInput"
    static var schemaHints: [String: JSONSchema] {
        ["phase": JSONSchema.string.maxLength(EstimateBreakdown.phaseMax).described("The phase as the vendor writes it (requirements, design…); may be left out when a category is given"),
         "category": JSONSchema.nullableEnumeration(CostCategory.choices).described("The cost category; may be left out when a phase is given"),
         "amount": LedgerAPI.amount]
    }
    var phase: String?
    var category: CostCategory?
    var amount: Int64
}

struct EstimateInputBody: RequestBody {
    static let schemaName = "EstimateInput"
    static var schemaHints: [String: JSONSchema] {
        ["line": JSONSchema.integer.range(1, 1_000_000).refusedAs("out_of_range").described("The budget line's number (L3 is 3)"),
         "vendorId": .uuid, "amount": LedgerAPI.amount,
         "effort": JSONSchema.nullableNumber.range(0, 100_000).refusedAs("out_of_range").described("Person-months, to a tenth"),
         "received": JSONSchema.string.format("date"), "validUntil": JSONSchema.date,
         "assumptions": JSONSchema.string.maxLength(LedgerRules.textMax),
         "chosen": JSONSchema.boolean.described("Chosen for the order; a line's estimated figure is its chosen estimates"),
         "request": JSONSchema.integer.range(1, 1_000_000).refusedAs("out_of_range").orNull
            .described("The request for estimate it answers (E2 is 2): the vendor must have been asked, on the same line"),
         "breakdown": JSONSchema.array(.ref("EstimatePartInput")).itemCount(0...EstimateBreakdown.partsMax).orNull
            .described("The amount by phase and cost category; the parts add up to amount")]
    }
    var line: Int
    var vendorId: String
    var amount: Int64
    var effort: Double?
    var received: String
    var validUntil: String?
    var assumptions: String?
    var chosen: Bool?
    var request: Int?
    var breakdown: [EstimatePartInputBody]?

    func fields() throws -> EstimateFields {
        var e = FieldErrors()
        let receivedDate = CalendarDate(iso: received)
        if receivedDate == nil { e.add("received", "invalid_date", "received is a date, YYYY-MM-DD.") }
        let valid = validUntil.flatMap(CalendarDate.init(iso:))
        if validUntil != nil && valid == nil { e.add("validUntil", "invalid_date", "validUntil is a date, YYYY-MM-DD.") }
        let tenths = effort.map { ($0 * 10).rounded() }
        if let effort, let tenths, abs(effort * 10 - tenths) > 1e-6 { e.add("effort", "too_precise", "Effort is in person-months to a tenth, e.g. 12.5.") }
        try e.throwIfAny("ledger.invalid")
        return EstimateFields(lineNumber: line, vendorID: UUID(uuidString: vendorId), amount: .yen(amount), effortTenths: tenths.map { Int($0) },
                              received: receivedDate!, validUntil: valid, assumptions: assumptions ?? "", chosen: chosen ?? false,
                              requestNumber: request,
                              parts: (breakdown ?? []).map { EstimatePart(phase: $0.phase ?? "", category: $0.category, amount: .yen($0.amount)) })
    }
}

struct MilestoneInputBody: RequestBody {
    static let schemaName = "MilestoneInput"
    static var schemaHints: [String: JSONSchema] {
        ["name": JSONSchema.text(LedgerRules.nameMax), "deliverables": JSONSchema.string.maxLength(LedgerRules.textMax), "amount": LedgerAPI.amount,
         "plannedAcceptance": LedgerAPI.month, "accepted": LedgerAPI.month.orNull.described("The month it was accepted"),
         "plannedPayment": LedgerAPI.month, "paid": LedgerAPI.month.orNull.described("The month it was paid"),
         "payingDepartment": JSONSchema.string.maxLength(LedgerRules.nameMax)]
    }
    var name: String
    var deliverables: String?
    var amount: Int64
    var plannedAcceptance: String
    var accepted: String?
    var plannedPayment: String
    var paid: String?
    var payingDepartment: String?

    func fields() throws -> MilestoneFields {
        // The schema's pattern has refused anything but YYYY-MM, so each month reads.
        guard let plannedAcceptance = YearMonth(iso: plannedAcceptance), let plannedPayment = YearMonth(iso: plannedPayment) else {
            throw DomainError.invalid("ledger.invalid", [FieldError(field: "plannedAcceptance", code: "invalid_month", message: "A month is YYYY-MM.")])
        }
        return MilestoneFields(name: name, deliverables: deliverables ?? "", amount: .yen(amount), plannedAcceptance: plannedAcceptance,
                               accepted: accepted.flatMap(YearMonth.init(iso:)), plannedPayment: plannedPayment, paid: paid.flatMap(YearMonth.init(iso:)),
                               payingDepartment: payingDepartment ?? "")
    }
}

struct MilestonesInputBody: RequestBody {
    static let schemaName = "MilestonesInput"
    static var schemaHints: [String: JSONSchema] { ["milestones": JSONSchema.array(.ref("MilestoneInput")).itemCount(0...60)] }
    var milestones: [MilestoneInputBody]
}

/// A budget line an order draws on and the share it pays.
struct OrderLineInputBody: RequestBody {
    static let schemaName = "OrderLineInput"
    static var schemaHints: [String: JSONSchema] {
        ["line": JSONSchema.integer.range(1, 1_000_000).refusedAs("out_of_range").described("The budget line's number (L3 is 3)"),
         "amount": LedgerAPI.amount.described("The share of the order this line pays, whole yen before tax")]
    }
    var line: Int
    var amount: Int64
}

struct OrderInputBody: RequestBody {
    static let schemaName = "OrderInput"
    static var schemaHints: [String: JSONSchema] {
        ["line": JSONSchema.integer.range(1, 1_000_000).refusedAs("out_of_range").orNull
            .described("The budget line's number (L3 is 3), for an order on one line; leave it out and give lines for an order drawing on several"),
         "lines": JSONSchema.array(.ref("OrderLineInput")).itemCount(1...LedgerRules.orderLinesMax).orNull
            .described("The budget lines the order draws on with the share each pays, adding up to amount (the first is the line it is listed under)"),
         "vendorId": .uuid, "title": JSONSchema.text(LedgerRules.nameMax), "amount": LedgerAPI.amount,
         "taxRate": JSONSchema.nullableNumber.range(0, 100).refusedAs("out_of_range").described("Consumption tax in percent (10 when left out)"),
         "orderDate": JSONSchema.string.format("date"), "estimateId": .nullableUUID, "contractType": LedgerAPI.contractType,
         "overrunReason": JSONSchema.string.maxLength(LedgerRules.textMax).described("Why an order above its line's remaining budget is placed"),
         "milestones": JSONSchema.array(.ref("MilestoneInput")).itemCount(0...60)]
    }
    var line: Int?
    var lines: [OrderLineInputBody]?
    var vendorId: String
    var title: String
    var contractType: String?
    var amount: Int64
    var taxRate: Double?
    var orderDate: String
    var estimateId: String?
    var overrunReason: String?
    var milestones: [MilestoneInputBody]?

    func fields() throws -> OrderFields {
        var e = FieldErrors()
        let date = CalendarDate(iso: orderDate)
        if date == nil { e.add("orderDate", "invalid_date", "orderDate is a date, YYYY-MM-DD.") }
        var rate = TaxRate.standard
        if let taxRate {
            if let parsed = LedgerRules.parseTaxRate(String(taxRate)) { rate = parsed } else {
                e.add("taxRate", "too_precise", "A tax rate is 0 to 100 percent, to a hundredth (8.25, not 8.125).")
            }
        }
        let shares = (lines ?? []).map { OrderShareFields(lineNumber: $0.line, amount: .yen($0.amount)) }
        if (line == nil) == shares.isEmpty {
            e.add("line", "line_or_lines", "Give line for an order on one budget line, or lines (each line with its share) for one drawing on several, not both.")
        }
        try e.throwIfAny("ledger.invalid")
        return OrderFields(lineNumber: line ?? shares[0].lineNumber, shares: shares, vendorID: UUID(uuidString: vendorId), title: title, contractType: contractType.map(ContractType.init(rawValue:)) ?? .fixedPrice,
                           amount: .yen(amount), taxRate: rate, orderDate: date!, estimateID: estimateId.flatMap(UUID.init(uuidString:)),
                           overrunReason: overrunReason ?? "", milestones: try (milestones ?? []).map { try $0.fields() })
    }
}

struct ChangeOrderInputBody: RequestBody {
    static let schemaName = "ChangeOrderInput"
    static var schemaHints: [String: JSONSchema] {
        ["amount": LedgerAPI.signedAmount.orNull.described("Whole yen before tax, signed: negative reduces the order. Left out with change: the change's cost impact"),
         "change": JSONSchema.itemReference.orNull.described("The change request it comes from (C4)"),
         "reason": JSONSchema.string.maxLength(LedgerRules.textMax)]
    }
    var amount: Int64?
    var status: ChangeOrder.Status?
    var change: String?
    var reason: String?

    func changeNumber() throws -> Int? { try LedgerAPI.number(change, .change, field: "change") }
}

struct ChangeOrderStatusInputBody: RequestBody {
    static let schemaName = "ChangeOrderStatusInput"
    var status: ChangeOrder.Status
}

struct CommercialGrantBody: RequestBody, Codable {
    static let schemaName = "CommercialGrant"
    static var schemaHints: [String: JSONSchema] {
        ["granted": JSONSchema.boolean.described("Given: grant or take back. Answered: whether the member now sees commercial data (by role or by the grant)")]
    }
    var granted: Bool
}

/// The organisation's own contract types, replacing the list (each at most 40 characters; blanks and repeats dropped).
struct ContractTypesInputBody: RequestBody {
    static let schemaName = "ContractTypesInput"
    static var schemaHints: [String: JSONSchema] {
        ["contractTypes": JSONSchema.array(JSONSchema.string.maxLength(ContractType.nameMax)).itemCount(0...ContractType.customMax)]
    }
    var contractTypes: [String]
}

/// The contract types an order may take.
struct ContractTypesBody: Codable, DocumentedBody {
    static let schemaName = "ContractTypes"
    static var schemaHints: [String: JSONSchema] {
        ["builtIn": JSONSchema.array(.string).described("The built-in codes; pages show them in the reader's language"),
         "contractTypes": JSONSchema.array(.string).described("The organisation's own, as written")]
    }
    var builtIn: [String]
    var contractTypes: [String]
    init(custom: [ContractType]) {
        builtIn = ContractType.builtIn.map(\.rawValue)
        contractTypes = custom.map(\.rawValue)
    }
}

struct FiscalYearSettingBody: RequestBody, Codable {
    static let schemaName = "FiscalYearSetting"
    static var schemaHints: [String: JSONSchema] {
        ["firstMonth": JSONSchema.integer.range(1, 12).refusedAs("out_of_range").described("The month the fiscal year starts in (4: April)")]
    }
    var firstMonth: Int
}

// MARK: Answers

struct BudgetRevisionBody: Codable, DocumentedBody {
    static let schemaName = "BudgetRevision"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "cause": JSONSchema.nullableString.described("The change request or decision behind it (CRM-C4)"), "date": JSONSchema.string.format("date")]
    }
    var id: String
    var amount: Int64
    var reason: String
    var cause: String?
    var date: String
    init(_ r: BudgetRevision, key: String) {
        id = r.id.uuidString.lowercased()
        amount = r.amount.amount
        reason = r.reason
        cause = r.cause.map { $0.type.reference(projectKey: key, number: $0.number) }
        date = r.date.description
    }
}

struct BudgetLineBody: Codable, DocumentedBody {
    static let schemaName = "BudgetLine"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "system": JSONSchema.nullableString.described("CRM-S1, null for project-wide money"), "category": .enumeration(CostCategory.choices)]
    }
    var id: String
    var number: Int
    var fiscalYear: Int
    var category: String
    var system: String?
    var systemName: String?
    var name: String
    var original: Int64
    var revisions: [BudgetRevisionBody]
    var budget: Int64
    var version: Int
    init(_ v: BudgetLineView, key: String) {
        id = v.line.id.uuidString.lowercased()
        number = v.line.number
        fiscalYear = v.line.fiscalYear
        category = v.line.category.rawValue
        system = v.line.systemNumber.map { ItemType.system.reference(projectKey: key, number: $0) }
        systemName = v.systemName
        name = v.line.name
        original = v.line.original.amount
        revisions = v.revisions.map { BudgetRevisionBody($0, key: key) }
        budget = (v.line.original + v.revisions.map(\.amount).sum()).amount
        version = v.version
    }
}

/// One part of an estimate's breakdown.
struct EstimatePartBody: Codable, DocumentedBody {
    static let schemaName = "EstimatePart"
    static var schemaHints: [String: JSONSchema] { ["category": JSONSchema.nullableEnumeration(CostCategory.choices), "phase": JSONSchema.string.described("Empty when by category only")] }
    var phase: String
    var category: String?
    var amount: Int64
}

struct EstimateBody: Codable, DocumentedBody {
    static let schemaName = "Estimate"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "vendorId": .nullableUUID, "received": JSONSchema.string.format("date"), "validUntil": JSONSchema.date,
         "effort": JSONSchema.nullableNumber.described("Person-months"),
         "request": JSONSchema.nullableInteger.described("The request for estimate it answers (E2 is 2)"),
         "breakdown": JSONSchema.array(.ref("EstimatePart")).described("The amount by phase and cost category, as the vendor broke it down (empty: none)")]
    }
    var id: String
    var line: Int
    var vendorId: String?
    var vendorName: String?
    var version: Int
    var amount: Int64
    var effort: Double?
    var received: String
    var validUntil: String?
    var assumptions: String
    var chosen: Bool
    var request: Int?
    var breakdown: [EstimatePartBody]
    init(_ e: EstimateView) {
        id = e.id.uuidString.lowercased()
        line = e.lineNumber
        vendorId = e.vendorID?.uuidString.lowercased()
        vendorName = e.vendorName
        version = e.version
        amount = e.amount.amount
        effort = e.effortTenths.map { Double($0) / 10 }
        received = e.received.description
        validUntil = e.validUntil?.description
        assumptions = e.assumptions
        chosen = e.chosen
        request = e.requestNumber
        breakdown = e.parts.map { EstimatePartBody(phase: $0.phase, category: $0.category?.rawValue, amount: $0.amount.amount) }
    }
}

struct MilestoneBody: Codable, DocumentedBody {
    static let schemaName = "Milestone"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "plannedAcceptance": LedgerAPI.month, "accepted": LedgerAPI.month.orNull, "plannedPayment": LedgerAPI.month,
         "paid": LedgerAPI.month.orNull]
    }
    var id: String
    var name: String
    var deliverables: String
    var amount: Int64
    var amountIncludingTax: Int64
    var plannedAcceptance: String
    var accepted: String?
    var plannedPayment: String
    var paid: String?
    var payingDepartment: String
    init(_ m: MilestoneView, rate: TaxRate) {
        id = m.milestone.id.uuidString.lowercased()
        name = m.name
        deliverables = m.deliverables
        amount = m.milestone.amount.amount
        amountIncludingTax = rate.including(m.milestone.amount).amount
        plannedAcceptance = m.milestone.plannedAcceptance.description
        accepted = m.milestone.accepted?.description
        plannedPayment = m.milestone.plannedPayment.description
        paid = m.milestone.paid?.description
        payingDepartment = m.payingDepartment
    }
}

struct ChangeOrderBody: Codable, DocumentedBody {
    static let schemaName = "ChangeOrder"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "status": .enumeration(ChangeOrder.Status.choices), "change": JSONSchema.nullableString.described("CRM-C4")]
    }
    var id: String
    var amount: Int64
    var status: String
    var change: String?
    var reason: String
    init(_ c: ChangeOrderView, key: String) {
        id = c.changeOrder.id.uuidString.lowercased()
        amount = c.changeOrder.amount.amount
        status = c.changeOrder.status.rawValue
        change = c.changeNumber.map { ItemType.change.reference(projectKey: key, number: $0) }
        reason = c.reason
    }
}

/// A budget line an order draws on and its share.
struct OrderLineBody: Codable, DocumentedBody {
    static let schemaName = "OrderLine"
    static var schemaHints: [String: JSONSchema] { ["amount": JSONSchema.integer.described("The share of the order this line pays, before tax")] }
    var line: Int
    var lineName: String
    var amount: Int64
}

struct OrderBody: Codable, DocumentedBody {
    static let schemaName = "Order"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "vendorId": .nullableUUID, "estimateId": .nullableUUID, "contractType": LedgerAPI.contractType,
         "orderDate": JSONSchema.string.format("date"), "taxRate": JSONSchema.number.described("Consumption tax in percent"),
         "orderedAmount": JSONSchema.integer.described("The order and its agreed change orders, before tax"),
         "line": JSONSchema.integer.described("The budget line it draws on (the first of lines when it draws on several)"),
         "lines": JSONSchema.array(.ref("OrderLine")).described("Every budget line it draws on with the share each pays (one entry for an order on one line)"),
         "overrun": JSONSchema.boolean.described("Saved above its line's remaining budget, with overrunReason")]
    }
    var id: String
    var number: Int
    var reference: String
    var line: Int
    var lineName: String
    var lines: [OrderLineBody]
    var vendorId: String?
    var vendorName: String?
    var title: String
    var contractType: String
    var amount: Int64
    var taxRate: Double
    var orderedAmount: Int64
    var orderedTax: Int64
    var orderedIncludingTax: Int64
    var orderDate: String
    var estimateId: String?
    var overrun: Bool
    var overrunReason: String
    var milestones: [MilestoneBody]
    var changeOrders: [ChangeOrderBody]
    var version: Int
    init(_ o: OrderView, key: String) {
        id = o.id.uuidString.lowercased()
        number = o.number
        reference = "O\(o.number)"
        line = o.lineNumber
        lineName = o.lineName
        lines = o.lineShares.map { OrderLineBody(line: $0.lineNumber, lineName: $0.lineName, amount: $0.amount.amount) }
        vendorId = o.vendorID?.uuidString.lowercased()
        vendorName = o.vendorName
        title = o.title
        contractType = o.contractType.rawValue
        amount = o.amount.amount
        taxRate = Double(o.taxRate.basisPoints) / 100
        let ordered = TaxedAmount(o.ledgerOrder.agreedAmount, rate: o.taxRate)
        orderedAmount = ordered.beforeTax.amount
        orderedTax = ordered.tax.amount
        orderedIncludingTax = ordered.includingTax.amount
        orderDate = o.orderDate.description
        estimateId = o.estimateID?.uuidString.lowercased()
        overrun = !o.overrunReason.isEmpty
        overrunReason = o.overrunReason
        milestones = o.milestones.map { MilestoneBody($0, rate: o.taxRate) }
        changeOrders = o.changeOrders.map { ChangeOrderBody($0, key: key) }
        version = o.version
    }
}

struct LedgerRowBody: Codable, DocumentedBody {
    static let schemaName = "LedgerRow"
    static var schemaHints: [String: JSONSchema] {
        ["remaining": JSONSchema.integer.described("Budget − ordered, before tax (negative: an overrun)"),
         "forecast": JSONSchema.integer.described("Ordered + proposed change orders + internal labour at completion"),
         "variance": JSONSchema.integer.described("Forecast − budget (positive: over budget)")]
    }
    var line: Int
    var name: String
    var budget: Int64
    var estimated: Int64
    var ordered: Int64
    var orderedIncludingTax: Int64
    var accepted: Int64
    var acceptedIncludingTax: Int64
    var paid: Int64
    var paidIncludingTax: Int64
    var remaining: Int64
    var expectedChanges: Int64
    var internalLabour: Int64
    var forecast: Int64
    var variance: Int64
    init(_ r: Ledger.Row) {
        line = r.line.number
        name = r.line.name
        budget = r.budget.amount
        estimated = r.estimated.amount
        ordered = r.ordered.beforeTax.amount
        orderedIncludingTax = r.ordered.includingTax.amount
        accepted = r.accepted.beforeTax.amount
        acceptedIncludingTax = r.accepted.includingTax.amount
        paid = r.paid.beforeTax.amount
        paidIncludingTax = r.paid.includingTax.amount
        remaining = r.remaining.amount
        expectedChanges = r.expectedChanges.amount
        internalLabour = r.internalLabour.amount
        forecast = r.forecast.amount
        variance = r.variance.amount
    }
}

struct LedgerYearBody: Codable, DocumentedBody {
    static let schemaName = "LedgerYear"
    var fiscalYear: Int
    var rows: [LedgerRowBody]
    var budget: Int64
    var estimated: Int64
    var ordered: Int64
    var orderedIncludingTax: Int64
    var accepted: Int64
    var paid: Int64
    var paidIncludingTax: Int64
    var remaining: Int64
    var forecast: Int64
    var variance: Int64
    var unbudgetedInternalLabour: Int64
    init(_ y: Ledger.Year) {
        fiscalYear = y.fiscalYear
        rows = y.rows.map(LedgerRowBody.init)
        budget = y.budget.amount
        estimated = y.estimated.amount
        ordered = y.ordered.beforeTax.amount
        orderedIncludingTax = y.ordered.includingTax.amount
        accepted = y.accepted.beforeTax.amount
        paid = y.paid.beforeTax.amount
        paidIncludingTax = y.paid.includingTax.amount
        remaining = y.remaining.amount
        forecast = y.forecast.amount
        variance = y.variance.amount
        unbudgetedInternalLabour = y.unbudgetedInternalLabour.amount
    }
}

struct LedgerBody: Codable, DocumentedBody {
    static let schemaName = "Ledger"
    static var schemaHints: [String: JSONSchema] {
        ["currency": JSONSchema.enumeration(["JPY"]),
         "commercial": JSONSchema.boolean.described("Whether you see the commercial data; without it lines and years are empty and estimates and orders are your company's"),
         "fiscalFirstMonth": JSONSchema.integer.described("The month the organisation's fiscal year starts in")]
    }
    var project: String
    var currency: String
    var fiscalFirstMonth: Int
    var firstFiscalYear: Int
    var lastFiscalYear: Int
    var commercial: Bool
    var canEdit: Bool
    var years: [LedgerYearBody]
    var lines: [BudgetLineBody]
    var estimates: [EstimateBody]
    var orders: [OrderBody]
    init(_ v: LedgerView) {
        project = v.projectKey
        currency = CurrencyCode.jpy.code
        fiscalFirstMonth = v.calendar.firstMonth
        firstFiscalYear = v.years.lowerBound
        lastFiscalYear = v.years.upperBound
        commercial = v.seesCommercial
        canEdit = v.canEdit
        years = v.ledger?.years.map(LedgerYearBody.init) ?? []
        lines = v.lines.map { BudgetLineBody($0, key: v.projectKey) }
        estimates = v.estimates.map(EstimateBody.init)
        orders = v.orders.map { OrderBody($0, key: v.projectKey) }
    }
}

struct ChangeOrderProposalBody: Codable, DocumentedBody {
    static let schemaName = "ChangeOrderProposal"
    static var schemaHints: [String: JSONSchema] {
        ["costImpact": JSONSchema.integer.described("The change's cost impact in whole yen, rounded half up"),
         "suggestedOrder": JSONSchema.integer.orNull.described("The order on a line of a system the change affects (O number), if any")]
    }
    var change: String
    var number: Int
    var title: String
    var status: String
    var costImpact: Int64
    var suggestedOrder: Int?
    init(_ p: ChangeOrderProposal, key: String) {
        change = "\(key)-C\(p.changeNumber)"
        number = p.changeNumber
        title = p.title
        status = p.status
        costImpact = p.costImpact.amount
        suggestedOrder = p.suggestedOrder
    }
}

struct ChangeOrderProposalListBody: Codable, DocumentedBody {
    static let schemaName = "ChangeOrderProposalList"
    var items: [ChangeOrderProposalBody]
}
