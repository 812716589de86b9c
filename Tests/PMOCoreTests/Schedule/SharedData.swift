import Foundation

/// Locates ../shared/data beside the package root (the directory holding Package.swift above this file).
enum SharedData {
    static let root: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
            dir = dir.deletingLastPathComponent()
        }
        return dir.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
