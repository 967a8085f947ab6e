

import CRMCore
import CRMRepositories
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

    /// Maps store and system errors to sysexits statuses. The engine's own
    /// words (SQL, codes) go to the log, not into the message.
    init(_ error: Error, path: String? = nil) {
        var name = path ?? "the database"
        switch error {
        case RepositoryError.notADatabase(let p, _), RepositoryError.unavailable(let p, _, _), RepositoryError.schemaTooNew(_, _, let p):
            name = path ?? p
        default: break
        }
        switch error {
        case let failure as Failure:
            self = failure
        case let refusal as UserRefusal:
            switch refusal.kind {
            case .unknownUser: self.init(refusal.description, status: ExitCode.noUser)
            case .deactivated, .notPermitted: self.init(refusal.description, status: ExitCode.noPermission)
            case .conflict: self.init(refusal.description, status: ExitCode.dataError)
            }
        case let store as RepositoryError:
            if let diagnostic = store.diagnostic { DiagnosticLog.write("\(name): \(diagnostic)") }
            switch store {
            case .schemaTooNew: self.init(store.description, status: ExitCode.dataError)
            case .invalid(let v): self.init(v.description, status: ExitCode.usage)
            case .unavailable(_, let reason, let d) where d?.engine == "PostgreSQL":
                // A server, not a file: refused logins and unreachable servers
                // are told apart for scripts (EX_NOPERM, EX_UNAVAILABLE).
                self.init("cannot open \(name): \(reason)", status: reason.contains("refused the login") || reason.contains("is deactivated") ? ExitCode.noPermission : ExitCode.unavailable)
            case .unavailable(_, let reason, let d):
                self.init("cannot open \(name): \(reason)", status: d?.code == SQLITE_CANTOPEN ? ExitCode.noInput : ExitCode.ioError)
            case .notADatabase: self.init("\(name) is not a crm database", status: ExitCode.dataError)
            case .damaged: self.init("\(name) is damaged; run 'crm check --db \(name)'", status: ExitCode.dataError)
            case .busy: self.init("\(name) is busy: another process holds its write lock; try again", status: ExitCode.tempFail)
            case .readOnly: self.init("\(name) is read-only for you: check the file's and its folder's permissions", status: ExitCode.cantCreate)
            case .diskFull: self.init("\(name): the disk is full", status: ExitCode.ioError)
            case .stale: self.init(store.description, status: ExitCode.tempFail)
            case .notFound, .failed: self.init("\(name): \(store.description)", status: ExitCode.software)
            }
        case let invalid as ValidationFailure:
            // A value the command was given is wrong: data, not a bug.
            self.init(invalid.description, status: ExitCode.dataError)
        case let e as CocoaError:
            let reason = (e.userInfo[NSUnderlyingErrorKey] as? Error).map { "\($0.localizedDescription)" } ?? e.localizedDescription
            self.init("cannot create the database folder: \(path.map { "\($0): " } ?? "")\(reason)", status: ExitCode.cantCreate)
        default:
            self.init("\(path.map { "\($0): " } ?? "")\(error)", status: ExitCode.software)
        }
    }
}
