/// The projects feature of the store, reached as `store.projects`: the projects a caller sees, creating and changing
/// them, and their members (`Store+Projects.swift`). The project a request is about and the caller's role in it
/// (`Store.projectContext`) stay on the store: every feature starts there.
public struct ProjectService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The projects feature (`ProjectService`).
    public var projects: ProjectService { ProjectService(store: self) }
}
