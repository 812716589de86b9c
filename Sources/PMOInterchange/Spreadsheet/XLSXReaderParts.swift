import Foundation
import PMOCore

/// Event handlers for the parts the reader needs: workbook, shared strings, styles and worksheets.
enum XLSXReaderParts {
    /// xl/workbook.xml: the sheets in order and the date system.
    final class Workbook: XLSXXMLHandler {
        var sheets: [(name: String, relationshipID: String)] = []
        var date1904 = false

        func start(_ name: String, _ attributes: [String: String]) throws {
            switch name {
            case "workbookPr":
                let value = attributes["date1904"]?.lowercased()
                date1904 = value == "1" || value == "true"
            case "sheet":
                // r:id arrives as "id" once the prefix is dropped.
                if let id = attributes["id"] { sheets.append((attributes["name"] ?? "", id)) }
            default: break
            }
        }
        func end(_ name: String) throws {}
        func text(_ string: String) {}
    }

    /// Collects the text of `<t>` elements in a string item (`<si>` or `<is>`), plain or in rich text runs, and
    /// leaves out phonetic guides (`<rPh>`, the furigana Japanese Excel stores with the text).
    struct StringItem {
        var text = ""
        var inT = false
        var inPhonetic = false

        mutating func start(_ name: String) {
            if name == "t" && !inPhonetic { inT = true }
            if name == "rPh" { inPhonetic = true }
        }
        mutating func end(_ name: String) {
            if name == "t" { inT = false }
            if name == "rPh" { inPhonetic = false }
        }
        mutating func append(_ s: String) { if inT { text += s } }
        var value: String { XLSXParts.decodeEscapes(text) }
    }

    /// xl/sharedStrings.xml.
    final class SharedStrings: XLSXXMLHandler {
        var strings: [String] = []
        var item: StringItem?

        func start(_ name: String, _ attributes: [String: String]) throws {
            if name == "si" { item = StringItem() } else { item?.start(name) }
        }
        func end(_ name: String) throws {
            if name == "si", let item {
                strings.append(item.value)
                self.item = nil
            } else {
                item?.end(name)
            }
        }
        func text(_ string: String) { item?.append(string) }
    }

    /// xl/styles.xml: which cell formats (`s` attribute values) show dates.
    final class Styles: XLSXXMLHandler {
        var formatCodes: [Int: String] = [:]
        var cellFormatIDs: [Int] = []
        var section = ""

        func start(_ name: String, _ attributes: [String: String]) throws {
            switch name {
            case "numFmts", "cellXfs", "cellStyleXfs", "dxfs": section = name
            case "numFmt" where section == "numFmts":
                if let id = attributes["numFmtId"].flatMap({ Int($0) }) { formatCodes[id] = attributes["formatCode"] }
            case "xf" where section == "cellXfs":
                cellFormatIDs.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
            default: break
            }
        }
        func end(_ name: String) throws {
            if name == section { section = "" }
        }
        func text(_ string: String) {}

        /// Indices into cellXfs whose number format is a date.
        var dateStyles: Set<Int> {
            Set(cellFormatIDs.indices.filter { XLSXDate.isDateFormat(id: cellFormatIDs[$0], code: formatCodes[cellFormatIDs[$0]]) })
        }
    }

    /// One worksheet: every cell with a value, addressed by its reference.
    final class Worksheet: XLSXXMLHandler {
        let part: String
        let sheetName: String
        let sharedStrings: [String]
        let dateStyles: Set<Int>
        let date1904: Bool
        let maxRows: Int
        let maxColumns: Int
        /// Rows × columns read at most (a full-width export of 10,000 items is 250,000).
        let maxCells = 2_000_000

        /// Cells with a value by row, then column (both 0-based).
        var cells: [Int: [Int: SpreadsheetCell]] = [:]
        var rowCount = 0
        var columnCount = 0

        var inSheetData = false
        var row = -1
        var nextColumn = 0
        // The open <c>.
        var cell: (row: Int, column: Int, type: String, style: Int)?
        var value: String?
        var inValue = false
        var inline: StringItem?

        init(part: String, sheetName: String, sharedStrings: [String], dateStyles: Set<Int>, date1904: Bool,
            maxRows: Int, maxColumns: Int)
        {
            self.part = part
            self.sheetName = sheetName
            self.sharedStrings = sharedStrings
            self.dateStyles = dateStyles
            self.date1904 = date1904
            self.maxRows = maxRows
            self.maxColumns = maxColumns
        }

        func start(_ name: String, _ attributes: [String: String]) throws {
            if name == "sheetData" { inSheetData = true; return }
            guard inSheetData else { return }
            switch name {
            case "row":
                if let r = attributes["r"] {
                    guard let n = Int(r), n >= 1 else { throw malformed("has a row numbered \"\(r)\"") }
                    row = n - 1
                } else {
                    row += 1
                }
                nextColumn = 0
            case "c":
                var column = nextColumn
                var cellRow = max(row, 0)
                if let ref = attributes["r"] {
                    guard let parsed = Self.reference(ref) else { throw malformed("has a cell reference \"\(ref)\"") }
                    (column, cellRow) = parsed
                }
                nextColumn = column + 1
                cell = (cellRow, column, attributes["t"] ?? "n", attributes["s"].flatMap { Int($0) } ?? 0)
                value = nil
                inline = nil
            case "v":
                inValue = cell != nil
                value = ""
            case "is":
                inline = StringItem()
            default:
                inline?.start(name)
            }
        }

        func end(_ name: String) throws {
            switch name {
            case "sheetData": inSheetData = false
            case "v": inValue = false
            case "is": break
            case "c":
                if let cell {
                    let resolved = try resolve(type: cell.type, style: cell.style)
                    if resolved != .empty { try store(resolved, row: cell.row, column: cell.column) }
                }
                cell = nil
            default: inline?.end(name)
            }
        }

        func text(_ string: String) {
            if inValue { value? += string } else { inline?.append(string) }
        }

        /// The value of the closed cell from its type (`t`), style (`s`), `<v>` and inline string.
        func resolve(type: String, style: Int) throws -> SpreadsheetCell {
            switch type {
            case "inlineStr":
                let text = inline?.value ?? value ?? ""
                return text.isEmpty ? .empty : .text(text)
            case "s":
                guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return .empty }
                guard let i = Int(v), sharedStrings.indices.contains(i) else {
                    throw malformed("refers to shared string \(v), which xl/sharedStrings.xml does not have")
                }
                return sharedStrings[i].isEmpty ? .empty : .text(sharedStrings[i])
            case "str", "e":  // a formula's text result; an error such as #N/A
                guard let v = value, !v.isEmpty else { return .empty }
                return .text(XLSXParts.decodeEscapes(v))
            case "b":
                guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return .empty }
                return .bool(v == "1" || v.lowercased() == "true")
            case "d":  // ISO 8601 date (openpyxl's iso_dates, strict OOXML)
                guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return .empty }
                if let date = CivilDate(iso: v.prefix(10)) { return .date(date) }
                return .text(v)
            default:
                guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return .empty }
                guard let x = Double(v) else { throw malformed("has a number cell holding \"\(v.prefix(40))\"") }
                if dateStyles.contains(style), let date = XLSXDate.date(fromSerial: x, date1904: date1904) {
                    return .date(date)
                }
                return .number(x)
            }
        }

        func store(_ value: SpreadsheetCell, row: Int, column: Int) throws {
            // Limits apply to cells with values only: Excel often writes styled empty cells out to column XFD.
            guard row < maxRows else {
                throw SpreadsheetError.tooLarge(
                    "The sheet \"\(sheetName)\" has data in row \(row + 1); at most \(maxRows) rows can be read.")
            }
            guard column < maxColumns else {
                throw SpreadsheetError.tooLarge(
                    "The sheet \"\(sheetName)\" has data in column \(SpreadsheetColumnName.letters(column)); "
                        + "at most \(maxColumns) columns can be read.")
            }
            cells[row, default: [:]][column] = value
            rowCount = max(rowCount, row + 1)
            columnCount = max(columnCount, column + 1)
            // The rows are made dense for reading: a sheet with one cell at GR100000 would be 20 million cells.
            guard rowCount * columnCount <= maxCells else {
                throw SpreadsheetError.tooLarge(
                    "The sheet \"\(sheetName)\" spans \(rowCount) rows by \(columnCount) columns; at most \(maxCells) cells can be read. Delete the empty rows and columns around the data.")
            }
        }

        /// Dense rows, all `columnCount` wide, up to the last row with a value.
        var rows: [[SpreadsheetCell]] {
            (0..<rowCount).map { r in
                var line = [SpreadsheetCell](repeating: .empty, count: columnCount)
                for (c, value) in cells[r] ?? [:] { line[c] = value }
                return line
            }
        }

        func malformed(_ detail: String) -> SpreadsheetError {
            SpreadsheetError.malformed(part: "\(part) (sheet \"\(sheetName)\")", detail)
        }

        /// "C7" → (column 2, row 6); nil when not letters then a row number.
        static func reference(_ ref: String) -> (column: Int, row: Int)? {
            let utf8 = ref.utf8
            let letterCount = utf8.prefix { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 }.count
            guard let column = SpreadsheetColumnName.index(String(ref.prefix(letterCount))),
                let row = Int(Substring(ref).dropFirst(letterCount)), row >= 1
            else { return nil }
            return (column, row - 1)
        }
    }
}
