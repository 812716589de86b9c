import Vapor

/// After a form saves, the page it comes back to says so for a moment ("保存しました。"). A signed-in page POST
/// answered with a redirect gets a short-lived cookie; the next page read shows the notice (`Request.chrome`) and
/// clears the cookie. One place for every form, so a new form cannot forget it; an error never redirects, so it never
/// says saved. A cookie rather than a query parameter keeps addresses clean: a reload or a shared link says nothing.
struct SavedNoticeMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let shown = req.method == .GET && req.cookies[SavedNotice.cookie] != nil
        if shown { req.storage[SavedNotice.Key.self] = true }
        let res = try await next.respond(to: req)
        let path = req.url.path
        if req.method == .POST, req.caller != nil, !path.hasPrefix("/api/"), path != "/logout", (300..<400).contains(res.status.code) {
            res.cookies[SavedNotice.cookie] = HTTPCookies.Value(string: "1", maxAge: 60, path: "/", isHTTPOnly: true, sameSite: .lax)
        } else if shown, res.status == .ok, res.headers.contentType?.subType == "html" {
            res.cookies[SavedNotice.cookie] = .expired
        }
        return res
    }
}

enum SavedNotice {
    static let cookie = "pmo_saved"
    struct Key: StorageKey { typealias Value = Bool }

    /// Whether this page is the first one read after a save.
    static func isShown(_ req: Request) -> Bool { req.storage[Key.self] == true }
}
