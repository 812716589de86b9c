import Foundation
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// Every class of bad input gets a 4xx problem+json naming the field and the rule, and nothing is stored.
@Suite("Bad input")
struct BadInputTests {
    func expectProblem(_ res: TestingHTTPResponse, _ status: HTTPResponseStatus, code: String, fields: [String] = [],
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(res.status == status, "\(res.body.string)", sourceLocation: sourceLocation)
        #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true, sourceLocation: sourceLocation)
        let json = res.json
        #expect(json["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect(json["title"] is String && json["type"] is String && json["detail"] is String, sourceLocation: sourceLocation)
        #expect(res.problemCode == code, sourceLocation: sourceLocation)
        if !fields.isEmpty { #expect(res.fieldErrors.sorted() == fields.sorted(), sourceLocation: sourceLocation) }
    }

    @Test(arguments: TestDatabase.available)
    func eachBadInputClassIsRefusedAndNothingIsStored(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let issues = "/api/v1/projects/CRM/issues"

            expectProblem(try await t.send(.POST, issues, token: pmo, rawBody: "{\"title\": ", headers: [("Content-Type", "application/json")]),
                          .badRequest, code: "request.malformed")
            expectProblem(try await t.send(.POST, issues, token: pmo, rawBody: "title=x", headers: [("Content-Type", "application/x-www-form-urlencoded")]),
                          .unsupportedMediaType, code: "request.unsupported_media_type")
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": "x", "colour": "red", "severity": 3]),
                          .unprocessableEntity, code: "issue.invalid", fields: ["colour", "severity"])
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": 12, "escalationLevel": "high", "priority": true]),
                          .unprocessableEntity, code: "issue.invalid", fields: ["title", "escalationLevel", "priority"])
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": String(repeating: "長", count: 201)]),
                          .unprocessableEntity, code: "issue.invalid", fields: ["title"])
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": "x", "dueDate": "2026-02-30"]),
                          .unprocessableEntity, code: "issue.invalid", fields: ["dueDate"])
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": "x", "dueDate": "12/01/2026"]),
                          .unprocessableEntity, code: "issue.invalid", fields: ["dueDate"])
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": "   "]),
                          .unprocessableEntity, code: "issue.invalid", fields: ["title"])
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": "x", "escalationLevel": 7]),
                          .unprocessableEntity, code: "issue.invalid", fields: ["escalationLevel"])
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": "x", "visibility": "company"]),
                          .unprocessableEntity, code: "issue.invalid", fields: ["visibilityCompanyId"])
            expectProblem(try await t.send(.POST, "/api/v1/projects/NOPE/issues", token: pmo, json: ["title": "x"]),
                          .notFound, code: "project.not_found")
            expectProblem(try await t.send(.POST, "/api/v1/projects/bad-key!/issues", token: pmo, json: ["title": "x"]),
                          .notFound, code: "project.not_found")
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": "x", "owner": w.users["outsider"]!.userID.uuidString]),
                          .unprocessableEntity, code: "issue.owner_not_member", fields: ["owner"])
            expectProblem(try await t.send(.POST, issues, token: pmo, json: ["title": "x", "owner": "not-an-id"]),
                          .unprocessableEntity, code: "issue.invalid", fields: ["owner"])
            expectProblem(try await t.send(.POST, issues, token: w.tokens["viewer"]!, json: ["title": "x"]),
                          .forbidden, code: "issue.create_forbidden")
            expectProblem(try await t.send(.GET, issues + "?status=done&limit=0&colour=red", token: pmo),
                          .unprocessableEntity, code: "query.invalid", fields: ["status", "limit", "colour"])
            expectProblem(try await t.send(.GET, issues + "?cursor=garbage", token: pmo),
                          .unprocessableEntity, code: "query.invalid", fields: ["cursor"])
            expectProblem(try await t.send(.GET, issues + "/abc", token: pmo), .notFound, code: "route.not_found")
            expectProblem(try await t.send(.GET, issues), .unauthorized, code: "auth.required")
            expectProblem(try await t.send(.GET, issues, token: "pmo_not-a-real-token"), .unauthorized, code: "auth.invalid_token")

            // Nothing of the above was stored.
            let list = try await t.send(.GET, issues, token: pmo)
            #expect(list.items.isEmpty)

            // Projects: duplicate key, bad key, impossible dates.
            let admin = w.tokens["sysadmin"]!
            expectProblem(try await t.send(.POST, "/api/v1/projects", token: admin, json: ["key": "CRM", "name": "again"]),
                          .conflict, code: "project.duplicate_key", fields: ["key"])
            expectProblem(try await t.send(.POST, "/api/v1/projects", token: admin, json: ["key": "crm-2", "name": "x"]),
                          .unprocessableEntity, code: "project.invalid", fields: ["key"])
            expectProblem(try await t.send(.POST, "/api/v1/projects", token: admin, json: ["key": "ERP", "name": "x",
                                                                                              "startDate": "2027-01-01", "targetDate": "2026-01-01"]),
                          .unprocessableEntity, code: "project.invalid", fields: ["targetDate"])
            expectProblem(try await t.send(.POST, "/api/v1/projects", token: pmo, json: ["key": "ERP", "name": "x"]),
                          .forbidden, code: "admin.required")
            #expect(try await t.send(.GET, "/api/v1/projects", token: admin).items.count == 1)

            // Users: duplicate e-mail, bad e-mail, unknown company.
            expectProblem(try await t.send(.POST, "/api/v1/users", token: admin, json: ["email": "PMO@example.com", "displayName": "dup",
                                                                                           "companyId": w.operatorID.uuidString]),
                          .conflict, code: "user.duplicate_email", fields: ["email"])
            expectProblem(try await t.send(.POST, "/api/v1/users", token: admin, json: ["email": "nobody", "displayName": "",
                                                                                           "companyId": w.operatorID.uuidString]),
                          .unprocessableEntity, code: "user.invalid", fields: ["email", "displayName"])
            expectProblem(try await t.send(.POST, "/api/v1/users", token: admin, json: ["email": "new@example.com", "displayName": "New",
                                                                                           "companyId": UUID().uuidString]),
                          .unprocessableEntity, code: "user.invalid", fields: ["companyId"])
            expectProblem(try await t.send(.PUT, "/api/v1/projects/CRM/memberships/\(w.users["outsider"]!.userID)", token: pmo,
                                           json: ["role": "overlord"]),
                          .unprocessableEntity, code: "membership.invalid", fields: ["role"])
        }
    }

    @Test func oversizedBodyIsRefused() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let huge = String(repeating: "x", count: 1_100_000)
            // Over a real socket, so that the body arrives in pieces and the size limit applies while it streams.
            var headers = HTTPHeaders.bearer(w.tokens["pmo"]!)
            headers.contentType = .json
            let server = try await LiveServer.start(t.app)
            let res = try await server.send(.POST, "/api/v1/projects/CRM/issues", headers: headers, body: jsonBody(["title": "x", "description": huge]))
            await server.stop()
            #expect(res.status == .payloadTooLarge)
            #expect(res.problemCode == "request.too_large")
            // A description over 10,000 characters that fits the body limit is refused by the field rule.
            let long = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: w.tokens["pmo"]!,
                                        json: ["title": "x", "description": String(repeating: "x", count: 10_001)])
            #expect(long.status == .unprocessableEntity)
            #expect(long.fieldErrors == ["description"])
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues", token: w.tokens["pmo"]!).items.isEmpty)
        }
    }
}
