import Foundation

/// What the ledger accepts, each refusal naming its field (pure; the store adds what needs the database).
public enum LedgerRules {
    public static let nameMax = 200
    public static let textMax = 4_000
    /// Fiscal years a project without dates may budget.
    public static let yearRange = 2000...2100
    /// A tax rate is 0 to 100 %.
    public static let taxRange = 0...10_000

    /// The fiscal years a project may budget: those its start and target dates span, any when it has none.
    public static func years(start: CalendarDate?, target: CalendarDate?, calendar: FiscalCalendar) -> ClosedRange<Int> {
        guard let start, let target, start <= target else { return yearRange }
        return calendar.years(from: start, to: target)
    }

    public static func checkLine(name: String, fiscalYear: Int, years: ClosedRange<Int>, original: Money, into e: inout FieldErrors) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { e.add("name", "required", "A budget line needs a name, e.g. 「CRM開発」.") }
        if trimmed.count > nameMax { e.add("name", "too_long", "A name is at most \(nameMax) characters.") }
        if !years.contains(fiscalYear) {
            e.add("fiscalYear", "outside_project_years", "FY\(fiscalYear) is outside the project's fiscal years, FY\(years.lowerBound) to FY\(years.upperBound); change the project's dates first.")
        }
        if original.amount < 0 { e.add("original", "negative", "A budget is zero or more; to take money away, record a revision.") }
        if original.amount > MoneyText.maximum { e.add("original", "too_large", "An amount is below one quadrillion yen.") }
    }

    public static func checkRevision(amount: Money, reason: String, cause: ItemReference?, into e: inout FieldErrors) {
        if amount.amount == 0 { e.add("amount", "zero", "A revision moves money: give a positive amount to add, a negative one to take away.") }
        if amount.amount.magnitude > UInt64(MoneyText.maximum) { e.add("amount", "too_large", "An amount is below one quadrillion yen.") }
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { e.add("reason", "required", "Say why the budget changes (the approval behind it).") }
        if trimmed.count > textMax { e.add("reason", "too_long", "A reason is at most \(textMax) characters.") }
        if let cause, cause.type != .change && cause.type != .decision {
            e.add("cause", "invalid_reference", "The cause is a change request (C) or a decision (D), e.g. C4.")
        }
    }

    /// One budget line an order draws on, as the checks need it: its number and fiscal year, the order's share of it
    /// and what is left of it before the order.
    public struct OrderLine: Sendable, Equatable {
        public var number: Int
        public var fiscalYear: Int
        public var share: Money
        public var remaining: Money
        public init(number: Int, fiscalYear: Int, share: Money, remaining: Money) {
            self.number = number
            self.fiscalYear = fiscalYear
            self.share = share
            self.remaining = remaining
        }
    }

    /// How many budget lines one order may draw on.
    public static let orderLinesMax = 20

    /// An order drawing on `lines` (one, or several with the share each pays, adding up to `amount`). Every line is of
    /// the order's fiscal year; a share above what is left of its line is saved only with a reason. True when the
    /// order overruns a line.
    @discardableResult
    public static func checkOrder(title: String, amount: Money, taxBasisPoints: Int, ordered: YearMonth, lines: [OrderLine],
                                  overrunReason: String, calendar: FiscalCalendar, into e: inout FieldErrors) -> Bool {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { e.add("title", "required", "An order needs a title, e.g. 「CRM構築 第1期」.") }
        if trimmed.count > nameMax { e.add("title", "too_long", "A title is at most \(nameMax) characters.") }
        if amount.amount < 0 { e.add("amount", "negative", "An order's amount is zero or more, before tax.") }
        if amount.amount > MoneyText.maximum { e.add("amount", "too_large", "An amount is below one quadrillion yen.") }
        if !taxRange.contains(taxBasisPoints) { e.add("taxRate", "out_of_range", "A tax rate is 0 to 100 %, e.g. 10.") }
        let several = lines.count > 1
        if several {
            var seen: Set<Int> = []
            for line in lines where !seen.insert(line.number).inserted {
                e.append(FieldError(field: "lines", code: "repeated_line", message: "L\(line.number) is listed twice; give each line its share once.",
                                    subjects: ["L\(line.number)"]))
            }
            if lines.contains(where: { $0.share.amount < 0 }) { e.add("lines", "negative", "Each line's share is zero or more, before tax.") }
        }
        if !lines.contains(where: { $0.share.amount < 0 }), lines.map(\.share).sum() != amount {
            e.append(FieldError(field: "lines", code: "shares_do_not_add_up",
                                message: "The lines' shares add up to \(lines.map(\.share).sum()), and the order is \(amount); make them equal.",
                                subjects: [lines.map(\.share).sum().description, amount.description]))
        }
        let year = calendar.fiscalYear(of: ordered)
        for line in lines where line.fiscalYear != year {
            let which = several ? "L\(line.number) is" : "the budget line is"
            e.append(FieldError(field: "orderDate", code: "other_fiscal_year",
                                message: "An order dated \(ordered) falls in FY\(year), and \(which) FY\(line.fiscalYear)'s; pick a line of FY\(year) or change the date.",
                                subjects: ["FY\(year)", "FY\(line.fiscalYear)"]))
        }
        let over = lines.filter { $0.share.amount >= 0 && $0.share > $0.remaining }
        if !over.isEmpty, overrunReason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let what = several ? over.map { "L\($0.number) has \($0.remaining) left for a share of \($0.share)" }.joined(separator: "; ")
                               : "what is left of its budget line (\(over[0].remaining))"
            e.add("overrunReason", "over_budget", several ? "The order is above what is left of a budget line (\(what)); say why to save it as an overrun."
                                                          : "The order is above \(what); say why to save it as an overrun.")
        }
        if overrunReason.count > textMax { e.add("overrunReason", "too_long", "A reason is at most \(textMax) characters.") }
        return !over.isEmpty
    }

    /// An acceptance and payment of an order placed in `ordered`.
    public static func checkMilestone(name: String, amount: Money, ordered: YearMonth, plannedAcceptance: YearMonth, accepted: YearMonth?,
                                      plannedPayment: YearMonth, paid: YearMonth?, into e: inout FieldErrors) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { e.add("name", "required", "A milestone needs a name, e.g. 「要件定義書 検収」.") }
        if trimmed.count > nameMax { e.add("name", "too_long", "A name is at most \(nameMax) characters.") }
        if amount.amount < 0 { e.add("amount", "negative", "A milestone's amount is zero or more, before tax.") }
        if amount.amount > MoneyText.maximum { e.add("amount", "too_large", "An amount is below one quadrillion yen.") }
        if plannedAcceptance < ordered {
            e.add("plannedAcceptance", "before_order", "Acceptance is planned in \(plannedAcceptance), before the order (\(ordered)).")
        }
        if let accepted, accepted < ordered { e.add("accepted", "before_order", "Accepted in \(accepted), before the order (\(ordered)).") }
        if plannedPayment < plannedAcceptance {
            e.add("plannedPayment", "before_acceptance", "Payment is planned in \(plannedPayment), before the planned acceptance (\(plannedAcceptance)).")
        }
        if let paid {
            if let accepted {
                if paid < accepted { e.add("paid", "before_acceptance", "Paid in \(paid), before the acceptance (\(accepted)).") }
            } else {
                e.add("paid", "not_accepted", "A payment follows an acceptance: record the acceptance month first.")
            }
        }
    }

    public static func checkChangeOrder(amount: Money, reason: String, into e: inout FieldErrors) {
        if amount.amount == 0 { e.add("amount", "zero", "A change order changes the amount: positive adds, negative takes away.") }
        if amount.amount.magnitude > UInt64(MoneyText.maximum) { e.add("amount", "too_large", "An amount is below one quadrillion yen.") }
        if reason.count > textMax { e.add("reason", "too_long", "A reason is at most \(textMax) characters.") }
    }

    /// A tax rate as written: `10`, `10%`, `8.5` (percent, to a hundredth).
    public static func parseTaxRate(_ text: String) -> TaxRate? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") || t.hasSuffix("％") { t.removeLast() }
        guard let value = Decimal(string: t), value >= 0, value <= 100 else { return nil }
        let bp = NSDecimalNumber(decimal: value * 100).doubleValue
        guard bp == bp.rounded() else { return nil }
        return TaxRate(basisPoints: Int(bp))
    }
}
