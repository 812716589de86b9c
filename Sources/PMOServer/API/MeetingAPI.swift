import Vapor

enum MeetingAPI {
    static func register(_ r: APIRouter) {}
}
