import Foundation
import PMOCore

/// Writes a table as CSV for Excel.
public enum CSVWriter {
    /// UTF-8 with BOM (so Excel opens Japanese text correctly), CRLF line ends, RFC 4180 quoting (a field with a
    /// comma, quote, CR or LF is quoted, quotes doubled); header row first; dates ISO yyyy-mm-dd; numbers without
    /// trailing ".0" for integers; booleans TRUE/FALSE. Every line has as many fields as the widest row.
    ///
    /// Formula injection guard: a text cell that starts with = + - @ tab or CR would run as a formula when the file
    /// is opened in a spreadsheet program, so it gets a leading apostrophe ("'=SUM(A1)"), which Excel shows as
    /// text. Text that parses as a plain number ("-5", "+3.2", "1e3") is left alone, since it cannot be a
    /// formula. Text whose leading apostrophes are followed by one of those characters gets one more apostrophe,
    /// so that `CSVReader`, which removes one, gives back exactly the original text.
    public static func write(_ table: SpreadsheetTable) -> Data {
        let width = max(table.columns.count, table.rows.map(\.count).max() ?? 0)
        var out = "\u{FEFF}"
        func line(_ cells: [String]) {
            let padded = cells + Array(repeating: "", count: max(0, width - cells.count))
            out += padded.map(quoted).joined(separator: ",") + "\r\n"
        }
        line(table.columns.map { guarded($0.title) })
        for row in table.rows { line(row.map(field)) }
        return Data(out.utf8)
    }

    static func field(_ cell: SpreadsheetCell) -> String {
        switch cell {
        case .empty: return ""
        case .text(let s): return guarded(TextHygiene.strippingForbidden(s))
        case .number(let x): return SpreadsheetNumberText.format(x)
        case .date(let d): return d.description
        case .bool(let b): return b ? "TRUE" : "FALSE"
        }
    }

    /// Characters that make a spreadsheet program read a cell as a formula.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// True when, after any leading apostrophes, the text starts with a formula character.
    static func needsGuard(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first(where: { $0 != "'" }) else { return false }
        return formulaStarts.contains(first)
    }

    static func guarded(_ s: String) -> String {
        needsGuard(s) && !isPlainNumber(s) ? "'" + s : s
    }

    /// An optional sign, digits with an optional decimal point, an optional exponent; nothing else.
    static func isPlainNumber(_ s: String) -> Bool {
        var bytes = Substring(s).utf8[...]
        if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let n = bytes.prefix { $0 >= 48 && $0 <= 57 }.count
            bytes = bytes.dropFirst(n)
            return n
        }
        var count = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            count += digits()
        }
        guard count > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    static func quoted(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
