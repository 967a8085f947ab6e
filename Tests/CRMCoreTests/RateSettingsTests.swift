import CRMCore
import XCTest

/// `rate.USD = 0.92` in the settings file: 1 USD is 0.92 of the default
/// currency, for the reports' converted totals.
final class RateSettingsTests: XCTestCase {
    func testRatesAreReadByCodeAndWrittenBack() {
        let (settings, problems) = SettingsFile.parse("currency = EUR\nrate.usd = 0.92\nrate.GBP = ۱.۱۵\n")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(settings.rates, ["USD": 0.92, "GBP": 1.15])
        let again = SettingsFile.parse(SettingsFile.render(settings))
        XCTAssertEqual(again.1, [])
        XCTAssertEqual(again.0, settings)
    }

    func testABadRateSaysWhichLineAndWhatIsExpected() {
        let (settings, problems) = SettingsFile.parse("rate.USD = cheap\nrate.XYZ = 2\nrate.EUR = -1\n")
        XCTAssertEqual(settings.rates, [:])
        XCTAssertEqual(problems.map(\.line), [1, 2, 3])
        XCTAssertTrue(problems[0].message.contains("\"cheap\" is not an exchange rate"), problems[0].message)
        XCTAssertTrue(problems[1].message.contains("\"XYZ\" is not an ISO 4217 currency code"), problems[1].message)
    }
}
