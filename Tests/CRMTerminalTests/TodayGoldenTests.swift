import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// The Today view as a person sees it, at 80x24 and 120x40, in the Gregorian
/// and the Persian calendar, drawn by the same renderer the terminal uses.
final class TodayGoldenTests: XCTestCase {
    var folder: URL!

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    /// Friday 27 March 2026, 10:00 in Berlin (7 Farvardin 1405).
    func makeApp(calendar: Settings.CalendarKind, zone: String) throws -> AppModel {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "ana")
        var settings = Settings()
        settings.calendar = calendar
        settings.timeZone = TimeZone(identifier: zone)
        let app = AppModel(repositories: db, clock: ManualClock(Self.date("2026-03-27T09:00:00Z")),
                           timeFormat: TimeFormat(settings: settings), settings: settings)
        let ana = db.currentUser.id
        func contact(_ name: String, _ company: String?, _ lifecycle: Lifecycle, last: String?) throws -> Contact {
            let companyID = try company.map { try db.companies.find(name: $0)?.id ?? db.companies.create(Company(name: $0)).id }
            let c = try db.contacts.create(Contact(name: name, companyID: companyID, ownerID: ana, lifecycle: lifecycle))
            if let last {
                _ = try db.interactions.log(Interaction(contactID: c.id, kind: .call, direction: .outbound,
                                                        occurredAt: Self.date(last), durationSeconds: 300, body: "Spoke"))
            }
            return c
        }
        let ada = try contact("Ada Lovelace", "Analytical Engines", .customer, last: "2026-03-25T10:00:00Z")
        let bob = try contact("Bob Müller", "Müller GmbH", .customer, last: "2026-03-26T15:00:00Z")
        let chen = try contact("陈伟", "深圳零件", .customer, last: "2026-03-26T08:00:00Z")
        let sara = try contact("سارا محمدی", "Pars Trading", .prospect, last: "2026-03-01T09:00:00Z")
        let evil = try contact("Mallory\u{1B}[31m", nil, .customer, last: "2026-03-10T09:00:00Z")
        _ = try contact("Lena Lead", nil, .lead, last: nil)
        func due(_ title: String, _ c: Contact, _ when: String, note: String = "") throws {
            _ = try db.followUps.create(FollowUp(contactID: c.id, assigneeID: ana, title: title, note: note, dueAt: Self.date(when)))
        }
        try due("Send the quote", ada, "2026-03-25T08:00:00Z")
        try due("Call about renewal", bob, "2026-03-27T07:00:00Z", note: "ask about the second site")
        try due("Demo of the new module", chen, "2026-03-27T13:00:00Z")
        try due("Check the invoice", ada, "2026-03-30T07:00:00Z")
        try due("Contract draft", sara, "2026-04-02T12:30:00Z")
        _ = evil
        app.start(in: .today)
        return app
    }

    func render(_ app: AppModel, _ w: Int, _ h: Int) -> MemoryScreen {
        let screen = MemoryScreen(width: w, height: h)
        app.handle(.resize(width: w, height: h))
        // One frame: the resize already sized the view.
        AppRenderer.render(app, on: screen)
        return screen
    }

    func testGregorian80x24() throws {
        let app = try makeApp(calendar: .gregorian, zone: "Europe/Berlin")
        app.handle(.key(.char("j")))
        assertGolden(render(app, 80, 24), named: "today-gregorian-80x24", withStyles: true)
    }

    func testGregorian120x40() throws {
        let app = try makeApp(calendar: .gregorian, zone: "Europe/Berlin")
        assertGolden(render(app, 120, 40), named: "today-gregorian-120x40")
    }

    /// The first screen (Today, its header's day and each follow-up's due
    /// time) in the Gregorian calendar is spelled without a DateFormatter:
    /// the first one a process makes loads ICU's locale data (issue 16). The
    /// golden frame above shows the spelling is the formatter's.
    func testGregorianFirstScreenMakesNoDateFormatter() throws {
        let app = try makeApp(calendar: .gregorian, zone: "Europe/Berlin")
        let screen = render(app, 120, 40)
        XCTAssertTrue(goldenText(screen, withStyles: false).contains("Fri 27 Mar 2026"))
        XCTAssertEqual(app.timeFormat.formattersMade, 0)
    }

    func testPersian80x24() throws {
        let app = try makeApp(calendar: .persian, zone: "Asia/Tehran")
        assertGolden(render(app, 80, 24), named: "today-persian-80x24")
    }

    func testPersian120x40() throws {
        let app = try makeApp(calendar: .persian, zone: "Asia/Tehran")
        assertGolden(render(app, 120, 40), named: "today-persian-120x40")
    }

    func testSnoozePromptShowsWhatItUnderstood() throws {
        let app = try makeApp(calendar: .gregorian, zone: "Europe/Berlin")
        // 1, 2, 3 act at once; a typed date shows what it means.
        for key in [Key.char("s"), .char("+"), .char("2"), .char("d")] { app.handle(.key(key)) }
        assertGolden(render(app, 80, 24), named: "today-snooze-prompt-80x24")
    }

    /// The Persian calendar in Tehran: older entries show whole dates
    /// ("10 Esf 1404"), not a month name cut at the column's edge.
    func testGlobalTimelinePersian80x24() throws {
        let app = try makeApp(calendar: .persian, zone: "Asia/Tehran")
        app.handle(.key(.char("4")))
        let screen = render(app, 80, 24)
        assertGolden(screen, named: "timeline-persian-80x24")
        let text = screen.rowsText().joined(separator: "\n")
        XCTAssertTrue(text.contains("10 Esf 1404") && text.contains("19 Esf 1404"), text)
        XCTAssertFalse(text.contains("Esfand…"), text)
    }

    /// digits = persian: dates, times, counts and durations in Persian digits
    /// on screen; names and the typed search stay as they are.
    func testPersianDigits80x24() throws {
        let app = try makeApp(calendar: .persian, zone: "Asia/Tehran")
        var settings = app.settings
        settings.digits = .persian
        app.apply(settings)
        assertGolden(render(app, 80, 24), named: "today-persian-digits-80x24")
        app.handle(.key(.char("4")))
        assertGolden(render(app, 80, 24), named: "timeline-persian-digits-80x24")
    }

    func testGlobalTimeline120x40() throws {
        let app = try makeApp(calendar: .gregorian, zone: "Europe/Berlin")
        app.handle(.key(.char("4")))
        assertGolden(render(app, 120, 40), named: "timeline-120x40")
    }

    /// 300 more overdue follow-ups (ana's and ben's): the counts line names
    /// every section, the list is paged, and the 150th row is as reachable as
    /// the first.
    func makeLargeOverdue() throws -> AppModel {
        let app = try makeApp(calendar: .gregorian, zone: "Europe/Berlin")
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "ana")
        let ben = try db.users.findOrCreate(login: "ben").id
        let ana = try db.users.findOrCreate(login: "ana").id
        let customer = try db.contacts.create(Contact(name: "Grace Hopper", ownerID: ana, lifecycle: .customer))
        try db.transaction {
            for i in 1...300 {
                _ = try db.followUps.create(FollowUp(contactID: customer.id, assigneeID: i % 3 == 0 ? ben : ana,
                                                     title: "Overdue task \(i)",
                                                     dueAt: Self.date("2026-03-01T08:00:00Z").addingTimeInterval(Double(i) * 3600)))
            }
        }
        app.today.reload()
        return app
    }

    func testLargeOverdue80x24() throws {
        let app = try makeLargeOverdue()
        app.handle(.key(.char("g")))
        for _ in 0..<8 { app.handle(.key(.pageDown)) }
        app.handle(.key(.char(" ")))
        app.handle(.key(.char(" ")))
        assertGolden(render(app, 80, 24), named: "today-large-overdue-80x24", withStyles: true)
    }

    func testLargeOverdueEveryone120x40() throws {
        let app = try makeLargeOverdue()
        app.handle(.key(.char("m")))
        app.handle(.key(.char("G")))
        assertGolden(render(app, 120, 40), named: "today-large-overdue-everyone-120x40")
    }
}
