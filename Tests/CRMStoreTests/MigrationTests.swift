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
            try db.connection.execute("UPDATE follow_ups SET status = 'open'")
            try rewindSchema(db.connection, to: 5)
        }
        let db = try Database(path: path, login: "sara")
        XCTAssertEqual(db.schemaVersion, Database.supportedSchemaVersion)
        XCTAssertEqual(try db.followUps.due(from: nil, to: nil, assigneeID: nil, limit: 10).map(\.followUp.title), ["About a live deal"])
    }
}

/// Version 7 keeps the amounts of deals whose currency's minor unit ISO 4217
/// gives differently from what crm assumed before.
final class CurrencyMinorUnitMigrationTests: XCTestCase {
    func testAmountsStayTheSameWhenTheMinorUnitChanges() throws {
        let folder = TempFolder()
        let path = folder.path("old.db")
        var ids: [String: Int64] = [:]
        do {
            let db = try Database(path: path, login: "sara")
            let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
            let stage = try db.pipelines.stages(pipelineID: pipeline.id)[0]
            for code in ["IRR", "RWF", "CLF", "EUR"] {
                ids[code] = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: code, value: .zero(.eur))).id
            }
            // As a version-6 crm stored them: 1,500,000 rial as 1500000 (0
            // decimals), 12,345.00 francs as 1234500, 1.50 UF as 150, 99.99 EUR.
            for (code, minor) in [("IRR", 1_500_000), ("RWF", 1_234_500), ("CLF", 150), ("EUR", 9_999)] {
                try db.connection.run("UPDATE deals SET currency = ?, value_minor = ? WHERE id = ?", [code, minor, ids[code]!])
            }
            try rewindSchema(db.connection, to: 6)
        }
        let db = try Database(path: path, login: "sara")
        XCTAssertEqual(db.schemaVersion, Database.supportedSchemaVersion)
        func value(_ code: String) throws -> Money? { try db.deals.get(ids[code]!)?.value }
        XCTAssertEqual(try value("IRR")?.minorUnits, 150_000_000, "1,500,000.00 rial")
        XCTAssertEqual(try value("RWF")?.minorUnits, 12_345, "12,345 francs")
        XCTAssertEqual(try value("CLF")?.minorUnits, 15_000, "1.5000 UF")
        XCTAssertEqual(try value("EUR")?.minorUnits, 9_999, "untouched")
    }
}

/// Text written by hand where a number belongs reads as out of range, never
/// as 1 Jan 1970 or a zero-length call.
final class HandWrittenValueTests: XCTestCase {
    func testTextInADateOrDurationColumnReadsAsOutOfRange() throws {
        let (db, _folder) = try makeDatabase()
        _ = _folder
        let c = try db.contacts.create(Contact(name: "Ada"))
        let f = try db.followUps.create(FollowUp(contactID: c.id, title: "Call back", dueAt: Date()))
        let i = try db.interactions.log(Interaction(contactID: c.id, kind: .call, occurredAt: Date(), durationSeconds: 60))
        try db.connection.run("UPDATE follow_ups SET due_at = 'abc' WHERE id = ?", [f.id])
        try db.connection.run("UPDATE interactions SET duration_s = 'abc' WHERE id = ?", [i.id])
        let due = try XCTUnwrap(db.followUps.get(f.id)?.dueAt)
        XCTAssertFalse(DateLimits.shown.contains(due), "\(due)")
        XCTAssertEqual(try db.interactions.get(i.id)?.durationSeconds, -1, "shown as a duration out of range")
    }
}
