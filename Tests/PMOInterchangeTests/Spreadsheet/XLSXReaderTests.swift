import Foundation
import PMOCore
import Testing

@testable import PMOInterchange

/// XLSXReader on hand-made packages: what other producers write, and damaged or hostile files.
@Suite struct XLSXReaderTests {
    typealias Support = SpreadsheetTestSupport
    static let d = SpreadsheetTestSupport.date

    static let styles = #"""
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
        <numFmts count="2"><numFmt numFmtId="200" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
        <numFmt numFmtId="201" formatCode="0.00"/></numFmts>
        <cellStyleXfs count="1"><xf numFmtId="22"/></cellStyleXfs>
        <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="20"/><xf numFmtId="200"/><xf numFmtId="201"/></cellXfs>
        <dxfs count="1"><dxf><numFmt numFmtId="202" formatCode="yyyy"/></dxf></dxfs>
        </styleSheet>
        """#

    /// Shared strings as Excel writes them: rich text runs, Japanese phonetic guides, escapes, whitespace.
    static let sharedStrings = #"""
        <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">
        <si><t>件名</t></si>
        <si><r><rPr><b/></rPr><t>結合</t></r><r><t xml:space="preserve">テスト 遅延</t></r></si>
        <si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>
        <si><t>a_x000D_b_x005F_x0041_</t></si>
        <si><t xml:space="preserve">  </t></si>
        <si><t><![CDATA[<cdata & text>]]></t></si>
        </sst>
        """#

    @Test func readsWhatExcelWrites() throws {
        // No r on rows or cells in part: positions follow the order. Formulas keep their cached values.
        let sheet = Support.sheetXML(#"""
            <row><c t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
            <row r="3"><c t="s"><v>2</v></c><c t="s"><v>3</v></c><c t="s"><v>4</v></c><c t="s"><v>5</v></c></row>
            <row r="4"><c s="1"><v>46347</v></c><c s="2"><v>0.5</v></c><c s="3"><v>46347.75</v></c><c s="4"><v>2.5</v></c><c><v>1E-3</v></c></row>
            <row r="5"><c t="str"><f>A1&amp;"x"</f><v>件名x</v></c><c t="e"><f>1/0</f><v>#DIV/0!</v></c><c t="b"><v>1</v></c>
            <c><f>SUM(A4:B4)</f></c><c t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r><rPh><t>ルビ</t></rPh></is></c></row>
            <row r="6"><c r="B6" s="1"/><c r="XFD6" s="2"/></row>
            """#)
        let data = Support.workbookPackage(
            sheets: [("一覧", sheet)], sharedStrings: Self.sharedStrings, styles: Self.styles)
        let sheets = try XLSXReader.read(data)
        #expect(sheets == [
            SpreadsheetSheet(
                name: "一覧",
                rows: [
                    [.text("件名"), .empty, .text("結合テスト 遅延"), .empty, .empty],
                    [.empty, .empty, .empty, .empty, .empty],
                    [.text("東京"), .text("a\rb_x0041_"), .text("  "), .text("<cdata & text>"), .empty],
                    // 14 = date, 20 = time only (a number), 200 = 年月日 date, 201 = 0.00
                    [.date(Self.d("2026-11-21")), .number(0.5), .date(Self.d("2026-11-21")), .number(2.5), .number(0.001)],
                    [.text("件名x"), .text("#DIV/0!"), .bool(true), .empty, .text("inline")],
                ])
        ])
    }

    @Test func handlesNamespacePrefixesAndAbsoluteTargets() throws {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let data = Support.zip([
            ("xl/workbook.xml", #"<x:workbook xmlns:x="\#(main)" xmlns:r="\#(rel)"><x:sheets><x:sheet name="P" sheetId="1" r:id="s1"/></x:sheets></x:workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="s1" Type="\#(rel)/worksheet" Target="/xl/worksheets/../worksheets/data.xml"/></Relationships>"#),
            ("xl/worksheets/data.xml", #"<x:worksheet xmlns:x="\#(main)"><x:sheetData><x:row r="1"><x:c r="B1" t="inlineStr"><x:is><x:t>ok</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>"#),
        ].map { ($0.0, Data($0.1.utf8)) })
        #expect(try XLSXReader.read(data) == [SpreadsheetSheet(name: "P", rows: [[.empty, .text("ok")]])])
    }

    @Test func date1904WorkbooksShiftDates() throws {
        let sheet = Support.sheetXML(#"<row r="1"><c r="A1" s="1"><v>44885</v></c></row>"#)
        let data = Support.workbookPackage(
            sheets: [("S", sheet)], styles: Self.styles, workbookPr: #"<workbookPr date1904="1"/>"#)
        #expect(try XLSXReader.read(data).first?.rows == [[.date(Self.d("2026-11-21"))]])
    }

    @Test func sheetsComeInWorkbookOrder() throws {
        let data = Support.workbookPackage(sheets: [
            ("Zeta", Support.sheetXML(#"<row r="1"><c r="A1"><v>1</v></c></row>"#)),
            ("Alpha", Support.sheetXML("")),
            ("Mid", Support.sheetXML(#"<row r="2"><c r="B2"><v>2</v></c></row>"#)),
        ])
        let sheets = try XLSXReader.read(data)
        #expect(sheets.map(\.name) == ["Zeta", "Alpha", "Mid"])
        #expect(sheets.map(\.rows) == [[[.number(1)]], [], [[.empty, .empty], [.empty, .number(2)]]])
    }

    // MARK: Bad input

    @Test func randomBytesAreNotAWorkbook() {
        var generator = SystemRandomNumberGenerator()
        for size in [0, 1, 100, 70_000] {
            let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let error = Support.error { _ = try XLSXReader.read(bytes) }
            #expect(error?.code == "spreadsheet.not_xlsx", "\(size) bytes")
            #expect(error?.message.contains("Save it as .xlsx or CSV UTF-8") == true)
        }
        // "PK" then garbage: looks like a zip at first.
        let error = Support.error { _ = try XLSXReader.read(Data("PK\u{3}\u{4}garbage".utf8)) }
        #expect(error?.code == "spreadsheet.not_xlsx")
    }

    @Test func oldExcelFilesAreNamedAsSuch() {
        let xls = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504))
        let error = Support.error { _ = try XLSXReader.read(xls) }
        #expect(error?.code == "spreadsheet.not_xlsx")
        #expect(error?.message.contains(".xls") == true)
    }

    @Test func aZipWithoutWorkbookIsNotAWorkbook() {
        let data = Support.zip([("word/document.xml", Data("<document/>".utf8)), ("hello.txt", Data("hi".utf8))])
        let error = Support.error { _ = try XLSXReader.read(data) }
        #expect(error?.code == "spreadsheet.not_xlsx")
        #expect(error?.message.contains("not an Excel workbook") == true)
    }

    @Test func aHugeDeclaredSizeIsRefusedBeforeUnpacking() {
        let data = Support.zip(
            [("xl/workbook.xml", Data("<workbook/>".utf8)), ("xl/worksheets/sheet1.xml", Data("<worksheet/>".utf8))],
            declaredSizes: ["xl/worksheets/sheet1.xml": 0x7FFF_FFFF])
        let error = Support.error { _ = try XLSXReader.read(data) }
        #expect(error?.code == "spreadsheet.too_large")
        #expect(error?.message.contains("100 MB") == true)
    }

    @Test func manyEntriesTogetherOverTheLimitAreRefused() {
        let entries = (1...3).map { ("xl/media/image\($0).png", Data("x".utf8)) }
        let declared = Dictionary(uniqueKeysWithValues: entries.map { ($0.0, UInt32(40 * 1024 * 1024)) })
        let data = Support.zip([("xl/workbook.xml", Data("<workbook/>".utf8))] + entries, declaredSizes: declared)
        let error = Support.error { _ = try XLSXReader.read(data) }
        #expect(error?.code == "spreadsheet.too_large")
    }

    @Test func aCompressedEntryInflatingPastItsDeclaredSizeIsStopped() throws {
        // A real workbook whose sheet entry claims to unpack to 100 bytes: the unpacker only bounds the compressed
        // bytes it reads, so our own count has to stop the output (the zip bomb that lies in its headers).
        let table = SpreadsheetTable(
            name: "S", columns: [SpreadsheetColumn(title: "x")], rows: (0..<2_000).map { [.number(Double($0))] })
        let data = Support.patchDeclaredSize(try XLSXWriter.write([table]), of: "xl/worksheets/sheet1.xml", to: 100)
        let error = Support.error { _ = try XLSXReader.read(data) }
        #expect(error?.code == "spreadsheet.too_large")
        #expect(error?.message.contains("more than it declares") == true)
    }

    @Test func aStoredEntryLyingAboutItsSizeIsMalformed() {
        // Stored entries are read to their declared size; the checksum then fails.
        let data = Support.zip(
            [("xl/workbook.xml", Data("<workbook><sheets/></workbook>".utf8))], declaredSizes: ["xl/workbook.xml": 5])
        let error = Support.error { _ = try XLSXReader.read(data) }
        #expect(error?.code == "spreadsheet.malformed")
        #expect(error?.message.contains("xl/workbook.xml cannot be unpacked") == true)
    }

    @Test func inputOver20MBIsRefused() {
        let error = Support.error { _ = try XLSXReader.read(Data(count: 20 * 1024 * 1024 + 1)) }
        #expect(error?.code == "spreadsheet.too_large")
        #expect(error?.message.contains("20 MB") == true)
    }

    @Test func malformedSheetXMLNamesThePart() {
        let data = Support.workbookPackage(sheets: [
            ("Good", Support.sheetXML("")),
            ("Bad", #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c><v>1</c></row>"#),
        ])
        let error = Support.error { _ = try XLSXReader.read(data) }
        #expect(error?.code == "spreadsheet.malformed")
        #expect(error?.message.contains("xl/worksheets/sheet2.xml") == true)
        #expect(error?.message.contains("not well-formed XML") == true)
    }

    @Test func aDoctypeIsRefused() {
        let bomb = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>"#
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"#
        let error = Support.error { _ = try XLSXReader.read(Support.workbookPackage(sheets: [("S", bomb)])) }
        #expect(error?.code == "spreadsheet.malformed")
        #expect(error?.message.contains("DOCTYPE") == true)
    }

    @Test func aMissingSharedStringIsMalformed() {
        let sheet = Support.sheetXML(#"<row r="1"><c r="A1" t="s"><v>7</v></c></row>"#)
        let data = Support.workbookPackage(sheets: [("S", sheet)], sharedStrings: Self.sharedStrings)
        let error = Support.error { _ = try XLSXReader.read(data) }
        #expect(error?.code == "spreadsheet.malformed")
        #expect(error?.message.contains("shared string 7") == true)
        #expect(error?.message.contains("xl/worksheets/sheet1.xml") == true)
    }

    @Test func badCellValuesAndReferencesAreMalformed() {
        for cell in [#"<c r="A1"><v>abc</v></c>"#, #"<c r="1A"><v>1</v></c>"#, #"<c r="ZZZZ1"><v>1</v></c>"#] {
            let data = Support.workbookPackage(sheets: [("S", Support.sheetXML("<row>\(cell)</row>"))])
            #expect(Support.error { _ = try XLSXReader.read(data) }?.code == "spreadsheet.malformed", "\(cell)")
        }
    }

    @Test func aMissingSheetPartIsMalformed() {
        let withoutSheet = Support.zip(
            [("xl/workbook.xml", Data(#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8)),
             ("xl/_rels/workbook.xml.rels", Data(#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8))])
        let error = Support.error { _ = try XLSXReader.read(withoutSheet) }
        #expect(error?.code == "spreadsheet.malformed")
        #expect(error?.message.contains("xl/worksheets/sheet1.xml is missing") == true)
    }

    @Test func aWorkbookWithoutSheetsHasNoSheet() {
        let data = Support.zip([("xl/workbook.xml", Data("<workbook><sheets/></workbook>".utf8))])
        #expect(Support.error { _ = try XLSXReader.read(data) }?.code == "spreadsheet.no_sheet")
    }

    @Test func valuesPastTheColumnLimitAreTooLarge() throws {
        let ok = Support.workbookPackage(sheets: [("S", Support.sheetXML(#"<row r="1"><c r="GR1"><v>1</v></c></row>"#))])
        #expect(try XLSXReader.read(ok).first?.rows.first?.count == 200)  // GR is column 200
        let over = Support.workbookPackage(sheets: [("S", Support.sheetXML(#"<row r="1"><c r="GS1"><v>1</v></c></row>"#))])
        let error = Support.error { _ = try XLSXReader.read(over) }
        #expect(error?.code == "spreadsheet.too_large")
        #expect(error?.message.contains("column GS") == true)
    }

    @Test func valuesPastTheRowLimitAreTooLarge() throws {
        let ok = Support.workbookPackage(sheets: [("S", Support.sheetXML(#"<row r="100000"><c r="A100000"><v>1</v></c></row><row r="1048576"><c r="A1048576" s="1"/></row>"#))])
        #expect(try XLSXReader.read(ok).first?.rows.count == 100_000)
        let over = Support.workbookPackage(sheets: [("S", Support.sheetXML(#"<row r="100001"><c r="A100001"><v>1</v></c></row>"#))])
        let error = Support.error { _ = try XLSXReader.read(over) }
        #expect(error?.code == "spreadsheet.too_large")
        #expect(error?.message.contains("row 100001") == true)
    }
}
