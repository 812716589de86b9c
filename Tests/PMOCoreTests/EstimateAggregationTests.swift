import Foundation
import PMOCore
import Testing

/// The aggregation's rules (pure): what options are accepted, and how they become a decision's options.
@Suite("Estimate aggregation rules")
struct EstimateAggregationTests {
    @Test func optionsAreRefusedNamingTheirFields() {
        let answered = UUID(), other = UUID()
        var e = FieldErrors()
        AggregationRules.checkOptions([
            AggregationOption(title: "全スコープ", cost: .yen(10), estimateID: answered),
            AggregationOption(title: " 全スコープ ", cost: .yen(-1)),
            AggregationOption(title: "", cost: .yen(MoneyText.maximum + 1), scheduleDays: 1_001, effortTenths: -1, estimateID: other),
        ], estimates: [answered], into: &e)
        #expect(e.all.map { "\($0.field):\($0.code)" } == [
            "options[1].title:duplicate", "options[1].cost:negative",
            "options[2].title:required", "options[2].cost:too_large", "options[2].scheduleDays:out_of_range", "options[2].effort:out_of_range",
            "options[2].estimateId:not_in_request",
        ])
        var fine = FieldErrors()
        AggregationRules.checkOptions([AggregationOption(title: "段階リリース", cost: .zero, scheduleDays: -1_000)], estimates: [], into: &fine)
        #expect(fine.isEmpty)
        var request = FieldErrors()
        AggregationRules.checkRequest(title: "  ", scope: "", vendorCount: 0, into: &request)
        #expect(request.all.map { "\($0.field):\($0.code)" } == ["title:required", "scope:required", "vendorIds:no_vendor"])
    }

    @Test func optionsBecomeTheDecisionsOptionsWithEffortInHours() {
        let options = AggregationRules.decisionOptions([
            AggregationOption(title: "A", cost: .yen(46_000_000), scheduleDays: 0, effortTenths: 125, pros: "安い", cons: "帳票が変わる"),
            AggregationOption(title: "B", cost: .yen(1), scheduleDays: -3),
        ])
        #expect(options == [
            DecisionOption(title: "A", pros: "安い", cons: "帳票が変わる", cost: 46_000_000, scheduleDays: 0, effortHours: 2_000),
            DecisionOption(title: "B", cost: 1, scheduleDays: -3, effortHours: nil),
        ])
    }
}
