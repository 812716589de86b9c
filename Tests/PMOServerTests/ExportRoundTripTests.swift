import Foundation
import PMOCore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// Random text (Japanese, emoji, markup, formula starts, tabs and line breaks, Excel's own escapes…) goes in through
/// the API, out as Excel, CSV and MS Project XML, and back in: every export the product can import re-imports
/// unchanged. The generator is seeded, so a failure names a text that reproduces.
@Suite("Export and re-import of random text")
struct ExportRoundTripTests {
    /// Deterministic random text from pieces that have broken exporters before.
    struct TextGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func pick<T>(_ list: [T]) -> T { list[Int(next() % UInt64(list.count))] }

        static let pieces = [
            "a", "Z", "9", " ", "  ", "\t", "\n", "\r\n", "\r", "<", ">", "&", "&amp;", "\"", "'", "''", "=", "+", "-", "@", "|", "\\",
            "#", "*", "_", "_x0041_", "_x000D_", "%", "\u{00A0}", "é", "e\u{0301}", "漢字", "かな", "カナ", "（全角）", "＃１",
            "😀", "👍🏽", "👨‍👩‍👧", "עברית", "\u{2028}", "\u{200B}", "<![CDATA[", "]]>", "SUM(A1)", "1e5", "0012", "TRUE", "2026-12-01",
            ",", ";", "\u{FEFF}", "~", "^", "`", "{", "}", "[", "]",
        ]

        /// A text of `length` pieces; `trimmed` leaves no space or line break at either end (titles and names are
        /// stored trimmed).
        mutating func text(_ length: Int, trimmed: Bool) -> String {
            var s = ""
            for _ in 0..<length { s += pick(Self.pieces) }
            if trimmed {
                s = s.trimmingCharacters(in: .whitespacesAndNewlines)
                if s.isEmpty { s = "x" }
            }
            return s
        }
    }

    @Test(arguments: TestDatabase.available)
    func registerTextSurvivesExcelAndCSV(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            var g = TextGenerator(seed: 20261202)
            var sent: [(title: String, description: String)] = []
            for _ in 0..<40 {
                var title = g.text(Int(g.next() % 12) + 1, trimmed: true)
                if title.count > 200 { title = String(title.prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines) }
                let description = g.text(Int(g.next() % 30), trimmed: false)
                let res = try await t.send(.POST, "/api/v1/projects/CRM/actions", token: pmo, json: ["title": title, "description": description])
                #expect(res.status == .created, "\(title.debugDescription): \(res.body.string)")
                // Stored as sent, line ends as LF.
                #expect(res.json["title"] as? String == TextHygiene.normalisedLineEnds(title))
                #expect(res.json["description"] as? String == TextHygiene.normalisedLineEnds(description), "\(description.debugDescription)")
                sent.append((title, description))
            }
            for format in ["xlsx", "csv"] {
                let exported = try await t.send(.GET, "/api/v1/projects/CRM/actions/export.\(format)", token: pmo)
                #expect(exported.status == .ok)
                let type = format == "csv" ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                let preview = try await t.send(.POST, "/api/v1/projects/CRM/actions/import?mode=preview", token: pmo,
                                               headers: [("Content-Type", type)], body: exported.body)
                #expect(preview.status == .ok, "\(format): \(preview.body.string.prefix(500))")
                let json = preview.json
                #expect(json["errorCount"] as? Int == 0, "\(format): \(preview.body.string.prefix(800))")
                #expect(json["creates"] as? Int == 0 && json["updates"] as? Int == 0,
                        "\(format): re-importing the export changes items: \(changedRows(json).prefix(3))")
                #expect(json["unchanged"] as? Int == sent.count)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func activityNamesSurviveMSProjectXML(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            var g = TextGenerator(seed: 77)
            var names: [String] = []
            for _ in 0..<40 {
                var name = g.text(Int(g.next() % 10) + 1, trimmed: true)
                if name.count > 200 { name = String(name.prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines) }
                let res = try await t.send(.POST, "/api/v1/projects/CRM/plan/activities", token: pmo, json: ["name": name, "durationDays": 2])
                #expect(res.status == .created, "\(name.debugDescription): \(res.body.string)")
                names.append(TextHygiene.normalisedLineEnds(name))
            }
            let exported = try await t.send(.GET, "/api/v1/projects/CRM/plan/export.xml", token: pmo)
            #expect(exported.status == .ok)
            let imported = try await t.send(.POST, "/api/v1/plan-imports?mode=apply&key=COPY&name=Copy", token: w.tokens["sysadmin"]!,
                                            headers: [("Content-Type", "application/xml")], body: exported.body)
            #expect(imported.status == .created, "\(imported.body.string.prefix(500))")
            let copy = try await t.send(.GET, "/api/v1/projects/COPY/plan/schedule", token: w.tokens["sysadmin"]!)
            let copied = copy.items.compactMap { $0["name"] as? String }
            #expect(copied == names, "first difference: \(zip(copied, names).first { $0 != $1 }.map { "\($0.0.debugDescription) ≠ \($0.1.debugDescription)" } ?? "count")")
            // And the copy exports the same names again.
            let again = try await t.send(.GET, "/api/v1/projects/COPY/plan/export.xml", token: w.tokens["sysadmin"]!)
            #expect(xmlNames(in: again.body) == xmlNames(in: exported.body))
        }
    }

    func xmlNames(in xml: ByteBuffer) -> [String] {
        // The tasks' names only (calendars and exceptions have names too).
        let text = String(decoding: Data(buffer: xml), as: UTF8.self)
        let tasks = text.components(separatedBy: "<Tasks>").dropFirst().first?.components(separatedBy: "</Tasks>").first ?? ""
        return tasks.components(separatedBy: "<Task>").dropFirst().compactMap {
            $0.components(separatedBy: "<Name>").dropFirst().first?.components(separatedBy: "</Name>").first
        }
    }

    func changedRows(_ json: [String: Any]) -> [String] {
        ((json["rows"] as? [[String: Any]]) ?? []).filter { ($0["action"] as? String) != "unchanged" }.map { "\($0)" }
    }
}
