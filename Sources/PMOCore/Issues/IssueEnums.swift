/// Where an issue stands. `resolved` and `closed` are the finished states.
public enum IssueStatus: String, CaseIterable, Sendable, Codable {
    case open
    case inProgress = "in_progress"
    case waitingForDecision = "waiting_for_decision"
    case resolved
    case closed

    /// Finished issues are never overdue or stale.
    public var isFinished: Bool { self == .resolved || self == .closed }
}

/// How urgent an issue is; `rank` orders them (critical highest).
public enum IssuePriority: String, CaseIterable, Sendable, Codable {
    case low, medium, high, critical

    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    public init?(rank: Int) {
        guard let p = IssuePriority.allCases.first(where: { $0.rank == rank }) else { return nil }
        self = p
    }
}

/// How far up an issue has been raised: 0 handled in the team, 1 the PM, 2 the PMO / steering lead, 3 the steering committee.
public enum EscalationLevel {
    public static let range = 0...3
}

