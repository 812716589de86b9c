import Foundation
import PMOCore
import Vapor

/// The proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` the server believes: addresses or CIDR ranges
/// (`127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`), from `PMO_TRUSTED_PROXIES`. Any other peer could write those
/// headers itself, so without this list they are ignored.
public struct TrustedProxies: Sendable, Equatable {
    /// The addresses and ranges (never host names: a peer is an address).
    let list: NetworkAllowList

    public static let none = TrustedProxies(list: .none)

    init(list: NetworkAllowList) { self.list = list }

    /// Parses a comma-separated list; throws naming the first entry that is not an address or a range.
    public init(parsing list: String) throws {
        for raw in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !raw.isEmpty {
            guard let address = raw.split(separator: "/", maxSplits: 1).first, TrustedProxies.bytes(of: String(address)) != nil else {
                throw TrustedProxiesError(entry: raw)
            }
        }
        do { self.list = try NetworkAllowList(parsing: list) } catch let error as NetworkAllowListError {
            throw TrustedProxiesError(entry: error.entry)
        }
    }

    public var isEmpty: Bool { list.ranges.isEmpty }

    /// Whether `address` (as text) is one of the trusted proxies.
    public func contains(_ address: String) -> Bool {
        guard !isEmpty, let bytes = TrustedProxies.bytes(of: address) else { return false }
        return list.contains(bytes)
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address; nil when `text` is neither. An IPv4-mapped IPv6 address
    /// (`::ffff:10.0.0.1`, how a dual-stack socket reports an IPv4 peer) reads as the IPv4 address, so that it matches
    /// an IPv4 entry of the list.
    static func bytes(of text: String) -> [UInt8]? { NetworkAllowList.bytes(of: text) }

    /// The canonical text of an address (IPv4-mapped IPv6 as IPv4), so one client is one throttle key.
    static func canonical(_ text: String) -> String {
        guard let bytes = bytes(of: text), bytes.count == 4 else { return text }
        return bytes.map(String.init).joined(separator: ".")
    }
}

public struct TrustedProxiesError: Error, CustomStringConvertible {
    public var entry: String
    public var description: String {
        "PMO_TRUSTED_PROXIES: '\(entry)' is not an IP address or a CIDR range such as 10.0.0.0/8."
    }
}

extension Request {
    /// The peer's address, or, when the peer is a trusted proxy, the address it forwarded for: the right-most entry
    /// of `X-Forwarded-For` that is not itself a trusted proxy (entries to its left were written by the client).
    var clientAddress: String {
        let peer = TrustedProxies.canonical(remoteAddress?.ipAddress ?? "unknown")
        let proxies = config.trustedProxies
        guard proxies.contains(peer) else {
            if headers.contains(name: .xForwardedFor) { UntrustedProxyWarning.once(logger, peer: peer) }
            return peer
        }
        let forwarded = headers[.xForwardedFor].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for address in forwarded.reversed() where !proxies.contains(address) {
            return TrustedProxies.bytes(of: address) == nil ? peer : TrustedProxies.canonical(address)
        }
        return forwarded.first ?? peer
    }

    /// Whether the browser reached the server over HTTPS: the server itself speaks plain HTTP behind a
    /// TLS-terminating proxy, which says so with `X-Forwarded-Proto: https` (believed from trusted proxies only).
    var arrivedOverHTTPS: Bool {
        if config.secureCookies { return true }
        guard config.trustedProxies.contains(remoteAddress?.ipAddress ?? "") else { return false }
        return headers.first(name: "X-Forwarded-Proto")?.lowercased().split(separator: ",").first?
            .trimmingCharacters(in: .whitespaces) == "https"
    }
}

/// Says once per process that `X-Forwarded-For` arrived from a peer not listed as a proxy: behind an unlisted reverse
/// proxy every client looks like the proxy, so five wrong passwords from anyone would lock everyone out.
enum UntrustedProxyWarning {
    private static let said = NSLock()
    nonisolated(unsafe) private static var done = false

    static func once(_ logger: Logger, peer: String) {
        let first = said.withLock { () -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        logger.warning("X-Forwarded-For came from \(peer), which is not in PMO_TRUSTED_PROXIES: the header is ignored and every client behind that proxy counts as one address for the sign-in throttle. List the proxy in PMO_TRUSTED_PROXIES.")
    }
}
