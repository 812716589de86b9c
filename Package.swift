// swift-tools-version:6.1
import PackageDescription

// Dependencies point inward: pmo -> PMOCLI -> PMOServer -> PMOStore -> PMOSchedule -> PMOCore,
// and PMOServer -> PMOReports -> PMOSchedule / PMOInterchange / PMOHTML / PMOWords -> PMOCore.
// The core modules (PMOCore, PMOSchedule, PMOInterchange, PMOReports) stay pure: no framework, database,
// clock or environment; Foundation only, except ZIPFoundation under PMOInterchange's xlsx reader and writer.
let package = Package(
    name: "pmo",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pmo", targets: ["pmo"]),
        .library(name: "PMOCore", targets: ["PMOCore"]),
        .library(name: "PMOSchedule", targets: ["PMOSchedule"]),
        .library(name: "PMOInterchange", targets: ["PMOInterchange"]),
        // For the benchmarks of the diagrams (Benchmarks/).
        .library(name: "PMOReports", targets: ["PMOReports"]),
        .library(name: "PMOWords", targets: ["PMOWords"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "PMOCore"),
        .target(name: "PMOSchedule", dependencies: ["PMOCore"]),
        .target(
            name: "PMOInterchange",
            dependencies: ["PMOCore", "PMOSchedule", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // The one HTML writer: escaped text, literal tags, and unescaped markup only from PMOReports' charts.
        .target(name: "PMOHTML", dependencies: ["PMOCore"]),
        // The one catalogue of words, Japanese and English, read by the pages and the documents alike.
        .target(name: "PMOWords"),
        .target(name: "PMOReports", dependencies: ["PMOCore", "PMOSchedule", "PMOInterchange", "PMOHTML", "PMOWords"]),
        .target(
            name: "PMOStore",
            dependencies: [
                "PMOCore", "PMOSchedule",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The demo organisation, project, plan, registers and meetings, loaded through the store (`serve --demo`, tests).
        .target(name: "PMODemo", dependencies: ["PMOCore", "PMOSchedule", "PMOStore", "PMOWords", .product(name: "FluentKit", package: "fluent-kit")]),
        // bcrypt (Vapor's) behind PMOStore's `PasswordHasher`, for the composition roots: the server, the CLI, tests.
        .target(name: "PMOPasswords", dependencies: ["PMOStore", .product(name: "Vapor", package: "vapor")]),
        .target(
            name: "PMOServer",
            dependencies: [
                "PMOCore", "PMOStore", "PMOPasswords", "PMODemo", "PMOReports", "PMOSchedule", "PMOInterchange", "PMOHTML",
                "PMOWords", .product(name: "Vapor", package: "vapor"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "PMOCLI",
            dependencies: [
                "PMOServer", "PMOStore", "PMOPasswords", "PMOCore", "PMOSchedule", "PMOInterchange",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(name: "pmo", dependencies: ["PMOCLI"]),
        // Finds the package root and ../shared/data for every suite; Foundation only.
        .target(name: "PMOTestData", path: "Tests/PMOTestData"),
        .testTarget(name: "PMOCoreTests", dependencies: ["PMOCore", "PMOTestData"]),
        .testTarget(name: "PMOScheduleTests", dependencies: ["PMOSchedule", "PMOCore", "PMOTestData"]),
        .testTarget(name: "PMOInterchangeTests", dependencies: ["PMOInterchange", "PMOSchedule", "PMOCore", "PMOTestData"]),
        .testTarget(name: "PMOReportsTests", dependencies: ["PMOReports", "PMOSchedule", "PMOCore", "PMOWords"], exclude: ["Golden"]),
        .testTarget(name: "PMOHTMLTests", dependencies: ["PMOHTML", "PMOTestData"]),
        .testTarget(name: "PMOWordsTests", dependencies: ["PMOWords", "PMOTestData"]),
        // Shared by the store and server suites: fresh SQLite files and PostgreSQL databases per test.
        .target(name: "PMOTestSupport", dependencies: ["PMOStore", "PMOPasswords"], path: "Tests/PMOTestSupport"),
        .testTarget(name: "PMOStoreTests", dependencies: ["PMOStore", "PMOPasswords", "PMOCore", "PMODemo", "PMOTestSupport", "PMOInterchange", "PMOSchedule", "PMOTestData"]),
        .testTarget(
            name: "PMOServerTests",
            dependencies: [
                "PMOServer", "PMOStore", "PMODemo", "PMOCore", "PMOTestSupport", "PMOTestData", "PMOInterchange", "PMOReports",
                "PMOWords", .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
        .testTarget(name: "PMOCLITests", dependencies: ["PMOCLI", "PMOStore", "PMOPasswords", "PMODemo", "PMOCore", "PMOTestSupport", "PMOTestData", "PMOInterchange", "PMOSchedule"]),
    ],
    swiftLanguageModes: [.v6]
)
