import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Merging, written once against the protocols and run on both engines
/// (MergeContractTests): every related record moves, the merged-away record
/// goes to the trash pointing at the survivor, and undo restores both.
struct MergeContract {
    let store: ContractStore

    private struct Fixture {
        let db: any CRMRepositories
        let keep: Contact
        let other: Contact
        let granite: Company
    }

    private func fixture() throws -> Fixture {
        let db = try store.open("tester")
        let granite = try db.companyRepository.create(Company(name: "Granite Bau"))
        var k = Contact(name: "Günter Müller", title: "", companyID: nil)
        k.emails = [EmailAddress("g@granite.de")]
        k.tags = ["vip"]
        let keep = try db.contactRepository.create(k)
        var o = Contact(name: "Gunter Muller", title: "Einkauf", companyID: granite.id)
        o.emails = [EmailAddress("G@granite.de"), EmailAddress("gm@home.de")]
        o.phones = [PhoneNumber("+49 30 1234567")]
        o.tags = ["VIP", "bau"]
        let other = try db.contactRepository.create(o)
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelineRepository.stages(pipelineID: pipeline.id).first)
        for i in 0..<3 {
            _ = try db.interactionRepository.log(Interaction(contactID: other.id, kind: .call, occurredAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(i)),
                                                    subject: "call \(i)"))
        }
        _ = try db.interactionRepository.log(Interaction(contactID: keep.id, kind: .note, occurredAt: Date(timeIntervalSince1970: 1_700_000_000), body: "mine"))
        for title in ["Bagger", "Kran"] {
            _ = try db.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: title,
                                         value: Money(minorUnits: 100, currency: .eur), contactID: other.id))
        }
        _ = try db.followUpRepository.create(FollowUp(contactID: other.id, title: "call back", dueAt: Date(timeIntervalSince1970: 1_900_000_000)))
        return Fixture(db: db, keep: try XCTUnwrap(db.contactRepository.get(keep.id)), other: try XCTUnwrap(db.contactRepository.get(other.id)),
                       granite: granite)
    }

    /// Where every interaction, deal and follow-up points (sorted here: the
    /// engines' text orders differ for punctuation).
    private func snapshot() throws -> [String] {
        try store.texts("""
            SELECT 'i' || id || ':' || coalesce(CAST(contact_id AS text), '-') FROM interactions
            UNION ALL SELECT 'd' || id || ':' || coalesce(CAST(contact_id AS text), '-') FROM deals
            UNION ALL SELECT 'f' || id || ':' || coalesce(CAST(contact_id AS text), '-') FROM follow_ups
            """, []).map { $0 ?? "" }.sorted()
    }

    private func merged(_ f: Fixture) -> Contact {
        let sides = MergeChoice.defaults(keep: f.keep, other: f.other, fields: Contact.mergeFields, updatedAt: \.updatedAt)
        return MergeChoice.merged(keep: f.keep, other: f.other, fields: Contact.mergeFields, sides: sides).joiningDetails(of: f.other)
    }

    func thePreviewCountsWhatMoves() throws {
        let f = try fixture()
        let preview = try f.db.contactRepository.mergePreview(keep: f.keep.id, other: f.other.id)
        XCTAssertEqual(preview.sentence, "3 interactions, 2 deals, 1 open follow-up, 1 company link")
    }

    func mergeMovesEveryRelatedRecordAndUndoRestoresBoth() throws {
        let f = try fixture()
        let before = try snapshot()
        let survivor = merged(f)
        // Empty on the kept side: taken from the other; the details joined.
        XCTAssertEqual(survivor.title, "Einkauf")
        XCTAssertEqual(survivor.companyID, f.granite.id)
        XCTAssertEqual(survivor.emails.map(\.address), ["g@granite.de", "gm@home.de"])
        XCTAssertEqual(survivor.tags, ["vip", "bau"])

        let result = try f.db.contactRepository.merge(into: survivor, other: f.other.id, otherVersion: f.other.version)
        XCTAssertEqual(result.moved.count, 6)
        let kept = try XCTUnwrap(f.db.contactRepository.get(f.keep.id))
        XCTAssertEqual(kept.title, "Einkauf")
        XCTAssertEqual(kept.phones.map(\.number), ["+49 30 1234567"])
        XCTAssertEqual(try store.integer("SELECT count(*) FROM interactions WHERE contact_id = ?", [f.keep.id]), 4)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM deals WHERE contact_id = ?", [f.keep.id]), 2)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM follow_ups WHERE contact_id = ?", [f.keep.id]), 1)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM interactions WHERE contact_id = ?", [f.other.id]), 0)
        let gone = try XCTUnwrap(f.db.contactRepository.get(f.other.id))
        XCTAssertNotNil(gone.deletedAt)
        XCTAssertEqual(try store.integer("SELECT merged_into FROM contacts WHERE id = ?", [f.other.id]), f.keep.id)
        // In the trash as put there by whoever merged it, not by "unknown".
        let entry = try f.db.trashRepository.entries(kind: .contact, after: nil, limit: 10).first { $0.id == f.other.id }
        XCTAssertEqual(entry?.deletedBy, "tester")
        XCTAssertEqual(try f.db.contactRepository.summary(f.keep.id)?.lastInteractionAt, Date(timeIntervalSince1970: 1_800_000_002))
        let trail = try f.db.auditTrail(entity: "contact", id: f.keep.id, limit: 5)
        XCTAssertEqual(trail.first?.action, "merge")
        XCTAssertEqual(try f.db.auditTrail(entity: "contact", id: f.other.id, limit: 1).first?.action, "merge")
        // No longer a pair.
        XCTAssertEqual(try f.db.contactRepository.duplicatePairs(after: nil, limit: 10), [])

        try f.db.contactRepository.undoMerge(result)
        XCTAssertEqual(try snapshot(), before)
        XCTAssertNil(try store.integer("SELECT deleted_by FROM contacts WHERE id = ?", [f.other.id]), "out of the trash")
        let keepBack = try XCTUnwrap(f.db.contactRepository.get(f.keep.id))
        let otherBack = try XCTUnwrap(f.db.contactRepository.get(f.other.id))
        XCTAssertNil(otherBack.deletedAt)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM contacts WHERE merged_into IS NOT NULL"), 0)
        func content(_ c: Contact) -> [String] {
            [c.name, c.title, "\(c.companyID ?? 0)", c.emails.map(\.address).joined(separator: ","),
             c.phones.map(\.number).joined(separator: ","), c.tags.joined(separator: ","), c.notes]
        }
        XCTAssertEqual(content(keepBack), content(f.keep))
        XCTAssertEqual(content(otherBack), content(f.other))
        XCTAssertEqual(try f.db.contactRepository.summary(f.keep.id)?.lastInteractionAt, Date(timeIntervalSince1970: 1_700_000_000))
    }

    func undoIsRefusedWhenAMovedRecordChangedSince() throws {
        let f = try fixture()
        let result = try f.db.contactRepository.merge(into: merged(f), other: f.other.id, otherVersion: f.other.version)
        let deal = try XCTUnwrap(result.moved.first { $0.entity == "deal" })
        var changed = try XCTUnwrap(f.db.dealRepository.get(deal.id))
        changed.title = "Bagger XL"
        _ = try f.db.dealRepository.update(changed)
        XCTAssertThrowsError(try f.db.contactRepository.undoMerge(result)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.entity, "deal")
            XCTAssertEqual(stale.changedBy, "tester")
            XCTAssertEqual(stale.changedFields, ["title"])
        }
        // Nothing of the undo stayed.
        XCTAssertNotNil(try f.db.contactRepository.get(f.other.id)?.deletedAt)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM deals WHERE contact_id = ?", [f.keep.id]), 2)
    }

    func aStaleMergeIsRefusedWithWhoAndWhat() throws {
        let f = try fixture()
        let colleague = try store.open("sara")
        var edit = try XCTUnwrap(colleague.contactRepository.get(f.other.id))
        edit.notes = "called in"
        _ = try colleague.contactRepository.update(edit)
        XCTAssertThrowsError(try f.db.contactRepository.merge(into: merged(f), other: f.other.id, otherVersion: f.other.version)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.changedBy, "sara")
            XCTAssertEqual(stale.changedFields, ["notes"])
        }
        XCTAssertNil(try f.db.contactRepository.get(f.other.id)?.deletedAt)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM deals WHERE contact_id = ?", [f.other.id]), 2)
        XCTAssertThrowsError(try f.db.contactRepository.merge(into: f.keep, other: f.keep.id, otherVersion: f.keep.version))
    }

    /// A colleague saving an edit of the contact merged away meanwhile is
    /// told it was merged, into which contact, by whom, not that it was
    /// deleted (the survivor is where the change belongs).
    func anEditOfAContactMergedAwayNamesTheSurvivor() throws {
        let f = try fixture()
        let colleague = try store.open("sara")
        var edit = try XCTUnwrap(colleague.contactRepository.get(f.other.id))
        _ = try f.db.contactRepository.merge(into: merged(f), other: f.other.id, otherVersion: f.other.version)
        edit.notes = "called in"
        XCTAssertThrowsError(try colleague.contactRepository.update(edit)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.changedBy, "tester")
            XCTAssertEqual(stale.mergedInto, f.keep.id)
            XCTAssertEqual(stale.description,
                           "The contact was merged into contact #\(f.keep.id) by tester meanwhile; your change was not saved (make it there)")
        }
    }

    func companiesMergeTheirContactsDealsAndInteractionsAndUndo() throws {
        let db = try store.open("tester")
        let a = try db.companyRepository.create(Company(name: "Alpenblick Travel LLC", domain: "alpenblick.example"))
        let b = try db.companyRepository.create(Company(name: "Alpenblick Travel, LLC", phone: "+41 44 123 45 67"))
        let c1 = try db.contactRepository.create(Contact(name: "Heidi", companyID: b.id))
        _ = try db.contactRepository.create(Contact(name: "Peter", companyID: a.id))
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelineRepository.stages(pipelineID: pipeline.id).first)
        _ = try db.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Reise", value: Money(minorUnits: 1, currency: .eur),
                                     companyID: b.id))
        _ = try db.interactionRepository.log(Interaction(companyID: b.id, kind: .meeting, subject: "Besuch"))
        XCTAssertEqual(try db.companyRepository.mergePreview(keep: a.id, other: b.id).sentence, "1 contact, 1 interaction, 1 deal")

        let sides = MergeChoice.defaults(keep: a, other: b, fields: Company.mergeFields, updatedAt: \.updatedAt)
        let survivor = MergeChoice.merged(keep: a, other: b, fields: Company.mergeFields, sides: sides).joiningNotes(of: b)
        XCTAssertEqual(survivor.phone, "+41 44 123 45 67")
        XCTAssertEqual(survivor.domain, "alpenblick.example")
        let result = try db.companyRepository.merge(into: survivor, other: b.id, otherVersion: b.version)
        XCTAssertEqual(try db.contactRepository.get(c1.id)?.companyID, a.id)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM deals WHERE company_id = ?", [a.id]), 1)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM interactions WHERE company_id = ?", [a.id]), 1)
        XCTAssertEqual(try store.integer("SELECT merged_into FROM companies WHERE id = ?", [b.id]), a.id)
        XCTAssertEqual(try db.companyRepository.get(a.id)?.phone, "+41 44 123 45 67")

        try db.companyRepository.undoMerge(result)
        XCTAssertEqual(try db.contactRepository.get(c1.id)?.companyID, b.id)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM deals WHERE company_id = ?", [b.id]), 1)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM interactions WHERE company_id = ?", [b.id]), 1)
        XCTAssertNil(try db.companyRepository.get(b.id)?.deletedAt)
        XCTAssertEqual(try db.companyRepository.get(a.id)?.phone, "")
    }

    /// QA 27 #5: the trash says where a merged-away contact went and does
    /// not restore it alone (an empty copy, and the merge could then never be
    /// taken back); the merge's undo still works afterwards.
    func theTrashNamesWhereAMergedContactWentAndDoesNotRestoreItAlone() throws {
        let f = try fixture()
        let result = try f.db.contactRepository.merge(into: merged(f), other: f.other.id, otherVersion: f.other.version)
        // The name kept depends on which record was changed last (the merge's defaults).
        let survivor = try XCTUnwrap(try f.db.contactRepository.get(f.keep.id)).name
        let entry = try XCTUnwrap(try f.db.trashRepository.entries(kind: .contact, after: nil, limit: 5).first)
        XCTAssertEqual(entry.id, f.other.id)
        XCTAssertEqual(entry.detail, "merged into #\(f.keep.id)")
        XCTAssertThrowsError(try f.db.contactRepository.restore(f.other.id)) { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .mergedAway)
            XCTAssertEqual("\(error)", """
                Contact \(f.other.id) ("Gunter Muller") was merged into contact \(f.keep.id) ("\(survivor)"), \
                which holds its history, deals and follow-ups: restored alone it would be an empty copy. Only u right \
                after the merge, on the screen that made it, takes a merge back (one by crm merge cannot be)
                """)
        }
        XCTAssertEqual(try store.integer("SELECT count(*) FROM contacts WHERE merged_into IS NOT NULL AND deleted_at IS NOT NULL"), 1)
        try f.db.contactRepository.undoMerge(result)
        XCTAssertNil(try f.db.contactRepository.get(f.other.id)?.deletedAt)
        XCTAssertEqual(try store.integer("SELECT count(*) FROM contacts WHERE merged_into IS NOT NULL"), 0)
    }
}

/// The merge contract on a SQLite file per test.
final class SQLiteMergeContractTests: XCTestCase {
    func contract() throws -> MergeContract { MergeContract(store: .sqlite()) }

    func testThePreviewCountsWhatMoves() throws { try contract().thePreviewCountsWhatMoves() }
    func testMergeMovesEveryRelatedRecordAndUndoRestoresBoth() throws { try contract().mergeMovesEveryRelatedRecordAndUndoRestoresBoth() }
    func testUndoIsRefusedWhenAMovedRecordChangedSince() throws { try contract().undoIsRefusedWhenAMovedRecordChangedSince() }
    func testAStaleMergeIsRefusedWithWhoAndWhat() throws { try contract().aStaleMergeIsRefusedWithWhoAndWhat() }
    func testAnEditOfAContactMergedAwayNamesTheSurvivor() throws { try contract().anEditOfAContactMergedAwayNamesTheSurvivor() }
    func testCompaniesMergeTheirContactsDealsAndInteractionsAndUndo() throws { try contract().companiesMergeTheirContactsDealsAndInteractionsAndUndo() }
    func testTheTrashNamesWhereAMergedContactWentAndDoesNotRestoreItAlone() throws { try contract().theTrashNamesWhereAMergedContactWentAndDoesNotRestoreItAlone() }
}

/// The same contract on a fresh PostgreSQL database per test.
final class PGMergeContractTests: XCTestCase {
    func contract() throws -> MergeContract { MergeContract(store: try .postgres()) }

    func testThePreviewCountsWhatMoves() throws { try contract().thePreviewCountsWhatMoves() }
    func testMergeMovesEveryRelatedRecordAndUndoRestoresBoth() throws { try contract().mergeMovesEveryRelatedRecordAndUndoRestoresBoth() }
    func testUndoIsRefusedWhenAMovedRecordChangedSince() throws { try contract().undoIsRefusedWhenAMovedRecordChangedSince() }
    func testAStaleMergeIsRefusedWithWhoAndWhat() throws { try contract().aStaleMergeIsRefusedWithWhoAndWhat() }
    func testAnEditOfAContactMergedAwayNamesTheSurvivor() throws { try contract().anEditOfAContactMergedAwayNamesTheSurvivor() }
    func testCompaniesMergeTheirContactsDealsAndInteractionsAndUndo() throws { try contract().companiesMergeTheirContactsDealsAndInteractionsAndUndo() }
    func testTheTrashNamesWhereAMergedContactWentAndDoesNotRestoreItAlone() throws { try contract().theTrashNamesWhereAMergedContactWentAndDoesNotRestoreItAlone() }
}
