import Crypto
import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Where attachments' bytes live. Beside a SQLite database, a folder of files named by their SHA-256 (one copy per
/// content however often it is attached); on PostgreSQL, rows of `attachment_blobs` in the database itself, so that
/// several instances share them and `pg_dump` backs them up with everything else.
public enum AttachmentStorage: Sendable, Equatable {
    case directory(String)
    case database

    /// The storage for a database location: `<file>.files/` beside a SQLite file, the database for PostgreSQL.
    public static func `for`(_ location: DatabaseLocation) -> AttachmentStorage {
        switch location {
        case .sqlite(let path): .directory(path + ".files")
        case .postgres: .database
        }
    }

    /// Where an upload is written while it arrives: inside the folder for files (so storing it is a rename), the
    /// system's temporary folder otherwise.
    public var stagingDirectory: String {
        switch self {
        case .directory(let root): root + "/incoming"
        case .database: NSTemporaryDirectory()
        }
    }

    /// Chunk size of `attachment_blobs` rows and of reads (a download never holds a whole file).
    static let chunkSize = 256 * 1024
}

/// An upload being written to a staging file as it arrives: counted and hashed on the way, refused as soon as it
/// passes the size limit. Used by one request at a time.
public final class AttachmentUpload {
    public let limit: Int64
    let path: String
    private let handle: FileHandle
    private var hasher = SHA256()
    public private(set) var size: Int64 = 0
    private var closed = false

    public init(storage: AttachmentStorage, limit: Int64) throws {
        self.limit = limit
        let directory = storage.stagingDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/upload-" + UUID().uuidString.lowercased()
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
    }

    /// Appends bytes; over the limit the staged file is removed and `attachment.too_large` thrown.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        size += Int64(bytes.count)
        if size > limit {
            discard()
            throw AttachmentUpload.tooLarge(limit: limit)
        }
        hasher.update(bufferPointer: bytes)
        try handle.write(contentsOf: Data(bytes))
    }

    /// The file as written, ready to be stored.
    public func finish() throws -> StagedFile {
        try handle.close()
        closed = true
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return StagedFile(path: path, size: size, sha256: digest)
    }

    /// Removes the staged file (a failed or refused upload leaves nothing behind).
    public func discard() {
        if !closed { try? handle.close(); closed = true }
        try? FileManager.default.removeItem(atPath: path)
    }

    public static func tooLarge(limit: Int64) -> DomainError {
        DomainError(.tooLarge, code: "attachment.too_large",
                    message: "The file is larger than the \(AttachmentUpload.megabytes(limit)) MB an attachment may have (the administrator sets the limit).",
                    subjects: [AttachmentUpload.megabytes(limit)])
    }

    public static func megabytes(_ bytes: Int64) -> String {
        let mb = Double(bytes) / 1_048_576
        return mb == mb.rounded() ? String(Int(mb)) : String(format: "%.1f", mb)
    }
}

/// An upload written out in full: where, how large, and its content hash.
public struct StagedFile: Sendable {
    public let path: String
    public let size: Int64
    public let sha256: String

    public func discard() { try? FileManager.default.removeItem(atPath: path) }
}

/// The bytes of one stored attachment, read in chunks.
public struct AttachmentContent: Sendable {
    enum Source: Sendable {
        case file(String)
        case rows(db: any Database, sha256: String)
    }
    let source: Source
    public let size: Int64

    /// Calls `body` with each chunk in order; never holds the whole file.
    public func read(_ body: @Sendable (Data) async throws -> Void) async throws {
        switch source {
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            defer { try? handle.close() }
            while let data = try handle.read(upToCount: AttachmentStorage.chunkSize), !data.isEmpty { try await body(data) }
        case .rows(let db, let sha256):
            var seq = 0
            while let row = try await db.sql().raw("""
                SELECT bytes FROM attachment_blobs WHERE sha256 = \(bind: sha256) AND seq = \(bind: seq)
                """).first() {
                try await body(try row.decode(column: "bytes", as: Data.self))
                seq += 1
            }
        }
    }
}

extension AttachmentStorage {
    /// The stored file of a content hash (two folders of the hash's first characters keep a folder small).
    func path(_ sha256: String, root: String) -> String {
        "\(root)/\(sha256.prefix(2))/\(sha256)"
    }

    /// Stores a staged file under its hash unless that content is already stored; the staged file is gone afterwards.
    func store(_ file: StagedFile, on db: any Database) async throws {
        defer { file.discard() }
        switch self {
        case .directory(let root):
            let target = path(file.sha256, root: root)
            if FileManager.default.fileExists(atPath: target) { return }
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: file.path, toPath: target)
        case .database:
            let sql = try db.sql()
            // Two uploads of one new content, or an upload and a purge of the same content, queue up here.
            try await Self.lockContent([file.sha256], on: sql)
            if try await sql.raw("SELECT seq FROM attachment_blobs WHERE sha256 = \(bind: file.sha256) AND seq = 0").first() != nil { return }
            guard let handle = FileHandle(forReadingAtPath: file.path) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: file.path])
            }
            defer { try? handle.close() }
            var seq = 0
            while let data = try handle.read(upToCount: AttachmentStorage.chunkSize), !data.isEmpty {
                try await sql.raw("INSERT INTO attachment_blobs (sha256, seq, bytes) VALUES (\(bind: file.sha256), \(bind: seq), \(bind: data))").run()
                seq += 1
            }
        }
    }

    func content(_ sha256: String, size: Int64, on db: any Database) -> AttachmentContent {
        switch self {
        case .directory(let root): AttachmentContent(source: .file(path(sha256, root: root)), size: size)
        case .database: AttachmentContent(source: .rows(db: db, sha256: sha256), size: size)
        }
    }

    /// On PostgreSQL, holds a lock per content (by hash) until the transaction ends: an upload holds it while it checks
    /// for and writes the chunks and adds its row, a purge while it decides which contents no row needs, so neither sees
    /// the other half done (hashes in order, so that two holders never wait on each other).
    static func lockContent(_ hashes: [String], on sql: any SQLDatabase) async throws {
        for hash in Set(hashes).sorted() {
            try await sql.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: "attachment:" + hash), 0))").run()
        }
    }

    /// Removes a content's bytes (once no attachment row refers to it).
    func remove(_ sha256: String, on db: any Database) async throws {
        switch self {
        case .directory(let root): try? FileManager.default.removeItem(atPath: path(sha256, root: root))
        case .database: try await db.sql().raw("DELETE FROM attachment_blobs WHERE sha256 = \(bind: sha256)").run()
        }
    }
}
