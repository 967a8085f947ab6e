// How each style role looks on this terminal. Pure data (no ncurses calls),
// so the choice and the mapping can be tested; `NcursesScreen` turns it into
// colour pairs and attributes.
//
// Monochrome must stay usable: selection and state are carried by reverse,
// bold, underline and dim there, never by colour alone.
public struct Theme: Sendable {
    public enum Kind: String, Sendable { case color256, color8, monochrome }

    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Attributes(rawValue: 1)
        public static let dim = Attributes(rawValue: 2)
        public static let reverse = Attributes(rawValue: 4)
        public static let underline = Attributes(rawValue: 8)
    }

    /// Colours are terminal colour numbers; -1 is the terminal's own default
    /// (so the user's background shows through).
    public struct Entry: Hashable, Sendable {
        public var foreground: Int16
        public var background: Int16
        public var attributes: Attributes
        public init(_ foreground: Int16 = -1, _ background: Int16 = -1, _ attributes: Attributes = []) {
            self.foreground = foreground; self.background = background; self.attributes = attributes
        }
    }

    public let kind: Kind
    private let entries: [Style.Role: Entry]

    public init(kind: Kind, entries: [Style.Role: Entry]) {
        self.kind = kind
        self.entries = entries
    }

    public var usesColor: Bool { kind != .monochrome }

    public func entry(for role: Style.Role) -> Entry { entries[role] ?? Entry() }

    /// The theme for a terminal: monochrome when NO_COLOR is set (to any
    /// value, see no-color.org) or the terminal has fewer than 8 colours; the
    /// 256-colour theme when it has at least 256.
    /// `preferred` (from the settings) wins where the terminal can show it;
    /// NO_COLOR always wins.
    public static func choose(colors: Int, hasColors: Bool, noColor: Bool, preferred: Kind? = nil) -> Theme {
        if noColor || !hasColors || colors < 8 || preferred == .monochrome { return .monochrome }
        if preferred == .color8 || colors < 256 { return .color8 }
        return .color256
    }

    public static let color256 = Theme(kind: .color256, entries: [
        .normal: Entry(),
        .dim: Entry(245),
        .title: Entry(75, -1, .bold),
        .header: Entry(111, -1, .bold),
        .selected: Entry(231, 25, .bold),
        .selectedInactive: Entry(252, 239),
        .border: Entry(240),
        .borderFocused: Entry(75),
        .statusBar: Entry(252, 236),
        .statusKey: Entry(222, 236, .bold),
        .accent: Entry(80),
        .error: Entry(203, -1, .bold),
        .warning: Entry(214),
        .success: Entry(114),
        .highlight: Entry(16, 220),
        .field: Entry(255, 237),
    ])

    // The 8 ANSI colours: 0 black, 1 red, 2 green, 3 yellow, 4 blue,
    // 5 magenta, 6 cyan, 7 white.
    public static let color8 = Theme(kind: .color8, entries: [
        .normal: Entry(),
        .dim: Entry(-1, -1, .dim),
        .title: Entry(6, -1, .bold),
        .header: Entry(-1, -1, [.bold, .underline]),
        .selected: Entry(7, 4, .bold),
        .selectedInactive: Entry(0, 7),
        .border: Entry(),
        .borderFocused: Entry(6, -1, .bold),
        .statusBar: Entry(0, 7),
        .statusKey: Entry(4, 7, .bold),
        .accent: Entry(6),
        .error: Entry(1, -1, .bold),
        .warning: Entry(3, -1, .bold),
        .success: Entry(2),
        .highlight: Entry(0, 3),
        .field: Entry(-1, -1, .underline),
    ])

    public static let monochrome = Theme(kind: .monochrome, entries: [
        .normal: Entry(),
        .dim: Entry(-1, -1, .dim),
        .title: Entry(-1, -1, .bold),
        .header: Entry(-1, -1, [.bold, .underline]),
        .selected: Entry(-1, -1, [.reverse, .bold]),
        .selectedInactive: Entry(-1, -1, .underline),
        .border: Entry(),
        .borderFocused: Entry(-1, -1, .bold),
        .statusBar: Entry(-1, -1, .reverse),
        .statusKey: Entry(-1, -1, [.reverse, .bold]),
        .accent: Entry(-1, -1, .bold),
        .error: Entry(-1, -1, [.bold, .underline]),
        .warning: Entry(-1, -1, .bold),
        .success: Entry(),
        .highlight: Entry(-1, -1, [.reverse, .underline]),
        .field: Entry(-1, -1, .underline),
    ])
}
