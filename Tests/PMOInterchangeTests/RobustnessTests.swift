import Foundation
import PMOTestData
import PMOCore
import PMOSchedule
import Testing

@testable import PMOInterchange

/// Damaged input must give an error or a schedule with diagnostics: never a crash, never an endless loop.
@Suite struct RobustnessTests {
    /// Deterministic byte damage: digits become other digits or letters, some `<` and `>` disappear.
    static func damaged(_ data: Data, seed: UInt64, edits: Int) -> Data {
        var bytes = [UInt8](data)
        var state = seed
        for _ in 0..<edits {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let i = Int((state >> 33) % UInt64(bytes.count))
            let r = (state >> 20) % 7
            switch bytes[i] {
            case 48...57: bytes[i] = r < 5 ? 48 + UInt8(r * 2 % 10) : 65 + UInt8(r)  // another digit or a letter
            case 60, 62: if r == 0 { bytes[i] = 32 }
            default: if r == 1 { bytes[i] = 45 }  // "-"
            }
        }
        return Data(bytes)
    }

    @Test(arguments: [
        "mspdi/mpxj/task-links-project2010-mspdi.xml", "mspdi/aspose-from-mpp/ActualTaskProperties.xml",
        "mspdi/mpxj/calendar-recurring-exceptions-project2016-mspdi.xml", "psplib/instances/j30/j3010_1.sm",
    ])
    func damagedFilesNeverCrash(_ file: String) throws {
        let original = try Data(contentsOf: SharedData.url(file))
        var errors = 0
        var schedules = 0
        for seed in 1...40 as ClosedRange<UInt64> {
            do {
                let (report, _) = try ScheduleFile.report(Self.damaged(original, seed: seed, edits: 12))
                _ = report.render(.json)
                schedules += 1
            } catch let e as InterchangeError {
                #expect(e.line != nil || e.element != nil || e.code == "import.unknown_format")
                errors += 1
            }
        }
        #expect(errors + schedules == 40)
    }

    @Test func calendarWithoutWorkingTimeIsADiagnostic() {
        let idle = WorkCalendar(id: WorkCalendar.ID(9), name: "closed", week: Array(repeating: [], count: 7))
        let plan = SchedulePlan(
            name: "p", start: LocalTime(iso: "2026-04-01T09:00")!, calendars: [idle], defaultCalendarID: idle.id,
            activities: [Activity(id: .init(1), name: "A", duration: .working(480))], dependencies: [])
        let r = CriticalPath.schedule(plan)
        #expect(r.diagnostics.map(\.code) == [.noWorkingTime])
    }

    @Test func farAwayDatesStayBounded() {
        var a = Activity(id: .init(1), name: "A", duration: .working(480))
        a.constraint = ActivityConstraint(.startNoEarlierThan, date: LocalTime(iso: "9999-12-01T09:00")!)
        let plan = SchedulePlan(
            name: "p", start: LocalTime(iso: "0001-01-01T09:00")!, calendars: [.msProjectStandard],
            defaultCalendarID: WorkCalendar.msProjectStandard.id, activities: [a], dependencies: [])
        let r = CriticalPath.schedule(plan)
        #expect(r.activities.count == 1)
    }
}
