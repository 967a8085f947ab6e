import XCTest

/// Export rows, deal listings, a company's follow-ups and reassigning, on SQLite.
final class SQLiteExportListingContractTests: XCTestCase {
    private func contract() -> ExportListingContract { ExportListingContract(fixture: .sqlite()) }
    private func reassign() -> ReassignContract { ReassignContract(fixture: .sqlite()) }

    func testExportPagesHoldLiveRowsInIDOrderWithTheirNames() throws { try contract().exportPagesHoldLiveRowsInIDOrderWithTheirNames() }
    func testAnExportReadsOneMomentWhileOthersWrite() throws { try contract().anExportReadsOneMomentWhileOthersWrite() }
    func testDealsAreListedByEveryFilterAPageAtATime() throws { try contract().dealsAreListedByEveryFilterAPageAtATime() }
    func testACompanysOpenFollowUpsComeThroughItsContactsAndDeals() throws {
        try contract().aCompanysOpenFollowUpsComeThroughItsContactsAndDeals()
    }
    func testASelectionMovesInOneGoAndComesBackExceptWhatChangedSince() throws {
        try reassign().aSelectionMovesInOneGoAndComesBackExceptWhatChangedSince()
    }
    func testAReassignmentIsRefusedWholeAndWritesNothing() throws { try reassign().aReassignmentIsRefusedWholeAndWritesNothing() }
}

/// The same contract on PostgreSQL.
final class PostgresExportListingContractTests: XCTestCase {
    private func contract() throws -> ExportListingContract { ExportListingContract(fixture: try .postgres()) }
    private func reassign() throws -> ReassignContract { ReassignContract(fixture: try .postgres()) }

    func testExportPagesHoldLiveRowsInIDOrderWithTheirNames() throws { try contract().exportPagesHoldLiveRowsInIDOrderWithTheirNames() }
    func testAnExportReadsOneMomentWhileOthersWrite() throws { try contract().anExportReadsOneMomentWhileOthersWrite() }
    func testDealsAreListedByEveryFilterAPageAtATime() throws { try contract().dealsAreListedByEveryFilterAPageAtATime() }
    func testACompanysOpenFollowUpsComeThroughItsContactsAndDeals() throws {
        try contract().aCompanysOpenFollowUpsComeThroughItsContactsAndDeals()
    }
    func testASelectionMovesInOneGoAndComesBackExceptWhatChangedSince() throws {
        try reassign().aSelectionMovesInOneGoAndComesBackExceptWhatChangedSince()
    }
    func testAReassignmentIsRefusedWholeAndWritesNothing() throws { try reassign().aReassignmentIsRefusedWholeAndWritesNothing() }
}

/// The strongest check: the same records written through the seam on both
/// engines give byte-identical `crm export` files, every kind and format,
/// however the pages fall (ids too: both engines number the same writes
/// alike).
final class ExportAcrossEnginesTests: XCTestCase {
    func testTheSameWritesExportTheSameBytesOnBothEngines() throws {
        let sqlite = EngineFixture.sqlite(), postgres = try EngineFixture.postgres()
        let onSQLite = try ExportBook(fixture: sqlite), onPostgres = try ExportBook(fixture: postgres)
        XCTAssertEqual(try onSQLite.write().contacts, try onPostgres.write().contacts)
        for pageSize in [1, 2, 500] {
            let a = try ExportBook.files(onSQLite.sara.repositories, pageSize: pageSize)
            let b = try ExportBook.files(onPostgres.sara.repositories, pageSize: pageSize)
            XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
            for name in a.keys.sorted() {
                XCTAssertFalse(a[name]!.isEmpty, name)
                if a[name] != b[name] {
                    XCTFail("\(name) at \(pageSize) a page differs:\n--- SQLite\n\(a[name]!)\n--- PostgreSQL\n\(b[name]!)")
                }
            }
        }
        let files = try ExportBook.files(onPostgres.sara.repositories, pageSize: 2)
        for (name, text) in files {
            for trashed in ["Trashed Tom", "Gone Corp", "Trashed deal", "oops", "Forgotten"] {
                XCTAssertFalse(text.contains(trashed), "\(name) shows \(trashed), which is in the trash")
            }
        }
        XCTAssertTrue(files["contacts.csv"]!.contains("Мария Иванова"))
        XCTAssertTrue(files["interactions.json"]!.contains("سلام"))
    }
}
