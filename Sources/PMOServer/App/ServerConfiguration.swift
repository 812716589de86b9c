import Foundation
import PMOCore
import PMOStore

/// Everything the server needs from outside, read once at start.
public struct ServerConfiguration: Sendable {
    public var database: DatabaseLocation
    public var host: String
    public var port: Int
    /// bcrypt cost for new password hashes (12 in production; tests pass a lower one).
    public var bcryptCost: Int
    /// Mark cookies `Secure` (set when the server sits behind HTTPS).
    public var secureCookies: Bool
    /// Failed sign-ins allowed for one account within 15 minutes; the next attempt is refused for 15 minutes.
    public var loginFailuresAllowed: Int
    /// Failed sign-ins allowed from one client address (for any accounts) within 15 minutes; more than for one
    /// account, since an office may sign in through one address.
    public var loginFailuresAllowedPerAddress: Int
    /// Runs migrations at start.
    public var autoMigrate: Bool
    /// Proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` headers are believed (`PMO_TRUSTED_PROXIES`).
    public var trustedProxies: TrustedProxies
    /// How long a stopping server waits for requests in flight before it closes their connections.
    public var shutdownTimeout: TimeInterval
    /// The largest attachment accepted (`--max-attachment-mb`, `PMO_MAX_ATTACHMENT_MB`; 50 MB by default).
    public var maxAttachmentBytes: Int64 = AttachmentRules.defaultLimit
    /// Hosts and ranges webhooks may call although they are internal (`PMO_WEBHOOK_ALLOW`); none by default.
    public var webhookAllow: NetworkAllowList = .none
    /// The address people open the product at (`PMO_PUBLIC_URL`), for links in webhook messages; without it, the
    /// address the server listens on.
    public var publicURL: String?
    /// The time limit of one webhook attempt.
    public var webhookTimeout: TimeInterval = 10
    /// The SMTP server mails go through (`PMO_SMTP_*`); nil: no e-mail (nothing is queued, the preferences say so).
    public var smtp: SMTPSettings?

    /// The links' base: the public address, else the listening one.
    public var linkBase: String { publicURL ?? "http://\(host):\(port)" }
    public var webhookSender: WebhookSender { WebhookSender(timeout: webhookTimeout, publicURL: linkBase) }
    public var mailSender: MailSender? { smtp.map { MailSender(settings: $0, linkBase: linkBase) } }

    public init(database: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080, bcryptCost: Int = 12,
                secureCookies: Bool = false, loginFailuresAllowed: Int = 5, loginFailuresAllowedPerAddress: Int = 30, autoMigrate: Bool = true,
                trustedProxies: TrustedProxies = .none, shutdownTimeout: TimeInterval = 30) {
        self.database = database
        self.host = host
        self.port = port
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.loginFailuresAllowed = loginFailuresAllowed
        self.loginFailuresAllowedPerAddress = loginFailuresAllowedPerAddress
        self.autoMigrate = autoMigrate
        self.trustedProxies = trustedProxies
        self.shutdownTimeout = shutdownTimeout
    }

    var signInLimits: SignInLimits { SignInLimits(allowed: loginFailuresAllowed, allowedPerAddress: loginFailuresAllowedPerAddress) }
}
