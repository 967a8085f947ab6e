import Foundation

extension ImportOpener {
    /// The opener `crm import` and the import screen use: CSV and vCard, and
    /// our own JSON contacts export through its reader.
    public static let standard = ImportOpener(json: { try JSONContactReader(path: $0) })

    /// How a batch names the file's format: "Google Contacts csv", "vcard", "json".
    public static func formatLabel(_ format: ImportFormat, reader: any ImportReader) -> String {
        if let csv = reader as? CSVImportReader, let preset = csv.plan.preset { return "\(preset.rawValue) csv" }
        return format.rawValue
    }

    /// Lines looked past before the header (LinkedIn's notes), said in the
    /// summary so that nobody wonders where they went (QA 27 #14); nil when
    /// the header is the first line.
    public static func readingNote(reader: any ImportReader) -> String? {
        guard let csv = reader as? CSVImportReader, csv.headerLine > 1 else { return nil }
        let above = csv.headerLine - 1
        return "header on line \(csv.headerLine); the \(above == 1 ? "line" : "\(above) lines") above it skipped"
    }

    /// The labels values went to the contacts' notes under ("Hobby", or
    /// "lifecycle" for a stage none of ours), as far as the file has been
    /// read: `crm import` says them after the counts, so a dry run shows what
    /// was not read as a field (QA 38 #F3: "email_1" once went there unsaid).
    /// The import screen shows every column's field instead.
    public static func labelsKeptInNotes(reader: any ImportReader) -> [String] {
        (reader as? CSVImportReader)?.notes.labels ?? []
    }

    /// The rows of bare delimiters skipped, as far as the file has been read:
    /// how many, and the first lines of them.
    public static func emptyRowsSkipped(reader: any ImportReader) -> (count: Int, lines: [Int]) {
        guard let notes = (reader as? CSVImportReader)?.notes else { return (0, []) }
        return (notes.emptyRows, notes.emptyRowLines)
    }
}
