/// The plan feature of the store, reached as `store.plans`: the schedule and its activities, links, calendars,
/// company terms, phases, baselines, progress, earned value, imports and the calendar feed (`Store+Plan*.swift`).
public struct PlanService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The plan feature (`PlanService`).
    public var plans: PlanService { PlanService(store: self) }
}
