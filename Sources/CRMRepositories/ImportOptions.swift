import Foundation

/// What an import does with a row that looks like a contact already there.
public enum DuplicatePolicy: String, CaseIterable, Sendable {
    /// Leave the existing contact alone; the row is counted as skipped.
    case skip
    /// Fill the existing contact's empty fields and add the row's new
    /// emails, phones and tags; a value already set is never overwritten.
    case merge
    /// Create a new contact anyway.
    case create
}

/// How one import runs.
public struct ImportOptions: Sendable {
    /// What the batch is called in lists and the audit log: the file's name.
    public var label: String
    /// The file's format as detected or named ("google csv", "vcard"), for the batch list.
    public var format: String
    /// The owner of every contact created (nil: the row's own owner if the
    /// file names one, else the importing user). Must exist.
    public var ownerLogin: String?
    /// A tag added to every contact created or merged ("import-2026-11").
    public var tag: String?
    public var onDuplicate: DuplicatePolicy
    /// Reads and checks everything, writes nothing.
    public var dryRun: Bool
    /// Import the valid rows when some are rejected; without it a single
    /// rejected row refuses the whole import (nothing is written).
    public var skipInvalid: Bool

    public init(label: String, format: String = "", ownerLogin: String? = nil, tag: String? = nil,
                onDuplicate: DuplicatePolicy = .skip, dryRun: Bool = false, skipInvalid: Bool = false) {
        self.label = label; self.format = format; self.ownerLogin = ownerLogin; self.tag = tag
        self.onDuplicate = onDuplicate; self.dryRun = dryRun; self.skipInvalid = skipInvalid
    }
}

/// An existing contact that a row of the file looks like, and why.
public struct ImportDuplicate: Sendable, Equatable, CustomStringConvertible {
    /// The existing contact (0 in a dry run when the match is an earlier
    /// row of the same file, which is not in the database yet).
    public var contactID: Int64
    public var name: String
    public var companyName: String?
    /// "same email", "same phone", "similar name at the same company".
    public var reasons: [String]
    /// Set when the match is an earlier row of the same file.
    public var fileLine: Int?
    /// A merge: what the row had that the merge does not write, because the
    /// contact has its own (`title "Senior Manager" (has "经理")`); said, so
    /// nothing of the file goes unsaid (QA 40 #4).
    public var notTaken: [String] = []

    public init(contactID: Int64, name: String, companyName: String?, reasons: [String], fileLine: Int? = nil) {
        self.contactID = contactID; self.name = name; self.companyName = companyName; self.reasons = reasons
        self.fileLine = fileLine
    }

    /// "Günter Müller · Granite Bau (#12, same email)" or "line 7 of this file (same phone)".
    public var description: String {
        if let fileLine { return "line \(fileLine) of this file (\(reasons.joined(separator: ", ")))" }
        let who = companyName.map { "\(name) · \($0)" } ?? name
        return "\(who) (#\(contactID), \(reasons.joined(separator: ", ")))"
    }
}

/// What happened (or, in a dry run, would happen) to one row.
public enum ImportOutcome: Sendable, Equatable {
    case created(line: Int, name: String)
    /// Created although it looks like `duplicate` (policy `create`).
    case createdDespite(line: Int, name: String, duplicate: ImportDuplicate)
    case merged(line: Int, name: String, into: ImportDuplicate)
    case skipped(line: Int, name: String, duplicate: ImportDuplicate)
    case rejected(ImportRejection)

    public var line: Int {
        switch self {
        case .created(let line, _), .createdDespite(let line, _, _), .merged(let line, _, _), .skipped(let line, _, _): line
        case .rejected(let r): r.line
        }
    }
}

/// The counts of one import; they add up to `rowsRead`.
public struct ImportSummary: Sendable, Equatable {
    public var rowsRead = 0
    /// New contacts (including those created despite a duplicate).
    public var created = 0
    /// Of `created`, those that look like an existing contact.
    public var createdDespiteDuplicate = 0
    public var merged = 0
    public var skipped = 0
    public var rejected = 0
    public var companiesCreated = 0
    /// The batch the import was recorded as; nil for a dry run or a refused import.
    public var batchID: Int64?
    /// False when nothing was written: a dry run, or an import refused for its rejected rows.
    public var committed = false

    public init() {}

    /// What a script reads: 0 when every row can be taken (or was, with
    /// `skipInvalid`), else rows were rejected.
    public var allTaken: Bool { rejected == 0 }
}

/// The import was refused because rows were rejected and `skipInvalid` was
/// not given: nothing was written. The rows were reported as outcomes.
public struct ImportRefused: Error, Sendable, CustomStringConvertible {
    public let summary: ImportSummary
    public init(summary: ImportSummary) { self.summary = summary }
    public var description: String {
        "\(summary.rejected) of \(summary.rowsRead) rows were rejected, so nothing was imported"
    }
}

/// Told every `ImportProgress.every` rows while an import runs.
public struct ImportProgress: Sendable, Equatable {
    public static let every = 10_000
    public var rowsRead: Int
    public init(rowsRead: Int) { self.rowsRead = rowsRead }
}

/// The `--owner` names no user, or a deactivated one: nothing was imported.
public struct ImportUnknownOwner: Error, Sendable, CustomStringConvertible {
    public let login: String
    /// The active users' logins, nearest first.
    public let known: [String]
    /// The user exists but was deactivated (their work was handed over).
    public let deactivated: Bool
    public init(login: String, known: [String], deactivated: Bool = false) {
        self.login = login; self.known = known; self.deactivated = deactivated
    }
    public var description: String {
        let users = "(users: \(known.isEmpty ? "none yet" : known.sorted().joined(separator: ", ")))"
        if deactivated { return "\(login) is deactivated; name an active user \(users)" }
        let hint = known.first.map { "; did you mean \($0)?" } ?? ""
        return "no user \"\(login)\"\(hint) \(users)"
    }
}
