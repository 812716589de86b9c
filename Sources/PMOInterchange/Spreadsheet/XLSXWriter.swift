import Foundation
import PMOCore
import ZIPFoundation

/// Writes tables as an Excel workbook (.xlsx).
public enum XLSXWriter {
    /// A real workbook: one sheet per table; bold header row; first row frozen (pane ySplit=1, state frozen); column
    /// widths set (<cols>); autofilter on the header; dates written as serial numbers with a date number format
    /// (yyyy-mm-dd) so Excel shows them as dates; numbers as numbers; text as shared strings (XML-escaped,
    /// Japanese intact; characters illegal in XML 1.0 are dropped); longText columns wrap text. Valid for Excel,
    /// LibreOffice and openpyxl.
    ///
    /// Details: `.text("")` is written as an empty cell. Non-finite numbers and dates before 1900-03-01 (which Excel
    /// cannot show as dates) are written as text. The same tables always give the same bytes.
    /// Throws "spreadsheet.no_sheet" for no tables, "spreadsheet.too_large" past Excel's grid (1,048,576 rows,
    /// 16,384 columns).
    public static func write(_ tables: [SpreadsheetTable]) throws -> Data {
        guard !tables.isEmpty else {
            throw SpreadsheetError(
                code: "spreadsheet.no_sheet", message: "There is nothing to export: the workbook would have no sheets.")
        }
        for table in tables {
            let width = max(table.columns.count, table.rows.map(\.count).max() ?? 0)
            if table.rows.count + 1 > 1_048_576 || width > 16_384 {
                throw SpreadsheetError(
                    code: "spreadsheet.too_large",
                    message: "The table \"\(table.name)\" is larger than an Excel sheet (1,048,576 rows, 16,384 "
                        + "columns). Export fewer rows, or export CSV instead.")
            }
        }
        var strings = SharedStrings()
        let names = XLSXParts.sheetNames(tables.map(\.name))
        var sheets: [String] = []
        var filterRanges: [String?] = []
        for (i, table) in tables.enumerated() {
            let sheet = worksheet(table, selected: i == 0, strings: &strings)
            sheets.append(sheet.xml)
            filterRanges.append(sheet.filterRange)
        }

        var parts: [(String, String)] = [
            ("[Content_Types].xml", XLSXParts.contentTypes(sheetCount: tables.count)),
            ("_rels/.rels", XLSXParts.rootRels),
            ("docProps/app.xml", XLSXParts.appProperties),
            ("xl/workbook.xml", XLSXParts.workbook(sheetNames: names, filterRanges: filterRanges)),
            ("xl/_rels/workbook.xml.rels", XLSXParts.workbookRels(sheetCount: tables.count)),
            ("xl/styles.xml", XLSXParts.styles),
            ("xl/sharedStrings.xml", XLSXParts.sharedStrings(strings.list, references: strings.references)),
        ]
        for (i, xml) in sheets.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", xml)) }
        return try zip(parts)
    }

    /// Distinct strings in first-use order; cells refer to them by index.
    struct SharedStrings {
        var list: [String] = []
        // Keyed by bytes: String equality is canonical equivalence, which would merge "が" with "か\u{3099}" and
        // change one cell's text into the other's form.
        var index: [[UInt8]: Int] = [:]
        var references = 0

        mutating func add(_ s: String) -> Int {
            references += 1
            let key = Array(s.utf8)
            if let i = index[key] { return i }
            list.append(s)
            index[key] = list.count - 1
            return list.count - 1
        }
    }

    /// One worksheet part, and its autofilter range when it has a header.
    static func worksheet(_ table: SpreadsheetTable, selected: Bool, strings: inout SharedStrings)
        -> (xml: String, filterRange: String?)
    {
        let columnCount = max(table.columns.count, table.rows.map(\.count).max() ?? 0)
        let lastRow = table.rows.count + 1
        let lastColumn = SpreadsheetColumnName.letters(max(columnCount, 1) - 1)
        let filterRange = table.columns.isEmpty
            ? nil : "A1:\(SpreadsheetColumnName.letters(table.columns.count - 1))\(lastRow)"

        var xml = XLSXParts.header
        xml += #"<worksheet xmlns="\#(XLSXParts.mainNS)" xmlns:r="\#(XLSXParts.relNS)">"#
        xml += #"<dimension ref="A1:\#(lastColumn)\#(lastRow)"/>"#
        // Frozen header: the pane starts at row 2 and keeps row 1 in view.
        xml += #"<sheetViews><sheetView workbookViewId="0"\#(selected ? #" tabSelected="1""# : "")>"#
        xml += #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        xml += #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#
        xml += #"<sheetFormatPr defaultRowHeight="15"/>"#
        if !table.columns.isEmpty {
            xml += "<cols>"
            for (i, column) in table.columns.enumerated() {
                let width = SpreadsheetNumberText.format(XLSXParts.width(of: column))
                xml += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(width)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        let wrapped = table.columns.map { $0.kind == .longText }
        let money = table.columns.map { $0.kind == .money }
        let letters = (0..<columnCount).map(SpreadsheetColumnName.letters)
        xml += "<sheetData>"
        var header = ""
        for (i, column) in table.columns.enumerated() where !column.title.isEmpty {
            let s = strings.add(column.title)
            header += #"<c r="\#(letters[i])1" s="\#(XLSXParts.Style.header)" t="s"><v>\#(s)</v></c>"#
        }
        if !header.isEmpty { xml += #"<row r="1">"# + header + "</row>" }
        for (r, row) in table.rows.enumerated() {
            let rowNumber = r + 2
            var cells = ""
            for (i, cell) in row.enumerated() {
                let ref = letters[i] + String(rowNumber)
                let textStyle = i < wrapped.count && wrapped[i] ? XLSXParts.Style.wrapped : XLSXParts.Style.normal
                cells += self.cell(cell, ref: ref, textStyle: textStyle, numberStyle: i < money.count && money[i] ? XLSXParts.Style.money : nil,
                                   strings: &strings)
            }
            // Rows without values are left out, as Excel does; the reader places rows by their number.
            if !cells.isEmpty { xml += #"<row r="\#(rowNumber)">"# + cells + "</row>" }
        }
        xml += "</sheetData>"
        if let filterRange { xml += #"<autoFilter ref="\#(filterRange)"/>"# }
        xml += #"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#
        xml += "</worksheet>"
        return (xml, filterRange)
    }

    /// One `<c>` element; "" for an empty cell.
    static func cell(_ cell: SpreadsheetCell, ref: String, textStyle: Int, numberStyle: Int? = nil, strings: inout SharedStrings) -> String {
        func textCell(_ s: String) -> String {
            guard !s.isEmpty else { return "" }
            let style = textStyle == XLSXParts.Style.normal ? "" : #" s="\#(textStyle)""#
            return #"<c r="\#(ref)"\#(style) t="s"><v>\#(strings.add(s))</v></c>"#
        }
        switch cell {
        case .empty:
            return ""
        case .text(let s):
            return textCell(s)
        case .number(let x):
            guard x.isFinite else { return textCell("\(x)") }
            let style = numberStyle.map { #" s="\#($0)""# } ?? ""
            return #"<c r="\#(ref)"\#(style)><v>\#(SpreadsheetNumberText.format(x))</v></c>"#
        case .date(let d):
            guard let serial = XLSXDate.serial(of: d) else { return textCell(d.description) }
            return #"<c r="\#(ref)" s="\#(XLSXParts.Style.date)"><v>\#(serial)</v></c>"#
        case .bool(let b):
            return #"<c r="\#(ref)" t="b"><v>\#(b ? 1 : 0)</v></c>"#
        }
    }

    /// A fixed timestamp for every entry, so the same workbook gives the same bytes.
    static let entryDate = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01

    static func zip(_ parts: [(String, String)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: entryDate,
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
            }
        }
        guard let data = archive.data else {
            throw SpreadsheetError(code: "spreadsheet.malformed", message: "The workbook could not be assembled.")
        }
        return data
    }
}
