import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Changes to existing lines and orders, and the import of an edited 予算管理表 workbook: all or nothing, with a
/// preview that runs every row in a transaction it then rolls back.
extension LedgerService {
    /// Imports the rows of a ledger sheet in one transaction. With `apply` false, or when any row (or `fileErrors`)
    /// has an error, everything is rolled back and the plan says what would happen; otherwise all of it is stored.
    /// Lines come first, so an order may draw on a line the same sheet adds or changes.
    public func importSheet(_ caller: Caller, key: String, _ sheet: LedgerSheetImport, fileErrors: [ImportPlan.RowError],
                            apply: Bool) async throws -> ImportPlan {
        let at = now()
        do {
            return try await write { db in
                let context = try await projectContext(caller, key: key, on: db)
                try requireEditor(context)
                var plan = ImportPlan()
                plan.fileErrors = fileErrors
                for row in sheet.lines { plan.rows.append(try await importLine(row, context: context, caller: caller, at: at, on: db)) }
                var groups = Dictionary(sheet.milestones.map { ($0.orderNumber, $0) }, uniquingKeysWith: { a, _ in a })
                for row in sheet.orders {
                    let group = row.number.flatMap { groups.removeValue(forKey: $0) }
                    plan.rows.append(try await importOrder(line: row.line, number: row.number, version: row.version, fields: row.fields, group: group,
                                                           context: context, caller: caller, at: at, on: db))
                }
                // Milestones of orders the ledger sheet does not list (its order rows deleted from the sheet).
                for group in sheet.milestones where groups[group.orderNumber] != nil {
                    plan.rows.append(try await importOrder(line: group.lines.first ?? 0, number: group.orderNumber, version: nil, fields: nil, group: group,
                                                           context: context, caller: caller, at: at, on: db))
                }
                if !apply || plan.errorCount > 0 { throw PreviewRollback(plan: plan) }
                plan.applied = true
                return plan
            }
        } catch let rollback as PreviewRollback {
            return rollback.plan
        }
    }

    static func failed(_ line: Int, _ reference: String?, _ error: DomainError) -> ImportPlan.RowPlan {
        let errors = error.fieldErrors.isEmpty ? [ImportPlan.RowError(line: line, field: "", code: error.code, message: error.message)]
            : error.fieldErrors.map { ImportPlan.RowError(line: line, field: $0.field, code: $0.code, message: $0.message, subjects: $0.subjects) }
        return .init(line: line, action: "error", reference: reference, changes: [], errors: errors)
    }

    static func editedSinceExport(_ reference: String, exported: Int, now: Int) -> DomainError {
        DomainError.invalid("import.edited_since_export", [FieldError(field: "version", code: "edited_since_export",
            message: "\(reference) was changed by someone else since it was exported (version \(exported), now \(now)); export again and redo this change.")])
    }

    func lineSnapshot(_ line: BudgetLine) -> [String: String?] {
        ["fiscalYear": String(line.fiscalYear), "category": line.category.rawValue, "system": line.systemNumber.map { "S\($0)" },
         "name": line.name, "original": String(line.original.amount)]
    }

    func importLine(_ row: LedgerSheetRow<BudgetLineFields>, context: ProjectContext, caller: Caller, at: Date, on db: any Database) async throws -> ImportPlan.RowPlan {
        let reference = row.number.map { "L\($0)" }
        do {
            guard let number = row.number else {
                let number = try await insertLine(context, caller: caller, row.fields, at: at, on: db)
                let saved = try await line(context.projectID, number: number, field: "line", on: db)
                return .init(line: row.line, action: "create", reference: "L\(number)", changes: FieldChange.diff([:], lineSnapshot(saved.line)), errors: [])
            }
            guard let old = try await lines(context.projectID, on: db).first(where: { $0.line.number == number }) else {
                throw DomainError.invalid("import.unknown_number", [FieldError(field: "number", code: "not_found",
                    message: "There is no budget line L\(number) in \(context.project.key); clear the number to add a new line.")])
            }
            if let exported = row.version, exported != old.version { throw Self.editedSinceExport("L\(number)", exported: exported, now: old.version) }
            let changed = try await updateLine(context, caller: caller, old, row.fields, at: at, on: db)
            return .init(line: row.line, action: changed ? "update" : "unchanged", reference: reference,
                         changes: FieldChange.diff(lineSnapshot(old.line), lineSnapshot(try await line(context.projectID, number: number, field: "line", on: db).line)),
                         errors: [])
        } catch let e as DomainError {
            return Self.failed(row.line, reference, e)
        }
    }

    /// Changes a line's year, category, system, name or original budget inside a write; false when nothing differs.
    /// A line with orders keeps its fiscal year (each order falls in its line's year).
    func updateLine(_ context: ProjectContext, caller: Caller, _ old: BudgetLineView, _ f: BudgetLineFields, at: Date, on db: any Database) async throws -> Bool {
        let name = f.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let new = BudgetLine(id: old.line.id, number: old.line.number, fiscalYear: f.fiscalYear, category: f.category, systemNumber: f.systemNumber,
                             name: name, original: f.original)
        if new == old.line { return false }
        var e = FieldErrors()
        LedgerRules.checkLine(name: f.name, fiscalYear: f.fiscalYear, years: try await projectYears(context, on: db), original: f.original, into: &e)
        try await checkSystem(context.projectID, f.systemNumber, into: &e, on: db)
        if f.fiscalYear != old.line.fiscalYear, try await db.sql().raw("""
            SELECT id FROM ledger_orders WHERE line_id = \(bind: old.line.id) UNION SELECT order_id FROM order_lines WHERE line_id = \(bind: old.line.id)
            """).first() != nil {
            e.add("fiscalYear", "has_orders", "L\(old.line.number) has orders in FY\(old.line.fiscalYear); a line with orders keeps its fiscal year (add a line for FY\(f.fiscalYear) instead).")
        }
        try e.throwIfAny("ledger.invalid")
        try await lockRow(db, table: "budget_lines", id: old.line.id)
        try await db.sql().raw("""
            UPDATE budget_lines SET fiscal_year = \(bind: f.fiscalYear), category = \(bind: f.category.rawValue), system_number = \(bind: f.systemNumber),
              name = \(bind: name), original = \(bind: f.original.amount), version = version + 1, updated_at = \(bind: at) WHERE id = \(bind: old.line.id)
            """).run()
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "budget_line", entityID: old.line.id,
                                  action: "update", version: old.version + 1, changes: FieldChange.diff(lineSnapshot(old.line), lineSnapshot(new)))
        return true
    }

    func orderSnapshot(_ f: OrderFields, vendorName: String?) -> [String: String?] {
        ["line": f.shares.isEmpty ? "L\(f.lineNumber)" : f.shares.map { "L\($0.lineNumber) \($0.amount.amount)" }.joined(separator: ", "), "vendor": vendorName, "title": f.title, "contractType": f.contractType.rawValue, "amount": String(f.amount.amount),
         "taxRate": f.taxRate.description, "orderDate": f.orderDate.description, "overrunReason": f.overrunReason.isEmpty ? nil : f.overrunReason]
    }

    static func fields(_ order: OrderView) -> OrderFields {
        OrderFields(lineNumber: order.lineNumber, shares: order.shares.map { OrderShareFields(lineNumber: $0.lineNumber, amount: $0.amount) }, vendorID: order.vendorID, title: order.title, contractType: order.contractType, amount: order.amount,
                    taxRate: order.taxRate, orderDate: order.orderDate, estimateID: order.estimateID, overrunReason: order.overrunReason,
                    milestones: order.milestones.map(\.fields))
    }

    /// One order row (and its milestones, when the milestone sheet lists them); without fields (an order only the
    /// milestone sheet lists) the milestones only.
    func importOrder(line sheetLine: Int, number: Int?, version: Int?, fields: OrderFields?, group: LedgerSheetMilestones?, context: ProjectContext,
                     caller: Caller, at: Date, on db: any Database) async throws -> ImportPlan.RowPlan {
        let row = (line: sheetLine, number: number, version: version, fields: fields)
        let reference = row.number.map { "O\($0)" }
        let vendorNames = try await names(table: "companies", column: "name", ids: Set([fields?.vendorID].compactMap { $0 ?? nil }), on: db)
        do {
            guard let number = row.number else {
                guard let fields = row.fields else { return .init(line: row.line, action: "unchanged", reference: nil, changes: [], errors: []) }
                let number = try await insertOrder(context, caller: caller, fields, at: at, on: db)
                return .init(line: row.line, action: "create", reference: "O\(number)",
                             changes: FieldChange.diff([:], orderSnapshot(fields, vendorName: fields.vendorID.flatMap { vendorNames[$0] })), errors: [])
            }
            guard let old = try await orders(context.projectID, vendor: nil, number: number, on: db).first else {
                throw DomainError.invalid("import.unknown_number", [FieldError(field: "number", code: "not_found",
                    message: "There is no order O\(number) in \(context.project.key); clear the number to place a new order.")])
            }
            if let exported = row.version, exported != old.version { throw Self.editedSinceExport("O\(number)", exported: exported, now: old.version) }
            let before = orderSnapshot(Self.fields(old), vendorName: old.vendorName)
            var changed = false
            var after = before
            if let fields = row.fields {
                changed = try await updateOrder(context, caller: caller, old, fields, at: at, on: db)
                after = orderSnapshot(fields, vendorName: fields.vendorID.flatMap { vendorNames[$0] })
                if !changed { after = before }
            }
            var changes = FieldChange.diff(before, after)
            if let group, group.milestones != old.milestones.map(\.fields) {
                do {
                    let current = try await orders(context.projectID, vendor: nil, number: number, on: db).first ?? old
                    try await replaceMilestones(context, caller: caller, current, group.milestones, at: at, on: db)
                } catch let e as DomainError {
                    // Each milestone's error on its own line of the milestone sheet.
                    var errors: [ImportPlan.RowError] = []
                    for fieldError in e.fieldErrors {
                        var line = row.line, field = fieldError.field
                        if field.hasPrefix("milestones["), let close = field.firstIndex(of: "]"),
                           let i = Int(field[field.index(field.startIndex, offsetBy: 11)..<close]), i < group.lines.count {
                            line = group.lines[i]
                            field = "milestones." + field[field.index(after: close)...].drop { $0 == "." }
                        }
                        errors.append(ImportPlan.RowError(line: line, field: field, code: fieldError.code, message: fieldError.message, subjects: fieldError.subjects))
                    }
                    if errors.isEmpty { errors = [ImportPlan.RowError(line: row.line, field: "", code: e.code, message: e.message)] }
                    return .init(line: row.line, action: "error", reference: reference, changes: [], errors: errors)
                }
                changes.append(FieldChange(field: "milestones", from: Self.summary(old.milestones.map(\.fields)), to: Self.summary(group.milestones)))
                changed = true
            }
            return .init(line: row.line, action: changed ? "update" : "unchanged", reference: reference, changes: changes, errors: [])
        } catch let e as DomainError {
            return Self.failed(row.line, reference, e)
        }
    }

    /// Changes an order's line, vendor, title, contract type, amount, tax rate, date or overrun reason inside a write;
    /// false when nothing differs. The checks are an new order's, against what is left of the line without this
    /// order; its milestones must still follow its date. Moving it to another line lets go of the estimate it came from.
    func updateOrder(_ context: ProjectContext, caller: Caller, _ old: OrderView, _ f: OrderFields, at: Date, on db: any Database) async throws -> Bool {
        let title = f.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let overrun = f.overrunReason.trimmingCharacters(in: .whitespacesAndNewlines)
        // The same lines with the same shares, in any order (the sheet lists an order's rows by line).
        let byLine = { (shares: [OrderShareFields]) in shares.sorted { $0.lineNumber < $1.lineNumber } }
        let sameLines = byLine(f.lineShares) == byLine(Self.fields(old).lineShares)
        let same = sameLines && f.vendorID == old.vendorID && title == old.title && f.contractType == old.contractType
            && f.amount == old.amount && f.taxRate == old.taxRate && f.orderDate == old.orderDate && overrun == old.overrunReason
        if same { return false }
        var f = f
        if sameLines {
            // Keep the order's own listing (the line it is listed under first).
            f.lineNumber = old.lineNumber
            f.shares = Self.fields(old).shares
        }
        let (lines, checks) = try await orderLines(f, old: old, context: context, on: db)
        var e = FieldErrors()
        try await checkVendor(f.vendorID, into: &e, on: db)
        // An order keeps a kind the organisation has since taken off its list; a change must name a listed one.
        if f.contractType != old.contractType { try await checkContractType(f.contractType, into: &e, on: db) }
        let overruns = LedgerRules.checkOrder(title: f.title, amount: f.amount, taxBasisPoints: f.taxRate.basisPoints, ordered: YearMonth(f.orderDate),
                                              lines: checks, overrunReason: overrun, calendar: try await fiscalCalendar(on: db), into: &e)
        if f.orderDate != old.orderDate { checkMilestones(old.milestones.map(\.fields), ordered: YearMonth(f.orderDate), into: &e) }
        try e.throwIfAny("ledger.invalid")
        try await lockRow(db, table: "ledger_orders", id: old.id)
        // The estimate it came from stays while the order still draws on that estimate's line.
        let estimateLine = old.estimateID == nil ? nil : try await db.readRows("""
            SELECT line_id FROM ledger_estimates WHERE id = \(bind: old.estimateID)
            """, columns: ["line_id"]).first.map { try $0.uuid(0) }
        let estimate = estimateLine.map { id in lines.contains { $0.line.id == id } } == true ? old.estimateID : nil
        try await db.sql().raw("""
            UPDATE ledger_orders SET line_id = \(bind: lines[0].line.id), vendor_id = \(bind: f.vendorID), title = \(bind: title),
              contract_type = \(bind: f.contractType.rawValue), amount = \(bind: f.amount.amount), tax_basis_points = \(bind: f.taxRate.basisPoints),
              order_date = \(bind: f.orderDate.description), estimate_id = \(bind: estimate), overrun_reason = \(bind: overruns ? overrun : ""),
              version = version + 1, updated_at = \(bind: at) WHERE id = \(bind: old.id)
            """).run()
        try await writeShares(f, lines: lines, order: old.id, on: db)
        let vendorNames = try await names(table: "companies", column: "name", ids: Set([f.vendorID].compactMap { $0 }), on: db)
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "order", entityID: old.id,
                                  action: "update", version: old.version + 1,
                                  changes: FieldChange.diff(orderSnapshot(Self.fields(old), vendorName: old.vendorName),
                                                            orderSnapshot(f, vendorName: f.vendorID.flatMap { vendorNames[$0] })))
        return true
    }
}
