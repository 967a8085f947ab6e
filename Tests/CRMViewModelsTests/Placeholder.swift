import XCTest
final class PlaceholderCRMViewModelsTests: XCTestCase { func testNothing() {} }
