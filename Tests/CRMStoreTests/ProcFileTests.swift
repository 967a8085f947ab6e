@testable import CRMStore
import Foundation
import XCTest

/// /proc files report a size of 0; reading one must go to its end. The
/// restore's "is anyone using it?" check reads /proc/locks, which on a busy
/// server is longer than the one 4 KiB read Foundation makes of such a file.
final class ProcFileTests: XCTestCase {
    func testAProcFileLongerThanOnePageIsReadToItsEnd() throws {
        // This test process's memory map is many pages long on its own.
        let text = try XCTUnwrap(DatabaseBackup.procText("/proc/self/maps"))
        XCTAssertGreaterThan(text.utf8.count, 8192)
        XCTAssertTrue(text.hasSuffix("\n"), "the last line is whole")
        XCTAssertNil(DatabaseBackup.procText("/proc/no-such-file"))
    }
}
