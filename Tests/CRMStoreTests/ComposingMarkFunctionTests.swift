import CRMCore
@testable import CRMStore
import XCTest

/// `crm_composes` reads UTF-8 bytes: for every scalar, alone and between
/// other text, it says what `SearchFold.composes` says.
final class ComposingMarkFunctionTests: XCTestCase {
    func testTheByteScanAgreesWithSearchFoldForEveryScalar() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(scalar) + "é"
            let found = Array(text.utf8).withUnsafeBufferPointer { ComposingMarkFunction.holdsOne($0) }
            if found != SearchFold.composes(scalar) {
                XCTFail("U+\(String(value, radix: 16, uppercase: true)): \(found)")
                return
            }
        }
    }

    func testTheSQLFunctionLooksAtEveryArgument() throws {
        let c = try Connection(path: ":memory:")
        XCTAssertEqual(try c.scalar("SELECT crm_composes('Иван', NULL, 'и\u{0306}')"), 1)
        XCTAssertEqual(try c.scalar("SELECT crm_composes('Müller', 'がく', NULL)"), 0)
        XCTAssertEqual(try c.scalar("SELECT crm_composes(NULL)"), 0)
    }
}
