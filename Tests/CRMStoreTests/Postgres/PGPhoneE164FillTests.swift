import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// PostgreSQL's international forms of numbers stored without one (copied
/// from a file whose crm had no region, or written by one): filled the first
/// time a crm with a region opens the database to write, as on SQLite (QA 33
/// #6: they never were, so a caller's `+49 171 …` found them on the file and
/// not on the server).
final class PGPhoneE164FillTests: XCTestCase {
    private var conninfo = ""

    override func setUpWithError() throws {
        let server = try TestPostgresServer.require()
        conninfo = server.conninfo(database: try server.makeMigratedDatabase())
    }

    private func e164s(_ db: PostgresDatabase) throws -> [String?] {
        try db.connection.rows("SELECT e164 FROM contact_phones ORDER BY id") { $0.optionalString(0) }
    }

    private func found(_ db: PostgresDatabase, _ text: String) throws -> [String] {
        try db.contactRepository.search(text, filter: .init(), limit: 20).map(\.name)
    }

    func testNumbersWithoutARegionAreFilledOnceWithTheOpenersAndFoundByTheirInternationalForm() throws {
        let before = try PostgresDatabase(conninfo: conninfo, login: "tester")
        _ = try before.contactRepository.create(Contact(name: "Anna Berg", phones: [PhoneNumber("0171 9936679"), PhoneNumber("+98 912 345 6788")]))
        XCTAssertEqual(try e164s(before), [nil, "989123456788"])
        XCTAssertEqual(try found(before, "+49 171 9936679"), [], "no region: no international form yet")

        let db = try PostgresDatabase(conninfo: conninfo, login: "tester")
        db.phoneRegion = PhoneRegion(code: "DE")
        var told: [Int] = []
        XCTAssertEqual(try db.fillPhoneE164 { told.append($0) }, 1)
        XCTAssertEqual(told, [1])
        XCTAssertEqual(try e164s(db), ["491719936679", "989123456788"])
        XCTAssertEqual(try found(db, "+49 171 9936679"), ["Anna Berg"])
        XCTAssertEqual(try found(before, "+49 171 9936679"), ["Anna Berg"], "a colleague without a region finds it too")
        // Nothing pending: another region changes nothing, and is not told.
        db.phoneRegion = PhoneRegion(code: "IR")
        XCTAssertEqual(try db.fillPhoneE164 { told.append($0) }, 0)
        XCTAssertEqual(told, [1])
        XCTAssertEqual(try e164s(db), ["491719936679", "989123456788"])
        XCTAssertEqual(try db.connection.integer("SELECT version FROM contacts"), 1, "not a user's edit")
    }

    func testMoreThanABatchIsFilledInBatchesAndAColleaguesFillIsLeftToIt() throws {
        let db = try PostgresDatabase(conninfo: conninfo, login: "tester")
        let count = PGPhoneE164Fill.batch + 5
        try db.connection.execute("""
            INSERT INTO contacts(name, created_at, updated_at) SELECT 'N' || i, 0, 0 FROM generate_series(1, $1::int) i
            """, [Int64(count)])
        try db.connection.execute("""
            INSERT INTO contact_phones(contact_id, number, digits, label, position)
            SELECT id, '0171 ' || (1000000 + id), '0171' || (1000000 + id), '', 0 FROM contacts
            """)
        // A colleague's crm is filling (it holds the claim): this one leaves it.
        let colleague = try PGConnection(conninfo)
        XCTAssertEqual(try colleague.scalar("SELECT pg_try_advisory_lock($1::bigint)", [Int64(0x63726D5F653136)]), "t")
        db.phoneRegion = PhoneRegion(code: "DE")
        XCTAssertEqual(try db.fillPhoneE164(), 0)
        XCTAssertEqual(try db.connection.integer("SELECT count(*) FROM contact_phones WHERE e164 IS NULL"), Int64(count))
        _ = try colleague.scalar("SELECT pg_advisory_unlock($1::bigint)", [Int64(0x63726D5F653136)])
        XCTAssertEqual(try db.fillPhoneE164(), count)
        XCTAssertEqual(try db.connection.integer("SELECT count(*) FROM contact_phones WHERE e164 LIKE '49171%'"), Int64(count))
    }
}
