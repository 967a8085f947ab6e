import Foundation
import XCTest
@testable import CRMCore

final class SettingsFileTests: XCTestCase {
    func testReadsEveryKey() {
        let (s, problems) = SettingsFile.parse("""
            # my settings
            time_zone = Asia/Tehran
            calendar = persian   # Jalali dates
            first_weekday = saturday
            currency = irr
            cadence.customer = 10
            cadence.tag.vip = 3
            Cadence.Tag.Über-Kunden = 5
            theme = mono
            """)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(s.timeZone?.identifier, "Asia/Tehran")
        XCTAssertEqual(s.calendar, .persian)
        XCTAssertEqual(s.firstWeekday, 7)
        XCTAssertEqual(s.currency, "IRR")
        XCTAssertEqual(s.lifecycleCadence, [.customer: 10])
        XCTAssertEqual(s.tagCadence, ["vip": 3, "Über-Kunden": 5], "the tag as spelt (Today shows it), the key in any case")
        XCTAssertEqual(s.theme, .mono)
        XCTAssertEqual(s.effectiveCalendar.identifier, .persian)
    }

    func testBytesThatAreNotUTF8CostOnlyTheirLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("settings").path
        // "été" in Latin-1 in a comment, and in a value.
        var data = Data("time_zone = Asia/Tokyo\n# comment ".utf8) + Data([0xE9, 0x74, 0xE9]) + Data("\n".utf8)
        data += Data("theme = mono".utf8) + Data([0xE9]) + Data("\ncalendar = persian\n".utf8)
        try data.write(to: URL(fileURLWithPath: path))
        let loaded = SettingsFile.load(path: path)
        XCTAssertEqual(loaded.settings.timeZone?.identifier, "Asia/Tokyo")
        XCTAssertEqual(loaded.settings.calendar, .persian)
        XCTAssertEqual(loaded.problems, [SettingsProblem(line: 3, message: "is not UTF-8 text")])
    }

    func testBrokenLinesAreReportedWithTheirNumbersAndKeepDefaults() {
        let (s, problems) = SettingsFile.parse("""
            calendar = julian
            time_zone = Mars/Olympus
            currency = EUR

            this is not a setting
            cadence.customer = soon
            colour = blue
            """)
        XCTAssertEqual(problems.map(\.line), [1, 2, 5, 6, 7])
        XCTAssertEqual(problems[0].description, "line 1: calendar: \"julian\" is not a calendar; expected gregorian or persian")
        XCTAssertEqual(s.calendar, .gregorian)
        XCTAssertNil(s.timeZone)
        XCTAssertEqual(s.lifecycleCadence, [.customer: 7, .prospect: 14])
    }

    func testRoundTripAndFileLocation() throws {
        var s = Settings()
        s.timeZone = TimeZone(identifier: "Europe/Berlin")
        s.calendar = .persian
        s.tagCadence = ["vip": 3]
        s.lifecycleCadence = [.customer: 5]
        let (back, problems) = SettingsFile.parse(SettingsFile.render(s))
        XCTAssertEqual(problems, [])
        XCTAssertEqual(back, s)
        XCTAssertEqual(SettingsFile.path(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"]), "/x/cfg/crm/settings")
        XCTAssertEqual(SettingsFile.path(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/home/a"]), "/home/a/.config/crm/settings")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-settings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("crm/settings").path
        XCTAssertFalse(SettingsFile.load(path: path).exists)
        try SettingsFile.save(s, to: path)
        let loaded = SettingsFile.load(path: path)
        XCTAssertEqual(loaded.settings, s)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o600)
    }
}

/// `my_addresses`: the user's own addresses for `crm log-email`.
final class MyAddressesSettingTests: XCTestCase {
    func testReadWrittenAndMatched() {
        let (settings, problems) = SettingsFile.parse("my_addresses = Sara@Example.com, @crm-team.example\n")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(settings.myAddresses, ["sara@example.com", "@crm-team.example"])
        XCTAssertTrue(settings.isMine("SARA@example.com"))
        XCTAssertTrue(settings.isMine("omid@crm-team.example"))
        XCTAssertFalse(settings.isMine("sara@example.org"))
        XCTAssertFalse(settings.isMine("x@notcrm-team.example"))
        // What the settings screen writes reads back the same.
        XCTAssertEqual(SettingsFile.parse(SettingsFile.render(settings)).0, settings)
        let (_, bad) = SettingsFile.parse("my_addresses = sara, @x\n")
        XCTAssertEqual(bad.map(\.line), [1])
        XCTAssertTrue(bad.first?.message.contains("\"sara\" is neither an email address nor @domain") ?? false, "\(bad)")
    }

    func testDurationsWithUnits() throws {
        XCTAssertEqual(try DurationText.parse("5m"), 300)
        XCTAssertEqual(try DurationText.parse("1h30m"), 5400)
        XCTAssertEqual(try DurationText.parse("1h 5m 30s"), 3930)
        XCTAssertEqual(try DurationText.parse("90s"), 90)
        XCTAssertEqual(try DurationText.parse("۲ min"), 120)
        XCTAssertEqual(try DurationText.parse("24h"), 86_400)
        XCTAssertThrowsError(try DurationText.parse("25h"))
        XCTAssertThrowsError(try DurationText.parse("5m1h"), "units in order")
        XCTAssertThrowsError(try DurationText.parse("1.5h"))
        XCTAssertThrowsError(try DurationText.parse("m"))
        XCTAssertThrowsError(try DurationText.parse("99999999999999999999s"))
    }
}
