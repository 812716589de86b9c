import Foundation
import PMOCore
import Testing

@Suite("Field errors")
struct FieldErrorTests {
    /// What an error is about travels with it to the pages, but the API's JSON keeps its three fields.
    @Test func subjectsStayOutOfTheJSON() throws {
        let error = FieldError(field: "predecessorUid", code: "cycle", message: "This link would make a loop: A (1) → B (2).",
                               subjects: ["A (1) → B (2)"])
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(error)) as? [String: String]
        #expect(json == ["field": "predecessorUid", "code": "cycle", "message": "This link would make a loop: A (1) → B (2)."])
        let back = try JSONDecoder().decode(FieldError.self, from: JSONEncoder().encode(error))
        #expect(back.subjects.isEmpty && back.code == "cycle")
    }
}
