import Foundation
import PMOTestData
import PMOCore
import PMOSchedule

@testable import PMOInterchange

/// Compares our schedule of an MSPDI file with the values Microsoft Project saved in it.
enum MSPDIComparison {
    struct Difference: CustomStringConvertible {
        var file: String, uid: Int, field: String, project: String, ours: String
        var description: String { "\(file) uid \(uid) \(field): Project \(project), ours \(ours)" }
    }

    static let files = [
        "mpxj/task-links-project2019-mspdi.xml", "mpxj/task-links-project2010-mspdi.xml",
        "mpxj/task-links-project2003-mspdi.xml",
        "mpxj/mspdirelations.xml", "mpxj/legacy-sample.xml", "mpxj/mspdiduration.xml", "mpxj/mspdisplittask.xml",
        "mpxj/mspdinulltasks.xml", "mpxj/calendar-calendars-project2019-mspdi.xml",
        "mpxj/calendar-calendars-project2003-mspdi.xml",
        "mpxj/calendar-recurring-exceptions-project2016-mspdi.xml",
        "mpxj/calendar-recurring-exceptions-project2007-mspdi.xml",
        "mpxj/legacy-caltest.xml", "mpxj/mspditimephasedsegments.xml", "mpxj/baselines.xml",
        "mpxj/task-baselines-project2019-mspdi.xml",
        "mpxj/mspdiassignmentfields.xml", "mpxj/mspdiresource.xml", "mpxj/mspdiavailability.xml",
        "mpxj/mspdicostratetable.xml",
        "mpxj/assignment-assignments-project2019-mspdi.xml", "mpxj/mspditimephased.xml",
        "aspose-from-mpp/Homemoveplan.xml", "aspose-from-mpp/ExtractEmbeddedObjects.xml",
        "aspose-from-mpp/schedule-conflict.xml",
        "aspose-from-mpp/CalculateWorkHours.xml", "aspose-from-mpp/ActualTaskProperties.xml",
    ]

    static func differences(_ relative: String) throws -> (tasks: Int, diffs: [Difference]) {
        let doc = try MSPDIReader.read(Data(contentsOf: SharedData.url("mspdi/" + relative)))
        let plan = doc.plan()
        let result = CriticalPath.schedule(plan)
        let report = ScheduleReport(plan: plan, result: result)
        var diffs: [Difference] = []
        let rows = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.uid, $0) })
        for t in doc.scheduledTasks {
            guard let r = rows[t.uid] else { continue }
            func check(_ field: String, _ project: String?, _ ours: String) {
                if let project, project != ours {
                    diffs.append(Difference(file: relative, uid: t.uid, field: field, project: project, ours: ours))
                }
            }
            check("start", t.start?.description, r.start.description)
            check("finish", t.finish?.description, r.finish.description)
            check("totalSlack", String(t.totalSlackMinutes ?? 0), String(r.totalFloatMinutes))
            check("freeSlack", String(t.freeSlackMinutes ?? 0), String(r.freeFloatMinutes))
            check("critical", String(t.critical ?? false), String(r.critical))
        }
        return (doc.scheduledTasks.count, diffs)
    }
}
