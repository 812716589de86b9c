import Foundation
import PMOTestData
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The issue register (課題管理表) goes to Excel and CSV and back like the other registers: the workbook read with
/// openpyxl, an edited one updating exactly the edited fields with history, words of either language accepted,
/// and a bad file changing nothing.
@Suite("Issue register export and import")
struct IssueExchangeTests {
    typealias Exchange = RegisterExchangeTests

    static func makeIssues(_ t: TestApp, _ w: World) async throws {
        let pmo = w.tokens["pmo"]!
        let rows: [[String: Any]] = [
            ["title": "顧客マスタ移行の名寄せルールが未確定", "cause": "関係者間の合意が取れていない。", "nextAction": "次回定例で確認する。",
             "priority": "high", "escalationLevel": 2, "dueDate": "2026-12-01", "owner": w.users["pm"]!.userID.uuidString],
            ["title": "Search screen answers in over 3 s", "priority": "medium", "status": "in_progress"],
            ["title": "帳票レイアウトの承認待ち", "description": "行1\n行2 <b>&</b>", "priority": "low", "nextAction": "承認者に催促する。"],
        ]
        for body in rows {
            let res = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: pmo, json: body)
            #expect(res.status == .created, "\(res.body.string)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func excelRoundTripChangesExactlyTheEditedCells(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await Self.makeIssues(t, w)
            let pmo = w.tokens["pmo"]!
            let export = try await t.send(.GET, "/api/v1/projects/CRM/issues/export.xlsx", token: pmo)
            #expect(export.status == .ok)
            #expect(export.headers.first(name: .contentDisposition)?.contains("CRM-issues-") == true)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-issues-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let original = dir.appendingPathComponent("issues.xlsx")
            try Data(buffer: export.body).write(to: original)

            // openpyxl reads the issue's own columns with their words, dates as dates.
            let dump = try JSONSerialization.jsonObject(with: Data(try Exchange.tool(["dump", original.path]).utf8)) as! [String: Any]
            let sheet = (dump["sheets"] as! [[String: Any]])[0]
            #expect(sheet["name"] as? String == "Issues")
            let rows = sheet["rows"] as! [[[String: Any]]]
            #expect(rows.count == 4)
            let header = rows[0].map { $0["v"] as? String ?? "" }
            #expect(header.prefix(3) == ["No.", "Title", "Status"])
            for title in ["Priority", "Cause", "Next action", "Escalation"] { #expect(header.contains(title), "\(header)") }
            func cell(_ row: Int, _ title: String) -> [String: Any] { rows[row][header.firstIndex(of: title)!] }
            #expect(cell(1, "No.")["v"] as? String == "CRM-I1")
            #expect(cell(1, "Priority")["v"] as? String == "High")
            #expect(cell(1, "Escalation")["v"] as? String == "2 – PMO / lead")
            #expect(cell(1, "Cause")["v"] as? String == "関係者間の合意が取れていない。")
            #expect(cell(1, "Due")["t"] as? String == "d" && cell(1, "Due")["v"] as? String == "2026-12-01")
            #expect(cell(2, "Status")["v"] as? String == "In progress")

            let same = try await Exchange.importFile(t, pmo, Data(buffer: export.body), mode: "preview", plural: "issues")
            #expect(same.status == .ok && same.json["unchanged"] as? Int == 3 && same.json["updates"] as? Int == 0, "\(same.body.string)")

            // Edit two cells with openpyxl: I2's priority (by its word), I3's next action.
            let edited1 = dir.appendingPathComponent("e1.xlsx"), edited2 = dir.appendingPathComponent("e2.xlsx")
            let name = sheet["name"] as! String
            _ = try Exchange.tool(["set", original.path, edited1.path, name, "\(Exchange.letters(header.firstIndex(of: "Priority")!))3", "Critical"])
            _ = try Exchange.tool(["set", edited1.path, edited2.path, name, "\(Exchange.letters(header.firstIndex(of: "Next action")!))4", "承認者に電話する。"])
            let data = try Data(contentsOf: edited2)
            let preview = try await Exchange.importFile(t, pmo, data, mode: "preview", plural: "issues")
            let changed = (preview.json["rows"] as! [[String: Any]]).filter { $0["action"] as? String == "update" }.map { row in
                (row["reference"] as! String, (row["changes"] as! [[String: Any]]).map { $0["field"] as! String })
            }
            #expect(changed.count == 2, "\(preview.body.string)")
            #expect(changed.contains { $0.0 == "CRM-I2" && $0.1 == ["priority"] }, "\(changed)")
            #expect(changed.contains { $0.0 == "CRM-I3" && $0.1 == ["nextAction"] }, "\(changed)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/2", token: pmo).json["priority"] as? String == "medium")

            let apply = try await Exchange.importFile(t, pmo, data, mode: "apply", plural: "issues")
            #expect(apply.status == .ok && apply.json["applied"] as? Bool == true, "\(apply.body.string)")
            let i1 = try await t.send(.GET, "/api/v1/projects/CRM/issues/1", token: pmo).json
            let i2 = try await t.send(.GET, "/api/v1/projects/CRM/issues/2", token: pmo).json
            let i3 = try await t.send(.GET, "/api/v1/projects/CRM/issues/3", token: pmo).json
            #expect(i1["version"] as? Int == 1 && i1["escalationLevel"] as? Int == 2)
            #expect(i2["priority"] as? String == "critical" && i2["version"] as? Int == 2 && i2["status"] as? String == "in_progress")
            #expect(i3["nextAction"] as? String == "承認者に電話する。" && i3["version"] as? Int == 2)
            #expect(i3["description"] as? String == "行1\n行2 <b>&</b>")
            let history = try await t.send(.GET, "/api/v1/projects/CRM/issues/2/history", token: pmo).items
            #expect((history.last!["changes"] as! [[String: Any]]).map { $0["field"] as! String } == ["priority"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCSVInEitherLanguageCreatesIssuesAndABadOneChangesNothing(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await Self.makeIssues(t, w)
            let pmo = w.tokens["pmo"]!
            // Japanese headers and words beside English ones; a row without a number creates an issue.
            let csv = "No.,件名,ステータス,優先度,エスカレーション,原因\n,CSVから起票,対応中,高,3 – steering committee,要員不足\n"
            let created = try await Exchange.importFile(t, pmo, Data(csv.utf8), mode: "apply", plural: "issues")
            #expect(created.status == .ok && created.json["creates"] as? Int == 1, "\(created.body.string)")
            let i4 = try await t.send(.GET, "/api/v1/projects/CRM/issues/4", token: pmo).json
            #expect(i4["title"] as? String == "CSVから起票" && i4["status"] as? String == "in_progress")
            #expect(i4["priority"] as? String == "high" && i4["escalationLevel"] as? Int == 3 && i4["cause"] as? String == "要員不足")

            // A priority that is no word of either language, a risk's number, and a good row: nothing is stored.
            let bad = "No.,Title,Status,Priority\nCRM-I1,Renamed,Open,urgent\nCRM-R1,Other register,Open,Low\n,Fine,Open,Low\n"
            let refused = try await Exchange.importFile(t, pmo, Data(bad.utf8), mode: "apply", plural: "issues")
            #expect(refused.status == .unprocessableEntity, "\(refused.body.string)")
            let codes = (refused.json["errors"] as! [[String: Any]]).map { "\($0["line"]!) \($0["code"]!)" }
            #expect(codes.contains("2 invalid_choice") && codes.contains("3 other_register"), "\(codes)")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/1", token: pmo).json["title"] as? String == "顧客マスタ移行の名寄せルールが未確定")
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/5", token: pmo).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func vendorsExportOnlyTheIssuesTheySeeAndViewersCannotImport(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await Self.makeIssues(t, w)
            let hidden = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: w.tokens["pmo"]!,
                                          json: ["title": "社内限定：契約条件の見直し", "visibility": "internal"])
            #expect(hidden.status == .created)
            let export = try await t.send(.GET, "/api/v1/projects/CRM/issues/export.csv?priority=high,low", token: w.tokens["vendorA"]!)
            #expect(export.status == .ok)
            let text = String(decoding: Data(buffer: export.body), as: UTF8.self)
            #expect(text.contains("顧客マスタ移行の名寄せルールが未確定") && text.contains("帳票レイアウトの承認待ち"))
            #expect(!text.contains("Search screen"), "the list's filter applies to the export")
            #expect(!text.contains("契約条件の見直し"))
            let viewer = try await Exchange.importFile(t, w.tokens["viewer"]!, Data(buffer: export.body), mode: "preview", plural: "issues")
            #expect(viewer.status == .forbidden)
        }
    }
}
