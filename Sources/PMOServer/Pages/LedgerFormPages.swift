import Foundation
import PMOCore
import PMOStore
import Vapor

/// The ledger page's forms, for those who keep the ledger: a budget revision, an estimate received, a change order
/// proposed from an approved change, a change order agreed or withdrawn. Each lands back on the ledger at what it
/// changed; a refusal is shown on the ledger with the form's fields named.
enum LedgerFormPages {
    static func register(_ pages: any RoutesBuilder) {
        pages.post("projects", ":key", "ledger", "revisions") { req async throws -> Response in
            try await post(req) { caller, key, f in
                let line = try number(f["line"], field: "line")
                _ = try await req.store.ledger.revise(caller, key: key, line: line, amount: try amount(f["amount"], field: "amount"),
                                                      reason: f["reason"] ?? "", cause: f["cause"], date: try date(f["date"], field: "date") ?? req.today(for: caller).0)
                return "#ledger-L\(line)"
            }
        }
        pages.post("projects", ":key", "ledger", "estimates") { req async throws -> Response in
            try await post(req) { caller, key, f in
                let fields = EstimateFields(
                    lineNumber: try number(f["line"], field: "line"), vendorID: UUID(uuidString: f["vendor"] ?? ""), amount: try amount(f["amount"], field: "amount"),
                    effortTenths: try effort(f["effort"]), received: try date(f["received"], field: "received") ?? req.today(for: caller).0,
                    validUntil: try date(f["validUntil"], field: "validUntil"), assumptions: f["assumptions"] ?? "", chosen: f["chosen"] == "on",
                    requestNumber: (f["request"] ?? "").isEmpty ? nil : try number(f["request"], field: "request"))
                _ = try await req.store.ledger.addEstimate(caller, key: key, fields)
                return "#ledger-estimates"
            }
        }
        // An approved change's cost impact proposed as a change order on the order chosen.
        pages.post("projects", ":key", "ledger", "change-orders") { req async throws -> Response in
            try await post(req) { caller, key, f in
                let order = try await req.store.ledger.addChangeOrder(caller, key: key, order: try number(f["order"], field: "order"), amount: nil,
                                                                      status: .proposed, changeNumber: try number(f["change"], field: "change"), reason: "")
                return "#ledger-O\(order.number)"
            }
        }
        pages.post("projects", ":key", "ledger", "orders", ":number", "change-orders", ":id") { req async throws -> Response in
            try await post(req) { caller, key, f in
                let number = try req.pathInt("number")
                guard let status = ChangeOrder.Status(rawValue: f["status"] ?? ""), status != .proposed else {
                    throw DomainError.invalid("ledger.invalid", [FieldError(field: "status", code: "invalid_choice", message: "Agree or withdraw the change order.")])
                }
                _ = try await req.store.ledger.setChangeOrderStatus(caller, key: key, order: number, changeOrder: try req.pathUUID("id"), status: status)
                return "#ledger-O\(number)"
            }
        }
        // A milestone's acceptance or payment month recorded: the order's milestones with that one changed, at the
        // version the page showed.
        pages.post("projects", ":key", "ledger", "orders", ":number", "milestones", ":position") { req async throws -> Response in
            try await post(req) { caller, key, f in
                let number = try req.pathInt("number"), index = try req.pathInt("position") - 1
                let order = try await req.store.ledger.order(caller, key: key, number: number)
                guard order.milestones.indices.contains(index) else {
                    throw DomainError.notFound("order.not_found", "Order O\(number) has no such milestone.")
                }
                var milestones = order.milestones.map(\.fields)
                for field in ["accepted", "paid"] where f[field] != nil {
                    guard let month = YearMonth(iso: f[field] ?? "") else { throw invalid(field, "invalid_month", "Give the month as YYYY-MM, e.g. 2026-09.") }
                    if field == "accepted" { milestones[index].accepted = month } else { milestones[index].paid = month }
                }
                _ = try await req.store.ledger.setMilestones(caller, key: key, order: number, milestones, expectedVersion: Int(f["version"] ?? ""))
                return "#ledger-milestones"
            }
        }
    }

    /// Runs a form's change and lands on the ledger at the anchor it gives; a refusal is shown on the ledger.
    static func post(_ req: Request, _ change: (Caller, String, [String: String]) async throws -> String) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let f = try req.form()
        do {
            let anchor = try await change(caller, key, f)
            return req.redirect(to: ProjectPath.ledger.href(key) + anchor)
        } catch let e as DomainError where MeetingPages.shownOnPage(e) {
            return try await LedgerPages.ledgerPage(req, error: req.sentence(e) + LevellingPages.detail(req, e), status: ReportPages.status(e))
        }
    }

    static func invalid(_ field: String, _ code: String, _ message: String) -> DomainError {
        DomainError.invalid("ledger.invalid", [FieldError(field: field, code: code, message: message)])
    }

    /// `3`, `L3`, `O3`, `C3`, `E3`: the number.
    static func number(_ text: String?, field: String) throws -> Int {
        var t = (text ?? "").trimmingCharacters(in: .whitespaces)
        if let first = t.first, first.isLetter { t.removeFirst() }
        guard let n = Int(t), n > 0 else { throw invalid(field, "not_found", "Choose one from the list.") }
        return n
    }

    static func amount(_ text: String?, field: String) throws -> Money {
        switch MoneyText.parse(text ?? "") {
        case .success(let m): return m
        case .failure(let problem): throw DomainError.invalid("ledger.invalid", [problem.fieldError(field, written: text ?? "")])
        }
    }

    static func date(_ text: String?, field: String) throws -> CalendarDate? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        guard let d = CalendarDate(iso: t) else { throw invalid(field, "invalid_date", "Write the date as YYYY-MM-DD.") }
        return d
    }

    /// Person-months to a tenth (`12.5`), in tenths.
    static func effort(_ text: String?) throws -> Int? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        guard let value = Decimal(string: t), value >= 0, value <= 100_000 else {
            throw invalid("effort", "out_of_range", "Effort is 0 to 100,000 person-months.")
        }
        let tenths = NSDecimalNumber(decimal: value * 10).doubleValue
        guard tenths == tenths.rounded() else { throw invalid("effort", "too_precise", "Give effort to a tenth of a person-month, e.g. 12.5.") }
        return Int(tenths)
    }
}
