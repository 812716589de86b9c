import PMOCore
import PMOHTML
import PMOStore
import PMOWords
import Vapor

/// The columns of a register's list a reader may hide (`hide=owner&hide=company` in the list's address, so a saved
/// view and a shared link keep them). Hidden cells stay in the table and are hidden by position with CSS
/// (`hide-3`), so the phone's card layout, which places cells by position, is unchanged.
struct ListColumns {
    /// The hideable columns, each with its 1-based position in the table.
    var all: [(key: String, label: String, position: Int)]
    var hidden: Set<String>

    static func issues(_ t: Words, hidden: Set<String>) -> ListColumns {
        ListColumns(all: [("owner", t["owner"], 3), ("company", t["company"], 4), ("due", t["due"], 5), ("priority", t["priority"], 6),
                          ("status", t["status"], 7), ("escalation", t["escalation"], 8)], hidden: hidden)
    }

    static func register(_ t: Words, isRisk: Bool, extraHeader: String, hidden: Set<String>) -> ListColumns {
        let first = isRisk ? 4 : 3
        return ListColumns(all: (isRisk ? [("score", t["score"], 3)] : [])
            + [("owner", t["owner"], first), ("extra", extraHeader, first + 1), ("due", t["due"], first + 2), ("status", t["status"], first + 3)],
                           hidden: hidden)
    }

    /// The table's classes for the hidden columns.
    var tableClasses: String { all.filter { hidden.contains($0.key) }.map { "hide-\($0.position)" }.joined(separator: " ") }

    /// The list's query without `hide` (which the list's parser does not take), and the hidden columns.
    static func take(_ raw: String?) -> (query: String?, hidden: Set<String>) {
        guard let raw else { return (nil, []) }
        var hidden: Set<String> = []
        let kept = raw.split(separator: "&").filter { pair in
            guard pair.hasPrefix("hide=") else { return true }
            hidden.insert(String(pair.dropFirst("hide=".count)).removingPercentEncoding ?? "")
            return false
        }
        return (kept.isEmpty ? nil : kept.joined(separator: "&"), hidden)
    }

    /// A query without its `hide` pairs (the exports take the list's filters only).
    static func withoutHidden(_ query: String) -> String { take(query).query ?? "" }
}

/// Saved views on a register's list: the reader's own and the project's shared ones as links, a form to save the
/// list as it is now, and delete buttons for the views the reader may delete.
enum SavedViewPages {
    struct Link { var name: String; var href: String; var shared: Bool; var owner: String; var current: Bool; var deleteHref: String? }
    struct Bar {
        var links: [Link]
        var saveTo: String
        var query: String
        var canShare: Bool
    }

    static func bar(_ req: Request, caller: Caller, context: ProjectContext, type: ItemType, query: String) async throws -> Bar {
        let key = context.project.key
        let views = try await req.store.views.list(caller, key: key, type: type)
        let current = normalized(query)
        let links = views.map { v in
            Link(name: v.name, href: ProjectPath.items(type).href(key, query: v.query), shared: v.shared,
                 owner: v.ownerID == caller.userID ? "" : v.ownerName, current: normalized(v.query) == current,
                 deleteHref: v.canDelete ? ProjectPath.deleteView(type, v.id.uuidString.lowercased()).href(key) : nil)
        }
        return Bar(links: links, saveTo: ProjectPath.views(type).href(key), query: query, canShare: context.role != .vendor || caller.isAdmin)
    }

    /// A query's pairs in one order, so that two addresses of the same list compare equal.
    static func normalized(_ query: String) -> [String] {
        query.split(separator: "&").map(String.init).filter { !$0.hasPrefix("cursor=") }.sorted()
    }

    /// Checks a view's query the way its list will read it, so a bad one is refused when saved, not when opened.
    static func check(_ req: Request, caller: Caller, type: ItemType, query: String) throws {
        let (rest, hidden) = ListColumns.take(query.hasPrefix("?") ? String(query.dropFirst()) : query)
        let (today, _) = req.today(for: caller)
        do {
            if let kind = type.register {
                _ = try RegisterQueryParser.parse(rest, kind: kind, caller: caller, today: today)
            } else {
                _ = try IssueQueryParser.parse(rest, caller: caller, today: today)
            }
        } catch let bad as DomainError {
            // One code for the whole query: the list's own codes name its parameters, which are not fields here.
            let detail = bad.fieldErrors.isEmpty ? bad.message : bad.fieldErrors.map(\.message).joined(separator: " ")
            throw DomainError.invalid("view.invalid", [FieldError(field: "query", code: "not_a_list_query",
                                                                  message: "The query is not one this list reads: \(detail)")])
        }
        let known: Set<String> = ["owner", "company", "due", "priority", "status", "escalation", "score", "extra"]
        if let unknown = hidden.subtracting(known).sorted().first {
            throw DomainError.invalid("view.invalid", [FieldError(field: "query", code: "not_hideable",
                                                                  message: "\(unknown) is not a column that can be hidden.")])
        }
    }

    static func register(_ pages: any RoutesBuilder) {
        for type in ItemType.allCases {
            let plural = ProjectPath.plural(type)
            pages.post("projects", ":key", "\(plural)", "views") { req async throws -> Response in
                let caller = try req.pageCaller()
                let key = try req.projectKey()
                let f = try req.form()
                let query = f["query"] ?? ""
                try check(req, caller: caller, type: type, query: query)
                let saved = try await req.store.views.save(caller, key: key, type: type, name: f["name"] ?? "", query: query,
                                                           shared: f["shared"] == "true")
                return req.redirect(to: ProjectPath.items(type).href(key, query: saved.view.query))
            }
            pages.post("projects", ":key", "\(plural)", "views", ":id", "delete") { req async throws -> Response in
                let caller = try req.pageCaller()
                let key = try req.projectKey()
                _ = try req.form()
                try await req.store.views.delete(caller, key: key, id: try req.pathUUID("id"))
                return req.redirect(to: ProjectPath.items(type).href(key))
            }
        }
    }
}

extension ListViews {
    /// The saved views above a list: each a link (the one showing marked), shared ones with their owner, then the form
    /// that saves the list as it is now.
    static func savedViews(_ h: inout HTMLWriter, _ bar: SavedViewPages.Bar, csrf: String, _ t: Words) {
        h.el(.section, .class("views"), .attr("aria-label", t["saved_views"])) { h in
            h.el(.span, .class("muted"), text: t["saved_views"] + ":")
            if bar.links.isEmpty { h.el(.span, .class("muted"), text: " " + t["no_saved_views"]) }
            for v in bar.links {
                h.text(" ")
                h.el(.span, .class("view" + (v.current ? " on" : ""))) { h in
                    h.el(.a, .href(v.href), .attr("aria-current", v.current ? "true" : nil), text: v.name)
                    if v.shared { h.el(.span, .class("muted small"), text: v.owner.isEmpty ? " " + t["view_shared"] : " " + t("view_shared_by", ["name": v.owner])) }
                    if let delete = v.deleteHref {
                        h.postForm(delete, .class("inline"), csrf: csrf) { h in
                            h.el(.button, .class("link danger"), .type("submit"), .title(t["delete_view"]), text: "×")
                        }
                    }
                }
            }
            h.el(.details, .class("save-view")) { h in
                h.el(.summary, text: t["save_view"])
                h.postForm(bar.saveTo, .class("row"), csrf: csrf, hidden: [("query", bar.query)]) { h in
                    h.el(.input, .name("name"), .required, .maxlength("\(SavedViewRules.nameMax)"), .placeholder(t["view_name"]),
                         .attr("aria-label", t["view_name"]))
                    if bar.canShare { IssueViews.checkbox(&h, "shared", false, t["share_view"]) }
                    h.el(.button, .type("submit"), text: t["save"])
                }
            }
        }
    }

    /// The filters' choice of columns to hide.
    static func hideColumns(_ h: inout HTMLWriter, _ columns: ListColumns, _ t: Words) {
        h.el(.details, .class("columns")) { h in
            h.el(.summary, text: t["hide_columns"])
            for c in columns.all {
                h.el(.label, .class("check")) { h in
                    h.el(.input, .type("checkbox"), .name("hide"), .value(c.key), .checked(columns.hidden.contains(c.key)))
                    h.text(" " + c.label)
                }
            }
        }
    }
}
