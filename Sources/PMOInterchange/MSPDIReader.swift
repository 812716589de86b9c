import Foundation
import PMOCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads Microsoft Project XML (MSPDI) with the streaming XMLParser.
public enum MSPDIReader {
    /// Parses an MSPDI file; throws `InterchangeError` (`import.mspdi.xml`, `import.mspdi.value`, `import.mspdi.not_mspdi`)
    /// naming the line and element at fault.
    public static func read(_ data: Data) throws -> MSPDIDocument {
        // The stream form parses in chunks, which avoids libxml2's 10 MB limit on one in-memory document.
        let parser = XMLParser(stream: InputStream(data: data))
        let delegate = Delegate()
        parser.delegate = delegate
        parser.shouldProcessNamespaces = false
        let ok = parser.parse()
        if let error = delegate.failure { throw error }
        if !ok || parser.parserError != nil || !delegate.path.isEmpty {
            let message =
                parser.parserError.map { "\($0.localizedDescription)" }
                ?? (delegate.path.last.map { "<\($0)> is never closed" } ?? "not well-formed XML")
            throw InterchangeError(
                code: "import.mspdi.xml", message: "The XML cannot be parsed: \(message).",
                line: parser.lineNumber, element: delegate.path.last)
        }
        guard delegate.sawProject else {
            throw InterchangeError(
                code: "import.mspdi.not_mspdi", message: "No <Project> root element: not an MSPDI file.", line: 1)
        }
        var doc = delegate.doc
        doc.calendars = delegate.resolveCalendars()
        return doc
    }

    /// Parses `PT8H0M0S`, `P2DT4H`, `PT0.5H` ... into minutes (rounded); nil if malformed.
    public static func minutes(ofISODuration s: String) -> Int? {
        var text = Substring(s)
        var negative = false
        if text.first == "-" {
            negative = true
            text = text.dropFirst()
        }
        guard text.first == "P" else { return nil }
        text = text.dropFirst()
        var inTime = false
        var number = ""
        var total = 0.0
        for ch in text {
            switch ch {
            case "T": inTime = true
            case "0"..."9", ".": number.append(ch)
            case "Y", "M", "W", "D", "H", "S":
                guard let v = Double(number) else { return nil }
                number = ""
                switch (ch, inTime) {
                case ("Y", false): total += v * 525_600
                case ("M", false): total += v * 43_200
                case ("W", false): total += v * 10_080
                case ("D", false): total += v * 1_440
                case ("H", true): total += v * 60
                case ("M", true): total += v
                case ("S", true): total += v / 60
                default: return nil
                }
            default: return nil
            }
        }
        guard number.isEmpty, let m = Int(nearest: total), abs(m) <= Int(Int32.max) else { return nil }
        return negative ? -m : m
    }

    /// A calendar as written in the file, before inheritance from its base is applied.
    struct RawCalendar {
        var uid = 0
        var name = ""
        var baseUID: Int?
        var week: [[WorkingTimeRange]?] = Array(repeating: nil, count: 7)
        var exceptions: [CalendarException] = []
    }

    /// The element names the reader looks at, resolved once per element (a hash lookup instead of string compares).
    enum Tag: UInt8 {
        case other, project, calendars, calendar, weekDays, weekDay, exceptions, exception, workWeek, tasks, task
        case predecessorLink, baseline, resources, resource, assignments, assignment, emailAddress
        case uid, id, name, title, isNull, active, manual, summary, milestone, outlineLevel, outlineNumber, duration
        case durationFormat, start, finish, earlyStart, earlyFinish, lateStart, lateFinish, totalSlack, freeSlack
        case critical, constraintType, constraintDate, deadline, calendarUID, percentComplete, actualStart, actualFinish
        case remainingDuration, cost, actualCost, bcws, bcwp, acwp, predecessorUID, type, linkLag, lagFormat, number
        case taskUID, resourceUID, units, work, maxUnits, standardRate, startDate, finishDate, statusDate, currentDate
        case minutesPerDay, minutesPerWeek, daysPerMonth, scheduleFromStart, baseCalendarUID, dayType, dayWorking
        case fromTime, toTime, fromDate, toDate, levelingDelay, levelingDelayFormat, effortDriven

        static let byName: [String: Tag] = [
            "Project": .project, "Calendars": .calendars, "Calendar": .calendar, "WeekDays": .weekDays,
            "WeekDay": .weekDay,
            "Exceptions": .exceptions, "Exception": .exception, "WorkWeek": .workWeek, "Tasks": .tasks, "Task": .task,
            "PredecessorLink": .predecessorLink, "Baseline": .baseline, "Resources": .resources, "Resource": .resource,
            "Assignments": .assignments, "Assignment": .assignment, "EmailAddress": .emailAddress, "UID": .uid, "ID": .id, "Name": .name,
            "Title": .title,
            "IsNull": .isNull, "Active": .active, "Manual": .manual, "Summary": .summary, "Milestone": .milestone,
            "OutlineLevel": .outlineLevel, "OutlineNumber": .outlineNumber, "Duration": .duration,
            "DurationFormat": .durationFormat, "Start": .start, "Finish": .finish, "EarlyStart": .earlyStart,
            "EarlyFinish": .earlyFinish, "LateStart": .lateStart, "LateFinish": .lateFinish, "TotalSlack": .totalSlack,
            "FreeSlack": .freeSlack, "Critical": .critical, "ConstraintType": .constraintType,
            "ConstraintDate": .constraintDate, "Deadline": .deadline, "CalendarUID": .calendarUID,
            "PercentComplete": .percentComplete, "ActualStart": .actualStart, "ActualFinish": .actualFinish,
            "RemainingDuration": .remainingDuration, "Cost": .cost, "ActualCost": .actualCost, "BCWS": .bcws,
            "BCWP": .bcwp, "ACWP": .acwp, "PredecessorUID": .predecessorUID, "Type": .type, "LinkLag": .linkLag,
            "LagFormat": .lagFormat, "Number": .number, "TaskUID": .taskUID, "ResourceUID": .resourceUID,
            "Units": .units, "Work": .work, "MaxUnits": .maxUnits, "StandardRate": .standardRate,
            "StartDate": .startDate, "FinishDate": .finishDate, "StatusDate": .statusDate, "CurrentDate": .currentDate,
            "MinutesPerDay": .minutesPerDay, "MinutesPerWeek": .minutesPerWeek, "DaysPerMonth": .daysPerMonth,
            "LevelingDelay": .levelingDelay, "LevelingDelayFormat": .levelingDelayFormat, "EffortDriven": .effortDriven,
            "ScheduleFromStart": .scheduleFromStart, "BaseCalendarUID": .baseCalendarUID, "DayType": .dayType,
            "DayWorking": .dayWorking, "FromTime": .fromTime, "ToTime": .toTime, "FromDate": .fromDate,
            "ToDate": .toDate,
        ]
    }

    /// Trims ASCII white space without Foundation (the reader's hot path).
    static func trim(_ s: String) -> String {
        let u = s.utf8
        guard let f = u.first, let l = u.last else { return s }
        func ws(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
        if !ws(f) && !ws(l) { return s }
        guard let a = u.firstIndex(where: { !ws($0) }), let b = u.lastIndex(where: { !ws($0) }) else { return "" }
        return String(s[a...b])
    }

    final class Delegate: NSObject, XMLParserDelegate {
        var doc = MSPDIDocument()
        var path: [String] = []
        var tags: [Tag] = []
        var text = ""
        var failure: InterchangeError?
        var sawProject = false
        var insideWorkWeek = 0
        var insideException = 0

        var calendars: [RawCalendar] = []
        var calendar: RawCalendar?
        // Week day or exception being read.
        var dayType: Int?
        var dayWorking = false
        var times: [WorkingTimeRange] = []
        var fromTime: Int?
        var periodFrom: LocalTime?, periodTo: LocalTime?
        var exceptionFields: [String: String] = [:]

        var task: MSPDIDocument.Task?
        var link: MSPDIDocument.Link?
        var baseline: MSPDIDocument.Baseline?
        var resource: MSPDIDocument.Resource?
        var assignment: MSPDIDocument.Assignment?

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if path.isEmpty {
                guard name == "Project" else {
                    fail(parser, code: "import.mspdi.not_mspdi", "The root element is <\(name)>, not <Project>.", name)
                    return
                }
                sawProject = true
            }
            let tag = Tag.byName[name] ?? .other
            let parent = tags.last ?? .other
            path.append(name)
            tags.append(tag)
            text = ""
            switch tag {
            case .calendar where parent == .calendars: calendar = RawCalendar()
            case .workWeek: insideWorkWeek += 1
            case .exception:
                insideException += 1
                fallthrough
            case .weekDay:
                dayType = nil
                dayWorking = false
                times = []
                periodFrom = nil
                periodTo = nil
                exceptionFields = [:]
            case .task where parent == .tasks:
                task = MSPDIDocument.Task()
                task?.line = parser.lineNumber
            case .predecessorLink where task != nil:
                link = MSPDIDocument.Link(predecessorUID: -1, type: 1, lagTenths: 0, lagFormat: 7)
            case .baseline where task != nil: baseline = MSPDIDocument.Baseline(number: 0)
            case .resource where parent == .resources: resource = MSPDIDocument.Resource()
            case .assignment where parent == .assignments: assignment = MSPDIDocument.Assignment()
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            text += String(decoding: block, as: UTF8.self)
        }

        func fail(_ parser: XMLParser, code: String = "import.mspdi.value", _ message: String, _ element: String) {
            guard failure == nil else { return }
            failure = InterchangeError(code: code, message: message, line: parser.lineNumber, element: element)
            parser.abortParsing()
        }

        func int(_ p: XMLParser, _ s: String, _ e: String) -> Int {
            if let v = Int(s) { return v }
            if let d = Double(s), let v = Int(nearest: d) { return v }
            fail(p, "<\(e)> should be a whole number, found \"\(s)\".", e)
            return 0
        }

        func double(_ p: XMLParser, _ s: String, _ e: String) -> Double {
            if let v = Double(s), v.isFinite { return v }
            fail(p, "<\(e)> should be a number, found \"\(s)\".", e)
            return 0
        }

        func date(_ p: XMLParser, _ s: String, _ e: String) -> LocalTime? {
            if s.isEmpty { return nil }
            if let t = LocalTime(iso: s) { return t }
            fail(p, "<\(e)> should be a date-time like 2018-10-26T08:00:00, found \"\(s)\".", e)
            return nil
        }

        func duration(_ p: XMLParser, _ s: String, _ e: String) -> Int {
            if let m = MSPDIReader.minutes(ofISODuration: s) { return m }
            fail(p, "<\(e)> should be an ISO 8601 duration like PT8H0M0S, found \"\(s)\".", e)
            return 0
        }

        func time(_ p: XMLParser, _ s: String, _ e: String) -> Int {
            let f = s.split(separator: ":")
            if f.count >= 2, let h = Int(f[0]), let m = Int(f[1]), (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440 {
                return h * 60 + m
            }
            fail(p, "<\(e)> should be a time like 08:00:00, found \"\(s)\".", e)
            return 0
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard path.last == name, let tag = tags.last else {
                // Some XMLParser back ends recover from mismatched tags; a schedule must not be guessed from such a file.
                fail(
                    parser, code: "import.mspdi.xml", "The closing tag </\(name)> does not match <\(path.last ?? "")>.",
                    name)
                return
            }
            path.removeLast()
            tags.removeLast()
            let parent = tags.last ?? .other
            if failure != nil { return }
            if tag == .other && !(calendar != nil && insideException > 0) {
                text = ""
                return
            }
            let value = MSPDIReader.trim(text)
            text = ""

            if link != nil {
                switch tag {
                case .predecessorUID: link!.predecessorUID = int(parser, value, name)
                case .type: link!.type = int(parser, value, name)
                case .linkLag: link!.lagTenths = int(parser, value, name)
                case .lagFormat: link!.lagFormat = int(parser, value, name)
                case .predecessorLink:
                    task!.links.append(link!)
                    link = nil
                default: break
                }
                return
            }
            if baseline != nil {
                switch tag {
                case .number: baseline!.number = int(parser, value, name)
                case .start: baseline!.start = date(parser, value, name)
                case .finish: baseline!.finish = date(parser, value, name)
                case .duration: baseline!.durationMinutes = duration(parser, value, name)
                case .cost: baseline!.cost = double(parser, value, name)
                case .baseline:
                    task!.baselines.append(baseline!)
                    baseline = nil
                default: break
                }
                return
            }
            if task != nil {
                guard parent == .task || tag == .task else { return }  // skip nested extended attributes etc.
                switch tag {
                case .uid: task!.uid = int(parser, value, name)
                case .id: task!.id = int(parser, value, name)
                case .name: task!.name = value
                case .isNull: task!.isNull = value == "1"
                case .active: task!.isActive = value != "0"
                case .manual: task!.isManual = value == "1"
                case .summary: task!.isSummary = value == "1"
                case .milestone: task!.isMilestone = value == "1"
                case .outlineLevel: task!.outlineLevel = int(parser, value, name)
                case .outlineNumber: task!.outlineNumber = value
                case .duration: task!.durationMinutes = duration(parser, value, name)
                case .durationFormat: task!.durationFormat = int(parser, value, name)
                case .start: task!.start = date(parser, value, name)
                case .finish: task!.finish = date(parser, value, name)
                case .earlyStart: task!.earlyStart = date(parser, value, name)
                case .earlyFinish: task!.earlyFinish = date(parser, value, name)
                case .lateStart: task!.lateStart = date(parser, value, name)
                case .lateFinish: task!.lateFinish = date(parser, value, name)
                case .totalSlack: task!.totalSlackMinutes = int(parser, value, name) / 10
                case .freeSlack: task!.freeSlackMinutes = int(parser, value, name) / 10
                case .critical: task!.critical = value == "1"
                case .constraintType: task!.constraintType = int(parser, value, name)
                case .constraintDate: task!.constraintDate = date(parser, value, name)
                case .deadline: task!.deadline = date(parser, value, name)
                case .calendarUID: task!.calendarUID = int(parser, value, name)
                case .percentComplete: task!.percentComplete = double(parser, value, name)
                case .actualStart: task!.actualStart = date(parser, value, name)
                case .actualFinish: task!.actualFinish = date(parser, value, name)
                case .remainingDuration: task!.remainingDurationMinutes = duration(parser, value, name)
                case .levelingDelay: task!.levelingDelayMinutes = int(parser, value, name) / 10
                case .levelingDelayFormat: task!.levelingDelayFormat = int(parser, value, name)
                case .effortDriven: task!.effortDriven = value == "1"
                case .cost: task!.cost = double(parser, value, name)
                case .actualCost: task!.actualCost = double(parser, value, name)
                case .bcws: task!.bcws = double(parser, value, name)
                case .bcwp: task!.bcwp = double(parser, value, name)
                case .acwp: task!.acwp = double(parser, value, name)
                case .task:
                    doc.tasks.append(task!)
                    task = nil
                default: break
                }
                return
            }
            if resource != nil {
                guard parent == .resource || tag == .resource else { return }
                switch tag {
                case .uid: resource!.uid = int(parser, value, name)
                case .name: resource!.name = value
                case .type: resource!.type = int(parser, value, name)
                case .maxUnits: resource!.maxUnits = double(parser, value, name)
                case .standardRate: resource!.standardRate = double(parser, value, name)
                case .calendarUID: resource!.calendarUID = int(parser, value, name)
                case .emailAddress: resource!.email = value
                case .resource:
                    doc.resources.append(resource!)
                    resource = nil
                default: break
                }
                return
            }
            if assignment != nil {
                guard parent == .assignment || tag == .assignment else { return }
                switch tag {
                case .uid: assignment!.uid = int(parser, value, name)
                case .taskUID: assignment!.taskUID = int(parser, value, name)
                case .resourceUID: assignment!.resourceUID = int(parser, value, name)
                case .units: assignment!.units = double(parser, value, name)
                case .work: assignment!.workMinutes = duration(parser, value, name)
                case .cost: assignment!.cost = double(parser, value, name)
                case .assignment:
                    doc.assignments.append(assignment!)
                    assignment = nil
                default: break
                }
                return
            }
            if calendar != nil {
                endCalendarElement(parser, name, tag: tag, parent: parent, value: value)
                return
            }
            guard parent == .project else { return }
            switch tag {
            case .name: doc.header.name = value
            case .title: if doc.header.name.isEmpty { doc.header.name = value }
            case .startDate: doc.header.startDate = date(parser, value, name)
            case .finishDate: doc.header.finishDate = date(parser, value, name)
            case .statusDate: doc.header.statusDate = date(parser, value, name)
            case .currentDate: doc.header.currentDate = date(parser, value, name)
            case .calendarUID: doc.header.calendarUID = int(parser, value, name)
            case .minutesPerDay: doc.header.minutesPerDay = int(parser, value, name)
            case .minutesPerWeek: doc.header.minutesPerWeek = int(parser, value, name)
            case .daysPerMonth: doc.header.daysPerMonth = int(parser, value, name)
            case .scheduleFromStart: doc.header.scheduleFromStart = value != "0"
            default: break
            }
        }

        func endCalendarElement(_ p: XMLParser, _ name: String, tag: Tag, parent: Tag, value: String) {
            switch tag {
            case .uid where parent == .calendar: calendar!.uid = int(p, value, name)
            case .name where parent == .calendar: calendar!.name = value
            case .baseCalendarUID:
                let b = int(p, value, name)
                calendar!.baseUID = b >= 0 ? b : nil
            case .dayType: dayType = int(p, value, name)
            case .dayWorking: dayWorking = value == "1"
            case .fromTime: fromTime = time(p, value, name)
            case .toTime:
                let to = time(p, value, name)
                if let f = fromTime, let r = WorkingTimeRange(start: f, end: to == 0 ? 1440 : to) { times.append(r) }
                fromTime = nil
            case .fromDate: periodFrom = date(p, value, name)
            case .toDate: periodTo = date(p, value, name)
            case .workWeek: insideWorkWeek -= 1
            case .weekDay where parent == .weekDays && insideWorkWeek == 0:
                guard let t = dayType else { return }
                if t == 0 {
                    // Old-style exception: a period of days with its own working times.
                    if let f = periodFrom, let to = periodTo {
                        calendar!.exceptions.append(
                            CalendarException(
                                name: "Exception", firstDay: f.date, lastDay: to.date,
                                workingTimes: dayWorking ? times : []))
                    }
                } else if (1...7).contains(t) {
                    calendar!.week[t - 1] = dayWorking ? WorkingTimeRange.normalized(times) : []
                }
            case .exception where parent == .exceptions:
                insideException -= 1
                if let e = exception() { calendar!.exceptions.append(e) }
            case .calendar where parent == .calendars:
                calendars.append(calendar!)
                calendar = nil
            default:
                if insideException > 0 { exceptionFields[name] = value }
            }
        }

        /// Builds a new-style (Project 2007+) exception from the fields read.
        func exception() -> CalendarException? {
            guard let f = periodFrom, let t = periodTo else { return nil }
            let fld = { (k: String) in Int(self.exceptionFields[k] ?? "") }
            let period = max(1, fld("Period") ?? 1)
            let ordinal = (fld("MonthPosition") ?? 0) + 1
            let item = fld("MonthItem") ?? 0
            let recurrence: CalendarException.Recurrence
            switch fld("Type") ?? 1 {
            case 1: recurrence = .everyDay
            case 7: recurrence = .daily(interval: period)
            case 6:
                let mask = fld("DaysOfWeek") ?? 0
                recurrence = .weekly(interval: period, weekdays: Set((0..<7).filter { mask & (1 << $0) != 0 }))
            case 4: recurrence = .monthlyOnDay(interval: period, day: fld("MonthDay") ?? f.date.day)
            case 5:
                if item >= 3 {
                    recurrence = .monthlyOnWeekday(interval: period, ordinal: ordinal, weekday: item - 3)
                } else {
                    recurrence = .monthlyOnDay(interval: period, day: ordinal >= 5 ? 31 : ordinal)
                }
            case 2:
                recurrence = .yearlyOnDate(
                    month: fld("Month").map { $0 + 1 } ?? f.date.month, day: fld("MonthDay") ?? f.date.day)
            case 3:
                let month = fld("Month").map { $0 + 1 } ?? f.date.month
                recurrence =
                    item >= 3
                    ? .yearlyOnWeekday(month: month, ordinal: ordinal, weekday: item - 3)
                    : .yearlyOnDate(
                        month: month, day: ordinal >= 5 ? CivilDate.daysIn(year: f.date.year, month: month) : ordinal)
            default: recurrence = .everyDay
            }
            return CalendarException(
                name: exceptionFields["Name"] ?? "Exception", firstDay: f.date, lastDay: t.date,
                workingTimes: dayWorking ? times : [], recurrence: recurrence)
        }

        /// Applies base calendars: a derived calendar takes its base's weekdays where it has none, and its exceptions first.
        func resolveCalendars() -> [WorkCalendar] {
            let byUID = Dictionary(calendars.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })
            func resolved(_ c: RawCalendar, depth: Int) -> ([[WorkingTimeRange]?], [CalendarException]) {
                guard depth < 16, let b = c.baseUID, b != c.uid, let base = byUID[b] else {
                    return (c.week, c.exceptions)
                }
                let (bw, be) = resolved(base, depth: depth + 1)
                return ((0..<7).map { c.week[$0] ?? bw[$0] }, be + c.exceptions)
            }
            return calendars.map { c in
                let (week, exceptions) = resolved(c, depth: 0)
                let std = WorkCalendar.msProjectStandard.week
                return WorkCalendar(
                    id: WorkCalendar.ID(c.uid), name: c.name, week: (0..<7).map { week[$0] ?? std[$0] },
                    exceptions: exceptions, baseID: c.baseUID.map(WorkCalendar.ID.init), timeZoneIdentifier: "UTC")
            }
        }
    }
}
