import Foundation
import PMOCore
import PMOReports
import PMOStore
import Vapor

/// The system configuration diagram at /projects/{key}/systems/diagram.svg and .mmd: the systems and interfaces
/// the caller may see, drawn in the caller's language (`?group=vendor`, the default, or `kind`). The systems and
/// interfaces themselves are registers (`RegisterAPI`).
enum SystemDiagramAPI {
    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects/{key}/functions/{number}/sequence.svg",
              summary: "A business function's sequence diagram as SVG: the systems it passes through, its interfaces in order",
              tag: "functions", files: ["image/svg+xml"]) { req in
            let caller = try req.requireCaller()
            let seq = try await req.store.systems.sequence(caller, key: try req.projectKey(), number: try req.pathInt("number"), today: req.today(for: caller).0)
            let input = SystemPages.sequenceInput(seq, SignalAPI.words(caller))
            return KPIPages.svg(SequenceDiagram.svg(participants: input.participants, messages: input.messages, words: input.words))
        }
        r.add(.GET, "/projects/{key}/functions/{number}/sequence.mmd",
              summary: "A business function's sequence diagram as Mermaid sequenceDiagram text",
              tag: "functions", files: ["text/plain"]) { req in
            let caller = try req.requireCaller()
            let number = try req.pathInt("number")
            let seq = try await req.store.systems.sequence(caller, key: try req.projectKey(), number: number, today: req.today(for: caller).0)
            let input = SystemPages.sequenceInput(seq, SignalAPI.words(caller))
            return SystemPages.mermaid(SequenceDiagram.mermaid(participants: input.participants, messages: input.messages, words: input.words),
                                       key: try req.projectKey(), name: "B\(number)-sequence")
        }
        r.add(.GET, "/projects/{key}/systems/diagram.svg",
              summary: "The system configuration diagram as SVG (A3 landscape when printed): systems grouped by vendor or kind, interfaces as arrows coloured by status",
              tag: "systems", query: ["group"], files: ["image/svg+xml"]) { req in
            let input = try await SystemPages.diagram(req, caller: try req.requireCaller(), words: SignalAPI.words(try req.requireCaller()))
            return KPIPages.svg(SystemDiagram.svg(systems: input.systems, interfaces: input.interfaces, words: input.words))
        }
        r.add(.GET, "/projects/{key}/systems/diagram.mmd",
              summary: "The system configuration diagram as Mermaid flowchart text, to paste into documents",
              tag: "systems", query: ["group"], files: ["text/plain"]) { req in
            let input = try await SystemPages.diagram(req, caller: try req.requireCaller(), words: SignalAPI.words(try req.requireCaller()))
            return SystemPages.mermaid(SystemDiagram.mermaid(systems: input.systems, interfaces: input.interfaces, words: input.words),
                                       key: try req.projectKey())
        }
    }
}
