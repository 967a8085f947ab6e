// swift-tools-version:6.0
// The terminal CRM: no Swift package dependencies, only Foundation and the
// system libraries ncursesw and sqlite3 (declared as system library targets)
// and libpq (loaded with dlopen when a PostgreSQL database is opened: CLibPQ).
//
// Layers point down only, and the target dependencies below enforce it: the
// screens (CRMViewModels, CRMTerminal) see the storage seam CRMRepositories,
// never an engine; only the executable (and the demo/bench tools it links)
// picks the SQLite engine, CRMStore.
import PackageDescription

let package = Package(
    name: "crm",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "crm", targets: ["crm"]),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // libpq's header (libpq-dev) and the functions crm calls, each
        // forwarding to libpq.so.5, opened the first time a PostgreSQL
        // database is: crm is not linked with libpq, so starting on an
        // SQLite file does not load it and the thirty libraries it needs.
        .target(name: "CLibPQ"),
        // Restores the terminal from a crash signal handler: C, because a
        // handler may only make async-signal-safe calls.
        .target(name: "CTerminalRestore"),
        .target(name: "CRMCore"),
        // The seam: repository protocols, row types, filters, opaque cursors,
        // the neutral error and the change set. Foundation and CRMCore only.
        .target(name: "CRMRepositories", dependencies: ["CRMCore"]),
        // The SQLite engine.
        .target(name: "CRMStore", dependencies: ["CRMRepositories", "CRMCore", "CSQLite"]),
        // The PostgreSQL engine: the same repositories through libpq.
        .target(name: "CRMStorePostgres", dependencies: ["CRMRepositories", "CRMCore", "CLibPQ"]),
        // A throwaway PostgreSQL server for the tests (initdb into a temp
        // folder, a Unix socket only): never linked into crm.
        .target(name: "CRMTestPostgres", dependencies: ["CRMStorePostgres"]),
        // Demo data: bulk-loads a deterministic team's worth of customers.
        .target(name: "CRMDemo", dependencies: ["CRMStore", "CRMRepositories", "CRMCore"]),
        // File formats: CSV (RFC 4180), vCard, our JSON, RFC 5322 mail. No
        // storage code: readers make `ImportRecord`s, writers take rows.
        .target(name: "CRMExchange", dependencies: ["CRMRepositories", "CRMCore"]),
        .target(name: "CRMViewModels", dependencies: ["CRMExchange", "CRMRepositories", "CRMCore"]),
        .target(name: "CRMTerminal", dependencies: ["CRMViewModels", "CRMRepositories", "CRMCore", "CNcursesw", "CTerminalRestore"]),
        // `crm bench`: store and screen timings on a demo database, on
        // SQLite and (keys, load) PostgreSQL side by side.
        .target(name: "CRMBench", dependencies: ["CRMTerminal", "CRMViewModels", "CRMDemo", "CRMStore", "CRMStorePostgres", "CRMRepositories", "CRMCore"]),
        .executableTarget(
            name: "crm",
            dependencies: ["CRMTerminal", "CRMViewModels", "CRMExchange", "CRMBench", "CRMDemo", "CRMStore", "CRMStorePostgres", "CRMRepositories", "CRMCore"]
        ),
        .testTarget(name: "CRMCoreTests", dependencies: ["CRMCore"]),
        // Hand-written fixtures (import files, mails) in Tests/CRMExchangeTests/Fixtures
        // are read from the source tree (#filePath); the end-to-end tests pipe the same mails.
        .testTarget(name: "CRMExchangeTests", dependencies: ["CRMExchange", "CRMRepositories", "CRMCore"], exclude: ["Fixtures"]),
        .testTarget(name: "CRMStoreTests", dependencies: ["CRMStore", "CRMStorePostgres", "CRMTestPostgres", "CRMDemo", "CRMExchange", "CRMRepositories", "CRMCore"]),
        .testTarget(name: "CRMViewModelsTests", dependencies: ["CRMViewModels", "CRMStore", "CRMDemo", "CRMRepositories", "CRMCore"]),
        // Golden screens live in Tests/CRMTerminalTests/Golden and are read
        // from the source tree (#filePath), so UPDATE_GOLDEN=1 can rewrite them.
        .testTarget(
            name: "CRMTerminalTests",
            dependencies: ["CRMTerminal", "CRMViewModels", "CRMBench", "CRMDemo", "CRMStore", "CRMRepositories", "CRMCore"],
            exclude: ["Golden"]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["CRMStore", "CRMStorePostgres", "CRMTestPostgres", "CRMDemo", "CRMRepositories", "CRMViewModels", "CRMCore"]),
    ],
    swiftLanguageModes: [.v6]
)
