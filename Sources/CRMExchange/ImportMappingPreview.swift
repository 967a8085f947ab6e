import Foundation

/// What the import screen shows before anything is imported: each column
/// of the file with its first values under it and the field it goes to, so
/// the user sees the mapping at work (and which columns still need one).
public struct ImportMappingPreview: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        /// The header cell ("E-mail 1 - Value"; "name" for abook's headerless csv).
        public var header: String
        /// The column's values in the first rows ("" where a row is empty).
        public var samples: [String]
        /// Where the column goes; nil when the header is not recognised and
        /// no `--map` names it yet.
        public var field: ContactField?

        public init(header: String, samples: [String], field: ContactField?) {
            self.header = header; self.samples = samples; self.field = field
        }

        /// "name", "notes, as \"Birthday: …\"", or "not mapped".
        public var fieldText: String { field?.description ?? "not mapped" }
    }

    /// The preset recognised from the header, nil for an unknown header.
    public var preset: CSVPreset?
    public var columns: [Column]
    public var delimiter: Character
    public var encoding: TextEncoding

    /// The header is unknown and no `--map` covers it: the import would
    /// refuse the file until the user gives one.
    public var needsMapping: Bool { columns.contains { $0.field == nil } }

    public init(preset: CSVPreset?, columns: [Column], delimiter: Character, encoding: TextEncoding) {
        self.preset = preset; self.columns = columns; self.delimiter = delimiter; self.encoding = encoding
    }

    /// The preview of a CSV file: the header, the first `rows` rows, and the
    /// plan the import would use (with `mapping` applied). Throws what the
    /// import would throw for an unreadable file or a bad `--map`.
    public static func csv(path: String, mapping: String? = nil, columnFields: [String: ContactField] = [:],
                           encoding: String? = nil, rows: Int = 3) throws -> ImportMappingPreview {
        var reader = try CSVImportReader(path: path, mapping: mapping, columnFields: columnFields, encoding: encoding,
                                         maxRecordBytes: CSVTokenizer.defaultMaxRecordBytes, preview: true)
        let plan = reader.plan
        var samples: [[String]] = []
        while samples.count < rows, let row = try reader.nextRow() { samples.append(row.fields) }
        let columns = plan.header.enumerated().map { i, header in
            Column(header: CSVColumnPlan.displayName(header, index: i),
                   samples: samples.map { i < $0.count ? $0[i] : "" },
                   field: plan.fields[i])
        }
        return ImportMappingPreview(preset: plan.preset, columns: columns, delimiter: reader.delimiter, encoding: reader.encoding)
    }
}
