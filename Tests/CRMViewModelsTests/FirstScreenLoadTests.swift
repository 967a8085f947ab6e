import CRMCore
import CRMRepositories
import Foundation
import XCTest
@testable import CRMViewModels

/// The first screen reads only what Today shows: the settings read before
/// the start refresh no view, and Contacts loads its list when it is first
/// shown (at 100,000 contacts its first page was most of what the start read).
final class FirstScreenLoadTests: XCTestCase {
    func testContactsListIsLoadedOnlyWhenShown() throws {
        let f = try TodayFixture()
        try f.contact("Ada Lovelace")
        try f.contact("Grace Hopper")
        let path = f.folder.appendingPathComponent("settings.conf").path
        f.app.loadSettings(path: path)
        f.app.start(in: .today)
        XCTAssertEqual(f.app.activeViewKind, .today)
        XCTAssertTrue(f.app.contacts.contacts.rows.isEmpty, "Contacts is not read behind Today")
        XCTAssertNil(f.app.contacts.listTotal)

        f.press(.char("2"))
        XCTAssertEqual(f.app.activeViewKind, .contacts)
        XCTAssertEqual(f.app.contacts.contacts.rows.map(\.name), ["Ada Lovelace", "Grace Hopper"])
        XCTAssertEqual(f.app.contacts.listPosition, "1/2")
    }

    /// Settings changed once the screen is up still reload the view shown.
    func testSettingsAppliedAfterTheStartRefreshTheShownView() throws {
        let f = try TodayFixture()
        f.app.start(in: .contacts)
        XCTAssertTrue(f.app.contacts.contacts.rows.isEmpty)
        try f.contact("Ada Lovelace")
        f.app.apply(f.app.settings)
        XCTAssertEqual(f.app.contacts.contacts.rows.map(\.name), ["Ada Lovelace"])
    }
}
