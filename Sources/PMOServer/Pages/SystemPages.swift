import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOStore
import PMOWords
import Vapor

/// The system configuration diagram (システム構成図): a page with the diagram inline, and the same diagram as an SVG
/// file and as Mermaid text, drawn from the systems and interfaces the reader may see.
enum SystemPages {
    /// How systems are grouped into the diagram's bands.
    enum Grouping: String, CaseIterable, Sendable {
        case vendor, kind
    }

    struct DiagramData {
        var key: String
        var grouping: Grouping
        var map: SystemMap
        var diagram: TrustedMarkup
    }

    struct FreeTextData {
        var key: String
        var report: FreeTextReport
        var canApply: Bool
        /// How many changes the last apply changed (shown once after it).
        var applied: Int?
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "systems", "matching") { req async throws -> Response in
            try await freeTextPage(req, applied: req.query[Int.self, at: "applied"])
        }
        pages.post("projects", ":key", "systems", "matching", "apply") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let changed = try await req.store.systems.applyFreeTextMatches(caller, key: key)
            return req.redirect(to: ProjectPath.freeText.href(key, query: SitePath.query([("applied", "\(changed)")])))
        }
        pages.get("projects", ":key", "systems", "diagram") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let grouping = try self.grouping(req)
            let map = try await req.store.systems.map(caller, key: key, today: req.today(for: caller).0)
            let project = try await req.pageProjectContext(caller, key: key).project
            let input = diagramInput(map, grouping: grouping, req.pageWords)
            return try await req.renderProjectPage(
                SystemViews.diagram,
                DiagramData(key: key, grouping: grouping, map: map,
                            diagram: ChartMarkup.systemDiagram(systems: input.systems, interfaces: input.interfaces, words: input.words)),
                title: req.pageWords["sysmap.title"], section: "systems", project: project)
        }
        pages.get("projects", ":key", "systems", "diagram.svg") { req async throws -> Response in
            let input = try await diagram(req, caller: try req.pageCaller(), words: req.pageWords)
            return KPIPages.svg(SystemDiagram.svg(systems: input.systems, interfaces: input.interfaces, words: input.words))
        }
        pages.get("projects", ":key", "functions", ":number", "sequence.svg") { req async throws -> Response in
            let caller = try req.pageCaller()
            let input = sequenceInput(try await req.store.systems.sequence(caller, key: try req.projectKey(), number: try req.pathInt("number"),
                                                                           today: req.today(for: caller).0), req.pageWords)
            return KPIPages.svg(SequenceDiagram.svg(participants: input.participants, messages: input.messages, words: input.words))
        }
        pages.get("projects", ":key", "functions", ":number", "sequence.mmd") { req async throws -> Response in
            let caller = try req.pageCaller()
            let number = try req.pathInt("number")
            let input = sequenceInput(try await req.store.systems.sequence(caller, key: try req.projectKey(), number: number,
                                                                           today: req.today(for: caller).0), req.pageWords)
            return mermaid(SequenceDiagram.mermaid(participants: input.participants, messages: input.messages, words: input.words),
                           key: try req.projectKey(), name: "B\(number)-sequence")
        }
        pages.get("projects", ":key", "systems", "diagram.mmd") { req async throws -> Response in
            let input = try await diagram(req, caller: try req.pageCaller(), words: req.pageWords)
            return mermaid(SystemDiagram.mermaid(systems: input.systems, interfaces: input.interfaces, words: input.words), key: try req.projectKey())
        }
    }

    static func freeTextPage(_ req: Request, applied: Int?) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let context = try await req.pageProjectContext(caller, key: key)
        let report = try await req.store.systems.freeTextReport(caller, key: key)
        return try await req.renderProjectPage(
            SystemViews.freeText, FreeTextData(key: report.projectKey, report: report, canApply: context.allows(.editProject), applied: applied),
            title: "\(report.projectKey) – \(req.pageWords["match.title"])", section: "systems", project: context.project)
    }

    /// `group=vendor` (the default) or `group=kind`; anything else is refused naming the parameter.
    static func grouping(_ req: Request) throws -> Grouping {
        guard let raw = req.query[String.self, at: "group"], !raw.isEmpty else { return .vendor }
        guard let grouping = Grouping(rawValue: raw) else {
            throw DomainError.invalid("query.invalid", [FieldError(field: "group", code: "invalid_choice", message: "group must be vendor or kind.")])
        }
        return grouping
    }

    /// The diagram's input for the request's project and grouping, in the reader's words.
    static func diagram(_ req: Request, caller: Caller, words: Words) async throws
        -> (systems: [SystemDiagram.System], interfaces: [SystemDiagram.Interface], words: SystemDiagram.Words) {
        let grouping = try grouping(req)
        let map = try await req.store.systems.map(caller, key: try req.projectKey(), today: req.today(for: caller).0)
        return diagramInput(map, grouping: grouping, words)
    }

    /// Systems in their bands' order (vendors by name, "no vendor" last; kinds in their register order), interfaces
    /// by number, every label in `t`'s language.
    static func diagramInput(_ map: SystemMap, grouping: Grouping, _ t: Words) -> (systems: [SystemDiagram.System], interfaces: [SystemDiagram.Interface], words: SystemDiagram.Words) {
        func group(_ s: SystemMap.System) -> (rank: String, label: String) {
            switch grouping {
            case .vendor:
                let vendor = s.builtBy ?? s.runBy
                return (vendor.map { "0" + $0 } ?? "1", vendor ?? t["sysmap.no_vendor"])
            case .kind:
                let rank = RegisterFieldSpec.systemKinds.firstIndex(of: s.kind) ?? RegisterFieldSpec.systemKinds.count
                return ("\(rank)", t[RegisterFieldSpec.choiceWordKey(field: "systemKind", value: s.kind)])
            }
        }
        let systems = map.systems.enumerated()
            .sorted { (group($0.element).rank, $0.offset) < (group($1.element).rank, $1.offset) }
            .map { _, s in
                SystemDiagram.System(key: "S\(s.number)", reference: ItemType.system.reference(projectKey: map.projectKey, number: s.number),
                                     name: s.name, code: s.code, group: group(s).label, kind: s.kind)
            }
        let interfaces = map.interfaces.map { f in
            SystemDiagram.Interface(key: "F\(f.number)", reference: ItemType.interface.reference(projectKey: map.projectKey, number: f.number),
                                    from: "S\(f.source)", to: "S\(f.target)", method: f.method, status: f.status, flagged: f.flagged,
                                    title: f.title)
        }
        let spec = { (field: String) -> [String] in
            if case .choice(let values)? = RegisterKind.interface.field(field)?.kind { return values }
            return []
        }
        let words = SystemDiagram.Words(
            title: t["sysmap.title"],
            methods: Dictionary(uniqueKeysWithValues: spec("method").map { ($0, t[RegisterFieldSpec.choiceWordKey(field: "method", value: $0)]) }),
            statuses: Dictionary(uniqueKeysWithValues: RegisterKind.interface.statuses.map { ($0, t["rs.interface.\($0)"]) }),
            kinds: Dictionary(uniqueKeysWithValues: RegisterFieldSpec.systemKinds.map { ($0, t[RegisterFieldSpec.choiceWordKey(field: "systemKind", value: $0)]) }),
            flagged: t["sysmap.flagged"], legend: t["sysmap.legend"])
        return (systems, interfaces, words)
    }

    /// A business function's sequence diagram's input, in `t`'s language.
    static func sequenceInput(_ seq: FunctionSequence, _ t: Words)
        -> (participants: [SequenceDiagram.Participant], messages: [SequenceDiagram.Message], words: SequenceDiagram.Words) {
        let participants = seq.systems.map {
            SequenceDiagram.Participant(key: "S\($0.number)", reference: ItemType.system.reference(projectKey: seq.projectKey, number: $0.number),
                                        name: $0.name, code: $0.code)
        }
        let messages = seq.steps.map { step in
            let f = step.interface
            return SequenceDiagram.Message(
                reference: ItemType.interface.reference(projectKey: seq.projectKey, number: f.number), title: f.title,
                from: "S\(f.source)", to: "S\(f.target)", method: t[RegisterFieldSpec.choiceWordKey(field: "method", value: f.method)],
                status: f.status, flagged: f.flagged, twoWay: f.twoWay)
        }
        let words = SequenceDiagram.Words(
            title: t("seq.title", ["name": "\(ItemType.function.reference(projectKey: seq.projectKey, number: seq.number)) \(seq.title)"]),
            statuses: Dictionary(uniqueKeysWithValues: RegisterKind.interface.statuses.map { ($0, t["rs.interface.\($0)"]) }),
            flagged: t["sysmap.flagged"], legend: t["sysmap.legend"])
        return (participants, messages, words)
    }

    /// Mermaid text as a download: plain UTF-8 text, named after the project (and `name`).
    static func mermaid(_ text: String, key: String, name: String = "systems") -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(KPIPages.asciiName(key))-\(name).mmd\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
