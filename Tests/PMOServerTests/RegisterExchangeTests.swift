import Foundation
import PMOTestData
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// Excel and CSV round trips of a register through the API, checked by reading the workbook with openpyxl, and
/// every class of bad import changing nothing.
@Suite("Register export and import")
struct RegisterExchangeTests {
    struct ToolFailure: Error, CustomStringConvertible { var description: String }

    /// Runs scripts/xlsx_tool.py (openpyxl); fails the test, never skips it, when Python or openpyxl is missing.
    static func tool(_ args: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", SharedData.packageRoot.appendingPathComponent("scripts/xlsx_tool.py").path] + args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolFailure(description: "xlsx_tool \(args.first ?? "") failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self)) — pip install openpyxl")
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func importFile(_ t: TestApp, _ token: String, _ data: Data, mode: String, plural: String = "risks") async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders.bearer(token)
        headers.contentType = data.starts(with: [0x50, 0x4B])
            ? HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet") : .plainText
        return try await t.app.testing().sendRequest(.POST, "/api/v1/projects/CRM/\(plural)/import?mode=\(mode)", headers: headers,
                                                     body: ByteBuffer(data: data))
    }

    static func makeRisks(_ t: TestApp, _ w: World) async throws {
        let pmo = w.tokens["pmo"]!
        let base: [String: Any?] = ["riskType": "threat", "category": "schedule", "probability": 3, "impactSchedule": 4,
                                    "impactCost": 2, "impactQuality": 1]
        for (i, title) in ["結合テスト環境の構築遅延", "Key engineer may leave", "データ移行の品質不足"].enumerated() {
            var body = base
            body["title"] = title
            body["owner"] = w.users["pm"]!.userID.uuidString
            body["dueDate"] = "2026-12-0\(i + 1)"
            body["indicators"] = [["text": "環境構築の進捗が週次で5%未満", "status": i == 0 ? "triggered" : "watching"]]
            body["description"] = "行1\n行2 <b>&</b>"
            let res = try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: body)
            #expect(res.status == .created, "\(res.body.string)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func excelRoundTripChangesExactlyTheEditedCells(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await Self.makeRisks(t, w)
            let pmo = w.tokens["pmo"]!
            let export = try await t.send(.GET, "/api/v1/projects/CRM/risks/export.xlsx", token: pmo)
            #expect(export.status == .ok)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-xlsx-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let original = dir.appendingPathComponent("risks.xlsx")
            try Data(buffer: export.body).write(to: original)

            // A real reader sees a real workbook: header, frozen first row, dates as dates, Japanese intact.
            let dump = try JSONSerialization.jsonObject(with: Data(try Self.tool(["dump", original.path]).utf8)) as! [String: Any]
            let sheet = (dump["sheets"] as! [[String: Any]])[0]
            #expect(sheet["freeze_panes"] as? String == "A2")
            let rows = sheet["rows"] as! [[[String: Any]]]
            #expect(rows.count == 4)
            let header = rows[0].map { $0["v"] as? String ?? "" }
            #expect(header.prefix(3) == ["No.", "Title", "Status"])
            let dueColumn = header.firstIndex(of: "Due")!
            #expect(rows[1][dueColumn]["t"] as? String == "d" && rows[1][dueColumn]["v"] as? String == "2026-12-01")
            #expect(rows[1][1]["v"] as? String == "結合テスト環境の構築遅延")
            let probabilityColumn = header.firstIndex(of: "Probability (1–5)")!
            #expect(rows[2][probabilityColumn]["t"] as? String == "n")

            // Unchanged file: nothing to do.
            let same = try await Self.importFile(t, pmo, Data(buffer: export.body), mode: "preview")
            #expect(same.status == .ok, "\(same.body.string)")
            #expect(same.json["updates"] as? Int == 0 && same.json["creates"] as? Int == 0 && same.json["unchanged"] as? Int == 3,
                    "\(same.body.string)")

            // Edit two cells with openpyxl: R2's probability, R3's title.
            let edited1 = dir.appendingPathComponent("e1.xlsx"), edited2 = dir.appendingPathComponent("e2.xlsx")
            let probabilityCell = "\(Self.letters(probabilityColumn))3"
            _ = try Self.tool(["set", original.path, edited1.path, sheet["name"] as! String, probabilityCell, "5", "--number"])
            _ = try Self.tool(["set", edited1.path, edited2.path, sheet["name"] as! String, "B4", "データ移行の品質不足（再評価）"])
            let data = try Data(contentsOf: edited2)
            let preview = try await Self.importFile(t, pmo, data, mode: "preview")
            #expect(preview.json["updates"] as? Int == 2 && preview.json["unchanged"] as? Int == 1, "\(preview.body.string)")
            let planRows = preview.json["rows"] as! [[String: Any]]
            let changed = planRows.filter { $0["action"] as? String == "update" }.map { row in
                (row["reference"] as! String, (row["changes"] as! [[String: Any]]).map { $0["field"] as! String })
            }
            #expect(changed.count == 2)
            #expect(changed.contains { $0.0 == "CRM-R2" && $0.1 == ["probability"] }, "\(changed)")
            #expect(changed.contains { $0.0 == "CRM-R3" && $0.1 == ["title"] }, "\(changed)")
            // The preview stored nothing.
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/2", token: pmo).json["probability"] as? Int == 3)

            let apply = try await Self.importFile(t, pmo, data, mode: "apply")
            #expect(apply.status == .ok && apply.json["applied"] as? Bool == true, "\(apply.body.string)")
            let r1 = try await t.send(.GET, "/api/v1/projects/CRM/risks/1", token: pmo).json
            let r2 = try await t.send(.GET, "/api/v1/projects/CRM/risks/2", token: pmo).json
            let r3 = try await t.send(.GET, "/api/v1/projects/CRM/risks/3", token: pmo).json
            #expect(r1["version"] as? Int == 1)
            #expect(r2["probability"] as? Int == 5 && r2["score"] as? Int == 20 && r2["version"] as? Int == 2)
            #expect(r3["title"] as? String == "データ移行の品質不足（再評価）" && r3["version"] as? Int == 2)
            #expect(r3["description"] as? String == "行1\n行2 <b>&</b>")
            let history = try await t.send(.GET, "/api/v1/projects/CRM/risks/2/history", token: pmo).items
            let changes = (history.last!["changes"] as! [[String: Any]]).map { $0["field"] as! String }
            #expect(changes == ["probability"], "\(changes)")
        }
    }

    static func letters(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(65 + r)!) + s; n = (n - 1) / 26 }
        return s
    }

    @Test(arguments: TestDatabase.available)
    func csvExportHasABOMAndImportsBackUnchanged(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await Self.makeRisks(t, w)
            let pmo = w.tokens["pmo"]!
            let export = try await t.send(.GET, "/api/v1/projects/CRM/risks/export.csv", token: pmo)
            let bytes = Data(buffer: export.body)
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            // The list's filters apply to the export.
            let filtered = try await t.send(.GET, "/api/v1/projects/CRM/risks/export.csv?q=engineer", token: pmo)
            let filteredLines = String(decoding: Data(buffer: filtered.body), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(filteredLines.count == 2 && filteredLines[1].contains("Key engineer may leave"), "\(filteredLines)")
            // Indicators are led by the reader's words for their status, and read back as they were.
            #expect(String(decoding: bytes, as: UTF8.self).contains("Triggered: 環境構築の進捗が週次で5%未満"))
            let back = try await Self.importFile(t, pmo, bytes, mode: "preview")
            #expect(back.json["unchanged"] as? Int == 3 && back.json["errorCount"] as? Int == 0, "\(back.body.string)")
            let pmoID = w.users["pmo"]!.userID.uuidString.lowercased()
            #expect(try await t.send(.PATCH, "/api/v1/users/\(pmoID)", token: w.tokens["sysadmin"]!, json: ["locale": "ja"], headers: [("If-Match", "*")]).status == .ok)
            let japanese = Data(buffer: try await t.send(.GET, "/api/v1/projects/CRM/risks/export.csv", token: pmo).body)
            #expect(String(decoding: japanese, as: UTF8.self).contains("兆候あり: 環境構築の進捗が週次で5%未満"))
            let backJapanese = try await Self.importFile(t, pmo, japanese, mode: "preview")
            #expect(backJapanese.json["unchanged"] as? Int == 3 && backJapanese.json["errorCount"] as? Int == 0, "\(backJapanese.body.string)")
            #expect(try await t.send(.PATCH, "/api/v1/users/\(pmoID)", token: w.tokens["sysadmin"]!, json: ["locale": "en"], headers: [("If-Match", "*")]).status == .ok)
            // A new row without a number creates an item.
            var text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            text += "\r\n,新しいリスク,Identified,pm@example.com,2026-12-24,,Whole project,,,Threat,Technical,,,,2,2,2,2,,,,,,,\r\n"
            let created = try await Self.importFile(t, pmo, Data(text.utf8), mode: "apply")
            #expect(created.status == .ok && created.json["creates"] as? Int == 1, "\(created.body.string)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/4", token: pmo).json["title"] as? String == "新しいリスク")
        }
    }

    @Test(arguments: TestDatabase.available)
    func anImportMergesWithEditsMadeSinceTheExportButNeverOverwritesThem(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await Self.makeRisks(t, w)
            let pmo = w.tokens["pmo"]!
            let exported = String(decoding: Data(buffer: try await t.send(.GET, "/api/v1/projects/CRM/risks/export.csv", token: pmo).body).dropFirst(3), as: UTF8.self)
            var lines = exported.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines[0].contains(",Version,"))
            // Someone else renames R1 after the export.
            let renamed = try await t.send(.PATCH, "/api/v1/projects/CRM/risks/1", token: w.tokens["pm"]!,
                                           json: ["title": "結合テスト環境の構築遅延（pm更新）"], headers: [("If-Match", "\"1\"")])
            #expect(renamed.status == .ok)

            // The sheet changes R1's due date only: it applies, and the other person's title stays.
            lines[1] = lines[1].replacingOccurrences(of: "2026-12-01", with: "2026-12-15")
            let merged = try await Self.importFile(t, pmo, Data(lines.joined(separator: "\r\n").utf8), mode: "apply")
            #expect(merged.status == .ok && merged.json["updates"] as? Int == 1, "\(merged.body.string)")
            let r1 = try await t.send(.GET, "/api/v1/projects/CRM/risks/1", token: pmo).json
            #expect(r1["title"] as? String == "結合テスト環境の構築遅延（pm更新）")
            #expect(r1["dueDate"] as? String == "2026-12-15")

            // A sheet that changes the title the other person changed is refused, naming the row and column.
            lines[1] = lines[1].replacingOccurrences(of: "結合テスト環境の構築遅延", with: "シートからの件名")
            let refused = try await Self.importFile(t, pmo, Data(lines.joined(separator: "\r\n").utf8), mode: "apply")
            #expect(refused.status == .unprocessableEntity)
            let errors = (refused.json["errors"] as? [[String: Any]]) ?? []
            #expect(errors.contains { $0["line"] as? Int == 2 && $0["column"] as? String == "Title"
                && ($0["message"] as? String ?? "").contains("changed by someone else since it was exported") }, "\(errors)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/risks/1", token: pmo).json["title"] as? String == "結合テスト環境の構築遅延（pm更新）")
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyBadImportIsReportedPerRowAndChangesNothing(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await Self.makeRisks(t, w)
            let pmo = w.tokens["pmo"]!
            let csv = String(decoding: Data(buffer: try await t.send(.GET, "/api/v1/projects/CRM/risks/export.csv", token: pmo).body).dropFirst(3), as: UTF8.self)
            var lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }

            // Not a spreadsheet at all.
            let garbage = try await Self.importFile(t, pmo, Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x01, 0x02]), mode: "apply")
            #expect(garbage.status == .unprocessableEntity && garbage.problemCode == "import.unreadable", "\(garbage.body.string)")
            #expect(garbage.fieldErrors == ["file"])
            let pdf = try await Self.importFile(t, pmo, Data("%PDF-1.4\n".utf8) + Data([0x00, 0xE2, 0x01, 0x9F]), mode: "apply")
            #expect(pdf.status == .unprocessableEntity && pdf.problemCode == "import.unreadable", "\(pdf.body.string)")
            #expect((pdf.json["detail"] as? String ?? "").contains("neither an Excel workbook (.xlsx) nor CSV text"))

            // Unknown and missing columns.
            let badHeader = lines[0].replacingOccurrences(of: "Title", with: "Titel")
            let header = try await Self.importFile(t, pmo, Data(([badHeader] + lines.dropFirst()).joined(separator: "\r\n").utf8), mode: "apply")
            let headerErrors = (header.json["errors"] as? [[String: Any]]) ?? []
            #expect(header.status == .unprocessableEntity)
            #expect(headerErrors.contains { ($0["message"] as? String ?? "").contains("Unknown column 'Titel'") })
            #expect(headerErrors.contains { ($0["message"] as? String ?? "").contains("'Title' is missing") })

            // Bad date, unknown owner, another project's number, a refused transition: each named by line and column.
            lines[1] = lines[1].replacingOccurrences(of: "2026-12-01", with: "2026-02-30")
            lines[2] = lines[2].replacingOccurrences(of: "pm@example.com", with: "nobody@example.com")
            lines[3] = lines[3].replacingOccurrences(of: "CRM-R3", with: "ERP-R3")
            lines.append(lines[1].replacingOccurrences(of: "CRM-R1", with: "CRM-R1").replacingOccurrences(of: "2026-02-30", with: "2026-12-01")
                .replacingOccurrences(of: "CRM-R1,", with: "CRM-R99,"))
            let rows = try await Self.importFile(t, pmo, Data(lines.joined(separator: "\r\n").utf8), mode: "apply")
            #expect(rows.status == .unprocessableEntity && rows.json["applied"] as? Bool == false)
            let errors = ((rows.json["errors"] as? [[String: Any]]) ?? []).map { ($0["line"] as? Int ?? 0, $0["column"] as? String ?? "", $0["message"] as? String ?? "") }
            #expect(errors.contains { $0.0 == 2 && $0.1 == "Due" && $0.2.contains("2026-02-30") }, "\(errors)")
            #expect(errors.contains { $0.0 == 3 && $0.1 == "Owner" && $0.2.contains("nobody@example.com") }, "\(errors)")
            #expect(errors.contains { $0.0 == 4 && $0.1 == "No." && $0.2.contains("ERP") }, "\(errors)")
            #expect(errors.contains { $0.0 == 5 && $0.2.contains("CRM-R99") }, "\(errors)")

            // A transition the workflow refuses is a row error too; the good rows beside it are not applied either.
            let closeFirst = try await t.send(.PATCH, "/api/v1/projects/CRM/risks/2", token: pmo, json: ["status": "closed"], headers: [("If-Match", "*")])
            #expect(closeFirst.status == .ok)
            var fresh = String(decoding: Data(buffer: try await t.send(.GET, "/api/v1/projects/CRM/risks/export.csv", token: pmo).body).dropFirst(3), as: UTF8.self)
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }
            fresh[2] = fresh[2].replacingOccurrences(of: ",Closed,", with: ",Responding,")
            fresh[1] = fresh[1].replacingOccurrences(of: "結合テスト環境の構築遅延", with: "変更されないはず")
            let refused = try await Self.importFile(t, pmo, Data(fresh.joined(separator: "\r\n").utf8), mode: "apply")
            let refusedErrors = ((refused.json["errors"] as? [[String: Any]]) ?? []).map { $0["message"] as? String ?? "" }
            #expect(refused.status == .unprocessableEntity)
            #expect(refusedErrors.contains { $0.contains("cannot go from closed to responding") }, "\(refusedErrors)")

            // Nothing changed anywhere.
            let list = try await t.send(.GET, "/api/v1/projects/CRM/risks?limit=100", token: pmo).items
            #expect(list.count == 3)
            #expect(list.first { $0["number"] as? Int == 1 }?["title"] as? String == "結合テスト環境の構築遅延")
            #expect(list.first { $0["number"] as? Int == 1 }?["version"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func vendorsExportOnlyWhatTheySeeAndViewersCannotImport(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await Self.makeRisks(t, w)
            let hidden = try await t.send(.POST, "/api/v1/projects/CRM/risks", token: w.tokens["pmo"]!, json: [
                "title": "社内限定：ベンダー契約の見直し", "visibility": "internal", "riskType": "threat", "category": "vendor",
                "probability": 2, "impactSchedule": 2, "impactCost": 5, "impactQuality": 1])
            #expect(hidden.status == .created)
            let export = try await t.send(.GET, "/api/v1/projects/CRM/risks/export.csv", token: w.tokens["vendorA"]!)
            let text = String(decoding: Data(buffer: export.body), as: UTF8.self)
            #expect(text.contains("結合テスト環境の構築遅延"))
            #expect(text.contains("ベンダー契約の見直し") == false)
            let viewer = try await Self.importFile(t, w.tokens["viewer"]!, Data(buffer: export.body), mode: "preview")
            #expect(viewer.status == .forbidden)
        }
    }
}
