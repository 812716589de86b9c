import Foundation
import PMOCore
import PMOStore
import Vapor

/// Excel and CSV export and import of a register.
enum RegisterExchangeAPI {
    static func routes(_ kind: RegisterKind, _ r: APIRouter) {}
}
