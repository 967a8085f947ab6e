import CRMCore
import Foundation
import XCTest
@testable import CRMViewModels

/// The settings screen (S): saving writes the settings file, asks before it
/// replaces a file crm did not write as it stands, and a "no" keeps the form
/// and what was typed in it.
final class SettingsFormTests: XCTestCase {
    var f: TodayFixture!
    var path: String!

    override func setUpWithError() throws {
        f = try TodayFixture()
        path = f.folder.appendingPathComponent("config/crm/settings").path
        f.app.start(in: .contacts)
    }

    override func tearDown() { f = nil }

    var form: FormModel? {
        if case .form(let form)? = f.app.overlay { return form }
        return nil
    }

    var fileText: String? {
        FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
    }

    func write(_ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// S, Tab to the calendar, Left: the other calendar, Ctrl-S.
    func switchCalendarAndSave() {
        f.press(.char("S"), .tab, .left, .ctrl("s"))
    }

    func testFileWrittenByCrmIsReplacedWithoutAsking() throws {
        f.app.loadSettings(path: path)  // no file yet
        switchCalendarAndSave()
        XCTAssertNil(f.app.overlay)
        XCTAssertEqual(f.app.settings.calendar, .persian)
        XCTAssertTrue(fileText?.contains("calendar = persian") == true)

        // The file is now crm's own: saving again needs no question, in this
        // session or the next.
        switchCalendarAndSave()
        XCTAssertNil(f.app.overlay, "crm's own file is replaced without asking")
        XCTAssertEqual(f.app.settings.calendar, .gregorian)
        XCTAssertEqual(f.app.statusMessage?.text, "Settings saved to \(path!)")

        let next = try TodayFixture()
        next.app.loadSettings(path: path)
        next.app.start(in: .contacts)
        next.press(.char("S"), .tab, .left, .ctrl("s"))
        XCTAssertNil(next.app.overlay)
        XCTAssertEqual(next.app.settings.calendar, .persian)
    }

    /// QA 45 KB #5: an error beside a field names the key once; a cadence
    /// keeps the lifecycle it is about.
    func testAFieldsErrorNamesItsKeyOnce() throws {
        f.app.loadSettings(path: path)
        f.press(.char("S"))
        guard case .form(let form)? = f.app.overlay else { return XCTFail("no form") }
        form["time_zone"] = "Mars/Olympus"
        form["cadence"] = "prospect=abc"
        f.press(.ctrl("s"))
        let zone = try XCTUnwrap(form.fields.first { $0.name == "time_zone" }?.error)
        XCTAssertTrue(zone.hasPrefix("time_zone: unknown time zone \"Mars/Olympus\""), zone)
        let cadence = try XCTUnwrap(form.fields.first { $0.name == "cadence" }?.error)
        XCTAssertTrue(cadence.hasPrefix("cadence: prospect: "), cadence)
    }

    /// Digits: persian in the form shows dates and numbers in Persian digits
    /// at once, is written to the file, and read back by the next start.
    func testPersianDigitsAreChosenInTheFormAndKept() throws {
        f.app.loadSettings(path: path)
        f.press(.char("S"))
        let opened = try XCTUnwrap(form)
        XCTAssertEqual(opened["digits"], "ascii", "ASCII by default")
        opened.focus(field: "digits")
        f.press(.right, .ctrl("s"))
        XCTAssertNil(f.app.overlay, opened.fields.compactMap(\.error).joined(separator: "; "))
        XCTAssertEqual(f.app.settings.digits, .persian)
        XCTAssertTrue(fileText?.contains("digits = persian") == true, fileText ?? "")
        let now = f.clock.now
        XCTAssertEqual(f.app.timeFormat.relative(now.addingTimeInterval(-3 * 3600), now: now), "۳ h ago")
        XCTAssertEqual(f.app.timeFormat.number("12,500.00 EUR"), "۱۲٬۵۰۰٫۰۰ EUR")

        let next = try TodayFixture()
        next.app.loadSettings(path: path)
        XCTAssertEqual(next.app.timeFormat.digits, .persian)
        // The command line builds its TimeFormat from the same settings and keeps ASCII.
        XCTAssertEqual(TimeFormat(settings: next.app.settings).digits, .ascii)
    }

    /// phone_region is set in the file only; saving the screen keeps it.
    func testSavingTheScreenKeepsThePhoneRegion() throws {
        var settings = Settings()
        settings.phoneRegion = PhoneRegion(code: "IR")
        try write(SettingsFile.render(settings))
        f.app.loadSettings(path: path)
        switchCalendarAndSave()
        XCTAssertNil(f.app.overlay, "crm's own file is replaced without asking")
        XCTAssertEqual(f.app.settings.phoneRegion?.code, "IR")
        XCTAssertTrue(fileText?.contains("phone_region = IR") == true, fileText ?? "")
    }

    /// The reports' exchange rates are set in the file only; saving the screen keeps them.
    func testSavingTheScreenKeepsTheRates() throws {
        var settings = Settings()
        settings.rates = ["USD": 0.92]
        try write(SettingsFile.render(settings))
        f.app.loadSettings(path: path)
        switchCalendarAndSave()
        XCTAssertNil(f.app.overlay, "crm's own file is replaced without asking")
        XCTAssertEqual(f.app.settings.rates, ["USD": 0.92])
        XCTAssertTrue(fileText?.contains("rate.USD = 0.92") == true, fileText ?? "")
    }

    func testUserEditedFileIsOnlyReplacedAfterAskingAndNoKeepsTheForm() throws {
        let mine = "# my own notes\ncalendar = gregorian\ncurrency = USD  # for the US office\n"
        try write(mine)
        f.app.loadSettings(path: path)
        XCTAssertEqual(f.app.settings.currency, "USD")

        switchCalendarAndSave()
        let asked = try XCTUnwrap(form, "the form stays up with the question")
        XCTAssertTrue(asked.banner?.hasPrefix("Ctrl-S again to overwrite: the file has comments") == true, asked.banner ?? "no banner")
        XCTAssertTrue(asked.banner?.contains("comments") == true, asked.banner ?? "no banner")
        XCTAssertEqual(asked["calendar"], "persian", "the edit is kept")
        XCTAssertEqual(fileText, mine, "not written before the answer")
        XCTAssertEqual(f.app.settings.calendar, .gregorian)
        XCTAssertNotEqual(f.app.statusMessage?.text, "Confirm to save")

        // Not now: Esc asks about the typed values; any other key goes back to
        // the form with the values still there.
        f.press(.escape, .char("n"))
        XCTAssertTrue(form === asked)
        XCTAssertEqual(asked["calendar"], "persian")
        XCTAssertEqual(fileText, mine)

        // Yes: Ctrl-S again.
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay)
        XCTAssertEqual(f.app.settings.calendar, .persian)
        XCTAssertEqual(f.app.settings.currency, "USD")
        XCTAssertEqual(fileText, SettingsFile.render(f.app.settings))
    }

    func testAHandWrittenFileOfSettingsOnlyIsReplacedWithoutAsking() throws {
        // Every line a setting crm reads and writes back: nothing to lose.
        try write("phone_region = DE\n")
        f.app.loadSettings(path: path)
        switchCalendarAndSave()
        XCTAssertNil(f.app.overlay, "saved on the first Ctrl-S")
        XCTAssertEqual(f.app.settings.phoneRegion?.code, "DE")
        XCTAssertEqual(fileText, SettingsFile.render(f.app.settings))
        XCTAssertTrue(fileText?.contains("phone_region = DE") == true)
    }

    func testFileChangedOutsideCrmOrBrokenIsNotReplacedSilently() throws {
        f.app.loadSettings(path: path)
        switchCalendarAndSave()
        XCTAssertNil(f.app.overlay)

        // Someone edits the (crm-written) file while crm runs.
        try write(fileText!.replacingOccurrences(of: "currency = EUR", with: "currency = GBP"))
        switchCalendarAndSave()
        XCTAssertTrue(form?.banner?.contains("changed outside crm") == true, form?.banner ?? "no banner")

        // It changes again before the answer: the question is asked again.
        try write("calendar = julian\n")
        f.press(.ctrl("s"))
        XCTAssertTrue(form?.banner?.contains("cannot read") == true, form?.banner ?? "no banner")
        XCTAssertEqual(fileText, "calendar = julian\n")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay)
        XCTAssertEqual(f.app.settings.calendar, .gregorian)
        XCTAssertEqual(fileText, SettingsFile.render(f.app.settings))
    }
}
