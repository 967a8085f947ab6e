import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// A phone number is found whichever way it is typed: international (+49…),
/// with 00, national with the trunk 0, or any run of its digits; and the list
/// row shows the number that matched. On both engines.
final class PhoneFormatSearchContract {
    let makeStore: () throws -> ContractStore
    private var stores: [ContractStore] = []
    init(makeStore: @escaping () throws -> ContractStore) { self.makeStore = makeStore }

    static let book: [(String, [String])] = [
            ("Anna DE national", ["030 5550000", "0171 9936679"]),
            ("Bernd DE international", ["+49 30 5551111", "+49 171 9936678"]),
            ("Cyrus IR national", ["021 5552222", "0912 345 6789"]),
            ("Dara IR international", ["+98 21 5553333", "+98 912 345 6788"]),
            // Decoys: the same national digits in other countries.
            ("Erika AT", ["+43 171 9936679"]),
            ("Tarik TR", ["+90 912 345 6789"]),
    ]

    /// A file with the same contacts, opened with `region`.
    func database(region: String, file: String = "crm.db") throws -> any CRMRepositories {
        let store = try makeStore()
        stores.append(store)
        store.phoneRegion = PhoneRegion(code: region)
        let db = try store.open("tester")
        for (name, phones) in Self.book {
            _ = try db.contactRepository.create(Contact(name: name, phones: phones.map { PhoneNumber($0) }))
        }
        return db
    }

    func rows(_ db: any CRMRepositories, _ text: String) throws -> [ContactSummary] {
        try db.contactRepository.search(text, filter: .init(), limit: 20)
    }

    func found(_ db: any CRMRepositories, _ text: String) throws -> Set<String> {
        Set(try rows(db, text).map { String($0.name.split(separator: " ")[0]) })
    }

    func germanNumbersInEveryFormWithRegionDE() throws {
        let db = try database(region: "DE")
        // query: (must find, must not find)
        let table: [(String, Set<String>, Set<String>)] = [
            ("+49 171 9936679", ["Anna"], ["Bernd", "Erika"]),
            ("00491719936679", ["Anna"], ["Bernd", "Erika"]),
            ("0049 171 9936679", ["Anna"], ["Bernd", "Erika"]),
            ("01719936679", ["Anna"], ["Bernd", "Erika"]),
            ("0171 993 6678", ["Bernd"], ["Anna", "Erika"]),
            ("+49 171 9936678", ["Bernd"], ["Anna", "Erika"]),
            ("9936679", ["Anna", "Erika"], ["Bernd"]),   // a run of digits: anywhere, any country
            ("0171 99", ["Anna", "Bernd"], ["Erika"]),   // national fragment: Germany only
            ("+49 30", ["Anna", "Bernd"], ["Cyrus", "Dara"]),
            ("030 555", ["Anna", "Bernd"], ["Cyrus", "Dara"]),
            // In DE, 0912… is a German number: the Iranian ones are not it.
            ("09123456789", ["Cyrus"], ["Dara", "Tarik"]),
            ("+989123456789", [], ["Tarik", "Cyrus", "Dara"]),
            ("+98 912 345 6788", ["Dara"], ["Cyrus", "Tarik"]),
            // Typed with a country: that country's numbers only, not 49171
            // somewhere inside another one.
            ("+49 171", ["Anna", "Bernd"], ["Erika", "Spain"]),
            ("+34 91 717", ["Spain"], ["Anna", "Bernd"]),
            ("0049 171 99366", ["Anna", "Bernd"], ["Erika", "Spain"]),
            // "+49 (0)30 …": the (0) is the trunk prefix written for callers in
            // the country; typed so, it finds the number however it was stored,
            // including one stored with its (0).
            ("+49 (0)30 5551111", ["Bernd"], ["Anna", "Cyrus", "Dara"]),
            ("+49 (0)171 9936679", ["Anna"], ["Bernd", "Erika"]),
            ("+49 (0)89 555", ["Vera"], ["Anna", "Bernd"]),
            ("+49 89 555 1234", ["Vera"], ["Anna", "Bernd"]),
            ("0049 (0)89 5551234", ["Vera"], ["Anna", "Bernd"]),
        ]
        _ = try db.contactRepository.create(Contact(name: "Spain", phones: [PhoneNumber("+34 91 717 57 09")]))
        _ = try db.contactRepository.create(Contact(name: "Vera stored with (0)", phones: [PhoneNumber("+49 (0)89 555 1234")]))
        try check(db, table)
    }

    func iranianNumbersInEveryFormWithRegionIR() throws {
        let db = try database(region: "IR")
        let table: [(String, Set<String>, Set<String>)] = [
            ("+989123456789", ["Cyrus"], ["Dara", "Tarik"]),
            ("00989123456789", ["Cyrus"], ["Dara", "Tarik"]),
            ("09123456789", ["Cyrus"], ["Dara", "Tarik"]),
            ("0912 345 6789", ["Cyrus"], ["Dara", "Tarik"]),
            ("۰۹۱۲۳۴۵۶۷۸۹", ["Cyrus"], ["Dara", "Tarik"]),
            ("09123456788", ["Dara"], ["Cyrus", "Tarik"]),
            ("+98 912 345 6788", ["Dara"], ["Cyrus", "Tarik"]),
            ("3456789", ["Cyrus", "Tarik"], ["Dara"]),
            ("021 555", ["Cyrus", "Dara"], ["Anna", "Bernd"]),
            // German numbers typed internationally still find the German ones.
            ("+49 171 9936678", ["Bernd"], ["Anna", "Erika"]),
            ("00491719936678", ["Bernd"], ["Anna", "Erika"]),
            // In IR, 0171… is not German: only the literal digits match.
            ("01719936679", ["Anna"], ["Bernd", "Erika"]),
            ("+49 171 9936679", [], ["Anna", "Erika"]),
        ]
        try check(db, table)
    }

    func check(_ db: any CRMRepositories, _ table: [(String, Set<String>, Set<String>)],
               file: StaticString = #filePath, line: UInt = #line) throws {
        for (query, must, mustNot) in table {
            let got = try found(db, query)
            XCTAssertTrue(must.isSubset(of: got), "\"\(query)\" found \(got.sorted()), missing \(must.subtracting(got).sorted())", file: file, line: line)
            XCTAssertTrue(got.isDisjoint(with: mustNot), "\"\(query)\" found \(got.intersection(mustNot).sorted()) by accident", file: file, line: line)
            XCTAssertEqual(try db.contactRepository.count(filter: ContactFilter(text: query)), got.count, "count of \"\(query)\"", file: file, line: line)
        }
    }

    func theRowShowsThePhoneThatMatchedAsTyped() throws {
        let db = try database(region: "DE")
        let anna = try XCTUnwrap(rows(db, "+49 171 9936679").first)
        XCTAssertEqual(anna.phone, "030 5550000", "the first number stays the first number")
        XCTAssertEqual(anna.matchedPhone, "0171 9936679")
        XCTAssertEqual(anna.shownPhone, "0171 9936679")
        let bernd = try XCTUnwrap(rows(db, "0171 9936678").first)
        XCTAssertEqual(bernd.shownPhone, "+49 171 9936678")
        let byName = try XCTUnwrap(rows(db, "anna").first)
        XCTAssertNil(byName.matchedPhone)
        XCTAssertEqual(byName.shownPhone, "030 5550000")
        // Paging backward (G) says the same.
        let last = try db.contactRepository.list(sort: .name, filter: ContactFilter(text: "0171 99"), cursor: nil, direction: .backward, limit: 5)
        XCTAssertEqual(last.map(\.shownPhone), ["0171 9936679", "+49 171 9936678"])
    }

    func editedNumberIsFoundByItsNewFormOnly() throws {
        let db = try database(region: "DE")
        var anna = try XCTUnwrap(db.contactRepository.get(try XCTUnwrap(rows(db, "anna").first).id))
        anna.phones = [PhoneNumber("0172 1112223")]
        _ = try db.contactRepository.update(anna)
        XCTAssertEqual(try found(db, "+49 172 1112223"), ["Anna"])
        XCTAssertEqual(try found(db, "+49 171 9936679"), [])
    }
}

final class SQLitePhoneFormatSearchTests: XCTestCase {
    func contract() -> PhoneFormatSearchContract { PhoneFormatSearchContract(makeStore: { .sqlite() }) }

    func testGermanNumbersInEveryFormWithRegionDE() throws { try contract().germanNumbersInEveryFormWithRegionDE() }
    func testIranianNumbersInEveryFormWithRegionIR() throws { try contract().iranianNumbersInEveryFormWithRegionIR() }
    func testTheRowShowsThePhoneThatMatchedAsTyped() throws { try contract().theRowShowsThePhoneThatMatchedAsTyped() }
    func testEditedNumberIsFoundByItsNewFormOnly() throws { try contract().editedNumberIsFoundByItsNewFormOnly() }
}

final class PGPhoneFormatSearchTests: XCTestCase {
    func contract() -> PhoneFormatSearchContract { PhoneFormatSearchContract(makeStore: { try .postgres() }) }

    func testGermanNumbersInEveryFormWithRegionDE() throws { try contract().germanNumbersInEveryFormWithRegionDE() }
    func testIranianNumbersInEveryFormWithRegionIR() throws { try contract().iranianNumbersInEveryFormWithRegionIR() }
    func testTheRowShowsThePhoneThatMatchedAsTyped() throws { try contract().theRowShowsThePhoneThatMatchedAsTyped() }
    func testEditedNumberIsFoundByItsNewFormOnly() throws { try contract().editedNumberIsFoundByItsNewFormOnly() }
}
