import Foundation
import PMOCore

/// Reads Excel workbooks (.xlsx).
public enum XLSXReader {
    /// Most rows read from one sheet (the header included).
    public static let maxRows = 100_000
    /// Most columns read from one sheet.
    public static let maxColumns = 200

    /// Reads every sheet in workbook order. Resolves shared strings, inline strings, rich text runs, numbers,
    /// booleans, formulas' cached values, and numbers whose style is a date format (built-in numFmtId 14–17, 22,
    /// 27–36, 50–58 and custom formats containing y/m/d and not only h/m/s) as `.date`. Time-only formats (built-in
    /// 18–21, 45–47) stay numbers (fractions of a day). Error cells (#N/A...) are `.text`; empty strings and
    /// formulas without a cached value are `.empty`; Japanese phonetic guides (furigana) are left out.
    ///
    /// Cells are addressed by reference (e.g. "C7"), so skipped cells become `.empty`. Limits: input ≤ 20 MB, total
    /// uncompressed ≤ 100 MB (zip bomb guard, checked on the declared sizes before extracting and again while
    /// extracting), values in at most 100,000 rows and 200 columns (styled empty cells beyond are ignored).
    /// Data that is not a zip, or a zip without xl/workbook.xml, throws "spreadsheet.not_xlsx"; other codes:
    /// "spreadsheet.too_large", "spreadsheet.malformed" (the message names the part), "spreadsheet.no_sheet".
    public static func read(_ data: Data) throws -> [SpreadsheetSheet] {
        let package = try XLSXPackage(data: data)
        // The package root names the workbook part; xl/workbook.xml is where every producer puts it.
        let rootTarget = try package.relationships(of: "").first { $0.type.hasSuffix("/officeDocument") }?.target
        let workbookPath = rootTarget.flatMap { package.contains($0) ? $0 : nil } ?? "xl/workbook.xml"
        guard let workbookData = try package.part(workbookPath) else {
            throw SpreadsheetError.notXLSX("The file is a zip archive but not an Excel workbook (.xlsx).")
        }
        let workbook = XLSXReaderParts.Workbook()
        try XLSXXML.parse(workbookData, part: workbookPath, into: workbook)
        let relationships = try package.relationships(of: workbookPath)
        let dir = workbookPath.lastIndex(of: "/").map { String(workbookPath[...$0]) } ?? ""

        func relatedPart(_ typeSuffix: String, fallback: String) -> String {
            relationships.first { $0.type.hasSuffix(typeSuffix) }?.target ?? dir + fallback
        }
        var sharedStrings: [String] = []
        let stringsPath = relatedPart("/sharedStrings", fallback: "sharedStrings.xml")
        if let stringsData = try package.part(stringsPath) {
            let handler = XLSXReaderParts.SharedStrings()
            try XLSXXML.parse(stringsData, part: stringsPath, into: handler)
            sharedStrings = handler.strings
        }
        var dateStyles: Set<Int> = []
        let stylesPath = relatedPart("/styles", fallback: "styles.xml")
        if let stylesData = try package.part(stylesPath) {
            let handler = XLSXReaderParts.Styles()
            try XLSXXML.parse(stylesData, part: stylesPath, into: handler)
            dateStyles = handler.dateStyles
        }

        var sheets: [SpreadsheetSheet] = []
        for sheet in workbook.sheets {
            guard let relationship = relationships.first(where: { $0.id == sheet.relationshipID }) else {
                throw SpreadsheetError.malformed(
                    part: workbookPath, "lists sheet \"\(sheet.name)\" without a matching relationship")
            }
            // Chart sheets and dialog sheets hold no cells.
            guard relationship.type.hasSuffix("/worksheet") || relationship.type.isEmpty else { continue }
            guard let sheetData = try package.part(relationship.target) else {
                throw SpreadsheetError.malformed(part: relationship.target, "is missing (sheet \"\(sheet.name)\")")
            }
            let handler = XLSXReaderParts.Worksheet(
                part: relationship.target, sheetName: sheet.name, sharedStrings: sharedStrings,
                dateStyles: dateStyles, date1904: workbook.date1904, maxRows: maxRows, maxColumns: maxColumns)
            try XLSXXML.parse(sheetData, part: relationship.target, into: handler)
            sheets.append(SpreadsheetSheet(name: sheet.name, rows: handler.rows))
        }
        guard !sheets.isEmpty else {
            throw SpreadsheetError(
                code: "spreadsheet.no_sheet",
                message: "The workbook has no worksheets. Add a sheet with the data, save it and upload it again.")
        }
        return sheets
    }
}
