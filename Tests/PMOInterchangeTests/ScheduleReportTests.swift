import Foundation
import PMOTestData
import PMOCore
import PMOSchedule
import Testing

@testable import PMOInterchange

@Suite struct ScheduleReportTests {
    /// Two tasks on MS Project's standard calendar, worked by hand: "Design, 1" 1d from Friday 2024-01-12 08:00, then
    /// "Build" 2d FS: Monday–Tuesday. Design has no float; the plan ends Tuesday 17:00.
    static func tinyPlan() -> SchedulePlan {
        SchedulePlan(
            name: "tiny", start: LocalTime(iso: "2024-01-12T08:00")!, calendars: [.msProjectStandard],
            defaultCalendarID: WorkCalendar.msProjectStandard.id,
            activities: [
                Activity(id: .init(1), name: "Design, \"1\"", duration: .working(480)),
                Activity(id: .init(2), name: "Build", duration: .working(960)),
            ],
            dependencies: [Dependency(from: .init(1), to: .init(2))])
    }

    @Test func jsonHasTheIssueShapeExactly() {
        let plan = Self.tinyPlan()
        let report = ScheduleReport(plan: plan, result: CriticalPath.schedule(plan))
        let expected =
            #"{"projectStart":"2024-01-12T08:00:00","projectFinish":"2024-01-16T17:00:00","activities":["#
            + #"{"uid":1,"name":"Design, \"1\"","start":"2024-01-12T08:00:00","finish":"2024-01-12T17:00:00","lateStart":"2024-01-12T08:00:00","lateFinish":"2024-01-12T17:00:00","totalFloatMinutes":0,"freeFloatMinutes":0,"critical":true},"#
            + #"{"uid":2,"name":"Build","start":"2024-01-15T08:00:00","finish":"2024-01-16T17:00:00","lateStart":"2024-01-15T08:00:00","lateFinish":"2024-01-16T17:00:00","totalFloatMinutes":0,"freeFloatMinutes":0,"critical":true}"#
            + #"],"diagnostics":[]}"# + "\n"
        #expect(report.render(.json) == expected)
        // And it is valid JSON.
        #expect((try? JSONSerialization.jsonObject(with: Data(report.render(.json).utf8))) != nil)
    }

    @Test func csvQuotesAndUsesTheJsonKeys() {
        let plan = Self.tinyPlan()
        let csv = ScheduleReport(plan: plan, result: CriticalPath.schedule(plan)).render(.csv)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "uid,name,start,finish,lateStart,lateFinish,totalFloatMinutes,freeFloatMinutes,critical")
        #expect(
            lines[1]
                == #"1,"Design, ""1""",2024-01-12T08:00:00,2024-01-12T17:00:00,2024-01-12T08:00:00,2024-01-12T17:00:00,0,0,true"#
        )
        #expect(lines.count == 4 && lines[3].isEmpty)
    }

    @Test func tableShowsEveryRowAndDiagnostics() {
        var plan = Self.tinyPlan()
        plan.activities[1].deadline = LocalTime(iso: "2024-01-15T17:00")!
        let table = ScheduleReport(plan: plan, result: CriticalPath.schedule(plan)).render(.table)
        let lines = table.split(separator: "\n")
        #expect(lines[0] == "Project: 2024-01-12T08:00:00 – 2024-01-16T17:00:00")
        #expect(lines[1].hasPrefix("UID  Name"))
        #expect(lines[3].contains("Build") && lines[3].contains("-1d"))
        #expect(table.contains("schedule.deadline_missed"))
    }

    @Test func psplibReportUsesPeriods() throws {
        let data = try Data(contentsOf: SharedData.url("psplib/instances/j30/j301_1.sm"))
        let (report, ok) = try ScheduleFile.report(data)
        #expect(ok)
        let json = report.render(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["projectLength"] as? Int == 38)  // MPM-Time in the file
        let acts = try #require(object["activities"] as? [[String: Any]])
        #expect(acts.count == 32)
        #expect(acts[0]["uid"] as? Int == 1 && acts[0]["start"] as? Int == 0)
        #expect(acts[31]["finish"] as? Int == 38)
        #expect(acts[0]["totalFloat"] as? Int == 0 && acts[0]["totalFloatMinutes"] == nil)
        // Job 2 (8 periods, successors 6, 11, 15) starts at 0.
        #expect(acts[1]["start"] as? Int == 0 && acts[1]["finish"] as? Int == 8)
    }

    @Test func mspdiReportSkipsTheProjectSummaryAndKeepsFileOrder() throws {
        let data = try Data(contentsOf: SharedData.url("mspdi/mpxj/mspdirelations.xml"))
        let (report, ok) = try ScheduleFile.report(data)
        #expect(ok)
        #expect(report.rows.map(\.uid) == [1, 2, 3, 4, 5])
        // Task 5 is finished by an SF link: Microsoft Project shows 08:00 of the next working day, and so do we.
        #expect(report.rows[4].finish.description == "2006-09-25T08:00:00")
        #expect(report.statusDate?.description == "2009-01-09T08:00:00")  // no StatusDate: CurrentDate
    }

    @Test func unreadableFilesGiveClearErrors() {
        #expect(throws: InterchangeError.self) { try ScheduleFile.load(Data("hello".utf8)) }
        do {
            _ = try ScheduleFile.load(Data("hello".utf8))
        } catch let e as InterchangeError {
            #expect(e.code == "import.unknown_format" && e.line == 1)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aCycleIsReportedNotThrown() throws {
        let xml = """
            <Project><Tasks>
            <Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>
            <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type></PredecessorLink></Task>
            <Task><UID>2</UID><Name>B</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>
            <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>
            </Tasks></Project>
            """
        let (report, ok) = try ScheduleFile.report(Data(xml.utf8))
        #expect(!ok)
        #expect(report.diagnostics.map(\.code.rawValue) == ["schedule.cycle"])
        #expect(report.render(.json).contains(#""activities":[1,2]"#))
    }
}

@Suite struct ScheduleReportWidthTests {
    @Test func japaneseNamesKeepTheColumnsAligned() {
        let plan = SchedulePlan(
            name: "j", start: LocalTime(iso: "2026-04-01T09:00")!, calendars: [.japan],
            defaultCalendarID: WorkCalendar.japan.id,
            activities: [
                Activity(id: .init(1), name: "基本設計", duration: .working(480)),
                Activity(id: .init(2), name: "Test", duration: .working(480)),
            ],
            dependencies: [])
        let lines = ScheduleReport(plan: plan, result: CriticalPath.schedule(plan)).render(.table).split(
            separator: "\n")
        // "基本設計" is 8 columns wide, so the start column begins at the same terminal column in every row.
        let column = { (line: Substring) -> Int in
            let text = String(line)
            guard let r = text.range(of: "2026-") else { return -1 }
            return ScheduleReport.displayWidth(String(text[..<r.lowerBound]))
        }
        #expect(column(lines[2]) == column(lines[3]))
        #expect(ScheduleReport.displayWidth("基本設計") == 8 && ScheduleReport.displayWidth("Test") == 4)
    }
}
