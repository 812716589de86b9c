import Foundation

/// The addresses of the resource pages (the list, one resource, the overload map) and of levelling scenarios, built
/// only here.
enum ResourcePath: Sendable, Hashable {
    case list, resource(UUID), delete(UUID), absences(UUID), deleteAbsence(UUID, UUID), swap(UUID)
    case load, loadWorkbook, loadSVG
    /// Proposing a scenario; one scenario; its apply and discard.
    case propose, scenario(UUID), apply(UUID), discard(UUID)

    var href: String {
        func id(_ u: UUID) -> String { u.uuidString.lowercased() }
        return switch self {
        case .list: "/resources"
        case .resource(let r): "/resources/\(id(r))"
        case .delete(let r): "/resources/\(id(r))/delete"
        case .absences(let r): "/resources/\(id(r))/absences"
        case .deleteAbsence(let r, let a): "/resources/\(id(r))/absences/\(id(a))/delete"
        case .swap(let r): "/resources/\(id(r))/swap"
        case .load: "/resources/load"
        case .loadWorkbook: "/resources/load.xlsx"
        case .loadSVG: "/resources/load.svg"
        case .propose: "/levelling"
        case .scenario(let s): "/levelling/\(id(s))"
        case .apply(let s): "/levelling/\(id(s))/apply"
        case .discard(let s): "/levelling/\(id(s))/discard"
        }
    }

    /// Every kind of address with sample parameters (for the routes test).
    static let samples: [ResourcePath] = [
        .list, .resource(UUID()), .delete(UUID()), .absences(UUID()), .deleteAbsence(UUID(), UUID()), .swap(UUID()),
        .load, .loadWorkbook, .loadSVG, .propose, .scenario(UUID()), .apply(UUID()), .discard(UUID()),
    ]
}
