import Crypto
import Foundation

/// Random tokens and their hashes. Tokens are 256 random bits; only their SHA-256 is stored,
/// so a token check is one indexed lookup (bcrypt is for passwords only).
public enum Secrets {
    /// A new random token: 32 bytes from the system's secure generator, base64url without padding, with a prefix.
    public static func newToken(prefix: String = "pmo_") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Lower-case hex SHA-256 of a token.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A temporary password an admin hands over: 16 characters without look-alikes.
    public static func temporaryPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A password hash, made off the event loop because it is slow by design.
    static func hashPassword(_ password: String, cost: Int, with hasher: any PasswordHasher) async throws -> String {
        try await offload { try hasher.hash(password, cost: cost) }
    }

    static func verifyPassword(_ password: String, hash: String, with hasher: any PasswordHasher) async throws -> Bool {
        try await offload { try hasher.verify(password, hash: hash) }
    }

    private static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
