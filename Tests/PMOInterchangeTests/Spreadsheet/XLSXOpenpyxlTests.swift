import Foundation
import PMOCore
import Testing

@testable import PMOInterchange

/// Checks against a real reader and writer: openpyxl, through scripts/xlsx_tool.py. These fail (never skip) when
/// python3 or openpyxl is missing.
@Suite struct XLSXOpenpyxlTests {
    typealias Support = SpreadsheetTestSupport
    static let d = SpreadsheetTestSupport.date

    @Test func openpyxlReadsOurWorkbookAsExcelWould() throws {
        let xlsx = try XLSXWriter.write(XLSXRoundTripTests.tables)
        // For opening by hand in Excel or LibreOffice: PMO_XLSX_EXPORT_DIR=/some/dir swift test --filter Openpyxl
        if let dir = ProcessInfo.processInfo.environment["PMO_XLSX_EXPORT_DIR"] {
            try xlsx.write(to: URL(fileURLWithPath: dir).appendingPathComponent("pmo-sample.xlsx"))
            try CSVWriter.write(XLSXRoundTripTests.tables[0]).write(to: URL(fileURLWithPath: dir).appendingPathComponent("pmo-sample.csv"))
        }
        let dump = try Support.dump(xlsx)
        #expect(dump.sheets.map(\.name) == ["課題", "Second"])
        let sheet = try #require(dump.sheets.first)
        #expect(sheet.freeze_panes == "A2")
        #expect(sheet.auto_filter == "A1:F5")
        #expect(sheet.widths == ["A": 10, "B": 20, "C": 50, "D": 12, "E": 12, "F": 9.5])
        #expect(dump.sheets[1].freeze_panes == "A2")

        let header = sheet.rows[0]
        #expect(header.map(\.v) == ["ID", "件名", "詳細", "見積", "期限", "完了"].map { .string($0) })
        #expect(header.allSatisfy { $0.bold })

        let row = sheet.rows[1]
        #expect(row[0].t == "n" && row[0].v == .number(1))
        #expect(row[1].t == "s" && row[1].v == .string("結合テスト遅延") && !row[1].bold)
        #expect(row[2].v == .string("line1\nline2\r\nline3"))
        #expect(row[2].wrap && !row[1].wrap)  // longText wraps
        #expect(row[3].t == "n" && row[3].v == .number(3.5))
        #expect(row[4].t == "d" && row[4].v == .string("2026-11-21") && row[4].fmt == "yyyy-mm-dd")
        #expect(row[5].t == "b" && row[5].v == .bool(false))

        #expect(sheet.rows[2][1].v == .string(#"XML <&>"' specials"#))
        #expect(sheet.rows[2][2].t == "null")
        #expect(sheet.rows[3][1].v == .string("  padded  "))
        #expect(sheet.rows[3][4].v == .string("1900-03-01"))
        #expect(sheet.rows[4][0].v == .number(1_234_567_890_123))
        #expect(sheet.rows[4][1].v == .string("_x0041_ literal"))
        #expect(sheet.rows[4][3].v == .number(1.5e20))
        #expect(sheet.rows[4][4].v == .string("9999-12-31"))
    }

    /// The rows of `xlsx_tool.py make`, as XLSXReader should give them.
    static let madeByOpenpyxl: [SpreadsheetSheet] = [
        SpreadsheetSheet(
            name: "課題一覧",
            rows: [
                ["ID", "件名", "期限", "見積", "完了", "更新"].map { .text($0) },
                [.text("PMO-1"), .text("結合テスト遅延"), .date(d("2026-11-21")), .number(3.5), .bool(false), .date(d("2026-11-21"))],
                [.text("PMO-2"), .text(#"XML <&>"' 特殊"#), .date(d("2027-01-05")), .number(12), .bool(true), .empty],
                // Rich text runs joined; the formula has no cached value.
                [.text("PMO-3"), .text("太字と標準"), .empty, .empty, .empty, .empty],
                [.empty, .empty, .empty, .empty, .empty, .empty],
                [.empty, .empty, .empty, .empty, .empty, .text("離れたセル")],
            ]),
        SpreadsheetSheet(name: "Second", rows: [[.text("only"), .empty], [.empty, .number(42)]]),
    ]

    @Test func weReadAWorkbookWrittenByOpenpyxl() throws {
        #expect(try XLSXReader.read(try make()) == Self.madeByOpenpyxl)
    }

    @Test func weReadOpenpyxlISODateCells() throws {
        let data = try make("--iso-dates")
        #expect(try XLSXReader.read(data) == Self.madeByOpenpyxl)
    }

    @Test func weReadOurWorkbookAfterOpenpyxlEditedIt() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = dir.appendingPathComponent("ours.xlsx")
        try XLSXWriter.write(XLSXRoundTripTests.tables).write(to: original)
        let step1 = dir.appendingPathComponent("step1.xlsx"), step2 = dir.appendingPathComponent("step2.xlsx")
        let step3 = dir.appendingPathComponent("step3.xlsx")
        _ = try Support.xlsxTool(["set", original.path, step1.path, "課題", "B2", "変更済み & <ok>"])
        _ = try Support.xlsxTool(["set", step1.path, step2.path, "課題", "E3", "2027-02-03", "--date"])
        _ = try Support.xlsxTool(["set", step2.path, step3.path, "Second", "B4", "7.25", "--number"])

        let sheets = try XLSXReader.read(try Data(contentsOf: step3))
        var expected = try XLSXReader.read(try XLSXWriter.write(XLSXRoundTripTests.tables))
        expected[0].rows[1][1] = .text("変更済み & <ok>")
        expected[0].rows[2][4] = .date(Self.d("2027-02-03"))
        expected[1].rows[3] = [.text("y"), .number(7.25)]
        expected[1].rows = expected[1].rows.map { $0.count == 1 ? $0 + [.empty] : $0 }
        // openpyxl's own losses when it saves, which Excel would show the same way: it writes a carriage return raw
        // (XML reads it as a line feed) and reads "_x005F_x0041_" as "_x0041_" but writes that back unescaped.
        expected[0].rows[1][2] = .text("line1\nline2\nline3")
        expected[0].rows[4][1] = .text("A literal")
        #expect(sheets == expected)
    }

    func make(_ flags: String...) throws -> Data {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("made.xlsx")
        _ = try Support.xlsxTool(["make", file.path] + flags)
        return try Data(contentsOf: file)
    }
}
