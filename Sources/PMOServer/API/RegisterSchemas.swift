import Foundation
import PMOCore

/// OpenAPI schemas of the registers, generated from the same field specs that the routes read and write.
enum RegisterSchemas {
    typealias S = JSONSchema

    static func property(_ spec: RegisterFieldSpec, output: Bool) -> JSONSchema {
        var p: JSONSchema
        switch spec.kind {
        case .text(let max): p = S.nullableString.maxLength(max)
        case .longText: p = S.nullableString.maxLength(RegisterRules.textMax)
        case .level: p = S.nullableInteger.range(1, 5)
        case .amount: p = S.nullableNumber.minimum(0)
        case .workDays:
            let low = RegisterRules.nonNegativeDays.contains(spec.name) ? 0 : -RegisterRules.workDaysMax
            p = S.nullableInteger.range(Double(low), Double(RegisterRules.workDaysMax))
        case .date: p = .date
        case .choice(let values): p = .nullableEnumeration(values)
        case .bool: p = JSONSchema([.boolean, .null])
        case .user, .company: p = output ? .nullable("PersonRef") : .nullableUUID
        case .item(let type):
            // Written as the full reference (CRM-S3); read as that or without the key (S3).
            p = output ? S.nullableString : JSONSchema([.string, .null]).pattern("^([A-Z][A-Z0-9]{1,9}-)?\(type.rawValue)[1-9][0-9]{0,8}$")
                .refusedAs("invalid_reference")
        case .items(let type):
            if output {
                p = JSONSchema([.array, .null])
                p.items = .string
            } else {
                // A required list needs one item at least (an empty one reads as none).
                p = JSONSchema([.array, .null]).itemCount((spec.required ? 1 : 0)...RegisterFieldSpec.stepsMax)
                p.items = JSONSchema.string.pattern("^([A-Z][A-Z0-9]{1,9}-)?\(type.rawValue)[1-9][0-9]{0,8}$").refusedAs("invalid_reference")
            }
        case .activities:
            p = JSONSchema([.array, .null])
            p.items = output ? .integer : JSONSchema.integer.range(1, 999_999_999).refusedAs("invalid_reference")
            if !output { p = p.itemCount(0...RegisterFieldSpec.activitiesMax) }
        case .resources:
            // Read as resource ids; answered with each one's name.
            p = JSONSchema([.array, .null])
            p.items = output ? .ref("PersonRef") : JSONSchema.uuid.refusedAs("invalid_reference")
            if !output { p = p.itemCount(0...RegisterFieldSpec.resourcesMax) }
        case .indicators:
            p = JSONSchema([.array, .null])
            p.items = .object(["text": .string, "status": .enumeration(["watching", "triggered"])], required: ["text"])
        case .options:
            p = JSONSchema([.array, .null]).itemCount(0...20)
            p.items = .object([
                "title": S.text(200), "pros": .string, "cons": .string, "cost": S.nullableNumber.range(0, RegisterRules.amountMax),
                "scheduleDays": S.nullableInteger.range(-Double(RegisterRules.workDaysMax), Double(RegisterRules.workDaysMax)),
                "effortHours": S.nullableNumber.range(0, RegisterRules.amountMax),
            ], required: ["title"])
        }
        return spec.automatic ? p.isReadOnly : p
    }

    static var all: [String: JSONSchema] {
        var schemas: [String: JSONSchema] = [:]
        for kind in RegisterKind.allCases {
            let name = RegisterAPI.schemaName(kind)
            var writable: [String: JSONSchema] = [
                "title": S.text(RegisterRules.titleMax), "description": .nullableString,
                "status": .enumeration(kind.statuses), "owner": .nullableUUID, "dueDate": .date,
                "visibility": .enumeration(["project", "internal", "company"]),
                "visibilityCompanyId": .nullableUUID, "companyId": .nullableUUID,
            ]
            // A required field cannot be cleared: null is refused as `required`, so its input schema has no null.
            for spec in kind.fields where !spec.automatic {
                writable[spec.name] = spec.required ? property(spec, output: false).withoutNull : property(spec, output: false)
            }
            var output = writable
            for spec in kind.fields { output[spec.name] = property(spec, output: true) }
            output.merge([
                "id": .string, "reference": .string, "projectKey": .string, "register": .string, "number": .integer,
                "owner": .nullable("PersonRef"), "companyName": .nullableString,
                "createdBy": .ref("PersonRef"), "createdAt": .instant, "updatedAt": .instant, "version": .integer,
                "overdue": .boolean, "open": .boolean, "nextStatuses": .array(.string),
            ]) { _, new in new }
            if kind == .risk {
                output["score"] = .nullableInteger
                output["residualScore"] = .nullableInteger
            }
            var create = writable
            create["origin"] = S.itemReference.described("An item this one comes from, e.g. CRM-I12 or R3; linked as derived_from.")
            let required = ["title"] + kind.fields.filter(\.required).map(\.name)
            schemas[name] = .object(output)
            schemas["\(name)List"] = .object(["items": .array(.ref(name)), "nextCursor": .nullableString], required: ["items"])
            schemas["\(name)Create"] = .object(create, required: required)
            schemas["\(name)Patch"] = .object(writable)
        }
        schemas["Occurrence"] = .object(["risk": .ref("Risk"), "issue": .object(["reference": .string, "number": .integer, "title": .string,
                                                                                  "status": .string, "version": .integer])])
        schemas["DecisionRights"] = .object(["items": .array(.object([
            "category": JSONSchema.string.maxLength(60), "authority": S.text(200),
            "roles": .array(.enumeration(ProjectRole.allCases.map(\.rawValue))),
            "users": .array(.uuid),
        ], required: ["category", "authority", "roles"]))], required: ["items"])
        schemas["Overview"] = .object(["registers": .array(.object([
            "register": .string, "letter": .string, "open": .integer, "overdue": .integer, "ageing": .integer, "total": .integer]))])
        schemas["WorkList"] = .object(["items": .array(.object([
            "reference": .string, "projectKey": .string, "register": .string, "number": .integer, "title": .string,
            "status": .string, "dueDate": .date, "overdue": .boolean, "mustDecide": .boolean]))], required: ["items"])
        schemas["ImportPlan"] = .object([
            "applied": .boolean, "creates": .integer, "updates": .integer, "unchanged": .integer, "errorCount": .integer,
            "errors": .array(.object(["line": .integer, "column": .string, "code": .string, "message": .string])),
            "rows": .array(.object([
                "line": .integer, "action": .enumeration(["create", "update", "unchanged", "error"]), "reference": .nullableString,
                "changes": .array(.object(["field": .string, "from": .nullableString, "to": .nullableString])),
                "errors": .array(.object(["column": .string, "code": .string, "message": .string]))])),
        ])
        return schemas
    }
}
