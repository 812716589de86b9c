import Foundation
import PMOCore
import PMOInterchange
import PMOWords

/// The time unit of a Gantt chart's lower header row, and with it the horizontal zoom.
public enum GanttScale: String, CaseIterable, Sendable {
    /// Each day numbered, with its weekday.
    case day
    /// Mondays labelled "4/6".
    case week
    /// Months, under years.
    case month

    /// Pixels per calendar day: 22 for days (a day number fits), 6 for weeks (a "12/28" week label fits in 42px),
    /// 1.6 for months (a month is about 48px; two years is about 1,170px, an A3 landscape page).
    public var pixelsPerDay: Double {
        switch self {
        case .day: 22
        case .week: 6
        case .month: 1.6
        }
    }
}

/// One visible row of a Gantt chart.
public struct GanttRow: Sendable, Hashable {
    /// Activity id: matches links, and names elements (`data-activity`, `id="gantt-bar-<id>"`).
    public var id: Int
    /// The label as shown, e.g. "1.2 基本設計".
    public var label: String
    /// WBS depth, 1 = top; each level indents the label.
    public var level: Int
    /// Task bar, summary bracket or milestone diamond.
    public var kind: Activity.Kind
    /// Planned start instant.
    public var start: LocalTime
    /// End-of-work instant (e.g. 18:00 of the last day).
    public var finish: LocalTime
    /// Baseline dates: a thin grey bar under the plan bar (a milestone needs only one of them).
    public var baselineStart: LocalTime?
    public var baselineFinish: LocalTime?
    /// 0...100 (values outside are clamped).
    public var percentComplete: Double
    /// Drawn red.
    public var isCritical: Bool
    /// A summary whose children the caller has hidden: drawn with a "+" marker.
    public var isCollapsed: Bool
    /// Link for the label; only relative, http(s) and mailto addresses are kept.
    public var href: String?
    /// A summary's fold control: the address that folds it (or unfolds it when `isCollapsed`), drawn as ⊟ / ⊞
    /// before its label, so folding works by a link without a script.
    public var foldHref: String?

    public init(
        id: Int, label: String, level: Int = 1, kind: Activity.Kind = .task, start: LocalTime, finish: LocalTime,
        baselineStart: LocalTime? = nil, baselineFinish: LocalTime? = nil, percentComplete: Double = 0,
        isCritical: Bool = false, isCollapsed: Bool = false, href: String? = nil, foldHref: String? = nil
    ) {
        self.id = id
        self.label = label
        self.level = level
        self.kind = kind
        self.start = start
        self.finish = finish
        self.baselineStart = baselineStart
        self.baselineFinish = baselineFinish
        self.percentComplete = percentComplete
        self.isCritical = isCritical
        self.isCollapsed = isCollapsed
        self.href = href
        self.foldHref = foldHref
    }
}

/// A dependency arrow between two rows (by activity id).
public struct GanttLink: Sendable, Hashable {
    /// Predecessor activity id.
    public var from: Int
    /// Successor activity id.
    public var to: Int
    /// Which ends the arrow joins.
    public var kind: Dependency.Kind
    /// Drawn red.
    public var isCritical: Bool

    public init(from: Int, to: Int, kind: Dependency.Kind = .finishToStart, isCritical: Bool = false) {
        self.from = from
        self.to = to
        self.kind = kind
        self.isCritical = isCritical
    }
}

/// Everything a Gantt chart shows; the caller decides which rows are visible.
public struct GanttInput: Sendable {
    /// Visible rows in display order (children of collapsed summaries already removed).
    public var rows: [GanttRow]
    /// Links whose ends are not both in `rows` are skipped.
    public var links: [GanttLink]
    /// Shades its non-working days (day and week scales).
    public var calendar: WorkCalendar
    /// A dashed vertical line with its date, when inside the range.
    public var statusDate: LocalTime?
    public var scale: GanttScale
    /// Shown above the chart and as the SVG's accessible name.
    public var title: String
    /// "ja" or "en" (anything not starting with "ja" is English): header words.
    public var language: String
    /// Days shown, inclusive; nil = the rows' and baselines' dates with a margin. At most 20 years are drawn.
    public var range: (first: CivilDate, last: CivilDate)?
    /// Draws the progress line (イナズマ線) at the status date: through each task's progress point, so a task behind
    /// its plan bends the line left and one ahead bends it right.
    public var progressLine: Bool = false

    public init(
        rows: [GanttRow], links: [GanttLink] = [], calendar: WorkCalendar, statusDate: LocalTime? = nil,
        scale: GanttScale = .day, title: String, language: String = "ja",
        range: (first: CivilDate, last: CivilDate)? = nil
    ) {
        self.rows = rows
        self.links = links
        self.calendar = calendar
        self.statusDate = statusDate
        self.scale = scale
        self.title = title
        self.language = language
        self.range = range
    }
}

/// A Gantt chart as SVG at its natural size (the page scales it): a label column, a two-row time header,
/// shaded non-working days, bars, baselines, dependency arrows and the status date.
///
/// Size stays linear in rows plus days: per-day elements (shading, header, grid) do not repeat per row.
public enum GanttChart {
    static let labelWidth = 260.0
    static let rowHeight = 22.0
    static let titleHeight = 28.0
    static let headerRow = 20.0
    static let labelFont = 12.0
    /// Bounds the width (and the per-day header) when dates are wild.
    static let maxDays = 7305

    /// The chart; with no rows and no range, a small "no data" SVG. Same input, same bytes.
    public static func svg(_ input: GanttInput) -> String {
        let ja = ChartSVG.isJapanese(input.language)
        guard case let (first, last)? = dateRange(input) else { return ChartSVG.noData(title: input.title, japanese: ja) }
        let days = min(last.dayNumber - first.dayNumber + 1, maxDays)
        let plot = Plot(
            firstDay: first.dayNumber, days: days, pxPerDay: input.scale.pixelsPerDay,
            top: titleHeight + headerRow + (input.scale == .day ? 32 : headerRow), rows: input.rows.count)
        let height = plot.bottom + (input.statusDate == nil ? 10 : 24)
        let width = (plot.right + 12).rounded(.up)

        var s = ChartSVG.open(width: width, height: height, title: input.title, className: "gantt", style: style)
        s += ArrowMarkers.defs
        s += "<text class=\"title\" x=\"8\" y=\"19\">\(ChartSVG.escape(input.title))</text>\n"
        s += nonWorking(input, plot)
        s += header(input, plot, japanese: ja)
        s += rowLines(plot)
        var firstIndex: [Int: Int] = [:]
        for (i, row) in input.rows.enumerated() where firstIndex[row.id] == nil { firstIndex[row.id] = i }
        for (i, row) in input.rows.enumerated() {
            s += bars(row, top: plot.rowTop(i), plot, elementID: firstIndex[row.id] == i)
        }
        for link in input.links { s += arrow(link, input.rows, firstIndex, plot) }
        if let status = input.statusDate { s += statusLine(status, plot, japanese: ja) }
        if input.progressLine, let status = input.statusDate { s += progressLine(input.rows, status: status, plot) }
        s += "<line class=\"grid-major\" x1=\"\(ChartSVG.num(labelWidth))\" y1=\"\(ChartSVG.num(titleHeight))\" x2=\"\(ChartSVG.num(labelWidth))\" y2=\"\(ChartSVG.num(plot.bottom))\"/>\n"
        s += "<text class=\"hdr\" x=\"8\" y=\"\(ChartSVG.num(plot.top - 8))\">\(ChartSVG.words(ja)["chart.task"])</text>\n"
        for (i, row) in input.rows.enumerated() { s += label(row, top: plot.rowTop(i)) }
        return s + "</svg>\n"
    }

    /// Pixel geometry: day numbers and instants to x, row indexes to y.
    struct Plot {
        let firstDay: Int
        let days: Int
        let pxPerDay: Double
        let top: Double
        let rows: Int

        var left: Double { GanttChart.labelWidth }
        var right: Double { left + Double(days) * pxPerDay }
        var bottom: Double { top + Double(rows) * GanttChart.rowHeight }
        var lastDay: Int { firstDay + days - 1 }
        func x(day n: Int) -> Double { left + Double(n - firstDay) * pxPerDay }
        /// Fractional days (minutes / 1440) from the range's first midnight.
        func x(_ t: LocalTime) -> Double { left + Double(t.minutes - firstDay * 1440) / 1440 * pxPerDay }
        func clamp(_ x: Double) -> Double { Swift.min(Swift.max(x, left), right) }
        func rowTop(_ i: Int) -> Double { top + Double(i) * GanttChart.rowHeight }
    }

    // MARK: - Print

    /// The chart cut into pages of at most `rowsPerPage` rows for print: every page has the whole chart's date range,
    /// so each one repeats the date header and the bars line up from page to page. (A link between two pages is not
    /// drawn.) A chart that fits is one page.
    public static func pages(_ input: GanttInput, rowsPerPage: Int) -> [GanttInput] {
        let perPage = max(1, rowsPerPage)
        guard input.rows.count > perPage, let range = dateRange(input) else { return [input] }
        let count = (input.rows.count + perPage - 1) / perPage
        return (0..<count).map { i in
            var page = input
            page.rows = Array(input.rows[(i * perPage)..<min((i + 1) * perPage, input.rows.count)])
            page.range = (range.0, range.1)
            page.title = "\(input.title) (\(i + 1)/\(count))"
            return page
        }
    }

    /// The finest scale at which the chart is at most `width` pixels wide (months when none is).
    public static func scale(fitting width: Double, _ input: GanttInput) -> GanttScale {
        for scale in [GanttScale.day, .week, .month] {
            var trial = input
            trial.scale = scale
            guard let (first, last) = dateRange(trial) else { return scale }
            if labelWidth + Double(last.dayNumber - first.dayNumber + 1) * scale.pixelsPerDay <= width { return scale }
        }
        return .month
    }

    // MARK: - Range

    static func dateRange(_ input: GanttInput) -> (CivilDate, CivilDate)? {
        if let r = input.range { return r.first <= r.last ? (r.first, r.last) : (r.last, r.first) }
        var lo = Int.max, hi = Int.min
        func note(_ t: LocalTime?) {
            guard let t else { return }
            lo = min(lo, t.dayNumber)
            hi = max(hi, t.dayNumber)
        }
        for r in input.rows {
            note(r.start)
            note(r.finish)
            note(r.baselineStart)
            note(r.baselineFinish)
        }
        guard lo <= hi else { return nil }
        switch input.scale {
        case .day:
            return (CivilDate(dayNumber: lo - 1), CivilDate(dayNumber: hi + 1))
        case .week:
            // Whole weeks, Monday to Sunday, with at least a day either side.
            let monday = lo - 1 - (CivilDate.weekday(ofDayNumber: lo - 1) + 6) % 7
            let sunday = hi + 1 + (7 - CivilDate.weekday(ofDayNumber: hi + 1)) % 7
            return (CivilDate(dayNumber: monday), CivilDate(dayNumber: sunday))
        case .month:
            let a = CivilDate(dayNumber: lo), b = CivilDate(dayNumber: hi)
            return (
                CivilDate(year: a.year, month: a.month, day: 1)!,
                CivilDate(year: b.year, month: b.month, day: CivilDate.daysIn(year: b.year, month: b.month))!
            )
        }
    }

    // MARK: - Background and header

    /// One rect per run of consecutive non-working days; none at month scale (3px weekend stripes are noise).
    static func nonWorking(_ input: GanttInput, _ p: Plot) -> String {
        guard input.scale != .month, p.rows > 0 else { return "" }
        var s = ""
        var runStart: Int?
        for n in p.firstDay...(p.lastDay + 1) {
            let off = n <= p.lastDay && !input.calendar.isWorkingDay(CivilDate(dayNumber: n))
            if off, runStart == nil { runStart = n }
            if !off, let a = runStart {
                s += "<rect class=\"nonworking\" x=\"\(ChartSVG.num(p.x(day: a)))\" y=\"\(ChartSVG.num(p.top))\" width=\"\(ChartSVG.num(Double(n - a) * p.pxPerDay))\" height=\"\(ChartSVG.num(p.bottom - p.top))\"/>\n"
                runStart = nil
            }
        }
        return s
    }

    /// Upper row: months (years at month scale). Lower row: days with weekday, week starts, or months.
    /// Grid lines go in two paths (minor, major) so their count does not add elements.
    static func header(_ input: GanttInput, _ p: Plot, japanese ja: Bool) -> String {
        let y1 = titleHeight, y2 = titleHeight + headerRow
        var s = ""
        var minor = "", major = ""
        func line(_ x: Double, from: Double, to: Double) -> String {
            "M\(ChartSVG.num(x)) \(ChartSVG.num(from))V\(ChartSVG.num(to))"
        }
        func text(_ t: String, x: Double, y: Double, anchor: String? = nil, off: Bool = false) {
            let a = anchor.map { " text-anchor=\"\($0)\"" } ?? ""
            s += "<text class=\"hdr\(off ? " hdr-off" : "")\" x=\"\(ChartSVG.num(x))\" y=\"\(ChartSVG.num(y))\"\(a)>\(ChartSVG.escape(t))</text>\n"
        }
        // A label is written only where its segment is wide enough, so narrow edge segments stay blank.
        func segment(_ t: String, from a: Int, to b: Int, y: Double) {
            let x0 = p.x(day: max(a, p.firstDay)), x1 = p.x(day: min(b, p.lastDay) + 1)
            if ChartSVG.textWidth(t, fontSize: 11) + 6 <= x1 - x0 { text(t, x: x0 + 3, y: y) }
        }
        let firstDate = CivilDate(dayNumber: p.firstDay)
        var (year, month) = (firstDate.year, firstDate.month)
        while true {
            let start = CivilDate(year: year, month: month, day: 1)!.dayNumber
            if start > p.lastDay { break }
            let end = start + CivilDate.daysIn(year: year, month: month) - 1
            if input.scale == .month {
                segment(ChartSVG.shortMonth(month, japanese: ja), from: start, to: end, y: y2 + 14)
                if month == 1 || start <= p.firstDay {
                    let yearEnd = CivilDate(year: year, month: 12, day: 31)!.dayNumber
                    segment(ChartSVG.year(year, japanese: ja), from: start, to: yearEnd, y: y1 + 14)
                }
                if start > p.firstDay, month == 1 {
                    major += line(p.x(day: start), from: y1, to: p.bottom)
                } else if start > p.firstDay {
                    minor += line(p.x(day: start), from: y2, to: p.bottom)
                }
            } else {
                segment(ChartSVG.monthName(year: year, month: month, japanese: ja), from: start, to: end, y: y1 + 14)
                if start > p.firstDay { major += line(p.x(day: start), from: y1, to: p.bottom) }
            }
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        if input.scale == .day {
            let words = ChartSVG.words(ja), weekdays = (0..<7).map { words["chart.weekday.\($0)"] }
            for n in p.firstDay...p.lastDay {
                let d = CivilDate(dayNumber: n)
                let off = !input.calendar.isWorkingDay(d)
                let cx = p.x(day: n) + p.pxPerDay / 2
                text("\(d.day)", x: cx, y: y2 + 13, anchor: "middle", off: off)
                text(weekdays[d.weekday], x: cx, y: y2 + 27, anchor: "middle", off: off)
                if n > p.firstDay { minor += line(p.x(day: n), from: y2, to: p.bottom) }
            }
        } else if input.scale == .week {
            for n in p.firstDay...p.lastDay where CivilDate.weekday(ofDayNumber: n) == 1 {
                let d = CivilDate(dayNumber: n)
                if p.x(day: n) + ChartSVG.textWidth("\(d.month)/\(d.day)", fontSize: 11) + 3 <= p.right {
                    text("\(d.month)/\(d.day)", x: p.x(day: n) + 3, y: y2 + 14)
                }
                if n > p.firstDay { minor += line(p.x(day: n), from: y2, to: p.bottom) }
            }
        }
        if !minor.isEmpty { s += "<path class=\"grid\" d=\"\(minor)\"/>\n" }
        if !major.isEmpty { s += "<path class=\"grid-major\" d=\"\(major)\"/>\n" }
        s += "<path class=\"grid-major\" d=\"M0 \(ChartSVG.num(y2))H\(ChartSVG.num(p.right))M0 \(ChartSVG.num(p.top))H\(ChartSVG.num(p.right))\"/>\n"
        return s
    }

    /// Faint row separators, all in one path.
    static func rowLines(_ p: Plot) -> String {
        guard p.rows > 0 else { return "" }
        var d = ""
        for i in 1...p.rows { d += "M0 \(ChartSVG.num(p.rowTop(i)))H\(ChartSVG.num(p.right))" }
        return "<path class=\"row-line\" d=\"\(d)\"/>\n"
    }

    // MARK: - Rows

    /// Baseline, then the plan shape (bar with progress, summary bracket, or milestone diamond).
    static func bars(_ row: GanttRow, top: Double, _ p: Plot, elementID: Bool) -> String {
        let n = ChartSVG.num
        let data = " data-activity=\"\(row.id)\""
        let idAttr = elementID ? " id=\"gantt-bar-\(row.id)\"" : ""
        let tip = "<title>\(ChartSVG.escape(row.label)) \(row.start.date) – \(row.finish.date)\(row.kind == .task ? " \(Int(percent(row).rounded()))%" : "")</title>"
        var s = ""
        if row.kind == .milestone {
            if let b = row.baselineStart ?? row.baselineFinish, inside(p.x(b), p) {
                s += "<polygon class=\"baseline\"\(data) points=\"\(diamond(p.x(b), top + 18.5, 3))\"/>\n"
            }
            let cx = p.x(row.start)
            guard inside(cx, p) else { return s }
            let cls = row.isCritical ? "milestone milestone-critical" : "milestone"
            return s + "<polygon class=\"\(cls)\"\(idAttr)\(data) points=\"\(diamond(cx, top + 9.5, 6))\">\(tip)</polygon>\n"
        }
        if let bs = row.baselineStart, let bf = row.baselineFinish, case let (x0, w)? = span(bs, bf, p) {
            s += "<rect class=\"baseline\"\(data) x=\"\(n(x0))\" y=\"\(n(top + 16))\" width=\"\(n(w))\" height=\"4\"/>\n"
        }
        guard case let (x0, w)? = span(row.start, row.finish, p) else { return s }
        if row.kind == .summary {
            // A bar with downward tips at both ends: the usual summary bracket.
            let t = top + 5, x1 = x0 + w, tip4 = min(4, w / 2)
            let d = "M\(n(x0)) \(n(t))H\(n(x1))V\(n(t + 9))L\(n(x1 - tip4)) \(n(t + 5))H\(n(x0 + tip4))L\(n(x0)) \(n(t + 9))Z"
            return s + "<path class=\"summary\"\(idAttr)\(data) d=\"\(d)\">\(tip)</path>\n"
        }
        let critical = row.isCritical ? " bar-critical" : ""
        s += "<rect class=\"bar\(critical)\"\(idAttr)\(data) x=\"\(n(x0))\" y=\"\(n(top + 4))\" width=\"\(n(w))\" height=\"11\">\(tip)</rect>\n"
        let done = w * percent(row) / 100
        if done > 0 {
            let cls = row.isCritical ? "progress progress-critical" : "progress"
            s += "<rect class=\"\(cls)\"\(data) x=\"\(n(x0))\" y=\"\(n(top + 4))\" width=\"\(n(done))\" height=\"11\"/>\n"
        }
        return s
    }

    static func percent(_ row: GanttRow) -> Double {
        row.percentComplete.isFinite ? min(max(row.percentComplete, 0), 100) : 0
    }

    /// x and width of an interval clipped to the chart; nil when it lies wholly outside. At least 2px wide.
    static func span(_ a: LocalTime, _ b: LocalTime, _ p: Plot) -> (Double, Double)? {
        let xa = p.x(min(a, b)), xb = p.x(max(a, b))
        guard xb >= p.left, xa <= p.right else { return nil }
        let x0 = p.clamp(xa), x1 = p.clamp(xb)
        return (x0, max(x1 - x0, 2))
    }

    static func inside(_ x: Double, _ p: Plot) -> Bool { x >= p.left && x <= p.right }

    static func diamond(_ cx: Double, _ cy: Double, _ r: Double) -> String {
        let n = ChartSVG.num
        return "\(n(cx)),\(n(cy - r)) \(n(cx + r)),\(n(cy)) \(n(cx)),\(n(cy + r)) \(n(cx - r)),\(n(cy))"
    }

    /// The label, indented per level and cut with "…" to fit the column; the full text is in its `<title>`.
    static func label(_ row: GanttRow, top: Double) -> String {
        let indent = 6 + Double(min(max(row.level, 1), 12) - 1) * 14
        var s = ""
        let n = ChartSVG.num, y = top + 6
        var marker = ""
        if row.isCollapsed {
            marker = "<g class=\"collapsed-marker\" data-activity=\"\(row.id)\"><rect x=\"\(n(indent))\" y=\"\(n(y))\" width=\"9\" height=\"9\"/><path d=\"M\(n(indent + 2)) \(n(y + 4.5))H\(n(indent + 7))M\(n(indent + 4.5)) \(n(y + 2))V\(n(y + 7))\"/></g>"
        } else if row.kind == .summary && row.foldHref != nil {
            marker = "<g class=\"fold-marker\" data-activity=\"\(row.id)\"><rect x=\"\(n(indent))\" y=\"\(n(y))\" width=\"9\" height=\"9\"/><path d=\"M\(n(indent + 2)) \(n(y + 4.5))H\(n(indent + 7))\"/></g>"
        }
        if !marker.isEmpty {
            if let fold = row.foldHref, ChartSVG.isSafeLink(fold) {
                s += "<a class=\"fold\" href=\"\(ChartSVG.escape(fold))\">\(marker)</a>\n"
            } else {
                s += marker + "\n"
            }
        }
        let x = indent + 13
        let bold = row.kind == .summary
        let fitted = ChartSVG.truncate(row.label, toWidth: labelWidth - 6 - x, fontSize: labelFont * (bold ? 1.08 : 1))
        let cls = bold ? "row-label row-label-summary" : "row-label"
        let text = "<text class=\"\(cls)\" data-activity=\"\(row.id)\" x=\"\(ChartSVG.num(x))\" y=\"\(ChartSVG.num(top + 15))\">\(ChartSVG.escape(fitted))<title>\(ChartSVG.escape(row.label))</title></text>"
        if let href = row.href, ChartSVG.isSafeLink(href) {
            return s + "<a href=\"\(ChartSVG.escape(href))\">\(text)</a>\n"
        }
        return s + text + "\n"
    }

    // MARK: - Links and status

    /// An orthogonal arrow from the predecessor's finish (FS, FF) or start (SS, SF) into the successor's start
    /// (FS, SS, entering from the left) or finish (FF, SF, entering from the right).
    static func arrow(_ link: GanttLink, _ rows: [GanttRow], _ index: [Int: Int], _ p: Plot) -> String {
        guard link.from != link.to, let i = index[link.from], let j = index[link.to] else { return "" }
        let a = rows[i], b = rows[j]
        let fromFinish = link.kind == .finishToStart || link.kind == .finishToFinish
        let toStart = link.kind == .finishToStart || link.kind == .startToStart
        let exitDir: Double = fromFinish ? 1 : -1
        let entryDir: Double = toStart ? 1 : -1  // direction the arrowhead points
        let xs = end(a, finish: fromFinish, p), xe = end(b, finish: !toStart, p)
        let ys = p.rowTop(i) + 9.5, ye = p.rowTop(j) + 9.5
        // One vertical leg at xj when some x lies past the exit stub and before the arrowhead's run-in.
        let stub = xs + exitDir * 6, runIn = xe - entryDir * 8
        let lo = max(exitDir > 0 ? stub : -.infinity, entryDir < 0 ? runIn : -.infinity)
        let hi = min(exitDir < 0 ? stub : .infinity, entryDir > 0 ? runIn : .infinity)
        let n = ChartSVG.num
        var d = "M\(n(xs)) \(n(ys))"
        if lo <= hi {
            d += "H\(n(min(max(stub, lo), hi)))V\(n(ye))H\(n(xe))"
        } else {
            // Otherwise go round: down (or up) to the row boundary, across, then into the target row.
            let yMid = ye > ys ? p.rowTop(i) + rowHeight : p.rowTop(i)
            d += "H\(n(stub))V\(n(yMid))H\(n(runIn))V\(n(ye))H\(n(xe))"
        }
        let cls = link.isCritical ? "link link-critical" : "link"
        let marker = link.isCritical ? ArrowMarkers.critical : ArrowMarkers.normal
        return "<path class=\"\(cls)\" data-from=\"\(link.from)\" data-to=\"\(link.to)\" data-kind=\"\(link.kind.rawValue)\" d=\"\(d)\" marker-end=\"url(#\(marker))\"/>\n"
    }

    /// The x of a row's start or finish edge; a milestone's edges are its diamond's points.
    static func end(_ row: GanttRow, finish: Bool, _ p: Plot) -> Double {
        if row.kind == .milestone { return p.clamp(p.x(row.start)) + (finish ? 6 : -6) }
        return p.clamp(p.x(finish ? max(row.start, row.finish) : min(row.start, row.finish)))
    }

    /// The progress line (イナズマ線): down the status date, bending at each task to the point its progress has
    /// reached (start + % complete of its span). A task not yet due, or done by the status date, keeps the line on the
    /// status date; summaries too (their rows show it).
    static func progressLine(_ rows: [GanttRow], status: LocalTime, _ p: Plot) -> String {
        let sx = p.x(status)
        guard inside(sx, p), !rows.isEmpty else { return "" }
        let n = ChartSVG.num
        var points = "\(n(sx)),\(n(p.top))"
        for (i, row) in rows.enumerated() {
            let x = progressX(row, status: status, p)
            guard abs(x - sx) >= 0.5 else { continue }
            let top = p.rowTop(i)
            points += " \(n(sx)),\(n(top + 2)) \(n(x)),\(n(top + rowHeight / 2)) \(n(sx)),\(n(top + rowHeight - 2))"
        }
        points += " \(n(sx)),\(n(p.bottom))"
        return "<polyline class=\"progress-line\" points=\"\(points)\"/>\n"
    }

    /// Where a row's progress has reached, as an x; the status date's x when the row does not bend the line.
    static func progressX(_ row: GanttRow, status: LocalTime, _ p: Plot) -> Double {
        let sx = p.x(status)
        guard row.kind != .summary else { return sx }
        let done = percent(row)
        if done >= 100 && row.finish <= status { return sx }
        if done <= 0 && row.start >= status { return sx }
        if row.kind == .milestone { return done >= 100 ? p.clamp(p.x(row.start)) : p.clamp(p.x(min(row.start, status))) }
        let span = Double(max(0, row.finish.minutes - row.start.minutes))
        return p.clamp(p.x(LocalTime(minutes: row.start.minutes + Int((span * done / 100).rounded()))))
    }

    /// The label column alone, the same height as the chart: the page lays it over the chart's own label column and
    /// keeps it in place while the dates scroll sideways.
    public static func labelColumn(_ input: GanttInput) -> String {
        let ja = ChartSVG.isJapanese(input.language)
        guard dateRange(input) != nil else { return "" }
        let top = titleHeight + headerRow + (input.scale == .day ? 32 : headerRow)
        let bottom = top + Double(input.rows.count) * rowHeight
        let height = bottom + (input.statusDate == nil ? 10 : 24)
        let n = ChartSVG.num
        var s = ChartSVG.open(width: labelWidth + 1, height: height, title: input.title, className: "gantt-label-column", style: style)
        s += "<rect class=\"label-bg\" x=\"0\" y=\"0\" width=\"\(n(labelWidth + 1))\" height=\"\(n(height))\"/>\n"
        s += "<text class=\"title\" x=\"8\" y=\"19\">\(ChartSVG.escape(input.title))</text>\n"
        for i in 0...input.rows.count {
            let y = top + Double(i) * rowHeight
            s += "<line class=\"row-line\" x1=\"0\" y1=\"\(n(y))\" x2=\"\(n(labelWidth))\" y2=\"\(n(y))\"/>\n"
        }
        s += "<line class=\"grid-major\" x1=\"\(n(labelWidth))\" y1=\"\(n(titleHeight))\" x2=\"\(n(labelWidth))\" y2=\"\(n(bottom))\"/>\n"
        s += "<text class=\"hdr\" x=\"8\" y=\"\(n(top - 8))\">\(ChartSVG.words(ja)["chart.task"])</text>\n"
        for (i, row) in input.rows.enumerated() { s += label(row, top: top + Double(i) * rowHeight) }
        return s + "</svg>\n"
    }

    static func statusLine(_ t: LocalTime, _ p: Plot, japanese ja: Bool) -> String {
        let x = p.x(t)
        guard inside(x, p) else { return "" }
        let n = ChartSVG.num
        let words = ChartSVG.words(ja)["chart.status"] + " " + t.date.description
        let anchor = x + ChartSVG.textWidth(words, fontSize: 11) + 4 > p.right ? "end" : "start"
        return "<line class=\"status-line\" x1=\"\(n(x))\" y1=\"\(n(titleHeight))\" x2=\"\(n(x))\" y2=\"\(n(p.bottom))\"/>\n"
            + "<text class=\"status-label\" x=\"\(n(anchor == "end" ? x - 3 : x + 3))\" y=\"\(n(p.bottom + 15))\" text-anchor=\"\(anchor)\">\(ChartSVG.escape(words))</text>\n"
    }

    enum ArrowMarkers {
        static let normal = "gantt-arrow"
        static let critical = "gantt-arrow-critical"
        static let defs = """
            <defs><marker id="gantt-arrow" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto"><path d="M0 0L6 3L0 6Z" fill="#555"/></marker><marker id="gantt-arrow-critical" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto"><path d="M0 0L6 3L0 6Z" fill="#d9534f"/></marker></defs>

            """
    }

    // Print-friendly: mid-tone fills that survive greyscale, dark text, colours kept when printing.
    static let style = """
        svg{print-color-adjust:exact;-webkit-print-color-adjust:exact;background:#fff}
        .title{font-size:15px;font-weight:bold;fill:#111}
        .hdr{font-size:11px;fill:#333}.hdr-off{fill:#999}
        .row-label{font-size:12px;fill:#111}.row-label-summary{font-weight:bold}a .row-label{fill:#0b5cad}
        .collapsed-marker rect{fill:#fff;stroke:#555}.collapsed-marker path{stroke:#333;stroke-width:1.2}
        .bar{fill:#6d9fd8}.progress{fill:#2a5f9e}
        .bar-critical{fill:#e07b78}.progress-critical{fill:#a52a26}
        .summary{fill:#222}.milestone{fill:#222}.milestone-critical{fill:#d9534f}
        .baseline{fill:#a8a8a8}
        .link{fill:none;stroke:#555;stroke-width:1}.link-critical{stroke:#d9534f}
        .nonworking{fill:#ededed}
        .grid{fill:none;stroke:#e2e2e2;stroke-width:.5}.grid-major{fill:none;stroke:#999;stroke-width:.8}
        .row-line{fill:none;stroke:#eee;stroke-width:.5}
        .status-line{stroke:#7b3fa0;stroke-width:1.5;stroke-dasharray:5 3}.status-label{font-size:11px;fill:#7b3fa0}
        .progress-line{fill:none;stroke:#d0021b;stroke-width:1.6;stroke-linejoin:round}
        .fold-marker rect{fill:#fff;stroke:#555}.fold-marker path{stroke:#333;stroke-width:1.2}.label-bg{fill:#fff}
        """
}

/// Helpers shared by the chart renderers: escaping, number text, rough text widths, words, the SVG shell.
enum ChartSVG {
    /// XML-escaped text with the characters XML 1.0 forbids (most C0 controls, U+FFFE/U+FFFF) removed,
    /// so any label keeps the document well-formed.
    static func escape(_ text: String) -> String {
        let clean = text.unicodeScalars.allSatisfy(allowed) ? text : String(String.UnicodeScalarView(text.unicodeScalars.filter(allowed)))
        return XMLEscape.text(clean)
    }

    static func allowed(_ u: Unicode.Scalar) -> Bool {
        u.value == 0x9 || u.value == 0xA || u.value == 0xD || (u.value >= 0x20 && u.value != 0xFFFE && u.value != 0xFFFF)
    }

    /// A coordinate with at most two decimals, no trailing zeros, no exponent: integer arithmetic, so the text never
    /// depends on locale or platform formatting.
    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let h = Int((min(max(v, -1e12), 1e12) * 100).rounded())
        let a = abs(h), whole = a / 100, frac = a % 100
        let sign = h < 0 ? "-" : ""
        if frac == 0 { return sign + String(whole) }
        if frac % 10 == 0 { return sign + "\(whole).\(frac / 10)" }
        return sign + "\(whole)." + (frac < 10 ? "0\(frac)" : "\(frac)")
    }

    /// Estimated rendered width: Latin about 0.6em, CJK and other wide characters 1em, half-width kana 0.5em.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        var em = 0.0
        for u in text.unicodeScalars { em += width(of: u) }
        return em * fontSize
    }

    static func width(of u: Unicode.Scalar) -> Double {
        switch u.value {
        case 0..<0x0300: 0.6
        case 0x0300..<0x0370, 0x200B...0x200F, 0xFE00...0xFE0F: 0  // combining marks, zero-width, selectors
        case 0xFF61...0xFF9F: 0.5
        case 0x1100...: 1.0
        default: 0.65
        }
    }

    /// The text cut at a character boundary and ended with "…" when wider than `width`.
    static func truncate(_ text: String, toWidth width: Double, fontSize: Double) -> String {
        guard textWidth(text, fontSize: fontSize) > width else { return text }
        let budget = width - textWidth("…", fontSize: fontSize)
        var out = "", used = 0.0
        for ch in text {
            let w = textWidth(String(ch), fontSize: fontSize)
            if used + w > budget { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    /// Relative addresses and http(s)/mailto only: a `javascript:` link must never reach a page that inlines the SVG.
    static func isSafeLink(_ href: String) -> Bool {
        let h = href.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let colon = h.firstIndex(of: ":") else { return true }
        if let stop = h.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }), stop < colon { return true }
        return h.hasPrefix("http:") || h.hasPrefix("https:") || h.hasPrefix("mailto:")
    }

    static func isJapanese(_ language: String) -> Bool { language.lowercased().hasPrefix("ja") }

    /// The catalogue's words (`PMOWords`) of the chart's language.
    static func words(_ japanese: Bool) -> Words { japanese ? japaneseWords : englishWords }
    private static let japaneseWords = Words(.ja), englishWords = Words(.en)

    /// "2026年4月" or "Apr 2026".
    static func monthName(year: Int, month: Int, japanese: Bool) -> String {
        words(japanese)("chart.month_of_year", ["month": shortMonth(month, japanese: japanese), "year": String(year)])
    }

    /// "4月" or "Apr".
    static func shortMonth(_ month: Int, japanese: Bool) -> String { words(japanese)["chart.month.\(month)"] }

    /// "2026年" or "2026".
    static func year(_ year: Int, japanese: Bool) -> String { words(japanese)("chart.year", ["year": String(year)]) }

    /// The `<svg>` start tag, `<title>` and `<style>`; the caller appends the body and `</svg>`.
    static func open(width: Double, height: Double, title: String, className: String, style: String) -> String {
        let w = num(width), h = num(height), t = escape(title)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="\(className)" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" role="img" aria-label="\(t)" font-family="sans-serif">
            <title>\(t)</title>
            <style>
            \(style)
            </style>

            """
    }

    /// A small chart-sized SVG saying there is nothing to draw.
    static func noData(title: String, japanese: Bool) -> String {
        open(width: 480, height: 120, title: title, className: "no-data-chart", style: ".title{font-size:15px;font-weight:bold}.no-data{font-size:14px;fill:#666}")
            + "<text class=\"title\" x=\"16\" y=\"28\">\(escape(title))</text>\n"
            + "<text class=\"no-data\" x=\"240\" y=\"76\" text-anchor=\"middle\">\(words(japanese)["chart.no_data"])</text>\n</svg>\n"
    }
}
