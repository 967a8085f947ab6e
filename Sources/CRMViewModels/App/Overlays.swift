import CRMCore

/// A yes/no question ("Delete Ada Lovelace?").
public struct Confirmation {
    public let question: String
    let onYes: () -> Void
    /// Any other key: what was on screen before the question comes back
    /// (the trash window, which the question took the place of).
    let onNo: (() -> Void)?

    public init(_ question: String, onNo: (() -> Void)? = nil, onYes: @escaping () -> Void) {
        self.question = question
        self.onYes = onYes
        self.onNo = onNo
    }
}

/// A one-line question with an editor ("Filter by tag:").
public struct Prompt {
    public let title: String
    public var input: LineEditor
    /// Choices offered below the line, narrowed as the user types.
    public let suggestions: [String]
    /// What the typed text would mean, shown under the line as it is typed
    /// ("→ Fri 27 Nov 2026 09:00"); nil shows nothing.
    public let preview: ((String) -> String)?
    let onSubmit: (String) -> Void
    /// Esc: what declining means when it is not just "never mind".
    let onCancel: (() -> Void)?
    /// The text the prompt opened with.
    private let initialText: String
    /// Ctrl-C was pressed with text typed: "Discard what you typed?" is
    /// asked; y cancels the prompt, any other key goes back to the text.
    public internal(set) var confirmingDiscard = false
    /// How to ask the same question again after a restart, when the answer
    /// is kept as a draft; nil: the draft keeps only the text.
    public var resume: PromptResume?
    /// Keys that answer at once when typed first on an empty line (the
    /// snooze choices 1, 2, 3): the answer they stand for, no Enter needed.
    public let quickKeys: [Character: String]

    public init(_ title: String, initial: String = "", suggestions: [String] = [],
                preview: ((String) -> String)? = nil, resume: PromptResume? = nil, quickKeys: [Character: String] = [:],
                onCancel: (() -> Void)? = nil, onSubmit: @escaping (String) -> Void) {
        self.quickKeys = quickKeys
        self.title = title
        self.input = LineEditor(initial)
        self.initialText = initial
        self.suggestions = suggestions
        self.preview = preview
        self.resume = resume
        self.onCancel = onCancel
        self.onSubmit = onSubmit
    }

    /// Something typed that is not yet an answer: what a draft keeps.
    public var draft: PromptDraft? {
        guard (!untouched && !input.text.isEmpty) || resume?.carriesText == true else { return nil }
        return PromptDraft(title: title, text: input.text, resume: resume)
    }

    /// Puts a draft's text back on the line, as typed (not as a selection).
    mutating func restore(text: String) {
        input = LineEditor(text)
        untouched = false
    }

    /// True until the first key: the prefilled text is shown as if selected,
    /// so typing replaces it (as in a dialog) and a cursor key starts editing it.
    public private(set) var untouched = true

    /// Applies a key to the line.
    public mutating func edit(_ key: Key) {
        switch key {
        case .char, .paste:
            if untouched { input = LineEditor() }
        default:
            break
        }
        untouched = false
        _ = input.handle(key)
    }

    /// The answer `key` gives at once, if it is a quick key typed first.
    public func quickAnswer(_ key: Key) -> String? {
        guard case .char(let c) = key, untouched || input.text.isEmpty else { return nil }
        // The number row of a Persian or Arabic keyboard types ۳ or ٣ (QA 29 #9).
        return quickKeys[c] ?? LocalDigits.asciiDigit(c).flatMap { quickKeys[$0] }
    }

    /// True when the user typed something that cancelling would lose.
    public var hasTypedText: Bool { !untouched && input.text != initialText }

    /// The preview line for the text typed so far.
    public var previewText: String? { preview?(input.text) }

    public var visibleSuggestions: [String] {
        let typed = input.text.lowercased()
        return typed.isEmpty ? suggestions : suggestions.filter { $0.lowercased().contains(typed) }
    }
}

/// What is drawn over the current view and takes the keys first.
public enum Overlay {
    case help
    case palette(PaletteModel)
    case form(FormModel)
    case confirm(Confirmation)
    case prompt(Prompt)
    case call(CallModel)
    /// At the start: unsaved work from last time, to restore or discard.
    case draftOffer(Draft)
    /// `:import`: a file, its mapping, its dry run, then the import.
    case importFile(ImportModel)
    /// The Duplicates list of Contacts (D), with its merge screen.
    case duplicates(DuplicatesModel)
    /// A record's history (H) or the whole audit trail (A).
    case audit(AuditModel)
    /// The Trash of every kind of record (Z).
    case trash(TrashModel)
}
