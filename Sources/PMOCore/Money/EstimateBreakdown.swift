import Foundation

/// One part of an estimate's amount as the vendor broke it down (見積内訳): by phase (要件定義, 設計, 開発, テスト, 移行…,
/// written as the vendor writes it), by cost category, or both.
public struct EstimatePart: Sendable, Equatable {
    public var phase: String
    public var category: CostCategory?
    /// Before tax.
    public var amount: Money

    public init(phase: String, category: CostCategory? = nil, amount: Money) {
        self.phase = phase
        self.category = category
        self.amount = amount
    }
}

/// The breakdown of an estimate: what it accepts, and its sums by phase and by category, which the aggregation lays
/// side by side for the vendors' estimates of one request.
public enum EstimateBreakdown {
    public static let partsMax = 50
    public static let phaseMax = 100

    /// Parts as written: each names a phase or a category, is zero or more, and together they are the estimate's
    /// amount. No parts: no breakdown.
    public static func check(_ parts: [EstimatePart], amount: Money, into e: inout FieldErrors) {
        guard !parts.isEmpty else { return }
        if parts.count > partsMax { e.add("breakdown", "too_many", "An estimate has at most \(partsMax) parts.") }
        for (i, part) in parts.enumerated() {
            let phase = part.phase.trimmingCharacters(in: .whitespaces)
            if phase.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
                e.append(FieldError(field: "breakdown[\(i)].phase", code: "one_line", message: "A phase is one line of text.", subjects: ["\(i + 1)"]))
            } else if phase.count > phaseMax {
                e.append(FieldError(field: "breakdown[\(i)].phase", code: "too_long", message: "A phase has at most \(phaseMax) characters."))
            }
            if phase.isEmpty && part.category == nil {
                e.append(FieldError(field: "breakdown[\(i)]", code: "unnamed_part", message: "Part \(i + 1) names neither a phase nor a category; give one or both.",
                                    subjects: ["\(i + 1)"]))
            }
            if part.amount.amount < 0 { e.append(FieldError(field: "breakdown[\(i)].amount", code: "negative", message: "A part is zero or more, before tax.")) }
        }
        let sum = parts.map(\.amount).sum()
        if !parts.contains(where: { $0.amount.amount < 0 }), sum != amount {
            e.append(FieldError(field: "breakdown", code: "does_not_add_up",
                                message: "The parts add up to \(sum), and the estimate is \(amount); make them equal.", subjects: [sum.description, amount.description]))
        }
    }

    /// Sums by phase, in the order the phases first appear; parts without a phase are left out.
    public static func byPhase(_ parts: [EstimatePart]) -> [(phase: String, amount: Money)] {
        var order: [String] = [], sums: [String: Money] = [:]
        for part in parts where !part.phase.isEmpty {
            if sums[part.phase] == nil { order.append(part.phase) }
            sums[part.phase, default: .zero] += part.amount
        }
        return order.map { ($0, sums[$0]!) }
    }

    /// Sums by category, in the categories' order; parts without a category are left out.
    public static func byCategory(_ parts: [EstimatePart]) -> [(category: CostCategory, amount: Money)] {
        CostCategory.allCases.compactMap { c in
            let inIt = parts.filter { $0.category == c }
            return inIt.isEmpty ? nil : (c, inIt.map(\.amount).sum())
        }
    }

    /// The phases of several estimates, in the order they first appear (the rows of a side-by-side comparison).
    public static func phases(_ estimates: [[EstimatePart]]) -> [String] {
        var out: [String] = []
        for part in estimates.joined() where !part.phase.isEmpty && !out.contains(part.phase) { out.append(part.phase) }
        return out
    }
}
