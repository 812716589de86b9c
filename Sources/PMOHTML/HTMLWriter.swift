import PMOCore

/// The one way the product writes HTML: element by element into one string.
///
/// Text and attribute values are always escaped. Tag and attribute names are `StaticString`s, literals of the source,
/// so no stored or typed text can ever become markup. The only unescaped input is `trusted(_:)`, which takes a
/// `TrustedMarkup`, and only the SVG charts of PMOReports make one (a test reads the sources to hold that).
///
/// A writer appends to one string rather than building a tree of nodes: a plan's WBS table or Gantt page of 5,000
/// rows is one pass over the rows, with no intermediate values per element.
///
///     var h = HTMLWriter()
///     h.el(.section, .class("card"), .id("conflicts")) { h in
///         h.el(.h2, text: title)
///         h.el(.ul) { h in for p in problems { h.el(.li, text: p) } }
///     }
public struct HTMLWriter: Sendable {
    /// The markup written so far.
    public private(set) var html: String

    public init(capacity: Int = 4096) {
        html = ""
        html.reserveCapacity(capacity)
    }

    /// An element with content written by `content`.
    public mutating func el(_ tag: Tag, _ attributes: Attribute..., content: (inout HTMLWriter) throws -> Void) rethrows {
        open(tag, attributes)
        try content(&self)
        close(tag)
    }

    /// An element whose content is one piece of text.
    public mutating func el(_ tag: Tag, _ attributes: Attribute..., text: String) {
        open(tag, attributes)
        self.text(text)
        close(tag)
    }

    /// An element without content: a void element (`input`, `br`) or an empty one (`option`, `textarea`).
    public mutating func el(_ tag: Tag, _ attributes: Attribute...) {
        open(tag, attributes)
        close(tag)
    }

    /// The same three, for helpers that pass their attributes on.
    public mutating func el(_ tag: Tag, attributes: [Attribute], content: (inout HTMLWriter) throws -> Void) rethrows {
        open(tag, attributes)
        try content(&self)
        close(tag)
    }
    public mutating func el(_ tag: Tag, attributes: [Attribute], text: String) {
        open(tag, attributes)
        self.text(text)
        close(tag)
    }
    public mutating func el(_ tag: Tag, attributes: [Attribute]) {
        open(tag, attributes)
        close(tag)
    }

    /// The HTML5 document type, which starts every page.
    public mutating func doctype() { html += "<!doctype html>" }

    /// Escaped text.
    public mutating func text(_ s: String) { html += XMLEscape.text(s) }

    /// Markup made by a chart renderer of PMOReports; see `TrustedMarkup`.
    public mutating func trusted(_ markup: TrustedMarkup) { html += markup.markup }

    /// Appends what another writer wrote (a section built apart, then placed).
    public mutating func append(_ other: HTMLWriter) { html += other.html }

    private mutating func open(_ tag: Tag, _ attributes: [Attribute]) {
        html += "<"
        html += tag.name
        for a in attributes {
            switch a.value {
            case .omitted: continue
            case .flag: html += " "; html += a.name
            case .text(let v):
                html += " "
                html += a.name
                html += "=\""
                html += XMLEscape.text(v)
                html += "\""
            }
        }
        html += ">"
    }

    private mutating func close(_ tag: Tag) {
        guard !tag.isVoid else { return }
        html += "</"
        html += tag.name
        html += ">"
    }
}

/// Markup the product wrote itself and that must not be escaped: the SVG charts of PMOReports (Gantt, S-curve,
/// heat map, burn-down). Nothing else makes one; `HTMLSourceTests` fails when another module calls this initialiser.
public struct TrustedMarkup: Sendable {
    public let markup: String
    public init(chartSVG markup: String) { self.markup = markup }
}

/// An HTML element name. Only the names listed here can be written, so a typo is a compile error.
public struct Tag: Sendable {
    let name: String
    let isVoid: Bool
    init(_ name: StaticString, void isVoid: Bool = false) {
        self.name = "\(name)"
        self.isVoid = isVoid
    }

    public static let a = Tag("a"), article = Tag("article"), b = Tag("b"), br = Tag("br", void: true)
    public static let button = Tag("button"), caption = Tag("caption"), code = Tag("code"), dd = Tag("dd")
    public static let details = Tag("details"), div = Tag("div"), dl = Tag("dl"), dt = Tag("dt"), em = Tag("em")
    public static let fieldset = Tag("fieldset"), form = Tag("form"), h1 = Tag("h1"), h2 = Tag("h2"), h3 = Tag("h3")
    public static let input = Tag("input", void: true), label = Tag("label"), legend = Tag("legend"), li = Tag("li")
    public static let meter = Tag("meter"), nav = Tag("nav"), ol = Tag("ol"), option = Tag("option"), p = Tag("p")
    public static let pre = Tag("pre"), section = Tag("section"), select = Tag("select"), small = Tag("small")
    public static let span = Tag("span"), strong = Tag("strong"), summary = Tag("summary"), table = Tag("table")
    public static let tbody = Tag("tbody"), td = Tag("td"), textarea = Tag("textarea"), tfoot = Tag("tfoot")
    public static let th = Tag("th"), thead = Tag("thead"), time = Tag("time"), tr = Tag("tr"), ul = Tag("ul")
    public static let figure = Tag("figure"), figcaption = Tag("figcaption"), header = Tag("header"), aside = Tag("aside")
    public static let html = Tag("html"), head = Tag("head"), meta = Tag("meta", void: true), title = Tag("title")
    public static let link = Tag("link", void: true), body = Tag("body"), main = Tag("main"), img = Tag("img", void: true), del = Tag("del")
    public static let script = Tag("script"), datalist = Tag("datalist")
}

/// An attribute: a literal name and an escaped value. A nil value leaves the attribute out, so optional attributes
/// read as one expression: `.class(isCurrent ? "on" : nil)`.
public struct Attribute: Sendable {
    enum Value: Sendable { case text(String), flag, omitted }
    let name: String
    let value: Value

    init(_ name: StaticString, _ value: String?) {
        self.name = "\(name)"
        self.value = value.map(Value.text) ?? .omitted
    }

    /// Any attribute by its literal name, such as `data-uid` or `aria-label`.
    public static func attr(_ name: StaticString, _ value: String?) -> Attribute { Attribute(name, value) }
    /// A boolean attribute (`selected`, `required`…), written only when `on`.
    public static func flag(_ name: StaticString, _ on: Bool = true) -> Attribute {
        Attribute(name: "\(name)", value: on ? .flag : .omitted)
    }
    private init(name: String, value: Value) {
        self.name = name
        self.value = value
    }

    public static func `class`(_ v: String?) -> Attribute { Attribute("class", v) }
    public static func id(_ v: String?) -> Attribute { Attribute("id", v) }
    public static func href(_ v: String?) -> Attribute { Attribute("href", v) }
    public static func title(_ v: String?) -> Attribute { Attribute("title", v) }
    public static func name(_ v: String?) -> Attribute { Attribute("name", v) }
    public static func value(_ v: String?) -> Attribute { Attribute("value", v) }
    public static func type(_ v: String?) -> Attribute { Attribute("type", v) }
    public static func method(_ v: String?) -> Attribute { Attribute("method", v) }
    public static func action(_ v: String?) -> Attribute { Attribute("action", v) }
    public static func `for`(_ v: String?) -> Attribute { Attribute("for", v) }
    public static func role(_ v: String?) -> Attribute { Attribute("role", v) }
    public static func style(_ v: String?) -> Attribute { Attribute("style", v) }
    public static func size(_ v: String?) -> Attribute { Attribute("size", v) }
    public static func rows(_ v: String?) -> Attribute { Attribute("rows", v) }
    public static func inputmode(_ v: String?) -> Attribute { Attribute("inputmode", v) }
    public static func maxlength(_ v: String?) -> Attribute { Attribute("maxlength", v) }
    public static func enctype(_ v: String?) -> Attribute { Attribute("enctype", v) }
    public static func accept(_ v: String?) -> Attribute { Attribute("accept", v) }
    public static func placeholder(_ v: String?) -> Attribute { Attribute("placeholder", v) }
    public static func colspan(_ v: String?) -> Attribute { Attribute("colspan", v) }
    public static func scope(_ v: String?) -> Attribute { Attribute("scope", v) }
    public static func ariaLabel(_ v: String?) -> Attribute { Attribute("aria-label", v) }
    public static func src(_ v: String?) -> Attribute { Attribute("src", v) }
    public static func alt(_ v: String?) -> Attribute { Attribute("alt", v) }
    public static func width(_ v: String?) -> Attribute { Attribute("width", v) }
    public static func height(_ v: String?) -> Attribute { Attribute("height", v) }
    public static func pattern(_ v: String?) -> Attribute { Attribute("pattern", v) }
    public static func autocomplete(_ v: String?) -> Attribute { Attribute("autocomplete", v) }
    public static func minlength(_ v: String?) -> Attribute { Attribute("minlength", v) }
    public static func selected(_ on: Bool) -> Attribute { flag("selected", on) }
    public static func checked(_ on: Bool) -> Attribute { flag("checked", on) }
    public static var required: Attribute { flag("required") }
}
