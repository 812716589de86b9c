import Foundation
import PMOCore
@testable import PMOReports
import Testing

/// The ledger's monthly cash-out chart: the months from the first to the last payment with the gaps filled, a pair of
/// bars per month at their amounts, the running totals, the actual line stopping at this month, escaped titles.
@Suite struct CashOutChartTests {
    static func ym(_ s: String) -> YearMonth { YearMonth(iso: s)! }

    @Test func monthsFillTheGapsAndBarsStandAtTheirAmounts() throws {
        let months = CashOutChart.months([
            Self.ym("2026-09"): (.yen(13_200_000), .yen(13_200_000)),
            Self.ym("2026-12"): (.yen(15_400_000), .zero),
            Self.ym("2027-01"): (.yen(4_180_000), .zero),
        ])
        #expect(months.map(\.month.description) == ["2026-09", "2026-10", "2026-11", "2026-12", "2027-01"])
        #expect(months.map(\.planned.amount) == [13_200_000, 0, 0, 15_400_000, 4_180_000])

        let svg = CashOutChart.svg(months, through: Self.ym("2026-11"), title: "<支払> & 予定", language: "ja")
        let elements = try #require(SVGDocument.parse(svg), "not well-formed XML")
        #expect(svg.contains("&lt;支払&gt; &amp; 予定"))
        let planned = elements.withClass("planned-bar"), actual = elements.withClass("actual-bar")
        #expect(planned.count == 3 + 1 && actual.count == 1 + 1, "one bar per month with money, and one in the legend each")
        // Bar heights are proportional to the amounts.
        let heights = planned.dropLast().compactMap { $0.number("height") }
        #expect(heights.count == 3 && abs(heights[1] / heights[0] - 15_400_000 / 13_200_000) < 0.01)
        // The planned running total has a point per month; the actual one stops at this month (2026-11).
        let plannedLine = try #require(elements.withClass("planned-line").first { $0.name == "polyline" }?.attributes["points"])
        let actualLine = try #require(elements.withClass("actual-line").first { $0.name == "polyline" }?.attributes["points"])
        #expect(plannedLine.split(separator: " ").count == 5 && actualLine.split(separator: " ").count == 3)
        #expect(elements.contains { $0.name == "text" && $0.text == "2026年9月" } && elements.contains { $0.name == "text" && $0.text == "2027年1月" })
    }

    @Test func nothingToDrawSaysSo() throws {
        #expect(CashOutChart.months([:]).isEmpty)
        let svg = CashOutChart.svg([], through: Self.ym("2026-11"), title: "Cash-out", language: "en")
        #expect(SVGDocument.parse(svg) != nil && svg.contains("No data"))
    }
}
