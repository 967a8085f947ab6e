import CRMRepositories
import CRMStore
import Foundation

/// `crm restore PATH [--yes] [--db PATH]`: puts a checked backup in place of
/// the database, only when nobody has it open, after asking.
enum RestoreCommand {
    /// "Active in the last minutes": who wrote in this window is named when
    /// someone has the database open.
    static let activeWindow: TimeInterval = 15 * 60

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "restore")
        var sources: [String] = []
        var dbOption: String?
        var yes = false
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--yes", let v), .option("-y", let v): yes = try reader.flag("--yes", inline: v)
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("restore"))
                return ExitCode.ok
            case .positional(let text): sources.append(text)
            default: throw reader.unknown(arg)
            }
        }
        guard let source = sources.first else { throw reader.fail("name the backup file to restore, e.g. crm restore ~/crm-backup.db") }
        guard sources.count == 1 else { throw reader.fail("one backup file at a time; got \(sources.count): \(sources.joined(separator: " "))") }
        // A link at the database's path: the file it points to is replaced.
        let named = try Paths.database(option: dbOption, instead: "crm restore puts an SQLite backup file in place; "
                                       + "a PostgreSQL database is restored from a pg_dump backup ('crm backup') with "
                                       + "pg_restore --clean --if-exists --dbname=… FILE").path
        let database = (try? FileManager.default.destinationOfSymbolicLink(atPath: named)) != nil
            ? URL(fileURLWithPath: named).resolvingSymlinksInPath().path : named
        let backup = Paths.expand(source)
        if backup == database { throw reader.fail("the backup file is the database itself; name the backup to restore") }
        // The backup first (a missing one is the first thing to say), then
        // whether anyone can be asked.
        try Opening.mustExist(backup, hint: "name a file written by 'crm backup'")
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: backup, isDirectory: &isFolder), isFolder.boolValue {
            throw Failure("cannot restore \(backup): it is a folder; name a file written by 'crm backup'", status: ExitCode.noInput)
        }
        guard yes || isatty(STDIN_FILENO) == 1 else {
            throw reader.fail("restore asks before it replaces \(database); without a terminal, add --yes")
        }
        // 1. The backup: a crm database this crm can open, undamaged.
        let summary: DatabaseBackup.Summary
        do {
            summary = try DatabaseBackup.check(backup, name: backup)
        } catch {
            throw BackupFailure.failure(error, database: backup)
        }
        // 2. Nobody has the database open.
        try refuseWhileOpen(database)
        // Restoring onto a new machine: the folder is made as crm makes it (0700).
        let folder = (database as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw Failure("cannot create the folder \(folder) for the database: \(error.localizedDescription)", status: ExitCode.cantCreate)
            }
        }
        // 3. Asked.
        Output.print("backup:          \(backup)")
        Output.print(BackupFailure.describe(summary))
        let exists = FileManager.default.fileExists(atPath: database)
        if !yes {
            try? FileHandle.standardError.write(contentsOf: Data(Output.sanitized("Restore \(backup) over \(database)\(exists ? " (kept as a .before-restore file)" : "")? [y/N] ").utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
            guard answer == "y" || answer == "yes" else {
                Output.error("crm: not restored; \(database) is as it was")
                return ExitCode.failure
            }
        }
        // Looked again: someone may have opened it while we asked.
        try refuseWhileOpen(database)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let kept: String?
        do {
            kept = try DatabaseBackup.restore(backup, over: database, stamp: formatter.string(from: Date()))
        } catch {
            throw BackupFailure.failure(error, database: database)
        }
        // The restored file's audit log is the backup's: the restore itself
        // is recorded in the log of the person who made it.
        DiagnosticLog.write("restored \(backup) over \(database) as \(Paths.login)\(kept.map { "; the old file is \($0)" } ?? "")")
        Output.print("restored:        \(database)")
        if let kept { Output.print("the old one:     \(kept)") }
        return ExitCode.ok
    }

    /// Refuses (75) when any process has `database` open, naming them and the
    /// users who wrote to it in the last minutes.
    static func refuseWhileOpen(_ database: String) throws {
        guard FileManager.default.fileExists(atPath: database) else { return }
        guard let openers = DatabaseBackup.openers(of: database) else {
            throw Failure("cannot tell whether someone has \(database) open (/proc/locks is not readable); nothing restored",
                          status: ExitCode.tempFail)
        }
        guard !openers.isEmpty else { return }
        let time = DateFormatter()
        time.dateFormat = "HH:mm"
        let who = openers.map { o in
            "\(o.user) (pid \(o.pid), \(o.command)\(o.since.map { ", since \(time.string(from: $0))" } ?? ""))"
        }
        var message = "\(database) is open: \(who.joined(separator: "; "))"
        let writers = (try? Database.reading(database) { try $0.audit.writers(since: Date().addingTimeInterval(-activeWindow)) }) ?? []
        if !writers.isEmpty {
            message += "; active in the last \(Int(activeWindow / 60)) minutes: "
                + writers.map { "\($0.login) (last write \(time.string(from: $0.last)))" }.joined(separator: ", ")
        }
        throw Failure(message + ". Ask them to quit crm, then restore again; nothing was changed", status: ExitCode.tempFail)
    }
}
