// swift-tools-version: 6.1
// Otklik: the layers read top to bottom, from the C libraries to the executables.
// Dependencies point one way: executables -> OtklikServer -> (OtklikAPI, OtklikStore -> OtklikCore, OtklikRPC) -> OtklikBase.
// The transport knows nothing of cases: OtklikRPC depends on OtklikBase (locking, logging), not on OtklikCore.
import PackageDescription

let package = Package(
    name: "Otklik",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "otklikd", targets: ["otklikd"]),
        .executable(name: "otklik", targets: ["otklik"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // C libraries, behind thin walls.
        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CExif",
            pkgConfig: "libexif",
            providers: [.apt(["libexif-dev"])]
        ),
        .systemLibrary(
            name: "CStemmer",
            providers: [.apt(["libstemmer-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // protoc-c output, committed; regenerated only by scripts/generate-proto.
        .target(name: "COtklikProto", dependencies: ["CProtobufC"]),
        // What Glibc hides from Swift (SO_PEERCRED, accept4), built with _GNU_SOURCE.
        .target(name: "COtklikSystem"),

        // What every layer uses: a value behind a lock, the log line writer, SHA-256, word stems.
        .target(name: "OtklikBase", dependencies: ["CCrypto", "CStemmer"]),
        // Pure Swift: the regulation's words and rules, no I/O.
        .target(name: "OtklikCore", dependencies: ["OtklikBase"]),
        // SQLite: migrations, the event log, queries (the search index's word forms by Snowball's
        // Russian stemmer); the attachments' content-addressed files.
        .target(
            name: "OtklikStore",
            dependencies: ["OtklikBase", "OtklikCore", "CSQLite", "CExif", "COtklikSystem"]),
        // ttrpc-compatible framing, envelope codec, Dispatch server and client transport.
        .target(name: "OtklikRPC", dependencies: ["OtklikBase", "CProtobufC", "COtklikProto", "COtklikSystem"]),
        // The service contract (otklik.v1) as Swift values, their codecs and typed client stubs.
        .target(name: "OtklikAPI", dependencies: ["OtklikRPC", "OtklikCore", "CProtobufC", "COtklikProto"]),
        // The desk's side: what people read (the catalogue of words and sentences in English and
        // Russian), how they write times, text laid out for a terminal. Used by the CLI.
        .target(name: "OtklikDesk", dependencies: ["OtklikAPI", "OtklikRPC", "OtklikCore", "OtklikBase"]),
        // Service handlers, identity, daemon lifecycle.
        .target(
            name: "OtklikServer",
            dependencies: ["OtklikBase", "OtklikAPI", "OtklikRPC", "OtklikStore", "OtklikCore", "COtklikSystem"],
            resources: [
                .copy("Resources/production-calendar-ru.json"), .copy("Resources/profile-borovichi-34-rg.json"),
            ]
        ),

        // Executables, thin.
        .executableTarget(
            name: "otklikd",
            dependencies: [
                "OtklikBase", "OtklikServer", "OtklikStore", "OtklikCore", "OtklikDesk", "OtklikAPI", "OtklikRPC",
                "COtklikSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "otklik",
            dependencies: [
                "OtklikDesk", "OtklikAPI", "OtklikRPC", "OtklikCore", "OtklikBase", "COtklikSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks print figures; they are never tests.
        .executableTarget(
            name: "otklik-bench",
            dependencies: ["OtklikBase", "OtklikAPI", "OtklikRPC", "OtklikCore"],
            path: "benchmarks/otklik-bench"
        ),

        .executableTarget(
            name: "report-bench",
            dependencies: ["OtklikCore", "OtklikStore"],
            path: "benchmarks/report-bench"
        ),
        .executableTarget(
            name: "calendar-bench",
            dependencies: ["OtklikCore"],
            path: "benchmarks/calendar-bench"
        ),

        // What the test targets share: where their files go (removed when the test process ends).
        .target(name: "OtklikTestSupport", path: "Tests/Support"),

        // One Swift Testing target per module.
        .testTarget(name: "OtklikCoreTests", dependencies: ["OtklikCore", "OtklikBase"]),
        .testTarget(
            name: "OtklikStoreTests",
            dependencies: ["OtklikStore", "OtklikCore", "OtklikBase", "CSQLite", "OtklikTestSupport"]),
        .testTarget(
            name: "OtklikRPCTests", dependencies: ["OtklikRPC", "OtklikBase", "COtklikSystem", "OtklikTestSupport"]),
        .testTarget(name: "OtklikAPITests", dependencies: ["OtklikAPI", "OtklikCore", "OtklikRPC", "OtklikBase"]),
        .testTarget(
            name: "OtklikDeskTests",
            dependencies: ["OtklikDesk", "OtklikAPI", "OtklikRPC", "OtklikCore", "OtklikBase", "OtklikTestSupport"]),
        .testTarget(
            name: "OtklikServerTests",
            dependencies: [
                "OtklikServer", "OtklikAPI", "OtklikRPC", "OtklikStore", "OtklikCore", "OtklikBase", "OtklikDesk",
                "COtklikSystem", "OtklikTestSupport",
            ]),
    ]
)

for target in package.targets where target.type != .system {
    guard ["COtklikProto", "COtklikSystem"].contains(target.name) == false else { continue }
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .swiftLanguageMode(.v6),
            .enableUpcomingFeature("ExistentialAny"),
            // What a module shows of its imports is declared (`public import`), and a member is used
            // only from a module the file imports, as grpc-swift 2 builds.
            .enableUpcomingFeature("InternalImportsByDefault"),
            .enableUpcomingFeature("MemberImportVisibility"),
        ]
}
