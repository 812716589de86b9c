import Foundation
import PMOCore

/// A business function's sequence diagram (業務機能のシーケンス図): the systems it passes through as participants
/// with lifelines, and its interfaces in the order the function uses them as numbered arrows, coloured by the
/// interface's status. As SVG and as Mermaid `sequenceDiagram` text. Pure and deterministic: the caller passes the
/// steps, resolved, and every word in the reader's language.
public enum SequenceDiagram {
    /// A system the function passes through.
    public struct Participant: Sendable, Equatable {
        /// `S3`: letters and digits.
        public var key: String
        /// `CRM-S3`.
        public var reference: String
        public var name: String
        public var code: String
        public init(key: String, reference: String, name: String, code: String = "") {
            self.key = key
            self.reference = reference
            self.name = name
            self.code = code
        }
    }

    /// One step: an interface used from one participant to another.
    public struct Message: Sendable, Equatable {
        /// `CRM-F3`.
        public var reference: String
        public var title: String
        /// The keys of the participants it runs between.
        public var from: String
        public var to: String
        /// The method's label in the reader's language (`ファイル`, `API`).
        public var method: String
        /// An interface status key (`SystemDiagram.statuses`).
        public var status: String
        /// Past its design deadline without agreement.
        public var flagged: Bool
        /// Data flows both ways (drawn with two heads).
        public var twoWay: Bool
        public init(reference: String, title: String, from: String, to: String, method: String, status: String,
                    flagged: Bool = false, twoWay: Bool = false) {
            self.reference = reference
            self.title = title
            self.from = from
            self.to = to
            self.method = method
            self.status = status
            self.flagged = flagged
            self.twoWay = twoWay
        }
    }

    public struct Words: Sendable {
        public var title: String
        public var statuses: [String: String]
        public var flagged: String
        public var legend: String
        public init(title: String, statuses: [String: String], flagged: String, legend: String) {
            self.title = title
            self.statuses = statuses
            self.flagged = flagged
            self.legend = legend
        }
    }

    static let columnWidth = 190.0, boxWidth = 170.0, boxHeight = 46.0, rowHeight = 38.0, margin = 24.0
    static let fontSize = 12.0, red = "#d64545"

    /// The label of step `index` (from 0): `1. CRM-F3 顧客マスタ連携 · ファイル`.
    static func label(_ m: Message, index: Int) -> String { "\(index + 1). \(m.reference) \(m.title) · \(m.method)" }

    /// Messages whose ends are both participants; the others are left out (the caller resolves visibility).
    static func drawable(_ participants: [Participant], _ messages: [Message]) -> [Message] {
        let keys = Set(participants.map(\.key))
        return messages.filter { keys.contains($0.from) && keys.contains($0.to) && $0.from != $0.to }
    }

    public static func svg(participants: [Participant], messages all: [Message], words: Words) -> String {
        let messages = drawable(participants, all)
        let column = Dictionary(participants.enumerated().map { ($0.element.key, $0.offset) }) { first, _ in first }
        func x(_ key: String) -> Double { margin + columnWidth * Double(column[key] ?? 0) + boxWidth / 2 }
        let legendY = 48.0, boxesY = 78.0
        let firstRow = boxesY + boxHeight + 34
        let width = max(margin * 2 + columnWidth * Double(max(participants.count, 1) - 1) + boxWidth, 560)
        let height = firstRow + rowHeight * Double(max(messages.count, 1)) + margin
        let n = ChartSVG.num
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" role="img" aria-label="\(XMLEscape.text(words.title))" font-family="sans-serif" class="sequence-diagram">
        <title>\(XMLEscape.text(words.title))</title>
        <defs>
        """
        for (status, colour) in markerColours() {
            s += "<marker id=\"seq-head-\(status)\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"\(colour)\"/></marker>"
        }
        s += "</defs>\n"
        s += "<text class=\"title\" x=\"\(n(margin))\" y=\"24\" font-size=\"15\" font-weight=\"bold\">\(XMLEscape.text(words.title))</text>\n"
        // The legend: each status's colour, and the flagged line.
        var lx = margin
        s += "<g class=\"legend\"><text x=\"\(n(lx))\" y=\"\(n(legendY))\" font-size=\"11\" font-weight=\"bold\">\(XMLEscape.text(words.legend))</text>"
        lx += ChartSVG.textWidth(words.legend, fontSize: 11) + 10
        for status in SystemDiagram.statuses {
            let text = words.statuses[status] ?? status
            s += "<line x1=\"\(n(lx))\" y1=\"\(n(legendY - 4))\" x2=\"\(n(lx + 18))\" y2=\"\(n(legendY - 4))\" stroke=\"\(colour(status))\" stroke-width=\"2\"/>"
            s += "<text x=\"\(n(lx + 22))\" y=\"\(n(legendY))\" font-size=\"11\">\(XMLEscape.text(text))</text>"
            lx += 22 + ChartSVG.textWidth(text, fontSize: 11) + 12
        }
        s += "<line x1=\"\(n(lx))\" y1=\"\(n(legendY - 4))\" x2=\"\(n(lx + 18))\" y2=\"\(n(legendY - 4))\" stroke=\"\(red)\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>"
        s += "<text x=\"\(n(lx + 22))\" y=\"\(n(legendY))\" font-size=\"11\">\(XMLEscape.text(words.flagged))</text></g>\n"
        // Participants: a box and a dashed lifeline down to the last step.
        for p in participants {
            let cx = x(p.key), left = cx - boxWidth / 2
            let head = p.code.isEmpty ? p.reference : "\(p.reference) \(p.code)"
            s += "<g class=\"participant\" data-key=\"\(XMLEscape.text(p.key))\"><title>\(XMLEscape.text("\(p.reference) \(p.name)"))</title>"
            s += "<line x1=\"\(n(cx))\" y1=\"\(n(boxesY + boxHeight))\" x2=\"\(n(cx))\" y2=\"\(n(height - margin / 2))\" stroke=\"#9aa3ad\" stroke-dasharray=\"4 4\"/>"
            s += "<rect x=\"\(n(left))\" y=\"\(n(boxesY))\" width=\"\(n(boxWidth))\" height=\"\(n(boxHeight))\" rx=\"4\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"1.2\"/>"
            s += "<text x=\"\(n(cx))\" y=\"\(n(boxesY + 17))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">\(XMLEscape.text(ChartSVG.truncate(head, toWidth: boxWidth - 12, fontSize: 10)))</text>"
            s += "<text x=\"\(n(cx))\" y=\"\(n(boxesY + 35))\" font-size=\"13\" text-anchor=\"middle\">\(XMLEscape.text(ChartSVG.truncate(p.name, toWidth: boxWidth - 12, fontSize: 13)))</text></g>\n"
        }
        // Steps: one row each, the arrow from source to target, the label above it within the arrow's span.
        for (i, m) in messages.enumerated() {
            let y = firstRow + rowHeight * Double(i) + rowHeight / 2
            let x1 = x(m.from), x2 = x(m.to)
            let stroke = m.flagged ? red : colour(m.status)
            let head = "url(#seq-head-\(m.flagged ? "flagged" : (SystemDiagram.statuses.contains(m.status) ? m.status : "identified")))"
            // A step has its row to itself, so its label may run past the lifelines between its two ends (a white
            // band keeps them off the text), within the diagram.
            let text = label(m, index: i)
            let maxWidth = min(width - 2 * margin, max(abs(x2 - x1) - 8, 360))
            let shown = ChartSVG.truncate(text, toWidth: maxWidth, fontSize: fontSize)
            let textWidth = ChartSVG.textWidth(shown, fontSize: fontSize)
            let cx = min(max((x1 + x2) / 2, margin + textWidth / 2), width - margin - textWidth / 2)
            s += "<g class=\"message\" data-reference=\"\(XMLEscape.text(m.reference))\" data-status=\"\(XMLEscape.text(m.status))\"><title>\(XMLEscape.text(text))</title>"
            s += "<line x1=\"\(n(x1))\" y1=\"\(n(y))\" x2=\"\(n(x2))\" y2=\"\(n(y))\" stroke=\"\(stroke)\" stroke-width=\"1.8\""
                + (m.flagged ? " stroke-dasharray=\"6 4\"" : "") + " marker-end=\"\(head)\"" + (m.twoWay ? " marker-start=\"\(head)\"" : "") + "/>"
            s += "<rect class=\"step-bg\" x=\"\(n(cx - textWidth / 2 - 3))\" y=\"\(n(y - 6 - fontSize))\" width=\"\(n(textWidth + 6))\" height=\"\(n(fontSize + 4))\" fill=\"#fff\" fill-opacity=\"0.85\"/>"
            s += "<text class=\"step\" x=\"\(n(cx))\" y=\"\(n(y - 6))\" font-size=\"\(n(fontSize))\" text-anchor=\"middle\">\(XMLEscape.text(shown))</text></g>\n"
        }
        return s + "</svg>\n"
    }

    /// The diagram as Mermaid text: participants in order with their references and names, the steps numbered.
    public static func mermaid(participants: [Participant], messages all: [Message], words: Words) -> String {
        let messages = drawable(participants, all)
        var out = "---\ntitle: \"\(SystemDiagram.yaml(words.title))\"\n---\nsequenceDiagram\n"
        for p in participants {
            let name = p.code.isEmpty ? "\(p.reference) \(p.name)" : "\(p.reference) \(p.code) \(p.name)"
            out += "    participant \(SystemDiagram.mermaidID(p.key)) as \(text(name))\n"
        }
        for (i, m) in messages.enumerated() {
            let arrow = m.twoWay ? "<<->>" : "->>"
            let flag = m.flagged ? " (\(words.flagged))" : ""
            let status = words.statuses[m.status] ?? m.status
            out += "    \(SystemDiagram.mermaidID(m.from))\(arrow)\(SystemDiagram.mermaidID(m.to)): \(text("\(label(m, index: i)) [\(status)]\(flag)"))\n"
        }
        return out
    }

    /// Text safe in a sequence diagram's line: the flowchart's escapes, and `;` (which ends a statement there) as
    /// its entity code.
    static func text(_ raw: String) -> String {
        raw.split(separator: ";", omittingEmptySubsequences: false).map { SystemDiagram.mermaidText(String($0)) }.joined(separator: "#59;")
    }

    static func colour(_ status: String) -> String { SystemDiagram.colours[status] ?? "#8a8f98" }

    /// A marker per status and one for flagged steps, in a fixed order.
    static func markerColours() -> [(String, String)] {
        SystemDiagram.statuses.map { ($0, colour($0)) } + [("flagged", red)]
    }
}
