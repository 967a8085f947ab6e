import CRMExchange
import CRMRepositories
import CRMViewModels

/// `:import`: the file, then its mapping (each column with its first rows
/// under it and the field it goes to), then the dry run, then Enter.
enum ImportOverlay {
    static func render(_ model: ImportModel, in area: Rect, on screen: Screen) -> Point? {
        let rect = OverlayFrame.centred(width: min(area.width - 2, 116), height: area.height - 2, in: area)
        let inner = OverlayFrame.draw(rect, title: title(model), on: screen)
        var caret: Point?
        switch model.stage {
        case .path: caret = path(model, inner, screen)
        case .mapping: mapping(model, inner, screen)
        case .review: review(model, inner, screen)
        }
        if let error = model.error {
            let lines = DisplayWidth.wrap(error, to: max(inner.width, 10)).suffix(3)
            for (n, line) in lines.enumerated() {
                screen.put(line, at: Point(x: inner.x, y: inner.maxY - lines.count + n), style: .error, width: inner.width)
            }
        }
        return caret
    }

    static func title(_ model: ImportModel) -> String {
        switch model.stage {
        case .path: "Import contacts: which file?"
        case .mapping: "Import \(model.label): the mapping"
        case .review: "Import \(model.label): what it would do"
        }
    }

    static func path(_ model: ImportModel, _ inner: Rect, _ screen: Screen) -> Point {
        screen.put("File:", at: inner.origin, style: .header)
        let caret = EditorView.draw(model.input, at: Point(x: inner.x + 6, y: inner.y), width: inner.width - 6, style: .field, on: screen)
        screen.put("A CSV (Google, Outlook, HubSpot, Pipedrive, abook, crm, or any with its columns mapped next),",
                   at: Point(x: inner.x, y: inner.y + 2), style: .dim, width: inner.width)
        screen.put("a vCard file or crm's own JSON export. Tab completes the path; Enter opens it.",
                   at: Point(x: inner.x, y: inner.y + 3), style: .dim, width: inner.width)
        let room = max(inner.height - 9, 0)
        for (n, name) in model.completions.prefix(room).enumerated() {
            screen.put(name, at: Point(x: inner.x + 2, y: inner.y + 5 + n), style: n == 0 ? .accent : .normal, width: inner.width - 2)
        }
        if model.completions.count > room, room > 0 {
            screen.put("… and \(model.completions.count - room) more: type more of the name",
                       at: Point(x: inner.x + 2, y: inner.y + 5 + room), style: .dim, width: inner.width - 2)
        }
        return caret
    }

    /// Width of one column of the mapping grid.
    static let columnWidth = 22

    static func mapping(_ model: ImportModel, _ inner: Rect, _ screen: Screen) {
        screen.put("Read as \(model.formatLabel)", at: inner.origin, style: .header, width: inner.width)
        guard let preview = model.preview else {
            let text = model.format == .vcard
                ? "Each card's FN, N, ORG (company), TITLE, TEL and EMAIL (with their TYPE), CATEGORIES (tags), NOTE go to their fields; ADR, URL, BDAY and any other property are kept in the notes."
                : "crm's own export: every field goes where it came from."
            for (n, line) in DisplayWidth.wrap(text, to: max(inner.width, 10)).enumerated() {
                screen.put(line, at: Point(x: inner.x, y: inner.y + 2 + n), style: .normal, width: inner.width)
            }
            return
        }
        let detail = "encoding \(preview.encoding.rawValue), separator \"\(preview.delimiter == "\t" ? "tab" : String(preview.delimiter))\", \(preview.columns.count) columns"
        screen.put(detail, at: Point(x: inner.x, y: inner.y + 1), style: .dim, width: inner.width)
        let label = 10
        let perScreen = max((inner.width - label) / columnWidth, 1)
        let first = max(0, min(model.selectedColumn - perScreen + 1, preview.columns.count - perScreen))
        let rows = preview.columns.map(\.samples.count).max() ?? 0
        let top = inner.y + 3
        screen.put("column", at: Point(x: inner.x, y: top), style: .dim)
        for r in 0..<rows { screen.put("row \(r + 1)", at: Point(x: inner.x, y: top + 1 + r), style: .dim) }
        screen.put("goes to", at: Point(x: inner.x, y: top + 1 + rows), style: .dim)
        for (n, column) in preview.columns.dropFirst(first).prefix(perScreen).enumerated() {
            let index = first + n
            let x = inner.x + label + n * columnWidth
            let width = columnWidth - 1
            let selected = index == model.selectedColumn
            screen.put(column.header, at: Point(x: x, y: top), style: selected ? .selected : .header, width: width)
            for (r, sample) in column.samples.enumerated() {
                screen.put(sample, at: Point(x: x, y: top + 1 + r), style: .normal, width: width)
            }
            let field = column.fieldText
            screen.put(field, at: Point(x: x, y: top + 1 + rows), style: column.field == nil ? .warning : (selected ? .accent : .success),
                       width: width)
        }
        var y = top + rows + 3
        let position = "Column \(model.selectedColumn + 1) of \(preview.columns.count)"
        // A file read by its column names (LinkedIn's, a generic header) is
        // recognised too, its fields still changeable (QA 29 #13); the
        // notes looked past above the header are said here as in the summary.
        var how = switch (model.mappingIsEditable, preview.preset) {
        case (true, nil): "The header is not one we know: ↓/↑ sets the field of this column (as --map would)."
        case (true, let preset?): "Recognised as \(preset.rawValue): the fields are set; ↓/↑ still changes this column's."
        case (false, let preset): "Recognised as \(preset?.rawValue ?? "named columns"): the fields are set."
        }
        if let note = model.readingNote { how += " The \(note)." }
        for line in DisplayWidth.wrap("\(position). \(how)", to: max(inner.width, 10)) {
            screen.put(line, at: Point(x: inner.x, y: y), style: .dim, width: inner.width)
            y += 1
        }
        if let option = model.mappingOption {
            for line in DisplayWidth.wrap("The same on the command line: \(option)", to: max(inner.width, 10)).prefix(3) {
                screen.put(line, at: Point(x: inner.x, y: y), style: .dim, width: inner.width)
                y += 1
            }
        }
        if preview.needsMapping {
            screen.put("Columns marked \"not mapped\" need a field before the import (or skip).",
                       at: Point(x: inner.x, y: y), style: .warning, width: inner.width)
        }
    }

    static func review(_ model: ImportModel, _ inner: Rect, _ screen: Screen) {
        guard let summary = model.summary else { return }
        var y = inner.y
        /// A line, wrapped (at most two screen lines: a duplicate's reason
        /// comes at its end), while there is room above the confirmation.
        func line(_ text: String, _ style: Style = .normal, indent: Int = 0) {
            for part in DisplayWidth.wrap(text, to: max(inner.width - indent - 2, 10)).prefix(2) {
                guard y < inner.maxY - 3 else { return }
                screen.put(part, at: Point(x: inner.x + indent, y: y), style: style, width: inner.width - indent)
                y += 1
            }
        }
        line("Duplicates: \(model.policy.rawValue) (p: skip, merge, create). Nothing is written yet.", .dim)
        y += 1
        for (n, text) in ImportWording.summary(summary, file: model.label, format: model.formatLabel, note: model.readingNote,
                                                          emptyRows: model.emptyRows, dryRun: true).enumerated() {
            line(text.trimmingCharacters(in: .whitespaces), n == 0 ? .header : .normal, indent: n == 0 ? 0 : 2)
        }
        if !model.rejectedLines.isEmpty {
            y += 1
            line("Rejected (first \(model.rejectedLines.count) of \(summary.rejected)):", .warning)
            for text in model.rejectedLines { line(text, .normal, indent: 2) }
        }
        if !model.duplicateLines.isEmpty {
            y += 1
            line("Duplicates (first \(model.duplicateLines.count)):", .header)
            for text in model.duplicateLines { line(text, .normal, indent: 2) }
        }
        y = max(y + 1, inner.maxY - 3)
        let taken = summary.rowsRead - summary.rejected
        let confirm = summary.rejected > 0
            ? "Enter imports the \(taken) other rows in one batch (the \(summary.rejected) rejected left out); u undoes it."
            : "Enter imports all \(summary.rowsRead) rows in one batch; u undoes it."
        for part in DisplayWidth.wrap(confirm, to: max(inner.width, 10)).prefix(2) where y < inner.maxY {
            screen.put(part, at: Point(x: inner.x, y: y), style: .accent, width: inner.width)
            y += 1
        }
    }
}
