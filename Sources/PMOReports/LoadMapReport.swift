import Foundation
import PMOCore
import PMOInterchange
import PMOSchedule

/// The overload map as a report: an SVG heat map (a row per resource, a column per week or day, each cell coloured by
/// load against capacity and showing the load in percent of capacity) and the same as workbook tables. Pure: the
/// caller passes the rows it may show and the words.
public enum LoadMapReport {
    public struct Row: Sendable {
        public var name: String
        /// Company and role, shown under the name.
        public var detail: String
        /// Per period: capacity, load and the unnamed "other projects" share, in percent-days.
        public var cells: [(capacity: Int, load: Int, other: Int)]
        public init(name: String, detail: String, cells: [(capacity: Int, load: Int, other: Int)]) {
            self.name = name
            self.detail = detail
            self.cells = cells
        }
    }

    public struct Words: Sendable {
        public var title: String
        public var resource: String
        public var period: String
        public var capacity: String
        public var load: String
        public var other: String
        public var legend: [LoadLevel: String]
        public init(title: String, resource: String, period: String, capacity: String, load: String, other: String, legend: [LoadLevel: String]) {
            self.title = title
            self.resource = resource
            self.period = period
            self.capacity = capacity
            self.load = load
            self.other = other
            self.legend = legend
        }
    }

    /// Fill of each level (also the page's colours).
    public static let fills: [LoadLevel: String] = [.idle: "#f2f2f2", .light: "#cfe8d4", .full: "#7cc48a", .over: "#f5b041", .critical: "#d64545"]

    /// Load as a percentage of capacity ("—" without load, "∞" with load and no capacity).
    public static func ratio(load: Int, capacity: Int) -> String {
        if load <= 0 { return "" }
        if capacity <= 0 { return "∞" }
        return "\(Int((Double(load) * 100 / Double(capacity)).rounded()))%"
    }

    public static func svg(rows: [Row], periods: [String], words: Words) -> String {
        let left = 220, top = 64, cell = 46, height = 30
        let width = left + max(1, periods.count) * cell + 16
        let total = top + max(1, rows.count) * height + 56
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(total)" viewBox="0 0 \(width) \(total)" role="img" aria-label="\(esc(words.title))" font-family="sans-serif">
        <title>\(esc(words.title))</title>
        <text x="8" y="20" font-size="14" font-weight="bold">\(esc(words.title))</text>

        """
        for (i, p) in periods.enumerated() {
            let x = left + i * cell + cell / 2
            s += "<text x=\"\(x)\" y=\"\(top - 8)\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-45 \(x) \(top - 8))\">\(esc(p))</text>\n"
        }
        for (r, row) in rows.enumerated() {
            let y = top + r * height
            s += "<text x=\"8\" y=\"\(y + 13)\" font-size=\"12\">\(esc(row.name))</text>\n"
            s += "<text x=\"8\" y=\"\(y + 25)\" font-size=\"9\" fill=\"#666\">\(esc(row.detail))</text>\n"
            for (i, c) in row.cells.enumerated() {
                let level = LoadLevel(load: c.load, capacity: c.capacity)
                let x = left + i * cell
                let tip = "\(row.name) \(periods.indices.contains(i) ? periods[i] : ""): \(words.load) \(c.load / 100).\(c.load % 100 / 10) / \(words.capacity) \(c.capacity / 100).\(c.capacity % 100 / 10)"
                    + (c.other > 0 ? " (\(words.other) \(c.other / 100).\(c.other % 100 / 10))" : "")
                s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(height - 2)\" fill=\"\(fills[level]!)\"><title>\(esc(tip))</title></rect>\n"
                let text = ratio(load: c.load, capacity: c.capacity)
                if !text.isEmpty {
                    s += "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + 19)\" font-size=\"11\" text-anchor=\"middle\"\(level == .critical ? " fill=\"#fff\"" : "")>\(esc(text))</text>\n"
                }
            }
        }
        let ly = top + max(1, rows.count) * height + 24
        for (i, level) in LoadLevel.allCases.enumerated() {
            let x = 8 + i * 130
            s += "<rect x=\"\(x)\" y=\"\(ly - 11)\" width=\"14\" height=\"14\" fill=\"\(fills[level]!)\" stroke=\"#999\"/>"
            s += "<text x=\"\(x + 20)\" y=\"\(ly)\" font-size=\"11\">\(esc(words.legend[level] ?? level.rawValue))</text>\n"
        }
        return s + "</svg>\n"
    }

    /// One row per resource and period: capacity, load, other projects, in person-days.
    public static func table(rows: [Row], periods: [String], words: Words) -> SpreadsheetTable {
        var out: [[SpreadsheetCell]] = []
        for row in rows {
            for (i, c) in row.cells.enumerated() {
                out.append([.text(row.name), .text(row.detail), .text(periods.indices.contains(i) ? periods[i] : ""),
                            .number(Double(c.capacity) / 100), .number(Double(c.load) / 100), .number(Double(c.other) / 100),
                            .text(ratio(load: c.load, capacity: c.capacity))])
            }
        }
        return SpreadsheetTable(name: words.title, columns: [
            SpreadsheetColumn(title: words.resource, width: 30), SpreadsheetColumn(title: "", width: 30),
            SpreadsheetColumn(title: words.period, width: 12), SpreadsheetColumn(title: words.capacity, kind: .number),
            SpreadsheetColumn(title: words.load, kind: .number), SpreadsheetColumn(title: words.other, kind: .number),
            SpreadsheetColumn(title: "%", width: 8),
        ], rows: out)
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
