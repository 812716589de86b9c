import Foundation
import PMOCore

/// The charts of a status report, drawn from the numbers stored in the report only, so an issued report's chart
/// never changes when the plan does.
public enum StatusCharts {
    /// The S-curve of the stored points (cumulative PV, EV, AC in yen) through `SCurveChart`. `bac` draws the budget
    /// line (none when 0), `statusDate` the status line; the title defaults to "出来高 S カーブ" /
    /// "Earned value S-curve".
    public static func sCurve(
        _ points: [CurvePoint], lang: String, title: String? = nil, statusDate: CalendarDate? = nil, bac: Double = 0
    ) -> String {
        SCurveChart.svg(SCurveInput(
            points: points.map { SCurvePoint(date: $0.date, pv: $0.pv, ev: $0.ev, ac: $0.ac) },
            statusDate: statusDate, bac: bac, title: title ?? MeetingWords.label("status.chart", lang: lang),
            language: MeetingWords.isJapanese(lang) ? "ja" : "en", currency: "¥"))
    }

    /// The report's S-curve: its stored points, its status date and its BAC.
    public static func sCurve(_ report: StatusReportContent, lang: String) -> String {
        sCurve(report.curve, lang: lang, statusDate: report.statusDate, bac: report.metrics.bac)
    }
}
