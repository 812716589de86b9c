import Foundation
import Vapor

/// The application served on a real socket, for the few tests that need one (the peer address, a streamed body).
///
/// Vapor's `.running` tester starts and stops the server around every request on a port chosen beforehand; between
/// two requests the kernel may hand that port to an outgoing connection of a parallel test, and the next request then
/// hangs until its 30 s deadline. Here the server listens once, on a port the kernel picks while binding, until
/// `stop()`.
struct LiveServer {
    let app: Application
    let port: Int

    static func start(_ app: Application) async throws -> LiveServer {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else {
            await app.server.shutdown()
            throw Abort(.internalServerError, reason: "the test server has no local port")
        }
        return LiveServer(app: app, port: port)
    }

    /// Sends one request over the socket. A loaded test machine may take a while, so the limit is generous: while the
    /// two halves of the API walk run beside it, a request may wait minutes for the shared thread pool (CI once saw
    /// a sign-in pass 120 s).
    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) async throws -> ClientResponse {
        try await app.client.send(method, headers: headers, to: URI(string: "http://127.0.0.1:\(port)\(path)")) { request in
            request.body = body
            request.timeout = .seconds(600)
        }
    }

    func stop() async { await app.server.shutdown() }
}

extension ClientResponse {
    /// The `code` of a problem answer, as `TestingHTTPResponse.problemCode`.
    var problemCode: String? {
        guard let body, let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else { return nil }
        return object["code"] as? String
    }
}
