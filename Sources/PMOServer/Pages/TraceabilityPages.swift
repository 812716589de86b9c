import Foundation
import PMOCore
import PMOHTML
import PMOInterchange
import PMOReports
import PMOStore
import PMOWords
import Vapor

/// The traceability matrix (トレーサビリティマトリクス) of a project's requirements: a page, filtered by gap, and the
/// same matrix as a workbook, drawn from the requirements, systems, tests, questions and changes the reader may see.
enum TraceabilityPages {
    /// Which requirements the page lists: all, those with any gap, or those with one gap.
    enum Filter: Equatable, Sendable {
        case all, anyGap, gap(TraceabilityMatrix.Gap)

        var query: String {
            switch self {
            case .all: ""
            case .anyGap: "any"
            case .gap(let g): g.rawValue
            }
        }

        func keeps(_ row: TraceabilityMatrix.Row) -> Bool {
            switch self {
            case .all: true
            case .anyGap: !row.gaps.isEmpty
            case .gap(let g): row.gaps.contains(g)
            }
        }
    }

    struct MatrixData {
        var key: String
        var matrix: TraceabilityMatrix
        var filter: Filter
        var rows: [TraceabilityMatrix.Row]
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "requirements", "traceability") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let filter = try self.filter(req)
            let (projectKey, matrix) = try await req.store.traceability.matrix(caller, key: key)
            let project = try await req.pageProjectContext(caller, key: key).project
            return try await req.renderProjectPage(
                TraceabilityViews.matrix, MatrixData(key: projectKey, matrix: matrix, filter: filter, rows: matrix.rows.filter(filter.keeps)),
                title: "\(projectKey) – \(req.pageWords["trace.title"])", section: "traceability", project: project)
        }
        pages.get("projects", ":key", "requirements", "traceability.xlsx") { req async throws -> Response in
            let (projectKey, matrix) = try await req.store.traceability.matrix(try req.pageCaller(), key: try req.projectKey())
            return try workbook(matrix, projectKey: projectKey, words: req.pageWords)
        }
    }

    /// `?gap=` empty (all requirements), `any` (any gap) or one gap's code; anything else is refused naming it.
    static func filter(_ req: Request) throws -> Filter {
        guard let raw = req.query[String.self, at: "gap"], !raw.isEmpty else { return .all }
        if raw == "any" { return .anyGap }
        guard let gap = TraceabilityMatrix.Gap(rawValue: raw) else {
            let allowed = (["any"] + TraceabilityMatrix.Gap.allCases.map(\.rawValue)).joined(separator: ", ")
            throw DomainError.invalid("query.invalid", [FieldError(field: "gap", code: "invalid_choice", message: "gap must be one of: \(allowed).")])
        }
        return .gap(gap)
    }

    /// The matrix as an .xlsx download named after the project.
    static func workbook(_ matrix: TraceabilityMatrix, projectKey: String, words: Words) throws -> Response {
        let data = try XLSXWriter.write(TraceabilityWorkbook.tables(matrix, projectKey: projectKey, words: words))
        return RegisterExchangeAPI.file(data, name: "\(KPIPages.asciiName(projectKey))-traceability.xlsx", type: MeetingHTML.xlsx)
    }
}
