import Foundation
import XCTest
@testable import CRMCore

/// The settings of the Customers report and the value tiers: tier shares,
/// the customer lifespan, exchange rates and tier cadences.
final class ValueTierSettingsTests: XCTestCase {
    func testReadsTheTierKeys() {
        let (s, problems) = SettingsFile.parse("""
            tier.A = 70
            tier.B = 20
            customer_lifespan_years = 5
            rate.usd = 0.92
            rate.JPY = 0.0062
            cadence.tier.A = 7
            cadence.tier.c = 90
            """)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(s.tierA, 70)
        XCTAssertEqual(s.tierB, 20)
        XCTAssertEqual(s.customerLifespanYears, 5)
        XCTAssertEqual(s.rates, ["USD": 0.92, "JPY": 0.0062])
        XCTAssertEqual(s.tierCadence, [.a: 7, .c: 90])
        // The default stage cadences stay; tier rules come after them.
        XCTAssertEqual(s.cadenceRules.suffix(2), [CadenceRule(.tier(.a), days: 7), CadenceRule(.tier(.c), days: 90)])
        // And the file crm writes reads back the same.
        XCTAssertEqual(SettingsFile.parse(SettingsFile.render(s)).0, s)
    }

    func testBadTierValuesAreReportedAndKeepTheDefaults() {
        let (s, problems) = SettingsFile.parse("""
            tier.A = 120
            customer_lifespan_years = forever
            rate.XYZ = 2
            rate.USD = -1
            cadence.tier.D = 7
            """)
        XCTAssertEqual(problems.map(\.line), [1, 2, 3, 4, 5])
        XCTAssertEqual(problems[0].message, "tier.A: \"120\" is not a share in percent; expected a number above 0 up to 100")
        XCTAssertEqual(problems[2].message, "rate.XYZ: \"XYZ\" is not an ISO 4217 currency code; expected e.g. rate.USD = 0.92")
        XCTAssertEqual(problems[4].message, "cadence.tier.D: unknown value tier \"d\"; expected cadence.tier.A, cadence.tier.B or cadence.tier.C")
        XCTAssertEqual(s.tierA, 80)
        XCTAssertNil(s.customerLifespanYears)
        XCTAssertEqual(s.rates, [:])
        XCTAssertEqual(s.tierCadence, [:])
    }

    func testTierNamesParse() {
        XCTAssertEqual(["a", "B", " tier c ", "Tier A", "d", ""].map(ValueTier.parse), [.a, .b, .c, .a, nil, nil])
    }
}
