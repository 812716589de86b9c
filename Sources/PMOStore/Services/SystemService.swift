import FluentKit
import Foundation
import PMOCore

/// The shape of a project's systems: its systems (S) and the interfaces (F) between them as the caller may see
/// them, which the system configuration diagram draws. The items themselves are written through the registers.
public struct SystemService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The systems feature (`SystemService`).
    public var systems: SystemService { SystemService(store: self) }
}

/// A project's systems and interfaces, with the names of the companies that build and run them.
public struct SystemMap: Sendable, Equatable {
    public struct System: Sendable, Equatable {
        public var number: Int
        public var name: String
        public var code: String
        /// `new`, `changed`, `retired` or `external`.
        public var kind: String
        public var status: String
        public var builtBy: String?
        public var runBy: String?
    }

    public struct Interface: Sendable, Equatable {
        public var number: Int
        public var title: String
        public var source: Int
        public var target: Int
        public var method: String
        public var status: String
        /// Past its design deadline without an agreed specification.
        public var overdue: Bool
        /// The plan's milestones that need it and come before its connection test ends (`InterfaceFlags.lateFor`).
        public var lateFor: [Int] = []
        /// Times a test environment at either end is unavailable during its test window (`InterfaceFlags`).
        public var environmentClashes: [InterfaceFlags.Outage] = []
        /// Overdue, late for a milestone, or tested when an environment is unavailable: drawn red.
        public var flagged: Bool { overdue || !lateFor.isEmpty || !environmentClashes.isEmpty }
        /// Data flows both ways.
        public var twoWay: Bool
    }

    public var projectKey: String
    public var systems: [System]
    /// Only interfaces whose two systems are in `systems` (the others name a system the caller may not see).
    public var interfaces: [Interface]
}

extension SystemService {
    /// The project's systems and interfaces as `caller` may see them, in number order. A vendor sees the interfaces
    /// its company is party to (`ItemParties`), and the map holds its own systems and those at their ends.
    public func map(_ caller: Caller, key: String, today: CalendarDate) async throws -> SystemMap {
        let context = try await projectContext(caller, key: key)
        let rows = try await store.items.rows(context, ItemRowFilter(types: [.system, .interface]), on: db)
        let systemRows = rows.filter { $0.type == .system }
        var companyIDs = Set<UUID>()
        for row in systemRows {
            for name in ["builtBy", "runBy"] { if let id = row.details[name]?.company { companyIDs.insert(id.rawValue) } }
        }
        let companies = try await names(table: "companies", column: "name", ids: companyIDs, on: db)
        let systems = systemRows.map { row -> SystemMap.System in
            let d = row.details
            return SystemMap.System(number: row.number, name: row.title, code: d["code"]?.text ?? "", kind: d["systemKind"]?.text ?? "new",
                                    status: row.status, builtBy: d["builtBy"]?.company.flatMap { companies[$0.rawValue] },
                                    runBy: d["runBy"]?.company.flatMap { companies[$0.rawValue] })
        }
        var seen = Set(systems.map(\.number))
        let interfaceRows = rows.filter { $0.type == .interface }
        // The plan is scheduled only when an interface names milestones.
        let needsPlan = rows.contains { $0.type == .interface && $0.details["neededBy"] != nil }
        let dates = needsPlan ? try await store.activityDates(context) : [:]
        let outages = try await environmentOutages(systemRows, on: db)
        let interfaces = interfaceRows.compactMap { row -> SystemMap.Interface? in
            let d = row.details
            guard let source = d["source"]?.item?.number, let target = d["target"]?.item?.number,
                  seen.contains(source), seen.contains(target) else { return nil }
            return SystemMap.Interface(
                number: row.number, title: row.title, source: source, target: target, method: d["method"]?.text ?? "file",
                status: row.status, overdue: RegisterRules.isOverdue(.interface, status: row.status, dueDate: row.dueDate, today: today),
                lateFor: InterfaceFlags.lateFor(status: row.status, details: d, dates: dates),
                environmentClashes: InterfaceFlags.environmentClashes(status: row.status, details: d, outages: outages),
                twoWay: d["direction"]?.text == "two_way")
        }
        // A vendor's diagram: its own systems and the ends of its interfaces (the list of systems shows them all).
        if !context.actor.isSystemAdmin && context.role == .vendor {
            let items = systemRows.map { ItemParties.Item(number: $0.number, kind: .system, companyID: $0.companyID.map(CompanyID.init),
                                                         visibilityCompanyID: $0.visibility.companyID, details: $0.details) }
            seen = ItemParties.systemsShown(to: context.actor.companyID, systems: items, ends: interfaces.map { ($0.source, $0.target) })
        }
        return SystemMap(projectKey: context.project.key, systems: systems.filter { seen.contains($0.number) }, interfaces: interfaces)
    }
}

extension SystemService {
    /// When the test environment of each of the project's systems (those the caller may see) is unavailable, by system
    /// number: the outages an interface's connection test window must not meet.
    public func environmentOutages(_ caller: Caller, key: String) async throws -> [Int: [InterfaceFlags.Outage]] {
        let context = try await projectContext(caller, key: key)
        return try await environmentOutages(try await store.items.rows(context, ItemRowFilter(types: [.system]), on: db), on: db)
    }

    func environmentOutages(_ systems: [ItemRow], on db: any Database) async throws -> [Int: [InterfaceFlags.Outage]] {
        let wanted = systems.map { ($0.number, $0.details["envTest"]?.resources ?? []) }.filter { !$0.1.isEmpty }
        guard !wanted.isEmpty else { return [:] }
        // Environments are equipment, which every member may see; read whole, as an organisation has few.
        let byID = Dictionary(try await store.resources.all(visibleTo: nil, on: db).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [Int: [InterfaceFlags.Outage]] = [:]
        for (number, ids) in wanted {
            let list = ids.compactMap { byID[$0] }.flatMap { InterfaceFlags.outages(environment: $0.name, capacity: $0.capacity) }
            if !list.isEmpty { result[number] = list }
        }
        return result
    }
}

/// A business function's steps, resolved to the interfaces and systems the caller may see, in the function's order.
public struct FunctionSequence: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var interface: SystemMap.Interface
    }

    public var projectKey: String
    public var number: Int
    public var title: String
    /// The systems the steps pass through, in the order they first appear.
    public var systems: [SystemMap.System]
    public var steps: [Step]
    /// Steps naming an interface the caller may not see (or one deleted since): left out of `steps`.
    public var hiddenSteps: Int
}

extension SystemService {
    /// Business function `number`'s sequence: its interfaces in order, with the systems at their ends, as the caller
    /// may see them; `function.not_found` when the caller may not see the function itself.
    public func sequence(_ caller: Caller, key: String, number: Int, today: CalendarDate) async throws -> FunctionSequence {
        let view = try await store.items.registerItem(caller, key: key, kind: .function, number: number)
        let map = try await self.map(caller, key: key, today: today)
        let steps = view.fields.details["steps"]?.items ?? []
        let byNumber = Dictionary(map.interfaces.map { ($0.number, $0) }) { first, _ in first }
        let systemsByNumber = Dictionary(map.systems.map { ($0.number, $0) }) { first, _ in first }
        var resolved: [FunctionSequence.Step] = []
        var order: [Int] = []
        for ref in steps {
            guard let f = byNumber[ref.number] else { continue }
            resolved.append(.init(interface: f))
            for s in [f.source, f.target] where !order.contains(s) { order.append(s) }
        }
        return FunctionSequence(projectKey: map.projectKey, number: number, title: view.record.title,
                                systems: order.compactMap { systemsByNumber[$0] }, steps: resolved,
                                hiddenSteps: steps.count - resolved.count)
    }
}
