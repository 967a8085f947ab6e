import Foundation
import XCTest
@testable import CRMCore

/// QA 45 FA #3: a comma of any script separates a field's items.
final class ListTextTests: XCTestCase {
    func testACommaOfAnyScriptSeparates() {
        XCTAssertEqual(ListText.items("مهم، عمده، vip"), ["مهم", "عمده", "vip"])
        XCTAssertEqual(ListText.items("a, b,c ,, "), ["a", "b", "c"])
        XCTAssertEqual(ListText.items("客户，重要、北京"), ["客户", "重要", "北京"])
        XCTAssertEqual(ListText.items(""), [])
        XCTAssertEqual(ListText.pieces("کار: a@b.ir، شخصی: c@d.ir").map { $0.trimmingCharacters(in: .whitespaces) },
                       ["کار: a@b.ir", "شخصی: c@d.ir"])
    }
}
