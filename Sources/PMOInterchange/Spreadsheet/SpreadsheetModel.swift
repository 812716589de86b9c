import Foundation
import PMOCore

/// One cell value, as written to or read from a spreadsheet.
public enum SpreadsheetCell: Sendable, Equatable {
    /// No value (a skipped cell, an empty CSV field, a formula without a cached value).
    case empty
    /// Text, kept exactly (line breaks included).
    case text(String)
    /// A number (integers are numbers too).
    case number(Double)
    /// A calendar date; in a workbook a serial number with a date format.
    case date(CivilDate)
    /// TRUE or FALSE.
    case bool(Bool)
}

/// A column of a table to be written: its header title, the kind of values it holds and its width.
public struct SpreadsheetColumn: Sendable, Equatable {
    /// What the column holds; chooses the default width and, for `longText`, wrapped cells; `money` numbers are
    /// shown with grouped digits (`#,##0`).
    public enum Kind: Sendable, Equatable { case text, longText, number, integer, money, date, bool }

    /// The header text (row 1).
    public var title: String
    /// What the column holds.
    public var kind: Kind
    /// Width in Excel character units; nil = chosen from kind and title.
    public var width: Double?

    /// A column; the width is chosen from `kind` and `title` unless given.
    public init(title: String, kind: Kind = .text, width: Double? = nil) {
        self.title = title
        self.kind = kind
        self.width = width
    }
}

/// A table to be written: a header row from `columns`, then `rows`.
public struct SpreadsheetTable: Sendable, Equatable {
    /// Sheet name (sanitised on write: max 31 chars, no `[]:*?/\`, unique within the workbook).
    public var name: String
    /// The columns, in order; their titles form the header row.
    public var columns: [SpreadsheetColumn]
    /// Data rows; a row may be shorter than `columns` (the rest is empty) or longer (extra cells are text columns).
    public var rows: [[SpreadsheetCell]]

    /// A table.
    public init(name: String, columns: [SpreadsheetColumn], rows: [[SpreadsheetCell]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

/// A sheet as read: all rows including the header row, each padded to the same width, trailing empty rows dropped.
///
/// Columns that are empty in every row at the right-hand edge are dropped too, so the width is that of the widest
/// row holding a value.
public struct SpreadsheetSheet: Sendable, Equatable {
    /// The sheet name (a CSV file has no name: "").
    public var name: String
    /// Every row, header first, all of the same length.
    public var rows: [[SpreadsheetCell]]

    /// A sheet.
    public init(name: String, rows: [[SpreadsheetCell]]) {
        self.name = name
        self.rows = rows
    }
}

/// Why a spreadsheet or CSV file cannot be read: a stable code and a message for end users.
public struct SpreadsheetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable id: "spreadsheet.not_xlsx", "spreadsheet.too_large", "spreadsheet.malformed", "spreadsheet.no_sheet",
    /// "csv.malformed", "csv.encoding".
    public var code: String
    /// What was wrong and how to fix it, for end users.
    public var message: String

    /// An error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension SpreadsheetError {
    static func notXLSX(_ detail: String = "The file is not an Excel workbook (.xlsx).") -> SpreadsheetError {
        SpreadsheetError(
            code: "spreadsheet.not_xlsx",
            message: detail + " Save it as .xlsx or CSV UTF-8 and upload it again.")
    }

    static func tooLarge(_ detail: String) -> SpreadsheetError {
        SpreadsheetError(
            code: "spreadsheet.too_large",
            message: detail + " Split the data into smaller files, or delete unused rows, columns and sheets, and upload again.")
    }

    static func malformed(part: String, _ detail: String) -> SpreadsheetError {
        SpreadsheetError(
            code: "spreadsheet.malformed",
            message: "The workbook is damaged: \(part) \(detail). Open it in Excel or LibreOffice, save it again as .xlsx "
                + "(or as CSV UTF-8) and upload it again.")
    }
}

/// Excel column letters: "A", "B", ..., "Z", "AA" for 0-based column index; and the reverse.
public enum SpreadsheetColumnName {
    /// Letters of a 0-based column index: 0 → "A", 25 → "Z", 26 → "AA"; "" for a negative index.
    public static func letters(_ index: Int) -> String {
        guard index >= 0 else { return "" }
        var n = index + 1  // bijective base 26: there is no zero digit
        var scalars: [Unicode.Scalar] = []
        while n > 0 {
            let r = (n - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(65 + r)))
            n = (n - 1) / 26
        }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }

    /// The 0-based index of column letters ("A" → 0, "aa" → 26); nil when empty, not letters, or past "XFD"
    /// (Excel's last column).
    public static func index(_ letters: String) -> Int? {
        guard !letters.isEmpty, letters.utf8.count <= 3 else { return nil }
        var n = 0
        for byte in letters.utf8 {
            switch byte {
            case 65...90: n = n * 26 + Int(byte - 64)
            case 97...122: n = n * 26 + Int(byte - 96)
            default: return nil
            }
        }
        return n <= 16_384 ? n - 1 : nil
    }
}

/// Number text shared by the writers.
enum SpreadsheetNumberText {
    /// Integers without a fraction ("3", not "3.0"); other values in the shortest form that reads back exactly.
    static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
