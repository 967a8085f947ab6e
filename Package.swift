// swift-tools-version:6.0
// The terminal CRM: no Swift package dependencies, only Foundation and the
// system libraries ncursesw and sqlite3 (declared as system library targets).
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
        .target(name: "CRMCore"),
        .target(name: "CRMStore", dependencies: ["CRMCore", "CSQLite"]),
        .target(name: "CRMViewModels", dependencies: ["CRMCore", "CRMStore"]),
        .target(name: "CRMTerminal", dependencies: ["CRMViewModels", "CRMCore", "CNcursesw"]),
        .executableTarget(
            name: "crm",
            dependencies: ["CRMTerminal", "CRMViewModels", "CRMStore", "CRMCore"]
        ),
        .testTarget(name: "CRMCoreTests", dependencies: ["CRMCore"]),
        .testTarget(name: "CRMStoreTests", dependencies: ["CRMStore", "CRMCore"]),
        .testTarget(name: "CRMViewModelsTests", dependencies: ["CRMViewModels", "CRMStore", "CRMCore"]),
        // Golden screens live in Tests/CRMTerminalTests/Golden and are read
        // from the source tree (#filePath), so UPDATE_GOLDEN=1 can rewrite them.
        .testTarget(
            name: "CRMTerminalTests",
            dependencies: ["CRMTerminal", "CRMViewModels", "CRMStore", "CRMCore"],
            exclude: ["Golden"]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["CRMStore", "CRMCore"]),
    ],
    swiftLanguageModes: [.v6]
)
