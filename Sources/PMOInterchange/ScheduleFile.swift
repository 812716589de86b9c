import Foundation
import PMOCore
import PMOSchedule

/// Reads a schedule file (MSPDI XML or PSPLIB .sm, detected from its content) and schedules it: what `pmo schedule` does.
public enum ScheduleFile {
    /// The kinds of file recognised.
    public enum Kind: String, Hashable, Sendable {
        /// Microsoft Project XML.
        case mspdi
        /// PSPLIB single-mode `.sm`.
        case psplib
    }

    /// A file turned into a plan.
    public struct Loaded: Hashable, Sendable {
        /// What the file was.
        public var kind: Kind
        /// The plan to schedule.
        public var plan: SchedulePlan
        /// Status date from the file (MSPDI StatusDate, else CurrentDate).
        public var statusDate: LocalTime?
    }

    /// Detects the format from the first bytes: `<` means MSPDI, a PSPLIB banner or section means PSPLIB.
    public static func kind(of data: Data) throws -> Kind {
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.first == "<" { return .mspdi }
        if trimmed.hasPrefix("****") || head.contains("PRECEDENCE RELATIONS") || head.contains("PROJECT INFORMATION") {
            return .psplib
        }
        throw InterchangeError(
            code: "import.unknown_format",
            message: "The file is neither Microsoft Project XML (MSPDI) nor PSPLIB .sm.", line: 1)
    }

    /// Reads and converts a file's bytes; throws `InterchangeError` naming the line or element at fault.
    public static func load(_ data: Data) throws -> Loaded {
        switch try kind(of: data) {
        case .mspdi:
            let doc = try MSPDIReader.read(data)
            return Loaded(kind: .mspdi, plan: doc.plan(), statusDate: doc.header.statusDate ?? doc.header.currentDate)
        case .psplib:
            let p = try PSPLIBReader.read(data)
            return Loaded(kind: .psplib, plan: p.plan(), statusDate: nil)
        }
    }

    /// A request to level the schedule against its resources: how hard to search, and a safety stop the caller
    /// (outside the core) may tie to a clock.
    public struct LevellingRequest {
        /// The leveller's options.
        public var options: Leveller.Options
        /// Asked every few schedules; true ends the search with the best schedule found so far.
        public var shouldStop: () -> Bool
        /// A request.
        public init(options: Leveller.Options = .init(), shouldStop: @escaping () -> Bool = { false }) {
            self.options = options
            self.shouldStop = shouldStop
        }
    }

    /// Loads, levels and builds the report. PSPLIB files are levelled in whole periods against their renewable
    /// resources; MS Project files in working days against their work resources and assignments (`PlanLeveller`,
    /// the moves as levelling delays); throws `InterchangeError` when the file cannot be read or levelled (code `level.invalid`, naming
    /// the loop, the field, or the activity a resource can never serve).
    public static func levelledReport(_ data: Data, request: LevellingRequest) throws -> ScheduleReport {
        switch try kind(of: data) {
        case .psplib:
            let project = try PSPLIBReader.read(data)
            let problem = project.levellingProblem()
            let outcome: Leveller.Outcome
            do {
                outcome = try Leveller.level(problem, options: request.options, shouldStop: request.shouldStop)
            } catch let error as LevellingError {
                throw InterchangeError(code: "level.invalid", message: error.description)
            }
            let plan = project.plan()
            var report = ScheduleReport(
                plan: plan, result: outcome.periodResult(for: problem), units: .periods, statusDate: nil)
            report.levelling = .init(
                schedules: outcome.schedules, criticalPathLength: outcome.criticalPathLength,
                lowerBound: outcome.lowerBound, stoppedEarly: outcome.stoppedEarly)
            return report
        case .mspdi:
            let doc = try MSPDIReader.read(data)
            let outcome: PlanLeveller.Outcome
            do {
                outcome = try PlanLeveller.level(
                    doc.plan(), options: .init(search: request.options), shouldStop: request.shouldStop)
            } catch let error as LevellingError {
                throw InterchangeError(code: "level.invalid", message: error.description)
            }
            var report = ScheduleReport(
                plan: outcome.plan, result: outcome.after, units: .dateTime,
                statusDate: doc.header.statusDate ?? doc.header.currentDate)
            report.levelling = .init(
                schedules: outcome.search.schedules, criticalPathLength: outcome.search.criticalPathLength,
                lowerBound: outcome.search.lowerBound, stoppedEarly: outcome.search.stoppedEarly,
                moved: outcome.moves.count, remainingOverloads: outcome.remainingOverloads)
            return report
        }
    }

    /// Loads, schedules and builds the report; `statusDate` overrides the file's. Throws only when the file cannot be read;
    /// a cycle is returned as a report with a `schedule.cycle` diagnostic and no rows (check `isScheduled`).
    public static func report(_ data: Data, statusDate: LocalTime? = nil) throws -> (
        report: ScheduleReport, isScheduled: Bool
    ) {
        let loaded = try load(data)
        let result = CriticalPath.schedule(loaded.plan)
        let report = ScheduleReport(
            plan: loaded.plan, result: result, units: loaded.kind == .psplib ? .periods : .dateTime,
            statusDate: statusDate ?? loaded.statusDate)
        return (report, result.isScheduled)
    }
}
