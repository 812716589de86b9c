import Foundation

/// What a budget line pays for (予算の費目).
public enum CostCategory: String, CaseIterable, Sendable {
    case development, infrastructure, licences, operations
    case internalLabour = "internal_labour"
    case contingency
}

/// The kind of contract an order is (契約形態): the built-in kinds, 請負 (a deliverable, accepted), 準委任 (work done, by
/// the month), 派遣, licence and other, each with words in both languages; and the organisation's own kinds (保守, SES…),
/// which an administrator lists in the organisation's settings and which are stored and shown as written.
public struct ContractType: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let fixedPrice = ContractType(rawValue: "fixed_price")
    public static let timeAndMaterials = ContractType(rawValue: "time_and_materials")
    public static let staffing = ContractType(rawValue: "staffing")
    public static let licence = ContractType(rawValue: "licence")
    public static let other = ContractType(rawValue: "other")
    public static let builtIn: [ContractType] = [.fixedPrice, .timeAndMaterials, .staffing, .licence, .other]

    public var isBuiltIn: Bool { Self.builtIn.contains(self) }

    /// The longest name of an organisation's own kind, and how many it may list.
    public static let nameMax = 40
    public static let customMax = 30

    /// The organisation's own kinds as an administrator wrote them (a form: one per line): trimmed, blanks and repeats
    /// dropped; refused naming the entry when a name is too long, holds a control character, or is a built-in code.
    public static func custom(_ names: [String]) -> Result<[ContractType], FieldError> {
        var out: [ContractType] = []
        for (i, raw) in names.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty || out.contains(ContractType(rawValue: name)) { continue }
            if name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
                return .failure(FieldError(field: "contractTypes", code: "one_line",
                                           message: "Entry \(i + 1): a contract type's name is one line of text.", subjects: ["\(i + 1)"]))
            }
            if name.count > nameMax {
                return .failure(FieldError(field: "contractTypes", code: "too_long",
                                           message: "Entry \(i + 1): a contract type's name has at most \(nameMax) characters.", subjects: ["\(i + 1)"]))
            }
            if builtIn.contains(ContractType(rawValue: name)) {
                return .failure(FieldError(field: "contractTypes", code: "built_in",
                                           message: "'\(name)' is a built-in contract type; list only the organisation's own.", subjects: [name]))
            }
            out.append(ContractType(rawValue: name))
        }
        if out.count > customMax {
            return .failure(FieldError(field: "contractTypes", code: "too_many", message: "At most \(customMax) contract types of your own."))
        }
        return .success(out)
    }
}

/// One line of a project's budget (予算管理表の予算行): one fiscal year's money for one category, optionally for one
/// system. Budget does not carry over: next year's money is another line, and a revision moves money between lines.
public struct BudgetLine: Sendable, Equatable {
    public var id: UUID
    /// The project's line number (L1, L2…), never reused.
    public var number: Int
    public var fiscalYear: Int
    public var category: CostCategory
    /// The system the money is for (`S3`), none for project-wide money.
    public var systemNumber: Int?
    public var name: String
    /// The budget as first approved, before tax.
    public var original: Money

    public init(id: UUID = UUID(), number: Int, fiscalYear: Int, category: CostCategory, systemNumber: Int? = nil, name: String, original: Money) {
        self.id = id
        self.number = number
        self.fiscalYear = fiscalYear
        self.category = category
        self.systemNumber = systemNumber
        self.name = name
        self.original = original
    }
}

/// An approved change to a line's budget: up (a change request's money), down (money moved away), or a draw on the
/// contingency (the contingency line down, the line it pays for up: two revisions with one reason).
public struct BudgetRevision: Sendable, Equatable {
    public var id: UUID
    public var lineID: UUID
    /// Signed: negative moves money away.
    public var amount: Money
    public var reason: String
    /// The change request or decision that caused it (`CRM-C4`, `CRM-D2`), when there is one.
    public var cause: ItemReference?
    public var date: CalendarDate

    public init(id: UUID = UUID(), lineID: UUID, amount: Money, reason: String, cause: ItemReference? = nil, date: CalendarDate) {
        self.id = id
        self.lineID = lineID
        self.amount = amount
        self.reason = reason
        self.cause = cause
        self.date = date
    }
}

/// A vendor's estimate for a line's scope (見積), one version of it.
public struct LedgerEstimate: Sendable, Equatable {
    public var lineID: UUID
    public var vendorID: UUID?
    public var version: Int
    /// Before tax.
    public var amount: Money
    /// Chosen for the order (採用): once a line has a chosen estimate, its estimated figure is the chosen ones.
    public var chosen: Bool

    public init(lineID: UUID, vendorID: UUID?, version: Int, amount: Money, chosen: Bool) {
        self.lineID = lineID
        self.vendorID = vendorID
        self.version = version
        self.amount = amount
        self.chosen = chosen
    }
}

/// A change to an order's amount (変更契約): proposed from an approved change request, agreed with the vendor.
public struct ChangeOrder: Sendable, Equatable {
    public enum Status: String, CaseIterable, Sendable {
        /// Expected: counts in the forecast, not in what is ordered.
        case proposed
        /// Agreed with the vendor: part of what is ordered.
        case agreed
        /// Not going ahead: counts nowhere.
        case withdrawn
    }
    public var id: UUID
    /// Signed, before tax.
    public var amount: Money
    public var status: Status

    public init(id: UUID = UUID(), amount: Money, status: Status) {
        self.id = id
        self.amount = amount
        self.status = status
    }
}

/// An acceptance (検収) of an order with its payment: planned and actual months.
public struct OrderMilestone: Sendable, Equatable {
    public var id: UUID
    /// Before tax.
    public var amount: Money
    public var plannedAcceptance: YearMonth
    public var accepted: YearMonth?
    public var plannedPayment: YearMonth
    public var paid: YearMonth?

    public init(id: UUID = UUID(), amount: Money, plannedAcceptance: YearMonth, accepted: YearMonth? = nil,
                plannedPayment: YearMonth, paid: YearMonth? = nil) {
        self.id = id
        self.amount = amount
        self.plannedAcceptance = plannedAcceptance
        self.accepted = accepted
        self.plannedPayment = plannedPayment
        self.paid = paid
    }
}

/// The part of an order one budget line pays, before tax (an order for a system's build and its licences draws on the
/// development line and the licences line).
public struct OrderShare: Sendable, Equatable {
    public var lineID: UUID
    public var amount: Money
    public init(lineID: UUID, amount: Money) {
        self.lineID = lineID
        self.amount = amount
    }
}

/// An order (発注) drawn on one budget line or shared by several, before tax, with its tax rate, change orders and
/// milestones.
public struct LedgerOrder: Sendable, Equatable {
    public var id: UUID
    /// The line it is listed under first (the first share's).
    public var lineID: UUID
    /// The lines it draws on with what each pays, adding up to `amount`; empty: all of it on `lineID`.
    public var shares: [OrderShare]
    public var vendorID: UUID?
    public var amount: Money
    public var taxRate: TaxRate
    public var ordered: YearMonth
    public var changeOrders: [ChangeOrder]
    public var milestones: [OrderMilestone]

    public init(id: UUID = UUID(), lineID: UUID, shares: [OrderShare] = [], vendorID: UUID?, amount: Money, taxRate: TaxRate = .standard,
                ordered: YearMonth, changeOrders: [ChangeOrder] = [], milestones: [OrderMilestone] = []) {
        self.id = id
        self.lineID = lineID
        self.shares = shares
        self.vendorID = vendorID
        self.amount = amount
        self.taxRate = taxRate
        self.ordered = ordered
        self.changeOrders = changeOrders
        self.milestones = milestones
    }

    /// The lines it draws on and what each pays: its shares, or the whole amount on its one line.
    public var lineShares: [OrderShare] { shares.isEmpty ? [OrderShare(lineID: lineID, amount: amount)] : shares }

    /// `total` (a figure of the whole order: a change order, an acceptance, what is paid) split over its lines in
    /// proportion to their shares, in the order of `lineShares`.
    public func split(_ total: Money) -> [Money] { total.split(by: lineShares.map(\.amount)) }

    /// What is ordered: the order and its agreed change orders, before tax.
    public var agreedAmount: Money { amount + changeOrders.filter { $0.status == .agreed }.map(\.amount).sum() }
    /// Change orders proposed and not agreed yet.
    public var expectedChanges: Money { changeOrders.filter { $0.status == .proposed }.map(\.amount).sum() }
}

/// An amount before tax and with it.
public struct TaxedAmount: Sendable, Equatable {
    public var beforeTax: Money
    public var tax: Money
    public var includingTax: Money { beforeTax + tax }

    public static let zero = TaxedAmount(beforeTax: .zero, tax: .zero)
    public init(beforeTax: Money, tax: Money) {
        self.beforeTax = beforeTax
        self.tax = tax
    }
    public init(_ amount: Money, rate: TaxRate) { self.init(beforeTax: amount, tax: rate.tax(on: amount)) }
    public static func + (a: TaxedAmount, b: TaxedAmount) -> TaxedAmount { TaxedAmount(beforeTax: a.beforeTax + b.beforeTax, tax: a.tax + b.tax) }
    public static func += (a: inout TaxedAmount, b: TaxedAmount) { a = a + b }
}

/// The budget ledger (予算管理表): per budget line and fiscal year, what was budgeted, estimated, ordered, accepted,
/// paid, what remains and what is forecast. Pure: the store hands it the project's lines, revisions, estimates and
/// orders and the internal labour forecast; pages, the API and the sheet show what it computes.
///
/// The rules, in one place:
/// - budget = the line's original budget plus its revisions (signed);
/// - estimated = the chosen estimates of the line; while none is chosen, the highest of each vendor's latest version
///   (the prudent figure until the business owner decides);
/// - ordered = the orders on the line and their agreed change orders (before tax; with tax at each order's rate);
///   an order drawing on several lines puts its share on each, and its change orders and milestones are split in
///   proportion to the shares (largest remainder, so the lines add up to the order to the yen);
/// - accepted and paid = the milestones with an actual acceptance or payment month;
/// - remaining = budget − ordered (negative: an overrun);
/// - forecast = ordered + proposed change orders, and on the fiscal year's first internal-labour line the estimate at
///   completion of the running organisation's own work falling in that year.
public struct Ledger: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var line: BudgetLine
        public var budget: Money
        public var revisions: Money
        public var estimated: Money
        public var ordered: TaxedAmount
        public var accepted: TaxedAmount
        public var paid: TaxedAmount
        public var expectedChanges: Money
        public var internalLabour: Money
        public var remaining: Money { budget - ordered.beforeTax }
        public var forecast: Money { ordered.beforeTax + expectedChanges + internalLabour }
        /// Forecast against budget: positive is over.
        public var variance: Money { forecast - budget }
        public var isOverrun: Bool { remaining.amount < 0 }
    }

    /// One fiscal year's rows and totals.
    public struct Year: Sendable, Equatable {
        public var fiscalYear: Int
        public var rows: [Row]
        /// The running organisation's work in this year when there is no internal-labour line to carry it.
        public var unbudgetedInternalLabour: Money
        public var budget: Money { rows.map(\.budget).sum() }
        public var estimated: Money { rows.map(\.estimated).sum() }
        public var ordered: TaxedAmount { rows.reduce(.zero) { $0 + $1.ordered } }
        public var accepted: TaxedAmount { rows.reduce(.zero) { $0 + $1.accepted } }
        public var paid: TaxedAmount { rows.reduce(.zero) { $0 + $1.paid } }
        public var remaining: Money { rows.map(\.remaining).sum() }
        public var forecast: Money { rows.map(\.forecast).sum() + unbudgetedInternalLabour }
        public var variance: Money { forecast - budget }
    }

    public var years: [Year]

    public var budget: Money { years.map(\.budget).sum() }
    public var ordered: TaxedAmount { years.reduce(.zero) { $0 + $1.ordered } }
    public var paid: TaxedAmount { years.reduce(.zero) { $0 + $1.paid } }
    public var forecast: Money { years.map(\.forecast).sum() }

    /// The ledger of `lines` (in any order; rows come by fiscal year, then line number). `internalLabour` is the
    /// running organisation's own work at its hourly rate, by fiscal year.
    public init(lines: [BudgetLine], revisions: [BudgetRevision] = [], estimates: [LedgerEstimate] = [], orders: [LedgerOrder] = [],
                internalLabour: [Int: Money] = [:]) {
        var byYear: [Int: [Row]] = [:]
        var labourTaken: Set<Int> = []
        let perLine = Ledger.orderFigures(orders)
        for line in lines.sorted(by: { ($0.fiscalYear, $0.number) < ($1.fiscalYear, $1.number) }) {
            let revised = revisions.filter { $0.lineID == line.id }.map(\.amount).sum()
            let figures = perLine[line.id] ?? OrderFigures()
            var labour = Money.zero
            if line.category == .internalLabour, !labourTaken.contains(line.fiscalYear) {
                labourTaken.insert(line.fiscalYear)
                labour = internalLabour[line.fiscalYear] ?? .zero
            }
            byYear[line.fiscalYear, default: []].append(Row(
                line: line, budget: line.original + revised, revisions: revised,
                estimated: Ledger.estimated(estimates.filter { $0.lineID == line.id }),
                ordered: figures.ordered, accepted: figures.accepted, paid: figures.paid,
                expectedChanges: figures.expectedChanges, internalLabour: labour))
        }
        let fiscalYears = Set(byYear.keys).union(internalLabour.filter { $0.value != .zero }.keys).sorted()
        years = fiscalYears.map { fy in
            Year(fiscalYear: fy, rows: byYear[fy] ?? [],
                 unbudgetedInternalLabour: labourTaken.contains(fy) ? .zero : internalLabour[fy] ?? .zero)
        }
    }

    /// What orders put on one line.
    struct OrderFigures {
        var ordered = TaxedAmount.zero, accepted = TaxedAmount.zero, paid = TaxedAmount.zero
        var expectedChanges = Money.zero
    }

    /// Each line's part of the orders: an order's figures (with tax at the order's rate) split over the lines it
    /// draws on in proportion to their shares, the amount before tax and with tax each split so the lines add up to
    /// the order to the yen.
    static func orderFigures(_ orders: [LedgerOrder]) -> [UUID: OrderFigures] {
        var out: [UUID: OrderFigures] = [:]
        for order in orders {
            let lines = order.lineShares.map(\.lineID)
            func spread(_ whole: TaxedAmount, _ add: (inout OrderFigures, TaxedAmount) -> Void) {
                let before = order.split(whole.beforeTax), including = order.split(whole.includingTax)
                for (i, line) in lines.enumerated() {
                    add(&out[line, default: OrderFigures()], TaxedAmount(beforeTax: before[i], tax: including[i] - before[i]))
                }
            }
            spread(TaxedAmount(order.agreedAmount, rate: order.taxRate)) { $0.ordered += $1 }
            spread(order.milestones.filter { $0.accepted != nil }.reduce(.zero) { $0 + TaxedAmount($1.amount, rate: order.taxRate) }) { $0.accepted += $1 }
            spread(order.milestones.filter { $0.paid != nil }.reduce(.zero) { $0 + TaxedAmount($1.amount, rate: order.taxRate) }) { $0.paid += $1 }
            for (i, part) in order.split(order.expectedChanges).enumerated() { out[lines[i], default: OrderFigures()].expectedChanges += part }
        }
        return out
    }

    /// A line's estimated figure: its chosen estimates, else the highest of each vendor's latest version.
    static func estimated(_ estimates: [LedgerEstimate]) -> Money {
        let chosen = estimates.filter(\.chosen)
        if !chosen.isEmpty { return chosen.map(\.amount).sum() }
        var latest: [UUID?: LedgerEstimate] = [:]
        for e in estimates where (latest[e.vendorID]?.version ?? Int.min) < e.version { latest[e.vendorID] = e }
        return latest.values.map(\.amount).max() ?? .zero
    }

    /// The row of a line, when the ledger has it.
    public func row(_ lineID: UUID) -> Row? { years.lazy.flatMap(\.rows).first { $0.line.id == lineID } }

    /// Planned and actual payments by month (with tax, the cash that goes out), for the cash-out chart.
    public static func cashOut(_ orders: [LedgerOrder]) -> [YearMonth: (planned: Money, actual: Money)] {
        var out: [YearMonth: (planned: Money, actual: Money)] = [:]
        for order in orders {
            for m in order.milestones {
                let cash = order.taxRate.including(m.amount)
                out[m.plannedPayment, default: (.zero, .zero)].planned += cash
                if let paid = m.paid { out[paid, default: (.zero, .zero)].actual += cash }
            }
        }
        return out
    }
}
