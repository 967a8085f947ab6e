import CRMRepositories
import Foundation

/// How an import's rows and counts are said, the same on the screen and
/// by `crm import`: "line 42: would skip Ada L.: duplicate of Ada Lovelace ·
/// Engines (#12, same email ada@example.com)".
public enum ImportWording {
    /// One line per row that is not a plain create; nil for a plain create
    /// (those are counted, not listed).
    public static func line(_ outcome: ImportOutcome, dryRun: Bool) -> String? {
        let would = dryRun ? "would " : ""
        switch outcome {
        case .created: return nil
        case .createdDespite(let line, let name, let dup):
            return "line \(line): \(would)create \(name) although it looks like \(dup)"
        case .merged(let line, let name, let dup):
            let left = dup.notTaken.isEmpty ? "" : "; not taken, the contact has its own: " + dup.notTaken.joined(separator: ", ")
            return "line \(line): \(would)merge \(name) into \(dup)\(left)"
        case .skipped(let line, let name, let dup):
            return "line \(line): \(would)skip \(name): duplicate of \(dup)"
        case .rejected(let rejection):
            return "rejected \(rejection)"
        }
    }

    /// The summary, one count a line; the counts add up to the rows read.
    /// `note`: how the file was read, when there is more to say ("header on
    /// line 4; the 3 lines above it skipped").
    /// `keptInNotes`: the labels values went to the notes under, because
    /// no field takes them (at most eight named, then how many more).
    /// `emptyRows`: rows of bare delimiters skipped (how many, the first
    /// lines): neither read as a row nor rejected, so said on their own.
    public static func summary(_ s: ImportSummary, file: String, format: String, note: String? = nil,
                               keptInNotes: [String] = [], emptyRows: (count: Int, lines: [Int]) = (0, []),
                               dryRun: Bool) -> [String] {
        let would = dryRun ? "would " : ""
        var lines = ["\(file), read as \(format)\(note.map { " (\($0))" } ?? ""): \(ImportBatch.count(s.rowsRead, "row")) read"]
        if emptyRows.count > 0 {
            let shown = emptyRows.lines.map(String.init).joined(separator: ", ")
            let more = emptyRows.count > emptyRows.lines.count ? ", …" : ""
            lines.append("  skipped, not counted: \(ImportBatch.count(emptyRows.count, "empty row")) (only delimiters, no value; "
                         + "line\(emptyRows.count == 1 ? "" : "s") \(shown)\(more))")
        }
        if !keptInNotes.isEmpty {
            let shown = keptInNotes.prefix(8).joined(separator: ", ")
            let more = keptInNotes.count > 8 ? " and \(keptInNotes.count - 8) more" : ""
            lines.append("  kept in the notes as \"label: value\" (no field takes them): \(shown)\(more)")
        }
        var create = "  \(would)create: \(ImportBatch.count(s.created, "contact"))"
        if s.createdDespiteDuplicate > 0 { create += " (\(s.createdDespiteDuplicate) of them look like existing contacts)" }
        if s.companiesCreated > 0 { create += ", \(ImportBatch.count(s.companiesCreated, "new company", plural: "new companies"))" }
        lines.append(create)
        lines.append("  \(would)merge into existing: \(s.merged)")
        lines.append("  \(would)skip as duplicates: \(s.skipped)")
        lines.append("  rejected: \(s.rejected)")
        return lines
    }
}
