import PMOCore
import PMOHTML
import PMOStore
import PMOWords
import Vapor

/// What a page view gets: the chrome, the words of the page's language, and the page's own data (its model).
struct Page<Data> {
    var chrome: Chrome
    var t: Words
    var data: Data
}

/// The document around every page's content: the head, the top bar with the user's menu, the project's menu when the
/// page belongs to a project, and `main`.
enum Layout {
    static func document(_ chrome: Chrome, _ t: Words, content: HTMLWriter) -> String {
        var h = HTMLWriter(capacity: content.html.utf8.count + 4096)
        h.doctype()
        h.el(.html, .attr("lang", chrome.lang)) { h in
            h.el(.head) { h in
                h.el(.meta, .attr("charset", "utf-8"))
                h.el(.meta, .name("viewport"), .attr("content", "width=device-width, initial-scale=1"))
                h.el(.title, text: chrome.title + " · PMO")
                h.el(.link, .attr("rel", "stylesheet"), .href("/app.css"))
            }
            h.el(.body) { h in
                // On a phone the menus fold behind one "menu" switch (a checkbox, so it works without a script; the
                // stylesheet shows the menus when it is checked, and always on a wide screen).
                if chrome.userName != nil {
                    h.el(.input, .type("checkbox"), .id("nav-toggle"), .class("nav-toggle"), .ariaLabel(t["menu"]))
                }
                topBar(&h, chrome, t)
                if let key = chrome.projectKey { projectMenu(&h, chrome, key: key, t) }
                h.el(.main) { h in
                    if let flash = chrome.flash { h.el(.p, .class("flash"), .attr("role", "status"), text: flash) }
                    h.append(content)
                }
            }
        }
        return h.html
    }

    static func topBar(_ h: inout HTMLWriter, _ chrome: Chrome, _ t: Words) {
        h.el(.header, .class("top")) { h in
            h.el(.a, .class("brand"), .href(AppPath.projects.href), text: "PMO")
            guard let user = chrome.userName else { return }
            h.el(.label, .for("nav-toggle"), .class("nav-toggle-label"), .attr("aria-hidden", "true"), text: "☰ " + t["menu"])
            h.el(.nav, .class("main")) { h in
                let inbox = (chrome.inboxUnread ?? 0) > 0 ? t("inbox.nav_count", ["n": "\(chrome.inboxUnread!)"]) : t["inbox.nav"]
                var items: [(AppPath, String, String)] = [(.projects, "projects", t["projects"]), (.myWork, "work", t["my_work"]),
                                                          (.inbox, "inbox", inbox), (.portfolio, "portfolio", t["nav_portfolio"]),
                                                          (.resources, "resources", t["res.nav"])]
                if chrome.isAdmin { items.append((.adminUsers, "admin", t["admin"])) }
                items.append((.settings, "settings", t["settings"]))
                for (path, section, label) in items { h.el(.a, .href(path.href), .class(chrome.section == section ? "on" : nil), text: label) }
            }
            h.postForm(AppPath.logout.href, .class("logout"), csrf: chrome.csrf) { h in
                h.el(.span, .class("who"), text: user)
                h.el(.button, .type("submit"), .class("link"), text: t["logout"])
            }
        }
    }

    static func projectMenu(_ h: inout HTMLWriter, _ chrome: Chrome, key: String, _ t: Words) {
        h.el(.nav, .class("project")) { h in
            h.el(.span, .class("pkey"), text: key)
            h.text(" ")
            h.el(.span, .class("pname"), text: chrome.projectName ?? "")
            var items = [(ProjectPath.home.href(key), "home", t["summary"]), (PlanPath.wbs.href(key), "plan", t["nav_plan"]),
                         (MeetingPath.list.href(key), "meetings", t["nav_meetings"])]
            if chrome.showReports {
                items.append((ReportPath.list.href(key), "reports", t["nav_reports"]))
                items.append((ProjectPath.signals.href(key), "signals", t["signals.title"]))
                items.append((ProjectPath.kpis.href(key), "kpis", t["kpi.link"]))
            }
            items.append((ProjectPath.ledger.href(key), "ledger", t["nav_ledger"]))
            items.append((ProjectPath.registers.href(key), "registers", t["nav_registers"]))
            // The registers in menu order, each its list; the section is the list's segment. The project's shape takes
            // two entries (systems, requirements), each with tabs over its lists and diagrams (`ShapeTabs`).
            for (type, label) in [(ItemType.issue, t["issues"]), (.risk, t["nav_risks"]), (.decision, t["nav_decisions"]),
                                  (.question, t["nav_questions"]), (.change, t["nav_changes"]), (.action, t["nav_actions"]),
                                  (.system, t["nav_systems"]), (.requirement, t["nav_requirements"]), (.unit, t["nav_units"])] {
                items.append((ProjectPath.items(type).href(key), ProjectPath.plural(type), label))
            }
            items.append((ProjectPath.members.href(key), "members", t["members"]))
            let on = ShapeTabs.menuSection(for: chrome.section)
            for (href, section, label) in items { h.el(.a, .href(href), .class(on == section ? "on" : nil), text: label) }
        }
    }
}

extension Request {
    /// Renders a page: `view` writes the content from the page's model, `Layout` the document around it.
    func render<D>(_ view: (inout HTMLWriter, Page<D>) throws -> Void, _ chrome: Chrome, _ data: D,
                   status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = Words(locale == "en" ? .en : .ja)
        var content = HTMLWriter()
        try view(&content, Page(chrome: chrome, t: t, data: data))
        return htmlResponse(Layout.document(chrome, t, content: content), status: status)
    }

    /// Renders a page that belongs to a project (none for the portfolio): its view over its model, inside the
    /// project's chrome with the menu entry `section` on.
    func renderProjectPage<D>(_ view: (inout HTMLWriter, Page<D>) throws -> Void, _ data: D, title: String, section: String,
                              project: ProjectRecord?, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await render(view, await projectChrome(title: title, section: section, project: project), data, status: status)
    }

    private func htmlResponse(_ html: String, status: HTTPResponseStatus) -> Response {
        let response = Response(status: status, body: .init(string: html))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
