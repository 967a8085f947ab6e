import Foundation

/// What an import reads next from a file: a record to take, or a line that
/// cannot be taken (reported with its line number; the import goes on and
/// counts it, so the counts add up to the records read).
public enum ImportItem: Sendable, Equatable {
    case record(ImportRecord)
    case rejected(ImportProblem)
}

/// A streaming reader of one import file (CSV with a preset or a mapping,
/// vCard, our JSON): one record at a time, so a file of a million rows is
/// read in the memory of one.
public protocol ImportReader {
    /// The next record or rejected line; nil at the end of the file. Throws
    /// `ImportFileError` when the file as a whole cannot be read as claimed
    /// (then nothing of it is imported).
    mutating func next() throws -> ImportItem?
}

/// The file as a whole is not what it claims or cannot be read: the import
/// writes nothing. `status` is the sysexits code the CLI exits with.
public struct ImportFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Cannot open or read the file (EX_NOINPUT, 66).
        case unreadable
        /// The content is not what the format needs (EX_DATAERR, 65).
        case badData
        /// What the user asked for cannot be done with this file: an unknown
        /// `--encoding`, a `--map` naming a column the header lacks or a
        /// field we do not have (EX_USAGE, 64).
        case usage
    }
    public var kind: Kind
    /// The file's path as the user named it.
    public var path: String
    /// Where, when known (a line number).
    public var line: Int?
    public var message: String

    public init(_ kind: Kind, path: String, line: Int? = nil, message: String) {
        self.kind = kind; self.path = path; self.line = line; self.message = message
    }

    public var status: Int32 {
        switch kind {
        case .unreadable: 66
        case .badData: 65
        case .usage: 64
        }
    }

    public var description: String {
        if let line { return "\(path), line \(line): \(message)" }
        return "\(path): \(message)"
    }
}
