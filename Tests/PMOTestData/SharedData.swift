import Foundation

/// Where the package and the shared test data are: `../shared/data` beside the package root (the folder holding
/// Package.swift). Foundation only, so the pure modules' tests can use it too.
public enum SharedData {
    /// The package root, found by walking up from this file to the folder with Package.swift.
    public static let packageRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    /// `../shared/data`, beside the package root.
    public static let root: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    /// A file under `../shared/data`.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
