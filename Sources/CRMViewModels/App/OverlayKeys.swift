// The key tables of what is drawn over the views: forms, prompts, questions,
// call mode, the draft offer, help and the palette. Like the views' tables
// they feed the hint line and the `?`/F1 list, so neither names a key the
// overlay does not have (nor leaves out one it has, as Ctrl-O and Ctrl-R of a
// form's conflict once were).

extension KeyBinding {
    /// The line editor's keys (Sources/CRMViewModels/Forms/LineEditor.swift),
    /// shared by every field, prompt and note.
    public static let lineEditing: [KeyBinding] = [
        KeyBinding([.left, .right], .editText, "Move the cursor"),
        KeyBinding([.home, .ctrl("a")], .editText, "To the start of the line"),
        KeyBinding([.end, .ctrl("e")], .editText, "To the end of the line"),
        KeyBinding([.ctrlLeft, .altChar("b")], .editText, "A word back"),
        KeyBinding([.ctrlRight, .altChar("f")], .editText, "A word forward"),
        KeyBinding([.backspace], .editText, "Delete the character before the cursor"),
        KeyBinding([.delete, .ctrl("d")], .editText, "Delete the character at the cursor"),
        KeyBinding([.ctrl("w"), .altBackspace], .editText, "Delete the word before the cursor"),
        KeyBinding([.altChar("d")], .editText, "Delete the word after the cursor"),
        KeyBinding([.ctrl("u")], .editText, "Delete to the start of the line"),
        KeyBinding([.ctrl("k")], .editText, "Delete to the end of the line"),
        KeyBinding([.ctrl("y")], .editText, "Put back what was deleted last"),
    ]

    static let helpKey = KeyBinding([.function(1)], .help, "Help: the keys of this window")

    /// A yes/no question: `y` says yes; every other key says no, and the
    /// table says so rather than inventing an `n`.
    static func question(yes: String, no: String) -> [KeyBinding] {
        [KeyBinding([.char("y"), .char("Y")], .yes, yes, hint: true, hintTitle: "yes"),
         .anyOtherKey(.no, no)]
    }
}

extension FormModel {
    /// The form's keys as they stand: the conflict keys only with a
    /// colleague's change on screen, the suggestion keys only with choices up.
    public var keyBindings: [KeyBinding] {
        if confirmingDiscard { return KeyBinding.question(yes: "Discard what you typed", no: "Keep editing") }
        if confirmingReload { return KeyBinding.question(yes: "Take the stored version, drop what you typed", no: "Keep editing") }
        let conflictKeys = conflict != nil && conflict?.deleted == false ? nil : "only when a colleague changed the record meanwhile"
        let lookup = suggestions.isEmpty ? "only in a field with choices (contact, company)" : nil
        return [
            KeyBinding([.tab, .down], .nextField, "Next field (Down: not in a multi-line field)", hint: true, hintTitle: "next"),
            KeyBinding([.backTab, .up], .previousField, "Previous field (Up: not in a multi-line field)"),
            KeyBinding([.enter], .nextField, "Next field; on the last field, save (a new line in a multi-line field)"),
            KeyBinding([.ctrl("s"), .function(2)], .save, "Save", hint: true),
            KeyBinding([.escape, .ctrl("c")], .cancel, "Cancel (asks when something was typed)", hint: true),
            KeyBinding([.ctrl("x")], .editExternally, "Edit the field in $VISUAL or $EDITOR",
                       disabled: focusedField.kind == .multiline ? nil : "only in a multi-line field"),
            // Short hint titles, so both ways out fit the hint line at 80
            // columns (QA 29 #21: Ctrl-O, the one that keeps what was typed, fell off).
            KeyBinding([.ctrl("o")], .saveMerged, "Save over the colleague's change: your fields win", hint: conflictKeys == nil,
                       disabled: conflictKeys, hintTitle: "save yours"),
            KeyBinding([.ctrl("r")], .reloadStored, "Take the stored version (asks before it drops what you typed)", hint: conflictKeys == nil,
                       disabled: conflictKeys, hintTitle: "take theirs"),
            KeyBinding([.ctrl("g")], .openWarning, "Go to the record the warning names (this form is kept)", hint: warning?.open != nil,
                       disabled: warning?.open == nil ? "only when the form warns of a look-alike record" : nil),
            KeyBinding([.ctrl("n")], .nextChoice, "Next choice", disabled: lookup),
            KeyBinding([.ctrl("p")], .previousChoice, "Previous choice", disabled: lookup),
            KeyBinding.helpKey,
        ] + KeyBinding.lineEditing
    }
}

extension Prompt {
    public var keyBindings: [KeyBinding] {
        if confirmingDiscard { return KeyBinding.question(yes: "Discard what you typed", no: "Back to the text") }
        return [
            KeyBinding([.enter], .save, "Answer", hint: true, hintTitle: "ok"),
            KeyBinding([.escape], .cancel, "Cancel", hint: true),
            KeyBinding([.ctrl("c")], .cancel, "Cancel (asks when something was typed)"),
            KeyBinding([.tab], .takeChoice, "Take the first choice shown", hint: !visibleSuggestions.isEmpty,
                       disabled: visibleSuggestions.isEmpty ? "no choice shown" : nil, hintTitle: "take choice"),
            KeyBinding.helpKey,
        ] + KeyBinding.lineEditing
    }
}

extension Confirmation {
    public var keyBindings: [KeyBinding] { KeyBinding.question(yes: "Yes", no: "No: nothing happens") }
}

extension CallModel {
    public var keyBindings: [KeyBinding] {
        if confirmingDiscard { return KeyBinding.question(yes: "Leave without logging the call", no: "Back to the call") }
        return Self.keyHelp + [
            KeyBinding([.enter], .previousPane, "In the outcome: back to the note (in the note: a new line)"),
            KeyBinding.helpKey,
        ] + KeyBinding.lineEditing
    }
}

extension PaletteModel {
    public static let keyBindings: [KeyBinding] = [
        KeyBinding([.enter], .open, "Run the chosen action", hint: true, hintTitle: "run"),
        KeyBinding([.down, .ctrl("n")], .moveDown, "Next match", hint: true, hintTitle: "next"),
        KeyBinding([.up, .ctrl("p")], .moveUp, "Previous match"),
        KeyBinding([.escape], .cancel, "Close", hint: true),
    ] + KeyBinding.lineEditing
}

extension AppModel {
    /// The help list's own keys: it scrolls like any list.
    public static let helpBindings: [KeyBinding] =
        [KeyBinding([.escape, .char("q"), .char("?"), .enter, .function(1)], .back, "Close help", hint: true, hintTitle: "close")]
        + KeyBinding.listNavigation(row: "line", first: "Top", last: "Bottom").map { b in
            b.action == .moveDown ? KeyBinding(b.keys, b.action, b.title, hint: true, hintTitle: "scroll") : b
        }
        + [KeyBinding([.char(" ")], .pageDown, "Page down")]

    static let draftOfferBindings: [KeyBinding] = [
        KeyBinding([.enter], .restoreDraft, "Restore it", hint: true, hintTitle: "restore"),
        KeyBinding([.char("d"), .char("D")], .discardDraft, "Discard it", hint: true, hintTitle: "discard"),
        KeyBinding([.escape], .cancel, "Later: offered again at the next start", hint: true),
        KeyBinding([.char("?"), .function(1)], .help, "Help: the keys of this window"),
    ]

    /// The key table of `overlay` as it stands (nil: no overlay).
    public func bindings(of overlay: Overlay?) -> [KeyBinding]? {
        switch overlay {
        case nil: nil
        case .help: Self.helpBindings
        case .palette: PaletteModel.keyBindings
        case .form(let form): form.keyBindings
        case .confirm(let confirmation): confirmation.keyBindings
        case .prompt(let prompt): prompt.keyBindings
        case .call(let call): call.keyBindings
        case .draftOffer: Self.draftOfferBindings
        case .duplicates(let list): list.keyBindings + [KeyBinding([.char("?"), .function(1)], .help, "Help: the keys of this window")]
        case .importFile(let model): model.keyHelp
        case .audit(let model): model.keyBindings
        case .trash(let trash): trash.keyBindings
        }
    }

    /// What is up now and takes the keys: the hint line reads this.
    public var overlayBindings: [KeyBinding]? { bindings(of: overlay) }

    /// While the active view's search line takes the keys, what they do
    /// there, for the hint line; nil otherwise. (QA 40 #11: typing a board
    /// search, the line offered "L deal to next stage  w mark won", letters
    /// that went into the search.)
    public var searchLineBindings: [KeyBinding]? {
        let searching = switch activeKind {
        case .contacts: contacts.isSearching
        case .pipeline: pipeline.isSearching
        case .timeline: timeline.isSearching
        case .today, .reports: false
        }
        guard searching else { return nil }
        var move = KeyBinding([.down, .up], .moveDown, "Move through what it found", hint: true, hintTitle: "move")
        move.keyText = "Down/Up"
        return [
            KeyBinding([.enter], .save, "Keep the search and leave the search line", hint: true, hintTitle: "keep the search"),
            KeyBinding([.escape], .cancel, "Clear the search", hint: true, hintTitle: "clear it"),
            move,
        ]
    }

    /// The title of what the `?`/F1 list describes.
    public var helpTitle: String {
        switch helpOver {
        case nil: activeKind.title
        case .help?: "Help"
        case .palette?: "Command palette"
        case .form(let form)?: form.title
        case .confirm?: "Question"
        case .prompt(let prompt)?: prompt.title
        case .call?: "Call mode"
        case .draftOffer?: "Unsaved work from last time"
        case .duplicates?: "Duplicates"
        case .importFile?: "Import"
        case .audit(let model)?: model.title
        case .trash?: "Trash"
        }
    }

    /// The keys the `?`/F1 list shows: those of the window it was opened
    /// over, or the view's; the global ones only over a view.
    public var helpBindings: (own: [KeyBinding], global: [KeyBinding]) {
        if let over = helpOver { return (bindings(of: over) ?? [], []) }
        return (activeBindings, reachableGlobalBindings)
    }

    /// F1 over a window: its keys, and Esc goes back to it as it was.
    func showHelp(over current: Overlay) {
        helpScroll = 0
        helpOver = current
        overlay = .help
    }

    /// The help list's keys, through its table.
    func handleHelpKey(_ key: Key) {
        guard let binding = Self.helpBindings.binding(for: key) else { return }
        switch binding.action {
        case .back:
            overlay = helpOver
            helpOver = nil
        case .moveDown: helpScroll = min(helpScroll + 1, helpBottom)
        case .moveUp: helpScroll = max(helpScroll - 1, 0)
        case .pageDown: helpScroll = min(helpScroll + 10, helpBottom)
        case .pageUp: helpScroll = max(helpScroll - 10, 0)
        case .top: helpScroll = 0
        case .bottom: helpScroll = helpBottom
        default: break
        }
    }

    /// The scroll that shows the last screenful: the list's lines (the
    /// view's header, its keys, a blank, "Everywhere" and the global keys,
    /// as HelpOverlay lays them out) less the rows inside the frame, which is
    /// centred in the view area two rows short of it and has a border (QA
    /// 44: G stopped two lines before the end).
    var helpBottom: Int {
        let (own, global) = helpBindings
        let lines = own.count + (global.isEmpty ? 1 : global.count + 3)
        return max(0, lines - max((viewArea?.height ?? size.height) - 4, 1))
    }
}
