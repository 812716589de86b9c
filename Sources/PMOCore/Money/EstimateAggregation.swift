import Foundation

/// One option of an estimate aggregation (見積集約): a way to buy the requested scope (full scope, phased, reduced…)
/// with what it costs, what it does to the schedule and the effort, and what speaks for and against it. The business
/// owner chooses one; the choice becomes a decision in the decision log.
public struct AggregationOption: Sendable, Equatable {
    public var title: String
    /// Before tax.
    public var cost: Money
    /// Effect on the schedule in working days: positive is later, negative earlier, zero none.
    public var scheduleDays: Int
    /// Person-months in tenths (12.5 人月 is 125).
    public var effortTenths: Int?
    public var pros: String
    public var cons: String
    /// The vendor estimate the option rests on: chosen with the option, it becomes the line's estimated figure.
    public var estimateID: UUID?

    public init(title: String, cost: Money, scheduleDays: Int = 0, effortTenths: Int? = nil, pros: String = "", cons: String = "",
                estimateID: UUID? = nil) {
        self.title = title
        self.cost = cost
        self.scheduleDays = scheduleDays
        self.effortTenths = effortTenths
        self.pros = pros
        self.cons = cons
        self.estimateID = estimateID
    }
}

/// What a request for estimate and its aggregation accept, each refusal naming its field; and how a chosen option
/// becomes a decision (pure).
public enum AggregationRules {
    public static let optionsMax = 10
    public static let vendorsMax = 20
    /// The working days an option may move the schedule, either way (about four years).
    public static let scheduleDaysMax = 1_000
    /// Hours in a person-month (人月) when an option's effort is written on a decision, which counts effort in hours:
    /// 20 working days of 8 hours, the usual basis of Japanese estimates.
    public static let hoursPerPersonMonth = 160

    public static func checkRequest(title: String, scope: String, vendorCount: Int, into e: inout FieldErrors) {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { e.add("title", "required", "A request for estimate needs a title, e.g. 「会員ポータル 開発見積」.") }
        if trimmed.count > LedgerRules.nameMax { e.add("title", "too_long", "A title is at most \(LedgerRules.nameMax) characters.") }
        if scope.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { e.add("scope", "required", "Say what the vendors are to estimate.") }
        if scope.count > LedgerRules.textMax { e.add("scope", "too_long", "A scope is at most \(LedgerRules.textMax) characters.") }
        if vendorCount == 0 { e.add("vendorIds", "no_vendor", "Name at least one vendor to ask.") }
        if vendorCount > vendorsMax { e.add("vendorIds", "too_many", "At most \(vendorsMax) vendors.") }
    }

    /// The options of an aggregation, `estimates` being the ids of the estimates answering the request.
    public static func checkOptions(_ options: [AggregationOption], estimates: Set<UUID>, into e: inout FieldErrors) {
        if options.count > optionsMax { e.add("options", "too_many", "At most \(optionsMax) options.") }
        var titles: Set<String> = []
        for (i, o) in options.enumerated() {
            let at = "options[\(i)]"
            let title = o.title.trimmingCharacters(in: .whitespacesAndNewlines)
            if title.isEmpty { e.add("\(at).title", "required", "An option needs a title, e.g. 「全スコープ」 or 「段階リリース」.") }
            if title.count > LedgerRules.nameMax { e.add("\(at).title", "too_long", "A title is at most \(LedgerRules.nameMax) characters.") }
            if !title.isEmpty, !titles.insert(title).inserted { e.add("\(at).title", "duplicate", "Two options are called 「\(title)」; give each its own title.") }
            if o.cost.amount < 0 { e.add("\(at).cost", "negative", "An option's cost is zero or more, before tax.") }
            if o.cost.amount > MoneyText.maximum { e.add("\(at).cost", "too_large", "An amount is below one quadrillion yen.") }
            if abs(o.scheduleDays) > scheduleDaysMax {
                e.add("\(at).scheduleDays", "out_of_range", "The schedule impact is -\(scheduleDaysMax) to \(scheduleDaysMax) working days.")
            }
            if let effort = o.effortTenths, effort < 0 || effort > 1_000_000 { e.add("\(at).effort", "out_of_range", "Effort is 0 to 100,000 person-months.") }
            if o.pros.count > LedgerRules.textMax { e.add("\(at).pros", "too_long", "At most \(LedgerRules.textMax) characters.") }
            if o.cons.count > LedgerRules.textMax { e.add("\(at).cons", "too_long", "At most \(LedgerRules.textMax) characters.") }
            if let estimate = o.estimateID, !estimates.contains(estimate) {
                e.add("\(at).estimateId", "not_in_request", "The option rests on an estimate that does not answer this request; pick one of its estimates.")
            }
        }
    }

    /// The decision's options: the aggregation's, cost in yen and effort in hours.
    public static func decisionOptions(_ options: [AggregationOption]) -> [DecisionOption] {
        options.map { o in
            DecisionOption(title: o.title, pros: o.pros, cons: o.cons, cost: Double(o.cost.amount), scheduleDays: o.scheduleDays,
                           effortHours: o.effortTenths.map { Double($0 * hoursPerPersonMonth) / 10 })
        }
    }
}
