import Foundation

/// Progress recorded against an activity, as of a status date passed to the scheduler.
public struct ActivityProgress: Hashable, Sendable {
    /// When work actually started (local time), if it has.
    public var actualStart: LocalTime?
    /// When work actually finished (local time), if it has; implies 100 % complete.
    public var actualFinish: LocalTime?
    /// Percent complete, 0...100 (of duration).
    public var percentComplete: Double
    /// Remaining duration, if recorded separately from percent complete.
    public var remainingDuration: WorkDuration?

    /// Progress values; `percentComplete` is clamped to 0...100.
    public init(
        actualStart: LocalTime? = nil, actualFinish: LocalTime? = nil, percentComplete: Double = 0,
        remainingDuration: WorkDuration? = nil
    ) {
        self.actualStart = actualStart
        self.actualFinish = actualFinish
        self.percentComplete = min(100, max(0, percentComplete.isFinite ? percentComplete : 0))
        self.remainingDuration = remainingDuration
    }

    /// No progress.
    public static let none = ActivityProgress()
}
