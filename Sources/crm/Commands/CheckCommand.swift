import CRMBench
import CRMCore
import CRMDemo
import CRMRepositories
import CRMStore
import CRMTerminal
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
        if report.integrityOK {
            Output.print("integrity:       ok")
        } else {
            Output.print("integrity:       \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")")
            for problem in report.problems { Output.print("  \(problem)") }
        }
        printLastContact(report)
        let supported = Database.supportedSchemaVersion
        var version = "schema version:  \(report.schemaVersion) (this crm supports up to \(supported))"
        if report.schemaVersion > supported { version += ": written by a newer crm; upgrade crm to open it" }
        if report.schemaVersion == 0 {
            version += ": an empty file, no crm data yet (crm makes it a database when it first opens it)"
        } else if report.schemaVersion < supported {
            version += ": upgraded on the next open"
        }
        Output.print(version)
        // A newer file is refused like every other command refuses it (65),
        // after the report, which is still worth reading.
        if report.schemaVersion > supported {
            Output.error("crm: \(RepositoryError.schemaTooNew(found: report.schemaVersion, supported: supported, path: path).description)")
            return ExitCode.dataError
        }
        return report.isOK ? ExitCode.ok : ExitCode.failure
    }

    /// The contacts whose stored last contact time is not their latest
    /// interaction's (QA 31 #10: a copy imported with none): what the Today
    /// list, the contact list and the People and Customers reports read, while
    /// other figures count the interactions. Said with the way to mend it,
    /// since `check` itself changes nothing. Not said for a file not checked
    /// for it (damaged, or newer than this crm).
    static func printLastContact(_ report: IntegrityReport) {
        guard report.integrityOK, report.schemaVersion >= 1, report.schemaVersion <= Database.supportedSchemaVersion else { return }
        let n = report.lastContactDisagreements
        guard n > 0 else {
            Output.print("last contact:    ok")
            return
        }
        Output.print("last contact:    \(n) contact\(n == 1 ? "'s" : "s'") stored last contact time is not the time of \(n == 1 ? "its" : "their") latest interaction")
        for c in report.lastContactExamples {
            // The name on one line (a stored line break must not start a
            // line of the report), its controls shown as placeholders.
            Output.print("  #\(c.contactID) \(TextSanitizer.singleLine(c.name)): stored \(c.stored?.isoUTCText ?? "none"), latest interaction \(c.latest?.isoUTCText ?? "none")")
        }
        if n > report.lastContactExamples.count { Output.print("  and \(n - report.lastContactExamples.count) more") }
        Output.print("  The Today list, the contact list and the People and Customers reports read the stored time,")
        Output.print("  other figures count the interactions. A copy has it recounted for every contact:")
        Output.print("    crm export all --out copy.jsonl")
        Output.print("    crm import copy.jsonl --db NEW.db")
    }
}
