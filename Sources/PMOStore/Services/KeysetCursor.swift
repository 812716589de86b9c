import Foundation

/// The position after the last row of a page: the sort's name, that row's sort value and its number, as opaque
/// base64url JSON. The sort is inside, so a cursor cannot be replayed against another ordering.
struct KeysetCursor: Equatable {
    enum Value: Codable, Sendable, Equatable {
        case int(Int), text(String), time(Double)

        /// The value to bind in the keyset condition.
        var bindable: any Encodable & Sendable {
            switch self {
            case .int(let v): v
            case .text(let v): v
            case .time(let v): Date(timeIntervalSinceReferenceDate: v)
            }
        }
    }
    private struct Body: Codable { var s: String; var v: Value; var n: Int }

    let sort: String
    let value: Value
    let number: Int

    init(sort: String, value: Value, number: Int) {
        self.sort = sort
        self.value = value
        self.number = number
    }

    /// Decodes a cursor given out for `sort`; nil when it is not one (or was made for another sort).
    init?(_ text: String, sort: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count < 512, let data = Data(base64Encoded: base64),
              let body = try? JSONDecoder().decode(Body.self, from: data), body.s == sort else { return nil }
        self.init(sort: sort, value: body.v, number: body.n)
    }

    var encoded: String {
        let data = (try? JSONEncoder().encode(Body(s: sort, v: value, n: number))) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
