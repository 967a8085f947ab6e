import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import Foundation

/// `crm check [--db PATH]`: integrity check and schema version. Opens the file
/// read-only, as `followups` does: checking never creates, migrates or changes
/// a file, and refuses one that is not a crm database (65).
enum CheckCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "check")
        var dbOption: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("check"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        let (path, _) = try Paths.database(option: dbOption, instead: "crm check reads an SQLite file page by page; "
                                           + "a PostgreSQL server checks its own: run pg_amcheck on the database (as its owner)")
        try Opening.mustExist(path, hint: "nothing to check")
        let report: IntegrityReport
        do {
            report = try IntegrityReport.check(path: path)
        } catch RepositoryError.notADatabase(let p, let d) {
            throw Failure(RepositoryError.notADatabase(path: p, d), path: path)
        } catch let error as RepositoryError {
            if let diagnostic = error.diagnostic { DiagnosticLog.write("\(path): \(diagnostic)") }
            Output.print("database:        \(path)")
            // The store's sentence for a damaged file says to run this very
            // command; here the advice is what to do next.
            let reason = if case .damaged = error { "the file is damaged; restore it from a backup" } else { error.description }
            Output.print("integrity:       cannot read it: \(reason)")
            return ExitCode.failure
        }
        Output.print("database:        \(path)")
        if report.isOK {
            Output.print("integrity:       ok")
        } else {
            Output.print("integrity:       \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")")
            for problem in report.problems { Output.print("  \(problem)") }
        }
        let supported = Database.supportedSchemaVersion
        var version = "schema version:  \(report.schemaVersion) (this crm supports up to \(supported))"
        if report.schemaVersion > supported { version += ": written by a newer crm; upgrade crm to open it" }
        if report.schemaVersion < supported { version += ": upgraded on the next open" }
        Output.print(version)
        // A newer file is refused like every other command refuses it (65),
        // after the report, which is still worth reading.
        if report.schemaVersion > supported {
            Output.error("crm: \(RepositoryError.schemaTooNew(found: report.schemaVersion, supported: supported, path: path).description)")
            return ExitCode.dataError
        }
        return report.isOK ? ExitCode.ok : ExitCode.failure
    }
}
