import Foundation
import PMOCore

/// The budget ledger as the familiar 予算管理表 workbook, and an edited one read back.
///
/// The first sheet has one row per budget line and per order (each order under its line; an order drawing on several
/// lines has a row under each, with the line's share as its amount and its figures split in proportion, and the rows
/// of one order number are read back as its shares): the cells that can be
/// edited (a line's fiscal year, category, system, name and original budget; an order's line, vendor, contract type,
/// title, amount before tax, tax rate, date and overrun reason), the ledger's figures, and two columns for each month
/// of the fiscal years, acceptance (検収) and payment (支払): the amount before tax in the month it happened, else in
/// the month it is planned. The figures and the month columns are computed, and an import leaves them alone.
/// The second sheet has one row per acceptance milestone of an order; an import replaces the milestones of each order
/// it lists. Pure: vendors' names and the words of both languages are passed in.
public enum LedgerSheet {
    /// A budget line to export, with its version and its row of the ledger (nil: no figures).
    public struct LineOut: Sendable {
        public var line: BudgetLine
        public var version: Int
        public var row: Ledger.Row?
        public init(line: BudgetLine, version: Int, row: Ledger.Row?) {
            self.line = line
            self.version = version
            self.row = row
        }
    }

    /// A milestone to export.
    public struct MilestoneOut: Sendable {
        public var name: String
        public var deliverables: String
        public var milestone: OrderMilestone
        public var payingDepartment: String
        public init(name: String, deliverables: String, milestone: OrderMilestone, payingDepartment: String) {
            self.name = name
            self.deliverables = deliverables
            self.milestone = milestone
            self.payingDepartment = payingDepartment
        }
    }

    /// An order to export.
    public struct OrderOut: Sendable {
        public var number: Int
        public var version: Int
        public var lineNumber: Int
        /// The lines it draws on with their shares, when more than one.
        public var shares: [OrderShareFields]
        public var fiscalYear: Int
        public var vendorName: String?
        public var title: String
        public var contractType: ContractType
        public var amount: Money
        public var taxRate: TaxRate
        public var orderDate: CalendarDate
        public var overrunReason: String
        /// The order with its agreed change orders, before tax, and with tax.
        public var agreed: Money
        public var agreedIncludingTax: Money
        public var milestones: [MilestoneOut]
        public init(number: Int, version: Int, lineNumber: Int, shares: [OrderShareFields] = [], fiscalYear: Int, vendorName: String?, title: String, contractType: ContractType,
                    amount: Money, taxRate: TaxRate, orderDate: CalendarDate, overrunReason: String, agreed: Money, milestones: [MilestoneOut]) {
            self.number = number
            self.version = version
            self.lineNumber = lineNumber
            self.shares = shares
            self.fiscalYear = fiscalYear
            self.vendorName = vendorName
            self.title = title
            self.contractType = contractType
            self.amount = amount
            self.taxRate = taxRate
            self.orderDate = orderDate
            self.overrunReason = overrunReason
            self.agreed = agreed
            agreedIncludingTax = taxRate.including(agreed)
            self.milestones = milestones
        }

        /// The order's row under each line it draws on: the line's share as the amount, and what is ordered, with tax,
        /// and each milestone split in proportion to the shares (as the ledger splits them).
        var portions: [OrderOut] {
            guard shares.count > 1 else { return [self] }
            let weights = shares.map(\.amount)
            let agreedParts = agreed.split(by: weights), taxedParts = agreedIncludingTax.split(by: weights)
            let milestoneParts = milestones.map { $0.milestone.amount.split(by: weights) }
            return shares.enumerated().map { i, share in
                var part = self
                part.lineNumber = share.lineNumber
                part.amount = share.amount
                part.agreed = agreedParts[i]
                part.agreedIncludingTax = taxedParts[i]
                for m in part.milestones.indices { part.milestones[m].milestone.amount = milestoneParts[m][i] }
                return part
            }
        }
    }

    /// The companies an order may name, by id and by lower-cased name.
    public struct Vendors: Sendable {
        public var name: [UUID: String]
        public var byName: [String: UUID]
        public init(name: [UUID: String]) {
            self.name = name
            byName = Dictionary(name.map { ($0.value.lowercased(), $0.key) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// A column: its key, the catalogue word of its header, what it holds, and whether an import reads it.
    struct Column {
        var key: String
        var word: String
        var kind: SpreadsheetColumn.Kind
        var width: Double?
        var editable: Bool
    }

    static let ledgerColumns: [Column] = [
        Column(key: "kind", word: "ledger.sheet.kind", kind: .text, width: 12, editable: true),
        Column(key: "number", word: "ledger.sheet.number", kind: .text, width: 8, editable: true),
        Column(key: "fiscalYear", word: "ledger.sheet.fiscal_year", kind: .integer, width: 8, editable: true),
        Column(key: "line", word: "ledger.sheet.line", kind: .text, width: 8, editable: true),
        Column(key: "category", word: "ledger.category", kind: .text, width: 14, editable: true),
        Column(key: "system", word: "ledger.sheet.system", kind: .text, width: 8, editable: true),
        Column(key: "name", word: "ledger.sheet.name", kind: .text, width: 30, editable: true),
        Column(key: "vendor", word: "ledger.sheet.vendor", kind: .text, width: 20, editable: true),
        Column(key: "contract", word: "ledger.sheet.contract", kind: .text, width: 16, editable: true),
        Column(key: "original", word: "ledger.sheet.original", kind: .money, width: nil, editable: true),
        Column(key: "revisions", word: "ledger.sheet.revisions", kind: .money, width: nil, editable: false),
        Column(key: "budget", word: "ledger.sheet.budget", kind: .money, width: nil, editable: false),
        Column(key: "estimated", word: "ledger.sheet.estimated", kind: .money, width: nil, editable: false),
        Column(key: "amount", word: "ledger.sheet.amount", kind: .money, width: nil, editable: true),
        Column(key: "taxRate", word: "ledger.sheet.tax_rate", kind: .number, width: 8, editable: true),
        Column(key: "ordered", word: "ledger.sheet.ordered", kind: .money, width: nil, editable: false),
        Column(key: "orderedTax", word: "ledger.sheet.ordered_tax", kind: .money, width: nil, editable: false),
        Column(key: "orderDate", word: "ledger.sheet.order_date", kind: .date, width: nil, editable: true),
        Column(key: "accepted", word: "ledger.sheet.accepted", kind: .money, width: nil, editable: false),
        Column(key: "paid", word: "ledger.sheet.paid", kind: .money, width: nil, editable: false),
        Column(key: "remaining", word: "ledger.sheet.remaining", kind: .money, width: nil, editable: false),
        Column(key: "forecast", word: "ledger.sheet.forecast", kind: .money, width: nil, editable: false),
        Column(key: "overrunReason", word: "ledger.sheet.overrun_reason", kind: .longText, width: 30, editable: true),
        Column(key: "version", word: "sheet.version", kind: .integer, width: 6, editable: true),
    ]

    static let milestoneColumns: [Column] = [
        Column(key: "order", word: "ledger.sheet.order", kind: .text, width: 8, editable: true),
        Column(key: "name", word: "ledger.sheet.milestone", kind: .text, width: 30, editable: true),
        Column(key: "deliverables", word: "ledger.sheet.deliverables", kind: .longText, width: 30, editable: true),
        Column(key: "amount", word: "ledger.sheet.milestone_amount", kind: .money, width: nil, editable: true),
        Column(key: "plannedAcceptance", word: "ledger.sheet.planned_acceptance", kind: .text, width: 12, editable: true),
        Column(key: "accepted", word: "ledger.sheet.accepted_month", kind: .text, width: 12, editable: true),
        Column(key: "plannedPayment", word: "ledger.sheet.planned_payment", kind: .text, width: 12, editable: true),
        Column(key: "paid", word: "ledger.sheet.paid_month", kind: .text, width: 12, editable: true),
        Column(key: "payingDepartment", word: "ledger.sheet.paying_department", kind: .text, width: 18, editable: true),
    ]

    // MARK: Export

    /// The two sheets: the ledger with its month columns over `fiscalYears` (and any month a milestone falls in),
    /// and the milestones.
    public static func tables(lines: [LineOut], orders: [OrderOut], fiscalYears: [Int], calendar: FiscalCalendar,
                              words: RegisterSheet.Words) -> [SpreadsheetTable] {
        let months = monthColumns(fiscalYears: fiscalYears, orders: orders, calendar: calendar)
        var columns = ledgerColumns.map { SpreadsheetColumn(title: words.label($0.word), kind: $0.kind, width: $0.width) }
        for month in months {
            columns.append(SpreadsheetColumn(title: words.label("ledger.sheet.month_acceptance").replacingOccurrences(of: "{month}", with: month.description),
                                             kind: .money, width: 14))
            columns.append(SpreadsheetColumn(title: words.label("ledger.sheet.month_payment").replacingOccurrences(of: "{month}", with: month.description),
                                             kind: .money, width: 14))
        }
        let money = { (m: Money?) -> SpreadsheetCell in m.map { .number(Double($0.amount)) } ?? .empty }
        var rows: [[SpreadsheetCell]] = []
        let ordersByLine = Dictionary(grouping: orders.flatMap(\.portions), by: \.lineNumber)
        let listed = Set(lines.map(\.line.number))
        for out in lines.sorted(by: { ($0.line.fiscalYear, $0.line.number) < ($1.line.fiscalYear, $1.line.number) }) {
            let line = out.line, row = out.row
            let values: [String: SpreadsheetCell] = [
                "kind": .text(words.label("ledger.sheet.kind.line")), "number": .text("L\(line.number)"), "fiscalYear": .number(Double(line.fiscalYear)),
                "category": .text(words.label("ledger.category.\(line.category.rawValue)")),
                "system": line.systemNumber.map { .text("S\($0)") } ?? .empty, "name": .text(line.name), "original": money(line.original),
                "revisions": money(row?.revisions), "budget": money(row?.budget), "estimated": money(row?.estimated),
                "ordered": money(row?.ordered.beforeTax), "orderedTax": money(row?.ordered.includingTax), "accepted": money(row?.accepted.beforeTax),
                "paid": money(row?.paid.beforeTax), "remaining": money(row?.remaining), "forecast": money(row?.forecast),
                "version": .number(Double(out.version)),
            ]
            rows.append(ledgerColumns.map { values[$0.key] ?? .empty } + monthCells(ordersByLine[line.number] ?? [], months))
            for order in ordersByLine[line.number] ?? [] { rows.append(orderRow(order, months, words)) }
        }
        // Orders whose line the reader does not see (a vendor's staff see their own orders and no budget).
        for order in orders.flatMap(\.portions) where !listed.contains(order.lineNumber) { rows.append(orderRow(order, months, words)) }

        let milestoneRows: [[SpreadsheetCell]] = orders.flatMap { order in
            order.milestones.map { m in
                let values: [String: SpreadsheetCell] = [
                    "order": .text("O\(order.number)"), "name": .text(m.name), "deliverables": m.deliverables.isEmpty ? .empty : .text(m.deliverables),
                    "amount": money(m.milestone.amount), "plannedAcceptance": .text(m.milestone.plannedAcceptance.description),
                    "accepted": m.milestone.accepted.map { .text($0.description) } ?? .empty,
                    "plannedPayment": .text(m.milestone.plannedPayment.description), "paid": m.milestone.paid.map { .text($0.description) } ?? .empty,
                    "payingDepartment": m.payingDepartment.isEmpty ? .empty : .text(m.payingDepartment),
                ]
                return milestoneColumns.map { values[$0.key] ?? .empty }
            }
        }
        return [
            SpreadsheetTable(name: words.label("ledger.title"), columns: columns, rows: rows),
            SpreadsheetTable(name: words.label("ledger.sheet.milestones"),
                             columns: milestoneColumns.map { SpreadsheetColumn(title: words.label($0.word), kind: $0.kind, width: $0.width) },
                             rows: milestoneRows),
        ]
    }

    static func orderRow(_ order: OrderOut, _ months: [YearMonth], _ words: RegisterSheet.Words) -> [SpreadsheetCell] {
        let values: [String: SpreadsheetCell] = [
            "kind": .text(words.label("ledger.sheet.kind.order")), "number": .text("O\(order.number)"), "fiscalYear": .number(Double(order.fiscalYear)),
            "line": .text("L\(order.lineNumber)"), "name": .text(order.title), "vendor": order.vendorName.map(SpreadsheetCell.text) ?? .empty,
            "contract": .text(order.contractType.isBuiltIn ? words.label("ledger.contract.\(order.contractType.rawValue)") : order.contractType.rawValue), "amount": .number(Double(order.amount.amount)),
            "taxRate": .number(Double(order.taxRate.basisPoints) / 100), "ordered": .number(Double(order.agreed.amount)),
            "orderedTax": .number(Double(order.agreedIncludingTax.amount)), "orderDate": .date(order.orderDate),
            "accepted": .number(Double(order.milestones.filter { $0.milestone.accepted != nil }.map(\.milestone.amount).sum().amount)),
            "paid": .number(Double(order.milestones.filter { $0.milestone.paid != nil }.map(\.milestone.amount).sum().amount)),
            "overrunReason": order.overrunReason.isEmpty ? .empty : .text(order.overrunReason), "version": .number(Double(order.version)),
        ]
        return ledgerColumns.map { values[$0.key] ?? .empty } + monthCells([order], months)
    }

    /// Every month of the fiscal years, widened to the years any milestone falls in.
    static func monthColumns(fiscalYears: [Int], orders: [OrderOut], calendar: FiscalCalendar) -> [YearMonth] {
        var years = Set(fiscalYears)
        for order in orders {
            years.insert(calendar.fiscalYear(of: order.orderDate))
            for m in order.milestones {
                for month in [m.milestone.accepted ?? m.milestone.plannedAcceptance, m.milestone.paid ?? m.milestone.plannedPayment] {
                    years.insert(calendar.fiscalYear(of: month))
                }
            }
        }
        return years.sorted().flatMap(calendar.monthList(of:))
    }

    /// Acceptance and payment per month of `orders`' milestones: the month each happened, else its planned month.
    static func monthCells(_ orders: [OrderOut], _ months: [YearMonth]) -> [SpreadsheetCell] {
        var accepted: [YearMonth: Money] = [:], paid: [YearMonth: Money] = [:]
        for m in orders.flatMap(\.milestones).map(\.milestone) {
            accepted[m.accepted ?? m.plannedAcceptance, default: .zero] += m.amount
            paid[m.paid ?? m.plannedPayment, default: .zero] += m.amount
        }
        return months.flatMap { month -> [SpreadsheetCell] in
            [accepted[month].map { .number(Double($0.amount)) } ?? .empty, paid[month].map { .number(Double($0.amount)) } ?? .empty]
        }
    }

    // MARK: Import

    /// Reads the workbook's sheets (or a CSV's one) back: the ledger sheet is the one with the row-type column, the
    /// milestone sheet the one with the milestone column. Errors name the line and the column's title (on the
    /// milestone sheet, prefixed by the sheet's name).
    public static func read(_ sheets: [SpreadsheetSheet], vendors: Vendors, words: RegisterSheet.Words) -> (LedgerSheetImport, [RegisterSheet.CellError]) {
        var errors: [RegisterSheet.CellError] = []
        var result = LedgerSheetImport()
        let ledgerSheet = sheets.first { header($0, ledgerColumns, words: words).columnAt.values.contains("kind") }
        guard let ledgerSheet else {
            let label = words.label("ledger.sheet.kind")
            return (result, [RegisterSheet.CellError(line: 1, column: label, RegisterSheet.problem(
                "missing_column", "The column '\(label)' is missing; it is required (export the ledger to get the layout).", [label]))])
        }
        readLedger(ledgerSheet, vendors: vendors, words: words, into: &result, errors: &errors)
        if let milestoneSheet = sheets.first(where: { $0 != ledgerSheet && header($0, milestoneColumns, words: words).columnAt.values.contains("name") }) {
            readMilestones(milestoneSheet, words: words, into: &result, errors: &errors)
        }
        return (result, errors)
    }

    struct Header {
        var columnAt: [Int: String] = [:]
        var titles: [String: String] = [:]
        var errors: [RegisterSheet.CellError] = []
    }

    /// The columns a header row names; unknown and repeated titles are errors. On the ledger sheet a title that
    /// starts with a month (`2026-04 …`) is a month column, which is computed and read by no one.
    static func header(_ sheet: SpreadsheetSheet, _ columns: [Column], words: RegisterSheet.Words) -> Header {
        var h = Header()
        for (index, cell) in (sheet.rows.first ?? []).enumerated() {
            let title = RegisterSheet.display(cell).trimmingCharacters(in: .whitespaces)
            if title.isEmpty || isMonthTitle(title) { continue }
            let candidates = words.keyFor[title.lowercased()] ?? []
            guard let column = columns.first(where: { candidates.contains($0.word) || $0.key == title }) else {
                let names = columns.map { words.label($0.word) }
                h.errors.append(RegisterSheet.CellError(line: 1, column: title, RegisterSheet.problem(
                    "unknown_column", "Unknown column '\(title)'. Columns of this sheet: \(names.joined(separator: ", ")).",
                    [title + " → " + names.joined(separator: " / ")])))
                continue
            }
            if h.titles[column.key] != nil {
                h.errors.append(RegisterSheet.CellError(line: 1, column: title, RegisterSheet.problem("duplicate_column", "The column '\(title)' appears twice; keep one.", [title])))
                continue
            }
            h.titles[column.key] = title
            if column.editable { h.columnAt[index] = column.key }
        }
        for column in columns where column.editable && column.key != "version" && h.titles[column.key] == nil {
            let label = words.label(column.word)
            h.errors.append(RegisterSheet.CellError(line: 1, column: label, RegisterSheet.problem("missing_column", "The column '\(label)' is missing; it is required.", [label])))
        }
        return h
    }

    static func isMonthTitle(_ title: String) -> Bool {
        let head = title.prefix(7)
        return head.count == 7 && YearMonth(iso: String(head)) != nil && (title.count == 7 || title.dropFirst(7).first == " ")
    }

    /// One sheet row's cells by column key.
    static func cells(_ row: [SpreadsheetCell], _ h: Header) -> [String: SpreadsheetCell] {
        var out: [String: SpreadsheetCell] = [:]
        for (index, key) in h.columnAt { out[key] = index < row.count ? row[index] : .empty }
        return out
    }

    static func readLedger(_ sheet: SpreadsheetSheet, vendors: Vendors, words: RegisterSheet.Words, into result: inout LedgerSheetImport,
                           errors: inout [RegisterSheet.CellError]) {
        let h = header(sheet, ledgerColumns, words: words)
        if !h.errors.isEmpty { errors += h.errors; return }
        var seen: [String: Int] = [:]
        for (offset, row) in sheet.rows.dropFirst().enumerated() where !row.allSatisfy({ $0 == .empty }) {
            let line = offset + 2
            let c = cells(row, h)
            var cellErrors: [RegisterSheet.CellError] = []
            func fail(_ key: String, _ problem: FieldError) { cellErrors.append(RegisterSheet.CellError(line: line, column: h.titles[key] ?? key, problem)) }
            func text(_ key: String) -> String { RegisterSheet.display(c[key] ?? .empty).trimmingCharacters(in: .whitespacesAndNewlines) }

            for key in c.keys.sorted() {
                if case .failure(let bad) = TextHygiene.clean(RegisterSheet.display(c[key] ?? .empty)) {
                    fail(key, RegisterSheet.problem("control_character", "The cell contains the control character \(bad.code) at position \(bad.position). Remove it: text may hold tab and line breaks, no other control characters.", [bad.code]))
                }
            }
            if !cellErrors.isEmpty { errors += cellErrors; continue }
            let kindText = text("kind")
            var kind = RegisterSheet.choiceKey(kindText, allowed: ["line", "order"], word: { "ledger.sheet.kind.\($0)" }, words: words)
            var number: Int?
            if let (prefix, n) = reference(text("number")) {
                number = n
                if kind == nil && kindText.isEmpty { kind = prefix == "L" ? "line" : prefix == "O" ? "order" : nil }
                if (kind == "line" && prefix != "L") || (kind == "order" && prefix != "O") {
                    fail("number", RegisterSheet.problem("wrong_number", "'\(text("number"))' is not a number of this row's type: budget lines are L1, L2…, orders O1, O2….", [text("number")]))
                }
            } else if !text("number").isEmpty {
                fail("number", RegisterSheet.problem("invalid_reference", "'\(text("number"))' is not a budget line (L3) or order (O3) number; clear it to add a new one.", [text("number")]))
            }
            guard let kind else {
                let choices = [words.label("ledger.sheet.kind.line"), words.label("ledger.sheet.kind.order")]
                fail("kind", RegisterSheet.problem("invalid_choice", "'\(kindText)' is not a row type: write \(choices[0]) or \(choices[1]).", [kindText + " → " + choices.joined(separator: " / ")]))
                errors += cellErrors
                continue
            }
            if let number, kind == "line" {
                let id = "\(kind)\(number)"
                if let first = seen[id] {
                    fail("number", RegisterSheet.problem("duplicate_row", "L\(number) is also on line \(first); keep one row for it.", [id]))
                }
                seen[id] = line
            }
            var version: Int?
            if !text("version").isEmpty {
                if let n = RegisterSheet.number(c["version"] ?? .empty), n.rounded() == n, n >= 1, n < 1e9 { version = Int(n) } else {
                    fail("version", RegisterSheet.problem("invalid_version", "'\(text("version"))' is not a version; keep the exported value or leave it empty.", [text("version")]))
                }
            }
            let name = text("name")
            if name.isEmpty { fail("name", RegisterSheet.problem("required", kind == "line" ? "A budget line needs a name." : "An order needs a title.")) }
            if kind == "line" {
                var fiscalYear = 0, category = CostCategory.development, system: Int?, original = Money.zero
                if let n = RegisterSheet.number(c["fiscalYear"] ?? .empty), n.rounded() == n, abs(n) < 1e6 { fiscalYear = Int(n) } else {
                    fail("fiscalYear", RegisterSheet.problem("not_whole_number", "'\(text("fiscalYear"))' is not a fiscal year such as 2026.", [text("fiscalYear")]))
                }
                if let value = RegisterSheet.choiceKey(text("category"), allowed: CostCategory.allCases.map(\.rawValue), word: { "ledger.category.\($0)" }, words: words) {
                    category = CostCategory(rawValue: value)!
                } else {
                    let labels = CostCategory.allCases.map { words.label("ledger.category.\($0.rawValue)") }
                    fail("category", RegisterSheet.problem("invalid_choice", "'\(text("category"))' is not a category. Use one of: \(labels.joined(separator: ", ")).",
                                                           [text("category") + " → " + labels.joined(separator: " / ")]))
                }
                if !text("system").isEmpty {
                    if let (prefix, n) = reference(text("system")), prefix == "S" { system = n } else {
                        fail("system", RegisterSheet.problem("not_a_reference", "'\(text("system"))' is not a system of the project: write it like S3, or leave it empty.", [text("system")]))
                    }
                }
                switch money(c["original"] ?? .empty) {
                case .success(let m): original = m
                case .failure(let p): fail("original", p)
                }
                errors += cellErrors
                if cellErrors.isEmpty {
                    result.lines.append(LedgerSheetRow(line: line, number: number, version: version,
                                                       fields: BudgetLineFields(fiscalYear: fiscalYear, category: category, systemNumber: system, name: name, original: original)))
                }
                continue
            }
            var lineNumber = 0, vendor: UUID?, contract = ContractType.fixedPrice, amount = Money.zero, tax = TaxRate.standard
            var orderDate = CalendarDate(year: 2000, month: 1, day: 1)!
            if let (prefix, n) = reference(text("line")), prefix == "L" { lineNumber = n } else {
                fail("line", RegisterSheet.problem("not_a_reference", "'\(text("line"))' is not a budget line: write the line the order draws on, like L3.", [text("line")]))
            }
            if let id = vendors.byName[text("vendor").lowercased()] { vendor = id } else {
                fail("vendor", RegisterSheet.problem("unknown_company", "No company is named '\(text("vendor"))'.", [text("vendor")]))
            }
            if let value = RegisterSheet.choiceKey(text("contract"), allowed: ContractType.builtIn.map(\.rawValue), word: { "ledger.contract.\($0)" }, words: words) {
                contract = ContractType(rawValue: value)
            } else if !text("contract").isEmpty {
                // One of the organisation's own kinds, as written: the store refuses a name that is not on its list.
                contract = ContractType(rawValue: text("contract"))
            } else {
                let labels = ContractType.builtIn.map { words.label("ledger.contract.\($0.rawValue)") }
                fail("contract", RegisterSheet.problem("invalid_choice", "'\(text("contract"))' is not a contract type. Use one of: \(labels.joined(separator: ", ")).",
                                                       [text("contract") + " → " + labels.joined(separator: " / ")]))
            }
            switch money(c["amount"] ?? .empty) {
            case .success(let m): amount = m
            case .failure(let p): fail("amount", p)
            }
            let taxCell = c["taxRate"] ?? .empty
            if taxCell != .empty {
                if let rate = taxRate(taxCell) { tax = rate } else {
                    fail("taxRate", RegisterSheet.problem("invalid_tax_rate", "'\(text("taxRate"))' is not a tax rate: write the percentage, e.g. 10 or 8.", [text("taxRate")]))
                }
            }
            switch RegisterSheet.date(c["orderDate"] ?? .empty) {
            case .success(let d?): orderDate = d
            case .success(nil): fail("orderDate", RegisterSheet.problem("required", "An order needs its date, YYYY-MM-DD."))
            case .failure(let p): fail("orderDate", p.error)
            }
            errors += cellErrors
            if cellErrors.isEmpty {
                result.orders.append(LedgerSheetRow(line: line, number: number, version: version, fields: OrderFields(
                    lineNumber: lineNumber, vendorID: vendor, title: name, contractType: contract, amount: amount, taxRate: tax, orderDate: orderDate,
                    overrunReason: RegisterSheet.display(c["overrunReason"] ?? .empty).trimmingCharacters(in: .whitespacesAndNewlines))))
            }
        }
        mergeShares(&result, errors: &errors, titles: h.titles)
    }

    /// Rows of one order number under several lines are the order's shares: one order, drawing on each row's line with
    /// the row's amount as its share. Its rows agree on everything else, and name each line once.
    static func mergeShares(_ result: inout LedgerSheetImport, errors: inout [RegisterSheet.CellError], titles: [String: String]) {
        var merged: [LedgerSheetRow<OrderFields>] = []
        var at: [Int: Int] = [:]
        for row in result.orders {
            guard let number = row.number, let i = at[number] else {
                if let number = row.number { at[number] = merged.count }
                merged.append(row)
                continue
            }
            var first = merged[i]
            let f = row.fields, g = first.fields
            let shares = g.lineShares
            if shares.contains(where: { $0.lineNumber == f.lineNumber }) {
                errors.append(RegisterSheet.CellError(line: row.line, column: titles["line"] ?? "line", RegisterSheet.problem(
                    "duplicate_row", "O\(number) is also under L\(f.lineNumber) on line \(first.line); give each line it draws on one row.", ["O\(number)"])))
                continue
            }
            let differs: [(String, Bool)] = [("vendor", f.vendorID != g.vendorID), ("name", f.title != g.title), ("contract", f.contractType != g.contractType),
                                             ("taxRate", f.taxRate != g.taxRate), ("orderDate", f.orderDate != g.orderDate),
                                             ("overrunReason", f.overrunReason != g.overrunReason)]
            if let (key, _) = differs.first(where: \.1) {
                let title = titles[key] ?? key
                errors.append(RegisterSheet.CellError(line: row.line, column: title, RegisterSheet.problem(
                    "share_rows_differ", "O\(number)'s rows (its share of each line) differ in '\(title)' from line \(first.line); only the line and the amount differ between them.",
                    ["O\(number)", title])))
                continue
            }
            first.fields.shares = shares + [OrderShareFields(lineNumber: f.lineNumber, amount: f.amount)]
            first.fields.amount = first.fields.shares.map(\.amount).sum()
            first.version = first.version ?? row.version
            merged[i] = first
        }
        result.orders = merged
    }

    static func readMilestones(_ sheet: SpreadsheetSheet, words: RegisterSheet.Words, into result: inout LedgerSheetImport,
                               errors: inout [RegisterSheet.CellError]) {
        var h = header(sheet, milestoneColumns, words: words)
        for key in h.titles.keys { h.titles[key] = "\(sheet.name): \(h.titles[key]!)" }
        if !h.errors.isEmpty {
            errors += h.errors.map { RegisterSheet.CellError(line: $0.line, column: "\(sheet.name): \($0.column)",
                                                            FieldError(field: "", code: $0.code, message: $0.message, subjects: $0.subjects)) }
            return
        }
        var byOrder: [Int: LedgerSheetMilestones] = [:]
        var order: [Int] = []
        for (offset, row) in sheet.rows.dropFirst().enumerated() where !row.allSatisfy({ $0 == .empty }) {
            let line = offset + 2
            let c = cells(row, h)
            var cellErrors: [RegisterSheet.CellError] = []
            func fail(_ key: String, _ problem: FieldError) { cellErrors.append(RegisterSheet.CellError(line: line, column: h.titles[key] ?? key, problem)) }
            func text(_ key: String) -> String { RegisterSheet.display(c[key] ?? .empty).trimmingCharacters(in: .whitespacesAndNewlines) }
            func month(_ key: String, required: Bool) -> YearMonth? {
                let cell = c[key] ?? .empty
                if case .date(let d) = cell { return YearMonth(d) }
                let t = text(key).replacingOccurrences(of: "/", with: "-")
                if t.isEmpty {
                    if required { fail(key, RegisterSheet.problem("required", "Give the month as YYYY-MM, e.g. 2026-09.")) }
                    return nil
                }
                let parts = t.split(separator: "-")
                if parts.count >= 2, let y = Int(parts[0]), let m = Int(parts[1]), let ym = YearMonth(year: y, month: m) { return ym }
                fail(key, RegisterSheet.problem("invalid_month", "'\(text(key))' is not a month; write it as YYYY-MM, e.g. 2026-09.", [text(key)]))
                return nil
            }
            var orderNumber = 0
            if let (prefix, n) = reference(text("order")), prefix == "O" { orderNumber = n } else {
                fail("order", RegisterSheet.problem("not_a_reference", "'\(text("order"))' is not an order: write it like O3 (an order already in the ledger).", [text("order")]))
            }
            var amount = Money.zero
            switch money(c["amount"] ?? .empty) {
            case .success(let m): amount = m
            case .failure(let p): fail("amount", p)
            }
            let plannedAcceptance = month("plannedAcceptance", required: true), accepted = month("accepted", required: false)
            let plannedPayment = month("plannedPayment", required: true), paid = month("paid", required: false)
            errors += cellErrors
            guard cellErrors.isEmpty, let plannedAcceptance, let plannedPayment else { continue }
            if byOrder[orderNumber] == nil { order.append(orderNumber) }
            byOrder[orderNumber, default: LedgerSheetMilestones(orderNumber: orderNumber, lines: [], milestones: [])].lines.append(line)
            byOrder[orderNumber]!.milestones.append(MilestoneFields(
                name: text("name"), deliverables: RegisterSheet.display(c["deliverables"] ?? .empty).trimmingCharacters(in: .whitespacesAndNewlines),
                amount: amount, plannedAcceptance: plannedAcceptance, accepted: accepted, plannedPayment: plannedPayment, paid: paid,
                payingDepartment: text("payingDepartment")))
        }
        result.milestones = order.compactMap { byOrder[$0] }
    }

    /// `L3`, `O12`, `S1`, also `CRM-L3`: the letter and the number.
    static func reference(_ text: String) -> (Character, Int)? {
        var t = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        if let dash = t.lastIndex(of: "-") { t = t[t.index(after: dash)...] }
        guard let letter = t.first, letter.isLetter, let n = Int(t.dropFirst()), n > 0 else { return nil }
        return (letter, n)
    }

    /// A whole number of yen: a number cell, or text as people write amounts (`1,200,000円`).
    static func money(_ cell: SpreadsheetCell) -> Result<Money, FieldError> {
        switch cell {
        case .number(let n):
            guard n == n.rounded() else { return .failure(MoneyText.Problem.fraction.fieldError("", written: RegisterSheet.display(cell))) }
            guard abs(n) <= Double(MoneyText.maximum) else { return .failure(MoneyText.Problem.tooLarge.fieldError("", written: RegisterSheet.display(cell))) }
            return .success(.yen(Int64(n)))
        case .empty:
            return .failure(RegisterSheet.problem("required", "Give the amount in yen before tax, e.g. 1200000."))
        default:
            let written = RegisterSheet.display(cell)
            switch MoneyText.parse(written) {
            case .success(let m): return .success(m)
            case .failure(let problem): return .failure(problem.fieldError("", written: written))
            }
        }
    }

    /// A tax rate as a percentage: `10`, `8.5`, `10%`.
    static func taxRate(_ cell: SpreadsheetCell) -> TaxRate? {
        switch cell {
        case .number(let n): LedgerRules.parseTaxRate(RegisterSheet.display(.number(n)))
        default: LedgerRules.parseTaxRate(RegisterSheet.display(cell))
        }
    }
}
