import Foundation
import PMOCore

/// Open items over time as SVG: a step line of the open count, with the items raised and closed in each period as
/// a pair of bars.
///
/// Pure and deterministic. The chart has no `<style>` (the site's Content-Security-Policy blocks it in inline SVG):
/// every element carries a class (`bd-open`, `bd-raised`, `bd-closed`, `bd-axis`…) for the page's stylesheet and
/// its fill and stroke as attributes, so the file also looks right on its own.
public enum BurnDownChart {
    /// The counts at one date (`IssueCountPoint`: reports store them with their content).
    public typealias Point = IssueCountPoint

    /// Width of the chart in pixels, whatever the number of points.
    public static let width = 900.0
    /// Height of the chart in pixels.
    public static let height = 380.0

    /// The counts at each of `dates` (`IssueCountPoint.points`).
    public static func points(opened: [CivilDate], closed: [CivilDate], dates: [CivilDate]) -> [Point] {
        IssueCountPoint.points(opened: opened, closed: closed, dates: dates)
    }

    /// The chart: one slot per point (in date order), with a raised and a closed bar (`rect.bd-raised`,
    /// `rect.bd-closed`, each with a tooltip) and the open count as a step line (`polyline.bd-open`) with a dot per
    /// point; a y axis of counts, at most twelve date labels, and a legend. A small "no data" SVG for no points.
    public static func svg(points: [Point], title: String, lang: String) -> String {
        let w = MeetingMarkdown.Words(lang)
        let n = ChartSVG.num, e = ChartSVG.escape
        guard !points.isEmpty else {
            return open(width: 480, height: 120, title: title)
                + "<text class=\"bd-title\" x=\"16\" y=\"28\" font-size=\"15\" font-weight=\"bold\" fill=\"#111\">\(e(title))</text>\n"
                + "<text class=\"bd-no-data\" x=\"240\" y=\"76\" text-anchor=\"middle\" font-size=\"14\" fill=\"#666\">\(e(w["chart.no_data"]))</text>\n"
                + "</svg>\n"
        }
        let sorted = points.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        let left = 64.0, right = width - 24, top = 64.0, bottom = height - 52
        let highest = sorted.map { max($0.open, $0.raised, $0.closed) }.max() ?? 0
        let step = countStep(Double(max(1, highest)) / 5)
        let yMax = max(1, (Double(max(1, highest)) / step).rounded(.up)) * step
        func y(_ v: Int) -> Double { bottom - Double(max(0, v)) / yMax * (bottom - top) }
        let slot = (right - left) / Double(sorted.count)
        func x(_ i: Int) -> Double { left + slot * (Double(i) + 0.5) }
        let barWidth = min(24, max(1, slot * 0.35))

        var s = open(width: width, height: height, title: title)
        s += "<text class=\"bd-title\" x=\"16\" y=\"24\" font-size=\"15\" font-weight=\"bold\" fill=\"#111\">\(e(title))</text>\n"

        // Axes: horizontal gridlines with counts, the frame, date labels under the slots.
        var grid = "", labels = ""
        for k in 0...Int((yMax / step).rounded()) {
            let v = Int((Double(k) * step).rounded()), yy = y(v)
            grid += "M\(n(left)) \(n(yy))H\(n(right))"
            labels += "<text class=\"bd-axis\" x=\"\(n(left - 6))\" y=\"\(n(yy + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">\(v)</text>\n"
        }
        let every = (sorted.count + 11) / 12
        for (i, p) in sorted.enumerated() where i % every == 0 {
            labels += "<text class=\"bd-axis bd-date\" x=\"\(n(x(i)))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333\">\(p.date.month)/\(p.date.day)</text>\n"
        }
        s += "<path class=\"bd-grid\" d=\"\(grid)\" fill=\"none\" stroke=\"#e4e4e4\" stroke-width=\"0.7\"/>\n" + labels
        s += "<rect class=\"bd-frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\" fill=\"none\" stroke=\"#888\" stroke-width=\"1\"/>\n"

        // Bars: raised left of the slot's centre, closed right of it.
        for (i, p) in sorted.enumerated() {
            for (cls, value, fill, bx) in [("bd-raised", p.raised, "#d9822b", x(i) - barWidth - 1), ("bd-closed", p.closed, "#2e9e44", x(i) + 1)] {
                let word = w[cls == "bd-raised" ? "chart.raised" : "chart.closed"]
                s += "<rect class=\"\(cls)\" x=\"\(n(bx))\" y=\"\(n(y(value)))\" width=\"\(n(barWidth))\" height=\"\(n(bottom - y(value)))\" fill=\"\(fill)\">"
                s += "<title>\(e("\(p.date) \(word) \(value)"))</title></rect>\n"
            }
        }

        // The open count as a step: level until the next date, then up or down to its count.
        var vertices = ["\(n(x(0))),\(n(y(sorted[0].open)))"]
        for i in sorted.indices.dropFirst() {
            vertices.append("\(n(x(i))),\(n(y(sorted[i - 1].open)))")
            vertices.append("\(n(x(i))),\(n(y(sorted[i].open)))")
        }
        s += "<polyline class=\"bd-open\" points=\"\(vertices.joined(separator: " "))\" fill=\"none\" stroke=\"#2a6fc1\" stroke-width=\"2.5\"/>\n"
        for (i, p) in sorted.enumerated() {
            s += "<circle class=\"bd-open-dot\" cx=\"\(n(x(i)))\" cy=\"\(n(y(p.open)))\" r=\"3\" fill=\"#2a6fc1\">"
            s += "<title>\(e("\(p.date) \(w["chart.open"]) \(p.open)"))</title></circle>\n"
        }

        // Legend above the plot.
        var lx = left
        s += "<g class=\"bd-legend\" font-size=\"12\" fill=\"#111\">"
        s += "<line class=\"bd-legend-open\" x1=\"\(n(lx))\" y1=\"42\" x2=\"\(n(lx + 24))\" y2=\"42\" stroke=\"#2a6fc1\" stroke-width=\"2.5\"/>"
        s += "<text x=\"\(n(lx + 30))\" y=\"46\">\(e(w["chart.open"]))</text>"
        lx += 30 + ChartSVG.textWidth(w["chart.open"], fontSize: 12) + 28
        for (cls, fill, key) in [("bd-legend-raised", "#d9822b", "chart.raised"), ("bd-legend-closed", "#2e9e44", "chart.closed")] {
            s += "<rect class=\"\(cls)\" x=\"\(n(lx))\" y=\"36\" width=\"12\" height=\"12\" fill=\"\(fill)\"/>"
            s += "<text x=\"\(n(lx + 18))\" y=\"46\">\(e(w[key]))</text>"
            lx += 18 + ChartSVG.textWidth(w[key], fontSize: 12) + 28
        }
        return s + "</g>\n</svg>\n"
    }

    /// The `<svg>` start tag and `<title>`, without `<style>`.
    static func open(width: Double, height: Double, title: String) -> String {
        let w = ChartSVG.num(width), h = ChartSVG.num(height), t = ChartSVG.escape(title)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"burn-down\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" role=\"img\" aria-label=\"\(t)\" font-family=\"sans-serif\">\n<title>\(t)</title>\n"
    }

    /// A whole-number step of 1, 2 or 5 × 10^k at least `raw`.
    static func countStep(_ raw: Double) -> Double {
        var magnitude = 1.0
        while true {
            for f in [1.0, 2.0, 5.0] where f * magnitude >= raw { return f * magnitude }
            magnitude *= 10
        }
    }

}
