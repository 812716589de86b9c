import Fluent
import ArgumentParser
import Foundation
import PMOCore
import PMOServer
import PMOStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user; --admin for the first administrator.")
        @OptionGroup var db: DatabaseOption
        @Flag(help: "Make the user an administrator.") var admin = false
        @Option(help: "E-mail address (the login).") var email: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Company name; default: the running organisation (created if missing).") var company: String?
        @Option(help: "Language of the pages: ja or en.") var locale = "ja"
        @Flag(help: "Read the password from standard input (one line).") var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("Give --password-stdin and pipe the password in, e.g. echo \"$PW\" | pmo user create ...") }
            guard ["ja", "en"].contains(locale) else { throw ValidationError("--locale must be ja or en.") }
        }

        func run() async throws {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CommandFailure("No password on standard input.")
            }
            try await Runtime.withStore(db.location) { store in
                let company = try await store.accounts.operatorCompany(named: company)
                do {
                    let created = try await store.accounts.createUser(by: nil, NewUser(email: email, displayName: name, companyID: company.requireID(),
                                                                              locale: locale, isAdmin: admin, password: .given(line)))
                    print("Created \(admin ? "administrator " : "")\(created.user.email) in \(company.name).")
                } catch let e as DomainError {
                    throw CommandFailure(e.message)
                }
            }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for a user; prints only the token.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The user's e-mail.") var email: String
        @Option(help: "A label for the token.") var name: String

        func run() async throws {
            try await Runtime.withStore(db.location) { store in
                guard let user = try await store.accounts.user(email: email), user.isActive else {
                    throw CommandFailure("No active user has the e-mail \(email).")
                }
                do {
                    let (_, token) = try await store.accounts.createAPIToken(userID: user.requireID(), name: name)
                    print(token)
                } catch let e as DomainError {
                    throw CommandFailure(e.message)
                }
            }
        }
    }
}

struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
    func run() async throws { print("pmo \(PMOVersion.current)") }
}
