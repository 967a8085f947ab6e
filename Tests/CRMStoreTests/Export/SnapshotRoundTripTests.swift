import CRMCore
import CRMDemo
import CRMExchange
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The complete copy: `crm export all --format json` loaded into an empty
/// database and exported again gives the same bytes, trash, audit log and
/// stage history included.
final class SnapshotRoundTripTests: XCTestCase {

    /// A small demo database with trash, audit entries and stage history.
    func demoWithHistory() throws -> (Database, TempFolder) {
        // Audited edits and deletes (to the trash) of every kind.
        let (db, folder) = try makeExportDemo(contacts: 40, seed: 11, editing: 2) { contact in
            contact.notes = "Line one\nline two, with \"quotes\" and a tab\t; \u{1B}[31m escape"
            contact.emails.append(EmailAddress("zweite@example.de", label: "Büro, 2. Stock"))
        }
        try db.contacts.delete(3)
        try db.companies.delete(1)
        let deal = try XCTUnwrap(db.deals.get(1))
        let stages = try db.pipelines.stages(pipelineID: deal.pipelineID)
        let other = try XCTUnwrap(stages.first { $0.id != deal.stageID && $0.kind == .open })
        _ = try db.deals.move(deal.id, toStage: other.id, expectedVersion: deal.version)
        try db.deals.delete(2)
        // Ones still live (a deleted contact or deal took its own along).
        try db.interactions.delete(try XCTUnwrap(db.connection.scalar("SELECT min(id) FROM interactions WHERE deleted_at IS NULL")))
        try db.followUps.delete(try XCTUnwrap(db.connection.scalar("SELECT min(id) FROM follow_ups WHERE deleted_at IS NULL")))
        return (db, folder)
    }

    func export(_ db: Database, pageSize: Int = 500) throws -> String {
        var out = ""
        try db.export.consistentRead {
            try Exporter(repository: db.export, pageSize: pageSize).run(kind: .all, format: .json) { out += $0 }
        }
        return out
    }

    func testCopyLoadedIntoAnEmptyDatabaseExportsTheSameBytes() throws {
        let (source, folder) = try demoWithHistory()
        let first = try export(source)
        for type in ["user", "company", "contact", "contact_email", "contact_phone", "contact_tag", "tag", "pipeline",
                     "stage", "deal", "deal_stage_change", "interaction", "follow_up", "audit"] {
            XCTAssertTrue(first.contains("{\"type\":\"\(type)\","), "the copy has no \(type) line")
        }
        XCTAssertTrue(first.contains("\"deleted_at\":1"), "the copy holds the trash")
        // Small pages: the keyset paging (composite key of contact_tag too) loses and repeats nothing.
        XCTAssertEqual(try export(source, pageSize: 7), first)

        let file = folder.path("copy.jsonl")
        try first.write(toFile: file, atomically: false, encoding: .utf8)
        let target = try Database(path: folder.path("restored.db"), login: "someone-else")
        let reader = try SnapshotFileReader(path: file)
        XCTAssertEqual(reader.schemaVersion, Database.supportedSchemaVersion)
        let result = try target.export.loadSnapshot(schemaVersion: reader.schemaVersion) { try reader.next() }
        XCTAssertEqual(result.total, first.split(separator: "\n").count - 1)

        let second = try export(target)
        XCTAssertEqual(second, first)
        XCTAssertEqual(Data(second.utf8), Data(first.utf8))

        // What the database derives again works: search, sort keys, last contact.
        let name = try XCTUnwrap(source.contacts.get(5)).name
        XCTAssertEqual(try target.contacts.search(name, filter: ContactFilter(), limit: 5).first?.id,
                       try source.contacts.search(name, filter: ContactFilter(), limit: 5).first?.id)
        let lastTouch = "SELECT group_concat(coalesce(last_interaction_at, '-') || sort_key) FROM contacts ORDER BY id"
        XCTAssertEqual(try target.connection.text(lastTouch), try source.connection.text(lastTouch))
        XCTAssertEqual(try target.connection.text("PRAGMA foreign_key_check"), nil)
    }

    func testANonEmptyDatabaseIsRefusedAndLeftAsItWas() throws {
        let (source, folder) = try demoWithHistory()
        let file = folder.path("copy.jsonl")
        try export(source).write(toFile: file, atomically: false, encoding: .utf8)
        let reader = try SnapshotFileReader(path: file)
        XCTAssertThrowsError(try source.export.loadSnapshot(schemaVersion: reader.schemaVersion) { try reader.next() }) { error in
            guard case SnapshotLoadError.notEmpty(let tables) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(tables.contains("contacts"))
            XCTAssertTrue("\(error)".contains("not empty"))
        }
        XCTAssertEqual(try source.connection.scalar("SELECT count(*) FROM users"), 5)
    }

    func testABadLineRollsEverythingBackAndNamesTheLine() throws {
        let (_, folder) = try makeDatabase()
        let file = folder.path("bad.jsonl")
        let lines = [
            ExportHeader.line(kind: .all, schemaVersion: Database.supportedSchemaVersion),
            #"{"type":"user","id":7,"login":"ana","name":"Ana","created_at":1700000000}"# + "\n",
            #"{"type":"contact","id":1,"name":"X","title":"","company_id":99,"owner_id":7,"lifecycle":"lead","source":"","notes":"","last_interaction_at":null,"created_at":1,"updated_at":1,"deleted_at":null,"version":1,"batch_id":null,"merged_into":null}"# + "\n",
        ]
        try lines.joined().write(toFile: file, atomically: false, encoding: .utf8)
        let target = try Database(path: folder.path("new.db"), login: "tester")
        let reader = try SnapshotFileReader(path: file)
        XCTAssertThrowsError(try target.export.loadSnapshot(schemaVersion: reader.schemaVersion) { try reader.next() }) { error in
            XCTAssertEqual(error as? SnapshotLoadError, .missingReference(type: "contact", id: 1, refersTo: "companies"))
            XCTAssertEqual("\(error)", "the contact with id 1 refers to a row of companies that is not in the file")
        }
        // The user the load had deleted and the one it had added: as before.
        XCTAssertEqual(try target.connection.text("SELECT group_concat(login) FROM users"), "tester")
        XCTAssertEqual(try target.connection.scalar("SELECT count(*) FROM contacts"), 0)
        // Triggers suspended for the load are back.
        XCTAssertEqual(try target.connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'interactions_touch_contact'"), 1)
    }

    /// A hand-written copy with "VIP" and "vip": tags are one per name
    /// whatever the case of their letters, and the line says so in words.
    func testATagTwiceInAnotherCaseNamesTheLine() throws {
        let (_, folder) = try makeDatabase()
        let file = folder.path("tags.jsonl")
        let lines = [
            ExportHeader.line(kind: .all, schemaVersion: Database.supportedSchemaVersion),
            #"{"type":"tag","id":1,"name":"vip"}"# + "\n",
            #"{"type":"tag","id":2,"name":"VIP"}"# + "\n",
        ]
        try lines.joined().write(toFile: file, atomically: false, encoding: .utf8)
        let target = try Database(path: folder.path("new.db"), login: "tester")
        let reader = try SnapshotFileReader(path: file)
        XCTAssertThrowsError(try target.export.loadSnapshot(schemaVersion: reader.schemaVersion) { try reader.next() }) { error in
            XCTAssertEqual(error as? SnapshotLoadError, .badRow(line: 3, type: "tag",
                message: "a tag of this name, whatever the case of its letters, comes earlier in the file: each tag once"))
        }
        XCTAssertEqual(try target.connection.scalar("SELECT count(*) FROM tags"), 0)
    }

    /// Rows may point forward (a contact merged into a later one, a
    /// reference to a row further down the file): checked at the end.
    func testAReferenceToALaterRowLoads() throws {
        let (_, folder) = try makeDatabase()
        let file = folder.path("forward.jsonl")
        let lines = [
            ExportHeader.line(kind: .all, schemaVersion: Database.supportedSchemaVersion),
            #"{"type":"audit","id":1,"at":5,"user_id":null,"entity":"contact","entity_id":9,"action":"create","changes":"{}"}"# + "\n",
            #"{"type":"audit","id":2,"at":6,"user_id":7,"entity":"contact","entity_id":9,"action":"update","changes":"{}"}"# + "\n",
            #"{"type":"user","id":7,"login":"ana","name":"Ana","created_at":1700000000}"# + "\n",
        ]
        try lines.joined().write(toFile: file, atomically: false, encoding: .utf8)
        let target = try Database(path: folder.path("new.db"), login: "tester")
        let reader = try SnapshotFileReader(path: file)
        let result = try target.export.loadSnapshot(schemaVersion: reader.schemaVersion) { try reader.next() }
        XCTAssertEqual(result.total, 3)
        XCTAssertEqual(try target.connection.scalar("SELECT user_id FROM audit_log WHERE id = 2"), 7)
    }

    func testAnUnknownKeyIsRefusedAndAMissingOneIsAbsent() throws {
        let table = try XCTUnwrap(SnapshotTable.named(type: "tag"))
        // A copy older than a column: the column is absent and takes its default.
        XCTAssertEqual(try SnapshotJSON.row(["type": "tag", "id": 1], line: 4).absent, ["name"])
        XCTAssertThrowsError(try SnapshotJSON.row(["type": "tag", "id": 1, "name": "a", "colour": "red"], line: 5)) {
            XCTAssertEqual($0 as? SnapshotLoadError, .badRow(line: 5, type: "tag", message: "unknown key \"colour\" (made by a newer crm?)"))
        }
        XCTAssertEqual(try SnapshotJSON.row(["type": "tag", "id": 1, "name": "a"], line: 6).values, [.integer(1), .text("a")])
        XCTAssertEqual(table.columns, ["id", "name"])
    }

    /// A column a later schema step adds must be copied too: every column of
    /// every copied table is in `SnapshotTable.all`, except those the
    /// database derives (sort keys).
    func testTheCopyCoversEveryColumnOfTheSchema() throws {
        let (db, _) = try makeDatabase()
        let derived = SnapshotTable.derivedColumns
        for table in SnapshotTable.all {
            let columns = try db.connection.rows("SELECT name FROM pragma_table_info(?) ORDER BY cid", [table.name]) { $0.string(0) }
            XCTAssertFalse(columns.isEmpty, "no table \(table.name)")
            let missing = columns.filter { !table.columns.contains($0) && !derived.contains("\(table.name).\($0)") }
            XCTAssertEqual(missing, [], """
                \(table.name) has columns the copy does not carry: add them to SnapshotTable.all (or, when the \
                database derives them by trigger, to SnapshotTable.derivedColumns)
                """)
            XCTAssertEqual(table.columns.filter { !columns.contains($0) }, [], "\(table.name): the copy names columns the schema lacks")
        }
        // And every table a user's data lives in is copied.
        let tables = try db.connection.rows("""
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%'
            AND name != 'change_counters' ORDER BY name
            """) { $0.string(0) }.filter { !SnapshotTable.derivedTables.contains($0) }
        XCTAssertEqual(tables, SnapshotTable.all.map(\.name).sorted(),
                       "a table the copy does not carry: add it to SnapshotTable.all after the tables it refers to")
    }
}
