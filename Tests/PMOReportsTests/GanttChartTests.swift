import Foundation
import PMOCore
import Testing

@testable import PMOReports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed SVG element: name, attributes and its own text (children's text excluded).
struct SVGElement {
    var name: String
    var attributes: [String: String]
    /// The text directly inside the element.
    var text: String
    /// The text inside the element and its descendants.
    var deepText = ""
    /// The enclosing element's index in the parsed list.
    var parent: Int?
    var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

/// Parses an SVG with XMLParser into a flat list of elements in document order; nil when not well-formed.
final class SVGDocument: NSObject, XMLParserDelegate {
    private(set) var elements: [SVGElement] = []
    private var open: [Int] = []

    static func parse(_ svg: String) -> [SVGElement]? {
        let doc = SVGDocument()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = doc
        return parser.parse() ? doc.elements : nil
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        elements.append(SVGElement(name: elementName, attributes: attributeDict, text: "", parent: open.last))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = open.last { elements[i].text += string }
        for i in open { elements[i].deepText += string }
    }
}

extension [SVGElement] {
    func withClass(_ c: String) -> [SVGElement] { filter { $0.classes.contains(c) } }
}

@Suite struct GanttChartTests {
    static func t(_ s: String) -> LocalTime { LocalTime(iso: s)! }
    static func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    /// Wed 2026-04-08 09:00 to Fri 2026-04-10 18:00: 2 days 9 hours = 2.375 days after a start 2.375 days into the range.
    static func task(id: Int = 1, label: String = "1.1 要件定義", critical: Bool = false, baseline: Bool = false) -> GanttRow {
        GanttRow(
            id: id, label: label, level: 2, start: t("2026-04-08T09:00"), finish: t("2026-04-10T18:00"),
            baselineStart: baseline ? t("2026-04-07T09:00") : nil, baselineFinish: baseline ? t("2026-04-09T18:00") : nil,
            percentComplete: 50, isCritical: critical)
    }

    static func input(
        _ rows: [GanttRow], links: [GanttLink] = [], scale: GanttScale = .day, status: LocalTime? = nil,
        language: String = "ja", range: (CivilDate, CivilDate)? = (d("2026-04-06"), d("2026-04-30"))
    ) -> GanttInput {
        GanttInput(
            rows: rows, links: links, calendar: .japan, statusDate: status, scale: scale, title: "工程表", language: language,
            range: range.map { (first: $0.0, last: $0.1) })
    }

    static func parse(_ input: GanttInput) throws -> [SVGElement] {
        try #require(SVGDocument.parse(GanttChart.svg(input)))
    }

    /// Print: pages of at most N rows, each with the whole chart's date range (so each repeats the date header and
    /// bars line up), numbered in the title; the scale is the finest one that fits the page's width.
    @Test func printPagesRepeatTheDatesAndFitTheWidth() throws {
        let rows = (1...80).map { Self.task(id: $0, label: "row \($0)") }
        let chart = Self.input(rows, range: nil)
        let pages = GanttChart.pages(chart, rowsPerPage: 36)
        #expect(pages.map(\.rows.count) == [36, 36, 8])
        #expect(pages.map(\.title) == ["工程表 (1/3)", "工程表 (2/3)", "工程表 (3/3)"])
        let widths = try pages.map { try #require(Self.parse($0).first?.attributes["width"]) }
        #expect(Set(widths).count == 1, "every page has the same date range, so the same width")
        for page in pages {
            let els = try Self.parse(page)
            #expect(!els.withClass("bar").isEmpty)
            #expect(els.contains { $0.name == "text" && $0.text == "8" }, "every page carries the day numbers of the header")
        }
        #expect(GanttChart.pages(Self.input(Array(rows.prefix(10))), rowsPerPage: 36).count == 1)
        // Five days fit the page by day; two years only by month.
        #expect(GanttChart.scale(fitting: 1_500, Self.input(rows, range: nil)) == .day)
        let long = Self.input([GanttRow(id: 1, label: "long", start: Self.t("2026-01-05T09:00"), finish: Self.t("2027-12-24T18:00"))], range: nil)
        #expect(GanttChart.scale(fitting: 1_500, long) == .month)
    }

    @Test func wellFormedWithNaturalSizeTitleAndRole() throws {
        let els = try Self.parse(Self.input([Self.task()]))
        let root = try #require(els.first)
        #expect(root.name == "svg" && root.attributes["role"] == "img" && root.attributes["aria-label"] == "工程表")
        // 25 days × 22px after the 260px label column, plus a 12px margin.
        #expect(root.attributes["width"] == "822" && root.attributes["viewBox"] == "0 0 822 \(root.attributes["height"]!)")
        #expect(els.contains { $0.name == "title" && $0.text == "工程表" })
        #expect(els.contains { $0.name == "style" })
    }

    @Test(arguments: [(GanttScale.day, 312.25, 52.25), (.week, 274.25, 14.25), (.month, 263.8, 3.8)])
    func barPositionFollowsScale(scale: GanttScale, x: Double, width: Double) throws {
        let bar = try #require(Self.parse(Self.input([Self.task()], scale: scale)).withClass("bar").first)
        #expect(bar.number("x") == x && bar.number("width") == width)
        #expect(bar.attributes["data-activity"] == "1" && bar.attributes["id"] == "gantt-bar-1")
    }

    @Test func criticalBarIsRedClassAndProgressIsHalfTheBar() throws {
        let els = try Self.parse(Self.input([Self.task(id: 1, critical: true), Self.task(id: 2)]))
        let bars = els.withClass("bar")
        #expect(bars.count == 2)
        #expect(bars[0].classes.contains("bar-critical") && bars[1].classes.contains("bar-critical") == false)
        let progress = els.withClass("progress")
        // 50 % of 52.25 is 26.125, written with two decimals.
        #expect(progress.map { $0.number("width") } == [26.13, 26.13])
        #expect(progress[0].classes.contains("progress-critical"))
    }

    @Test func baselineDrawnOnlyWhenGiven() throws {
        let without = try Self.parse(Self.input([Self.task()]))
        #expect(without.withClass("baseline").isEmpty)
        let with = try Self.parse(Self.input([Self.task(baseline: true)]))
        let b = try #require(with.withClass("baseline").first)
        // One day earlier than the plan: 1.375 days in, same length.
        #expect(b.name == "rect" && b.number("x") == 290.25 && b.number("width") == 52.25)
    }

    @Test func milestoneIsADiamondCentredOnItsDate() throws {
        let m = GanttRow(
            id: 7, label: "設計完了", kind: .milestone, start: Self.t("2026-04-10T18:00"), finish: Self.t("2026-04-10T18:00"),
            baselineStart: Self.t("2026-04-09T18:00"), isCritical: true)
        let els = try Self.parse(Self.input([m]))
        let diamond = try #require(els.withClass("milestone").first)
        #expect(diamond.name == "polygon" && diamond.classes.contains("milestone-critical"))
        // 4.75 days × 22 = 104.5 after the column; top row, centre 9.5 below the header (28 + 20 + 32).
        #expect(diamond.attributes["points"] == "364.5,83.5 370.5,89.5 364.5,95.5 358.5,89.5")
        let baseline = try #require(els.withClass("baseline").first)
        #expect(baseline.name == "polygon")
        #expect(els.withClass("bar").isEmpty)
    }

    @Test func summaryIsABracketPath() throws {
        var s = Self.task()
        s.kind = .summary
        let els = try Self.parse(Self.input([s]))
        let summary = try #require(els.withClass("summary").first)
        #expect(summary.name == "path" && summary.attributes["d"]?.hasPrefix("M312.25 85H364.5V94") == true)
        #expect(els.withClass("progress").isEmpty)
    }

    @Test func hostileTextIsEscapedAndStillParses() throws {
        let evil = "<script>x</script>&\"'\u{1}"
        var row = Self.task(label: evil)
        row.href = "/plans/1?tab=a&b=<c>"
        var bad = Self.task(id: 2, label: "x")
        bad.href = " JavaScript:alert(1)"
        let svg = GanttChart.svg(
            GanttInput(rows: [row, bad], calendar: .japan, title: "A&B <t>", language: "en", range: (Self.d("2026-04-06"), Self.d("2026-04-30"))))
        #expect(svg.contains("<script") == false)
        let els = try #require(SVGDocument.parse(svg))
        let labels = els.withClass("row-label")
        #expect(labels[0].text == "<script>x</script>&\"'")
        #expect(els.contains { $0.name == "title" && $0.text == "<script>x</script>&\"'" })
        #expect(els.first?.attributes["aria-label"] == "A&B <t>")
        let links = els.filter { $0.name == "a" }
        #expect(links.count == 1 && links[0].attributes["href"] == "/plans/1?tab=a&b=<c>")
    }

    @Test func longLabelIsCutWithEllipsisAndKeptWhole() throws {
        let long = "1.2.3 " + String(repeating: "基本設計書レビュー", count: 6)
        let els = try Self.parse(Self.input([Self.task(label: long)]))
        let label = try #require(els.withClass("row-label").first)
        #expect(label.text.hasSuffix("…") && label.text.count < long.count)
        // The label starts at 6 + 14 (level 2) + 13 = 33 and must end before 254 at 12px per CJK character.
        let estimated: Double = Double(label.text.count - 6) * 12 + 6 * 7.2
        #expect(estimated <= 221)
        #expect(els.contains { $0.name == "title" && $0.text == long })
    }

    /// The progress line (イナズマ線) at the status date 2026-04-10 18:00: a task at 50 % of 04-08..04-10 is
    /// behind and bends the line left to its halfway point; a task due later at 50 % is ahead and bends it right; a
    /// finished task and one not yet due leave it on the status date.
    @Test func progressLineBendsLeftForLateWorkAndRightForWorkAhead() throws {
        let status = Self.t("2026-04-10T18:00")
        var behind = Self.task(id: 1)   // 04-08 09:00 – 04-10 18:00, 50 %
        behind.percentComplete = 50
        var ahead = Self.task(id: 2)
        ahead.start = Self.t("2026-04-13T09:00")
        ahead.finish = Self.t("2026-04-17T18:00")
        ahead.percentComplete = 50
        var done = Self.task(id: 3)
        done.percentComplete = 100
        var notDue = Self.task(id: 4)
        notDue.start = Self.t("2026-04-20T09:00")
        notDue.finish = Self.t("2026-04-21T18:00")
        notDue.percentComplete = 0
        var input = Self.input([behind, ahead, done, notDue], status: status)
        #expect(try Self.parse(input).withClass("progress-line").isEmpty, "drawn only when asked")
        input.progressLine = true
        let els = try Self.parse(input)
        let line = try #require(els.withClass("progress-line").first)
        let points = (line.attributes["points"] ?? "").split(separator: " ").map { p -> (Double, Double) in
            let xy = p.split(separator: ",").compactMap { Double($0) }
            return (xy[0], xy[1])
        }
        let statusX = try #require(els.withClass("status-line").first?.number("x1"))
        #expect(points.first?.0 == statusX && points.last?.0 == statusX)
        let bends = points.filter { abs($0.0 - statusX) > 0.5 }
        #expect(bends.count == 2, "only the late and the early task bend the line: \(points)")
        #expect(bends[0].0 < statusX, "the late task bends it left")
        #expect(bends[1].0 > statusX, "the task ahead bends it right")
        // The bends sit on their rows' middles, in row order.
        #expect(bends[0].1 < bends[1].1)
    }

    /// The label column alone has the chart's height and the same labels, and a summary's fold control is a link.
    @Test func labelColumnMatchesTheChartAndSummariesFoldByALink() throws {
        var summary = Self.task(id: 1, label: "1 設計")
        summary.kind = .summary
        summary.foldHref = "/projects/K/plan/gantt?collapsed=1"
        var folded = Self.task(id: 2, label: "2 製造")
        folded.kind = .summary
        folded.isCollapsed = true
        folded.foldHref = "/projects/K/plan/gantt?collapsed="
        let input = Self.input([summary, Self.task(id: 3), folded])
        let chart = try Self.parse(input)
        let column = try #require(SVGDocument.parse(GanttChart.labelColumn(input)))
        #expect(column.first?.attributes["height"] == chart.first?.attributes["height"])
        #expect(column.withClass("row-label").map(\.text) == chart.withClass("row-label").map(\.text))
        #expect(column.withClass("bar").isEmpty, "no bars in the label column")
        let folds = chart.filter { $0.name == "a" && $0.classes.contains("fold") }.map { $0.attributes["href"] ?? "" }
        #expect(folds == ["/projects/K/plan/gantt?collapsed=1", "/projects/K/plan/gantt?collapsed="])
        #expect(chart.withClass("fold-marker").map { $0.attributes["data-activity"] } == ["1"])
        #expect(chart.withClass("collapsed-marker").map { $0.attributes["data-activity"] } == ["2"])
    }

    @Test func collapsedSummaryHasPlusMarker() throws {
        var s = Self.task()
        s.kind = .summary
        s.isCollapsed = true
        let els = try Self.parse(Self.input([s, Self.task(id: 2)]))
        #expect(els.withClass("collapsed-marker").map { $0.attributes["data-activity"] } == ["1"])
    }

    @Test func linkBetweenRowsDrawnAndDanglingLinkSkipped() throws {
        var b = Self.task(id: 2)
        b.start = Self.t("2026-04-13T09:00")
        b.finish = Self.t("2026-04-14T18:00")
        let els = try Self.parse(
            Self.input(
                [Self.task(id: 1), b],
                links: [GanttLink(from: 1, to: 2, isCritical: true), GanttLink(from: 1, to: 99), GanttLink(from: 99, to: 2)]))
        let links = els.withClass("link")
        #expect(links.count == 1)
        let link = try #require(links.first)
        #expect(link.name == "path" && link.classes.contains("link-critical"))
        #expect(link.attributes["marker-end"] == "url(#gantt-arrow-critical)")
        // From the finish of row 1 (4/10 18:00: x 364.5, y 89.5) to the start of row 2 (4/13 09:00: x 422.25, y 111.5).
        #expect(link.attributes["d"] == "M364.5 89.5H370.5V111.5H422.25")
    }

    @Test func backwardLinkGoesRoundBetweenRows() throws {
        // Finish-to-start into a task that starts before the predecessor ends: the arrow needs five legs.
        let els = try Self.parse(Self.input([Self.task(id: 1), Self.task(id: 2)], links: [GanttLink(from: 1, to: 2)]))
        let d = try #require(els.withClass("link").first?.attributes["d"])
        #expect(d == "M364.5 89.5H370.5V102H304.25V111.5H312.25")
    }

    @Test func weekendsAndGoldenWeekShadedAsMergedRuns() throws {
        // 4/27 (Mon) .. 5/10 (Sun): 昭和の日 4/29, then Sat 5/2 through 振替休日 5/6, then the weekend 5/9–10.
        let els = try Self.parse(Self.input([Self.task()], range: (Self.d("2026-04-27"), Self.d("2026-05-10"))))
        let shaded = els.withClass("nonworking").map { [$0.number("x")!, $0.number("width")!] }
        #expect(shaded == [[304, 22], [370, 110], [524, 44]])
        // Month scale leaves shading out.
        let month = try Self.parse(Self.input([Self.task()], scale: .month, range: (Self.d("2026-04-27"), Self.d("2026-05-10"))))
        #expect(month.withClass("nonworking").isEmpty)
    }

    @Test func statusLineAtStatusInstant() throws {
        let els = try Self.parse(Self.input([Self.task()], status: Self.t("2026-04-09T12:00"), language: "en"))
        let line = try #require(els.withClass("status-line").first)
        // 3.5 days × 22 = 77 after the column.
        #expect(line.number("x1") == 337 && line.number("x2") == 337)
        #expect(els.withClass("status-label").first?.text == "Status 2026-04-09")
        let outside = try Self.parse(Self.input([Self.task()], status: Self.t("2027-01-01T00:00")))
        #expect(outside.withClass("status-line").isEmpty)
    }

    @Test func headerWordsFollowLanguage() throws {
        let ja = try Self.parse(Self.input([Self.task()]))
        #expect(ja.contains { $0.text == "2026年4月" } && ja.contains { $0.text == "水" })
        let en = try Self.parse(Self.input([Self.task()], language: "en"))
        #expect(en.contains { $0.text == "Apr 2026" } && en.contains { $0.text == "We" })
        let week = try Self.parse(Self.input([Self.task()], scale: .week, language: "en"))
        #expect(week.filter { $0.classes.contains("hdr") }.map(\.text).contains("4/13"))
    }

    @Test func automaticRangeCoversRowsWithMargin() throws {
        let els = try Self.parse(Self.input([Self.task(baseline: true)], range: nil))
        // Baseline 4/7 minus a day: the chart starts on 4/6, so the bar sits 2.375 days in.
        #expect(els.withClass("bar").first?.number("x") == 312.25)
        // 4/6 ... 4/11 is 6 days.
        #expect(els.first?.attributes["width"] == "404")
    }

    @Test func noRowsAndNoRangeSaysNoData() throws {
        let els = try Self.parse(Self.input([], range: nil))
        #expect(els.withClass("no-data").first?.text == "データがありません")
    }

    @Test func outputIsDeterministic() {
        let rows = (1...50).map { i in
            GanttRow(
                id: i, label: "作業 \(i)", start: Self.t("2026-04-06T09:00").adding(minutes: i * 700),
                finish: Self.t("2026-04-08T18:00").adding(minutes: i * 700), percentComplete: Double(i) / 3, isCritical: i % 3 == 0)
        }
        let links = (1..<50).map { GanttLink(from: $0, to: $0 + 1, kind: Dependency.Kind.allCases[$0 % 4]) }
        let input = Self.input(rows, links: links, status: Self.t("2026-04-20T00:00"), range: nil)
        #expect(GanttChart.svg(input) == GanttChart.svg(input))
    }

    /// Five thousand rows over half a year: per-day elements appear once, not once per row.
    @Test func fiveThousandRowsStayLinear() throws {
        func rows(_ n: Int) -> [GanttRow] {
            (0..<n).map { i in
                let s = Self.t("2026-04-06T09:00").adding(minutes: (i % 150) * 1440)
                return GanttRow(
                    id: i, label: "作業 \(i)", start: s, finish: s.adding(minutes: 3 * 1440 + 540), percentComplete: 40)
            }
        }
        func rects(_ n: Int) -> Int {
            GanttChart.svg(Self.input(rows(n), range: (Self.d("2026-04-01"), Self.d("2026-09-30")))).components(separatedBy: "<rect").count - 1
        }
        let small = rects(1_000), large = rects(5_000)
        // Bar plus progress per row; the fixed rest (shading) is the same for both.
        #expect(large - small == 2 * 4_000)
        #expect(large < 5_000 * 2 + 183)
        let svg = GanttChart.svg(Self.input(rows(5_000), range: (Self.d("2026-04-01"), Self.d("2026-09-30"))))
        #expect(SVGDocument.parse(svg)?.withClass("bar").count == 5_000)
    }
}
