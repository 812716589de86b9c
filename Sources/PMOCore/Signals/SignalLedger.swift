import Foundation

/// A signal as it is kept between computations: one record per rule and subject.
public struct SignalRecordState: Sendable, Equatable {
    public var isOpen: Bool
    public var severity: RAG
    public var magnitude: Double
    public var values: [String: String]
    public var links: [SignalLink]
    /// The severity and magnitude it had when someone acknowledged (or snoozed) it; nil when nobody has since it was
    /// last raised.
    public var acknowledgedSeverity: RAG?
    public var acknowledgedMagnitude: Double?

    public init(isOpen: Bool, severity: RAG, magnitude: Double, values: [String: String], links: [SignalLink] = [],
                acknowledgedSeverity: RAG? = nil, acknowledgedMagnitude: Double? = nil) {
        self.isOpen = isOpen
        self.severity = severity
        self.magnitude = magnitude
        self.values = values
        self.links = links
        self.acknowledgedSeverity = acknowledgedSeverity
        self.acknowledgedMagnitude = acknowledgedMagnitude
    }
}

/// What one computation does to a kept signal.
public enum SignalChange: String, Sendable, Equatable, Codable, CaseIterable {
    /// New, or back after it cleared: open, not acknowledged.
    case raised
    /// Still there with other values (a slip of 3 days is now 4), not worse than what was acknowledged.
    case updated
    /// Worse than when it was acknowledged: its acknowledgement (and snooze) is dropped, so it asks for attention again.
    case worsened
    /// Its condition ended: kept, with its history, as cleared.
    case cleared
    case unchanged
}

/// How a signal's record follows the rules' results: raised once, updated while it lasts, raised again when it
/// worsens beyond what was acknowledged, cleared by itself when its condition ends.
public enum SignalLedger {
    public static func change(kept: SignalRecordState?, now: RaisedSignal?) -> SignalChange {
        guard let now else { return kept?.isOpen == true ? .cleared : .unchanged }
        guard let kept, kept.isOpen else { return .raised }
        if let severity = kept.acknowledgedSeverity,
           now.severity > severity || now.magnitude > (kept.acknowledgedMagnitude ?? now.magnitude) {
            return .worsened
        }
        if now.severity != kept.severity || now.magnitude != kept.magnitude || now.values != kept.values || now.links != kept.links {
            return .updated
        }
        return .unchanged
    }
}
