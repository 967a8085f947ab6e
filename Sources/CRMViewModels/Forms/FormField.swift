/// One field of a form: a line, a multi-line text, or a choice among values.
public struct FormField: Sendable {
    public enum Kind: Sendable, Equatable {
        case line
        case multiline
        case choice([String])
    }

    /// The key the form's owner reads the value by.
    public let name: String
    public let label: String
    public let kind: Kind
    /// Validation errors whose field is this, or starts with this plus a space
    /// ("email" catches "email 2"), are shown next to this field.
    public let errorKey: String
    public var hint: String
    public var line: LineEditor
    public var area: TextArea
    public var choice: Int
    public var error: String?

    /// `suggested`: the value of a line field is a suggestion the first key
    /// typed replaces (see `LineEditor.isSuggested`).
    public init(_ name: String, label: String, kind: Kind = .line, value: String = "", suggested: Bool = false, hint: String = "",
                errorKey: String? = nil) {
        self.name = name
        self.label = label
        self.kind = kind
        self.errorKey = errorKey ?? name
        self.hint = hint
        self.line = suggested ? LineEditor(suggested: value) : LineEditor(value)
        self.area = TextArea(value)
        // A text being edited opens at its start, where a person reads from
        // (Down and End reach its end); a new empty one is the same either way.
        self.area.moveCursor(row: 0, column: 0)
        if case .choice(let options) = kind {
            self.choice = options.firstIndex(of: value) ?? 0
        } else {
            self.choice = 0
        }
    }

    public var value: String {
        get {
            switch kind {
            case .line: return line.text
            case .multiline: return area.text
            case .choice(let options): return options.isEmpty ? "" : options[choice]
            }
        }
        set {
            switch kind {
            case .line: line.text = newValue
            case .multiline:
                // At the start, as a new field opens (QA 38 A-F2: a stored
                // note set into the correction form opened at its end).
                area = TextArea(newValue)
                area.moveCursor(row: 0, column: 0)
            case .choice(let options): choice = options.firstIndex(of: newValue) ?? choice
            }
        }
    }

    /// Puts back text the user typed (a restored draft, a text back from
    /// $EDITOR) with the cursor at its end, where the typing goes on; `value`
    /// opens a text at its start, where a person reads a stored one from.
    mutating func putBackTyped(_ text: String) {
        if kind == .multiline { area.text = text } else { value = text }
    }

    func accepts(errorField: String) -> Bool {
        errorField == errorKey || errorField.hasPrefix(errorKey + " ")
    }

    /// Gives the key to the field's editor; false if the field has no use for it.
    mutating func handle(_ key: Key) -> Bool {
        switch kind {
        case .line: return line.handle(key)
        case .multiline: return area.handle(key)
        case .choice(let options):
            guard !options.isEmpty else { return false }
            switch key {
            case .right, .char(" "), .char("l"): choice = (choice + 1) % options.count
            case .left, .char("h"): choice = (choice + options.count - 1) % options.count
            case .char(let c):
                // Typing a letter picks the next option starting with it.
                let lower = String(c).lowercased()
                let order = (1...options.count).map { (choice + $0) % options.count }
                // None starts with it: not taken, so the form says so
                // instead of dropping the key unsaid (QA 41 #1).
                guard let hit = order.first(where: { options[$0].lowercased().hasPrefix(lower) }) else { return false }
                choice = hit
            default: return false
            }
            return true
        }
    }
}
