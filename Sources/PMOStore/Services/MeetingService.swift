/// The meetings feature of the store, reached as `store.meetings`: series, occurrences, agendas, minutes and what
/// the minutes create (`Store+Meetings.swift`, `Store+Minutes.swift`).
public struct MeetingService: StoreFeature {
    public let store: Store
}

/// The reports feature of the store, reached as `store.reports`: weekly status reports, the portfolio, the kickoff
/// pack and the issue lifetimes (`Store+StatusReports.swift`).
public struct ReportService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The meetings feature (`MeetingService`).
    public var meetings: MeetingService { MeetingService(store: self) }
    /// The reports feature (`ReportService`).
    public var reports: ReportService { ReportService(store: self) }
}
