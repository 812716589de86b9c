import Foundation
import PMOCore

/// The system configuration diagram of a multi-vendor project: systems as boxes in one swim lane per group (vendor),
/// interfaces as arrows labelled with their methods and coloured by status. Drawn as SVG (sized for A3 landscape
/// when printed) and as Mermaid flowchart text. Pure and deterministic: the caller passes the rows and the words,
/// already translated, and the same input always gives the same bytes.
///
/// Interfaces between the same ordered pair of systems become one arrow: its label counts the methods
/// ("API ×3 · file"), its colour is the least advanced status among them, and it is red and dashed when any of them
/// is flagged. Interfaces naming a system not in `systems` are skipped.
public enum SystemDiagram {
    /// A system: `key` is [A-Za-z0-9]+ ("S3"), `reference` its display id ("CRM-S3"), `code` a short code (may be
    /// empty), `group` the lane label in the reader's language ("" = no group), `kind` one of new, changed, retired,
    /// external.
    public struct System: Sendable, Equatable {
        public var key: String
        public var reference: String
        public var name: String
        public var code: String
        public var group: String
        public var kind: String
        public init(key: String, reference: String, name: String, code: String = "", group: String = "", kind: String = "changed") {
            self.key = key; self.reference = reference; self.name = name; self.code = code; self.group = group; self.kind = kind
        }
    }

    /// An interface from one system's key to another's: `method` one of file, api, message_queue, db_link, screen;
    /// `status` one of identified, designing, agreed, built, connection_tested, accepted; `flagged` when late or at risk.
    public struct Interface: Sendable, Equatable {
        public var key: String
        public var reference: String
        public var from: String
        public var to: String
        public var method: String
        public var status: String
        public var flagged: Bool
        public var title: String
        public init(
            key: String, reference: String, from: String, to: String, method: String, status: String, flagged: Bool = false,
            title: String = ""
        ) {
            self.key = key; self.reference = reference; self.from = from; self.to = to; self.method = method
            self.status = status; self.flagged = flagged; self.title = title
        }
    }

    /// The diagram's words in the reader's language: method, status and kind labels by key (a missing key shows the
    /// key itself), the flagged line's legend entry and the legend's heading.
    public struct Words: Sendable {
        public var title: String
        public var methods: [String: String]
        public var statuses: [String: String]
        public var kinds: [String: String]
        public var flagged: String
        public var legend: String
        public init(
            title: String, methods: [String: String], statuses: [String: String], kinds: [String: String], flagged: String,
            legend: String
        ) {
            self.title = title; self.methods = methods; self.statuses = statuses; self.kinds = kinds
            self.flagged = flagged; self.legend = legend
        }
    }

    /// The status keys from least to most advanced: the legend's order, and how "least advanced" is decided.
    public static let statuses = ["identified", "designing", "agreed", "built", "connection_tested", "accepted"]
    static let colours = [
        "identified": "#8a8f98", "designing": "#d48806", "agreed": "#2563eb", "built": "#7c3aed",
        "connection_tested": "#0d9488", "accepted": "#16a34a",
    ]
    static let flaggedColour = "#dc2626", unknownColour = "#8a8f98"
    static let methodOrder = ["file", "api", "message_queue", "db_link", "screen"]
    static let kinds = ["new", "changed", "retired", "external"]

    /// One arrow: the interfaces from one system to another, in input order.
    struct Arrow {
        var from: String
        var to: String
        var interfaces: [Interface]
        var keys: String { interfaces.map(\.key).joined(separator: " ") }
        var flagged: Bool { interfaces.contains(where: \.flagged) }
        /// The least advanced status; an unknown status counts as less advanced than any known one.
        var status: String {
            interfaces.map(\.status).min { (SystemDiagram.statuses.firstIndex(of: $0) ?? -1) < (SystemDiagram.statuses.firstIndex(of: $1) ?? -1) } ?? ""
        }
        var colour: String { flagged ? SystemDiagram.flaggedColour : SystemDiagram.colours[status] ?? SystemDiagram.unknownColour }

        /// "API ×3 · file": most used method first, then in the usual method order.
        func label(_ words: Words) -> String { labelParts(words).joined(separator: " · ") }

        /// The label's parts: "API ×3", "file".
        func labelParts(_ words: Words) -> [String] {
            var counts: [(method: String, count: Int)] = []
            for f in interfaces {
                if let i = counts.firstIndex(where: { $0.method == f.method }) { counts[i].count += 1 } else { counts.append((f.method, 1)) }
            }
            func rank(_ m: String) -> Int { SystemDiagram.methodOrder.firstIndex(of: m) ?? SystemDiagram.methodOrder.count }
            return counts.sorted { ($1.count, rank($0.method), $0.method) < ($0.count, rank($1.method), $1.method) }
                .map { (words.methods[$0.method] ?? $0.method) + ($0.count > 1 ? " ×\($0.count)" : "") }
        }
    }

    /// Systems with their first occurrence of each key, and the arrows between them in order of first interface.
    static func model(_ systems: [System], _ interfaces: [Interface]) -> (systems: [System], arrows: [Arrow]) {
        var seen: Set<String> = []
        let systems = systems.filter { seen.insert($0.key).inserted }
        var slot: [String: Int] = [:]
        var arrows: [Arrow] = []
        for f in interfaces where seen.contains(f.from) && seen.contains(f.to) {
            let pair = f.from + "\u{0}" + f.to
            if let i = slot[pair] { arrows[i].interfaces.append(f) } else {
                slot[pair] = arrows.count
                arrows.append(Arrow(from: f.from, to: f.to, interfaces: [f]))
            }
        }
        return (systems, arrows)
    }

    /// Groups in order of first appearance; "" (no group) is not one.
    static func groups(_ systems: [System]) -> [String] {
        var out: [String] = []
        for s in systems where !s.group.isEmpty && !out.contains(s.group) { out.append(s.group) }
        return out
    }

    // MARK: SVG

    static let margin = 24.0, boxHeight = 44.0, nameSize = 13.0, refSize = 11.0, labelSize = 11.0, labelLine = 13.0

    /// The diagram as a standalone SVG document in px: title, legend, then the lanes, arrows and boxes.
    public static func svg(systems: [System], interfaces: [Interface], words: Words) -> String {
        let (systems, arrows) = model(systems, interfaces)
        let boxes = systems.map(Box.init)
        let labels = arrows.map { labelLines($0.labelParts(words)) }
        let groupNames = groups(systems)
        // The lane titles' column: as wide as the longest group name on one line, within 100...180 px.
        let header = groupNames.isEmpty ? 0 : min(180, max(100, (groupNames.map { ChartSVG.textWidth($0, fontSize: 13) }.max() ?? 0) + 28))
        var options = LayeredLayout.Options()
        options.laneHeaderWidth = header
        options.minLaneHeight = groupNames.isEmpty ? 0 : 76
        options.laneGap = 8
        options.crossingPasses = 16
        // About √n + 1 columns (8 for 40 systems), so a large diagram keeps near A3 landscape's proportions.
        options.maxLayers = Int(Double(systems.count).squareRoot().rounded(.up)) + 1
        let layout = LayeredLayout.layout(
            nodes: zip(systems, boxes).map { s, box in
                LayeredLayout.Node(id: s.key, width: box.width, height: boxHeight, group: groupNames.isEmpty || s.group.isEmpty ? nil : s.group)
            },
            edges: zip(arrows, labels).map { arrow, lines in
                let width = lines.map { ChartSVG.textWidth($0, fontSize: labelSize) }.max() ?? 0
                return LayeredLayout.Edge(from: arrow.from, to: arrow.to, label: .init(width: width + 10, height: Double(lines.count) * labelLine + 3))
            },
            options: options)

        let width = max(layout.width + 2 * margin, 720)
        let legend = legendItems(words, width: width - 2 * margin)
        let c = Canvas(
            dx: margin, dy: margin + 42 + Double(legend.rows) * 22,
            prefix: "sd" + String(fnv(systems.map(\.key) + interfaces.map(\.key) + [words.title]), radix: 16))
        let height = c.dy + layout.height + margin
        let t = XMLEscape.text(words.title)
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" class="system-diagram" width="\(c.n(width))" height="\(c.n(height))" viewBox="0 0 \(c.n(width)) \(c.n(height))" role="img" aria-label="\(t)" font-family="sans-serif">
            <title>\(t)</title>
            <defs>

            """
        for (name, colour) in statuses.map({ ($0, colours[$0] ?? unknownColour) }) + [("flagged", flaggedColour), ("unknown", unknownColour)] {
            s += "<marker id=\"\(c.prefix)-\(name)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,1 L10,5 L0,9 z\" fill=\"\(colour)\"/></marker>\n"
        }
        s += "</defs>\n<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(c.n(width))\" height=\"\(c.n(height))\" fill=\"#ffffff\"/>\n"
        s += "<text class=\"title\" x=\"\(c.n(margin))\" y=\"\(c.n(margin + 18))\" font-size=\"18\" font-weight=\"bold\" fill=\"#111827\">\(t)</text>\n"
        s += "<g class=\"legend\" font-size=\"12\" fill=\"#374151\">\n"
        s += "<text x=\"\(c.n(margin))\" y=\"\(c.n(margin + 50))\" font-weight=\"bold\">\(XMLEscape.text(words.legend))</text>\n"
        for (x, row, item) in legend.items { s += item.svg(x: margin + x, y: margin + 46 + Double(row) * 22, prefix: c.prefix) }
        s += "</g>\n"
        if !groupNames.isEmpty {
            for (i, lane) in layout.lanes.enumerated() { s += c.lane(lane, shade: i % 2, titleWidth: header - 22) }
        }
        var onTop = ""
        for (i, (arrow, route)) in zip(arrows, layout.routes).enumerated() where !route.points.isEmpty {
            s += c.arrow(arrow, route: route, lines: labels[i], id: "\(c.prefix)-l\(i)", words: words)
            if route.label != nil { onTop += "<use href=\"#\(c.prefix)-l\(i)\"/>" }
        }
        for (system, (box, node)) in zip(systems, zip(boxes, layout.nodes)) { s += c.system(system, box: box, rect: node.rect, words: words) }
        // The labels once more on top, so no later arrow runs across one; the copies let the pointer through to the
        // arrow underneath, whose tooltip then shows.
        s += "<g class=\"label-layer\" aria-hidden=\"true\" pointer-events=\"none\">\(onTop)</g>\n"
        return s + "</svg>\n"
    }

    /// A system box's two lines and width: as wide as its longer line within 120...200 px, longer text cut with "…".
    struct Box {
        var refLine: String, name: String, width: Double
        init(_ s: System) {
            let ref = s.code.isEmpty ? s.reference : s.reference + " " + s.code
            let bold = SystemDiagram.kindStyle(s.kind).bold ? 1.1 : 1.0  // bold Latin runs about a tenth wider
            let wanted = max(ChartSVG.textWidth(s.name, fontSize: nameSize) * bold, ChartSVG.textWidth(ref, fontSize: refSize)) + 16
            width = min(200, max(120, wanted))
            refLine = ChartSVG.truncate(ref, toWidth: width - 12, fontSize: refSize)
            name = ChartSVG.truncate(s.name, toWidth: (width - 12) / bold, fontSize: nameSize)
        }
    }

    /// The layout's shapes as SVG, moved below the title and legend; ids carry the diagram's prefix.
    struct Canvas {
        let dx: Double, dy: Double, prefix: String

        func n(_ v: Double) -> String { ChartSVG.num(v) }

        func rect(_ r: LayeredLayout.Rect, _ extra: String) -> String {
            "<rect x=\"\(n(r.x + dx))\" y=\"\(n(r.y + dy))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\"\(extra)/>"
        }

        /// A group's band with its name wrapped in the title column; the lane of ungrouped systems has no title.
        func lane(_ lane: LayeredLayout.Lane, shade: Int, titleWidth: Double) -> String {
            let name = lane.name ?? ""
            var s = "<g class=\"group\" data-name=\"\(XMLEscape.text(name))\">"
            s += rect(lane.rect, " fill=\"\(shade == 0 ? "#f1f5fb" : "#f8f5ee")\" stroke=\"#d6dce6\"")
            let lines = SystemDiagram.wrap(name, width: titleWidth, fontSize: 13, maxLines: max(1, Int((lane.rect.height - 16) / 17)))
            for (k, line) in lines.enumerated() {
                s += "<text x=\"\(n(lane.rect.x + dx + 12))\" y=\"\(n(lane.rect.y + dy + 24 + Double(k) * 17))\" font-size=\"13\" font-weight=\"bold\" fill=\"#334155\">\(XMLEscape.text(line))</text>"
            }
            return s + "</g>\n"
        }

        /// An arrow: its tooltip listing every interface, its curve, and its label (box and text) under `id`.
        func arrow(_ arrow: Arrow, route: LayeredLayout.Route, lines: [String], id: String, words: Words) -> String {
            var d = route.points.first.map { "M\(n($0.x + dx)) \(n($0.y + dy))" } ?? ""
            for c in route.curves {
                d += " C\(n(c.c1.x + dx)) \(n(c.c1.y + dy)) \(n(c.c2.x + dx)) \(n(c.c2.y + dy)) \(n(c.to.x + dx)) \(n(c.to.y + dy))"
            }
            let marker = arrow.flagged ? "flagged" : (colours[arrow.status] == nil ? "unknown" : arrow.status)
            let tooltip = arrow.interfaces.map { f in
                "\(f.reference) \(f.title) (\(words.methods[f.method] ?? f.method), \(words.statuses[f.status] ?? f.status))"
                    + (f.flagged ? " ⚠ \(words.flagged)" : "")
            }.joined(separator: "\n")
            var s = "<g class=\"interface\" data-keys=\"\(XMLEscape.text(arrow.keys))\" data-from=\"\(XMLEscape.text(arrow.from))\" data-to=\"\(XMLEscape.text(arrow.to))\" data-status=\"\(XMLEscape.text(arrow.status))\"\(arrow.flagged ? " data-flagged=\"true\"" : "")>"
            s += "<title>\(XMLEscape.text(tooltip))</title>"
            s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(arrow.colour)\" stroke-width=\"1.6\"\(arrow.flagged ? " stroke-dasharray=\"6 4\"" : "") marker-end=\"url(#\(prefix)-\(marker))\"/>"
            if let box = route.label {
                let x = n(box.midX + dx)
                let text = lines.count == 1
                    ? XMLEscape.text(lines[0])
                    : lines.enumerated().map { "<tspan x=\"\(x)\" dy=\"\($0.offset == 0 ? "0" : n(labelLine))\">\(XMLEscape.text($0.element))</tspan>" }.joined()
                s += "<g id=\"\(id)\">" + rect(box, " class=\"if-label-bg\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"\(arrow.colour)\" stroke-width=\"0.8\"")
                s += "<text class=\"if-label\" x=\"\(x)\" y=\"\(n(box.y + dy + 12))\" font-size=\"\(n(labelSize))\" text-anchor=\"middle\" fill=\"#1f2937\">\(text)</text></g>"
            }
            return s + "</g>\n"
        }

        /// A system's box styled by kind, with its reference and code over its name, and a tooltip with the rest.
        func system(_ system: System, box: Box, rect r: LayeredLayout.Rect, words: Words) -> String {
            let style = SystemDiagram.kindStyle(system.kind)
            let tip = [system.reference, system.code, system.name].filter { !$0.isEmpty }.joined(separator: " ")
                + "\n" + (words.kinds[system.kind] ?? system.kind) + (system.group.isEmpty ? "" : "\n" + system.group)
            var s = "<g class=\"system\" data-key=\"\(XMLEscape.text(system.key))\" data-kind=\"\(XMLEscape.text(system.kind))\"><title>\(XMLEscape.text(tip))</title>"
            s += rect(r, " rx=\"4\" fill=\"\(style.fill)\" stroke=\"\(style.stroke)\" stroke-width=\"\(style.strokeWidth)\"\(style.dash.isEmpty ? "" : " stroke-dasharray=\"\(style.dash)\"")")
            s += "<text x=\"\(n(r.midX + dx))\" y=\"\(n(r.y + dy + 16))\" font-size=\"\(n(refSize))\" text-anchor=\"middle\" fill=\"\(style.refText)\">\(XMLEscape.text(box.refLine))</text>"
            s += "<text x=\"\(n(r.midX + dx))\" y=\"\(n(r.y + dy + 34))\" font-size=\"\(n(nameSize))\" text-anchor=\"middle\" fill=\"\(style.text)\"\(style.bold ? " font-weight=\"bold\"" : "")>\(XMLEscape.text(box.name))</text>"
            return s + "</g>\n"
        }
    }

    /// A label's parts packed into lines of at most 110 px ("API ×3 · file" stays one line, longer lists stack), so
    /// the gaps between columns stay narrow; a part wider than 200 px is cut.
    static func labelLines(_ parts: [String]) -> [String] {
        var lines: [String] = []
        for part in parts.map({ ChartSVG.truncate($0, toWidth: 200, fontSize: labelSize) }) {
            if let last = lines.last, ChartSVG.textWidth(last + " · " + part, fontSize: labelSize) <= 110 {
                lines[lines.count - 1] = last + " · " + part
            } else {
                lines.append(part)
            }
        }
        return lines.isEmpty ? [""] : lines
    }

    /// How a kind of system is drawn: external dashed, retired grey, new bold.
    static func kindStyle(_ kind: String) -> (fill: String, stroke: String, strokeWidth: String, dash: String, text: String, refText: String, bold: Bool) {
        switch kind {
        case "new": ("#ffffff", "#111827", "2.4", "", "#111827", "#4b5563", true)
        case "retired": ("#e5e7eb", "#9ca3af", "1.2", "", "#6b7280", "#9ca3af", false)
        case "external": ("#ffffff", "#4b5563", "1.4", "5 3", "#111827", "#4b5563", false)
        default: ("#ffffff", "#4b5563", "1.2", "", "#111827", "#4b5563", false)
        }
    }

    /// A legend entry: a coloured line (statuses, flagged) or a box (kinds), then its words.
    struct LegendItem {
        var text: String
        var line: (colour: String, marker: String, dashed: Bool)?
        var kind: String
        var width: Double { 34 + ChartSVG.textWidth(text, fontSize: 12) + 18 }

        func svg(x: Double, y: Double, prefix: String) -> String {
            let n = ChartSVG.num
            var s = ""
            if let line {
                s += "<path d=\"M\(n(x)) \(n(y)) h28\" stroke=\"\(line.colour)\" stroke-width=\"1.6\"\(line.dashed ? " stroke-dasharray=\"6 4\"" : "") marker-end=\"url(#\(prefix)-\(line.marker))\"/>"
            } else {
                let st = SystemDiagram.kindStyle(kind)
                s += "<rect x=\"\(n(x))\" y=\"\(n(y - 7))\" width=\"28\" height=\"14\" rx=\"2\" fill=\"\(st.fill)\" stroke=\"\(st.stroke)\" stroke-width=\"\(st.strokeWidth)\"\(st.dash.isEmpty ? "" : " stroke-dasharray=\"\(st.dash)\"")/>"
            }
            return s + "<text x=\"\(n(x + 34))\" y=\"\(n(y + 4))\">\(XMLEscape.text(text))</text>\n"
        }
    }

    /// The legend's entries (statuses, flagged, kinds) flowed into rows of `width` after the heading: x from the
    /// left margin and row of each.
    static func legendItems(_ words: Words, width: Double) -> (items: [(x: Double, row: Int, item: LegendItem)], rows: Int) {
        let all = statuses.map { LegendItem(text: words.statuses[$0] ?? $0, line: (colours[$0] ?? unknownColour, $0, false), kind: "") }
            + [LegendItem(text: words.flagged, line: (flaggedColour, "flagged", true), kind: "")]
            + kinds.map { LegendItem(text: words.kinds[$0] ?? $0, line: nil, kind: $0) }
        var placed: [(x: Double, row: Int, item: LegendItem)] = [], x = ChartSVG.textWidth(words.legend, fontSize: 12) + 14, row = 0
        for item in all {
            if x + item.width > width, !placed.isEmpty { (x, row) = (0, row + 1) }
            placed.append((x, row, item))
            x += item.width
        }
        return (placed, row + 1)
    }

    /// `text` broken into at most `maxLines` lines of `width`: at spaces where a line has one, else anywhere
    /// (Japanese has no spaces); the last line ends with "…" when text is left over.
    static func wrap(_ text: String, width: Double, fontSize: Double, maxLines: Int) -> [String] {
        var lines: [String] = [], line = ""
        for ch in text {
            guard ChartSVG.textWidth(line + String(ch), fontSize: fontSize) > width, !line.isEmpty else { line.append(ch); continue }
            if ch != " ", let space = line.lastIndex(of: " ") {
                lines.append(String(line[..<space]))
                line = String(line[line.index(after: space)...]) + String(ch)
            } else {
                lines.append(line)
                line = ch == " " ? "" : String(ch)
            }
        }
        if !line.isEmpty { lines.append(line) }
        guard lines.count > maxLines else { return lines }
        let rest = lines[(maxLines - 1)...].joined(separator: " ")
        return Array(lines[..<(maxLines - 1)]) + [ChartSVG.truncate(rest + "…", toWidth: width, fontSize: fontSize)]
    }

    /// FNV-1a of the strings: a stable id prefix, so two diagrams inlined in one page keep their ids apart.
    static func fnv(_ parts: [String]) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for part in parts { for b in part.utf8 + [0] { h = (h ^ UInt32(b)) &* 16_777_619 } }
        return h
    }

    // MARK: Mermaid

    /// The diagram as Mermaid flowchart text: one subgraph per group, systems in input order, one edge per arrow
    /// in order of first interface, kinds as classes and status colours as link styles.
    public static func mermaid(systems: [System], interfaces: [Interface], words: Words) -> String {
        let (systems, arrows) = model(systems, interfaces)
        var lines = ["---", "title: \"\(yaml(words.title))\"", "---", "flowchart LR"]
        func node(_ s: System) -> String {
            let head = s.code.isEmpty ? mermaidText(s.reference) : mermaidText(s.reference) + " " + mermaidText(s.code)
            return "\(mermaidID(s.key))[\"\(head)<br/>\(mermaidText(s.name))\"]"
        }
        for (i, group) in groups(systems).enumerated() {
            lines.append("    subgraph g\(i + 1)[\"\(mermaidText(group))\"]")
            lines += systems.filter { $0.group == group }.map { "        " + node($0) }
            lines.append("    end")
        }
        lines += systems.filter(\.group.isEmpty).map { "    " + node($0) }
        lines += arrows.map { "    \(mermaidID($0.from)) -->|\"\(mermaidText($0.label(words)))\"| \(mermaidID($0.to))" }
        lines += [
            "    classDef k_new stroke-width:3px,font-weight:bold", "    classDef k_changed stroke-width:1px",
            "    classDef k_retired fill:#e5e7eb,color:#6b7280,stroke:#9ca3af", "    classDef k_external fill:#ffffff,stroke-dasharray: 5 3",
        ]
        for kind in kinds {
            let ids = systems.filter { $0.kind == kind }.map { mermaidID($0.key) }
            if !ids.isEmpty { lines.append("    class \(ids.joined(separator: ",")) k_\(kind)") }
        }
        for (i, arrow) in arrows.enumerated() {
            lines.append("    linkStyle \(i) stroke:\(arrow.colour),stroke-width:2px" + (arrow.flagged ? ",stroke-dasharray: 6 4" : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The key when it is a plain word Mermaid will not read as a keyword ("end" ends a subgraph), else "n_" + key
    /// with anything but letters and digits replaced.
    static func mermaidID(_ key: String) -> String {
        func plain(_ u: Unicode.Scalar) -> Bool { ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u) }
        let reserved = ["end", "subgraph", "graph", "flowchart", "style", "classdef", "class", "click", "linkstyle", "direction", "default"]
        if !key.isEmpty, key.unicodeScalars.allSatisfy(plain), !reserved.contains(key.lowercased()) { return key }
        return "n_" + String(key.unicodeScalars.map { plain($0) ? Character($0) : "_" })
    }

    /// Text safe inside a quoted Mermaid label: quotes and the characters Mermaid reads as markup or entities become
    /// entity codes, line breaks become spaces; Japanese and other text stays as is.
    static func mermaidText(_ raw: String) -> String {
        var out = ""
        for ch in raw {
            switch ch {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "&": out += "#amp;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "`": out += "#96;"
            case "|": out += "#124;"
            case "\n", "\r", "\r\n", "\t": out += " "
            default: if !(ch.unicodeScalars.first.map { $0.value < 0x20 || $0.value == 0x7F } ?? false) { out.append(ch) }
            }
        }
        return out
    }

    /// Text inside a double-quoted YAML scalar (Mermaid's front matter): backslash and quote escaped, controls as spaces.
    static func yaml(_ raw: String) -> String {
        var out = ""
        for u in raw.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(u.value < 0x20 || u.value == 0x7F ? " " : u)
            }
        }
        return out
    }
}
