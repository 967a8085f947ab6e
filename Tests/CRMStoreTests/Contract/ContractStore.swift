import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// A fresh store on one engine, opened only as `any CRMRepositories`, so a
/// contract written once runs on SQLite and on PostgreSQL: `open` signs a
/// user in (the first one is its admin, later ones are reps created on first
/// use), every session on the same store and clock.
final class ContractStore {
    let name: String
    /// The tier shares and rates the next session opens with (the settings'
    /// `tier.A`, `tier.B`, `rate.*`).
    var valueTierPolicy = ValueTierPolicy()
    /// The region national phone numbers are read in, for the next session.
    var phoneRegion: PhoneRegion?
    private(set) var open: (_ login: String) throws -> any CRMRepositories = { _ in fatalError("no engine") }
    /// Fails when a row points at one that is gone. PostgreSQL checks every
    /// foreign key as each statement ends; SQLite only when asked.
    let checkIntegrity: () throws -> Void
    /// A login of this store only, for users an admin adds: on PostgreSQL
    /// each is a role of the whole server, shared by every test's database.
    let login: (_ base: String) -> String
    /// The first column of each row of `sql` (written to read the same on
    /// both engines; `?` placeholders), as text, nil for NULL: for what no
    /// protocol shows (a merged record's pointer, a history table).
    let texts: (_ sql: String, _ values: [Int64]) throws -> [String?]
    private let keep: AnyObject

    private init(name: String, keep: AnyObject, login: @escaping (String) -> String = { $0 },
                 open: @escaping (ContractStore, String) throws -> any CRMRepositories,
                 checkIntegrity: @escaping () throws -> Void, texts: @escaping (String, [Int64]) throws -> [String?]) {
        self.name = name; self.keep = keep; self.login = login; self.checkIntegrity = checkIntegrity; self.texts = texts
        self.open = { [unowned self] login in try open(self, login) }
    }

    /// A SQLite file in a temporary folder.
    static func sqlite(clock: any Clock = SystemClock()) -> ContractStore {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        return ContractStore(name: "SQLite", keep: folder, open: { store, login in
            try Database(path: path, login: login, clock: clock, phoneRegion: store.phoneRegion, valueTierPolicy: store.valueTierPolicy)
        }, checkIntegrity: {
            let db = try Database(path: path)
            XCTAssertEqual(try db.connection.scalar("PRAGMA foreign_key_check") ?? nil, nil, "every row points at one that exists")
        }, texts: { sql, values in
            try Database(path: path).connection.rows(sql, values) { $0.optionalString(0) }
        })
    }

    /// A fresh database on the test process's PostgreSQL server.
    static func postgres(clock: any Clock = SystemClock()) throws -> ContractStore {
        let server = try TestPostgresServer.require()
        let database = try server.makeMigratedDatabase()
        let info = server.conninfo(database: database)
        // Later users are let in as on SQLite's fixtures (created on first use).
        let setup = try PostgresDatabase(conninfo: info)
        try setup.connection.run("""
            INSERT INTO shared_settings(key, value) VALUES ('create_users_on_first_use', '1')
            ON CONFLICT (key) DO UPDATE SET value = '1'
            """)
        return ContractStore(name: "PostgreSQL", keep: setup, login: { "\($0)_\(database)" }, open: { store, login in
            let db = try PostgresDatabase(conninfo: info, login: login, clock: clock, valueTierPolicy: store.valueTierPolicy)
            db.phoneRegion = store.phoneRegion
            return db
        }, checkIntegrity: {}, texts: { sql, values in
            try setup.connection.rows(sql, values) { $0.optionalString(0) }
        })
    }
}

extension ContractStore {
    /// The first column of the first row of `sql` as a number (nil: NULL or no row).
    func integer(_ sql: String, _ values: [Int64] = []) throws -> Int64? {
        try texts(sql, values).first.flatMap { $0 }.flatMap { Int64($0) }
    }
}
