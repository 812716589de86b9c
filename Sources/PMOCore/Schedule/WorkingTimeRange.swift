import Foundation

/// A working period within one day, `[start, end)` in minutes after local midnight (0...1440, start < end).
public struct WorkingTimeRange: Hashable, Sendable {
    /// First working minute after midnight, 0...1439.
    public let start: Int
    /// End of the period (exclusive), minutes after midnight, start+1...1440.
    public let end: Int

    /// A range; nil unless `0 <= start < end <= 1440`.
    public init?(start: Int, end: Int) {
        guard 0 <= start, start < end, end <= 1440 else { return nil }
        self.start = start
        self.end = end
    }

    /// A range from hours and minutes, e.g. `(9, 0)` to `(12, 0)`; an end of `(24, 0)` or `(0, 0)` means midnight.
    public init?(from: (Int, Int), to: (Int, Int)) {
        let e = to.0 * 60 + to.1
        self.init(start: from.0 * 60 + from.1, end: e == 0 ? 1440 : e)
    }

    /// Length in minutes.
    public var minutes: Int { end - start }

    /// 08:00–12:00 and 13:00–17:00 (Microsoft Project's standard day, 480 minutes).
    public static let standardDay: [WorkingTimeRange] = [
        WorkingTimeRange(start: 480, end: 720)!, WorkingTimeRange(start: 780, end: 1020)!,
    ]
    /// 09:00–12:00 and 13:00–18:00 (a common Japanese office day, 480 minutes).
    public static let japaneseOfficeDay: [WorkingTimeRange] = [
        WorkingTimeRange(start: 540, end: 720)!, WorkingTimeRange(start: 780, end: 1080)!,
    ]
    /// The whole day, 00:00–24:00 (1440 minutes).
    public static let wholeDay: [WorkingTimeRange] = [WorkingTimeRange(start: 0, end: 1440)!]

    /// Sorts ranges and merges overlapping or touching ones.
    public static func normalized(_ ranges: [WorkingTimeRange]) -> [WorkingTimeRange] {
        let sorted = ranges.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        var out: [WorkingTimeRange] = []
        for r in sorted {
            if let last = out.last, r.start <= last.end {
                out[out.count - 1] = WorkingTimeRange(start: last.start, end: max(last.end, r.end))!
            } else {
                out.append(r)
            }
        }
        return out
    }
}
