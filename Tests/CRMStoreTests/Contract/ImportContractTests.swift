import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

enum ImportEngines {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC

    /// contact_name_pairs, and what its view decides from the rows (same SQL on both engines).
    static let storedPairs = "SELECT name_key || '|' || company_id FROM contact_name_pairs ORDER BY 1"
    static let recountedPairs = "SELECT DISTINCT name_key || '|' || company_id FROM contact_name_pair_members ORDER BY 1"

    static func sqlite() -> ImportContract {
        ImportContract(fresh: {
            let folder = TempFolder()
            let path = folder.path("crm.db")
            let clock = ManualClock(start)
            return ImportDatabase(
                open: { login in
                    _ = folder
                    return try Database(path: path, login: login, clock: clock, phoneRegion: PhoneRegion(code: "DE"))
                },
                reading: { login, body in
                    try Database.reading(path, login: login, clock: clock, phoneRegion: PhoneRegion(code: "DE")) { try body($0) }
                },
                searchEntries: {
                    let db = try Database(path: path, login: "sara", clock: clock)
                    return Int(try db.connection.scalar("SELECT count(*) FROM contact_fts") ?? -1)
                },
                namePairs: {
                    let db = try Database(path: path, login: "sara", clock: clock)
                    return (try db.connection.rows(ImportEngines.storedPairs) { $0.string(0) },
                            try db.connection.rows(ImportEngines.recountedPairs) { $0.string(0) })
                },
                clock: clock)
        })
    }

    static func postgres() throws -> ImportContract {
        let server = try TestPostgresServer.require()
        return ImportContract(fresh: {
            let info = server.conninfo(database: try server.makeMigratedDatabase())
            let clock = ManualClock(start)
            // Later users are let in as on SQLite (created on first use).
            let setup = try PostgresDatabase(conninfo: info)
            try setup.connection.run("""
                INSERT INTO shared_settings(key, value) VALUES ('create_users_on_first_use', '1') ON CONFLICT (key) DO NOTHING
                """)
            func open(_ login: String) throws -> PostgresDatabase {
                let db = try PostgresDatabase(conninfo: info, login: login, clock: clock)
                db.phoneRegion = PhoneRegion(code: "DE")
                return db
            }
            return ImportDatabase(
                open: { try open($0) },
                reading: { login, body in
                    let db = try open(login)
                    try db.connection.execute("SET default_transaction_read_only = on")
                    try body(db)
                },
                searchEntries: { Int(try setup.connection.integer("SELECT count(*) FROM contact_search") ?? -1) },
                namePairs: {
                    (try setup.connection.rows(ImportEngines.storedPairs) { $0.string(0) },
                     try setup.connection.rows(ImportEngines.recountedPairs) { $0.string(0) })
                },
                clock: clock)
        })
    }
}

final class ImportContractSQLiteTests: XCTestCase {
    let contract = ImportEngines.sqlite()
    func testImportCreatesContactsCompaniesAndOneBatchWithOneAuditEntry() throws {
        _ = try contract.checkImportCreatesContactsCompaniesAndOneBatchWithOneAuditEntry()
    }
    func testRejectedRowsRefuseTheWholeImportAndSayWhere() throws { _ = try contract.checkRejectedRowsRefuseTheWholeImportAndSayWhere() }
    func testAnInterruptedImportLeavesNothing() throws { _ = try contract.checkAnInterruptedImportLeavesNothing() }
    func testADryRunWritesNothingEvenOnASessionThatMayNotWrite() throws {
        _ = try contract.checkADryRunWritesNothingEvenOnASessionThatMayNotWrite()
    }
    func testEachDuplicatePolicy() throws { _ = try contract.checkEachDuplicatePolicy() }
    func testRepeatsInsideTheFileAreDuplicatesToo() throws { _ = try contract.checkRepeatsInsideTheFileAreDuplicatesToo() }
    func testAMergeSaysWhatItDoesNotTake() throws { _ = try contract.checkAMergeSaysWhatItDoesNotTake() }
    func testADryRunFindsTheFilesRepeatsAsTheImportDoes() throws { _ = try contract.checkADryRunFindsTheFilesRepeatsAsTheImportDoes() }
    func testUndoOfAWholeBatch() throws { _ = try contract.checkUndoOfAWholeBatch() }
    func testUndoIsRefusedWithWhoAndWhatUnlessForced() throws { _ = try contract.checkUndoIsRefusedWithWhoAndWhatUnlessForced() }
    func testOnlyAnAdminUndoesAnotherUsersBatch() throws { _ = try contract.checkOnlyAnAdminUndoesAnotherUsersBatch() }
    func testAnUnknownOwnerIsRefusedWithASuggestion() throws {
        _ = try contract.checkAnUnknownOwnerIsRefusedWithASuggestionBeforeAnythingIsRead()
    }
    func testAMixedFile() throws {
        for policy in DuplicatePolicy.allCases { _ = try contract.checkAMixedFileGivesTheSameRowsOnEveryEngine(policy: policy) }
    }
}

/// Every check on PostgreSQL, and each transcript line for line as SQLite gives it.
final class ImportContractPostgresTests: XCTestCase {
    func contract() throws -> ImportContract { try ImportEngines.postgres() }

    func same(_ check: (ImportContract) throws -> [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try check(ImportEngines.sqlite())
        let found = try check(try contract())
        XCTAssertEqual(found.count, expected.count, "lines", file: file, line: line)
        var shown = 0
        for (e, f) in zip(expected, found) where e != f {
            XCTFail("PostgreSQL: \(f)\n    SQLite: \(e)", file: file, line: line)
            shown += 1
            if shown == 10 { break }
        }
    }

    func testImportCreatesContactsCompaniesAndOneBatchWithOneAuditEntry() throws {
        try same { try $0.checkImportCreatesContactsCompaniesAndOneBatchWithOneAuditEntry() }
    }
    func testRejectedRowsRefuseTheWholeImportAndSayWhere() throws { try same { try $0.checkRejectedRowsRefuseTheWholeImportAndSayWhere() } }
    func testAnInterruptedImportLeavesNothing() throws { try same { try $0.checkAnInterruptedImportLeavesNothing() } }
    func testADryRunWritesNothingEvenOnASessionThatMayNotWrite() throws {
        try same { try $0.checkADryRunWritesNothingEvenOnASessionThatMayNotWrite() }
    }
    func testEachDuplicatePolicy() throws { try same { try $0.checkEachDuplicatePolicy() } }
    func testRepeatsInsideTheFileAreDuplicatesToo() throws { try same { try $0.checkRepeatsInsideTheFileAreDuplicatesToo() } }
    func testAMergeSaysWhatItDoesNotTake() throws { try same { try $0.checkAMergeSaysWhatItDoesNotTake() } }
    func testADryRunFindsTheFilesRepeatsAsTheImportDoes() throws { try same { try $0.checkADryRunFindsTheFilesRepeatsAsTheImportDoes() } }
    func testUndoOfAWholeBatch() throws { try same { try $0.checkUndoOfAWholeBatch() } }
    func testUndoIsRefusedWithWhoAndWhatUnlessForced() throws { try same { try $0.checkUndoIsRefusedWithWhoAndWhatUnlessForced() } }
    func testOnlyAnAdminUndoesAnotherUsersBatch() throws { try same { try $0.checkOnlyAnAdminUndoesAnotherUsersBatch() } }
    func testAnUnknownOwnerIsRefusedWithASuggestion() throws {
        try same { try $0.checkAnUnknownOwnerIsRefusedWithASuggestionBeforeAnythingIsRead() }
    }
    func testAMixedFileSkipping() throws { try same { try $0.checkAMixedFileGivesTheSameRowsOnEveryEngine(policy: .skip) } }
    func testAMixedFileMerging() throws { try same { try $0.checkAMixedFileGivesTheSameRowsOnEveryEngine(policy: .merge) } }
    func testAMixedFileCreating() throws { try same { try $0.checkAMixedFileGivesTheSameRowsOnEveryEngine(policy: .create) } }
}
