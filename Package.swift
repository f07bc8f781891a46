// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Patron",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "patron", targets: ["patron"]),
        .library(name: "PatronCore", targets: ["PatronCore"]),
        .library(name: "PatronStore", targets: ["PatronStore"]),
        .library(name: "PatronAnalytics", targets: ["PatronAnalytics"]),
        .library(name: "PatronServer", targets: ["PatronServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The domain: values and rules, Foundation only.
        .target(name: "PatronCore"),
        // SQLite settings reachable only through variadic C functions.
        .target(name: "PatronSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Storage: the Store protocol, SQLite through GRDB, the program file reader.
        .target(
            name: "PatronStore",
            dependencies: [
                "PatronCore",
                "PatronSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Customer-base analytics: summaries, BG/NBD, Pareto/NBD, Gamma-Gamma, CLV.
        .target(name: "PatronAnalytics", dependencies: ["PatronCore"]),
        // Long-running parts: scheduled jobs (the HTTP API joins here).
        .target(name: "PatronServer", dependencies: ["PatronCore", "PatronStore"]),
        .executableTarget(
            name: "patron",
            dependencies: [
                "PatronCore", "PatronStore", "PatronAnalytics", "PatronServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The analytics peer benchmark's Swift side (Benchmarks/analytics/run.sh runs it beside Python's lifetimes).
        .executableTarget(name: "analytics-bench", dependencies: ["PatronAnalytics", "PatronCore"], path: "Benchmarks/analytics/AnalyticsBench"),
        .testTarget(name: "PatronCoreTests", dependencies: ["PatronCore"]),
        .testTarget(name: "PatronStoreTests", dependencies: ["PatronStore", "PatronCore"]),
        .testTarget(name: "PatronAnalyticsTests", dependencies: ["PatronAnalytics", "PatronCore"]),
        .testTarget(name: "PatronServerTests", dependencies: ["PatronServer", "PatronStore", "PatronCore"]),
    ],
    swiftLanguageModes: [.v6]
)
