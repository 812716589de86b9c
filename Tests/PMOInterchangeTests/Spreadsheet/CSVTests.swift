import Foundation
import PMOCore
import Testing

@testable import PMOInterchange

@Suite struct CSVTests {
    typealias Support = SpreadsheetTestSupport
    static let d = SpreadsheetTestSupport.date

    static let table = SpreadsheetTable(
        name: "課題",
        columns: [
            SpreadsheetColumn(title: "ID", kind: .integer), SpreadsheetColumn(title: "件名"),
            SpreadsheetColumn(title: "見積", kind: .number), SpreadsheetColumn(title: "期限", kind: .date),
            SpreadsheetColumn(title: "完了", kind: .bool),
        ],
        rows: [
            [.number(1), .text("結合テスト遅延"), .number(3.5), .date(d("2026-11-21")), .bool(true)],
            [.number(2), .text("a, \"quoted\"\r\nnext line"), .number(-12), .empty, .bool(false)],
            [.number(1e20), .text(" spaced "), .number(0.1), .date(d("1899-12-31"))],
        ])

    @Test func writesExcelFriendlyBytes() {
        let data = CSVWriter.write(Self.table)
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text == "ID,件名,見積,期限,完了\r\n"
            + "1,結合テスト遅延,3.5,2026-11-21,TRUE\r\n"
            + "2,\"a, \"\"quoted\"\"\r\nnext line\",-12,,FALSE\r\n"
            + "1e+20, spaced ,0.1,1899-12-31,\r\n")
    }

    @Test func roundTripGivesTheTextOfEveryCell() throws {
        let sheet = try CSVReader.read(CSVWriter.write(Self.table))
        #expect(sheet.name == "")
        #expect(sheet.rows == [
            ["ID", "件名", "見積", "期限", "完了"].map { .text($0) },
            [.text("1"), .text("結合テスト遅延"), .text("3.5"), .text("2026-11-21"), .text("TRUE")],
            [.text("2"), .text("a, \"quoted\"\r\nnext line"), .text("-12"), .empty, .text("FALSE")],
            [.text("1e+20"), .text(" spaced "), .text("0.1"), .text("1899-12-31"), .empty],
        ])
    }

    @Test func formulaInjectionIsDefusedAndUndone() throws {
        let texts = ["=SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tTAB", "\rCR", "'=already", "''-x",
                     "-5", "+3.25", "-1e3", ".5", "'plain", "plain", "a=b", "-", "=", "'"]
        let table = SpreadsheetTable(
            name: "t", columns: [SpreadsheetColumn(title: "=title")], rows: texts.map { [.text($0)] } + [[.number(-5)]])
        let written = String(decoding: CSVWriter.write(table).dropFirst(3), as: UTF8.self)
        let lines = written.components(separatedBy: "\r\n")
        #expect(lines.first == "'=title")
        #expect(lines.contains("'=SUM(A1:A9)"))
        #expect(lines.contains("'+cmd|' /C calc'!A0"))
        #expect(lines.contains("'-2+3"))
        #expect(lines.contains("'@SUM(1)"))
        #expect(lines.contains("'\tTAB"))
        #expect(lines.contains("''=already"))
        #expect(lines.contains("'''-x"))
        #expect(lines.contains("-5") && lines.contains("+3.25") && lines.contains("-1e3") && lines.contains(".5"))
        #expect(lines.contains("'plain") && lines.contains("a=b") && lines.contains("'-") && lines.contains("'="))
        #expect(written.contains("\"'\rCR\""))  // guarded and quoted (it holds a CR)

        let sheet = try CSVReader.read(CSVWriter.write(table))
        #expect(sheet.rows == [[.text("=title")]] + texts.map { [.text($0)] } + [[.text("-5")]])
    }

    @Test func readsShiftJIS() throws {
        // "ID,件名,メモ\r\n1,結合テスト遅延,"①髙, ｶﾅ"\r\n" in Windows-31J (cp932), as Japanese Excel saves "CSV".
        let bytes: [UInt8] = [
            0x49, 0x44, 0x2C, 0x8C, 0x8F, 0x96, 0xBC, 0x2C, 0x83, 0x81, 0x83, 0x82, 0x0D, 0x0A, 0x31, 0x2C, 0x8C, 0x8B,
            0x8D, 0x87, 0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x92, 0x78, 0x89, 0x84, 0x2C, 0x22, 0x87, 0x40, 0xEE, 0xE0,
            0x2C, 0x20, 0xB6, 0xC5, 0x22, 0x0D, 0x0A,
        ]
        let sheet = try CSVReader.read(Data(bytes))
        #expect(sheet.rows == [
            [.text("ID"), .text("件名"), .text("メモ")],
            [.text("1"), .text("結合テスト遅延"), .text("①髙, ｶﾅ")],
        ])
    }

    @Test func bytesInNoKnownEncodingAreRefused() {
        let error = Support.error { _ = try CSVReader.read(Data([0x41, 0x2C, 0xFF, 0xFE, 0x80, 0x0A])) }
        #expect(error?.code == "csv.encoding")
        #expect(error?.message.contains("CSV UTF-8") == true)
    }

    @Test func anUnclosedQuoteNamesTheLine() {
        let csv = "a,b\r\n1,2\r\n3,\"unclosed\r\n4,5\r\n"
        let error = Support.error { _ = try CSVReader.read(Data(csv.utf8)) }
        #expect(error?.code == "csv.malformed")
        #expect(error?.message.hasPrefix("Line 3:") == true)
        // A quoted field spanning lines: the line where it starts is named.
        let later = "a\n\"one\ntwo\"\n\"three\nfour"
        #expect(Support.error { _ = try CSVReader.read(Data(later.utf8)) }?.message.hasPrefix("Line 4:") == true)
    }

    @Test func acceptsEveryLineEndAndPadsRows() throws {
        let csv = "h1,h2,h3\n1\r\n\"x\ny\",\"q\"\"q\"\r2,,3\n\n\n"
        let sheet = try CSVReader.read(Data(csv.utf8))
        #expect(sheet.rows == [
            [.text("h1"), .text("h2"), .text("h3")],
            [.text("1"), .empty, .empty],
            [.text("x\ny"), .text("q\"q"), .empty],
            [.text("2"), .empty, .text("3")],
        ])
    }

    @Test func emptyLinesInsideStayAndTrailingEmptyColumnsGo() throws {
        let csv = "\u{FEFF}a,b,,\r\n\r\n1,2,,\r\n,,,\r\n"
        let sheet = try CSVReader.read(Data(csv.utf8))
        #expect(sheet.rows == [[.text("a"), .text("b")], [.empty, .empty], [.text("1"), .text("2")]])
        #expect(try CSVReader.read(Data()).rows == [])
        #expect(try CSVReader.read(Data("\u{FEFF}".utf8)).rows == [])
        #expect(try CSVReader.read(Data("only".utf8)).rows == [[.text("only")]])
    }

    @Test func isLenientLikeExcelAboutStrayQuotes() throws {
        let sheet = try CSVReader.read(Data("\"ab\"c,d\"e\"\r\n".utf8))
        #expect(sheet.rows == [[.text("abc"), .text("d\"e\"")]])
    }

    @Test func limitsMatchTheWorkbookReader() throws {
        let wide = String(repeating: ",", count: 200) + "x\r\n"
        let error = Support.error { _ = try CSVReader.read(Data(wide.utf8)) }
        #expect(error?.code == "spreadsheet.too_large")
        // Empty fields past the limit are harmless.
        let emptyWide = "x" + String(repeating: ",", count: 1_000) + "\r\n"
        #expect(try CSVReader.read(Data(emptyWide.utf8)).rows == [[.text("x")]])

        var tall = String(repeating: "1\n", count: 100_000)
        #expect(try CSVReader.read(Data(tall.utf8)).rows.count == 100_000)
        tall += "\n\n"  // trailing blank lines do not count
        #expect(try CSVReader.read(Data(tall.utf8)).rows.count == 100_000)
        tall += "2\n"
        #expect(Support.error { _ = try CSVReader.read(Data(tall.utf8)) }?.code == "spreadsheet.too_large")
        #expect(Support.error { _ = try CSVReader.read(Data(count: 20 * 1024 * 1024 + 1)) }?.code == "spreadsheet.too_large")
    }
}
