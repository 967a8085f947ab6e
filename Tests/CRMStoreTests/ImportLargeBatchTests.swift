import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// An import larger than what the database held builds the listing indexes
/// once at the end instead of row by row (ImportRun.deferIndexesAfter): the
/// duplicates it finds, the schema it leaves and the searches afterwards are
/// those of a small import, and a refused one leaves everything as it was.
extension ImportEngineTests {
    /// Rows past the point where the indexes are deferred.
    var size: Int { ImportRun.deferIndexesAfter + 1_500 }

    func schema(_ db: Database) throws -> [String] {
        try db.connection.rows("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name") { $0.string(0) }
    }

    func testDuplicatesOnBothSidesOfTheDeferralAreFoundAndTheSchemaComesBack() throws {
        let (db, folder) = try makeDatabase(login: "sara")
        _ = folder
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")]))
        let before = try schema(db)
        let tempStore = try db.connection.scalar("PRAGMA temp_store")
        var rows: [ImportRow] = []
        for i in 0..<size {
            rows.append(row(i + 2, "Person \(i)", company: "Company \(i / 50)", emails: ["p\(i)@example.com"], phones: ["+49 30 \(2_000_000 + i)"]))
        }
        let late = size + 2
        rows += [
            row(late, "Ada L.", emails: ["ADA@example.com"]),                                  // same email as one there before
            row(late + 1, "Somebody", phones: ["0049 30 2000003"]),                            // same phone as row 5, early in the file
            row(late + 2, "person 7", company: "company 0"),                                  // similar name at the same company
            row(late + 3, "Late Twin", emails: ["p\(size - 1)@example.com"]),                  // same email as a row after the deferral
        ]
        let (summary, outcomes) = try runImport(db, rows, ImportOptions(label: "big.csv"))
        XCTAssertEqual(summary.rowsRead, size + 4)
        XCTAssertEqual(summary.created, size)
        XCTAssertEqual(summary.skipped, 4)
        let skipped = outcomes.compactMap { outcome -> (Int, ImportDuplicate)? in
            if case .skipped(let line, _, let dup) = outcome { return (line, dup) }
            return nil
        }
        XCTAssertEqual(skipped.map(\.0), [late, late + 1, late + 2, late + 3])
        XCTAssertEqual(skipped[0].1.contactID, ada.id)
        XCTAssertEqual(skipped[0].1.reasons, ["same email ada@example.com"])
        XCTAssertEqual(skipped[1].1.name, "Person 3")
        XCTAssertEqual(skipped[1].1.reasons, ["same phone +49 30 2000003"])
        XCTAssertEqual(skipped[2].1.name, "Person 7")
        XCTAssertEqual(skipped[2].1.reasons, ["similar name at Company 0"])
        XCTAssertEqual(skipped[3].1.name, "Person \(size - 1)")

        XCTAssertEqual(try schema(db), before, "every index and trigger is back, as the schema defines it")
        XCTAssertEqual(try db.connection.scalar("PRAGMA temp_store"), tempStore, "the index builds' temporary storage on disk was for them only")
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
        XCTAssertEqual(try db.contacts.search("Person 4321", filter: ContactFilter(), limit: 5).first?.name, "Person 4321")
        XCTAssertEqual(try db.contacts.search("2004321", filter: ContactFilter(), limit: 5).first?.name, "Person 4321")
        let page = try db.contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 3)
        XCTAssertEqual(page.map(\.name), ["Ada Lovelace", "Person 0", "Person 1"])
    }

    func testARefusedLargeImportLeavesTheSchemaAndTheRowsAsTheyWere() throws {
        let (db, folder) = try makeDatabase(login: "sara")
        _ = folder
        let before = try schema(db)
        var rows: [ImportRow] = (0..<size).map { row($0 + 2, "Person \($0)", emails: ["p\($0)@example.com"]) }
        rows.append(row(size + 2, "Bad Mail", emails: ["bad@"]))
        XCTAssertThrowsError(try runImport(db, rows, ImportOptions(label: "big.csv"))) { XCTAssertTrue($0 is ImportRefused, "\($0)") }
        XCTAssertEqual(try schema(db), before)
        XCTAssertEqual(try count(db, "contacts"), 0)
        XCTAssertEqual(try count(db, "contact_fts"), 0)
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
    }

    /// Into a file with no contacts yet, the indexes are deferred after
    /// `deferIndexesIntoEmptyAfter` rows: repeats on both sides of that
    /// point are found, and the schema, the listing and the search are whole.
    func testAnImportIntoAnEmptyFileDefersEarlierWithTheSameResults() throws {
        let (db, folder) = try makeDatabase(login: "sara")
        _ = folder
        let before = try schema(db)
        let count = ImportRun.deferIndexesIntoEmptyAfter + 300
        var rows: [ImportRow] = []
        for i in 0..<count {
            rows.append(row(i + 2, "Person \(i)", company: "Company \(i / 50)", emails: ["p\(i)@example.com"], phones: ["+49 30 \(2_000_000 + i)"]))
        }
        rows += [
            row(count + 2, "Early Twin", emails: ["P3@example.com"]),                 // a row before the deferral
            row(count + 3, "Late Twin", phones: ["0049 30 \(2_000_000 + count - 1)"]), // a row after it
        ]
        let (summary, outcomes) = try runImport(db, rows, ImportOptions(label: "first.csv"))
        XCTAssertEqual(summary.created, count)
        XCTAssertEqual(summary.skipped, 2)
        let names = outcomes.compactMap { outcome -> String? in
            if case .skipped(_, _, let dup) = outcome { return dup.name }
            return nil
        }
        XCTAssertEqual(names, ["Person 3", "Person \(count - 1)"])
        XCTAssertEqual(try schema(db), before, "every index and trigger is back, as the schema defines it")
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
        XCTAssertEqual(try db.contacts.search("Person 1042", filter: ContactFilter(), limit: 5).first?.name, "Person 1042")
        let page = try db.contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 3)
        XCTAssertEqual(page.map(\.name), ["Person 0", "Person 1", "Person 10"])
    }
}
