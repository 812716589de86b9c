import Foundation
import PMOStore
import Vapor

/// bcrypt as Vapor implements it: the password hasher of every composition root.
public struct BcryptHasher: PMOStore.PasswordHasher {
    /// The cost of the hash an unknown e-mail is checked against: the server's own cost, so that a sign-in for an
    /// unknown account takes as long as one for a real account (12 in production; tests run with a low cost).
    let costOfNothing: Int

    public init(cost: Int = 12) { costOfNothing = cost }

    public func hash(_ password: String, cost: Int) throws -> String { try Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, hash: String) throws -> Bool { try Bcrypt.verify(password, created: hash) }

    public var hashOfNothing: String { HashesOfNothing.shared.hash(cost: costOfNothing) }
}

/// One hash of a random password per cost, made on first use.
private final class HashesOfNothing: @unchecked Sendable {
    static let shared = HashesOfNothing()
    private let lock = NSLock()
    private var hashes: [Int: String] = [:]

    func hash(cost: Int) -> String {
        lock.withLock {
            if let hash = hashes[cost] { return hash }
            let hash = (try? Bcrypt.hash(Secrets.temporaryPassword(), cost: cost)) ?? ""
            hashes[cost] = hash
            return hash
        }
    }
}
