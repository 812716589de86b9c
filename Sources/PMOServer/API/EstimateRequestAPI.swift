import Foundation
import PMOCore
import PMOStore
import Vapor

/// Requests for estimate (見積依頼) and their aggregation (見積集約): the vendors asked, the estimates that answered,
/// the options put to the business owner, and the choice, which becomes a decision in the decision log under the
/// project's decision rights. A vendor's staff read the requests sent to their company and their own estimates only.
enum EstimateRequestAPI {
    static func register(_ r: APIRouter) {
        let tag = LedgerAPI.tag
        r.add(.GET, "/projects/{key}/estimate-requests",
              summary: "Requests for estimate with their estimates and options (a vendor: the ones sent to it, its own estimates, no options)",
              tag: tag, response: "EstimateRequestList") { req in
            let key = try req.projectKey()
            let list = try await req.store.ledger.requests(try req.requireCaller(), key: key)
            return try MeetingJSON.response(body: EstimateRequestListBody(items: list.map { EstimateRequestBody($0, key: key) }))
        }
        r.add(.POST, "/projects/{key}/estimate-requests", summary: "Send a request for estimate for a budget line's scope to one or more vendors",
              tag: tag, request: "EstimateRequestInput", response: "EstimateRequest", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(EstimateRequestInputBody.self, code: "ledger.invalid")
            let request = try await req.store.ledger.addRequest(caller, key: key, try body.fields())
            return try MeetingJSON.response(body: EstimateRequestBody(request, key: key), status: .created, version: request.version)
        }
        r.add(.GET, "/projects/{key}/estimate-requests/{number}", summary: "One request for estimate with its aggregation", tag: tag,
              response: "EstimateRequest") { req in
            let key = try req.projectKey()
            let request = try await req.store.ledger.request(try req.requireCaller(), key: key, number: try req.pathInt("number"))
            return try MeetingJSON.response(body: EstimateRequestBody(request, key: key), version: request.version)
        }
        r.add(.PUT, "/projects/{key}/estimate-requests/{number}/options",
              summary: "Write the aggregation's options (cost, schedule impact, effort, pros and cons), until one is chosen (If-Match optional)",
              tag: tag, request: "AggregationOptionsInput", response: "EstimateRequest", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(AggregationOptionsInputBody.self, code: "ledger.invalid")
            let request = try await req.store.ledger.setOptions(caller, key: key, request: try req.pathInt("number"),
                                                                try body.options.map { try $0.option() }, expectedVersion: try SignalAPI.ifMatch(req))
            return try MeetingJSON.response(body: EstimateRequestBody(request, key: key), version: request.version)
        }
        r.add(.POST, "/projects/{key}/estimate-requests/{number}/decision",
              summary: "Record the option chosen: it becomes a decided decision (category budget) under the project's decision rights, linked here",
              tag: tag, request: "AggregationChoiceInput", response: "EstimateRequest", status: 201) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(AggregationChoiceInputBody.self, code: "ledger.invalid")
            let (request, _) = try await req.store.ledger.choose(caller, key: key, request: try req.pathInt("number"), try body.choice(),
                                                                 expectedVersion: try SignalAPI.ifMatch(req))
            return try MeetingJSON.response(body: EstimateRequestBody(request, key: key), status: .created, version: request.version)
        }
    }

    static var requestBodies: [any PMOServer.RequestBody.Type] {
        [EstimateRequestInputBody.self, AggregationOptionInputBody.self, AggregationOptionsInputBody.self, AggregationChoiceInputBody.self]
    }
    static var derivedBodies: [any DocumentedBody.Type] {
        [EstimateRequestBody.self, EstimateRequestListBody.self, AggregationOptionBody.self, RequestedVendorBody.self]
    }
}

// MARK: Requests

struct EstimateRequestInputBody: RequestBody {
    static let schemaName = "EstimateRequestInput"
    static var schemaHints: [String: JSONSchema] {
        ["line": JSONSchema.integer.range(1, 1_000_000).refusedAs("out_of_range").described("The budget line's number (L3 is 3)"),
         "title": JSONSchema.text(LedgerRules.nameMax), "scope": JSONSchema.text(LedgerRules.textMax),
         "systems": JSONSchema.array(.itemReference).itemCount(0...50).described("The systems in scope (S1, CRM-S3)"),
         "due": JSONSchema.date.described("When the estimates are due"),
         "vendorIds": JSONSchema.array(.uuid).itemCount(1...AggregationRules.vendorsMax).described("The vendors asked")]
    }
    var line: Int
    var title: String
    var scope: String
    var systems: [String]?
    var due: String?
    var vendorIds: [String]

    func fields() throws -> EstimateRequestFields {
        var e = FieldErrors()
        let dueDate = due.flatMap(CalendarDate.init(iso:))
        if due != nil && dueDate == nil { e.add("due", "invalid_date", "due is a date, YYYY-MM-DD.") }
        let vendors = vendorIds.compactMap(UUID.init(uuidString:))
        if vendors.count != vendorIds.count { e.add("vendorIds", "invalid_id", "Each vendor is a company id.") }
        try e.throwIfAny("ledger.invalid")
        return EstimateRequestFields(lineNumber: line, title: title, scope: scope,
                                     systemNumbers: try (systems ?? []).compactMap { try LedgerAPI.number($0, .system, field: "systems") },
                                     dueDate: dueDate, vendorIDs: vendors)
    }
}

struct AggregationOptionInputBody: RequestBody {
    static let schemaName = "AggregationOptionInput"
    static var schemaHints: [String: JSONSchema] {
        ["title": JSONSchema.text(LedgerRules.nameMax), "cost": LedgerAPI.amount,
         "scheduleDays": JSONSchema.integer.range(-Double(AggregationRules.scheduleDaysMax), Double(AggregationRules.scheduleDaysMax))
            .refusedAs("out_of_range").described("Working days the option moves the finish: positive later, negative earlier"),
         "effort": JSONSchema.nullableNumber.range(0, 100_000).refusedAs("out_of_range").described("Person-months, to a tenth"),
         "pros": JSONSchema.string.maxLength(LedgerRules.textMax), "cons": JSONSchema.string.maxLength(LedgerRules.textMax),
         "estimateId": JSONSchema.nullableUUID.described("The estimate it rests on: chosen with the option, it becomes the line's estimated figure")]
    }
    var title: String
    var cost: Int64
    var scheduleDays: Int?
    var effort: Double?
    var pros: String?
    var cons: String?
    var estimateId: String?

    func option() throws -> AggregationOption {
        let tenths = effort.map { ($0 * 10).rounded() }
        if let effort, let tenths, abs(effort * 10 - tenths) > 1e-6 {
            throw DomainError.invalid("ledger.invalid", [FieldError(field: "effort", code: "too_precise", message: "Effort is in person-months to a tenth, e.g. 12.5.")])
        }
        return AggregationOption(title: title, cost: .yen(cost), scheduleDays: scheduleDays ?? 0, effortTenths: tenths.map { Int($0) },
                                 pros: pros ?? "", cons: cons ?? "", estimateID: estimateId.flatMap(UUID.init(uuidString:)))
    }
}

struct AggregationOptionsInputBody: RequestBody {
    static let schemaName = "AggregationOptionsInput"
    static var schemaHints: [String: JSONSchema] {
        ["options": JSONSchema.array(.ref("AggregationOptionInput")).itemCount(0...AggregationRules.optionsMax)]
    }
    var options: [AggregationOptionInputBody]
}

struct AggregationChoiceInputBody: RequestBody {
    static let schemaName = "AggregationChoiceInput"
    static var schemaHints: [String: JSONSchema] {
        ["option": JSONSchema.integer.range(1, Double(AggregationRules.optionsMax)).refusedAs("out_of_range").described("The option chosen, 1 for the first"),
         "deciderId": JSONSchema.uuid.described("Who decided: they must hold the project's budget decision right"),
         "rationale": JSONSchema.string.maxLength(LedgerRules.textMax)]
    }
    var option: Int
    var deciderId: String
    var rationale: String?

    func choice() throws -> AggregationChoice {
        guard let decider = UUID(uuidString: deciderId) else {
            throw DomainError.invalid("ledger.invalid", [FieldError(field: "deciderId", code: "invalid_id", message: "deciderId is a user id.")])
        }
        return AggregationChoice(option: option - 1, deciderID: decider, rationale: rationale ?? "")
    }
}

// MARK: Answers

struct RequestedVendorBody: Codable, DocumentedBody {
    static let schemaName = "RequestedVendor"
    static var schemaHints: [String: JSONSchema] { ["id": .uuid] }
    var id: String
    var name: String
}

struct AggregationOptionBody: Codable, DocumentedBody {
    static let schemaName = "AggregationOption"
    static var schemaHints: [String: JSONSchema] {
        ["cost": JSONSchema.integer.described("Whole yen, before tax"), "effort": JSONSchema.nullableNumber.described("Person-months"),
         "estimateId": .nullableUUID,
         "overBudget": JSONSchema.integer.described("The cost above what is left of the line (0 when it fits)")]
    }
    var number: Int
    var title: String
    var cost: Int64
    var overBudget: Int64
    var scheduleDays: Int
    var effort: Double?
    var pros: String
    var cons: String
    var estimateId: String?
    var chosen: Bool
}

struct EstimateRequestBody: Codable, DocumentedBody {
    static let schemaName = "EstimateRequest"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "due": JSONSchema.date, "decision": JSONSchema.nullableString.described("The decision the chosen option became (CRM-D7)"),
         "budget": JSONSchema.nullableInteger.described("The line's budget (commercial right only)"),
         "remaining": JSONSchema.nullableInteger.described("What is left of the line before any order (commercial right only)")]
    }
    var id: String
    var number: Int
    var reference: String
    var line: Int
    var lineName: String
    var title: String
    var scope: String
    var systems: [String]
    var due: String?
    var vendors: [RequestedVendorBody]
    var estimates: [EstimateBody]
    var options: [AggregationOptionBody]
    var decision: String?
    var budget: Int64?
    var remaining: Int64?
    var version: Int
    init(_ r: EstimateRequestView, key: String) {
        id = r.id.uuidString.lowercased()
        number = r.number
        reference = "E\(r.number)"
        line = r.lineNumber
        lineName = r.lineName
        title = r.title
        scope = r.scope
        systems = r.systemNumbers.map { ItemType.system.reference(projectKey: key, number: $0) }
        due = r.dueDate?.description
        vendors = r.vendors.map { RequestedVendorBody(id: $0.id.uuidString.lowercased(), name: $0.name) }
        estimates = r.estimates.map(EstimateBody.init)
        let remaining = r.remaining
        options = r.options.enumerated().map { i, o in
            AggregationOptionBody(number: i + 1, title: o.title, cost: o.cost.amount,
                                  overBudget: remaining.map { max(0, (o.cost - $0).amount) } ?? 0, scheduleDays: o.scheduleDays,
                                  effort: o.effortTenths.map { Double($0) / 10 }, pros: o.pros, cons: o.cons,
                                  estimateId: o.estimateID?.uuidString.lowercased(), chosen: r.chosenOption == i)
        }
        decision = r.decisionNumber.map { ItemType.decision.reference(projectKey: key, number: $0) }
        budget = r.budget?.amount
        self.remaining = r.remaining?.amount
        version = r.version
    }
}

struct EstimateRequestListBody: Codable, DocumentedBody {
    static let schemaName = "EstimateRequestList"
    var items: [EstimateRequestBody]
}
