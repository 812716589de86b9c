import FluentKit
import Foundation
import PMOCore
import PMODemo
import PMOPasswords
import PMOStore
import PMOTestSupport
import SQLKit
import Testing

/// M016: a change request's free-text approver becomes a member when one member's name or e-mail is that text;
/// otherwise the text moves into the description, saying so, and the field is left for the PMO to fill.
@Suite("Change approvers become people (M016)")
struct ApproverMigrationTests {
    @Test(arguments: TestDatabase.available)
    func freeTextApproversAreMatchedToMembersOrKeptInTheDescription(_ db: TestDatabase) async throws {
        let host = try await StoreHost(try await db.makeLocation(), passwords: BcryptHasher(), migrate: false)
        do {
            try await Store.migrate(host.databases, logger: StoreHost.quietLogger, through: "M015CreateSavedViews")
            let store = try host.store
            _ = try await DemoData.load(into: store, bcryptCost: 4)
            let sql = try #require(store.db as? any SQLDatabase)
            let changes = try await sql.raw("SELECT id, description FROM register_items WHERE register = 'C' ORDER BY number").all()
            #expect(changes.count >= 3)
            let pmo = try #require(try await store.accounts.users().first { $0.email == "pmo@demo.pmo" })
            // As the product wrote them before: the approver as text.
            let texts = ["  \(pmo.displayName) ", "PMO@DEMO.PMO", "外部コンサル 山田"]
            var ids: [UUID] = []
            for (row, text) in zip(changes, texts) {
                let id = try row.decode(column: "id", as: UUID.self)
                ids.append(id)
                let details = try await sql.raw("SELECT details FROM register_items WHERE id = \(bind: id)").first()!.decode(column: "details", as: String.self)
                var object = try #require(try JSONSerialization.jsonObject(with: Data(details.utf8)) as? [String: Any])
                object["approver"] = text
                let written = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
                try await sql.raw("UPDATE register_items SET details = \(bind: written) WHERE id = \(bind: id)").run()
            }
            let unmatchedBefore = try changes[2].decode(column: "description", as: String.self)

            try await Store.migrate(host.databases, logger: StoreHost.quietLogger)
            let caller = try Caller(pmo)
            let after = try await store.items.allRegisterItems(caller, key: "CRM", kind: .change)
            func item(_ id: UUID) throws -> RegisterItemView { try #require(after.first { $0.record.id == id }) }
            let pmoID = UserID(try pmo.requireID())
            #expect(try item(ids[0]).fields.details["approver"] == .user(pmoID), "matched by display name, spaces ignored")
            #expect(try item(ids[1]).fields.details["approver"] == .user(pmoID), "matched by e-mail, case ignored")
            #expect(try item(ids[2]).fields.details["approver"] == nil)
            let description = try item(ids[2]).record.description
            #expect(description.hasPrefix(unmatchedBefore))
            #expect(description.hasSuffix("Approver (not matched to a member): 外部コンサル 山田"))
        } catch {
            await host.shutdown()
            throw error
        }
        await host.shutdown()
    }
}
