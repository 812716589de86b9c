import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A feature of the store (`store.plans`, `store.meetings`, …): the `Store` seen through one feature, holding no state
/// of its own. Its public methods are the feature's reads and writes; its SQL lives in the feature's files.
///
/// What every feature needs from the store (the database, one-transaction writes, the clock, the project and its
/// access, names for ids) is here once, so a feature's code reads as if it were the store's.
protocol StoreFeature: Sendable {
    var store: Store { get }
}

extension StoreFeature {
    var db: any Database { store.db }
    var isSQLite: Bool { store.isSQLite }
    var planCache: PlanCache { store.planCache }
    var sql: any SQLDatabase { get throws { try store.sql } }
    var plans: PlanService { store.plans }
    func now() -> Date { store.now() }
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T { try await store.write(body) }
    func lockRow(_ db: any Database, table: String, id: UUID) async throws { try await store.lockRow(db, table: table, id: id) }
    func projectContext(_ caller: Caller, key: String, on db: (any Database)? = nil) async throws -> ProjectContext {
        try await store.projectContext(caller, key: key, on: db)
    }
    func staleVersion(_ current: Int) -> DomainError { store.staleVersion(current) }
    func names(users: Set<UUID>, companies: Set<UUID>, on db: any Database) async throws -> (users: [UUID: String], companies: [UUID: String]) {
        try await store.names(users: users, companies: companies, on: db)
    }
    func names(table: String, column: String, ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        try await store.names(table: table, column: column, ids: ids, on: db)
    }
    func members(projectID: UUID, on db: (any Database)? = nil) async throws -> [MemberView] {
        try await store.projects.members(projectID: projectID, on: db)
    }
}

extension StoreFeature {
    func requireAdmin(_ caller: Caller?) throws { try store.requireAdmin(caller) }
}
