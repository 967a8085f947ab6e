import CRMCore
import CRMRepositories
import XCTest

/// The at-risk list's tag rules are keyed as the stored tags are matched
/// (crm_tag_key on a file, lower() on a server): a rule's tag in another
/// case, a dotted İ among them, is the same tag.
final class AtRiskCadenceTests: XCTestCase {
    func testATagRuleIsKeyedAsTheStoredTagsAreMatched() {
        let cadence = AtRiskCadence([CadenceRule(.tag("İstanbul"), days: 3), CadenceRule(.tag("ISTANBUL"), days: 5),
                                     CadenceRule(.tag("ÜBER"), days: 7)])
        XCTAssertEqual(cadence.tags, ["istanbul": 3, "über": 7])
    }
}
