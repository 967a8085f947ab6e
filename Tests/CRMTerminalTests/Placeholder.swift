import XCTest
final class PlaceholderCRMTerminalTests: XCTestCase { func testNothing() {} }
