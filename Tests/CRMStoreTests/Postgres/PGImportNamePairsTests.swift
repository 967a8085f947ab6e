import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// An import on PostgreSQL decides the name groups that list a pair (step
/// 46) once before COMMIT (step 50), not under an advisory lock per group at
/// every row: those locks are held to COMMIT, and a 100,000-contact import
/// ran out of the server's lock table ("out of shared memory") and imported
/// nothing. What it leaves must still be what the groups' own rows say.
final class PGImportNamePairsTests: XCTestCase {
    /// Reads `rows`, and when they are all read (before the import's last
    /// writes and COMMIT) runs `atEnd` once.
    struct WatchedRows: ImportSource {
        var rows: ImportRows
        let atEnd: () throws -> Void
        var ended = false
        mutating func next() throws -> ImportRow? {
            if let row = try rows.next() { return row }
            if !ended { ended = true; try atEnd() }
            return nil
        }
    }

    func stored(_ db: PostgresDatabase) throws -> [String] {
        try db.connection.rows("SELECT name_key || '|' || company_id FROM contact_name_pairs ORDER BY 1") { $0.string(0) }
    }

    /// The groups that list a pair, decided from scratch (the step's own view).
    func recounted(_ db: PostgresDatabase) throws -> [String] {
        try db.connection.rows("SELECT DISTINCT name_key || '|' || company_id FROM contact_name_pair_members ORDER BY 1") { $0.string(0) }
    }

    func testAnImportHoldsNoLockPerGroupAndLeavesThePairsTheRowsMake() throws {
        let fixture = try ImportEngines.postgres().fresh()
        let sara = try XCTUnwrap(try fixture.open("sara") as? PostgresDatabase)
        let other = try XCTUnwrap(try fixture.open("omid") as? PostgresDatabase)
        // A group that lists a pair before the import.
        let firma = try sara.companyRepository.create(Company(name: "Firma Alt"))
        _ = try sara.contactRepository.create(Contact(name: "Vera Alt", companyID: firma.id, emails: [EmailAddress("vera@example.com")]))
        _ = try sara.contactRepository.create(Contact(name: "Vera Alt", companyID: firma.id))
        XCTAssertEqual(try stored(sara).count, 1)
        XCTAssertEqual(try stored(sara), try recounted(sara))

        // 1,300 people: 600 names twice at one company, the two sharing no
        // address or number (600 groups that list a pair), and 100 alone.
        var rows: [ImportRow] = []
        for k in 0..<600 {
            rows.append(ImportContract.row(rows.count + 2, "Person \(k)", company: "Firma \(k % 40)", emails: ["p\(k)@example.com"]))
        }
        for k in 0..<600 {
            rows.append(ImportContract.row(rows.count + 2, "Person \(k)", company: "Firma \(k % 40)", phones: ["+49 30 \(5_000_000 + k)"]))
        }
        for k in 0..<100 { rows.append(ImportContract.row(rows.count + 2, "Solo \(k)", company: "Firma \(k % 40)")) }
        // A third member of the old group (sharing the oldest's address).
        rows.append(ImportContract.row(rows.count + 2, "Vera Alt", company: "Firma Alt", emails: ["vera@example.com"]))

        let pid = try XCTUnwrap(try sara.connection.integer("SELECT pg_backend_pid()"))
        var locksWhileReading: Int64?
        var source: any ImportSource = WatchedRows(rows: ImportRows(rows)) {
            locksWhileReading = try other.connection.integer(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = ?::bigint", [pid])
        }
        let summary = try sara.importRepository.importContacts(
            from: &source, options: ImportOptions(label: "pairs.csv", onDuplicate: .create), progress: nil) { _ in }
        XCTAssertEqual(summary.created, 1_301)
        XCTAssertEqual(locksWhileReading, 0, "no advisory lock per name group while the rows go in")

        let pairs = try stored(sara)
        XCTAssertEqual(pairs, try recounted(sara))
        XCTAssertEqual(pairs.count, 601, "the 600 new groups and the old one")
        XCTAssertEqual(try sara.connection.scalar("SELECT current_setting('crm.name_pairs_later', true)") ?? "", "",
                       "the setting lasted for the import's transaction only")

        _ = try sara.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
        XCTAssertEqual(try stored(sara), try recounted(sara))
        XCTAssertEqual(try stored(sara).count, 1, "the old group's pair stays")
    }
}
