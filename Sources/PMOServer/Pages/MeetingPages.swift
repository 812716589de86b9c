import Vapor

enum MeetingPages {
    static func register(_ app: Application) {}
}
