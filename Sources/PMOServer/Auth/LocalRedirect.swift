import Foundation

/// Where a page may send the browser after signing in: a path on this site, nothing else.
///
/// `next=/\evil.example` was followed by browsers to http://evil.example/ (they read `\` as `/`), and browsers drop
/// tabs and line breaks inside URLs, so `/<TAB>/evil.example` is `//evil.example`. A valid target starts with one
/// `/`, has no backslash, no whitespace or control character, and no scheme or host.
enum LocalRedirect {
    static let fallback = "/projects"

    static func isLocalPath(_ target: String) -> Bool {
        guard target.hasPrefix("/"), !target.hasPrefix("//"), target.count <= 2_000 else { return false }
        guard !target.unicodeScalars.contains(where: { $0 == "\\" || $0.value <= 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            return false
        }
        guard let components = URLComponents(string: target), components.scheme == nil, components.host == nil else { return false }
        return true
    }

    /// `target` when it is a local path, else the projects page.
    static func path(_ target: String?) -> String {
        guard let target, isLocalPath(target) else { return fallback }
        return target
    }
}
