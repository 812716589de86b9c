import ArgumentParser
import Foundation
import PMOCore
import PMOInterchange

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

    func validate() throws {
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
}
