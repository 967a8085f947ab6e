import XCTest
final class PlaceholderCRMStoreTests: XCTestCase { func testNothing() {} }
