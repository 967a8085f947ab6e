import CRMDemo
import CRMStore
import CRMViewModels
import Foundation

/// The keys of the screen for the man page, read from the same key tables
/// that dispatch them (as the `?` overlay does), so `man crm` cannot promise
/// a key the screen does not have. The tables are state-dependent, so they
/// are read off a real AppModel on a small throwaway demo database in a
/// private temporary folder (removed again), in each mode that has a table
/// of its own.
enum KeyReference {
    struct Section {
        let title: String
        let keys: [HelpItem]
    }


    static func sections() throws -> [Section] {
        let folder = try Paths.makeTemporaryFolder("crm-keys", purpose: "to read the key tables")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try withExtendedLifetime(try Database(path: folder + "/keys.db")) { db in
            try DemoData.generate(into: db, contacts: 10, seed: DemoCommand.defaultSeed)
            let app = AppModel(repositories: db)
            app.handle(.resize(width: 120, height: 40))
            app.start()
            do {
                // The same tables `?` shows and the tests press, every mode and window.
                return try app.keyTables().map { table in
                    Section(title: table.title, keys: table.bindings.map { HelpItem($0.keyLabel, $0.title) })
                }
            } catch let missing as KeyTableMissing {
                throw Failure("\(missing) (reading the keys for the manual)", status: ExitCode.software)
            }
        }
    }
}
