/// Escapes text for XML and SVG content and attribute values. Characters stored text may not hold (and XML 1.0
/// cannot: NUL and most other C0 controls, U+FFFE, U+FFFF) are dropped, so text stored before that rule existed
/// still gives a well-formed document; CR is written as LF, which is what an XML parser reads it as anyway.
public enum XMLEscape {
    public static func text(_ raw: String) -> String {
        let s = TextHygiene.strippingForbidden(raw)
        guard s.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "'" }) else { return s }
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
