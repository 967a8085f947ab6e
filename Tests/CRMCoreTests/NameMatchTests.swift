import CRMCore
import XCTest

/// A name typed to pick a pipeline or a stage: exact (case ignored) first,
/// else folded as names are compared for duplicates.
final class NameMatchTests: XCTestCase {
    func testExactFirstThenFolded() {
        let names = ["Sales", "فروش ویژه", "Renewals", "SALES"]
        XCTAssertEqual(NameMatch.named("sales", in: names) { $0 }, ["Sales", "SALES"])
        XCTAssertEqual(NameMatch.named("فروش ويژه", in: names) { $0 }, ["فروش ویژه"], "Arabic ي for Persian ی")
        XCTAssertEqual(NameMatch.named("فروش‌ویژه", in: names) { $0 }, ["فروش ویژه"], "a joiner where the name has a space")
        XCTAssertEqual(NameMatch.named("Réné wals", in: ["Rene Wals", "Renewals"]) { $0 }, ["Rene Wals"], "words first")
        XCTAssertEqual(NameMatch.named("--", in: names) { $0 }, [], "no letters: nothing")
        XCTAssertEqual(NameMatch.named("Sale", in: names) { $0 }, [])
    }
}

extension NameMatchTests {
    func testAJoinerForASpaceKeepsTheWordOrder() {
        XCTAssertEqual(NameMatch.named("ویژه‌فروش", in: ["ویژه فروش", "فروش ویژه"]) { $0 }, ["ویژه فروش"])
        XCTAssertEqual(NameMatch.named("فروش‌ویژه", in: ["ویژه فروش", "فروش ویژه"]) { $0 }, ["فروش ویژه"])
    }
}
