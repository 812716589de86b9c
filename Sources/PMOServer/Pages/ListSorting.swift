import Foundation
import PMOHTML

/// A register list's order and filters as its links need them: a column heading sorts the same list by its column (the
/// other way when it already is), and the export takes exactly what the list shows. The filters are the reader's
/// query without the order and the page; a list that opened on its default (open items) says so explicitly, so that a
/// heading clicked there keeps showing open items.
struct ListSorting {
    var base: String
    var filters: [(String, String)]
    /// The current order's value, such as `due` or `-due`.
    var current: String

    init(base: String, rawQuery: String?, openByDefault: Bool, current: String) {
        self.base = base
        self.current = current
        var pairs = QueryString.pairs(rawQuery).filter { !["sort", "cursor", "imported"].contains($0.0) && !$0.1.isEmpty }
        if openByDefault && !pairs.contains(where: { $0.0 == "open" }) { pairs.append(("open", "true")) }
        filters = pairs
    }

    /// The filters as a query string (for the export links), with the current order.
    var query: String { SitePath.query((filters + [("sort", current)]).map { ($0.0, Optional($0.1)) }) }

    /// The list ordered by `key` (a column's first order, such as `due` or `-priority` for the highest first), or the
    /// other way when it already is.
    func href(_ key: String) -> String {
        let next = current == key ? Self.reversed(key) : key
        return base + "?" + SitePath.query((filters + [("sort", next)]).map { ($0.0, Optional($0.1)) })
    }

    func ariaSort(_ key: String) -> String? {
        guard current == key || current == Self.reversed(key) else { return nil }
        return current.hasPrefix("-") ? "descending" : "ascending"
    }

    static func reversed(_ key: String) -> String { key.hasPrefix("-") ? String(key.dropFirst()) : "-" + key }
}

extension HTMLWriter {
    /// A list's head row: a column with a sort key is a link that orders the list by it, the current one marked ▲ / ▼.
    mutating func sortableHead(_ columns: [(label: String, sort: String?)], _ sorting: ListSorting) {
        el(.thead) { h in
            h.el(.tr) { h in
                for c in columns {
                    guard let key = c.sort else { h.el(.th, text: c.label); continue }
                    let state = sorting.ariaSort(key)
                    h.el(.th, .class(state == nil ? "sortable" : "sortable sorted"), .attr("aria-sort", state)) { h in
                        h.el(.a, .href(sorting.href(key)), text: c.label + (state == "ascending" ? " ▲" : state == "descending" ? " ▼" : ""))
                    }
                }
            }
        }
    }
}
