import Foundation

/// An amount of money: a whole number of the currency's smallest unit (yen have none smaller) and the currency's code.
/// Every amount of the product is meant to be one (budgets, costs, estimates, orders, earned value), so that sums
/// add up to the yen and nothing drifts through floating point. Other currencies than the yen are out of scope; the
/// code is carried so that amounts of two currencies are never added by mistake.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// In the currency's smallest unit (yen).
    public var amount: Int64
    public var currency: CurrencyCode

    public init(_ amount: Int64, _ currency: CurrencyCode = .jpy) {
        self.amount = amount
        self.currency = currency
    }

    public static func yen(_ amount: Int64) -> Money { Money(amount, .jpy) }
    public static let zero = Money(0)

    /// The one rounding rule: half up to the yen, halves away from zero (四捨五入: 2.5 → 3, -2.5 → -3). Nil when
    /// `value` is not finite or beyond what a count of yen can hold in a Double exactly (±2^53).
    public init?(rounding value: Double, _ currency: CurrencyCode = .jpy) {
        let rounded = value.rounded(.toNearestOrAwayFromZero)
        guard rounded.isFinite, abs(rounded) <= 9_007_199_254_740_992 else { return nil }
        self.init(Int64(rounded), currency)
    }

    /// The amount as a Double, for charts and ratios (never to be stored or summed).
    public var approximate: Double { Double(amount) }

    public static func < (a: Money, b: Money) -> Bool {
        precondition(a.currency == b.currency, "\(a.currency) and \(b.currency) amounts compared")
        return a.amount < b.amount
    }
    /// Sums saturate at ±9.2 quintillion yen instead of trapping: one amount is below a quadrillion
    /// (`MoneyText.maximum`), so only absurd input (thousands of maximal amounts) gets there, and a server must not
    /// stop on it.
    public static func + (a: Money, b: Money) -> Money {
        precondition(a.currency == b.currency, "\(a.currency) and \(b.currency) amounts added")
        let (sum, overflow) = a.amount.addingReportingOverflow(b.amount)
        return Money(overflow ? (b.amount > 0 ? .max : .min) : sum, a.currency)
    }
    public static func - (a: Money, b: Money) -> Money {
        precondition(a.currency == b.currency, "\(a.currency) and \(b.currency) amounts subtracted")
        let (difference, overflow) = a.amount.subtractingReportingOverflow(b.amount)
        return Money(overflow ? (b.amount < 0 ? .max : .min) : difference, a.currency)
    }
    public static prefix func - (a: Money) -> Money { Money(-a.amount, a.currency) }
    public static func += (a: inout Money, b: Money) { a = a + b }
    public static func -= (a: inout Money, b: Money) { a = a - b }

    /// The amount times a whole count (units, months).
    public static func * (a: Money, n: Int64) -> Money { Money(a.amount * n, a.currency) }

    /// The amount times `ratio` (a rate, hours, a share), rounded by the one rule; a ratio that would overflow gives nil.
    public func scaled(by ratio: Double) -> Money? { Money(rounding: Double(amount) * ratio, currency) }

    /// The amount split in proportion to `weights` (zero or more) so the parts add up to it exactly: each part is the
    /// whole share rounded down, and the yen left over go one each to the parts with the largest remainders, the first
    /// on a tie (the largest remainder method). All of it goes to the first part when the weights are all zero.
    public func split(by weights: [Money]) -> [Money] {
        guard !weights.isEmpty else { return [] }
        let total = weights.reduce(UInt64(0)) { $0 + UInt64(max(0, $1.amount)) }
        guard total > 0 else { return [self] + Array(repeating: Money(0, currency), count: weights.count - 1) }
        let whole = amount.magnitude
        var parts: [UInt64] = [], remainders: [(Int, UInt64)] = []
        for (i, w) in weights.enumerated() {
            // whole × weight can pass 64 bits; the quotient cannot (weight ≤ total).
            let (q, r) = total.dividingFullWidth(whole.multipliedFullWidth(by: UInt64(max(0, w.amount))))
            parts.append(q)
            remainders.append((i, r))
        }
        var left = whole - parts.reduce(0, +)
        for (i, _) in remainders.sorted(by: { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }) where left > 0 {
            parts[i] += 1
            left -= 1
        }
        return parts.map { Money(amount < 0 ? -Int64($0) : Int64($0), currency) }
    }

    /// `¥1,200,000`, `-¥3,000`.
    public var description: String { (amount < 0 ? "-" : "") + currency.symbol + Money.grouped(amount.magnitude) }

    /// `1,200,000`, `-3,000`: the figure without its currency, as a table whose column says yen shows it (and as a form
    /// reads it back).
    public var figure: String { (amount < 0 ? "-" : "") + Money.grouped(amount.magnitude) }

    /// `1,200,000`: digits in groups of three, as Japanese and English ledgers write them.
    public static func grouped(_ n: UInt64) -> String {
        var digits = Array(String(n))
        var out = ""
        while digits.count > 3 {
            out = "," + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return String(digits) + out
    }
}

extension Sequence where Element == Money {
    /// The sum, in `currency` when the sequence is empty.
    public func sum(_ currency: CurrencyCode = .jpy) -> Money { reduce(Money(0, currency), +) }
}

/// An ISO 4217 currency code (`JPY`).
public struct CurrencyCode: Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public init?(_ code: String) {
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else { return nil }
        self.code = code
    }
    private init(known code: String) { self.code = code }

    public static let jpy = CurrencyCode(known: "JPY")
    public var symbol: String { self == .jpy ? "¥" : code + " " }
    public var description: String { code }
}

/// A consumption-tax rate in basis points (10 % = 1,000), as orders carry it: amounts are stored before tax, and the
/// tax is computed on an amount by the one rounding rule.
public struct TaxRate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var basisPoints: Int
    public init(basisPoints: Int) { self.basisPoints = basisPoints }

    /// Japan's standard consumption tax, the default of an order.
    public static let standard = TaxRate(basisPoints: 1_000)
    /// The reduced rate (food, newspapers), for completeness of the setting.
    public static let reduced = TaxRate(basisPoints: 800)

    /// The tax on `amount` before tax, half up to the yen. Computed in whole numbers: exact for any amount.
    public func tax(on amount: Money) -> Money {
        // amount × rate ÷ 10,000 without forming amount × rate (a quadrillion at 100 % would overflow): the amount's
        // whole ten-thousands are taxed exactly, only the rest is rounded.
        let (tens, rest) = amount.amount.quotientAndRemainder(dividingBy: 10_000)
        let bp = Int64(basisPoints)
        let (whole, wholeOverflow) = tens.multipliedReportingOverflow(by: bp)
        if wholeOverflow { return Money(amount.amount < 0 ? .min : .max, amount.currency) }
        let part = rest * bp
        let (quotient, remainder) = part.quotientAndRemainder(dividingBy: 10_000)
        let roundsAway = remainder.magnitude * 2 >= 10_000
        return Money(whole, amount.currency) + Money(quotient + (roundsAway ? (part < 0 ? -1 : 1) : 0), amount.currency)
    }

    /// The amount with its tax.
    public func including(_ amount: Money) -> Money { amount + tax(on: amount) }

    public static func < (a: TaxRate, b: TaxRate) -> Bool { a.basisPoints < b.basisPoints }
    /// `10%`, `8%`, `10.5%`.
    public var description: String {
        basisPoints % 100 == 0 ? "\(basisPoints / 100)%" : "\(Double(basisPoints) / 100)%"
    }
}
