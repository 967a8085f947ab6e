import CRMBench
import CRMCore
import CRMDemo
import CRMRepositories
import CRMStore
import Foundation

/// Opening a database for a command, with the checks that give a clearer
/// message than SQLite's "unable to open database file".
enum Opening {
    /// `mode`: `.write` for commands that write; the screen asks for
    /// `.writeIfPermitted` and is read-only when the user may not write.
    static func database(at path: String, login: String? = nil, mode: Database.OpenMode = .write) throws -> Database {
        if let target = danglingLink(path) {
            throw Failure("\(path) is a symbolic link to \(target), which does not exist; crm does not create a database "
                          + "through a link: give the path of the real file", status: ExitCode.cantCreate)
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw Failure("cannot open \(path): it is a folder; --db wants the path of a database file", status: ExitCode.noInput)
        }
        // A device or pipe (/dev/null) would fail later with a bare "disk I/O error".
        if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType,
           type != .typeRegular, type != .typeSymbolicLink {
            throw Failure("cannot open \(path): it is not a regular file; --db wants the path of a database file", status: ExitCode.noInput)
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw Failure("cannot create the folder \(folder) for the database: \(String(cString: strerror(errno)))", status: ExitCode.cantCreate)
            }
        }
        do {
            // The settings' phone_region: national numbers get their
            // international form with it (see PhoneE164Fill).
            let settings = SettingsFile.load(path: SettingsFile.path()).settings
            let region = settings.phoneRegion
            let started = Date()
            var upgraded: MigrationStep?
            // A person's login: known, or created only where the database says so.
            // The stored value tiers are kept with the settings' tier.A,
            // tier.B and rate.* (see ValueTierRecompute).
            let db = try Database(path: path, mode: mode, login: login, newLogins: .asTheDatabaseSays, phoneRegion: region,
                                  valueTierPolicy: ValueTierPolicy(settings: settings)) { step in
                // An upgrade of an existing file (not the creation of a new
                // one), on a terminal: each step can take seconds on a large file.
                guard step.from > 0, isatty(STDERR_FILENO) == 1 else { return }
                upgraded = step
                Output.error("crm: upgrading \(path) to schema \(step.latest): step \(step.step) of \(step.latest)…")
            } phoneFillStarting: { pending in
                // Once per file and region; seconds on a large one (QA 27 #20).
                guard pending >= 10_000, isatty(STDERR_FILENO) == 1, let region else { return }
                Output.error("crm: giving \(pending.formatted()) stored phone numbers their international form (phone_region \(region.code))…")
            }
            // The screen asks for .writeIfPermitted and keeps its 5 s (a person
            // waits in front of it); a command waits for a colleague's long action.
            if mode == .write { db.connection.busyTimeoutMs = Connection.commandBusyTimeoutMs }
            if let upgraded {
                Output.error(String(format: "crm: upgraded \(path) from schema \(upgraded.from) to \(upgraded.latest) in %.1f s",
                                    Date().timeIntervalSince(started)))
            }
            return db
        } catch {
            throw Failure(error, path: path)
        }
    }

    static func mustExist(_ path: String, hint: String) throws {
        if let target = danglingLink(path) {
            throw Failure("there is no database at \(path): it is a symbolic link to \(target), which does not exist", status: ExitCode.noInput)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure("there is no database at \(path); \(hint)", status: ExitCode.noInput)
        }
    }

    /// Where a symbolic link at `path` points, when that does not exist.
    static func danglingLink(_ path: String) -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path),
              !FileManager.default.fileExists(atPath: path) else { return nil }
        return target
    }
}
