import CRMCore
import CRMRepositories

/// One row of a view's key table: the keys, the action, how help describes it,
/// whether the hint bar shows it, and why it cannot run right now. Dispatch,
/// hints, the `?` overlay and the `:` palette all read these tables, so help
/// can never drift from behaviour.
public struct KeyBinding: Sendable, Equatable {
    public let keys: [Key]
    public let action: ActionID
    public let title: String
    public let inHintBar: Bool
    /// Nil when the action can run; otherwise the reason shown when tried.
    public var disabledReason: String?
    /// What the hint bar shows, when not the start of `title` ("undo: move of …").
    public var hintTitle: String?

    public init(_ keys: [Key], _ action: ActionID, _ title: String, hint: Bool = false, disabled: String? = nil,
                hintTitle: String? = nil) {
        self.keys = keys
        self.action = action
        self.title = title
        self.inHintBar = hint
        self.disabledReason = disabled
        self.hintTitle = hintTitle
    }

    /// What help and the hint line call the keys, when not their labels:
    /// "any other key" for a question's default answer.
    public var keyText: String?

    /// The keys as help shows them; ":" for an action with no key of its
    /// own, which runs from the command palette (`:import`).
    public var keyLabel: String { keyText ?? (keys.isEmpty ? ":" : keys.map(\.label).joined(separator: "/")) }
    /// The key the hint line shows: the first one, or `keyText`.
    public var hintKey: String { keyText ?? keys.first?.label ?? "" }

    /// What the status line says when the key is tried while disabled:
    /// "Filter by owner: only a manager or an admin sees everyone's". The
    /// title's own explanation after a colon is left out so the reason,
    /// the part that matters, fits 80 columns.
    public var refusal: String? {
        guard let disabledReason else { return nil }
        let head = title.range(of: ": ").map { String(title[..<$0.lowerBound]) } ?? title
        return "\(head): \(disabledReason)"
    }

    /// The answer every key not in the table gives ("any other key: no"):
    /// said in help and the hint line, matched by no key lookup.
    public static func anyOtherKey(_ action: ActionID, _ title: String) -> KeyBinding {
        var b = KeyBinding([], action, title, hint: true)
        b.keyText = "any other key"
        return b
    }
}

extension Array where Element == KeyBinding {
    public func binding(for key: Key) -> KeyBinding? { first { $0.keys.contains(key) } }
    public func binding(for action: ActionID) -> KeyBinding? { first { $0.action == action } }

    /// The table as it stands on a database this user may only read: every
    /// action that writes is disabled, with the reason. Dispatch, the hint
    /// bar, `?` and the palette all read the table through this.
    public func readOnly(_ isReadOnly: Bool) -> [KeyBinding] {
        guard isReadOnly else { return self }
        return map { binding in
            var b = binding
            if b.action.writes { b.disabledReason = KeyBinding.readOnlyReason }
            return b
        }
    }
}

extension Array where Element == KeyBinding {
    /// The table as it stands for `user`: every action their role may not
    /// do stays listed, disabled with the reason ("only an admin changes
    /// pipelines and stages"), so help shows what exists and who may.
    public func permitted(for user: User) -> [KeyBinding] {
        map { binding in
            var b = binding
            // The role's reason wins over "no stage here": it holds wherever the focus is.
            if let reason = b.action.permission?.refusal(for: user.role) { b.disabledReason = reason }
            return b
        }
    }

    /// Both: what the file allows, then what the role allows.
    public func usable(by repositories: any CRMRepositories) -> [KeyBinding] {
        readOnly(repositories.isReadOnly).permitted(for: repositories.currentUser)
    }
}

extension ActionID {
    /// What the action needs beyond everyday work (nil: any user may). The
    /// rule table itself is CRMCore's `Permission`.
    public var permission: Permission? {
        switch self {
        case .addPipeline, .renamePipeline, .addStage, .renameStage, .deleteStage, .moveStageLeft, .moveStageRight: .managePipelines
        case .stageProbability, .stageRotDays: .changeStageSettings
        case .administration: .manageUsers
        default: nil
        }
    }
}

extension KeyBinding {
    /// Why a key that writes does nothing on a read-only database.
    public static let readOnlyReason = "the database is read-only for you (you may not write its file or folder)"
}

extension ActionID {
    /// Whether the action writes to the database (directly, or through the
    /// form, prompt or call it opens).
    public var writes: Bool {
        switch self {
        case .add, .edit, .delete, .undo, .logNote, .call, .followUp, .restore, .done, .snooze, .reschedule,
             .dealNextStage, .dealPreviousStage, .reorderUp, .reorderDown, .markWon, .markLost, .reopen,
             .addPipeline, .renamePipeline, .addStage, .renameStage, .stageProbability, .stageRotDays, .deleteStage,
             .moveStageLeft, .moveStageRight, .importFile, .merge, .cancelFollowUp, .reassign, .emptyTrash:
            true
        default:
            false
        }
    }
}

extension AppContext {
    /// Looks `key` up in a view's key table and runs its action; a disabled
    /// action says why in the status line instead. False when no row has the key.
    func dispatch(_ key: Key, in bindings: [KeyBinding], perform: (ActionID) -> Void) -> Bool {
        guard let binding = bindings.usable(by: repositories).binding(for: key) else { return false }
        if let refusal = binding.refusal {
            status(refusal, .warning)
            return true
        }
        dispatched(binding.action)
        perform(binding.action)
        return true
    }
}

extension KeyBinding {
    /// List navigation, defined once for every list: j/k or the arrows, a
    /// page with PgDn/PgUp (Ctrl-F/Ctrl-B), the ends with g/Home and G/End.
    /// `row` names what moves ("deal", "item"); `edges` drops g/G where a
    /// list has no ends to jump to (the trash pane, a merge screen's fields).
    public static func listNavigation(row: String = "row", plural: String? = nil, first: String? = nil, last: String? = nil,
                                      paging: Bool = true, edges: Bool = true) -> [KeyBinding] {
        var table = [
            KeyBinding([.char("j"), .down], .moveDown, "Next \(row)"),
            KeyBinding([.char("k"), .up], .moveUp, "Previous \(row)"),
        ]
        if paging {
            table += [
                KeyBinding([.pageDown, .ctrl("f")], .pageDown, "Page down"),
                KeyBinding([.pageUp, .ctrl("b")], .pageUp, "Page up"),
            ]
        }
        if edges {
            table += [
                KeyBinding([.char("g"), .home], .top, first ?? "First \(row)"),
                KeyBinding([.char("G"), .end], .bottom, last ?? "Last \(row)"),
            ]
        }
        return table
    }

    /// `q` and Esc: back from a sub-view to its parent (`q` quits only from a top-level view).
    public static func back(_ title: String, also extra: [Key] = []) -> KeyBinding {
        KeyBinding([.escape, .char("q")] + extra, .back, title, hint: true)
    }
}
