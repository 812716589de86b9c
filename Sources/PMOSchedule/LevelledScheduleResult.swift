import PMOCore

extension Leveller.Outcome {
    /// The levelled schedule as the rows the critical path method gives, for a plan whose periods are minutes from
    /// `origin` (what `PSPLIBProject.plan()` makes): each activity's levelled start and finish, its resource-
    /// constrained late dates (`lateStarts`), total float (late minus levelled start), free float (the room before
    /// the first successor or the finish), and critical where the total float is 0. Activity ids are the keys.
    public func periodResult(for problem: LevellingProblem, origin: LocalTime = LocalTime(minutes: 0)) -> ScheduleResult {
        var room = problem.activities.indices.map { makespan - (starts[$0] + problem.activities[$0].duration) }
        for e in problem.precedences {
            room[e.predecessor] = min(room[e.predecessor], starts[e.successor] - e.distance - starts[e.predecessor])
        }
        func at(_ period: Int) -> LocalTime { LocalTime(minutes: origin.minutes + period) }
        let rows = problem.activities.enumerated().map { i, a in
            let total = lateStarts[i] - starts[i]
            return ScheduledActivity(
                id: Activity.ID(a.key), earlyStart: at(starts[i]), earlyFinish: at(starts[i] + a.duration),
                lateStart: at(lateStarts[i]), lateFinish: at(lateStarts[i] + a.duration), start: at(starts[i]),
                finish: at(starts[i] + a.duration), totalFloat: total, freeFloat: max(0, room[i]),
                isCritical: total <= 0, drivingPredecessor: nil)
        }
        return ScheduleResult(
            activities: rows, projectStart: origin, projectFinish: at(makespan), diagnostics: [])
    }
}
