import PMOCore
import PMOHTML
import PMOStore
import PMOWords
import Vapor

/// Changing the status, owner or due date of the rows ticked on a register's list, in one step (`store.items.bulkUpdate`:
/// all or nothing, permission and workflow per row, each row audited). Works without a script: each row's tick box
/// belongs to the form below the table through the `form` attribute, so the table needs no enclosing form.
enum BulkEditPages {
    static let formID = "bulk"

    /// The form's choices: statuses of the register, the project's members, and the list's query to come back to.
    struct Form {
        var action: String
        var statuses: [Choice]
        var owners: [Choice]
        var listQuery: String
    }

    static func form(_ req: Request, key: String, type: ItemType, members: [MemberView], listQuery: String) throws -> Form {
        let statuses: [Choice]
        if let kind = type.register {
            statuses = kind.statuses.map { Choice(value: $0, label: RegisterForms.statusLabel(req, kind, $0), selected: false) }
        } else {
            statuses = IssueStatus.allCases.map { Choice(value: $0.rawValue, label: req.label("status." + $0.rawValue), selected: false) }
        }
        let owners = [Choice(value: "none", label: req.label("unowned"), selected: false)]
            + (try members.map { Choice(value: try $0.user.requireID().uuidString.lowercased(), label: $0.user.displayName, selected: false) })
        return Form(action: ProjectPath.bulk(type).href(key), statuses: statuses, owners: owners, listQuery: listQuery)
    }

    static func register(_ pages: any RoutesBuilder) {
        for type in ItemType.allCases {
            pages.post("projects", ":key", "\(ProjectPath.plural(type))", "bulk") { req async throws -> Response in
                let caller = try req.pageCaller()
                let key = try req.projectKey()
                let form = try FormPairs(req)
                let numbers = form.all("n").compactMap { Int($0) }
                var change = BulkChange()
                if let status = form["status"], !status.isEmpty { change.status = status }
                switch form["owner"] ?? "" {
                case "": break
                case "none": change.ownerID = .some(nil)
                case let id:
                    guard let uuid = UUID(uuidString: id) else {
                        throw DomainError.invalid("bulk.invalid", [FieldError(field: "owner", code: "invalid_choice", message: "Choose the owner from the list.")])
                    }
                    change.ownerID = .some(UserID(uuid))
                }
                if form["clear_due"] == "true" {
                    change.dueDate = .some(nil)
                } else if let due = form["due"], !due.isEmpty {
                    guard let date = CalendarDate(iso: due) else {
                        throw DomainError.invalid("bulk.invalid", [FieldError(field: "due", code: "invalid_date", message: "Write the due date as YYYY-MM-DD.")])
                    }
                    change.dueDate = .some(date)
                }
                _ = try await req.store.items.bulkUpdate(caller, key: key, type: type, numbers: numbers, change: change)
                return req.redirect(to: ProjectPath.items(type).href(key, query: listQuery(form["list"] ?? "")))
            }
        }
    }

    /// The list's own query string, as the form carried it back: re-encoded, so only a query of this list's path is
    /// ever followed.
    static func listQuery(_ raw: String) -> String {
        var components = URLComponents()
        components.percentEncodedQuery = raw
        guard let items = components.queryItems, !items.isEmpty else { return "" }
        var clean = URLComponents()
        clean.queryItems = items.filter { $0.name != "cursor" }
        return clean.percentEncodedQuery ?? ""
    }
}

/// A submitted form's fields as pairs, so that a field sent several times (the ticked rows) keeps every value; the
/// CSRF token is checked and every value cleaned (`TextHygiene`), as `Request.form()` does for single fields.
struct FormPairs {
    var pairs: [(String, String)] = []

    init(_ req: Request) throws {
        let body = req.body.string ?? ""
        var components = URLComponents()
        components.percentEncodedQuery = body.replacingOccurrences(of: "+", with: "%20")
        var errors = FieldErrors()
        for item in components.queryItems ?? [] {
            switch TextHygiene.clean(item.value ?? "") {
            case .success(let clean): pairs.append((item.name, clean))
            case .failure(let bad):
                let e = bad.fieldError(item.name)
                errors.add(e.field, e.code, e.message)
            }
        }
        try req.requireCSRF(formToken: self["_csrf"] ?? "")
        try errors.throwIfAny("form.invalid")
    }

    subscript(name: String) -> String? { pairs.first { $0.0 == name }?.1 }
    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }
}

/// Parts every register's list shares.
enum ListViews {
    /// A row's tick box for the bulk form (inside the reference's cell, so the list's columns stay as they are).
    static func bulkTick(_ h: inout HTMLWriter, number: Int, reference: String, _ t: Words) {
        h.el(.input, .type("checkbox"), .name("n"), .value("\(number)"), .attr("form", BulkEditPages.formID),
             .attr("aria-label", t("bulk_select", ["ref": reference])), .class("bulk-tick"))
        h.text(" ")
    }

    /// The bulk form under a list: what to set on the ticked rows.
    static func bulkForm(_ h: inout HTMLWriter, _ f: BulkEditPages.Form, csrf: String, _ t: Words) {
        h.postForm(f.action, .id(BulkEditPages.formID), .class("bulk card"), csrf: csrf, hidden: [("list", f.listQuery)]) { h in
            h.el(.h2, text: t["bulk_heading"])
            h.el(.p, .class("muted small"), text: t["bulk_hint"])
            h.el(.div, .class("row")) { h in
                h.choiceField(t["status"], "status", f.statuses, first: ("", t["bulk_keep"]))
                h.choiceField(t["owner"], "owner", f.owners, first: ("", t["bulk_keep"]))
                h.labelled(t["due"]) { h in h.el(.input, .type("date"), .name("due")) }
                IssueViews.checkbox(&h, "clear_due", false, t["bulk_clear_due"])
                h.el(.button, .type("submit"), text: t["bulk_apply"])
            }
        }
    }
}
