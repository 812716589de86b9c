import Foundation
import PMOCore
import Testing

@testable import PMOReports

@Suite struct SCurveChartTests {
    static func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    /// Five Mondays from 2026-04-06; EV for three weeks, AC for three weeks with a gap in week 2.
    static let points: [SCurvePoint] = [
        SCurvePoint(date: d("2026-04-06"), pv: 0, ev: 0, ac: 0),
        SCurvePoint(date: d("2026-04-13"), pv: 100_000, ev: 80_000, ac: nil),
        SCurvePoint(date: d("2026-04-20"), pv: 300_000, ev: 250_000, ac: 320_000),
        SCurvePoint(date: d("2026-04-27"), pv: 600_000),
        SCurvePoint(date: d("2026-05-04"), pv: 900_000),
    ]

    static func input(_ points: [SCurvePoint] = points, language: String = "ja") -> SCurveInput {
        SCurveInput(
            points: points, statusDate: d("2026-04-20"), bac: 1_000_000, title: "EVM", language: language, currency: "¥")
    }

    static func parse(_ svg: String) throws -> [SVGElement] { try #require(SVGDocument.parse(svg)) }

    static func coordinates(_ e: SVGElement) -> [(x: Double, y: Double)] {
        (e.attributes["points"] ?? "").split(separator: " ").map {
            let xy = $0.split(separator: ",").map { Double($0)! }
            return (xy[0], xy[1])
        }
    }

    @Test func oneVertexPerValue() throws {
        let els = try Self.parse(SCurveChart.svg(Self.input()))
        let lines = Dictionary(uniqueKeysWithValues: els.filter { $0.name == "polyline" }.map { ($0.attributes["class"]!, $0) })
        #expect(lines.keys.sorted() == ["ac", "ev", "pv"])
        #expect(Self.coordinates(lines["pv"]!).count == 5)
        #expect(Self.coordinates(lines["ev"]!).count == 3)
        #expect(Self.coordinates(lines["ac"]!).count == 2)
        // The x axis runs from the first to the last date: PV's vertices are evenly spaced Mondays.
        let xs = Self.coordinates(lines["pv"]!).map(\.x)
        #expect(xs == [84, 282, 480, 678, 876])
    }

    @Test func bacLineAboveEveryCurveAndAtItsValue() throws {
        let els = try Self.parse(SCurveChart.svg(Self.input()))
        let bac = try #require(els.withClass("bac").first)
        let y = try #require(bac.number("y1"))
        let ys = els.filter { $0.name == "polyline" }.flatMap(Self.coordinates).map(\.y)
        #expect(ys.allSatisfy { y < $0 })
        // Axis 0 ... ¥125万 (BAC plus 5 % headroom, rounded up to a ¥25万 step) over 64 ... 396: BAC at 4/5 of the height.
        #expect(y == 130.4)
        let axis = els.withClass("axis").map(\.text)
        #expect(["¥0", "¥25万", "¥50万", "¥75万", "¥100万", "¥125万"].allSatisfy(axis.contains))
        #expect(els.withClass("bac-label").first?.text == "BAC ¥100万")
    }

    @Test func statusLineAtStatusDate() throws {
        let els = try Self.parse(SCurveChart.svg(Self.input(language: "en")))
        let line = try #require(els.withClass("status-line").first)
        #expect(line.number("x1") == 480 && line.number("x2") == 480)
        #expect(els.withClass("status-label").first?.text == "Status 2026-04-20")
    }

    @Test func legendWordsFollowLanguage() throws {
        let ja = try Self.parse(SCurveChart.svg(Self.input())).map(\.text)
        #expect(["計画価値 PV", "出来高 EV", "実コスト AC"].allSatisfy(ja.contains))
        let en = try Self.parse(SCurveChart.svg(Self.input(language: "en"))).map(\.text)
        #expect(["Planned value PV", "Earned value EV", "Actual cost AC"].allSatisfy(en.contains))
        // English money units, two decimals at most: the top tick is ¥1.25M.
        #expect(en.contains("¥250K") && en.contains("¥1.25M"))
    }

    @Test func emptyOrValuelessInputSaysNoData() throws {
        let ja = try Self.parse(SCurveChart.svg(Self.input([])))
        #expect(ja.withClass("no-data").first?.text == "データがありません")
        let en = try Self.parse(SCurveChart.svg(Self.input([SCurvePoint(date: Self.d("2026-04-06"))], language: "en")))
        #expect(en.withClass("no-data").first?.text == "No data")
        #expect(en.contains { $0.name == "polyline" } == false)
    }

    @Test func nonFiniteValuesAreLeftOut() throws {
        var points = Self.points
        points[1].ev = .nan
        points[2].ac = .infinity
        let svg = SCurveChart.svg(Self.input(points))
        #expect(svg.contains("nan") == false && svg.contains("inf") == false)
        let els = try Self.parse(svg)
        #expect(els.withClass("ev").first.map { Self.coordinates($0).count } == 2)
        #expect(els.withClass("ac").first.map { Self.coordinates($0).count } == 1)
        // A lone value is a dot too, since a one-point polyline draws nothing.
        #expect(els.withClass("ac-dot").count == 1)
    }

    @Test func pointsAreDrawnInDateOrder() throws {
        let shuffled = [Self.points[3], Self.points[0], Self.points[4], Self.points[2], Self.points[1]]
        #expect(SCurveChart.svg(Self.input(shuffled)) == SCurveChart.svg(Self.input()))
    }

    @Test func moneyLabelsFollowOneRule() {
        #expect(SCurveChart.money(1_200_000, currency: "¥", japanese: true) == "¥120万")
        #expect(SCurveChart.money(150_000_000, currency: "¥", japanese: true) == "¥1.5億")
        #expect(SCurveChart.money(12_345, currency: "¥", japanese: true) == "¥1.23万")
        #expect(SCurveChart.money(9_999, currency: "¥", japanese: true) == "¥9,999")
        #expect(SCurveChart.money(1_234_000_000_000, currency: "¥", japanese: true) == "¥12,340億")
        #expect(SCurveChart.money(1_200_000, currency: "$", japanese: false) == "$1.2M")
        #expect(SCurveChart.money(1_250_000, currency: "$", japanese: false) == "$1.25M")
        #expect(SCurveChart.money(2_500, currency: "$", japanese: false) == "$2.5K")
        #expect(SCurveChart.money(950, currency: "$", japanese: false) == "$950")
        #expect(SCurveChart.money(-3_000_000_000, currency: "$", japanese: false) == "-$3B")
        #expect(SCurveChart.money(0, currency: "¥", japanese: true) == "¥0")
    }

    @Test func hostileTitleAndCurrencyEscaped() throws {
        var input = Self.input()
        input.title = "<b>&</b>"
        input.currency = "<&>"
        let els = try Self.parse(SCurveChart.svg(input))
        #expect(els.first?.attributes["aria-label"] == "<b>&</b>")
        #expect(els.withClass("bac-label").first?.text == "BAC <&>100万")
    }
}

@Suite struct IndexTrendChartTests {
    static func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    static let points = [
        IndexTrendPoint(date: d("2026-04-06"), spi: 1.0, cpi: 1.0),
        IndexTrendPoint(date: d("2026-04-13"), spi: 0.9, cpi: 1.1),
        IndexTrendPoint(date: d("2026-04-20"), spi: 0.8, cpi: nil),
    ]

    @Test func linesAroundReferenceOnDefaultAxis() throws {
        let els = try #require(SVGDocument.parse(IndexTrendChart.svg(points: Self.points, title: "指数", language: "ja")))
        let spi = try #require(els.withClass("spi").first)
        let cpi = try #require(els.withClass("cpi").first)
        #expect(spi.name == "polyline" && SCurveChartTests.coordinates(spi).count == 3)
        #expect(SCurveChartTests.coordinates(cpi).count == 2)
        // 0.5 ... 1.5 over 64 ... 336: 1.0 is half way.
        let reference = try #require(els.withClass("reference").first)
        #expect(reference.number("y1") == 200)
        #expect(SCurveChartTests.coordinates(spi).first?.y == 200)
        let axis = els.withClass("axis").map(\.text)
        #expect(axis.contains("0.50") && axis.contains("1.50") && axis.contains("1.60") == false)
        #expect(els.contains { $0.text == "SPI（スケジュール効率指数）" })
    }

    @Test func axisWidensForValuesOutside() throws {
        let points = Self.points + [IndexTrendPoint(date: Self.d("2026-04-27"), spi: 0.3, cpi: 1.8)]
        let els = try #require(SVGDocument.parse(IndexTrendChart.svg(points: points, title: "SPI/CPI", language: "en")))
        let axis = els.withClass("axis").map(\.text)
        #expect(axis.contains("0.20") && axis.contains("1.80"))
        let ys = els.filter { $0.name == "polyline" }.flatMap(SCurveChartTests.coordinates).map(\.y)
        #expect(ys.allSatisfy { (64...336).contains($0) })
        #expect(els.contains { $0.text == "CPI (cost performance)" })
    }

    @Test func noValuesSaysNoData() throws {
        let els = try #require(
            SVGDocument.parse(IndexTrendChart.svg(points: [IndexTrendPoint(date: Self.d("2026-04-06"))], title: "x", language: "ja")))
        #expect(els.withClass("no-data").first?.text == "データがありません")
        #expect(IndexTrendChart.svg(points: [], title: "x", language: "en").contains("No data"))
    }
}
