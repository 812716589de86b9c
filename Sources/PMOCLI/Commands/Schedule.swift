import ArgumentParser
import Foundation
import PMOCore
import PMOInterchange
import PMOSchedule

/// `pmo schedule FILE`: reads an MS Project XML (MSPDI) or PSPLIB file, schedules it with the engine and prints
/// one row per activity. Exit 0 when a schedule is produced (diagnostics included), 1 when the file cannot be read
/// or cannot be scheduled at all (a cycle), 2 on wrong usage.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Schedule an MS Project XML or PSPLIB file and print every activity's dates and float.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Argument(help: "An MS Project XML (MSPDI) or PSPLIB .sm file.") var file: String
    @Option(help: "The status date (YYYY-MM-DD or YYYY-MM-DDTHH:MM); default: the file's StatusDate, else its CurrentDate.")
    var statusDate: String?
    @Option(help: "Output format: table, json or csv.") var format: Format = .table
    @Flag(help: "Level the schedule against its resources' capacities (PSPLIB .sm: renewable resources in whole periods; MS Project XML: work resources and assignments in working days, moves written as levelling delays).")
    var level = false
    @Option(help: "With --level: most schedules the leveller generates (default 50000).")
    var schedules: Int = Leveller.Options().schedules
    @Option(help: "With --level: stop after this many milliseconds with the best schedule found (default 1000).")
    var timeLimitMs: Int = 1000
    @Option(help: "With --level: seed of the leveller's random choices (same seed, same result when the time limit is not reached).")
    var seed: UInt64 = 1

    func validate() throws {
        if schedules < 1 { throw ValidationError("--schedules must be at least 1 (got \(schedules)).") }
        if timeLimitMs < 1 { throw ValidationError("--time-limit-ms must be at least 1 (got \(timeLimitMs)).") }
        if let statusDate, Self.parseStatusDate(statusDate) == nil {
            throw ValidationError("--status-date must be a date such as 2026-11-21 or 2026-11-21T17:00 (got \(statusDate)).")
        }
    }

    static func parseStatusDate(_ text: String) -> LocalTime? {
        if let t = LocalTime(iso: text) { return t }
        if let d = CivilDate(iso: text) { return LocalTime(date: d) }
        return nil
    }

    func run() throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw CommandFailure("Cannot read \(file): \(error.localizedDescription)")
        }
        if level {
            try runLevelled(data)
            return
        }
        let outcome: (report: ScheduleReport, isScheduled: Bool)
        do {
            outcome = try ScheduleFile.report(data, statusDate: statusDate.flatMap(Self.parseStatusDate))
        } catch let error as InterchangeError {
            throw CommandFailure("\(file): \(error.description)")
        }
        let rendered = outcome.report.render(ScheduleReport.Format(rawValue: format.rawValue) ?? .table)
        print(rendered, terminator: rendered.hasSuffix("\n") ? "" : "\n")
        if !outcome.isScheduled {
            throw CommandFailure("\(file) cannot be scheduled: \(outcome.report.diagnostics.map(\.message).joined(separator: "; "))")
        }
    }

    /// `--level`: the levelled schedule, with a wall-clock safety stop (the leveller itself never reads a clock).
    func runLevelled(_ data: Data) throws {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeLimitMs) * 1_000_000
        let request = ScheduleFile.LevellingRequest(
            options: Leveller.Options(schedules: schedules, seed: seed),
            shouldStop: { DispatchTime.now().uptimeNanoseconds >= deadline })
        let report: ScheduleReport
        do {
            report = try ScheduleFile.levelledReport(data, request: request)
        } catch let error as InterchangeError {
            throw CommandFailure("\(file): \(error.description)")
        }
        let rendered = report.render(ScheduleReport.Format(rawValue: format.rawValue) ?? .table)
        print(rendered, terminator: rendered.hasSuffix("\n") ? "" : "\n")
    }
}
