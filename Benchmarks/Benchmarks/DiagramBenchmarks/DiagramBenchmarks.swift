import Benchmark
import Foundation
import PMOReports

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
}
