import Foundation
import PMOCore
import PMOReports
import PMOStore
import PMOWords
import Vapor

/// The PMO's KPIs at /projects/{key}/kpis and across projects at /kpis: month by month over `?months=` months (1 to
/// 36, default 12) up to this month, each value with the count it was made from; read like status reports (not by
/// vendors' staff, 403). Names and units come in the caller's language beside the stable codes.
enum KPIAPI {
    static let tag = "kpis"

    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects/{key}/kpis", summary: "The project's KPIs month by month (?months=1…36, default 12), with punctuality by company",
              tag: tag, response: "KPIReport", query: ["months"]) { req in
            let caller = try req.requireCaller()
            let months = try months(req)
            let report = try await req.store.kpis.project(caller, key: try req.projectKey(), months: months)
            return try MeetingJSON.response(body: KPIReportBody(report.report, projectKey: report.projectKey, words: SignalAPI.words(caller)))
        }
        r.add(.GET, "/kpis", summary: "The KPIs of every project whose reports you may read, pooled (each event counted once), and each project's",
              tag: tag, response: "KPIAcross", query: ["months"]) { req in
            let caller = try req.requireCaller()
            let portfolio = try await req.store.kpis.acrossProjects(caller, months: try months(req))
            let w = SignalAPI.words(caller)
            return try MeetingJSON.response(body: KPIAcrossBody(
                pooled: KPIReportBody(portfolio.pooled, projectKey: nil, words: w),
                projects: portfolio.projects.map { KPIReportBody($0.report, projectKey: $0.projectKey, words: w) }))
        }
    }

    /// `?months=`: a whole number from 1 to 36; absent means 12.
    static func months(_ req: Request) throws -> Int {
        guard let raw = req.query[String.self, at: "months"] else { return KPIService.defaultMonths }
        guard let n = Int(raw), KPIService.monthRange.contains(n) else {
            throw DomainError.invalid("kpi.invalid", [FieldError(field: "months", code: "out_of_range",
                message: "months must be a whole number from \(KPIService.monthRange.lowerBound) to \(KPIService.monthRange.upperBound) (you gave \(raw)).")])
        }
        return n
    }

    static var derivedBodies: [any DocumentedBody.Type] { [KPIValueBody.self, KPISeriesBody.self, KPICompanyBody.self, KPIReportBody.self, KPIAcrossBody.self] }
}

// MARK: Bodies

struct KPIValueBody: Codable, DocumentedBody {
    static let schemaName = "KPIValue"
    static var schemaHints: [String: JSONSchema] {
        ["month": JSONSchema.string.pattern("^[0-9]{4}-[0-9]{2}$").described("The month, YYYY-MM; absent for the period's value"),
         "value": JSONSchema.number.described("Absent when there was nothing to count"),
         "hits": JSONSchema.integer.described("For a share: how many of `count` met it")]
    }
    var month: String?
    var value: Double?
    var count: Int
    var hits: Int?

    init(_ v: KPIValue, month: KPIMonth?) {
        self.month = month?.description
        value = v.value
        count = v.count
        hits = v.hits
    }
}

struct KPISeriesBody: Codable, DocumentedBody {
    static let schemaName = "KPISeries"
    static var schemaHints: [String: JSONSchema] {
        ["code": .enumeration(KPICode.allCases.map(\.rawValue)), "unit": .enumeration(["working_days", "days", "percent"]),
         "higherIsBetter": JSONSchema.boolean.described("true for a share, false for a lead time or an age")]
    }
    var code: String
    var name: String
    var how: String
    var unit: String
    var higherIsBetter: Bool
    var months: [KPIValueBody]
    var period: KPIValueBody
}

struct KPICompanyBody: Codable, DocumentedBody {
    static let schemaName = "KPICompany"
    var companyID: String
    var name: String
    var reportsOnTime: [KPIValueBody]
}

struct KPIReportBody: Codable, DocumentedBody {
    static let schemaName = "KPIReport"
    static var schemaHints: [String: JSONSchema] {
        ["months": JSONSchema.array(JSONSchema.string.pattern("^[0-9]{4}-[0-9]{2}$"))]
    }
    var projectKey: String?
    var months: [String]
    var kpis: [KPISeriesBody]
    var companies: [KPICompanyBody]

    init(_ r: KPIReport, projectKey: String?, words w: Words) {
        self.projectKey = projectKey
        months = r.months.map(\.description)
        kpis = KPICode.allCases.map { code in
            KPISeriesBody(code: code.rawValue, name: w["kpi.code.\(code.rawValue)"], how: w["kpi.how.\(code.rawValue)"], unit: code.unit.rawValue,
                          higherIsBetter: code.higherIsBetter,
                          months: zip(r.months, r.series[code] ?? []).map { KPIValueBody($1, month: $0) },
                          period: KPIValueBody(r.totals[code] ?? KPIValue(value: nil, count: 0), month: nil))
        }
        companies = r.companies.map { c in
            KPICompanyBody(companyID: c.key, name: c.name, reportsOnTime: zip(r.months, c.onTime).map { KPIValueBody($1, month: $0) })
        }
    }
}

struct KPIAcrossBody: Codable, DocumentedBody {
    static let schemaName = "KPIAcross"
    var pooled: KPIReportBody
    var projects: [KPIReportBody]
}
