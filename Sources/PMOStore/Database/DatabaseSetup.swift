import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

public enum DatabaseSetupError: Error, CustomStringConvertible {
    case badURL(String)
    case cannotCreateDirectory(String)
    case closed

    public var description: String {
        switch self {
        case .badURL(let reason): return "The PostgreSQL URL cannot be used: \(reason)"
        case .cannotCreateDirectory(let dir): return "Cannot create the folder \(dir) for the SQLite database."
        case .closed: return "The database has been closed."
        }
    }
}

extension DatabaseLocation {
    /// The driver's configuration and id for this location (the SQLite file's folder is made if missing).
    public func configuration() throws -> (DatabaseConfigurationFactory, DatabaseID) {
        switch self {
        case .sqlite(let path):
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if !FileManager.default.fileExists(atPath: dir) {
                do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                catch { throw DatabaseSetupError.cannotCreateDirectory(dir) }
            }
            // SQLite writes one at a time, through one connection per event loop: on a busy machine a burst of writes
            // (a large import beside a crowd of edits) can keep a request waiting for a connection beyond the pool's
            // default 10 s, and that wait ended in a 500 (seen in CI during a graceful stop under load). Waiting up to
            // the graceful stop's own 30 s is better than failing an edit.
            return (.sqlite(.file(path), connectionPoolTimeout: .seconds(30), sqlLogLevel: nil), .sqlite)
        case .postgres(let url):
            do {
                var config = try SQLPostgresConfiguration(url: url)
                if !url.contains("tlsmode=") && !url.contains("sslmode=") {
                    config.coreConfiguration.tls = .disable
                }
                return (.postgres(configuration: config, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), .psql)
            } catch {
                throw DatabaseSetupError.badURL(String(describing: error))
            }
        }
    }
}

/// What every `Store` of one process shares: the database kind, the SQLite writers' queue, the plan cache and the
/// password hasher. Made once when the database is opened, so that no two requests race to create them.
public struct StoreSettings: Sendable {
    public let isSQLite: Bool
    let gate = WriteGate()
    let planCache = PlanCache()
    let kpiCache = KPICache()
    let migrationMarks = MigrationMarks()
    let passwords: any PasswordHasher
    /// Where attachments' bytes are kept (beside a SQLite file, or in PostgreSQL).
    public let attachments: AttachmentStorage
    /// The source of "now" for every store made from these settings (tests fix it; the server uses the real clock).
    public var clock: @Sendable () -> Date = { Date() }
    /// What the server may call out to (webhooks).
    public var outbound = OutboundSettings()

    public init(isSQLite: Bool, passwords: any PasswordHasher, attachments: AttachmentStorage) {
        self.isSQLite = isSQLite
        self.passwords = passwords
        self.attachments = attachments
    }

    /// The settings of a database location: its kind and where its attachments live.
    public init(_ location: DatabaseLocation, passwords: any PasswordHasher) {
        self.init(isSQLite: location.isSQLite, passwords: passwords, attachments: .for(location))
    }
}

extension Store {
    /// A store on `db` with the shared parts of `settings`.
    public init(db: any Database, settings: StoreSettings) {
        self.init(db: db, isSQLite: settings.isSQLite, gate: settings.gate, planCache: settings.planCache, passwords: settings.passwords,
                  attachmentStorage: settings.attachments, clock: settings.clock, migrationMarks: settings.migrationMarks)
        outbound = settings.outbound
        kpiCache = settings.kpiCache
    }

    /// The numbered migrations, in order; with `last`, only those up to and including the one of that name (the
    /// migration tests fill a database at an earlier schema, then move it on).
    public static func migrations(through last: String? = nil) -> Migrations {
        var chosen = PMOMigrations.all
        if let last, let end = chosen.firstIndex(where: { $0.name == last }) { chosen = Array(chosen[...end]) }
        let migrations = Migrations()
        migrations.add(chosen)
        return migrations
    }

    /// Puts SQLite in WAL mode (persistent for the file) so readers never wait for the writer, and tunes each
    /// connection: the pool keeps one long-lived connection per event loop, so the settings are applied through each.
    /// `synchronous=NORMAL` is safe in WAL mode (a power cut may lose the last commits, never corrupt the file);
    /// a 64 MB page cache and memory-mapped reads keep a large register out of read() calls.
    public static func prepare(_ databases: Databases, isSQLite: Bool, logger: Logger) async throws {
        guard isSQLite else { return }
        for eventLoop in databases.eventLoopGroup.makeIterator() {
            guard let connection = databases.database(logger: logger, on: eventLoop) as? any SQLDatabase else { continue }
            for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536",
                           "PRAGMA mmap_size=268435456", "PRAGMA temp_store=MEMORY"] {
                try await connection.raw(SQLQueryString(pragma)).run()
            }
        }
    }

    /// Brings the schema up to the latest numbered migration, or to `last` (a no-op when it is there).
    public static func migrate(_ databases: Databases, logger: Logger, through last: String? = nil) async throws {
        let migrator = Migrator(databases: databases, migrations: migrations(through: last), logger: logger,
                                on: databases.eventLoopGroup.any())
        try await migrator.setupIfNeeded().flatMap { migrator.prepareBatch() }.get()
    }
}

/// A database opened without a web application: the command line (all but `serve`) and the tests use it.
/// `serve` hands the same configuration to Vapor's Fluent instead (see PMOServer's `useDatabase`).
public final class StoreHost: Sendable {
    public let databases: Databases
    public let settings: StoreSettings
    let logger: Logger

    /// Opens the database at `location`, tunes it and, unless `migrate` is false, migrates it.
    public init(_ location: DatabaseLocation, passwords: any PasswordHasher, migrate: Bool = true,
                logger: Logger = StoreHost.quietLogger) async throws {
        let (configuration, id) = try location.configuration()
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(configuration, as: id)
        settings = StoreSettings(location, passwords: passwords)
        self.logger = logger
        do {
            try await Store.prepare(databases, isSQLite: location.isSQLite, logger: logger)
            if migrate { try await Store.migrate(databases, logger: logger) }
        } catch {
            await databases.shutdownAsync()
            throw error
        }
    }

    /// Warnings and errors only: a command's output is its own, not the migrator's progress.
    public static var quietLogger: Logger {
        var logger = Logger(label: "pmo.store")
        logger.logLevel = .warning
        return logger
    }

    /// A store on one of the pool's event loops.
    public var store: Store {
        get throws {
            guard let db = databases.database(logger: logger, on: databases.eventLoopGroup.any()) else { throw DatabaseSetupError.closed }
            return Store(db: db, settings: settings)
        }
    }

    /// Closes the connections.
    public func shutdown() async { await databases.shutdownAsync() }

    /// Opens the database, runs `body` with its store, and closes it whatever happens.
    public static func with<T: Sendable>(_ location: DatabaseLocation, passwords: any PasswordHasher,
                                         logger: Logger = StoreHost.quietLogger,
                                         _ body: (Store) async throws -> T) async throws -> T {
        let host = try await StoreHost(location, passwords: passwords, logger: logger)
        do {
            let result = try await body(try host.store)
            await host.shutdown()
            return result
        } catch {
            await host.shutdown()
            throw error
        }
    }
}
