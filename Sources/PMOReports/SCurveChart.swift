import Foundation
import PMOCore

/// Cumulative earned-value figures at one date; nil where a series has no value (e.g. EV and AC after the status date).
public struct SCurvePoint: Sendable, Hashable {
    public var date: CivilDate
    /// Planned value (cumulative).
    public var pv: Double?
    /// Earned value (cumulative).
    public var ev: Double?
    /// Actual cost (cumulative).
    public var ac: Double?

    public init(date: CivilDate, pv: Double? = nil, ev: Double? = nil, ac: Double? = nil) {
        self.date = date
        self.pv = pv
        self.ev = ev
        self.ac = ac
    }
}

/// What an S-curve shows.
public struct SCurveInput: Sendable {
    /// Any order; drawn by date (equal dates keep their order).
    public var points: [SCurvePoint]
    /// A dashed vertical line; the x axis is widened to include it.
    public var statusDate: CivilDate?
    /// Budget at completion: a horizontal line (none when 0 or less).
    public var bac: Double
    public var title: String
    /// "ja" or "en": legend words and money units.
    public var language: String
    /// Prefix of money labels, e.g. "¥".
    public var currency: String

    public init(
        points: [SCurvePoint], statusDate: CivilDate? = nil, bac: Double, title: String, language: String = "ja",
        currency: String = "¥"
    ) {
        self.points = points
        self.statusDate = statusDate
        self.bac = bac
        self.title = title
        self.language = language
        self.currency = currency
    }
}

/// The earned-value S-curve as SVG: cumulative PV, EV and AC against dates, BAC and the status date.
///
/// Money labels follow one rule: Japanese uses 億 (10^8) and 万 (10^4), other languages B, M and K; the scaled value
/// has at most two decimals (trailing zeros dropped, so a ¥1.25M tick stays exact), values below the smallest unit
/// are whole numbers with commas, and the currency comes first: "¥120万", "¥1.5億", "$1.25M", "$950".
public enum SCurveChart {
    /// The chart, or a small "no data" SVG when no point has a value. Same input, same bytes.
    public static func svg(_ input: SCurveInput) -> String {
        let ja = ChartSVG.isJapanese(input.language)
        let sorted = input.points.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        let series: [(cls: String, values: [(Int, Double)])] = [
            ("pv", values(sorted, \.pv)), ("ev", values(sorted, \.ev)), ("ac", values(sorted, \.ac)),
        ]
        let all = series.flatMap { $0.values.map(\.1) }
        guard !all.isEmpty else { return ChartSVG.noData(title: input.title, japanese: ja) }
        let bac = input.bac.isFinite ? input.bac : 0
        var days = series.flatMap { $0.values.map(\.0) }
        if let s = input.statusDate { days.append(s.dayNumber) }
        let plot = LinePlot(
            height: 440, days: days, yLow: min(0, all.min()!), yHigh: max(bac, all.max()!), headroom: 1.05)

        var s = ChartSVG.open(width: LinePlot.width, height: 440, title: input.title, className: "s-curve", style: LinePlot.style)
        s += "<text class=\"title\" x=\"16\" y=\"24\">\(ChartSVG.escape(input.title))</text>\n"
        s += plot.axes(japanese: ja) { money($0, currency: input.currency, japanese: ja) }
        let n = ChartSVG.num
        if bac > 0 {
            let y = plot.y(bac)
            s += "<line class=\"bac\" x1=\"\(n(plot.left))\" y1=\"\(n(y))\" x2=\"\(n(plot.right))\" y2=\"\(n(y))\"/>\n"
            s += "<text class=\"bac-label\" x=\"\(n(plot.right - 4))\" y=\"\(n(y - 5))\" text-anchor=\"end\">BAC \(ChartSVG.escape(money(bac, currency: input.currency, japanese: ja)))</text>\n"
        }
        if let status = input.statusDate {
            s += plot.statusLine(status, words: ChartSVG.words(ja)["chart.status"])
        }
        for (cls, values) in series { s += plot.polyline(cls, values) }
        let words = ["chart.pv", "chart.ev", "chart.ac"].map { ChartSVG.words(ja)[$0] }
        s += LinePlot.legend(zip(["pv", "ev", "ac"], words).map { ($0, $1) })
        return s + "</svg>\n"
    }

    /// (day number, value) for the points where `key` has a finite value.
    static func values(_ points: [SCurvePoint], _ key: KeyPath<SCurvePoint, Double?>) -> [(Int, Double)] {
        points.compactMap { p in p[keyPath: key].flatMap { $0.isFinite ? (p.date.dayNumber, $0) : nil } }
    }

    /// The language's units of large amounts, largest first, from the catalogue ("100000000 億|10000 万").
    static let japaneseUnits = units(ChartSVG.words(true)["chart.money_units"])
    static let englishUnits = units(ChartSVG.words(false)["chart.money_units"])
    private static func units(_ text: String) -> [(Double, String)] {
        text.split(separator: "|").compactMap { unit in
            let parts = unit.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let size = Double(parts[0]) else { return nil }
            return (size, String(parts[1]))
        }
    }

    /// A compact money label; the rule is in the type's documentation.
    static func money(_ value: Double, currency: String, japanese: Bool) -> String {
        guard value.isFinite else { return "" }
        let units = japanese ? japaneseUnits : englishUnits
        let a = abs(value), sign = value < 0 ? "-" : ""
        for (size, suffix) in units where a >= size {
            let hundredths = Int((min(a / size, 1e12) * 100).rounded())
            let whole = grouped(hundredths / 100), frac = hundredths % 100
            let decimals = frac == 0 ? "" : frac % 10 == 0 ? ".\(frac / 10)" : frac < 10 ? ".0\(frac)" : ".\(frac)"
            return sign + currency + whole + decimals + suffix
        }
        return sign + currency + grouped(Int(a.rounded()))
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }
}

/// One date's schedule and cost performance indexes.
public struct IndexTrendPoint: Sendable, Hashable {
    public var date: CivilDate
    /// Schedule performance index (EV / PV).
    public var spi: Double?
    /// Cost performance index (EV / AC).
    public var cpi: Double?

    public init(date: CivilDate, spi: Double? = nil, cpi: Double? = nil) {
        self.date = date
        self.spi = spi
        self.cpi = cpi
    }
}

/// SPI and CPI over time as SVG, around a reference line at 1.0 (on plan, on budget).
public enum IndexTrendChart {
    /// The chart (a "no data" SVG when no value is given); the y axis spans 0.5...1.5, widened to take any value
    /// outside, with a reference line at 1.0. Non-finite values are left out.
    public static func svg(points: [IndexTrendPoint], title: String, language: String) -> String {
        let ja = ChartSVG.isJapanese(language)
        let sorted = points.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        func values(_ key: KeyPath<IndexTrendPoint, Double?>) -> [(Int, Double)] {
            sorted.compactMap { p in p[keyPath: key].flatMap { $0.isFinite ? (p.date.dayNumber, $0) : nil } }
        }
        let spi = values(\.spi), cpi = values(\.cpi)
        let all = (spi + cpi).map(\.1)
        guard !all.isEmpty else { return ChartSVG.noData(title: title, japanese: ja) }
        let plot = LinePlot(
            height: 380, days: (spi + cpi).map(\.0), yLow: min(0.5, all.min()!), yHigh: max(1.5, all.max()!),
            headroom: 1)

        var s = ChartSVG.open(width: LinePlot.width, height: 380, title: title, className: "index-trend", style: LinePlot.style)
        s += "<text class=\"title\" x=\"16\" y=\"24\">\(ChartSVG.escape(title))</text>\n"
        s += plot.axes(japanese: ja) { fixed2($0) }
        let n = ChartSVG.num, y1 = plot.y(1)
        s += "<line class=\"reference\" x1=\"\(n(plot.left))\" y1=\"\(n(y1))\" x2=\"\(n(plot.right))\" y2=\"\(n(y1))\"/>\n"
        s += plot.polyline("spi", spi) + plot.polyline("cpi", cpi)
        s += LinePlot.legend(
            [("spi", ChartSVG.words(ja)["chart.spi"]), ("cpi", ChartSVG.words(ja)["chart.cpi"])])
        return s + "</svg>\n"
    }

    /// Two decimals always: "0.50", "1.25".
    static func fixed2(_ v: Double) -> String {
        let h = Int((min(max(v, -1e12), 1e12) * 100).rounded())
        let a = abs(h), frac = a % 100
        return (h < 0 ? "-" : "") + "\(a / 100)." + (frac < 10 ? "0\(frac)" : "\(frac)")
    }
}

/// A date × value plot frame shared by the S-curve and the index trend: scales, gridlines, ticks, lines, legend.
struct LinePlot {
    static let width = 900.0
    let left = 84.0
    let right = LinePlot.width - 24
    let top = 64.0
    let bottom: Double
    let firstDay: Int
    let lastDay: Int
    let yMin: Double
    let yMax: Double
    let yStep: Double

    /// `days` must not be empty; a single day is widened by one day either side.
    /// The y range is rounded out to about five to ten "nice" steps (1, 2, 2.5, 5 × 10^k).
    init(height: Double, days: [Int], yLow: Double, yHigh: Double, headroom: Double) {
        bottom = height - 44
        let lo = days.min()!, hi = days.max()!
        (firstDay, lastDay) = lo == hi ? (lo - 1, hi + 1) : (lo, hi)
        let high = yHigh > yLow ? yHigh * (yHigh > 0 ? headroom : 1) : yLow + 1
        let step = Self.niceStep((high - yLow) / (headroom > 1 ? 5 : 10))
        yStep = step
        yMin = (yLow / step + 1e-9).rounded(.down) * step
        yMax = (high / step - 1e-9).rounded(.up) * step
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = pow(10, (log10(raw)).rounded(.down))
        let f = raw / p
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p
    }

    func x(_ day: Int) -> Double { left + Double(day - firstDay) / Double(lastDay - firstDay) * (right - left) }
    func y(_ v: Double) -> Double { bottom - (v - yMin) / (yMax - yMin) * (bottom - top) }

    /// Horizontal gridlines with y labels, x ticks with date labels, and the frame.
    func axes(japanese ja: Bool, yLabel: (Double) -> String) -> String {
        let n = ChartSVG.num
        var s = "", grid = ""
        let k0 = Int((yMin / yStep).rounded()), k1 = Int((yMax / yStep).rounded())
        for k in k0...k1 {
            let v = Double(k) * yStep, y = self.y(v)
            grid += "M\(n(left)) \(n(y))H\(n(right))"
            s += "<text class=\"axis\" x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(ChartSVG.escape(yLabel(v)))</text>\n"
        }
        for (day, label) in Self.dateTicks(first: firstDay, last: lastDay, japanese: ja) {
            let x = self.x(day)
            grid += "M\(n(x)) \(n(top))V\(n(bottom))"
            s += "<text class=\"axis\" x=\"\(n(x))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\">\(ChartSVG.escape(label))</text>\n"
        }
        return "<path class=\"grid\" d=\"\(grid)\"/>\n" + s
            + "<rect class=\"frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\"/>\n"
    }

    /// At most ten ticks: every day, every Monday or other Monday ("4/6"), every 1, 2, 3, 6 or 12 months
    /// ("2026年4月" / "Apr 2026"), or every few years.
    static func dateTicks(first: Int, last: Int, japanese ja: Bool) -> [(Int, String)] {
        func md(_ n: Int) -> String { let d = CivilDate(dayNumber: n); return "\(d.month)/\(d.day)" }
        if last - first < 10 { return (first...last).map { ($0, md($0)) } }
        let monday = first + (8 - CivilDate.weekday(ofDayNumber: first)) % 7
        for step in [7, 14] where (last - monday) / step < 10 {
            return stride(from: monday, through: last, by: step).map { ($0, md($0)) }
        }
        let a = CivilDate(dayNumber: first), b = CivilDate(dayNumber: last)
        let months = (b.year - a.year) * 12 + b.month - a.month
        for k in [1, 2, 3, 6, 12] where months / k < 10 {
            var ticks: [(Int, String)] = []
            var (y, m) = (a.year, a.month)
            while (y, m) <= (b.year, b.month) {
                let day = CivilDate(year: y, month: m, day: 1)!.dayNumber
                if day >= first, (m - 1) % k == 0 {
                    ticks.append((day, k == 12 ? ChartSVG.year(y, japanese: ja) : ChartSVG.monthName(year: y, month: m, japanese: ja)))
                }
                (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
            }
            return ticks
        }
        let every = (b.year - a.year) / 10 + 1
        return stride(from: a.year + 1, through: b.year, by: every).map {
            (CivilDate(year: $0, month: 1, day: 1)!.dayNumber, ChartSVG.year($0, japanese: ja))
        }
    }

    /// One polyline through the values in order (a dot when there is only one).
    func polyline(_ cls: String, _ values: [(Int, Double)]) -> String {
        guard !values.isEmpty else { return "" }
        let n = ChartSVG.num
        let pts = values.map { "\(n(x($0.0))),\(n(y($0.1)))" }.joined(separator: " ")
        var s = "<polyline class=\"\(cls)\" points=\"\(pts)\"/>\n"
        if values.count == 1 {
            s += "<circle class=\"\(cls)-dot\" cx=\"\(n(x(values[0].0)))\" cy=\"\(n(y(values[0].1)))\" r=\"3\"/>\n"
        }
        return s
    }

    func statusLine(_ date: CivilDate, words: String) -> String {
        let n = ChartSVG.num, x = self.x(date.dayNumber)
        return "<line class=\"status-line\" x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\"/>\n"
            + "<text class=\"status-label\" x=\"\(n(x))\" y=\"\(n(bottom + 32))\" text-anchor=\"middle\">\(ChartSVG.escape("\(words) \(date)"))</text>\n"
    }

    /// A row of line samples and words above the plot.
    static func legend(_ items: [(cls: String, text: String)]) -> String {
        var s = "<g class=\"legend\">", x = 84.0
        let n = ChartSVG.num
        for item in items {
            s += "<line class=\"legend-\(item.cls)\" x1=\"\(n(x))\" y1=\"42\" x2=\"\(n(x + 24))\" y2=\"42\"/>"
            s += "<text x=\"\(n(x + 30))\" y=\"46\">\(ChartSVG.escape(item.text))</text>"
            x += 30 + ChartSVG.textWidth(item.text, fontSize: 12) + 28
        }
        return s + "</g>\n"
    }

    // Print-friendly: dark text, series told apart by dash pattern as well as colour.
    static let style = """
        svg{print-color-adjust:exact;-webkit-print-color-adjust:exact;background:#fff}
        .title{font-size:15px;font-weight:bold;fill:#111}
        .axis{font-size:11px;fill:#333}.legend text{font-size:12px;fill:#111}
        .grid{fill:none;stroke:#e4e4e4;stroke-width:.7}.frame{fill:none;stroke:#888;stroke-width:1}
        .pv,.legend-pv{fill:none;stroke:#5b7fb0;stroke-width:2;stroke-dasharray:7 4}
        .ev,.legend-ev{fill:none;stroke:#2e9e44;stroke-width:2.5}
        .ac,.legend-ac{fill:none;stroke:#e0662b;stroke-width:2.5}
        .spi,.legend-spi{fill:none;stroke:#2a6fc1;stroke-width:2.5}
        .cpi,.legend-cpi{fill:none;stroke:#d9822b;stroke-width:2.5;stroke-dasharray:7 3}
        .pv-dot{fill:#5b7fb0}.ev-dot{fill:#2e9e44}.ac-dot{fill:#e0662b}.spi-dot{fill:#2a6fc1}.cpi-dot{fill:#d9822b}
        .bac{stroke:#333;stroke-width:1.2;stroke-dasharray:2 3}.bac-label{font-size:11px;fill:#333}
        .reference{stroke:#333;stroke-width:1.2}
        .status-line{stroke:#7b3fa0;stroke-width:1.5;stroke-dasharray:5 3}.status-label{font-size:11px;fill:#7b3fa0}
        """
}
