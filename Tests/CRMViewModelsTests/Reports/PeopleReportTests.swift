import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Page 4, "People", on the fixture: users in name order (lena, omid,
/// sara), then the team. Every expected figure is worked out by hand from
/// the comments in WinLossPeopleFixture.
final class PeopleReportTests: XCTestCase {
    func sheet(_ f: WinLossPeopleFixture, _ filter: ReportFilter? = nil) throws -> ReportSheet {
        try PeopleReportSheet.build(filter ?? f.filter, repositories: f.db, settings: f.settings)
    }

    func testDealsPerUserAndValueWonPerCurrency() throws {
        let f = try WinLossPeopleFixture()
        let s = try sheet(f)
        XCTAssertEqual(s.page, .people)
        XCTAssertEqual(s.sections.map(\.key), ["deals", "activity", "follow_ups", "stay_in_touch", "conversion"])
        // lena: D11 open, D7 lost (D8 was won in October); omid: D10 open,
        // D4 D5 won, D6 lost; sara: D9 open, D1 D2 won, D3 D12 lost. Values
        // in two currencies and no rates: each user's per currency below.
        XCTAssertEqual(ReportSheetText.rows(s.section("deals")), [
            "lena | 1 | 0 | 1 | 0.0000 | ",
            "omid | 1 | 2 | 1 | 0.6667 | ",
            "sara | 1 | 2 | 2 | 0.5000 | ",
            "omid (EUR) |  |  |  |  | 3000.00 EUR",
            "omid (USD) |  |  |  |  | 4000.00 USD",
            "sara (EUR) |  |  |  |  | 3000.00 EUR",
            "= Everyone | 3 | 4 | 4 | 0.5000 | ",
        ])
        XCTAssertEqual(try s.section("deals")?.rows[2].drill?.resolved(f.db), .deals([f.deal["D1"]!, f.deal["D2"]!, f.deal["D3"]!, f.deal["D12"]!].map(\.id).sorted()))
        f.settings.rates = ["USD": 0.9]
        // omid 3000 + 4000 × 0.9 = 6600; everyone 9600.
        XCTAssertEqual(ReportSheetText.rows(try sheet(f).section("deals")), [
            "lena | 1 | 0 | 1 | 0.0000 | 0.00 EUR≈",
            "omid | 1 | 2 | 1 | 0.6667 | 6600.00 EUR≈",
            "sara | 1 | 2 | 2 | 0.5000 | 3000.00 EUR≈",
            "= Everyone | 3 | 4 | 4 | 0.5000 | 9600.00 EUR≈",
        ])
    }

    func testInteractionsLoggedByType() throws {
        let f = try WinLossPeopleFixture()
        // The deal closes wrote "stage" entries (not counted); sara's call
        // of 31 Oct is outside, her call of 12 Nov is in the trash.
        XCTAssertEqual(ReportSheetText.rows(try sheet(f).section("activity")), [
            "lena | 0 | 0 | 0 | 0 | 0 | 0",
            "omid | 1 | 0 | 0 | 4 | 0 | 5",
            "sara | 3 | 2 | 1 | 0 | 1 | 7",
            "= Everyone | 4 | 2 | 1 | 4 | 1 | 12",
        ])
        XCTAssertEqual(try sheet(f).section("activity")?.columns.map(\.key), ["user", "call", "email", "meeting", "note", "message", "total"])
    }

    func testFollowUpDisciplineAndItsDrillToOverdue() throws {
        let f = try WinLossPeopleFixture()
        let section = try XCTUnwrap(try sheet(f).section("follow_ups"))
        // sara: F1-F6 due (F7 cancelled, F8 October): on time F1 F2, late F3,
        // overdue F4 F5, F6 not yet due: 2 ÷ 5. omid: F9-F13 (F14 December,
        // F15 in the trash): 2 on time, 2 late, F13 overdue: 2 ÷ 5. lena:
        // F16-F19 (F20 due at the period's end): 2, 1, 1: 2 ÷ 4. Team 6 ÷ 14.
        XCTAssertEqual(ReportSheetText.rows(section), [
            "lena | 4 | 2 | 1 | 1 | 0.5000",
            "omid | 5 | 2 | 2 | 1 | 0.4000",
            "sara | 6 | 2 | 1 | 2 | 0.4000",
            "= Everyone | 15 | 6 | 4 | 4 | 0.4286",
        ])
        let id = { (name: String) in f.followUp[name]!.id }
        XCTAssertEqual(try section.rows.map { try $0.drill?.resolved(f.db) }, [.followUps([id("F19")]), .followUps([id("F13")]), .followUps([id("F4"), id("F5")]),
                                                   .followUps([id("F4"), id("F5"), id("F13"), id("F19")].sorted())])
    }

    func testStayInTouchAndItsDrillToCustomersPastTheirCadence() throws {
        let f = try WinLossPeopleFixture()
        let section = try XCTUnwrap(try sheet(f).section("stay_in_touch"))
        // sara: C1 C4 C5 in touch, C2 (7 d) and C3 (#vip 3 d) not; omid: C7
        // O3 in touch, C8 (own 1 d, snoozed) not, C9 deleted; lena: none.
        XCTAssertEqual(ReportSheetText.rows(section), [
            "lena | 0 | 0 | 0 | -",
            "omid | 3 | 2 | 1 | 0.6667",
            "sara | 5 | 3 | 2 | 0.6000",
            "= Everyone | 8 | 5 | 3 | 0.6250",
        ])
        let id = { (name: String) in f.contact[name]!.id }
        XCTAssertNil(section.rows[0].drill)
        XCTAssertEqual(try section.rows[1].drill?.resolved(f.db), .contacts([id("C8")]))
        XCTAssertEqual(try section.rows[2].drill?.resolved(f.db), .contacts([id("C2"), id("C3")].sorted()))
        // Without the vip rule C3 falls under the customers' 7 days: in touch.
        f.settings.tagCadence = [:]
        XCTAssertEqual(ReportSheetText.rows(try sheet(f).section("stay_in_touch"))[2], "sara | 5 | 4 | 1 | 0.8000")
    }

    func testLeadsTurnedCustomersFromTheLifecycleHistory() throws {
        let f = try WinLossPeopleFixture()
        let section = try XCTUnwrap(try sheet(f).section("conversion"))
        // sara: C1 (via prospect) converted, L2 given up, C6 L3 L4 still
        // leads (C3 came back from former, C4 converted in October): 1 ÷ 5.
        // omid: C7 and O3 (twice, counted once) converted, O2 still a lead,
        // O1 deleted: 2 ÷ 3. Team 3 ÷ 8.
        XCTAssertEqual(ReportSheetText.rows(section), [
            "lena | 0 | 0 | 0 | -",
            "omid | 2 | 0 | 1 | 0.6667",
            "sara | 1 | 1 | 3 | 0.2000",
            "= Everyone | 3 | 1 | 4 | 0.3750",
        ])
        XCTAssertEqual(section.rows[1].drill, .contacts([f.contact["C7"]!.id, f.contact["O3"]!.id].sorted()))
    }

    func testOwnerFilterGivesOnlyThoseUsers() throws {
        let f = try WinLossPeopleFixture()
        var mine = f.filter
        mine.ownerIDs = [f.sara.id]
        let s = try sheet(f, mine)
        XCTAssertEqual(ReportSheetText.rows(s.section("follow_ups")), ["sara | 6 | 2 | 1 | 2 | 0.4000"])
        XCTAssertEqual(ReportSheetText.rows(s.section("deals")), ["sara | 1 | 2 | 2 | 0.5000 | 3000.00 EUR"],
                       "one currency: the value is shown")
    }
}
