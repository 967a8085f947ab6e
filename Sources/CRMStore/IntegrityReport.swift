import CRMRepositories
import Foundation

/// The result of `PRAGMA integrity_check` on a file, read without migrating
/// it (so a check never changes the database, and works on newer schemas).
public struct IntegrityReport: Sendable {
    public var problems: [String]
    public var schemaVersion: Int
    public var isOK: Bool { problems.isEmpty }

    /// Refuses a file that is not a crm database; reads one of any schema
    /// version, newer ones too (the caller says what the version means).
    /// Opened as `Database.OpenMode.read` opens: nothing is created or changed.
    public static func check(path: String) throws -> IntegrityReport {
        try Database.retryingReads(path) {
            let (c, snapshot) = try Database.openForReading(path)
            try Database.refuse(try Database.identify(c), path: path)
            let lines = try c.rows("PRAGMA integrity_check") { $0.string(0) }
            let version = Int(try c.scalar("PRAGMA user_version") ?? 0)
            let report = IntegrityReport(problems: lines == ["ok"] ? [] : lines, schemaVersion: version)
            return (report, snapshot == nil || FileSnapshot.of(path) == snapshot)
        }
    }
}
