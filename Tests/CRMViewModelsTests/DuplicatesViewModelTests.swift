import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// The Duplicates list (D in Contacts) and its merge screen, driven by keys,
/// headless, on a real database file.
final class DuplicatesViewModelTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-dups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        app = AppModel(repositories: db, clock: ManualClock(Date(timeIntervalSince1970: 1_790_000_000)),
                       timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func press(_ keys: Key...) { for k in keys { app.handle(.key(k)) } }

    var list: DuplicatesModel? {
        if case .duplicates(let model)? = app.overlay { return model }
        return nil
    }

    /// Günter twice at Granite Bau (one with an email and a call, one with a
    /// title), Paula and Paul with one number, and Alpenblick twice.
    @discardableResult
    func seed() throws -> (older: Contact, newer: Contact) {
        let granite = try db.companies.create(Company(name: "Granite Bau"))
        let older = try db.contacts.create(Contact(name: "Günter Müller", companyID: granite.id, emails: [EmailAddress("g@granite.de")]))
        _ = try db.interactions.log(Interaction(contactID: older.id, kind: .call, occurredAt: Date(timeIntervalSince1970: 1_780_000_000)))
        let newer = try db.contacts.create(Contact(name: "Gunter Muller", title: "Einkauf", companyID: granite.id,
                                                   emails: [EmailAddress("gm@home.de")]))
        _ = try db.interactions.log(Interaction(contactID: newer.id, kind: .note, occurredAt: Date(timeIntervalSince1970: 1_781_000_000),
                                                body: "second"))
        _ = try db.contacts.create(Contact(name: "Paula", phones: [PhoneNumber("+49 30 5550101")]))
        _ = try db.contacts.create(Contact(name: "Paul", phones: [PhoneNumber("0049 30 5550101")]))
        _ = try db.companies.create(Company(name: "Alpenblick Travel LLC"))
        _ = try db.companies.create(Company(name: "Alpenblick Travel, LLC"))
        // Edited a minute later.
        try db.connection.run("UPDATE contacts SET updated_at = updated_at + 60 WHERE id = ?", [newer.id])
        return (older, try XCTUnwrap(db.contacts.get(newer.id)))
    }

    func testDOpensTheListStrongestFirstAndCShowsCompanies() throws {
        try seed()
        app.start(in: .contacts)
        XCTAssertNotNil(app.contacts.keyBindings.binding(for: .char("D")))
        press(.char("D"))
        let model = try XCTUnwrap(list)
        XCTAssertEqual(model.list.rows.map { "\($0.first.name)|\($0.second.name)|\($0.reasons.first!.label)" },
                       ["Paula|Paul|same phone", "Günter Müller|Gunter Muller|similar name"])
        press(.char("C"))
        XCTAssertEqual(model.kind, .companies)
        XCTAssertEqual(model.list.rows.map(\.second.name), ["Alpenblick Travel, LLC"])
        press(.escape)
        XCTAssertNil(app.overlay)
    }

    /// G reads only the last page, from the end of the list; k from there
    /// reads the pages before, and every pair is passed once, in order.
    func testGReadsTheLastPageAndUpWalksBackThroughEveryPair() throws {
        let company = try db.companies.create(Company(name: "Granite Bau"))
        for i in 0..<130 {
            // 130 pairs of one address each, two contacts apiece.
            let address = EmailAddress(String(format: "p%03d@granite.example", i))
            try db.contacts.create(Contact(name: "First \(i)", companyID: company.id, emails: [address]))
            try db.contacts.create(Contact(name: "Second \(i)", emails: [address]))
        }
        let all = try db.contacts.duplicatePairs(after: nil, limit: 1000)
        XCTAssertEqual(all.count, 130)
        app.start(in: .contacts)
        press(.char("D"))
        let model = try XCTUnwrap(list)
        press(.char("G"))
        XCTAssertEqual(model.list.selectedRow?.id, all.last?.id)
        XCTAssertLessThanOrEqual(model.list.rows.count, model.pageSize)
        var seen = [model.list.selectedRow?.id]
        for _ in 0..<129 {
            press(.char("k"))
            seen.append(model.list.selectedRow?.id)
        }
        XCTAssertEqual(seen, all.reversed().map(\.id))
        press(.char("G"), .char("g"))
        XCTAssertEqual(model.list.selectedRow?.id, all.first?.id)
    }

    func testMergeFromThePairAndUndoWithU() throws {
        let (older, newer) = try seed()
        app.start(in: .contacts)
        press(.char("D"), .char("j"), .enter)
        let merge = try XCTUnwrap(list?.merge)
        XCTAssertEqual(merge.keepID, older.id)
        XCTAssertEqual(merge.preview.sentence, "1 interaction")
        // Job title: empty on the kept side, so taken from the other.
        XCTAssertEqual(merge.rows.first { $0.field == "title" }?.side, .other)
        // Both set: the more recently edited record's (the newer one).
        XCTAssertEqual(merge.rows.first { $0.field == "name" }?.side, .other)
        press(.char("h"))  // keep the kept record's name
        XCTAssertEqual(merge.rows.first { $0.field == "name" }?.side, .keep)
        XCTAssertEqual(merge.joined.first?.value, "g@granite.de, gm@home.de")
        press(.enter)
        XCTAssertNil(list?.merge, "back on the list")
        XCTAssertEqual(list?.list.rows.count, 1)
        XCTAssertTrue(app.statusMessage?.text.hasPrefix("Merged Gunter Muller (#\(newer.id)) into Günter Müller (#\(older.id))") == true,
                      "\(String(describing: app.statusMessage))")
        let kept = try XCTUnwrap(db.contacts.get(older.id))
        XCTAssertEqual(kept.name, "Günter Müller")
        XCTAssertEqual(kept.title, "Einkauf")
        XCTAssertEqual(kept.emails.map(\.address), ["g@granite.de", "gm@home.de"])
        XCTAssertNotNil(try db.contacts.get(newer.id)?.deletedAt)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM interactions WHERE contact_id = ?", [older.id]), 2)

        press(.char("u"))
        XCTAssertEqual(app.statusMessage?.text, "Undone: merge of Gunter Muller into Günter Müller")
        XCTAssertNil(try db.contacts.get(newer.id)?.deletedAt)
        XCTAssertEqual(try db.contacts.get(older.id)?.title, "")
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM interactions WHERE contact_id = ?", [newer.id]), 1)
        XCTAssertEqual(list?.list.rows.count, 2, "the pair is back in the list")
    }

    func testUndoIsRefusedWithWhoAndWhatWhenAColleagueChangedTheSurvivor() throws {
        let (older, _) = try seed()
        app.start(in: .contacts)
        press(.char("D"), .char("j"), .enter, .enter, .escape)
        let colleague = try Database(path: db.path, login: "omid")
        var edit = try XCTUnwrap(colleague.contacts.get(older.id))
        edit.notes = "called"
        _ = try colleague.contacts.update(edit)
        press(.char("u"))
        XCTAssertEqual(app.statusMessage?.text, "Not undone: omid changed the notes of the contact #\(older.id) since the merge")
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contacts WHERE deleted_at IS NOT NULL"), 1)
    }

    func testAStaleMergeIsRefusedAndTheScreenShowsTheirChange() throws {
        let (_, newer) = try seed()
        app.start(in: .contacts)
        press(.char("D"), .char("j"), .enter)
        let colleague = try Database(path: db.path, login: "omid")
        var edit = try XCTUnwrap(colleague.contacts.get(newer.id))
        edit.source = "fair"
        _ = try colleague.contacts.update(edit)
        press(.enter)
        let when = app.moment(try XCTUnwrap(db.auditTrail(entity: "contact", id: newer.id, limit: 1).first).at)
        XCTAssertEqual(app.statusMessage?.text, "The contact was changed by omid at \(when) (source); your change was not saved")
        let merge = try XCTUnwrap(list?.merge, "the merge screen stays, with the records as they are now")
        XCTAssertEqual(merge.rows.first { $0.field == "source" }?.other, "fair")
        XCTAssertNil(try db.contacts.get(newer.id)?.deletedAt)
    }

    /// A refused merge reads the records again but keeps what was on the
    /// screen (QA 30 #15): the side chosen by hand, and the default of a
    /// field neither record changed, although the colleague's edit made the
    /// other record the newer; only the changed field takes its default.
    func testAStaleMergeKeepsTheChoicesMade() throws {
        let (older, _) = try seed()
        app.start(in: .contacts)
        press(.char("D"), .char("j"), .enter)
        let before = try XCTUnwrap(list?.merge)
        XCTAssertEqual(before.rows.first { $0.field == "name" }?.side, .other, "both set: the newer record's")
        press(.char("j"), .char("h"))  // the kept record's empty job title, by hand
        let colleague = try Database(path: db.path, login: "omid")
        var edit = try XCTUnwrap(colleague.contacts.get(older.id))
        edit.source = "fair"
        _ = try colleague.contacts.update(edit)
        // Their edit makes the kept record the more recently edited one.
        try db.connection.run("UPDATE contacts SET updated_at = updated_at + 600 WHERE id = ?", [older.id])
        press(.enter)
        let merge = try XCTUnwrap(list?.merge)
        XCTAssertEqual(merge.newerSide, .keep)
        XCTAssertFalse(merge === before, "read again")
        XCTAssertEqual(merge.rows.first { $0.field == "source" }?.keep, "fair")
        XCTAssertEqual(merge.rows.first { $0.field == "source" }?.side, .keep, "changed field: its default (only the kept record has one)")
        XCTAssertEqual(merge.rows.first { $0.field == "name" }?.side, .other, "unchanged field: as it was")
        XCTAssertEqual(merge.rows.first { $0.field == "title" }?.side, .keep, "chosen by hand: as chosen")
        XCTAssertEqual(merge.selected, 1, "the selected row stays")
    }

    func testCompaniesMergeFromTheList() throws {
        try seed()
        app.start(in: .contacts)
        press(.char("D"), .char("C"), .enter)
        XCTAssertEqual(list?.merge?.entity, "company")
        press(.char("s"))
        XCTAssertEqual(list?.merge?.keepName, "Alpenblick Travel, LLC")
        press(.enter)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM companies WHERE merged_into IS NOT NULL"), 1)
        XCTAssertEqual(list?.list.rows.count, 0)
    }
}
