import FluentKit
import Foundation
import PMOCore
import SQLKit

/// One row of an import as the spreadsheet reader gives it.
public struct ImportRowInput: Sendable {
    public var line: Int
    /// The item it updates; nil creates one.
    public var number: Int?
    /// The version the row was exported at (nil: apply without checking for edits made since).
    public var version: Int?
    public var patch: RegisterItemPatch
    public init(line: Int, number: Int?, version: Int? = nil, patch: RegisterItemPatch) {
        self.line = line
        self.number = number
        self.version = version
        self.patch = patch
    }
}

/// What an import does (preview) or did (applied), row by row.
public struct ImportPlan: Sendable {
    public struct RowError: Sendable, Equatable {
        public var line: Int
        /// The field at fault (a register field name, or a common one: title, status, owner, ...); empty for the row.
        public var field: String
        /// A stable code: a field error's (`invalid_date`) or, for a whole row, a problem's (`import.unknown_number`).
        public var code: String
        /// The English sentence (the API's).
        public var message: String
        /// The values involved, shown beside a page's own sentence for `code` in another language.
        public var subjects: [String]
        public init(line: Int, field: String, code: String, message: String, subjects: [String] = []) {
            self.line = line
            self.field = field
            self.code = code
            self.message = message
            self.subjects = subjects
        }
    }
    public struct RowPlan: Sendable {
        public var line: Int
        /// create, update, unchanged or error.
        public var action: String
        public var reference: String?
        public var changes: [FieldChange]
        public var errors: [RowError]
    }
    public var rows: [RowPlan] = []
    /// Errors of the file itself (header, unreadable cells) that belong to no computed row.
    public var fileErrors: [RowError] = []
    public var applied = false
    public init() {}

    public var creates: Int { rows.filter { $0.action == "create" }.count }
    public var updates: Int { rows.filter { $0.action == "update" }.count }
    public var unchanged: Int { rows.filter { $0.action == "unchanged" }.count }
    public var errorCount: Int { fileErrors.count + rows.reduce(0) { $0 + $1.errors.count } }
}

/// Rolls back a preview: the import ran in full so that the preview shows exactly what applying would do.
struct PreviewRollback: Error { var plan: ImportPlan }

extension ItemService {
    /// Runs an import in one transaction. With `apply` false, or when any row has an error, everything is rolled
    /// back and the plan says what would happen; with `apply` true and no errors, all of it is stored.
    /// `fileErrors` (from reading the file) count as errors: a file with any error changes nothing.
    public func importRegister(_ caller: Caller, key: String, kind: RegisterKind, rows: [ImportRowInput],
                               fileErrors: [ImportPlan.RowError], apply: Bool) async throws -> ImportPlan {
        try await runImport(caller, key: key, shape: kind.shape, plural: kind.plural, rows: rows, fileErrors: fileErrors, apply: apply) {
            row, context, at, db in try await self.importRow(row, kind: kind, context: context, caller: caller, at: at, on: db)
        }
    }

    /// The same for the issue register (`RegisterShape.issue`): rows go through the issue's own create and update steps.
    public func importIssues(_ caller: Caller, key: String, rows: [ImportRowInput], fileErrors: [ImportPlan.RowError],
                             apply: Bool) async throws -> ImportPlan {
        try await runImport(caller, key: key, shape: .issue, plural: "issues", rows: rows, fileErrors: fileErrors, apply: apply) {
            row, context, at, db in try await self.importIssueRow(row, context: context, caller: caller, at: at, on: db)
        }
    }

    private func runImport(_ caller: Caller, key: String, shape: RegisterShape, plural: String, rows: [ImportRowInput],
                           fileErrors: [ImportPlan.RowError], apply: Bool,
                           importRow: @escaping @Sendable (ImportRowInput, ProjectContext, Date, any Database) async throws -> ImportPlan.RowPlan)
        async throws -> ImportPlan {
        let at = now()
        do {
            return try await write { db in
                let context = try await projectContext(caller, key: key, on: db)
                guard context.allows(.createItem) else {
                    throw DomainError.forbidden("\(shape.name).import_forbidden", "Your role in \(key) may not import \(plural).")
                }
                var plan = ImportPlan()
                plan.fileErrors = fileErrors
                let rowsWithFileErrors = Set(fileErrors.map(\.line))
                for row in rows {
                    if rowsWithFileErrors.contains(row.line) {
                        plan.rows.append(.init(line: row.line, action: "error", reference: row.number.map { shape.reference(projectKey: key, number: $0) },
                                               changes: [], errors: []))
                        continue
                    }
                    plan.rows.append(try await importRow(row, context, at, db))
                }
                if !apply || plan.errorCount > 0 { throw PreviewRollback(plan: plan) }
                plan.applied = true
                return plan
            }
        } catch let rollback as PreviewRollback {
            return rollback.plan
        }
    }

    /// A row's failure as the plan shows it: each field error on its column, or the whole row's.
    static func failedRow(_ row: ImportRowInput, _ reference: String?, _ error: DomainError) -> ImportPlan.RowPlan {
        let errors = error.fieldErrors.isEmpty ? [ImportPlan.RowError(line: row.line, field: "", code: error.code, message: error.message)]
            : error.fieldErrors.map { ImportPlan.RowError(line: row.line, field: $0.field, code: $0.code, message: $0.message, subjects: $0.subjects) }
        return .init(line: row.line, action: "error", reference: reference, changes: [], errors: errors)
    }

    static func unknownNumber(_ reference: String) -> DomainError {
        DomainError.invalid("import.unknown_number", [FieldError(field: "number", code: "not_found",
            message: "There is no \(reference) that you can see; clear the number to create a new item.")])
    }

    func importIssueRow(_ row: ImportRowInput, context: ProjectContext, caller: Caller, at: Date,
                        on db: any Database) async throws -> ImportPlan.RowPlan {
        let key = context.project.key
        if let number = row.number {
            let reference = RegisterShape.issue.reference(projectKey: key, number: number)
            do {
                let record = try await visibleIssue(context, number: number, forUpdate: true, on: db)
                guard context.allows(.editItem, item: record.facts) else {
                    throw DomainError.forbidden("issue.edit_forbidden", "Your role in \(key) may not change \(reference).")
                }
                let before = record.auditSnapshot
                let version = record.version
                var patch = row.patch
                if let exported = row.version, exported < version {
                    let sheet = RegisterItemRecord(register: ItemService.issueRegister)
                    IssueFields(record).applying(patch).apply(to: sheet)
                    patch = try await mergeSinceExport(row, exported: exported, itemID: record.requireID(), version: version,
                                                       current: before, sheet: sheet.auditSnapshot, reference: reference, on: db)
                }
                let saved = try await saveIssueFields(context, caller: caller, record: record, fields: IssueFields(record).applying(patch),
                                                      at: at, on: db)
                return .init(line: row.line, action: saved.version == version ? "unchanged" : "update", reference: reference,
                             changes: FieldChange.diff(before, saved.auditSnapshot), errors: [])
            } catch let e as DomainError where e.kind == .notFound {
                return Self.failedRow(row, reference, Self.unknownNumber(reference))
            } catch let e as DomainError {
                return Self.failedRow(row, reference, e)
            }
        }
        do {
            let saved = try await insertIssue(context, caller: caller, fields: IssueFields(title: "").applying(row.patch), at: at, on: db)
            return .init(line: row.line, action: "create", reference: RegisterShape.issue.reference(projectKey: key, number: saved.number),
                         changes: FieldChange.diff([:], saved.auditSnapshot), errors: [])
        } catch let e as DomainError {
            return Self.failedRow(row, nil, e)
        }
    }

    func importRow(_ row: ImportRowInput, kind: RegisterKind, context: ProjectContext, caller: Caller, at: Date,
                   on db: any Database) async throws -> ImportPlan.RowPlan {
        let key = context.project.key
        let failed = { (reference: String?, error: DomainError) in Self.failedRow(row, reference, error) }
        if let number = row.number {
            let reference = kind.reference(projectKey: key, number: number)
            do {
                let record = try await visibleRegisterItem(context, kind: kind, number: number, forUpdate: true, on: db)
                let before = record.auditSnapshot
                let version = record.version
                var patch = row.patch
                if let exported = row.version, exported < version {
                    let sheet = RegisterItemRecord(register: record.register)
                    sheet.apply(row.patch.applied(to: record.fields()))
                    patch = try await mergeSinceExport(row, exported: exported, itemID: record.requireID(), version: version,
                                                       current: before, sheet: sheet.auditSnapshot, reference: reference, on: db)
                }
                let saved = try await applyRegisterPatch(context, caller: caller, record: record, patch: patch, at: at, on: db)
                let changes = FieldChange.diff(before, saved.auditSnapshot)
                return .init(line: row.line, action: saved.version == version ? "unchanged" : "update", reference: reference,
                             changes: changes, errors: [])
            } catch let e as DomainError where e.kind == .notFound {
                return failed(reference, Self.unknownNumber(reference))
            } catch let e as DomainError {
                return failed(reference, e)
            }
        }
        do {
            let fields = row.patch.applied(to: RegisterItemFields(title: "", status: kind.initialStatus))
            let saved = try await insertRegisterItem(context, caller: caller, kind: kind, fields: fields, origin: nil, at: at, on: db)
            return .init(line: row.line, action: "create", reference: kind.reference(projectKey: key, number: saved.number),
                         changes: FieldChange.diff([:], saved.auditSnapshot), errors: [])
        } catch let e as DomainError {
            return failed(nil, e)
        }
    }

    /// A row exported at an older version is merged field by field with the edits made since (found in the item's
    /// audit trail): a cell still holding the value it had at export leaves the newer value alone; a cell the sheet
    /// changed is applied unless someone else changed that field too, which is refused (it would be a lost update).
    /// `current` and `sheet` are the item's audit snapshots now and with the row applied.
    func mergeSinceExport(_ row: ImportRowInput, exported: Int, itemID: UUID, version: Int, current: [String: String?],
                          sheet: [String: String?], reference: String, on db: any Database) async throws -> RegisterItemPatch {
        var atExport: [String: String?] = [:]
        for entry in try await AuditLog.entries(on: db, entityID: itemID) where entry.version > exported {
            for change in entry.changes where atExport[change.field] == nil { atExport[change.field] = .some(change.from) }
        }
        var patch = row.patch
        var conflicts: [FieldError] = []
        for (field, old) in atExport {
            let value = sheet[field] ?? nil
            if value == (current[field] ?? nil) { continue }
            if value == old {
                Self.leaveAlone(field, in: &patch)
            } else {
                conflicts.append(FieldError(field: field == "company" ? "companyId" : field, code: "edited_since_export",
                    message: "\(reference) was changed by someone else since it was exported (version \(exported), now \(version)), this field included; export again and redo this change."))
            }
        }
        if !conflicts.isEmpty { throw DomainError.invalid("import.edited_since_export", conflicts.sorted { $0.field < $1.field }) }
        return patch
    }

    /// Removes one audit field from a patch, so the import leaves it as it is.
    static func leaveAlone(_ field: String, in patch: inout RegisterItemPatch) {
        switch field {
        case "title": patch.title = nil
        case "description": patch.description = nil
        case "status": patch.status = nil
        case "owner": patch.ownerID = nil
        case "dueDate": patch.dueDate = nil
        case "visibility", "visibilityCompany": patch.visibility = nil
        case "company": patch.companyID = nil
        default: patch.details.removeValue(forKey: field)
        }
    }

    /// The people (members) and companies an import may name, and how an export writes them.
    public func registerDirectoryEntries(_ caller: Caller, key: String) async throws -> (users: [(UserID, String, String)], companies: [(CompanyID, String)]) {
        let context = try await projectContext(caller, key: key)
        let members = try await store.projects.members(projectID: context.projectID)
        let companies = try await CompanyRecord.select("TRUE", on: db)
        return (try members.map { (UserID(try $0.user.requireID()), $0.user.email, $0.user.displayName) }, try companies.map { (CompanyID(try $0.requireID()), $0.name) })
    }
}
