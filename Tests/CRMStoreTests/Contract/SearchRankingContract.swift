import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// A search lists the best matches first: the exact name, names that begin
/// with the query, names with the query's words inside, then the contacts
/// found in another field; each rank in the list's sort order, paged by key
/// across the ranks, and each row says what it matched.
final class SearchRankingContract {
    let store: ContractStore
    var db: any CRMRepositories

    init(store: ContractStore) throws {
        self.store = store
        db = try store.open("tester")
    }


    @discardableResult
    func contact(_ name: String, company: String? = nil, email: String? = nil, phone: String? = nil, title: String = "",
                 tags: [String] = [], notes: String = "") throws -> Contact {
        let companyID = try company.map { try db.companyRepository.create(Company(name: $0)).id }
        return try db.contactRepository.create(Contact(name: name, title: title, companyID: companyID,
                                              emails: email.map { [EmailAddress($0)] } ?? [],
                                              phones: phone.map { [PhoneNumber($0)] } ?? [], tags: tags, notes: notes))
    }

    /// Contacts each matching "anna" in one way, added in no useful order.
    func makeAnnas() throws {
        try contact("Dora Note", notes: "Called back.\nShe asked about Anna's order for the spring fair.")
        try contact("Zora Annan")
        try contact("Annabelle Zorn")
        try contact("Bob Example", email: "anna.office@example.com")
        try contact("Anna Schmidt")
        try contact("Carl Test", company: "Annaberg GmbH")
        try contact("anna")
        try contact("Anna")
        try contact("Eve Title", title: "Assistant to Anna")
        try contact("Fritz Tag", tags: ["annasclub"])
        try contact("Aaron Aardvark", notes: "nothing to see")
    }

    static let annaOrder = ["Anna", "anna", "Anna Schmidt", "Annabelle Zorn", "Zora Annan",
                            "Bob Example", "Carl Test", "Dora Note", "Eve Title", "Fritz Tag"]

    func bestMatchesFirstAndEachRowSaysWhatMatched() throws {
        try makeAnnas()
        let rows = try db.contactRepository.search("anna", filter: ContactFilter(), limit: 100)
        XCTAssertEqual(rows.map(\.name), Self.annaOrder)
        XCTAssertEqual(rows.map { $0.match?.rank }, [.exactName, .exactName, .namePrefix, .namePrefix, .nameWords]
                       + Array(repeating: .otherField, count: 5))
        let found = Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0.match) })
        XCTAssertEqual(found["Anna Schmidt"]??.field, .name)
        XCTAssertEqual(found["Bob Example"]??.field, .email)
        XCTAssertEqual(found["Bob Example"]??.text, "anna.office@example.com")
        XCTAssertEqual(found["Carl Test"]??.field, .company)
        XCTAssertEqual(found["Carl Test"]??.text, "Annaberg GmbH")
        XCTAssertEqual(found["Dora Note"]??.field, .note)
        XCTAssertEqual(found["Eve Title"]??.field, .title)
        XCTAssertEqual(found["Fritz Tag"]??.field, .tag)
        XCTAssertEqual(found["Fritz Tag"]??.text, "annasclub")
    }

    func everyPageSizeGivesTheSameOrderBothWaysAndEveryRowKnowsItsPlace() throws {
        try makeAnnas()
        let filter = ContactFilter(text: "anna")
        XCTAssertEqual(try db.contactRepository.count(filter: filter), 10)
        XCTAssertEqual(try db.contactRepository.count(filter: filter, upTo: 4), ListCount(4, isExact: false))
        XCTAssertEqual(try db.contactRepository.count(filter: filter, upTo: 10), ListCount(10))
        for size in [1, 2, 3, 4, 7] {
            var forward: [ContactSummary] = []
            var cursor: ContactCursor?
            while true {
                let page = try db.contactRepository.list(sort: .name, filter: filter, cursor: cursor, direction: .forward, limit: size)
                forward += page
                guard page.count == size, let last = page.last else { break }
                cursor = last.cursor(for: .name)
            }
            XCTAssertEqual(forward.map(\.name), Self.annaOrder, "page size \(size)")
            // From the end (G), then back page by page.
            var backward: [ContactSummary] = []
            cursor = nil
            while true {
                let page = try db.contactRepository.list(sort: .name, filter: filter, cursor: cursor, direction: .backward, limit: size)
                backward = page + backward
                guard page.count == size, let first = page.first else { break }
                cursor = first.cursor(for: .name)
            }
            XCTAssertEqual(backward.map(\.name), Self.annaOrder, "page size \(size), backwards")
        }
        let all = try db.contactRepository.search("anna", filter: ContactFilter(), limit: 100)
        for (index, row) in all.enumerated() {
            XCTAssertEqual(try db.contactRepository.countBefore(sort: .name, filter: filter, cursor: row.cursor(for: .name)), index, row.name)
        }
    }

    func otherSortsOrderWithinEachRank() throws {
        try makeAnnas()
        // Most recently contacted first within a rank: Zorn before Schmidt, Carl before Bob.
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        for (name, hoursAgo) in [("Annabelle Zorn", 1.0), ("Anna Schmidt", 5.0), ("Carl Test", 2.0), ("Bob Example", 3.0)] {
            let id = try XCTUnwrap(try db.contactRepository.search(name, filter: ContactFilter(), limit: 1).first?.id)
            _ = try db.interactionRepository.log(Interaction(contactID: id, kind: .call, occurredAt: at.addingTimeInterval(-hoursAgo * 3600)))
        }
        let filter = ContactFilter(text: "anna")
        let rows = try db.contactRepository.list(sort: .lastInteraction, filter: filter, cursor: nil, direction: .forward, limit: 100)
        let names = rows.map(\.name)
        XCTAssertEqual(Array(names.prefix(5)).sorted(), ["Anna", "Anna Schmidt", "Annabelle Zorn", "Zora Annan", "anna"])
        XCTAssertLessThan(try XCTUnwrap(names.firstIndex(of: "Annabelle Zorn")), try XCTUnwrap(names.firstIndex(of: "Anna Schmidt")))
        XCTAssertLessThan(try XCTUnwrap(names.firstIndex(of: "Anna")), try XCTUnwrap(names.firstIndex(of: "Anna Schmidt")),
                          "the exact name before the prefixes, whatever the sort")
        XCTAssertEqual(Array(names.prefix(2)).sorted(), ["Anna", "anna"])
        XCTAssertEqual(names[5], "Carl Test")
        XCTAssertEqual(names[6], "Bob Example")
        // Paged one by one, the same rows.
        var paged: [String] = []
        var cursor: ContactCursor?
        while let row = try db.contactRepository.list(sort: .lastInteraction, filter: filter, cursor: cursor, direction: .forward, limit: 1).first {
            paged.append(row.name)
            cursor = row.cursor(for: .lastInteraction)
        }
        XCTAssertEqual(paged, names)
    }

    func persianAndArabicFormsRankTheExactNameFirst() throws {
        try contact("رضا کریمی", notes: "همکار علی کریمی")
        try contact("علی کریمی‌زاده")
        try contact("علی کریمی")
        try contact("حسن علوی", company: "کریمی و شرکا")
        // Typed with Arabic ي and ك.
        let rows = try db.contactRepository.search("علي كريمي", filter: ContactFilter(), limit: 10)
        XCTAssertEqual(rows.map(\.name), ["علی کریمی", "علی کریمی‌زاده", "رضا کریمی"])
        XCTAssertEqual(rows.map { $0.match?.rank }, [.exactName, .namePrefix, .otherField])
        XCTAssertEqual(rows.last?.match?.field, .note)
        let family = try db.contactRepository.search("كريمي", filter: ContactFilter(), limit: 10)
        XCTAssertEqual(family.map(\.name), ["رضا کریمی", "علی کریمی", "علی کریمی‌زاده", "حسن علوی"])
        XCTAssertEqual(family.last?.match?.field, .company)
    }

    func aPhoneSearchSaysTheNumberAndChineseNamesRankByTheirRun() throws {
        store.phoneRegion = PhoneRegion(code: "DE")
        db = try store.open("tester")
        try contact("Günter Müller", phone: "0171 9936679")
        try contact("李秀英")
        try contact("王伟", notes: "李秀英的同事")
        try contact("秀英 Ltd contact")
        let phone = try db.contactRepository.search("+49 171 9936679", filter: ContactFilter(), limit: 10)
        XCTAssertEqual(phone.map(\.name), ["Günter Müller"])
        XCTAssertEqual(phone.first?.match, ContactMatch(rank: .otherField, field: .phone, text: "0171 9936679"))
        let cjk = try db.contactRepository.search("秀英", filter: ContactFilter(), limit: 10)
        XCTAssertEqual(cjk.map(\.name), ["秀英 Ltd contact", "李秀英", "王伟"])
        XCTAssertEqual(cjk.map { $0.match?.rank }, [.namePrefix, .nameWords, .otherField])
        XCTAssertEqual(cjk.last?.match?.field, .note)
    }

    /// More hits than `indexedSparseHits` in a rank: its pages are read along the
    /// sort's index; the ranks and the places stay the same.
    func aBroadRankPagesAlongTheIndex() throws {
        let many = SQLiteContactRepository.indexedSparseHits + 100
        // SQLite's bulk loader: this check runs on SQLite only (PostgreSQL's
        // search pages along its own indexes; see PGSearchSchemaTests).
        let loader = BulkLoader(database: try XCTUnwrap(db as? Database))
        try loader.load { loader in
            for i in 0..<many {
                _ = try loader.insert(Contact(name: String(format: "Person %05d", i), notes: "met at the wide fair"))
            }
            _ = try loader.insert(Contact(name: "Wide Open"))
            _ = try loader.insert(Contact(name: "Zed Wideman"))
        }
        let filter = ContactFilter(text: "wide")
        XCTAssertEqual(try db.contactRepository.count(filter: filter), many + 2)
        let first = try db.contactRepository.list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: 3)
        XCTAssertEqual(first.map(\.name), ["Wide Open", "Zed Wideman", "Person 00000"])
        let last = try db.contactRepository.list(sort: .name, filter: filter, cursor: nil, direction: .backward, limit: 2)
        XCTAssertEqual(last.map(\.name), [String(format: "Person %05d", many - 2), String(format: "Person %05d", many - 1)])
        XCTAssertEqual(last.last?.match?.field, .note)
        XCTAssertEqual(try db.contactRepository.countBefore(sort: .name, filter: filter, cursor: try XCTUnwrap(last.first).cursor(for: .name)), many)
        let back = try db.contactRepository.list(sort: .name, filter: filter, cursor: try XCTUnwrap(first.last).cursor(for: .name),
                                        direction: .backward, limit: 5)
        XCTAssertEqual(back.map(\.name), ["Wide Open", "Zed Wideman"])
    }
}

final class SQLiteSearchRankingTests: XCTestCase {
    func contract() throws -> SearchRankingContract { try SearchRankingContract(store: .sqlite()) }

    func testBestMatchesFirstAndEachRowSaysWhatMatched() throws { try contract().bestMatchesFirstAndEachRowSaysWhatMatched() }
    func testEveryPageSizeGivesTheSameOrderBothWaysAndEveryRowKnowsItsPlace() throws { try contract().everyPageSizeGivesTheSameOrderBothWaysAndEveryRowKnowsItsPlace() }
    func testOtherSortsOrderWithinEachRank() throws { try contract().otherSortsOrderWithinEachRank() }
    func testPersianAndArabicFormsRankTheExactNameFirst() throws { try contract().persianAndArabicFormsRankTheExactNameFirst() }
    func testAPhoneSearchSaysTheNumberAndChineseNamesRankByTheirRun() throws { try contract().aPhoneSearchSaysTheNumberAndChineseNamesRankByTheirRun() }
    func testABroadRankPagesAlongTheIndex() throws { try contract().aBroadRankPagesAlongTheIndex() }
}

final class PGSearchRankingTests: XCTestCase {
    func contract() throws -> SearchRankingContract { try SearchRankingContract(store: try .postgres()) }

    func testBestMatchesFirstAndEachRowSaysWhatMatched() throws { try contract().bestMatchesFirstAndEachRowSaysWhatMatched() }
    func testEveryPageSizeGivesTheSameOrderBothWaysAndEveryRowKnowsItsPlace() throws { try contract().everyPageSizeGivesTheSameOrderBothWaysAndEveryRowKnowsItsPlace() }
    func testOtherSortsOrderWithinEachRank() throws { try contract().otherSortsOrderWithinEachRank() }
    func testPersianAndArabicFormsRankTheExactNameFirst() throws { try contract().persianAndArabicFormsRankTheExactNameFirst() }
    func testAPhoneSearchSaysTheNumberAndChineseNamesRankByTheirRun() throws { try contract().aPhoneSearchSaysTheNumberAndChineseNamesRankByTheirRun() }
}

