import Foundation

/// What a project's kickoff pack shows, gathered from live data: the project, its scope and systems, who is who,
/// the master schedule, the current issues and risks, and the rules of the project (meetings, reporting, tools).
public struct KickoffPack: Sendable, Equatable, Codable {
    public struct Member: Sendable, Equatable, Codable {
        public var name: String
        public var company: String
        public var role: String
        public init(name: String, company: String, role: String) {
            self.name = name
            self.company = company
            self.role = role
        }
    }

    public struct Phase: Sendable, Equatable, Codable {
        public var name: String
        public var definition: String
        public var exitCriteria: String
        public var start: CalendarDate?
        public var finish: CalendarDate?
        public init(name: String, definition: String, exitCriteria: String, start: CalendarDate?, finish: CalendarDate?) {
            self.name = name
            self.definition = definition
            self.exitCriteria = exitCriteria
            self.start = start
            self.finish = finish
        }
    }

    public struct Meeting: Sendable, Equatable, Codable {
        public var name: String
        public var purpose: String
        public var chair: String?
        public var recurrence: MeetingRecurrence
        /// 0 = Sunday … 6 = Saturday, the day the series meets.
        public var weekday: Int { recurrence.firstDate.weekday }
        public var attendees: [String]
        public init(name: String, purpose: String, chair: String?, recurrence: MeetingRecurrence, attendees: [String]) {
            self.name = name
            self.purpose = purpose
            self.chair = chair
            self.recurrence = recurrence
            self.attendees = attendees
        }

        enum CodingKeys: String, CodingKey { case name, purpose, chair, recurrence, attendees }
    }

    public var projectKey: String
    public var projectName: String
    /// The project's purpose and expected value (its description).
    public var purpose: String
    public var businessOwner: String
    public var phase: String
    public var startDate: CalendarDate?
    public var targetDate: CalendarDate?
    /// The top-level WBS rows: the scope as the plan breaks it down.
    public var scope: [String]
    /// The systems the plan's activities name.
    public var systems: [String]
    public var members: [Member]
    public var phases: [Phase]
    public var milestones: [MilestoneStatus]
    public var topIssues: [ReportItem]
    public var topRisks: [ReportItem]
    public var meetings: [Meeting]
    /// The reporting rule: the day status reports are made and the registers the project keeps.
    public var lastReportDate: CalendarDate?

    public init(projectKey: String, projectName: String, purpose: String, businessOwner: String, phase: String,
                startDate: CalendarDate?, targetDate: CalendarDate?, scope: [String], systems: [String], members: [Member],
                phases: [Phase], milestones: [MilestoneStatus], topIssues: [ReportItem], topRisks: [ReportItem],
                meetings: [Meeting], lastReportDate: CalendarDate?) {
        self.projectKey = projectKey
        self.projectName = projectName
        self.purpose = purpose
        self.businessOwner = businessOwner
        self.phase = phase
        self.startDate = startDate
        self.targetDate = targetDate
        self.scope = scope
        self.systems = systems
        self.members = members
        self.phases = phases
        self.milestones = milestones
        self.topIssues = topIssues
        self.topRisks = topRisks
        self.meetings = meetings
        self.lastReportDate = lastReportDate
    }
}
