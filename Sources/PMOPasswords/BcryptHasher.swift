import PMOStore
import Vapor

/// bcrypt as Vapor implements it: the password hasher of every composition root.
public struct BcryptHasher: PMOStore.PasswordHasher {
    public init() {}

    public func hash(_ password: String, cost: Int) throws -> String { try Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, hash: String) throws -> Bool { try Bcrypt.verify(password, created: hash) }

    public var hashOfNothing: String { Self.nothing }

    private static let nothing: String = (try? Bcrypt.hash(Secrets.temporaryPassword(), cost: 12)) ?? ""
}
