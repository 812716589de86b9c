import Fluent
import PMOPasswords
import PMOStore
import Vapor

/// The server's database: Vapor's Fluent holds the pool (so requests get `req.db` on their own event loop), with the
/// configuration, migrations and tuning PMOStore defines for every way of opening it.
extension Application {
    /// Registers the database named by `location` and the numbered migrations; `bcryptCost` is the server's cost of
    /// password hashes (see `BcryptHasher`).
    public func useDatabase(_ location: DatabaseLocation, bcryptCost: Int = 12) throws {
        let (configuration, id) = try location.configuration()
        databases.use(configuration, as: id)
        migrations.add(PMOMigrations.all)
        storage[StoreSettingsKey.self] = StoreSettings(location, passwords: BcryptHasher(cost: bcryptCost))
    }

    /// Replaces the store's clock (tests that need "before the meeting" and "after it" in one run).
    public func useClock(_ clock: @escaping @Sendable () -> Date) {
        storage[StoreSettingsKey.self]?.clock = clock
    }

    /// Sets what the server may call out to (webhooks): the allow-list, and in tests the resolver.
    public func useOutbound(_ outbound: OutboundSettings) {
        storage[StoreSettingsKey.self]?.outbound = outbound
    }

    /// Tunes SQLite's connections (see `Store.prepare`).
    public func prepareDatabase() async throws {
        try await Store.prepare(databases, isSQLite: storage[StoreSettingsKey.self]?.isSQLite == true, logger: logger)
    }

    /// The store: the service layer every face (pages, API, CLI) calls.
    public var store: Store {
        Store(db: db, settings: storage[StoreSettingsKey.self] ?? StoreSettings(.sqlite(path: DatabaseLocation.defaultPath), passwords: BcryptHasher()))
    }
}

private struct StoreSettingsKey: StorageKey { typealias Value = StoreSettings }
