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
}
