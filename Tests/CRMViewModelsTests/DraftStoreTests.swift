import CRMCore
import Foundation
import XCTest
@testable import CRMViewModels

/// The drafts folder on a real temporary folder: private modes, one user's
/// drafts for one database, and nothing planted there is followed.
final class DraftStoreTests: XCTestCase {
    var root: URL!
    var folder: String { root.appendingPathComponent("data/crm/drafts").path }

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("crm-drafts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
    }

    func draft(_ note: String, at seconds: TimeInterval = 1_790_000_000) -> Draft {
        Draft(savedAt: Date(timeIntervalSince1970: seconds), work: .call(CallDraft(
            contactID: 7, contactName: "Günter Müller", dealID: nil, startedAt: Date(timeIntervalSince1970: seconds - 60),
            direction: .inbound, note: note, outcome: "", editingOutcome: false, followUpAfter: false)))
    }

    func mode(_ path: String) throws -> Int {
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0, "no \(path)")
        return Int(info.st_mode & 0o7777)
    }

    func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }

    func testADraftIsWrittenPrivatelyReadBackAndDeleted() throws {
        let store = DraftStore(folder: folder, database: root.appendingPathComponent("crm.db").path, user: "sara")
        XCTAssertEqual(try store.load(), [], "no folder yet: nothing to offer")
        let kept = draft("Wants a discount on the röntgen unit")
        try store.save(kept)
        XCTAssertEqual(try mode(folder), 0o700)
        XCTAssertEqual(files().count, 1)
        XCTAssertEqual(try mode(folder + "/" + files()[0]), 0o600)
        XCTAssertEqual(try store.load(), [kept])

        // Kept again (the same work, more text): the same file, replaced.
        var again = kept
        again.work = draft("Wants a discount on the röntgen unit, 10 %").work
        try store.save(again)
        XCTAssertEqual(files().count, 1)
        XCTAssertEqual(try store.load(), [again])

        try store.delete(id: kept.id)
        XCTAssertEqual(files(), [])
        XCTAssertEqual(try store.load(), [])
        XCTAssertNoThrow(try store.delete(id: kept.id), "deleting twice is not an error")
    }

    func testOnlyTheSameUserOnTheSameDatabaseSeesADraft() throws {
        let db = root.appendingPathComponent("team.db").path
        let sara = DraftStore(folder: folder, database: db, user: "sara")
        let omid = DraftStore(folder: folder, database: db, user: "omid")
        let other = DraftStore(folder: folder, database: root.appendingPathComponent("other.db").path, user: "sara")
        let older = draft("first", at: 1_790_000_000), newer = draft("second", at: 1_790_000_100)
        try sara.save(older)
        try sara.save(newer)
        try omid.save(draft("omid's"))
        XCTAssertEqual(try sara.load(), [newer, older], "newest first")
        XCTAssertEqual(try omid.load().count, 1)
        XCTAssertEqual(try other.load(), [])
        // The same database reached through a symlink is the same database.
        FileManager.default.createFile(atPath: db, contents: Data())
        let link = root.appendingPathComponent("link.db").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: db)
        XCTAssertEqual(try DraftStore(folder: folder, database: link, user: "sara").load().count, 2)
    }

    func testASymlinkPlantedAtTheDraftsNameIsNotFollowed() throws {
        let store = DraftStore(folder: folder, database: root.appendingPathComponent("crm.db").path, user: "sara")
        let kept = draft("secret note")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let victim = root.appendingPathComponent("victim.txt").path
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        let name = try store.fileName(kept.id)
        try FileManager.default.createSymbolicLink(atPath: folder + "/" + name, withDestinationPath: victim)
        // Loading does not read through the link either.
        XCTAssertEqual(try store.load(), [])

        try store.save(kept)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious", "the link's target is untouched")
        var info = stat()
        XCTAssertEqual(lstat(folder + "/" + name, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG, "the link was replaced by the draft, not written through")
        XCTAssertEqual(try store.load(), [kept])
    }

    func testASymlinkedDraftsFolderIsRefused() throws {
        let elsewhere = root.appendingPathComponent("elsewhere").path
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder, withDestinationPath: elsewhere)
        let store = DraftStore(folder: folder, database: root.appendingPathComponent("crm.db").path, user: "sara")
        XCTAssertThrowsError(try store.save(draft("note"))) { error in
            XCTAssertTrue("\(error)".contains("symlink"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [])
    }

    func testAnOpenDraftsFolderIsMadePrivate() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let store = DraftStore(folder: folder, database: root.appendingPathComponent("crm.db").path, user: "sara")
        try store.save(draft("note"))
        XCTAssertEqual(try mode(folder), 0o700)
    }

    func testAnIdThatCouldNameAPathIsRefused() throws {
        let store = DraftStore(folder: folder, database: root.appendingPathComponent("crm.db").path, user: "sara")
        var bad = draft("note")
        bad.id = "../../escape"
        XCTAssertThrowsError(try store.save(bad))
        XCTAssertThrowsError(try store.delete(id: "../crm.db"))
    }
}
