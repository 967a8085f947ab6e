import CRMCore
import Foundation

/// One contact as it arrives from a file (a CSV row, a vCard, a JSON line),
/// before it is checked against the database. Every reader (CSV presets and
/// mappings, vCard 2.1/3.0/4.0, our JSON) produces these, and the import
/// turns them into contacts, so the rules for what a file may hold live in
/// one place whatever its format.
public struct ImportRecord: Sendable, Equatable {
    /// The line of the file where this record starts (1-based), for messages.
    public var line: Int
    public var name: String
    public var title: String
    /// The company's name as written in the file; the import finds or creates it.
    public var company: String
    public var emails: [EmailAddress]
    public var phones: [PhoneNumber]
    public var tags: [String]
    public var lifecycle: Lifecycle?
    public var source: String
    public var notes: String
    /// An owner's login, when the file names one (our own export does).
    public var ownerLogin: String?
    /// The file's own id for the record (a vCard UID, a HubSpot Record ID),
    /// kept so a second import of the same file can recognise it.
    public var externalID: String?
    /// When the record was created and last changed, as the file says (our
    /// own export has these); nil when it does not.
    public var createdAt: Date?
    public var updatedAt: Date?
    /// Values with no field of their own (an address, a URL, a birthday, a
    /// vCard X- property): never dropped, written into the notes as
    /// "Label: value" lines (`notesWithExtras`).
    public var extras: [Extra]
    /// Which column or property each field came from ("E-mail 1 - Value",
    /// "TEL"), keyed by field name ("email 1", "phone 2", "name"), so a
    /// rejected value is reported where the user can find it in the file.
    public var origins: [String: String]

    public struct Extra: Sendable, Equatable {
        public var label: String
        public var value: String
        public init(_ label: String, _ value: String) { self.label = label; self.value = value }
    }

    public init(line: Int, name: String = "", title: String = "", company: String = "",
                emails: [EmailAddress] = [], phones: [PhoneNumber] = [], tags: [String] = [],
                lifecycle: Lifecycle? = nil, source: String = "", notes: String = "",
                ownerLogin: String? = nil, externalID: String? = nil,
                extras: [Extra] = [], origins: [String: String] = [:],
                createdAt: Date? = nil, updatedAt: Date? = nil) {
        self.line = line; self.name = name; self.title = title; self.company = company
        self.emails = emails; self.phones = phones; self.tags = tags; self.lifecycle = lifecycle
        self.source = source; self.notes = notes; self.ownerLogin = ownerLogin
        self.externalID = externalID; self.extras = extras; self.origins = origins
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// The notes with every extra appended as a "Label: value" line, so what
    /// has no field of its own is still in the contact.
    public var notesWithExtras: String {
        let lines = extras.filter { !$0.value.isEmpty }.map { "\($0.label): \($0.value)" }
        guard !lines.isEmpty else { return notes }
        return notes.isEmpty ? lines.joined(separator: "\n") : notes + "\n" + lines.joined(separator: "\n")
    }
}
