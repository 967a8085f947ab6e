import Foundation
import CRMCore

/// Where each column of one CSV file goes: the preset recognised from the
/// header (if any), overridden column by column by `--map`. A column with no
/// field is kept in the notes under its header; `skip` is the only way a
/// value is not imported, and the mapping screen says so.
public struct CSVColumnPlan: Sendable, Equatable {
    public var header: [String]
    public var preset: CSVPreset?
    /// One per header column; nil only in a preview of a header that needs a
    /// mapping (no preset and no `--map`).
    public var fields: [ContactField?]
    /// abook's plain csv has no header: the "header" is the first contact.
    public var headerIsData: Bool
    /// The header cells as labels for messages, worked out once.
    let columnNames: [String]

    public var needsMapping: Bool { fields.contains { $0 == nil } }

    /// The plan for `header`. Throws a usage error for a bad `--map`, and a
    /// data error for a header with no recognisable column and no `--map`
    /// (unless `preview`, which leaves such columns nil for the screen).
    ///
    /// `columnFields` is the same as `mapping` for the import screen, where
    /// the user picks a field per column: by header name, no spec to write.
    /// `headerLine`: the file's line the header is on (after an Excel
    /// `sep=;` line it is 2), for the refusals that name it.
    public static func make(header: [String], mapping: String?, columnFields: [String: ContactField] = [:],
                            path: String, preview: Bool = false, headerLine: Int = 1) throws -> CSVColumnPlan {
        if mapping == nil, columnFields.isEmpty, let kind = otherOwnExport(header) {
            // Read by its named columns, a deal or a follow-up row would
            // become a contact named after the person it is about.
            throw ImportFileError(.badData, path: path, line: headerLine, message: "this is crm's CSV export of \(kind); only contacts can be "
                                  + "imported (a complete copy is 'crm export all --format json', loaded into a new, empty database)")
        }
        var mapped = try mapping.map { try parseMapping($0, header: header, path: path) } ?? [:]
        for (column, field) in columnFields {
            mapped[try index(of: column, in: header, path: path)] = field
        }
        var preset = CSVPreset.detect(header: header)
        var headerIsData = false
        if preset == nil && mapped.isEmpty && CSVPreset.looksLikeHeaderlessAbook(header) {
            preset = .abookHeaderless
            headerIsData = true
        }
        if preset == nil && mapped.isEmpty && !preview {
            throw ImportFileError(.badData, path: path, line: headerLine, message: unrecognisedMessage(header))
        }
        var fields: [ContactField?] = []
        for (i, column) in header.enumerated() {
            if let field = mapped[i] { fields.append(field); continue }
            if preset == .abookHeaderless {
                fields.append(CSVPreset.abookHeaderless.field(for: CSVPreset.abookPlainColumns[i]))
                continue
            }
            if preset == nil && mapped.isEmpty { fields.append(nil); continue }
            // A column the export's preset does not know may still be named
            // like one of our fields ("Email" in an Outlook file).
            let generic = preset == .ownExport ? nil : CSVPreset.generic.field(for: column)
            fields.append(preset?.field(for: column) ?? generic ?? .extra(label: displayName(column, index: i)))
        }
        let shown = headerIsData ? CSVPreset.abookPlainColumns : header
        return CSVColumnPlan(header: shown, preset: preset, fields: fields, headerIsData: headerIsData,
                             columnNames: shown.enumerated().map { displayName($0.element, index: $0.offset) })
    }

    /// The kind of this program's own non-contact CSV export whose header
    /// `header` is ("deals"), nil for any other header.
    static func otherOwnExport(_ header: [String]) -> String? {
        let names = header.map(\.trimmed)
        // Columns are only ever added at the end (ExportColumns): a newer
        // export starts with the same ones.
        let kinds = [("companies", CompanyColumns.header), ("deals", DealColumns.header),
                     ("interactions", InteractionColumns.header), ("follow-ups", FollowUpColumns.header)]
        return kinds.first { names.starts(with: $0.1) }?.0
    }

    /// A header cell as a label: trimmed, "Column 7" when empty.
    static func displayName(_ column: String, index: Int) -> String {
        let text = column.trimmed
        return text.isEmpty ? "Column \(index + 1)" : text
    }

    static func unrecognisedMessage(_ header: [String]) -> String {
        let names = header.enumerated().map { displayName($0.element, index: $0.offset) }
        let shown = names.prefix(12).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 12 ? ", … (\(names.count) in all)" : "")
        // Every column up to eight (QA 40 #6: three of four were named, under "say where each goes").
        let example = names.prefix(8).map { "\($0)=FIELD" }.joined(separator: ",") + (names.count > 8 ? ",…" : "")
        return "no column of the header is one we know (found \(shown)); say where each goes with --map '\(example)' "
            + "(a column left out is kept in the notes), FIELD one of \(ContactField.mappingNames)"
    }

    /// The column a mapping names: exactly, else ignoring case and spacing,
    /// else also letter forms and joiners as search folds them (QA 45 FA #5:
    /// 'شركت' with the Arabic ك, or a space for the ZWNJ, named no column).
    static func index(of column: String, in header: [String], path: String) throws -> Int {
        let column = column.trimmed
        func folded(_ name: String) -> String {
            CSVPreset.key(SearchFold.fold(name)).replacingOccurrences(of: " ", with: "")
        }
        if let index = header.firstIndex(where: { $0.trimmed == column })
            ?? header.firstIndex(where: { CSVPreset.key($0) == CSVPreset.key(column) })
            ?? header.firstIndex(where: { folded($0) == folded(column) }) {
            return index
        }
        let names = header.enumerated().map { "'\(displayName($0.element, index: $0.offset))'" }.joined(separator: ", ")
        throw ImportFileError(.usage, path: path,
                              message: "--map names the column '\(column)', which is not in the header; the header's columns are \(names)")
    }

    /// `--map 'Vorname=first_name,Tel=phone:work'` → column index → field.
    static func parseMapping(_ spec: String, header: [String], path: String) throws -> [Int: ContactField] {
        var result: [Int: ContactField] = [:]
        for entry in spec.split(separator: ",", omittingEmptySubsequences: true) {
            guard let eq = entry.lastIndex(of: "=") else {
                throw ImportFileError(.usage, path: path,
                                      message: "--map entry '\(entry)' has no '='; expected Column=field, e.g. --map 'Vorname=first_name,Tel=phone:work'")
            }
            let column = entry[..<eq].trimmed
            let fieldText = String(entry[entry.index(after: eq)...])
            let index = try index(of: column, in: header, path: path)
            guard let field = ContactField.parseMapping(fieldText, column: column) else {
                throw ImportFileError(.usage, path: path,
                                      message: "--map sends the column '\(column)' to '\(fieldText.trimmed)', which is not a field; the fields are \(ContactField.mappingNames)")
            }
            result[index] = field
        }
        return result
    }
}
