import Foundation
import PMOCore
import PMOStore
import Vapor

/// Watching an item, the same for every register: `GET` says whether you hear of its changes and comments, `PUT`
/// starts watching, `DELETE` stops (its owner and decider hear of it whatever they choose).
enum WatchAPI {
    static func register(_ r: APIRouter) {
        for type in ItemType.allCases {
            let plural = ProjectPath.plural(type)
            let path = "/projects/{key}/\(plural)/{number}/watch"
            let noun = type.auditEntityType
            r.add(.GET, path, summary: "Whether you watch this \(noun), and how many do", tag: plural, response: "WatchState") { req in
                try await answer(req, type: type, watching: nil)
            }
            r.add(.PUT, path, summary: "Watch this \(noun): its changes and comments reach your inbox", tag: plural, response: "WatchState") { req in
                try await answer(req, type: type, watching: true)
            }
            r.add(.DELETE, path, summary: "Stop watching this \(noun)", tag: plural, response: "WatchState") { req in
                try await answer(req, type: type, watching: false)
            }
        }
    }

    static func answer(_ req: Request, type: ItemType, watching: Bool?) async throws -> Response {
        let caller = watching == nil ? try req.requireCaller() : try req.writer()
        let key = try req.projectKey()
        let number = try req.pathInt("number")
        let result = if let watching {
            try await req.store.items.setWatching(caller, key: key, type: type, number: number, watching)
        } else {
            try await req.store.items.watchState(caller, key: key, type: type, number: number)
        }
        return try MeetingJSON.response(body: WatchBody(watching: result.watching, byRole: result.byRole, watchers: result.watchers))
    }

    static var derivedBodies: [any DocumentedBody.Type] { [WatchBody.self] }
}

struct WatchBody: Codable, DocumentedBody {
    static let schemaName = "WatchState"
    static var schemaHints: [String: JSONSchema] {
        ["watching": JSONSchema.boolean.described("You hear of its changes and comments (watching, or as its owner or decider)"),
         "byRole": JSONSchema.boolean.described("You are its owner or decider"),
         "watchers": JSONSchema.integer.minimum(0).described("How many watch it explicitly")]
    }
    var watching: Bool
    var byRole: Bool
    var watchers: Int
}
