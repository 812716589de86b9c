import Foundation

/// A budget line as written.
public struct BudgetLineFields: Sendable, Equatable {
    public var fiscalYear: Int
    public var category: CostCategory
    /// `S3` of the project's systems register, none for project-wide money.
    public var systemNumber: Int?
    public var name: String
    public var original: Money

    public init(fiscalYear: Int, category: CostCategory, systemNumber: Int? = nil, name: String, original: Money) {
        self.fiscalYear = fiscalYear
        self.category = category
        self.systemNumber = systemNumber
        self.name = name
        self.original = original
    }
}

/// An estimate as received.
public struct EstimateFields: Sendable, Equatable {
    public var lineNumber: Int
    public var vendorID: UUID?
    public var amount: Money
    public var effortTenths: Int?
    public var received: CalendarDate
    public var validUntil: CalendarDate?
    public var assumptions: String
    public var chosen: Bool
    /// The request for estimate it answers (E2 is 2), when there was one.
    public var requestNumber: Int?
    /// Its amount by phase and category (見積内訳), when the vendor broke it down.
    public var parts: [EstimatePart]

    public init(lineNumber: Int, vendorID: UUID?, amount: Money, effortTenths: Int? = nil, received: CalendarDate, validUntil: CalendarDate? = nil,
                assumptions: String = "", chosen: Bool = false, requestNumber: Int? = nil, parts: [EstimatePart] = []) {
        self.requestNumber = requestNumber
        self.parts = parts
        self.lineNumber = lineNumber
        self.vendorID = vendorID
        self.amount = amount
        self.effortTenths = effortTenths
        self.received = received
        self.validUntil = validUntil
        self.assumptions = assumptions
        self.chosen = chosen
    }
}

/// An acceptance and its payment as written.
public struct MilestoneFields: Sendable, Equatable {
    public var name: String
    public var deliverables: String
    public var amount: Money
    public var plannedAcceptance: YearMonth
    public var accepted: YearMonth?
    public var plannedPayment: YearMonth
    public var paid: YearMonth?
    public var payingDepartment: String

    public init(name: String, deliverables: String = "", amount: Money, plannedAcceptance: YearMonth, accepted: YearMonth? = nil,
                plannedPayment: YearMonth, paid: YearMonth? = nil, payingDepartment: String = "") {
        self.name = name
        self.deliverables = deliverables
        self.amount = amount
        self.plannedAcceptance = plannedAcceptance
        self.accepted = accepted
        self.plannedPayment = plannedPayment
        self.paid = paid
        self.payingDepartment = payingDepartment
    }
}

/// A budget line an order draws on and the share of the order it pays, as written.
public struct OrderShareFields: Sendable, Equatable {
    public var lineNumber: Int
    public var amount: Money
    public init(lineNumber: Int, amount: Money) {
        self.lineNumber = lineNumber
        self.amount = amount
    }
}

/// An order as written.
public struct OrderFields: Sendable, Equatable {
    /// The line it draws on (the first of `shares` when it draws on several).
    public var lineNumber: Int
    /// The lines it draws on with their shares, when more than one; empty: all of it on `lineNumber`.
    public var shares: [OrderShareFields]
    public var vendorID: UUID?
    public var title: String
    public var contractType: ContractType
    public var amount: Money
    public var taxRate: TaxRate
    public var orderDate: CalendarDate
    public var estimateID: UUID?
    public var overrunReason: String
    public var milestones: [MilestoneFields]

    public init(lineNumber: Int, shares: [OrderShareFields] = [], vendorID: UUID?, title: String, contractType: ContractType = .fixedPrice, amount: Money,
                taxRate: TaxRate = .standard, orderDate: CalendarDate, estimateID: UUID? = nil, overrunReason: String = "", milestones: [MilestoneFields] = []) {
        self.lineNumber = lineNumber
        self.shares = shares
        self.vendorID = vendorID
        self.title = title
        self.contractType = contractType
        self.amount = amount
        self.taxRate = taxRate
        self.orderDate = orderDate
        self.estimateID = estimateID
        self.overrunReason = overrunReason
        self.milestones = milestones
    }

    /// The lines it draws on and their shares: `shares`, or all of it on its one line.
    public var lineShares: [OrderShareFields] { shares.isEmpty ? [OrderShareFields(lineNumber: lineNumber, amount: amount)] : shares }
}

/// One row of an imported budget ledger sheet (予算管理表): the sheet line it came from, the line's or order's number
/// (nil creates one), the version it was exported at (nil: no check for edits made since), and its fields.
public struct LedgerSheetRow<Fields: Sendable & Equatable>: Sendable, Equatable {
    public var line: Int
    public var number: Int?
    public var version: Int?
    public var fields: Fields

    public init(line: Int, number: Int?, version: Int?, fields: Fields) {
        self.line = line
        self.number = number
        self.version = version
        self.fields = fields
    }
}

/// An order's acceptance and payment milestones as the sheet lists them, in order, with the sheet lines they are on.
public struct LedgerSheetMilestones: Sendable, Equatable {
    public var orderNumber: Int
    public var lines: [Int]
    public var milestones: [MilestoneFields]

    public init(orderNumber: Int, lines: [Int], milestones: [MilestoneFields]) {
        self.orderNumber = orderNumber
        self.lines = lines
        self.milestones = milestones
    }
}

/// What an imported ledger sheet asks for: budget lines and orders to create or change, and the milestones of
/// existing orders (an order's listed milestones replace its milestones; an order the milestone sheet does not list
/// keeps its own).
public struct LedgerSheetImport: Sendable, Equatable {
    public var lines: [LedgerSheetRow<BudgetLineFields>]
    public var orders: [LedgerSheetRow<OrderFields>]
    public var milestones: [LedgerSheetMilestones]

    public init(lines: [LedgerSheetRow<BudgetLineFields>] = [], orders: [LedgerSheetRow<OrderFields>] = [], milestones: [LedgerSheetMilestones] = []) {
        self.lines = lines
        self.orders = orders
        self.milestones = milestones
    }
}
