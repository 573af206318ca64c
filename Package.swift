// swift-tools-version:6.0
//
// Almanac: an event-sourced data warehouse for economic indicators.
//
// Targets are layered, dependencies point down:
//   CZstd, CSQLite (system libraries)
//   AlmanacLog       the append-only zstd event log; knows nothing of economics
//   AlmanacDomain    periods, regions, indicators, agencies, event payloads
//   AlmanacSQLite    a thin wrapper over the SQLite C API
//   AlmanacIngest    agency file formats and validation
//   AlmanacGenerate  realistic agency files for demos, tests and benchmarks
//   AlmanacQuery     the pipeline query language: lexer, parser, checker, SQL compiler
//   AlmanacStore     the store directory, projections into SQLite, the submission pipeline, exports
//   AlmanacDaemon    the unattended ingest daemon (inbox, claims, inotify) and export schedules
//   almanac          the command line (one file per subcommand)
import PackageDescription

/// The modules on the hot paths (log encoding, validation, projection, SQLite calls) are
/// optimised even in debug builds, so the test suite's million-row tests and crash tests run
/// in minutes on two cores; everything else keeps debug settings.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Almanac",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "almanac", targets: ["almanac"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "AlmanacLog",
            dependencies: ["CZstd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "AlmanacDomain",
            dependencies: ["AlmanacLog"],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "AlmanacSQLite",
            dependencies: ["CSQLite"],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "AlmanacIngest",
            dependencies: ["AlmanacDomain", "AlmanacLog"],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "AlmanacGenerate",
            dependencies: ["AlmanacDomain"],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "AlmanacQuery",
            dependencies: ["AlmanacDomain", "AlmanacSQLite"],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "AlmanacStore",
            dependencies: [
                "AlmanacLog", "AlmanacDomain", "AlmanacSQLite", "AlmanacIngest", "AlmanacQuery",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "AlmanacDaemon",
            dependencies: [
                "AlmanacLog", "AlmanacDomain", "AlmanacStore", "AlmanacIngest",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "AlmanacTesting",
            dependencies: ["AlmanacLog"]
        ),
        .executableTarget(
            name: "almanac",
            dependencies: [
                "AlmanacLog", "AlmanacDomain", "AlmanacSQLite", "AlmanacIngest", "AlmanacQuery", "AlmanacStore", "AlmanacGenerate", "AlmanacDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A child process for crash tests: appends batches and acknowledges each on stdout
        // until it is killed.
        .executableTarget(
            name: "almanac-torture",
            dependencies: ["AlmanacLog"]
        ),
        // The benchmarks behind tools/bench.
        .executableTarget(
            name: "almanac-bench",
            dependencies: ["AlmanacLog", "AlmanacDomain", "AlmanacSQLite", "AlmanacIngest", "AlmanacStore", "AlmanacGenerate", "AlmanacQuery"]
        ),
        .testTarget(name: "AlmanacLogTests", dependencies: ["AlmanacLog", "AlmanacTesting"]),
        .testTarget(name: "AlmanacDomainTests", dependencies: ["AlmanacDomain"]),
        .testTarget(name: "AlmanacSQLiteTests", dependencies: ["AlmanacSQLite"]),
        .testTarget(name: "AlmanacIngestTests", dependencies: ["AlmanacIngest", "AlmanacDomain", "AlmanacTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "AlmanacGenerateTests", dependencies: ["AlmanacGenerate", "AlmanacDomain"]),
        .testTarget(name: "AlmanacQueryTests", dependencies: ["AlmanacQuery", "AlmanacDomain", "AlmanacSQLite", "AlmanacTesting"], exclude: ["Golden"]),
        .testTarget(name: "AlmanacStoreTests", dependencies: [
            "AlmanacStore", "AlmanacTesting", "AlmanacDomain", "AlmanacIngest", "AlmanacSQLite", "AlmanacLog",
            "AlmanacQuery", "AlmanacGenerate",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "AlmanacDaemonTests", dependencies: [
            "AlmanacDaemon", "AlmanacStore", "AlmanacTesting", "AlmanacDomain", "AlmanacGenerate", "AlmanacSQLite", "AlmanacLog",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
