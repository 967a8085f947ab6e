import CRMStore
import Foundation

/// Opening a database for a command, with the checks that give a clearer
/// message than SQLite's "unable to open database file".
enum Opening {
    static func database(at path: String, login: String? = nil) throws -> Database {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw Failure("cannot open \(path): it is a folder; --db wants the path of a database file", status: ExitCode.noInput)
        }
        do {
            return try Database(path: path, login: login)
        } catch {
            throw Failure(error, path: path)
        }
    }

    static func mustExist(_ path: String, hint: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure("there is no database at \(path); \(hint)", status: ExitCode.noInput)
        }
    }
}
