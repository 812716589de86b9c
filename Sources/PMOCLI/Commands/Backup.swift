import ArgumentParser
import Foundation
import PMOServer
import PMOStore
import ZIPFoundation

/// The entries of a backup archive: the database as `pmo.sqlite`, the attachments' files under `files/`.
enum BackupArchive {
    static let databaseEntry = "pmo.sqlite"
    static let filesFolder = "files"
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the SQLite database and its attachments into one .zip archive, safe while the server runs.",
        discussion: "Restore it with `pmo restore`. For PostgreSQL use pg_dump: attachments are stored in the database there.")
    @OptionGroup var db: DatabaseOption
    @Argument(help: "Where to write the archive (must not exist yet).") var destination: String

    func run() async throws {
        guard case .sqlite(let path) = db.location else {
            throw CommandFailure("backup archives a SQLite database; for PostgreSQL use pg_dump (it holds the attachments too).")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("There is no database at \(path).") }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw CommandFailure("\(destination) exists already; choose a new file name.")
        }
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("pmo-backup-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: work) }
        var fileCount = 0
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            // The database first (one consistent snapshot), then the files: they are stored by content and only a purge
            // removes one, so every file the snapshot names is there to copy.
            try await Runtime.withStore(db.location) { store in
                try await store.backupSQLite(to: work.appendingPathComponent(BackupArchive.databaseEntry).path)
            }
            let archive = try Archive(url: URL(fileURLWithPath: destination), accessMode: .create)
            try archive.addEntry(with: BackupArchive.databaseEntry, relativeTo: work, compressionMethod: .deflate)
            if case .directory(let root) = AttachmentStorage.for(db.location) {
                for shard in (try? FileManager.default.contentsOfDirectory(atPath: root))?.sorted() ?? [] where shard.count == 2 {
                    for name in try FileManager.default.contentsOfDirectory(atPath: root + "/" + shard).sorted() {
                        // Stored as they are: documents are mostly compressed already (PDF, xlsx, images).
                        try archive.addEntry(with: "\(BackupArchive.filesFolder)/\(shard)/\(name)",
                                             fileURL: URL(fileURLWithPath: "\(root)/\(shard)/\(name)"), compressionMethod: .none)
                        fileCount += 1
                    }
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw CommandFailure("Backup failed: \(error)")
        }
        print("Backed up \(path) and \(fileCount) attachment file\(fileCount == 1 ? "" : "s") to \(destination).")
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a `pmo backup` archive into a new SQLite database (and its attachments beside it).")
    @Argument(help: "The archive written by `pmo backup`.") var archive: String
    @Option(help: "The database file to create (must not exist yet).") var database: String

    func run() async throws {
        guard FileManager.default.fileExists(atPath: archive) else { throw CommandFailure("There is no archive at \(archive).") }
        let location = DatabaseLocation.parse(database)
        guard case .directory(let filesRoot) = AttachmentStorage.for(location) else {
            throw CommandFailure("restore writes a SQLite database; for PostgreSQL use pg_restore.")
        }
        guard !FileManager.default.fileExists(atPath: database), !FileManager.default.fileExists(atPath: filesRoot) else {
            throw CommandFailure("\(database) or \(filesRoot) exists already; restore into a new file name.")
        }
        let zip: Archive
        do { zip = try Archive(url: URL(fileURLWithPath: archive), accessMode: .read) } catch {
            throw CommandFailure("\(archive) is not a zip archive written by pmo backup.")
        }
        guard let databaseEntry = zip[BackupArchive.databaseEntry] else {
            throw CommandFailure("\(archive) has no \(BackupArchive.databaseEntry); it was not written by pmo backup.")
        }
        var fileCount = 0
        do {
            let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            _ = try zip.extract(databaseEntry, to: URL(fileURLWithPath: database))
            for entry in zip where entry.type == .file && entry.path.hasPrefix(BackupArchive.filesFolder + "/") {
                // Only `files/xx/<sha256>`: an entry naming anything else (`..`) is not extracted.
                let parts = entry.path.split(separator: "/")
                guard parts.count == 3, parts[1].count == 2, parts[2].count == 64, parts[2].allSatisfy(\.isHexDigit),
                      parts[2].hasPrefix(parts[1]) else { continue }
                _ = try zip.extract(entry, to: URL(fileURLWithPath: "\(filesRoot)/\(parts[1])/\(parts[2])"))
                fileCount += 1
            }
            // Opening it once checks it is a database of this product and brings it to the current schema.
            try await Runtime.withStore(location) { _ in }
        } catch {
            try? FileManager.default.removeItem(atPath: database)
            try? FileManager.default.removeItem(atPath: filesRoot)
            throw CommandFailure("Restore failed: \(error)")
        }
        print("Restored \(database) and \(fileCount) attachment file\(fileCount == 1 ? "" : "s") from \(archive).")
    }
}

struct PurgeAttachments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge-attachments",
        abstract: "Remove deleted attachments for good, with the stored files no attachment refers to any more.")
    @OptionGroup var db: DatabaseOption

    func run() async throws {
        let result = try await Runtime.withStore(db.location) { store in try await store.attachments.purge(nil) }
        print("Purged \(result.attachments) attachment\(result.attachments == 1 ? "" : "s"): \(result.files) stored file\(result.files == 1 ? "" : "s"), \(result.bytes) bytes.")
    }
}
