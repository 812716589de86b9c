import ArgumentParser
import Foundation
import PMOServer
import PMOStore

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the SQLite database, safe while the server runs.")
    @OptionGroup var db: DatabaseOption
    @Argument(help: "Where to write the copy (must not exist yet).") var destination: String

    func run() async throws {
        guard case .sqlite(let path) = db.location else {
            throw CommandFailure("backup copies a SQLite database; for PostgreSQL use pg_dump.")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("There is no database at \(path).") }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw CommandFailure("\(destination) exists already; choose a new file name.")
        }
        do {
            try await Runtime.withStore(db.location) { store in try await store.backupSQLite(to: destination) }
        } catch {
            throw CommandFailure("Backup failed: \(error)")
        }
        print("Backed up \(path) to \(destination).")
    }
}
