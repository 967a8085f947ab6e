import CRMCore
import CRMRepositories
@testable import CRMStore
import XCTest

/// The name-words rank of a one-word search read in name order from
/// `contact_name_words` (schema 25): the same rows, in the same order, as
/// the full-text index gives, for every page size both ways; the table
/// follows every write; its pages are ranges of its key, never a scan or a sort.
final class NameWordsSearchTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!

    override func setUpWithError() throws {
        (db, folder) = try makeDatabase()
    }

    override func tearDown() {
        db = nil
        folder = nil
    }

    static let names = [
        "Mary Johnson", "Johann Weber", "Anna Johnston-Johnson", "Zoe Johns", "Bob Johnson", "Johnson",
        "Günter Müller", "Hans Mueller", "Eva Müller-Lüdenscheidt", "Ida Müllerová", "Paul Müll",
        "علی رضایی", "رضا احمدی", "مریم رضایی", "Peter O'Brien", "Li Johnsen", "李秀英", "杨小明 Johnson",
        "Carl Test", "Dora Note", "Émile Joh", "joh", "JOH Smith", "Xavier Jöhnson",
    ]

    func fill() throws {
        for (i, name) in Self.names.enumerated() {
            try db.contacts.create(Contact(name: name, notes: i % 3 == 0 ? "met johnson at the fair" : ""))
        }
    }

    /// What the full-text index says the rank is: live contacts whose name
    /// column matches every word, outside the two name ranges, in name order.
    func expectedNameWords(_ text: String) throws -> [Int64] {
        let query = SearchQuery(text)
        let ranked = RankedSearch(query, hasSortKey: true, hasE164: true)
        guard let nameMatch = ranked.nameMatch else { return [] }
        return try db.connection.rows("""
            SELECT id FROM contacts WHERE deleted_at IS NULL
            AND id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)
            AND NOT (sort_key >= ? AND sort_key < ?) ORDER BY sort_key, id
            """, [nameMatch, ranked.exactLow, ranked.prefixHigh]) { $0.int64(0) }
    }

    /// The rank's rows as a search lists them, page by page both ways.
    func listedNameWords(_ text: String, pageSize: Int) throws -> (forward: [Int64], backward: [Int64]) {
        let filter = ContactFilter(text: text)
        var forward: [ContactSummary] = []
        var cursor: ContactCursor?
        while true {
            let page = try db.contacts.list(sort: .name, filter: filter, cursor: cursor, direction: .forward, limit: pageSize)
            forward += page
            guard page.count == pageSize, let last = page.last else { break }
            cursor = last.cursor(for: .name)
        }
        var backward: [ContactSummary] = []
        cursor = nil
        while true {
            let page = try db.contacts.list(sort: .name, filter: filter, cursor: cursor, direction: .backward, limit: pageSize)
            backward = page + backward
            guard page.count == pageSize, let first = page.first else { break }
            cursor = first.cursor(for: .name)
        }
        XCTAssertEqual(forward.map(\.id), backward.map(\.id), "\(text), pages of \(pageSize)")
        XCTAssertEqual(forward.count, try db.contacts.count(filter: filter), "\(text): the count")
        for (place, row) in forward.enumerated() {
            XCTAssertEqual(try db.contacts.countBefore(sort: .name, filter: filter, cursor: row.cursor(for: .name)), place,
                           "\(text): the place of \(row.name)")
        }
        func words(_ rows: [ContactSummary]) -> [Int64] { rows.filter { $0.match?.rank == .nameWords }.map(\.id) }
        return (words(forward), words(backward))
    }

    func testTheRankIsTheFullTextRankInNameOrderForEveryPageSize() throws {
        try fill()
        for text in ["joh", "JOHNS", "mül", "muller", "رضا", "رضایی", "o", "b", "johnson", "lüd", "x"] {
            XCTAssertNotNil(try NameWordsRank.make(try XCTUnwrap(db.contacts.rankedSearch(text)), db.connection), text)
            let expected = try expectedNameWords(text)
            for size in [1, 2, 3, 5, 50] {
                let listed = try listedNameWords(text, pageSize: size)
                XCTAssertEqual(listed.forward, expected, "\(text), pages of \(size)")
            }
        }
        // "joh" finds the Johnsons, Johnstons, Johns and Jöhnson by their
        // family names (and Émile Joh), each once, after the names that begin with it.
        let rows = try db.contacts.search("joh", filter: ContactFilter(), limit: 100)
        XCTAssertEqual(rows.filter { $0.match?.rank == .nameWords }.map(\.name),
                       ["Anna Johnston-Johnson", "Bob Johnson", "Émile Joh", "Li Johnsen", "Mary Johnson", "Xavier Jöhnson", "Zoe Johns", "杨小明 Johnson"])
    }

    func testSearchesTheTableCannotServeReadTheFullTextIndexAsBefore() throws {
        try fill()
        for text in ["anna johnson", "o'brien", "秀英", "英"] {
            let ranked = try XCTUnwrap(db.contacts.rankedSearch(text))
            XCTAssertNil(try NameWordsRank.make(ranked, db.connection), text)
            XCTAssertEqual(try listedNameWords(text, pageSize: 2).forward, try expectedNameWords(text), text)
        }
        // More different words than are merged.
        for i in 0...NameWordsRank.maxWords {
            try db.contacts.create(Contact(name: "Wide Wo\(String(UnicodeScalar(UInt8(97 + i % 26))))\(i)rd"))
        }
        XCTAssertNil(try NameWordsRank.make(try XCTUnwrap(db.contacts.rankedSearch("wo")), db.connection))
        XCTAssertEqual(try listedNameWords("wo", pageSize: 7).forward, try expectedNameWords("wo"))
        // Another filter than the search: the table has no owner.
        var filter = ContactFilter(text: "joh")
        filter.lifecycle = .lead
        XCTAssertFalse(db.contacts.readsNameWords(.name, filter))
        XCTAssertFalse(db.contacts.readsNameWords(.created, ContactFilter(text: "joh")))
    }

    /// The table holds what the contact index holds for each live name: the
    /// same tokens (FTS5's own list of them, `fts5vocab`), with the row's sort key.
    func assertTableMatchesTheIndex(file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        try c.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.name_vocab USING fts5vocab(main, contact_fts, instance)")
        let indexed = try c.rows("""
            SELECT DISTINCT v.term, c.sort_key, c.id FROM temp.name_vocab v JOIN contacts c ON c.id = v.doc
            WHERE v.col = 'name' AND c.deleted_at IS NULL ORDER BY 1, 2, 3
            """) { "\($0.string(0))|\($0.string(1))|\($0.int64(2))" }
        let table = try c.rows("SELECT word, sort_key, contact_id FROM contact_name_words ORDER BY 1, 2, 3") {
            "\($0.string(0))|\($0.string(1))|\($0.int64(2))"
        }
        XCTAssertEqual(table, indexed, file: file, line: line)
        XCTAssertFalse(table.isEmpty, file: file, line: line)
    }

    func testTheTableFollowsEveryWrite() throws {
        try fill()
        try assertTableMatchesTheIndex()
        var contact = try XCTUnwrap(db.contacts.get(try XCTUnwrap(db.contacts.search("Bob Johnson", filter: ContactFilter(), limit: 1).first).id))
        contact.name = "Robert Jonsson"
        contact = try db.contacts.update(contact)
        try assertTableMatchesTheIndex()
        XCTAssertFalse(try db.contacts.search("joh", filter: ContactFilter(), limit: 100).contains { $0.id == contact.id })
        try db.contacts.delete(contact.id)
        try assertTableMatchesTheIndex()
        XCTAssertTrue(try db.contacts.search("jons", filter: ContactFilter(), limit: 100).isEmpty)
        try db.contacts.restore(contact.id)
        try assertTableMatchesTheIndex()
        XCTAssertEqual(try db.contacts.search("jons", filter: ContactFilter(), limit: 100).map(\.id), [contact.id])
        // Deleted for good, and a row some other writer inserts without a sort key.
        try db.connection.run("DELETE FROM contacts WHERE id = ?", [contact.id])
        try db.connection.run("INSERT INTO contacts(name, created_at, updated_at) VALUES ('Kim Johnsrud', 0, 0)")
        try assertTableMatchesTheIndex()
        // A bulk load suspends the insert trigger and fills the words at the end.
        try BulkLoader(database: db).load { loader in
            for i in 0..<50 { _ = try loader.insert(Contact(name: "Bulk Johansson \(i)")) }
        }
        try assertTableMatchesTheIndex()
        XCTAssertEqual(try expectedNameWords("johan").count, 50)
        XCTAssertEqual(try listedNameWords("johan", pageSize: 7).forward, try expectedNameWords("johan"))
    }

    func testAnOlderFileGetsTheTableOnUpgrade() throws {
        let path = folder.path("old.db")
        do {
            let old = try Database(path: path, login: "omid")
            for name in Self.names { try old.contacts.create(Contact(name: name)) }
            try rewindSchema(old.connection, to: 24)
        }
        db = try Database(path: path, login: "omid")
        XCTAssertTrue(db.hasNameWords)
        try assertTableMatchesTheIndex()
        XCTAssertEqual(try listedNameWords("joh", pageSize: 2).forward, try expectedNameWords("joh"))
    }

    /// Each word's rows are a range of the table's key read in order and
    /// merged: no scan, no sort, for one word and for several.
    func testAPageIsRangesOfTheKeyMergedWithoutASort() throws {
        try fill()
        for text in ["johnsto", "joh"] {
            let rank = try XCTUnwrap(NameWordsRank.make(try XCTUnwrap(db.contacts.rankedSearch(text)), db.connection))
            XCTAssertEqual(rank.words.count > 1, text == "joh")
            for (ascending, cursor) in [(true, nil), (false, nil), (true, (SQLValue.text("m"), Int64(3)))] as [(Bool, (SQLValue, Int64)?)] {
                let page = rank.page(ascending: ascending, cursor: cursor, limit: 10)
                let plan = try db.connection.rows("EXPLAIN QUERY PLAN \(page.sql)", page.values) { $0.string(3) }
                let joined = plan.joined(separator: "\n")
                XCTAssertFalse(joined.contains("SCAN"), joined)
                XCTAssertFalse(joined.contains("TEMP B-TREE"), joined)
                XCTAssertEqual(plan.filter { $0.contains("SEARCH contact_name_words USING PRIMARY KEY (word=?") }.count,
                               rank.words.count, joined)
            }
        }
    }
}
