import Foundation

/// One JSON Schema (the part of 2020-12 that OpenAPI 3.1 documents here use), as a typed value.
///
/// The API document is built from these rather than from `[String: Any]` literals: a misspelt keyword cannot compile,
/// and the literals were most of PMOServer's release build time (the optimiser walks every `Any` box of them).
/// Write schemas with the constructors and modifiers below, e.g. `.string.maxLength(200)` or
/// `.object(["to": .integer], required: ["to"])`.
struct JSONSchema: Sendable, Encodable {
    enum Kind: String, Sendable { case string, integer, number, boolean, array, object, null }

    /// Empty for a schema that is only a `$ref` or a `oneOf`.
    var types: [Kind] = []
    var ref: String?
    var format: String?
    var pattern: String?
    var description: String?
    /// Allowed values; `nil` inside stands for JSON null.
    var enumValues: [String?]?
    /// Allowed values of an integer.
    var integerValues: [Int]?
    var minimum: Double?
    var maximum: Double?
    var minLength: Int?
    var maxLength: Int?
    var minItems: Int?
    var maxItems: Int?
    var properties: [String: JSONSchema]?
    var required: [String]?
    /// The schema of an array's items (an array of one, because a struct cannot hold itself).
    private var itemSchema: [JSONSchema]?
    var oneOf: [JSONSchema]?
    /// Alternatives of which at least one must hold: "at least one of these members" (`requiringOneOf`), or a string
    /// of one of two forms (`anyOf`).
    var anyOf: [JSONSchema]?
    var readOnly = false
    /// False for a request body the server refuses with `unknown_field` when it has any other member.
    var additionalProperties: Bool?
    /// The field-error code a request answers when its value breaks `pattern` (`invalid_time`); not in the document.
    var refusal: String?

    init(_ types: [Kind]) { self.types = types }

    var items: JSONSchema? {
        get { itemSchema?.first }
        set { itemSchema = newValue.map { [$0] } }
    }

    // MARK: Building blocks

    static let string = JSONSchema([.string])
    static let nullableString = JSONSchema([.string, .null])
    static let integer = JSONSchema([.integer])
    static let nullableInteger = JSONSchema([.integer, .null])
    static let number = JSONSchema([.number])
    static let nullableNumber = JSONSchema([.number, .null])
    static let boolean = JSONSchema([.boolean])
    static let null = JSONSchema([.null])
    /// A day `YYYY-MM-DD`, or null.
    static let date = JSONSchema([.string, .null]).format("date")
    /// An instant, ISO 8601 UTC.
    static let instant = JSONSchema([.string]).format("date-time")
    /// A UUID; the pattern too, because a generator that does not know the format would make up any string.
    static let uuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    static let uuid = JSONSchema([.string]).format("uuid").pattern(uuidPattern)
    static let nullableUUID = JSONSchema([.string, .null]).format("uuid").pattern(uuidPattern)

    /// Text that must not be blank (the server trims it and refuses an empty one as `required`), of at most `max`
    /// characters.
    static func text(_ max: Int) -> JSONSchema { JSONSchema([.string]).pattern("\\S").maxLength(max) }
    /// An item reference such as CRM-R3 or I12, as the readers take it (at most 30 characters).
    static let itemReference = JSONSchema([.string]).maxLength(30)

    /// `#/components/schemas/<name>`.
    static func ref(_ name: String) -> JSONSchema {
        var s = JSONSchema([])
        s.ref = "#/components/schemas/\(name)"
        return s
    }

    /// The named schema, or null.
    static func nullable(_ name: String) -> JSONSchema { oneOf([ref(name), null]) }

    static func oneOf(_ choices: [JSONSchema]) -> JSONSchema {
        var s = JSONSchema([])
        s.oneOf = choices
        return s
    }

    static func object(_ properties: [String: JSONSchema], required: [String] = []) -> JSONSchema {
        var s = JSONSchema([.object])
        s.properties = properties
        if !required.isEmpty { s.required = required }
        return s
    }

    static func array(_ items: JSONSchema) -> JSONSchema {
        var s = JSONSchema([.array])
        s.items = items
        return s
    }

    /// `{"items": [<name>]}`, the shape of every list answer.
    static func list(_ name: String) -> JSONSchema { object(["items": array(ref(name))], required: ["items"]) }

    /// One of these strings.
    static func enumeration(_ values: [String]) -> JSONSchema {
        var s = JSONSchema([.string])
        s.enumValues = values
        return s
    }

    static func integerEnumeration(_ values: [Int]) -> JSONSchema {
        var s = JSONSchema([.integer])
        s.integerValues = values
        return s
    }

    /// One of these strings, or null.
    static func nullableEnumeration(_ values: [String]) -> JSONSchema {
        var s = JSONSchema([.string, .null])
        s.enumValues = values + [nil]
        return s
    }

    // MARK: Modifiers

    func format(_ f: String) -> JSONSchema { var s = self; s.format = f; return s }
    /// The code a request gets when its value breaks this schema's pattern (see `RequestCheck`).
    func refusedAs(_ code: String) -> JSONSchema { var s = self; s.refusal = code; return s }
    func pattern(_ p: String) -> JSONSchema { var s = self; s.pattern = p; return s }
    func described(_ d: String) -> JSONSchema { var s = self; s.description = d; return s }
    func maxLength(_ n: Int) -> JSONSchema { var s = self; s.maxLength = n; return s }
    func length(_ range: ClosedRange<Int>) -> JSONSchema {
        var s = self; s.minLength = range.lowerBound; s.maxLength = range.upperBound; return s
    }
    func minimum(_ n: Double) -> JSONSchema { var s = self; s.minimum = n; return s }
    func range(_ low: Double, _ high: Double) -> JSONSchema { var s = self; s.minimum = low; s.maximum = high; return s }
    func itemCount(_ range: ClosedRange<Int>) -> JSONSchema {
        var s = self; s.minItems = range.lowerBound; s.maxItems = range.upperBound; return s
    }
    /// The same schema, also allowing null.
    var orNull: JSONSchema {
        var s = self
        if !s.types.contains(.null) { s.types.append(.null) }
        if let values = s.enumValues, !values.contains(nil) { s.enumValues = values + [nil] }
        return s
    }
    /// The same schema, no longer allowing null.
    var withoutNull: JSONSchema {
        var s = self
        s.types.removeAll { $0 == .null }
        s.enumValues = s.enumValues?.filter { $0 != nil }
        return s
    }
    var isReadOnly: JSONSchema { var s = self; s.readOnly = true; return s }

    /// The schema, also matching at least one of `alternatives` (a string that is a day or a local time).
    func anyOf(_ alternatives: [JSONSchema]) -> JSONSchema {
        var s = self
        s.anyOf = alternatives
        return s
    }

    /// The object, requiring at least one of these members (an agenda item needs a title or a reference).
    func requiringOneOf(_ names: [String]) -> JSONSchema {
        var s = self
        s.anyOf = names.map { name in var alternative = JSONSchema([]); alternative.required = [name]; return alternative }
        return s
    }

    /// The schema with every object in it, nested ones and list items included, refusing members it does not name
    /// (as the server's readers do with `unknown_field`). A `$ref` is left as it is.
    var closed: JSONSchema {
        var s = self
        if s.types.contains(.object), s.properties != nil { s.additionalProperties = false }
        s.properties = s.properties?.mapValues(\.closed)
        s.items = s.items?.closed
        s.oneOf = s.oneOf?.map(\.closed)
        return s
    }

    /// The component names this schema refers to, at any depth.
    var referencedNames: [String] {
        var names = ref.map { [String($0.split(separator: "/").last ?? "")] } ?? []
        for child in Array((properties ?? [:]).values) + (items.map { [$0] } ?? []) + (oneOf ?? []) { names += child.referencedNames }
        return names
    }

    /// The object with these properties added (or replaced).
    func adding(_ more: [String: JSONSchema]) -> JSONSchema {
        var s = self
        s.properties = (s.properties ?? [:]).merging(more) { _, new in new }
        return s
    }

    // MARK: Encoding

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        if types.count == 1 { try c.encode(types[0].rawValue, forKey: Key("type")) }
        if types.count > 1 { try c.encode(types.map(\.rawValue), forKey: Key("type")) }
        try c.encodeIfPresent(ref, forKey: Key("$ref"))
        try c.encodeIfPresent(format, forKey: Key("format"))
        try c.encodeIfPresent(pattern, forKey: Key("pattern"))
        try c.encodeIfPresent(description, forKey: Key("description"))
        if let enumValues {
            var list = c.nestedUnkeyedContainer(forKey: Key("enum"))
            for v in enumValues {
                if let v { try list.encode(v) } else { try list.encodeNil() }
            }
        }
        try c.encodeIfPresent(integerValues, forKey: Key("enum"))
        try encodeNumber(minimum, "minimum", &c)
        try encodeNumber(maximum, "maximum", &c)
        try c.encodeIfPresent(minLength, forKey: Key("minLength"))
        try c.encodeIfPresent(maxLength, forKey: Key("maxLength"))
        try c.encodeIfPresent(minItems, forKey: Key("minItems"))
        try c.encodeIfPresent(maxItems, forKey: Key("maxItems"))
        try c.encodeIfPresent(properties, forKey: Key("properties"))
        try c.encodeIfPresent(required, forKey: Key("required"))
        try c.encodeIfPresent(items, forKey: Key("items"))
        try c.encodeIfPresent(oneOf, forKey: Key("oneOf"))
        try c.encodeIfPresent(anyOf, forKey: Key("anyOf"))
        if readOnly { try c.encode(true, forKey: Key("readOnly")) }
        try c.encodeIfPresent(additionalProperties, forKey: Key("additionalProperties"))
    }

    /// Whole limits are written as integers (`200`, not `200.0`), as a reader of the document expects.
    private func encodeNumber(_ n: Double?, _ key: String, _ c: inout KeyedEncodingContainer<Key>) throws {
        guard let n else { return }
        if n.rounded() == n, n.magnitude < 1e15 { try c.encode(Int(n), forKey: Key(key)) } else { try c.encode(n, forKey: Key(key)) }
    }
}
