import Foundation
import PMOCore

/// What the server may call out to (webhooks now, chat and mail servers later): the administrator's allow-list and
/// how host names are resolved (the system's resolver; tests replace it).
public struct OutboundSettings: Sendable {
    public var allow: NetworkAllowList
    public var resolve: @Sendable (String) async -> [String]

    public init(allow: NetworkAllowList = .none, resolve: @escaping @Sendable (String) async -> [String] = HostResolver.addresses) {
        self.allow = allow
        self.resolve = resolve
    }

    /// What is wrong with sending to `url`, or nil. The host is resolved and every address checked. At saving, a host
    /// that does not resolve is accepted (a name server may be down for a while; the delivery log will say); at
    /// delivery (`requireAddress`) it is a failed attempt.
    public func check(_ url: String, requireAddress: Bool = false) async -> WebhookAddress.Problem? {
        switch WebhookAddress.target(of: url, allow: allow) {
        case .failure(let problem):
            return problem
        case .success(let target):
            if allow.containsHost(target.host) { return nil }
            let addresses = NetworkAllowList.bytes(of: target.host) != nil ? [target.host] : await resolve(target.host)
            if addresses.isEmpty && !requireAddress { return nil }
            return WebhookAddress.check(target, addresses: addresses, allow: allow)
        }
    }
}

/// The system's resolver, off the caller's thread (getaddrinfo blocks).
public enum HostResolver {
    public static func addresses(_ host: String) async -> [String] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: lookup(host)) }
        }
    }

    static func lookup(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(result) }
        var out: [String] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            switch info.pointee.ai_family {
            case AF_INET:
                var address = info.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                if inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count)) != nil { out.append(String(cString: buffer)) }
            case AF_INET6:
                var address = info.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                if inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil { out.append(String(cString: buffer)) }
            default:
                break
            }
            next = info.pointee.ai_next
        }
        return Array(Set(out)).sorted()
    }
}
