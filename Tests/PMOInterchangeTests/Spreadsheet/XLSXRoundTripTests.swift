import Foundation
import PMOCore
import Testing

@testable import PMOInterchange

/// XLSXWriter → XLSXReader.
@Suite struct XLSXRoundTripTests {
    static let d = SpreadsheetTestSupport.date

    /// Issues and a second sheet, with every kind of value and the awkward texts.
    static let tables = [
        SpreadsheetTable(
            name: "課題",
            columns: [
                SpreadsheetColumn(title: "ID", kind: .integer), SpreadsheetColumn(title: "件名"),
                SpreadsheetColumn(title: "詳細", kind: .longText), SpreadsheetColumn(title: "見積", kind: .number),
                SpreadsheetColumn(title: "期限", kind: .date), SpreadsheetColumn(title: "完了", kind: .bool, width: 9.5),
            ],
            rows: [
                [.number(1), .text("結合テスト遅延"), .text("line1\nline2\r\nline3"), .number(3.5), .date(d("2026-11-21")), .bool(false)],
                [.number(2), .text(#"XML <&>"' specials"#), .empty, .number(-0.125), .empty, .bool(true)],
                [.number(3), .text("  padded  "), .text("tab\there ]]> end"), .number(1e-7), .date(d("1900-03-01")), .empty],
                [.number(1_234_567_890_123), .text("_x0041_ literal"), .text(" "), .number(1.5e20), .date(d("9999-12-31")), .bool(false)],
            ]),
        SpreadsheetTable(name: "Second", columns: [SpreadsheetColumn(title: "A")], rows: [[.text("x")], [.empty], [.text("y")]]),
    ]

    static func header(_ titles: String...) -> [SpreadsheetCell] { titles.map { .text($0) } }

    @Test func everyKindOfValueComesBack() throws {
        let sheets = try XLSXReader.read(try XLSXWriter.write(Self.tables))
        #expect(sheets.map(\.name) == ["課題", "Second"])
        let expected: [[SpreadsheetCell]] = [Self.header("ID", "件名", "詳細", "見積", "期限", "完了")] + Self.tables[0].rows
        #expect(sheets[0].rows == expected)
        #expect(sheets[1].rows == [[.text("A")], [.text("x")], [.empty], [.text("y")]])
    }

    @Test func emptyCellsInTheMiddleStayInPlace() throws {
        let table = SpreadsheetTable(
            name: "Sparse", columns: ["a", "b", "c", "d"].map { SpreadsheetColumn(title: $0) },
            rows: [[.empty, .text("b2"), .empty, .number(4)], [], [.text("a4")], [.empty, .empty, .bool(true)]])
        let sheet = try #require(try XLSXReader.read(try XLSXWriter.write([table])).first)
        #expect(sheet.rows == [
            Self.header("a", "b", "c", "d"),
            [.empty, .text("b2"), .empty, .number(4)],
            [.empty, .empty, .empty, .empty],
            [.text("a4"), .empty, .empty, .empty],
            [.empty, .empty, .bool(true), .empty],
        ])
    }

    @Test func trailingEmptyRowsAreDropped() throws {
        let table = SpreadsheetTable(name: "T", columns: [SpreadsheetColumn(title: "a")], rows: [[.text("x")], [.empty], []])
        let sheet = try #require(try XLSXReader.read(try XLSXWriter.write([table])).first)
        #expect(sheet.rows == [[.text("a")], [.text("x")]])
    }

    @Test func whatXMLOrExcelCannotHoldIsWrittenSafely() throws {
        let table = SpreadsheetTable(
            name: "odd/name?", columns: [SpreadsheetColumn(title: "v")],
            rows: [
                [.text("a\u{1}b\u{FFFE}c\u{0}")],  // control characters XML 1.0 cannot hold are dropped
                [.text("")],  // written as an empty cell
                [.number(.nan)], [.number(.infinity)],  // no such numbers in a workbook: written as text
                [.date(Self.d("1899-12-31"))],  // before Excel's calendar: written as ISO text
                [.text("絵文字 🙂 and 𠮷")],
            ])
        let sheet = try #require(try XLSXReader.read(try XLSXWriter.write([table])).first)
        #expect(sheet.name == "odd_name_")
        #expect(sheet.rows == [
            [.text("v")], [.text("abc")], [.empty], [.text("nan")], [.text("inf")], [.text("1899-12-31")],
            [.text("絵文字 🙂 and 𠮷")],
        ])
    }

    @Test func canonicallyEquivalentTextsKeepTheirOwnForm() throws {
        // Swift's == treats these as equal; the shared string table must not merge them.
        let composed = "が", decomposed = "か\u{3099}"
        let table = SpreadsheetTable(name: "T", columns: [SpreadsheetColumn(title: "x")], rows: [[.text(composed)], [.text(decomposed)]])
        let rows = try #require(try XLSXReader.read(try XLSXWriter.write([table])).first).rows
        guard case .text(let first) = rows[1][0], case .text(let second) = rows[2][0] else {
            Issue.record("expected text cells, got \(rows)")
            return
        }
        #expect(Array(first.unicodeScalars) == Array(composed.unicodeScalars))
        #expect(Array(second.unicodeScalars) == Array(decomposed.unicodeScalars))
    }

    @Test func sheetNamesAreSanitisedAndUnique() throws {
        let tables = ["Issues", "issues", "a[b]c", String(repeating: "長", count: 40)].map {
            SpreadsheetTable(name: $0, columns: [SpreadsheetColumn(title: "x")], rows: [])
        }
        let names = try XLSXReader.read(try XLSXWriter.write(tables)).map(\.name)
        #expect(names == ["Issues", "issues (2)", "a_b_c", String(repeating: "長", count: 31)])
    }

    @Test func sameTablesGiveSameBytes() throws {
        #expect(try XLSXWriter.write(Self.tables) == XLSXWriter.write(Self.tables))
    }

    @Test func noTablesIsAnError() {
        let error = SpreadsheetTestSupport.error { _ = try XLSXWriter.write([]) }
        #expect(error?.code == "spreadsheet.no_sheet")
    }

    @Test func aTableWithoutColumnsStillMakesAValidSheet() throws {
        let sheets = try XLSXReader.read(
            try XLSXWriter.write([SpreadsheetTable(name: "Empty", columns: [], rows: [])]))
        #expect(sheets == [SpreadsheetSheet(name: "Empty", rows: [])])
    }

    @Test func rowsLongerThanTheColumnsKeepTheirCells() throws {
        let table = SpreadsheetTable(name: "T", columns: [SpreadsheetColumn(title: "a")], rows: [[.text("1"), .text("2")]])
        let sheet = try #require(try XLSXReader.read(try XLSXWriter.write([table])).first)
        #expect(sheet.rows == [[.text("a"), .empty], [.text("1"), .text("2")]])
    }

    @Test func manyRowsRoundTrip() throws {
        let rows: [[SpreadsheetCell]] = (0..<5_000).map { i in
            [.number(Double(i)), .text("課題 \(i % 97)"), .date(Self.d("2026-01-01").adding(days: i % 400))]
        }
        let table = SpreadsheetTable(
            name: "Big",
            columns: [SpreadsheetColumn(title: "n", kind: .integer), SpreadsheetColumn(title: "t"), SpreadsheetColumn(title: "d", kind: .date)],
            rows: rows)
        let sheet = try #require(try XLSXReader.read(try XLSXWriter.write([table])).first)
        #expect(sheet.rows.count == 5_001)
        #expect(Array(sheet.rows.dropFirst()) == rows)
    }
}
