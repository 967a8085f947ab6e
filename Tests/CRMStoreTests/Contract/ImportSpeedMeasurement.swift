import CRMCore
import CRMExchange
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The same Google Contacts CSV imported by both engines, timed and printed
/// (never asserted): `CRM_IMPORT_MEASURE_ROWS=100000 swift test --filter
/// ImportSpeedMeasurement` (best in a release build). Skipped otherwise.
final class ImportSpeedMeasurement: XCTestCase {
    func testImportTheSameGoogleCSVOnBothEngines() throws {
        guard let rows = ProcessInfo.processInfo.environment["CRM_IMPORT_MEASURE_ROWS"].flatMap(Int.init) else {
            throw XCTSkip("set CRM_IMPORT_MEASURE_ROWS to measure")
        }
        let folder = TempFolder()
        let csv = folder.path("google.csv")
        try Self.writeGoogleCSV(rows: rows, to: csv)
        func source() throws -> any ImportSource { ImportReaderSource(try ImportOpener.standard.open(csv)) }
        let options = ImportOptions(label: "google.csv", format: "google csv")

        let sqlite = try Database(path: folder.path("crm.db"), login: "bench")
        var input = try source()
        let (sqliteSeconds, sqliteSummary) = try Self.timed {
            try sqlite.importRepository.importContacts(from: &input, options: options, progress: nil) { _ in }
        }

        let server = try TestPostgresServer.require()
        let pg = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "bench")
        input = try source()
        let (pgSeconds, pgSummary) = try Self.timed {
            try pg.importRepository.importContacts(from: &input, options: options, progress: nil) { _ in }
        }
        XCTAssertEqual(pgSummary, sqliteSummary.with(batchID: pgSummary.batchID))
        XCTAssertEqual(pgSummary.created, rows)
        input = try source()
        let (pgDrySeconds, _) = try Self.timed {
            try pg.importRepository.importContacts(from: &input, options: ImportOptions(label: "google.csv", dryRun: true),
                                                   progress: nil) { _ in }
        }
        let (undoSeconds, _) = try Self.timed { try pg.importRepository.undoImport(pgSummary.batchID!, force: false) }
        var load = [0.0, 0, 0]
        getloadavg(&load, 3)
        print(String(format: "IMPORT MEASURE %d Google CSV rows (load average %.1f): SQLite %.2f s, PostgreSQL %.2f s (%.2fx); "
                     + "PostgreSQL dry run of the same file into the filled database %.2f s, undo of the batch %.2f s",
                     rows, load[0], sqliteSeconds, pgSeconds, pgSeconds / sqliteSeconds, pgDrySeconds, undoSeconds))
    }

    static func timed<T>(_ body: () throws -> T) throws -> (Double, T) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, value)
    }

    /// The layout `crm bench --only import` writes (ImportBench.writeGoogleCSV).
    static func writeGoogleCSV(rows: Int, to path: String) throws {
        var text = "Name,Given Name,Family Name,Organization 1 - Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Labels\n"
        let given = ["Ada", "Günter", "Maria", "Li", "Omid", "Sara", "Jan", "Zoë", "Amir", "Chen"]
        let family = ["Lovelace", "Müller", "García", "Wei", "Rahimi", "Novak", "Dubois", "Kowalski", "Tanaka", "Smith"]
        for i in 0..<rows {
            let g = given[i % given.count], f = family[(i / given.count) % family.count]
            text += "\(g) \(f) \(i),\(g),\(f) \(i),Company \(i / 20),* Work,\(g.lowercased())\(i)@example.com,Mobile,+49 30 \(3_000_000 + i),* myContacts\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

private extension ImportSummary {
    func with(batchID: Int64?) -> ImportSummary {
        var s = self
        s.batchID = batchID
        return s
    }
}
