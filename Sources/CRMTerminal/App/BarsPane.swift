import CRMViewModels
import Foundation

/// The top line (views and where you are) and the status line (user, database,
/// the keys that work here, or a transient message).
enum BarsPane {
    static func renderTop(_ app: AppModel, width: Int, on screen: Screen) {
        screen.put("", at: Point(x: 0, y: 0), style: .statusBar, width: width)
        var x = screen.put(" crm ", at: Point(x: 0, y: 0), style: Style(.statusKey, bold: true))
        for kind in app.availableViews {
            let label = " \(kind.rawValue) \(kind.title) "
            let style: Style = kind == app.activeKind ? .selected : .statusBar
            x += screen.put(label, at: Point(x: x, y: 0), style: style)
        }
        let login = app.repositories.currentUser.login
        var who = "\(login) · \(app.repositories.displayName) "
        // A database this user may only read says so, left of the user; at
        // 80 columns the database's name, then the login, give way to it
        // (QA 29 #6: the marker used to go first).
        let mark = app.repositories.isReadOnly ? " read-only " : ""
        let markWidth = mark.isEmpty ? 0 : DisplayWidth.width(of: mark) + 1
        for shorter in ["\(login) ", ""] where x + DisplayWidth.width(of: who) + markWidth >= width && !mark.isEmpty {
            who = shorter
        }
        let w = DisplayWidth.width(of: who)
        if x + w < width { screen.put(who, at: Point(x: width - w, y: 0), style: .statusBar) }
        if !mark.isEmpty, x + w + markWidth < width {
            screen.put(mark, at: Point(x: width - w - markWidth, y: 0), style: .warning)
        }
    }

    /// The most rows a message wider than the line takes, the status line's included.
    static let messageRows = 3

    static func renderStatus(_ app: AppModel, hints: [KeyBinding], y: Int, width: Int, on screen: Screen) {
        screen.put("", at: Point(x: 0, y: y), style: .statusBar, width: width)
        if let message = app.statusMessage, message.isVisible(at: app.clock.now) {
            let style: Style
            switch message.kind {
            case .info: style = .statusBar
            case .success: style = .success
            case .warning: style = .warning
            case .error: style = .error
            }
            // In the digits of the settings, as every count and date on screen.
            let text = app.timeFormat.numberInProse(message.text)
            // A message wider than the line takes the rows above as well, on
            // top of the view, until it goes (QA 43: "…; the focus is on X
            // now — the same key again acts on it" lost what to do at 80
            // columns). The first line holds as much as fits, as before.
            var lines = DisplayWidth.width(of: text) + 1 > width ? DisplayWidth.wrap(text, to: width - 1) : [text]
            // At most three rows (and never the top bar); what is left is cut on the last.
            let rows = max(1, min(lines.count, Self.messageRows, y))
            if lines.count > rows { lines = Array(lines.prefix(rows - 1)) + [lines.dropFirst(rows - 1).joined(separator: " ")] }
            for (i, line) in lines.enumerated() {
                screen.put(" " + line, at: Point(x: 0, y: y - (lines.count - 1) + i), style: style, width: width)
            }
            return
        }
        // What `u` will undo always has its place, at the right end: a person
        // should know what the key takes back before pressing it.
        let shown = HintLine.shown(hints)
        let undo = shown.first { $0.action == .undo }
        var right = width
        if let undo {
            let text = HintLine.hint(undo)
            let needed = DisplayWidth.width(of: text.key) + DisplayWidth.width(of: text.title) + 2
            if needed + 1 < width {
                right = width - needed
                let x = right + screen.put(text.key, at: Point(x: right, y: y), style: .statusKey)
                screen.put(" " + text.title, at: Point(x: x, y: y), style: .statusBar, width: width - x)
            }
        }
        let rest = shown.filter { $0.action != .undo || right == width }.map(HintLine.hint)
        // Two columns before the undo hint, as between any two hints.
        HintLine.draw(rest, at: 1, y: y, maxX: right == width ? right - 1 : right - 2, keyStyle: .statusKey, textStyle: .statusBar, on: screen)
    }

    /// "Log note, email, meeting…" → "Log note": hints stay short.
    static func shortTitle(_ title: String) -> String {
        let cut = title.split(whereSeparator: { $0 == "," || $0 == "(" || $0 == ":" }).first.map(String.init) ?? title
        return cut.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
