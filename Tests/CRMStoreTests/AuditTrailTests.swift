@testable import CRMStore
import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// An older file's audit rows are converted to JSON values (the values as
/// stored and read back, and the pages filtered by record, user, action and
/// time, are checked on both engines: RecordRepositoryContract).
final class AuditTrailTests: XCTestCase {
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
