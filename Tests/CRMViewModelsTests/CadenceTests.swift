import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Stay in touch: contacts enter Needs attention when their cadence runs out
/// and leave it when anyone logs an interaction with them, as time passes on
/// a hand-moved clock.
final class CadenceTests: XCTestCase {
    func day(_ d: String) -> Date { TodayFixture.date("2026-\(d)T10:00:00Z") }

    func testContactsEnterAndLeaveNeedsAttention() throws {
        var settings = Settings()
        settings.tagCadence["vip"] = 3
        let f = try TodayFixture(now: day("03-27"), settings: settings)
        let ada = try f.contact("Ada", lifecycle: .customer, lastContact: day("03-19"))   // due 03-26
        let bob = try f.contact("Bob", lifecycle: .customer, lastContact: day("03-25"))   // due 04-01
        try f.contact("Pia", lifecycle: .prospect, lastContact: day("03-10"))             // due 03-24
        try f.contact("Lena", lifecycle: .lead, lastContact: day("01-01"))                // leads: no cadence
        try f.contact("Tom", lifecycle: .customer, tags: ["VIP"], lastContact: day("03-23")) // vip: due 03-26
        try f.contact("Olga", lifecycle: .customer, lastContact: day("03-01"), owner: "ben") // not mine
        f.app.start()

        XCTAssertEqual(f.titles(.attention), ["Pia", "Ada", "Tom"])
        XCTAssertEqual(f.today.counts[.attention], 3)
        if case .attention(let row)? = f.today.items(in: .attention).last {
            XCTAssertEqual(row.rule, CadenceRule(.tag("vip"), days: 3))
        }
        f.press(.char("m"))
        XCTAssertEqual(f.titles(.attention), ["Olga", "Pia", "Ada", "Tom"])
        f.press(.char("m"))

        // A note logged from Needs attention: Ada leaves the list.
        while f.selectedTitle != "Ada" { f.press(.char("j")) }
        f.press(.char("n"))
        guard case .form = f.app.overlay else { return XCTFail("no note form") }
        f.type("Asked about the spring order")
        f.press(.ctrl("s"))
        XCTAssertEqual(f.titles(.attention), ["Pia", "Tom"])
        XCTAssertEqual(f.selectedTitle, "Tom")  // the next one

        // A call from Needs attention: Pia leaves too.
        f.press(.char("k"))
        XCTAssertEqual(f.selectedTitle, "Pia")
        f.press(.char("c"))
        f.clock.advance(by: 90)
        f.press(.ctrl("s"))
        XCTAssertEqual(f.titles(.attention), ["Tom"])

        // Time passes: Bob's week runs out on 1 April, Ada's new one on 3 April.
        f.clock.now = day("04-02")
        f.app.today.reload()
        XCTAssertEqual(f.titles(.attention), ["Tom", "Bob"])
        f.clock.now = day("04-04")
        f.app.today.reload()
        XCTAssertEqual(f.titles(.attention), ["Tom", "Bob", "Ada"])

        // An interaction from anywhere resets the cadence.
        _ = try f.db.interactions.log(Interaction(contactID: bob.id, kind: .email, direction: .inbound, occurredAt: f.clock.now,
                                                  subject: "Re: order"))
        f.app.today.reload()
        XCTAssertEqual(f.titles(.attention), ["Tom", "Ada"])
        // Deleting that interaction puts Bob back.
        let last = try f.db.interactions.timeline(.contact(bob.id), before: nil, limit: 1)[0]
        try f.db.interactions.delete(last.id)
        f.app.today.reload()
        XCTAssertEqual(f.titles(.attention), ["Tom", "Bob", "Ada"])
        _ = ada
    }

    func testCadencesFromSettingsReplaceTheDefaults() throws {
        let (settings, problems) = SettingsFile.parse("cadence.lead = 30\n")
        XCTAssertEqual(problems, [])
        let f = try TodayFixture(now: day("03-27"), settings: settings)
        try f.contact("Ada", lifecycle: .customer, lastContact: day("01-01"))
        try f.contact("Lena", lifecycle: .lead, lastContact: day("02-01"))
        f.app.start()
        XCTAssertEqual(f.titles(.attention), ["Lena"])
    }

    func testCountBeyondTheLoadedRows() throws {
        let f = try TodayFixture(now: day("03-27"))
        for i in 0..<60 { try f.contact("Customer \(i)", lifecycle: .customer, lastContact: day("03-01").addingTimeInterval(Double(i) * 60)) }
        f.app.start()
        // The listings' whole section (crm agenda): every row, page by page
        // past the 50 a page holds, in order (QA 29 #8: they stopped at one page).
        XCTAssertEqual(f.titles(.attention), (0..<60).map { "Customer \($0)" })
        XCTAssertEqual(f.today.counts[.attention], 60)
        // Every one of them is reachable: the last is the 60th.
        // Nothing is due: the view opens on Needs attention.
        XCTAssertEqual(f.today.section, .attention)
        f.press(.char("G"))
        XCTAssertEqual(f.today.selectedOrdinal, 59)
        XCTAssertEqual(f.selectedTitle, "Customer 59")
    }
}
