import CRMCore
import CRMExchange
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// A complete copy written before schema 22 holds its audit values as Swift
/// texts; loading it converts them as the upgrade does. A current copy's
/// audit rows stay byte for byte (SnapshotRoundTripTests).
final class SnapshotAuditValuesTests: XCTestCase {
    func testAnOlderCopysAuditValuesAreConvertedOnLoad() throws {
        let folder = TempFolder()
        let file = folder.path("old.jsonl")
        let old = #"{\"owner\":[\"Optional(7)\",\"nil\"],\"tags\":[\"[\\\"vip\\\"]\",\"[]\"]}"#
        let lines = [
            ExportHeader.line(kind: .all, schemaVersion: 15),
            #"{"type":"user","id":7,"login":"ana","name":"Ana","created_at":1700000000}"# + "\n",
            #"{"type":"audit","id":1,"at":5,"user_id":7,"entity":"contact","entity_id":9,"action":"update","changes":""# + old + "\"}\n",
        ]
        try lines.joined().write(toFile: file, atomically: false, encoding: .utf8)
        let target = try Database(path: folder.path("new.db"), login: "tester")
        let reader = try SnapshotFileReader(path: file)
        XCTAssertEqual(reader.schemaVersion, 15)
        _ = try target.export.loadSnapshot(schemaVersion: reader.schemaVersion) { try reader.next() }
        XCTAssertEqual(try target.connection.text("SELECT changes FROM audit_log WHERE id = 1"),
                       #"{"owner":[7,null],"tags":[["vip"],[]]}"#)
    }
}
