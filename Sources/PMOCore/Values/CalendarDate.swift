import Foundation

/// A calendar date without time or zone (`YYYY-MM-DD`), as due dates and plans use: the same type as the
/// schedule engine's `CivilDate`, named for what the registers mean by it.
public typealias CalendarDate = CivilDate

extension CivilDate: Codable {
    /// The date of an instant as seen in a time zone.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let seconds = Int(floor(instant.timeIntervalSince1970)) + timeZone.secondsFromGMT(for: instant)
        self.init(dayNumber: Int(floor(Double(seconds) / 86_400)))
    }

    /// Decodes `YYYY-MM-DD`; anything else is a decoding error naming the text.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
