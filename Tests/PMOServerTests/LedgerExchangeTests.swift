import Foundation
import PMOCore
@testable import PMOServer
import PMOStore
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The budget ledger as the 予算管理表 workbook, on both databases: the export read with openpyxl (a row per line and
/// order with the ledger's figures and month columns, a sheet of milestones), a workbook edited with openpyxl
/// previewed and applied (a budget changed, an order renamed, an acceptance and a payment recorded, a line and an
/// order added), bad cells refused naming their column with nothing stored, and who may export and import.
@Suite("Budget ledger workbook")
struct LedgerExchangeTests {
    typealias Exchange = RegisterExchangeTests

    static func importFile(_ t: TestApp, _ token: String, _ data: Data, mode: String) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders.bearer(token)
        headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return try await t.app.testing().sendRequest(.POST, "/api/v1/projects/CRM/ledger/import?mode=\(mode)", headers: headers, body: ByteBuffer(data: data))
    }

    struct Workbook {
        var sheets: [[String: Any]]
        func rows(_ sheet: Int) -> [[[String: Any]]] { sheets[sheet]["rows"] as! [[[String: Any]]] }
        func header(_ sheet: Int) -> [String] { rows(sheet)[0].map { $0["v"] as? String ?? "" } }
        func column(_ sheet: Int, _ title: String) -> Int? { header(sheet).firstIndex(of: title) }
        func value(_ sheet: Int, row: Int, _ title: String) -> Any? {
            guard let c = column(sheet, title) else { return nil }
            let cells = rows(sheet)[row]
            guard c < cells.count, let v = cells[c]["v"], !(v is NSNull) else { return nil }
            return v
        }
        func number(_ sheet: Int, row: Int, _ title: String) -> Int? { (value(sheet, row: row, title) as? NSNumber)?.intValue }
        func cell(_ sheet: Int, row: Int, _ title: String) -> String { "\(Exchange.letters(column(sheet, title)!))\(row + 1)" }
        var name0: String { sheets[0]["name"] as! String }
        var name1: String { sheets[1]["name"] as! String }
    }

    static func dump(_ path: URL) throws -> Workbook {
        let json = try JSONSerialization.jsonObject(with: Data(try Exchange.tool(["dump", path.path]).utf8)) as! [String: Any]
        return Workbook(sheets: json["sheets"] as! [[String: Any]])
    }

    static func edit(_ from: URL, _ to: URL, _ edits: [[Any?]]) throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: edits.map { $0.map { $0 ?? NSNull() } }), as: UTF8.self)
        _ = try Exchange.tool(["set-many", from.path, to.path, json])
    }

    /// A fresh directory for the workbooks of one test (the caller removes it).
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func ledger(_ t: TestApp, _ token: String) async throws -> [String: Any] {
        try await t.send(.GET, "/api/v1/projects/CRM/ledger", token: token).json
    }

    @Test(arguments: TestDatabase.available)
    func theWorkbookGoesToExcelAndAnEditedOneComesBack(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await LedgerAPITests.prepare(t, w)
            let export = try await t.send(.GET, "/api/v1/projects/CRM/ledger/export.xlsx", token: pmo)
            #expect(export.status == .ok)
            #expect(export.headers.first(name: .contentDisposition)?.contains("CRM-ledger-") == true)
            let dir = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            let original = dir.appendingPathComponent("ledger.xlsx")
            try Data(buffer: export.body).write(to: original)

            // openpyxl reads a row per line, each order under its line, the figures and the month columns.
            let book = try Self.dump(original)
            #expect(book.sheets.count == 2 && book.name0 == "Budget ledger" && book.name1 == "Acceptance and payment")
            #expect(book.header(0).prefix(7) == ["Row type", "Number", "Fiscal year", "Budget line no.", "Category", "System", "Name or title"])
            #expect(book.rows(0).count == 5)
            #expect((1...4).map { book.value(0, row: $0, "Number") as? String } == ["L1", "O1", "L2", "L3"])
            #expect(book.value(0, row: 1, "Row type") as? String == "Budget line" && book.value(0, row: 2, "Row type") as? String == "Order")
            #expect(book.value(0, row: 1, "Category") as? String == "Development" && book.value(0, row: 1, "System") as? String == "S1")
            #expect(book.number(0, row: 1, "Original budget") == 30_000_000 && book.number(0, row: 1, "Estimated") == 24_000_000)
            #expect(book.number(0, row: 1, "Ordered with tax") == 26_400_000 && book.number(0, row: 1, "Accepted before tax") == 18_000_000)
            #expect(book.number(0, row: 1, "Paid before tax") == 8_000_000 && book.number(0, row: 1, "Remaining budget") == 6_000_000)
            let l1Cells = book.rows(0)[1]
            #expect(l1Cells[book.column(0, "Original budget")!]["fmt"] as? String == "#,##0")
            #expect(book.value(0, row: 2, "Vendor") as? String == "Vendor A" && book.value(0, row: 2, "Budget line no.") as? String == "L1")
            #expect(book.value(0, row: 2, "Contract type") as? String == "Fixed price (請負)" && book.number(0, row: 2, "Tax rate (%)") == 10)
            #expect(book.value(0, row: 2, "Order date") as? String == "2026-05-15")
            // 24 months of FY2026 and FY2027, two columns each: acceptance and payment where it happened, else where planned.
            #expect(book.header(0).filter { $0.hasSuffix(" acceptance") }.count == 24 && book.header(0).contains("2028-03 payment"))
            #expect(book.number(0, row: 2, "2026-09 acceptance") == 8_000_000 && book.number(0, row: 2, "2026-10 payment") == 8_000_000)
            #expect(book.number(0, row: 2, "2027-03 acceptance") == 18_000_000 && book.number(0, row: 1, "2027-04 payment") == 18_000_000)
            #expect(book.value(0, row: 4, "2027-04 payment") == nil)
            #expect(book.rows(1).count == 4 && book.value(1, row: 1, "Order no.") as? String == "O1")
            #expect(book.value(1, row: 1, "Accepted in") as? String == "2026-09" && book.value(1, row: 3, "Accepted in") == nil)

            let same = try await Self.importFile(t, pmo, Data(buffer: export.body), mode: "preview")
            #expect(same.status == .ok && same.json["unchanged"] as? Int == 4 && same.json["errorCount"] as? Int == 0, "\(same.body.string)")

            // Edit it as a PMO would: L2's budget, O1's title, the second milestone paid and the third accepted, a new
            // FY2027 licence line and a new order on L3 written in the other language's words.
            let edited = dir.appendingPathComponent("edited.xlsx")
            let s0 = book.name0, s1 = book.name1
            try Self.edit(original, edited, [
                [s0, book.cell(0, row: 3, "Original budget"), "5000000", "--number"],
                [s0, book.cell(0, row: 2, "Name or title"), "CRM構築 第1期（改）", nil],
                [s1, book.cell(1, row: 2, "Paid in"), "2027-04", nil],
                [s1, book.cell(1, row: 3, "Accepted in"), "2027-03", nil],
                [s0, "A6", "Budget line", nil], [s0, book.cell(0, row: 5, "Fiscal year"), "2027", "--number"],
                [s0, book.cell(0, row: 5, "Category"), "ライセンス", nil], [s0, book.cell(0, row: 5, "Name or title"), "帳票ライセンス", nil],
                [s0, book.cell(0, row: 5, "Original budget"), "¥1,200,000", nil],
                [s0, "A7", "発注", nil], [s0, book.cell(0, row: 6, "Budget line no."), "L3", nil], [s0, book.cell(0, row: 6, "Vendor"), "vendor b", nil],
                [s0, book.cell(0, row: 6, "Contract type"), "準委任", nil], [s0, book.cell(0, row: 6, "Name or title"), "保守", nil],
                [s0, book.cell(0, row: 6, "Order amount before tax"), "1000000", "--number"], [s0, book.cell(0, row: 6, "Tax rate (%)"), "8", "--number"],
                [s0, book.cell(0, row: 6, "Order date"), "2027-05-01", "--date"],
            ])
            let data = try Data(contentsOf: edited)
            let preview = try await Self.importFile(t, pmo, data, mode: "preview")
            #expect(preview.status == .ok && preview.json["errorCount"] as? Int == 0, "\(preview.body.string)")
            #expect(preview.json["creates"] as? Int == 2 && preview.json["updates"] as? Int == 2 && preview.json["unchanged"] as? Int == 2, "\(preview.body.string)")
            let changed = Dictionary(uniqueKeysWithValues: (preview.json["rows"] as! [[String: Any]]).map { row in
                (row["reference"] as? String ?? "", Set((row["changes"] as! [[String: Any]]).map { $0["field"] as! String }))
            })
            #expect(changed["L2"] == ["original"] && changed["O1"] == ["title", "milestones"], "\(changed)")
            // A preview stores nothing.
            #expect(LedgerAPITests.row(try await Self.ledger(t, pmo), line: 2)?["budget"] as? Int == 4_000_000)

            let apply = try await Self.importFile(t, pmo, data, mode: "apply")
            #expect(apply.status == .ok && apply.json["applied"] as? Bool == true, "\(apply.body.string)")
            let after = try await Self.ledger(t, pmo)
            #expect(LedgerAPITests.row(after, line: 2)?["budget"] as? Int == 5_000_000)
            let l1 = try #require(LedgerAPITests.row(after, line: 1))
            #expect(l1["accepted"] as? Int == 26_000_000 && l1["paid"] as? Int == 18_000_000, "\(l1)")
            let l4 = try #require((after["lines"] as? [[String: Any]])?.first { $0["number"] as? Int == 4 })
            #expect(l4["budget"] as? Int == 1_200_000 && l4["category"] as? String == "licences" && l4["fiscalYear"] as? Int == 2027, "\(l4)")
            let o1 = try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/1", token: pmo).json
            #expect(o1["title"] as? String == "CRM構築 第1期（改）" && (o1["milestones"] as? [[String: Any]])?.count == 3)
            let o2 = try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/2", token: pmo).json
            #expect(o2["line"] as? Int == 3 && o2["contractType"] as? String == "time_and_materials" && o2["taxRate"] as? Double == 8, "\(o2)")
            #expect(o2["vendorId"] as? String == w.vendorB.uuidString.lowercased() && o2["amount"] as? Int == 1_000_000)
            let history = try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/1", token: pmo).json["version"] as? Int
            #expect(history == 3, "title, then milestones: two versions")

            // The same file again is stale: O1 and L2 moved on since it was exported.
            let stale = try await Self.importFile(t, pmo, data, mode: "apply")
            #expect(stale.status == .unprocessableEntity && stale.json["applied"] as? Bool == false)
            let codes = (stale.json["errors"] as! [[String: Any]]).map { $0["code"] as! String }
            #expect(codes.contains("edited_since_export"), "\(stale.body.string)")
        }
    }

    /// An order drawing on two lines is a row under each, with the line's share as its amount and its figures split;
    /// the file comes back unchanged, an edit moving money between the rows changes the shares, and rows of one order
    /// that disagree on anything but the line and the amount are refused naming the column.
    @Test(arguments: TestDatabase.available)
    func anOrderOnSeveralLinesIsARowUnderEach(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await LedgerAPITests.prepare(t, w)
            #expect(try await LedgerAPITests.post(t, pmo, "lines", ["fiscalYear": 2026, "category": "licences", "name": "ライセンス", "original": 5_000_000]).status == .created)
            let placed = try await LedgerAPITests.post(t, pmo, "orders", [
                "lines": [["line": 4, "amount": 3_000_000], ["line": 1, "amount": 6_000_000]], "vendorId": w.vendorA.uuidString.lowercased(),
                "title": "CRM構築と帳票ライセンス", "amount": 9_000_000, "orderDate": "2026-06-01",
                "milestones": [["name": "導入 検収", "amount": 4_500_001, "plannedAcceptance": "2026-09", "plannedPayment": "2026-10"]]])
            #expect(placed.status == .created, "\(placed.body.string)")
            let export = try await t.send(.GET, "/api/v1/projects/CRM/ledger/export.xlsx", token: pmo)
            let dir = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            let original = dir.appendingPathComponent("ledger.xlsx")
            try Data(buffer: export.body).write(to: original)
            let book = try Self.dump(original)
            // L1, O1, O2 (L1's share), L2, L4, O2 (L4's share), L3.
            #expect((1...7).map { book.value(0, row: $0, "Number") as? String } == ["L1", "O1", "O2", "L2", "L4", "O2", "L3"])
            #expect(book.value(0, row: 3, "Budget line no.") as? String == "L1" && book.number(0, row: 3, "Order amount before tax") == 6_000_000)
            #expect(book.value(0, row: 6, "Budget line no.") as? String == "L4" && book.number(0, row: 6, "Order amount before tax") == 3_000_000)
            #expect(book.number(0, row: 6, "Ordered with tax") == 3_300_000 && book.number(0, row: 3, "Ordered with tax") == 6_600_000)
            // The milestone's 4,500,001 split a third and two thirds in its month's columns, as the ledger splits it.
            #expect(book.number(0, row: 6, "2026-09 acceptance") == 1_500_000 && book.number(0, row: 3, "2026-09 acceptance") == 3_000_001)
            #expect(book.number(0, row: 6, "Ordered before tax (agreed changes included)") == 3_000_000 && book.number(0, row: 1, "Remaining budget") == 0)
            #expect(book.rows(1).filter { $0.first?["v"] as? String == "O2" }.count == 1, "the milestone sheet lists the order once")

            let same = try await Self.importFile(t, pmo, Data(buffer: export.body), mode: "preview")
            #expect(same.status == .ok && same.json["unchanged"] as? Int == 6 && same.json["errorCount"] as? Int == 0, "\(same.body.string)")

            // Move a million from L1's share to L4's.
            let moved = dir.appendingPathComponent("moved.xlsx")
            try Self.edit(original, moved, [[book.name0, book.cell(0, row: 3, "Order amount before tax"), "5000000", "--number"],
                                            [book.name0, book.cell(0, row: 6, "Order amount before tax"), "4000000", "--number"]])
            let apply = try await Self.importFile(t, pmo, try Data(contentsOf: moved), mode: "apply")
            #expect(apply.status == .ok && apply.json["updates"] as? Int == 1, "\(apply.body.string)")
            let o2 = try await t.send(.GET, "/api/v1/projects/CRM/ledger/orders/2", token: pmo).json
            let shares = (o2["lines"] as? [[String: Any]] ?? []).map { "L\($0["line"] as? Int ?? 0):\($0["amount"] as? Int ?? 0)" }
            #expect(Set(shares) == ["L1:5000000", "L4:4000000"] && o2["amount"] as? Int == 9_000_000, "\(o2)")
            let after = try await Self.ledger(t, pmo)
            #expect(LedgerAPITests.row(after, line: 4)?["ordered"] as? Int == 4_000_000 && LedgerAPITests.row(after, line: 1)?["remaining"] as? Int == 1_000_000)

            // The rows of one order disagreeing on its vendor or naming a line twice: refused, nothing stored.
            let bad = dir.appendingPathComponent("bad.xlsx")
            let fresh = dir.appendingPathComponent("fresh.xlsx")
            try Data(buffer: try await t.send(.GET, "/api/v1/projects/CRM/ledger/export.xlsx", token: pmo).body).write(to: fresh)
            let now = try Self.dump(fresh)
            let l4Row = try #require((1..<now.rows(0).count).first { now.value(0, row: $0, "Number") as? String == "O2" && now.value(0, row: $0, "Budget line no.") as? String == "L4" })
            try Self.edit(fresh, bad, [[now.name0, now.cell(0, row: l4Row, "Vendor"), "Vendor B", nil]])
            let refused = try await Self.importFile(t, pmo, try Data(contentsOf: bad), mode: "apply")
            let errors = (refused.json["errors"] as? [[String: Any]] ?? []).map { "\($0["line"] as? Int ?? 0) \($0["column"] as? String ?? "") \($0["code"] as? String ?? "")" }
            #expect(refused.status == .unprocessableEntity && errors == ["\(l4Row + 1) Vendor share_rows_differ"], "\(refused.body.string)")
            let twice = dir.appendingPathComponent("twice.xlsx")
            try Self.edit(fresh, twice, [[now.name0, now.cell(0, row: l4Row, "Budget line no."), "L1", nil]])
            let repeated = try await Self.importFile(t, pmo, try Data(contentsOf: twice), mode: "preview")
            #expect((repeated.json["errors"] as? [[String: Any]] ?? []).map { $0["code"] as? String } == ["duplicate_row"], "\(repeated.body.string)")
            #expect(LedgerAPITests.row(try await Self.ledger(t, pmo), line: 4)?["ordered"] as? Int == 4_000_000)
        }
    }

    @Test(arguments: TestDatabase.available)
    func badCellsAreRefusedByColumnAndNothingIsStored(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            try await LedgerAPITests.prepare(t, w)
            let export = try await t.send(.GET, "/api/v1/projects/CRM/ledger/export.xlsx", token: pmo)
            let dir = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            let original = dir.appendingPathComponent("ledger.xlsx"), edited = dir.appendingPathComponent("bad.xlsx")
            try Data(buffer: export.body).write(to: original)
            let book = try Self.dump(original)
            let before = try await Self.ledger(t, pmo)
            // A good change beside bad ones: nothing at all is stored.
            try Self.edit(original, edited, [
                [book.name0, book.cell(0, row: 1, "Name or title"), "CRM開発（改）", nil],
                [book.name0, book.cell(0, row: 3, "Original budget"), "-5", "--number"],
                [book.name0, book.cell(0, row: 4, "Category"), "Catering", nil],
                [book.name1, book.cell(1, row: 2, "Paid in"), "2027-01", nil],
                [book.name1, book.cell(1, row: 3, "Planned acceptance"), "someday", nil],
                // A new order above what is left of L1, and one with an unknown vendor and a fraction of a yen.
                [book.name0, "A6", "Order", nil], [book.name0, book.cell(0, row: 5, "Budget line no."), "L1", nil],
                [book.name0, book.cell(0, row: 5, "Vendor"), "Vendor B", nil], [book.name0, book.cell(0, row: 5, "Contract type"), "Fixed price (請負)", nil],
                [book.name0, book.cell(0, row: 5, "Name or title"), "追加", nil], [book.name0, book.cell(0, row: 5, "Order amount before tax"), "99000000", "--number"],
                [book.name0, book.cell(0, row: 5, "Order date"), "2026-06-01", "--date"],
                [book.name0, "A7", "Order", nil], [book.name0, book.cell(0, row: 6, "Budget line no."), "L1", nil],
                [book.name0, book.cell(0, row: 6, "Vendor"), "Nobody Ltd", nil], [book.name0, book.cell(0, row: 6, "Contract type"), "Fixed price (請負)", nil],
                [book.name0, book.cell(0, row: 6, "Name or title"), "追加2", nil], [book.name0, book.cell(0, row: 6, "Order amount before tax"), "12.5", "--number"],
                [book.name0, book.cell(0, row: 6, "Order date"), "2026-06-01", "--date"],
            ])
            let res = try await Self.importFile(t, pmo, try Data(contentsOf: edited), mode: "apply")
            #expect(res.status == .unprocessableEntity && res.json["applied"] as? Bool == false, "\(res.body.string)")
            let errors = (res.json["errors"] as! [[String: Any]]).map { ($0["line"] as! Int, $0["column"] as! String, $0["code"] as! String) }
            func has(_ line: Int, _ column: String, _ code: String) -> Bool { errors.contains { $0 == (line, column, code) } }
            #expect(has(4, "Original budget", "negative"), "\(errors)")
            #expect(has(5, "Category", "invalid_choice"), "\(errors)")
            #expect(has(6, "Overrun reason", "over_budget"), "\(errors)")
            #expect(has(3, "Acceptance and payment: Paid in", "before_acceptance"), "\(errors)")
            #expect(has(4, "Acceptance and payment: Planned acceptance", "invalid_month"), "\(errors)")
            #expect(has(7, "Vendor", "unknown_company") && has(7, "Order amount before tax", "fraction"), "\(errors)")
            func canonical(_ json: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]) }
            #expect(try canonical(try await Self.ledger(t, pmo)) == (try canonical(before)))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aVendorExportsItsOwnOrdersOnlyAndMayNotImport(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            try await LedgerAPITests.prepare(t, w)
            let pmoExport = try await t.send(.GET, "/api/v1/projects/CRM/ledger/export.xlsx", token: w.tokens["pmo"]!)
            let dir = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            for (who, orders) in [("vendorA", ["O1"]), ("vendorB", [])] {
                let res = try await t.send(.GET, "/api/v1/projects/CRM/ledger/export.xlsx", token: w.tokens[who]!)
                #expect(res.status == .ok)
                let path = dir.appendingPathComponent("\(who).xlsx")
                try Data(buffer: res.body).write(to: path)
                let book = try Self.dump(path)
                let numbers = book.rows(0).dropFirst().map { $0[book.column(0, "Number")!]["v"] as? String ?? "" }
                #expect(numbers == orders, "\(who): \(numbers)")
                // No budget line, so no budget, remaining or forecast figure and no other vendor's name anywhere.
                let text = book.rows(0).flatMap { $0.map { "\($0["v"] ?? "")" } }.joined(separator: "|")
                #expect(!text.contains("30000000") && !text.contains("Vendor B") && !text.contains("社内工数"), "\(who): \(text)")
                let refused = try await Self.importFile(t, w.tokens[who]!, Data(buffer: pmoExport.body), mode: "preview")
                #expect(refused.status == .forbidden, "\(who): \(refused.body.string)")
            }
            // A member without the commercial right sees no money in the workbook either.
            let member = try await t.send(.GET, "/api/v1/projects/CRM/ledger/export.xlsx", token: w.tokens["member"]!)
            let path = dir.appendingPathComponent("member.xlsx")
            try Data(buffer: member.body).write(to: path)
            #expect(try Self.dump(path).rows(0).count == 1)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/ledger/export.xlsx", token: w.tokens["outsider"]!).status == .notFound)
        }
    }
}
