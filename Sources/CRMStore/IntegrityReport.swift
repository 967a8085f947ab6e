import CRMRepositories
import Foundation

/// The result of `PRAGMA integrity_check` on a file, read without migrating
/// it (so a check never changes the database, and works on newer schemas),
/// and of the checks of what the database keeps for itself.
public struct IntegrityReport: Sendable {
    public var problems: [String]
    public var schemaVersion: Int
    /// How many contacts' stored last contact time is not their latest
    /// interaction's (`StoredLastContact`); 0 when not checked (a damaged
    /// file, or one written by a newer crm, whose columns may mean more).
    public var lastContactDisagreements = 0
    /// The first of them, by id.
    public var lastContactExamples: [LastContactDisagreement] = []

    /// The file's pages are sound.
    public var integrityOK: Bool { problems.isEmpty }
    public var isOK: Bool { integrityOK && lastContactDisagreements == 0 }

    /// Contacts named in the report at most; the count says how many in all.
    public static let examples = 5

    /// Refuses a file that is not a crm database; reads one of any schema
    /// version, newer ones too (the caller says what the version means).
    /// Opened as `Database.OpenMode.read` opens: nothing is created or changed.
    public static func check(path: String) throws -> IntegrityReport {
        try Database.retryingReads(path) {
            let (c, snapshot) = try Database.openForReading(path)
            try Database.refuse(try Database.identify(c), path: path)
            let lines = try c.rows("PRAGMA integrity_check") { $0.string(0) }
            let version = Int(try c.scalar("PRAGMA user_version") ?? 0)
            var report = IntegrityReport(problems: lines == ["ok"] ? [] : lines, schemaVersion: version)
            // The columns read are there since version 1 and mean the same
            // up to this crm's version.
            if report.integrityOK, (1...Database.supportedSchemaVersion).contains(version) {
                (report.lastContactDisagreements, report.lastContactExamples) = try StoredLastContact.disagreeing(c, limit: examples)
            }
            return (report, snapshot == nil || FileSnapshot.of(path) == snapshot)
        }
    }
}

/// A contact whose stored last contact time is not the time of its latest
/// interaction (nil: none stored, or no interaction).
public struct LastContactDisagreement: Sendable, Equatable {
    public var contactID: Int64
    public var name: String
    public var stored: Date?
    public var latest: Date?
}
