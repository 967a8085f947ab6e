import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Search edge cases found by QA, on real SQLite files: digit runs taken
/// literally, text without letters or digits matching nothing on every
/// screen's query, FTS5 syntax typed by the user taken as text, and results
/// that page and count past any limit.
final class SearchEdgeCaseContract {
    let store: ContractStore
    var db: any CRMRepositories

    init(store: ContractStore) throws {
        self.store = store
        db = try store.open("tester")
    }


    func names(_ text: String, filter: ContactFilter = .init()) throws -> [String] {
        try db.contactRepository.search(text, filter: filter, limit: 1000).map(\.name)
    }

    func count(_ text: String) throws -> Int {
        try db.contactRepository.count(filter: ContactFilter(text: text))
    }

    @discardableResult
    func contact(_ name: String, phones: [String] = [], notes: String = "") throws -> Contact {
        try db.contactRepository.create(Contact(name: name, phones: phones.map { PhoneNumber($0) }, notes: notes))
    }

    // MARK: digits

    func makePhoneBook() throws {
        try contact("Anna Frankfurt", phones: ["+49 69 1234-5678"])       // 496912345678
        try contact("Bruno Berlin", phones: ["030 0069 777"])             // 0300069777
        try contact("Carla Chicago", phones: ["555 000 1234"])            // 5550001234
        try contact("Dario Denver", phones: ["(212) 000-0009"])           // 2120000009
        try contact("Emil Elsewhere", phones: ["0800 100 200"])           // 0800100200
        try contact("Greta Gdansk", phones: ["0049 30 555 1234"])         // typed with 00: stored 49305551234
    }

    func threeZerosFindEveryNumberContainingThem() throws {
        try makePhoneBook()
        XCTAssertEqual(try names("000"), ["Bruno Berlin", "Carla Chicago", "Dario Denver"])
        XCTAssertEqual(try count("000"), 3)
        XCTAssertEqual(try names("0000"), ["Dario Denver"])
    }

    func leadingZerosAreKept() throws {
        try makePhoneBook()
        XCTAssertEqual(try names("69"), ["Anna Frankfurt", "Bruno Berlin"])
        XCTAssertEqual(try names("0069"), ["Bruno Berlin"], "0069 is not 69")
        XCTAssertEqual(try names("00 69"), ["Bruno Berlin"])
        XCTAssertEqual(try names("0049"), [], "a short 00… is digits, not an international prefix")
        XCTAssertEqual(try names("0800"), ["Emil Elsewhere"])
    }

    func doubleZeroWithEightDigitsAfterItIsTheInternationalPrefix() throws {
        try makePhoneBook()
        XCTAssertEqual(try names("0049 69 1234 5678"), ["Anna Frankfurt"], "finds the number stored as +49 …")
        XCTAssertEqual(try names("0049 69 1234"), ["Anna Frankfurt"], "eight digits after 00")
        XCTAssertEqual(try names("0049 69 123"), [], "seven digits after 00: literal, and no number contains 004969123")
        XCTAssertEqual(try names("0049305551234"), ["Greta Gdansk"], "typed with 00, found with 00")
        XCTAssertEqual(try names("+49 30 555"), ["Greta Gdansk"], "typed with 00, found with +")
        XCTAssertEqual(try names("+49 69"), ["Anna Frankfurt"])
    }

    func digitsOfOtherScriptsAreDigits() throws {
        try makePhoneBook()
        XCTAssertEqual(try names("۰۰۰"), ["Bruno Berlin", "Carla Chicago", "Dario Denver"], "Persian zeros")
        XCTAssertEqual(try names("٠٠٦٩"), ["Bruno Berlin"], "Arabic-Indic, leading zeros kept")
    }

    // MARK: no letters or digits

    func textWithoutLettersOrDigitsMatchesNothing() throws {
        for i in 0..<5 { try contact("Person \(i)", phones: ["555 000 12\(i)"]) }
        for text in ["😀", "[", "--", "%_", "*", "(", "\"", "!?", "+ - ( )", "👍🏽 🎉"] {
            XCTAssertEqual(try names(text), [], "\(text) listed contacts")
            XCTAssertEqual(try count(text), 0, text)
            XCTAssertEqual(try db.contactRepository.count(filter: ContactFilter(text: text), upTo: 10), ListCount(0), text)
            XCTAssertEqual(try db.companyRepository.search(text, limit: 10).count, 0, text)
        }
        XCTAssertEqual(try names("").count, 5, "no text at all is no search: everything")
        XCTAssertEqual(try names("😀 person").count, 5, "the words with letters count, the others are ignored")
    }

    func boardAndTimelineSearchesWithoutLettersOrDigitsMatchNothing() throws {
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelineRepository.stages(pipelineID: pipeline.id).first)
        _ = try db.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Big -- deal", value: Money(minorUnits: 100, currency: .eur)))
        let ada = try contact("Ada Lovelace")
        _ = try db.interactionRepository.log(Interaction(contactID: ada.id, kind: .note, body: "[draft] 😀 -- notes"))
        for text in ["😀", "[", "--", "%_"] {
            XCTAssertEqual(try db.dealRepository.cards(stageID: stage.id, filter: DealFilter(text: text), after: nil, limit: 10).count, 0, text)
            XCTAssertEqual(try db.dealRepository.stageTotals(stageID: stage.id, filter: DealFilter(text: text)).count, 0, text)
            XCTAssertEqual(try db.interactionRepository.timeline(.all(TimelineFilter(text: text)), before: nil, limit: 10).count, 0, text)
        }
        XCTAssertEqual(try db.dealRepository.cards(stageID: stage.id, filter: DealFilter(text: "big"), after: nil, limit: 10).count, 1)
        XCTAssertEqual(try db.interactionRepository.timeline(.all(TimelineFilter(text: "draft")), before: nil, limit: 10).count, 1)
    }

    // MARK: FTS5 syntax is text

    func fTSSyntaxTypedByTheUserIsText() throws {
        try contact("Orla Near")
        try contact("Col Abcott")
        try contact("Ann Orr Baker")
        try contact("Xavier Minus")
        try contact("Ada Lovelace")
        let cases: [(String, [String])] = [
            ("NEAR(", ["Orla Near"]),
            ("near(orla", []),                      // the phrase "near orla": not in that order
            ("NEAR( orla", ["Orla Near"]),
            ("col:abc", ["Col Abcott"]),            // not a column filter: the words col, abc…
            ("name:ada", []),                       // no contact has the words "name ada"
            ("a OR b", ["Ann Orr Baker"]),          // a…, or…, b…: all three words
            ("ada OR orla", []),
            ("-x", ["Xavier Minus"]),
            ("x*", ["Xavier Minus"]),
            ("\"orla", ["Orla Near"]),
            ("orla\"", ["Orla Near"]),
            ("\"orla near\"", ["Orla Near"]),
            ("(ada)", ["Ada Lovelace"]),
            ("ada)", ["Ada Lovelace"]),
            ("^ada", ["Ada Lovelace"]),
            ("ada + love", ["Ada Lovelace"]),
            ("%_ada", ["Ada Lovelace"]),
            ("NOT ada", []),
            ("ada AND", []),
            ("{col} : abc", ["Col Abcott"]),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try names(text), expected, text)
            XCTAssertEqual(try count(text), expected.count, text)
            XCTAssertNoThrow(try db.companyRepository.search(text, limit: 5), text)
            XCTAssertNoThrow(try db.interactionRepository.timeline(.all(TimelineFilter(text: text)), before: nil, limit: 5), text)
        }
    }

    /// Every pair of FTS5 operators, quotes and odd characters, typed one
    /// after the other: never an error on any search, never everything.
    func noCombinationOfSyntaxIsAnError() throws {
        try contact("Orla Near", phones: ["555 000 1234"])
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelineRepository.stages(pipelineID: pipeline.id).first)
        let pieces = ["\"", "\"\"", "*", "(", ")", ":", "^", "-", "+", "NEAR", "NEAR(", "OR", "AND", "NOT", "col:", "{a b}",
                      "%", "_", "\\", "'", "orla", "00", "5", "😀", "\u{301}", "\u{0}", "\t", "ß"]
        for a in pieces {
            for b in pieces {
                for text in [a + b, a + " " + b] {
                    let filter = ContactFilter(text: text)
                    XCTAssertNoThrow(try db.contactRepository.list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: 5), text)
                    XCTAssertNoThrow(try db.contactRepository.count(filter: filter, upTo: 5), text)
                    XCTAssertNoThrow(try db.companyRepository.search(text, limit: 5), text)
                    XCTAssertNoThrow(try db.dealRepository.cards(stageID: stage.id, filter: DealFilter(text: text), after: nil, limit: 5), text)
                    XCTAssertNoThrow(try db.interactionRepository.timeline(.all(TimelineFilter(text: text)), before: nil, limit: 5), text)
                    // (Blanks alone are no search at all: the whole list.)
                    if !SearchText.hasTerms(text), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        XCTAssertEqual(try db.contactRepository.count(filter: filter), 0, text)
                    }
                }
            }
        }
    }

    func interactionTextIsTheTimelinesSearchNotTheContactList() throws {
        let ada = try contact("Ada Lovelace", notes: "Met at the analytical society")
        _ = try db.interactionRepository.log(Interaction(contactID: ada.id, kind: .note, body: "Asked about the difference engine"))
        XCTAssertEqual(try names("analytical"), ["Ada Lovelace"], "the contact's own notes")
        XCTAssertEqual(try names("difference"), [], "a note on the timeline is found in the timeline")
        XCTAssertEqual(try db.interactionRepository.timeline(.all(TimelineFilter(text: "difference")), before: nil, limit: 5).map(\.contactName),
                       ["Ada Lovelace"])
    }

    // MARK: counting and paging past any limit

    /// 310 contacts that "person" finds, among 90 it does not.
    func makeMany(matching: Int = 310, others: Int = 90) throws {
        try db.transaction {
            for i in 0..<matching { _ = try db.contactRepository.create(Contact(name: String(format: "Person %04d", i))) }
            for i in 0..<others { _ = try db.contactRepository.create(Contact(name: String(format: "Other %04d", i))) }
        }
    }

    /// Every row `filter` finds, page by page with keyset cursors, forward.
    func pageThrough(_ filter: ContactFilter, sort: ContactSort = .name, pageSize: Int = 50) throws -> [ContactSummary] {
        var seen: [ContactSummary] = []
        var cursor: ContactCursor?
        while true {
            let page = try db.contactRepository.list(sort: sort, filter: filter, cursor: cursor, direction: .forward, limit: pageSize)
            seen += page
            guard let last = page.last, page.count == pageSize else { break }
            cursor = last.cursor(for: sort)
        }
        return seen
    }

    func countIsTrueAndPagingGoesPastTwoHundred() throws {
        try makeMany()
        let filter = ContactFilter(text: "person")
        XCTAssertEqual(try db.contactRepository.count(filter: filter), 310)
        XCTAssertEqual(try db.contactRepository.count(filter: filter, upTo: 1000), ListCount(310))
        XCTAssertEqual(try db.contactRepository.count(filter: filter, upTo: 310), ListCount(310))
        XCTAssertEqual(try db.contactRepository.count(filter: filter, upTo: 200), ListCount(200, isExact: false))
        let all = try pageThrough(filter)
        XCTAssertEqual(all.map(\.name), (0..<310).map { String(format: "Person %04d", $0) })
        // Backwards from the end, and a row's place among the results.
        let last = try XCTUnwrap(all.last)
        let before = try db.contactRepository.list(sort: .name, filter: filter, cursor: last.cursor(for: .name), direction: .backward, limit: 3)
        XCTAssertEqual(before.map(\.name), ["Person 0306", "Person 0307", "Person 0308"])
        XCTAssertEqual(try db.contactRepository.countBefore(sort: .name, filter: filter, cursor: all[250].cursor(for: .name)), 250)
        // The other sorts page through the same rows.
        XCTAssertEqual(Set(try pageThrough(filter, sort: .created).map(\.id)), Set(all.map(\.id)))
        XCTAssertEqual(try pageThrough(filter, sort: .created).count, 310)
        // Deleted contacts and the other filters still apply.
        try db.contactRepository.delete(all[5].id)
        XCTAssertEqual(try db.contactRepository.count(filter: filter), 309)
        XCTAssertEqual(try pageThrough(filter).count, 309)
        XCTAssertEqual(try db.contactRepository.count(filter: ContactFilter(ownerID: 999_999, text: "person")), 0)
    }

    func aPhoneSearchPagesAndCountsEachContactOnce() throws {
        try db.transaction {
            for i in 0..<260 {
                // Two numbers each, both containing 000: still one row per contact.
                _ = try db.contactRepository.create(Contact(name: String(format: "Caller %04d", i),
                                                   phones: [PhoneNumber(String(format: "555 000 %04d", i)),
                                                            PhoneNumber(String(format: "0%04d 000", i))]))
            }
        }
        let filter = ContactFilter(text: "000")
        XCTAssertEqual(try db.contactRepository.count(filter: filter), 260)
        let all = try pageThrough(filter, pageSize: 40)
        XCTAssertEqual(all.count, 260)
        XCTAssertEqual(Set(all.map(\.id)).count, 260)
        XCTAssertEqual(try pageThrough(ContactFilter(text: "55")).count, 260, "two digits: the scan, paged")
    }

    /// A search with more hits than `indexedSparseHits` reads its pages along the
    /// sort's index instead of sorting all its hits: same rows, same order.
    func aBroadSearchPagesTheSameWayAlongTheIndex() throws {
        let matching = SQLiteContactRepository.indexedSparseHits + 300
        // SQLite's bulk loader: this check runs on SQLite only (PostgreSQL's
        // search pages along its own indexes; see PGSearchSchemaTests).
        let loader = BulkLoader(database: try XCTUnwrap(db as? Database))
        try loader.load { loader in
            for i in 0..<matching {
                _ = try loader.insert(Contact(name: String(format: "Broad %05d", i), phones: [PhoneNumber(String(format: "777 %05d", i))]))
            }
            for i in 0..<200 { _ = try loader.insert(Contact(name: String(format: "Narrow %05d", i))) }
        }
        for text in ["broad", "777"] {
            let filter = ContactFilter(text: text)
            XCTAssertEqual(try db.contactRepository.count(filter: filter), matching, text)
            XCTAssertEqual(try db.contactRepository.count(filter: filter, upTo: 1000), ListCount(1000, isExact: false), text)
            let all = try pageThrough(filter, pageSize: 100)
            XCTAssertEqual(all.map(\.name), (0..<matching).map { String(format: "Broad %05d", $0) }, text)
            let byCreated = try pageThrough(filter, sort: .created, pageSize: 100)
            XCTAssertEqual(byCreated.count, matching, text)
            XCTAssertEqual(try db.contactRepository.countBefore(sort: .name, filter: filter, cursor: all[2000].cursor(for: .name)), 2000, text)
        }
        XCTAssertEqual(try pageThrough(ContactFilter(text: "narrow")).count, 200)
    }
}

final class SQLiteSearchEdgeCaseTests: XCTestCase {
    func contract() throws -> SearchEdgeCaseContract { try SearchEdgeCaseContract(store: .sqlite()) }

    func testThreeZerosFindEveryNumberContainingThem() throws { try contract().threeZerosFindEveryNumberContainingThem() }
    func testLeadingZerosAreKept() throws { try contract().leadingZerosAreKept() }
    func testDoubleZeroWithEightDigitsAfterItIsTheInternationalPrefix() throws { try contract().doubleZeroWithEightDigitsAfterItIsTheInternationalPrefix() }
    func testDigitsOfOtherScriptsAreDigits() throws { try contract().digitsOfOtherScriptsAreDigits() }
    func testTextWithoutLettersOrDigitsMatchesNothing() throws { try contract().textWithoutLettersOrDigitsMatchesNothing() }
    func testBoardAndTimelineSearchesWithoutLettersOrDigitsMatchNothing() throws { try contract().boardAndTimelineSearchesWithoutLettersOrDigitsMatchNothing() }
    func testFTSSyntaxTypedByTheUserIsText() throws { try contract().fTSSyntaxTypedByTheUserIsText() }
    func testNoCombinationOfSyntaxIsAnError() throws { try contract().noCombinationOfSyntaxIsAnError() }
    func testInteractionTextIsTheTimelinesSearchNotTheContactList() throws { try contract().interactionTextIsTheTimelinesSearchNotTheContactList() }
    func testCountIsTrueAndPagingGoesPastTwoHundred() throws { try contract().countIsTrueAndPagingGoesPastTwoHundred() }
    func testAPhoneSearchPagesAndCountsEachContactOnce() throws { try contract().aPhoneSearchPagesAndCountsEachContactOnce() }
    func testABroadSearchPagesTheSameWayAlongTheIndex() throws { try contract().aBroadSearchPagesTheSameWayAlongTheIndex() }
}

final class PGSearchEdgeCaseTests: XCTestCase {
    func contract() throws -> SearchEdgeCaseContract { try SearchEdgeCaseContract(store: try .postgres()) }

    func testThreeZerosFindEveryNumberContainingThem() throws { try contract().threeZerosFindEveryNumberContainingThem() }
    func testLeadingZerosAreKept() throws { try contract().leadingZerosAreKept() }
    func testDoubleZeroWithEightDigitsAfterItIsTheInternationalPrefix() throws { try contract().doubleZeroWithEightDigitsAfterItIsTheInternationalPrefix() }
    func testDigitsOfOtherScriptsAreDigits() throws { try contract().digitsOfOtherScriptsAreDigits() }
    func testTextWithoutLettersOrDigitsMatchesNothing() throws { try contract().textWithoutLettersOrDigitsMatchesNothing() }
    func testBoardAndTimelineSearchesWithoutLettersOrDigitsMatchNothing() throws { try contract().boardAndTimelineSearchesWithoutLettersOrDigitsMatchNothing() }
    func testFTSSyntaxTypedByTheUserIsText() throws { try contract().fTSSyntaxTypedByTheUserIsText() }
    func testNoCombinationOfSyntaxIsAnError() throws { try contract().noCombinationOfSyntaxIsAnError() }
    func testInteractionTextIsTheTimelinesSearchNotTheContactList() throws { try contract().interactionTextIsTheTimelinesSearchNotTheContactList() }
    func testCountIsTrueAndPagingGoesPastTwoHundred() throws { try contract().countIsTrueAndPagingGoesPastTwoHundred() }
    func testAPhoneSearchPagesAndCountsEachContactOnce() throws { try contract().aPhoneSearchPagesAndCountsEachContactOnce() }
}

