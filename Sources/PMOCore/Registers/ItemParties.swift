import Foundation

/// Which companies are party to the project's interfaces: a vendor's staff see only the interfaces their company is on
/// either side of, whatever the interface's visibility says, so that a vendor's IF list and system diagram hold its own
/// part of the landscape and nothing of the work between other vendors. Systems stay visible by their visibility (a
/// vendor names the other end of its interface from the project's systems), but a vendor's diagram draws only its own
/// systems and those at the ends of its interfaces (`SystemMap.forVendor`). Other registers have no parties.
public enum ItemParties {
    /// What the rule reads of one system or interface.
    public struct Item: Sendable, Equatable {
        public var number: Int
        /// `.system` or `.interface`.
        public var kind: RegisterKind
        /// The company responsible for the item in this project (the common company field).
        public var companyID: CompanyID?
        /// The company an item kept to one company's view belongs to.
        public var visibilityCompanyID: CompanyID?
        public var details: [String: RegisterValue]
        /// The companies of the item's owner and of the person who raised it: a vendor that raised an interface, or
        /// whose staff own it, keeps seeing it.
        public var peopleCompanies: Set<CompanyID>

        public init(number: Int, kind: RegisterKind, companyID: CompanyID?, visibilityCompanyID: CompanyID?,
                    details: [String: RegisterValue], peopleCompanies: Set<CompanyID> = []) {
            self.number = number
            self.kind = kind
            self.companyID = companyID
            self.visibilityCompanyID = visibilityCompanyID
            self.details = details
            self.peopleCompanies = peopleCompanies
        }

        /// A system's own companies: the one responsible for it, the one that builds it, the one that runs it, its
        /// owner's and its author's.
        public var systemCompanies: Set<CompanyID> {
            Set([companyID, visibilityCompanyID, details["builtBy"]?.company, details["runBy"]?.company].compactMap { $0 })
                .union(peopleCompanies)
        }
    }

    /// The registers whose items have parties.
    public static let kinds: Set<RegisterKind> = [.interface]
    /// The registers whose changes change parties (a system's vendors are parties to its interfaces).
    public static let inputs: Set<RegisterKind> = [.system, .interface]

    /// The parties of every interface, by number: its company, the vendor responsible on each side, its owner's and
    /// its author's companies, and the companies of the systems at both ends (`systemCompanies`).
    public static func compute(_ items: [Item]) -> [Int: Set<CompanyID>] {
        var systems: [Int: Set<CompanyID>] = [:]
        for s in items where s.kind == .system { systems[s.number] = s.systemCompanies }
        var interfaces: [Int: Set<CompanyID>] = [:]
        for f in items where f.kind == .interface {
            var parties = Set([f.companyID, f.visibilityCompanyID, f.details["sourceVendor"]?.company,
                               f.details["targetVendor"]?.company].compactMap { $0 }).union(f.peopleCompanies)
            for end in ["source", "target"] { parties.formUnion(f.details[end]?.item.flatMap { systems[$0.number] } ?? []) }
            interfaces[f.number] = parties
        }
        return interfaces
    }

    /// The systems a vendor's diagram draws: of the systems it may see, its company's own and those at an end of an
    /// interface it may see (`ends`: each such interface's source and target).
    public static func systemsShown(to company: CompanyID, systems: [Item], ends: [(Int, Int)]) -> Set<Int> {
        var shown = Set(systems.filter { $0.systemCompanies.contains(company) }.map(\.number))
        for (source, target) in ends { shown.formUnion([source, target]) }
        return shown.intersection(systems.map(\.number))
    }

    /// The parties as stored beside the item: `|id|id|` in a fixed order, so that one company is found with
    /// `LIKE '%|id|%'` on every database.
    public static func stored(_ parties: Set<CompanyID>) -> String {
        "|" + parties.map { $0.rawValue.uuidString }.sorted().map { $0 + "|" }.joined()
    }

    /// The pattern that finds `company` among stored parties.
    public static func pattern(_ company: CompanyID) -> String { "%|" + company.rawValue.uuidString + "|%" }
}
