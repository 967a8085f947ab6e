import CRMStore
import CSQLite
import Foundation

/// An error on its way out of the program: the message a person reads and
/// the exit status a script reads.
struct Failure: Error {
    let message: String
    let status: Int32

    init(_ message: String, status: Int32) {
        self.message = message
        self.status = status
    }

    /// Maps store and system errors to sysexits statuses.
    init(_ error: Error, path: String? = nil) {
        let prefix = path.map { "\($0): " } ?? ""
        switch error {
        case let failure as Failure:
            self = failure
        case let store as StoreError:
            switch store {
            case .schemaTooNew: self.init(store.description, status: ExitCode.dataError)
            case .walUnavailable: self.init(store.description, status: ExitCode.ioError)
            case .invalid(let v): self.init(v.description, status: ExitCode.usage)
            case .sqlite(let e): self.init(e, path: path)
            default: self.init(prefix + store.description, status: ExitCode.software)
            }
        case let e as SQLiteError:
            self.init(e, path: path)
        case let e as CocoaError:
            let reason = (e.userInfo[NSUnderlyingErrorKey] as? Error).map { "\($0.localizedDescription)" } ?? e.localizedDescription
            self.init("cannot create the database folder: \(prefix)\(reason)", status: ExitCode.cantCreate)
        default:
            self.init(prefix + "\(error)", status: ExitCode.software)
        }
    }

    private init(_ e: SQLiteError, path: String?) {
        let name = path ?? "database"
        switch e.code & 0xff {
        case SQLITE_CANTOPEN: self.init("cannot open \(name): \(e.message)", status: ExitCode.noInput)
        case SQLITE_NOTADB: self.init("\(name) is not a crm database (not an SQLite file)", status: ExitCode.dataError)
        case SQLITE_CORRUPT: self.init("\(name) is damaged: \(e.message); run 'crm check --db \(name)'", status: ExitCode.dataError)
        case SQLITE_BUSY, SQLITE_LOCKED: self.init("\(name) is locked by another process; try again", status: ExitCode.tempFail)
        case SQLITE_READONLY, SQLITE_PERM: self.init("\(name) is read-only: \(e.message)", status: ExitCode.cantCreate)
        case SQLITE_FULL: self.init("\(name): the disk is full", status: ExitCode.ioError)
        default: self.init("\(name): \(e.description)", status: ExitCode.ioError)
        }
    }
}
