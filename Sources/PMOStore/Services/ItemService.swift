import Foundation
/// The items feature of the store, reached as `store.items`: the issue register and the other registers (risks,
/// decisions, questions, changes, actions), with what every item has (comments, links, history), their steps
/// (a risk occurs, a question becomes a change), decision rights, imports, and the overview and work lists
/// (`Store+Issues`, `+Registers`, `+RegisterSteps`, `+RegisterImport`, `+ItemLinks`, `+Overview`).
public struct ItemService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The items feature (`ItemService`).
    public var items: ItemService { ItemService(store: self) }
}

extension ItemService {
    /// The names of resources by id (those named on items: a unit's members, a system's environments).
    public func resourceNames(_ ids: [UUID]) async throws -> [UUID: String] {
        try await names(table: "resources", column: "name", ids: Set(ids), on: db)
    }
}
