import CRMRepositories
import CRMStore
import Foundation

/// `crm backup PATH [--force] [--db PATH]`: a consistent, checked copy of the
/// database, taken while others keep working (see DatabaseBackup.backup).
enum BackupCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "backup")
        var targets: [String] = []
        var dbOption: String?
        var force = false
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--force", let v): force = try reader.flag("--force", inline: v)
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("backup"))
                return ExitCode.ok
            case .positional(let text): targets.append(text)
            default: throw reader.unknown(arg)
            }
        }
        guard let target = targets.first else { throw reader.fail("name the backup file to write, e.g. crm backup ~/crm-backup.db") }
        guard targets.count == 1 else { throw reader.fail("one backup file at a time; got \(targets.count): \(targets.joined(separator: " "))") }
        let copy = Paths.expand(target)
        if case (.postgres(let conninfo), _) = try Paths.target(option: dbOption) {
            // The same rules for PATH as a SQLite backup's: a symbolic link
            // or a folder is refused even with --force (QA 33 #15).
            do { try DatabaseBackup.refuseTarget(copy, replace: force) } catch { throw BackupFailure.failure(error, database: copy) }
            return try PostgresBackup.run(conninfo: conninfo, to: copy, replace: force)
        }
        let path = try Paths.database(option: dbOption).path
        try Opening.mustExist(path, hint: "nothing to back up")
        if copy == path { throw reader.fail("the backup file is the database itself; name another file") }
        let summary: DatabaseBackup.Summary
        do {
            summary = try DatabaseBackup.backup(from: path, to: copy, replace: force)
        } catch {
            throw BackupFailure.failure(error, database: path)
        }
        Output.print("backup:          \(copy)")
        Output.print("of:              \(path)")
        Output.print(BackupFailure.describe(summary))
        return ExitCode.ok
    }
}

/// Messages and statuses shared by backup and restore.
enum BackupFailure {
    static func failure(_ error: Error, database: String) -> Failure {
        switch error {
        case DatabaseBackup.Refusal.targetExists(let path, let reason):
            return Failure("will not write \(path): \(reason)", status: ExitCode.cantCreate)
        case DatabaseBackup.Refusal.cannotCreate(let path, let reason):
            return Failure("cannot create \(path): \(reason)", status: ExitCode.cantCreate)
        case DatabaseBackup.Refusal.damaged(let path, let problems):
            let first = problems.prefix(3).joined(separator: "; ")
            return Failure("\(path) fails its integrity check (\(problems.count) problem\(problems.count == 1 ? "" : "s"): \(first))",
                           status: ExitCode.dataError)
        default:
            return Failure(error, path: database)
        }
    }

    /// "integrity: ok", the size and the counts, as backup and restore print them.
    static func describe(_ s: DatabaseBackup.Summary) -> String {
        let size = ByteCountFormatter.string(fromByteCount: s.bytes, countStyle: .file)
        let c = s.counts
        return """
            integrity:       ok (PRAGMA integrity_check)
            size:            \(size) (\(s.bytes) bytes), schema version \(s.schemaVersion)
            holds:           \(c.contacts) contacts, \(c.companies) companies, \(c.deals) deals, \(c.interactions) interactions, \
            \(c.followUps) open follow-ups, \(c.users) users
            """
    }
}
