import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

public enum DatabaseSetupError: Error, CustomStringConvertible {
    case badURL(String)
    case cannotCreateDirectory(String)

    public var description: String {
        switch self {
        case .badURL(let reason): return "The PostgreSQL URL cannot be used: \(reason)"
        case .cannotCreateDirectory(let dir): return "Cannot create the folder \(dir) for the SQLite database."
        }
    }
}

extension Application {
    /// Registers the database named by `location` and the numbered migrations.
    public func useDatabase(_ location: DatabaseLocation) throws {
        switch location {
        case .sqlite(let path):
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if !FileManager.default.fileExists(atPath: dir) {
                do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                catch { throw DatabaseSetupError.cannotCreateDirectory(dir) }
            }
            databases.use(.sqlite(.file(path), sqlLogLevel: nil), as: .sqlite)
        case .postgres(let url):
            do {
                var config = try SQLPostgresConfiguration(url: url)
                if !url.contains("tlsmode=") && !url.contains("sslmode=") {
                    config.coreConfiguration.tls = .disable
                }
                databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
            } catch {
                throw DatabaseSetupError.badURL(String(describing: error))
            }
        }
        migrations.add(PMOMigrations.all)
        storage[StoreKey.self] = StoreSettings(isSQLite: location.isSQLite)
    }

    /// Puts SQLite in WAL mode (persistent for the file) so readers never wait for the writer, and tunes each
    /// connection: the pool keeps one long-lived connection per event loop, so the settings are applied through each.
    /// `synchronous=NORMAL` is safe in WAL mode (a power cut may lose the last commits, never corrupt the file);
    /// a 64 MB page cache and memory-mapped reads keep a large register out of read() calls.
    public func prepareDatabase() async throws {
        guard storage[StoreKey.self]?.isSQLite == true, let sql = db as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        for eventLoop in eventLoopGroup.makeIterator() {
            guard let connection = databases.database(logger: logger, on: eventLoop) as? any SQLDatabase else { continue }
            for pragma in ["PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536", "PRAGMA mmap_size=268435456",
                           "PRAGMA temp_store=MEMORY"] {
                try await connection.raw(SQLQueryString(pragma)).run()
            }
        }
    }

    /// The store: the service layer every face (pages, API, CLI) calls.
    public var store: Store {
        let settings = storage[StoreKey.self]
        return Store(db: db, isSQLite: settings?.isSQLite ?? true, gate: settings?.gate ?? WriteGate(),
                     planCache: settings?.planCache ?? PlanCache())
    }
}

/// What every `Store` of one application shares: the database kind, the SQLite writers' queue and the plan cache.
/// Made once in `useDatabase`, so that no two requests race to create them.
struct StoreSettings: Sendable {
    var isSQLite: Bool
    var gate = WriteGate()
    var planCache = PlanCache()
}
struct StoreKey: StorageKey { typealias Value = StoreSettings }
