import Foundation
import PMOCore

/// The project's organisation chart (体制図): units as boxes top-down along their reporting lines, in one column band
/// per company, with the escalation routes as dashed arrows labelled with their terms. Drawn as SVG and as Mermaid
/// flowchart text. Pure and deterministic: the caller passes the rows and the words, already translated.
///
/// The layout is `LayeredLayout` (left to right) run on the transposed boxes and turned a quarter: its layers
/// become rows (the top unit first), its lanes columns.
public enum OrgChart {
    /// A unit: `key` is [A-Za-z0-9]+ ("U3"), `reference` its display id ("CRM-U3"), `group` the company's name
    /// ("" = none), `kind` one of steering, pmo, business, vendor, other; `head` the head's name ("" = none);
    /// `members` the names of its members, listed in its box.
    public struct Unit: Sendable, Equatable {
        public var key: String, reference: String, name: String, group: String, kind: String, head: String
        public var members: [String]
        public init(key: String, reference: String, name: String, group: String = "", kind: String = "other", head: String = "",
                    members: [String] = []) {
            self.key = key; self.reference = reference; self.name = name; self.group = group; self.kind = kind; self.head = head
            self.members = members
        }

        /// The lines under the name: the head, then the members, at most `membersShown` of them and "+N" for the rest.
        func extraLines(_ words: Words) -> [String] {
            let shown = members.count > OrgChart.membersShown ? Array(members.prefix(OrgChart.membersShown - 1)) + ["+\(members.count - OrgChart.membersShown + 1)"]
                : members
            return (head.isEmpty ? [] : [words.head + ": " + head]) + shown
        }
    }

    /// The most lines of members a box lists: a team of 40 is a list, not a chart.
    static let membersShown = 6
    static let lineHeight = 14.0

    /// A box's height: room for the reference, the name and one line, then a line more for each further line.
    static func boxHeight(_ u: Unit, _ words: Words) -> Double {
        boxHeight + lineHeight * Double(max(0, u.extraLines(words).count - 1))
    }

    /// A reporting line: `unit` reports to `reportsTo` (keys).
    public struct Line: Sendable, Equatable {
        public var unit: String, reportsTo: String
        public init(unit: String, reportsTo: String) { (self.unit, self.reportsTo) = (unit, reportsTo) }
    }

    /// An escalation route from one unit to another, with its terms already in words ("3 working days · high+").
    public struct Escalation: Sendable, Equatable {
        public var key: String, from: String, to: String, label: String
        public init(key: String, from: String, to: String, label: String) { (self.key, self.from, self.to, self.label) = (key, from, to, label) }
    }

    public struct Words: Sendable, Equatable {
        public var title: String, legend: String, reportingLine: String, escalationRoute: String, head: String
        public init(title: String, legend: String, reportingLine: String, escalationRoute: String, head: String) {
            self.title = title; self.legend = legend; self.reportingLine = reportingLine; self.escalationRoute = escalationRoute; self.head = head
        }
    }

    static let margin = 24.0, boxWidth = 180.0, boxHeight = 58.0, labelSize = 11.0
    static let escalationColour = "#c2410c", lineColour = "#64748b"

    /// Units in an order that puts every unit after the one it reports to where possible (top units first, then
    /// breadth first), so the depth-first cycle breaking keeps reporting lines pointing down; lines and routes naming
    /// an unknown unit are dropped.
    static func model(_ units: [Unit], _ lines: [Line], _ escalations: [Escalation]) -> ([Unit], [Line], [Escalation]) {
        let keys = Set(units.map(\.key))
        let lines = lines.filter { keys.contains($0.unit) && keys.contains($0.reportsTo) && $0.unit != $0.reportsTo }
        let escalations = escalations.filter { keys.contains($0.from) && keys.contains($0.to) && $0.from != $0.to }
        let parent = Dictionary(lines.map { ($0.unit, $0.reportsTo) }, uniquingKeysWith: { a, _ in a })
        var ordered: [Unit] = []
        var placed = Set<String>()
        var frontier = units.filter { parent[$0.key] == nil }
        while !frontier.isEmpty {
            ordered += frontier
            placed.formUnion(frontier.map(\.key))
            frontier = units.filter { !placed.contains($0.key) && parent[$0.key].map(placed.contains) == true }
        }
        ordered += units.filter { !placed.contains($0.key) }  // units in a loop (refused on input, but stored data may predate the rule)
        return (ordered, lines, escalations)
    }

    /// Groups in order of first appearance; "" (no group) is not one.
    static func groups(_ units: [Unit]) -> [String] {
        var out: [String] = []
        for u in units where !u.group.isEmpty && !out.contains(u.group) { out.append(u.group) }
        return out
    }

    /// The boxes and routes, turned top-down: each rectangle and point with x and y swapped.
    struct Placed {
        var boxes: [String: LayeredLayout.Rect]
        var lanes: [LayeredLayout.Lane]
        var routes: [LayeredLayout.Route]
        var width: Double, height: Double
    }

    static func place(_ units: [Unit], _ lines: [Line], _ escalations: [Escalation], words: Words) -> Placed {
        let groupNames = groups(units)
        var options = LayeredLayout.Options()
        options.cycleBreaking = .depthFirst
        options.laneHeaderWidth = groupNames.isEmpty ? 0 : 26  // the column's title row once turned
        options.layerGap = 44
        options.nodeGap = 18
        let labelHeight = 14.0
        let layout = LayeredLayout.layout(
            nodes: units.map { .init(id: $0.key, width: boxHeight($0, words), height: boxWidth, group: groupNames.isEmpty || $0.group.isEmpty ? nil : $0.group) },
            // Reporting lines first, from the superior down, so the search meets them before any escalation route.
            edges: lines.map { LayeredLayout.Edge(from: $0.reportsTo, to: $0.unit) }
                + escalations.map { LayeredLayout.Edge(from: $0.from, to: $0.to,
                                                       label: .init(width: labelHeight + 4, height: ChartSVG.textWidth($0.label, fontSize: labelSize) + 10)) },
            options: options)
        func t(_ r: LayeredLayout.Rect) -> LayeredLayout.Rect { .init(x: r.y, y: r.x, width: r.height, height: r.width) }
        func t(_ p: LayeredLayout.Point) -> LayeredLayout.Point { .init(x: p.y, y: p.x) }
        return Placed(
            boxes: Dictionary(layout.nodes.map { ($0.id, t($0.rect)) }, uniquingKeysWith: { a, _ in a }),
            lanes: layout.lanes.map { LayeredLayout.Lane(name: $0.name, rect: t($0.rect)) },
            routes: layout.routes.map { r in
                LayeredLayout.Route(from: r.from, to: r.to, reversed: r.reversed, points: r.points.map(t), label: r.label.map(t))
            },
            width: layout.height, height: layout.width)
    }

    // MARK: SVG

    /// The chart as a standalone SVG document in px: title, legend, the company columns, the lines and the boxes.
    public static func svg(units: [Unit], lines: [Line], escalations: [Escalation], words: Words) -> String {
        let (units, lines, escalations) = model(units, lines, escalations)
        let placed = place(units, lines, escalations, words: words)
        let width = max(placed.width + 2 * margin, 640)
        let dx = margin, dy = margin + 64
        let height = dy + placed.height + margin
        func n(_ v: Double) -> String { ChartSVG.num(v) }
        let prefix = "oc" + String(SystemDiagram.fnv(units.map(\.key) + escalations.map(\.key) + [words.title]), radix: 16)
        let title = XMLEscape.text(words.title)
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" class="org-chart" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" role="img" aria-label="\(title)" font-family="sans-serif">
            <title>\(title)</title>
            <defs><marker id="\(prefix)-esc" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="\(escalationColour)"/></marker></defs>
            <rect class="background" x="0" y="0" width="\(n(width))" height="\(n(height))" fill="#ffffff"/>
            <text class="title" x="\(n(margin))" y="\(n(margin + 18))" font-size="18" font-weight="bold" fill="#111827">\(title)</text>
            <g class="legend" font-size="12" fill="#374151"><text x="\(n(margin))" y="\(n(margin + 46))" font-weight="bold">\(XMLEscape.text(words.legend))</text>
            """
        let legendX = margin + ChartSVG.textWidth(words.legend, fontSize: 12) + 16
        s += "<path d=\"M\(n(legendX)) \(n(margin + 42)) h28\" stroke=\"\(lineColour)\" stroke-width=\"1.6\"/>"
        s += "<text x=\"\(n(legendX + 34))\" y=\"\(n(margin + 46))\">\(XMLEscape.text(words.reportingLine))</text>"
        let escX = legendX + 34 + ChartSVG.textWidth(words.reportingLine, fontSize: 12) + 24
        s += "<path d=\"M\(n(escX)) \(n(margin + 42)) h28\" stroke=\"\(escalationColour)\" stroke-width=\"1.6\" stroke-dasharray=\"6 4\" marker-end=\"url(#\(prefix)-esc)\"/>"
        s += "<text x=\"\(n(escX + 34))\" y=\"\(n(margin + 46))\">\(XMLEscape.text(words.escalationRoute))</text></g>\n"
        for (i, lane) in placed.lanes.enumerated() where lane.name != nil {
            let r = lane.rect
            s += "<g class=\"group\" data-name=\"\(XMLEscape.text(lane.name ?? ""))\"><rect x=\"\(n(r.x + dx))\" y=\"\(n(r.y + dy))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\" fill=\"\(i % 2 == 0 ? "#f1f5fb" : "#f8f5ee")\" stroke=\"#d6dce6\"/>"
            let name = ChartSVG.truncate(lane.name ?? "", toWidth: r.width - 16, fontSize: 13)
            s += "<text x=\"\(n(r.x + dx + 8))\" y=\"\(n(r.y + dy + 18))\" font-size=\"13\" font-weight=\"bold\" fill=\"#334155\">\(XMLEscape.text(name))</text></g>\n"
        }
        func path(_ route: LayeredLayout.Route) -> String {
            var d = route.points.first.map { "M\(n($0.x + dx)) \(n($0.y + dy))" } ?? ""
            // Turned a quarter, the steps' tangents are vertical: a Bézier whose control points share x with the ends.
            for (p, q) in zip(route.points, route.points.dropFirst()) {
                let my = (q.y - p.y) / 2
                d += " C\(n(p.x + dx)) \(n(p.y + my + dy)) \(n(q.x + dx)) \(n(q.y - my + dy)) \(n(q.x + dx)) \(n(q.y + dy))"
            }
            return d
        }
        for (line, route) in zip(lines, placed.routes) where !route.points.isEmpty {
            s += "<g class=\"line\" data-unit=\"\(XMLEscape.text(line.unit))\" data-reports-to=\"\(XMLEscape.text(line.reportsTo))\"><path d=\"\(path(route))\" fill=\"none\" stroke=\"\(lineColour)\" stroke-width=\"1.6\"/></g>\n"
        }
        var labels = ""
        for (e, route) in zip(escalations, placed.routes.dropFirst(lines.count)) where !route.points.isEmpty {
            // The route's points run from the escalating unit to the one above, even when the layout turned the edge
            // round to break the cycle it makes with the reporting line (it then runs upwards).
            let shown = route
            s += "<g class=\"escalation\" data-key=\"\(XMLEscape.text(e.key))\" data-from=\"\(XMLEscape.text(e.from))\" data-to=\"\(XMLEscape.text(e.to))\"><title>\(XMLEscape.text(e.label))</title>"
            s += "<path d=\"\(path(shown))\" fill=\"none\" stroke=\"\(escalationColour)\" stroke-width=\"1.6\" stroke-dasharray=\"6 4\" marker-end=\"url(#\(prefix)-esc)\"/></g>\n"
            if let r = route.label {
                labels += "<g class=\"label\" data-key=\"\(XMLEscape.text(e.key))\"><rect x=\"\(n(r.x + dx))\" y=\"\(n(r.y + dy))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\" rx=\"3\" fill=\"#fff7ed\" stroke=\"#fdba74\"/>"
                labels += "<text x=\"\(n(r.midX + dx))\" y=\"\(n(r.midY + dy + 4))\" font-size=\"\(n(labelSize))\" text-anchor=\"middle\" fill=\"#7c2d12\">\(XMLEscape.text(e.label))</text></g>\n"
            }
        }
        for u in units {
            guard let r = placed.boxes[u.key] else { continue }
            let style = kindStyle(u.kind)
            s += "<g class=\"unit\" data-key=\"\(XMLEscape.text(u.key))\" data-kind=\"\(XMLEscape.text(u.kind))\"><title>\(XMLEscape.text(u.reference + " " + u.name + (u.head.isEmpty ? "" : " · " + words.head + ": " + u.head) + (u.members.isEmpty ? "" : " · " + u.members.joined(separator: ", "))))</title>"
            s += "<rect x=\"\(n(r.x + dx))\" y=\"\(n(r.y + dy))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\" rx=\"4\" fill=\"\(style.fill)\" stroke=\"\(style.stroke)\" stroke-width=\"1.4\"/>"
            let inner = r.width - 12
            s += "<text x=\"\(n(r.x + dx + 6))\" y=\"\(n(r.y + dy + 15))\" font-size=\"10\" fill=\"#475569\">\(XMLEscape.text(ChartSVG.truncate(u.reference, toWidth: inner, fontSize: 10)))</text>"
            s += "<text x=\"\(n(r.x + dx + 6))\" y=\"\(n(r.y + dy + 32))\" font-size=\"13\" font-weight=\"bold\" fill=\"#111827\">\(XMLEscape.text(ChartSVG.truncate(u.name, toWidth: inner / 1.1, fontSize: 13)))</text>"
            for (i, line) in u.extraLines(words).enumerated() {
                let y = r.y + dy + 49 + lineHeight * Double(i)
                s += "<text x=\"\(n(r.x + dx + 6))\" y=\"\(n(y))\" font-size=\"11\" fill=\"#334155\">\(XMLEscape.text(ChartSVG.truncate(line, toWidth: inner, fontSize: 11)))</text>"
            }
            s += "</g>\n"
        }
        return s + "<g class=\"label-layer\">" + labels + "</g>\n</svg>\n"
    }

    /// How a kind of unit is filled: the steering committee and the PMO stand out.
    static func kindStyle(_ kind: String) -> (fill: String, stroke: String) {
        switch kind {
        case "steering": ("#fef3c7", "#b45309")
        case "pmo": ("#dbeafe", "#1d4ed8")
        case "business": ("#dcfce7", "#15803d")
        case "vendor": ("#ffffff", "#475569")
        default: ("#f3f4f6", "#6b7280")
        }
    }

    // MARK: Mermaid

    /// The chart as Mermaid flowchart text (top-down), one subgraph per company.
    public static func mermaid(units: [Unit], lines: [Line], escalations: [Escalation], words: Words) -> String {
        let (units, lines, escalations) = model(units, lines, escalations)
        var out = ["---", "title: \"\(SystemDiagram.yaml(words.title))\"", "---", "flowchart TB"]
        func node(_ u: Unit) -> String {
            let head = (u.head.isEmpty ? "" : "<br/>" + SystemDiagram.mermaidText(words.head + ": " + u.head))
                + (u.members.isEmpty ? "" : "<br/>" + SystemDiagram.mermaidText(u.members.joined(separator: ", ")))
            return "\(SystemDiagram.mermaidID(u.key))[\"\(SystemDiagram.mermaidText(u.reference))<br/>\(SystemDiagram.mermaidText(u.name))\(head)\"]"
        }
        for (i, group) in groups(units).enumerated() {
            out.append("    subgraph c\(i + 1)[\"\(SystemDiagram.mermaidText(group))\"]")
            out += units.filter { $0.group == group }.map { "        " + node($0) }
            out.append("    end")
        }
        out += units.filter(\.group.isEmpty).map { "    " + node($0) }
        out += lines.map { "    \(SystemDiagram.mermaidID($0.reportsTo)) --- \(SystemDiagram.mermaidID($0.unit))" }
        out += escalations.map { "    \(SystemDiagram.mermaidID($0.from)) -. \"\(SystemDiagram.mermaidText($0.label))\" .-> \(SystemDiagram.mermaidID($0.to))" }
        for kind in ["steering", "pmo", "business", "vendor", "other"] {
            let ids = units.filter { $0.kind == kind }.map { SystemDiagram.mermaidID($0.key) }
            let style = kindStyle(kind)
            out.append("    classDef u_\(kind) fill:\(style.fill),stroke:\(style.stroke)")
            if !ids.isEmpty { out.append("    class \(ids.joined(separator: ",")) u_\(kind)") }
        }
        for i in escalations.indices { out.append("    linkStyle \(lines.count + i) stroke:\(escalationColour),stroke-width:2px") }
        return out.joined(separator: "\n") + "\n"
    }
}
