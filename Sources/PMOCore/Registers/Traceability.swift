import Foundation

/// The traceability matrix (トレーサビリティマトリクス): each requirement against the systems that realise it, the plan
/// activities that build it, the tests that verify it and the questions and changes that touched it, with its coverage
/// gaps. Pure: the store reads the items the reader may see and hands them over.
public struct TraceabilityMatrix: Sendable, Equatable {
    /// What a requirement still lacks. A dropped requirement has none (it needs nothing any more).
    public enum Gap: String, CaseIterable, Sendable, Codable {
        /// No system realises it.
        case noSystem = "no_system"
        /// No activity of the plan builds it.
        case noActivity = "no_activity"
        /// No test that verifies it has passed.
        case noPassedTest = "no_passed_test"
        /// A change (not rejected) was raised against it after it was first agreed (a scope change to look at).
        case changedAfterAgreement = "changed_after_agreement"
    }

    /// An item as the matrix reads it: a requirement, test, change, question or system.
    public struct Item: Sendable, Equatable {
        public var number: Int
        public var title: String
        public var status: String
        /// The day it was raised.
        public var raisedOn: CalendarDate
        public var details: [String: RegisterValue]

        public init(number: Int, title: String, status: String, raisedOn: CalendarDate, details: [String: RegisterValue]) {
            self.number = number
            self.title = title
            self.status = status
            self.raisedOn = raisedOn
            self.details = details
        }
    }

    public struct System: Sendable, Equatable {
        public var number: Int
        public var name: String
        public var code: String
    }

    public struct Verification: Sendable, Equatable {
        public var number: Int
        public var title: String
        public var level: String
        /// The test's result: planned, passed, failed or blocked.
        public var status: String
        public var executedOn: CalendarDate?
    }

    public struct Touch: Sendable, Equatable {
        public var number: Int
        public var title: String
        public var status: String
        public var raisedOn: CalendarDate
        /// Raised on or after the day the requirement was first agreed.
        public var afterAgreement: Bool
    }

    public struct Row: Sendable, Equatable {
        public var number: Int
        public var title: String
        public var status: String
        public var requirementType: String
        public var nfrGroup: String?
        public var moscow: String?
        /// The realising systems the reader may see, in number order.
        public var systems: [Int]
        /// The plan activities that build it and are still in the plan.
        public var activities: [Int]
        public var tests: [Verification]
        public var questions: [Touch]
        public var changes: [Touch]
        public var agreedOn: CalendarDate?
        public var gaps: [Gap]

        public var passedTests: Int { tests.filter { $0.status == "passed" }.count }
    }

    public var systems: [System]
    public var rows: [Row]

    /// How many (not dropped) requirements have each gap.
    public var gapCounts: [Gap: Int] {
        var counts: [Gap: Int] = [:]
        for row in rows { for gap in row.gaps { counts[gap, default: 0] += 1 } }
        return counts
    }

    /// The requirements that count: all but the dropped ones.
    public var liveCount: Int { rows.filter { $0.status != "dropped" }.count }

    /// Builds the matrix. Links are pairs of references in either direction (a change linked to a requirement, or
    /// the other way round); a change's `impactedRequirements`, and its `affectedRequirements` text naming `N3` or
    /// `CRM-N3`, count as links too.
    public static func build(requirements: [Item], systems: [Item], tests: [Item], changes: [Item], questions: [Item],
                             links: [(ItemReference, ItemReference)], activityIDs: Set<Int>, projectKey: String) -> TraceabilityMatrix {
        let systemList = systems.sorted { $0.number < $1.number }
            .map { System(number: $0.number, name: $0.title, code: $0.details["code"]?.text ?? "") }
        let seenSystems = Set(systemList.map(\.number))

        var testsByRequirement: [Int: [Verification]] = [:]
        for t in tests.sorted(by: { $0.number < $1.number }) {
            let v = Verification(number: t.number, title: t.title, level: t.details["testLevel"]?.text ?? "", status: t.status,
                                 executedOn: t.details["executedOn"]?.date)
            for ref in Set(t.details["verifies"]?.items ?? []) where ref.type == .requirement { testsByRequirement[ref.number, default: []].append(v) }
        }

        // Which changes and questions touch which requirement: typed links either way, and a change's affected
        // requirements written as references.
        var touching: [ItemType: [Int: Set<Int>]] = [.change: [:], .question: [:]]
        for (a, b) in links {
            for (req, other) in [(a, b), (b, a)] where req.type == .requirement && (other.type == .change || other.type == .question) {
                touching[other.type]![req.number, default: []].insert(other.number)
            }
        }
        for c in changes {
            let named = (c.details["impactedRequirements"]?.items ?? []).filter { $0.type == .requirement }.map(\.number)
            for ref in referencedRequirements(c.details["affectedRequirements"]?.text ?? "", projectKey: projectKey) + named {
                touching[.change]![ref, default: []].insert(c.number)
            }
        }
        let changeByNumber = Dictionary(changes.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        let questionByNumber = Dictionary(questions.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })

        let rows = requirements.sorted { $0.number < $1.number }.map { r -> Row in
            let d = r.details
            let agreedOn = d["agreedOn"]?.date
            func touches(_ type: ItemType, _ byNumber: [Int: Item]) -> [Touch] {
                (touching[type]![r.number] ?? []).sorted().compactMap { n in
                    byNumber[n].map { item in
                        Touch(number: n, title: item.title, status: item.status, raisedOn: item.raisedOn,
                              afterAgreement: agreedOn.map { item.raisedOn >= $0 } ?? false)
                    }
                }
            }
            var row = Row(number: r.number, title: r.title, status: r.status, requirementType: d["requirementType"]?.text ?? "functional",
                          nfrGroup: d["nfrGroup"]?.text, moscow: d["moscow"]?.text,
                          systems: Array(Set((d["systems"]?.items ?? []).map(\.number)).filter { seenSystems.contains($0) }).sorted(),
                          activities: (d["activities"]?.activities ?? []).filter { activityIDs.contains($0) },
                          tests: testsByRequirement[r.number] ?? [],
                          questions: touches(.question, questionByNumber), changes: touches(.change, changeByNumber),
                          agreedOn: agreedOn, gaps: [])
            if r.status != "dropped" {
                if row.systems.isEmpty { row.gaps.append(.noSystem) }
                if row.activities.isEmpty { row.gaps.append(.noActivity) }
                if row.passedTests == 0 { row.gaps.append(.noPassedTest) }
                // A rejected change changed nothing.
                if row.changes.contains(where: { $0.afterAgreement && $0.status != "rejected" }) { row.gaps.append(.changedAfterAgreement) }
            }
            return row
        }
        return TraceabilityMatrix(systems: systemList, rows: rows)
    }

    /// The requirement numbers a free text names (`N3`, `CRM-N3`; other projects' and other kinds' references are
    /// not this project's requirements).
    static func referencedRequirements(_ text: String, projectKey: String) -> [Int] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }).compactMap { part in
            guard let ref = ItemReference(String(part)), ref.type == .requirement,
                  ref.projectKey == nil || ref.projectKey == projectKey else { return nil }
            return ref.number
        }
    }
}
