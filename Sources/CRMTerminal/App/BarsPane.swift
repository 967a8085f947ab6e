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
        let who = "\(app.repositories.currentUser.login) · \(app.repositories.displayName) "
        let w = DisplayWidth.width(of: who)
        if x + w < width { screen.put(who, at: Point(x: width - w, y: 0), style: .statusBar) }
    }

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
            screen.put(" " + message.text, at: Point(x: 0, y: y), style: style, width: width)
            return
        }
        var x = 1
        for binding in hints where binding.inHintBar && binding.disabledReason == nil {
            let key = binding.keys.first.map(\.label) ?? ""
            let title = binding.hintTitle ?? shortTitle(binding.title)
            let needed = DisplayWidth.width(of: key) + DisplayWidth.width(of: title) + 3
            if x + needed > width { break }
            x += screen.put(key, at: Point(x: x, y: y), style: .statusKey)
            x += screen.put(" " + title + "  ", at: Point(x: x, y: y), style: .statusBar)
        }
    }

    /// "Log note, email, meeting…" → "Log note": hints stay short.
    static func shortTitle(_ title: String) -> String {
        let cut = title.split(whereSeparator: { $0 == "," || $0 == "(" || $0 == ":" }).first.map(String.init) ?? title
        return cut.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
