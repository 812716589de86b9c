import Foundation
import PMOCore

/// The budget ledger's monthly cash-out (支払実績) as SVG: each month's planned and actual payments with tax as a pair
/// of bars, and both running totals as lines, from the first to the last month with a payment.
public enum CashOutChart {
    public struct Month: Sendable, Equatable {
        public var month: YearMonth
        public var planned: Money
        /// What was paid in the month.
        public var actual: Money

        public init(month: YearMonth, planned: Money, actual: Money) {
            self.month = month
            self.planned = planned
            self.actual = actual
        }
    }

    /// Every month from the first to the last with a planned or actual payment, gaps filled with zeros, in order.
    public static func months(_ cash: [YearMonth: (planned: Money, actual: Money)]) -> [Month] {
        guard let first = cash.keys.min(), let last = cash.keys.max() else { return [] }
        var out: [Month] = []
        var m = first
        while m <= last, out.count < 600 {
            let c = cash[m] ?? (.zero, .zero)
            out.append(Month(month: m, planned: c.planned, actual: c.actual))
            m = m.adding(months: 1)
        }
        return out
    }

    static let height = 420.0, left = 84.0, top = 64.0, right = 24.0, bottomMargin = 52.0

    /// The chart, or a small "no data" SVG when nothing is planned or paid. Same input, same bytes.
    /// `through` is the month actual payments are known up to (this month): the actual line stops there.
    public static func svg(_ months: [Month], through: YearMonth, title: String, language: String) -> String {
        let ja = ChartSVG.isJapanese(language)
        guard !months.isEmpty else { return ChartSVG.noData(title: title, japanese: ja) }
        let words = ChartSVG.words(ja)
        let slot = max(28.0, min(110.0, 800.0 / Double(months.count)))
        let width = max(640, left + slot * Double(months.count) + right)
        let bottom = height - bottomMargin
        var plannedTotal = 0.0, actualTotal = 0.0
        var cumulative: [(planned: Double, actual: Double)] = []
        for m in months {
            plannedTotal += Double(m.planned.amount)
            actualTotal += Double(m.actual.amount)
            cumulative.append((plannedTotal, actualTotal))
        }
        let high = max(plannedTotal, actualTotal, months.map { Double(tallest($0)) }.max() ?? 0, 1)
        let step = LinePlot.niceStep(high * 1.05 / 5)
        let yMax = (high * 1.05 / step).rounded(.up) * step
        func y(_ v: Double) -> Double { bottom - v / yMax * (bottom - top) }
        let n = ChartSVG.num

        var s = ChartSVG.open(width: width, height: height, title: title, className: "cash-out", style: style)
        s += "<text class=\"title\" x=\"16\" y=\"24\">\(ChartSVG.escape(title))</text>\n"
        var grid = ""
        var k = 0.0
        while k <= yMax + step / 2 {
            grid += "M\(n(left)) \(n(y(k)))H\(n(width - right))"
            s += "<text class=\"axis\" x=\"\(n(left - 6))\" y=\"\(n(y(k) + 4))\" text-anchor=\"end\">\(ChartSVG.escape(SCurveChart.money(k, currency: "¥", japanese: ja)))</text>\n"
            k += step
        }
        s += "<path class=\"grid\" d=\"\(grid)\"/>\n"
        // Month labels: every month while they fit, else every second, third… with the year on January and the first.
        let every = max(1, Int((56.0 / slot).rounded(.up)))
        for (i, m) in months.enumerated() {
            let x0 = left + slot * Double(i), bar = slot * 0.34
            let p = Double(m.planned.amount), a = Double(m.actual.amount)
            if p > 0 {
                s += "<rect class=\"planned-bar\"\(plannedBar) x=\"\(n(x0 + slot * 0.14))\" y=\"\(n(y(p)))\" width=\"\(n(bar))\" height=\"\(n(bottom - y(p)))\"><title>\(ChartSVG.escape(label(m.month, ja: ja) + " " + words["chart.cash_planned"] + " " + SCurveChart.money(p, currency: "¥", japanese: ja)))</title></rect>\n"
            }
            if a > 0 {
                s += "<rect class=\"actual-bar\"\(actualBar) x=\"\(n(x0 + slot * 0.52))\" y=\"\(n(y(a)))\" width=\"\(n(bar))\" height=\"\(n(bottom - y(a)))\"><title>\(ChartSVG.escape(label(m.month, ja: ja) + " " + words["chart.cash_actual"] + " " + SCurveChart.money(a, currency: "¥", japanese: ja)))</title></rect>\n"
            }
            if i % every == 0 {
                let text = i == 0 || m.month.month == 1 ? ChartSVG.monthName(year: m.month.year, month: m.month.month, japanese: ja)
                    : ChartSVG.shortMonth(m.month.month, japanese: ja)
                s += "<text class=\"axis\" x=\"\(n(x0 + slot / 2))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\">\(ChartSVG.escape(text))</text>\n"
            }
        }
        s += "<rect class=\"frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(width - right - left))\" height=\"\(n(bottom - top))\"/>\n"
        let centres = months.indices.map { left + slot * (Double($0) + 0.5) }
        let planned = zip(centres, cumulative).map { "\(n($0.0)),\(n(y($0.1.planned)))" }
        s += "<polyline class=\"planned-line\"\(plannedLine) points=\"\(planned.joined(separator: " "))\"/>\n"
        let known = zip(zip(centres, cumulative), months).filter { $0.1.month <= through }.map { "\(n($0.0.0)),\(n(y($0.0.1.actual)))" }
        if !known.isEmpty { s += "<polyline class=\"actual-line\"\(actualLine) points=\"\(known.joined(separator: " "))\"/>\n" }
        // The legend: two line samples and two bar samples in a row above the plot.
        var legend = "<g class=\"legend\">", x = left
        for (sample, text) in [("<line class=\"planned-line\"\(plannedLine) x1=\"X\" y1=\"42\" x2=\"X24\" y2=\"42\"/>", words["chart.cash_planned_total"]),
                               ("<line class=\"actual-line\"\(actualLine) x1=\"X\" y1=\"42\" x2=\"X24\" y2=\"42\"/>", words["chart.cash_actual_total"]),
                               ("<rect class=\"planned-bar\"\(plannedBar) x=\"X6\" y=\"36\" width=\"12\" height=\"12\"/>", words["chart.cash_planned"]),
                               ("<rect class=\"actual-bar\"\(actualBar) x=\"X6\" y=\"36\" width=\"12\" height=\"12\"/>", words["chart.cash_actual"])] {
            legend += sample.replacingOccurrences(of: "X24", with: n(x + 24)).replacingOccurrences(of: "X6", with: n(x + 6))
                .replacingOccurrences(of: "\"X\"", with: "\"\(n(x))\"")
            legend += "<text x=\"\(n(x + 30))\" y=\"46\">\(ChartSVG.escape(text))</text>"
            x += 30 + ChartSVG.textWidth(text, fontSize: 12) + 24
        }
        return s + legend + "</g>\n</svg>\n"
    }

    // Colours as presentation attributes too: a page inlines the SVG under a content security policy that ignores its
    // <style>, and a downloaded file keeps them either way.
    static let plannedBar = " fill=\"#dbe5f3\" stroke=\"#5b7fb0\" stroke-width=\"1\""
    static let actualBar = " fill=\"#e0662b\""
    static let plannedLine = " fill=\"none\" stroke=\"#5b7fb0\" stroke-width=\"2\" stroke-dasharray=\"7 4\""
    static let actualLine = " fill=\"none\" stroke=\"#b8461a\" stroke-width=\"2.5\""

    static func tallest(_ m: Month) -> Int64 { max(m.planned.amount, m.actual.amount) }

    static func label(_ m: YearMonth, ja: Bool) -> String { ChartSVG.monthName(year: m.year, month: m.month, japanese: ja) }

    static let style = """
        svg{print-color-adjust:exact;-webkit-print-color-adjust:exact;background:#fff}
        .title{font-size:15px;font-weight:bold;fill:#111}
        .axis{font-size:11px;fill:#333}.legend text{font-size:12px;fill:#111}
        .grid{fill:none;stroke:#e4e4e4;stroke-width:.7}.frame{fill:none;stroke:#888;stroke-width:1}
        .planned-bar{fill:#dbe5f3;stroke:#5b7fb0;stroke-width:1}.actual-bar{fill:#e0662b}
        .planned-line,.legend-planned-line{fill:none;stroke:#5b7fb0;stroke-width:2;stroke-dasharray:7 4}
        .actual-line,.legend-actual-line{fill:none;stroke:#b8461a;stroke-width:2.5}
        """
}
