// swift-tools-version:6.1
import PackageDescription

// Benchmarks of the scheduling engine and the diagrams (package-benchmark). Kept out of the main package so CI's test build
// does not pay for them. Run from this folder: swift package --allow-writing-to-package-directory benchmark
let package = Package(
    name: "PMOBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "pmo", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ScheduleBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PMOCore", package: "pmo"),
                .product(name: "PMOSchedule", package: "pmo"),
                .product(name: "PMOInterchange", package: "pmo"),
            ],
            path: "Benchmarks/ScheduleBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "DiagramBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PMOReports", package: "pmo"),
                .product(name: "PMOCore", package: "pmo"),
                .product(name: "PMOInterchange", package: "pmo"),
                .product(name: "PMOWords", package: "pmo"),
            ],
            path: "Benchmarks/DiagramBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
