import Foundation

/// A large, deterministic organisation for the organisation chart's benchmark: `units` units in four companies,
/// three levels under a steering committee, every third team with an escalation route to the unit above, each team
/// with `members` people (60 × 5: the 300 people of the speed target).
public enum SyntheticOrganisation {
    public static func make(units count: Int = 60, members: Int = 5) -> (units: [OrgChart.Unit], lines: [OrgChart.Line], escalations: [OrgChart.Escalation]) {
        var units = [OrgChart.Unit(key: "U1", reference: "X-U1", name: "Steering committee", group: "Client", kind: "steering", head: "Chair")]
        var lines: [OrgChart.Line] = [], escalations: [OrgChart.Escalation] = []
        guard count > 1 else { return (units, lines, escalations) }
        let second = max(2, count / 12), third = max(second + 1, count / 4)
        for n in 2...count {
            let parent = n <= 1 + second ? 1 : (n <= third ? 2 + (n - 2 - second) % second : 2 + second + (n - third - 1) % max(1, third - second - 1))
            let company = ["Client", "Vendor A", "Vendor B", "Vendor C"][n % 4]
            units.append(OrgChart.Unit(key: "U\(n)", reference: "X-U\(n)", name: "Team \(n)", group: company, kind: n <= 1 + second ? "pmo" : "vendor",
                                       head: "Lead \(n)", members: (1...max(1, members)).prefix(members).map { "Person \(n)-\($0)" }))
            lines.append(OrgChart.Line(unit: "U\(n)", reportsTo: "U\(min(parent, n - 1))"))
            if n % 3 == 0 { escalations.append(OrgChart.Escalation(key: "E\(n)", from: "U\(n)", to: "U\(min(parent, n - 1))", label: "L1 · 3 days")) }
        }
        return (units, lines, escalations)
    }
}
