import Foundation
import PMOCore
import PMOHTML
import PMOStore
import PMOWords

/// The inbox's view: a row per entry (a card on a phone), unread ones marked.
enum InboxViews {
    static func page(_ h: inout HTMLWriter, _ p: Page<InboxPages.PageData>) {
        let d = p.data, t = p.t
        h.pageHead(t["inbox.title"]) { h in
            h.el(.span, .class("muted"), .id("inbox-unread"), text: t("inbox.unread_count", ["n": "\(d.unread)"]))
            h.el(.a, .class("button secondary"), .href(d.unreadOnly ? AppPath.inbox.href : AppPath.inbox.href + "?unread=1"),
                 text: d.unreadOnly ? t["inbox.show_all"] : t["inbox.unread_only"])
            if d.unread > 0 {
                h.postForm(AppPath.inboxReadAll.href, .class("inline"), csrf: p.chrome.csrf) { h in
                    h.el(.button, .type("submit"), .id("inbox-read-all"), text: t["inbox.mark_all_read"])
                }
            }
        }
        h.el(.p, .class("muted"), text: t["inbox.intro"])
        guard !d.entries.isEmpty else {
            h.el(.p, .class("card muted"), .id("inbox-empty"), text: t["inbox.none"])
            return
        }
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list cards inbox"), .id("inbox")) { h in
                h.tableHead([t["inbox.col.item"], t["inbox.col.what"], t["inbox.col.project"], t["inbox.col.when"], ""])
                h.el(.tbody) { h in
                    for e in d.entries {
                        let id = e.id.uuidString.lowercased()
                        h.el(.tr, .class(e.readAt == nil ? "unread" : "read"), .id("inbox-\(id)"), .attr("data-kind", e.kind.rawValue),
                             .attr("data-read", e.readAt == nil ? "false" : "true")) { h in
                            h.el(.td) { h in
                                if InboxText.itemHref(e) != nil {
                                    h.el(.a, .href(AppPath.inboxOpen(id).href), .class("inbox-item"),
                                         text: [e.reference, e.title].compactMap { $0 }.joined(separator: " "))
                                } else {
                                    h.text(e.title)
                                }
                            }
                            h.el(.td, .class("inbox-text"), text: InboxText.sentence(e, t))
                            h.el(.td, text: e.projectKey)
                            h.el(.td, .class("date"), text: Formatting.instant(e.createdAt, zone: d.timeZone))
                            h.el(.td) { h in
                                if e.readAt == nil {
                                    h.postForm(AppPath.inboxRead(id).href, .class("inline"), csrf: p.chrome.csrf) { h in
                                        h.el(.button, .type("submit"), .class("link"), .attr("data-act", "read"), text: t["inbox.mark_read"])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
