import Foundation
import PMOCore
import PMOHTML
import PMOStore
import PMOWords
import Vapor

/// An inbox entry in words: what happened (by its kind and values), for the page and the API.
enum InboxText {
    static func sentence(_ e: InboxEntryView, _ t: Words) -> String {
        var values = readable(e, t)
        values["actor"] = e.actorName ?? ""
        switch e.kind {
        case .dueSoon:
            return values["days"] == "0" ? t("inbox.kind.due_today", values) : t("inbox.kind.due_soon", values)
        case .reportIssued:
            values["overall"] = t["rag.\(e.values["overall"] ?? "grey")"]
            return t("inbox.kind.report_issued", values)
        case .minutesToApprove:
            values["series"] = e.title
            return t("inbox.kind.minutes_to_approve", values)
        case .signal:
            let code = values["code"] ?? ""
            let text = t.table["signal.\(code)"] != nil ? t("signal.\(code)", values) : t["signal.\(code).title"]
            return t("inbox.kind.signal", ["text": text])
        default:
            return t("inbox.kind.\(e.kind.rawValue)", values)
        }
    }

    /// The entry's values as the reader reads them: changed fields by their labels, a status by its word.
    static func readable(_ e: InboxEntryView, _ t: Words) -> [String: String] { readable(e.values, reference: e.reference, t) }

    /// Values about the item `reference` as the reader reads them (also the webhooks' lines).
    static func readable(_ values: [String: String], reference: String?, _ t: Words) -> [String: String] {
        var values = values
        let kind = reference.flatMap(ItemReference.init)?.type.register
        if let fields = values["fields"] {
            values["fields"] = t.list(fields.split(separator: ",").map { part in
                let name = part.trimmingCharacters(in: .whitespaces)
                if let kind, kind.field(name) != nil { return t["rf." + name] }
                return HistoryNames.fieldLabels[name].map { t[$0] } ?? name
            })
        }
        if let status = values["status"] {
            values["status"] = kind.map { t["rs.\($0.rawValue).\(status)"] } ?? t["status." + status]
        }
        return values
    }

    /// The page of the entry's item, when it is about one.
    static func itemHref(_ e: InboxEntryView) -> String? {
        // A meeting's or report's page, which the collector wrote (never anything from outside the product).
        guard let ref = e.reference.flatMap(ItemReference.init) else { return e.values["path"].flatMap { $0.hasPrefix("/projects/") ? $0 : nil } }
        return ProjectPath.item(ref.type, ref.number).href(e.projectKey)
    }
}

/// The inbox page: the reader's entries, newest first (unread only when asked), each marked read by opening it or
/// with its button, and all at once.
enum InboxPages {
    struct PageData {
        var entries: [InboxEntryView]
        var unread: Int
        var unreadOnly: Bool
        var timeZone: String
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("inbox") { req async throws -> Response in
            let caller = try req.pageCaller()
            let unreadOnly = (try? req.query.get(String.self, at: "unread")) == "1"
            let (entries, unread) = try await req.store.inbox.entries(caller, unreadOnly: unreadOnly)
            let (_, zone) = req.today(for: caller)
            return try await req.render(InboxViews.page, req.chrome(title: req.pageWords["inbox.title"], section: "inbox"),
                                        PageData(entries: entries, unread: unread, unreadOnly: unreadOnly, timeZone: zone.identifier))
        }
        pages.post("inbox", "read-all") { req async throws -> Response in
            let caller = try req.pageCaller()
            _ = try req.form()
            try await req.store.inbox.markAllRead(caller)
            return req.redirect(to: AppPath.inbox.href)
        }
        pages.post("inbox", ":id", "read") { req async throws -> Response in
            let caller = try req.pageCaller()
            _ = try req.form()
            try await req.store.inbox.markRead(caller, id: try req.pathUUID("id"))
            return req.redirect(to: AppPath.inbox.href)
        }
        // Opening an entry's item marks it read on the way (a link, so it works without a script).
        pages.get("inbox", ":id", "open") { req async throws -> Response in
            let caller = try req.pageCaller()
            let entry = try await req.store.inbox.markRead(caller, id: try req.pathUUID("id"))
            return req.redirect(to: InboxText.itemHref(entry) ?? AppPath.inbox.href)
        }
    }
}
