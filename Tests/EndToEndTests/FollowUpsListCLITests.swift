import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm followups --from/--to/--status/--all`, the real binary, JSON parsed.
final class FollowUpsListCLITests: XCTestCase {
    var run: CRMRun!
    var db: String!

    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: CLITests.binary.path) else {
            throw XCTSkip("crm binary not found at \(CLITests.binary.path); run `swift build` first")
        }
        run = try CRMRun.temporary("fups-cli")
        db = run.path("crm.db")
        let store = try Database(path: db, login: "ana")
        let ben = try store.users.findOrCreate(login: "ben")
        let ada = try store.contacts.create(Contact(name: "Ada Lovelace"))
        func add(_ title: String, _ due: String, _ status: FollowUpStatus = .open, reason: String = "", assignee: Int64? = nil) throws {
            var f = try store.followUps.create(FollowUp(contactID: ada.id, assigneeID: assignee, title: title, dueAt: Self.date(due)))
            if status != .open {
                f.status = status
                f.cancelReason = reason
                f = try store.followUps.update(f)
            }
        }
        try add("January call", "2026-01-15T09:00:00Z", .done)
        try add("February offer", "2026-02-10T09:00:00Z", .cancelled, reason: "bought elsewhere")
        try add("March visit", "2026-03-01T09:00:00Z")
        try add("March close", "2026-03-31T23:30:00Z", assignee: ben.id)
        try add("Next year", "2027-06-01T09:00:00Z")
    }

    override func tearDown() { run.remove() }

    func list(_ args: String...) throws -> [[String: Any]] {
        let r = try run.crm(["followups", "--json", "--db", db] + args)
        XCTAssertEqual(r.status, 0, r.err)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]], r.out)
    }

    func titles(_ rows: [[String: Any]]) -> [String] { rows.compactMap { $0["title"] as? String } }

    func testFromToIsOpenByDefaultAndTheToDayIsWhole() throws {
        XCTAssertEqual(titles(try list("--from", "2026-03-01", "--to", "2026-03-31")), ["March visit", "March close"])
        // Persian digits read as ASCII ones.
        XCTAssertEqual(titles(try list("--from", "۲۰۲۶-۰۳-۰۲")), ["March close", "Next year"])
    }

    func testStatusDoneAndCancelledWithTheReason() throws {
        XCTAssertEqual(titles(try list("--status", "done")), ["January call"])
        let cancelled = try list("--status", "cancelled")
        XCTAssertEqual(titles(cancelled), ["February offer"])
        XCTAssertEqual(cancelled[0]["cancel_reason"] as? String, "bought elsewhere")
        XCTAssertEqual(cancelled[0]["status"] as? String, "cancelled")
    }

    func testAllListsEveryStatusAtAnyDateSortedByDue() throws {
        let all = try list("--all")
        XCTAssertEqual(titles(all), ["January call", "February offer", "March visit", "March close", "Next year"])
        XCTAssertEqual(all.compactMap { $0["status"] as? String }, ["done", "cancelled", "open", "open", "open"])
        XCTAssertEqual(titles(try list("--all", "--user", "ben")), ["March close"])
        XCTAssertEqual(titles(try list("--all", "--to", "2026-02-10")), ["January call", "February offer"])
    }

    func testBadValuesAreUsageErrors() throws {
        let bad = try run.crm("followups", "--from", "someday", "--db", db)
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.firstErrorLine.contains("--from: can't read \"someday\" as a date"), bad.err)
        let backwards = try run.crm("followups", "--from", "2026-12-10", "--to", "2026-12-01", "--db", db)
        XCTAssertEqual(backwards.status, 64)
        XCTAssertEqual(backwards.firstErrorLine,
                       "crm: --to \"2026-12-01\" is before --from \"2026-12-10\": the range ends before it starts")
        XCTAssertEqual(try run.crm("followups", "--status", "later", "--db", db).status, 64)
        XCTAssertEqual(try run.crm("followups", "--due", "today", "--all", "--db", db).status, 64)
        XCTAssertEqual(try run.crm("followups", "--all", "--status", "done", "--db", db).status, 64)
        let text = try run.crm("followups", "--all", "--db", db)
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.out.contains("cancelled (bought elsewhere)  February offer — Ada Lovelace"), text.out)
    }
}
