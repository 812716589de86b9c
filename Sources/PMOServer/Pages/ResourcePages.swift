import Foundation
import PMOCore
import PMOInterchange
import PMOReports
import PMOSchedule
import PMOStore
import PMOWords
import Vapor

/// The resource pages: the organisation's list of people, placeholders and equipment (`/resources`), one resource with
/// its absences (`/resources/{id}`), and the overload map across projects (`/resources/load`, with its workbook and
/// SVG).
enum ResourcePages {
    struct ListData {
        var resources: [ResourceView]
        var canManage: Bool
        var companies: [CompanyRecord]
        var errors: [FieldError] = []
    }

    struct ResourceData {
        var resource: ResourceView
        var canManage: Bool
        var canRecordAbsence: Bool
        var companies: [CompanyRecord]
        var people: [ResourceView]
        var errors: [FieldError] = []
    }

    struct LoadData {
        var map: LoadMap
        var query: LoadMapQuery
        var companies: [(id: UUID, name: String)]
        var roles: [String]
        /// Projects the reader may level (for the form that proposes a scenario across them).
        var levellable: [(key: String, name: String)]
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("resources") { req async throws -> Response in try await listPage(req) }
        pages.post("resources") { req async throws -> Response in
            let caller = try req.pageCaller()
            let f = try req.form()
            do {
                let view = try await req.store.resources.create(caller, try fields(f))
                return req.redirect(to: ResourcePath.resource(view.id).href)
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await listPage(req, errors: req.shown(e.asFieldErrors), status: ReportPages.status(e))
            }
        }
        pages.get("resources", "load") { req async throws -> Response in
            let caller = try req.pageCaller()
            let query = try ResourceAPI.loadQuery(req, today: req.today(for: caller).0, blankIsAbsent: true)
            let map = try await req.store.resources.loadMap(caller, query)
            let all = try await req.store.resources.list(caller)
            var companies: [UUID: String] = [:]
            for r in all { if let c = r.companyID { companies[c] = r.companyName ?? "" } }
            var levellable: [(String, String)] = []
            for (project, role) in try await req.store.projects.list(for: caller)
            where caller.isAdmin || [ProjectRole.admin, .pmo, .pm].contains(role) {
                levellable.append((project.key, project.name))
            }
            let data = LoadData(map: map, query: query, companies: companies.map { ($0.key, $0.value) }.sorted { $0.1 < $1.1 },
                                roles: Array(Set(all.map(\.role).filter { !$0.isEmpty })).sorted(),
                                levellable: levellable.sorted { $0.0 < $1.0 })
            return try await req.render(ResourceViews.load, req.chrome(title: req.pageWords["res.load.title"], section: "resources"), data)
        }
        pages.get("resources", "load.xlsx") { req async throws -> Response in
            let caller = try req.pageCaller()
            let map = try await req.store.resources.loadMap(caller, try ResourceAPI.loadQuery(req, today: req.today(for: caller).0, blankIsAbsent: true))
            let (rows, periods, words) = report(map, req.pageWords)
            let data = try XLSXWriter.write([LoadMapReport.table(rows: rows, periods: periods, words: words)])
            return RegisterExchangeAPI.file(data, name: "pmo-load.xlsx", type: MeetingHTML.xlsx)
        }
        pages.get("resources", "load.svg") { req async throws -> Response in
            let caller = try req.pageCaller()
            let map = try await req.store.resources.loadMap(caller, try ResourceAPI.loadQuery(req, today: req.today(for: caller).0, blankIsAbsent: true))
            let (rows, periods, words) = report(map, req.pageWords)
            return KPIPages.svg(LoadMapReport.svg(rows: rows, periods: periods, words: words))
        }
        pages.get("resources", ":id") { req async throws -> Response in try await resourcePage(req) }
        pages.post("resources", ":id") { req async throws -> Response in
            let caller = try req.pageCaller()
            let id = try req.pathUUID("id")
            let f = try req.form()
            do {
                _ = try await req.store.resources.update(caller, id: id, try fields(f), expectedVersion: Int(f["version"] ?? ""))
                return req.redirect(to: ResourcePath.resource(id).href)
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await resourcePage(req, errors: req.shown(e.asFieldErrors.isEmpty ? [FieldError(field: "", code: e.code, message: req.sentence(e))] : e.asFieldErrors),
                                              status: ReportPages.status(e))
            }
        }
        pages.post("resources", ":id", "delete") { req async throws -> Response in
            let caller = try req.pageCaller()
            _ = try req.form()
            let id = try req.pathUUID("id")
            do {
                try await req.store.resources.delete(caller, id: id)
                return req.redirect(to: ResourcePath.list.href)
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await resourcePage(req, errors: [FieldError(field: "", code: e.code, message: req.sentence(e))], status: ReportPages.status(e))
            }
        }
        pages.post("resources", ":id", "absences") { req async throws -> Response in
            let caller = try req.pageCaller()
            let id = try req.pathUUID("id")
            let f = try req.form()
            do {
                _ = try await req.store.resources.addAbsence(caller, resource: id, start: f["start"].flatMap(CivilDate.init(iso:)),
                                                             end: f["end"].flatMap(CivilDate.init(iso:)), note: f["note"] ?? "")
                return req.redirect(to: ResourcePath.resource(id).href + "#absences")
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await resourcePage(req, errors: req.shown(e.asFieldErrors), status: ReportPages.status(e))
            }
        }
        pages.post("resources", ":id", "absences", ":absence", "delete") { req async throws -> Response in
            let caller = try req.pageCaller()
            _ = try req.form()
            let id = try req.pathUUID("id")
            try await req.store.resources.deleteAbsence(caller, resource: id, absence: try req.pathUUID("absence"))
            return req.redirect(to: ResourcePath.resource(id).href + "#absences")
        }
        pages.post("resources", ":id", "swap") { req async throws -> Response in
            let caller = try req.pageCaller()
            let id = try req.pathUUID("id")
            let f = try req.form()
            do {
                guard let person = f["person"].flatMap(UUID.init(uuidString:)) else {
                    throw DomainError.invalid("resource.invalid_swap", [FieldError(field: "person", code: "required", message: "Choose the person.")])
                }
                _ = try await req.store.resources.swap(caller, placeholder: id, person: person)
                return req.redirect(to: ResourcePath.resource(person).href)
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await resourcePage(req, errors: req.shown(e.asFieldErrors), status: ReportPages.status(e))
            }
        }
    }

    /// A resource's fields from its form.
    static func fields(_ f: [String: String]) throws -> ResourceFields {
        var e = FieldErrors()
        // Capacity as a percentage or in hours a day ("75", "6h", "6時間"); dated changes one per line, "2027-04-01 50".
        let capacityText = f["capacityPercent"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? "100"
        let percent = ResourceRules.parseCapacity(capacityText)
        if percent == nil {
            e.add("capacityPercent", "not_a_number", "Write the capacity as a whole percentage of a working day (100 = full time) or as hours a day, such as 6h.")
        }
        var changes: [CapacityChange] = []
        for line in (f["capacityChanges"] ?? "").split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, let date = CivilDate(iso: parts[0]), let p = ResourceRules.parseCapacity(parts[1]) else {
                e.add("capacityChanges", "invalid", "Write one change per line: the first day and the capacity, e.g. 2027-04-01 50 or 2027-04-01 6h.")
                break
            }
            changes.append(CapacityChange(from: date, percent: p))
        }
        try e.throwIfAny("resource.invalid")
        return ResourceFields(
            kind: ResourceKind(rawValue: f["kind"] ?? "") ?? .person, name: f["name"] ?? "",
            userID: f["userId"].flatMap(UUID.init(uuidString:)), email: f["email"] ?? "",
            companyID: f["companyId"].flatMap(UUID.init(uuidString:)), role: f["role"] ?? "", skills: f["skills"] ?? "",
            capacityPercent: percent ?? 100, capacityChanges: changes, notes: f["notes"] ?? "")
    }

    static func listPage(_ req: Request, errors: [FieldError] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let canManage = try await req.store.resources.canManage(caller)
        let data = ListData(resources: try await req.store.resources.list(caller), canManage: canManage,
                            companies: canManage ? try await req.store.accounts.companies() : [], errors: errors)
        return try await req.render(ResourceViews.list, req.chrome(title: req.pageWords["res.title"], section: "resources"), data, status: status)
    }

    static func resourcePage(_ req: Request, errors: [FieldError] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let view = try await req.store.resources.resource(caller, id: try req.pathUUID("id"))
        let canManage = try await req.store.resources.canManage(caller)
        let data = ResourceData(resource: view, canManage: canManage, canRecordAbsence: canManage || view.userID == caller.userID,
                                companies: canManage ? try await req.store.accounts.companies() : [],
                                people: canManage && view.kind == .placeholder ? try await req.store.resources.list(caller).filter { $0.kind == .person } : [],
                                errors: errors)
        return try await req.render(ResourceViews.resource, req.chrome(title: view.name, section: "resources"), data, status: status)
    }

    /// The map as the report renderers take it: rows, period labels and words.
    static func report(_ map: LoadMap, _ t: Words) -> ([LoadMapReport.Row], [String], LoadMapReport.Words) {
        let rows = map.rows.map { r in
            LoadMapReport.Row(name: r.resource.name, detail: [r.resource.companyName ?? "", r.resource.role].filter { !$0.isEmpty }.joined(separator: " · "),
                              cells: r.cells.map { ($0.capacity, $0.load, $0.otherProjects) })
        }
        let periods = map.periods.starts.map { String($0.description.dropFirst(5)) }
        var legend: [LoadLevel: String] = [:]
        for level in LoadLevel.allCases { legend[level] = t["res.level.\(level.rawValue)"] }
        let words = LoadMapReport.Words(title: t["res.load.title"], resource: t["res.col.resource"], period: t["res.col.period"],
                                        capacity: t["res.col.capacity_days"], load: t["res.col.load_days"], other: t["res.other_projects"],
                                        legend: legend)
        return (rows, periods, words)
    }
}
