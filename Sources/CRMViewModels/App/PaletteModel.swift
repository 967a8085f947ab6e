/// The `:` command palette: every action of the current view and the global
/// ones, fuzzy-matched as the user types, each with its key.
public final class PaletteModel {
    public private(set) var input = LineEditor()
    public private(set) var selected = 0
    public let bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) {
        // One entry per action, in table order.
        var seen = Set<ActionID>()
        self.bindings = bindings.filter { seen.insert($0.action).inserted }
    }

    public var matches: [KeyBinding] {
        let query = input.text
        if query.isEmpty { return bindings }
        return bindings
            .compactMap { b in Self.score(query, b.title + " " + b.action.rawValue).map { (b, $0) } }
            .sorted { $0.1 > $1.1 }
            .map(\.0)
    }

    public enum Outcome { case editing, cancelled, run(ActionID) }

    public func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .down, .ctrl("n"): selected = min(selected + 1, max(matches.count - 1, 0))
        case .up, .ctrl("p"): selected = max(selected - 1, 0)
        case .enter:
            let m = matches
            guard m.indices.contains(selected) else { return .editing }
            return .run(m[selected].action)
        default:
            if input.handle(key) { selected = 0 }
        }
        return .editing
    }

    /// Fuzzy score: every typed character must appear in order; consecutive
    /// runs and word starts score higher. Nil when it does not match.
    static func score(_ query: String, _ text: String) -> Int? {
        let q = Array(query.lowercased())
        let t = Array(text.lowercased())
        var qi = 0
        var score = 0
        var previousMatch = -2
        var firstMatch = -1
        for (ti, c) in t.enumerated() where qi < q.count {
            guard c == q[qi] else { continue }
            score += 1
            if previousMatch == ti - 1 { score += 3 }
            if ti == 0 || t[ti - 1] == " " { score += 5 }
            if firstMatch < 0 { firstMatch = ti }
            previousMatch = ti
            qi += 1
        }
        guard qi == q.count else { return nil }
        // Letters found close together beat letters strewn across a long
        // title: "snz" means Snooze, not "Settings: time zone".
        return score - (previousMatch - firstMatch) / 2
    }
}
