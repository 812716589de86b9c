import Benchmark
import Foundation
import PMOCore
import PMOInterchange
import PMOSchedule

// Generated plans (SyntheticPlan: ~2 links per task, mixed FS/SS/FF/SF, lags and leads, Japanese calendar),
// scheduled in full: both passes, both floats, summaries, diagnostics.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(10), maxIterations: 50)

    for size in [10_000, 100_000, 1_000_000] {
        let plan = SyntheticPlan.make(activities: size)
        Benchmark(
            "CriticalPath.schedule \(size) activities",
            configuration: .init(
                maxDuration: .seconds(size >= 1_000_000 ? 30 : 10), maxIterations: size >= 1_000_000 ? 5 : 50)
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(CriticalPath.schedule(plan))
            }
        }
    }

    let plan10k = SyntheticPlan.make(activities: 10_000)
    let xml10k = Data(MSPDIWriter.write(plan10k, result: CriticalPath.schedule(plan10k)).utf8)
    Benchmark("MSPDIReader.read 10k tasks (\(xml10k.count / 1_000_000) MB)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try MSPDIReader.read(xml10k))
        }
    }

    // Levelling: a PSPLIB j120 network on 5,000 schedules (the literature's usual budget), and a generated plan of
    // 2,000 activities with 100 people (PlanLeveller: the plan in working days, the search, the delays back).
    let j120 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../../shared/data/psplib/instances/j120/j1201_1.sm")
    if let data = try? Data(contentsOf: j120), let project = try? PSPLIBReader.read(data) {
        let problem = project.levellingProblem()
        Benchmark("Leveller j1201_1 (120 jobs, 4 resources) 5,000 schedules") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try Leveller.level(problem, options: .init(schedules: 5_000)))
            }
        }
    }
    let staffed = SyntheticPlan.staffed(SyntheticPlan.make(activities: 2_000), people: 100)
    Benchmark(
        "PlanLeveller 2,000 activities, 100 people, 5,000 schedules",
        configuration: .init(maxDuration: .seconds(20), maxIterations: 10)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try PlanLeveller.level(staffed, options: .init(search: .init(schedules: 5_000))))
        }
    }

    Benchmark("CalendarTimeline Japan 2000–2100 build") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                CalendarTimeline(
                    calendar: .japan, from: CivilDate(year: 2000, month: 1, day: 1)!,
                    through: CivilDate(year: 2100, month: 12, day: 31)!))
        }
    }
}
