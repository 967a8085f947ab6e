import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// The Trash view model on a real database: kinds, restore with what went
/// along and its undo, emptying for admins only (with the reason for a rep).
final class TrashModelTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var app: AppModel!
    var dealID: Int64 = 0
    let clock = ManualClock(Date(timeIntervalSince1970: 1_795_176_000))

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-trash-vm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // One fixed second for every deletion: the list's order is then the
        // order of the kinds, whatever the machine's load (a real clock can
        // tick between the two deletes and put the contact first).
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        _ = try db.users.add(login: "omid", name: "Omid", role: .rep)
        let p = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(db.pipelines.stages(pipelineID: p.id).first { $0.kind == .open })
        let deal = try db.deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: "Renewal", value: Money(minorUnits: 1, currency: .eur)))
        dealID = deal.id
        _ = try db.followUps.create(FollowUp(dealID: deal.id, title: "Send the quote", dueAt: clock.now))
        try db.deals.delete(deal.id)
        let c = try db.contacts.create(Contact(name: "Lena"))
        try db.contacts.delete(c.id)
        app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .contacts)
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    var trash: TrashModel? {
        if case .trash(let t)? = app.overlay { return t }
        return nil
    }

    /// A colleague restores a record while the trash is open: the list
    /// follows on the next tick, as the views do.
    func testTheTrashFollowsAColleaguesRestore() throws {
        app.handle(.key(.char("Z")))
        let t = try XCTUnwrap(trash)
        XCTAssertEqual(t.total, 2)
        let omid = try Database(path: folder.appendingPathComponent("crm.db").path, login: "omid", clock: clock)
        let lena = try XCTUnwrap(t.list.rows.first { $0.kind == .contact })
        _ = try omid.trash.restore(.contact, lena.id)
        app.handle(.tick)
        XCTAssertEqual(t.total, 1)
        XCTAssertFalse(t.list.rows.contains { $0.kind == .contact })
    }

    func testZOpensEveryKindAndFFiltersByKind() throws {
        app.handle(.key(.char("Z")))
        let t = try XCTUnwrap(trash)
        // Deleted in the same second: the order of the kinds decides.
        XCTAssertEqual(t.list.rows.map(\.kind), [.deal, .contact])
        XCTAssertEqual(t.total, 2)
        app.handle(.key(.char("f")))
        XCTAssertEqual(t.kind, .contact)
        XCTAssertEqual(t.list.rows.map(\.title), ["Lena"])
        app.handle(.key(.char("f")))
        XCTAssertEqual(t.kind, .company)
        XCTAssertTrue(t.list.isEmpty)
        XCTAssertEqual(t.emptyText, "No company in the trash. f shows another kind.")
        app.handle(.key(.escape))
        XCTAssertNil(app.overlay)
    }

    func testEnterRestoresTheDealWithItsFollowUpAndUPutsItBack() throws {
        app.handle(.key(.char("Z")))
        let t = try XCTUnwrap(trash)
        XCTAssertEqual(t.list.selectedRow?.kind, .deal)
        app.handle(.key(.enter))
        XCTAssertEqual(app.statusMessage?.text, "Restored deal \"Renewal\" with 1 follow-up. u puts it back in the trash.")
        XCTAssertNil(try db.deals.get(dealID)?.deletedAt)
        XCTAssertEqual(try db.followUps.open(dealID: dealID).count, 1)
        XCTAssertEqual(t.list.rows.map(\.kind), [.contact])
        app.handle(.key(.char("u")))
        XCTAssertNotNil(try db.deals.get(dealID)?.deletedAt)
        XCTAssertEqual(try db.followUps.open(dealID: dealID).count, 0)
        XCTAssertEqual(t.list.rows.map(\.kind), [.deal, .contact])
    }

    func testOnlyAnAdminEmptiesTheTrash() throws {
        try db.act(as: "omid")
        app.handle(.key(.char("Z")))
        let t = try XCTUnwrap(trash)
        let empty = try XCTUnwrap(t.keyBindings.first { $0.action == .emptyTrash })
        XCTAssertEqual(empty.disabledReason, "only an admin empties the trash")
        app.handle(.key(.char("X")))
        XCTAssertEqual(try db.trash.count(kind: nil), 2, "nothing purged")

        try db.act(as: "sara")
        app.handle(.key(.char("f")))   // contacts only
        app.handle(.key(.char("X")))
        guard case .confirm(let confirm)? = app.overlay else { return XCTFail("no confirmation") }
        XCTAssertTrue(confirm.question.contains("Remove every contact in the trash (1) for good?"), confirm.question)
        app.handle(.key(.char("y")))
        XCTAssertEqual(try db.trash.count(kind: nil), 1)
        XCTAssertEqual(app.statusMessage?.text, "Purged for good: 1 contact.")
    }

    /// QA 44: on the screen, `X` `y` crashed (the question took the trash
    /// window's place, and the model was gone when `y` came), and so did `u`
    /// for a restore after the trash was closed. Here, as in the program,
    /// nothing but the app holds the model.
    func testEmptyingAndUndoingNeedNobodyElseToHoldTheTrash() throws {
        app.handle(.key(.char("Z")))
        app.handle(.key(.enter))                     // restores the deal
        XCTAssertNil(try db.deals.get(dealID)?.deletedAt)
        app.handle(.key(.escape))
        XCTAssertNil(trash, "closed")
        app.handle(.key(.char("u")))                 // the restore's undo, the window gone
        XCTAssertNotNil(try db.deals.get(dealID)?.deletedAt, "back in the trash")

        app.handle(.key(.char("Z")))
        app.handle(.key(.char("X")))
        app.handle(.key(.char("n")))
        XCTAssertNotNil(trash, "no: the trash comes back")
        XCTAssertEqual(try db.trash.count(kind: nil), 2)
        app.handle(.key(.char("X")))
        app.handle(.key(.char("y")))
        XCTAssertEqual(try db.trash.count(kind: nil), 0)
        XCTAssertEqual(trash?.total, 0, "yes: the trash comes back, empty")
        XCTAssertEqual(trash?.heading, "Trash · all kinds · 0 records, newest first")
    }

    func testTheHeadingNamesTheKindInThePlural() throws {
        app.handle(.key(.char("Z")))
        app.handle(.key(.char("f")))
        app.handle(.key(.char("f")))
        XCTAssertEqual(trash?.heading.hasPrefix("Trash · companies ·"), true, trash?.heading ?? "")
    }
}
