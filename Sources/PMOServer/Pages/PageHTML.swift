import PMOHTML
import PMOStore
import Vapor

/// What pages share on top of `HTMLWriter`: the CSRF field, forms that post.
extension HTMLWriter {
    /// A form that posts to `action`, with the CSRF field and the given hidden fields first.
    mutating func postForm(_ action: String, _ attributes: Attribute..., csrf token: String, hidden: [(String, String)] = [],
                           content: (inout HTMLWriter) throws -> Void) rethrows {
        try el(.form, attributes: [.method("post"), .action(action)] + attributes) { h in
            h.el(.input, .type("hidden"), .name("_csrf"), .value(token))
            for (name, value) in hidden { h.el(.input, .type("hidden"), .name(name), .value(value)) }
            try content(&h)
        }
    }

    /// A labelled control: `<label>Label<control…></label>`.
    mutating func labelled(_ label: String, _ attributes: Attribute..., content: (inout HTMLWriter) throws -> Void) rethrows {
        try el(.label, attributes: attributes) { h in
            h.text(label)
            try content(&h)
        }
    }

    /// A `<select>` of (value, label) options with `selected` marked.
    mutating func select(_ name: String, _ options: [(value: String, label: String)], selected: String?, _ attributes: Attribute...) {
        el(.select, attributes: [.name(name)] + attributes) { h in
            for o in options { h.el(.option, .value(o.value), .selected(o.value == selected), text: o.label) }
        }
    }
}

extension HTMLWriter {
    /// A table's head: one row of column headings.
    mutating func tableHead(_ columns: [String]) {
        el(.thead) { h in h.el(.tr) { h in for c in columns { h.el(.th, text: c) } } }
    }

    /// The page's heading row: the title, then whatever `extra` adds beside it (a button, a muted line).
    mutating func pageHead(_ title: String, extra: (inout HTMLWriter) throws -> Void) rethrows {
        try el(.div, .class("head")) { h in
            h.el(.h1, text: title)
            try extra(&h)
        }
    }

    /// The page's heading row with the title alone.
    mutating func pageHead(_ title: String) {
        el(.div, .class("head")) { h in h.el(.h1, text: title) }
    }
}
