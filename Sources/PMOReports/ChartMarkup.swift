import PMOCore
import PMOHTML

/// The charts as markup a page places unescaped: the one audited source of `TrustedMarkup`. Every text a chart
/// draws (names, labels, titles) goes through `XMLEscape` inside the chart, and the charts' tests parse each SVG
/// as XML, so what comes out here is well-formed and holds no markup from stored text.
public enum ChartMarkup {
    public static func gantt(_ input: GanttInput) -> TrustedMarkup { TrustedMarkup(chartSVG: GanttChart.svg(input)) }
    /// The Gantt chart's label column alone, which the page keeps in place while the dates scroll.
    public static func ganttLabels(_ input: GanttInput) -> TrustedMarkup { TrustedMarkup(chartSVG: GanttChart.labelColumn(input)) }
    public static func sCurve(_ input: SCurveInput) -> TrustedMarkup { TrustedMarkup(chartSVG: SCurveChart.svg(input)) }
    public static func indexTrend(points: [IndexTrendPoint], title: String, language: String) -> TrustedMarkup {
        TrustedMarkup(chartSVG: IndexTrendChart.svg(points: points, title: title, language: language))
    }
    public static func riskHeatMap(counts: [[Int]], words: RiskHeatMap.Words) -> TrustedMarkup {
        TrustedMarkup(chartSVG: RiskHeatMap.svg(counts: counts, words: words))
    }
    public static func burnDown(points: [BurnDownChart.Point], title: String, lang: String) -> TrustedMarkup {
        TrustedMarkup(chartSVG: BurnDownChart.svg(points: points, title: title, lang: lang))
    }
    public static func kpi(_ code: KPICode, months: [KPIMonth], values: [KPIValue], title: String, lang: String) -> TrustedMarkup {
        TrustedMarkup(chartSVG: KPIChart.svg(code, months: months, values: values, title: title, lang: lang))
    }
    public static func systemDiagram(systems: [SystemDiagram.System], interfaces: [SystemDiagram.Interface],
                                     words: SystemDiagram.Words) -> TrustedMarkup {
        TrustedMarkup(chartSVG: SystemDiagram.svg(systems: systems, interfaces: interfaces, words: words))
    }
    public static func orgChart(units: [OrgChart.Unit], lines: [OrgChart.Line], escalations: [OrgChart.Escalation],
                                words: OrgChart.Words) -> TrustedMarkup {
        TrustedMarkup(chartSVG: OrgChart.svg(units: units, lines: lines, escalations: escalations, words: words))
    }
    public static func sequenceDiagram(participants: [SequenceDiagram.Participant], messages: [SequenceDiagram.Message],
                                       words: SequenceDiagram.Words) -> TrustedMarkup {
        TrustedMarkup(chartSVG: SequenceDiagram.svg(participants: participants, messages: messages, words: words))
    }
    public static func cashOut(_ months: [CashOutChart.Month], through: YearMonth, title: String, language: String) -> TrustedMarkup {
        TrustedMarkup(chartSVG: CashOutChart.svg(months, through: through, title: title, language: language))
    }
    public static func statusSCurve(_ report: StatusReportContent, lang: String) -> TrustedMarkup {
        TrustedMarkup(chartSVG: StatusCharts.sCurve(report, lang: lang))
    }
}
