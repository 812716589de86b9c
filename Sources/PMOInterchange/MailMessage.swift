import Foundation

/// An e-mail as RFC 5322 / MIME bytes: plain text and HTML as `multipart/alternative`, both UTF-8 in base64, the
/// subject and names as RFC 2047 encoded words when they are not plain ASCII. Header values lose line breaks and
/// control characters, so nothing stored (an item's title in a subject) can add a header.
public struct MailMessage: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        public var email: String
        public var name: String?
        public init(_ email: String, name: String? = nil) {
            self.email = email
            self.name = name
        }
    }

    public var from: Address
    public var to: Address
    public var subject: String
    public var text: String
    public var html: String
    public var date: Date
    /// Without the angle brackets: "<uuid>@<domain of the sender>".
    public var messageID: String
    /// Extra headers (name → value), e.g. List-Unsubscribe; written after the standard ones, in name order.
    public var headers: [String: String]

    public init(from: Address, to: Address, subject: String, text: String, html: String, date: Date, messageID: String,
                headers: [String: String] = [:]) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID
        self.headers = headers
    }

    /// The message, lines ended with CRLF.
    public func rendered(boundary: String = "=_pmo_" + UUID().uuidString.lowercased()) -> String {
        var lines = [
            "From: " + Self.address(from),
            "To: " + Self.address(to),
            "Subject: " + Self.encodedWords(Self.clean(subject)),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <\(Self.clean(messageID))>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) where Self.isHeaderName(name) {
            lines.append("\(name): \(Self.clean(value))")
        }
        lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        lines.append("")
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines.append("--\(boundary)")
            lines.append("Content-Type: \(type); charset=utf-8")
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            lines += Self.base64Lines(body)
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// "名前 <a@b>" with the name encoded when needed; the bare address when there is no name.
    static func address(_ a: Address) -> String {
        let email = clean(a.email)
        guard let name = a.name.map(clean), !name.isEmpty else { return email }
        let plain = name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == " " || $0 == "." || $0 == "-") }
        return (plain ? "\"\(name)\"" : encodedWords(name)) + " <\(email)>"
    }

    /// One line: line breaks and other control characters become spaces.
    static func clean(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
            .trimmingCharacters(in: .whitespaces)
    }

    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
    }

    /// The text as is when it is printable ASCII and short; otherwise "=?UTF-8?B?…?=" words of at most 45 bytes each
    /// (never splitting a character), folded onto continuation lines.
    static func encodedWords(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII }) && text.utf8.count <= 70 && !text.contains("=?") { return text }
        var words: [String] = []
        var chunk = ""
        for ch in text {
            if chunk.utf8.count + String(ch).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(ch)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    static func base64Lines(_ body: String) -> [String] {
        let encoded = Data(body.utf8).base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// "Sat, 05 Dec 2026 17:00:00 +0000" (always UTC, English names, as RFC 5322 asks).
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[(c.weekday ?? 1) - 1]), \(two(c.day)) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
