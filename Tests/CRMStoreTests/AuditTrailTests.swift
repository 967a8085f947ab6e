@testable import CRMStore
import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// The audit log holds proper JSON values, and an older file's rows are
/// converted (the pages filtered by record, user, action and time are
/// checked on both engines: RecordRepositoryContract).
final class AuditTrailTests: XCTestCase {
    func testChangesAreStoredAsJSONValues() throws {
        let (db, _) = try makeDatabase()
        var contact = try db.contacts.create(Contact(name: "Lena Vogel", tags: ["vip"]))
        contact.tags = ["berlin", "vip"]
        contact.title = "42"
        let owner = contact.ownerID
        contact.ownerID = nil
        _ = try db.contacts.update(contact)
        let stored = try XCTUnwrap(try db.connection.first(
            "SELECT changes FROM audit_log WHERE entity = 'contact' AND action = 'update'") { $0.string(0) })
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: [Any]])
        XCTAssertEqual(object["tags"]?.first as? [String], ["vip"], "a list is stored as a list")
        XCTAssertEqual(object["tags"]?.last as? [String], ["berlin", "vip"])
        XCTAssertEqual((object["owner"]?.first as? NSNumber)?.int64Value, owner, "an id is a number")
        XCTAssertTrue(object["owner"]?.last is NSNull, "no owner is null")
        XCTAssertEqual(object["title"]?.last as? String, "42", "a text stays text")

        let entry = try XCTUnwrap(db.auditTrail(entity: "contact", id: contact.id, limit: 1).first)
        XCTAssertEqual(entry.changes["tags"], AuditChange(.list([.text("vip")]), .list([.text("berlin"), .text("vip")])))
        XCTAssertEqual(entry.changes["owner"], AuditChange(.int(owner!), .null))
    }

    /// A file written before version 22 holds Swift texts of values; opening
    /// it converts them, and leaves free text alone whatever it looks like.
    func testOlderDatabaseCopyIsConverted() throws {
        let folder = TempFolder()
        let original = folder.path("old.db")
        do {
            let db = try Database(path: original, login: "tester")
            try db.connection.execute("DELETE FROM audit_log")
            try rewindSchema(db.connection, to: 21)
            let rows = [
                #"{"owner":["Optional(3)","nil"],"tags":["[\"vip\", \"berlin\"]","[]"]}"#,
                #"{"title":["nil","42"],"expected close":["nil","Optional(2026-11-29 16:59:12 +0000)"]}"#,
                #"{"position":["3","-4"],"lost reason":["","Optional(\"price\")"],"due":["2026-11-29 09:00:00 +0000","x"]}"#,
                "{}",
            ]
            for (i, row) in rows.enumerated() {
                try db.connection.run("INSERT INTO audit_log(at, entity, entity_id, action, changes) VALUES (?, 'contact', ?, 'update', ?)",
                                      [Date(timeIntervalSince1970: 1_700_000_000), Int64(i + 1), row])
            }
        }
        let copy = folder.path("copy.db")
        try FileManager.default.copyItem(atPath: original, toPath: copy)
        let db = try Database(path: copy, login: "tester")
        XCTAssertEqual(db.schemaVersion, Database.supportedSchemaVersion)
        let stored = try db.connection.rows("SELECT changes FROM audit_log ORDER BY entity_id") { $0.string(0) }
        XCTAssertEqual(stored, [
            #"{"owner":[3,null],"tags":[["vip","berlin"],[]]}"#,
            #"{"title":["nil","42"],"expected close":[null,"2026-11-29T16:59:12Z"]}"#,
            #"{"position":[3,-4],"lost reason":["","Optional(\"price\")"],"due":["2026-11-29T09:00:00Z","x"]}"#,
            "{}",
        ])
        let entry = try XCTUnwrap(db.auditTrail(entity: "contact", id: 1, limit: 1).first)
        XCTAssertEqual(entry.changes["tags"]?.old, .list([.text("vip"), .text("berlin")]))
        XCTAssertEqual(entry.changes["owner"], AuditChange(.int(3), .null))
        // Running the step again changes nothing.
        try db.connection.execute(SchemaV22AuditJSONValues.sql)
        XCTAssertEqual(try db.connection.rows("SELECT changes FROM audit_log ORDER BY entity_id") { $0.string(0) }, stored)
    }
}
