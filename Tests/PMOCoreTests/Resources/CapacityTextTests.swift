import PMOCore
import Testing

/// Capacities as people write them: a percentage of a working day, or hours a day of an 8-hour day.
@Suite struct CapacityTextTests {
    @Test func percentagesAndHoursAreRead() {
        let read: [(String, Int?)] = [
            ("100", 100), ("75%", 75), (" 75 % ", 75), ("７５％", 75), ("0", 0), ("-5", -5),
            ("6h", 75), ("6 h", 75), ("6H", 75), ("7.5h", 94), ("4 hours", 50), ("6時間", 75), ("６時間", 75), ("８ｈ", 100),
            ("0.1h", 1), ("0.04h", 1), ("0.03h", 0),  // 0.5 % rounds up, 0.375 % down
            ("", nil), ("h", nil), ("full time", nil), ("6hh", nil), ("6 days", nil), ("nanh", nil), ("infh", nil),
        ]
        for (text, expected) in read { #expect(ResourceRules.parseCapacity(text) == expected, "\(text)") }
    }

    @Test func hoursAndPercentagesConvertBothWays() {
        #expect(ResourceRules.percent(hoursPerDay: 6) == 75)
        #expect(ResourceRules.percent(hoursPerDay: 7.5) == 94)
        #expect(ResourceRules.percent(hoursPerDay: 8) == 100)
        #expect(ResourceRules.percent(hoursPerDay: .nan) == nil)
        #expect(ResourceRules.hoursPerDay(percent: 75) == 6)
        #expect(ResourceRules.hoursPerDay(percent: 94) == 7.52)
        #expect(ResourceRules.hoursPerDay(percent: 200) == 16)
    }
}
