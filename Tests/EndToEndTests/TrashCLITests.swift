import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm trash list|restore|purge`, the real binary as a script runs it.
extension CLITests {
    /// A database whose admin is "ana" and rep "rita"; a deal with two
    /// follow-ups deleted 100 days ago, a contact deleted just now.
    private func seedTrash() throws -> (dbPath: String, deal: Int64, contact: Int64) {
        let dbPath = path("trash.db")
        let old = ManualClock(Date().addingTimeInterval(-100 * 86_400))
        let db = try Database(path: dbPath, login: "ana", clock: old)
        _ = try db.users.add(login: "rita", name: "Rita", role: .rep)
        let p = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(db.pipelines.stages(pipelineID: p.id).first { $0.kind == .open })
        let deal = try db.deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: "Old \u{1b}[31mdeal",
                                            value: Money(minorUnits: 500_00, currency: .eur)))
        _ = try db.followUps.create(FollowUp(dealID: deal.id, title: "chase", dueAt: old.now))
        _ = try db.followUps.create(FollowUp(dealID: deal.id, title: "send contract", dueAt: old.now))
        try db.deals.delete(deal.id)
        let now = try Database(path: dbPath, login: "rita")
        let contact = try now.contacts.create(Contact(name: "Lena Vogel"))
        try now.contacts.delete(contact.id)
        return (dbPath, deal.id, contact.id)
    }

    private func writeSettings(_ text: String) throws {
        let config = folder.appendingPathComponent(".config/crm")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try text.write(to: config.appendingPathComponent("settings"), atomically: true, encoding: .utf8)
    }

    func testTrashListIsReadOnlyFiltersByKindAndEscapes() throws {
        let (dbPath, deal, contact) = try seedTrash()
        let before = try Data(contentsOf: URL(fileURLWithPath: dbPath))
        let text = try crm("trash", "list", "--db", dbPath)
        XCTAssertEqual(text.status, 0, text.err)
        let lines = text.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, text.out)
        XCTAssertTrue(lines[0].hasPrefix("contact \(contact)\tLena Vogel\tdeleted "), text.out)
        XCTAssertTrue(lines[0].hasSuffix(" by rita"), text.out)
        XCTAssertTrue(lines[1].hasPrefix("deal \(deal)\tOld ␛[31mdeal\t"), text.out)
        XCTAssertTrue(lines[1].hasSuffix("by ana  (+2 with it)"), text.out)
        XCTAssertFalse(text.out.contains("\u{1b}"))

        let json = try crm("trash", "list", "--kind", "deal", "--json", "--db", dbPath)
        XCTAssertEqual(json.status, 0, json.err)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["kind"] as? String, "deal")
        XCTAssertEqual(rows[0]["deleted_by"] as? String, "ana")
        XCTAssertEqual(rows[0]["dependents"] as? Int, 2)
        XCTAssertEqual(rows[0]["title"] as? String, "Old \u{1b}[31mdeal")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dbPath)), before, "list changes nothing")

        let bad = try crm("trash", "list", "--kind", "pipeline", "--db", dbPath)
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.err.contains("--kind is \"pipeline\"; expected one of contact, company, deal, followup, interaction"), bad.err)
    }

    func testTrashRestoreBringsTheDealBackWithItsFollowUps() throws {
        let (dbPath, deal, _) = try seedTrash()
        let restored = try crm("trash", "restore", "deal", "\(deal)", "--user", "rita", "--db", dbPath)
        XCTAssertEqual(restored.status, 0, restored.err)
        XCTAssertEqual(restored.out, "Restored deal \"Old ␛[31mdeal\" with 2 follow-ups.\n")
        let db = try Database(path: dbPath, mode: .read)
        XCTAssertNil(try db.deals.get(deal)?.deletedAt)
        XCTAssertEqual(try db.followUps.open(dealID: deal).count, 2)
        XCTAssertEqual(try db.auditTrail(entity: "deal", id: deal, limit: 1).first?.userLogin, "rita")

        let again = try crm("trash", "restore", "deal", "\(deal)", "--db", dbPath, "--user", "rita")
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.err.contains("is not in the trash: nothing to restore"), again.err)
        let missing = try crm("trash", "restore", "company", "77", "--db", dbPath, "--user", "rita")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("There is no company 77"), missing.err)
        XCTAssertEqual(try crm("trash", "restore", "deal", "--db", dbPath).status, 64)
        XCTAssertEqual(try crm("trash", "restore", "deal", "x1", "--db", dbPath).status, 64)
    }

    func testTrashPurgeIsForAdminsAndKeepsWhatIsRecent() throws {
        let (dbPath, deal, contact) = try seedTrash()
        let refused = try crm("trash", "purge", "--all", "--user", "rita", "--db", dbPath)
        XCTAssertEqual(refused.status, 77)
        XCTAssertEqual(refused.err.split(separator: "\n").first.map(String.init) ?? "", "crm: Only an admin empties the trash; you are rita, a rep. Nothing was purged")

        let noRetention = try crm("trash", "purge", "--user", "ana", "--db", dbPath)
        XCTAssertEqual(noRetention.status, 64)
        XCTAssertTrue(noRetention.err.contains("no retention set"), noRetention.err)

        try writeSettings("trash_days = 90\n")
        let purged = try crm("trash", "purge", "--user", "ana", "--db", dbPath)
        XCTAssertEqual(purged.status, 0, purged.err)
        XCTAssertEqual(purged.out, "Purged for good: 1 deal, 2 follow-ups.\n")
        let db = try Database(path: dbPath, mode: .read)
        XCTAssertNil(try db.deals.get(deal))
        XCTAssertNotNil(try db.contacts.get(contact)?.deletedAt, "deleted today: kept")
        XCTAssertEqual(try db.auditTrail(entity: "trash", id: 0, limit: 5).map(\.action), ["purge"])

        let emptied = try crm("trash", "purge", "--all", "--kind", "contact", "--user", "ana", "--db", dbPath)
        XCTAssertEqual(emptied.out, "Purged for good: 1 contact.\n")
        XCTAssertEqual(try crm("trash", "list", "--db", dbPath).out, "The trash is empty.\n")
        XCTAssertEqual(try crm("trash", "purge", "--all", "--older-than", "3", "--db", dbPath).status, 64)
    }
}
