// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Patron",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "patron", targets: ["patron"]),
        .library(name: "PatronCore", targets: ["PatronCore"]),
        .library(name: "PatronFiles", targets: ["PatronFiles"]),
        .library(name: "PatronStore", targets: ["PatronStore"]),
        .library(name: "PatronAnalytics", targets: ["PatronAnalytics"]),
        .library(name: "PatronServices", targets: ["PatronServices"]),
        .library(name: "PatronServer", targets: ["PatronServer"]),
        .library(name: "PatronConsole", targets: ["PatronConsole"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The messages' SMTP client (issue 16): no maintained Swift SMTP package is in the mirror, so a small one on SwiftNIO.
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
    ],
    targets: [
        // The domain: values and rules, Foundation only.
        .target(name: "PatronCore"),
        // SQLite settings reachable only through variadic C functions.
        .target(name: "PatronSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The shop's files — program, segments, campaigns — from YAML or JSON text to PatronCore's values; on its own
        // so that Fuzz/ can exercise it without the databases.
        .target(name: "PatronFiles", dependencies: ["PatronCore", .product(name: "Yams", package: "Yams")]),
        // Storage: the Store protocol, its logic over SQL, SQLite through GRDB, PostgreSQL through PostgresNIO.
        .target(
            name: "PatronStore",
            dependencies: [
                "PatronCore",
                "PatronFiles",
                "PatronSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Customer-base analytics: summaries, BG/NBD, Pareto/NBD, Gamma-Gamma, CLV.
        .target(name: "PatronAnalytics", dependencies: ["PatronCore"]),
        // The use cases the command line, the HTTP API and the console share (quote, simulate, adjust …): no HTTP,
        // no terminal.
        // Messages (Messages/): templates with swift-mustache, the SMTP client on SwiftNIO (+ NIOSSL for STARTTLS),
        // HMAC-signed provider requests and unsubscribe links with swift-crypto.
        .target(
            name: "PatronServices",
            dependencies: [
                "PatronCore", "PatronFiles", "PatronStore", "PatronAnalytics",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Long-running parts: the HTTP API (generated from openapi.yaml at build time), scheduled jobs, webhooks.
        .target(
            name: "PatronServer",
            dependencies: [
                "PatronCore", "PatronFiles", "PatronStore", "PatronAnalytics", "PatronServices",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("openapi.yaml")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // The staff console (/console) and the member zone (/member): server-rendered pages, sessions, CSRF, assets.
        // Beside the API, not behind it: the API's keys do not open these pages, nor their sessions the API.
        .target(
            name: "PatronConsole",
            dependencies: [
                "PatronCore", "PatronFiles", "PatronStore", "PatronAnalytics", "PatronServices",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Templates"), .copy("Strings"), .copy("Assets")]
        ),
        .executableTarget(
            name: "patron",
            dependencies: [
                "PatronCore", "PatronFiles", "PatronStore", "PatronAnalytics", "PatronServices", "PatronServer", "PatronConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Mustache", package: "swift-mustache"),  // `patron bench messages`' peer
            ]
        ),
        // The analytics peer benchmark's Swift side (Benchmarks/analytics/run.sh runs it beside Python's lifetimes).
        .executableTarget(name: "analytics-bench", dependencies: ["PatronAnalytics", "PatronCore"], path: "Benchmarks/analytics/AnalyticsBench"),
        .testTarget(name: "PatronCoreTests", dependencies: ["PatronCore"]),
        // What the test targets share: where a test's database lives (SQLite, or PostgreSQL when asked).
        .target(name: "PatronTestSupport", path: "Tests/PatronTestSupport"),
        .testTarget(name: "PatronStoreTests", dependencies: ["PatronStore", "PatronFiles", "PatronCore", "PatronTestSupport"]),
        .testTarget(name: "PatronAnalyticsTests", dependencies: ["PatronAnalytics", "PatronCore"]),
        .testTarget(
            name: "PatronServicesTests", dependencies: ["PatronServices", "PatronStore", "PatronFiles", "PatronCore", "PatronAnalytics", "PatronTestSupport"]),
        .testTarget(
            name: "PatronConsoleTests",
            dependencies: [
                "PatronConsole", "PatronServices", "PatronStore", "PatronFiles", "PatronCore", "PatronTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .testTarget(
            name: "PatronServerTests",
            dependencies: [
                "PatronServer", "PatronServices", "PatronStore", "PatronFiles", "PatronCore", "PatronTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
