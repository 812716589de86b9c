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
