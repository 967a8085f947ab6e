import CRMRepositories
import Foundation

/// The result of `PRAGMA integrity_check` on a file, read without migrating
/// it (so a check never changes the database, and works on newer schemas).
public struct IntegrityReport: Sendable {
    public var problems: [String]
    public var schemaVersion: Int
    public var isOK: Bool { problems.isEmpty }

    public static func check(path: String) throws -> IntegrityReport {
        let c = try Connection(path: path)
        let lines = try c.rows("PRAGMA integrity_check") { $0.string(0) }
        let version = Int(try c.scalar("PRAGMA user_version") ?? 0)
        return IntegrityReport(problems: lines == ["ok"] ? [] : lines, schemaVersion: version)
    }
}
