import Foundation
import PMOCore

/// Encodes `Encodable` values straight into JSON bytes through `JSONWriter`, without building Foundation's
/// intermediate tree: the API's answers are Codable types, and `JSONEncoder` was the largest single cost of a list of
/// issues. Nil optionals are left out (as `JSONEncoder` does), or written as `null` with `nullsWritten` (the plan's
/// and meetings' answers always carry every field); dates are ISO 8601 in UTC without fractions (as Vapor's
/// `JSONEncoder.custom(dates: .iso8601)` wrote them); keys come out in the order the type encodes them.
struct JSONBytesEncoder {
    var nullsWritten = false

    func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let state = EncodingState()
        state.nullsWritten = nullsWritten
        try state.encodeValue(value)
        state.closeAll()
        return state.writer.bytes
    }

    /// The same, for a value whose type the optimiser must not specialise the encoder for. The plan's and meetings'
    /// answers are some seventy nested types: specialised per type and per nesting level, they took PMOServer's
    /// release build from 137 s to 468 s. They are small and read rarely; issue lists keep the specialised path above.
    @_semantics("optimize.sil.specialize.generic.never")
    @inline(never)
    func encodeUnspecialized(_ value: any Encodable) throws -> [UInt8] {
        let state = EncodingState()
        state.nullsWritten = nullsWritten
        try state.encodeValue(value)
        state.closeAll()
        return state.writer.bytes
    }
}

/// The writer and its open containers, shared by the encoders and containers of one encoding.
private final class EncodingState {
    var writer = JSONWriter(capacity: 16_384)
    var nullsWritten = false
    /// Ids of the open objects and arrays, innermost last. A container writing closes everything opened after it.
    private var open: [Int] = []
    private var nextID = 0

    func begin(object: Bool) -> Int {
        nextID += 1
        open.append(nextID)
        if object { writer.beginObject() } else { writer.beginArray() }
        return nextID
    }

    private var kinds: [Int: Bool] = [:]

    func beginContainer(object: Bool) -> Int {
        let id = begin(object: object)
        kinds[id] = object
        return id
    }

    /// Closes every container opened after `id` (a nested container the type has finished with).
    func closeAbove(_ id: Int) {
        while let last = open.last, last != id { close(last) }
    }

    func close(_ id: Int) {
        guard let index = open.lastIndex(of: id) else { return }
        while open.count > index {
            let last = open.removeLast()
            if kinds.removeValue(forKey: last) ?? true { writer.endObject() } else { writer.endArray() }
        }
    }

    func closeAll() { if let first = open.first { close(first) } }

    /// Encodes any value in place: a fast path for the common leaves, a child encoder for the rest.
    func encodeValue<T: Encodable>(_ value: T) throws {
        switch value {
        case let s as String: writer.string(s)
        case let n as Int: writer.int(n)
        // Money is Int64 yen: without its own case it would reach the child encoder, whose single value hands it back
        // here, forever. Other fixed-width integers likewise.
        case let n as Int64: writer.int(Int(n))
        case let n as Int32: writer.int(Int(n))
        case let n as UInt32: writer.int(Int(n))
        case let d as Double: writer.number(d)
        case let b as Bool: writer.bool(b)
        case let date as Date: writer.string(ISO8601Seconds.string(date))
        default:
            let encoder = StreamEncoder(state: self)
            try value.encode(to: encoder)
            encoder.finish()
        }
    }
}

/// ISO 8601 in UTC to the second: `2026-12-02T09:30:00Z`.
enum ISO8601Seconds {
    static func string(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let inDay = total - days * 86_400
        let d = CalendarDate(dayNumber: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        let year = String(d.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + two(d.month) + "-" + two(d.day) + "T"
            + two(inDay / 3_600) + ":" + two(inDay / 60 % 60) + ":" + two(inDay % 60) + "Z"
    }
}

private final class StreamEncoder: Encoder {
    let state: EncodingState
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    /// The container this encoder opened, if any (asking again returns the same one).
    private var container: Int?
    private var wroteSingleValue = false

    init(state: EncodingState) { self.state = state }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let id = container ?? state.beginContainer(object: true)
        container = id
        return KeyedEncodingContainer(KeyedContainer<Key>(state: state, id: id))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let id = container ?? state.beginContainer(object: false)
        container = id
        return UnkeyedContainer(state: state, id: id)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValue(encoder: self)
    }

    func markSingleValue() { wroteSingleValue = true }

    /// After the value's `encode(to:)`: close what it opened; a value that wrote nothing is an empty object.
    func finish() {
        if let container { state.close(container) } else if !wroteSingleValue { state.writer.beginObject(); state.writer.endObject() }
    }

    private struct SingleValue: SingleValueEncodingContainer {
        let encoder: StreamEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        func encodeNil() throws { encoder.markSingleValue(); encoder.state.writer.null() }
        func encode(_ value: Bool) throws { encoder.markSingleValue(); encoder.state.writer.bool(value) }
        func encode(_ value: String) throws { encoder.markSingleValue(); encoder.state.writer.string(value) }
        func encode(_ value: Double) throws { encoder.markSingleValue(); encoder.state.writer.number(value) }
        func encode(_ value: Float) throws { encoder.markSingleValue(); encoder.state.writer.number(Double(value)) }
        func encode(_ value: Int) throws { encoder.markSingleValue(); encoder.state.writer.int(value) }
        func encode<T: Encodable>(_ value: T) throws { encoder.markSingleValue(); try encoder.state.encodeValue(value) }
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: EncodingState
    let id: Int
    var codingPath: [any CodingKey] = []

    private func key(_ key: Key) {
        state.closeAbove(id)
        state.writer.key(key.stringValue)
    }

    mutating func encodeNil(forKey k: Key) throws { key(k); state.writer.null() }
    mutating func encode(_ value: Bool, forKey k: Key) throws { key(k); state.writer.bool(value) }
    mutating func encode(_ value: String, forKey k: Key) throws { key(k); state.writer.string(value) }
    mutating func encode(_ value: Double, forKey k: Key) throws { key(k); state.writer.number(value) }
    mutating func encode(_ value: Float, forKey k: Key) throws { key(k); state.writer.number(Double(value)) }
    mutating func encode(_ value: Int, forKey k: Key) throws { key(k); state.writer.int(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey k: Key) throws { key(k); try state.encodeValue(value) }

    /// A nil optional: left out, or `null` when the encoding writes nulls.
    private mutating func present<T: Encodable>(_ value: T?, _ k: Key) throws {
        if let value { try encode(value, forKey: k) } else if state.nullsWritten { try encodeNil(forKey: k) }
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: Bool?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: String?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: Double?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: Float?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: Int?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: Int8?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: Int16?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: Int32?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: Int64?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: UInt?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey k: Key) throws { try present(value, k) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey k: Key) throws { try present(value, k) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey k: Key) -> KeyedEncodingContainer<NestedKey> {
        key(k)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(state: state, id: state.beginContainer(object: true)))
    }

    mutating func nestedUnkeyedContainer(forKey k: Key) -> any UnkeyedEncodingContainer {
        key(k)
        return UnkeyedContainer(state: state, id: state.beginContainer(object: false))
    }

    mutating func superEncoder() -> any Encoder {
        state.closeAbove(id)
        state.writer.key("super")
        return SuperEncoder(state: state)
    }

    mutating func superEncoder(forKey k: Key) -> any Encoder {
        key(k)
        return SuperEncoder(state: state)
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let state: EncodingState
    let id: Int
    var codingPath: [any CodingKey] = []
    var count = 0

    private mutating func next() {
        state.closeAbove(id)
        count += 1
    }

    mutating func encodeNil() throws { next(); state.writer.null() }
    mutating func encode(_ value: Bool) throws { next(); state.writer.bool(value) }
    mutating func encode(_ value: String) throws { next(); state.writer.string(value) }
    mutating func encode(_ value: Double) throws { next(); state.writer.number(value) }
    mutating func encode(_ value: Float) throws { next(); state.writer.number(Double(value)) }
    mutating func encode(_ value: Int) throws { next(); state.writer.int(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { next(); try state.encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(state: state, id: state.beginContainer(object: true)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        next()
        return UnkeyedContainer(state: state, id: state.beginContainer(object: false))
    }

    mutating func superEncoder() -> any Encoder {
        next()
        return SuperEncoder(state: state)
    }
}

/// The encoder of a value written in place (a super encoder): what it opens is closed by its parent's next write.
private final class SuperEncoder: Encoder {
    let state: EncodingState
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    private let inner: StreamEncoder

    init(state: EncodingState) {
        self.state = state
        inner = StreamEncoder(state: state)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { inner.container(keyedBy: type) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
}
