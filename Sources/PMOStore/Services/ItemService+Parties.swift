import FluentKit
import Foundation
import PMOCore
import SQLKit

extension ItemService {
    /// Stores again which companies are party to each interface of the project (`ItemParties`, in `item_parties`),
    /// after any system or interface was created, changed or deleted, inside the same write. A project has tens of
    /// systems and at most a few hundred interfaces, so they are read whole; only the rows whose parties changed are
    /// written. Static, so that the migration that brought parties in (M027) fills them the same way.
    static func refreshParties(projectID: UUID, on db: any Database) async throws {
        let sql = try db.sql()
        let rows = try await sql.raw("""
            SELECT i.id, i.register, i.number, i.company_id, i.visibility_company_id, i.details, ip.parties,
              o.company_id AS owner_company_id, a.company_id AS author_company_id
            FROM register_items i LEFT JOIN item_parties ip ON ip.item_id = i.id
            LEFT JOIN users o ON o.id = i.owner_id LEFT JOIN users a ON a.id = i.created_by_id
            WHERE i.project_id = \(bind: projectID) AND i.register IN (\(binds: ItemParties.inputs.map(\.letter).sorted()))
            """).all()
        var items: [ItemParties.Item] = []
        var stored: [Int: (id: UUID, parties: String?)] = [:]
        for row in rows {
            guard let kind = RegisterKind(letter: try row.decode(column: "register", as: String.self)) else { continue }
            let number = try row.decode(column: "number", as: Int.self)
            items.append(ItemParties.Item(
                number: number, kind: kind, companyID: try row.decode(column: "company_id", as: UUID?.self).map(CompanyID.init),
                visibilityCompanyID: try row.decode(column: "visibility_company_id", as: UUID?.self).map(CompanyID.init),
                details: RegisterDetailsCodec.decode(try row.decode(column: "details", as: String.self), kind: kind),
                peopleCompanies: Set(try ["owner_company_id", "author_company_id"].compactMap { try row.decode(column: $0, as: UUID?.self) }
                    .map(CompanyID.init))))
            if ItemParties.kinds.contains(kind) { stored[number] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "parties", as: String?.self)) }
        }
        for (number, parties) in ItemParties.compute(items) {
            guard let row = stored[number], case let text = ItemParties.stored(parties), text != row.parties else { continue }
            if row.parties == nil {
                try await sql.raw("INSERT INTO item_parties (item_id, parties) VALUES (\(bind: row.id), \(bind: text))").run()
            } else {
                try await sql.raw("UPDATE item_parties SET parties = \(bind: text) WHERE item_id = \(bind: row.id)").run()
            }
        }
    }

    /// Refreshes the parties when `register` is one that has them (and the database has their table: the migration
    /// tests load the demo at older schemas).
    func refreshPartiesIfNeeded(register letter: String, projectID: UUID, on db: any Database) async throws {
        guard let kind = RegisterKind(letter: letter), ItemParties.inputs.contains(kind),
              try await store.hasMigrated("M027ItemParties", on: db) else { return }
        try await Self.refreshParties(projectID: projectID, on: db)
    }
}
