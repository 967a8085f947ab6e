import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import Foundation

/// `crm check [--db PATH]`: integrity check and schema version. Opens the file
/// without migrating it, so checking never changes the database.
enum CheckCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "check")
        var dbOption: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file")
            case .option("--help", _), .option("-h", _):
                print(Help.text("check"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        let (path, _) = Paths.database(option: dbOption)
        try Opening.mustExist(path, hint: "nothing to check")
        let report: IntegrityReport
        do {
            report = try IntegrityReport.check(path: path)
        } catch let error as RepositoryError {
            if let diagnostic = error.diagnostic { DiagnosticLog.write("\(path): \(diagnostic)") }
            print("database:        \(path)")
            print("integrity:       cannot read it: \(error.description)")
            return ExitCode.failure
        }
        print("database:        \(path)")
        if report.isOK {
            print("integrity:       ok")
        } else {
            print("integrity:       \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")")
            for problem in report.problems { print("  \(problem)") }
        }
        let supported = Database.supportedSchemaVersion
        var version = "schema version:  \(report.schemaVersion) (this crm supports up to \(supported))"
        if report.schemaVersion > supported { version += ": written by a newer crm; upgrade crm to open it" }
        if report.schemaVersion < supported { version += ": upgraded on the next open" }
        print(version)
        return report.isOK ? ExitCode.ok : ExitCode.failure
    }
}
