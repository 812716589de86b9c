/// Hashes and checks passwords. The store does not pick the algorithm: the composition root (the server, the CLI,
/// the tests) hands it one, so that PMOStore needs no web framework (bcrypt lives in Vapor; see PMOPasswords).
public protocol PasswordHasher: Sendable {
    /// A salted, slow hash of `password`; `cost` is the work factor (bcrypt's log2 rounds).
    func hash(_ password: String, cost: Int) throws -> String
    /// Whether `password` is the one `hash` was made from.
    func verify(_ password: String, hash: String) throws -> Bool
    /// A hash of nothing anyone knows, checked when an e-mail has no account, so that a wrong e-mail takes as long as
    /// a wrong password (made once per process: it is slow by design).
    var hashOfNothing: String { get }
}
