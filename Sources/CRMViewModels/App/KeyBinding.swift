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

    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
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
             .moveStageLeft, .moveStageRight, .merge, .emptyTrash:
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
        if let reason = binding.disabledReason {
            status("\(binding.title): \(reason)", .warning)
            return true
        }
        perform(binding.action)
        return true
    }
}
