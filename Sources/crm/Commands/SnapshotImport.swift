import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import Foundation

/// For `crm import FILE` when FILE is a complete copy (`crm export all
/// --format json`; `ExportFileHeader.read(path:)` says `kind == .all`): loads
/// every row with its ids into the database at `databasePath`, which must be
/// new or empty, in one transaction: a bad line, a missing reference or an
/// interruption leaves the database as it was. Says what it loaded on stderr.
///
/// The load writes no audit row of its own: the copy's audit log is restored
/// as it was, so exporting again gives the same file byte for byte.
enum SnapshotImport {
    @discardableResult
    static func run(file: String, dbOption: String?, login: String?) throws -> SnapshotLoadResult {
        let databasePath = Opening.targetName(option: dbOption)
        do {
            let reader = try SnapshotFileReader(path: file)
            let db = try Opening.repositories(option: dbOption, acting: login.map { .person($0) } ?? .program, mustExist: nil)
            let result = try db.exportRepository.loadSnapshot(schemaVersion: reader.schemaVersion) { try reader.next() }
            let parts = result.counts.filter { $0.rows > 0 }.map { "\($0.rows) \($0.type)" }
            Output.error("crm: loaded \(result.total) rows from \(file) into \(databasePath)"
                         + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")))
            return result
        } catch let error as SnapshotLoadError {
            switch error {
            case .notEmpty:
                throw Failure("\(databasePath): \(error.description); nothing was loaded", status: ExitCode.cantCreate)
            case .badRow, .missingReference, .schemaTooNew:
                throw Failure("\(file): \(error.description); nothing was loaded", status: ExitCode.dataError)
            case .connectionLost:
                throw Failure("\(databasePath): \(error.description)", status: ExitCode.tempFail)
            }
        } catch let error as ImportFileError {
            throw Failure(error.description, status: error.status)
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(error, path: databasePath)
        }
    }
}
