import Foundation

/// Writes JSON straight into bytes with typed calls, for large answers (a plan's schedule is megabytes): no
/// `[String: Any]` tree, no dynamic casts, no key sorting. Keys come out in the order they are written. Strings and
/// numbers are written as `JSONText` writes them.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// For each open object or array: whether a member was written (the next one needs a comma).
    private var written: [Bool] = []
    /// A key was written and its value has not been.
    private var afterKey = false

    public init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    /// Before a value: after a key nothing; as an array element, a comma unless it is the first.
    private mutating func beforeValue() {
        if afterKey { afterKey = false; return }
        guard let last = written.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) } else { written[written.count - 1] = true }
    }

    public mutating func beginObject() { beforeValue(); bytes.append(UInt8(ascii: "{")); written.append(false) }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); written.removeLast() }
    public mutating func beginArray() { beforeValue(); bytes.append(UInt8(ascii: "[")); written.append(false) }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); written.removeLast() }

    /// The next member's key; its value follows (a value call, or an object or array begun).
    public mutating func key(_ k: String) {
        if let last = written.last {
            if last { bytes.append(UInt8(ascii: ",")) } else { written[written.count - 1] = true }
        }
        JSONText.string(k, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ s: String) { beforeValue(); JSONText.string(s, into: &bytes) }
    public mutating func int(_ n: Int) { beforeValue(); bytes.append(contentsOf: String(n).utf8) }
    public mutating func number(_ d: Double) { beforeValue(); JSONText.number(d, into: &bytes) }
    public mutating func bool(_ b: Bool) { beforeValue(); bytes.append(contentsOf: (b ? "true" : "false").utf8) }
    public mutating func null() { beforeValue(); bytes.append(contentsOf: "null".utf8) }

    // Members: key and value in one call; nil writes null.
    public mutating func string(_ k: String, _ v: String?) { key(k); if let v { string(v) } else { null() } }
    public mutating func int(_ k: String, _ v: Int?) { key(k); if let v { int(v) } else { null() } }
    public mutating func number(_ k: String, _ v: Double?) { key(k); if let v { number(v) } else { null() } }
    /// An amount as its whole count of yen (an integer in JSON).
    public mutating func money(_ k: String, _ v: Money?) { key(k); if let v { int(Int(v.amount)) } else { null() } }
    public mutating func bool(_ k: String, _ v: Bool) { key(k); bool(v) }
    public mutating func null(_ k: String) { key(k); null() }
}
