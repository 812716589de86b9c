import Foundation
import PMOCore

/// A large, deterministic set of requirements, systems, tests and changes for the traceability matrix's benchmark
/// (the size: 2,000 requirements against 40 systems), with the items' own fields as the store keeps them
/// (JSON text), so that decoding them is measured too.
public enum SyntheticTraceability {
    public struct StoredItem: Sendable {
        public var kind: RegisterKind
        public var number: Int
        public var title: String
        public var status: String
        public var detailsText: String
    }

    public static func make(requirements: Int = 2_000, systems: Int = 40, testsPerRequirement: Double = 1.5, changes: Int = 200) -> [StoredItem] {
        var items: [StoredItem] = []
        for s in 1...systems {
            items.append(StoredItem(kind: .system, number: s, title: "System \(s)", status: "building",
                                    detailsText: RegisterDetailsCodec.encode(["code": .text("S\(s)"), "systemKind": .text("new")])))
        }
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        for r in 1...requirements {
            let count = next(4)
            let systemsNamed = (0..<count).map { _ in ItemReference(projectKey: nil, type: .system, number: 1 + next(systems)) }
            var details: [String: RegisterValue] = ["requirementType": .text(r % 4 == 0 ? "non_functional" : "functional"),
                                                    "moscow": .text(["must", "should", "could"][r % 3]),
                                                    "acceptanceCriteria": .text("The business user completes the scenario as expected.")]
            if r % 4 == 0 { details["nfrGroup"] = .text(RegisterFieldSpec.nfrGroups[r % 6]) }
            if !systemsNamed.isEmpty { details["systems"] = .items(systemsNamed) }
            if r % 5 != 0 { details["activities"] = .activities([1 + next(500), 1 + next(500)]) }
            if r % 3 == 0 { details["agreedOn"] = .date(CalendarDate(year: 2026, month: 6, day: 1)!) }
            items.append(StoredItem(kind: .requirement, number: r, title: "Requirement \(r): the user can do something useful",
                                    status: r % 3 == 0 ? "agreed" : "draft", detailsText: RegisterDetailsCodec.encode(details)))
        }
        for t in 1...Int(Double(requirements) * testsPerRequirement) {
            let verifies = [ItemReference(projectKey: nil, type: .requirement, number: 1 + next(requirements))]
            items.append(StoredItem(kind: .test, number: t, title: "TS-\(t)", status: ["planned", "passed", "failed"][t % 3],
                                    detailsText: RegisterDetailsCodec.encode(["testLevel": .text("system"), "verifies": .items(verifies),
                                                                              "executedOn": .date(CalendarDate(year: 2026, month: 11, day: 1 + t % 28)!)])))
        }
        for c in 1...changes {
            items.append(StoredItem(kind: .change, number: c, title: "Change \(c)", status: "approved",
                                    detailsText: RegisterDetailsCodec.encode(["affectedRequirements": .text("N\(1 + next(requirements)), N\(1 + next(requirements))")])))
        }
        return items
    }

    /// The matrix of `items` as the store builds it: each item's fields decoded, then `TraceabilityMatrix.build`.
    public static func matrix(_ items: [StoredItem], projectKey: String = "CRM") -> TraceabilityMatrix {
        let raised = CalendarDate(year: 2026, month: 9, day: 1)!
        func of(_ kind: RegisterKind) -> [TraceabilityMatrix.Item] {
            items.filter { $0.kind == kind }.map {
                TraceabilityMatrix.Item(number: $0.number, title: $0.title, status: $0.status, raisedOn: raised,
                                        details: RegisterDetailsCodec.decode($0.detailsText, kind: kind))
            }
        }
        return TraceabilityMatrix.build(requirements: of(.requirement), systems: of(.system), tests: of(.test), changes: of(.change),
                                        questions: [], links: [], activityIDs: Set(1...500), projectKey: projectKey)
    }
}
