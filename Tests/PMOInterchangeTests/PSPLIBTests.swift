import Foundation
import PMOTestData
import PMOCore
import PMOSchedule
import Testing

@testable import PMOInterchange

@Suite("PSPLIB networks (../shared/data/psplib)")
struct PSPLIBTests {
    static let sets = ["j30", "j60", "j90", "j120"]

    static func files() throws -> [URL] {
        var out: [URL] = []
        for s in sets {
            let dir = SharedData.url("psplib/instances/\(s)")
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sm") }
                .sorted()
            out += names.map { dir.appendingPathComponent($0) }
        }
        return out
    }

    /// Lower bounds, optima or (where no lower bound is known) upper bounds from `jXX_optimum_kobe.csv`: `problem,optimum` with `43`, `lb..ub` or `..ub`.
    static func lowerBounds() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for s in sets {
            let text = try String(contentsOf: SharedData.url("psplib/solutions/\(s)_optimum_kobe.csv"), encoding: .utf8)
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",")
                guard f.count == 2 else { continue }
                let value = f[1].trimmingCharacters(in: .whitespacesAndNewlines)
                // The lower bound, else (`..ub`, lower bound unknown) the upper bound: both are ≥ the CPM length.
                let parts = value.components(separatedBy: "..")
                if let v = Int(parts[0]) ?? Int(parts.last!) { out[String(f[0])] = v }
            }
        }
        return out
    }

    @Test func all2040NetworksHaveTheMPMTimeWrittenInTheFile() throws {
        let files = try Self.files()
        #expect(files.count == 2040)
        let bounds = try Self.lowerBounds()
        var mismatches: [String] = []
        var violated: [String] = []
        var checkedBounds = 0
        for url in files {
            let project = try PSPLIBReader.read(Data(contentsOf: url))
            let plan = project.plan(name: url.lastPathComponent)
            let result = CriticalPath.schedule(plan)
            #expect(result.diagnostics.isEmpty)
            let length = result.projectFinish.minutes - result.projectStart.minutes
            if length != project.mpmTime {
                mismatches.append("\(url.lastPathComponent): \(length) vs \(project.mpmTime)")
            }
            // Every precedence holds, and no float is negative.
            let start = Dictionary(uniqueKeysWithValues: result.activities.map { ($0.id.rawValue, $0) })
            for j in project.jobs {
                let a = start[j.number]!
                if a.totalFloat < 0 || a.freeFloat < 0 || a.freeFloat > a.totalFloat {
                    violated.append("\(url.lastPathComponent) job \(j.number) float")
                }
                for s in j.successors where start[s]!.earlyStart < a.earlyFinish {
                    violated.append("\(url.lastPathComponent) \(j.number)->\(s)")
                }
            }
            // Resource-free length can never exceed the best resource-feasible lower bound.
            if let lb = bounds[url.lastPathComponent] {
                checkedBounds += 1
                if length > lb { violated.append("\(url.lastPathComponent) length \(length) > lower bound \(lb)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        #expect(violated.isEmpty, "\(violated.prefix(10))")
        #expect(checkedBounds == 2040)
    }

    /// Every one of the 2,040 networks levelled with a small budget (the full budgets run in Benchmarks/levelling): each schedule is checked period by period
    /// against the file's own jobs (not the leveller's packed problem), and is never shorter than the known optimum
    /// or lower bound. On j30, whose optima are all known, the mean gap must stay small even on 300 schedules.
    @Test func everyNetworkLevelsFeasiblyAndNeverBelowItsKnownBound() throws {
        // Only real lower bounds: `..ub` rows (no lower bound known) give an upper bound a leveller may beat.
        var bounds = try Self.lowerBounds()
        for s in Self.sets {
            let text = try String(contentsOf: SharedData.url("psplib/solutions/\(s)_optimum_kobe.csv"), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains(",..") {
                bounds[String(line.split(separator: ",")[0])] = nil
            }
        }
        var faults: [String] = []
        var j30Gap = 0.0
        var j30Count = 0
        for url in try Self.files() {
            let name = url.lastPathComponent
            let project = try PSPLIBReader.read(Data(contentsOf: url))
            // 300 schedules on j30; 30 on the larger sets keep this suite short in a debug build.
            let budget = name.hasPrefix("j30") ? 300 : 30
            let out = try Leveller.level(project.levellingProblem(), options: .init(schedules: budget))
            let start = Dictionary(uniqueKeysWithValues: project.jobs.map { ($0.number, out.starts[$0.number - 1]) })
            let length = project.jobs.map { start[$0.number]! + $0.duration }.max()!
            if length != out.makespan { faults.append("\(name): makespan \(out.makespan) is not the latest finish \(length)") }
            for j in project.jobs {
                for s in j.successors where start[s]! < start[j.number]! + j.duration {
                    faults.append("\(name): job \(s) starts before job \(j.number) finishes")
                }
            }
            for (r, capacity) in project.resourceCapacities.enumerated() {
                var use = [Int](repeating: 0, count: length + 1)
                for j in project.jobs where j.duration > 0 {
                    for t in start[j.number]!..<(start[j.number]! + j.duration) { use[t] += j.requests[r] }
                }
                if let t = use.firstIndex(where: { $0 > capacity }) {
                    faults.append("\(name): resource \(r + 1) over capacity in period \(t)")
                }
            }
            if let bound = bounds[name], length < bound { faults.append("\(name): \(length) below the bound \(bound)") }
            if name.hasPrefix("j30"), let optimum = bounds[name] {
                j30Gap += Double(length - optimum) / Double(optimum)
                j30Count += 1
            }
        }
        #expect(faults.isEmpty, "\(faults.prefix(10))")
        #expect(j30Count == 480)
        let meanGap = j30Gap / Double(max(1, j30Count))
        #expect(meanGap < 0.01, "mean gap to the j30 optima on 300 schedules: \(meanGap)")
    }

    @Test func readsTheFirstJ30FileByHand() throws {
        // Values read by eye from j301_1.sm.
        let p = try PSPLIBReader.read(Data(contentsOf: SharedData.url("psplib/instances/j30/j301_1.sm")))
        #expect(p.jobs.count == 32)
        #expect(p.mpmTime == 38)
        #expect(p.horizon == 158)
        #expect(p.jobs[0].successors == [2, 3, 4])
        #expect(p.jobs[1].duration == 8 && p.jobs[1].requests == [4, 0, 0, 0])
        #expect(p.jobs[31].successors.isEmpty)
        #expect(p.resourceCapacities.count == 4)
    }

    @Test func brokenFileNamesTheLine() {
        let text = """
            PROJECT INFORMATION:
            pronr.  #jobs rel.date duedate tardcost  MPM-Time
                1     1      0       3       1       3
            ************************************************************************
            PRECEDENCE RELATIONS:
            jobnr.    #modes  #successors   successors
               1        1          1           2
               2        1          x           3
            """
        #expect {
            try PSPLIBReader.read(Data(text.utf8))
        } throws: { error in
            (error as? InterchangeError)?.line == 8 && (error as? InterchangeError)?.code == "import.psplib.syntax"
        }
    }
}
