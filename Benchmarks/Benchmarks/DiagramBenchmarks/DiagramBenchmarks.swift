import Benchmark
import Foundation
import PMOCore
import PMOInterchange
import PMOReports
import PMOWords

// The system configuration diagram at the largest readable size, 40 systems and 150 interfaces
// (SyntheticSystemMap): the layered layout, the SVG and the Mermaid text. The target is 300 ms through the server.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(10), maxIterations: 100)

    let (systems, interfaces) = SyntheticSystemMap.make()
    let words = SystemDiagram.Words(
        title: "System configuration diagram", methods: ["file": "File", "api": "API", "message_queue": "Message queue",
                                                        "db_link": "DB link", "screen": "Screen"],
        statuses: Dictionary(uniqueKeysWithValues: SystemDiagram.statuses.map { ($0, $0) }), kinds: [:],
        flagged: "Past its design deadline", legend: "Legend")
    Benchmark("SystemDiagram.svg 40 systems, 150 interfaces") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(SystemDiagram.svg(systems: systems, interfaces: interfaces, words: words))
        }
    }
    Benchmark("SystemDiagram.mermaid 40 systems, 150 interfaces") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(SystemDiagram.mermaid(systems: systems, interfaces: interfaces, words: words))
        }
    }

    // The organisation chart of a large programme: 60 units (about 300 people) in four companies, 20 escalation routes.
    let org = SyntheticOrganisation.make(units: 60)
    let orgWords = OrgChart.Words(title: "Organisation chart", legend: "Legend", reportingLine: "Reporting line",
                                  escalationRoute: "Escalation route", head: "Head")
    Benchmark("OrgChart.svg 60 units, 300 people, 20 escalation routes") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(OrgChart.svg(units: org.units, lines: org.lines, escalations: org.escalations, words: orgWords))
        }
    }

    // The traceability matrix at the size, 2,000 requirements × 40 systems (3,000 tests, 200 changes): the
    // items' stored fields decoded and the matrix built, as the server does per request; then its workbook. The
    // target is 500 ms through the server.
    let stored = SyntheticTraceability.make()
    Benchmark("Traceability matrix 2,000 requirements × 40 systems (decode + build)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(SyntheticTraceability.matrix(stored))
        }
    }
    let matrix = SyntheticTraceability.matrix(stored)
    Benchmark("Traceability workbook 2,000 requirements × 40 systems (.xlsx)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try XLSXWriter.write(TraceabilityWorkbook.tables(matrix, projectKey: "CRM", words: Words(.en))))
        }
    }
}
