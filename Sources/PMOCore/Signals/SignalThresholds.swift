import Foundation

/// A project's thresholds for its signals (予兆): settings of the project, with defaults taken from the status rules
/// (`StatusRules`) so that a signal and the report's colour agree until the PMO tunes them. Stored as JSON; a field
/// missing from the stored value (an older version, or one the PMO never set) reads as its default.
public struct SignalThresholds: Sendable, Equatable, Codable {
    /// SPI or CPI below this is a warning, below `indexRed` critical.
    public var indexAmber: Double = StatusRules.indexAmber
    public var indexRed: Double = StatusRules.indexRed
    /// SPI or CPI lower at each of this many status dates in a row (each lower than the one before) is a falling index.
    public var fallingDates: Int = 3
    /// A milestone forecast more than this many working days after its baseline is a warning…
    public var milestoneSlipDays: Double = 0
    /// …and this many or more critical.
    public var milestoneRedDays: Double = StatusRules.milestoneRedDays
    /// An activity in progress with no progress recorded at this many status dates in a row has gone silent.
    public var silentStatusDates: Int = 2
    /// An open issue or action unchanged for this many days is ageing (twice as many: critical).
    public var staleDays: Int = 14
    /// Overdue actions, blocking questions and late decisions this many days past their date are critical (a decision
    /// is compared with the project's median decision lead time instead, once it has one).
    public var overdueRedDays: Int = 10
    /// A vendor whose SPI was under `indexAmber` at this many status dates in a row is slipping.
    public var vendorSlipDates: Int = 3
    /// An open risk with this score or more is a top risk, which needs a response owner.
    public var riskThreshold: Int = MeetingRules.defaultRiskThreshold

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SignalThresholds()
        indexAmber = try c.decodeIfPresent(Double.self, forKey: .indexAmber) ?? d.indexAmber
        indexRed = try c.decodeIfPresent(Double.self, forKey: .indexRed) ?? d.indexRed
        fallingDates = try c.decodeIfPresent(Int.self, forKey: .fallingDates) ?? d.fallingDates
        milestoneSlipDays = try c.decodeIfPresent(Double.self, forKey: .milestoneSlipDays) ?? d.milestoneSlipDays
        milestoneRedDays = try c.decodeIfPresent(Double.self, forKey: .milestoneRedDays) ?? d.milestoneRedDays
        silentStatusDates = try c.decodeIfPresent(Int.self, forKey: .silentStatusDates) ?? d.silentStatusDates
        staleDays = try c.decodeIfPresent(Int.self, forKey: .staleDays) ?? d.staleDays
        overdueRedDays = try c.decodeIfPresent(Int.self, forKey: .overdueRedDays) ?? d.overdueRedDays
        vendorSlipDates = try c.decodeIfPresent(Int.self, forKey: .vendorSlipDates) ?? d.vendorSlipDates
        riskThreshold = try c.decodeIfPresent(Int.self, forKey: .riskThreshold) ?? d.riskThreshold
    }

    /// The allowed range of each field, by name (the API's schema and the settings form quote them).
    public static let indexRange: ClosedRange<Double> = 0.1...1.5
    public static let datesRange: ClosedRange<Int> = 2...12
    public static let slipRange: ClosedRange<Double> = 0...250
    public static let daysRange: ClosedRange<Int> = 1...365
    public static let riskRange: ClosedRange<Int> = 1...25

    /// What is wrong with these thresholds, each problem naming its field.
    public func problems() -> [FieldError] {
        var e = FieldErrors()
        func index(_ name: String, _ value: Double) {
            if !value.isFinite || !Self.indexRange.contains(value) {
                e.add(name, "out_of_range", "\(name) must be between \(Self.indexRange.lowerBound) and \(Self.indexRange.upperBound) (an index such as 0.95).")
            }
        }
        func whole(_ name: String, _ value: Int, _ range: ClosedRange<Int>, _ unit: String) {
            if !range.contains(value) {
                e.add(name, "out_of_range", "\(name) must be between \(range.lowerBound) and \(range.upperBound) \(unit) (it is \(value)).")
            }
        }
        index("indexAmber", indexAmber)
        index("indexRed", indexRed)
        if indexRed.isFinite, indexAmber.isFinite, indexRed > indexAmber {
            e.add("indexRed", "out_of_order", "indexRed (\(indexRed)) must not be above indexAmber (\(indexAmber)): critical is the lower line.")
        }
        whole("fallingDates", fallingDates, Self.datesRange, "status dates")
        for (name, value) in [("milestoneSlipDays", milestoneSlipDays), ("milestoneRedDays", milestoneRedDays)]
            where !value.isFinite || !Self.slipRange.contains(value) {
            e.add(name, "out_of_range", "\(name) must be between 0 and \(Int(Self.slipRange.upperBound)) working days.")
        }
        if milestoneRedDays.isFinite, milestoneSlipDays.isFinite, milestoneRedDays <= milestoneSlipDays {
            e.add("milestoneRedDays", "out_of_order",
                  "milestoneRedDays (\(AgendaGenerator.days(milestoneRedDays))) must be more than milestoneSlipDays (\(AgendaGenerator.days(milestoneSlipDays))).")
        }
        whole("silentStatusDates", silentStatusDates, Self.datesRange, "status dates")
        whole("staleDays", staleDays, Self.daysRange, "days")
        whole("overdueRedDays", overdueRedDays, Self.daysRange, "days")
        whole("vendorSlipDates", vendorSlipDates, Self.datesRange, "status dates")
        whole("riskThreshold", riskThreshold, Self.riskRange, "(a risk score, probability × impact)")
        return e.all
    }
}
