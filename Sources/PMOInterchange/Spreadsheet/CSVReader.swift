import Foundation

/// Reads CSV files as saved by Excel, LibreOffice and `CSVWriter`.
public enum CSVReader {
    /// Most bytes one upload may have.
    public static let maxInputBytes = 20 * 1024 * 1024

    /// RFC 4180 (quoted fields with commas, quotes and newlines); strips a UTF-8 BOM; accepts LF, CRLF or CR line
    /// ends; if the bytes are not valid UTF-8, decodes them as Shift_JIS (Excel's default for "CSV" in Japanese
    /// Windows), else throws "csv.encoding". An unclosed quote throws "csv.malformed" naming the line where the
    /// field starts. Lenient like Excel elsewhere: text after a closing quote is kept, a quote inside an unquoted
    /// field is literal.
    ///
    /// Returns every cell as `.text` (or `.empty` for ""), first row = header, in a sheet named "" whose rows are
    /// padded to the same width, with trailing empty rows and trailing all-empty columns dropped.
    /// Undoes `CSVWriter`'s formula guard: one leading apostrophe is removed from text whose apostrophes are
    /// followed by = + - @ tab or CR.
    /// Files over 20 MB, or with more than 100,000 rows or 200 columns holding values, throw
    /// "spreadsheet.too_large" (the same limits as `XLSXReader`).
    public static func read(_ data: Data) throws -> SpreadsheetSheet {
        guard data.count <= maxInputBytes else {
            throw SpreadsheetError.tooLarge("The file is \(data.count / 1_048_576) MB; at most 20 MB can be uploaded.")
        }
        let text = try decode(data)
        let rows = try parse(text)
        // Trailing all-empty columns carry nothing (Excel leaves them after cleared cells).
        let width = rows.map { row in (row.lastIndex { !$0.isEmpty } ?? -1) + 1 }.max() ?? 0
        let cells = rows.map { row in
            (0..<width).map { i -> SpreadsheetCell in
                guard i < row.count, !row[i].isEmpty else { return .empty }
                return .text(unguarded(row[i]))
            }
        }
        return SpreadsheetSheet(name: "", rows: cells)
    }

    /// UTF-8 (BOM removed), else Shift_JIS.
    static func decode(_ data: Data) throws -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        // Foundation's Shift_JIS on Linux is the Windows code page 932 (NEC and IBM extensions, e.g. ①, 髙).
        if let text = String(data: Data(bytes), encoding: .shiftJIS) { return text }
        throw SpreadsheetError(
            code: "csv.encoding",
            message: "The file's text encoding is neither UTF-8 nor Shift_JIS. In Excel use Save As, "
                + "\"CSV UTF-8 (Comma delimited)\", and upload it again.")
    }

    /// Removes the writer's formula guard: "'=x" → "=x", "''=x" → "'=x".
    static func unguarded(_ s: String) -> String {
        s.hasPrefix("'") && CSVWriter.needsGuard(s) ? String(s.dropFirst()) : s
    }

    /// Splits text into records of fields, working on UTF-8 bytes (the delimiters are ASCII, which never occur
    /// inside a multi-byte character). Trailing empty records are dropped. The row and column limits are checked
    /// while parsing, and empty fields past the column limit are not kept, so memory stays bounded.
    static func parse(_ text: String) throws -> [[String]] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var rows: [[String]] = []
        var pendingEmptyRows = 0  // empty records not yet known to be followed by data
        var row: [String] = []
        var field: [UInt8] = []
        var line = 1
        var fieldLine = 1  // line where the current field began
        var inQuotes = false
        var afterQuote = false  // a quoted field was closed: its text may continue until the delimiter
        var atFieldStart = true
        var previousCR = false

        func endField() throws {
            if !field.isEmpty && row.count >= XLSXReader.maxColumns {
                throw SpreadsheetError.tooLarge(
                    "Line \(fieldLine) has a value in column \(row.count + 1); at most \(XLSXReader.maxColumns) columns can be read.")
            }
            if !field.isEmpty || row.count < XLSXReader.maxColumns {
                row.append(String(decoding: field, as: UTF8.self))
            }
            field.removeAll(keepingCapacity: true)
            atFieldStart = true
            afterQuote = false
            fieldLine = line
        }
        func endRow() throws {
            try endField()
            if row.allSatisfy({ $0.isEmpty }) {
                pendingEmptyRows += 1
            } else {
                guard rows.count + pendingEmptyRows < XLSXReader.maxRows else {
                    throw SpreadsheetError.tooLarge(
                        "The file has more than \(XLSXReader.maxRows) rows; at most \(XLSXReader.maxRows) can be read.")
                }
                rows.append(contentsOf: Array(repeating: [""], count: pendingEmptyRows))
                pendingEmptyRows = 0
                rows.append(row)
            }
            row = []
        }

        for byte in text.utf8 {
            defer { previousCR = byte == cr }
            if inQuotes {
                if byte == quote {
                    inQuotes = false
                    afterQuote = true
                } else {
                    if byte == lf && !previousCR || byte == cr { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where afterQuote:
                // "" inside a quoted field: a literal quote, and the quoted text goes on.
                field.append(quote)
                inQuotes = true
                afterQuote = false
            case quote where atFieldStart:
                inQuotes = true
                atFieldStart = false
            case comma:
                try endField()
            case lf where previousCR:
                break  // the LF of a CRLF: the record already ended at the CR
            case lf, cr:
                line += 1
                try endRow()
            default:
                field.append(byte)
                atFieldStart = false
                afterQuote = false
            }
        }
        if inQuotes {
            throw SpreadsheetError(
                code: "csv.malformed",
                message: "Line \(fieldLine): a quoted field is not closed (a closing \" is missing), so the rest of "
                    + "the file would be read as one cell. Fix the quotes in the cell that starts on line \(fieldLine), "
                    + "or save the file again from Excel as CSV UTF-8.")
        }
        // The last record, unless the text ended with a line break (or is empty).
        if !field.isEmpty || !row.isEmpty || !atFieldStart { try endRow() }
        return rows
    }
}
