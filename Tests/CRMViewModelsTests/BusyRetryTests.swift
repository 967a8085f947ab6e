import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Another process holds the write lock (a second connection with BEGIN
/// IMMEDIATE) past the busy timeout, shortened here so the tests stay quick:
/// nothing typed is lost and one key tries again, in each kind of action.
final class BusyRetryTests: XCTestCase {
    /// Takes the write lock on `path` as another process would.
    func holdWriteLock(_ path: String) throws -> Connection {
        let other = try Connection(path: path)
        try other.execute("BEGIN IMMEDIATE")
        return other
    }

    func testOneKeyMoveSaysNothingChangedAndThePressAgainWorks() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Acme renewal")
        f.start()
        f.db.connection.busyTimeoutMs = 50
        let other = try holdWriteLock(f.db.path)
        f.press(.char("L"))
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[0].id)
        let message = try XCTUnwrap(f.app.statusMessage)
        XCTAssertEqual(message.kind, .warning)
        XCTAssertTrue(message.text.hasPrefix("Nothing changed: press L to try again. The database is busy"), message.text)
        try other.execute("ROLLBACK")
        f.press(.char("L"))
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[1].id)
    }

    func testLostReasonPromptComesBackWithTheTypedReason() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Acme renewal")
        f.start()
        f.db.connection.busyTimeoutMs = 50
        let other = try holdWriteLock(f.db.path)
        f.press(.char("x"))
        f.type("Went with a competitor")
        f.press(.enter)
        guard case .prompt(let prompt)? = f.app.overlay else { return XCTFail("the prompt should be back: \(String(describing: f.app.overlay))") }
        XCTAssertEqual(prompt.input.text, "Went with a competitor")
        XCTAssertTrue(f.app.statusMessage?.text.hasPrefix("Nothing was saved: press Enter to try again") ?? false)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.status, .open)
        try other.execute("ROLLBACK")
        f.press(.enter)
        XCTAssertNil(f.app.overlay)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.status, .lost)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.lostReason, "Went with a competitor")
    }

    func testDeleteQuestionComesBack() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Acme renewal")
        f.start()
        f.db.connection.busyTimeoutMs = 50
        let other = try holdWriteLock(f.db.path)
        f.press(.char("d"), .char("y"))
        guard case .confirm? = f.app.overlay else { return XCTFail("the question should be back") }
        XCTAssertTrue(f.app.statusMessage?.text.hasPrefix("Nothing changed: press y to try again") ?? false, "\(String(describing: f.app.statusMessage))")
        try other.execute("ROLLBACK")
        f.press(.char("y"))
        XCTAssertNil(f.app.overlay)
        XCTAssertNotNil(try f.db.deals.get(deal.id)?.deletedAt)
    }

    func testSnoozePromptComesBackWithTheTypedChoice() throws {
        let f = try TodayFixture()
        let ada = try f.contact("Ada Lovelace")
        let due = TodayFixture.date("2026-03-26T09:00:00Z")
        let followUp = try f.followUp("Send the quote", for: ada, due: due)
        f.app.start()
        f.db.connection.busyTimeoutMs = 50
        let other = try holdWriteLock(f.db.path)
        f.press(.char("s"))
        f.type("3")  // next week: the key alone answers
        guard case .prompt(let prompt)? = f.app.overlay else { return XCTFail("the prompt should be back") }
        XCTAssertEqual(prompt.input.text, "3")
        XCTAssertEqual(try f.db.followUps.get(followUp.id)?.dueAt, due)
        try other.execute("ROLLBACK")
        f.press(.enter)
        XCTAssertNil(f.app.overlay)
        XCTAssertNotEqual(try f.db.followUps.get(followUp.id)?.dueAt, due)
    }

    func testFormKeepsTheTextAndSaysWhichKeySavesAgain() throws {
        let f = try TodayFixture()
        f.db.connection.busyTimeoutMs = 50
        let db = f.db
        let form = FormModel(title: "New contact", fields: [FormField("name", label: "Name")]) { form in
            let c = try db.contacts.create(Contact(name: form["name"]))
            return "Added \(c.name)"
        }
        let other = try holdWriteLock(f.db.path)
        for ch in "Grace Hopper" { _ = form.handle(.char(ch)) }
        XCTAssertEqual(form.handle(.ctrl("s")), .editing)
        XCTAssertEqual(form["name"], "Grace Hopper")
        let banner = try XCTUnwrap(form.banner)
        XCTAssertTrue(banner.hasPrefix(RepositoryError.busyReason), banner)
        XCTAssertTrue(banner.contains("Nothing was saved; Ctrl-S (or Enter on the last field) tries again"), banner)
        try other.execute("ROLLBACK")
        XCTAssertEqual(form.handle(.ctrl("s")), .saved("Added Grace Hopper"))
        XCTAssertEqual(try f.db.contacts.count(filter: .init()), 1)
    }

    /// The status line while waiting, and gone once the write went through:
    /// the hook the terminal installs, driven here without a terminal.
    func testWaitingShowsInTheStatusLineAndMakesWayForTheResult() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Acme renewal")
        f.start()
        let other = try holdWriteLock(f.db.path)
        var shownWhileWaiting: String?
        f.db.onWriteWait = { [app = f.app] wait in
            app.writeWaitChanged(wait)
            if wait == .waiting {
                shownWhileWaiting = app.statusMessage?.text
                try? other.execute("ROLLBACK")
            }
        }
        f.press(.char("L"))
        XCTAssertEqual(shownWhileWaiting, AppModel.waitingForSaveText)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[1].id)
        XCTAssertEqual(f.app.statusMessage?.text, "Acme renewal: Lead → Qualified")
    }
}
