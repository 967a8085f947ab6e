import CRMViewModels

/// A form: one row per field (label, editor), the field's error right under
/// it, a banner for problems not tied to a field, and the keys at the bottom.
enum FormOverlay {
    static let labelWidth = 12
    /// Choices shown under a lookup field (a deal's contact or company).
    static let maxSuggestions = 5

    /// An error is shown whole, wrapped over at most this many lines.
    static let maxErrorLines = 3

    static func errorLines(_ error: String, width: Int) -> [String] {
        Array(DisplayWidth.wrap("↳ " + error, to: width).prefix(maxErrorLines))
    }

    static func render(_ form: FormModel, in area: Rect, on screen: Screen) -> Point? {
        let multilineRows = 4
        // Wide enough that errors and hints are read whole on a wide terminal.
        let width = min(max(84, area.width * 3 / 4), area.width - 4)
        let editorWidthEstimate = width - 4 - labelWidth - 1
        var height = 2
        for field in form.fields {
            height += field.kind == .multiline ? multilineRows : 1
            if let error = field.error { height += errorLines(error, width: editorWidthEstimate).count }
            if form.theirs[field.name] != nil { height += 1 }
        }
        height += min(form.suggestions.count, maxSuggestions)
        // A long banner (the busy sentence and the key that retries) wraps.
        let bannerLines = form.banner.map { Array(DisplayWidth.wrap($0, to: width - 4).prefix(maxErrorLines)) } ?? []
        if !bannerLines.isEmpty { height += bannerLines.count + 1 }
        // The ways out of a conflict, wrapped (QA 29 #21: the third was cut at 80 columns).
        let conflictLines: [String] = form.conflict.map { conflict in
            let keys = conflict.mergedInto != nil ? "Esc closes the form; open the \(conflict.entity) it was merged into to make the change there"
                : conflict.deleted ? "Esc closes the form; the \(conflict.entity) can be restored from the Trash (Z)"
                : "Ctrl-R reload theirs · Ctrl-O save the fields you changed over theirs · Esc cancel"
            return Array(DisplayWidth.wrap(keys, to: width - 4).prefix(maxErrorLines))
        } ?? []
        if form.conflict != nil { height += conflictLines.count + 1 }
        let warningLines = form.warning.map { warning in
            warning.lines.flatMap { DisplayWidth.wrap($0, to: width - 4).prefix(maxErrorLines) }
        } ?? []
        if form.warning != nil { height += warningLines.count + 2 }
        let rect = OverlayFrame.centred(width: width, height: height + 2, in: area)
        let inner = OverlayFrame.draw(rect, title: form.title, on: screen)
        var y = inner.y
        for line in bannerLines {
            screen.put(line, at: Point(x: inner.x, y: y), style: form.conflict != nil ? .warning : .error, width: inner.width)
            y += 1
        }
        if !bannerLines.isEmpty { y += 1 }
        if form.conflict != nil {
            // A deleted record cannot be reloaded or merged into: only leaving
            // is offered. Right under the banner, or first in the box when
            // there is none (never on its top border: QA 33 #17).
            let top = bannerLines.isEmpty ? y : y - 1
            for (n, line) in conflictLines.enumerated() {
                screen.put(line, at: Point(x: inner.x, y: top + n), style: .accent, width: inner.width)
            }
            y = top + conflictLines.count + 1
        }
        if let warning = form.warning {
            for line in warningLines {
                screen.put(line, at: Point(x: inner.x, y: y), style: .warning, width: inner.width)
                y += 1
            }
            screen.put(warning.keys, at: Point(x: inner.x, y: y), style: .accent, width: inner.width)
            y += 2
        }
        var caret: Point?
        var readingBeside = false
        let editorX = inner.x + labelWidth + 1
        let editorWidth = inner.width - labelWidth - 1
        for (i, field) in form.fields.enumerated() where y < inner.maxY - 1 {
            let focused = i == form.focus
            screen.put(DisplayWidth.pad(field.label, to: labelWidth), at: Point(x: inner.x, y: y),
                       style: field.error != nil ? .error : (focused ? .title : .dim))
            switch field.kind {
            case .line:
                // Only the field being edited scrolls to its caret; the others
                // read from their first character.
                let p = focused
                    ? EditorView.draw(field.line, at: Point(x: editorX, y: y), width: editorWidth,
                                      style: field.line.isSuggested ? .selected : .field, on: screen)
                    : Point(x: editorX + EditorView.drawStart(field.line, at: Point(x: editorX, y: y), width: editorWidth, style: .normal, on: screen), y: y)
                if field.line.isEmpty && !focused && !field.hint.isEmpty {
                    screen.put(field.hint, at: Point(x: editorX, y: y), style: .dim, width: editorWidth)
                } else if let x = readingColumn(field, editorWidth: editorWidth) {
                    // What the value typed means ("next week  → Mon 7 Dec 2026
                    // 09:00") beside it, where the eye is, when it fits.
                    screen.put(field.hint, at: Point(x: editorX + x, y: y), style: field.hint.hasPrefix("?") ? .warning : .dim,
                               width: editorWidth - x)
                    if focused { readingBeside = true }
                }
                if focused { caret = p }
                y += 1
                if focused {
                    for (n, choice) in form.suggestions.prefix(maxSuggestions).enumerated() where y < inner.maxY - 1 {
                        // Marked only when Tab would take it (after typing or Ctrl-N/P).
                        let taken = form.suggestionWanted && n == form.suggestionIndex
                        screen.put((taken ? "▸ " : "  ") + choice, at: Point(x: editorX, y: y),
                                   style: taken ? .accent : .dim, width: editorWidth)
                        y += 1
                    }
                }
            case .multiline:
                let rows = min(multilineRows, inner.maxY - 1 - y)
                let p = EditorView.draw(field.area, in: Rect(x: editorX, y: y, width: editorWidth, height: rows),
                                        style: focused ? .field : .normal, on: screen)
                if focused { caret = p }
                y += rows
            case .choice(let options):
                // Only the options that fit, starting early enough that the
                // chosen one is among them (a pipeline may have many stages).
                let labels = options.map { " \($0.isEmpty ? "–" : $0) " }
                var first = 0
                while first < field.choice,
                      labels[first...field.choice].reduce(0, { $0 + DisplayWidth.width(of: $1) + 1 }) > editorWidth { first += 1 }
                var x = editorX
                if first > 0 { x += screen.put("‹", at: Point(x: x, y: y), style: .dim) }
                for n in first..<labels.count {
                    let style: Style = n == field.choice ? (focused ? .selected : .accent) : .dim
                    let w = DisplayWidth.width(of: labels[n])
                    if x + w > editorX + editorWidth - (n + 1 < labels.count ? 1 : 0) {
                        screen.put("›", at: Point(x: editorX + editorWidth - 1, y: y), style: .dim)
                        break
                    }
                    x += screen.put(labels[n], at: Point(x: x, y: y), style: style) + 1
                }
                y += 1
            }
            if let error = field.error {
                for line in errorLines(error, width: editorWidth) where y < inner.maxY - 1 {
                    screen.put(line, at: Point(x: editorX, y: y), style: .error, width: editorWidth)
                    y += 1
                }
            }
            // What the colleague stored there (its first line), under what was typed.
            if let stored = form.theirs[field.name], y < inner.maxY - 1 {
                let first = stored.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
                let who = form.conflict?.changedBy ?? "theirs"
                screen.put("↳ \(who): " + (first.isEmpty ? "(empty)" : first) + (stored.contains("\n") ? " …" : ""),
                           at: Point(x: editorX, y: y), style: .warning, width: editorWidth)
                y += 1
            }
        }
        // The form's own key table, hints dropped whole when the frame is narrow.
        let row = Point(x: inner.x, y: inner.maxY - 1)
        if form.confirmingDiscard || form.confirmingReload {
            let question = form.confirmingDiscard ? "Discard what you typed? " : "Drop what you typed and take theirs? "
            let x = row.x + screen.put(question, at: row, style: .warning)
            HintLine.draw(HintLine.shown(form.keyBindings).map(HintLine.hint), at: x, y: row.y, maxX: inner.maxX,
                          keyStyle: .warning, textStyle: .warning, on: screen)
        } else {
            var x = row.x
            let fieldHint = form.focusedField.hint.isEmpty || readingBeside ? "" : form.focusedField.hint + " · "
            // The field's own line (its format, or what the value typed means) comes first, whole
            // as far as it fits; the keys take what is left.
            if !fieldHint.isEmpty {
                x += screen.put(fieldHint, at: row, style: .dim, width: min(DisplayWidth.width(of: fieldHint), inner.width))
            }
            HintLine.draw(HintLine.shown(form.keyBindings).map(HintLine.hint), at: x, y: row.y, maxX: inner.maxX,
                          keyStyle: .accent, textStyle: .dim, on: screen)
        }
        return form.confirmingDiscard || form.confirmingReload ? nil : caret
    }

    /// Where a field's reading of its value ("→ …" or "? …") goes beside the
    /// value, two columns after it; nil when it has none or it does not fit
    /// (then the bottom line shows it while the field has the focus).
    static func readingColumn(_ field: FormField, editorWidth: Int) -> Int? {
        guard field.hint.hasPrefix("→ ") || field.hint.hasPrefix("? "), !field.line.isEmpty,
              field.line.count < editorWidth else { return nil }
        let x = field.line.characters.reduce(0) { $0 + DisplayWidth.drawnWidth(of: $1) } + 2
        return x + DisplayWidth.width(of: field.hint) <= editorWidth ? x : nil
    }
}
