import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// Schema 39 on PostgreSQL: the name-words rank read from
/// `contact_name_words` (PGNameWordsRank) gives the rows the documents' own
/// test (`'joh':*A`) gives, in name order, for every page size both ways,
/// with the same counts and places; the table follows every write; its
/// pages and counts are read from its indexes (EXPLAIN).
final class PGNameWordsSearchTests: XCTestCase {
    var db: PostgresDatabase!

    override func setUpWithError() throws {
        let server = try TestPostgresServer.require()
        db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "sara")
    }

    override func tearDown() {
        db = nil
    }

    func fill() throws {
        for (i, name) in NameWordsSearchTests.names.enumerated() {
            _ = try db.contactRepository.create(Contact(name: name, notes: i % 3 == 0 ? "met johnson at the fair" : ""))
        }
    }

    /// What the documents say the rank is: live contacts whose name words
    /// match every word, outside the two name ranges, in name order.
    func expectedNameWords(_ text: String) throws -> [Int64] {
        let search = PGContactRepository.Search(SearchQuery(text))
        guard let inName = search.inName else { return [] }
        return try db.connection.rows("""
            SELECT c.id FROM contacts c JOIN contact_search s ON s.contact_id = c.id
            WHERE c.deleted_at IS NULL AND s.words @@ ?::tsquery AND NOT (c.sort_key >= ? AND c.sort_key < ?)
            ORDER BY c.sort_key, c.id
            """, [inName, search.exactLow, search.prefixHigh]) { $0.int64(0) }
    }

    /// The rank's rows as a search lists them, page by page both ways, with
    /// the count and every row's place checked on the way.
    func listedNameWords(_ text: String, pageSize: Int) throws -> [Int64] {
        let contacts = db.contactRepository
        let filter = ContactFilter(text: text)
        var forward: [ContactSummary] = []
        var cursor: ContactCursor?
        while true {
            let page = try contacts.list(sort: .name, filter: filter, cursor: cursor, direction: .forward, limit: pageSize)
            forward += page
            guard page.count == pageSize, let last = page.last else { break }
            cursor = last.cursor(for: .name)
        }
        var backward: [ContactSummary] = []
        cursor = nil
        while true {
            let page = try contacts.list(sort: .name, filter: filter, cursor: cursor, direction: .backward, limit: pageSize)
            backward = page + backward
            guard page.count == pageSize, let first = page.first else { break }
            cursor = first.cursor(for: .name)
        }
        XCTAssertEqual(forward.map(\.id), backward.map(\.id), "\(text), pages of \(pageSize)")
        XCTAssertEqual(forward.count, try contacts.count(filter: filter), "\(text): the count")
        for (place, row) in forward.enumerated() {
            XCTAssertEqual(try contacts.countBefore(sort: .name, filter: filter, cursor: row.cursor(for: .name)), place,
                           "\(text): the place of \(row.name)")
        }
        return forward.filter { $0.match?.rank == .nameWords }.map(\.id)
    }

    func testTheRankIsTheDocumentsRankInNameOrderForEveryPageSize() throws {
        try fill()
        for text in ["joh", "JOHNS", "mül", "muller", "رضا", "رضایی", "o", "b", "johnson", "lüd", "x", "anna joh", "joh jo", "mary z"] {
            XCTAssertNotNil(PGNameWordsRank(PGContactRepository.Search(SearchQuery(text))), text)
            let expected = try expectedNameWords(text)
            for size in [1, 2, 3, 5, 50] {
                XCTAssertEqual(try listedNameWords(text, pageSize: size), expected, "\(text), pages of \(size)")
            }
        }
        let rows = try db.contactRepository.search("joh", filter: ContactFilter(), limit: 100)
        XCTAssertEqual(rows.filter { $0.match?.rank == .nameWords }.map(\.name),
                       ["Anna Johnston-Johnson", "Bob Johnson", "Émile Joh", "Li Johnsen", "Mary Johnson", "Xavier Jöhnson", "Zoe Johns", "杨小明 Johnson"])
    }

    func testSearchesTheTableCannotServeReadTheDocumentsAsBefore() throws {
        try fill()
        for text in ["o'brien", "秀英", "英", "johnson 李"] {
            XCTAssertNil(PGNameWordsRank(PGContactRepository.Search(SearchQuery(text))), text)
            XCTAssertEqual(try listedNameWords(text, pageSize: 2), try expectedNameWords(text), text)
        }
        // More different words than are read word by word: the range whole,
        // and past `sparseRows`, the walk in name order; both give the same rows.
        for i in 0...PGNameWordsRank.maxWords {
            _ = try db.contactRepository.create(Contact(name: "Wide Wo\(String(UnicodeScalar(UInt8(97 + i % 26))))\(i)rd"))
        }
        XCTAssertEqual(try listedNameWords("wo", pageSize: 7), try expectedNameWords("wo"))
        XCTAssertEqual(try listedNameWords("wo wid", pageSize: 4), try expectedNameWords("wo wid"))
    }

    /// The table holds, for each live contact, the name words (weight A) of
    /// its document with its sort key, each with the word below it.
    func assertTableMatchesTheDocuments(file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        let documents = try c.rows("""
            SELECT w.lexeme, c.sort_key, c.id,
                   coalesce(lag(w.lexeme) OVER (PARTITION BY c.id ORDER BY w.lexeme COLLATE "C"), '-')
            FROM contacts c JOIN contact_search s ON s.contact_id = c.id CROSS JOIN LATERAL unnest(s.words) w
            WHERE c.deleted_at IS NULL AND 'A' = ANY(w.weights) ORDER BY w.lexeme COLLATE "C", 2, 3
            """) { "\($0.string(0))|\($0.string(1))|\($0.int64(2))|\($0.string(3))" }
        let table = try c.rows("SELECT word, sort_key, contact_id, coalesce(previous, '-') FROM contact_name_words ORDER BY 1, 2, 3") {
            "\($0.string(0))|\($0.string(1))|\($0.int64(2))|\($0.string(3))"
        }
        XCTAssertEqual(table, documents, file: file, line: line)
        XCTAssertFalse(table.isEmpty, file: file, line: line)
    }

    func testTheTableFollowsEveryWrite() throws {
        do { try followEveryWrite() } catch {
            XCTFail("\(error): \(String(describing: db.connection.lastError))")
        }
    }

    func followEveryWrite() throws {
        try fill()
        try assertTableMatchesTheDocuments()
        let contacts = db.contactRepository
        var contact = try XCTUnwrap(contacts.get(try XCTUnwrap(contacts.search("Bob Johnson", filter: ContactFilter(), limit: 1).first).id))
        contact.name = "Robert Jonsson"
        contact = try contacts.update(contact)
        try assertTableMatchesTheDocuments()
        XCTAssertFalse(try contacts.search("joh", filter: ContactFilter(), limit: 100).contains { $0.id == contact.id })
        // A note leaves the name words as they are; the trash takes them out, a restore puts them back.
        contact.notes = "johnson again"
        contact = try contacts.update(contact)
        try assertTableMatchesTheDocuments()
        try contacts.delete(contact.id)
        try assertTableMatchesTheDocuments()
        XCTAssertEqual(try db.connection.integer("SELECT count(*) FROM contact_name_words WHERE contact_id = ?", [contact.id]), 0)
        try contacts.restore(contact.id)
        try assertTableMatchesTheDocuments()
        XCTAssertEqual(try listedNameWords("jon", pageSize: 2), try expectedNameWords("jon"))
        // Deleted for good (the trash emptied): its document and words go.
        try contacts.delete(contact.id)
        try db.connection.run("DELETE FROM contacts WHERE id = ?", [contact.id])
        try assertTableMatchesTheDocuments()
        // Documents written in bulk (a move from SQLite rebuilds them all),
        // and rewritten without a change.
        try db.connection.run("DELETE FROM contact_search")
        XCTAssertEqual(try db.connection.integer("SELECT count(*) FROM contact_name_words"), 0)
        try db.rebuildSearchDocuments()
        try db.connection.run("UPDATE contact_search SET words = words")
        try assertTableMatchesTheDocuments()
    }

    /// The walk of most names in name order gives the rows the range does.
    func testTheWalkOfMostNamesGivesTheRowsOfTheRange() throws {
        try fill()
        for i in 0...PGNameWordsRank.maxWords {
            _ = try db.contactRepository.create(Contact(name: "Wide Wo\(String(UnicodeScalar(UInt8(97 + i % 26))))\(i)rd"))
        }
        for text in ["wo", "wo wid", "j"] {
            var rank = try XCTUnwrap(PGNameWordsRank(PGContactRepository.Search(SearchQuery(text))))
            func read(_ rank: PGNameWordsRank, _ cursor: (key: String, id: Int64)?, ascending: Bool) throws -> [Int64] {
                try db.connection.rows("SELECT id FROM (\(try rank.page(cursor: cursor, ascending: ascending, limit: 1000, db.connection).sql)) p",
                                       try rank.page(cursor: cursor, ascending: ascending, limit: 1000, db.connection).values) { $0.int64(0) }
            }
            let range = try read(rank, nil, ascending: true)
            rank.sparseRows = 0
            XCTAssertEqual(try read(rank, nil, ascending: true), range, text)
            XCTAssertEqual(try read(rank, nil, ascending: false), range.reversed(), text)
            XCTAssertEqual(range, try expectedNameWords(text), text)
        }
    }

    /// A page and a count of the rank are ranges of the table's key (a
    /// prefix of few words word by word, of many the range whole), and the
    /// walk of most names looks each contact's words up by contact.
    func testPagesAndCountsReadTheTablesIndexes() throws {
        try fill()
        let c = db.connection
        // 20,000 more names, written by SQL (documents as the engine makes
        // them: two name words), so the planner sees a table of some size.
        try c.run("""
            INSERT INTO contacts(name, sort_key, created_at, updated_at)
            SELECT 'Person' || i || ' Wo' || i || 'rd', 'PERSON' || i || ' WO' || i || 'RD' || chr(1) || 'Person' || i, 0, 0
            FROM generate_series(1, 20000) i
            """)
        try c.run("""
            INSERT INTO contact_search(contact_id, words)
            SELECT id, format('%s:1A %s:2A', split_part(lower(name), ' ', 1), split_part(lower(name), ' ', 2))::tsvector
            FROM contacts WHERE id NOT IN (SELECT contact_id FROM contact_search)
            """)
        try c.execute("VACUUM ANALYZE contact_name_words")
        try c.execute("ANALYZE")
        func plan(_ arm: (sql: String, values: [any PGBindable])) throws -> String {
            try c.rows("EXPLAIN " + arm.sql, arm.values) { $0.string(0) }.joined(separator: "\n")
        }
        func counting(_ arm: (sql: String, values: [any PGBindable])) -> (sql: String, values: [any PGBindable]) {
            ("SELECT count(*) FROM (\(arm.sql) LIMIT ?::bigint) n", arm.values + [10_001])
        }
        // A few words: each one a range of the key, in name order, merged.
        let joh = try XCTUnwrap(PGNameWordsRank(PGContactRepository.Search(SearchQuery("joh"))))
        let few = try plan(joh.page(cursor: nil, ascending: true, limit: 10, c))
        XCTAssertTrue(few.contains("Merge Append") && few.contains("Index Only Scan using contact_name_words_pkey"), few)
        XCTAssertFalse(few.contains("contact_search") || few.contains("Seq Scan"), few)
        // Many words, few rows (the range whole, sorted): "wo19" has 1,111.
        let wo = try XCTUnwrap(PGNameWordsRank(PGContactRepository.Search(SearchQuery("wo19"))))
        let many = try plan(wo.page(cursor: ("WO", 5), ascending: true, limit: 10, c))
        XCTAssertTrue(many.contains("contact_name_words_pkey"), many)
        XCTAssertFalse(many.contains("Seq Scan") || many.contains("contact_search"), many)
        // The count: a range of the key.
        let count = try plan(counting(wo.counted(before: nil)))
        XCTAssertTrue(count.contains("using contact_name_words_pkey") || count.contains("on contact_name_words_pkey"), count)
        XCTAssertFalse(count.contains("Seq Scan") || count.contains("contact_search"), count)
        // Two words: the other looked up by contact.
        let two = try XCTUnwrap(PGNameWordsRank(PGContactRepository.Search(SearchQuery("wo19 person19"))))
        let both = try plan(counting(two.counted(before: ("WO", 5))))
        XCTAssertTrue(both.contains("contact_name_words_by_contact") || both.contains("contact_name_words_pkey"), both)
        XCTAssertFalse(both.contains("contact_search") || both.contains("Seq Scan"), both)
        // Most names: the walk in name order, each contact's words by contact.
        var most = try XCTUnwrap(PGNameWordsRank(PGContactRepository.Search(SearchQuery("p"))))
        most.sparseRows = 100
        let walk = try plan(most.page(cursor: nil, ascending: true, limit: 10, c))
        XCTAssertTrue(walk.contains("contact_search_by_name"), walk)
        XCTAssertTrue(walk.contains("contact_name_words_by_contact"), walk)
    }
}
