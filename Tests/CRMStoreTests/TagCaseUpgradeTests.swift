import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Step 78: a file written before it may hold "Über" and "über" as two tags
/// (NOCASE folds A–Z only). Upgraded, they are one, the oldest, on every
/// contact that had either, and an import's record of the tags it added
/// points to it.
final class TagCaseUpgradeTests: XCTestCase {
    func testTagsDifferingOnlyInTheirLettersCaseAreMergedIntoTheOldest() throws {
        let folder = TempFolder()
        let path = folder.path("v77.db")
        do {
            try Database.prepareFile(at: path)
            let c = try Connection(path: path)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: 77)
            for (n, name) in ["Anna", "Bernd", "Clara", "Dora"].enumerated() {
                try c.run("INSERT INTO contacts(id, name, sort_key, created_at, updated_at) VALUES (?, ?, ?, 0, 0)",
                          [Int64(n + 1), name, NameSortKey.of(name)])
            }
            // NOCASE folds A–Z: "Über" and "über" could both be stored, "ÜBER" not.
            for (id, name) in [(1, "Über"), (2, "vip"), (3, "über"), (4, "ärger"), (5, "Ärger")] {
                try c.run("INSERT INTO tags(id, name) VALUES (?, ?)", [Int64(id), name])
            }
            // Anna: Über; Bernd: über, ärger; Clara: Über and über; Dora: vip, Ärger.
            for (contact, tag) in [(1, 1), (2, 3), (2, 4), (3, 1), (3, 3), (4, 2), (4, 5)] {
                try c.run("INSERT INTO contact_tags(contact_id, tag_id) VALUES (?, ?)", [Int64(contact), Int64(tag)])
            }
            try c.run("INSERT INTO import_batches(id, label, created_at) VALUES (1, 'tags.csv', 0)")
            try c.run("INSERT INTO import_merges(batch_id, contact_id, added_tags, version_after) VALUES (1, 2, '[3,2,5]', 1)")
            XCTAssertEqual(try c.scalar("SELECT count(*) FROM tags"), 5)
        }
        let db = try Database(path: path, login: "sara")
        XCTAssertEqual(try db.contacts.allTags(), ["vip", "Über", "ärger"])
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contact_tags WHERE tag_id = 1"), 3)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contact_tags WHERE tag_id = 4"), 2)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contact_tags"), 6, "Clara keeps one link")
        XCTAssertEqual(try db.connection.first("SELECT added_tags FROM import_merges") { $0.string(0) }, "[1,2,4]")
        let found = try db.contacts.list(sort: .name, filter: ContactFilter(tag: "über"), cursor: nil, direction: .forward, limit: 10)
        XCTAssertEqual(found.map(\.name), ["Anna", "Bernd", "Clara"])
        XCTAssertEqual(try db.contacts.search("über", filter: .init(), limit: 10).map(\.name), ["Anna", "Bernd", "Clara"],
                       "the tag's words in the search index")
        XCTAssertEqual(try db.contacts.list(sort: .name, filter: ContactFilter(tag: "ÄRGER"), cursor: nil, direction: .forward, limit: 10)
            .map(\.name), ["Bernd", "Dora"])
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
    }

    /// QA 35 #1: a file already at schema 78 that a crm before it (still
    /// running beside this one) gave "über" beside "Über": the next open for
    /// writing merges them, so the file can move to PostgreSQL.
    func testCaseVariantTagsWrittenAfterTheStepAreMergedAtTheNextOpen() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        do {
            let db = try Database(path: path, login: "sara")
            _ = try db.contacts.create(Contact(name: "Anna", tags: ["Über"]))
            let bernd = try db.contacts.create(Contact(name: "Bernd"))
            // As an older crm writes it: NOCASE lets the second spelling in.
            try db.connection.run("INSERT INTO tags(id, name) VALUES (50, 'über')")
            try db.connection.run("INSERT INTO contact_tags(contact_id, tag_id) VALUES (?, 50)", [bernd.id])
            XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM tags"), 2)
        }
        let reopened = try Database(path: path, login: "sara")
        XCTAssertEqual(try reopened.contacts.allTags(), ["Über"])
        XCTAssertEqual(try reopened.contacts.list(sort: .name, filter: ContactFilter(tag: "über"), cursor: nil, direction: .forward, limit: 5)
            .map(\.name), ["Anna", "Bernd"])
        XCTAssertFalse(try TagCaseRepair.run(reopened.connection), "nothing left to merge")
    }
}
