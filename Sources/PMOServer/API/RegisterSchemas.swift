import Foundation
import PMOCore

/// OpenAPI schemas of the registers, generated from the same field specs that the routes read and write.
enum RegisterSchemas {
    typealias D = OpenAPIDocument

    static func property(_ spec: RegisterFieldSpec, output: Bool) -> [String: Any] {
        var p: [String: Any]
        switch spec.kind {
        case .text(let max): p = ["type": ["string", "null"], "maxLength": max]
        case .longText: p = ["type": ["string", "null"], "maxLength": RegisterRules.textMax]
        case .level: p = ["type": ["integer", "null"], "minimum": 1, "maximum": 5]
        case .amount: p = ["type": ["number", "null"], "minimum": 0]
        case .workDays: p = ["type": ["integer", "null"], "minimum": -10_000, "maximum": 10_000]
        case .date: p = D.date
        case .choice(let values): p = ["type": ["string", "null"], "enum": values + [NSNull()]]
        case .bool: p = ["type": ["boolean", "null"]]
        case .user, .company:
            p = output ? ["oneOf": [D.ref("PersonRef"), ["type": "null"]]] : ["type": ["string", "null"], "format": "uuid"]
        case .indicators:
            p = ["type": ["array", "null"], "items": D.object(["text": D.string, "status": D.enumeration(["watching", "triggered"])], required: ["text"])]
        case .options:
            p = ["type": ["array", "null"], "items": D.object([
                "title": D.string, "pros": D.string, "cons": D.string, "cost": ["type": ["number", "null"]],
                "scheduleDays": ["type": ["integer", "null"]], "effortHours": ["type": ["number", "null"]],
            ], required: ["title"])]
        }
        if spec.automatic { p["readOnly"] = true }
        return p
    }

    static var all: [String: Any] {
        var schemas: [String: Any] = [:]
        for kind in RegisterKind.allCases {
            let name = RegisterAPI.schemaName(kind)
            var writable: [String: Any] = [
                "title": ["type": "string", "maxLength": RegisterRules.titleMax], "description": D.nullableString,
                "status": D.enumeration(kind.statuses), "owner": ["type": ["string", "null"], "format": "uuid"], "dueDate": D.date,
                "visibility": D.enumeration(["project", "internal", "company"]),
                "visibilityCompanyId": ["type": ["string", "null"], "format": "uuid"], "companyId": ["type": ["string", "null"], "format": "uuid"],
            ]
            for spec in kind.fields where !spec.automatic { writable[spec.name] = property(spec, output: false) }
            var output = writable
            for spec in kind.fields { output[spec.name] = property(spec, output: true) }
            for (k, v) in ["id": D.string, "reference": D.string, "projectKey": D.string, "register": D.string, "number": D.integer,
                           "owner": ["oneOf": [D.ref("PersonRef"), ["type": "null"]]], "companyName": D.nullableString,
                           "createdBy": D.ref("PersonRef"), "createdAt": D.instant, "updatedAt": D.instant, "version": D.integer,
                           "overdue": D.boolean, "open": D.boolean, "nextStatuses": ["type": "array", "items": D.string]] as [String: Any] {
                output[k] = v
            }
            if kind == .risk {
                output["score"] = ["type": ["integer", "null"]]
                output["residualScore"] = ["type": ["integer", "null"]]
            }
            var create = writable
            create["origin"] = ["type": "string", "description": "An item this one comes from, e.g. CRM-I12 or R3; linked as derived_from."]
            let required = ["title"] + kind.fields.filter(\.required).map(\.name)
            schemas[name] = D.object(output)
            schemas["\(name)List"] = D.object(["items": ["type": "array", "items": D.ref(name)], "nextCursor": D.nullableString], required: ["items"])
            schemas["\(name)Create"] = D.object(create, required: required)
            schemas["\(name)Patch"] = D.object(writable)
        }
        let linkKinds = ItemLinkKind.allCases.map(\.rawValue)
        schemas["ItemLink"] = D.object(["id": D.string, "kind": D.enumeration(linkKinds), "direction": D.enumeration(["outgoing", "incoming"]),
                                        "reference": D.string, "register": D.string, "number": D.integer, "title": D.string, "status": D.string])
        schemas["ItemLinkList"] = D.list("ItemLink")
        schemas["ItemLinkCreate"] = D.object(["to": ["type": "string", "description": "I12, R3 or CRM-Q4"], "kind": D.enumeration(linkKinds)], required: ["to"])
        schemas["Occurrence"] = D.object(["risk": D.ref("Risk"), "issue": D.object(["reference": D.string, "number": D.integer, "title": D.string,
                                                                                     "status": D.string, "version": D.integer])])
        schemas["DecisionRights"] = D.object(["items": ["type": "array", "items": D.object([
            "category": D.string, "authority": D.string,
            "roles": ["type": "array", "items": D.enumeration(ProjectRole.allCases.map(\.rawValue))],
            "users": ["type": "array", "items": ["type": "string", "format": "uuid"]],
        ], required: ["category", "authority"])]], required: ["items"])
        schemas["Overview"] = D.object(["registers": ["type": "array", "items": D.object([
            "register": D.string, "letter": D.string, "open": D.integer, "overdue": D.integer, "ageing": D.integer, "total": D.integer])]])
        schemas["WorkList"] = D.object(["items": ["type": "array", "items": D.object([
            "reference": D.string, "projectKey": D.string, "register": D.string, "number": D.integer, "title": D.string,
            "status": D.string, "dueDate": D.date, "overdue": D.boolean, "mustDecide": D.boolean])]], required: ["items"])
        schemas["ImportPlan"] = D.object([
            "applied": D.boolean, "creates": D.integer, "updates": D.integer, "unchanged": D.integer, "errorCount": D.integer,
            "errors": ["type": "array", "items": D.object(["line": D.integer, "column": D.string, "message": D.string])],
            "rows": ["type": "array", "items": D.object([
                "line": D.integer, "action": D.enumeration(["create", "update", "unchanged", "error"]), "reference": D.nullableString,
                "changes": ["type": "array", "items": D.object(["field": D.string, "from": D.nullableString, "to": D.nullableString])],
                "errors": ["type": "array", "items": D.object(["column": D.string, "message": D.string])]])],
        ])
        return schemas
    }
}
