@testable import CRMStore
import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// A phone number is found whichever way it is typed: international (+49…),
/// with 00, national with the trunk 0, or any run of its digits; and the list
/// row shows the number that matched. Real SQLite files.
final class PhoneFormatSearchTests: XCTestCase {
    var folder: TempFolder!

    override func setUp() { folder = TempFolder() }

    /// A file with the same contacts, opened with `region`.
    func database(region: String, file: String = "crm.db") throws -> Database {
        let db = try Database(path: folder.path(file), login: "tester", phoneRegion: PhoneRegion(code: region))
        for (name, phones) in [
            ("Anna DE national", ["030 5550000", "0171 9936679"]),
            ("Bernd DE international", ["+49 30 5551111", "+49 171 9936678"]),
            ("Cyrus IR national", ["021 5552222", "0912 345 6789"]),
            ("Dara IR international", ["+98 21 5553333", "+98 912 345 6788"]),
            // Decoys: the same national digits in other countries.
            ("Erika AT", ["+43 171 9936679"]),
            ("Tarik TR", ["+90 912 345 6789"]),
        ] {
            _ = try db.contacts.create(Contact(name: name, phones: phones.map { PhoneNumber($0) }))
        }
        return db
    }

    func rows(_ db: Database, _ text: String) throws -> [ContactSummary] {
        try db.contacts.search(text, filter: .init(), limit: 20)
    }

    func found(_ db: Database, _ text: String) throws -> Set<String> {
        Set(try rows(db, text).map { String($0.name.split(separator: " ")[0]) })
    }

    func testGermanNumbersInEveryFormWithRegionDE() throws {
        let db = try database(region: "DE")
        // query: (must find, must not find)
        let table: [(String, Set<String>, Set<String>)] = [
            ("+49 171 9936679", ["Anna"], ["Bernd", "Erika"]),
            ("00491719936679", ["Anna"], ["Bernd", "Erika"]),
            ("0049 171 9936679", ["Anna"], ["Bernd", "Erika"]),
            ("01719936679", ["Anna"], ["Bernd", "Erika"]),
            ("0171 993 6678", ["Bernd"], ["Anna", "Erika"]),
            ("+49 171 9936678", ["Bernd"], ["Anna", "Erika"]),
            ("9936679", ["Anna", "Erika"], ["Bernd"]),   // a run of digits: anywhere, any country
            ("0171 99", ["Anna", "Bernd"], ["Erika"]),   // national fragment: Germany only
            ("+49 30", ["Anna", "Bernd"], ["Cyrus", "Dara"]),
            ("030 555", ["Anna", "Bernd"], ["Cyrus", "Dara"]),
            // In DE, 0912… is a German number: the Iranian ones are not it.
            ("09123456789", ["Cyrus"], ["Dara", "Tarik"]),
            ("+989123456789", [], ["Tarik", "Cyrus", "Dara"]),
            ("+98 912 345 6788", ["Dara"], ["Cyrus", "Tarik"]),
            // Typed with a country: that country's numbers only, not 49171
            // somewhere inside another one.
            ("+49 171", ["Anna", "Bernd"], ["Erika", "Spain"]),
            ("+34 91 717", ["Spain"], ["Anna", "Bernd"]),
            ("0049 171 99366", ["Anna", "Bernd"], ["Erika", "Spain"]),
        ]
        _ = try db.contacts.create(Contact(name: "Spain", phones: [PhoneNumber("+34 91 717 57 09")]))
        try check(db, table)
    }

    func testIranianNumbersInEveryFormWithRegionIR() throws {
        let db = try database(region: "IR")
        let table: [(String, Set<String>, Set<String>)] = [
            ("+989123456789", ["Cyrus"], ["Dara", "Tarik"]),
            ("00989123456789", ["Cyrus"], ["Dara", "Tarik"]),
            ("09123456789", ["Cyrus"], ["Dara", "Tarik"]),
            ("0912 345 6789", ["Cyrus"], ["Dara", "Tarik"]),
            ("۰۹۱۲۳۴۵۶۷۸۹", ["Cyrus"], ["Dara", "Tarik"]),
            ("09123456788", ["Dara"], ["Cyrus", "Tarik"]),
            ("+98 912 345 6788", ["Dara"], ["Cyrus", "Tarik"]),
            ("3456789", ["Cyrus", "Tarik"], ["Dara"]),
            ("021 555", ["Cyrus", "Dara"], ["Anna", "Bernd"]),
            // German numbers typed internationally still find the German ones.
            ("+49 171 9936678", ["Bernd"], ["Anna", "Erika"]),
            ("00491719936678", ["Bernd"], ["Anna", "Erika"]),
            // In IR, 0171… is not German: only the literal digits match.
            ("01719936679", ["Anna"], ["Bernd", "Erika"]),
            ("+49 171 9936679", [], ["Anna", "Erika"]),
        ]
        try check(db, table)
    }

    func check(_ db: Database, _ table: [(String, Set<String>, Set<String>)],
               file: StaticString = #filePath, line: UInt = #line) throws {
        for (query, must, mustNot) in table {
            let got = try found(db, query)
            XCTAssertTrue(must.isSubset(of: got), "\"\(query)\" found \(got.sorted()), missing \(must.subtracting(got).sorted())", file: file, line: line)
            XCTAssertTrue(got.isDisjoint(with: mustNot), "\"\(query)\" found \(got.intersection(mustNot).sorted()) by accident", file: file, line: line)
            XCTAssertEqual(try db.contacts.count(filter: ContactFilter(text: query)), got.count, "count of \"\(query)\"", file: file, line: line)
        }
    }

    func testTheRowShowsThePhoneThatMatchedAsTyped() throws {
        let db = try database(region: "DE")
        let anna = try XCTUnwrap(rows(db, "+49 171 9936679").first)
        XCTAssertEqual(anna.phone, "030 5550000", "the first number stays the first number")
        XCTAssertEqual(anna.matchedPhone, "0171 9936679")
        XCTAssertEqual(anna.shownPhone, "0171 9936679")
        let bernd = try XCTUnwrap(rows(db, "0171 9936678").first)
        XCTAssertEqual(bernd.shownPhone, "+49 171 9936678")
        let byName = try XCTUnwrap(rows(db, "anna").first)
        XCTAssertNil(byName.matchedPhone)
        XCTAssertEqual(byName.shownPhone, "030 5550000")
        // Paging backward (G) says the same.
        let last = try db.contacts.list(sort: .name, filter: ContactFilter(text: "0171 99"), cursor: nil, direction: .backward, limit: 5)
        XCTAssertEqual(last.map(\.shownPhone), ["0171 9936679", "+49 171 9936678"])
    }

    func testEditedNumberIsFoundByItsNewFormOnly() throws {
        let db = try database(region: "DE")
        var anna = try XCTUnwrap(db.contacts.get(try XCTUnwrap(rows(db, "anna").first).id))
        anna.phones = [PhoneNumber("0172 1112223")]
        _ = try db.contacts.update(anna)
        XCTAssertEqual(try found(db, "+49 172 1112223"), ["Anna"])
        XCTAssertEqual(try found(db, "+49 171 9936679"), [])
    }

    /// Numbers written without a region wait (NULL) and are filled the first
    /// time the file is opened for writing with one; again, nothing changes.
    func testFillFromSwiftIsDeterministicAndIdempotent() throws {
        let path = folder.path("later.db")
        do {
            let db = try Database(path: path, login: "tester")
            _ = try db.contacts.create(Contact(name: "Anna", phones: [PhoneNumber("0171 9936679"), PhoneNumber("+98 912 345 6788")]))
            XCTAssertEqual(try e164s(db), [nil, "989123456788"])
            XCTAssertEqual(try found(db, "+49 171 9936679"), [], "no region: no international form yet")
        }
        let db = try Database(path: path, login: "tester", phoneRegion: PhoneRegion(code: "DE"))
        XCTAssertEqual(try e164s(db), ["491719936679", "989123456788"])
        XCTAssertEqual(try found(db, "+49 171 9936679"), ["Anna"])
        let counters = try db.connection.scalar("SELECT sum(counter) FROM change_counters")
        XCTAssertEqual(try PhoneE164Fill.run(db.connection, region: PhoneRegion(code: "IR")!), 0, "already filled")
        XCTAssertEqual(try db.connection.scalar("SELECT sum(counter) FROM change_counters"), counters)
        XCTAssertEqual(try e164s(db), ["491719936679", "989123456788"])
    }

    func e164s(_ db: Database) throws -> [String?] {
        try db.connection.rows("SELECT e164 FROM contact_phones ORDER BY id") { $0.optionalString(0) }
    }

    /// A file read as it is at schema 7 (a reader who may not upgrade it):
    /// its numbers are still found by their digits.
    func testReadingASchema7FileSearchesTheDigitsOnly() throws {
        let path = folder.path("v7-read.db")
        do {
            try Database.prepareFile(at: path)
            let c = try Connection(path: path)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: 7)
            try c.run("INSERT INTO contacts(id, name, created_at, updated_at) VALUES (1, 'Anna', 0, 0)")
            try c.run("INSERT INTO contact_phones(contact_id, number, digits) VALUES (1, '0171 9936679', '01719936679')")
        }
        let db = try Database(path: path, mode: .read, phoneRegion: PhoneRegion(code: "DE"))
        XCTAssertFalse(db.hasPhoneE164)
        XCTAssertEqual(try found(db, "0171 9936679"), ["Anna"])
        XCTAssertEqual(try found(db, "+49 171 9936679"), [])
        XCTAssertEqual(db.schemaVersion, 7)
    }

    /// A file made at schema 7 with phones in every form: migration 9 adds
    /// the column and index, and the first open with a region fills it.
    func testMigrationFromSchema7() throws {
        let path = folder.path("v7.db")
        do {
            try Database.prepareFile(at: path)
            let c = try Connection(path: path)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: 7)
            for (id, number) in [(1, "0171 9936679"), (2, "+98 912 345 6789"), (3, "0049 30 5551111"), (4, "112")] {
                try c.run("INSERT INTO contacts(id, name, created_at, updated_at) VALUES (?, ?, 0, 0)", [Int64(id), "C\(id)"])
                try c.run("INSERT INTO contact_phones(contact_id, number, digits) VALUES (?, ?, ?)",
                          [Int64(id), number, PhoneNumber.digits(number)])
            }
            try Migrator.migrate(c, upTo: 9)
            XCTAssertEqual(try c.scalar("PRAGMA user_version"), 9)
            // The step fills what needs no region; the national numbers wait.
            XCTAssertEqual(try c.rows("SELECT e164 FROM contact_phones ORDER BY id") { $0.optionalString(0) },
                           [nil, "989123456789", "49305551111", nil])
        }
        do {
            // Opened without a region: nothing to do, nothing changes.
            let db = try Database(path: path, login: "tester")
            XCTAssertEqual(try e164s(db), [nil, "989123456789", "49305551111", nil])
            XCTAssertEqual(try found(db, "+98 912 345 6789"), ["C2"])
            XCTAssertEqual(try found(db, "+49 30 555"), ["C3"])
        }
        let db = try Database(path: path, login: "tester", phoneRegion: PhoneRegion(code: "DE"))
        XCTAssertEqual(try e164s(db), ["491719936679", "989123456789", "49305551111", ""])
        XCTAssertEqual(try found(db, "+49 171 9936679"), ["C1"])
        XCTAssertEqual(try found(db, "00989123456789"), ["C2"])
        XCTAssertEqual(try found(db, "030 5551111"), ["C3"])
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM phone_e164_fts"), 3)
        XCTAssertEqual(try IntegrityReport.check(path: path).problems, [])
    }
}
