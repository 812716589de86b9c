import Foundation
@testable import PMOServer
import Testing

/// Schemas derived from Swift types must say exactly what the type sends: every field, its JSON type, which may be
/// left out, and a `$ref` for a nested documented body.
@Suite("Schemas derived from types")
struct DerivedSchemaTests {
    struct Owner: DocumentedBody { static let schemaName = "Owner"; var name: String }
    struct Step: Decodable { var label: String; var done: Bool }
    struct Sample: DocumentedBody {
        static let schemaName = "Sample"
        static var schemaHints: [String: JSONSchema] { ["state": .enumeration(["open", "closed"]), "due": .date] }
        var id: UUID
        var count: Int
        var ratio: Double
        var state: String
        var due: String?
        var at: Date
        var owner: Owner?
        var lead: Owner
        var steps: [Step]
        var owners: [Owner]
        var tags: [String]?
    }

    /// The schema as the document writes it.
    func json(_ schema: JSONSchema) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(schema)) as! [String: Any]
    }

    @Test func everyFieldWithItsTypeAndWhetherItMayBeLeftOut() throws {
        let schema = try json(DerivedSchema.of(Sample.self))
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == ["id", "count", "ratio", "state", "due", "at", "owner", "lead", "steps", "owners", "tags"])
        #expect(Set(schema["required"] as? [String] ?? []) == ["id", "count", "ratio", "state", "at", "lead", "steps", "owners"])
        #expect(properties["id"]?["format"] as? String == "uuid")
        #expect(properties["count"]?["type"] as? String == "integer")
        #expect(properties["ratio"]?["type"] as? String == "number")
        #expect(properties["at"]?["format"] as? String == "date-time")
        // Hints say what a String cannot; an optional field also takes null.
        #expect(properties["state"]?["enum"] as? [String] == ["open", "closed"])
        #expect(properties["due"]?["type"] as? [String] == ["string", "null"])
        #expect(properties["due"]?["format"] as? String == "date")
        #expect(properties["tags"]?["type"] as? [String] == ["array", "null"])
        // A documented body is referred to (and may be null when optional); another type is written inline.
        #expect(properties["lead"]?["$ref"] as? String == "#/components/schemas/Owner")
        let ownerChoices = properties["owner"]?["oneOf"] as? [[String: Any]]
        #expect(ownerChoices?.first?["$ref"] as? String == "#/components/schemas/Owner")
        #expect(ownerChoices?.last?["type"] as? String == "null")
        let stepItems = properties["steps"]?["items"] as? [String: Any]
        #expect((stepItems?["properties"] as? [String: Any]).map { Set($0.keys) } == ["label", "done"])
        #expect((properties["owners"]?["items"] as? [String: Any])?["$ref"] as? String == "#/components/schemas/Owner")
    }

    @Test func theServedIssueSchemaIsTheIssueType() throws {
        let issue = try json(DerivedSchema.of(IssueDTO.self))
        let properties = try #require(issue["properties"] as? [String: [String: Any]])
        // Every stored property of IssueDTO, by the names its Codable conformance writes.
        #expect(properties.count == 25)
        #expect(properties["stale"]?["type"] as? String == "boolean")
        #expect(properties["systems"]?["type"] as? String == "array" && (issue["required"] as? [String])?.contains("systems") == true)
        #expect(properties["priority"]?["enum"] as? [String] == ["low", "medium", "high", "critical"])
        #expect((issue["required"] as? [String])?.contains("title") == true)
        #expect((issue["required"] as? [String])?.contains("owner") == false)
    }
}
