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
