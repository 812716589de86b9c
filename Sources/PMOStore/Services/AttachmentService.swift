import FluentKit
import Foundation
import PMOCore
import SQLKit

/// The attachments feature of the store, reached as `store.attachments`: files on issues and register items, plan
/// activities, meetings and status reports (`AttachmentOwner`). A file is seen by whoever may see its owner's files and
/// added or deleted by whoever may add them (`AttachmentTarget`); every add and delete is in the owner's audit trail. Deleting hides the file but keeps it (the trail may name it) until an
/// administrator purges deleted files (`purge`). Bytes live where `AttachmentStorage` says.
public struct AttachmentService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The attachments feature (`AttachmentService`).
    public var attachments: AttachmentService { AttachmentService(store: self) }
}

/// One attachment as the pages and the API show it.
public struct AttachmentView: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var contentType: String
    public var size: Int64
    public var sha256: String
    public var uploadedByID: UUID
    public var uploadedByName: String
    public var uploadedAt: Date
    /// How its owner is named, e.g. CRM-I12.
    public var ownerReference: String
    /// What it is attached to.
    public var owner: AttachmentOwner
}

/// The files of one owner, and whether the caller may add and delete them.
public struct AttachmentListing: Sendable {
    public var files: [AttachmentView]
    public var canAdd: Bool
}

/// What an upload says about itself (the bytes are the staged file).
public struct AttachmentFileInfo: Sendable {
    public var name: String
    public var contentType: String?
    public init(name: String, contentType: String?) {
        self.name = name
        self.contentType = contentType
    }
}

/// Rules for an attachment's name and type, the same for the pages and the API.
public enum AttachmentRules {
    public static let nameMax = 200
    public static let defaultLimit: Int64 = 50 * 1_048_576

    /// The name as stored: the last part of a path (browsers on Windows once sent whole paths), without control
    /// characters, trimmed; nil when nothing is left.
    public static func cleanName(_ raw: String) -> String? {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(String.UnicodeScalarView(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }))
            .trimmingCharacters(in: .whitespaces)
        return clean.isEmpty || clean == "." || clean == ".." ? nil : clean
    }

    /// The name an upload is stored under: nil when none was given; a name of nothing a file name can hold (dots,
    /// folders, control characters) becomes "attachment" rather than a refusal the uploader could not act on.
    public static func storedName(_ raw: String) -> String? {
        raw.isEmpty ? nil : cleanName(raw) ?? "attachment"
    }

    /// A media type `type/subtype` as sent, lower-cased and without parameters; anything else is stored as
    /// `application/octet-stream`.
    public static func cleanType(_ raw: String?) -> String {
        let base = (raw ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let parts = base.split(separator: "/", omittingEmptySubsequences: false)
        let token = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$&^_.+-"))
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(token.contains) }), base.count <= 100 else {
            return "application/octet-stream"
        }
        return base
    }
}

extension AttachmentService {
    static let columns = ["id", "name", "content_type", "size", "sha256", "uploaded_by_id", "uploaded_at", "owner_id", "owner_type"]

    /// The files on an owner, oldest first (deleted ones are not listed); refused when the caller may not see the
    /// owner's files (`attachment.hidden`).
    public func list(_ caller: Caller, key: String, owner: AttachmentOwner) async throws -> [AttachmentView] {
        guard let listing = try await listing(caller, key: key, owner: owner) else {
            throw DomainError.forbidden("attachment.hidden", "Files on activities of another company are not shown to vendors' staff.")
        }
        return listing.files
    }

    /// The files on an owner and whether the caller may add files; nil when the caller may not see its files (a
    /// vendor on another company's activity), so that a page leaves the section out.
    public func listing(_ caller: Caller, key: String, owner: AttachmentOwner) async throws -> AttachmentListing? {
        let context = try await projectContext(caller, key: key)
        let target = try await target(context, owner, on: db)
        guard target.canSee else { return nil }
        let rows = try await db.readRows("""
            SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM attachments
            WHERE owner_id = \(bind: target.id) AND owner_type = \(bind: owner.storedType) AND deleted_at IS NULL ORDER BY uploaded_at, id
            """, columns: Self.columns)
        return AttachmentListing(files: try await views(rows, target: target, on: db), canAdd: target.canEdit)
    }

    /// Refuses, before an upload is read, a caller who may not add files to the owner (the same checks as `add`).
    public func requireCanAttach(_ caller: Caller, key: String, owner: AttachmentOwner) async throws {
        let context = try await projectContext(caller, key: key)
        try requireEdit(try await target(context, owner, on: db))
    }

    /// Adds a staged upload to an owner the caller may add files to, and notes it in the owner's trail. The staged file is
    /// consumed whatever happens: stored on success, removed on refusal.
    public func add(_ caller: Caller, key: String, owner: AttachmentOwner, file: StagedFile, info: AttachmentFileInfo) async throws -> AttachmentView {
        var e = FieldErrors()
        let name = AttachmentRules.storedName(info.name)
        if name == nil { e.add("name", "required", "Give the file a name (the upload had none).") }
        if let name, name.count > AttachmentRules.nameMax {
            e.add("name", "too_long", "A file name may have at most \(AttachmentRules.nameMax) characters.")
        }
        if file.size == 0 { e.add("file", "empty_file", "The file is empty. Choose a file that has content.") }
        do { try e.throwIfAny("attachment.invalid") } catch { file.discard(); throw error }
        let at = now()
        let id = UUID()
        let type = AttachmentRules.cleanType(info.contentType)
        let storage = store.attachmentStorage
        do {
            return try await write { db in
                let context = try await projectContext(caller, key: key, on: db)
                let target = try await target(context, owner, on: db)
                try requireEdit(target)
                try await storage.store(file, on: db)
                try await db.sql().raw("""
                    INSERT INTO attachments (id, project_id, owner_type, owner_id, name, content_type, size, sha256, uploaded_by_id, uploaded_at)
                    VALUES (\(bind: id), \(bind: context.projectID), \(bind: owner.storedType), \(bind: target.id), \(bind: name!), \(bind: type),
                            \(bind: file.size), \(bind: file.sha256), \(bind: caller.userID), \(bind: at))
                    """).run()
                try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: target.auditEntityType,
                                          entityID: target.id, action: "attach", version: target.version,
                                          changes: [FieldChange(field: "attachment", from: nil, to: name!)])
                return AttachmentView(id: id, name: name!, contentType: type, size: file.size, sha256: file.sha256, uploadedByID: caller.userID,
                                      uploadedByName: caller.displayName, uploadedAt: at, ownerReference: target.reference, owner: owner)
            }
        } catch {
            file.discard()
            throw error
        }
    }

    /// One attachment and its bytes, if the caller may see its owner's files (else `attachment.not_found`, as for one that
    /// does not exist, so that ids cannot be probed).
    public func content(_ caller: Caller, key: String, id: UUID) async throws -> (AttachmentView, AttachmentContent) {
        let context = try await projectContext(caller, key: key)
        let (view, _) = try await visible(context, id: id, on: db)
        return (view, store.attachmentStorage.content(view.sha256, size: view.size, on: db))
    }

    /// Deletes an attachment from its owner's list (the caller must be allowed to add files there); the file is kept
    /// for the trail until `purge`.
    public func delete(_ caller: Caller, key: String, id: UUID) async throws -> AttachmentView {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let (view, target) = try await visible(context, id: id, on: db)
            try requireEdit(target)
            try await db.sql().raw("""
                UPDATE attachments SET deleted_at = \(bind: at), deleted_by_id = \(bind: caller.userID) WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: target.auditEntityType,
                                      entityID: target.id, action: "detach", version: target.version,
                                      changes: [FieldChange(field: "attachment", from: view.name, to: nil)])
            return view
        }
    }

    /// What a purge removed.
    public struct PurgeResult: Sendable, Equatable {
        public var attachments: Int
        public var files: Int
        public var bytes: Int64
        public init(attachments: Int, files: Int, bytes: Int64) {
            self.attachments = attachments
            self.files = files
            self.bytes = bytes
        }
    }

    /// Removes deleted attachments, and those whose owner no longer exists, for good, and the stored contents no
    /// attachment refers to any more. Administrators only (`caller` nil: the command line, run by the server's owner).
    public func purge(_ caller: Caller?) async throws -> PurgeResult {
        try requireAdmin(caller)
        let storage = store.attachmentStorage
        return try await write { db in
            let gone = try await db.readRows("""
                SELECT a.id, a.sha256, a.size FROM attachments a
                WHERE a.deleted_at IS NOT NULL OR \(Self.ownerIsGone())
                """, columns: ["id", "sha256", "size"])
            let ids = try gone.map { try $0.uuid(0) }
            guard !ids.isEmpty else { return PurgeResult(attachments: 0, files: 0, bytes: 0) }
            try await db.sql().raw("DELETE FROM attachments WHERE id IN (\(binds: ids))").run()
            let hashes = Set(try gone.map { try $0.string(1) })
            if storage == .database { try await AttachmentStorage.lockContent(Array(hashes), on: try db.sql()) }
            let kept = Set(try await db.readRows("SELECT DISTINCT sha256 FROM attachments WHERE sha256 IN (\(binds: Array(hashes)))",
                                                 columns: ["sha256"]).map { try $0.string(0) })
            var files = 0, bytes: Int64 = 0
            var sizes: [String: Int64] = [:]
            for r in gone { sizes[try r.string(1)] = Int64(try r.int(2)) }
            for hash in hashes.subtracting(kept).sorted() {
                try await storage.remove(hash, on: db)
                files += 1
                bytes += sizes[hash] ?? 0
            }
            return PurgeResult(attachments: ids.count, files: files, bytes: bytes)
        }
    }

    /// Gives the owner `to` the files `from` has now (same contents, so no bytes are copied): a report's correction
    /// starts with the corrected report's files. Called inside the owner's own write.
    func copyFiles(from: AttachmentOwner, fromID: UUID, toID: UUID, projectID: UUID, on db: any Database) async throws {
        let rows = try await db.readRows("""
            SELECT name, content_type, size, sha256, uploaded_by_id, uploaded_at FROM attachments
            WHERE owner_id = \(bind: fromID) AND owner_type = \(bind: from.storedType) AND deleted_at IS NULL ORDER BY uploaded_at, id
            """, columns: ["name", "content_type", "size", "sha256", "uploaded_by_id", "uploaded_at"])
        for r in rows {
            try await db.sql().raw("""
                INSERT INTO attachments (id, project_id, owner_type, owner_id, name, content_type, size, sha256, uploaded_by_id, uploaded_at)
                VALUES (\(bind: UUID()), \(bind: projectID), \(bind: from.storedType), \(bind: toID), \(bind: try r.string(0)),
                        \(bind: try r.string(1)), \(bind: Int64(try r.int(2))), \(bind: try r.string(3)), \(bind: try r.uuid(4)), \(bind: try r.date(5)))
                """).run()
        }
    }

    // MARK: Helpers

    func requireEdit(_ target: AttachmentTarget) throws {
        guard target.canEdit else { throw DomainError.forbidden("attachment.forbidden", target.editRefusal, subjects: [target.reference]) }
    }

    /// An attachment of the project that is not deleted and whose owner's files the caller may see.
    func visible(_ context: ProjectContext, id: UUID, on db: any Database) async throws -> (AttachmentView, AttachmentTarget) {
        let notFound = DomainError.notFound("attachment.not_found", "There is no such file that you can see in \(context.project.key).",
                                            subjects: [context.project.key])
        guard let row = try await db.readRows("""
            SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM attachments
            WHERE id = \(bind: id) AND project_id = \(bind: context.projectID) AND deleted_at IS NULL
            """, columns: Self.columns).first,
              let owner = try await storedOwner(context, type: try row.string(8), id: try row.uuid(7), on: db) else { throw notFound }
        // An owner hidden from the caller answers as a file that does not exist, so that ids cannot be probed.
        let target: AttachmentTarget
        do { target = try await self.target(context, owner, on: db) } catch let error as DomainError where error.kind == .notFound { throw notFound }
        guard target.canSee, let view = try await views([row], target: target, on: db).first else { throw notFound }
        return (view, target)
    }

    func views(_ rows: [RowReader], target: AttachmentTarget, on db: any Database) async throws -> [AttachmentView] {
        let list = try rows.map { r in
            AttachmentView(id: try r.uuid(0), name: try r.string(1), contentType: try r.string(2), size: Int64(try r.int(3)), sha256: try r.string(4),
                           uploadedByID: try r.uuid(5), uploadedByName: "", uploadedAt: try r.date(6), ownerReference: target.reference,
                           owner: target.owner)
        }
        let names = try await names(table: "users", column: "display_name", ids: Set(list.map(\.uploadedByID)), on: db)
        return list.map { v in
            var v = v
            v.uploadedByName = names[v.uploadedByID] ?? "?"
            return v
        }
    }
}
