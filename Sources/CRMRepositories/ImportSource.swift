import CRMCore
import Foundation

/// One contact from an import file as the storage engine takes it: the
/// file's record after its reader parsed it (CRMExchange's `ImportRecord`),
/// before it is checked against the database. The seam's own type, so an
/// engine never depends on the file formats.
public struct ImportContact: Sendable, Equatable {
    /// The line of the file where the record starts (1-based).
    public var line: Int
    public var name: String
    public var title: String
    /// The company's name as written; the import finds it (case and
    /// accents folded) or creates it.
    public var company: String
    public var emails: [EmailAddress]
    public var phones: [PhoneNumber]
    public var tags: [String]
    /// Nil: the default (lead) for a new contact, untouched by a merge.
    public var lifecycle: Lifecycle?
    public var source: String
    /// The notes with every value that has no field of its own appended.
    public var notes: String
    /// The owner the file names (our own export does); nil: the import's.
    public var ownerLogin: String?
    /// Which column or property each field came from, keyed by the field
    /// names `Contact.validate` uses ("name", "email 2", "phone"), so a
    /// rejected value is reported where the user finds it in the file.
    public var origins: [String: String]
    /// The vCard's UID, kept with the contact it makes (`Contact.uid`).
    public var uid: String?

    public init(line: Int, name: String, title: String = "", company: String = "", emails: [EmailAddress] = [],
                phones: [PhoneNumber] = [], tags: [String] = [], lifecycle: Lifecycle? = nil, source: String = "",
                notes: String = "", ownerLogin: String? = nil, origins: [String: String] = [:], uid: String? = nil) {
        self.line = line; self.name = name; self.title = title; self.company = company; self.emails = emails
        self.phones = phones; self.tags = tags; self.lifecycle = lifecycle; self.source = source; self.notes = notes
        self.ownerLogin = ownerLogin; self.origins = origins; self.uid = uid
    }
}

/// A line of an import file that cannot be taken: where it is and what is
/// expected ("line 42, column E-mail 1 - Value: 'bob@' is not an email address").
public struct ImportRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// The column header or vCard property, when known.
    public var column: String?
    public var message: String

    public init(line: Int, column: String? = nil, message: String) {
        self.line = line; self.column = column; self.message = message
    }

    public var description: String {
        if let column { return "line \(line), column \(column): \(message)" }
        return "line \(line): \(message)"
    }
}

/// What an import source yields next.
public enum ImportRow: Sendable, Equatable {
    case contact(ImportContact)
    case rejected(ImportRejection)
}

/// A stream of rows from one file: the engine pulls one at a time, so a
/// file of a million rows is imported in the memory of a few. Throws when
/// the file as a whole cannot be read as claimed (then nothing is written).
public protocol ImportSource {
    mutating func next() throws -> ImportRow?
}

/// An `ImportSource` over rows in memory (tests, the screen's preview).
public struct ImportRows: ImportSource {
    private var rows: [ImportRow]
    private var index = 0
    public init(_ rows: [ImportRow]) { self.rows = rows }
    public mutating func next() throws -> ImportRow? {
        guard index < rows.count else { return nil }
        defer { index += 1 }
        return rows[index]
    }
}
