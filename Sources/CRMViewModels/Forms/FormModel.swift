import Foundation
import CRMCore
import CRMRepositories

/// A form on screen: fields, focus, errors shown next to their fields, and the
/// handling of a stale save. What was typed stays in the fields whatever goes
/// wrong; only a saved form or an explicit discard lets go of it.
public final class FormModel {
    public enum Outcome: Equatable {
        case editing
        case saved(String)
        case cancelled
        case effect(Effect)
    }

    /// What the owner does with the values: save them and return a status
    /// line, or throw a ValidationFailure / FieldError / RepositoryError.
    public typealias Submit = (_ form: FormModel) throws -> String
    /// Loads the record as it is now stored: fresh values and version.
    public typealias Reload = () throws -> (values: [String: String], version: Int64)

    /// The banner while errors sit next to their fields.
    static let correctFieldsBanner = "Please correct the fields marked below."

    public let title: String
    public private(set) var fields: [FormField]
    public private(set) var focus = 0
    /// The version of the record the form edits; a save names it.
    public var baseVersion: Int64
    /// A problem not tied to one field.
    public private(set) var banner: String?
    /// What the banner said of the conflict, shown again once the fields a
    /// failed save marked are corrected.
    private var conflictBanner: String?
    /// Set when a save was refused because someone else changed the record.
    public private(set) var conflict: StaleEdit?
    public private(set) var confirmingDiscard = false
    /// Ctrl-R asked: "drop what you typed and take theirs?" (QA 30 #9: one
    /// key lost every field typed).
    public private(set) var confirmingReload = false
    /// During a conflict: what the colleague stored in the fields they
    /// changed (field name → stored text), shown under each field so the
    /// choice between Ctrl-O and Ctrl-R is made seeing both (QA 30 #9).
    public private(set) var theirs: [String: String] = [:]
    public private(set) var isDirty = false
    /// Fields picked from records found as the user types (a deal's contact
    /// and company): field name → search returning the choices to offer.
    public var lookups: [String: (String) -> [String]] = [:] {
        didSet { updateSuggestions() }
    }
    /// Choices for the focused lookup field; Ctrl-N/Ctrl-P pick, Tab takes.
    public private(set) var suggestions: [String] = []
    public private(set) var suggestionIndex = 0
    /// Whether Tab takes the highlighted choice: only once the user typed in
    /// the lookup field or moved through its choices. Tabbing through a form
    /// keeps the record a field holds ("María Sánchez #1996"), never swaps it
    /// for the first namesake the search finds.
    public private(set) var suggestionWanted = false
    private let submit: Submit
    private let reload: Reload?
    /// The field being edited in $EDITOR, if any.
    private var externalField: Int?
    /// Called after a key changed a field's text, with the field's name: lets
    /// the owner show what it made of the input (a due date's hint line).
    public var onEdit: ((FormModel, String) -> Void)?
    /// What the form is for, so that a draft of it can build it again; a
    /// form without one cannot be restored (its text is still kept).
    public var purpose: FormPurpose?
    /// How the screen writes a moment, so a refusal says when the colleague
    /// saved; set by the app when the form is shown.
    public var time: ((Date) -> String)?
    /// Asked before each save (a possible duplicate): a warning stops the
    /// save and is shown above the fields; Ctrl-S again with the same values
    /// saves anyway, and an edit takes the warning down (the next save asks
    /// again).
    public var saveCheck: ((FormModel) -> SaveWarning?)?
    /// The warning the last save stopped at, while the values are unchanged.
    public private(set) var warning: SaveWarning?

    public init(title: String, fields: [FormField], baseVersion: Int64 = 0, submit: @escaping Submit, reload: Reload? = nil) {
        self.title = title
        self.fields = fields
        self.baseVersion = baseVersion
        self.submit = submit
        self.reload = reload
        self.initialValues = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// The values the form opened with: what the user has not touched is
    /// what still equals these.
    private var initialValues: [String: String]

    /// Whether the person changed field `name` from the value the form
    /// opened with (or was last reloaded with).
    public func isEdited(_ name: String) -> Bool { self[name] != initialValues[name] }

    public subscript(name: String) -> String {
        get { fields.first { $0.name == name }?.value ?? "" }
        set { if let i = fields.firstIndex(where: { $0.name == name }) { fields[i].value = newValue } }
    }

    public var focusedField: FormField { fields[focus] }

    /// Where the engine's words go when a save fails (the app's log); the
    /// form itself shows only the sentence.
    public var logDiagnostic: (Error) -> Void = { _ in }

    public func handle(_ key: Key) -> Outcome {
        // Only a lookup field's text is compared (the choices follow it): a
        // long note is not copied into a String twice on every key.
        let before = focus
        let looked = lookups[focusedField.name] != nil ? focusedField.value : nil
        let outcome = handleKey(key)
        if focus != before {
            suggestionWanted = false
            updateSuggestions()
        } else if looked != nil && looked != focusedField.value {
            suggestionWanted = true
            updateSuggestions()
        }
        return outcome
    }

    private func updateSuggestions() {
        suggestionIndex = 0
        guard let lookup = lookups[focusedField.name] else { suggestions = []; return }
        suggestions = lookup(focusedField.value)
    }

    private func handleKey(_ key: Key) -> Outcome {
        if !suggestions.isEmpty {
            switch key {
            case .ctrl("n"):
                suggestionIndex = (suggestionIndex + 1) % suggestions.count
                suggestionWanted = true
                return .editing
            case .ctrl("p"):
                suggestionIndex = (suggestionIndex + suggestions.count - 1) % suggestions.count
                suggestionWanted = true
                return .editing
            case .tab where suggestionWanted && focusedField.value != suggestions[suggestionIndex]:
                // Tab takes the highlighted choice and moves on, like Tab anywhere else.
                fields[focus].value = suggestions[suggestionIndex]
                fields[focus].error = nil
                isDirty = true
                focus = (focus + 1) % fields.count
                return .editing
            default: break
            }
        }
        if confirmingDiscard {
            switch key {
            case .char("y"), .char("Y"): return .cancelled
            default: confirmingDiscard = false; return .editing
            }
        }
        if confirmingReload {
            confirmingReload = false
            if key == .char("y") || key == .char("Y") { reloadStored() }
            return .editing
        }
        switch key {
        case .ctrl("g") where warning?.open != nil:
            // Step aside to the record the warning names; its owner keeps
            // this form, as typed, to bring back.
            warning?.open?()
            return .cancelled
        case .escape:
            // Asked only when something would be lost: a field typed back
            // to what the form opened with loses nothing (QA 40 #7).
            if isDirty, fields.contains(where: { isEdited($0.name) }) { confirmingDiscard = true; return .editing }
            return .cancelled
        case .ctrl("s"), .function(2):
            return save()
        case .ctrl("o") where conflict != nil && conflict?.deleted == false:
            // Save over the colleague's change, knowingly, after reviewing it:
            // the fields this user changed win; the others take the stored version.
            return saveMerged()
        case .ctrl("r") where conflict != nil && conflict?.deleted == false:
            if fields.contains(where: { isEdited($0.name) }) { confirmingReload = true } else { reloadStored() }
            return .editing
        case .ctrl("x"):
            guard focusedField.kind == .multiline else { return .editing }
            externalField = focus
            return .effect(.editExternally(text: focusedField.value))
        case .tab:
            focus = (focus + 1) % fields.count
            return .editing
        case .down where focusedField.kind != .multiline:
            focus = (focus + 1) % fields.count
            return .editing
        case .backTab:
            focus = (focus + fields.count - 1) % fields.count
            return .editing
        case .up where focusedField.kind != .multiline:
            focus = (focus + fields.count - 1) % fields.count
            return .editing
        case .enter where focusedField.kind != .multiline:
            // Enter moves on; on the last field it saves.
            if focus == fields.count - 1 { return save() }
            focus += 1
            return .editing
        default:
            // Moving the cursor in a text is not typing: Esc after Home
            // closes at once (QA 38 A-F4). In a choice, Left and Right do change it.
            let isText = focusedField.kind == .line || focusedField.kind == .multiline
            let moves = isText && Self.cursorKeys.contains(key)
            if fields[focus].handle(key), !moves {
                isDirty = true
                warning = nil
                fields[focus].error = nil
                // Another choice may make the other fields' errors untrue (a
                // note needs text, a call does not): they are checked again
                // on the next save, not left standing (QA 42).
                if case .choice = focusedField.kind { for i in fields.indices { fields[i].error = nil } }
                // Corrected: a conflict's own sentence comes back (QA 33 #17).
                if banner == Self.correctFieldsBanner, fields.allSatisfy({ $0.error == nil }) { banner = conflict == nil ? nil : conflictBanner }
                onEdit?(self, fields[focus].name)
            } else if case .choice = focusedField.kind, case .char = key {
                // Text typed into a choice (QA 41 #1: a subject typed into
                // Type vanished, and Ctrl-S saved an empty entry).
                fields[focus].error = "a choice, not text: Space or ←/→ moves, a letter picks the one it starts with; "
                    + "Tab goes to the next field"
            }
            return .editing
        }
    }

    /// The keys that only move a text field's cursor.
    static let cursorKeys: Set<Key> = [.left, .right, .up, .down, .home, .end, .ctrlLeft, .ctrlRight,
                                       .ctrl("a"), .ctrl("e"), .ctrl("b"), .ctrl("f"), .altChar("b"), .altChar("f")]

    /// Opens the form on a conflict already known (an undo a colleague's
    /// change stands in the way of): `mine` goes in the fields, and Ctrl-O
    /// merges against `base`, what my action had written: the fields that
    /// differ from it keep mine, the rest take the colleague's stored values.
    public func showConflict(_ stale: StaleEdit, mine: [String: String], base: [String: String], banner: String) {
        for (name, value) in mine { self[name] = value; onEdit?(self, name) }
        initialValues = base
        baseVersion = stale.expectedVersion
        conflict = stale
        self.banner = banner
        conflictBanner = banner
        // What the colleague wrote since, under each field, as a refused
        // save shows it (QA 43: the form an undo refusal opened showed an
        // empty Notes where a colleague had added one, and no "↳ li: …").
        theirs = stale.deleted ? [:] : storedChanges()
    }

    /// The form as a draft: every field's text, the record and its base version.
    public var draft: FormDraft {
        FormDraft(purpose: purpose, title: title,
                         values: Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }),
                         initialValues: initialValues, baseVersion: baseVersion, focus: focusedField.name,
                         fields: fields.map { FormDraft.Label(name: $0.name, label: $0.label) })
    }

    /// Puts a draft's text back into this (freshly built) form: the base
    /// version it was typed against, so a colleague's save in between is
    /// reported as a stale edit, never overwritten.
    public func restore(_ draft: FormDraft) {
        for i in fields.indices {
            guard let value = draft.values[fields[i].name] else { continue }
            fields[i].putBackTyped(value)
            onEdit?(self, fields[i].name)
        }
        initialValues = draft.initialValues
        baseVersion = draft.baseVersion
        isDirty = true
        focus(field: draft.focus)
    }

    /// Text back from $EDITOR for the field that was sent out.
    public func externalEditFinished(_ text: String?) {
        defer { externalField = nil }
        guard let i = externalField, let text else { return }
        let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
        if trimmed != fields[i].value {
            fields[i].putBackTyped(trimmed)
            isDirty = true
        }
    }

    public func setHint(_ hint: String, for name: String) {
        if let i = fields.firstIndex(where: { $0.name == name }) { fields[i].hint = hint }
    }

    public func focus(field name: String) {
        if let i = fields.firstIndex(where: { $0.name == name }) { focus = i }
    }

    func save() -> Outcome {
        for i in fields.indices { fields[i].error = nil }
        banner = nil
        if warning == nil, let check = saveCheck, let found = check(self) {
            warning = found
            return .editing
        }
        do {
            let message = try submit(self)
            conflict = nil
            theirs = [:]
            warning = nil
            return .saved(message)
        } catch let failure as ValidationFailure {
            show(failure.errors)
        } catch let error as FieldError {
            show([error])
        } catch RepositoryError.stale(let stale) where stale.deleted && fields.contains(where: { $0.accepts(errorField: stale.entity) }) {
            // A record a field points to went meanwhile (an admin deleted the
            // deal's stage): this form's own record is fine, so that field
            // says so and everything typed stays for another choice.
            show([FieldError(stale.entity, "deleted by \(stale.changedBy ?? "someone else")\(stale.when(time: time)); choose another")])
        } catch RepositoryError.stale(let stale) {
            conflict = stale
            banner = stale.sentence(time: time)
            conflictBanner = banner
            theirs = stale.deleted ? [:] : storedChanges()
        } catch RepositoryError.invalid(let failure) {
            show(failure.errors)
        } catch let error as RepositoryError where error.isTransient {
            // Another user's save held the lock past the busy timeout: the
            // form stays as typed, and the save key tries again.
            logDiagnostic(error)
            banner = BusyRetry.formBanner(retryKeys: retryKeys)
        } catch {
            logDiagnostic(error)
            banner = "\(error)"
        }
        return .editing
    }

    /// The keys that save this form: Ctrl-S, and Enter on the last field
    /// unless that field is a multi-line note (where Enter breaks the line).
    var retryKeys: String {
        fields.last?.kind == .multiline ? "Ctrl-S" : "Ctrl-S (or Enter on the last field)"
    }

    private func show(_ errors: [FieldError]) {
        var unplaced: [String] = []
        for error in errors {
            if let i = fields.firstIndex(where: { $0.accepts(errorField: error.field) }) {
                fields[i].error = fields[i].error.map { $0 + "; " + error.description } ?? error.description
            } else {
                unplaced.append(error.description)
            }
        }
        banner = unplaced.isEmpty ? Self.correctFieldsBanner : unplaced.joined(separator: "; ")
        if let first = fields.firstIndex(where: { $0.error != nil }) { focus = first }
    }

    /// Three-way merge for Ctrl-O: fields changed here keep what was typed,
    /// untouched fields take the colleague's stored values, then save against
    /// the stored version.
    private func saveMerged() -> Outcome {
        guard let reload else {
            if let c = conflict { baseVersion = c.currentVersion }
            return save()
        }
        do {
            let fresh = try reload()
            for i in fields.indices where fields[i].value == initialValues[fields[i].name] {
                if let stored = fresh.values[fields[i].name] { fields[i].value = stored; onEdit?(self, fields[i].name) }
            }
            initialValues = fresh.values
            baseVersion = fresh.version
        } catch {
            banner = "\(error)"
            return .editing
        }
        return save()
    }

    /// The fields whose stored text differs from what the form opened
    /// with: the colleague's change (empty when the record cannot be read).
    private func storedChanges() -> [String: String] {
        guard let fresh = try? reload?() else { return [:] }
        return fresh.values.filter { name, value in initialValues[name] != nil && initialValues[name] != value }
    }

    private func reloadStored() {
        guard let reload else { return }
        do {
            let fresh = try reload()
            // The readings beside the fields ("→ 30,000.00 EUR") follow the
            // reloaded text, not what was dropped (QA 40 #1).
            for (name, value) in fresh.values { self[name] = value; onEdit?(self, name) }
            baseVersion = fresh.version
            initialValues = fresh.values
            conflict = nil
            theirs = [:]
            banner = "Reloaded the stored version; your changes were replaced."
            isDirty = false
        } catch {
            banner = "\(error)"
        }
    }
}

/// What a form's `saveCheck` found worth a second look before saving: the
/// lines to show ("Possible duplicate: Günter Müller · Granite Bau (same
/// email)"), and the record they name, which Ctrl-G opens.
public struct SaveWarning {
    public let lines: [String]
    /// "Günter Müller": what Ctrl-G opens; nil when there is nothing to open.
    public let openTitle: String?
    let open: (() -> Void)?

    public init(lines: [String], openTitle: String? = nil, open: (() -> Void)? = nil) {
        self.lines = lines
        self.openTitle = openTitle
        self.open = open
    }

    /// The keys line under the warning.
    public var keys: String {
        (["Ctrl-S save anyway"] + (openTitle.map { ["Ctrl-G open \($0)"] } ?? []) + ["or change a field"]).joined(separator: " · ")
    }
}
