import Foundation

/// UUIDs as the product writes them (lower-case, 36 characters) and reads them, without Foundation's formatter and
/// parser (which go through printf and scanf: a measurable part of every list the API serves).
public enum UUIDText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `3f1c0f5e-7d7a-4d8e-9a55-0c6a1b2f8e21`.
    public static func lowercase(_ id: UUID) -> String {
        let u = id.uuid
        let bytes = [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15]
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var i = 0
            for (n, b) in bytes.enumerated() {
                if n == 4 || n == 6 || n == 8 || n == 10 { buffer[i] = UInt8(ascii: "-"); i += 1 }
                buffer[i] = hex[Int(b >> 4)]
                buffer[i + 1] = hex[Int(b & 0x0F)]
                i += 2
            }
            return 36
        }
    }

    /// A UUID from its 36-character text (either case); nil for anything else.
    public static func parse(_ text: String) -> UUID? {
        var utf8 = text.utf8
        guard utf8.count == 36 else { return nil }
        return utf8.withContiguousStorageIfAvailable(parse) ?? {
            var copy = Array(utf8)
            return copy.withUnsafeBufferPointer(parse)
        }()
    }

    private static func parse(_ s: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard s.count == 36, s[8] == 0x2D, s[13] == 0x2D, s[18] == 0x2D, s[23] == 0x2D else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        var i = 0
        for n in 0..<16 {
            if i == 8 || i == 13 || i == 18 || i == 23 { i += 1 }
            guard let high = nibble(s[i]), let low = nibble(s[i + 1]) else { return nil }
            bytes[n] = high << 4 | low
            i += 2
        }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

extension UUID {
    /// The id as the API writes it: lower-case, 36 characters.
    public var lowercasedID: String { UUIDText.lowercase(self) }
}
