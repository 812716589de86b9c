import Foundation

/// Where a webhook may send: the rules against server-side request forgery. A URL must be http(s) with a host, and
/// every address its host resolves to must be a public one, unless the host or the address is in the administrator's
/// allow-list (`PMO_WEBHOOK_ALLOW`). Pure: resolving the host is the caller's job, at saving and again at delivery.
public enum WebhookAddress {
    /// What is wrong with a URL or an address; `code` names it in errors and the delivery log.
    public enum Problem: Error, Equatable, Sendable {
        case notHTTP(scheme: String)
        case noHost
        case credentialsInURL
        case blockedHost(String)
        case blockedAddress(host: String, address: String, kind: Kind)
        case unresolvable(host: String)

        public var code: String {
            switch self {
            case .notHTTP: "not_http"
            case .noHost: "no_host"
            case .credentialsInURL: "credentials"
            case .blockedHost: "blocked_host"
            case .blockedAddress: "blocked_address"
            case .unresolvable: "unresolvable"
            }
        }

        /// The English sentence, for logs and the API's detail (pages word the code).
        public var message: String {
            switch self {
            case .notHTTP(let scheme): "A webhook URL must start with http:// or https:// (this one is \(scheme.isEmpty ? "without a scheme" : scheme + ":"))."
            case .noHost: "A webhook URL needs a host name, as in https://chat.example.com/hooks/…"
            case .credentialsInURL: "Put no user name or password in a webhook URL; the delivery is signed with the webhook's secret instead."
            case .blockedHost(let host): "\(host) is a cloud metadata or local name; webhooks may not call it unless an administrator allows it in PMO_WEBHOOK_ALLOW."
            case .blockedAddress(let host, let address, let kind):
                "\(host) resolves to \(address), a \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) address; webhooks may call only public addresses unless an administrator allows the host or range in PMO_WEBHOOK_ALLOW."
            case .unresolvable(let host): "\(host) could not be resolved to an address; check the host name."
            }
        }
    }

    /// The kind of an address; every kind but `public` is refused unless allowed.
    public enum Kind: String, Sendable, Equatable {
        case `public`, loopback, private_network, link_local, shared, unspecified, multicast, reserved, documentation
    }

    /// A URL taken apart as far as the rules need it.
    public struct Target: Sendable, Equatable {
        public var scheme: String
        /// Lower-cased, without the brackets of an IPv6 literal.
        public var host: String
        public var port: Int
    }

    /// Names that reach a cloud's metadata service or the machine itself whatever they resolve to.
    static let blockedNames: Set<String> = ["localhost", "metadata", "metadata.google.internal", "metadata.goog", "instance-data",
                                            "instance-data.ec2.internal"]

    /// Checks the URL's shape and its host name (not yet its addresses).
    public static func target(of text: String, allow: NetworkAllowList) -> Result<Target, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed) else { return .failure(.noHost) }
        let scheme = components.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else { return .failure(.notHTTP(scheme: scheme)) }
        guard var host = components.host?.lowercased(), !host.isEmpty else { return .failure(.noHost) }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if components.user != nil || components.password != nil { return .failure(.credentialsInURL) }
        let target = Target(scheme: scheme, host: host, port: components.port ?? (scheme == "https" ? 443 : 80))
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        if !allow.containsHost(name) && (blockedNames.contains(name) || name.hasSuffix(".localhost") || name.hasSuffix(".internal")) {
            return .failure(.blockedHost(host))
        }
        return .success(target)
    }

    /// Checks the addresses `target`'s host resolved to: all must be public or allowed.
    public static func check(_ target: Target, addresses: [String], allow: NetworkAllowList) -> Problem? {
        if allow.containsHost(target.host) { return nil }
        guard !addresses.isEmpty else { return .unresolvable(host: target.host) }
        for address in addresses {
            guard let bytes = NetworkAllowList.bytes(of: address) else { return .unresolvable(host: target.host) }
            let kind = kind(of: bytes)
            if kind != .public && !allow.contains(bytes) {
                return .blockedAddress(host: target.host, address: address, kind: kind)
            }
        }
        return nil
    }

    /// The kind of an IPv4 (4 bytes) or IPv6 (16 bytes) address.
    public static func kind(of b: [UInt8]) -> Kind {
        if b.count == 4 {
            switch (b[0], b[1]) {
            case (0, _): return .unspecified
            case (127, _): return .loopback
            case (10, _), (172, 16...31), (192, 168): return .private_network
            case (169, 254): return .link_local
            case (100, 64...127): return .shared
            case (192, 0) where b[2] == 0: return .reserved
            case (192, 0) where b[2] == 2, (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return .documentation
            case (198, 18...19): return .reserved
            case (224...239, _): return .multicast
            case (240...255, _): return .reserved
            default: return .public
            }
        }
        guard b.count == 16 else { return .reserved }
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b.prefix(15).allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        // IPv4-mapped and IPv4-compatible addresses are the IPv4 address's kind; NAT64 likewise.
        if b.prefix(10).allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return kind(of: Array(b.suffix(4))) }
        if b.prefix(12) == [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return kind(of: Array(b.suffix(4))) }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return .link_local }
        if (b[0] & 0xFE) == 0xFC { return .private_network }
        if b[0] == 0xFF { return .multicast }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return .documentation }
        // Global unicast is 2000::/3; everything else is not routable on the internet.
        return (b[0] & 0xE0) == 0x20 ? .public : .reserved
    }
}

/// Host names and address ranges an administrator allows (`PMO_WEBHOOK_ALLOW`: "chat.intra.example, 10.20.0.0/16"):
/// how an on-premises chat server, and the tests' local receiver, are reached.
public struct NetworkAllowList: Sendable, Equatable {
    public struct Range: Sendable, Equatable {
        public var bytes: [UInt8]
        public var prefix: Int
    }
    public var hosts: Set<String>
    public var ranges: [Range]

    public static let none = NetworkAllowList(hosts: [], ranges: [])

    public init(hosts: Set<String>, ranges: [Range]) {
        self.hosts = hosts
        self.ranges = ranges
    }

    /// Parses a comma-separated list of host names, addresses and CIDR ranges; throws naming the first bad entry.
    public init(parsing list: String) throws {
        var hosts = Set<String>()
        var ranges: [Range] = []
        for raw in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !raw.isEmpty {
            let parts = raw.split(separator: "/", maxSplits: 1).map(String.init)
            if let bytes = Self.bytes(of: parts[0]) {
                var prefix = bytes.count * 8
                if parts.count == 2 {
                    guard let p = Int(parts[1]), (0...bytes.count * 8).contains(p) else { throw NetworkAllowListError(entry: raw) }
                    prefix = p
                }
                ranges.append(Range(bytes: bytes, prefix: prefix))
            } else {
                let host = raw.lowercased()
                guard parts.count == 1, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
                    throw NetworkAllowListError(entry: raw)
                }
                hosts.insert(host)
            }
        }
        self.init(hosts: hosts, ranges: ranges)
    }

    public func containsHost(_ host: String) -> Bool {
        let h = host.lowercased()
        if hosts.contains(h) { return true }
        if let bytes = Self.bytes(of: h) { return contains(bytes) }
        return false
    }

    public func contains(_ bytes: [UInt8]) -> Bool {
        ranges.contains { range in
            guard range.bytes.count == bytes.count else { return false }
            var bits = range.prefix
            for i in 0..<bytes.count where bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if bytes[i] & mask != range.bytes[i] & mask { return false }
                bits -= 8
            }
            return true
        }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text; nil when it is neither. An IPv4-mapped IPv6 address reads
    /// as the IPv4 address.
    public static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes.suffix(4)) }
            return bytes
        }
        return nil
    }
}

public struct NetworkAllowListError: Error, CustomStringConvertible {
    public var entry: String
    public var description: String {
        "PMO_WEBHOOK_ALLOW: '\(entry)' is not a host name, an IP address or a CIDR range such as 10.0.0.0/8."
    }
}
