import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm lookup`, `crm log` and `crm log-email` as a softphone or a mail
/// client runs them: the real binary on a real SQLite file, stdin piped,
/// and the database read afterwards.
final class OutsideCommandsE2ETests: XCTestCase {
    var folder: URL!
    var dbPath: String { folder.appendingPathComponent("team.db").path }
    static let mails = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CRMExchangeTests/Fixtures/Mail")

    var erika: Contact!
    var guenter: Contact!
    var reza: Contact!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try settings("phone_region = DE\nmy_addresses = sara@crm-team.example\n")
        let db = try Database(path: dbPath, login: "sara", phoneRegion: PhoneRegion(code: "DE"))
        // The team: an unknown --user is refused (exit 67) since roles came.
        _ = try db.users.findOrCreate(login: "omid")
        let acme = try db.companies.create(Company(name: "Acme GmbH"))
        guenter = try db.contacts.create(Contact(name: "Günter Müller", companyID: acme.id,
                                                 emails: [EmailAddress("guenter@mueller.example")],
                                                 phones: [PhoneNumber("030 5550000"), PhoneNumber("0171 9936679", label: "mobile")],
                                                 ownerID: db.currentUser.id, lifecycle: .customer))
        erika = try db.contacts.create(Contact(name: "Erika Huber", emails: [EmailAddress("Erika@Huber.example")],
                                               phones: [PhoneNumber("+43 171 9936679")]))
        reza = try db.contacts.create(Contact(name: "رضا کریمی", emails: [EmailAddress("reza@karimi.example")],
                                              phones: [PhoneNumber("+98 912 345 6789")], lifecycle: .prospect))
        let day = ISO8601DateFormatter().date(from: "2026-11-24T09:15:00Z")!
        _ = try db.interactions.log(Interaction(contactID: guenter.id, kind: .call, direction: .inbound, occurredAt: day,
                                                durationSeconds: 300, subject: "Renewal price", body: "He wants 5% off."))
        _ = try db.interactions.log(Interaction(contactID: guenter.id, kind: .note, occurredAt: day.addingTimeInterval(-86_400),
                                                body: "Older note"))
        _ = try db.followUps.create(FollowUp(contactID: guenter.id, assigneeID: db.currentUser.id, title: "Send the offer",
                                             dueAt: ISO8601DateFormatter().date(from: "2026-11-27T09:00:00Z")!))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func settings(_ text: String) throws {
        let config = folder.appendingPathComponent("config/crm")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try text.write(to: config.appendingPathComponent("settings"), atomically: true, encoding: .utf8)
    }

    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs crm with `stdin` piped in, in a pinned environment (its own
    /// HOME, config and data folders, UTC, user "sara").
    @discardableResult
    func crm(_ args: [String], stdin: Data = Data()) throws -> Result {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = args
        process.environment = ["HOME": folder.path, "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path,
                               "XDG_DATA_HOME": folder.appendingPathComponent("data").path, "XDG_STATE_HOME": folder.appendingPathComponent("state").path,
                               "TZ": "UTC", "LANG": "C.UTF-8", "USER": "sara", "PATH": "/usr/bin:/bin"]
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Written from another thread: a large input must not block on a full pipe
        // while crm waits for us to read its output.
        let writer = Thread {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self))
    }

    func mail(_ name: String) throws -> Data { try Data(contentsOf: Self.mails.appendingPathComponent(name)) }

    func logEmail(_ name: String, _ options: String...) throws -> Result {
        try crm(["log-email", "--db", dbPath] + options, stdin: try mail(name))
    }

    /// The database as it is now (a fresh connection each time).
    func open() throws -> Database { try Database(path: dbPath, mode: .read) }

    func emails(of contact: Contact) throws -> [Interaction] {
        try open().interactions.timeline(.contact(contact.id), before: nil, limit: 100).map(\.interaction).filter { $0.kind == .email }
    }

    func interactionCount() throws -> Int64 {
        try open().connection.scalar("SELECT count(*) FROM interactions") ?? -1
    }

    // MARK: crm lookup

    func testLookupFindsTheCallerInEveryFormAndPrintsTheCard() throws {
        let card = """
            Günter Müller (Acme GmbH)
              number:     0171 9936679
              owner:      sara
              lifecycle:  customer
              last:       Tue 24 Nov 2026 09:15 · call in · Renewal price
              follow-up:  Fri 27 Nov 2026 09:00 · Send the offer

            """
        for number in ["+49 171 9936679", "0049171 9936679", "00491719936679", "0171 9936679", "01719936679",
                       "+49 (171) 993-6679", "۰۱۷۱ ۹۹۳۶۶۷۹"] {
            let found = try crm(["lookup", number, "--db", dbPath])
            XCTAssertEqual(found.status, 0, "\(number): \(found.err)")
            XCTAssertEqual(found.out, card, number)
        }
        // As softphones and PBX hooks pass a caller (QA 29 #4): a tel: or
        // sip: address, a display name around it, an extension after it.
        for uri in ["tel:+491719936679", "sip:+491719936679@sip.example.com", "\"Günter\" <sip:01719936679@pbx.local>",
                    "sips:%2B491719936679@provider.example", "+49 171 9936679;ext=12", "tel:+49-171-9936679;phone-context=+49",
                    // As signatures and click-to-call links write them (QA 30 #14).
                    "+49 171 9936679 ext. 12", "+49 171 9936679 x12", "callto:+491719936679"] {
            let found = try crm(["lookup", uri, "--db", dbPath])
            XCTAssertEqual(found.status, 0, "\(uri): \(found.err)")
            XCTAssertEqual(found.out, card, uri)
        }
        // Without its trunk 0 a number is a run of digits, which Erika's
        // Austrian +43 171 9936679 has too: both, in name order.
        let digits = try crm(["lookup", "1719936679", "--db", dbPath])
        XCTAssertEqual(digits.out, "Erika Huber\n  number:     +43 171 9936679\n  owner:      sara\n  lifecycle:  lead\n"
                       + "  last:       none yet\n  follow-up:  none open\n\n" + card)
        // Unquoted, a number arrives as several arguments.
        XCTAssertEqual(try crm(["lookup", "+49", "171", "9936679", "--db", dbPath]).out, card)
        // Iranian numbers: stored as +98 912 …, found in international form under
        // any region, and in national form (0912 …) with phone_region = IR.
        for number in ["+98 912 345 6789", "+989123456789", "0098 912 345 6789", "00989123456789", "9123456789"] {
            let found = try crm(["lookup", number, "--db", dbPath])
            XCTAssertEqual(found.status, 0, "\(number): \(found.err)")
            XCTAssertTrue(found.out.hasPrefix("رضا کریمی\n  number:     +98 912 345 6789\n  owner:      sara\n  lifecycle:  prospect\n"
                                              + "  last:       none yet\n  follow-up:  none open\n"), "\(number): \(found.out)")
        }
        XCTAssertEqual(try crm(["lookup", "0912 345 6789", "--db", dbPath]).status, 1, "0912 is a German number with phone_region DE")
        try settings("phone_region = IR\n")
        XCTAssertTrue(try crm(["lookup", "0912 345 6789", "--db", dbPath]).out.hasPrefix("رضا کریمی\n"))
        XCTAssertTrue(try crm(["lookup", "09123456789", "--db", dbPath]).out.hasPrefix("رضا کریمی\n"))
    }

    /// QA 40 #10: numbers stored before the database had a region have no
    /// international form until it is opened to write; a read-only lookup
    /// of "+98 912 …" found nothing while "0912 …" found the contact. It
    /// now tries the national form too, and still writes nothing.
    func testLookupInInternationalFormFindsANumberStoredBeforeTheRegionWasSet() throws {
        let path = folder.appendingPathComponent("no-region.db").path
        let db = try Database(path: path, login: "sara")
        _ = try db.contacts.create(Contact(name: "فاطمه کریمی", phones: [PhoneNumber("0912 151 9032")]))
        try db.connection.run("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = FileManager.default.contents(atPath: path)
        try settings("phone_region = IR\n")
        for number in ["+98 912 151 9032", "0098 912 151 9032", "tel:+989121519032"] {
            let found = try crm(["lookup", number, "--db", path])
            XCTAssertEqual(found.status, 0, "\(number): \(found.err)")
            XCTAssertTrue(found.out.hasPrefix("فاطمه کریمی\n  number:     0912 151 9032\n"), "\(number): \(found.out)")
        }
        XCTAssertEqual(try crm(["lookup", "+49 912 151 9032", "--db", path]).status, 1, "another country's number is not the same")
        XCTAssertEqual(FileManager.default.contents(atPath: path), before, "a lookup writes nothing")
    }

    func testLookupJSONHasStableFieldsAndIds() throws {
        let result = try crm(["lookup", "+49 171 9936679", "--json", "--db", dbPath])
        XCTAssertEqual(result.status, 0, result.err)
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 1)
        let card = array[0]
        XCTAssertEqual(card["id"] as? Int, Int(guenter.id))
        XCTAssertEqual(card["name"] as? String, "Günter Müller")
        XCTAssertEqual(card["company"] as? String, "Acme GmbH")
        XCTAssertEqual(card["company_id"] as? Int, Int(guenter.companyID!))
        XCTAssertEqual(card["owner"] as? String, "sara")
        XCTAssertEqual(card["lifecycle"] as? String, "customer")
        XCTAssertEqual(card["matched_phone"] as? String, "0171 9936679")
        XCTAssertEqual((card["phones"] as? [[String: String]])?.last, ["number": "0171 9936679", "label": "mobile"])
        XCTAssertEqual((card["emails"] as? [[String: String]])?.first?["address"], "guenter@mueller.example")
        let last = try XCTUnwrap(card["last_interaction"] as? [String: Any])
        XCTAssertEqual(last["type"] as? String, "call")
        XCTAssertEqual(last["direction"] as? String, "in")
        XCTAssertEqual(last["at"] as? String, "2026-11-24T09:15:00Z")
        XCTAssertEqual(last["subject"] as? String, "Renewal price")
        XCTAssertEqual(last["first_line"] as? String, "He wants 5% off.")
        XCTAssertEqual(last["duration_seconds"] as? Int, 300)
        let followUps = try XCTUnwrap(card["open_follow_ups"] as? [[String: Any]])
        XCTAssertEqual(followUps.map { $0["title"] as? String }, ["Send the offer"])
        XCTAssertEqual(followUps.first?["due"] as? String, "2026-11-27T09:00:00Z")
        XCTAssertNotNil(followUps.first?["id"] as? Int)

        let nobody = try crm(["lookup", "+1 212 555 0100", "--json", "--db", dbPath])
        XCTAssertEqual(nobody.status, 1)
        XCTAssertEqual(nobody.out, "[]\n")
        XCTAssertTrue(nobody.err.contains("no contact has a phone number matching +1 212 555 0100"), nobody.err)
        // A contact in the trash with the number is named, with how to restore it (QA 30 #19).
        let db = try Database(path: dbPath, login: "sara")
        let tom = try db.contacts.create(Contact(name: "Tom\u{1b}[31m Trash", phones: [PhoneNumber("+1 212 555 0100")]))
        try db.contacts.delete(tom.id)
        let trashed = try crm(["lookup", "001 212 555 0100", "--db", dbPath])
        XCTAssertEqual(trashed.status, 1)
        XCTAssertEqual(trashed.err, "crm: no contact has a phone number matching 001 212 555 0100\n"
                       + "crm: Tom␛[31m Trash (contact \(tom.id)), in the trash, has it: crm trash restore contact \(tom.id)\n")
    }

    func testLookupOfSomethingThatIsNoNumber() throws {
        let name = try crm(["lookup", "Müller", "--db", dbPath])
        XCTAssertEqual(name.status, 65)
        XCTAssertEqual(name.err, "crm: \"Müller\" is not a phone number; expected at least 3 digits and only + - ( ) . / and spaces, "
                       + "e.g. +49 171 9936679 (or a tel: or sip: address of one)\n")
        XCTAssertEqual(try crm(["lookup", "sip:alice@pbx.example", "--db", dbPath]).status, 65, "a SIP address of a name is no number")
        XCTAssertEqual(try crm(["lookup", "12", "--db", dbPath]).status, 65, "two digits are no number")
        XCTAssertEqual(try crm(["lookup", "--db", dbPath]).status, 64)
    }

    // MARK: crm log

    func testLogACallAtHangUpByPhone() throws {
        let result = try crm(["log", "--phone", "+49 171 9936679", "--type", "call", "--direction", "in", "--duration", "5m",
                              "--subject", "Hang-up", "--body", "-", "--db", dbPath], stdin: Data("Asked for the invoice.\n".utf8))
        XCTAssertEqual(result.status, 0, result.err)
        let id = try XCTUnwrap(Int64(result.out.trimmingCharacters(in: .newlines)))
        let db = try open()
        let logged = try XCTUnwrap(try db.interactions.get(id))
        XCTAssertEqual(logged.contactID, guenter.id)
        XCTAssertEqual(logged.companyID, guenter.companyID)
        XCTAssertEqual(logged.kind, .call)
        XCTAssertEqual(logged.direction, .inbound)
        XCTAssertEqual(logged.durationSeconds, 300)
        XCTAssertEqual(logged.subject, "Hang-up")
        XCTAssertEqual(logged.body, "Asked for the invoice.")
        XCTAssertLessThan(abs(logged.occurredAt.timeIntervalSinceNow), 600, "default: now")
        let audit = try db.auditTrail(entity: "interaction", id: id, limit: 5)
        XCTAssertEqual(audit.map(\.action), ["create"])
        XCTAssertEqual(audit.first?.userLogin, "sara")
    }

    /// The call card saved its note before the hang-up hook ran (QA 30
    /// #13): the hook's `crm log` gives that call its duration and subject
    /// instead of logging the call a second time, and says so.
    func testTheHangUpHookCompletesTheCallTheCardLogged() throws {
        let card = try Database(path: dbPath, login: "sara").interactions.log(
            Interaction(contactID: guenter.id, kind: .call, direction: .inbound, occurredAt: Date().addingTimeInterval(-50),
                        durationSeconds: 45, body: "Asked about pricing", createdAt: Date()))
        let before = try interactionCount()
        let hook = try crm(["log", "--phone", "+49 171 9936679", "--type", "call", "--direction", "in", "--duration", "61s",
                            "--subject", "Call", "--db", dbPath])
        XCTAssertEqual(hook.status, 0, hook.err)
        XCTAssertEqual(hook.out, "\(card.id)\n", "the card's call")
        XCTAssertTrue(hook.err.contains("the call card logged this call already (interaction \(card.id)); its duration is now 01:01"), hook.err)
        XCTAssertEqual(try interactionCount(), before, "no second call")
        let call = try XCTUnwrap(try open().interactions.get(card.id))
        XCTAssertEqual(call.durationSeconds, 61)
        XCTAssertEqual(call.subject, "Call")
        XCTAssertEqual(call.body, "Asked about pricing")
        // The next call's hook finds that one reported already: a call of its own.
        let next = try crm(["log", "--phone", "+49 171 9936679", "--type", "call", "--direction", "in", "--duration", "20s",
                            "--subject", "Call", "--db", dbPath])
        XCTAssertEqual(next.status, 0, next.err)
        XCTAssertNotEqual(next.out, "\(card.id)\n")
        XCTAssertEqual(try interactionCount(), before + 1)
    }

    /// A call logged afterwards for another time (`--at`) is a call of its
    /// own, even while the card's call of a minute ago has no subject yet
    /// (QA 43 #3: it used to give that call its subject and duration).
    func testACallLoggedForAnotherTimeIsNotTheCardsCall() throws {
        let card = try Database(path: dbPath, login: "sara").interactions.log(
            Interaction(contactID: guenter.id, kind: .call, direction: .inbound, occurredAt: Date().addingTimeInterval(-50),
                        durationSeconds: 45, body: "Asked about pricing", createdAt: Date()))
        let before = try interactionCount()
        let old = try crm(["log", "--phone", "+49 171 9936679", "--type", "call", "--direction", "in", "--duration", "2m",
                           "--subject", "old call", "--at", "2020-01-01 10:00", "--db", dbPath])
        XCTAssertEqual(old.status, 0, old.err)
        XCTAssertEqual(old.err, "")
        XCTAssertNotEqual(old.out, "\(card.id)\n")
        XCTAssertEqual(try interactionCount(), before + 1)
        let logged = try XCTUnwrap(try open().interactions.get(Int64(old.out.trimmingCharacters(in: .newlines))!))
        XCTAssertEqual(logged.occurredAt, ISO8601DateFormatter().date(from: "2020-01-01T10:00:00Z"))
        XCTAssertEqual(logged.subject, "old call")
        let untouched = try XCTUnwrap(try open().interactions.get(card.id))
        XCTAssertEqual(untouched.subject, "")
        XCTAssertEqual(untouched.durationSeconds, 45)
        // Said for the time of the card's call, it is that call.
        let now = try crm(["log", "--phone", "+49 171 9936679", "--type", "call", "--direction", "in", "--duration", "61s",
                           "--subject", "Call", "--at", "-1min", "--db", dbPath])
        XCTAssertEqual(now.out, "\(card.id)\n", now.err)
    }

    func testLogByContactAndEmailWithDatesInBothCalendars() throws {
        let byID = try crm(["log", "--contact", "\(erika.id)", "--type", "meeting", "--at", "2026-11-20 14:30", "--duration", "1h30m",
                            "--user", "omid", "--body", "Workshop", "--db", dbPath])
        XCTAssertEqual(byID.status, 0, byID.err)
        let meeting = try XCTUnwrap(try open().interactions.get(Int64(byID.out.trimmingCharacters(in: .newlines))!))
        XCTAssertEqual(meeting.occurredAt, ISO8601DateFormatter().date(from: "2026-11-20T14:30:00Z"))
        XCTAssertEqual(meeting.durationSeconds, 5400)
        XCTAssertEqual(try open().auditTrail(entity: "interaction", id: meeting.id, limit: 1).first?.userLogin, "omid")

        // The address compared without case; a Persian date in Persian digits.
        try settings("calendar = persian\n")
        let byEmail = try crm(["log", "--email", "erika@HUBER.example", "--type", "note", "--at", "۱۴۰۵-۰۹-۰۶ ۱۰:۰۰",
                               "--body", "Called back", "--db", dbPath])
        XCTAssertEqual(byEmail.status, 0, byEmail.err)
        let note = try XCTUnwrap(try open().interactions.get(Int64(byEmail.out.trimmingCharacters(in: .newlines))!))
        XCTAssertEqual(note.contactID, erika.id)
        XCTAssertEqual(note.occurredAt, ISO8601DateFormatter().date(from: "2026-11-27T10:00:00Z"), "6 Azar 1405 is 27 Nov 2026")
    }

    func testLogRefusesWhatItCannotUseAndWritesNothing() throws {
        let before = try interactionCount()
        // The same number on a second contact: which one is meant is not clear.
        do {
            let db = try Database(path: dbPath, login: "sara", phoneRegion: PhoneRegion(code: "DE"))
            _ = try db.contacts.create(Contact(name: "Müller Zentrale", phones: [PhoneNumber("+49 171 9936679")]))
        }
        let several = try crm(["log", "--phone", "0171 9936679", "--type", "call", "--db", dbPath])
        XCTAssertEqual(several.status, 65, several.err)
        XCTAssertTrue(several.err.contains("2 contacts have a phone number matching 0171 9936679: "), several.err)
        XCTAssertTrue(several.err.contains("\(guenter.id) Günter Müller (Acme GmbH)"), several.err)
        XCTAssertTrue(several.err.contains("say which with --contact ID"), several.err)

        let cases: [([String], Int32, String)] = [
            (["--phone", "+1 212 555 0100", "--type", "call"], 1, "crm: no contact has a phone number matching +1 212 555 0100\n"),
            (["--email", "nobody@example.com", "--type", "email"], 1, "crm: no contact has the address nobody@example.com\n"),
            (["--contact", "999", "--type", "note", "--body", "x"], 1, "crm: there is no contact with id 999; nothing was logged\n"),
            (["--phone", "Müller", "--type", "call"], 65, "not a phone number"),
            (["--email", "not-an-address", "--type", "call"], 65, "is not an email address"),
            (["--contact", "\(erika.id)", "--type", "call", "--duration", "forever"], 65, "\"forever\" is not a duration"),
            (["--contact", "\(erika.id)", "--type", "call", "--duration", "25h"], 65, "is too long"),
            (["--contact", "\(erika.id)", "--type", "call", "--at", "someday"], 65, "--at: can't read \"someday\" as a date"),
            (["--contact", "\(erika.id)", "--type", "call", "--at", "+2h"], 65, ", in the future; log what happened"),
            (["--contact", "\(erika.id)", "--type", "call", "--at", "tomorrow 10:00"], 65, "--at: \"tomorrow 10:00\" is "),
            (["--contact", "\(erika.id)", "--type", "note"], 65, "a note needs some text"),
            (["--contact", "\(erika.id)", "--type", "fax"], 64, "--type is \"fax\"; expected call, email, meeting, note or message"),
            (["--contact", "\(erika.id)", "--phone", "0171 9936679", "--type", "call"], 64, "give one of --contact, --phone and --email"),
            (["--type", "call"], 64, "say whom it is about"),
            (["--contact", "\(erika.id)"], 64, "--type is required"),
            (["--contact", "\(erika.id)", "--type", "call", "--direction", "sideways"], 64, "--direction is \"sideways\""),
        ]
        for (args, status, message) in cases {
            let result = try crm(["log"] + args + ["--db", dbPath])
            XCTAssertEqual(result.status, status, "\(args): \(result.err)")
            XCTAssertTrue(result.err.contains(message), "\(args): \(result.err)")
            XCTAssertEqual(result.out, "")
        }
        // On a database that takes new logins, a refused log adds no user either.
        try Database(path: dbPath, login: "sara").connection.run("INSERT OR REPLACE INTO shared_settings(key, value) VALUES ('create_users_on_first_use', '1')")
        let refused = try crm(["log", "--contact", "\(erika.id)", "--type", "note", "--user", "ghost", "--db", dbPath])
        XCTAssertEqual(refused.status, 65, refused.err)
        XCTAssertEqual(try open().connection.scalar("SELECT count(*) FROM users WHERE login = 'ghost'"), 0)
        let latin1 = try crm(["log", "--contact", "\(erika.id)", "--type", "note", "--body", "-", "--db", dbPath], stdin: Data([0x47, 0x72, 0xFC, 0xDF, 0x65]))
        XCTAssertEqual(latin1.status, 65)
        XCTAssertEqual(latin1.err, "crm: the body on stdin is not UTF-8 text\n")
        XCTAssertEqual(try interactionCount(), before)
        XCTAssertEqual(try crm(["log", "--contact", "\(erika.id)", "--type", "call", "--db", folder.appendingPathComponent("none.db").path]).status, 66)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("none.db").path))
    }

    // MARK: crm log-email

    func testPlainMailIsLoggedOnTheSendersContact() throws {
        let result = try logEmail("plain.eml")
        XCTAssertEqual(result.status, 0, result.err)
        let logged = try emails(of: erika)
        XCTAssertEqual(logged.count, 1)
        let mail = logged[0]
        XCTAssertEqual(result.out, "logged email \(mail.id) \"Question about the renewal\" on Erika Huber (contact \(erika.id))\n")
        XCTAssertEqual(mail.direction, .inbound)
        XCTAssertEqual(mail.subject, "Question about the renewal")
        XCTAssertEqual(mail.occurredAt, ISO8601DateFormatter().date(from: "2026-11-24T08:15:00Z"))
        XCTAssertEqual(mail.body, "Hello Sara,\n\ncould you send me the renewal offer for next year?\n\nThanks,\nErika")
        let db = try open()
        XCTAssertEqual(try db.connection.text("SELECT message_id FROM interactions WHERE id = ?", [mail.id]), "plain-1@huber.example")
        XCTAssertEqual(try db.auditTrail(entity: "interaction", id: mail.id, limit: 1).first?.changes["message id"],
                       AuditChange(.text(""), .text("plain-1@huber.example")))
    }

    func testTheSameMailTwiceIsLoggedOnce() throws {
        XCTAssertEqual(try logEmail("plain.eml").status, 0)
        let again = try logEmail("plain.eml")
        XCTAssertEqual(again.status, 0, again.err)
        let id = try emails(of: erika).first!.id
        XCTAssertEqual(again.out, "already logged: \"Question about the renewal\" is email \(id)\n")
        XCTAssertEqual(try emails(of: erika).count, 1)
        // Deleted since: still logged once, and crm says where it is.
        try Database(path: dbPath, login: "sara").interactions.delete(id)
        XCTAssertEqual(try logEmail("plain.eml").out, "already logged: \"Question about the renewal\" is email \(id) (in the trash)\n")
    }

    func testLatin1PersianAndHTMLMailsAreDecoded() throws {
        XCTAssertEqual(try logEmail("latin1-subject.eml").status, 0)
        let latin = try XCTUnwrap(try emails(of: guenter).first)
        XCTAssertEqual(latin.subject, "Angebot für die Müller GmbH")
        XCTAssertTrue(latin.body.hasPrefix("Guten Tag,\n\nvielen Dank für das Angebot."), latin.body)

        XCTAssertEqual(try logEmail("persian-base64.eml").status, 0)
        let persian = try XCTUnwrap(try emails(of: reza).first)
        XCTAssertEqual(persian.subject, "درخواست پیش‌فاکتور")
        XCTAssertEqual(persian.body, "سلام خانم احمدی،\n\nلطفاً پیش‌فاکتور را برای ما بفرستید.\n\nبا سپاس\nرضا کریمی")
        XCTAssertEqual(persian.occurredAt, ISO8601DateFormatter().date(from: "2026-11-26T04:30:00Z"))

        // Wei Li is nobody's address yet: --create makes the contact from the display name.
        let unknown = try logEmail("html-only.eml")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.err, "crm: not logged \"Meeting notes\": no contact has wei.li@lichen.example; --create makes one, --contact ID picks one\n")
        let created = try logEmail("html-only.eml", "--create")
        XCTAssertEqual(created.status, 0, created.err)
        let db = try open()
        let wei = try XCTUnwrap(try db.externalLogRepository.contacts(withEmail: "wei.li@lichen.example", limit: 5).first)
        XCTAssertEqual(wei.name, "Li, Wei")
        XCTAssertEqual(wei.ownerLogin, "sara")
        XCTAssertEqual(wei.lifecycle, .lead)
        let html = try XCTUnwrap(try db.interactions.timeline(.contact(wei.id), before: nil, limit: 5).first?.interaction)
        XCTAssertEqual(html.body, "Hello Sara,\n\nthanks for the meeting & the demo.\nPrice: 12 500 €\nMünchen, 上海\n\nBest,\nWei")
        XCTAssertTrue(created.out.contains("on Li, Wei (contact \(wei.id), new)"), created.out)
    }

    func testOutgoingMailGoesToTheRecipient() throws {
        let result = try logEmail("outgoing.eml")
        XCTAssertEqual(result.status, 0, result.err)
        let sent = try XCTUnwrap(try emails(of: erika).first)
        XCTAssertEqual(sent.direction, .outbound, "From is one of my_addresses")
        XCTAssertEqual(sent.subject, "Re: Question about the renewal")
        XCTAssertEqual(try emails(of: guenter).count, 0, "once, on the first recipient that is a contact")
        // Without my_addresses a mail from Sara is from an unknown sender,
        // unless --direction says it was sent.
        try settings("")
        let another = Data(String(decoding: try mail("outgoing.eml"), as: UTF8.self)
            .replacingOccurrences(of: "out-6@", with: "out-7@").utf8)
        XCTAssertEqual(try crm(["log-email", "--db", dbPath], stdin: another).status, 1)
        let out = try crm(["log-email", "--direction", "out", "--db", dbPath], stdin: another)
        XCTAssertEqual(out.status, 0, out.err)
        XCTAssertEqual(try emails(of: erika).map(\.direction), [.outbound, .outbound])
    }

    func testMailingListMailIsSkippedUnlessForced() throws {
        let skipped = try logEmail("list.eml")
        XCTAssertEqual(skipped.status, 0)
        XCTAssertEqual(skipped.err, "crm: skipped \"[customers] Newsletter November\": it came from a mailing list "
                       + "(List-Id: Customers <customers.lists.crm-team.example>); --force logs it\n")
        XCTAssertEqual(try emails(of: erika).count, 0)
        let forced = try logEmail("list.eml", "--force")
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertEqual(try emails(of: erika).map(\.subject), ["[customers] Newsletter November"])
    }

    func testAnMboxOfThreeIsLoggedWithASummary() throws {
        let result = try logEmail("three.mbox")
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.hasSuffix("3 mails: 3 logged, 0 already logged, 0 skipped, 0 not logged\n"), result.out)
        XCTAssertEqual(try emails(of: erika).map(\.body), ["One.\nFrom the start, we liked it.\n>From here too."])
        XCTAssertEqual(try emails(of: guenter).map(\.body), ["Two, in plain text: Grüße."])
        XCTAssertEqual(try emails(of: reza).map(\.subject), ["Third"])
        let again = try logEmail("three.mbox")
        XCTAssertTrue(again.out.hasSuffix("3 mails: 0 logged, 3 already logged, 0 skipped, 0 not logged\n"), again.out)
    }

    func testUnreadableInputIsRefusedWholeAndNothingIsWritten() throws {
        let before = try interactionCount()
        let cases: [(String, String)] = [
            ("no-from.eml", "crm: stdin, line 1: the mail has no From header; expected From: name@example.com; nothing was logged\n"),
            ("truncated.mbox", "crm: stdin, message 2, line 17: the mail is cut off: its MIME part ends without the closing boundary \"--b1--\"; nothing was logged\n"),
            ("invalid-utf8-header.eml", "crm: stdin, line 2: the Subject header is not valid UTF-8; expected ASCII with RFC 2047 encoded words (=?charset?Q?...?=) or UTF-8; nothing was logged\n"),
            ("not-a-mail.txt", "crm: stdin, line 1: this is not a mail: expected header fields such as \"From: name@example.com\"; nothing was logged\n"),
        ]
        for (name, message) in cases {
            let result = try logEmail(name)
            XCTAssertEqual(result.status, 65, name)
            XCTAssertEqual(result.err, message, name)
            XCTAssertEqual(result.out, "", name)
        }
        let empty = try crm(["log-email", "--db", dbPath])
        XCTAssertEqual(empty.status, 65)
        XCTAssertEqual(empty.err, "crm: stdin, the input is empty; expected a mail (RFC 5322) or an mbox of mails; nothing was logged\n")
        XCTAssertEqual(try interactionCount(), before, "the first, whole message of the truncated mbox is not logged either")
        XCTAssertEqual(try logEmail("plain.eml", "--bogus").status, 64)
    }

    func testAnAddressOfSeveralContactsIsRefusedUnlessOneIsNamed() throws {
        do {
            let db = try Database(path: dbPath, login: "sara")
            _ = try db.contacts.create(Contact(name: "Erika (private)", emails: [EmailAddress("erika@huber.example")]))
        }
        let result = try logEmail("plain.eml")
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.err.contains("erika@huber.example belongs to several contacts ("), result.err)
        XCTAssertTrue(result.err.contains("\(erika.id) Erika Huber"), result.err)
        XCTAssertEqual(try emails(of: erika).count, 0)
        XCTAssertEqual(try logEmail("plain.eml", "--contact", "\(erika.id)").status, 0)
        XCTAssertEqual(try emails(of: erika).count, 1)
        XCTAssertEqual(try logEmail("plain.eml", "--contact", "999").err, "crm: there is no contact with id 999; nothing was logged\n")
    }
}
