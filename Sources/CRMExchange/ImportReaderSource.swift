import CRMRepositories
import Foundation

/// A file reader as the storage seam pulls rows from it: each record
/// becomes an `ImportContact` (its extras written into the notes, so nothing
/// without a field of its own is lost), each rejected line an
/// `ImportRejection`. Errors about the file as a whole (`ImportFileError`)
/// pass through, and the import writes nothing.
public struct ImportReaderSource: ImportSource {
    private var reader: any ImportReader

    public init(_ reader: any ImportReader) { self.reader = reader }

    public mutating func next() throws -> ImportRow? {
        guard let item = try reader.next() else { return nil }
        switch item {
        case .record(let r): return .contact(Self.contact(r))
        case .rejected(let p): return .rejected(ImportRejection(line: p.line, column: p.column, message: p.message))
        }
    }

    public static func contact(_ r: ImportRecord) -> ImportContact {
        ImportContact(line: r.line, name: r.name, title: r.title, company: r.company, emails: r.emails, phones: r.phones,
                      tags: r.tags, lifecycle: r.lifecycle, source: r.source, notes: r.notesWithExtras,
                      ownerLogin: r.ownerLogin, origins: r.origins,
                      // A card's UID is its identity in address books; an id
                      // column of a CSV is the other system's row number.
                      uid: r.origins["id"] == "UID" ? r.externalID.flatMap { $0.isEmpty ? nil : $0 } : nil)
    }
}
