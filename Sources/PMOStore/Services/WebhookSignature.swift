import Crypto
import Foundation

/// How a delivery is signed, so the receiver can tell it came from this server and is not an old one sent again:
/// `X-PMO-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's secret>`. A receiver
/// recomputes the HMAC and refuses a timestamp more than five minutes from its own clock.
public enum WebhookSignature {
    public static let header = "X-PMO-Signature"
    public static let tolerance: TimeInterval = 300

    public static func value(secret: String, timestamp: Int, body: String) -> String {
        "t=\(timestamp),v1=\(hmac(secret: secret, timestamp: timestamp, body: body))"
    }

    static func hmac(secret: String, timestamp: Int, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// What a receiver does: true when `header` signs `body` with `secret` and its time is within the tolerance of `now`.
    public static func verify(_ header: String, secret: String, body: String, now: Date) -> Bool {
        var parts: [String: String] = [:]
        for part in header.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { parts[kv[0].trimmingCharacters(in: .whitespaces)] = kv[1] }
        }
        guard let t = parts["t"].flatMap(Int.init), let v1 = parts["v1"],
              abs(now.timeIntervalSince1970 - TimeInterval(t)) <= tolerance else { return false }
        let expected = hmac(secret: secret, timestamp: t, body: body)
        // Compared in constant time.
        return expected.utf8.count == v1.utf8.count && zip(expected.utf8, v1.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
