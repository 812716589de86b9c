import FluentKit
import Foundation
import PMOCore
import SQLKit

/// An approved change request with a cost impact that no change order carries yet: the ledger proposes it as a
/// change order, against the order suggested by the systems it affects.
public struct ChangeOrderProposal: Sendable, Equatable {
    public var changeNumber: Int
    public var title: String
    /// The change's cost impact, rounded half up to the yen.
    public var costImpact: Money
    public var status: String
    /// The order on a line of a system the change affects (the latest such), when there is one.
    public var suggestedOrder: Int?
}

extension LedgerService {
    /// Approved (or implemented) change requests with a cost impact and no change order yet, for those who keep the
    /// ledger; others get none.
    public func changeOrderProposals(_ caller: Caller, key: String) async throws -> [ChangeOrderProposal] {
        let context = try await projectContext(caller, key: key)
        guard context.allows(.editProject) else { return [] }
        let taken = Set(try await db.readRows("""
            SELECT c.change_number FROM change_orders c JOIN ledger_orders o ON o.id = c.order_id
            WHERE o.project_id = \(bind: context.projectID) AND c.change_number IS NOT NULL
            """, columns: ["change_number"]).map { try $0.int(0) })
        let orders = try await self.orders(context.projectID, vendor: nil, on: db)
        let lineSystems = Dictionary(try await lines(context.projectID, on: db).map { ($0.line.id, $0.line.systemNumber) }, uniquingKeysWith: { a, _ in a })
        var out: [ChangeOrderProposal] = []
        for item in try await store.items.allRegisterItems(caller, key: key, kind: .change)
        where ["approved", "implemented"].contains(item.fields.status) && !taken.contains(item.record.number) {
            guard let cost = item.fields.details["costImpact"]?.number.flatMap({ Money(rounding: $0) }), cost.amount != 0 else { continue }
            var systems: Set<Int> = []
            if case .items(let refs)? = item.fields.details["impactedSystems"] { systems = Set(refs.map(\.number)) }
            let affected = { (line: UUID) in lineSystems[line].flatMap { $0 }.map(systems.contains) ?? false }
            // An order listed under an affected system's line, else one that draws on such a line too.
            let suggested = orders.last { affected($0.lineID) } ?? orders.last { $0.lineShares.contains { affected($0.lineID) } }
            out.append(ChangeOrderProposal(changeNumber: item.record.number, title: item.fields.title, costImpact: cost, status: item.fields.status,
                                           suggestedOrder: suggested?.number ?? (orders.count == 1 ? orders[0].number : nil)))
        }
        return out.sorted { $0.changeNumber < $1.changeNumber }
    }
}
