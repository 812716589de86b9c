/// The accounts feature of the store, reached as `store.accounts`: companies, users, invitations, passwords,
/// sessions, API tokens and the sign-in throttle (`Store+Accounts.swift`, `Store+SignIn.swift`).
public struct AccountService: StoreFeature {
    public let store: Store

    /// How passwords are hashed (given by the composition root).
    var passwords: any PasswordHasher { store.passwords }
}

extension Store {
    /// The accounts feature (`AccountService`).
    public var accounts: AccountService { AccountService(store: self) }
}
