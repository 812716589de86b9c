import Foundation

/// Amounts as people write them in forms and spreadsheets: `1200000`, `1,200,000`, `¥1,200,000`, `1,200,000円`,
/// full-width digits, a leading minus (`-`, `−`, `▲` as Japanese ledgers mark a negative). Fractions of a yen are
/// refused rather than rounded: an amount typed is meant exactly.
public enum MoneyText {
    public enum Problem: Error, Equatable, Sendable {
        /// Not a number at all.
        case notAnAmount
        /// A fraction of a yen (`1200.5`).
        case fraction
        /// Beyond ±999,999,999,999,999 yen.
        case tooLarge

        /// The refusal of `written` in `field`, the same wherever amounts are typed (forms, sheets).
        public func fieldError(_ field: String, written: String) -> FieldError {
            switch self {
            case .fraction: FieldError(field: field, code: "fraction", message: "'\(written)' has a fraction of a yen; amounts are whole yen.", subjects: [written])
            case .tooLarge: FieldError(field: field, code: "too_large", message: "An amount is below one quadrillion yen.")
            case .notAnAmount: FieldError(field: field, code: "not_an_amount", message: "'\(written)' is not an amount in yen, e.g. 1,200,000.", subjects: [written])
            }
        }
    }

    /// The largest amount taken: a quadrillion yen less one, far above any project and well within Int64 sums.
    public static let maximum: Int64 = 999_999_999_999_999

    public static func parse(_ written: String, currency: CurrencyCode = .jpy) -> Result<Money, Problem> {
        var text = written.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        var negative = false
        if let first = text.first, "-−▲△".contains(first) {
            negative = true
            text.removeFirst()
        }
        text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("¥") || text.hasPrefix("\\") { text.removeFirst() }
        if text.hasSuffix("円") { text.removeLast() }
        text = text.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return .failure(.notAnAmount) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }), !parts[0].isEmpty else {
            return .failure(.notAnAmount)
        }
        if parts.count == 2 && parts[1].contains(where: { $0 != "0" }) { return .failure(.fraction) }
        let digits = parts[0].drop { $0 == "0" }
        guard digits.count <= 15, let value = Int64(digits.isEmpty ? "0" : String(digits)), value <= maximum else {
            return .failure(.tooLarge)
        }
        return .success(Money(negative ? -value : value, currency))
    }
}
