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
            // The team's value won per currency: omid 3000 + sara 3000 EUR; omid 4000 USD.
            "= Everyone (EUR) |  |  |  |  | 6000.00 EUR",
            "= Everyone (USD) |  |  |  |  | 4000.00 USD",
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
        XCTAssertEqual(try sheet(f).section("activity")?.columns.map(\.key), ["user", "call", "email", "meeting", "note", "message", "interactions"])
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
                                                   // The team's by due: F4 10 Nov, F13 15 Nov, F5 20 Nov, F19 29 Nov.
                                                   .followUps([id("F4"), id("F13"), id("F5"), id("F19")])])
    }

    /// Enter on a user's overdue figure lists their follow-ups most overdue
    /// first, each with when it was due and how late it is; Enter on one
    /// opens that contact's follow-ups, named by the contact, and q goes back
    /// to the report (QA 29 #11).
    func testTheOverdueListSaysWhenEachWasDueAndGoesBackToTheReport() throws {
        let f = try WinLossPeopleFixture()
        f.clock.now = WinLossPeopleFixture.now
        // F4 is about C2 (the fixture's follow-ups are about a deal only).
        var f4 = try XCTUnwrap(f.db.followUps.get(f.followUp["F4"]!.id))
        f4.contactID = f.contact["C2"]!.id
        _ = try f.db.followUps.update(f4)
        let app = AppModel(repositories: f.db, clock: f.clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!), settings: f.settings)
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .reports)
        XCTAssertTrue(app.settle())
        app.handle(.key(.char(":")))
        for c in "report people" { app.handle(.key(.char(c))) }
        app.handle(.key(.enter))
        XCTAssertTrue(app.settle())
        let reports = try XCTUnwrap(app.reports)
        let sections = try XCTUnwrap(reports.sheet).sections
        let sara = try XCTUnwrap(reports.rows.firstIndex { sections[$0.section].key == "follow_ups" && $0.row.values.first == .text("sara") })
        for _ in 0 ..< sara - reports.selected { app.handle(.key(.char("j"))) }
        app.handle(.key(.enter))
        let drill = try XCTUnwrap(reports.drill)
        // F4 due 10 Nov 09:00, F5 20 Nov 09:00; now 30 Nov 18:00.
        XCTAssertEqual(drill.entries.rows.map(\.title), ["F4", "F5"])
        XCTAssertEqual(drill.entries.rows.map(reports.drillDetail), ["due 10 Nov 09:00 · 20 days late · open · C2 · sara",
                                                                     "due 20 Nov 09:00 · 10 days late · open · sara"])
        app.handle(.key(.enter))
        XCTAssertEqual(app.activeViewKind, .today)
        let list = try XCTUnwrap(app.today.list)
        XCTAssertEqual(list.filterDescription, "every status · everyone's · customer C2")
        XCTAssertTrue(app.today.keyBindings.contains { $0.action == .back && $0.title == "Back to Reports" })
        app.handle(.key(.char("q")))
        XCTAssertEqual(app.activeViewKind, .reports)
        XCTAssertNotNil(app.reports?.drill, "the list is where it was")
    }

    /// With Persian digits the drill list's dates, days and amounts take
    /// them; the digits inside a name ("C2", a stage "Phase 2", a login
    /// "rep2") stay as they are written (QA 30 #12).
    func testPersianDigitsReachTheFiguresOfADrillLineButNotTheNames() throws {
        let f = try WinLossPeopleFixture()
        f.clock.now = WinLossPeopleFixture.now
        var f4 = try XCTUnwrap(f.db.followUps.get(f.followUp["F4"]!.id))
        f4.contactID = f.contact["C2"]!.id
        _ = try f.db.followUps.update(f4)
        let format = TimeFormat(timeZone: TimeZone(identifier: "UTC")!)
        format.digits = .persian
        let app = AppModel(repositories: f.db, clock: f.clock, timeFormat: format, settings: f.settings)
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .reports)
        XCTAssertTrue(app.settle())
        let reports = try XCTUnwrap(app.reports)
        let rows = try f.db.reportDrillRepository.followUpRows([f.followUp["F4"]!.id])
        XCTAssertEqual(rows.map(reports.drillDetail), ["due ۱۰ Nov ۰۹:۰۰ · ۲۰ days late · open · C2 · sara"])
        let deal = ReportDrillRow(id: 1, title: "Deal 7", parts: [.text("won (Phase 2)"), .money(Money(minorUnits: 150_000, currency: Currency(stored: "EUR"))),
                                                                  .text("rep2")])
        XCTAssertEqual(reports.drillDetail(deal), "won (Phase 2) · ۱٬۵۰۰٫۰۰ EUR · rep2")
        XCTAssertEqual(deal.detail, "won (Phase 2) · " + Money(minorUnits: 150_000, currency: Currency(stored: "EUR")).shown() + " · rep2",
                       "the CLI's detail keeps ASCII digits")
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
