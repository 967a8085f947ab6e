import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Search as the screens drive it, on a real database: the counter tells the
/// true number of matches, the results page on past any limit, and a search
/// without letters or digits says so instead of listing everything.
final class SearchViewModelTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var app: AppModel!
    var vm: ContactsViewModel { app.contacts }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-search-\(UUID().uuidString)")
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
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }

    /// 310 people the search "person" finds, and 90 others.
    func makeMany() throws {
        try db.transaction {
            for i in 0..<310 {
                _ = try db.contacts.create(Contact(name: String(format: "Person %04d", i),
                                                   phones: [PhoneNumber(String(format: "555 000 %04d", i))]))
            }
            for i in 0..<90 { _ = try db.contacts.create(Contact(name: String(format: "Other %04d", i))) }
        }
        app.start(in: .contacts)
        vm.setViewport(list: 10, timeline: 10)
    }

    func testTheCounterSaysHowManyMatchAndTheListPagesThroughAllOfThem() throws {
        try makeMany()
        XCTAssertEqual(vm.listPosition, "1/400")
        press(.char("/"))
        type("person")
        press(.enter)
        XCTAssertEqual(vm.listPosition, "1/310", "the true count, not the first page")
        XCTAssertTrue(vm.listTotalIsExact)
        var visited = [vm.contacts.selectedRow!.name]
        for _ in 0..<309 {
            press(.char("j"))
            visited.append(vm.contacts.selectedRow!.name)
        }
        XCTAssertEqual(visited, (0..<310).map { String(format: "Person %04d", $0) }, "every match, in order, past 200")
        XCTAssertEqual(vm.listPosition, "310/310")
        press(.char("j"))
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0309", "the end of the results")
        press(.char("g"))
        XCTAssertEqual(vm.listPosition, "1/310")
        press(.char("G"))
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0309")
        XCTAssertEqual(vm.listPosition, "310/310")
        press(.pageUp, .pageUp)
        XCTAssertEqual(vm.listPosition, "290/310")
    }

    func testDigitsPageAndCountTheSameWay() throws {
        try makeMany()
        press(.char("/"))
        type("000")
        XCTAssertEqual(vm.listPosition, "1/100+", "while typed: what the first page shows")
        press(.enter)
        // 310 phone numbers, and the 10 others named "Other 0000" to "Other 0009".
        XCTAssertEqual(vm.listPosition, "1/320")
        press(.char("G"))
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0309")
        press(.escape)
        XCTAssertEqual(vm.listTotal, 400, "Esc: the whole list again")
    }

    func testABroadSearchSaysPlusUntilTheListIsScrolledPastItsCount() throws {
        try makeMany()
        vm.searchCountLimit = 50
        press(.char("/"))
        type("person")
        press(.enter)
        XCTAssertEqual(vm.listPosition, "1/50+", "counting stopped early: said so")
        for _ in 0..<6 { press(.pageDown) }
        XCTAssertEqual(vm.listPosition, "61/101+", "the loaded rows went past 50: counted 50 further, never all")
        press(.char("g"))
        XCTAssertEqual(vm.listPosition, "1/50+")
        press(.char("G"))
        XCTAssertEqual(vm.listPosition, ">50/50+", "the end of a list longer than a count: only known to be past it")
        press(.char("g"))
        for _ in 0..<40 { press(.pageDown) }
        XCTAssertEqual(vm.listPosition, "310/310", "scrolled to the end from the top: the length is known")
    }

    /// Two digits are in one number in ten: counted to `twoDigitCountLimit`
    /// on each key, made exact once the selection goes past it.
    func testTwoDigitsAreCountedToALowerLimit() throws {
        try makeMany()
        vm.twoDigitCountLimit = 40
        press(.char("/"))
        type("55")
        XCTAssertEqual(vm.listPosition, "1/40+")
        type("5")
        XCTAssertEqual(vm.listPosition, "1/100+", "while typed: what the first page shows")
        press(.enter)
        XCTAssertEqual(vm.listPosition, "1/310", "three digits: counted as far as any search")
        press(.char("/"), .backspace, .enter)
        for _ in 0..<6 { press(.pageDown) }
        XCTAssertEqual(vm.listPosition, "61/81+", "counted again 40 past the selection, never the whole list")
    }

    /// A search counts lazily: each key typed reads the first page only,
    /// and the counter says what that page shows (all of it when it is
    /// short); the count comes when the search is done or the selection
    /// goes past the page.
    func testATypedSearchIsCountedWhenItIsDone() throws {
        try makeMany()
        press(.char("/"))
        type("person 000")
        XCTAssertEqual(vm.listPosition, "1/10", "a first page that holds the whole list is its count")
        XCTAssertFalse(vm.countIsPending)
        press(.backspace, .backspace, .backspace, .backspace)
        XCTAssertEqual(vm.listPosition, "1/100+", "310 found: the first page's hundred, not counted on a key")
        XCTAssertTrue(vm.countIsPending)
        for _ in 0..<100 { press(.down) }
        XCTAssertEqual(vm.listPosition, "101/310", "past the page while typing: counted then")
        XCTAssertFalse(vm.countIsPending)
        press(.char("x"))
        XCTAssertEqual(vm.listTotal, 0, "nothing found: counted by the empty page")
        XCTAssertTrue(vm.listTotalIsExact)
        press(.backspace)
        XCTAssertEqual(vm.listPosition, "1/100+")
        press(.enter)
        XCTAssertEqual(vm.listPosition, "1/310", "Enter: the search is done, counted")
        XCTAssertFalse(vm.countIsPending)
    }

    func testASortedSearchPagesInThatOrder() throws {
        try makeMany()
        press(.char("s"))  // by last contact: none has one, so by id within
        press(.char("/"))
        type("person")
        press(.enter)
        XCTAssertEqual(vm.listPosition, "1/310")
        XCTAssertTrue(vm.filterSummary.contains("by last contact"), vm.filterSummary)
        var ids = [vm.contacts.selectedRow!.id]
        for _ in 0..<309 {
            press(.char("j"))
            ids.append(vm.contacts.selectedRow!.id)
        }
        XCTAssertEqual(Set(ids).count, 310)
    }

    func testASearchWithoutLettersOrDigitsFindsNothingAndSaysWhy() throws {
        try makeMany()
        for text in ["😀", "[", "--", "%_", "*"] {
            press(.char("/"))
            type(text)
            XCTAssertEqual(vm.contacts.rows.count, 0, text)
            XCTAssertEqual(vm.searchProblem, "No matches: type letters or digits", text)
            XCTAssertEqual(vm.listTotal, 0, text)
            press(.escape)
            XCTAssertNil(vm.searchProblem)
            XCTAssertEqual(vm.contacts.rows.count, 100, "Esc: the list again (one page)")
        }
        press(.char("/"))
        type("-- person")
        XCTAssertNil(vm.searchProblem, "a word with letters: a real search")
        press(.enter)
        XCTAssertEqual(vm.listPosition, "1/310")
        press(.escape)
        // In the company list too.
        press(.char("C"))
        press(.char("/"))
        type("[")
        XCTAssertEqual(vm.companies.rows.count, 0)
        XCTAssertEqual(vm.searchProblem, "No matches: type letters or digits")
    }

    func testFTSSyntaxTypedIsText() throws {
        try makeMany()
        for text in ["\"", "NEAR(", "col:abc", "a OR b", "(", "-x", "person*", "\"person"] {
            press(.char("/"))
            type(text)
            XCTAssertNil(app.overlay, "\(text): no error shown")
            press(.escape)
        }
        press(.char("/"))
        type("\"person 0001\"")
        XCTAssertEqual(vm.contacts.rows.map(\.name), ["Person 0001"])
    }

    func testBoardSearchWithoutLettersOrDigitsFindsNothingAndSaysWhy() throws {
        let f = try PipelineFixture()
        try f.deal("Alpha -- rollout")
        try f.deal("Beta [draft]", stage: 1)
        f.start()
        f.press(.char("/"))
        f.type("--")
        XCTAssertEqual(f.vm.columns.map(\.cards.count), [0, 0, 0, 0])
        XCTAssertEqual(f.vm.searchProblem, "No matches: type letters or digits")
        f.press(.backspace, .backspace)
        f.type("draft")
        XCTAssertNil(f.vm.searchProblem)
        XCTAssertEqual(f.vm.columns.map(\.cards.count), [0, 1, 0, 0])
        f.press(.escape)
        XCTAssertEqual(f.vm.columns.map(\.cards.count), [1, 1, 0, 0])
    }

    func testTimelineSearchWithoutLettersOrDigitsFindsNothingAndSaysWhy() throws {
        let f = try TodayFixture()
        let ada = try f.contact("Ada Lovelace")
        _ = try f.db.interactions.log(Interaction(contactID: ada.id, kind: .note, occurredAt: f.clock.now, body: "Sent 😀 [draft] -- v2"))
        f.app.start(in: .timeline)
        let timeline = try XCTUnwrap(f.app.timeline)
        timeline.setViewport(10)
        XCTAssertEqual(timeline.entries.rows.count, 1)
        f.press(.char("/"))
        f.type("😀")
        XCTAssertEqual(timeline.entries.rows.count, 0)
        XCTAssertEqual(timeline.searchProblem, "No matches: type letters or digits")
        f.press(.backspace)
        f.type("draft")
        XCTAssertEqual(timeline.entries.rows.count, 1)
        XCTAssertNil(timeline.searchProblem)
    }
}
