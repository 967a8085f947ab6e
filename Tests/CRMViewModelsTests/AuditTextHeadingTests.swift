import CRMCore
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

    /// QA 41 #6: "deactivate user 2" said nothing of who.
    func testAUserReadsWithItsLogin() {
        let text = AuditText(timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!), users: [User(id: 2, login: "omid")])
        let at = ISO8601DateFormatter().date(from: "2026-11-30T09:00:00Z")!
        XCTAssertEqual(text.heading(AuditEntry(at: at, userLogin: "sara", entity: "user", entityID: 2, action: "deactivate", changes: [:])),
                       "2026-11-30 09:00 · sara · deactivate user 2 (omid)")
        XCTAssertEqual(text.heading(AuditEntry(at: at, userLogin: "sara", entity: "user", entityID: 9, action: "create", changes: [:])),
                       "2026-11-30 09:00 · sara · create user 9", "a user no longer there keeps its id alone")
    }
}
