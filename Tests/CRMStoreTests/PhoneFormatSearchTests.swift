@testable import CRMStore
import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// SQLite's international forms of numbers written before a region was set,
/// and of older files (the searches themselves run on both engines:
/// PhoneFormatSearchContract).
final class PhoneFormatSearchTests: XCTestCase {
    var folder: TempFolder!

    override func setUp() { folder = TempFolder() }

    /// A file with the same contacts, opened with `region`.
    func database(region: String, file: String = "crm.db") throws -> Database {
        let db = try Database(path: folder.path(file), login: "tester", phoneRegion: PhoneRegion(code: region))
        for (name, phones) in PhoneFormatSearchContract.book {
            _ = try db.contacts.create(Contact(name: name, phones: phones.map { PhoneNumber($0) }))
        }
        return db
    }

    func found(_ db: Database, _ text: String) throws -> Set<String> {
        Set(try db.contacts.search(text, filter: .init(), limit: 20).map { String($0.name.split(separator: " ")[0]) })
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

    /// More numbers than a batch (QA 27 #20): filled in several
    /// transactions, all of them, the count said before the first; a
    /// second open finds nothing and says nothing.
    func testALargeFillGoesInBatchesAndSaysHowManyFirst() throws {
        let path = folder.path("many.db")
        let count = PhoneE164Fill.batch * 2 + 7
        do {
            let db = try Database(path: path, login: "tester")
            try db.connection.transaction {
                for i in 0..<count {
                    _ = try db.contacts.create(Contact(name: "N\(i)", phones: [PhoneNumber("0171 \(1_000_000 + i)")]))
                }
            }
        }
        var told: [Int] = []
        let db = try Database(path: path, login: "tester", phoneRegion: PhoneRegion(code: "DE"), phoneFillStarting: { told.append($0) })
        XCTAssertEqual(told, [count])
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contact_phones WHERE e164 IS NULL"), 0)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contact_phones WHERE e164 LIKE '49171%'"), Int64(count))
        _ = try Database(path: path, login: "tester", phoneRegion: PhoneRegion(code: "DE"), phoneFillStarting: { told.append($0) })
        XCTAssertEqual(told, [count], "nothing pending: not told again")
    }

    /// A fill claimed by a colleague's crm with another region is theirs
    /// (QA 28 #7): this start leaves the numbers alone instead of giving
    /// every other batch another country; the claimer fills them all and
    /// lets the claim go.
    func testAFillClaimedWithAnotherRegionIsLeftToItsClaimer() throws {
        let path = folder.path("claimed.db")
        do {
            let db = try Database(path: path, login: "tester")
            _ = try db.contacts.create(Contact(name: "Reza", phones: [PhoneNumber("0912 380 8306")]))
            try db.connection.run("INSERT INTO shared_settings(key, value) VALUES ('phone_fill_region', 'IR')")
        }
        do {
            let berlin = try Database(path: path, login: "tester", phoneRegion: PhoneRegion(code: "DE"))
            XCTAssertEqual(try e164s(berlin), [nil], "Tehran's fill: not given +49")
        }
        let tehran = try Database(path: path, login: "tester", phoneRegion: PhoneRegion(code: "IR"))
        XCTAssertEqual(try e164s(tehran), ["989123808306"])
        XCTAssertNil(try tehran.connection.text("SELECT value FROM shared_settings WHERE key = 'phone_fill_region'"))
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
