import Foundation
import PMOCore

/// A body type that says, by JSON field name, what a Swift type cannot: allowed values, formats, patterns, limits,
/// descriptions. A hint replaces the derived schema of that field; an optional field still gets null added.
protocol HintedBody: Decodable {
    static var schemaHints: [String: JSONSchema] { get }
}

extension HintedBody {
    static var schemaHints: [String: JSONSchema] { [:] }
}

/// An enumeration of strings whose schema is its values (`AgendaRule`, `RAG`): derived schemas list them.
protocol StringChoice: CaseIterable, RawRepresentable, Decodable where RawValue == String {}

extension StringChoice {
    static var choices: [String] { allCases.map(\.rawValue) }
    static var standIn: Any { allCases.first as Any }
}

extension AgendaRule: StringChoice {}
extension StatusArea: StringChoice {}
extension RAG: StringChoice {}
extension ProgressWeighting: StringChoice {}

/// A field type that stands for "may be null" in a request body (`Sent`).
protocol NullableField {}

/// An API body whose OpenAPI schema is derived from the Swift type itself, so that the document lists exactly the
/// fields the type has, with their JSON types, and which of them may be left out (an optional may be absent or null).
protocol DocumentedBody: HintedBody {
    /// Its name under `#/components/schemas`.
    static var schemaName: String { get }
}

/// Derives schemas by decoding a type from nothing: a recording decoder answers every field the type's
/// `init(from:)` asks for with a stand-in value and notes its name, its type and whether it was optional.
/// A nested `DocumentedBody` becomes a `$ref` to its own schema; other nested types are written inline.
enum DerivedSchema {
    /// The object schema of `type` (not a `$ref` to it).
    static func of<T: DocumentedBody>(_ type: T.Type) -> JSONSchema {
        of(type, request: false)
    }

    /// The object schema of a request body: a field that is not optional is required; a field may be null only
    /// when it is a `Sent` (left out, null, or a value), never because it is optional.
    static func ofRequest<T: DocumentedBody>(_ type: T.Type) -> JSONSchema {
        of(type, request: true)
    }

    private static func of<T: DocumentedBody>(_ type: T.Type, request: Bool) -> JSONSchema {
        let shape = Shape()
        do {
            _ = try T(from: RecordingDecoder(shape: shape))
        } catch {
            // Only a type decoded through nested containers, or one that refuses every stand-in, lands here: fail at
            // start-up (every API test) rather than serve a schema that misses fields.
            preconditionFailure("The schema of \(T.self) cannot be derived (\(error)); write it by hand in OpenAPIDocument.")
        }
        return shape.schema(hints: T.schemaHints, request: request)
    }

    /// The schema of `type` as a field of another, and a stand-in value to hand back to the decoding type.
    static func probe<T: Decodable>(_ type: T.Type) throws -> (JSONSchema, T) {
        // Compared by type, never cast: a cast may bridge a number to a Bool through NSNumber.
        if T.self == String.self { return (.string, "" as! T) }
        if T.self == Bool.self { return (.boolean, false as! T) }
        if T.self == Int.self { return (.integer, 0 as! T) }
        if T.self == Int64.self { return (.integer, Int64(0) as! T) }
        if T.self == Double.self { return (.number, 0.0 as! T) }
        if T.self == Date.self { return (.instant, Date(timeIntervalSince1970: 0) as! T) }
        if T.self == UUID.self { return (.uuid, UUID() as! T) }
        if let choice = T.self as? any StringChoice.Type { return (.enumeration(choice.choices), choice.standIn as! T) }
        if T.self == CalendarDate.self { return (JSONSchema.string.format("date"), CalendarDate(dayNumber: 0) as! T) }
        let shape = Shape()
        let value = try T(from: RecordingDecoder(shape: shape))
        if let named = T.self as? any DocumentedBody.Type { return (.ref(named.schemaName), value) }
        return (shape.schema(hints: (T.self as? any HintedBody.Type)?.schemaHints ?? [:]), value)
    }

    /// What one decoder was asked for: named fields (an object), items (an array), or a single value.
    final class Shape {
        /// `nullable`: a `Sent` field, which a request may set to null (an optional answer field is nullable anyway).
        var fields: [(name: String, schema: JSONSchema, optional: Bool, nullable: Bool)] = []
        var items: JSONSchema?
        var single: JSONSchema?

        func schema(hints: [String: JSONSchema], request: Bool = false) -> JSONSchema {
            if let single { return single }
            if let items { return .array(items) }
            var properties: [String: JSONSchema] = [:]
            var required: [String] = []
            for field in fields {
                let schema = hints[field.name] ?? field.schema
                let nullable = request ? field.nullable : field.optional || field.nullable
                properties[field.name] = nullable ? DerivedSchema.orNull(schema) : schema
                if !field.optional { required.append(field.name) }
            }
            return .object(properties, required: required)
        }
    }

    /// The schema, also allowing null: a `$ref` becomes `oneOf [ref, null]`.
    static func orNull(_ schema: JSONSchema) -> JSONSchema {
        if let ref = schema.ref, schema.types.isEmpty {
            var plain = JSONSchema([])
            plain.ref = ref
            return .oneOf([plain, .null])
        }
        return schema.oneOf == nil ? schema.orNull : schema
    }
}

private struct RecordingDecoder: Decoder {
    let shape: DerivedSchema.Shape
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedRecorder<Key>(shape: shape))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { UnkeyedRecorder(shape: shape) }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleRecorder(shape: shape) }
}

private struct KeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let shape: DerivedSchema.Shape
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    private func field<T: Decodable>(_ type: T.Type, _ key: Key, optional: Bool) throws -> T {
        let (schema, value) = try DerivedSchema.probe(type)
        shape.fields.append((key.stringValue, schema, optional, T.self is any NullableField.Type))
        return value
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try field(type, key, optional: false) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try field(type, key, optional: false) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try field(type, key, optional: false) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try field(type, key, optional: false) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try field(type, key, optional: false) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try field(type, key, optional: false) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try field(type, key, optional: false) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try field(type, key, optional: false) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try field(type, key, optional: false) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try field(type, key, optional: false) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try field(type, key, optional: false) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try field(type, key, optional: false) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try field(type, key, optional: false) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try field(type, key, optional: false) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try field(type, key, optional: false) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try field(type, key, optional: true) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try field(type, key, optional: true) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DerivedSchema.Unsupported.nestedContainer
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw DerivedSchema.Unsupported.nestedContainer }
    func superDecoder() throws -> any Decoder { throw DerivedSchema.Unsupported.nestedContainer }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw DerivedSchema.Unsupported.nestedContainer }
}

/// An array: one element is decoded (to learn the items' schema), then the array ends.
private struct UnkeyedRecorder: UnkeyedDecodingContainer {
    let shape: DerivedSchema.Shape
    var codingPath: [any CodingKey] { [] }
    var count: Int? { nil }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    init(shape: DerivedSchema.Shape) { self.shape = shape }

    mutating func decodeNil() throws -> Bool { false }
    private mutating func element<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try DerivedSchema.probe(type)
        shape.items = schema
        currentIndex += 1
        return value
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try element(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try element(type) }
    mutating func decode(_ type: String.Type) throws -> String { try element(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try element(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try element(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try element(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try element(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try element(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try element(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try element(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try element(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try element(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try element(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try element(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try element(type) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw DerivedSchema.Unsupported.nestedContainer
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw DerivedSchema.Unsupported.nestedContainer }
    mutating func superDecoder() throws -> any Decoder { throw DerivedSchema.Unsupported.nestedContainer }
}

/// A single value (an enumeration's raw value, a wrapper around one field).
private struct SingleRecorder: SingleValueDecodingContainer {
    let shape: DerivedSchema.Shape
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }
    private func value<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try DerivedSchema.probe(type)
        shape.single = schema
        return value
    }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    func decode(_ type: String.Type) throws -> String { try value(type) }
    func decode(_ type: Double.Type) throws -> Double { try value(type) }
    func decode(_ type: Float.Type) throws -> Float { try value(type) }
    func decode(_ type: Int.Type) throws -> Int { try value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }
}

extension DerivedSchema {
    /// A type decoded through nested containers must be documented by hand: say so at start-up, not with a wrong schema.
    enum Unsupported: Error { case nestedContainer }
}
