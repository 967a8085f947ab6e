import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// The global timeline: every interaction newest first, filtered by type,
/// author, dates and text, driven by keys on a real database.
final class TimelineViewModelTests: XCTestCase {
    var f: TodayFixture!
    var vm: TimelineViewModel { f.app.timeline }
    var bodies: [String] { vm.entries.rows.map(\.interaction.body) }

    override func setUpWithError() throws {
        f = try TodayFixture()
        let now = f.clock.now
        let ada = try f.contact("Ada Lovelace", company: "Analytica")
        let bob = try f.contact("Bob Müller", owner: "omid")
        let omid = try f.db.users.findOrCreate(login: "omid")
        func log(_ c: Contact, _ kind: InteractionKind, _ daysAgo: Double, _ body: String, author: Int64? = nil) throws {
            _ = try f.db.interactions.log(Interaction(contactID: c.id, kind: kind, direction: .outbound,
                                                      occurredAt: now.addingTimeInterval(-daysAgo * 86_400),
                                                      body: body, authorID: author))
        }
        try log(ada, .note, 0.1, "Signed the NDA")
        try log(bob, .call, 1, "Asked for a discount", author: omid.id)
        try log(ada, .email, 3, "Sent the price list")
        try log(bob, .meeting, 10, "Visited the plant in Köln", author: omid.id)
        try log(ada, .call, 40, "First call about the engine")
        f.app.start(in: .timeline)
        vm.setViewport(10)
    }

    override func tearDown() { f = nil }

    func testNewestFirstAcrossAllCustomers() {
        XCTAssertEqual(bodies, ["Signed the NDA", "Asked for a discount", "Sent the price list",
                                "Visited the plant in Köln", "First call about the engine"])
        XCTAssertEqual(vm.entries.rows.first?.contactName, "Ada Lovelace")
    }

    func testFilterByTypeCyclesThroughKinds() {
        f.press(.char("t"))
        XCTAssertEqual(vm.filter.kinds, [.call])
        XCTAssertEqual(bodies, ["Asked for a discount", "First call about the engine"])
        f.press(.char("t"))
        XCTAssertEqual(bodies, ["Sent the price list"])
        f.press(.char("x"))
        XCTAssertEqual(bodies.count, 5)
    }

    func testFilterByAuthorAndUnknownAuthorIsRefused() {
        f.press(.char("o"))
        XCTAssertNotNil(f.promptTitle)
        f.type("omid")
        f.press(.enter)
        XCTAssertEqual(bodies, ["Asked for a discount", "Visited the plant in Köln"])
        f.press(.char("o"), .ctrl("u"))
        f.type("nobody")
        f.press(.enter)
        XCTAssertEqual(f.app.statusMessage?.kind, .error)
        XCTAssertEqual(bodies.count, 2, "the filter is unchanged")
    }

    func testFilterByDateRangeAndByText() {
        f.press(.char("D"))
        f.type("last weak")
        f.press(.enter)
        XCTAssertEqual(f.app.statusMessage?.kind, .error)
        f.press(.ctrl("u"))
        f.type("-7d..")
        f.press(.enter)
        // The corrected answer takes the refusal of the first away (QA 45 KB #7).
        XCTAssertNil(f.app.statusMessage)
        XCTAssertEqual(bodies, ["Signed the NDA", "Asked for a discount", "Sent the price list"])
        f.press(.char("x"))
        f.press(.char("/"))
        f.type("koln")
        XCTAssertEqual(bodies, ["Visited the plant in Köln"], "diacritics ignored, as in every search")
        f.press(.escape)
        XCTAssertEqual(bodies.count, 5)
    }

    func testABackwardsDateRangeIsRejectedAndTheTypingKept() {
        f.press(.char("D"))
        f.type("today..-7d")
        f.press(.enter)
        XCTAssertEqual(f.app.statusMessage?.kind, .error)
        guard case .prompt(let prompt)? = f.app.overlay else { return XCTFail("the prompt comes back") }
        XCTAssertEqual(prompt.input.text, "today..-7d")
        XCTAssertEqual(bodies.count, 5)
    }

    func testADayWithoutAYearIsTheLatestOneNotTheNext() throws {
        let now = f.clock.now
        let cal = f.app.timeFormat.calendar
        for day in ["mon", "fri", "sun"] {
            let r = try f.app.timeline.parseRange(day).get()
            let from = try XCTUnwrap(r.from)
            XCTAssertLessThanOrEqual(from, now, "\(day): the latest one, not next week's")
            XCTAssertGreaterThan(from, now.addingTimeInterval(-7 * 86_400), day)
        }
        // "1 jan" is this year's, already past, not next year's.
        let jan = try XCTUnwrap(try f.app.timeline.parseRange("1 jan").get().from)
        XCTAssertEqual(cal.component(.year, from: jan), cal.component(.year, from: now))
        // The end of a range alone may lie ahead of a start looked back on.
        let r = try f.app.timeline.parseRange("mon..sun").get()
        XCTAssertLessThan(try XCTUnwrap(r.from), try XCTUnwrap(r.to))
    }

    func testEnterOpensTheCustomerInContacts() {
        f.press(.char("j"), .enter)
        XCTAssertEqual(f.app.activeKind, .contacts)
        XCTAssertEqual(f.app.contacts.detail?.contact.name, "Bob Müller")
    }
}
