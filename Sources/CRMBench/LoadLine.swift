import Foundation

/// The kinds of action in the load mix.
public enum LoadKind: String, CaseIterable, Sendable {
    case search, note, move, done

    /// As the report names it.
    public var title: String {
        switch self {
        case .search: "contact search"
        case .note: "note logged"
        case .move: "deal moved"
        case .done: "follow-up done"
        }
    }
}

/// How an action ended: confirmed, refused as stale (someone changed the
/// record first — expected under load), refused busy (SQLite's one writer
/// kept the lock past the busy timeout), or another error.
public enum LoadOutcome: String, CaseIterable, Sendable {
    case ok, stale, busy, error
}

/// The lines a load client writes to its stdout, one per event, tab
/// separated (texts have tabs and line breaks replaced), read back by the
/// parent (LoadTally):
///   W key kind fields…               a write about to be tried
///   R key kind ms outcome waits      an action's outcome and time
///   E key text                       why an action failed
public enum LoadLine {
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }

    static func intended(key: String, kind: LoadKind, fields: [String]) -> String {
        (["W", key, kind.rawValue] + fields.map(clean)).joined(separator: "\t")
    }

    static func result(key: String, kind: LoadKind, ms: Double, outcome: LoadOutcome, waits: Int) -> String {
        ["R", key, kind.rawValue, String(format: "%.3f", ms), outcome.rawValue, String(waits)].joined(separator: "\t")
    }

    static func error(key: String, text: String) -> String {
        ["E", key, clean(text)].joined(separator: "\t")
    }
}
