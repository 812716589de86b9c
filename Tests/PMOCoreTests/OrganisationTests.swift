import Foundation
import Testing

@testable import PMOCore

/// Reporting lines never loop, escalation routes are chosen by level, priority and speed, and their deadlines count
/// working days on the Japanese calendar; the traceability matrix's gaps from its parts.
@Suite struct OrganisationTests {
    @Test func aReportingLineThatComesBackIsALoop() {
        // U2 → U1, U3 → U2: U1 reporting to U3 closes U1 → U3 → U2 → U1.
        let parents = [2: 1, 3: 2]
        #expect(Organisation.reportingLoop(unit: 1, reportsTo: 3, parents: parents) == [1, 3, 2, 1])
        #expect(Organisation.reportingLoop(unit: 3, reportsTo: 3, parents: parents) == [3, 3])
        #expect(Organisation.reportingLoop(unit: 3, reportsTo: 1, parents: parents) == nil)
        #expect(Organisation.reportingLoop(unit: nil, reportsTo: 1, parents: parents) == nil, "a new unit closes no loop")
        // A loop already stored elsewhere (4 ↔ 5) does not hang the walk.
        #expect(Organisation.reportingLoop(unit: 1, reportsTo: 4, parents: [4: 5, 5: 4]) == nil)
    }

    @Test func theNextRouteIsTheNearestLevelThenTheMostSpecificThenTheQuickest() {
        let routes = [
            Organisation.Route(number: 1, fromUnit: 6, toUnit: 3, level: 1, minPriority: .medium, withinDays: 3),
            Organisation.Route(number: 2, fromUnit: 6, toUnit: 3, level: 1, minPriority: .critical, withinDays: 1),
            Organisation.Route(number: 3, fromUnit: 3, toUnit: 1, level: 2, minPriority: .high, withinDays: 5),
            Organisation.Route(number: 4, fromUnit: 6, toUnit: 1, level: 2, minPriority: .low, withinDays: 10),
            Organisation.Route(number: 5, fromUnit: 6, toUnit: 3, level: 1, minPriority: .medium, withinDays: 2),
        ]
        #expect(Organisation.nextRoute(from: 6, priority: .critical, level: 0, routes: routes)?.number == 2)
        #expect(Organisation.nextRoute(from: 6, priority: .high, level: 0, routes: routes)?.number == 5, "the quicker of two medium routes")
        #expect(Organisation.nextRoute(from: 6, priority: .low, level: 0, routes: routes)?.number == 4, "only the level-2 route takes low issues")
        #expect(Organisation.nextRoute(from: 6, priority: .high, level: 1, routes: routes)?.number == 4)
        #expect(Organisation.nextRoute(from: 3, priority: .medium, level: 1, routes: routes) == nil)
        #expect(Organisation.nextRoute(from: 3, priority: .high, level: 2, routes: routes) == nil, "nothing above level 2 from U3")
    }

    @Test func deadlinesCountWorkingDaysOnTheJapaneseCalendar() {
        let d = { (y: Int, m: Int, day: Int) in CalendarDate(year: y, month: m, day: day)! }
        // Wed 30 Dec 2026: Thu 31 (1), Fri 1 Jan is New Year's Day, the weekend, Mon 4 (2), Tue 5 (3).
        #expect(Organisation.addingWorkingDays(3, to: d(2026, 12, 30)) == d(2027, 1, 5))
        #expect(Organisation.addingWorkingDays(0, to: d(2026, 12, 30)) == d(2026, 12, 30))
        // Fri 1 May 2026 + 1: the weekend, Greenery Day (4 May), Children's Day (5 May) and the substitute holiday for
        // Constitution Day (6 May) are skipped, so Thu 7 May.
        #expect(Organisation.addingWorkingDays(1, to: d(2026, 5, 1)) == d(2026, 5, 7))
    }
}

@Suite struct RegisterFieldNameTests {
    /// A register's own field never takes a name the common create and patch bodies use (an item's `origin` links the
    /// item it came from; a requirement's source is `sourceType`).
    @Test func noRegisterFieldReusesACommonName() {
        let common: Set<String> = ["title", "description", "status", "owner", "dueDate", "companyId", "visibility", "visibilityCompanyId",
                                   "origin", "version", "number", "reference", "register", "score", "overdue", "open", "createdBy"]
        for kind in RegisterKind.allCases {
            for spec in kind.fields { #expect(!common.contains(spec.name), "\(kind).\(spec.name)") }
        }
    }
}
