import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PMOCore
import PMOStore

/// Sends webhook deliveries (the `webhook_delivery` job): checks the address again (a host may resolve elsewhere
/// since it was saved), signs the body, posts it with a time limit, and records the attempt. A 2xx answer delivers
/// it; any other answer, no connection or a timeout is a failed attempt, retried by the queue with its backoff until
/// the last (then failed); a refused address fails it at once, without retries.
public struct WebhookSender: Sendable {
    /// The limit of one attempt, from connecting to the whole answer.
    public var timeout: TimeInterval
    /// The server's public address, for the links in messages.
    public var publicURL: String?

    public init(timeout: TimeInterval = 10, publicURL: String? = nil) {
        self.timeout = timeout
        self.publicURL = publicURL
    }

    /// The client of every delivery: no redirects (a redirect could lead to an address the rules refuse), no proxy
    /// from the environment. Never shut down, like `HTTPClient.shared`.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// A failed attempt that the queue retries.
    struct AttemptFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends the delivery `id` once (the job's attempt `job.attempts` of `job.maxAttempts`).
    public func deliver(_ store: Store, deliveryID: UUID, lastAttempt: Bool) async throws {
        guard let d = try await store.webhooks.dispatch(deliveryID) else { return }
        let started = store.now()
        if let problem = await store.outbound.check(d.url, requireAddress: true) {
            // An unresolvable host may resolve later; a refused address will not.
            let retry = problem.code == "unresolvable" && !lastAttempt
            try await store.webhooks.recordAttempt(d, at: started, status: nil, error: problem.message, errorCode: problem.code, response: nil, durationMs: 0,
                                                   outcome: retry ? .retrying : .failed)
            if retry { throw AttemptFailed(description: problem.message) }
            return
        }
        let body = WebhookText.body(d, publicURL: publicURL)
        var request = HTTPClientRequest(url: d.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "PMO-Webhook/1")
        request.headers.add(name: "X-PMO-Event", value: d.facts.event.rawValue)
        request.headers.add(name: "X-PMO-Delivery", value: d.deliveryID.uuidString.lowercased())
        let timestamp = Int(Date().timeIntervalSince1970)
        request.headers.add(name: WebhookSignature.header, value: WebhookSignature.value(secret: d.secret, timestamp: timestamp, body: body))
        request.body = .bytes(ByteBuffer(string: body))
        let clock = ContinuousClock()
        let begin = clock.now
        var status: Int?
        var answer: String?
        var failure: String?
        var code: String?
        do {
            let response = try await Self.client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            status = Int(response.status.code)
            let collected = try await response.body.collect(upTo: 64 * 1024)
            answer = String(buffer: collected)
            if !(200..<300).contains(Int(response.status.code)) {
                failure = "HTTP \(response.status.code) \(response.status.reasonPhrase)"
                code = "http_status"
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            failure = "No answer within \(Int(timeout)) s (timeout)."
            code = "timeout"
        } catch {
            failure = "Could not deliver: \(error)"
            code = "connection"
        }
        let took = clock.now - begin
        let ms = Int(took.components.seconds * 1000 + took.components.attoseconds / 1_000_000_000_000_000)
        let outcome: WebhookDeliveryState = failure == nil ? .delivered : (lastAttempt ? .failed : .retrying)
        try await store.webhooks.recordAttempt(d, at: started, status: status, error: failure, errorCode: code, response: answer, durationMs: ms,
                                               outcome: outcome)
        if let failure, !lastAttempt { throw AttemptFailed(description: failure) }
    }
}
