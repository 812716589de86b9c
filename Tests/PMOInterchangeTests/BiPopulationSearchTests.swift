import Foundation
import PMOTestData
import Testing

@testable import PMOInterchange
@testable import PMOSchedule

/// The bi-population search on real PSPLIB networks: its right-justified schedules, moved to start at 0, are
/// schedules of the problem, and it finds shorter schedules than the single population on the same budget.
@Suite("Bi-population levelling (../shared/data/psplib)")
struct BiPopulationSearchTests {
    static func problem(_ name: String) throws -> LevellingProblem {
        let set = ["j120", "j30", "j60", "j90"].first { name.hasPrefix($0) } ?? "j30"
        let url = SharedData.url("psplib/instances/\(set)/\(name)")
        return try PSPLIBReader.read(Data(contentsOf: url)).levellingProblem()
    }

    /// Precedences and capacities counted period by period, apart from the decoder.
    static func faults(_ problem: LevellingProblem, _ starts: [Int]) -> [String] {
        var out: [String] = []
        for e in problem.precedences where starts[e.successor] < starts[e.predecessor] + e.distance {
            out.append("link \(e.predecessor + 1)->\(e.successor + 1)")
        }
        if let low = starts.min(), low < 0 { out.append("a start before 0: \(low)") }
        let end = zip(starts, problem.activities).map { $0 + $1.duration }.max() ?? 0
        for (r, resource) in problem.resources.enumerated() {
            for t in 0..<end {
                var use = 0
                for (i, a) in problem.activities.enumerated() where starts[i] <= t && t < starts[i] + a.duration {
                    use += a.demands.filter { $0.resource == r }.map(\.units).reduce(0, +)
                }
                if use > resource.capacity { out.append("R\(r + 1) at \(t): \(use) > \(resource.capacity)") }
            }
        }
        return out
    }

    @Test func onlyProblemsThatMayMoveInTimeAreSearchedWithTwoPopulations() throws {
        let plain = try Self.problem("j301_1.sm")
        #expect(PackedProblem(plain).isShiftInvariant)
        var released = plain
        released.activities[3].release = 2
        var started = plain
        started.activities[1].fixedStart = 0
        var withinSlack = plain
        withinSlack.activities[5].latestStart = 10
        var absence = plain
        absence.resources[0].profile = [absence.resources[0].capacity, 0]
        for changed in [released, started, withinSlack, absence] { #expect(!PackedProblem(changed).isShiftInvariant) }
    }

    @Test func aBackwardScheduleMovedToStartAtZeroIsASchedule() throws {
        for name in ["j301_1.sm", "j6013_7.sm", "j12011_4.sm"] {
            let problem = try Self.problem(name)
            var search = GeneticSearch(PackedProblem(problem), options: .init(schedules: 100))
            let forwards = search.decodeForwards(search.sampleList(bias: 1))
            #expect(Self.faults(problem, forwards.starts).isEmpty, "\(name) forwards")
            // Justified backwards at the same makespan: never longer, starting at 0, every link and capacity kept.
            let justified = search.decodeBackwards(forwards.reverseList, deadline: forwards.makespan)
            let backwards = try #require(justified)
            #expect(backwards.makespan <= forwards.makespan, "\(name)")
            #expect(backwards.starts.min() == 0, "\(name)")
            let finish = zip(backwards.starts, problem.activities).map { $0 + $1.duration }.max()
            #expect(finish == backwards.makespan, "\(name)")
            #expect(Self.faults(problem, backwards.starts).isEmpty, "\(name) backwards: \(Self.faults(problem, backwards.starts).prefix(3))")
            // Far from its deadline (a crossover child's room), the same list gives the same schedule once moved.
            let moved = search.decodeBackwards(forwards.reverseList, deadline: 3 * forwards.makespan)
            let roomy = try #require(moved)
            #expect(roomy.starts == backwards.starts, "\(name) with room")
            #expect(roomy.makespan == backwards.makespan, "\(name) with room")
            #expect(search.schedules == 3)
        }
    }

    @Test func twoPopulationsFindShorterSchedulesThanOneOnTheSameBudget() throws {
        // Every 30th j120 network (20 of 600) on 3,000 schedules each, seed 1: the sums of the makespans.
        let dir = SharedData.url("psplib/instances/j120")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sm") }.sorted()
        var single = 0
        var both = 0
        for name in stride(from: 0, to: names.count, by: 30).map({ names[$0] }) {
            let problem = try Self.problem(name)
            let options = Leveller.Options(schedules: 3_000)
            var one = GeneticSearch(PackedProblem(problem), options: options)
            let a = one.runSinglePopulation(shouldStop: { false })
            var two = GeneticSearch(PackedProblem(problem), options: options)
            let b = two.runBiPopulation(shouldStop: { false })
            #expect(Self.faults(problem, b.starts).isEmpty, "\(name)")
            #expect(b.schedules <= 3_000 && a.schedules <= 3_000)
            single += a.makespan
            both += b.makespan
        }
        print("j120 sample on 3,000 schedules: single population \(single), two populations \(both)")
        #expect(both < single)
    }
}
