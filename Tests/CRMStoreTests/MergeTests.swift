import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Merging on real SQLite: every related record moves, the merged-away
/// record goes to the trash pointing at the survivor, and undo restores both.
final class MergeTests: XCTestCase {
    private struct Fixture {
        let db: Database
        let folder: TempFolder
        let keep: Contact
        let other: Contact
        let granite: Company
    }

    private func fixture() throws -> Fixture {
        let (db, folder) = try makeDatabase()
        let granite = try db.companies.create(Company(name: "Granite Bau"))
        var k = Contact(name: "Günter Müller", title: "", companyID: nil)
        k.emails = [EmailAddress("g@granite.de")]
        k.tags = ["vip"]
        let keep = try db.contacts.create(k)
        var o = Contact(name: "Gunter Muller", title: "Einkauf", companyID: granite.id)
        o.emails = [EmailAddress("G@granite.de"), EmailAddress("gm@home.de")]
        o.phones = [PhoneNumber("+49 30 1234567")]
        o.tags = ["VIP", "bau"]
        let other = try db.contacts.create(o)
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelines.stages(pipelineID: pipeline.id).first)
        for i in 0..<3 {
            _ = try db.interactions.log(Interaction(contactID: other.id, kind: .call, occurredAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(i)),
                                                    subject: "call \(i)"))
        }
        _ = try db.interactions.log(Interaction(contactID: keep.id, kind: .note, occurredAt: Date(timeIntervalSince1970: 1_700_000_000), body: "mine"))
        for title in ["Bagger", "Kran"] {
            _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: title,
                                         value: Money(minorUnits: 100, currency: .eur), contactID: other.id))
        }
        _ = try db.followUps.create(FollowUp(contactID: other.id, title: "call back", dueAt: Date(timeIntervalSince1970: 1_900_000_000)))
        return Fixture(db: db, folder: folder, keep: try XCTUnwrap(db.contacts.get(keep.id)), other: try XCTUnwrap(db.contacts.get(other.id)),
                       granite: granite)
    }

    private func snapshot(_ db: Database) throws -> [String] {
        try db.connection.rows("""
            SELECT 'i' || id || ':' || coalesce(contact_id, '-') FROM interactions
            UNION ALL SELECT 'd' || id || ':' || coalesce(contact_id, '-') FROM deals
            UNION ALL SELECT 'f' || id || ':' || coalesce(contact_id, '-') FROM follow_ups
            ORDER BY 1
            """) { $0.string(0) }
    }

    private func merged(_ f: Fixture) -> Contact {
        let sides = MergeChoice.defaults(keep: f.keep, other: f.other, fields: Contact.mergeFields, updatedAt: \.updatedAt)
        return MergeChoice.merged(keep: f.keep, other: f.other, fields: Contact.mergeFields, sides: sides).joiningDetails(of: f.other)
    }

    func testThePreviewCountsWhatMoves() throws {
        let f = try fixture(); _ = f.folder
        let preview = try f.db.contacts.mergePreview(keep: f.keep.id, other: f.other.id)
        XCTAssertEqual(preview.sentence, "3 interactions, 2 deals, 1 open follow-up, 1 company link")
    }

    func testMergeMovesEveryRelatedRecordAndUndoRestoresBoth() throws {
        let f = try fixture(); _ = f.folder
        let before = try snapshot(f.db)
        let survivor = merged(f)
        // Empty on the kept side: taken from the other; the details joined.
        XCTAssertEqual(survivor.title, "Einkauf")
        XCTAssertEqual(survivor.companyID, f.granite.id)
        XCTAssertEqual(survivor.emails.map(\.address), ["g@granite.de", "gm@home.de"])
        XCTAssertEqual(survivor.tags, ["vip", "bau"])

        let result = try f.db.contacts.merge(into: survivor, other: f.other.id, otherVersion: f.other.version)
        XCTAssertEqual(result.moved.count, 6)
        let kept = try XCTUnwrap(f.db.contacts.get(f.keep.id))
        XCTAssertEqual(kept.title, "Einkauf")
        XCTAssertEqual(kept.phones.map(\.number), ["+49 30 1234567"])
        XCTAssertEqual(try f.db.connection.scalar("SELECT count(*) FROM interactions WHERE contact_id = ?", [f.keep.id]), 4)
        XCTAssertEqual(try f.db.connection.scalar("SELECT count(*) FROM deals WHERE contact_id = ?", [f.keep.id]), 2)
        XCTAssertEqual(try f.db.connection.scalar("SELECT count(*) FROM follow_ups WHERE contact_id = ?", [f.keep.id]), 1)
        XCTAssertEqual(try f.db.connection.scalar("SELECT count(*) FROM interactions WHERE contact_id = ?", [f.other.id]), 0)
        let gone = try XCTUnwrap(f.db.contacts.get(f.other.id))
        XCTAssertNotNil(gone.deletedAt)
        XCTAssertEqual(try f.db.connection.scalar("SELECT merged_into FROM contacts WHERE id = ?", [f.other.id]), f.keep.id)
        XCTAssertEqual(try f.db.connection.scalar("SELECT last_interaction_at FROM contacts WHERE id = ?", [f.keep.id]), 1_800_000_002)
        let trail = try f.db.auditTrail(entity: "contact", id: f.keep.id, limit: 5)
        XCTAssertEqual(trail.first?.action, "merge")
        XCTAssertEqual(try f.db.auditTrail(entity: "contact", id: f.other.id, limit: 1).first?.action, "merge")
        // No longer a pair.
        XCTAssertEqual(try f.db.contacts.duplicatePairs(after: nil, limit: 10), [])

        try f.db.contacts.undoMerge(result)
        XCTAssertEqual(try snapshot(f.db), before)
        let keepBack = try XCTUnwrap(f.db.contacts.get(f.keep.id))
        let otherBack = try XCTUnwrap(f.db.contacts.get(f.other.id))
        XCTAssertNil(otherBack.deletedAt)
        XCTAssertEqual(try f.db.connection.scalar("SELECT count(*) FROM contacts WHERE merged_into IS NOT NULL"), 0)
        func content(_ c: Contact) -> [String] {
            [c.name, c.title, "\(c.companyID ?? 0)", c.emails.map(\.address).joined(separator: ","),
             c.phones.map(\.number).joined(separator: ","), c.tags.joined(separator: ","), c.notes]
        }
        XCTAssertEqual(content(keepBack), content(f.keep))
        XCTAssertEqual(content(otherBack), content(f.other))
        XCTAssertEqual(try f.db.connection.scalar("SELECT last_interaction_at FROM contacts WHERE id = ?", [f.keep.id]), 1_700_000_000)
    }

    func testUndoIsRefusedWhenAMovedRecordChangedSince() throws {
        let f = try fixture(); _ = f.folder
        let result = try f.db.contacts.merge(into: merged(f), other: f.other.id, otherVersion: f.other.version)
        let deal = try XCTUnwrap(result.moved.first { $0.entity == "deal" })
        var changed = try XCTUnwrap(f.db.deals.get(deal.id))
        changed.title = "Bagger XL"
        _ = try f.db.deals.update(changed)
        XCTAssertThrowsError(try f.db.contacts.undoMerge(result)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.entity, "deal")
            XCTAssertEqual(stale.changedBy, "tester")
            XCTAssertEqual(stale.changedFields, ["title"])
        }
        // Nothing of the undo stayed.
        XCTAssertNotNil(try f.db.contacts.get(f.other.id)?.deletedAt)
        XCTAssertEqual(try f.db.connection.scalar("SELECT count(*) FROM deals WHERE contact_id = ?", [f.keep.id]), 2)
    }

    func testAStaleMergeIsRefusedWithWhoAndWhat() throws {
        let f = try fixture(); _ = f.folder
        let colleague = try Database(path: f.db.path, login: "sara")
        var edit = try XCTUnwrap(colleague.contacts.get(f.other.id))
        edit.notes = "called in"
        _ = try colleague.contacts.update(edit)
        XCTAssertThrowsError(try f.db.contacts.merge(into: merged(f), other: f.other.id, otherVersion: f.other.version)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.changedBy, "sara")
            XCTAssertEqual(stale.changedFields, ["notes"])
        }
        XCTAssertNil(try f.db.contacts.get(f.other.id)?.deletedAt)
        XCTAssertEqual(try f.db.connection.scalar("SELECT count(*) FROM deals WHERE contact_id = ?", [f.other.id]), 2)
        XCTAssertThrowsError(try f.db.contacts.merge(into: f.keep, other: f.keep.id, otherVersion: f.keep.version))
    }

    func testCompaniesMergeTheirContactsDealsAndInteractionsAndUndo() throws {
        let (db, folder) = try makeDatabase(); _ = folder
        let a = try db.companies.create(Company(name: "Alpenblick Travel LLC", domain: "alpenblick.example"))
        let b = try db.companies.create(Company(name: "Alpenblick Travel, LLC", phone: "+41 44 123 45 67"))
        let c1 = try db.contacts.create(Contact(name: "Heidi", companyID: b.id))
        _ = try db.contacts.create(Contact(name: "Peter", companyID: a.id))
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelines.stages(pipelineID: pipeline.id).first)
        _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Reise", value: Money(minorUnits: 1, currency: .eur),
                                     companyID: b.id))
        _ = try db.interactions.log(Interaction(companyID: b.id, kind: .meeting, subject: "Besuch"))
        XCTAssertEqual(try db.companies.mergePreview(keep: a.id, other: b.id).sentence, "1 contact, 1 interaction, 1 deal")

        let sides = MergeChoice.defaults(keep: a, other: b, fields: Company.mergeFields, updatedAt: \.updatedAt)
        let survivor = MergeChoice.merged(keep: a, other: b, fields: Company.mergeFields, sides: sides)
        XCTAssertEqual(survivor.phone, "+41 44 123 45 67")
        XCTAssertEqual(survivor.domain, "alpenblick.example")
        let result = try db.companies.merge(into: survivor, other: b.id, otherVersion: b.version)
        XCTAssertEqual(try db.contacts.get(c1.id)?.companyID, a.id)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM deals WHERE company_id = ?", [a.id]), 1)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM interactions WHERE company_id = ?", [a.id]), 1)
        XCTAssertEqual(try db.connection.scalar("SELECT merged_into FROM companies WHERE id = ?", [b.id]), a.id)
        XCTAssertEqual(try db.companies.get(a.id)?.phone, "+41 44 123 45 67")

        try db.companies.undoMerge(result)
        XCTAssertEqual(try db.contacts.get(c1.id)?.companyID, b.id)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM deals WHERE company_id = ?", [b.id]), 1)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM interactions WHERE company_id = ?", [b.id]), 1)
        XCTAssertNil(try db.companies.get(b.id)?.deletedAt)
        XCTAssertEqual(try db.companies.get(a.id)?.phone, "")
    }

    func testRestoredFromTheTrashTheMergedContactPointsNowhereAndUndoIsRefused() throws {
        let f = try fixture(); _ = f.folder
        let result = try f.db.contacts.merge(into: merged(f), other: f.other.id, otherVersion: f.other.version)
        try f.db.contacts.restore(f.other.id)
        XCTAssertEqual(try f.db.connection.scalar("SELECT count(*) FROM contacts WHERE merged_into IS NOT NULL"), 0)
        XCTAssertThrowsError(try f.db.contacts.undoMerge(result)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.id, f.other.id)
        }
    }
}
