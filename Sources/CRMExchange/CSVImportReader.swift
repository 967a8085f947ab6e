import CRMCore
import Foundation

/// Reads contacts from a CSV file, one row at a time: the header names the
/// preset (Google, Outlook, HubSpot, Pipedrive, abook, our own export) or
/// `--map` says where each column goes. A row whose values break the
/// schema's rules is `.rejected` with its line and column; a file that is
/// not CSV text throws `ImportFileError` before or while reading.
public struct CSVImportReader: ImportReader {
    public let plan: CSVColumnPlan
    public let path: String
    private var tokenizer: CSVTokenizer
    /// Rows read before their turn (a header that turned out to be data,
    /// lines looked past for the header), given out first, in order.
    private var pending: [CSVRow] = []
    private let source: TextChunkSource
    /// The line the header was found on: 1, or further down when the file
    /// opens with notes before it (LinkedIn's Connections.csv has three).
    public private(set) var headerLine = 1
    /// What reading noticed that no row says: the labels values went to the
    /// notes under, and the rows skipped as empty. Shared by the copies of
    /// this reader the import passes along, so that the summary printed
    /// after it can say them.
    public let notes = CSVReadNotes()

    /// - Parameters:
    ///   - mapping: the `--map` spec ("Vorname=first_name,Tel=phone:work").
    ///   - encoding: the `--encoding` name; nil detects it.
    ///   - maxRecordBytes: the longest record read (16 MiB) before the file
    ///     is refused as not CSV.
    ///   - columnFields: the field chosen for a column on the import screen,
    ///     by header name (applied after `mapping`).
    public init(path: String, mapping: String? = nil, columnFields: [String: ContactField] = [:], encoding: String? = nil,
                maxRecordBytes: Int = 16 * 1024 * 1024) throws {
        try self.init(path: path, mapping: mapping, columnFields: columnFields, encoding: encoding,
                      maxRecordBytes: maxRecordBytes, preview: false)
    }

    init(path: String, mapping: String?, columnFields: [String: ContactField], encoding: String?, maxRecordBytes: Int, preview: Bool) throws {
        self.path = path
        source = try TextChunkSource(path: path, encoding: TextEncoding.request(named: encoding, path: path))
        tokenizer = try CSVTokenizer(source: source, maxRecordBytes: maxRecordBytes)
        guard var header = try tokenizer.next() else {
            throw ImportFileError(.badData, path: path,
                                  message: "the file is empty; expected a header row such as First Name,Last Name,E-mail 1 - Value and a row per contact")
        }
        // A header is a line whose columns we know, or that holds every
        // column a mapping names (`--map 'URL=skip'` on LinkedIn's file,
        // QA 28 #2: a mapping used to turn the search off).
        // Only the columns named count here; a field name that is wrong is
        // said by the plan below, on the line found.
        let named = (mapping ?? "").split(separator: ",").compactMap { entry in entry.lastIndex(of: "=").map { String(entry[..<$0]) } }
            + Array(columnFields.keys)
        let fits = { (fields: [String]) -> Bool in
            if mapping == nil, columnFields.isEmpty { return CSVPreset.recognises(fields) }
            return named.allSatisfy { (try? CSVColumnPlan.index(of: $0, in: fields, path: path)) != nil }
        }
        if !fits(header.fields) {
            // Notes before the header (LinkedIn's export): the header is the
            // first of the next few lines that fits. The lines looked past
            // stay rows when none does.
            var seen: [CSVRow] = []
            while seen.count < Self.preambleLines, let row = try tokenizer.next() {
                seen.append(row)
                if fits(row.fields) {
                    header = row
                    seen = []
                    break
                }
            }
            pending = seen
        }
        headerLine = header.line
        plan = try CSVColumnPlan.make(header: header.fields, mapping: mapping, columnFields: columnFields, path: path, preview: preview,
                                     headerLine: header.line)
        if plan.headerIsData { pending.insert(header, at: 0) }
    }

    /// How many lines past the first the header is looked for.
    static let preambleLines = 10

    /// The delimiter found in the header line.
    public var delimiter: Character { Character(Unicode.Scalar(tokenizer.delimiter)) }
    /// The encoding read (detected or named).
    public var encoding: TextEncoding { source.encoding }
    /// The most bytes held at once while reading: a chunk and one record.
    public var peakBufferedBytes: Int { tokenizer.peakBufferedBytes }

    public mutating func next() throws -> ImportItem? {
        guard let row = try nextRow() else { return nil }
        let item = Self.record(from: row, plan: plan)
        if case .record(let record) = item { for extra in record.extras { notes.add(extra.label) } }
        return item
    }

    /// The next row with something in it. A row of bare delimiters
    /// (",,,,", as spreadsheets and Google's export leave at the end) is
    /// skipped as the tokenizer skips an empty line: no record, so neither
    /// imported nor rejected, but counted in `notes`, so the summary says
    /// it (QA 40 #3: such a line went unsaid).
    mutating func nextRow() throws -> CSVRow? {
        if !pending.isEmpty { return pending.removeFirst() }
        while let row = try tokenizer.next() {
            if row.fields.contains(where: { !$0.trimmed.isEmpty }) { return row }
            notes.skippedEmpty(line: row.line)
        }
        return nil
    }

    /// One row as a contact, by the plan.
    static func record(from row: CSVRow, plan: CSVColumnPlan) -> ImportItem {
        var draft = RecordDraft(line: row.line)
        var slotLabels: [String: String] = [:]          // "email 1" → "work"
        var formattedAddress: Set<Int> = []
        for (i, field) in plan.fields.enumerated() where i < row.fields.count {
            let value = row.fields[i].trimmed
            guard !value.isEmpty else { continue }
            switch field {
            case .emailLabel(let slot)?: slotLabels["email \(slot)"] = ContactLabels.normalize(value)
            case .phoneLabel(let slot)?: slotLabels["phone \(slot)"] = ContactLabels.normalize(value)
            case .extraLabel(let kind, let slot)?:
                slotLabels["\(kind) \(slot)"] = value == "*" ? nil : value.hasPrefix("* ") ? String(value.dropFirst(2)) : value
            case .extraValue("Address", let slot)?: formattedAddress.insert(slot)
            default: break
            }
        }
        for (i, raw) in row.fields.enumerated() {
            let value = raw.trimmed
            guard !value.isEmpty, !(plan.preset?.isPlaceholder(value) ?? false) else { continue }
            guard i < plan.fields.count, let field = plan.fields[i] else {
                draft.addExtra(i < plan.columnNames.count ? plan.columnNames[i] : "Column \(i + 1)", value)
                continue
            }
            let column = plan.columnNames[i]
            switch field {
            case .name: draft.setFullName(value, origin: column)
            case .firstName: draft.setFirst(value, origin: column)
            case .middleName: draft.setMiddle(value, origin: column)
            case .lastName: draft.setLast(value, origin: column)
            case .namePrefix: draft.setPrefix(value, origin: column)
            case .nameSuffix: draft.setSuffix(value, origin: column)
            case .title: draft.set(\.title, key: "title", value, origin: column)
            case .company: draft.set(\.company, key: "company", value, origin: column)
            case .source: draft.set(\.source, key: "source", value, origin: column)
            case .email(let label):
                for address in RecordDraft.split(value, alsoOn: [",", ";"]) {
                    // An Exchange colleague's X.500 address (Outlook's
                    // E-mail Type "EX"): no email, kept in the notes, and the
                    // row not rejected for it (QA 45 IO #10).
                    if address.lowercased().hasPrefix("/o=") { draft.addExtra("\(column) (Exchange)", address); continue }
                    draft.addEmail(address, label: label, origin: column)
                }
            case .emailValue(let slot):
                for address in RecordDraft.split(value, alsoOn: [",", ";"]) {
                    draft.addEmail(address, label: slotLabels["email \(slot)"] ?? "", origin: column)
                }
            case .phone(let label):
                for number in RecordDraft.split(value) { draft.addPhone(number, label: label, origin: column) }
            case .phoneValue(let slot):
                for number in RecordDraft.split(value) { draft.addPhone(number, label: slotLabels["phone \(slot)"] ?? "", origin: column) }
            case .emailLabel, .phoneLabel, .extraLabel, .skip:
                break
            case .tags: draft.addTags(value, origin: column)
            case .lifecycle: draft.setLifecycle(value, origin: column)
            case .notes: draft.appendNotes(value, origin: column)
            case .owner: draft.setOwner(value, origin: column)
            case .externalID:
                draft.setExternalID(value, origin: column)
                // Another system's row number (HubSpot's Record ID,
                // Pipedrive's Person - ID) is kept in the notes, the key to
                // that system's other exports (QA 45 IO #9: it was dropped
                // without a word); this program's own id is not.
                if plan.preset != .ownExport { draft.addExtra(column, value) }
            case .createdAt: draft.setDate(\.createdAt, key: "created_at", value, origin: column)
            case .updatedAt: draft.setDate(\.updatedAt, key: "updated_at", value, origin: column)
            case .extra(let label): draft.addExtra(label, value)
            case .extraValue(let kind, let slot):
                let label = slotLabels["\(kind) \(slot)"].map { "\(kind) (\($0))" } ?? kind
                for part in RecordDraft.split(value) { draft.addExtra(label, part) }
            case .addressPart(let slot):
                if !formattedAddress.contains(slot) { draft.addExtra(column, value) }
            }
        }
        return draft.finish()
    }
}

/// What reading a CSV file noticed beyond its rows: the labels values were
/// kept in the notes under ("Hobby", "lifecycle" for a stage none of ours),
/// in the order first met, and the rows of bare delimiters skipped. A class:
/// the reader is a value that the import copies.
public final class CSVReadNotes: @unchecked Sendable {
    public private(set) var labels: [String] = []
    private var seen: Set<String> = []
    /// How many rows held only delimiters, and the first lines of them.
    public private(set) var emptyRows = 0
    public private(set) var emptyRowLines: [Int] = []

    func add(_ label: String) {
        // Google's numbered columns give a label per kind and type
        // ("Address (home)"); a few hundred is more than any summary says.
        guard seen.count < 500, seen.insert(label).inserted else { return }
        labels.append(label)
    }

    func skippedEmpty(line: Int) {
        emptyRows += 1
        if emptyRowLines.count < 8 { emptyRowLines.append(line) }
    }
}
