import Foundation
import PMOCore
import PMOInterchange
import PMOStore
import Vapor

/// The budget ledger as the 予算管理表 workbook (`LedgerSheet`): exported as the reader may see it (a vendor's staff:
/// their own orders, no budget) and imported all or nothing by those who keep the ledger: `mode=preview` (the
/// default) says what would be added and changed and every error, `mode=apply` stores it only when there is none.
enum LedgerExchangeAPI {
    static let xlsxType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects/{key}/ledger/export.xlsx",
              summary: "The budget ledger as a workbook: a row per budget line and order with month columns for acceptance and payment, and a sheet of milestones",
              tag: LedgerAPI.tag, files: ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]) { req in
            let (data, name) = try await export(req)
            return RegisterExchangeAPI.file(data, name: name, type: xlsxType)
        }
        r.add(.POST, "/projects/{key}/ledger/import",
              summary: "Import an edited budget ledger workbook (body: the .xlsx file). mode=preview (default) or mode=apply; all or nothing",
              tag: LedgerAPI.tag, response: "ImportPlan", query: ["mode"], maxBody: RegisterExchangeAPI.maxUpload, access: .manager,
              also: [422: "ImportPlan"]) { req in
            let caller = try req.writer()
            let mode = (try? req.query.get(String.self, at: "mode")) ?? "preview"
            guard mode == "preview" || mode == "apply" else {
                throw DomainError.invalid("query.invalid", [FieldError(field: "mode", code: "invalid_choice", message: "mode must be preview or apply.")])
            }
            guard let buffer = req.body.data, buffer.readableBytes > 0 else {
                throw DomainError(.malformed, code: "import.empty", message: "Send the .xlsx file as the request body.")
            }
            let plan = try await runImport(req, caller: caller, data: Data(buffer: buffer), apply: mode == "apply")
            return try answer(RegisterExchangeAPI.planAnswer(plan, errors: errorsOf(plan, req: req)),
                              status: mode == "apply" && !plan.applied ? .unprocessableEntity : .ok)
        }
    }

    static func export(_ req: Request) async throws -> (Data, String) {
        let caller = try req.requireCaller()
        let key = try req.projectKey()
        let view = try await req.store.ledger.ledger(caller, key: key)
        let lines = view.lines.map { LedgerSheet.LineOut(line: $0.line, version: $0.version, row: view.ledger?.row($0.line.id)) }
        let orders = view.orders.map { o in
            LedgerSheet.OrderOut(number: o.number, version: o.version, lineNumber: o.lineNumber,
                                 shares: o.shares.map { OrderShareFields(lineNumber: $0.lineNumber, amount: $0.amount) }, fiscalYear: view.calendar.fiscalYear(of: o.orderDate),
                                 vendorName: o.vendorName, title: o.title, contractType: o.contractType, amount: o.amount, taxRate: o.taxRate,
                                 orderDate: o.orderDate, overrunReason: o.overrunReason, agreed: o.ledgerOrder.agreedAmount,
                                 milestones: o.milestones.map { .init(name: $0.name, deliverables: $0.deliverables, milestone: $0.milestone, payingDepartment: $0.payingDepartment) })
        }
        let tables = LedgerSheet.tables(lines: lines, orders: orders, fiscalYears: Array(Set(view.lines.map(\.line.fiscalYear))), calendar: view.calendar,
                                        words: RegisterExchangeAPI.words(req))
        return (try XLSXWriter.write(tables), "\(key)-ledger-\(req.today(for: caller).0).xlsx")
    }

    /// Reads the workbook (or a CSV of the ledger sheet) and runs the import.
    static func runImport(_ req: Request, caller: Caller, data: Data, apply: Bool) async throws -> ImportPlan {
        let key = try req.projectKey()
        let sheets: [SpreadsheetSheet]
        do {
            if data.starts(with: [0x50, 0x4B]) {
                sheets = try XLSXReader.read(data)
            } else if data.prefix(8192).contains(0) {
                throw SpreadsheetError(code: "spreadsheet.not_spreadsheet",
                                       message: "The file is neither an Excel workbook (.xlsx) nor CSV text. Export the ledger, edit it and upload the .xlsx.")
            } else {
                sheets = [try CSVReader.read(data)]
            }
        } catch let e as SpreadsheetError {
            throw DomainError.invalid("import.unreadable", [FieldError(field: "file", code: e.code, message: e.message)])
        }
        let companies = try await req.store.items.registerDirectoryEntries(caller, key: key).companies
        let vendors = LedgerSheet.Vendors(name: Dictionary(companies.map { ($0.0.rawValue, $0.1) }, uniquingKeysWith: { a, _ in a }))
        let (sheet, cellErrors) = LedgerSheet.read(sheets, vendors: vendors, words: RegisterExchangeAPI.words(req))
        let fileErrors = cellErrors.map { ImportPlan.RowError(line: $0.line, field: $0.column, code: $0.code, message: $0.message, subjects: $0.subjects) }
        return try await req.store.ledger.importSheet(caller, key: key, sheet, fileErrors: fileErrors, apply: apply)
    }

    /// The sheet column a field of the store's checks is in (file errors already carry their column's title).
    static func column(_ field: String, req: Request) -> String {
        let words = ["number": "ledger.sheet.number", "version": "sheet.version", "name": "ledger.sheet.name", "title": "ledger.sheet.name",
                     "fiscalYear": "ledger.sheet.fiscal_year", "category": "ledger.category", "system": "ledger.sheet.system",
                     "original": "ledger.sheet.original", "line": "ledger.sheet.line", "vendorId": "ledger.sheet.vendor", "vendor": "ledger.sheet.vendor",
                     "contractType": "ledger.sheet.contract", "amount": "ledger.sheet.amount", "taxRate": "ledger.sheet.tax_rate",
                     "orderDate": "ledger.sheet.order_date", "overrunReason": "ledger.sheet.overrun_reason", "estimateId": "ledger.sheet.number"]
        let milestones = ["name": "ledger.sheet.milestone", "deliverables": "ledger.sheet.deliverables", "amount": "ledger.sheet.milestone_amount",
                          "plannedAcceptance": "ledger.sheet.planned_acceptance", "accepted": "ledger.sheet.accepted_month",
                          "plannedPayment": "ledger.sheet.planned_payment", "paid": "ledger.sheet.paid_month",
                          "payingDepartment": "ledger.sheet.paying_department"]
        if field.hasPrefix("milestones") {
            let sub = field.hasPrefix("milestones.") ? String(field.dropFirst("milestones.".count)) : ""
            return req.label("ledger.sheet.milestones") + (milestones[sub].map { ": " + req.label($0) } ?? "")
        }
        return words[field].map { req.label($0) } ?? field
    }

    static func errorsOf(_ plan: ImportPlan, req: Request, forPage: Bool = false) -> [RegisterExchangeAPI.ShownError] {
        RegisterExchangeAPI.errorsOf(plan, column: { column($0, req: req) }, req: req, forPage: forPage)
    }

    /// The import's page target: the ledger's upload, preview and apply, landing back on the ledger.
    static let pageTarget = ImportTarget(
        heading: { req in req.label("ledger.import_heading") }, section: "ledger",
        uploadPath: .ledgerImport, applyPath: .ledgerApplyImport, exportPath: .ledgerExport, accept: ".xlsx",
        hint: { req in req.label("ledger.import_hint") },
        run: { req, caller, data, apply in try await runImport(req, caller: caller, data: data, apply: apply) },
        errors: { plan, req in errorsOf(plan, req: req, forPage: true) },
        readable: { _, change, req in
            // Amounts with grouped digits, as the ledger shows them.
            let amount = { (v: String?) in v.flatMap { Int64($0) }.map { ($0 < 0 ? "-" : "") + Money.grouped($0.magnitude) } ?? v }
            let money = ["original", "amount"].contains(change.field)
            return FieldChange(field: column(change.field, req: req), from: money ? amount(change.from) : change.from, to: money ? amount(change.to) : change.to)
        },
        check: { context in
            guard context.allows(.editProject) else {
                throw DomainError.forbidden("ledger.edit_forbidden", "Only the PMO, project managers and admins keep the budget ledger.")
            }
        },
        done: { key, count in ProjectPath.ledger.href(key, query: "imported=\(count)") })
}
