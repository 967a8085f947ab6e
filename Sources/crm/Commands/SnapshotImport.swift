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
            let before = try db.allUsers()
            let result = try db.exportRepository.loadSnapshot(schemaVersion: reader.schemaVersion) { try reader.next() }
            let parts = result.counts.filter { $0.rows > 0 }.map { "\($0.rows) \($0.type)" }
            Output.error("crm: loaded \(result.total) rows from \(file) into \(databasePath)"
                         + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")))
            for line in usersReplaced(before: before, after: try db.allUsers(), loader: db.currentUser.login) {
                Output.error("crm: " + line)
            }
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

    /// What the load did to the users the database had: the copy's users
    /// take their place with their ids (so every record names the same
    /// person), which was said nowhere (QA 45 IO #4: the admin who ran the
    /// load found himself gone and a colleague's role changed).
    static func usersReplaced(before: [User], after: [User], loader: String) -> [String] {
        let known = before.filter { $0.id != 0 }
        guard !known.isEmpty else { return [] }
        let byLogin = Dictionary(after.map { ($0.login.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        var gone: [String] = [], changed: [String] = []
        for user in known {
            guard let now = byLogin[user.login.lowercased()] else { gone.append("\(user.login) (\(user.role.rawValue))"); continue }
            if now.role != user.role { changed.append("\(user.login) is \(now.role.rawValue) (was \(user.role.rawValue))") }
        }
        guard !gone.isEmpty || !changed.isEmpty else { return [] }
        var lines = ["the database's users were replaced by the copy's, as they are in it"
                     + (gone.isEmpty ? "" : "; not in the copy, so gone: " + gone.joined(separator: ", "))
                     + (changed.isEmpty ? "" : "; " + changed.joined(separator: ", "))]
        if byLogin[loader.lowercased()] == nil {
            let admins = after.filter { $0.role == .admin && $0.isActive }.map(\.login)
            lines.append("you (\(loader)) are no user of the loaded copy; its admin\(admins.count == 1 ? " is" : "s are") "
                         + (admins.isEmpty ? "none" : admins.joined(separator: ", ")) + ": use --user with one of them")
        }
        return lines
    }
}
