import Foundation
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
    /// Failed logins from one address allowed per window before answers are slowed down.
    public var loginFailuresAllowed: Int
    /// Runs migrations at start.
    public var autoMigrate: Bool

    public init(database: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080, bcryptCost: Int = 12,
                secureCookies: Bool = false, loginFailuresAllowed: Int = 5, autoMigrate: Bool = true) {
        self.database = database
        self.host = host
        self.port = port
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.loginFailuresAllowed = loginFailuresAllowed
        self.autoMigrate = autoMigrate
    }
}
