import CRMCore
import Foundation
import XCTest

/// The limits and checked arithmetic behind "no number crashes a screen".
final class NumberLimitsTests: XCTestCase {
    private func message(_ body: () throws -> Any?) -> String {
        do { _ = try body(); return "" } catch { return "\(error)" }
    }

    func testMoneyParsingNeverOverflowsAndNamesTheLimit() throws {
        for typed in ["92233720368547758.99", "9300000000000000", "9223372036854775807", "99999999999999999999.99",
                      "10000000000000", "9999999999999.991", "1,000,000,000,000,000", "100000000000m", "9223372036854776k"] {
            let text = message { try Money.parse(typed, currency: .eur) }
            XCTAssertTrue(text.hasPrefix("value: ") && (text.contains("at most 9,999,999,999,999.99 EUR") || text.contains("decimals")),
                          "\(typed): \(text)")
        }
        XCTAssertEqual(try Money.parse("9,999,999,999,999.99", currency: .eur).minorUnits, Money.maxMinorUnits)
        XCTAssertEqual(try Money.parse("0009,999,999,999,999.99", currency: .eur).minorUnits, Money.maxMinorUnits, "leading zeros")
        XCTAssertEqual(try Money.parse("1.5k", currency: .eur).minorUnits, 1500_00)
        XCTAssertEqual(try Money.parse("-0", currency: .eur).minorUnits, 0)
        XCTAssertTrue(message { try Money.parse("-5", currency: .eur) }.contains("from 0 to 9,999,999,999,999.99 EUR"))
        XCTAssertEqual(try Money.parse("0.005", currency: Currency("KWD")!).minorUnits, 5)
        XCTAssertEqual(try Money.parse("99,999,999,999.9999", currency: Currency("CLF")!).minorUnits, Money.maxMinorUnits)
        XCTAssertTrue(message { try Money.parse("1000000000000000", currency: Currency("JPY")!) }.contains("at most 999,999,999,999,999 JPY"))
    }

    func testSeparatorsAreReadAsThousandsOnlyWhenTheyLookLikeThem() throws {
        let eur = Currency("EUR")!, kwd = Currency("KWD")!
        XCTAssertEqual(try Money.parse("12.345", currency: eur).minorUnits, 1_234_500)
        XCTAssertEqual(try Money.parse("1.234,50", currency: eur).minorUnits, 123_450)
        XCTAssertEqual(try Money.parse("1,234,567.89", currency: eur).minorUnits, 123_456_789)
        XCTAssertEqual(try Money.parse("12.345", currency: kwd).minorUnits, 12_345)
        // With both marks the last is the decimal one (QA 29 #14): three
        // digits after it are decimals, too many for EUR, right for KWD.
        XCTAssertEqual(try Money.parse("1,234.567", currency: kwd).minorUnits, 1_234_567)
        XCTAssertEqual(try Money.parse("1.234,567", currency: kwd).minorUnits, 1_234_567)
        // "1,500" alone is fifteen hundred or one and a half dinars: asked (QA 30 #5).
        XCTAssertThrowsError(try Money.parse("1,500", currency: kwd)) { error in
            XCTAssertEqual("\(error)", "value: \"1,500\": 1500 or 1.500 KWD? type 1500 or 1.500")
        }
        XCTAssertEqual(try Money.parse("1.500", currency: kwd).minorUnits, 1_500)
        XCTAssertEqual(try Money.parse("1,500,000", currency: kwd).minorUnits, 1_500_000_000)
        XCTAssertEqual(try Money.parse("1,500", currency: eur).minorUnits, 150_000)
        for bad in ["0.001", "12,34,5", ".123", "1234.567.890", "1,234.567", "12,500.999", "12.500,999", "1,234,567.891"] {
            XCTAssertThrowsError(try Money.parse(bad, currency: eur), bad) { error in
                XCTAssertTrue("\(error)".contains("\"\(bad)\""), "\(error)")
            }
        }
    }

    func testASumMayPassWhatOneDealMayHoldAndSmallAmountsKeepTheirDigits() {
        let kwd = Currency("KWD")!
        let sum = Money(minorUnits: 1_000_000_000_000_000, currency: kwd)  // 999,999,999,999.999 + 0.001
        XCTAssertEqual(sum.compact(total: true), "1.0T KWD")
        XCTAssertEqual(sum.compact(), "out of range KWD", "no single deal holds that much")
        XCTAssertEqual(Money(minorUnits: 1, currency: kwd).compact(), "0.001 KWD")
        XCTAssertEqual(Money(minorUnits: 70_050, currency: Currency("EUR")!).compact(), "700.50 EUR")
        XCTAssertEqual(Money(minorUnits: 70_000, currency: Currency("EUR")!).compact(), "700 EUR")
    }

    func testCurrenciesAreActiveISO4217CodesAndStoredOnesKeepTheirText() {
        XCTAssertEqual(Currency("jpy")?.minorDigits, 0)
        XCTAssertEqual(Currency(" kwd ")?.code, "KWD")
        XCTAssertEqual(Currency("KWD")?.minorDigits, 3)
        XCTAssertEqual(Currency("CLF")?.minorDigits, 4)
        XCTAssertEqual(Currency("IRR")?.minorDigits, 2, "ISO 4217 gives the rial two decimals")
        XCTAssertEqual(Currency("XPF")?.minorDigits, 0)
        for code in ["XYZ", "EURO", "ANG", "HRK", "XAU", "XXX", ""] { XCTAssertNil(Currency(code), code) }
        XCTAssertEqual(Currency(stored: "EUR"), .eur)
        let odd = Currency(stored: "XYZ")
        XCTAssertFalse(odd.isKnown)
        XCTAssertEqual(odd.displayCode, "XYZ?")
        XCTAssertNotEqual(Currency(stored: "eur"), .eur, "as stored, never taken for another currency")
        XCTAssertEqual(Money(minorUnits: 123_45, currency: odd).formatted(), "123.45 XYZ?")
        XCTAssertTrue(message { try Currency.parse("XYZ") }.contains("is not an ISO 4217 currency code"))
    }

    func testFormattingAndWeightingAreExactForEveryInt64() {
        XCTAssertEqual(Money(minorUnits: .min, currency: .eur).formatted(), "-92,233,720,368,547,758.08 EUR")
        XCTAssertEqual(Money(minorUnits: .max, currency: Currency("KWD")!).formatted(), "9,223,372,036,854,775.807 KWD")
        XCTAssertEqual(Money(minorUnits: .max, currency: .eur).compact(), "out of range EUR")
        XCTAssertEqual(Money(minorUnits: .max, currency: .eur).shown(), "out of range (92,233,720,368,547,758.07 EUR)")
        XCTAssertEqual(Money(minorUnits: Money.unreadable, currency: .eur).shown(), "out of range EUR")
        XCTAssertEqual(Money(minorUnits: Money.maxMinorUnits, currency: .eur).compact(), "10.0T EUR")
        XCTAssertEqual(Money(minorUnits: .max, currency: .eur).weighted(percent: 100)?.minorUnits, .max)
        XCTAssertEqual(Money(minorUnits: .max, currency: .eur).weighted(percent: 10)?.minorUnits, 922_337_203_685_477_581)
        XCTAssertEqual(Money(minorUnits: 930_000_000_000_000_000, currency: .eur).weighted(percent: 10)?.minorUnits,
                       93_000_000_000_000_000, "QA's deal: the product no longer overflows")
        XCTAssertEqual(Money(minorUnits: 1, currency: .eur).weighted(percent: 50)?.minorUnits, 1, "half up")
        XCTAssertEqual(Money(minorUnits: 1333_33, currency: .eur).weighted(percent: 50)?.minorUnits, 666_67)
        XCTAssertNil(Money(minorUnits: 100, currency: .eur).weighted(percent: 101))
        XCTAssertNil(Money(minorUnits: -100, currency: .eur).weighted(percent: 50))
    }

    func testDurationsAreReadInThreeFormsUpToADay() throws {
        XCTAssertEqual(try DurationText.parse("25"), 1500)
        XCTAssertEqual(try DurationText.parse("12:30"), 750)
        XCTAssertEqual(try DurationText.parse("1:05:00"), 3900)
        XCTAssertEqual(try DurationText.parse("24:00:00"), 86_400)
        XCTAssertEqual(try DurationText.parse("1440"), 86_400)
        XCTAssertEqual(try DurationText.parse("0001440"), 86_400)
        XCTAssertNil(try DurationText.parse("  "))
        for typed in ["200000000000000000", "153722867280912931:00", "1441", "1440:01", "24:00:01", "99999999999999999999:00:00"] {
            XCTAssertTrue(message { try DurationText.parse(typed) }.contains("at most 24 hours (1440 minutes, 24:00:00)"), typed)
        }
        for typed in ["12:60", "1:60:00", "-5", "5x", "5m1h", "1::2", "1:2:3:4", "+5"] {
            XCTAssertTrue(message { try DurationText.parse(typed) }.hasPrefix("duration: \"\(typed)\""), typed)
        }
        XCTAssertFalse(Interaction(contactID: 1, kind: .call, durationSeconds: 86_401).validate().isEmpty)
        XCTAssertFalse(Interaction(contactID: 1, kind: .call, durationSeconds: -1).validate().isEmpty)
    }

    func testStageNumbersAreRangeChecked() throws {
        XCTAssertEqual(try Stage.parseProbability(" 40 % "), 40)
        XCTAssertEqual(try Stage.parseProbability("100"), 100)
        XCTAssertEqual(try Stage.parseRotDays(""), nil)
        XCTAssertEqual(try Stage.parseRotDays("3650"), 3650)
        for typed in ["101", "-1", "99999999999999999999", "4.5", "x"] {
            XCTAssertTrue(message { try Stage.parseProbability(typed) }.contains("0 to 100"), typed)
        }
        for typed in ["0", "3651", "9223372036854775808", "-3"] {
            XCTAssertTrue(message { try Stage.parseRotDays(typed) }.contains("1 to 3650"), typed)
        }
        XCTAssertEqual(Stage(pipelineID: 1, name: "S", position: 0, probability: 10, rotDays: 100_000).validate().map(\.field), ["rot days"])
    }

    func testDatesReadBackFromTheEndsOfInt64AreWrittenBackUnchanged() {
        XCTAssertEqual(Date(timeIntervalSince1970: Double(Int64.max)).wholeSecondsSince1970, .max)
        XCTAssertEqual(Date(timeIntervalSince1970: Double(Int64.min)).wholeSecondsSince1970, .min)
        XCTAssertEqual(Date(timeIntervalSince1970: -1.5).wholeSecondsSince1970, -2, "rounded down, as before")
        XCTAssertEqual(Date(timeIntervalSince1970: 1e300).wholeSecondsSince1970, .max)
    }
}
