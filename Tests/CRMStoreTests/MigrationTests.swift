import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

final class MigrationTests: XCTestCase {
    func testNewDatabaseIsMigratedToLatestVersionWithWAL() throws {
        let (db, folder) = try makeDatabase()
        XCTAssertEqual(db.schemaVersion, Database.supportedSchemaVersion)
        XCTAssertEqual(try db.connection.text("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try db.connection.scalar("PRAGMA foreign_keys"), 1)
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path("crm.db"))[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testReopenIsIdempotentAndKeepsData() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        do {
            let db = try Database(path: path, login: "a")
            _ = try db.contacts.create(.init(name: "Ada"))
        }
        let again = try Database(path: path, login: "a")
        XCTAssertEqual(again.schemaVersion, Database.supportedSchemaVersion)
        XCTAssertEqual(try again.contacts.count(filter: .init()), 1)
        XCTAssertEqual(try again.users.all().map(\.login), ["a"])
    }

    func testDatabaseFromNewerBinaryIsRefusedAndLeftAlone() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        do {
            let db = try Database(path: path)
            try db.connection.execute("PRAGMA user_version = 99")
        }
        XCTAssertThrowsError(try Database(path: path)) { error in
            guard case RepositoryError.schemaTooNew(let found, let supported, _) = error else {
                return XCTFail("expected schemaTooNew, got \(error)")
            }
            XCTAssertEqual(found, 99)
            XCTAssertEqual(supported, Database.supportedSchemaVersion)
            XCTAssertTrue("\(error)".contains("newer crm"))
        }
        let c = try Connection(path: path)
        XCTAssertEqual(try c.scalar("PRAGMA user_version"), 99)
    }

    func testFolderIsCreatedPrivate() throws {
        let folder = TempFolder()
        let path = folder.path("nested/deeper/crm.db")
        _ = try Database(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path("nested/deeper"))[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o700)
    }
}

/// Version 6 cancels the open follow-ups of deals deleted before a deal's
/// delete took its follow-ups with it.
final class OrphanFollowUpMigrationTests: XCTestCase {
    func testFollowUpsOfDealsDeletedEarlierAreCancelledOnUpgrade() throws {
        let folder = TempFolder()
        let path = folder.path("old.db")
        do {
            let db = try Database(path: path, login: "sara")
            let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
            let stage = try db.pipelines.stages(pipelineID: pipeline.id)[0]
            let gone = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Gone", value: .zero(.eur)))
            let kept = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Kept", value: .zero(.eur)))
            _ = try db.followUps.create(FollowUp(dealID: gone.id, title: "About a deleted deal", dueAt: Date()))
            _ = try db.followUps.create(FollowUp(dealID: kept.id, title: "About a live deal", dueAt: Date()))
            // As a version-5 crm deleted deals: the deal alone.
            try db.connection.run("UPDATE deals SET deleted_at = 1 WHERE id = ?", [gone.id])
            try db.connection.execute("UPDATE follow_ups SET status = 'open'; PRAGMA user_version = 5")
        }
        let db = try Database(path: path, login: "sara")
        XCTAssertEqual(db.schemaVersion, 6)
        XCTAssertEqual(try db.followUps.due(from: nil, to: nil, assigneeID: nil, limit: 10).map(\.followUp.title), ["About a live deal"])
    }
}
