import XCTest
@testable import CRMCore

final class PhoneNumberingTests: XCTestCase {
    let de = PhoneRegion(code: "DE")!
    let ir = PhoneRegion(code: "ir")!

    func testTableHasTheRegionsAskedFor() {
        for code in ["DE", "AT", "CH", "IR", "US", "CA", "GB", "FR", "NL", "IT", "ES", "TR", "AE", "SA", "CN", "RU", "IN"] {
            XCTAssertNotNil(PhoneRegion(code: code), code)
        }
        XCTAssertNil(PhoneRegion(code: "XX"))
        XCTAssertEqual(Set(PhoneRegion.all.map(\.code)).count, PhoneRegion.all.count)
    }

    func testE164FromEveryForm() {
        let cases: [(String, PhoneRegion?, String?)] = [
            ("+49 171 9936679", nil, "491719936679"),
            ("0049 171 9936679", nil, "491719936679"),
            ("+49 (0)171 9936679", nil, "491719936679"),  // the (0) is for callers inside Germany
            ("0171 9936679", de, "491719936679"),
            ("0171 9936679", nil, nil),
            ("0912 345 6789", ir, "989123456789"),
            ("+98 912 345 6789", de, "989123456789"),
            ("۰۹۱۲ ۳۴۵ ۶۷۸۹", ir, "989123456789"),
            ("1719936679", de, nil),                       // no trunk 0: not a whole national number
            ("112", de, nil),                               // too short
            ("(212) 555-0100", PhoneRegion(code: "US"), "12125550100"),
            ("1 212 555 0100", PhoneRegion(code: "US"), "12125550100"),
            ("8 495 123 45 67", PhoneRegion(code: "RU"), "74951234567"),
            ("06 1234 5678", PhoneRegion(code: "IT"), "390612345678"),  // Italy keeps its 0
            ("020 7946 0018", PhoneRegion(code: "GB"), "442079460018"),
        ]
        for (typed, region, expected) in cases {
            XCTAssertEqual(PhoneNumber.e164(typed, region: region), expected, "\(typed) in \(region?.code ?? "no region")")
        }
    }

    func testStoredValueWaitsForARegionOnlyForNationalNumbers() {
        XCTAssertNil(PhoneNumber.storedE164("0171 9936679", region: nil))
        XCTAssertEqual(PhoneNumber.storedE164("+49 171 9936679", region: nil), "491719936679")
        XCTAssertEqual(PhoneNumber.storedE164("112", region: de), "")
        XCTAssertEqual(PhoneNumber.storedE164("+0", region: nil), "")
    }

    func testSettingReadWrittenAndRefused() {
        let (s, problems) = SettingsFile.parse("phone_region = de\n")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(s.phoneRegion?.code, "DE")
        let (back, again) = SettingsFile.parse(SettingsFile.render(s))
        XCTAssertEqual(again, [])
        XCTAssertEqual(back, s)
        XCTAssertNil(Settings().phoneRegion, "no region unless the file names one")
        let (none, noProblem) = SettingsFile.parse("phone_region = none\n")
        XCTAssertEqual(noProblem, [])
        XCTAssertNil(none.phoneRegion)
        let (_, bad) = SettingsFile.parse("phone_region = Germany\n")
        XCTAssertEqual(bad.map(\.line), [1])
    }
}
