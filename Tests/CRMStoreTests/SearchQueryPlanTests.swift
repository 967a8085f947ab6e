import CRMCore
import CRMRepositories
@testable import CRMStore
import CSQLite
import XCTest

/// What a search's first page asks SQLite, read from the statements it runs
/// (`sqlite3_trace_v2`) and their query plans: the work each path was made
/// to drop stays dropped, and the rows stay those the full-text index gives.
final class SearchQueryPlanTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!

    override func setUpWithError() throws {
        (db, folder) = try makeDatabase()
    }

    override func tearDown() {
        db = nil
        folder = nil
    }

    /// The statements `body` runs on the database's connection, with their values.
    func statements(_ body: () throws -> Void) rethrows -> [String] {
        final class Box { var sql: [String] = [] }
        let box = Box()
        let context = Unmanaged.passUnretained(box).toOpaque()
        sqlite3_trace_v2(db.connection.handle, UInt32(SQLITE_TRACE_STMT), { _, context, statement, _ in
            guard let context, let statement, let expanded = sqlite3_expanded_sql(OpaquePointer(statement)) else { return 0 }
            Unmanaged<Box>.fromOpaque(context).takeUnretainedValue().sql.append(String(cString: expanded))
            sqlite3_free(expanded)
            return 0
        }, context)
        defer { sqlite3_trace_v2(db.connection.handle, 0, nil, nil) }
        try body()
        // Statements that triggers run are traced as comments ("-- …").
        return box.sql.filter { !$0.hasPrefix("--") }
    }

    func plan(_ sql: String) throws -> String {
        try db.connection.rows("EXPLAIN QUERY PLAN \(sql)") { $0.string(3) }.joined(separator: "\n")
    }

    /// Contacts by name whose numbers contain the digits (or whose number
    /// begins with the country), as `SearchQuery` describes them.
    func expected(_ where: String, _ values: [SQLBindable]) throws -> [Int64] {
        try db.connection.rows("""
            SELECT id FROM contacts c WHERE deleted_at IS NULL
            AND EXISTS (SELECT 1 FROM contact_phones p WHERE p.contact_id = c.id AND \(`where`)) ORDER BY sort_key, id
            """, values) { $0.int64(0) }
    }

    func testAOneWordNamePageReadsNoFullTextIndex() throws {
        try BulkLoader(database: db).load { loader in
            for i in 0..<300 { _ = try loader.insert(Contact(name: String(format: "Person%03d Johnson", i))) }
            _ = try loader.insert(Contact(name: "Johnny Cash"))
        }
        var rows: [ContactSummary] = []
        let sql = try statements { rows = try db.contacts.search("joh", filter: ContactFilter(), limit: 50) }
        XCTAssertEqual(rows.map(\.name), ["Johnny Cash"] + (0..<49).map { String(format: "Person%03d Johnson", $0) })
        XCTAssertFalse(sql.contains { $0.contains("contact_fts") }, sql.joined(separator: "\n"))
        let page = try XCTUnwrap(sql.first { $0.contains("contact_name_words") && $0.contains("JOIN contacts c") })
        let plan = try plan(page)
        XCTAssertTrue(plan.contains("SEARCH contact_name_words USING PRIMARY KEY (word=?"), plan)
        XCTAssertFalse(plan.contains("SCAN contact_name_words"), plan)
    }

    /// Two digits found in thousands of numbers: the page walks the name
    /// index and tests each contact's own numbers; no statement builds the
    /// set of numbers the trigrams find, and the numbers are counted once.
    func testTwoDigitsWalkTheNamesTestingEachContactsNumbers() throws {
        let many = SQLiteContactRepository.sparseHits * 6 / 5
        try BulkLoader(database: db).load { loader in
            for i in 0..<many {
                let phone = i % 10 != 0 ? String(format: "+49 30 55%05d", i) : String(format: "+49 30 12%05d", i)
                _ = try loader.insert(Contact(name: String(format: "Person %05d", i), phones: [PhoneNumber(phone)]))
            }
        }
        var rows: [ContactSummary] = []
        let sql = try statements {
            rows = try db.contacts.list(sort: .name, filter: ContactFilter(text: "55"), cursor: nil, direction: .forward, limit: 101)
        }
        let want = try expected("instr(p.digits, '55') > 0", [])
        XCTAssertEqual(rows.map(\.id), Array(want.prefix(101)))
        XCTAssertTrue(rows.allSatisfy { $0.matchedPhone?.contains("55") == true })
        XCTAssertEqual(sql.filter { $0.contains("phone_fts") }.count, 1, sql.joined(separator: "\n"))
        let page = try XCTUnwrap(sql.first { $0.contains("JOIN contacts c ON c.id = page.id") && $0.contains("instr(p.digits") })
        let plan = try plan(page)
        XCTAssertTrue(plan.contains("contacts_by_name"), plan)
        XCTAssertFalse(plan.contains("phone_fts"), plan)
        XCTAssertFalse(plan.contains("SCAN contact_phones"), plan)
        // The last page and a count that stops early agree with the walk.
        let last = try db.contacts.list(sort: .name, filter: ContactFilter(text: "55"), cursor: nil, direction: .backward, limit: 7)
        XCTAssertEqual(last.map(\.id), Array(want.suffix(7)))
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter(text: "55")), want.count)
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter(text: "55"), upTo: 1000), ListCount(1000, isExact: false))
    }

    /// A number typed with its country finds nothing in the full-text
    /// index: after the count that says so, no rank asks it again.
    func testANumberWithItsCountryAsksTheFullTextIndexOnce() throws {
        try BulkLoader(database: db).load { loader in
            for i in 0..<400 {
                let phone = i % 3 == 0 ? String(format: "+49 171 %07d", i) : String(format: "+34 91 %07d", i)
                _ = try loader.insert(Contact(name: String(format: "Person %05d", i), phones: [PhoneNumber(phone)]))
            }
        }
        var rows: [ContactSummary] = []
        let sql = try statements {
            rows = try db.contacts.list(sort: .name, filter: ContactFilter(text: "+49 171"), cursor: nil, direction: .forward, limit: 101)
        }
        let want = try expected("p.e164 >= '49171' AND p.e164 < '49171:'", [])
        XCTAssertEqual(want.count, 134)
        XCTAssertEqual(rows.map(\.id), Array(want.prefix(101)))
        XCTAssertTrue(rows.allSatisfy { $0.matchedPhone?.hasPrefix("+49 171") == true })
        XCTAssertEqual(sql.filter { $0.contains("contact_fts") }.count, 1, sql.joined(separator: "\n"))
        XCTAssertFalse(sql.contains { $0.contains("p.id IN (SELECT id FROM contact_phones") }, sql.joined(separator: "\n"))
        // Paged on from the cursor, the rest, and the places agree.
        let rest = try db.contacts.list(sort: .name, filter: ContactFilter(text: "+49 171"), cursor: try XCTUnwrap(rows.last).cursor(for: .name),
                                        direction: .forward, limit: 101)
        XCTAssertEqual((rows + rest).map(\.id), want)
        XCTAssertEqual(try db.contacts.countBefore(sort: .name, filter: ContactFilter(text: "+49 171"),
                                                   cursor: try XCTUnwrap(rest.first).cursor(for: .name)), 101)
    }

    /// Issue 16: "a broad contact search shows the name-sorted top 200 of an
    /// arbitrary 800 matches". The first page of "a" is the true first rows of
    /// the ranked order (each rank by sort key, worked out here in one query),
    /// whichever way each rank is read (ranges, name words, a walk, sorted hits).
    func testABroadSearchShowsTheTrueFirstRowsOfTheRankedOrder() throws {
        let given = ["Anna", "Bob", "Carla", "Dieter", "Amir", "Zoe", "Aaron", "Maria"]
        let family = ["Adams", "Becker", "Alavi", "Novak", "Arslan", "Weber", "Quinn", "Abe"]
        try BulkLoader(database: db).load { loader in
            for i in 0..<1200 {
                let name = "\(given[(i * 7) % given.count]) \(family[(i * 5 + i / 8) % family.count]) \(1200 - i)"
                _ = try loader.insert(Contact(name: name, notes: i % 3 == 0 ? "asked about apples" : "none"))
            }
        }
        let ranked = try XCTUnwrap(db.contacts.rankedSearch("a"))
        let name = try XCTUnwrap(ranked.nameMatch)
        let all = try XCTUnwrap(ranked.query.ftsMatch)
        let truth = try db.connection.rows("""
            SELECT id FROM contacts WHERE deleted_at IS NULL AND id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?1)
            ORDER BY CASE WHEN sort_key >= ?3 AND sort_key < ?4 THEN 0 WHEN sort_key >= ?4 AND sort_key < ?5 THEN 1
                          WHEN id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?2) THEN 2 ELSE 3 END, sort_key, id
            """, [all, name, ranked.exactLow, ranked.exactHigh, ranked.prefixHigh]) { $0.int64(0) }
        XCTAssertGreaterThan(truth.count, 600)
        let first = try db.contacts.list(sort: .name, filter: ContactFilter(text: "a"), cursor: nil, direction: .forward, limit: 200)
        XCTAssertEqual(first.map(\.id), Array(truth.prefix(200)))
        let next = try db.contacts.list(sort: .name, filter: ContactFilter(text: "a"), cursor: try XCTUnwrap(first.last).cursor(for: .name),
                                        direction: .forward, limit: 200)
        XCTAssertEqual(next.map(\.id), Array(truth[200..<400]))
        let last = try db.contacts.list(sort: .name, filter: ContactFilter(text: "a"), cursor: nil, direction: .backward, limit: 200)
        XCTAssertEqual(last.map(\.id), Array(truth.suffix(200)))
    }

    /// A word no name has ("5" among notes and emails): the name-words table
    /// says so, and the other fields are read as the one full-text match,
    /// with no name match to take out of it.
    func testAWordNoNameHasIsTheWholeFullTextMatch() throws {
        try BulkLoader(database: db).load { loader in
            for i in 0..<300 {
                _ = try loader.insert(Contact(name: String(format: "Person %03d", i), notes: i % 2 == 0 ? "room 5\(i)" : "room 7\(i)"))
            }
        }
        var rows: [ContactSummary] = []
        let sql = try statements {
            rows = try db.contacts.list(sort: .name, filter: ContactFilter(text: "5"), cursor: nil, direction: .forward, limit: 101)
        }
        let truth = try db.connection.rows("""
            SELECT id FROM contacts WHERE id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH '"5"*') ORDER BY sort_key, id
            """) { $0.int64(0) }
        XCTAssertEqual(truth.count, 150)
        XCTAssertEqual(rows.map(\.id), Array(truth.prefix(101)))
        XCTAssertTrue(rows.allSatisfy { $0.match?.rank == .otherField && $0.match?.field == .note })
        XCTAssertFalse(sql.contains { $0.contains("NOT {name}") }, sql.joined(separator: "\n"))
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter(text: "5")), 150)
    }
    /// Two words whose name matches fill the first page ("a b": 348 names
    /// among 14,000 contacts found at 100,000): the page never asks the
    /// full-text index for the other fields, not even to count them (more
    /// hits than `indexedSparseHits` make it count), and its rows are the
    /// first of the ranked order.
    func testAPageTheNameWordsFillNeverAsksForTheOtherFields() throws {
        let others = SQLiteContactRepository.indexedSparseHits + 50
        try BulkLoader(database: db).load { loader in
            for i in 0..<150 { _ = try loader.insert(Contact(name: String(format: "Anna Berg %03d", i))) }
            for i in 0..<others { _ = try loader.insert(Contact(name: String(format: "Person %05d", i), notes: "a blue note")) }
        }
        var rows: [ContactSummary] = []
        let sql = try statements {
            rows = try db.contacts.list(sort: .name, filter: ContactFilter(text: "a b"), cursor: nil, direction: .forward, limit: 101)
        }
        XCTAssertEqual(rows.map(\.name), (0..<101).map { String(format: "Anna Berg %03d", $0) })
        XCTAssertTrue(rows.allSatisfy { $0.match?.rank == .nameWords })
        XCTAssertFalse(sql.contains { $0.contains("NOT {name}") }, sql.joined(separator: "\n"))
        // The next page goes on into the other fields, in order.
        let next = try db.contacts.list(sort: .name, filter: ContactFilter(text: "a b"), cursor: try XCTUnwrap(rows.last).cursor(for: .name),
                                        direction: .forward, limit: 101)
        XCTAssertEqual(next.map(\.name), (101..<150).map { String(format: "Anna Berg %03d", $0) } + (0..<52).map { String(format: "Person %05d", $0) })
        XCTAssertEqual(next.last?.match?.rank, .otherField)
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter(text: "a b")), 150 + others)
    }
}
