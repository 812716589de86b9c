import Foundation
import PMOCore

extension MSPDIDocument {
    /// Tasks that become activities: every task except the UID-0 project summary, blank rows and inactive tasks, in file order.
    public var scheduledTasks: [Task] {
        tasks.filter { !($0.uid == 0 && $0.outlineLevel == 0) && !$0.isNull && $0.isActive }
    }

    /// The document as a plan for the scheduler. Parents come from outline levels; manual tasks keep their start and finish.
    public func plan() -> SchedulePlan {
        let rows = scheduledTasks
        var activities: [Activity] = []
        activities.reserveCapacity(rows.count)
        var stack: [(level: Int, id: Activity.ID)] = []
        let calendarIDs = Set(calendars.map(\.id))
        for t in rows {
            while let last = stack.last, last.level >= t.outlineLevel { stack.removeLast() }
            let parent = stack.last?.id
            let id = Activity.ID(t.uid)
            stack.append((t.outlineLevel, id))
            let elapsed = Self.elapsedFormats.contains(t.durationFormat)
            let kind: Activity.Kind =
                t.isSummary ? .summary : (t.isMilestone || t.durationMinutes == 0 ? .milestone : .task)
            let constraintKind: ActivityConstraint.Kind = [
                .asSoonAsPossible, .asLateAsPossible, .mustStartOn, .mustFinishOn,
                .startNoEarlierThan, .startNoLaterThan, .finishNoEarlierThan, .finishNoLaterThan,
            ][min(7, max(0, t.constraintType))]
            let calendar =
                t.calendarUID >= 0 && calendarIDs.contains(WorkCalendar.ID(t.calendarUID))
                ? WorkCalendar.ID(t.calendarUID) : nil
            let complete = t.percentComplete >= 100
            var activity = Activity(
                id: id, name: t.name, kind: kind, parent: parent,
                duration: WorkDuration(
                    minutes: t.isMilestone ? 0 : t.durationMinutes, kind: elapsed ? .elapsed : .working),
                calendarID: calendar,
                constraint: ActivityConstraint(
                    constraintKind, date: t.constraintType >= 2 ? t.constraintDate : nil),
                deadline: t.deadline,
                progress: ActivityProgress(
                    actualStart: t.actualStart,
                    actualFinish: complete ? (t.actualFinish ?? t.finish) : t.actualFinish,
                    percentComplete: t.percentComplete,
                    remainingDuration: t.remainingDurationMinutes.map { .working($0) }),
                budgetedCost: t.baselines.first { $0.number == 0 }?.cost ?? t.cost,
                actualCost: t.actualCost,
                manualStart: t.isManual ? t.start : nil, manualFinish: t.isManual ? t.finish : nil,
                baselines: t.baselines.map {
                    ActivityBaseline(
                        number: $0.number, start: $0.start, finish: $0.finish,
                        duration: $0.durationMinutes.map {
                            WorkDuration(minutes: $0, kind: elapsed ? .elapsed : .working)
                        },
                        cost: $0.cost)
                },
                levelingDelay: t.levelingDelayMinutes <= 0
                    ? .zero
                    : WorkDuration(
                        minutes: t.levelingDelayMinutes,
                        kind: [4, 6, 8, 10, 12].contains(t.levelingDelayFormat % 32) ? .elapsed : .working))
            activity.effortDriven = t.effortDriven && !t.isSummary
            activities.append(activity)
        }
        var deps: [Dependency] = []
        for t in rows {
            for l in t.links {
                let kind: Dependency.Kind = [.finishToFinish, .finishToStart, .startToFinish, .startToStart][
                    min(3, max(0, l.type))]
                let lag: DependencyLag
                if l.lagFormat == 19 || l.lagFormat == 20 || l.lagFormat == 51 || l.lagFormat == 52 {
                    lag = .percent(Double(l.lagTenths) / 10)
                } else if Self.elapsedFormats.contains(l.lagFormat) {
                    lag = .elapsed(minutes: l.lagTenths / 10)
                } else {
                    lag = .working(minutes: l.lagTenths / 10)
                }
                deps.append(
                    Dependency(from: Activity.ID(l.predecessorUID), to: Activity.ID(t.uid), kind: kind, lag: lag))
            }
        }
        let start = header.startDate ?? rows.compactMap(\.start).min() ?? LocalTime(minutes: 0)
        let defaultCalendar = WorkCalendar.ID(header.calendarUID)
        var cals = calendars
        if !cals.contains(where: { $0.id == defaultCalendar }) {
            var std = WorkCalendar.msProjectStandard
            std.id = defaultCalendar
            cals.append(std)
        }
        // Resources with a negative UID (Project's "unassigned" -65535) and their assignments are left out.
        let resources = self.resources.filter { $0.uid >= 0 }.map { r in
            PMOCore.Resource(
                id: PMOCore.Resource.ID(r.uid), name: r.name,
                kind: r.type == 0 ? .material : r.type == 2 ? .cost : .work,
                maxUnits: r.maxUnits, standardRatePerHour: r.standardRate,
                calendarID: r.calendarUID.flatMap {
                    calendarIDs.contains(WorkCalendar.ID($0)) ? WorkCalendar.ID($0) : nil
                }, email: r.email)
        }
        let resourceIDs = Set(resources.map(\.id))
        let activityIDs = Set(activities.map(\.id))
        let assignments = self.assignments.compactMap { a -> ResourceAssignment? in
            guard resourceIDs.contains(PMOCore.Resource.ID(a.resourceUID)), activityIDs.contains(Activity.ID(a.taskUID))
            else {
                return nil
            }
            return ResourceAssignment(
                number: a.uid, activity: Activity.ID(a.taskUID), resource: PMOCore.Resource.ID(a.resourceUID),
                units: a.units, workMinutes: a.workMinutes, cost: a.cost)
        }
        return SchedulePlan(
            name: header.name, start: start, calendars: cals, defaultCalendarID: defaultCalendar,
            activities: activities, dependencies: deps, statusDate: header.statusDate ?? header.currentDate,
            minutesPerDay: header.minutesPerDay, resources: resources, assignments: assignments)
    }
}
