import CRMRepositories
import CRMViewModels
import Foundation
import XCTest

/// An entry's heading names the record the action was done to.
final class AuditTextHeadingTests: XCTestCase {
    func testAnImportReadsAsItsBatch() {
        let text = AuditText(timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!), users: [])
        let at = ISO8601DateFormatter().date(from: "2026-11-30T09:00:00Z")!
        XCTAssertEqual(text.heading(AuditEntry(at: at, userLogin: "sara", entity: "import", entityID: 3, action: "import", changes: [:])),
                       "2026-11-30 09:00 · sara · import batch 3")
        XCTAssertEqual(text.heading(AuditEntry(at: at, userLogin: "sara", entity: "import", entityID: 3, action: "undo", changes: [:])),
                       "2026-11-30 09:00 · sara · undo batch 3")
        XCTAssertEqual(text.heading(AuditEntry(at: at, userLogin: nil, entity: "contact", entityID: 12, action: "update", changes: [:])),
                       "2026-11-30 09:00 · system · update contact 12")
    }
}
