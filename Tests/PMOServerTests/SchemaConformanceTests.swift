import Foundation
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// The checker that every API test runs on every answer must itself catch what it is there to catch.
@Suite("Answers are checked against the served document")
struct SchemaConformanceTests {
    static let document = try! JSONDecoder().decode(JSONValue.self, from: Data("""
    {"paths": {
      "/api/v1/things/{number}": {"get": {"responses": {
        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
        "404": {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
      "/api/v1/things/export.csv": {"get": {"responses": {"200": {"content": {"text/csv": {}}}}}},
      "/api/v1/things/{number}/done": {"post": {"responses": {"204": {"description": "Done"}}}}
    },
    "components": {"schemas": {
      "Problem": {"type": "object", "properties": {"code": {"type": "string"}}, "required": ["code"]},
      "Thing": {"type": "object", "required": ["id", "status"], "properties": {
        "id": {"type": "string", "format": "uuid"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "due": {"type": ["string", "null"], "format": "date"},
        "owner": {"oneOf": [{"$ref": "#/components/schemas/Person"}, {"type": "null"}]},
        "score": {"type": "integer", "minimum": 1, "maximum": 25},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}},
        "extra": {"type": "object", "additionalProperties": {"type": "integer"}}}},
      "Person": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    }}}
    """.utf8))

    func check(_ path: String, _ status: Int, _ body: String, method: String = "GET", type: String = "application/json") -> [String] {
        SchemaConformance.check(document: Self.document, method: method, path: path, status: status, contentType: type,
                                body: Data(body.utf8))
    }

    @Test func aConformingAnswerPasses() {
        let id = UUID().uuidString.lowercased()
        #expect(check("/api/v1/things/3", 200, #"{"id": "\#(id)", "status": "open", "due": null, "owner": {"name": "Sato"}, "score": 25, "tags": ["a"], "extra": {"x": 1}}"#).isEmpty)
        #expect(check("/api/v1/things/3", 200, #"{"id": "\#(id)", "status": "closed", "due": "2026-12-03", "owner": null}"#).isEmpty)
        #expect(check("/api/v1/things/3", 404, #"{"code": "thing.not_found"}"#, type: "application/problem+json").isEmpty)
        #expect(check("/api/v1/things/export.csv", 200, "a,b\n", type: "text/csv; charset=utf-8").isEmpty)
        #expect(check("/api/v1/things/3/done", 204, "", method: "POST", type: "").isEmpty)
    }

    @Test func eachKindOfDriftIsCaught() {
        let id = UUID().uuidString.lowercased()
        func one(_ body: String) -> String { check("/api/v1/things/3", 200, body).joined(separator: " | ") }
        #expect(one(#"{"status": "open"}"#).contains("required property id is missing"))
        #expect(one(#"{"id": "x", "status": "open"}"#).contains("is not a uuid"))
        #expect(one(#"{"id": "\#(id)", "status": "resolved"}"#).contains("is not one of"))
        #expect(one(#"{"id": "\#(id)", "status": "open", "due": "3 Dec"}"#).contains("is not a date"))
        #expect(one(#"{"id": "\#(id)", "status": "open", "owner": {"nom": "Sato"}}"#).contains("fits none"))
        #expect(one(#"{"id": "\#(id)", "status": "open", "score": 26}"#).contains("above"))
        #expect(one(#"{"id": "\#(id)", "status": "open", "score": 2.5}"#).contains("number where the schema says integer"))
        #expect(one(#"{"id": "\#(id)", "status": "open", "tags": ["long"]}"#).contains("$.tags[0]: longer than 3"))
        #expect(one(#"{"id": "\#(id)", "status": "open", "extra": {"x": "1"}}"#).contains("$.extra.x: string where"))
        #expect(one(#"{"id": "\#(id)", "status": "open", "secret": 1}"#).contains("property secret is not in the schema"))
        #expect(one(#"{"id": "\#(id)", "status": true}"#).contains("boolean where the schema says string"))
    }

    @Test func statusesAndContentTypesAreChecked() {
        #expect(check("/api/v1/things/3", 409, #"{"code": "x"}"#, type: "application/problem+json").first?.contains("status 409 is not documented") == true)
        #expect(check("/api/v1/things/3", 404, #"{"code": "x"}"#).first?.contains("content type application/json is not one of") == true)
        #expect(check("/api/v1/things/3/done", 204, "{}", method: "POST").first?.contains("where the document says none") == true)
        #expect(check("/api/v1/things/3", 200, "not json").first?.contains("not JSON") == true)
        #expect(check("/api/v1/nothing", 200, "{}").first?.contains("no operation") == true)
    }

    /// On a real answer and the served document: it conforms, and a document that forgot one property would fail it.
    @Test func aRealAnswerIsCheckedAgainstTheServedDocument() async throws {
        try await TestApp.with(.sqlite) { t in
            let w = try await World.make(t)
            let number = try await t.createIssue(w.tokens["pmo"]!, ["title": "Schema check"])
            let path = "/api/v1/projects/CRM/issues/\(number)"
            let answer = try await t.send(.GET, path, token: w.tokens["pmo"]!)
            let served = try await t.app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: served.body))
            func check(_ document: JSONValue) -> [String] {
                SchemaConformance.check(document: document, method: "GET", path: path, status: 200,
                                        contentType: answer.headers.first(name: .contentType), body: Data(buffer: answer.body))
            }
            #expect(check(document).isEmpty)
            guard case .object(var root) = document, case .object(var components)? = root["components"],
                  case .object(var schemas)? = components["schemas"], case .object(var issue)? = schemas["Issue"],
                  case .object(var properties)? = issue["properties"] else {
                Issue.record("the served document has no Issue schema"); return
            }
            properties["stale"] = nil
            issue["properties"] = .object(properties)
            schemas["Issue"] = .object(issue)
            components["schemas"] = .object(schemas)
            root["components"] = .object(components)
            #expect(check(.object(root)).contains { $0.contains("property stale is not in the schema") })
        }
    }

    @Test func aLiteralSegmentWinsOverAParameter() {
        let templates = ["/p/{key}/decisions/{number}", "/p/{key}/decisions/import", "/p/{key}/decisions"]
        #expect(SchemaConformance.template(for: "/p/CRM/decisions/import", in: templates) == "/p/{key}/decisions/import")
        #expect(SchemaConformance.template(for: "/p/CRM/decisions/7", in: templates) == "/p/{key}/decisions/{number}")
        #expect(SchemaConformance.template(for: "/p/CRM/decisions/", in: templates) == nil)
    }
}
