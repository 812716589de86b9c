import Foundation
import PMOCore
import Testing

@testable import PMOInterchange

@Suite struct SpreadsheetModelTests {
    @Test func columnLettersFollowExcel() {
        let cases: [(Int, String)] = [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"),
                                      (701, "ZZ"), (702, "AAA"), (16_383, "XFD")]
        for (index, letters) in cases {
            #expect(SpreadsheetColumnName.letters(index) == letters)
            #expect(SpreadsheetColumnName.index(letters) == index)
        }
        #expect(SpreadsheetColumnName.index("aa") == 26)
        #expect(SpreadsheetColumnName.letters(-1) == "")
    }

    @Test func columnLettersRoundTripOverTheWholeGrid() {
        for i in 0..<16_384 { #expect(SpreadsheetColumnName.index(SpreadsheetColumnName.letters(i)) == i) }
    }

    @Test func columnIndexRejectsWhatIsNotAColumn() {
        for bad in ["", "A1", "1", "XFE", "ZZZZ", "Ä", "A-"] { #expect(SpreadsheetColumnName.index(bad) == nil, "\(bad)") }
    }

    @Test func dateSerialsUseThe1900SystemWithItsLeapYearBug() {
        let d = SpreadsheetTestSupport.date
        #expect(XLSXDate.serial(of: d("2026-11-21")) == 46_347)  // openpyxl writes the same serial
        #expect(XLSXDate.serial(of: d("1970-01-01")) == 25_569)
        #expect(XLSXDate.serial(of: d("1900-03-01")) == 61)
        #expect(XLSXDate.serial(of: d("1900-02-28")) == nil)  // Excel's serial for it differs: stored as text

        #expect(XLSXDate.date(fromSerial: 46_347.573, date1904: false) == d("2026-11-21"))  // time of day dropped
        #expect(XLSXDate.date(fromSerial: 61, date1904: false) == d("1900-03-01"))
        #expect(XLSXDate.date(fromSerial: 59, date1904: false) == d("1900-02-28"))
        #expect(XLSXDate.date(fromSerial: 1, date1904: false) == d("1900-01-01"))
        #expect(XLSXDate.date(fromSerial: 2_958_465, date1904: false) == d("9999-12-31"))
        #expect(XLSXDate.date(fromSerial: 2_958_466, date1904: false) == nil)
        #expect(XLSXDate.date(fromSerial: -1, date1904: false) == nil)
        #expect(XLSXDate.date(fromSerial: .nan, date1904: false) == nil)
    }

    @Test func dateSerialsIn1904SystemAre1462DaysLater() {
        let d = SpreadsheetTestSupport.date
        #expect(XLSXDate.date(fromSerial: 0, date1904: true) == d("1904-01-01"))
        #expect(XLSXDate.date(fromSerial: 46_347 - 1_462, date1904: true) == d("2026-11-21"))
    }

    @Test func builtInDateFormatsAreDatesButTimesAreNot() {
        for id in [14, 15, 16, 17, 22, 27, 30, 31, 34, 36, 50, 57, 58] {
            #expect(XLSXDate.isDateFormat(id: id, code: nil), "numFmtId \(id)")
        }
        for id in [0, 1, 2, 4, 9, 10, 11, 18, 19, 20, 21, 37, 45, 46, 47, 49] {
            #expect(!XLSXDate.isDateFormat(id: id, code: nil), "numFmtId \(id)")
        }
        #expect(XLSXDate.isDateFormat(id: 164, code: "yyyy-mm-dd"))
        #expect(!XLSXDate.isDateFormat(id: 164, code: nil))  // a custom id without its code
    }

    @Test func customFormatCodesAreDatesWhenTheyShowYearMonthOrDay() {
        let dates = ["yyyy-mm-dd", "yyyy/m/d", "m/d", "mmm-yy", "d-mmm", "yyyy-mm-dd h:mm:ss", "[$-411]ggge\"年\"m\"月\"d\"日\"",
                     "yyyy\"年\"m\"月\"d\"日\"", "[Red]yyyy-mm-dd", "dd/mm/yyyy;@", "mmmm"]
        let notDates = ["General", "0.00", "#,##0", "0.00E+00", "h:mm", "[h]:mm:ss", "mm:ss", "h:mm:ss AM/PM",
                        "\"day \"0", "0.0\\d", "[Red]0.00", "@", "0_);[Red](0)", "#,##0 \"円\""]
        for code in dates { #expect(XLSXDate.isDateFormatCode(code), "\(code)") }
        for code in notDates { #expect(!XLSXDate.isDateFormatCode(code), "\(code)") }
    }

    @Test func xmlTextEscapingKeepsWhatAParserGivesBack() {
        #expect(XLSXParts.text(#"a<b>&"c'"#) == #"a&lt;b&gt;&amp;"c'"#)
        #expect(XLSXParts.text("cr\r\nlf") == "cr&#13;\nlf")
        #expect(XLSXParts.text("bell\u{7}nul\u{0}ok\u{FFFE}") == "bellnulok")
        #expect(XLSXParts.text("_x0041_ and _x12_") == "_x005F_x0041_ and _x12_")
        #expect(XLSXParts.decodeEscapes("_x005F_x0041_ _x000D_ _x004a_") == "_x0041_ \r J")
        #expect(XLSXParts.attribute("a\"b\tc") == "a&quot;b&#9;c")
    }

    @Test func sheetNamesAreMadeAcceptableToExcel() {
        let names = XLSXParts.sheetNames([
            "a/b", "A/B", "", String(repeating: "x", count: 40), "History", "'quoted'", "[1]:*?\\", "結合テスト遅延の一覧",
            String(repeating: "y", count: 31), String(repeating: "Y", count: 31),
        ])
        #expect(names == [
            "a_b", "A_B (2)", "Sheet3", String(repeating: "x", count: 31), "History_", "quoted", "_1_____", "結合テスト遅延の一覧",
            String(repeating: "y", count: 31), String(repeating: "Y", count: 27) + " (2)",
        ])
    }

    @Test func defaultWidthsFollowKindAndTitle() {
        #expect(XLSXParts.width(of: SpreadsheetColumn(title: "ID", kind: .integer)) == 10)
        #expect(XLSXParts.width(of: SpreadsheetColumn(title: "Notes", kind: .longText)) == 50)
        #expect(XLSXParts.width(of: SpreadsheetColumn(title: "Due", kind: .date)) == 12)
        // Wide characters count twice: 8 × 2 + 4 for the filter button.
        #expect(XLSXParts.width(of: SpreadsheetColumn(title: "結合テスト遅延日", kind: .date)) == 20)
        #expect(XLSXParts.width(of: SpreadsheetColumn(title: String(repeating: "w", count: 200))) == 80)
        #expect(XLSXParts.width(of: SpreadsheetColumn(title: "x", width: 33.5)) == 33.5)
    }
}
