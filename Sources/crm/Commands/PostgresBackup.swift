import CRMStorePostgres
import Foundation

/// `crm backup PATH --db postgresql:///crm`: PostgreSQL's own tool makes the
/// copy (`pg_dump --format=custom`: one consistent snapshot, taken while
/// others keep working), written to a new 0600 file beside PATH and put at
/// PATH only once pg_dump succeeded and `pg_restore --list` reads it back.
enum PostgresBackup {
    static func run(conninfo: String, to path: String, replace: Bool) throws -> Int32 {
        let name = PGConnection.redacted(conninfo)
        guard let dump = tool("pg_dump"), let restore = tool("pg_restore") else {
            throw Failure("pg_dump is not installed here: install Debian's postgresql-client (apt-get install "
                          + "postgresql-client), or back up on the server: pg_dump --format=custom DBNAME > FILE",
                          status: ExitCode.unavailable)
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("crm-pg_dump-\(getpid()).log").path
        defer { unlink(log) }
        let file = try OutputFile(path: path, replace: replace, command: "crm backup")
        // The connection string is an argument (as with psql); passwords
        // belong in ~/.pgpass or PGPASSWORD, never in a URI on a command line.
        let run = try ChildRun.run(dump, ["--format=custom", "--no-password", "--dbname=\(conninfo)"],
                                   stdout: file.descriptor, stderr: log)
        guard run.exitedCleanly else {
            file.discard()
            let said = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            DiagnosticLog.write("\(name): pg_dump: \(said)")
            // pg_dump refuses a table with row-level security to a role its
            // policies apply to (it could not promise every row), whatever
            // that role may read: every CRM role, even an admin's (QA 33 #14).
            let notAllowed = said.contains("row-level security") || said.contains("permission denied")
            let reason = said.contains("Connection refused") || said.contains("No such file") ? "the server cannot be reached"
                : said.contains("authentication") || said.contains("password") ? "the server refused the login"
                : notAllowed ? "pg_dump copies the CRM's tables, which have row-level security, only for a role their policies "
                    + "do not apply to: make the backup as the database's owner or a superuser, e.g. crm backup FILE --db "
                    + "'postgresql:///DB?user=OWNER' or pg_dump as postgres (crm migrate --to copy.db copies what this role can read)"
                : said.contains("does not exist") ? "the server has no such database" : "pg_dump failed"
            throw Failure("cannot back up \(name): \(reason) (pg_dump's words are in crm.log); nothing was written",
                          status: reason.contains("login") || notAllowed ? ExitCode.noPermission : ExitCode.unavailable)
        }
        try file.commit()
        // The check: pg_restore must read the archive's table of contents.
        let check = try ChildRun.run(restore, ["--list", path], stderr: log)
        guard check.exitedCleanly else {
            unlink(path)
            throw Failure("the copy pg_dump wrote to \(path) cannot be read back by pg_restore; it was removed", status: ExitCode.dataError)
        }
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64) ?? 0
        Output.print("backup:          \(path)")
        Output.print("of:              \(name)")
        Output.print("made by:         pg_dump --format=custom (one consistent snapshot); checked with pg_restore --list")
        Output.print("size:            \(ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file)) (\(bytes) bytes)")
        let server = PGConnection.clientOptions(conninfo)
        Output.print("restore with:    createdb \(server)crm_restored && pg_restore \(server)--no-owner --dbname=crm_restored \(path)")
        return ExitCode.ok
    }

    /// `name` on PATH, else in Debian's versioned folder (the newest).
    static func tool(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        return (path + versions).map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
