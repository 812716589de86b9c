import Foundation
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// A resource's capacity given as a percentage or in hours a day on the resource form; the API answers both.
@Suite("Resource capacity in hours")
struct ResourceCapacityAPITests {
    @Test(arguments: TestDatabase.available)
    func answersGiveTheCapacityInHoursToo(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let created = try await t.send(.POST, "/api/v1/resources", token: w.tokens["pmo"]!, json: [
                "kind": "person", "name": "Part-timer", "companyId": w.vendorA.uuidString.lowercased(), "capacityPercent": 75,
                "capacityChanges": [["from": "2027-04-01", "percent": 94], ["from": "2027-10-01", "percent": 50]],
            ])
            #expect(created.status == .created, "\(created.body.string)")
            #expect(created.json["capacityHoursPerDay"] as? Double == 6)
            let changes = created.json["capacityChanges"] as? [[String: Any]] ?? []
            #expect(changes.map { $0["hoursPerDay"] as? Double } == [7.52, 4])
        }
    }

    @Test(arguments: TestDatabase.available)
    func theFormTakesPercentagesOrHours(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let session = try await BrowserSession.login(t, email: "pmo@example.com")
            let company = w.vendorA.uuidString.lowercased()
            let posted = try await session.post("/resources", [
                "kind": "person", "name": "時短勤務の山田", "companyId": company, "role": "", "email": "", "skills": "", "notes": "",
                "capacityPercent": "６時間", "capacityChanges": "2027-04-01 7.5h\n2027-10-01 50%",
            ])
            #expect(posted.status == .seeOther, "\(posted.body.string)")
            let list = try await t.send(.GET, "/api/v1/resources", token: w.tokens["pmo"]!).json["resources"] as? [[String: Any]] ?? []
            let made = list.first { $0["name"] as? String == "時短勤務の山田" }
            #expect(made?["capacityPercent"] as? Int == 75)
            #expect((made?["capacityChanges"] as? [[String: Any]])?.map { $0["percent"] as? Int } == [94, 50])
            let page = try await session.get(posted.headers.first(name: .location) ?? "/resources")
            #expect(page.body.string.contains("75 % (6 h a day)"))

            // Words that are neither: the form comes back with the field named, and nothing is saved.
            let bad = try await session.post("/resources", [
                "kind": "person", "name": "Unclear", "companyId": company, "capacityPercent": "full time",
            ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("hours a day"))
            let again = try await t.send(.GET, "/api/v1/resources", token: w.tokens["pmo"]!).json["resources"] as? [[String: Any]] ?? []
            #expect(!again.contains { $0["name"] as? String == "Unclear" })
        }
    }
}
