import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Whether a person hears of an item's changes and comments in their inbox: its owner and decider always do; anyone
/// who may see it can watch it too, and stop.
public struct WatchState: Sendable, Equatable {
    /// The caller hears of it, watching or as its owner or decider.
    public var watching: Bool
    /// The caller is its owner or decider (they hear of it whatever they choose).
    public var byRole: Bool
    /// How many people watch it explicitly.
    public var watchers: Int
}

extension ItemService {
    /// The caller's watching of item `number` of `type` (404 for an item they cannot see).
    public func watchState(_ caller: Caller, key: String, type: ItemType, number: Int) async throws -> WatchState {
        let context = try await projectContext(caller, key: key)
        let item = try await visibleItem(context, register: type.rawValue, name: type.auditEntityType, number: number, on: db)
        return try await watchState(caller, item: item, on: db)
    }

    /// Starts or stops watching item `number` of `type`; answers the new state. Watching twice, or stopping what one
    /// does not watch, changes nothing.
    public func setWatching(_ caller: Caller, key: String, type: ItemType, number: Int, _ watching: Bool) async throws -> WatchState {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let item = try await visibleItem(context, register: type.rawValue, name: type.auditEntityType, number: number, on: db)
            let itemID = try item.requireID()
            let sql = try db.sql()
            if watching {
                let existing = try await db.readRows("""
                    SELECT user_id FROM item_watchers WHERE item_id = \(bind: itemID) AND user_id = \(bind: caller.userID)
                    """, columns: ["user_id"])
                if existing.isEmpty {
                    try await sql.raw("""
                        INSERT INTO item_watchers (item_id, user_id, created_at) VALUES (\(bind: itemID), \(bind: caller.userID), \(bind: at))
                        """).run()
                }
            } else {
                try await sql.raw("DELETE FROM item_watchers WHERE item_id = \(bind: itemID) AND user_id = \(bind: caller.userID)").run()
            }
            return try await watchState(caller, item: item, on: db)
        }
    }

    func watchState(_ caller: Caller, item: RegisterItemRecord, on db: any Database) async throws -> WatchState {
        let itemID = try item.requireID()
        let watchers = try await db.readRows("SELECT user_id FROM item_watchers WHERE item_id = \(bind: itemID)", columns: ["user_id"])
            .map { try $0.uuid(0) }
        let byRole = item.ownerID == caller.userID || item.deciderID == caller.userID
        return WatchState(watching: byRole || watchers.contains(caller.userID), byRole: byRole, watchers: watchers.count)
    }

    /// The explicit watchers of each of `itemIDs` (for the inbox).
    func watchers(of itemIDs: [UUID], on db: any Database) async throws -> [UUID: Set<UUID>] {
        guard !itemIDs.isEmpty else { return [:] }
        var out: [UUID: Set<UUID>] = [:]
        for r in try await db.readRows("SELECT item_id, user_id FROM item_watchers WHERE item_id IN (\(binds: itemIDs))",
                                       columns: ["item_id", "user_id"]) {
            out[try r.uuid(0), default: []].insert(try r.uuid(1))
        }
        return out
    }
}
