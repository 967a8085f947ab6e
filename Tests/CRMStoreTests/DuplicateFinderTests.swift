import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The duplicate finder on real SQLite files: each reason, the folding it
/// promises, the list's order and paging.
final class DuplicateFinderTests: XCTestCase {
    private func makeGermanDatabase() throws -> (Database, TempFolder) {
        let folder = TempFolder()
        return (try Database(path: folder.path("crm.db"), login: "tester", phoneRegion: PhoneRegion(code: "DE")), folder)
    }

    @discardableResult
    private func contact(_ db: Database, _ name: String, company: Int64? = nil, emails: [String] = [],
                         phones: [String] = []) throws -> Contact {
        var c = Contact(name: name, companyID: company)
        c.emails = emails.map { EmailAddress($0) }
        c.phones = phones.map { PhoneNumber($0) }
        return try db.contacts.create(c)
    }

    func testTheSameEmailIgnoringCase() throws {
        let (db, _folder) = try makeGermanDatabase(); _ = _folder
        let granite = try db.companies.create(Company(name: "Granite Bau"))
        let existing = try contact(db, "Günter Müller", company: granite.id, emails: ["Guenter.Mueller@Granite-Bau.de"])
        let matches = try db.contacts.possibleDuplicates(
            of: DuplicateProbe(name: "G. Mueller", emails: ["guenter.mueller@granite-bau.de"]), limit: 5)
        XCTAssertEqual(matches.map(\.id), [existing.id])
        XCTAssertEqual(matches.first?.reasons, [.sameEmail("Guenter.Mueller@Granite-Bau.de")])
        XCTAssertEqual(matches.first?.sentence, "Günter Müller · Granite Bau (same email)")
    }

    func testThePhoneInPlus49And0049AndNationalForm() throws {
        let (db, _folder) = try makeGermanDatabase(); _ = _folder
        let a = try contact(db, "Anna Schmidt", phones: ["+49 171 9936679"])
        let b = try contact(db, "Bernd Vogel", phones: ["0049 (171) 993-6679"])
        let c = try contact(db, "Clara Weiß", phones: ["0171 9936679"])
        try contact(db, "Dora Nix", phones: ["0171 9936670"])
        for typed in ["+49 171 9936679", "0049 171 9936679", "0171/9936679"] {
            let matches = try db.contacts.possibleDuplicates(of: DuplicateProbe(name: "Someone", phones: [typed]), limit: 10)
            XCTAssertEqual(Set(matches.map(\.id)), [a.id, b.id, c.id], typed)
            XCTAssertTrue(matches.allSatisfy { $0.strength == .phone }, typed)
        }
        // Too short a number says nothing.
        XCTAssertEqual(try db.contacts.possibleDuplicates(of: DuplicateProbe(name: "x", phones: ["112"]), limit: 10), [])
    }

    func testASimilarNameAtTheSameCompanyOnly() throws {
        let (db, _folder) = try makeGermanDatabase(); _ = _folder
        let granite = try db.companies.create(Company(name: "Granite Bau"))
        let other = try db.companies.create(Company(name: "Orion Consulting"))
        let same = try contact(db, "Günter Müller", company: granite.id)
        try contact(db, "Günter Müller", company: other.id)
        try contact(db, "Günter Müller")
        let matches = try db.contacts.possibleDuplicates(
            of: DuplicateProbe(name: "MÜLLER, gunter", companyID: granite.id), limit: 10)
        XCTAssertEqual(matches.map(\.id), [same.id])
        XCTAssertEqual(matches.first?.reasons, [.similarName(company: "Granite Bau")])
        // An import names the company instead: folded the same, it counts.
        let byName = try db.contacts.possibleDuplicates(
            of: DuplicateProbe(name: "Gunter Muller", companyName: "GRANITE  bau"), limit: 10)
        XCTAssertEqual(byName.map(\.id), [same.id])
    }

    func testPersianAndArabicLetterFormsFold() throws {
        let (db, _folder) = try makeGermanDatabase(); _ = _folder
        let company = try db.companies.create(Company(name: "شرکت نمونه"))
        // Stored with the Persian yeh and keheh, typed with the Arabic forms.
        let stored = try contact(db, "علی کریمی", company: company.id)
        let matches = try db.contacts.possibleDuplicates(
            of: DuplicateProbe(name: "علي كريمي", companyID: company.id), limit: 5)
        XCTAssertEqual(matches.map(\.id), [stored.id])
        XCTAssertEqual(DuplicateKey.name("علی‌کریمی"), DuplicateKey.name("علیکریمی"))
    }

    func testStrongestFirstAndTheEditedContactIsNoDuplicateOfItself() throws {
        let (db, _folder) = try makeGermanDatabase(); _ = _folder
        let granite = try db.companies.create(Company(name: "Granite Bau"))
        let byName = try contact(db, "Günter Müller", company: granite.id)
        let byPhone = try contact(db, "G. M.", phones: ["030 1234567"])
        let byEmail = try contact(db, "Guenter", emails: ["gm@granite.de"])
        let probe = DuplicateProbe(name: "Günter Müller", companyID: granite.id, emails: ["GM@granite.de"],
                                   phones: ["+49 30 1234567"])
        XCTAssertEqual(try db.contacts.possibleDuplicates(of: probe, limit: 10).map(\.id), [byEmail.id, byPhone.id, byName.id])
        XCTAssertEqual(try db.contacts.possibleDuplicates(of: probe, limit: 2).map(\.id), [byEmail.id, byPhone.id])
        var editing = probe
        editing.excludingContactID = byEmail.id
        XCTAssertEqual(try db.contacts.possibleDuplicates(of: editing, limit: 10).map(\.id), [byPhone.id, byName.id])
        // A deleted contact is no duplicate.
        try db.contacts.delete(byPhone.id)
        XCTAssertEqual(try db.contacts.possibleDuplicates(of: probe, limit: 10).map(\.id), [byEmail.id, byName.id])
    }

    func testTheListHasEachPairOnceStrongestFirstAndPages() throws {
        let (db, _folder) = try makeGermanDatabase(); _ = _folder
        let granite = try db.companies.create(Company(name: "Granite Bau"))
        // Three Günters at one company, two of them also sharing an address.
        let g1 = try contact(db, "Günter Müller", company: granite.id, emails: ["g@granite.de", "G2@granite.de"])
        let g2 = try contact(db, "Gunter Muller", company: granite.id, emails: ["G@Granite.de", "g2@granite.de"])
        let g3 = try contact(db, "MÜLLER Günter", company: granite.id)
        let p1 = try contact(db, "Paula", phones: ["+49 30 555 0101"])
        let p2 = try contact(db, "Paul", phones: ["030 5550101"])
        try contact(db, "Nobody", emails: ["n@x.de"], phones: ["040 999999"])

        let all = try db.contacts.duplicatePairs(after: nil, limit: 100)
        XCTAssertEqual(all.map { [$0.first.id, $0.second.id] }, [[g1.id, g2.id], [p1.id, p2.id], [g1.id, g3.id]])
        XCTAssertEqual(all[0].strength, .email)
        XCTAssertEqual(all[0].reasons, [.sameEmail("G2@granite.de"), .sameEmail("g@granite.de"), .similarName(company: "Granite Bau")])
        XCTAssertEqual(all[1].reasons, [.samePhone("+49 30 555 0101")])
        XCTAssertEqual(all[2].reasons, [.similarName(company: "Granite Bau")])

        // One at a time: the same pairs, in the same order.
        var paged: [DuplicatePair] = []
        var cursor: DuplicateCursor?
        while true {
            let page = try db.contacts.duplicatePairs(after: cursor, limit: 1)
            guard let pair = page.first else { break }
            paged.append(pair)
            cursor = pair.cursor
            XCTAssertLessThan(paged.count, 10)
        }
        XCTAssertEqual(paged.map(\.id), all.map(\.id))

        // Backwards from the end, one at a time and all at once: the same list.
        var back: [DuplicatePair] = []
        var end: DuplicateCursor?
        while true {
            let page = try db.contacts.duplicatePairs(before: end, limit: 1)
            guard let pair = page.first else { break }
            back.insert(pair, at: 0)
            end = pair.cursor
            XCTAssertLessThan(back.count, 10)
        }
        XCTAssertEqual(back.map(\.id), all.map(\.id))
        XCTAssertEqual(try db.contacts.duplicatePairs(before: nil, limit: 2).map(\.id), all.suffix(2).map(\.id))
        XCTAssertEqual(try db.contacts.duplicatePairs(before: nil, limit: 100).map(\.reasons), all.map(\.reasons))
    }

    func testAGroupOfManyGivesPairsWithItsOldestAndPagesInsideTheGroup() throws {
        let (db, _folder) = try makeGermanDatabase(); _ = _folder
        let alpen = try db.companies.create(Company(name: "Alpenblick Travel LLC"))
        var ids: [Int64] = []
        for _ in 0..<5 { ids.append(try contact(db, "Günter Müller", company: alpen.id).id) }
        let first = try db.contacts.duplicatePairs(after: nil, limit: 3)
        XCTAssertEqual(first.map(\.second.id), Array(ids[1...3]))
        XCTAssertTrue(first.allSatisfy { $0.first.id == ids[0] })
        let rest = try db.contacts.duplicatePairs(after: first.last?.cursor, limit: 3)
        XCTAssertEqual(rest.map(\.second.id), [ids[4]])
        // From the end: inside the group too, in the list's order.
        let last = try db.contacts.duplicatePairs(before: nil, limit: 3)
        XCTAssertEqual(last.map(\.second.id), Array(ids[2...4]))
        let before = try db.contacts.duplicatePairs(before: last.first?.cursor, limit: 3)
        XCTAssertEqual(before.map(\.second.id), [ids[1]])
    }

    func testCompaniesBySameDomainThenFoldedName() throws {
        let (db, _folder) = try makeGermanDatabase(); _ = _folder
        let a = try db.companies.create(Company(name: "Alpenblick Travel LLC", domain: "alpenblick.example"))
        let b = try db.companies.create(Company(name: "Alpenblick Travel, LLC", domain: "Alpenblick.example"))
        let c = try db.companies.create(Company(name: "ALPENBLICK travel llc"))
        try db.companies.create(Company(name: "Alpenblick Maschinenbau"))
        let pairs = try db.companies.duplicatePairs(after: nil, limit: 10)
        XCTAssertEqual(pairs.map { [$0.first.id, $0.second.id] }, [[a.id, b.id], [a.id, c.id]])
        XCTAssertEqual(pairs[0].reasons, [.sameDomain("alpenblick.example"), .similarName(company: nil)])
        XCTAssertEqual(pairs[1].reasons, [.similarName(company: nil)])
        XCTAssertEqual(try db.companies.duplicatePairs(before: nil, limit: 10).map(\.id), pairs.map(\.id))
        XCTAssertEqual(try db.companies.duplicatePairs(before: pairs[1].cursor, limit: 10).map(\.id), [pairs[0].id])
    }

    func testRenamesKeepTheKeyAndOtherWritersAreKeyedByTheTrigger() throws {
        let (db, _folder) = try makeGermanDatabase(); _ = _folder
        var x = try contact(db, "Anna Berg")
        x.name = "Ånna  BERG"
        x = try db.contacts.update(x)
        XCTAssertEqual(try db.connection.first("SELECT name_key FROM contacts WHERE id = ?", [x.id]) { $0.string(0) }, "anna berg")
        try db.connection.run("INSERT INTO contacts(name, created_at, updated_at) VALUES ('Zoë Ünal', 0, 0)")
        XCTAssertEqual(try db.connection.first("SELECT name_key FROM contacts WHERE name = 'Zoë Ünal'") { $0.string(0) }, "unal zoe")
    }

    func testANationalNumberFoundOnceTheRegionGivesItsInternationalForm() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        let stored: Int64
        do {
            let db = try Database(path: path, login: "tester")
            stored = try db.contacts.create(Contact(name: "Anna", phones: [PhoneNumber("0171 9936679")])).id
            // Without a region the national number is compared on its digits.
            XCTAssertEqual(try db.contacts.possibleDuplicates(of: DuplicateProbe(name: "x", phones: ["+49 171 9936679"]), limit: 5), [])
        }
        // PhoneE164Fill writes its international form; the trigger keeps the key in step.
        let db = try Database(path: path, login: "tester", phoneRegion: PhoneRegion(code: "DE"))
        XCTAssertEqual(try db.contacts.possibleDuplicates(of: DuplicateProbe(name: "x", phones: ["+49 171 9936679"]), limit: 5).map(\.id),
                       [stored])
    }

    func testTheUpgradeKeysRowsWrittenBefore() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        do {
            let db = try Database(path: path, login: "tester")
            let co = try db.companies.create(Company(name: "Granite Bau"))
            _ = try db.contacts.create(Contact(name: "Günter Müller", companyID: co.id, phones: [PhoneNumber("+49 30 1234567")]))
            _ = try db.contacts.create(Contact(name: "Gunter Muller", companyID: co.id, phones: [PhoneNumber("0049 30 1234567")]))
            try rewindSchema(db.connection, to: 11)
            XCTAssertFalse(try db.connection.scalar("SELECT count(*) FROM pragma_table_info('contacts') WHERE name = 'name_key'") == 1)
        }
        let db = try Database(path: path, login: "tester")
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contacts WHERE name_key = 'gunter muller'"), 2)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contact_phones WHERE match_key = '49301234567'"), 2)
        let pairs = try db.contacts.duplicatePairs(after: nil, limit: 5)
        XCTAssertEqual(pairs.first?.reasons, [.samePhone("+49 30 1234567"), .similarName(company: "Granite Bau")])
        // A file read as it is at schema 11 finds none, and says why.
        try rewindSchema(db.connection, to: 11)
        try Database.reading(path) { old in
            XCTAssertThrowsError(try old.contacts.duplicatePairs(after: nil, limit: 5)) { error in
                XCTAssertTrue("\(error)".contains("schema 13"), "\(error)")
            }
        }
    }
}
