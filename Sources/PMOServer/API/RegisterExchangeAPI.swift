import Foundation
import PMOCore
import PMOWords
import PMOInterchange
import PMOStore
import Vapor

/// A register as the spreadsheet exchange sees it, issues included: its shape, its path segment, the list's query
/// parameters, and how its items are read for an export and how an import is run.
struct SheetRegister: Sendable {
    var shape: RegisterShape
    var plural: String
    var listQuery: [String]
    /// Every item the caller may see that the request's list filters and sort select, as sheet items.
    var items: @Sendable (Request, Caller, String, CalendarDate) async throws -> [RegisterSheet.Item]
    var runImport: @Sendable (Request, Caller, String, [ImportRowInput], [ImportPlan.RowError], Bool) async throws -> ImportPlan
    /// A change of the import preview in the reader's words.
    var readable: @Sendable (HistoryNames, FieldChange, Request) -> FieldChange

    init(_ kind: RegisterKind) {
        shape = kind.shape
        plural = kind.plural
        listQuery = ["status", "open", "owner", "overdue", "company", "q", "sort"]
        items = { req, caller, key, today in
            var query = try RegisterQueryParser.parse(req.url.query, kind: kind, caller: caller, today: today)
            query.limit = RegisterQuery.maxLimit
            query.cursor = nil
            var items: [RegisterSheet.Item] = []
            while true {
                let page = try await req.store.items.registerItems(caller, key: key, kind: kind, query: query)
                items += page.items.map { .init(number: $0.record.number, version: $0.record.version, fields: $0.fields) }
                guard let next = page.nextCursor else { return items }
                query.cursor = next
            }
        }
        runImport = { req, caller, key, rows, fileErrors, apply in
            try await req.store.items.importRegister(caller, key: key, kind: kind, rows: rows, fileErrors: fileErrors, apply: apply)
        }
        readable = { names, change, req in names.readableRegister(change, kind: kind, req) }
    }

    private init(shape: RegisterShape, plural: String, listQuery: [String],
                 items: @escaping @Sendable (Request, Caller, String, CalendarDate) async throws -> [RegisterSheet.Item],
                 runImport: @escaping @Sendable (Request, Caller, String, [ImportRowInput], [ImportPlan.RowError], Bool) async throws -> ImportPlan,
                 readable: @escaping @Sendable (HistoryNames, FieldChange, Request) -> FieldChange) {
        self.shape = shape
        self.plural = plural
        self.listQuery = listQuery
        self.items = items
        self.runImport = runImport
        self.readable = readable
    }

    /// The issue register (課題管理表): its list's filters, its own create and update steps.
    static let issues = SheetRegister(
        shape: .issue, plural: "issues", listQuery: ["status", "open", "priority", "owner", "overdue", "company", "q", "sort"],
        items: { req, caller, key, today in
            var query = try IssueQueryParser.parse(req.url.query, caller: caller, today: today)
            query.limit = IssueQuery.maxLimit
            query.cursor = nil
            var items: [RegisterSheet.Item] = []
            while true {
                let page = try await req.store.items.issues(caller, key: key, query: query)
                items += page.items.map { .init(number: $0.record.number, version: $0.record.version, fields: $0.fields.registerFields) }
                guard let next = page.nextCursor else { return items }
                query.cursor = next
            }
        },
        runImport: { req, caller, key, rows, fileErrors, apply in
            try await req.store.items.importIssues(caller, key: key, rows: rows, fileErrors: fileErrors, apply: apply)
        },
        readable: { names, change, req in names.readable(change, req) })

    /// Every register that goes to Excel and back: the issue register first.
    static let all: [SheetRegister] = [.issues] + RegisterKind.allCases.map(SheetRegister.init)
}

/// Excel and CSV export and import of a register. Imports are all or nothing: `mode=preview` (the default) shows
/// what would be created and changed and every row's errors; `mode=apply` stores it only when there is no error.
enum RegisterExchangeAPI {
    static let maxUpload: ByteCount = "10mb"

    static func routes(_ register: SheetRegister, _ r: APIRouter) {
        let base = "/projects/{key}/\(register.plural)"
        let name = register.shape.name
        r.add(.GET, "\(base)/export.xlsx", summary: "The \(name) register as an Excel workbook (the list's filters and sort apply)",
              tag: register.plural, query: register.listQuery,
              files: ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]) { req in
            let (data, name) = try await export(req, register, xlsx: true)
            return file(data, name: name, type: HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        }
        r.add(.GET, "\(base)/export.csv", summary: "The \(name) register as CSV (UTF-8 with BOM; the list's filters and sort apply)",
              tag: register.plural, query: register.listQuery, files: ["text/csv"]) { req in
            let (data, name) = try await export(req, register, xlsx: false)
            return file(data, name: name, type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]))
        }
        r.add(.POST, "\(base)/import", summary: "Import an .xlsx or .csv file (body: the file). mode=preview (default) or mode=apply; all or nothing",
              tag: register.plural, response: "ImportPlan", query: ["mode"], maxBody: maxUpload, also: [422: "ImportPlan"]) { req in
            let caller = try req.writer()
            let mode = (try? req.query.get(String.self, at: "mode")) ?? "preview"
            guard mode == "preview" || mode == "apply" else {
                throw DomainError.invalid("query.invalid", [FieldError(field: "mode", code: "invalid_choice", message: "mode must be preview or apply.")])
            }
            guard let buffer = req.body.data, buffer.readableBytes > 0 else {
                throw DomainError(.malformed, code: "import.empty", message: "Send the .xlsx or .csv file as the request body.")
            }
            let plan = try await runImport(req, caller: caller, register: register, data: Data(buffer: buffer), apply: mode == "apply")
            return try answer(planAnswer(plan, req: req, shape: register.shape),
                              status: mode == "apply" && !plan.applied ? .unprocessableEntity : .ok)
        }
    }

    static func file(_ data: Data, name: String, type: HTTPMediaType) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func words(_ req: Request) -> RegisterSheet.Words {
        let words = req.words
        return RegisterSheet.Words(label: { words[$0] ?? $0 }, keyFor: SheetWords.keyFor)
    }

    /// The people, companies and resources a sheet names: resources are read by the names of those the caller may
    /// see, and written by name for every one the exported `items` name (shown to whoever sees the item).
    static func directory(_ req: Request, caller: Caller, key: String, shape: RegisterShape,
                          items: [RegisterSheet.Item] = []) async throws -> RegisterSheet.Directory {
        let (users, companies) = try await req.store.items.registerDirectoryEntries(caller, key: key)
        var resourceNames: [UUID: String] = [:]
        if shape.fields.contains(where: { if case .resources = $0.kind { true } else { false } }) {
            for r in try await req.store.resources.list(caller) { resourceNames[r.id] = r.name }
            let named = Set(items.flatMap(\.fields.detailResourceIDs)).subtracting(resourceNames.keys)
            resourceNames.merge(try await req.store.items.resourceNames(Array(named))) { a, _ in a }
        }
        var byKey: [String: UserID] = [:]
        var nameCount: [String: Int] = [:]
        for (_, _, name) in users { nameCount[name.lowercased(), default: 0] += 1 }
        for (id, email, name) in users {
            byKey[email.lowercased()] = id
            if nameCount[name.lowercased()] == 1 { byKey[name.lowercased()] = id }
        }
        return RegisterSheet.Directory(
            userEmail: Dictionary(uniqueKeysWithValues: users.map { ($0.0, $0.1) }), userByKey: byKey,
            companyName: Dictionary(uniqueKeysWithValues: companies.map { ($0.0, $0.1) }),
            companyByName: Dictionary(companies.map { ($0.1.lowercased(), $0.0) }, uniquingKeysWith: { a, _ in a }),
            resourceName: resourceNames)
    }

    static func export(_ req: Request, _ register: SheetRegister, xlsx: Bool) async throws -> (Data, String) {
        let caller = try req.requireCaller()
        let key = try req.projectKey()
        // The list's filters and sort apply (the export buttons pass them on); every page is fetched.
        let (today, _) = req.today(for: caller)
        let items = try await register.items(req, caller, key, today)
        let table = RegisterSheet.table(register.shape, projectKey: key, items: items,
                                        directory: try await directory(req, caller: caller, key: key, shape: register.shape, items: items), words: words(req))
        let name = "\(key)-\(register.plural)-\(today).\(xlsx ? "xlsx" : "csv")"
        return (xlsx ? try XLSXWriter.write([table]) : CSVWriter.write(table), name)
    }

    /// Reads the file (xlsx by its zip signature, else CSV) and runs the import.
    static func runImport(_ req: Request, caller: Caller, register: SheetRegister, data: Data, apply: Bool) async throws -> ImportPlan {
        let key = try req.projectKey()
        let sheet: SpreadsheetSheet
        do {
            if data.starts(with: [0x50, 0x4B]) {
                guard let first = try XLSXReader.read(data).first else {
                    throw SpreadsheetError(code: "spreadsheet.no_sheet", message: "The workbook has no sheet.")
                }
                sheet = first
            } else if data.prefix(8192).contains(0) {
                // Text (CSV in UTF-8 or Shift_JIS) never holds a NUL byte; a PDF, image or old .xls does.
                throw SpreadsheetError(code: "spreadsheet.not_spreadsheet",
                                       message: "The file is neither an Excel workbook (.xlsx) nor CSV text. Save it as .xlsx or CSV UTF-8 and upload it again.")
            } else {
                sheet = try CSVReader.read(data)
            }
        } catch let e as SpreadsheetError {
            throw DomainError.invalid("import.unreadable", [FieldError(field: "file", code: e.code, message: e.message)])
        }
        let (rows, cellErrors) = RegisterSheet.read(sheet, shape: register.shape, projectKey: key, directory: try await directory(req, caller: caller, key: key, shape: register.shape),
                                                    words: words(req))
        let inputs = rows.map { ImportRowInput(line: $0.line, number: $0.number, version: $0.version, patch: $0.patch) }
        let fileErrors = cellErrors.map { ImportPlan.RowError(line: $0.line, field: $0.column, code: $0.code, message: $0.message, subjects: $0.subjects) }
        return try await register.runImport(req, caller, key, inputs, fileErrors, apply)
    }

    /// Column title of a field error (file errors already carry the column's title).
    static func column(_ field: String, shape: RegisterShape, req: Request) -> String {
        if field.isEmpty { return "" }
        let common = ["title": "title", "status": "status", "owner": "owner", "dueDate": "due", "companyId": "responsible_company",
                      "visibility": "visibility", "visibilityCompanyId": "visibility", "description": "description", "number": "sheet.number",
                      "version": "sheet.version"]
        if let k = common[field] { return req.label(k) }
        if shape.field(field) != nil { return req.label(shape.fieldWord(field)) }
        return field
    }

    /// One error of an import as it is shown: the column by its title, the sentence in English for the API or in
    /// the reader's language for a page.
    struct ShownError {
        var line: Int
        var column: String
        var code: String
        var message: String
    }

    static func errorsOf(_ plan: ImportPlan, shape: RegisterShape, req: Request, forPage: Bool = false) -> [ShownError] {
        errorsOf(plan, column: { column($0, shape: shape, req: req) }, req: req, forPage: forPage)
    }

    /// The same with `column` naming a field's column.
    static func errorsOf(_ plan: ImportPlan, column: (String) -> String, req: Request, forPage: Bool = false) -> [ShownError] {
        func shown(_ error: ImportPlan.RowError, column: String) -> ShownError {
            ShownError(line: error.line, column: column, code: error.code,
                       message: forPage ? req.sentence(code: error.code, detail: error.message, subjects: error.subjects) : error.message)
        }
        return (plan.fileErrors.map { shown($0, column: $0.field) }
            + plan.rows.flatMap { $0.errors.map { shown($0, column: column($0.field)) } })
            .sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    static func planAnswer(_ plan: ImportPlan, req: Request, shape: RegisterShape) -> ImportPlanAnswer {
        planAnswer(plan, errors: errorsOf(plan, shape: shape, req: req))
    }

    static func planAnswer(_ plan: ImportPlan, errors: [ShownError]) -> ImportPlanAnswer {
        return ImportPlanAnswer(
            applied: plan.applied, creates: plan.creates, updates: plan.updates, unchanged: plan.unchanged, errorCount: plan.errorCount,
            errors: errors.map { ImportPlanAnswer.Error(line: $0.line, column: $0.column, code: $0.code, message: $0.message) },
            rows: plan.rows.map { row in
                ImportPlanAnswer.Row(line: row.line, action: row.action, reference: row.reference,
                                     changes: row.changes.map { ImportPlanAnswer.Change(field: $0.field, from: $0.from, to: $0.to) },
                                     errors: errors.filter { $0.line == row.line }.map { ImportPlanAnswer.RowError(column: $0.column, code: $0.code, message: $0.message) })
            })
    }
}

/// Every word of both languages, lower-cased, to the keys that use it: how an imported header or value of either
/// language is recognised.
enum SheetWords {
    static let keyFor: [String: [String]] = {
        var map: [String: [String]] = [:]
        for table in [I18n.allEn, I18n.allJa] {
            for (key, word) in table { map[word.lowercased(), default: []].append(key) }
        }
        return map
    }()
}
