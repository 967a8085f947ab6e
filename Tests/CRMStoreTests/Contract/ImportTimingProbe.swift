import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

final class ImportTimingProbe: XCTestCase {
    func testProbe() throws {
        let server = try TestPostgresServer.require()
        let info = server.conninfo(database: try server.makeDatabase())
        let db = try PostgresDatabase(conninfo: info, login: "sara")
        db.phoneRegion = PhoneRegion(code: "DE")
        let rows = (0..<1000).map { ImportContract.row($0 + 2, "Person \($0)", company: "Co \($0 % 7)", emails: ["p\($0)@example.com"],
                                                       phones: ["+49 30 \(1_000_000 + $0)"], tags: ["t\($0 % 3)"]) }
        var t = Date()
        let (summary, _) = try ImportContract.run(db, rows, ImportOptions(label: "big.csv", tag: "batch"))
        print("PROBE import", Date().timeIntervalSince(t)); t = Date()
        _ = try ImportContract.run(db, rows, ImportOptions(label: "big.csv", tag: "batch", dryRun: true))
        print("PROBE dry", Date().timeIntervalSince(t)); t = Date()
        _ = try db.importRepository.undoImport(summary.batchID!, force: false)
        print("PROBE undo", Date().timeIntervalSince(t)); t = Date()
        let probe = DuplicateProbe(name: "Person 5", companyID: nil, companyName: "Co 5", emails: ["p5@example.com"], phones: ["+49 30 1000005"])
        for _ in 0..<300 { _ = try PGDuplicates(db: db).possibleDuplicates(of: probe, limit: 1) }
        for row in try db.connection.query("EXPLAIN ANALYZE " + PGDuplicates.probeSQL, ["{p5@example.com}", "{49301000005}", PGNull(), DuplicateKey.name("Co 5"), DuplicateKey.name("Person 5"), 0, 4]).rows { print("PROBE", row.string(0)) }
        print("PROBE 300 probes", Date().timeIntervalSince(t)); t = Date()
        for _ in 0..<300 { _ = try db.connection.integer("SELECT 1") }
        for _ in 0..<300 { _ = try db.connection.preparedQuery(PGDuplicates.probeSQL, ["{p5@example.com}", "{49301000005}", PGNull(), DuplicateKey.name("Co 5"), DuplicateKey.name("Person 5"), 0, 4]) }
        print("PROBE 300 raw prepared", Date().timeIntervalSince(t)); t = Date()
        for _ in 0..<300 { _ = try db.connection.preparedQuery("SELECT 1") }
        print("PROBE 300 selects", Date().timeIntervalSince(t)); t = Date()
        let v = (0..<3000).map { _ in PGSearchDocument.vector(["Person 123", "Co 5", "p5@example.com", "   t1"]) }
        print("PROBE 3000 vectors", Date().timeIntervalSince(t), v.count); t = Date()
        let k = (0..<3000).map { _ in ContactKeys(Contact(name: "Person 123", phones: [PhoneNumber("+49 30 1000005")]), region: PhoneRegion(code: "DE")) }
        print("PROBE 3000 keys", Date().timeIntervalSince(t), k.count); t = Date()
    }
}
