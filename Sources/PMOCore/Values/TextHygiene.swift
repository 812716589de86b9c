/// What stored text may hold, in one place for every way text comes in (API, forms, spreadsheets, MS Project files,
/// the command line) and every way it goes out (XML, xlsx, CSV, iCalendar, Markdown).
///
/// Stored text keeps tab and line feed, and refuses every other control character (C0, DEL, C1) and the
/// non-characters U+FFFE and U+FFFF: none of them can be typed, XML 1.0 cannot hold most of them, and a NUL in a
/// title made the plan's own export unreadable. Line ends are normalised first: CRLF (Excel, Windows) and a lone
/// CR become LF, so they are never refused.
public enum TextHygiene {
    /// A character stored text may not hold, and where it was.
    public struct Forbidden: Error, Equatable, Sendable {
        public var scalar: Unicode.Scalar
        /// 1-based position among the text's characters (after line ends are normalised).
        public var position: Int

        /// The character as `U+0001`.
        public var code: String { TextHygiene.describe(scalar) }

        /// The field error for a field holding this character.
        public func fieldError(_ field: String) -> FieldError {
            FieldError(field: field, code: "control_character",
                       message: "\(field) contains the control character \(code) at position \(position). Remove it: text may hold tab and line breaks, no other control characters.")
        }
    }

    /// Whether stored text may hold this scalar.
    @inline(__always)
    public static func isAllowed(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 { return v == 0x09 || v == 0x0A }
        if v < 0x7F { return true }
        if v <= 0x9F { return false }
        return v != 0xFFFE && v != 0xFFFF
    }

    /// The text with CRLF and lone CR as LF, or the first character it may not hold.
    public static func clean(_ text: String) -> Result<String, Forbidden> {
        // Fast path: almost all text has nothing to change.
        if !needsWork(text) { return .success(text) }
        let normalised = normalisedLineEnds(text)
        var position = 0
        for character in normalised {
            position += 1
            if let bad = character.unicodeScalars.first(where: { !isAllowed($0) }) {
                return .failure(Forbidden(scalar: bad, position: position))
            }
        }
        return .success(normalised)
    }

    /// Whether the UTF-8 of `text` has a CR, a control character or a non-character (a byte scan, no decoding).
    static func needsWork(_ text: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for b in text.utf8 {
            if b < 0x20 && b != 0x09 && b != 0x0A { return true }
            if b == 0x7F { return true }
            // C1 controls are C2 80…C2 9F; U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            if previous.1 == 0xC2 && b >= 0x80 && b <= 0x9F { return true }
            if previous == (0xEF, 0xBF) && (b == 0xBE || b == 0xBF) { return true }
            previous = (previous.1, b)
        }
        return false
    }

    /// CRLF and lone CR as LF.
    public static func normalisedLineEnds(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for s in text.unicodeScalars {
            if s == "\r" {
                scalars.append("\n")
                previousCR = true
                continue
            }
            if s == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            scalars.append(s)
        }
        return String(scalars)
    }

    /// For writers: the text without the characters stored text may not hold (text stored before the rule existed
    /// may still have them). Carriage returns are kept: each writer knows how its format carries them.
    public static func strippingForbidden(_ text: String) -> String {
        if !needsWork(text) { return text }
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars where isAllowed(s) || s == "\r" { scalars.append(s) }
        return String(scalars)
    }

    /// `U+0001`.
    public static func describe(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
