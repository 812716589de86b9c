import Foundation
import PMOCore

/// The addresses of the plan's pages, in one typed list: every link, form action and redirect of the plan pages is
/// built here, so a path is spelled once. `SitePathTests` resolves every case against the application's routes, so a
/// case without a route (or a route renamed under it) fails a test rather than a user's click.
enum PlanPath: Sendable, Hashable {
    case wbs, gantt, ganttSVG, master, progress, baselines, evm, calendars, importExport
    case addActivity, activity(Int), moveActivity(Int), deleteActivity(Int), activityLinks(Int), activityProgress(Int), activityAttachments(Int)
    case deleteLink(UUID), statusDate, calendar(Int), companies, feed, phases, settings
    case grid, gridRows, gridUndo, paste
    /// Levelling: the plan's page (propose, scenarios, priority), clearing its delays; an activity's resources.
    case levelling, levellingClear, priority, activityAssignments(Int)

    /// The segments after `/projects/{key}/plan`.
    var segments: [String] {
        switch self {
        case .wbs: []
        case .gantt: ["gantt"]
        case .ganttSVG: ["gantt.svg"]
        case .master: ["master"]
        case .progress: ["progress"]
        case .baselines: ["baselines"]
        case .evm: ["evm"]
        case .calendars: ["calendars"]
        case .importExport: ["import"]
        case .addActivity: ["activities"]
        case .activity(let uid): ["activities", "\(uid)"]
        case .moveActivity(let uid): ["activities", "\(uid)", "move"]
        case .deleteActivity(let uid): ["activities", "\(uid)", "delete"]
        case .activityLinks(let uid): ["activities", "\(uid)", "links"]
        case .activityProgress(let uid): ["activities", "\(uid)", "progress"]
        case .activityAttachments(let uid): ["activities", "\(uid)", "attachments"]
        case .deleteLink(let id): ["links", id.uuidString.lowercased(), "delete"]
        case .statusDate: ["status-date"]
        case .calendar(let uid): ["calendars", "\(uid)"]
        case .companies: ["companies"]
        case .feed: ["feed"]
        case .phases: ["phases"]
        case .settings: ["settings"]
        case .grid: ["grid"]
        case .gridRows: ["grid", "rows"]
        case .gridUndo: ["grid", "undo"]
        case .paste: ["paste"]
        case .levelling: ["levelling"]
        case .levellingClear: ["levelling", "clear"]
        case .priority: ["levelling", "priority"]
        case .activityAssignments(let uid): ["activities", "\(uid)", "assignments"]
        }
    }

    /// The path in project `key`; `query` is appended as given (its values already encoded by `query(_:)`).
    func href(_ key: String, query: String = "", fragment: String = "") -> String {
        SitePath.project(key, ["plan"] + segments, query: query, fragment: fragment)
    }

    /// The WBS row of an activity: the table, scrolled to it.
    static func wbsRow(_ key: String, _ uid: Int) -> String { PlanPath.wbs.href(key, fragment: "a\(uid)") }

    /// A form's "back" address, kept only when it is a page of the same project (never an address elsewhere).
    static func back(_ back: String?, key: String) -> String? {
        back.flatMap { $0.hasPrefix("/projects/" + SitePath.segment(key) + "/") ? $0 : nil }
    }

    /// The plan's export through the API (`xml` or `csv`), which the import / export page links to.
    static func apiExport(_ key: String, format: String) -> String {
        "/api/v1/projects/" + SitePath.segment(key) + "/plan/export." + format
    }

    /// Every kind of plan address with sample parameters (for the routes test).
    static let samples: [PlanPath] = [
        .wbs, .gantt, .ganttSVG, .master, .progress, .baselines, .evm, .calendars, .importExport,
        .addActivity, .activity(1), .moveActivity(1), .deleteActivity(1), .activityLinks(1), .activityProgress(1), .activityAttachments(1),
        .deleteLink(UUID()), .statusDate, .calendar(1), .companies, .feed, .phases, .settings, .grid, .gridRows, .gridUndo, .paste,
        .levelling, .levellingClear, .priority, .activityAssignments(1),
    ]
}

/// The addresses of a project's meeting pages (series, occurrences, versions, downloads), built only here.
enum MeetingPath: Sendable, Hashable {
    /// What the minutes form of an occurrence posts to: each saves what was typed first, then does its step.
    enum Post: String, Sendable, CaseIterable { case minutes, prepare, items, outputs, approve, amend }
    /// The documents an occurrence (or an approved version) downloads as.
    enum File: String, Sendable, CaseIterable {
        case agendaMarkdown = "agenda.md", minutesMarkdown = "minutes.md", minutesWorkbook = "minutes.xlsx", invitation = "invite.ics"
        /// What an approved version offers: the minutes only.
        static let ofVersion: [File] = [.minutesMarkdown, .minutesWorkbook]
    }

    case list
    case series(UUID), prepareNext(UUID), seriesCalendar(UUID)
    case occurrence(UUID, Int), post(UUID, Int, Post), deleteItem(UUID, Int, item: UUID), attachments(UUID, Int)
    case version(UUID, Int, Int), download(UUID, Int, File), versionDownload(UUID, Int, Int, File)

    var segments: [String] {
        func id(_ u: UUID) -> String { u.uuidString.lowercased() }
        return switch self {
        case .list: []
        case .series(let s): [id(s)]
        case .prepareNext(let s): [id(s), "prepare"]
        case .seriesCalendar(let s): [id(s), "series.ics"]
        case .occurrence(let s, let n): [id(s), "\(n)"]
        case .post(let s, let n, let step): [id(s), "\(n)", step.rawValue]
        case .deleteItem(let s, let n, let item): [id(s), "\(n)", "items", id(item), "delete"]
        case .attachments(let s, let n): [id(s), "\(n)", "attachments"]
        case .version(let s, let n, let v): [id(s), "\(n)", "versions", "\(v)"]
        case .download(let s, let n, let file): [id(s), "\(n)", file.rawValue]
        case .versionDownload(let s, let n, let v, let file): [id(s), "\(n)", "versions", "\(v)", file.rawValue]
        }
    }

    /// The path in project `key`, with an optional fragment (`item-…`, `outputs`).
    func href(_ key: String, fragment: String = "") -> String {
        SitePath.project(key, ["meetings"] + segments, fragment: fragment)
    }

    static let samples: [MeetingPath] = {
        let s = UUID()
        return [.list, .series(s), .prepareNext(s), .seriesCalendar(s), .occurrence(s, 1), .deleteItem(s, 1, item: UUID()), .attachments(s, 1), .version(s, 1, 1)]
            + Post.allCases.map { .post(s, 1, $0) } + File.allCases.map { .download(s, 1, $0) } + File.ofVersion.map { .versionDownload(s, 1, 1, $0) }
    }()
}

/// The addresses of a project's own pages besides the plan, meetings and reports: its home, details and members,
/// the register overview and decision rights, and every register's list, items, forms, imports and exports.
enum ProjectPath: Sendable, Hashable {
    enum ExportFormat: String, Sendable, CaseIterable { case xlsx, csv }

    case home, edit, members, addMember, removeMember(String), registers, decisionRights, riskHeatMap
    case items(ItemType), newItem(ItemType), item(ItemType, Int), editItem(ItemType, Int), deleteItem(ItemType, Int)
    case comments(ItemType, Int), links(ItemType, Int), deleteLink(ItemType, Int, String)
    case importItems(ItemType), applyImport(ItemType), export(ItemType, ExportFormat)
    case riskOccurred(Int), questionToChange(Int), decide(Int), approve(Int)
    /// An item's files: the upload form's target; one file (its download) and its delete button.
    case attachments(ItemType, Int), attachment(String), deleteAttachment(String)
    /// The ticked rows of a list, changed in one step.
    case bulk(ItemType)
    /// Starting or stopping watching an item.
    case watch(ItemType, Int)
    /// A list's saved views: saving one, deleting one.
    case views(ItemType), deleteView(ItemType, String)
    /// Signals: the list (with the thresholds' form), one signal, and what is done with it.
    case signals, signal(String), signalAcknowledge(String), signalConvert(String), signalThresholds
    /// Webhooks: the list (with the form to add one), one webhook (its form and log) and what is done with it, one
    /// delivery and its replay.
    case webhooks, webhook(String), webhookTest(String), webhookSecret(String), webhookDelete(String)
    case webhookDelivery(String), webhookReplay(String)
    /// The project's KPIs: the page, its workbook, one KPI's chart (`<code>.svg`).
    case kpis, kpisWorkbook, kpiChart(String)
    /// The system configuration diagram: its page, and its files (`diagram.svg`, `diagram.mmd`).
    case systemDiagram, systemDiagramFile(String)
    /// What free text (activities' systems, changes' affected systems and requirements) matches, and applying it.
    case freeText, applyFreeText
    /// A business function's sequence diagram as a file (`sequence.svg`, `sequence.mmd`).
    case functionSequence(Int, String)
    /// The requirements' traceability matrix: its page and its workbook (`traceability.xlsx`).
    case traceability, traceabilityFile(String)
    /// The organisation chart: its page and its files (`chart.svg`, `chart.mmd`).
    case orgChart, orgChartFile(String)
    /// The RACI table (役割分担表): its page and its workbook (`table.xlsx`).
    case raciTable, raciTableFile(String)
    /// The budget ledger (予算管理表); a request for estimate with its aggregation (見積集約), and the choice of an option.
    case ledger, ledgerCashOut, ledgerExport, ledgerImport, ledgerApplyImport, ledgerProposeChangeOrder, ledgerRevision, ledgerEstimate, ledgerChangeOrder(Int, UUID), ledgerMilestone(Int, Int), estimateRequest(Int), chooseOption(Int)
    /// One estimate with its files (the vendor's quotation), and their upload.
    case estimate(UUID), estimateAttachments(UUID)

    /// The list segment of a register: `issues`, `risks`, `decisions`, `questions`, `changes`, `actions`.
    static func plural(_ type: ItemType) -> String { type.register?.plural ?? "issues" }

    /// The segments after `/projects/{key}`.
    var segments: [String] {
        let p = ProjectPath.plural
        return switch self {
        case .home: []
        case .edit: ["edit"]
        case .members, .addMember: ["members"]
        case .removeMember(let user): ["members", user, "remove"]
        case .registers: ["registers"]
        case .decisionRights: ["decision-rights"]
        case .riskHeatMap: ["risks", "heatmap.svg"]
        case .items(let t): [p(t)]
        case .newItem(let t): [p(t), "new"]
        case .item(let t, let n): [p(t), "\(n)"]
        case .editItem(let t, let n): [p(t), "\(n)", "edit"]
        case .deleteItem(let t, let n): [p(t), "\(n)", "delete"]
        case .comments(let t, let n): [p(t), "\(n)", "comments"]
        case .links(let t, let n): [p(t), "\(n)", "links"]
        case .deleteLink(let t, let n, let id): [p(t), "\(n)", "links", id, "delete"]
        case .importItems(let t): [p(t), "import"]
        case .applyImport(let t): [p(t), "import", "apply"]
        case .export(let t, let format): [p(t), "export." + format.rawValue]
        case .riskOccurred(let n): ["risks", "\(n)", "occurred"]
        case .questionToChange(let n): ["questions", "\(n)", "change-request"]
        case .decide(let n): ["decisions", "\(n)", "decide"]
        case .approve(let n): ["changes", "\(n)", "approve"]
        case .attachments(let t, let n): [p(t), "\(n)", "attachments"]
        case .bulk(let t): [p(t), "bulk"]
        case .watch(let t, let n): [p(t), "\(n)", "watch"]
        case .views(let t): [p(t), "views"]
        case .deleteView(let t, let id): [p(t), "views", id, "delete"]
        case .attachment(let id): ["files", id]
        case .deleteAttachment(let id): ["files", id, "delete"]
        case .signals: ["signals"]
        case .signal(let id): ["signals", id]
        case .signalAcknowledge(let id): ["signals", id, "acknowledge"]
        case .signalConvert(let id): ["signals", id, "convert"]
        case .signalThresholds: ["signals", "thresholds"]
        case .webhooks: ["webhooks"]
        case .webhook(let id): ["webhooks", id]
        case .webhookTest(let id): ["webhooks", id, "test"]
        case .webhookSecret(let id): ["webhooks", id, "secret"]
        case .webhookDelete(let id): ["webhooks", id, "delete"]
        case .webhookDelivery(let id): ["webhook-deliveries", id]
        case .webhookReplay(let id): ["webhook-deliveries", id, "replay"]
        case .kpis: ["kpis"]
        case .kpisWorkbook: ["kpis.xlsx"]
        case .kpiChart(let code): ["kpis", code + ".svg"]
        case .systemDiagram: ["systems", "diagram"]
        case .systemDiagramFile(let ext): ["systems", "diagram." + ext]
        case .freeText: ["systems", "matching"]
        case .applyFreeText: ["systems", "matching", "apply"]
        case .functionSequence(let n, let ext): ["functions", "\(n)", "sequence." + ext]
        case .traceability: ["requirements", "traceability"]
        case .traceabilityFile(let ext): ["requirements", "traceability." + ext]
        case .orgChart: ["units", "chart"]
        case .orgChartFile(let ext): ["units", "chart." + ext]
        case .raciTable: ["raci", "table"]
        case .raciTableFile(let ext): ["raci", "table." + ext]
        case .ledger: ["ledger"]
        case .ledgerCashOut: ["ledger", "cash-out.svg"]
        case .ledgerExport: ["ledger", "export.xlsx"]
        case .ledgerImport: ["ledger", "import"]
        case .ledgerApplyImport: ["ledger", "import", "apply"]
        case .ledgerProposeChangeOrder: ["ledger", "change-orders"]
        case .ledgerRevision: ["ledger", "revisions"]
        case .ledgerEstimate: ["ledger", "estimates"]
        case .ledgerChangeOrder(let order, let id): ["ledger", "orders", "\(order)", "change-orders", id.uuidString.lowercased()]
        // The milestone's place in the order, from 1.
        case .ledgerMilestone(let order, let position): ["ledger", "orders", "\(order)", "milestones", "\(position)"]
        case .estimateRequest(let n): ["ledger", "requests", "\(n)"]
        case .chooseOption(let n): ["ledger", "requests", "\(n)", "decision"]
        case .estimate(let id): ["ledger", "estimates", id.uuidString.lowercased()]
        case .estimateAttachments(let id): ["ledger", "estimates", id.uuidString.lowercased(), "attachments"]
        }
    }

    /// The path in project `key`; `query` is appended as given (build it with `SitePath.query`).
    func href(_ key: String, query: String = "", fragment: String = "") -> String {
        SitePath.project(key, segments, query: query, fragment: fragment)
    }

    static let webhookSamples: [ProjectPath] = {
        let makers: [(String) -> ProjectPath] = [ProjectPath.webhook, ProjectPath.webhookTest, ProjectPath.webhookSecret, ProjectPath.webhookDelete,
                                                 ProjectPath.webhookDelivery, ProjectPath.webhookReplay]
        return makers.map { $0(UUID().uuidString.lowercased()) }
    }()

    static let samples: [ProjectPath] = [.home, .edit, .members, .removeMember(UUID().uuidString.lowercased()), .registers, .decisionRights,
                                         .riskHeatMap, .riskOccurred(1), .questionToChange(1), .decide(1), .approve(1),
                                         .attachment(UUID().uuidString.lowercased()), .deleteAttachment(UUID().uuidString.lowercased()),
                                         .signals, .signal(UUID().uuidString.lowercased()), .signalAcknowledge(UUID().uuidString.lowercased()),
                                         .signalConvert(UUID().uuidString.lowercased()), .signalThresholds, .webhooks,
                                         .kpis, .kpisWorkbook, .kpiChart("closed_by_due"), .systemDiagram, .systemDiagramFile("svg"), .freeText, .applyFreeText,
                                         .systemDiagramFile("mmd"), .functionSequence(1, "svg"), .functionSequence(1, "mmd"),
                                         .traceability, .traceabilityFile("xlsx"), .orgChart, .orgChartFile("svg"), .orgChartFile("mmd"),
                                         .raciTable, .raciTableFile("xlsx"), .ledger, .ledgerCashOut, .ledgerExport, .ledgerImport, .ledgerApplyImport, .ledgerProposeChangeOrder, .ledgerRevision, .ledgerEstimate, .ledgerChangeOrder(1, UUID()), .ledgerMilestone(1, 1), .estimateRequest(1), .chooseOption(1), .estimate(UUID()), .estimateAttachments(UUID())]
        + webhookSamples
        + ItemType.allCases.flatMap { t -> [ProjectPath] in
            [.items(t), .newItem(t), .item(t, 1), .editItem(t, 1), .deleteItem(t, 1), .comments(t, 1), .links(t, 1), .attachments(t, 1), .bulk(t), .watch(t, 1), .views(t), .deleteView(t, UUID().uuidString.lowercased()),
             .deleteLink(t, 1, UUID().uuidString.lowercased()), .importItems(t), .applyImport(t)] + ExportFormat.allCases.map { .export(t, $0) }
        }
}

/// The page of a register item or issue, by type and number or by its reference.
enum ItemPath {
    static func href(_ key: String, _ type: ItemType, _ number: Int) -> String { ProjectPath.item(type, number).href(key) }

    /// The page of a reference such as "CRM-A3", nil when it is not one.
    static func href(_ key: String, reference: String?) -> String? {
        guard let reference, let r = ItemReference(reference) else { return nil }
        return href(key, r.type, r.number)
    }
}

/// The addresses outside one project: signing in, the lists across projects, the user's settings, administration.
enum AppPath: Sendable, Hashable {
    enum UserAction: String, Sendable, CaseIterable { case activate, deactivate, reset, invite }

    case login, logout, projects, myWork, portfolio, signals, settings, password, tokens, revokeToken(String)
    /// One's e-mail preferences.
    case mailSettings
    /// The inbox; one entry marked read, or opened (marked read, then its item); every entry marked read.
    case inbox, inboxRead(String), inboxOpen(String), inboxReadAll
    case adminUsers, adminUser(String, UserAction), adminCompanies, adminSettings, adminContractTypes
    /// The PMO's KPIs across projects: the page, its workbook, one KPI's chart (`<code>.svg`).
    case kpis, kpisWorkbook, kpiChart(String)
    /// The resources and their overload map.
    case resources

    var href: String {
        switch self {
        case .login: "/login"
        case .logout: "/logout"
        case .projects: "/projects"
        case .myWork: "/work"
        case .portfolio: "/portfolio"
        case .signals: "/signals"
        case .inbox: "/inbox"
        case .inboxRead(let id): "/inbox/\(SitePath.segment(id))/read"
        case .inboxOpen(let id): "/inbox/\(SitePath.segment(id))/open"
        case .inboxReadAll: "/inbox/read-all"
        case .settings: "/settings"
        case .password: "/settings/password"
        case .tokens: "/settings/tokens"
        case .mailSettings: "/settings/mail"
        case .revokeToken(let id): "/settings/tokens/\(SitePath.segment(id))/revoke"
        case .adminUsers: "/admin/users"
        case .adminUser(let id, let action): "/admin/users/\(SitePath.segment(id))/\(action.rawValue)"
        case .adminCompanies: "/admin/companies"
        case .adminSettings: "/admin/settings"
        case .adminContractTypes: "/admin/settings/contract-types"
        case .kpis: "/kpis"
        case .kpisWorkbook: "/kpis.xlsx"
        case .kpiChart(let code): "/kpis/\(SitePath.segment(code + ".svg"))"
        case .resources: "/resources"
        }
    }

    /// The sign-in page that returns to `next` (a local path) afterwards.
    static func login(next: String) -> String {
        "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
    }

    static let samples: [AppPath] = [.login, .logout, .projects, .myWork, .portfolio, .signals, .inbox, .inboxRead(UUID().uuidString.lowercased()),
                                     .inboxOpen(UUID().uuidString.lowercased()), .inboxReadAll, .settings, .password, .tokens, .mailSettings,
                                     .revokeToken(UUID().uuidString.lowercased()), .adminUsers, .adminCompanies, .adminSettings, .adminContractTypes,
                                     .kpis, .kpisWorkbook, .kpiChart("closed_by_due"), .resources]
        + UserAction.allCases.map { .adminUser(UUID().uuidString.lowercased(), $0) }
}

/// Encoding shared by the typed path lists.
enum SitePath {
    /// `/projects/{key}/{segments…}` with every segment encoded, then `?query` (as given) and `#fragment` when set.
    static func project(_ key: String, _ segments: [String], query: String = "", fragment: String = "") -> String {
        var s = "/projects/" + segment(key)
        for part in segments { s += "/" + segment(part) }
        if !query.isEmpty { s += "?" + query }
        if !fragment.isEmpty { s += "#" + fragment }
        return s
    }

    /// A path segment as it goes in a URL (project keys and slugs are plain ASCII; anything else is encoded).
    static func segment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? s
    }

    /// A query string from name / value pairs, values encoded; nil values are left out.
    static func query(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in
            value.map { name + "=" + ($0.addingPercentEncoding(withAllowedCharacters: valueCharacters) ?? $0) }
        }.joined(separator: "&")
    }

    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))
    private static let valueCharacters = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))
}
