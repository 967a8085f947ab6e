import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// The follow-ups list (Today's `F`) headless on a real SQLite file: its
/// filters by status, assignee, customer, deal and due range, keyset paging
/// through hundreds of rows, and the same action keys as Today.
final class FollowUpListTests: XCTestCase {
    var f: TodayFixture!
    var ada: Contact!, bob: Contact!

    override func setUpWithError() throws {
        f = try TodayFixture()  // Friday 27 March 2026, 10:00 in Berlin
        ada = try f.contact("Ada Lovelace", company: "Analytical Engines")
        bob = try f.contact("Bob Müller", company: "Müller GmbH")
        let pipeline = try f.db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let lead = try f.db.pipelines.stages(pipelineID: pipeline.id)[0]
        let deal = try f.db.deals.create(Deal(pipelineID: pipeline.id, stageID: lead.id, title: "Engines renewal", value: .zero(.eur),
                                              contactID: ada.id))
        try f.followUp("Send the quote", for: ada, due: TodayFixture.date("2026-03-26T09:00:00Z"))
        try f.followUp("Call about renewal", for: bob, due: TodayFixture.date("2026-04-20T07:00:00Z"), assignee: "ben")
        var onDeal = try f.followUp("Renewal terms", for: ada, due: TodayFixture.date("2026-06-01T07:00:00Z"))
        onDeal.dealID = deal.id
        _ = try f.db.followUps.update(onDeal)
        var done = try f.followUp("Old call", for: bob, due: TodayFixture.date("2026-01-10T09:00:00Z"))
        done.status = .done
        _ = try f.db.followUps.update(done)
        var cancelled = try f.followUp("Dropped", for: ada, due: TodayFixture.date("2026-02-10T09:00:00Z"))
        cancelled.status = .cancelled
        cancelled.cancelReason = "not needed"
        _ = try f.db.followUps.update(cancelled)
        f.app.start()
        f.press(.char("m"))  // everyone's, so F opens on everyone's
        f.press(.char("F"))
    }

    var list: FollowUpListModel { f.today.list! }
    var titles: [String] { list.window.rows.map(\.followUp.title) }

    func testOpensOnEveryOpenFollowUpAtAnyDateSortedByDue() {
        XCTAssertEqual(titles, ["Send the quote", "Call about renewal", "Renewal terms"])
        XCTAssertEqual(list.total, 3)
        XCTAssertEqual(list.filterDescription, "open · everyone's")
    }

    /// QA 27 #13: everyone's narrowed to one colleague, then F: the list's
    /// filter line names that colleague, not the user looking.
    func testEveryonesNarrowedToOneColleagueNamesThatColleague() throws {
        _ = try f.followUp("Ben's call", for: nil, due: TodayFixture.date("2026-03-26T09:00:00Z"), assignee: "ben")
        f.press(.char("q"))
        f.press(.char("o"))
        f.type("ben")
        f.press(.enter)
        f.press(.char("F"))
        XCTAssertEqual(list.filterDescription, "open · assignee ben")
        XCTAssertTrue(titles.contains("Ben's call"))
        XCTAssertEqual(Set(list.window.rows.map(\.assigneeLogin)), ["ben"])
    }

    func testStatusCyclesThroughDoneCancelledAndEvery() {
        f.press(.char("v"))
        XCTAssertEqual(titles, ["Old call"])
        f.press(.char("v"))
        XCTAssertEqual(titles, ["Dropped"])
        XCTAssertEqual(list.window.rows[0].followUp.cancelReason, "not needed")
        f.press(.char("v"))
        XCTAssertEqual(titles, ["Old call", "Dropped", "Send the quote", "Call about renewal", "Renewal terms"])
        XCTAssertEqual(list.filterDescription, "every status · everyone's")
        f.press(.char("0"))
        XCTAssertEqual(titles.count, 3)
    }

    func testFiltersByAssigneeCustomerAndDeal() {
        f.press(.char("a"))
        f.type("ben")
        f.press(.enter)
        XCTAssertEqual(titles, ["Call about renewal"])
        XCTAssertEqual(list.filterDescription, "open · assignee ben")
        f.press(.char("a"))
        f.press(.enter)  // empty: everyone
        f.press(.char("/"))
        f.type("müller")  // the company's name, any case
        f.press(.enter)
        XCTAssertEqual(titles, ["Call about renewal"])
        f.press(.char("/"))
        f.press(.ctrl("u"))
        f.press(.enter)
        f.press(.char("D"))
        f.type("renewal")
        f.press(.enter)
        XCTAssertEqual(titles, ["Renewal terms"])
        XCTAssertEqual(list.filterDescription, "open · everyone's · deal \"renewal\"")
    }

    func testFiltersByDueRangeTypedAsDueDates() {
        f.press(.char("t"))
        f.type("1 apr")
        f.press(.enter)
        XCTAssertEqual(f.promptTitle, "Due up to (empty: any):")
        f.type("2026-04-20")  // the whole day
        f.press(.enter)
        XCTAssertEqual(titles, ["Call about renewal"])
        XCTAssertEqual(list.filterDescription, "open · everyone's · from Wed 1 Apr 2026 00:00 · to Mon 20 Apr 2026 23:59")
        f.press(.char("t"))
        f.type("someday")
        f.press(.enter)
        XCTAssertEqual(f.app.statusMessage?.kind, .error)
        XCTAssertNotNil(f.promptTitle, "asked again with the text kept")
    }

    /// A day without a year around today: "20 mar" then "5 apr" on 27 Mar
    /// is the range around today, not next year's 20 March.
    func testARangeAroundTodayIsReadAsOne() {
        f.press(.char("t"))
        f.type("20 mar")
        f.press(.enter)
        f.type("5 apr")
        f.press(.enter)
        XCTAssertEqual(list.filterDescription, "open · everyone's · from Fri 20 Mar 2026 00:00 · to Sun 5 Apr 2026 23:59")
    }

    /// QA 41 #7: "to next week" is the end of next week, "to next month"
    /// the end of next month (on Fri 27 Mar 2026, weeks from Monday).
    func testANamedPeriodAsTheEndIsItsLastDay() {
        f.press(.char("t"))
        f.type("today")
        f.press(.enter)
        f.type("next week")
        f.press(.enter)
        XCTAssertEqual(list.filterDescription, "open · everyone's · from Fri 27 Mar 2026 00:00 · to Sun 5 Apr 2026 23:59")
        f.press(.char("t"))
        f.type("today")
        f.press(.enter)
        f.type("next month")
        f.press(.enter)
        XCTAssertEqual(list.filterDescription, "open · everyone's · from Fri 27 Mar 2026 00:00 · to Thu 30 Apr 2026 23:59")
    }

    /// The prompt's reading is the range's, not a due date's (QA 27 #12):
    /// "20 mar" on 27 Mar is the one just gone, from its start; "5 apr" is
    /// read with it, to its end.
    func testThePromptsReadingIsWhatTheFilterApplies() {
        f.press(.char("t"))
        f.type("qqq")
        XCTAssertTrue(previewText?.hasPrefix("? try ") ?? false, previewText ?? "")
        f.press(.backspace, .backspace, .backspace)
        f.type("20 mar")
        XCTAssertEqual(previewText, "→ Fri 20 Mar 2026 00:00")
        f.press(.enter)
        f.type("5 apr")
        XCTAssertEqual(previewText, "→ Sun 5 Apr 2026 23:59")
        f.press(.enter)
        XCTAssertEqual(list.filterDescription, "open · everyone's · from Fri 20 Mar 2026 00:00 · to Sun 5 Apr 2026 23:59")
        f.press(.char("t"))
        f.type("2026-04-10")
        f.press(.enter)
        f.type("2026-04-01")
        XCTAssertEqual(previewText, "? the range ends before it starts")
        // A yearless end that only fits a start a year earlier: the move is shown (QA 28 #3).
        f.press(.escape)
        f.press(.char("t"))
        f.type("10 apr")
        f.press(.enter)
        f.type("1 apr")
        XCTAssertEqual(previewText, "→ Wed 1 Apr 2026 23:59 · from moves to Thu 10 Apr 2025 00:00")
    }

    var previewText: String? {
        if case .prompt(let p)? = f.app.overlay { return p.previewText }
        return nil
    }

    func testTheSameActionKeysWorkInTheList() throws {
        f.press(.char("j"))  // Call about renewal
        f.press(.char("C"))
        f.type("moved to next year")
        f.press(.enter)
        XCTAssertEqual(titles, ["Send the quote", "Renewal terms"])
        XCTAssertEqual(try f.db.followUps.get(2)?.status, .cancelled)
        f.press(.char("u"))
        XCTAssertEqual(titles, ["Send the quote", "Call about renewal", "Renewal terms"])
        f.press(.char("g"), .char("j"))
        XCTAssertEqual(list.selectedRow?.followUp.title, "Call about renewal")
        f.press(.char("s"))
        f.press(.char("3"))
        f.press(.enter)
        XCTAssertNotEqual(try f.db.followUps.get(2)?.dueAt, TodayFixture.date("2026-04-20T07:00:00Z"))
        f.press(.char("g"))
        f.press(.enter)  // the contact
        XCTAssertEqual(f.app.activeKind, .contacts)
    }

    func testQAndEscGoBackToToday() {
        f.press(.char("q"))
        XCTAssertNil(f.today.list)
        XCTAssertEqual(f.app.activeKind, .today)
        f.press(.char("F"))
        f.press(.escape)
        XCTAssertNil(f.today.list)
    }

    func testPagesThroughHundredsKeepingAWindow() throws {
        let start = TodayFixture.date("2026-05-01T08:00:00Z")
        try f.db.transaction {
            for i in 0..<950 {
                try f.followUp(String(format: "Bulk %04d", i), for: bob, due: start.addingTimeInterval(Double(i) * 3600))
            }
        }
        list.reload()  // (written on this connection: the change feed sees only other ones)
        XCTAssertEqual(list.total, 953)
        f.press(.char("G"))
        XCTAssertEqual(list.selectedRow?.followUp.title, "Bulk 0949")
        XCTAssertLessThanOrEqual(list.window.rows.count, 400)
        f.press(.char("g"))
        XCTAssertEqual(list.selectedRow?.followUp.title, "Send the quote")
        for _ in 0..<600 { f.press(.char("j")) }
        // 3 before the bulk (the quote, renewal call, then Bulk 0000… until 1 June)
        let sixHundredth = try f.db.followUps.list(FollowUpFilter(), after: nil, limit: 601).last?.followUp.title
        XCTAssertEqual(list.selectedRow?.followUp.title, sixHundredth)
        XCTAssertLessThanOrEqual(list.window.rows.count, 400)
        for _ in 0..<600 { f.press(.char("k")) }
        XCTAssertEqual(list.selectedRow?.followUp.title, "Send the quote")
    }
}
