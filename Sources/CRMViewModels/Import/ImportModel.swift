import CRMCore
import CRMExchange
import CRMRepositories
import Foundation

/// `:import` on the screen: pick a file (a line editor, Tab completes the
/// path), see its format and mapping (each column with its first values and
/// the field it goes to; a CSV with no known header lets the user choose the
/// fields), see the dry run, confirm with Enter. The import is then one
/// batch, and `u` takes it back whole.
public final class ImportModel {
    public enum Stage: Equatable, Sendable { case path, mapping, review }

    public private(set) var stage: Stage = .path
    public private(set) var input: LineEditor
    /// The names Tab found when the typed path has several completions.
    public private(set) var completions: [String] = []
    /// Why the last step could not be taken ("no such file: …").
    public private(set) var error: String?
    public private(set) var format: ImportFormat?
    /// "Google Contacts csv", "vcard".
    public private(set) var formatLabel = ""
    /// Lines looked past before the header, for the summary (nil: none).
    public private(set) var readingNote: String?
    /// A CSV's columns, first values and fields; nil for vCard and JSON.
    public private(set) var preview: ImportMappingPreview?
    /// The column ←/→ move to in the mapping.
    public private(set) var selectedColumn = 0
    /// The fields chosen on screen, by column, for a CSV with no known
    /// export's header: what the import reads the file with (as `--map`).
    public private(set) var chosenFields: [Int: ContactField] = [:]
    public private(set) var policy: DuplicatePolicy = .skip
    /// The dry run's counts and its first lines of each kind.
    public private(set) var summary: ImportSummary?
    /// Rows of bare delimiters the dry run skipped (how many, the first lines).
    public private(set) var emptyRows: (count: Int, lines: [Int]) = (0, [])
    public private(set) var rejectedLines: [String] = []
    public private(set) var duplicateLines: [String] = []
    /// How many lines of each kind the review keeps.
    static let shownLines = 5

    unowned let context: AppContext
    /// The folder a relative path is read from (the process's).
    let folder: String

    public init(context: AppContext, path: String = "", folder: String = FileManager.default.currentDirectoryPath) {
        self.context = context
        self.folder = folder
        input = LineEditor(path)
    }

    public enum Outcome: Equatable { case active, cancelled, imported }

    /// The keys of the current step, for the hint bar.
    public var keyHelp: [KeyBinding] {
        switch stage {
        case .path:
            return [KeyBinding([.enter], .open, "Open", hint: true), KeyBinding([.tab], .nextPane, "Complete the path", hint: true),
                    KeyBinding([.escape], .back, "Cancel", hint: true)]
        case .mapping:
            // Both keys of a pair in the hint ("Right/Left"), not only the first.
            var column = KeyBinding([.right, .left], .nextPane, "Next/previous column", hint: true)
            column.keyText = "Right/Left"
            var keys = [KeyBinding([.enter], .open, "Dry run", hint: true), column]
            if mappingIsEditable {
                var field = KeyBinding([.down, .up], .edit, "Next/previous field for it", hint: true)
                field.keyText = "Down/Up"
                keys.append(field)
            }
            return keys + [KeyBinding([.escape], .back, "Back", hint: true)]
        case .review:
            return [KeyBinding([.enter], .open, "Import", hint: true), KeyBinding([.char("p")], .edit, "Duplicates: \(policy.rawValue)", hint: true),
                    KeyBinding([.escape], .back, "Back", hint: true)]
        }
    }

    public func handle(_ key: Key) -> Outcome {
        switch stage {
        case .path: return pathKey(key)
        case .mapping: return mappingKey(key)
        case .review: return reviewKey(key)
        }
    }

    // MARK: picking the file

    private func pathKey(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .tab: complete()
        case .enter: open()
        default:
            if input.handle(key) {
                completions = []
                error = nil
            }
        }
        return .active
    }

    /// The typed path as the file system sees it: `~` expanded, relative
    /// to the folder crm was started in.
    public var resolvedPath: String { Self.resolve(input.text, in: folder) }

    static func resolve(_ text: String, in folder: String) -> String {
        var p = text.trimmingCharacters(in: .whitespaces)
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        if p == "~" { p = home } else if p.hasPrefix("~/") { p = home + p.dropFirst(1) }
        if !p.hasPrefix("/") { p = (folder as NSString).appendingPathComponent(p) }
        return p
    }

    /// Tab: the one name that fits is filled in (a folder with its "/");
    /// several fill in what they share and are listed.
    func complete() {
        let typed = input.text
        let slash = typed.lastIndex(of: "/")
        let typedFolder = slash.map { String(typed[...$0]) } ?? ""
        let stem = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let folderPath = typedFolder.isEmpty ? folder : Self.resolve(typedFolder, in: folder)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folderPath)) ?? [])
            .filter { $0.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
        guard !names.isEmpty else {
            completions = []
            error = "nothing here starts with \"\(stem)\""
            return
        }
        var shared = names[0]
        for name in names.dropFirst() { while !name.hasPrefix(shared) { shared.removeLast() } }
        var isFolder: ObjCBool = false
        let one = names.count == 1
        if one, FileManager.default.fileExists(atPath: (folderPath as NSString).appendingPathComponent(shared), isDirectory: &isFolder),
           isFolder.boolValue {
            shared += "/"
        }
        input = LineEditor(typedFolder + shared)
        completions = one ? [] : names
        error = nil
    }

    /// Enter on the path: the file is opened and its format and mapping shown.
    func open() {
        let path = resolvedPath
        var isFolder: ObjCBool = false
        guard !input.text.trimmingCharacters(in: .whitespaces).isEmpty else { error = "type the path of a CSV, vCard or JSON file"; return }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { error = "no such file: \(path)"; return }
        guard !isFolder.boolValue else { error = "\(path) is a folder; Tab lists what is in it"; return }
        preview = nil
        format = nil
        do {
            let format = try ImportOpener.standard.format(of: path, options: ImportOpener.Options())
            self.format = format
            preview = format == .csv ? try ImportMappingPreview.csv(path: path, columnFields: columnFields, rows: 3) : nil
            let reader = try ImportOpener.standard.open(path, options: readerOptions)
            formatLabel = ImportOpener.formatLabel(format, reader: reader)
            readingNote = ImportOpener.readingNote(reader: reader)
            error = nil
            selectedColumn = 0
            stage = .mapping
        } catch let problem as ImportFileError {
            // A CSV whose header we do not know still opens: the mapping is set here.
            if format == .csv, preview != nil, preview?.preset == nil {
                formatLabel = "csv, columns to map"
                readingNote = nil
                error = nil
                stage = .mapping
                return
            }
            error = problem.description
        } catch {
            self.error = "\(error)"
        }
    }

    // MARK: the mapping

    /// Whether the user sets the fields: a CSV with no known header, or
    /// one read by its column names alone (no known export).
    public var mappingIsEditable: Bool { preview != nil && (preview?.preset == nil || preview?.preset == .generic || preview?.preset == .linkedin) }

    /// The chosen fields by column header, as the readers take them.
    var columnFields: [String: ContactField] {
        guard let preview else { return [:] }
        var fields: [String: ContactField] = [:]
        for (i, field) in chosenFields where preview.columns.indices.contains(i) { fields[preview.columns[i].header] = field }
        return fields
    }

    /// What the same mapping is on the command line: `--map '…'`.
    public var mappingOption: String? {
        guard let preview, !chosenFields.isEmpty else { return nil }
        let entries = chosenFields.keys.sorted().compactMap { i in
            chosenFields[i]?.mappingText.map { "\(preview.columns[i].header)=\($0)" }
        }
        return "--map '" + entries.joined(separator: ",") + "'"
    }

    var readerOptions: ImportOpener.Options { ImportOpener.Options(format: format, columnFields: columnFields) }

    private func mappingKey(_ key: Key) -> Outcome {
        let columns = preview?.columns.count ?? 0
        switch key {
        case .escape:
            stage = .path
            error = nil
        case .right, .char("l"), .tab: selectedColumn = min(selectedColumn + 1, max(columns - 1, 0))
        case .left, .char("h"), .backTab: selectedColumn = max(selectedColumn - 1, 0)
        case .down, .char("j"), .char(" "): cycleField(by: 1)
        case .up, .char("k"): cycleField(by: -1)
        case .enter: dryRun()
        default: break
        }
        return .active
    }

    /// Sets the selected column to the next (or previous) field; the
    /// preview is read again with the new mapping, so what is shown is
    /// what the import will do.
    func cycleField(by step: Int) {
        guard mappingIsEditable, let preview, preview.columns.indices.contains(selectedColumn) else { return }
        let choices = ContactField.choices
        let current = chosenFields[selectedColumn].flatMap { choices.firstIndex(of: $0) } ?? (step > 0 ? -1 : 0)
        chosenFields[selectedColumn] = choices[(current + step + choices.count) % choices.count]
        do {
            let fields = try ImportMappingPreview.csv(path: resolvedPath, columnFields: columnFields, rows: 3)
            self.preview?.columns = preview.columns.enumerated().map { i, column in
                var c = column
                c.field = i < fields.columns.count ? fields.columns[i].field : nil
                return c
            }
            error = nil
        } catch {
            self.error = "\(error)"
        }
    }

    // MARK: the dry run and the import

    private func reviewKey(_ key: Key) -> Outcome {
        switch key {
        case .escape:
            stage = .mapping
        case .char("p"):
            let all = DuplicatePolicy.allCases
            policy = all[(all.firstIndex(of: policy)! + 1) % all.count]
            dryRun()
        case .enter:
            return runImport() ? .imported : .active
        default: break
        }
        return .active
    }

    public var label: String { (resolvedPath as NSString).lastPathComponent }

    func options(dryRun: Bool) -> ImportOptions {
        // The rejected lines were shown: confirming imports the others.
        ImportOptions(label: label, format: formatLabel, onDuplicate: policy, dryRun: dryRun, skipInvalid: true)
    }

    /// What the import would do, read through to the end of the file.
    func dryRun() {
        var rejected: [String] = []
        var duplicates: [String] = []
        // The whole file is read: say so on a frame drawn first, and after
        // it, drop what was typed meanwhile (an Enter pressed "because it did
        // not react" must not confirm the import on the page it brings).
        let label = self.label
        context.working("Reading \(label)… (a dry run: nothing is written)")
        defer { context.finishedWorking() }
        do {
            let reader = try ImportOpener.standard.open(resolvedPath, options: readerOptions)
            var source: any ImportSource = InterruptibleImportSource(ImportReaderSource(reader)) { [context] in context.stopRequested }
            summary = try context.repositories.importRepository.importContacts(from: &source, options: options(dryRun: true),
                                                                               progress: { [context] p in
                context.working("Reading \(label)… \(p.rowsRead.formatted()) rows (a dry run: nothing is written)")
            }) { outcome in
                guard let line = ImportWording.line(outcome, dryRun: true) else { return }
                if case .rejected = outcome {
                    if rejected.count < Self.shownLines { rejected.append(line) }
                } else if duplicates.count < Self.shownLines {
                    duplicates.append(line)
                }
            }
            rejectedLines = rejected
            duplicateLines = duplicates
            emptyRows = ImportOpener.emptyRowsSkipped(reader: reader)
            error = nil
            stage = .review
        } catch {
            self.error = Self.sentence(error)
        }
    }

    /// Enter on the review: the import, one batch, and `u` to take it back.
    func runImport() -> Bool {
        guard context.repositories.isReadOnly == false else {
            error = "the database is read-only for you: nothing can be imported"
            return false
        }
        let repos = context.repositories
        let label = self.label
        let context = self.context
        context.working("Importing \(label)…")
        defer { context.finishedWorking() }
        do {
            let reader = try ImportOpener.standard.open(resolvedPath, options: readerOptions)
            var source: any ImportSource = InterruptibleImportSource(ImportReaderSource(reader)) { [context] in context.stopRequested }
            let done = try repos.importRepository.importContacts(from: &source, options: options(dryRun: false), progress: { p in
                context.working("Importing \(label)… \(p.rowsRead.formatted()) rows read")
            }) { _ in }
            guard let batch = done.batchID else { return false }
            context.recordUndo("import of \(label)") {
                context.working("Undoing the import of \(label)…")
                defer { context.finishedWorking() }
                do {
                    let r = try repos.importRepository.undoImport(batch, force: false)
                    return "Undone: import of \(label) (\(ImportBatch.count(r.contactsRemoved, "contact")) removed"
                        + (r.mergesReverted > 0 ? ", \(r.mergesReverted) merged put back" : "") + ")"
                } catch let refusal as ImportUndoRefusal {
                    let text = refusal.text(times: context.timeFormat.long)
                    throw UndoRefusal(text.message + (text.changes.first.map { ": \($0)" } ?? ""))
                }
            }
            var text = "Imported \(ImportBatch.count(done.created, "contact")) from \(label) (batch \(batch))"
            if done.merged > 0 { text += ", merged \(done.merged)" }
            if done.skipped > 0 { text += ", skipped \(done.skipped)" }
            if done.rejected > 0 { text += ", left out \(done.rejected) rejected" }
            context.status(text + "; u undoes it", .success)
            return true
        } catch {
            self.error = Self.sentence(error)
            context.report(error)
            return false
        }
    }

    static func sentence(_ error: Error) -> String {
        switch error {
        case let e as ImportFileError: e.description
        case let e as RepositoryError: e.description
        default: "\(error)"
        }
    }
}
