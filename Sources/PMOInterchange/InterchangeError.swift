import Foundation

/// A file that cannot be read: a stable code, a message, and where (line and/or element) the fault is.
public struct InterchangeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable code, e.g. `import.psplib.syntax`, `import.mspdi.xml`, `import.unknown_format`.
    public var code: String
    /// A readable sentence in English.
    public var message: String
    /// 1-based line of the fault, when known.
    public var line: Int?
    /// XML element (or file section) at fault, when known.
    public var element: String?

    /// An error.
    public init(code: String, message: String, line: Int? = nil, element: String? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.element = element
    }

    public var description: String {
        var location: [String] = []
        if let line { location.append("line \(line)") }
        if let element { location.append("element <\(element)>") }
        return "\(code): \(message)" + (location.isEmpty ? "" : " (" + location.joined(separator: ", ") + ")")
    }
}
