import Foundation
import PMOCore
import PMOInterchange
import PMOWords

/// The PMO's KPIs in words: a value with its unit, and the count behind it.
public enum KPIText {
    /// "3.5 営業日", "80%", or "—" for a month with nothing to count.
    public static func value(_ v: KPIValue, _ code: KPICode, lang: String) -> String {
        let w = MeetingWords.words(lang)
        guard let value = v.value else { return w["kpi.none"] }
        return w("kpi.unit.\(code.unit.rawValue)", ["value": number(value)])
    }

    /// "4/5 件" for a share, "5 件" otherwise.
    public static func count(_ v: KPIValue, lang: String) -> String {
        let w = MeetingWords.words(lang)
        if let hits = v.hits { return w("kpi.count_of", ["hits": String(hits), "n": String(v.count)]) }
        return w("kpi.count", ["n": String(v.count)])
    }

    /// One decimal, without a trailing ".0".
    public static func number(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : String(format: "%.1f", Double(tenths) / 10)
    }

    /// "4月" or "Apr", with the year at the first month and at each January ("2026年1月" / "Jan 2026").
    public static func monthLabel(_ m: KPIMonth, first: Bool, lang: String) -> String {
        let ja = ChartSVG.isJapanese(lang)
        return first || m.month == 1 ? ChartSVG.monthName(year: m.year, month: m.month, japanese: ja) : ChartSVG.shortMonth(m.month, japanese: ja)
    }
}

/// One KPI month by month as an SVG bar chart: a bar per month with its value above it, months without data left
/// empty. No `<style>` (the site's Content-Security-Policy blocks it in inline SVG): classes (`kpi-bar`, `kpi-axis`…)
/// and fill and stroke attributes, so the file also looks right on its own.
public enum KPIChart {
    public static let width = 600.0
    public static let height = 240.0

    public static func svg(_ code: KPICode, months: [KPIMonth], values: [KPIValue], title: String, lang: String) -> String {
        let n = ChartSVG.num, e = ChartSVG.escape
        let left = 64.0, right = width - 24, top = 40.0, bottom = height - 40
        var s = BurnDownChart.open(width: width, height: height, title: title).replacingOccurrences(of: "class=\"burn-down\"", with: "class=\"kpi-chart\"")
        s += "<text class=\"kpi-title\" x=\"16\" y=\"24\" font-size=\"15\" font-weight=\"bold\" fill=\"#111\">\(e(title))</text>\n"
        let present = values.compactMap(\.value)
        let highest = code.unit == .percent ? 100 : max(1, present.max() ?? 1)
        let step = code.unit == .percent ? 25 : BurnDownChart.countStep(highest / 4)
        let yMax = (highest / step).rounded(.up) * step
        func y(_ v: Double) -> Double { bottom - max(0, v) / yMax * (bottom - top) }
        var grid = "", labels = ""
        for k in 0...Int((yMax / step).rounded()) {
            let v = Double(k) * step, yy = y(v)
            grid += "M\(n(left)) \(n(yy))H\(n(right))"
            labels += "<text class=\"kpi-axis\" x=\"\(n(left - 6))\" y=\"\(n(yy + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">\(e(KPIText.number(v)))\(code.unit == .percent ? "%" : "")</text>\n"
        }
        let slot = (right - left) / Double(max(1, months.count))
        for (i, m) in months.enumerated() {
            let x = left + slot * (Double(i) + 0.5)
            labels += "<text class=\"kpi-axis kpi-month\" x=\"\(n(x))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333\">\(e(KPIText.monthLabel(m, first: i == 0, lang: lang)))</text>\n"
        }
        s += "<path class=\"kpi-grid\" d=\"\(grid)\" fill=\"none\" stroke=\"#e4e4e4\" stroke-width=\"0.7\"/>\n" + labels
        s += "<rect class=\"kpi-frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\" fill=\"none\" stroke=\"#888\" stroke-width=\"1\"/>\n"
        let barWidth = min(40, max(2, slot * 0.6))
        for (i, m) in months.enumerated() where i < values.count {
            guard let v = values[i].value else { continue }
            let x = left + slot * (Double(i) + 0.5)
            let text = KPIText.value(values[i], code, lang: lang)
            s += "<rect class=\"kpi-bar\" x=\"\(n(x - barWidth / 2))\" y=\"\(n(y(v)))\" width=\"\(n(barWidth))\" height=\"\(n(bottom - y(v)))\" fill=\"#2a6fc1\">"
            s += "<title>\(e("\(m) \(text) (\(KPIText.count(values[i], lang: lang)))"))</title></rect>\n"
            s += "<text class=\"kpi-value\" x=\"\(n(x))\" y=\"\(n(y(v) - 4))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#111\">\(e(KPIText.number(v)))</text>\n"
        }
        return s + "</svg>\n"
    }
}

/// The KPIs as spreadsheet tables (`XLSXWriter.write`): one row per KPI and month, values as numbers, the counts
/// beside them; report punctuality by company; with several projects, each project's figures for the period.
public enum KPIWorkbook {
    public static func tables(_ report: KPIReport, projects: [(key: String, name: String, report: KPIReport)] = [], lang: String) -> [SpreadsheetTable] {
        let w = MeetingWords.words(lang)
        var kpis: [[SpreadsheetCell]] = []
        for code in KPICode.allCases {
            for (i, m) in report.months.enumerated() {
                let v = report.series[code]?[i] ?? KPIValue(value: nil, count: 0)
                kpis.append([.text(w["kpi.code.\(code.rawValue)"]), .text(m.description), v.value.map(SpreadsheetCell.number) ?? .empty,
                             .text(unitWord(code, w)), .number(Double(v.count)), v.hits.map { .number(Double($0)) } ?? .empty])
            }
        }
        let monthColumns = [
            SpreadsheetColumn(title: w["kpi.col.kpi"], width: 40), SpreadsheetColumn(title: w["kpi.col.month"], width: 10),
            SpreadsheetColumn(title: w["kpi.col.value"], kind: .number), SpreadsheetColumn(title: "", width: 12),
            SpreadsheetColumn(title: w["kpi.col.count"], kind: .integer), SpreadsheetColumn(title: w["kpi.col.hits"], kind: .integer),
        ]
        var tables = [SpreadsheetTable(name: w["kpi.sheet.kpis"], columns: monthColumns, rows: kpis)]
        var companies: [[SpreadsheetCell]] = []
        for c in report.companies {
            for (i, m) in report.months.enumerated() where c.onTime[i].count > 0 {
                let v = c.onTime[i]
                companies.append([.text(c.name), .text(m.description), v.value.map(SpreadsheetCell.number) ?? .empty,
                                  .number(Double(v.count)), .number(Double(v.hits ?? 0))])
            }
        }
        tables.append(SpreadsheetTable(name: w["kpi.sheet.companies"], columns: [
            SpreadsheetColumn(title: w["kpi.col.company"], width: 30), SpreadsheetColumn(title: w["kpi.col.month"], width: 10),
            SpreadsheetColumn(title: w["kpi.code.reports_on_time"] + " (%)", kind: .number),
            SpreadsheetColumn(title: w["kpi.col.count"], kind: .integer), SpreadsheetColumn(title: w["kpi.col.hits"], kind: .integer),
        ], rows: companies))
        if !projects.isEmpty {
            tables.append(SpreadsheetTable(
                name: w["kpi.sheet.projects"],
                columns: [SpreadsheetColumn(title: w["kpi.col.project"], width: 30)]
                    + KPICode.allCases.map { SpreadsheetColumn(title: "\(w["kpi.code.\($0.rawValue)"]) (\(unitWord($0, w)))", kind: .number, width: 18) },
                rows: projects.map { p in
                    [.text("\(p.key) \(p.name)")] + KPICode.allCases.map { code in p.report.totals[code]?.value.map(SpreadsheetCell.number) ?? .empty }
                }))
        }
        return tables
    }

    static func unitWord(_ code: KPICode, _ w: PMOWords.Words) -> String {
        w("kpi.unit.\(code.unit.rawValue)", ["value": ""]).trimmingCharacters(in: .whitespaces)
    }
}
