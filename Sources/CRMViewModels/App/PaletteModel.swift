/// The `:` command palette: every action of every view and the global ones,
/// fuzzy-matched as the user types, each with its key. An action of another
/// view is titled with that view ("Pipeline: Mark won"); running it switches
/// to the view first.
public final class PaletteModel {
    /// One action the palette offers, and the view it belongs to (nil: the
    /// current view, or a global action).
    public struct Entry: Sendable, Equatable {
        public let binding: KeyBinding
        public let view: ViewKind?
        public init(_ binding: KeyBinding, view: ViewKind? = nil) {
            self.binding = binding
            self.view = view
        }
    }

    public private(set) var input = LineEditor()
    public private(set) var selected = 0
    public let entries: [Entry]
    /// The entry Enter ran, as it was listed (with why it was disabled then).
    public private(set) var chosen: Entry?
    public var bindings: [KeyBinding] { entries.map(\.binding) }

    public convenience init(bindings: [KeyBinding]) {
        self.init(entries: bindings.map { Entry($0) })
    }

    public init(entries: [Entry]) {
        // One entry per action and view, in table order.
        var seen = Set<String>()
        self.entries = entries.filter { seen.insert("\($0.view?.rawValue ?? 0) \($0.binding.action)").inserted }
    }

    public var matchingEntries: [Entry] {
        let query = input.text
        if query.isEmpty { return entries }
        return entries
            .compactMap { e in Self.score(query, e.binding.title + " " + e.binding.action.rawValue).map { (e, $0) } }
            .sorted { $0.1 > $1.1 }
            .map(\.0)
    }

    public var matches: [KeyBinding] { matchingEntries.map(\.binding) }

    public enum Outcome: Equatable { case editing, cancelled, run(ActionID, in: ViewKind?) }

    public func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .down, .ctrl("n"): selected = min(selected + 1, max(matchingEntries.count - 1, 0))
        case .up, .ctrl("p"): selected = max(selected - 1, 0)
        case .enter:
            let m = matchingEntries
            guard m.indices.contains(selected) else { return .editing }
            chosen = m[selected]
            return .run(m[selected].binding.action, in: m[selected].view)
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
            // The title's own first word beats the same word later on:
            // "import" is Import…, not "Undo import of …" (QA 45 IO #2).
            if ti == 0 { score += 2 }
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
