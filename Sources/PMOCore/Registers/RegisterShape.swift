import Foundation

/// What a register is, as spreadsheets (and anything else generic over registers) need it: its item type, its
/// statuses, its own fields, and the catalogue keys of its words. The five registers of `RegisterKind` and the issue
/// register each have one, so the issue register exports and imports through the same code as the others.
public struct RegisterShape: Sendable {
    public var type: ItemType
    /// The register's name in codes and word keys (`risk`, `issue`).
    public var name: String
    /// Every status, in workflow order.
    public var statuses: [String]
    public var initialStatus: String { statuses[0] }
    /// The register's own fields, in column order.
    public var fields: [RegisterFieldSpec]
    /// The catalogue key of a status's word.
    public var statusWord: @Sendable (String) -> String
    /// The catalogue key of a field's label.
    public var fieldWord: @Sendable (String) -> String
    /// The catalogue key of a choice's word: (field, value).
    public var choiceWord: @Sendable (String, String) -> String

    public func field(_ name: String) -> RegisterFieldSpec? { fields.first { $0.name == name } }
    /// The display reference, e.g. `CRM-I12`.
    public func reference(projectKey: String, number: Int) -> String { type.reference(projectKey: projectKey, number: number) }
}

extension RegisterKind {
    public var shape: RegisterShape {
        RegisterShape(type: ItemType(self), name: rawValue, statuses: statuses, fields: fields,
                      statusWord: { [rawValue] in "rs.\(rawValue).\($0)" }, fieldWord: { "rf." + $0 }, choiceWord: { RegisterFieldSpec.choiceWordKey(field: $0, value: $1) })
    }
}

extension RegisterShape {
    /// The issue register: its own fields are the priority, cause, next action and escalation level (a choice of
    /// 0–3, shown by its words), with the words the issue pages use.
    public static let issue = RegisterShape(
        type: .issue, name: "issue", statuses: IssueStatus.allCases.map(\.rawValue),
        fields: [
            .init("priority", .choice(IssuePriority.allCases.map(\.rawValue))),
            .init("cause", .longText),
            .init("nextAction", .longText),
            .init("escalationLevel", .choice(EscalationLevel.range.map(String.init))),
            .init("systems", .items(.system)),
        ],
        statusWord: { "status." + $0 },
        fieldWord: { ["priority": "priority", "cause": "cause", "nextAction": "next_action", "escalationLevel": "escalation",
                      "systems": "issue_systems"][$0] ?? $0 },
        choiceWord: { field, value in field == "escalationLevel" ? "esc." + value : "priority." + value })
}

extension IssueFields {
    /// The issue in the register shape (`RegisterShape.issue`'s fields in the details).
    public var registerFields: RegisterItemFields {
        var details: [String: RegisterValue] = ["priority": .text(priority.rawValue), "cause": .text(cause), "nextAction": .text(nextAction),
                                                "escalationLevel": .text(String(escalationLevel))]
        if !systems.isEmpty { details["systems"] = .items(systems) }
        return RegisterItemFields(title: title, description: description, status: status.rawValue, ownerID: ownerID, dueDate: dueDate,
                                  visibility: visibility, companyID: companyID, details: details)
    }

    /// The issue with a register-shaped patch applied (a cleared field goes back to its default). Values the shape's
    /// reader produced are valid statuses and choices; anything else leaves the field as it was.
    public func applying(_ patch: RegisterItemPatch) -> IssueFields {
        var f = self
        if let title = patch.title { f.title = title }
        if let description = patch.description { f.description = description }
        if let status = patch.status, let s = IssueStatus(rawValue: status) { f.status = s }
        if let owner = patch.ownerID { f.ownerID = owner }
        if let due = patch.dueDate { f.dueDate = due }
        if let visibility = patch.visibility { f.visibility = visibility }
        if let company = patch.companyID { f.companyID = company }
        for (name, value) in patch.details {
            let text = value?.text ?? ""
            switch name {
            case "priority": f.priority = IssuePriority(rawValue: text) ?? .medium
            case "cause": f.cause = text
            case "nextAction": f.nextAction = text
            case "escalationLevel": f.escalationLevel = Int(text) ?? 0
            case "systems": f.systems = value?.namedItems ?? []
            default: break
            }
        }
        return f
    }
}
