import Foundation
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test func everyAPIRouteIsDescribedAndNothingElse() async throws {
        try await TestApp.with(.sqlite) { t in
            let res = try await t.send(.GET, "/api/v1/openapi.json")
            #expect(res.status == .ok)
            let doc = res.json
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            var routed = Set<String>()
            for route in t.app.routes.all {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .parameter(let name): return "{\(name)}"
                    default: return component.description
                    }
                }.joined(separator: "/")
                guard path.hasPrefix("/api/") else { continue }
                routed.insert("\(route.method.rawValue) \(path)")
            }
            #expect(routed.subtracting(documented).isEmpty, "routes missing from the document: \(routed.subtracting(documented).sorted())")
            #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
            #expect(routed.count >= 25)

            // Every $ref points at a schema that exists.
            let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
            var refs: [String] = []
            func collect(_ value: Any) {
                if let dict = value as? [String: Any] {
                    if let ref = dict["$ref"] as? String { refs.append(String(ref.dropFirst("#/components/schemas/".count))) }
                    dict.values.forEach(collect)
                } else if let array = value as? [Any] {
                    array.forEach(collect)
                }
            }
            collect(doc)
            #expect(refs.count > 30)
            for ref in Set(refs) { #expect(schemas[ref] != nil, "missing schema \(ref)") }
        }
    }
}
