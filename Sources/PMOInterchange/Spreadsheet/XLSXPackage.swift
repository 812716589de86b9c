import Foundation
import ZIPFoundation

/// The zip container of a workbook, opened with the size guards, and its relationship parts.
struct XLSXPackage {
    /// Most bytes one upload may have.
    static let maxInputBytes = 20 * 1024 * 1024
    /// Most bytes all entries may unpack to (a zip bomb guard).
    static let maxUnpackedBytes = 100 * 1024 * 1024

    let archive: Archive
    /// Entries by lower-cased path without a leading "/": OPC part names ignore case.
    let entries: [String: Entry]

    init(data: Data) throws {
        guard data.count <= XLSXPackage.maxInputBytes else {
            throw SpreadsheetError.tooLarge(
                "The file is \(data.count / 1_048_576) MB; at most 20 MB can be uploaded.")
        }
        // An OLE compound file: Excel 97–2003 (.xls), or an .xlsx saved with a password.
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw SpreadsheetError.notXLSX(
                "The file is an old-format Excel workbook (.xls) or a password-protected workbook, not an .xlsx file."
                    + " Remove the password, or open it in Excel and use Save As, Excel Workbook (.xlsx).")
        }
        guard data.starts(with: [0x50, 0x4B]) else { throw SpreadsheetError.notXLSX() }  // "PK"
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read, pathEncoding: nil)
        } catch {
            throw SpreadsheetError.notXLSX()
        }
        var entries: [String: Entry] = [:]
        var total: UInt64 = 0
        // Check every declared size before unpacking anything.
        for entry in archive where entry.type == .file {
            total += entry.uncompressedSize
            guard entry.uncompressedSize <= UInt64(XLSXPackage.maxUnpackedBytes),
                total <= UInt64(XLSXPackage.maxUnpackedBytes)
            else {
                throw SpreadsheetError.tooLarge("The workbook unpacks to more than 100 MB.")
            }
            entries[XLSXPackage.key(entry.path)] = entry
        }
        self.archive = archive
        self.entries = entries
    }

    static func key(_ path: String) -> String {
        (path.hasPrefix("/") ? String(path.dropFirst()) : path).lowercased()
    }

    func contains(_ path: String) -> Bool { entries[XLSXPackage.key(path)] != nil }

    /// The bytes of a part; nil when the package has no such part. Unpacking stops as soon as an entry gives more
    /// bytes than it declared, so a lying header cannot get past the size guard.
    func part(_ path: String) throws -> Data? {
        guard let entry = entries[XLSXPackage.key(path)] else { return nil }
        let declared = entry.uncompressedSize
        var data = Data()
        data.reserveCapacity(Int(declared))
        do {
            let checksum = try archive.extract(entry) { chunk in
                guard UInt64(data.count + chunk.count) <= declared else {
                    throw SpreadsheetError.tooLarge("The workbook unpacks to more than it declares.")
                }
                data.append(chunk)
            }
            // This form of extract returns the checksum without comparing it.
            guard checksum == entry.checksum else { throw SpreadsheetError.malformed(part: path, "cannot be unpacked") }
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw SpreadsheetError.malformed(part: path, "cannot be unpacked")
        }
        return data
    }

    /// One `<Relationship>`.
    struct Relationship {
        var id: String
        var type: String
        /// Package path of the target.
        var target: String
    }

    /// The relationships of a part (from `dir/_rels/name.rels`), targets resolved to package paths; [] when none.
    func relationships(of source: String) throws -> [Relationship] {
        let slash = source.lastIndex(of: "/")
        let dir = slash.map { String(source[...$0]) } ?? ""
        let name = slash.map { String(source[source.index(after: $0)...]) } ?? source
        let relsPath = dir + "_rels/" + name + ".rels"
        guard let data = try part(relsPath) else { return [] }
        let handler = RelationshipsHandler()
        try XLSXXML.parse(data, part: relsPath, into: handler)
        return handler.relationships.map {
            Relationship(id: $0.id, type: $0.type, target: XLSXPackage.resolve($0.target, from: dir))
        }
    }

    /// A relationship target as a package path: relative to the source's folder unless it starts with "/";
    /// "." and ".." segments resolved.
    static func resolve(_ target: String, from dir: String) -> String {
        let target = target.removingPercentEncoding ?? target
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : dir + target
        var segments: [Substring] = []
        for segment in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }

    final class RelationshipsHandler: XLSXXMLHandler {
        var relationships: [(id: String, type: String, target: String)] = []

        func start(_ name: String, _ attributes: [String: String]) throws {
            guard name == "Relationship", attributes["TargetMode"] != "External",
                let id = attributes["Id"], let target = attributes["Target"]
            else { return }
            relationships.append((id, attributes["Type"] ?? "", target))
        }
        func end(_ name: String) throws {}
        func text(_ string: String) {}
    }
}
