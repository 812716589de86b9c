import FluentKit
import Foundation
import PMOCore

/// The project's organisation as the caller may see it: its units (U) with their reporting lines and heads, and its
/// escalation routes (E), for the organisation chart and the escalation lookup. The items themselves are written
/// through the registers.
public struct OrganisationService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The organisation feature (`OrganisationService`).
    public var organisation: OrganisationService { OrganisationService(store: self) }
}

/// A project's units and escalation routes, with the names of their companies and heads.
public struct OrganisationChart: Sendable, Equatable {
    public struct Unit: Sendable, Equatable {
        public var number: Int
        public var name: String
        /// steering, pmo, business, vendor or other.
        public var kind: String
        public var company: String?
        public var head: String?
        public var reportsTo: Int?
        /// Its members' names (people and placeholders of the resources register), in the unit's order.
        public var members: [String] = []
    }

    public var projectKey: String
    public var units: [Unit]
    /// Only active routes between units in `units`.
    public var routes: [Organisation.Route]
}

/// Where an issue goes next: the route, the unit it goes to, and the day by which it goes.
public struct EscalationAnswer: Sendable, Equatable {
    public var route: Organisation.Route
    public var toUnit: OrganisationChart.Unit
    public var due: CalendarDate
}

extension OrganisationService {
    public func chart(_ caller: Caller, key: String) async throws -> OrganisationChart {
        let context = try await projectContext(caller, key: key)
        let rows = try await store.items.rows(context, ItemRowFilter(types: [.unit, .escalation]), on: db)
        let unitRows = rows.filter { $0.type == .unit && $0.status == "active" }
        let people = try await names(table: "users", column: "display_name",
                                     ids: Set(unitRows.compactMap { $0.details["head"]?.user?.rawValue }), on: db)
        let companies = try await names(table: "companies", column: "name", ids: Set(unitRows.compactMap(\.companyID)), on: db)
        let memberNames = try await names(table: "resources", column: "name",
                                          ids: Set(unitRows.flatMap { $0.details["members"]?.resources ?? [] }), on: db)
        let seen = Set(unitRows.map(\.number))
        let units = unitRows.map { row in
            let d = row.details
            return OrganisationChart.Unit(number: row.number, name: row.title, kind: d["unitKind"]?.text ?? "other",
                                          company: row.companyID.flatMap { companies[$0] }, head: d["head"]?.user.flatMap { people[$0.rawValue] },
                                          reportsTo: d["reportsTo"]?.item.flatMap { seen.contains($0.number) ? $0.number : nil },
                                          members: (d["members"]?.resources ?? []).compactMap { memberNames[$0] })
        }
        let routes = rows.filter { $0.type == .escalation && $0.status == "active" }.compactMap { row -> Organisation.Route? in
            let d = row.details
            guard let from = d["fromUnit"]?.item?.number, let to = d["toUnit"]?.item?.number, seen.contains(from), seen.contains(to),
                  let level = d["escalationLevel"]?.text.flatMap({ Int($0) }), let priority = d["minPriority"]?.text.flatMap(IssuePriority.init),
                  let days = d["withinDays"]?.integer else { return nil }
            return Organisation.Route(number: row.number, fromUnit: from, toUnit: to, level: level, minPriority: priority, withinDays: days)
        }
        return OrganisationChart(projectKey: context.project.key, units: units, routes: routes)
    }

    /// The escalation route an issue of `priority` at escalation level `level` takes out of `unit`, and the day it
    /// goes by: `withinDays` working days after `from` (the day the issue was raised or last escalated). Nil when
    /// the unit has no route for it.
    public func escalation(_ caller: Caller, key: String, unit: Int, priority: IssuePriority, level: Int, from: CalendarDate) async throws -> EscalationAnswer? {
        let chart = try await chart(caller, key: key)
        guard chart.units.contains(where: { $0.number == unit }) else {
            throw DomainError.invalid("escalation.invalid", [FieldError(field: "unit", code: "not_found",
                message: "\(key) has no active unit U\(unit) that you can see: name one from its organisation (units).")])
        }
        guard let route = Organisation.nextRoute(from: unit, priority: priority, level: level, routes: chart.routes),
              let to = chart.units.first(where: { $0.number == route.toUnit }) else { return nil }
        return EscalationAnswer(route: route, toUnit: to, due: Organisation.addingWorkingDays(route.withinDays, to: from))
    }

    /// The RACI table of project `key`: its active units (as the chart has them) against the RACI rows that are not
    /// retired, as the caller may see them.
    public func raciTable(_ caller: Caller, key: String) async throws -> (projectKey: String, table: RaciTable) {
        let context = try await projectContext(caller, key: key)
        let rows = try await store.items.rows(context, ItemRowFilter(types: [.unit, .raci]), on: db)
        let units = rows.filter { $0.type == .unit && $0.status == "active" }.map { RaciTable.Unit(number: $0.number, name: $0.title) }
        let raci = rows.filter { $0.type == .raci && $0.status != "retired" }.map { (number: $0.number, title: $0.title, details: $0.details) }
        return (context.project.key, RaciTable.build(units: units, rows: raci))
    }
}
