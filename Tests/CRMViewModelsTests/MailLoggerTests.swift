import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// `MailLogger` headless, on a real database: whose timeline, once per
/// Message-ID, one transaction for a whole mbox.
final class MailLoggerTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var erika: Contact!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        erika = try db.contacts.create(Contact(name: "Erika Huber", emails: [EmailAddress("erika@huber.example")]))
    }

    override func tearDownWithError() throws {
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func mail(_ headers: String, body: String = "Hello.") throws -> MailMessage {
        try MailMessage.parse(Array("\(headers)\n\n\(body)\n".utf8))
    }

    var mine: Settings {
        var s = Settings()
        s.myAddresses = ["@crm-team.example"]
        return s
    }

    func testTheSameMessageIDTwiceInOneRunIsLoggedOnce() throws {
        let m = try mail("From: erika@huber.example\nMessage-ID: <a@x>\nSubject: Hi")
        let outcomes = try MailLogger(repositories: db).log([m, m], MailLogRequest())
        guard case .logged(let id, let contactID, _, false) = outcomes[0] else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(contactID, erika.id)
        XCTAssertEqual(outcomes[1], .alreadyLogged(interactionID: id, inTrash: false))
    }

    func testAMailWithoutMessageIDIsStillLoggedOnce() throws {
        let m = try mail("From: erika@huber.example\nDate: Tue, 24 Nov 2026 09:15:00 +0100\nSubject: No id")
        let first = try MailLogger(repositories: db).log([m], MailLogRequest())
        let second = try MailLogger(repositories: db).log([m], MailLogRequest())
        guard case .logged(let id, _, _, _) = first[0] else { return XCTFail("\(first)") }
        XCTAssertEqual(second, [.alreadyLogged(interactionID: id, inTrash: false)])
        let other = try mail("From: erika@huber.example\nDate: Tue, 24 Nov 2026 09:15:00 +0100\nSubject: No id", body: "Other text")
        guard case .logged = try MailLogger(repositories: db).log([other], MailLogRequest())[0] else { return XCTFail() }
    }

    /// QA 45 SC #3: a Date: header in the future is taken as the time it
    /// was logged, so "last contact" is never later than now.
    func testAMailDatedInTheFutureIsLoggedAtNow() throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let m = try mail("From: erika@huber.example\nDate: Fri, 01 Jan 2099 11:00:00 +0100\nSubject: future")
        let outcome = try MailLogger(repositories: db, clock: clock).log([m], MailLogRequest())
        guard case .logged(let id, _, _, _) = outcome[0] else { return XCTFail("\(outcome)") }
        XCTAssertEqual(try db.interactions.get(id)?.occurredAt, clock.now)
    }

    func testMailFromAColleaguesDomainIsSentAndGoesToTheRecipient() throws {
        let m = try mail("From: omid@crm-team.example\nTo: sara@crm-team.example, Erika <ERIKA@huber.example>\nMessage-ID: <b@x>")
        let outcomes = try MailLogger(repositories: db).log([m], MailLogRequest(settings: mine))
        guard case .logged(let id, erika.id, "Erika Huber", false) = outcomes[0] else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(try db.interactions.get(id)?.direction, .outbound)
        let onlyUs = try mail("From: omid@crm-team.example\nTo: sara@crm-team.example\nMessage-ID: <c@x>")
        XCTAssertEqual(try MailLogger(repositories: db).log([onlyUs], MailLogRequest(settings: mine)), [.unknown([])])
    }

    func testCreateNamesTheContactAfterTheDisplayNameOrTheLocalPart() throws {
        let named = try mail("From: =?UTF-8?Q?Zahra_Ahmadi?= <zahra@example.ir>\nMessage-ID: <d@x>")
        let bare = try mail("From: info@shop.example\nMessage-ID: <e@x>")
        let outcomes = try MailLogger(repositories: db).log([named, bare], MailLogRequest(create: true))
        let names = outcomes.compactMap { if case .logged(_, _, let name, true) = $0 { name } else { nil } }
        XCTAssertEqual(names, ["Zahra Ahmadi", "info"])
        let zahra = try XCTUnwrap(db.externalLogRepository.contacts(withEmail: "zahra@example.ir", limit: 2).first)
        XCTAssertEqual(try db.contacts.get(zahra.id)?.source, "email")
        XCTAssertEqual(zahra.ownerLogin, "sara")
    }

    func testAFailingWriteLogsNoMailOfTheRun() throws {
        let one = try mail("From: erika@huber.example\nMessage-ID: <f@x>")
        let two = try mail("From: erika@huber.example\nMessage-ID: <g@x>")
        // The second insert fails, as a full disk or a broken file would make it.
        try db.connection.execute("""
            CREATE TEMP TRIGGER fail_second BEFORE INSERT ON interactions
            WHEN (SELECT count(*) FROM interactions WHERE message_id IS NOT NULL) >= 1
            BEGIN SELECT RAISE(ABORT, 'disk trouble'); END
            """)
        XCTAssertThrowsError(try MailLogger(repositories: db).log([one, two], MailLogRequest()))
        XCTAssertNil(try db.externalLogRepository.interaction(messageID: "f@x"), "the first mail is not left behind")
    }

    func testListMailIsSkippedUnlessForced() throws {
        let m = try mail("From: erika@huber.example\nList-Id: <news.example>\nMessage-ID: <h@x>")
        guard case .skipped = try MailLogger(repositories: db).log([m], MailLogRequest())[0] else { return XCTFail() }
        XCTAssertNil(try db.externalLogRepository.interaction(messageID: "h@x"))
        guard case .logged = try MailLogger(repositories: db).log([m], MailLogRequest(force: true))[0] else { return XCTFail() }
    }
}
