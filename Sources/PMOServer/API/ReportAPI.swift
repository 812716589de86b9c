import Vapor

enum ReportAPI {
    static func register(_ r: APIRouter) {}
}
