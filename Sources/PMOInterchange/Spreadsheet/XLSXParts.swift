import Foundation

/// The fixed parts of a written workbook, and the text rules they share (XML escaping, sheet names, widths).
enum XLSXParts {
    static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelNS = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    /// Cell style indices (positions in `cellXfs` of `styles`).
    enum Style {
        static let normal = 0
        static let header = 1
        static let date = 2
        static let wrapped = 3
        static let money = 4
    }

    static func contentTypes(sheetCount: Int) -> String {
        var xml = header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        xml += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        xml += #"<Default Extension="xml" ContentType="application/xml"/>"#
        xml += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        for n in 1...max(sheetCount, 1) {
            xml += #"<Override PartName="/xl/worksheets/sheet\#(n).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }
        xml += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        xml += #"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
        xml += #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
        return xml + "</Types>"
    }

    static let rootRels = header + #"<Relationships xmlns="\#(packageRelNS)">"#
        + #"<Relationship Id="rId1" Type="\#(relNS)/officeDocument" Target="xl/workbook.xml"/>"#
        + #"<Relationship Id="rId2" Type="\#(relNS)/extended-properties" Target="docProps/app.xml"/>"#
        + "</Relationships>"

    /// Extended properties: Excel shows the application name; nothing time-dependent, so output is reproducible.
    static let appProperties = header
        + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#
        + "<Application>PMO</Application></Properties>"

    /// workbook.xml: the sheets in order and, per sheet with a header, the autofilter's hidden defined name
    /// (Excel writes one and expects it with an `<autoFilter>`).
    static func workbook(sheetNames: [String], filterRanges: [String?]) -> String {
        var xml = header + #"<workbook xmlns="\#(mainNS)" xmlns:r="\#(relNS)">"#
        xml += #"<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
        for (i, name) in sheetNames.enumerated() {
            xml += #"<sheet name="\#(attribute(name))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"#
        }
        xml += "</sheets>"
        let filters = filterRanges.enumerated().compactMap { i, range in range.map { (i, $0) } }
        if !filters.isEmpty {
            xml += "<definedNames>"
            for (i, range) in filters {
                // 'Sheet ''name'''!$A$1:$C$9 — the sheet name quoted, apostrophes doubled.
                let quoted = "'" + sheetNames[i].replacingOccurrences(of: "'", with: "''") + "'"
                let absolute = range.split(separator: ":").map { absoluteReference(String($0)) }.joined(separator: ":")
                xml += #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(i)" hidden="1">"#
                xml += text(quoted + "!" + absolute) + "</definedName>"
            }
            xml += "</definedNames>"
        }
        return xml + "</workbook>"
    }

    static func workbookRels(sheetCount: Int) -> String {
        var xml = header + #"<Relationships xmlns="\#(packageRelNS)">"#
        for n in 1...max(sheetCount, 1) {
            xml += #"<Relationship Id="rId\#(n)" Type="\#(relNS)/worksheet" Target="worksheets/sheet\#(n).xml"/>"#
        }
        xml += #"<Relationship Id="rId\#(sheetCount + 1)" Type="\#(relNS)/styles" Target="styles.xml"/>"#
        xml += #"<Relationship Id="rId\#(sheetCount + 2)" Type="\#(relNS)/sharedStrings" Target="sharedStrings.xml"/>"#
        return xml + "</Relationships>"
    }

    /// Five cell styles (see `Style`): normal, bold header, date (yyyy-mm-dd), wrapped long text aligned to the top, money (#,##0).
    static let styles = header + #"<styleSheet xmlns="\#(mainNS)">"#
        + #"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>"#
        + #"<fonts count="2">"#
        + #"<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
        + #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
        + "</fonts>"
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="5">"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#
        + #"<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + "</cellXfs>"
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"

    static func sharedStrings(_ strings: [String], references: Int) -> String {
        var xml = header + #"<sst xmlns="\#(mainNS)" count="\#(references)" uniqueCount="\#(strings.count)">"#
        for s in strings { xml += #"<si><t xml:space="preserve">"# + text(s) + "</t></si>" }
        return xml + "</sst>"
    }

    // MARK: Text rules

    /// True for characters XML 1.0 allows (tab, line feed, carriage return, and everything from space up except
    /// U+FFFE and U+FFFF; Swift strings hold no lone surrogates).
    static func isXMLCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD: return true
        case 0..<0x20, 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }

    /// Element text: escapes markup, keeps carriage returns as `&#13;` (a parser would turn a raw one into a line
    /// feed), drops characters XML cannot hold, and escapes a literal `_xHHHH_` as `_x005F_xHHHH_` so Excel does not
    /// decode it as a character.
    static func text(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            switch c {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            case "_" where isEscapeSequence(scalars, at: i): out.append(contentsOf: "_x005F_".unicodeScalars)
            default: if isXMLCharacter(c) { out.append(c) }
            }
        }
        return String(out)
    }

    /// Attribute text: as `text`, plus quotes and whitespace that attribute normalisation would change.
    static func attribute(_ s: String) -> String {
        var out = ""
        for c in text(s).unicodeScalars {
            switch c {
            case "\"": out += "&quot;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// True when `_xHHHH_` (four hex digits) starts at `i`: Excel's escape for characters XML cannot hold.
    static func isEscapeSequence(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        guard i + 6 < s.count, s[i] == "_", s[i + 1] == "x", s[i + 6] == "_" else { return false }
        return s[(i + 2)...(i + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    /// Undoes Excel's `_xHHHH_` escapes (`_x000D_` is a carriage return, `_x005F_` an underscore).
    static func decodeEscapes(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        let scalars = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if isEscapeSequence(scalars, at: i),
                let value = UInt32(String(String.UnicodeScalarView(scalars[(i + 2)...(i + 5)])), radix: 16),
                let scalar = Unicode.Scalar(value)
            {
                out.append(scalar)
                i += 7
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }

    /// "$A$1" from "A1".
    static func absoluteReference(_ ref: String) -> String {
        let letters = ref.prefix { $0.isLetter }
        return "$" + letters + "$" + ref.dropFirst(letters.count)
    }

    // MARK: Sheet names and widths

    /// Names Excel accepts: no `[]:*?/\`, no control characters, not starting or ending with an apostrophe, at
    /// most 31 characters, not "History" (reserved), and unique ignoring case (" (2)", " (3)"... are appended).
    static func sheetNames(_ names: [String]) -> [String] {
        var taken: Set<String> = []
        var result: [String] = []
        for (i, raw) in names.enumerated() {
            var name = String(
                String.UnicodeScalarView(
                    raw.unicodeScalars.compactMap { c -> Unicode.Scalar? in
                        if "[]:*?/\\".unicodeScalars.contains(c) { return "_" }
                        return c.value < 0x20 || !isXMLCharacter(c) ? nil : c
                    }))
            while name.hasPrefix("'") { name.removeFirst() }
            while name.hasSuffix("'") { name.removeLast() }
            name = truncated(name, to: 31).trimmingCharacters(in: .whitespaces)
            if name.isEmpty { name = "Sheet\(i + 1)" }
            if name.lowercased() == "history" { name += "_" }
            var candidate = name
            var n = 2
            while taken.contains(candidate.lowercased()) {
                let suffix = " (\(n))"
                candidate = truncated(name, to: 31 - suffix.utf16.count) + suffix
                n += 1
            }
            taken.insert(candidate.lowercased())
            result.append(candidate)
        }
        return result
    }

    /// The longest prefix of whole characters within `limit` UTF-16 units (Excel counts sheet names that way).
    static func truncated(_ s: String, to limit: Int) -> String {
        var count = 0
        var out = ""
        for ch in s {
            count += ch.utf16.count
            if count > limit { break }
            out.append(ch)
        }
        return out
    }

    /// Width for a column without one: wide enough for the title (plus the filter button) and the usual values of
    /// its kind, at most 80.
    static func width(of column: SpreadsheetColumn) -> Double {
        if let w = column.width { return min(max(w, 0), 255) }
        let base: Double
        switch column.kind {
        case .text: base = 20
        case .longText: base = 50
        case .number: base = 12
        case .integer: base = 10
        case .money: base = 14
        case .date: base = 12
        case .bool: base = 8
        }
        return min(max(base, displayWidth(column.title) + 4), 80)
    }

    /// Text width in Excel character units: East Asian wide characters take two.
    static func displayWidth(_ s: String) -> Double {
        var w = 0.0
        for c in s.unicodeScalars {
            switch c.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD:
                w += 2
            default: w += 1
            }
        }
        return w
    }
}
