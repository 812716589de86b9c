import Foundation
import PMOTestData
import PMOCore
import PMOSchedule
import Testing

@testable import PMOInterchange

@Suite struct MSPDIRoundTripTests {
    /// Export then import gives the same schedule (dates, floats, critical flags) on generated plans on the Japanese calendar.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func exportThenImportGivesTheSameSchedule(seed: UInt64) throws {
        var plan = SyntheticPlan.make(activities: 300, seed: seed)
        // Add a vendor calendar with its own closure, a constraint, a deadline and progress.
        let vendor = WorkCalendar.japan.derived(
            id: WorkCalendar.ID(2), name: "Vendor & Co",
            closures:
                WorkCalendar.yearEndClosure(firstYear: 2026, lastYear: 2027))
        plan.calendars.append(vendor)
        plan.activities[5].calendarID = vendor.id
        plan.activities[7].constraint = ActivityConstraint(
            .startNoEarlierThan, date: LocalTime(iso: "2026-05-11T09:00")!)
        plan.activities[9].deadline = LocalTime(iso: "2026-12-25T18:00")!
        plan.activities[2].progress = ActivityProgress(
            actualStart: LocalTime(iso: "2026-04-01T09:00")!, percentComplete: 40)
        let before = CriticalPath.schedule(plan)
        let xml = MSPDIWriter.write(plan, result: before)
        // CI can hand the exported files to MPXJ (scripts/mpxj_check.py) by setting PMO_MSPDI_EXPORT_DIR.
        if let dir = ProcessInfo.processInfo.environment["PMO_MSPDI_EXPORT_DIR"] {
            try xml.write(toFile: dir + "/roundtrip-\(seed).xml", atomically: true, encoding: .utf8)
        }
        let doc = try MSPDIReader.read(Data(xml.utf8))
        let again = doc.plan()
        let after = CriticalPath.schedule(again)
        #expect(after.diagnostics == before.diagnostics)
        #expect(after.activities.count == before.activities.count)
        for (a, b) in zip(before.activities, after.activities) {
            #expect(a == b, "activity \(a.id)")
        }
        // The file also carries our computed values as Microsoft Project would.
        let saved = Dictionary(uniqueKeysWithValues: doc.tasks.map { ($0.uid, $0) })
        for s in before.activities.prefix(50) {
            #expect(saved[s.id.rawValue]?.totalSlackMinutes == s.totalFloat)
            #expect(saved[s.id.rawValue]?.start == s.start)
        }
    }

    /// A levelled plan keeps its levelling delays, resources and assignments through a file, and schedules to the
    /// same dates after reading it back; CI hands the file to MPXJ, which must read the same delays.
    @Test func levelledPlanRoundTripsWithItsDelaysResourcesAndAssignments() throws {
        let day = 480
        let people = [Resource(id: .init(1), name: "楓 (Kaede)"), Resource(id: .init(2), name: "Aoba", maxUnits: 0.5)]
        var plan = SchedulePlan(
            name: "levelled", start: LocalTime(iso: "2026-11-02T09:00")!, calendars: [.japan],
            defaultCalendarID: WorkCalendar.japan.id,
            activities: (1...5).map { Activity(id: .init($0), name: "T\($0)", duration: .working(2 * day)) },
            dependencies: [Dependency(from: .init(1), to: .init(4))])
        plan.resources = people
        plan.assignments = [
            ResourceAssignment(number: 1, activity: .init(1), resource: .init(1), workMinutes: 2 * day),
            ResourceAssignment(number: 2, activity: .init(2), resource: .init(1), workMinutes: 2 * day),
            ResourceAssignment(number: 3, activity: .init(3), resource: .init(1), workMinutes: 2 * day),
            ResourceAssignment(number: 4, activity: .init(4), resource: .init(2), units: 0.5, workMinutes: day),
            ResourceAssignment(number: 5, activity: .init(5), resource: .init(2), units: 0.5, workMinutes: day),
        ]
        plan.activities[2].effortDriven = true
        let levelled = try PlanLeveller.level(plan)
        #expect(levelled.moves.count == 2)  // two of 楓's three tasks; Aoba's two do not overlap (4 waits for 1)
        #expect(levelled.remainingOverloads == 0)
        let xml = MSPDIWriter.write(levelled.plan, result: levelled.after)
        if let dir = ProcessInfo.processInfo.environment["PMO_MSPDI_EXPORT_DIR"] {
            try xml.write(toFile: dir + "/levelled.xml", atomically: true, encoding: .utf8)
        }
        #expect(xml.contains("<LevelingDelay>"))
        let doc = try MSPDIReader.read(Data(xml.utf8))
        let again = doc.plan()
        #expect(again.resources.map(\.name) == people.map(\.name))
        #expect(again.assignments.count == 5)
        #expect(again.activities.map(\.levelingDelay) == levelled.plan.activities.map(\.levelingDelay))
        #expect(again.activities.map(\.effortDriven) == [false, false, true, false, false])
        #expect(CriticalPath.schedule(again).activities == levelled.after.activities)
    }

    @Test func roundTripOfMicrosoftProjectFiles() throws {
        for file in [
            "aspose-from-mpp/Homemoveplan.xml", "aspose-from-mpp/ExtractEmbeddedObjects.xml",
            "mpxj/task-links-project2010-mspdi.xml",
            "aspose-from-mpp/CalculateWorkHours.xml",
        ] {
            let doc = try MSPDIReader.read(Data(contentsOf: SharedData.url("mspdi/" + file)))
            let plan = doc.plan()
            let before = CriticalPath.schedule(plan)
            let again = try MSPDIReader.read(Data(MSPDIWriter.write(plan, result: before).utf8)).plan()
            #expect(CriticalPath.schedule(again).activities == before.activities, "\(file)")
        }
    }

    @Test func namesAreEscaped() throws {
        let plan = SchedulePlan(
            name: "A & B <test>", start: LocalTime(iso: "2026-04-01T09:00")!, calendars: [.japan],
            defaultCalendarID: WorkCalendar.japan.id,
            activities: [Activity(id: .init(1), name: "設計 \"R&D\" <1>", duration: .working(480))], dependencies: [])
        let doc = try MSPDIReader.read(Data(MSPDIWriter.write(plan).utf8))
        #expect(doc.header.name == "A & B <test>")
        #expect(doc.tasks.first?.name == "設計 \"R&D\" <1>")
    }
}

@Suite struct MSPDIBaselineTests {
    @Test func baselinesOneToTenAreReadAndSurviveExport() throws {
        // baselines.xml: task 1 carries baselines 1...10; baseline n starts 2001-01-0n 09:00, lasts n × 7.5 h and costs n × 100.
        let doc = try MSPDIReader.read(Data(contentsOf: SharedData.url("mspdi/mpxj/baselines.xml")))
        let plan = doc.plan()
        let task = try #require(plan.activities.first { $0.id.rawValue == 1 })
        #expect(task.baselines.map(\.number) == Array(1...10))
        for b in task.baselines where b.number <= 9 {
            #expect(b.start == LocalTime(iso: "2001-01-0\(b.number)T09:00:00"))
            #expect(b.cost == Double(b.number * 100))
            #expect(b.duration?.minutes == b.number * 450)
        }
        let result = CriticalPath.schedule(plan)
        let v2 = BaselineVariance.compute(plan: plan, result: result, baseline: 2)
        #expect(v2.first { $0.id.rawValue == 1 }?.durationMinutes == 450 - 900)
        let back = try MSPDIReader.read(Data(MSPDIWriter.write(plan, result: result).utf8)).plan()
        #expect(back.activities.first { $0.id.rawValue == 1 }?.baselines == task.baselines)
    }
}

@Suite struct MSPDIResourceTests {
    @Test func resourcesAndAssignmentsAreReadAndSurviveExport() throws {
        let doc = try MSPDIReader.read(Data(contentsOf: SharedData.url("mspdi/mpxj/mspdiresource.xml")))
        let plan = doc.plan()
        // The file's own counts, less Project's "unassigned" resource (UID -65535 / 0 placeholder rows are kept as written).
        #expect(plan.resources.count == doc.resources.filter { $0.uid >= 0 }.count)
        #expect(!plan.resources.isEmpty && !plan.assignments.isEmpty)
        for a in plan.assignments {
            #expect(plan.activities.contains { $0.id == a.activity } && plan.resources.contains { $0.id == a.resource })
        }
        let back = try MSPDIReader.read(Data(MSPDIWriter.write(plan, result: CriticalPath.schedule(plan)).utf8)).plan()
        #expect(back.resources == plan.resources)
        #expect(back.assignments == plan.assignments)
    }
}
