import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Today counts lazily (issue 16): a section past `countLimit` says "N+"
/// instead of being counted whole on every rebuild, and is counted further
/// as the selection goes down, exactly at the last row (G), and when every
/// row is marked (`*`). Every row stays reachable; nothing else changes.
final class TodayLazyCountTests: XCTestCase {
    var f: TodayFixture!

    /// `n` overdue follow-ups for ana, a minute apart ("Overdue 1" … "Overdue n").
    func makeOverdue(_ n: Int, today: Int = 0, countLimit: Int) throws {
        f = try TodayFixture()
        let ada = try f.contact("Ada Lovelace")
        let ana = try f.db.users.findOrCreate(login: "ana").id
        let start = TodayFixture.date("2026-03-20T09:00:00Z")
        try f.db.transaction {
            for i in 1...n {
                _ = try f.db.followUps.create(FollowUp(contactID: ada.id, assigneeID: ana, title: "Overdue \(i)",
                                                       dueAt: start.addingTimeInterval(Double(i) * 60)))
            }
            for i in 0..<today {
                _ = try f.db.followUps.create(FollowUp(contactID: ada.id, assigneeID: ana, title: "Today \(i + 1)",
                                                       dueAt: TodayFixture.date("2026-03-27T12:00:00Z").addingTimeInterval(Double(i) * 60)))
            }
        }
        f.today.countLimit = countLimit
        f.app.start()
        f.today.viewport = 10
    }

    func testABigSectionSaysNPlusAndIsCountedFurtherAsTheSelectionGoesDown() throws {
        try makeOverdue(300, today: 2, countLimit: 100)
        XCTAssertEqual(f.today.count(of: .overdue), 100)
        XCTAssertFalse(f.today.isCountExact(of: .overdue))
        XCTAssertEqual(f.today.countText(of: .overdue), "100+")
        XCTAssertEqual(f.today.countText(of: .today), "2", "a section within the limit is exact")
        XCTAssertTrue(f.today.isCountExact(of: .today))
        // j past the counted rows goes on to the 150th, not into Today.
        for _ in 0..<150 { f.press(.char("j")) }
        XCTAssertEqual(f.today.section, .overdue)
        XCTAssertEqual(f.selectedTitle, "Overdue 151")
        XCTAssertGreaterThan(f.today.count(of: .overdue), 151)
        XCTAssertLessThanOrEqual(f.today.count(of: .overdue), 300)
        // G counts to the end: the last row and the exact count.
        f.press(.char("G"))
        XCTAssertEqual(f.selectedTitle, "Overdue 300")
        XCTAssertEqual(f.today.selectedOrdinal, 299)
        XCTAssertEqual(f.today.countText(of: .overdue), "300")
        // And on past the last into Today.
        f.press(.char("j"))
        XCTAssertEqual(f.selectedTitle, "Today 1")
    }

    func testPagingDownAnUncountedSectionReachesItsEnd() throws {
        try makeOverdue(250, today: 1, countLimit: 40)
        var presses = 0
        while f.today.section == .overdue && presses < 200 {
            f.press(.pageDown)
            presses += 1
        }
        XCTAssertEqual(f.today.section, .overdue, "PgDn stops at the section's last row")
        XCTAssertEqual(f.selectedTitle, "Overdue 250")
        XCTAssertEqual(f.today.countText(of: .overdue), "250")
        XCTAssertLessThanOrEqual(f.today.visibleItems.count, 10)
    }

    func testStarMarksEveryRowOfAnUncountedSectionAndCountsIt() throws {
        try makeOverdue(300, countLimit: 100)
        XCTAssertEqual(f.today.countText(of: .overdue), "100+")
        f.press(.char("*"))
        XCTAssertEqual(f.today.marks.count, 300)
        XCTAssertEqual(f.today.countText(of: .overdue), "300")
        XCTAssertEqual(f.app.statusMessage?.text, "300 marked in Overdue — s, r, A or x acts on all of them")
        f.press(.char("*"))
        XCTAssertEqual(f.today.marks.count, 0, "pressed again with all marked: unmarked")
    }

    func testAReloadKeepsTheSelectionDeepInAnUncountedSection() throws {
        try makeOverdue(200, countLimit: 30)
        for _ in 0..<120 { f.press(.char("j")) }
        XCTAssertEqual(f.selectedTitle, "Overdue 121")
        f.today.reload()
        XCTAssertEqual(f.selectedTitle, "Overdue 121")
        XCTAssertEqual(f.today.selectedOrdinal, 120)
        XCTAssertGreaterThan(f.today.count(of: .overdue), 120)
    }

    func testTheFollowUpsCommandsModelCountsExactly() throws {
        f = try TodayFixture()
        let exact = TodayViewModel(context: f.app, countLimit: nil)
        XCTAssertNil(exact.countLimit)
        XCTAssertEqual(TodayViewModel(context: f.app).countLimit, 1_000)
    }
}
