import Foundation
import PMOCore
import PMOStore
import PMOWords
import Vapor

/// What every page shows around its content: language, the signed-in user, navigation and the CSRF token.
struct Chrome: Encodable {
    var lang: String
    var title: String
    var userName: String?
    var isAdmin: Bool
    var csrf: String
    var projectKey: String?
    var projectName: String?
    var section: String
    var flash: String?
    var showReports: Bool = true
    /// The reader's unread inbox entries (the top bar's count); nil when not signed in.
    var inboxUnread: Int? = nil
}

/// The signed-in reader's unread inbox count, read once per page (`InboxCountMiddleware`).
struct InboxUnreadKey: StorageKey { typealias Value = Int }

/// Reads the signed-in reader's unread inbox count before a page is built, so the top bar can show it (`chrome` is
/// not async). API requests and downloads are left alone.
struct InboxCountMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method == .GET, let caller = req.caller, !req.url.path.hasPrefix("/api/"), !req.url.path.contains(".") {
            req.storage[InboxUnreadKey.self] = try? await req.store.inbox.unreadCount(caller)
        }
        return try await next.respond(to: req)
    }
}

struct Choice: Encodable {
    var value: String
    var label: String
    var selected: Bool
}

/// The caller's context in the project of the page being built (see `Request.pageProjectContext`).
struct PageProjectContextKey: StorageKey { typealias Value = ProjectContext }

/// Thrown by pages that need a signed-in user; answered with a redirect to the login page.
struct LoginRequired: Error { var next: String }

extension Request {
    var locale: String { I18n.locale(for: self) }
    var words: [String: String] { I18n.strings(locale) }
    /// The catalogue's words in the reader's language, for what a handler words before the view (a new item's title).
    var pageWords: Words { Words(locale == "en" ? .en : .ja) }

    func pageCaller() throws -> Caller {
        guard let caller else { throw LoginRequired(next: url.path) }
        return caller
    }

    /// The caller's context in a project, kept on the request so that the page's menu can leave out what the
    /// caller's role may not open.
    func pageProjectContext(_ caller: Caller, key: String) async throws -> ProjectContext {
        let context = try await store.projectContext(caller, key: key)
        storage[PageProjectContextKey.self] = context
        return context
    }

    /// The chrome of a page built in Swift, which may not have read the caller's role: it is read here if needed.
    func projectChrome(title: String, section: String, project: ProjectRecord?) async -> Chrome {
        if let project, let caller, storage[PageProjectContextKey.self]?.project.key != project.key {
            _ = try? await pageProjectContext(caller, key: project.key)
        }
        return chrome(title: title, section: section, project: project)
    }

    func chrome(title: String, section: String, project: ProjectRecord? = nil, flash: String? = nil) -> Chrome {
        var csrf = ""
        if case .session(_, let token)? = credential { csrf = token }
        // Vendors' staff do not read status reports (budgets, earned value): no menu entry that would answer 403.
        let context = storage[PageProjectContextKey.self].flatMap { $0.project.key == project?.key ? $0 : nil }
        let showReports = context.map { MeetingAccess.canReadReports($0.actor) } ?? true
        return Chrome(lang: locale, title: title, userName: caller?.displayName, isAdmin: caller?.isAdmin ?? false, csrf: csrf,
                      projectKey: project?.key, projectName: project?.name, section: section,
                      flash: flash ?? (SavedNotice.isShown(self) ? words["saved_notice"] : nil), showReports: showReports,
                      inboxUnread: caller == nil ? nil : (storage[InboxUnreadKey.self] ?? 0))
    }

    /// A submitted form's fields, after its CSRF token was checked. Line ends become LF (browsers send a textarea's
    /// lines with CRLF); a control character in any field is a 422 naming the field.
    func form() throws -> [String: String] {
        let raw = (try? content.decode([String: String].self)) ?? [:]
        try requireCSRF(formToken: raw["_csrf"] ?? "")
        var fields: [String: String] = [:]
        var errors = FieldErrors()
        for (name, value) in raw {
            switch TextHygiene.clean(value) {
            case .success(let clean): fields[name] = clean
            case .failure(let bad):
                let e = bad.fieldError(name)
                errors.add(e.field, e.code, e.message)
            }
        }
        try errors.throwIfAny("form.invalid")
        return fields
    }

    func label(_ key: String) -> String { words[key] ?? key }

    /// The link to a list's next page: this page's query with the next cursor (and any `extra` items not already set).
    func nextPageLink(path: String, cursor: String?, extra: [URLQueryItem] = []) -> String? {
        guard let cursor else { return nil }
        var items = URLComponents(string: url.string)?.queryItems?.filter { $0.name != "cursor" } ?? []
        for item in extra where !items.contains(where: { $0.name == item.name }) { items.append(item) }
        items.append(URLQueryItem(name: "cursor", value: cursor))
        var components = URLComponents()
        components.path = path
        components.queryItems = items
        return components.string
    }

    func choices<E: RawRepresentable & CaseIterable>(_ type: E.Type, prefix: String, selected: E?) -> [Choice] where E.RawValue == String {
        E.allCases.map { Choice(value: $0.rawValue, label: label(prefix + $0.rawValue), selected: $0.rawValue == selected?.rawValue) }
    }
}

/// Formats instants in the viewer's time zone.
enum Formatting {
    static func instant(_ date: Date, zone: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZones.named(zone)
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: date)
    }
}
