import XCTest
final class PlaceholderCRMCoreTests: XCTestCase { func testNothing() {} }
