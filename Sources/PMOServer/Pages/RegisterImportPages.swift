import Foundation
import PMOCore
import PMOInterchange
import PMOStore
import Vapor

/// What a page import works on: a register, or the budget ledger. Its paths, how it runs, how its errors and changes
/// are named, who may import and where an applied import lands.
struct ImportTarget: Sendable {
    var heading: @Sendable (Request) -> String
    var section: String
    var uploadPath: ProjectPath
    var applyPath: ProjectPath
    var exportPath: ProjectPath
    var accept: String
    /// A sentence under the heading on how the file is read, if any.
    var hint: @Sendable (Request) -> String? = { _ in nil }
    var run: @Sendable (Request, Caller, Data, Bool) async throws -> ImportPlan
    var errors: @Sendable (ImportPlan, Request) -> [RegisterExchangeAPI.ShownError]
    var readable: @Sendable (HistoryNames, FieldChange, Request) -> FieldChange
    /// Refuses a caller who may not import here.
    var check: @Sendable (ProjectContext) throws -> Void
    /// Where an applied import lands, given the number of items created or changed.
    var done: @Sendable (String, Int) -> String

    init(_ register: SheetRegister) {
        heading = { req in "\(req.label("import")) – \(req.label("reg." + register.shape.name))" }
        section = register.plural
        uploadPath = .importItems(register.shape.type)
        applyPath = .applyImport(register.shape.type)
        exportPath = .export(register.shape.type, .xlsx)
        accept = ".xlsx,.csv"
        run = { req, caller, data, apply in try await RegisterExchangeAPI.runImport(req, caller: caller, register: register, data: data, apply: apply) }
        errors = { plan, req in RegisterExchangeAPI.errorsOf(plan, shape: register.shape, req: req, forPage: true) }
        readable = register.readable
        check = { context in
            guard context.allows(.createItem) else {
                throw DomainError.forbidden("\(register.shape.name).import_forbidden", "Your role in \(context.project.key) may not import \(register.plural).")
            }
        }
        done = { key, count in ProjectPath.items(register.shape.type).href(key, query: "imported=\(count)") }
    }

    init(heading: @escaping @Sendable (Request) -> String, section: String, uploadPath: ProjectPath, applyPath: ProjectPath, exportPath: ProjectPath,
         accept: String, hint: @escaping @Sendable (Request) -> String? = { _ in nil }, run: @escaping @Sendable (Request, Caller, Data, Bool) async throws -> ImportPlan,
         errors: @escaping @Sendable (ImportPlan, Request) -> [RegisterExchangeAPI.ShownError],
         readable: @escaping @Sendable (HistoryNames, FieldChange, Request) -> FieldChange,
         check: @escaping @Sendable (ProjectContext) throws -> Void, done: @escaping @Sendable (String, Int) -> String) {
        self.heading = heading
        self.section = section
        self.uploadPath = uploadPath
        self.applyPath = applyPath
        self.exportPath = exportPath
        self.accept = accept
        self.hint = hint
        self.run = run
        self.errors = errors
        self.readable = readable
        self.check = check
        self.done = done
    }
}

/// Export links and the import flow of a register (or the ledger) in the browser: upload a file, see the preview
/// (what will be created and changed, every error), then apply it all or nothing. The file travels back with the
/// apply form, so nothing is kept on the server between the two steps, and the apply recomputes the plan from
/// current data.
enum RegisterImportPages {
    struct Upload: Content {
        var file: File?
        var data: String?
        var _csrf: String?
    }

    struct PlanRow: Encodable {
        var line: Int; var action: String; var actionLabel: String; var reference: String; var changes: [FieldChange]; var errors: [String]
    }
    struct Data_ {
        var key: String; var heading: String; var previewed: Bool; var rows: [PlanRow]
        var errors: [ErrorRow]; var creates: Int; var updates: Int; var unchanged: Int; var errorCount: Int; var payload: String
        var canApply: Bool; var fileName: String
        var uploadHref: String; var applyHref: String; var exportHref: String; var accept: String; var hint: String?
    }
    struct ErrorRow: Encodable { var line: Int; var column: String; var message: String }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        for register in SheetRegister.all {
            let p = register.plural
            pages.get("projects", ":key", "\(p)", "export.xlsx") { req async throws -> Response in
                _ = try req.pageCaller()
                let (data, name) = try await RegisterExchangeAPI.export(req, register, xlsx: true)
                return RegisterExchangeAPI.file(data, name: name, type: HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            }
            pages.get("projects", ":key", "\(p)", "export.csv") { req async throws -> Response in
                _ = try req.pageCaller()
                let (data, name) = try await RegisterExchangeAPI.export(req, register, xlsx: false)
                return RegisterExchangeAPI.file(data, name: name, type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]))
            }
            routes(pages, ["projects", ":key", "\(p)", "import"], target: ImportTarget(register))
        }
    }

    /// The upload page, its preview and its apply at `path` (`…/import`, `…/import/apply`).
    static func routes(_ pages: any RoutesBuilder, _ path: [PathComponent], target: ImportTarget) {
        pages.get(path) { req async throws -> Response in
            let caller = try req.pageCaller()
            let context = try await req.pageProjectContext(caller, key: try req.projectKey())
            return try await render(req, context, target: target, plan: nil, payload: "", fileName: "", status: .ok)
        }
        pages.on(.POST, path, body: .collect(maxSize: RegisterExchangeAPI.maxUpload)) { req async throws -> Response in
            try await handle(req, target: target, apply: false)
        }
        pages.on(.POST, path + ["apply"], body: .collect(maxSize: "20mb")) { req async throws -> Response in
            try await handle(req, target: target, apply: true)
        }
    }

    /// After an applied import the list is opened with `?imported=N`: the list shows how many items the import
    /// created or changed, and reads its filters from the rest of the query.
    static func importedNotice(_ req: Request) -> (query: String?, notice: String?) {
        guard let raw = req.url.query else { return (nil, nil) }
        var count: Int?
        let kept = raw.split(separator: "&").filter { pair in
            guard pair.hasPrefix("imported=") else { return true }
            count = Int(pair.dropFirst("imported=".count))
            return false
        }
        let query = kept.isEmpty ? nil : kept.joined(separator: "&")
        return (query, count.map { req.label("imported_count").replacingOccurrences(of: "{count}", with: String($0)) })
    }

    static func handle(_ req: Request, target: ImportTarget, apply: Bool) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let upload = try req.content.decode(Upload.self)
        try req.requireCSRF(formToken: upload._csrf ?? "")
        let context = try await req.pageProjectContext(caller, key: key)
        let bytes: Data
        var fileName = upload.file?.filename ?? ""
        if let file = upload.file, file.data.readableBytes > 0 {
            bytes = Data(buffer: file.data)
        } else if let payload = upload.data, let decoded = Data(base64Encoded: payload) {
            bytes = decoded
            fileName = (try? req.content.get(String.self, at: "fileName")) ?? ""
        } else {
            throw DomainError.invalid("import.empty", [FieldError(field: "file", code: "required", message: "Choose an .xlsx or .csv file to import.")])
        }
        let plan: ImportPlan
        do {
            plan = try await target.run(req, caller, bytes, apply)
        } catch let e as DomainError where e.kind == .invalid {
            var failed = ImportPlan()
            failed.fileErrors = e.fieldErrors.map { ImportPlan.RowError(line: 0, field: "", code: $0.code, message: $0.message, subjects: $0.subjects) }
            return try await render(req, context, target: target, plan: failed, payload: "", fileName: fileName, status: .unprocessableEntity)
        }
        if plan.applied { return req.redirect(to: target.done(key, plan.creates + plan.updates)) }
        return try await render(req, context, target: target, plan: plan, payload: plan.errorCount == 0 ? bytes.base64EncodedString() : "",
                                fileName: fileName, status: plan.errorCount == 0 ? .ok : .unprocessableEntity)
    }

    static func render(_ req: Request, _ context: ProjectContext, target: ImportTarget, plan: ImportPlan?, payload: String, fileName: String,
                       status: HTTPResponseStatus) async throws -> Response {
        try target.check(context)
        let names = try await HistoryNames.load(req)
        let errors = plan.map { target.errors($0, req) } ?? []
        let rows = (plan?.rows ?? []).filter { $0.action != "unchanged" }.map { row in
            // A new item lists the fields it is given, not the empty ones.
            PlanRow(line: row.line, action: row.action, actionLabel: req.label("import_action." + row.action), reference: row.reference ?? "",
                    changes: row.changes.filter { $0.from != nil || !($0.to ?? "").isEmpty }.map { target.readable(names, $0, req) },
                    errors: errors.filter { $0.line == row.line }.map { "\($0.column): \($0.message)" })
        }
        let heading = target.heading(req)
        let key = context.project.key
        let data = Data_(key: key, heading: heading, previewed: plan != nil, rows: rows,
                         errors: errors.map { ErrorRow(line: $0.line, column: $0.column, message: $0.message) }, creates: plan?.creates ?? 0,
                         updates: plan?.updates ?? 0, unchanged: plan?.unchanged ?? 0, errorCount: plan?.errorCount ?? 0,
                         payload: payload, canApply: plan.map { $0.errorCount == 0 && $0.creates + $0.updates > 0 } ?? false, fileName: fileName,
                         uploadHref: target.uploadPath.href(key), applyHref: target.applyPath.href(key), exportHref: target.exportPath.href(key),
                         accept: target.accept, hint: target.hint(req))
        return try await req.render(RegisterViews.importPage, req.chrome(title: heading, section: target.section, project: context.project), data, status: status)
    }
}
