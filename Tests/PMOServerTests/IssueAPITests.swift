import Foundation
import PMOTestSupport
import Testing
import VaporTesting

@Suite("Issue register API")
struct IssueAPITests {
    @Test(arguments: TestDatabase.available)
    func createReadPatchDeleteWithVersions(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let owner = w.users["member"]!.userID.uuidString.lowercased()
            let created = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: pmo, json: [
                "title": "名寄せルール未確定", "owner": owner, "dueDate": "2026-12-01", "priority": "high",
            ])
            #expect(created.status == .created)
            #expect(created.headers.first(name: .eTag) == "\"1\"")
            #expect(created.json["reference"] as? String == "CRM-I1")
            #expect(created.headers.first(name: .location) == "/api/v1/projects/CRM/issues/1")
            let second = try await t.createIssue(pmo, ["title": "Second"])
            #expect(second == 2)

            let read = try await t.send(.GET, "/api/v1/projects/CRM/issues/1", token: pmo)
            #expect(read.status == .ok)
            #expect(read.headers.first(name: .eTag) == "\"1\"")
            #expect((read.json["owner"] as? [String: Any])?["id"] as? String == owner)
            #expect(read.json["priority"] as? String == "high")

            // PATCH without If-Match: 428, nothing changes.
            let noMatch = try await t.send(.PATCH, "/api/v1/projects/CRM/issues/1", token: pmo, json: ["status": "in_progress"])
            #expect(noMatch.status == .preconditionRequired)
            #expect(noMatch.headers.contentType?.description.hasPrefix("application/problem+json") == true)

            // Merge patch: change status, clear the due date, leave the rest.
            let patched = try await t.send(.PATCH, "/api/v1/projects/CRM/issues/1", token: pmo,
                                           json: ["status": "in_progress", "dueDate": nil], headers: [("If-Match", "\"1\"")])
            #expect(patched.status == .ok, "\(patched.body.string)")
            #expect(patched.headers.first(name: .eTag) == "\"2\"")
            #expect(patched.json["status"] as? String == "in_progress")
            #expect(patched.json["dueDate"] == nil || patched.json["dueDate"] is NSNull)
            #expect(patched.json["title"] as? String == "名寄せルール未確定")

            // A stale version: 409 and the stored issue is untouched.
            let stale = try await t.send(.PATCH, "/api/v1/projects/CRM/issues/1", token: pmo,
                                         json: ["title": "overwritten"], headers: [("If-Match", "\"1\"")])
            #expect(stale.status == .conflict)
            #expect(stale.problemCode == "version.stale")
            let after = try await t.send(.GET, "/api/v1/projects/CRM/issues/1", token: pmo)
            #expect(after.json["title"] as? String == "名寄せルール未確定")
            #expect(after.json["version"] as? Int == 2)

            // History: create then update, with from/to of each changed field.
            let history = try await t.send(.GET, "/api/v1/projects/CRM/issues/1/history", token: pmo)
            let entries = history.items
            #expect(entries.map { $0["action"] as? String } == ["create", "update"])
            let changes = (entries.last?["changes"] as? [[String: Any]]) ?? []
            #expect(changes.contains { $0["field"] as? String == "status" && $0["from"] as? String == "open" && $0["to"] as? String == "in_progress" })
            #expect(changes.contains { $0["field"] as? String == "dueDate" && $0["from"] as? String == "2026-12-01" })
            #expect(!changes.contains { $0["field"] as? String == "title" })

            // DELETE needs If-Match too, and a stale one is refused.
            #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/issues/1", token: pmo).status == .preconditionRequired)
            #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/issues/1", token: pmo, headers: [("If-Match", "\"1\"")]).status == .conflict)
            #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/issues/1", token: pmo, headers: [("If-Match", "\"2\"")]).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/1", token: pmo).status == .notFound)
            // Numbers are never reused.
            #expect(try await t.createIssue(pmo, ["title": "Third"]) == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func listFiltersSortAndKeysetPagination(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let member = w.users["member"]!.userID.uuidString.lowercased()
            for i in 1...23 {
                _ = try await t.createIssue(pmo, [
                    "title": "Issue \(i)" + (i % 5 == 0 ? " migration" : ""),
                    "priority": ["low", "medium", "high", "critical"][i % 4],
                    "status": i % 3 == 0 ? "resolved" : "open",
                    "owner": i % 2 == 0 ? member : nil,
                    "dueDate": i <= 4 ? "2020-01-0\(i)" : "2099-01-\(String(format: "%02d", i))",
                ])
            }
            // Pages of 10 walk every issue exactly once, in order.
            var seen: [Int] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/projects/CRM/issues?limit=10" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await t.send(.GET, path, token: pmo)
                #expect(page.status == .ok)
                seen += page.items.compactMap { $0["number"] as? Int }
                cursor = page.json["nextCursor"] as? String
            } while cursor != nil
            #expect(seen == Array(1...23))

            // Descending priority with ties broken by number, across pages.
            var byPriority: [(Int, String)] = []
            cursor = nil
            repeat {
                let page = try await t.send(.GET, "/api/v1/projects/CRM/issues?sort=-priority&limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""), token: pmo)
                byPriority += page.items.map { ($0["number"] as! Int, $0["priority"] as! String) }
                cursor = page.json["nextCursor"] as? String
            } while cursor != nil
            #expect(byPriority.count == 23)
            let rank = ["low": 0, "medium": 1, "high": 2, "critical": 3]
            #expect(zip(byPriority, byPriority.dropFirst()).allSatisfy { a, b in
                rank[a.1]! > rank[b.1]! || (rank[a.1]! == rank[b.1]! && a.0 > b.0)
            })

            // Most recently changed first, across pages, after touching a few issues.
            for number in [7, 3, 19] {
                let etag = try await t.send(.GET, "/api/v1/projects/CRM/issues/\(number)", token: pmo).headers.first(name: .eTag) ?? ""
                #expect(try await t.send(.PATCH, "/api/v1/projects/CRM/issues/\(number)", token: pmo, json: ["nextAction": "touched"],
                                         headers: [("If-Match", etag)]).status == .ok)
            }
            var byUpdate: [Int] = []
            cursor = nil
            repeat {
                let page = try await t.send(.GET, "/api/v1/projects/CRM/issues?sort=-updated&limit=4" + (cursor.map { "&cursor=\($0)" } ?? ""), token: pmo)
                byUpdate += page.items.compactMap { $0["number"] as? Int }
                cursor = page.json["nextCursor"] as? String
            } while cursor != nil
            #expect(byUpdate.count == 23 && Set(byUpdate).count == 23)
            #expect(Array(byUpdate.prefix(3)) == [19, 3, 7])

            let open = try await t.send(.GET, "/api/v1/projects/CRM/issues?status=open&limit=200", token: pmo)
            #expect(open.items.count == 23 - 7)
            #expect(open.items.allSatisfy { $0["status"] as? String == "open" })

            // Not yet resolved or closed, as the registers' open filter.
            let unfinished = try await t.send(.GET, "/api/v1/projects/CRM/issues?open=true&limit=200", token: pmo)
            #expect(unfinished.items.compactMap { $0["number"] as? Int } == (1...23).filter { $0 % 3 != 0 })
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues?open=false&limit=200", token: pmo).items.count == 23)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues?open=maybe", token: pmo).fieldErrors == ["open"])

            let mine = try await t.send(.GET, "/api/v1/projects/CRM/issues?owner=\(member)&limit=200", token: pmo)
            #expect(mine.items.count == 11)
            let unowned = try await t.send(.GET, "/api/v1/projects/CRM/issues?owner=none&limit=200", token: pmo)
            #expect(unowned.items.count == 12)
            #expect(unowned.items.allSatisfy { $0["unowned"] as? Bool == true })

            // Overdue: due in 2020 and not finished (issue 3 is resolved, so 1, 2, 4).
            let overdue = try await t.send(.GET, "/api/v1/projects/CRM/issues?overdue=true", token: pmo)
            #expect(overdue.items.compactMap { $0["number"] as? Int } == [1, 2, 4])
            #expect(overdue.items.allSatisfy { $0["overdue"] as? Bool == true })

            let text = try await t.send(.GET, "/api/v1/projects/CRM/issues?q=MIGRATION", token: pmo)
            #expect(text.items.compactMap { $0["number"] as? Int } == [5, 10, 15, 20])

            let critical = try await t.send(.GET, "/api/v1/projects/CRM/issues?priority=critical,high&sort=due&limit=3", token: pmo)
            #expect(critical.items.compactMap { $0["number"] as? Int } == [2, 3, 6])
        }
    }

    @Test(arguments: TestDatabase.available)
    func commentsAndLinks(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            _ = try await t.createIssue(pmo, ["title": "A"])
            _ = try await t.createIssue(pmo, ["title": "B"])
            let comment = try await t.send(.POST, "/api/v1/projects/CRM/issues/1/comments", token: w.tokens["member"]!, json: ["body": "確認します"])
            #expect(comment.status == .created)
            let comments = try await t.send(.GET, "/api/v1/projects/CRM/issues/1/comments", token: pmo)
            #expect(comments.items.map { $0["body"] as? String } == ["確認します"])

            let link = try await t.send(.POST, "/api/v1/projects/CRM/issues/1/links", token: pmo, json: ["to": 2, "kind": "blocks"])
            #expect(link.status == .created)
            #expect(link.json["reference"] as? String == "CRM-I2")
            let fromB = try await t.send(.GET, "/api/v1/projects/CRM/issues/2/links", token: pmo)
            #expect(fromB.items.first?["direction"] as? String == "incoming")
            #expect(fromB.items.first?["number"] as? Int == 1)
            #expect(fromB.items.first?["register"] as? String == "issue")
            // Issues have one list of links, in the register shape: a link to a register item is in it, and the
            // old …/item-links path answers the same list.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/risks", token: pmo, json: RegisterTestKit.body(.risk, title: "要員不足")).status == .created)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues/2/links", token: pmo, json: ["to": "R1", "kind": "duplicates"]).status == .created)
            let both = try await t.send(.GET, "/api/v1/projects/CRM/issues/2/links", token: pmo)
            #expect(Set(both.items.compactMap { $0["reference"] as? String }) == ["CRM-I1", "CRM-R1"])
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/2/item-links", token: pmo).items.count == 2)
            let fromRisk = try await t.send(.GET, "/api/v1/projects/CRM/risks/1/links", token: pmo)
            #expect(fromRisk.items.map { "\($0["kind"] ?? "") \($0["direction"] ?? "") \($0["reference"] ?? "")" } == ["duplicates incoming CRM-I2"])
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues/1/links", token: pmo, json: ["to": 2.5]).fieldErrors == ["to"])
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues/1/links", token: pmo, json: ["to": 2, "kind": "blocks"]).status == .conflict)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues/1/links", token: pmo, json: ["to": 1]).status == .unprocessableEntity)
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues/1/links", token: pmo, json: ["to": 99]).fieldErrors == ["to"])
            let id = link.json["id"] as! String
            #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/issues/1/links/\(id)", token: pmo).status == .noContent)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/1/links", token: pmo).items.isEmpty)
            let history = try await t.send(.GET, "/api/v1/projects/CRM/issues/1/history", token: pmo)
            #expect(history.items.compactMap { $0["action"] as? String } == ["create", "comment", "link", "unlink"])
        }
    }
}
