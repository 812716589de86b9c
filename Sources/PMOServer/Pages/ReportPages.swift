import Vapor

enum ReportPages {
    static func register(_ app: Application) {}
}
