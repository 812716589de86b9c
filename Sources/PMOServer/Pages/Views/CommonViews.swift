import Foundation
import PMOCore
import PMOWords
import PMOHTML
import PMOStore

/// Pieces several page views share: a form's error list, option lists from `Choice`, history and comments.
extension HTMLWriter {
    /// The errors a form was refused with, each with the field it is about.
    mutating func formErrors(_ errors: [FieldError]) {
        guard !errors.isEmpty else { return }
        el(.div, .class("alert"), .role("alert")) { h in
            h.el(.ul, .class("errors")) { h in
                for e in errors {
                    h.el(.li) { h in
                        if !e.field.isEmpty {
                            h.el(.strong, text: e.field)
                            h.text(": ")
                        }
                        h.text(e.message)
                    }
                }
            }
        }
    }

    /// A `<select>` of `Choice`s (each knows whether it is selected), after an optional first option.
    mutating func select(_ name: String, _ choices: [Choice], first: (value: String, label: String)? = nil, _ attributes: Attribute...) {
        el(.select, attributes: [.name(name)] + attributes) { h in
            if let first { h.el(.option, .value(first.value), text: first.label) }
            for c in choices { h.el(.option, .value(c.value), .selected(c.selected), text: c.label) }
        }
    }

    /// A labelled select of `Choice`s.
    mutating func choiceField(_ label: String, _ name: String, _ choices: [Choice], first: (value: String, label: String)? = nil,
                              _ attributes: Attribute...) {
        el(.label) { h in
            h.text(label)
            h.el(.select, attributes: [.name(name)] + attributes) { h in
                if let first { h.el(.option, .value(first.value), text: first.label) }
                for c in choices { h.el(.option, .value(c.value), .selected(c.selected), text: c.label) }
            }
        }
    }

    /// `<div><dt>label</dt><dd>…</dd></div>` of a `dl.facts`.
    mutating func fact(_ label: String, _ ddAttributes: Attribute..., value: (inout HTMLWriter) -> Void) {
        el(.div) { h in
            h.el(.dt, text: label)
            h.el(.dd, attributes: ddAttributes, content: value)
        }
    }
}

/// The history and comment sections of an item page (issues and the other registers).
enum ItemViews {
    /// The due date of an item's facts, flagged when overdue.
    static func dueFact(_ h: inout HTMLWriter, due: String, overdue: Bool, _ t: Words, label: String? = nil) {
        h.fact(label ?? t["due"], .class("num")) { h in
            h.text(due)
            if overdue {
                h.text(" ")
                h.el(.span, .class("flag"), text: t["overdue"])
            }
        }
    }

    static func history(_ h: inout HTMLWriter, _ rows: [IssuePages.HistoryRow], prose: Bool, _ t: Words) {
        h.el(.section, .class("card")) { h in
            if rows.isEmpty { h.el(.p, .class("muted"), text: t["no_items"]) }
            h.el(.ol, .class("history")) { h in
                for r in rows {
                    h.el(.li) { h in
                        h.el(.div, .class("when")) { h in
                            h.el(.span, .class("num"), text: r.at)
                            h.text(" · \(r.actor) · \(r.action) · \(t["version"]) \(r.version)")
                        }
                        guard !r.changes.isEmpty else { return }
                        h.el(.table, .class("changes")) { h in
                            h.tableHead([t["field"], t["from"], t["to"]])
                            h.el(.tbody) { h in
                                for c in r.changes {
                                    h.el(.tr) { h in
                                        h.el(.td, text: c.field)
                                        h.el(.td, .class(prose ? "prose" : nil), text: c.from ?? "")
                                        h.el(.td, .class(prose ? "prose" : nil), text: c.to ?? "")
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A member the `@` picker offers: the part of their e-mail address before the `@` (what the inbox recognises) and
    /// their name.
    struct Mentionable: Encodable, Sendable { var h: String; var n: String }

    /// The members of a project as the `@` picker offers them (active ones, by name).
    static func mentionable(_ members: [MemberView]) -> [Mentionable] {
        members.filter(\.user.isActive).map { Mentionable(h: String($0.user.email.lowercased().split(separator: "@").first ?? ""), n: $0.user.displayName) }
            .filter { !$0.h.isEmpty }.sorted { ($0.n, $0.h) < ($1.n, $1.h) }
    }

    /// The `data-mentions` attribute's value: the members as JSON.
    static func mentionData(_ mentionable: [Mentionable]) -> String {
        (try? JSONEncoder().encode(mentionable)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
    }

    static func comments(_ h: inout HTMLWriter, _ comments: [IssuePages.CommentRow], postTo action: String?, csrf: String, _ t: Words,
                         mentionable: [Mentionable] = []) {
        h.el(.section, .class("card"), .id("comments")) { h in
            h.el(.h2, text: t["comments"])
            for c in comments {
                h.el(.article, .class("comment")) { h in
                    h.el(.div, .class("muted"), text: "\(c.author) · \(c.at)")
                    h.el(.p, .class("prose"), text: c.body)
                }
            }
            guard let action else { return }
            h.postForm(action, csrf: csrf) { h in
                let people = mentionData(mentionable)
                h.el(.textarea, .name("body"), .rows("3"), .required, .maxlength("10000"), .attr("data-mentions", people),
                     .attr("aria-label", t["add_comment"]), .attr("placeholder", t["mention.hint"]))
                h.el(.button, .type("submit"), text: t["add_comment"])
            }
            if !mentionable.isEmpty { h.el(.script, .attr("type", "module"), .attr("src", "/mention-picker.js"), text: "") }
        }
    }

    /// Watching: whether the reader hears of the item's changes, how many watch it, and the button to start or stop.
    static func watch(_ h: inout HTMLWriter, _ state: WatchState?, key: String, type: ItemType, number: Int, csrf: String, _ t: Words) {
        guard let state else { return }
        h.el(.section, .class("card watch"), .id("watch")) { h in
            h.el(.h2, text: t["watch.title"])
            h.el(.p, .class("muted small"), text: state.byRole ? t["watch.by_role"] : state.watching ? t["watch.watching"] : t["watch.not_watching"])
            if state.watchers > 0 { h.el(.p, .class("small"), .id("watch-count"), text: t("watch.count", ["n": "\(state.watchers)"])) }
            if !state.byRole {
                h.postForm(ProjectPath.watch(type, number).href(key), .class("inline"), csrf: csrf, hidden: [("watch", state.watching ? "0" : "1")]) { h in
                    h.el(.button, .type("submit"), .class("secondary"), .id("watch-button"), text: state.watching ? t["watch.stop"] : t["watch.start"])
                }
            }
        }
    }

    /// The links section of an item page: each link with its kind, the item at the other end and its status, and (for
    /// those who may edit) a remove button and a form to add one.
    static func links(_ h: inout HTMLWriter, _ links: [RegisterPages.LinkRow], key: String, type: ItemType, number: Int, canEdit: Bool,
                      kinds: [Choice], csrf: String, _ t: Words) {
        h.el(.section, .class("card"), .id("links")) { h in
            h.el(.h2, text: t["links"])
            if links.isEmpty { h.el(.p, .class("muted"), text: t["no_items"]) }
            h.el(.ul, .class("links")) { h in
                for l in links {
                    h.el(.li) { h in
                        h.text(l.label + " ")
                        h.el(.a, .href(l.href), text: l.reference)
                        h.text(" " + l.title + " ")
                        h.el(.span, .class("muted"), text: l.status)
                        guard canEdit else { return }
                        h.text(" ")
                        h.postForm(ProjectPath.deleteLink(type, number, l.id).href(key), .class("inline"), csrf: csrf) { h in
                            h.el(.button, .class("link danger"), .type("submit"), text: "×")
                        }
                    }
                }
            }
            guard canEdit else { return }
            h.postForm(ProjectPath.links(type, number).href(key), .class("row"), csrf: csrf) { h in
                h.select("kind", kinds)
                h.el(.input, .name("to"), .placeholder(t["link_to_hint"]), .required, .size("12"))
                h.el(.button, .type("submit"), text: t["add_link"])
            }
        }
    }
}
