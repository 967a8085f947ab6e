// What a piece of text IS, not what colour it has. Panes say `.selected` or
// `.error`; the `Theme` decides how that looks on this terminal (256 colours,
// 8 colours or monochrome), so no pane ever needs to know which one it got.
public struct Style: Hashable, Sendable {
    public enum Role: String, CaseIterable, Hashable, Sendable {
        case normal
        case dim
        case title
        case header
        case selected
        /// The selection of a pane that does not have the focus: still
        /// visible, clearly not where keys go.
        case selectedInactive
        case border
        case borderFocused
        case statusBar
        case statusKey
        case accent
        case error
        case warning
        case success
        /// A search match inside a row.
        case highlight
        /// The inside of a form's input field.
        case field

        /// One letter per role for `MemoryScreen.styleDump()`, so golden
        /// files can assert attributes cell by cell.
        public var letter: Character {
            switch self {
            case .normal: "."
            case .dim: "d"
            case .title: "T"
            case .header: "H"
            case .selected: "S"
            case .selectedInactive: "s"
            case .border: "b"
            case .borderFocused: "B"
            case .statusBar: "="
            case .statusKey: "K"
            case .accent: "a"
            case .error: "E"
            case .warning: "W"
            case .success: "O"
            case .highlight: "h"
            case .field: "f"
            }
        }
    }

    public var role: Role
    /// Extra emphasis on top of what the theme gives the role.
    public var bold: Bool
    public var underline: Bool

    public init(_ role: Role = .normal, bold: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.underline = underline
    }

    public static let normal = Style(.normal)
    public static let dim = Style(.dim)
    public static let title = Style(.title)
    public static let header = Style(.header)
    public static let selected = Style(.selected)
    public static let selectedInactive = Style(.selectedInactive)
    public static let border = Style(.border)
    public static let borderFocused = Style(.borderFocused)
    public static let statusBar = Style(.statusBar)
    public static let statusKey = Style(.statusKey)
    public static let accent = Style(.accent)
    public static let error = Style(.error)
    public static let warning = Style(.warning)
    public static let success = Style(.success)
    public static let highlight = Style(.highlight)
    public static let field = Style(.field)

    public var bolded: Style { var s = self; s.bold = true; return s }
    public var underlined: Style { var s = self; s.underline = true; return s }
}
