import Foundation
import PMOCore
import Testing

@testable import PMOInterchange

/// Helpers for the spreadsheet suites: dates, a stored-zip builder for hand-made packages, and the openpyxl tool.
enum SpreadsheetTestSupport {
    static func date(_ iso: String) -> CivilDate {
        guard let d = CivilDate(iso: iso) else { fatalError("bad test date \(iso)") }
        return d
    }

    /// The error thrown by `body`, or nil.
    static func error(_ body: () throws -> Void) -> SpreadsheetError? {
        do {
            try body()
            return nil
        } catch let e as SpreadsheetError {
            return e
        } catch {
            Issue.record("expected a SpreadsheetError, got \(error)")
            return nil
        }
    }

    // MARK: Zip

    /// A zip of stored (uncompressed) entries, written by hand so tests can make packages no writer would, such as
    /// entries whose headers declare a size other than their real one.
    static func zip(_ entries: [(path: String, data: Data)], declaredSizes: [String: UInt32] = [:]) -> Data {
        var out = Data()
        var central = Data()
        func u16(_ v: Int, _ d: inout Data) { d.append(contentsOf: [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)]) }
        func u32(_ v: UInt32, _ d: inout Data) { for s in stride(from: 0, to: 32, by: 8) { d.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
        for (path, data) in entries {
            let name = Data(path.utf8)
            let crc = crc32(data)
            let size = UInt32(data.count)
            let declared = declaredSizes[path] ?? size
            let offset = UInt32(out.count)
            // Local file header.
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(size, &out); u32(declared, &out); u16(name.count, &out); u16(0, &out)
            out.append(name)
            out.append(data)
            // Central directory record.
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0x21, &central); u32(crc, &central); u32(size, &central); u32(declared, &central)
            u16(name.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u32(0, &central); u32(offset, &central)
            central.append(name)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(centralOffset, &out); u16(0, &out)
        return out
    }

    /// The zip with the uncompressed size that `path`'s local and central headers declare set to `size`.
    static func patchDeclaredSize(_ zip: Data, of path: String, to size: UInt32) -> Data {
        var bytes = [UInt8](zip)
        let name = Array(path.utf8)
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        var patched = 0
        var i = 0
        while i + 46 < bytes.count {
            // Local header (size at 22, name at 30) or central directory record (size at 24, name at 46).
            let local = bytes[i..<i + 4] == [0x50, 0x4B, 0x03, 0x04]
            let central = bytes[i..<i + 4] == [0x50, 0x4B, 0x01, 0x02]
            if local || central {
                let (sizeAt, nameLengthAt, nameAt) = local ? (22, 26, 30) : (24, 28, 46)
                let n = u16(i + nameLengthAt)
                if n == name.count, Array(bytes[(i + nameAt)..<(i + nameAt + n)]) == name {
                    for k in 0..<4 { bytes[i + sizeAt + k] = UInt8((size >> UInt32(8 * k)) & 0xFF) }
                    patched += 1
                }
            }
            i += 1
        }
        #expect(patched == 2, "expected a local and a central header for \(path)")
        return Data(bytes)
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }

    /// A complete minimal workbook package around the given sheet XML parts (named sheet1.xml, sheet2.xml...);
    /// `extra` adds or replaces parts.
    static func workbookPackage(
        sheets: [(name: String, xml: String)], sharedStrings: String? = nil, styles: String? = nil,
        workbookPr: String = "", extra: [(String, String)] = []
    ) -> Data {
        let ns = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var sheetList = ""
        var rels = ""
        for (i, sheet) in sheets.enumerated() {
            sheetList += #"<sheet name="\#(sheet.name)" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"#
            rels += #"<Relationship Id="rId\#(i + 1)" Type="\#(rel)/worksheet" Target="worksheets/sheet\#(i + 1).xml"/>"#
        }
        rels += #"<Relationship Id="rS" Type="\#(rel)/sharedStrings" Target="sharedStrings.xml"/>"#
        rels += #"<Relationship Id="rT" Type="\#(rel)/styles" Target="styles.xml"/>"#
        var parts: [(String, String)] = [
            (
                "_rels/.rels",
                #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
            ("xl/workbook.xml", #"<workbook \#(ns) xmlns:r="\#(rel)">\#(workbookPr)<sheets>\#(sheetList)</sheets></workbook>"#),
            (
                "xl/_rels/workbook.xml.rels",
                #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#(rels)</Relationships>"#
            ),
        ]
        for (i, sheet) in sheets.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", sheet.xml)) }
        if let sharedStrings { parts.append(("xl/sharedStrings.xml", sharedStrings)) }
        if let styles { parts.append(("xl/styles.xml", styles)) }
        for (path, xml) in extra {
            parts.removeAll { $0.0 == path }
            parts.append((path, xml))
        }
        return zip(parts.map { ($0.0, Data($0.1.utf8)) })
    }

    /// `<worksheet>` around sheetData content.
    static func sheetXML(_ sheetData: String) -> String {
        #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\#(sheetData)</sheetData></worksheet>"#
    }

    // MARK: openpyxl

    /// The package root: up from this file (symlinks resolved) to the folder with Package.swift.
    static let repoRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    struct ToolFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `python3 scripts/xlsx_tool.py args...` and returns its standard output. Throws (failing the test,
    /// never skipping it) when python3 or openpyxl is missing or the tool fails.
    static func xlsxTool(_ args: [String]) throws -> Data {
        let script = repoRoot.appendingPathComponent("scripts/xlsx_tool.py")
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw ToolFailure(description: "scripts/xlsx_tool.py not found under \(repoRoot.path)")
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + args
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw ToolFailure(description: "cannot start /usr/bin/env python3 (\(error)); install Python 3 and openpyxl")
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = try Data(contentsOf: outURL)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        switch process.terminationStatus {
        case 0: return stdout
        case 127:
            throw ToolFailure(description: "python3 is not installed (needed with openpyxl for the xlsx checks): \(stderr)")
        case 3:
            throw ToolFailure(description: "openpyxl is missing: run `pip install openpyxl`. \(stderr)")
        case let status:
            throw ToolFailure(description: "xlsx_tool.py \(args.first ?? "") exited \(status): \(stderr)")
        }
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// openpyxl's view of a workbook (`xlsx_tool.py dump`).
    struct Dump: Decodable {
        struct Sheet: Decodable {
            var name: String
            var freeze_panes: String?
            var widths: [String: Double]
            var auto_filter: String?
            var rows: [[Cell]]
        }
        struct Cell: Decodable {
            var t: String
            var v: Value
            var fmt: String
            var bold: Bool
            var wrap: Bool
        }
        enum Value: Decodable, Equatable {
            case null, string(String), number(Double), bool(Bool)
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if c.decodeNil() { self = .null }
                else if let b = try? c.decode(Bool.self) { self = .bool(b) }
                else if let n = try? c.decode(Double.self) { self = .number(n) }
                else { self = .string(try c.decode(String.self)) }
            }
        }
        var sheets: [Sheet]
    }

    static func dump(_ xlsx: Data) throws -> Dump {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("in.xlsx")
        try xlsx.write(to: file)
        return try JSONDecoder().decode(Dump.self, from: try xlsxTool(["dump", file.path]))
    }
}
