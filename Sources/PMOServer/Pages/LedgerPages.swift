import Foundation
import PMOCore
import PMOReports
import PMOStore
import Vapor

/// The budget ledger's pages (`/projects/{key}/ledger`, 予算管理表): the sums per line and fiscal year, the orders with
/// their acceptance and payment, the estimates and the requests for estimate, as the reader may see them (a vendor:
/// its own estimates and orders); and one request's aggregation (見積集約, `…/ledger/requests/{n}`) with the form that
/// records the option chosen as a decision.
enum LedgerPages {
    /// The ledger's page: the ledger, the requests for estimate, and this month (the cash-out's actuals stop there).
    struct LedgerData {
        var view: LedgerView
        var requests: [EstimateRequestView]
        var thisMonth: YearMonth
        /// After an applied import: how many lines and orders it added or changed.
        var notice: String? = nil
        /// Approved changes with a cost impact to propose as change orders (for those who keep the ledger).
        var proposals: [ChangeOrderProposal] = []
        /// For the forms of those who keep the ledger: the vendors an estimate may come from, today, and a refusal.
        var vendors: [(id: UUID, name: String)] = []
        var today: CalendarDate? = nil
        var error: String? = nil
        var cashOut: [CashOutChart.Month] { CashOutChart.months(Ledger.cashOut(view.orders.map(\.ledgerOrder))) }
    }

    /// A request's page: the request, and who may be named as the decider (the members holding the budget right).
    struct RequestData {
        var key: String
        var request: EstimateRequestView
        var canChoose: Bool
        var deciders: [(id: UUID, name: String)]
        var error: String?
    }

    /// An estimate's page: what the vendor quoted, and its files (the vendor's quotation).
    struct EstimateData {
        var key: String
        var estimate: EstimateView
        var attachments: AttachmentPages.Section?
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "ledger") { req async throws -> Response in try await ledgerPage(req) }
        // The cash-out chart as a file, for reports and slides (commercial data: 404 without the right).
        pages.get("projects", ":key", "ledger", "cash-out.svg") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let view = try await req.store.ledger.ledger(caller, key: key)
            guard view.seesCommercial else { throw Abort(.notFound) }
            let data = LedgerData(view: view, requests: [], thisMonth: YearMonth(req.today(for: caller).0))
            let svg = CashOutChart.svg(data.cashOut, through: data.thisMonth, title: "\(key) – \(req.pageWords["ledger.cash_out"])",
                                       language: req.pageWords.isJapanese ? "ja" : "en")
            let response = Response(status: .ok, body: .init(string: svg))
            response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
        // The 予算管理表 workbook, and its import with a preview.
        pages.get("projects", ":key", "ledger", "export.xlsx") { req async throws -> Response in
            _ = try req.pageCaller()
            let (data, name) = try await LedgerExchangeAPI.export(req)
            return RegisterExchangeAPI.file(data, name: name, type: LedgerExchangeAPI.xlsxType)
        }
        RegisterImportPages.routes(pages, ["projects", ":key", "ledger", "import"], target: LedgerExchangeAPI.pageTarget)
        LedgerFormPages.register(pages)
        pages.get("projects", ":key", "ledger", "requests", ":number") { req async throws -> Response in try await requestPage(req) }
        pages.get("projects", ":key", "ledger", "estimates", ":id") { req async throws -> Response in try await estimatePage(req) }
        pages.post("projects", ":key", "ledger", "requests", ":number", "decision") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let number = try req.pathInt("number")
            let f = try req.form()
            let choice = AggregationChoice(option: (Int(f["option"] ?? "") ?? 0) - 1, deciderID: UUID(uuidString: f["decider"] ?? "") ?? UUID(),
                                           rationale: f["rationale"] ?? "")
            do {
                let (_, decision) = try await req.store.ledger.choose(caller, key: key, request: number, choice, expectedVersion: Int(f["version"] ?? ""))
                return req.redirect(to: ItemPath.href(key, .decision, decision))
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await requestPage(req, error: req.sentence(e) + LevellingPages.detail(req, e), status: ReportPages.status(e))
            }
        }
    }

    /// The ledger's page, with a refusal of one of its forms when there was one.
    static func ledgerPage(_ req: Request, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let context = try await req.pageProjectContext(caller, key: key)
        let view = try await req.store.ledger.ledger(caller, key: key)
        let requests = try await req.store.ledger.requests(caller, key: key)
        let (_, notice) = RegisterImportPages.importedNotice(req)
        let today = req.today(for: caller).0
        var data = LedgerData(view: view, requests: requests, thisMonth: YearMonth(today), notice: error == nil ? notice : nil, today: today, error: error)
        if view.canEdit && view.seesCommercial {
            data.proposals = try await req.store.ledger.changeOrderProposals(caller, key: key)
            data.vendors = try await req.store.accounts.companies().filter { $0.kind == CompanyKind.vendor.rawValue }
                .compactMap { c in c.id.map { ($0, c.name) } }.sorted { $0.1 < $1.1 }
        }
        return try await req.renderProjectPage(LedgerViews.ledger, data, title: "\(key) – \(req.pageWords["ledger.title"])",
                                               section: "ledger", project: context.project, status: status)
    }

    /// One estimate as the reader may see it (the ledger's own filter: a vendor reaches only its own company's), with its files.
    static func estimatePage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let context = try await req.pageProjectContext(caller, key: key)
        let id = try req.pathUUID("id")
        guard let estimate = try await req.store.ledger.ledger(caller, key: key).estimates.first(where: { $0.id == id }) else {
            throw DomainError.notFound("estimate.not_found", "\(key) has no such estimate that you can see.", subjects: [key])
        }
        let data = EstimateData(key: key, estimate: estimate,
                                attachments: try await AttachmentPages.section(req, caller: caller, key: key, owner: .estimate(id)))
        return try await req.renderProjectPage(LedgerViews.estimate, data,
                                               title: "\(key)-L\(estimate.lineNumber) \(estimate.vendorName ?? "") v\(estimate.version)",
                                               section: "ledger", project: context.project)
    }

    static func requestPage(_ req: Request, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let context = try await req.pageProjectContext(caller, key: key)
        let request = try await req.store.ledger.request(caller, key: key, number: try req.pathInt("number"))
        var deciders: [(UUID, String)] = []
        let canEdit = context.allows(.editProject)
        if canEdit && request.decisionNumber == nil && !request.options.isEmpty {
            let rights = try await req.store.items.decisionRights(caller, key: key)
            deciders = try await req.store.projects.members(caller, key: key)
                .filter { DecisionRights.holds(rights, category: LedgerService.aggregationCategory, userID: UserID($0.user.id!), role: $0.role) }
                .map { ($0.user.id!, $0.user.displayName) }.sorted { $0.1 < $1.1 }
        }
        let data = RequestData(key: key, request: request, canChoose: canEdit && request.decisionNumber == nil && !request.options.isEmpty,
                               deciders: deciders, error: error)
        return try await req.renderProjectPage(LedgerViews.request, data, title: "\(key)-E\(request.number) \(request.title)",
                                               section: "ledger", project: context.project, status: status)
    }
}
